import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from '../src/protocols/http/index.js';
import { missingPeer } from '../testkit/peers.js';
import { runCli } from '../testkit/index.js';

const skip = missingPeer('/usr/bin/python3');

// Python's http.server speaks HTTP/1.0; /close-delimited answers without Content-Length, the body ends at the close.
const SERVER = `
import functools, http.server, sys
class H(http.server.SimpleHTTPRequestHandler):
    protocol_version = 'HTTP/1.0'
    def do_GET(self):
        if self.path == '/close-delimited':
            self.send_response(200)
            self.send_header('Content-Type', 'application/octet-stream')
            self.end_headers()
            with open(sys.argv[1] + '/blob.bin', 'rb') as f:
                self.wfile.write(f.read())
            return
        super().do_GET()
    def log_message(self, *args):
        pass
s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(H, directory=sys.argv[1]))
print(s.server_address[1], flush=True)
s.serve_forever()
`;

test('HTTP client and netkit get against Python http.server: HTTP/1.0, Content-Length and close-delimited bodies', { skip, timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-pyhttp-'));
  const blob = randomBytes((1 << 20) + 7);
  writeFileSync(join(dir, 'blob.bin'), blob);
  writeFileSync(join(dir, 'page.html'), '<p>hello from python</p>\n');
  const py = spawn('/usr/bin/python3', ['-c', SERVER, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      py.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      py.once('exit', (code) => reject(new Error(`python exited ${code}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const page = await request(`${base}/page.html`);
    assert.equal(page.code, 200);
    assert.equal(page.body.toString(), '<p>hello from python</p>\n');
    for (const path of ['/blob.bin', '/close-delimited']) {
      const out = join(dir, `got-${path.slice(1)}`);
      const r = await runCli(['get', `${base}${path}`, '-o', out]);
      assert.equal(r.code, 0, r.err);
      assert.ok(readFileSync(out).equals(blob), `${path} arrives byte-exact`);
    }
    const head = await runCli(['get', '-I', `${base}/blob.bin`]);
    assert.match(head.out, /^HTTP\/1\.0 200 OK$/m);
    assert.match(head.out, new RegExp(`^Content-Length: ${blob.length}$`, 'm'));
    const missing = await runCli(['get', `${base}/nope`]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /server answered HTTP\/1\.0 404/);
  } finally {
    py.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
