import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkQueue } from './chunk-queue.js';

const queue = (...parts: string[]): ChunkQueue => {
  const q = new ChunkQueue();
  for (const p of parts) q.push(Buffer.from(p), false);
  return q;
};

test('take: the same bytes at every split of the input, views inside one chunk', () => {
  const text = 'alpha\nbeta\r\ngamma';
  for (let cut = 1; cut < text.length; cut++) {
    for (let n = 0; n <= text.length; n++) {
      const q = queue(text.slice(0, cut), text.slice(cut));
      assert.equal(q.take(n).toString(), text.slice(0, n), `cut ${cut} take ${n}`);
      assert.equal(q.length, text.length - n);
      assert.equal(q.take(q.length).toString(), text.slice(n));
    }
  }
  const one = Buffer.from('abcdef');
  const q = new ChunkQueue();
  q.push(one, false);
  assert.equal(q.take(3).buffer, one.buffer, 'bytes in one chunk come out as a view');
});

test('take: an owned head chunk holds a straddling result; a foreign or viewed one does not', () => {
  const cases: { owned: boolean; peekFirst: boolean; reused: boolean }[] = [
    { owned: true, peekFirst: false, reused: true },
    { owned: false, peekFirst: false, reused: false },
    { owned: true, peekFirst: true, reused: false },
  ];
  for (const c of cases) {
    // A socket's pattern: a short first read, then full-size reads the
    // requests straddle. Bytes only ever copied out of `head` leave it owned.
    const head = Buffer.from('0123456789');
    const q = new ChunkQueue();
    q.push(Buffer.from('xy'), c.owned);
    q.push(head, c.owned);
    q.push(Buffer.from('abcdefghij'), c.owned);
    assert.equal(q.take(4).toString(), 'xy01'); // straddles: a copy
    if (c.peekFirst) q.peek(2);
    const out = q.take(10);
    assert.equal(out.toString(), '23456789ab', JSON.stringify(c));
    assert.equal(out.buffer === head.buffer && out.byteOffset === head.byteOffset, c.reused, JSON.stringify(c));
    assert.equal(q.take(q.length).toString(), 'cdefghij');
  }
});

test('findLf: offsets across chunks, remembering what was scanned', () => {
  const vectors: [string[], number][] = [
    [['abc'], -1],
    [['ab', 'c\n'], 3],
    [['\n'], 0],
    [['a', '', 'b', 'c', '\nx\n'], 3],
  ];
  for (const [parts, lf] of vectors) assert.equal(queue(...parts.filter((p) => p !== '')).findLf(), lf, parts.join('|'));
  const q = queue('abc');
  assert.equal(q.findLf(), -1);
  assert.equal(q.scanned, 3);
  q.push(Buffer.from('d\n'), false);
  assert.equal(q.findLf(), 4);
});

test('peek and unshift leave the bytes in order; clear forgets them', () => {
  const q = queue('abc', 'def');
  q.take(2);
  assert.equal(q.peek(3).toString(), 'cde');
  assert.equal(q.peek().toString(), 'cdef');
  q.unshift(Buffer.from('XY'));
  assert.equal(q.peek().toString(), 'XYcdef');
  assert.equal(q.take(q.length).toString(), 'XYcdef');
  q.push(Buffer.from('z'), false);
  q.clear();
  assert.equal(q.length, 0);
  assert.equal(q.peek().length, 0);
});

test('a long run of small chunks is compacted, not kept forever', () => {
  const q = new ChunkQueue();
  for (let i = 0; i < 5000; i++) q.push(Buffer.from([i & 0xff]), false);
  for (let i = 0; i < 4000; i++) assert.equal(q.take(1)[0], i & 0xff);
  assert.ok(q.chunks.length < 5000, `chunks array compacted (length ${q.chunks.length})`);
  assert.equal(q.length, 1000);
});
