import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiveBuffer } from './receive-buffer.js';
import { parsePattern, dropCr } from './receive-pattern.js';
import { ArgumentError, ClosedError, LimitError, TimeoutError } from './errors.js';

function filled(text: string, end = true): ReceiveBuffer {
  const rb = new ReceiveBuffer();
  rb.push(Buffer.from(text, 'latin1'));
  if (end) rb.end();
  return rb;
}

test('parsePattern: LuaSocket reads a string pattern by its first two characters', () => {
  const rows: [unknown, unknown][] = [
    ['*l', 'l'],
    ['*line', 'l'],
    ['*lines please', 'l'],
    ['line', 'l'],
    ['*L', 'L'],
    ['*Line', 'L'],
    ['*a', 'a'],
    ['*all', 'a'],
    ['all', 'a'],
    [0, 0],
    [7, 7],
  ];
  for (const [p, want] of rows) assert.equal(parsePattern(p), want, String(p));
  for (const bad of ['', '*', 'l', '*x', 'a', '**l', -1, 1.5, NaN, Infinity, null, {}]) {
    assert.throws(() => parsePattern(bad), ArgumentError, String(bad));
  }
});

test("'*line' and '*all' are accepted by receive", async () => {
  const rb = filled('one\r\nrest');
  assert.equal(await rb.receive('*line'), 'one');
  assert.deepEqual(await rb.receive('*all'), Buffer.from('rest'));
});

// LuaSocket's buffer.c: the prefix counts toward n (it reads n - #prefix more bytes)
const countRows: { n: number; prefix: string; stream: string; want: string; left: string }[] = [
  { n: 5, prefix: 'ab', stream: 'cdefg', want: 'abcde', left: 'fg' },
  { n: 2, prefix: 'ab', stream: 'cd', want: 'ab', left: 'cd' }, // prefix already long enough: nothing read
  { n: 1, prefix: 'abc', stream: 'd', want: 'abc', left: 'd' }, // a longer prefix is returned whole
  { n: 3, prefix: '', stream: 'xyz!', want: 'xyz', left: '!' },
  { n: 4, prefix: 'é', stream: 'abcd', want: 'éab', left: 'cd' }, // 'é' is 2 bytes in UTF-8
];

test('receive(n, prefix) counts the prefix toward n', async () => {
  for (const r of countRows) {
    const rb = new ReceiveBuffer();
    rb.push(Buffer.from(r.stream));
    rb.end();
    assert.equal((await rb.receive(r.n, r.prefix)).toString(), r.want, JSON.stringify(r));
    assert.equal((await rb.receive('*a')).toString(), r.left, JSON.stringify(r));
  }
});

test('the resume idiom receive(n, err.partial) completes a read that timed out', async () => {
  const rb = new ReceiveBuffer();
  rb.timeouts.set(20);
  rb.push(Buffer.from('abc'));
  const err = await rb.receive(6).catch((e: unknown) => e);
  assert.ok(err instanceof TimeoutError);
  assert.equal(err.partial.toString(), 'abc');
  setTimeout(() => rb.push(Buffer.from('defXYZ')), 5);
  assert.equal((await rb.receive(6, err.partial)).toString(), 'abcdef');
  assert.equal(rb.peek().toString(), 'XYZ');
});

test("a failed '*l' drops CRs from partial, as LuaSocket drops them from line data", async () => {
  const rows: [string, string, string][] = [
    ['abc\r', '', 'abc'],
    ['a\rb\rc', '', 'abc'],
    ['abc\r', 'p\r', 'p\rabc'], // the caller's prefix is kept as given
  ];
  for (const [stream, prefix, want] of rows) {
    const rb = filled(stream);
    const err = await rb.receive('*l', prefix || undefined).catch((e: unknown) => e);
    assert.ok(err instanceof ClosedError, stream);
    assert.equal(err.partial.toString('latin1'), want, JSON.stringify(stream));
  }
  // '*L' (netkit's line with its end) keeps bytes as they came
  const rb = filled('abc\r');
  await assert.rejects(rb.receive('*L'), (e: ClosedError) => e.partial.toString() === 'abc\r');
});

test('receive(0) on a closed, drained socket fails closed; with bytes buffered it gives an empty Buffer', async () => {
  const drained = filled('');
  await assert.rejects(drained.receive(0), (e: ClosedError) => e instanceof ClosedError && e.code === 'closed');
  const full = filled('x');
  assert.deepEqual(await full.receive(0), Buffer.alloc(0));
  assert.equal(full.length, 1);
  // on an open socket receive(0) waits until something can be read, as LuaSocket's does
  const open = new ReceiveBuffer();
  open.timeouts.set(20);
  await assert.rejects(open.receive(0), TimeoutError);
  setTimeout(() => open.push(Buffer.from('y')), 5);
  assert.deepEqual(await open.receive(0), Buffer.alloc(0));
  assert.equal((await open.receive(1)).toString(), 'y');
});

test("'*a' with maxBytes: LimitError with the first maxBytes bytes as partial, the rest stays buffered", async () => {
  const rb = filled('0123456789');
  const err = await rb.receive('*a', undefined, { maxBytes: 4 }).catch((e: unknown) => e);
  assert.ok(err instanceof LimitError);
  assert.equal(err.partial.toString(), '0123');
  assert.equal((await rb.receive('*a', 'ab', { maxBytes: 8 })).toString(), 'ab456789');
  // the limit is checked as bytes arrive, before the peer closes
  const open = new ReceiveBuffer();
  open.push(Buffer.alloc(100));
  setTimeout(() => open.push(Buffer.alloc(100)), 5);
  await assert.rejects(open.receive('*a', undefined, { maxBytes: 150 }), (e: LimitError) => e instanceof LimitError && e.partial.length === 150);
  for (const bad of [-1, 1.5, NaN]) await assert.rejects(filled('x').receive('*a', undefined, { maxBytes: bad }), ArgumentError);
});

test('dropCr removes every CR and nothing else', () => {
  assert.equal(dropCr(Buffer.from('\ra\r\rb\r')).toString(), 'ab');
  const plain = Buffer.from('abc');
  assert.equal(dropCr(plain), plain);
});
