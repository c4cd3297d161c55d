import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { delay, waitFor } from '../../testkit/index.js';
import { noTerminal, onTerminal, screenLines, withPipes } from './terminal.js';

/** An SMTP server (npm smtp-server) that records every message it accepts and every DATA it sees start. */
async function smtp() {
  const messages: string[] = [];
  const server = new SMTPServer({
    disableReverseLookup: true,
    logger: false,
    authOptional: true,
    onData(stream, _s, done) {
      let data = '';
      stream.on('data', (d: Buffer) => (data += d));
      stream.on('end', () => {
        messages.push(data);
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as net.AddressInfo).port;
  return { messages, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const sendArgs = (port: number) => [
  'mail',
  'send',
  '--server',
  `127.0.0.1:${port}`,
  '--tls',
  'none',
  '--from',
  'me@x.test',
  '--to',
  'you@x.test',
  '--subject',
  'half',
];

test('Ctrl-C in mail send with piped input (kill -INT) sends nothing and exits 130', { timeout: 30_000 }, async () => {
  const box = await smtp();
  try {
    const run = withPipes(sendArgs(box.port));
    run.type('first line of a message\n');
    await delay(2000); // the command is reading stdin
    run.child.kill('SIGINT');
    await delay(300);
    run.child.stdin.end('the rest, typed after Ctrl-C\n');
    assert.equal(await run.exit, 130, run.output());
    assert.match(run.stderr(), /^netkit mail send: interrupted$/m);
    await delay(500);
    assert.deepEqual(box.messages, [], 'no message arrived');
  } finally {
    await box.close();
  }
});

test('Ctrl-C on a terminal while the body is typed sends nothing and exits 130', { skip: noTerminal, timeout: 30_000 }, async () => {
  const box = await smtp();
  try {
    const run = onTerminal(sendArgs(box.port));
    run.type('first line\r');
    await run.until(/first line/); // echoed by the terminal
    await delay(1500);
    run.type('\x03');
    assert.equal(await run.exit, 130, run.output());
    assert.match(run.output(), /netkit mail send: interrupted/);
    await delay(500);
    assert.deepEqual(box.messages, [], 'no message arrived');
  } finally {
    await box.close();
  }
});

test('Ctrl-C during get on a terminal: exits 130, says it left a partial file, on its own line after the progress bar', {
  skip: noTerminal,
  timeout: 30_000,
}, async () => {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(10 << 20) });
    res.write(Buffer.alloc(256 * 1024, 7)); // then nothing more: the download stalls
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'nk-int-'));
  const out = join(dir, 'big.bin');
  try {
    const run = onTerminal(['get', `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/big`, '-o', out]);
    await run.until(/ \/ 10\.0 MiB/); // the progress line is drawn
    assert.ok(await waitFor(() => existsSync(out) && statSync(out).size === 256 * 1024, 20_000), 'the first 256 KiB arrived');
    run.type('\x03');
    assert.equal(await run.exit, 130, run.output());
    const lines = screenLines(run.output());
    const partial = lines.find((l) => l.includes('partial file'));
    assert.equal(partial, `netkit get: left a partial file ${out} (262144 bytes)`, JSON.stringify(run.output()));
    assert.ok(lines.includes('netkit get: interrupted'), JSON.stringify(run.output()));
    assert.ok(existsSync(out) && statSync(out).size === 256 * 1024);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Ctrl-C during put (kill -INT) exits 130 and says the remote file may be partial', { timeout: 30_000 }, async () => {
  const { startFtpSrv } = await import('../../testkit/ftp-srv.js');
  const srv = await startFtpSrv();
  try {
    const run = withPipes(['put', '-', `ftp://user@127.0.0.1:${srv.port}/partial.bin`], { NETKIT_FTP_PASSWORD: 'pass' });
    run.type('x'.repeat(100_000)); // stdin stays open: the upload waits for more
    assert.ok(await waitFor(() => existsSync(join(srv.root, 'partial.bin')), 20_000), 'the upload started');
    run.child.kill('SIGINT');
    assert.equal(await run.exit, 130, run.output());
    assert.match(run.stderr(), /^netkit put: the remote file partial\.bin may be partial \(\d+ bytes sent\)$/m);
    assert.match(run.stderr(), /^netkit put: interrupted$/m);
  } finally {
    await srv.close();
  }
});
