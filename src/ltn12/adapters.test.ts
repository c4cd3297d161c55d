import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import * as source from './source.js';
import * as sink from './sink.js';
import * as pump from './pump.js';
import { toReadable, toReadableStream, toTransform, toTransformStream, transform } from './adapters.js';
import type { Filter } from './types.js';

const xor: () => Filter = () => (c) => (c === null ? Buffer.alloc(0) : Buffer.from(c.map((b) => b ^ 0x5a)));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('toTransform() works inside stream.pipeline over a real file (SHA-256 equal)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ltn12-'));
  try {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(join(dir, 'in'), data);
    await pipeline(createReadStream(join(dir, 'in')), toTransform(xor()), toTransform(xor()), createWriteStream(join(dir, 'out')));
    assert.equal(sha(await readFile(join(dir, 'out'))), sha(data));
    await pump.all(source.file(join(dir, 'in')), sink.file(join(dir, 'copy')));
    assert.equal(sha(await readFile(join(dir, 'copy'))), sha(data));
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('toTransformStream() and toReadableStream() work with WHATWG streams', async () => {
  const data = randomBytes(100_000);
  const stream = toReadableStream(source.string(data, 4096)).pipeThrough(toTransformStream(xor()));
  const chunks: Uint8Array[] = [];
  await stream.pipeTo(new WritableStream({ write: (c) => void chunks.push(c) }));
  assert.deepEqual(Buffer.concat(chunks), transform(data, xor()));
});

test('toReadable() pulls a source on demand; sink.toWritable() honours drain', async () => {
  const data = randomBytes(1_000_000);
  let written = 0;
  const slow = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _e, done) {
      written += chunk.length;
      setImmediate(done);
    },
  });
  await pump.all(source.fromReadable(toReadable(source.string(data, 8192))), sink.toWritable(slow));
  assert.equal(written, data.length);
  assert.ok(slow.writableFinished);
});

test('sink.toWeb() writes to a WritableStream and closes it', async () => {
  const got: Uint8Array[] = [];
  let closed = false;
  const ws = new WritableStream<Uint8Array>({ write: (c) => void got.push(c), close: () => void (closed = true) });
  await pump.all(source.string('abcdef', 2), sink.toWeb(ws));
  assert.equal(Buffer.concat(got).toString(), 'abcdef');
  assert.ok(closed);
});
