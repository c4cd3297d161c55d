import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLastLine, makeReply, matches, parseFirstLine } from './reply.js';
import { ProtocolError } from '../../core/errors.js';

test('parseFirstLine() takes a code and the separator', () => {
  assert.deepEqual(parseFirstLine('250-mail.example'), { code: 250, more: true, rest: 'mail.example' });
  assert.deepEqual(parseFirstLine('221 bye'), { code: 221, more: false, rest: 'bye' });
  assert.deepEqual(parseFirstLine('250'), { code: 250, more: false, rest: '' });
  for (const bad of ['', '25', '2500 x', 'abc ok', '+OK', ' 250 x', '250x']) assert.throws(() => parseFirstLine(bad), ProtocolError, bad);
});

test('isLastLine() and makeReply() for SMTP and FTP multi-line forms', () => {
  assert.equal(isLastLine('250 SIZE', 250), true);
  assert.equal(isLastLine('250-SIZE', 250), false);
  assert.equal(isLastLine('251 x', 250), false);
  assert.equal(isLastLine('   free text', 211), false);
  const r = makeReply(211, ['211-Features:', ' MDTM', ' SIZE', '211 End']);
  assert.equal(r.message, 'Features:\n MDTM\n SIZE\nEnd');
  assert.equal(r.text, '211-Features:\n MDTM\n SIZE\n211 End');
});

test('matches() takes codes, patterns, lists and predicates', () => {
  const vectors: [number, Parameters<typeof matches>[1], boolean][] = [
    [250, 250, true],
    [250, 251, false],
    [250, '2..', true],
    [354, '2..', false],
    [354, '3..', true],
    [250, '25.', true],
    [252, '25.', true],
    [260, '25.', false],
    [550, [250, '5..'], true],
    [421, [250, '5..'], false],
    [220, (c) => c < 300, true],
  ];
  for (const [code, expected, want] of vectors) assert.equal(matches(code, expected), want, `${code} ${String(expected)}`);
  assert.throws(() => matches(250, '2.'), { code: 'invalid argument' });
  assert.throws(() => matches(250, 'abc'), { code: 'invalid argument' });
});
