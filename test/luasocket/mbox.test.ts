/**
 * LuaSocket compatibility: the mbox module. One row per call:
 * the function, its input, and what LuaSocket 3 (src/mbox.lua, run under
 * Lua 5.4) returns for it; netkit must return the same, byte for byte. The
 * LuaSocket column was produced by running mbox.lua on these inputs; where
 * LuaSocket returns nothing (parse_header without a colon) netkit returns
 * undefined. parseHeaders rows list the fields sorted by name (a Lua table
 * has no order). There are no deliberate differences. `mbox.messages`, the
 * ltn12 form of `split`, is checked against `split` at every chunking.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ltn12, mime } from '../../src/index.js';

const { mbox } = mime;

type Fn = 'parseFrom' | 'splitMessage' | 'splitHeaders' | 'parseHeader' | 'parseHeaders' | 'split';

/** The mbox files the ltn12 form is checked on. */
const mboxFiles: string[] = [
  'From a Mon\nH: 1\n\nbody\n\nFrom b Tue\nH: 2\n\nbody2\n',
  'From a Mon\r\nH: 1\r\n\r\nbody\r\n\r\nFrom b Tue\r\nH: 2\r\n\r\nbody2\r\n',
  'From a\nH: 1\n\n>From quoted\nline\n\nFrom b\n\nx',
  'no from line',
  '',
  'From x\n\n',
  'From a\n\n\n\nFrom b\nB: 1\n\nc\n\n',
];

/** [netkit function, input, LuaSocket result] */
const rows: [Fn, string, string[] | undefined][] = [
  ['parseFrom', '"Diego Nehab" <diego@impa.br>', ['Diego Nehab', 'diego@impa.br']],
  ['parseFrom', 'Diego Nehab <diego@impa.br>', ['Diego Nehab', 'diego@impa.br']],
  ['parseFrom', 'diego@impa.br', ['diego@impa.br', 'diego@impa.br']],
  ['parseFrom', '  diego@impa.br  ', ['diego@impa.br  ', 'diego@impa.br  ']],
  ['parseFrom', '<diego@impa.br>', ['diego@impa.br', 'diego@impa.br']],
  ['parseFrom', '', ['', '']],
  ['parseFrom', '"A \\"q\\"" <a@b>', ['A \\q\\', 'a@b']],
  ['parseFrom', 'a@b (Comment)', ['a@b (Comment)', 'a@b (Comment)']],
  ['parseFrom', 'Name <a@b> trailing', ['Name', 'a@b']],
  ['parseFrom', '\t"X"\t<x@y>', ['X', 'x@y']],
  ['parseFrom', 'Name <unclosed', ['Name <unclosed', 'Name <unclosed']],
  ['parseFrom', '   ', [' ', ' ']],
  ['splitMessage', 'H: 1\n\nbody', ['H: 1\n', 'body']],
  ['splitMessage', 'H: 1\r\nH2: 2\r\n\r\nbody\r\n', ['H: 1\nH2: 2\n', 'body\n']],
  ['splitMessage', 'no blank', ['no blank', '']],
  ['splitMessage', '\nbody only', ['', 'body only']],
  ['splitMessage', '\n\nX', ['\n', 'X']],
  ['splitMessage', '', ['', '']],
  ['splitMessage', 'H: 1\n\n\n\nb', ['H: 1\n', '\n\nb']],
  ['splitMessage', 'H: 1\r\n\r\n', ['H: 1\n', '']],
  ['splitHeaders', 'Subject: a\n  b\nTo: x\n\tcont\nto: y\n', ['Subject: a b', 'To: x', '\tcont', 'to: y']],
  ['splitHeaders', 'bad line\nX y: z\n:empty\n', ['bad line', 'X y: z', ':empty']],
  ['splitHeaders', 'A: 1\r\n B\r\n', ['A: 1 B']],
  ['splitHeaders', '', []],
  ['parseHeader', 'Subject: hi', ['Subject', 'hi']],
  ['parseHeader', 'X y: z', ['y', 'z']],
  ['parseHeader', 'nocolon', undefined],
  ['parseHeader', ':v', ['', 'v']],
  ['parseHeader', 'A:B:C', ['A', 'B:C']],
  ['parseHeader', 'A:   \n  b', ['A', 'b']],
  ['parseHeader', 'A:\n\nb', ['A', 'b']],
  ['parseHeader', 'Subject:\thi there  ', ['Subject', 'hi there  ']],
  ['parseHeaders', 'Subject: a\n  b\nTo: x\n\tcont\nto: y\n', ['subject', 'a b', 'to', 'x, y']],
  ['parseHeaders', 'bad line\nX y: z\n:empty\n', ['', 'empty', 'y', 'z']],
  ['parseHeaders', 'A: 1\r\n B\r\nA: 2\r\n', ['a', '1 B, 2']],
  ['split', 'From a Mon\nH: 1\n\nbody\n\nFrom b Tue\nH: 2\n\nbody2\n', ['From a Mon\nH: 1\n\nbody', 'H: 2\n\nbody2\n']],
  ['split', 'From a Mon\r\nH: 1\r\n\r\nbody\r\n\r\nFrom b Tue\r\nH: 2\r\n\r\nbody2\r\n', ['From a Mon\nH: 1\n\nbody', 'H: 2\n\nbody2\n']],
  ['split', 'From a\nH: 1\n\n>From quoted\nline\n\nFrom b\n\nx', ['From a\nH: 1\n\n>From quoted\nline', '\nx']],
  ['split', 'no from line', ['no from line']],
  ['split', '', ['']],
  ['split', 'From x\n\n', ['From x\n\n']],
  ['split', 'From a\n\n\n\nFrom b\nB: 1\n\nc\n\n', ['From a\n\n', 'B: 1\n\nc\n\n']],
];

