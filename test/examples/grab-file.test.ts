import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../testkit/index.js';

test('examples/grab-file downloads into a file, byte-identical', { timeout: 30000 }, async () => {
  const data = randomBytes(5 * 1024 * 1024 + 17);
  const server = http.createServer((req, res) => {
    if (req.url === '/data.bin') res.writeHead(200, { 'Content-Length': String(data.length) }).end(data);
    else res.writeHead(404).end('missing');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'nk-grab-'));
  try {
    const run = (url: string, file: string) =>
      promisify(execFile)(process.execPath, [join(repoRoot(), 'dist/examples/grab-file.js'), url, file], { encoding: 'utf8', timeout: 20000 });
    const out = join(dir, 'copy.bin');
    const r = await run(`${base}/data.bin`, out);
    assert.equal(r.stdout, `HTTP/1.1 200 OK: ${data.length} bytes saved to ${out}\n`);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.equal(sha(readFileSync(out)), sha(data));
    await assert.rejects(run(`${base}/nothing`, join(dir, 'x')), (e: { code?: number; stdout?: string }) => e.code === 1 && /404/.test(e.stdout ?? ''));
  } finally {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
