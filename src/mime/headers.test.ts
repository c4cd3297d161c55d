import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHeaders } from './headers.js';
import { decodeWords, encodeHeaderValue, encodeWord, foldHeader } from './words.js';
import { LimitError, ProtocolError } from '../core/errors.js';

test('parseHeaders(): unfolding, repeats, order, end of header', () => {
  const text = 'From: a@x\r\nSubject: hello\r\n  world\r\nReceived: one\r\nreceived: two\r\n\r\nbody\r\n';
  const h = parseHeaders(text);
  assert.deepEqual(
    h.fields.map((f) => f.name),
    ['From', 'Subject', 'Received', 'received'],
  );
  assert.equal(h.get('SUBJECT'), 'hello world');
  assert.deepEqual(h.all('received'), ['one', 'two']);
  assert.equal(h.toObject().received, 'one, two');
  assert.equal(text.slice(h.bytes), 'body\r\n');
});

test('parseHeaders(): field names are RFC 5322 ftext (printable ASCII but the colon), wider than an HTTP token', () => {
  for (const name of ['X-A{b}', 'X(1)', 'A/B', 'A[0]', 'Q?=', 'a@b']) {
    assert.equal(parseHeaders(`${name}: v\r\n\r\n`, { strict: true }).get(name), 'v', name);
  }
});

test('parseHeaders(): malformed lines skipped, or ProtocolError when strict', () => {
  const bad = ['no colon here', 'Bad Name: x', ' orphan continuation', ': empty name', 'Bad\x01Name: x', 'Caf\u00e9: x'];
  for (const line of bad) {
    assert.equal(parseHeaders(`${line}\r\nOk: 1\r\n\r\n`).get('ok'), '1', line);
    assert.throws(() => parseHeaders(`${line}\r\n\r\n`, { strict: true }), ProtocolError, line);
  }
  assert.throws(() => parseHeaders('A: b\n\n', { strict: true }), ProtocolError);
  assert.equal(parseHeaders('A: b\n\n').get('a'), 'b');
});

test('parseHeaders(): limits throw LimitError (too large)', () => {
  assert.throws(
    () => parseHeaders('A: b\r\n'.repeat(11), { maxFields: 10 }),
    (e: LimitError) => e.code === 'too large',
  );
  assert.throws(() => parseHeaders(`A: ${'x'.repeat(2000)}\r\n`, { maxBytes: 1000 }), LimitError);
});

// RFC 2047 §8
const decodeVectors: [string, string][] = [
  ['=?ISO-8859-1?Q?a?=', 'a'],
  ['=?ISO-8859-1?Q?a?= b', 'a b'],
  ['=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=', 'ab'],
  ['=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=', 'ab'],
  ['=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=', 'ab'],
  ['=?ISO-8859-1?Q?a_b?=', 'a b'],
  ['=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=', 'a b'],
  ['=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>', 'Keith Moore <moore@cs.utk.edu>'],
  ['=?ISO-8859-1?Q?Andr=E9?= Pirard', 'André Pirard'],
  ['=?UTF-8?B?Y2Fmw6k=?=', 'café'],
  ['=?utf-8?b?Y2Fmw6k=?=', 'café'],
  ['=?X-UNKNOWN?Q?a?=', '=?X-UNKNOWN?Q?a?='],
  ['=?UTF-8?B?***?=', '=?UTF-8?B?***?='],
  ['=?windows-1252?Q?=80?=', '€'],
];

test('decodeWords() passes the RFC 2047 §8 examples and leaves bad words alone', () => {
  for (const [input, want] of decodeVectors) assert.equal(decodeWords(input), want, input);
});

test('encodeWord() makes words ≤ 75 chars that decode back, never splitting a character', () => {
  for (const text of ['café', 'ça va? très bien', '日本語のテキスト'.repeat(10), `${'x'.repeat(200)}é`]) {
    for (const encoding of ['B', 'Q', 'auto'] as const) {
      const enc = encodeWord(text, { encoding });
      for (const w of enc.split(' ')) assert.ok(w.length <= 75, w);
      assert.equal(decodeWords(enc), text);
    }
  }
  assert.equal(encodeWord('café', { encoding: 'Q' }), '=?UTF-8?Q?caf=C3=A9?=');
  assert.equal(encodeWord('café'), '=?UTF-8?B?Y2Fmw6k=?=', 'auto picks the shorter');
});

test('encodeHeaderValue() and foldHeader()', () => {
  assert.equal(encodeHeaderValue('plain ascii'), 'plain ascii');
  const v = encodeHeaderValue('Re: café au lait');
  assert.match(v, /^Re: =\?UTF-8\?/);
  assert.equal(decodeWords(v), 'Re: café au lait');
  assert.throws(() => encodeHeaderValue('a\r\nBcc: x'), { code: 'invalid argument' });
  const folded = foldHeader('Subject', 'word '.repeat(40).trim());
  for (const line of folded.split('\r\n')) assert.ok(line.length <= 78, line);
  assert.equal(folded.replace(/\r\n /g, ' '), `Subject: ${'word '.repeat(40).trim()}`);
});