function netkit(fn: Fn, input: string): string[] | undefined {
  switch (fn) {
    case 'parseFrom':
      return mbox.parseFrom(input);
    case 'splitMessage':
      return mbox.splitMessage(input);
    case 'splitHeaders':
      return mbox.splitHeaders(input);
    case 'parseHeader':
      return mbox.parseHeader(input);
    case 'parseHeaders':
      return Object.entries(mbox.parseHeaders(input))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .flat();
    case 'split':
      return mbox.split(input);
  }
}

for (const [fn, input, luasocket] of rows) {
  test(`mbox.${fn}(${JSON.stringify(input)}) returns what LuaSocket returns`, () => {
    assert.deepEqual(netkit(fn, input), luasocket);
  });
}

test('mbox.parse is parseMessage over split; Buffers read as Latin-1', () => {
  const box = Buffer.from('From a\nSubject: caf\xe9\n\nbody\n\nFrom b\nTo: x\n\nsecond\n', 'latin1');
  assert.deepEqual(mbox.parse(box), [
    { headers: Object.assign(Object.create(null), { subject: 'caf\xe9' }), body: 'body' },
    { headers: Object.assign(Object.create(null), { to: 'x' }), body: 'second\n' },
  ]);
});

test('mbox.messages gives what split gives, at every chunking', async () => {
  for (const text of mboxFiles) {
    for (const size of [1, 2, 3, 7, 4096]) {
      const got: string[] = [];
      for await (const m of mbox.messages(ltn12.source.string(Buffer.from(text, 'latin1'), size))) got.push(m);
      assert.deepEqual(got, mbox.split(text), `${JSON.stringify(text)} in chunks of ${size}`);
    }
  }
});

test('mbox.messages: a message larger than maxMessageBytes is a LimitError', async () => {
  const big = `From a\n\n${'x'.repeat(200)}\n`;
  await assert.rejects(
    async () => {
      for await (const _ of mbox.messages(ltn12.source.string(big, 16), { maxMessageBytes: 100 })) void _;
    },
    { name: 'LimitError' },
  );
  await assert.rejects(
    async () => {
      for await (const _ of mbox.messages(ltn12.source.string(big), { maxMessageBytes: Number.NaN })) void _;
    },
    { name: 'ArgumentError' },
  );
});
