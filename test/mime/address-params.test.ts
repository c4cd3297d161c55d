/**
 * Vectors for the parser's helpers: address lists (names, comments, groups,
 * RFC 2047 names, quoted local parts, routes) and header parameters
 * (quoting, RFC 2231 continuations and charsets, RFC 2047 in file names).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mime } from '../../src/index.js';

const addresses: [string, unknown][] = [
  ['"Diego Nehab" <diego@impa.br>', [{ name: 'Diego Nehab', address: 'diego@impa.br' }]],
  ['diego@impa.br', [{ name: '', address: 'diego@impa.br' }]],
  ['diego@impa.br (Diego Nehab)', [{ name: 'Diego Nehab', address: 'diego@impa.br' }]],
  [
    'John Q. Public <jqp@example.test>, x@y.test',
    [
      { name: 'John Q. Public', address: 'jqp@example.test' },
      { name: '', address: 'x@y.test' },
    ],
  ],
  ['"Smith, Anna" <anna@example.test>', [{ name: 'Smith, Anna', address: 'anna@example.test' }]],
  ['=?UTF-8?Q?Ren=C3=A9e?= <renee@example.test>', [{ name: 'Renée', address: 'renee@example.test' }]],
  [
    'Team: a@b.test, "B" <b@b.test>;, c@c.test',
    [
      {
        group: 'Team',
        members: [
          { name: '', address: 'a@b.test' },
          { name: 'B', address: 'b@b.test' },
        ],
      },
      { name: '', address: 'c@c.test' },
    ],
  ],
  ['undisclosed-recipients:;', [{ group: 'undisclosed-recipients', members: [] }]],
  ['<@relay.test,@other.test:user@example.test>', [{ name: '', address: 'user@example.test' }]],
  ['"odd local"@example.test', [{ name: '', address: '"odd local"@example.test' }]],
  ['Broken <no-close@example.test', [{ name: 'Broken', address: 'no-close@example.test' }]],
  ['', []],
];

for (const [input, expected] of addresses) {
  test(`parseAddresses(${JSON.stringify(input)})`, () => assert.deepEqual(mime.parseAddresses(input), expected));
}

test('parseAddresses stops at maxAddresses', () => {
  assert.equal(mime.parseAddresses(Array.from({ length: 50 }, (_, i) => `u${i}@x.test`).join(', '), 10).length, 10);
});

const params: [string, string, Record<string, string>][] = [
  ['text/plain; charset="UTF-8"; format=flowed', 'text/plain', { charset: 'UTF-8', format: 'flowed' }],
  ['Text/HTML;charset=iso-8859-1', 'text/html', { charset: 'iso-8859-1' }],
  ['attachment; filename="a \\"b\\".txt"', 'attachment', { filename: 'a "b".txt' }],
  ["attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf", 'attachment', { filename: '€ rates.pdf' }],
  ['attachment; filename*0*=UTF-8\'\'caf%C3%A9; filename*1="-menu"; filename*2*=.txt', 'attachment', { filename: 'café-menu.txt' }],
  ['attachment; filename*1="b"; filename*0="a"', 'attachment', { filename: 'ab' }],
  ["attachment; filename*=iso-8859-1'fr'%E9t%E9.txt", 'attachment', { filename: 'été.txt' }],
  ['attachment; filename="=?UTF-8?B?w6l0w6kudHh0?="', 'attachment', { filename: 'été.txt' }],
  ['attachment; filename="plain.txt"; filename*=UTF-8\'\'better.txt', 'attachment', { filename: 'better.txt' }],
  ['inline; ; junk; size=12', 'inline', { size: '12' }],
  ['multipart/mixed; boundary="unterminated', 'multipart/mixed', { boundary: 'unterminated' }],
];

for (const [input, value, expected] of params) {
  test(`parseParams(${JSON.stringify(input)})`, () => {
    const p = mime.parseParams(input);
    assert.equal(p.value, value);
    assert.deepEqual({ ...p.params }, expected);
  });
}

test('parseParams reads at most maxParams parameters', () => {
  const p = mime.parseParams(`x/y; ${Array.from({ length: 20 }, (_, i) => `p${i}=${i}`).join('; ')}`, 5);
  assert.equal(Object.keys(p.params).length, 5);
});
