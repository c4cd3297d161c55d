import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { web } from '../../src/servers/index.js';
import { IDLE_MS } from '../../src/servers/web/chunk-slots.js';
import { waitFor } from '../../testkit/index.js';

/** Reads everything until the server closes, taking one read at most every `ms`, so the server's writes mostly wait on the kernel. */
function slowRead(sock: net.Socket, ms: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  return new Promise((resolve, reject) => {
    sock.on('data', (d: Buffer) => {
      parts.push(d);
      sock.pause();
      setTimeout(() => sock.resume(), ms);
    });
    sock.on('end', () => resolve(Buffer.concat(parts)));
    sock.on('error', reject);
  });
}

/** Splits pipelined responses with Content-Length bodies. */
function responses(all: Buffer): { head: string; body: Buffer }[] {
  const out: { head: string; body: Buffer }[] = [];
  let at = 0;
  while (at < all.length) {
    const end = all.indexOf('\r\n\r\n', at);
    assert.ok(end > 0, `a head at ${at}: ${all.subarray(at, at + 40).toString('latin1')}`);
    const head = all.subarray(at, end).toString('latin1');
    const len = Number(/content-length: (\d+)/i.exec(head)![1]);
    out.push({ head, body: all.subarray(end + 4, end + 4 + len) });
    at = end + 4 + len;
  }
  return out;
}

test('pipelined responses read slowly arrive byte-exact while their chunk buffers are reused from one response to the next', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-chunks-'));
  const size = 8 * 1024 * 1024 + 100; // 32 chunks and a 100-byte tail
  writeFileSync(join(dir, 'a.bin'), Buffer.alloc(size, 0x61));
  writeFileSync(join(dir, 'b.bin'), Buffer.alloc(size, 0x62));
  const site = await web({ root: dir, port: 0, maxFileBytes: 0 });
  try {
    const sock = net.connect(site.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const reading = slowRead(sock, 2);
    // the tail and the two ranges are small chunks: one small slot after another
    sock.write(
      'GET /a.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /b.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-99\r\n\r\nGET /a.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=-100\r\nConnection: close\r\n\r\n',
    );
    const [a, b, tail] = responses(await reading);
    assert.match(a.head, /^HTTP\/1\.1 200 /);
    assert.equal(a.body.length, size);
    const bad = a.body.findIndex((x) => x !== 0x61);
    assert.equal(bad, -1, `byte ${bad} of a.bin: ${a.body.subarray(bad, bad + 30).toString('latin1')}`);
    assert.match(b.head, /^HTTP\/1\.1 206 /);
    assert.deepEqual(b.body, Buffer.alloc(100, 0x62));
    assert.deepEqual(tail.body, Buffer.alloc(100, 0x61));
  } finally {
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every chunk slot comes back when clients reset mid-download or stall past sendTimeout, and the slabs go once idle', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-chunks-'));
  writeFileSync(join(dir, 'big.bin'), Buffer.alloc(8 * 1024 * 1024, 0x61));
  const site = await web({ root: dir, port: 0, sendTimeout: 300, maxConnectionsPerClient: 200 });
  const socks: net.Socket[] = [];
  const ask = (onData: (s: net.Socket, got: number) => void) =>
    new Promise<void>((resolve) => {
      const s = net.connect(site.port, '127.0.0.1');
      socks.push(s);
      let got = 0;
      s.on('data', (d: Buffer) => onData(s, (got += d.length)));
      s.on('error', () => {});
      s.on('close', () => resolve());
      s.write('GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n');
    });
  try {
    const resets: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      const cut = 1000 + i * 97_000; // reset at spread points of the body
      resets.push(ask((s, got) => void (got >= cut && !s.destroyed && s.resetAndDestroy())));
    }
    for (let i = 0; i < 20; i++) void ask((s) => s.pause()); // read once, then stop: the send deadline ends them
    await Promise.all(resets);
    assert.ok(await waitFor(() => site.connections === 0, 20_000), `${site.connections} connections left`);
    const after = site.fileChunks();
    assert.deepEqual({ slots: after.slots, bytes: after.bytes }, { slots: 0, bytes: 0 }, 'every slot given back');
    assert.ok(after.reserved > 0, 'the slabs are kept a while');
    assert.ok(await waitFor(() => site.fileChunks().reserved === 0, IDLE_MS + 2000), 'then dropped');
  } finally {
    for (const s of socks) s.destroy();
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
