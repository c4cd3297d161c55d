import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../testkit/index.js';
import { selfSigned } from '../../testkit/tls.js';

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

test('netkit connect pipes stdin to the peer, half-closes at EOF and prints until the peer closes', { timeout: 30000 }, async () => {
  // The peer answers only after it sees our end of input: the half-close must reach it.
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('end', () => s.end(`you sent ${got.length} bytes: ${got.toUpperCase()}`));
  });
  const port = await listen(server);
  try {
    const r = await runCli(['connect', '127.0.0.1', String(port)], {}, 'hello\nworld\n');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'you sent 12 bytes: HELLO\nWORLD\n');
  } finally {
    server.close();
  }
});

test('netkit connect --lines sends a file line by line and prints each reply; --tls verifies', { timeout: 30000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-connect-'));
  const server = net.createServer((s) => {
    let buf = '';
    s.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        s.write(`> ${buf.slice(0, i)}\r\n`);
        buf = buf.slice(i + 2);
      }
    });
  });
  const port = await listen(server);
  const { key, cert } = selfSigned();
  const secure = tls.createServer({ key, cert }, (s) => s.end('over tls\n'));
  const tlsPort = await listen(secure);
  try {
    writeFileSync(join(dir, 'lines.txt'), 'one\ntwo\n');
    const r = await runCli(['connect', '127.0.0.1', String(port), '--lines', join(dir, 'lines.txt')]);
    assert.equal(r.out, '> one\n> two\n');
    const refused = await runCli(['connect', 'localhost', String(tlsPort), '--tls']);
    assert.equal(refused.code, 1, 'a self-signed certificate is refused');
    const insecure = await runCli(['connect', 'localhost', String(tlsPort), '--tls', '--insecure']);
    assert.equal(insecure.out, 'over tls\n');
    assert.equal((await runCli(['connect', 'onlyhost'])).code, 2);
  } finally {
    server.close();
    secure.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
