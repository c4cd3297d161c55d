import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as source from './source.js';
import type { Filter, Source } from './types.js';

async function drain(src: Source): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let c = await src(); c !== null; c = await src()) out.push(c);
  return out;
}

test('source.string() gives views of at most blockSize bytes, then null', async () => {
  const chunks = await drain(source.string('abcdefg', 3));
  assert.deepEqual(chunks.map(String), ['abc', 'def', 'g']);
  assert.deepEqual(await drain(source.string('')), []);
});

test('source.empty() and source.error()', async () => {
  assert.equal(await source.empty()(), null);
  const boom = new Error('boom');
  await assert.rejects(source.error(boom)(), (e) => e === boom);
});

test('source.chain() skips empty filter outputs and flushes at the end', async () => {
  let held = Buffer.alloc(0);
  const pairs: Filter = (c) => {
    if (c === null) return held;
    const all = Buffer.concat([held, c]);
    const keep = all.length % 2;
    held = all.subarray(all.length - keep);
    return all.subarray(0, all.length - keep);
  };
  const chunks = await drain(source.chain(source.string('abcde', 1), pairs));
  assert.deepEqual(chunks.map(String), ['ab', 'cd', 'e']);
});

test('source.cat() gives each source in turn', async () => {
  const chunks = await drain(source.cat(source.string('ab'), source.empty(), source.string('cd')));
  assert.equal(Buffer.concat(chunks).toString(), 'abcd');
});

test('source.rewind() gives pushed-back chunks first', async () => {
  const src = source.rewind(source.string('xyz'));
  const first = await src();
  src.unshift(first!);
  src.unshift(Buffer.from('0'));
  assert.deepEqual((await drain(src)).map(String), ['0', 'xyz']);
});

test('source.iterable() takes sync and async iterables of strings and bytes', async () => {
  assert.equal(Buffer.concat(await drain(source.iterable(['a', '', Buffer.from('b')]))).toString(), 'ab');
  async function* gen() {
    yield 'c';
    yield new Uint8Array([100]);
  }
  assert.equal(Buffer.concat(await drain(source.iterable(gen()))).toString(), 'cd');
});

test('source.file() reads a file in blocks and closes it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ltn12-'));
  try {
    const data = Buffer.alloc(200_000, 7);
    await writeFile(join(dir, 'f'), data);
    const chunks = await drain(source.file(join(dir, 'f'), 65536));
    assert.deepEqual(
      chunks.map((c) => c.length),
      [65536, 65536, 65536, 3392],
    );
    assert.deepEqual(Buffer.concat(chunks), data);
    await assert.rejects(source.file(join(dir, 'missing'))(), { code: 'ENOENT' });
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('source.fromReadable() and source.fromWeb() give every byte', async () => {
  const parts = ['one', 'two', 'three'];
  assert.equal(Buffer.concat(await drain(source.fromReadable(Readable.from(parts.map((p) => Buffer.from(p)))))).toString(), 'onetwothree');
  const web = new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of parts) c.enqueue(new TextEncoder().encode(p));
      c.close();
    },
  });
  assert.equal(Buffer.concat(await drain(source.fromWeb(web))).toString(), 'onetwothree');
});

test('source.fromReadable() rethrows a stream error', async () => {
  const r = new Readable({ read() {} });
  const src = source.fromReadable(r);
  r.push('a');
  assert.equal(String(await src()), 'a');
  setImmediate(() => r.destroy(new Error('bad disk')));
  await assert.rejects(src(), /bad disk/);
});
