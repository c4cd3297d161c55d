import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError } from '../../core/errors.js';
import { BAD_VALUE, TOKEN, fieldTable, hasToken, parseFieldBlock, parseFieldLines, type FieldRules } from './fields.js';
import { STATUS, parseStatusLine } from './response-head.js';

const rules = (obsFold: 'space' | 'reject', maxFields = 100): FieldRules => ({ maxFields, obsFold, bad: (m, l) => new ProtocolError(m, l) });

/** What the field rules say of one list of lines: the pairs, or the error's class and message. */
function outcome(run: () => [string, string][]): unknown {
  try {
    return run();
  } catch (err) {
    return `${(err as Error).constructor.name}: ${(err as Error).message}`;
  }
}

const vectors: [string[], 'space' | 'reject', [string, string][] | RegExp][] = [
  [
    ['Host: x', 'Accept: */*'],
    'reject',
    [
      ['Host', 'x'],
      ['Accept', '*/*'],
    ],
  ],
  [['X:  a b \t'], 'reject', [['X', 'a b']]],
  [['X:'], 'reject', [['X', '']]],
  [['X: é\xff'], 'reject', [['X', 'é\xff']]], // obs-text is allowed
  [['X: a\tb'], 'reject', [['X', 'a\tb']]],
  [['X: a', '  b'], 'space', [['X', 'a b']]],
  [['X:', ' b'], 'space', [['X', 'b']]],
  [['X: a', ' '], 'space', [['X', 'a']]],
  [['X: a', '  b'], 'reject', /obsolete line folding/],
  [[' X: a'], 'space', /obsolete line folding/],
  [['Content-Length: 5', ' 5'], 'space', /folding in Content-Length/],
  [['X: a', ' b\x00'], 'space', /control character/],
  [['no colon'], 'reject', /without a colon/],
  [[': x'], 'reject', /malformed header field name/],
  [['X : a'], 'reject', /malformed header field name/],
  [['X\x00: a'], 'reject', /malformed header field name/],
  [['Xé: a'], 'reject', /malformed header field name/],
  [['X\ty'], 'reject', /without a colon/],
  [['X: a\x00b'], 'reject', /control character/],
  [['X: a\rb'], 'reject', /control character/],
  [['X: a\nb'], 'reject', /control character/],
  [['X: a\x7fb'], 'reject', /control character/],
  [['X: a\x1f'], 'reject', /control character/],
];

test('parseFieldLines() and parseFieldBlock() read the same vectors the same way', () => {
  for (const [lines, fold, want] of vectors) {
    const byLines = outcome(() => parseFieldLines(lines, rules(fold)));
    const text = `HTTP/1.1 200 OK\r\n${lines.join('\r\n')}`;
    const byBlock = outcome(() => parseFieldBlock(text, 17, text.length, rules(fold)));
    if (want instanceof RegExp) assert.match(String(byLines), want, JSON.stringify(lines));
    else assert.deepEqual(byLines, want, JSON.stringify(lines));
    assert.deepEqual(byBlock, byLines, JSON.stringify(lines));
  }
  assert.deepEqual(parseFieldBlock('HTTP/1.1 200 OK', 17, 15, rules('space')), [], 'no field lines');
  // (an empty line cannot be inside a block: it ends the head)
  assert.match(String(outcome(() => parseFieldLines([''], rules('reject')))), /without a colon/);
});

test('field count and line length limits hold in both readers', () => {
  const many = Array.from({ length: 5 }, (_, i) => `F${i}: ${i}`);
  for (const fold of ['space', 'reject'] as const) {
    assert.match(String(outcome(() => parseFieldLines(many, rules(fold, 4)))), /LimitError: more than 4 header fields/);
    assert.match(String(outcome(() => parseFieldBlock(many.join('\r\n'), 0, many.join('\r\n').length, rules(fold, 4)))), /LimitError: more than 4/);
    assert.equal(parseFieldBlock(many.join('\r\n'), 0, many.join('\r\n').length, rules(fold, 5)).length, 5);
  }
  // refused before any line is read when folding is refused: a malformed line past the limit does not matter
  const flood = [...many, 'bad line'];
  assert.match(String(outcome(() => parseFieldBlock(flood.join('\r\n'), 0, flood.join('\r\n').length, rules('reject', 4)))), /more than 4/);
  const long = { ...rules('reject'), maxFieldLine: 8 };
  assert.match(String(outcome(() => parseFieldLines(['X: 123456'], long))), /LimitError: header field line over 8 bytes/);
  assert.deepEqual(parseFieldLines(['X: 12345'], long), [['X', '12345']]);
});

