import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tcpPair } from '../../../testkit/socket.js';
import { waitFor } from '../../../testkit/index.js';
import { ChunkSlots } from './chunk-slots.js';
import { ConnectionDeadline } from './deadline.js';
import { headText, oneWrite, sendFile, sendWhole } from './respond.js';
import { INFLIGHT_FLOOR, Inflight } from './inflight.js';

/** Counts the Node writes a socket makes: single `_write`s, and `_writev`s with their chunk counts. */
function spyWrites(sock: Socket): { single: number; vectors: number[] } {
  const seen = { single: 0, vectors: [] as number[] };
  const s = sock as Socket & { _write: (...a: unknown[]) => void; _writev: (chunks: unknown[], cb: unknown) => void };
  const write = s._write.bind(s);
  const writev = s._writev.bind(s);
  s._write = (...a: unknown[]) => {
    seen.single++;
    write(...a);
  };
  s._writev = (chunks: unknown[], cb: unknown) => {
    seen.vectors.push(chunks.length);
    writev(chunks, cb);
  };
  return seen;
}

test('sendWhole(): a large body leaves in one writev with its head, and arrives intact', async () => {
  const pair = await tcpPair();
  try {
    const body = Buffer.alloc(INFLIGHT_FLOOR * 8);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31) & 255;
    const head = headText(200, `Content-Length: ${body.length}\r\n`, { close: false });
    assert.equal(oneWrite(head, body), null, 'too large for the one-buffer path');
    const writes = spyWrites(pair.peer.nodeSocket);
    await sendWhole(pair.peer, head, body, { deadline: new ConnectionDeadline(), ms: 5000 });
    assert.equal(writes.single, 0, 'no write of its own for the head');
    assert.deepEqual(writes.vectors, [2], 'head and body in one vector');
    const got = await pair.client.receive(Buffer.byteLength(head) + body.length);
    assert.equal(got.subarray(0, head.length).toString('latin1'), head);
    assert.ok(got.subarray(head.length).equals(body));
  } finally {
    await pair.close();
  }
});

test('sendWhole(): a small body is copied behind its head into one buffer', async () => {
  const pair = await tcpPair();
  try {
    const head = headText(200, 'Content-Length: 5\r\n', { close: false });
    const writes = spyWrites(pair.peer.nodeSocket);
    await sendWhole(pair.peer, head, Buffer.from('hello'), { deadline: new ConnectionDeadline(), ms: 5000 });
    assert.deepEqual(writes, { single: 1, vectors: [] });
    assert.equal((await pair.client.receive(head.length + 5)).toString('latin1'), `${head}hello`);
  } finally {
    await pair.close();
  }
});

test('sendFile(): a chunk’s slot comes back only once Node has written it, though the send resolved while it was still queued', async () => {
  const pair = await tcpPair();
  const dir = mkdtempSync(join(tmpdir(), 'nk-sendfile-'));
  const size = 12_000; // under Node's high-water mark: its write returns true while queued
  const fh = await open((writeFileSync(join(dir, 'f'), 'x'.repeat(size)), join(dir, 'f')));
  try {
    // the socket's writes are held, as a full kernel would hold them
    const sock = pair.peer.nodeSocket as Socket & { _write: (...a: unknown[]) => void };
    const write = sock._write.bind(sock);
    const held: unknown[][] = [];
    sock._write = (...a: unknown[]) => void held.push(a);
    const slots = new ChunkSlots();
    const head = `HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n`;
    const progress = { bytes: 0 };
    await sendFile(pair.peer, fh, head, 0, size, progress, { pool: new Inflight(1 << 20), slots }, { deadline: new ConnectionDeadline(), ms: 5000 });
    assert.equal(held.length, 1, 'the response is still in Node’s queue');
    assert.equal(slots.inUse, 1, 'so its slot is still out');
    const next = slots.take(head.length + size); // with the slot given back early, this would be it
    next.fill(0x21);
    sock._write = write;
    for (const a of held) write(...a);
    assert.ok(await waitFor(() => slots.inUse === 1, 5000), 'the slot comes back once written');
    slots.give(next);
    const got = await pair.client.receive(head.length + size);
    assert.equal(got.toString('latin1'), `${head}${'x'.repeat(size)}`);
    assert.equal(progress.bytes, size);
  } finally {
    await fh.close();
    await pair.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
