import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkQueue } from './chunk-queue.js';
import { LineCache } from './line-cache.js';

/** Takes lines through the cache until it gives up; returns them and the bytes left queued. */
function drain(chunks: Buffer[], encoding: 'utf8' | 'latin1' = 'utf8', limit = 1024): { lines: string[]; left: string } {
  const q = new ChunkQueue();
  for (const c of chunks) q.push(c, false);
  const cache = new LineCache();
  const lines: string[] = [];
  for (let s = cache.next(q, encoding, limit); s !== undefined; s = q.length > 0 ? cache.next(q, encoding, limit) : undefined) lines.push(s);
  return { lines, left: q.take(q.length).toString('latin1') };
}

test('LineCache hands out the head chunk’s lines without ends or CRs, and stops where the general path must take over', () => {
  const b = (s: string, enc: BufferEncoding = 'latin1') => Buffer.from(s, enc);
  const rows: { name: string; chunks: Buffer[]; encoding?: 'utf8' | 'latin1'; limit?: number; lines: string[]; left: string }[] = [
    { name: 'CRLF and LF lines', chunks: [b('a\r\nbc\n\r\n')], lines: ['a', 'bc', ''], left: '' },
    { name: 'CRs inside a line are dropped', chunks: [b('x\ry\r\r\n')], lines: ['xy'], left: '' },
    { name: 'a tail without LF stays queued', chunks: [b('one\ntwo')], lines: ['one'], left: 'two' },
    { name: 'a line split over chunks is left to the general path', chunks: [b('a\nb'), b('c\n')], lines: ['a'], left: 'bc\n' },
    { name: 'UTF-8 text decodes line by line', chunks: [b('é\n€\n', 'utf8')], lines: ['é', '€'], left: '' },
    { name: 'latin1 maps bytes one to one', chunks: [b('\xe9\n\xff\n')], encoding: 'latin1', lines: ['\xe9', '\xff'], left: '' },
    { name: 'a cached line over the limit is left queued', chunks: [b('ok\n12345\nz\n')], limit: 4, lines: ['ok'], left: '12345\nz\n' },
    { name: 'an uncached line over the limit is left queued', chunks: [b('é\n12345\n', 'utf8')], limit: 4, lines: ['é'], left: '12345\n' },
  ];
  for (const r of rows) assert.deepEqual(drain(r.chunks, r.encoding, r.limit), { lines: r.lines, left: r.left }, r.name);
});

test('LineCache decodes at most 64 KiB at once and drop() forgets what it decoded', () => {
  const q = new ChunkQueue();
  const line = `${'x'.repeat(99)}\n`;
  q.push(Buffer.from(line.repeat(1000)), false); // 100,000 bytes
  const cache = new LineCache();
  let n = 0;
  while (q.length > 0 && cache.next(q, 'utf8', 1024) !== undefined) n++;
  assert.equal(n, 1000);
  q.push(Buffer.from('a\nb\n'), false);
  assert.equal(cache.next(q, 'utf8', 1024), 'a');
  q.take(2); // 'b\n' taken another way
  cache.drop();
  q.push(Buffer.from('c\n'), false);
  assert.equal(cache.next(q, 'utf8', 1024), 'c');
});