test('the hand-written scanners accept exactly what TOKEN and BAD_VALUE say, for every byte', () => {
  for (let c = 0; c < 256; c++) {
    const ch = String.fromCharCode(c);
    const name = outcome(() => parseFieldLines([`A${ch}B: v`], rules('reject')));
    if (ch !== ':') assert.equal(Array.isArray(name), TOKEN.test(`A${ch}B`), `name byte ${c}`);
    const value = outcome(() => parseFieldLines([`X: a${ch}b`], rules('reject')));
    assert.equal(Array.isArray(value), !BAD_VALUE.test(`a${ch}b`), `value byte ${c}`);
    const status = `HTTP/1.1 200 O${ch}K`;
    assert.equal(parseStatusLine(status) !== null, STATUS.test(status), `reason byte ${c}`);
  }
});

test('parseStatusLine() agrees with STATUS on a table of status lines', () => {
  const lines = [
    'HTTP/1.1 200 OK',
    'HTTP/1.0 404 Not Found',
    'HTTP/1.1 200',
    'HTTP/1.1 200 ',
    'HTTP/1.1 599 x',
    'HTTP/1.1 100 Continue',
    'HTTP/1.1 600 Too High',
    'HTTP/1.1 099 Low',
    'HTTP/1.2 200 OK',
    'HTTP/2 200 OK',
    'HTTP/1.1  200 OK',
    'HTTP/1.1 2000 OK',
    'HTTP/1.1 20 OK',
    'HTTP/1.1 2x0 OK',
    'HTTP/1.1 200\tOK',
    'http/1.1 200 OK',
    'HTTP/1.1 200 OK\r',
    'ICY 200 OK',
    '',
  ];
  for (const line of lines) {
    const got = parseStatusLine(line);
    const m = STATUS.exec(line);
    assert.equal(got !== null, m !== null, JSON.stringify(line));
    if (m !== null) assert.deepEqual(got, { minor: Number(m[1]), code: Number(m[2]), reason: m[3] ?? '' }, line);
  }
  assert.deepEqual(parseStatusLine('HTTP/1.1 204 No Content\r\nX: y', 23), { minor: 1, code: 204, reason: 'No Content' }, 'a prefix of a longer text');
});

test('fieldTable() lower-cases and joins; hasToken() finds whole list members only', () => {
  const t = fieldTable([
    ['Set-Cookie', 'a=1'],
    ['SET-COOKIE', 'b=2'],
    ['__proto__', 'p'],
  ]);
  assert.equal(t['set-cookie'], 'a=1, b=2');
  // names of any length and number lower-case the same, cached or not
  const many = Array.from({ length: 600 }, (_, i): [string, string] => [`X-Name-${i}-${'A'.repeat(i % 100)}`, String(i)]);
  const big = fieldTable(many);
  assert.equal(big[`x-name-599-${'a'.repeat(99)}`], '599');
  assert.equal(fieldTable(many)[`x-name-7-${'a'.repeat(7)}`], '7');
  assert.deepEqual(Object.keys(fieldTable([['\u0100', 'a']])), ['\u0101']);
  assert.deepEqual(Object.keys(fieldTable([['\u0000', 'b']])), ['\u0000'], 'not mistaken for a name that reads the same in latin1');
  assert.deepEqual(Object.getOwnPropertyDescriptor(t, '__proto__')?.value, 'p'); // an own entry, not the prototype
  assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(t)), null);
  const tokens: [string, string, boolean][] = [
    ['close', 'close', true],
    ['keep-alive', 'close', false],
    ['keep-alive, close', 'close', true],
    ['te,close , upgrade', 'close', true],
    ['closed', 'close', false],
    ['enclose', 'close', false],
    ['', 'close', false],
  ];
  for (const [list, token, want] of tokens) assert.equal(hasToken(list, token), want, `${list} / ${token}`);
});
