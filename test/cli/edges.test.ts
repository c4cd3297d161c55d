import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { mailbox } from '../../src/servers/index.js';
import { runCli } from '../../testkit/index.js';
import { noTerminal, onTerminal, withPipes, type Running } from './terminal.js';

/** The exit code, or a failure when the command is still running after `ms`. */
async function exitWithin(run: Running, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${ms} ms: ${run.output()}`)), ms)));
  try {
    return await Promise.race([run.exit, late]);
  } finally {
    clearTimeout(timer);
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
  }
}

const listen = async (server: net.Server | http.Server, host = '127.0.0.1') => {
  await new Promise<void>((r) => server.listen(0, host, r));
  return (server.address() as net.AddressInfo).port;
};

test('mail read of a message that does not exist prints the error and exits 1 at once (no wait for the server to drop)', { timeout: 60_000 }, async () => {
  const box = await mailbox({ host: '127.0.0.1', smtpPort: 0, pop3Port: 0, store: 'memory', users: { alice: 'secret' } });
  try {
    const common = ['--server', `127.0.0.1:${box.pop3.port}`, '--user', 'alice', '--tls', 'none', '--allow-plain-auth'];
    for (const args of [
      ['mail', 'read', '99', ...common],
      ['mail', 'list', ...common.slice(0, -1)],
    ]) {
      const run = withPipes(args, { NETKIT_POP3_PASSWORD: 'secret' });
      run.child.stdin.end();
      assert.equal(await exitWithin(run, 10_000), 1, args.join(' '));
      assert.equal(run.stderr().split('\n').length, 2, `one line: ${run.stderr()}`);
    }
  } finally {
    await box.close();
  }
});

test('connect ends at once, non-zero, when the peer resets or --timeout fires, though stdin stays open', { timeout: 60_000 }, async () => {
  const reset = net.createServer((s) => setTimeout(() => s.resetAndDestroy(), 200));
  const held: net.Socket[] = [];
  const silent = net.createServer((s) => void held.push(s));
  const resetPort = await listen(reset);
  const silentPort = await listen(silent);
  try {
    const r1 = withPipes(['connect', '127.0.0.1', String(resetPort)]);
    assert.equal(await exitWithin(r1, 10_000), 1);
    assert.match(r1.stderr(), /^netkit connect: 127\.0\.0\.1:\d+ reset the connection\n$/);
    const r2 = withPipes(['connect', '127.0.0.1', String(silentPort), '--timeout', '300']);
    assert.equal(await exitWithin(r2, 10_000), 1);
    assert.match(r2.stderr(), /^netkit connect: nothing from 127\.0\.0\.1:\d+ for 300 ms \(--timeout\)\n$/);
  } finally {
    reset.close();
    for (const s of held) s.destroy();
    silent.close();
  }
});

test("get -d @FILE sends the file's bytes as they are; a URL without a scheme is http; [::1] URLs work", { timeout: 60_000 }, async () => {
  const bodies: Buffer[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      bodies.push(Buffer.concat(parts));
      res.end(`got ${Buffer.concat(parts).length} bytes\n`);
    });
  };
  const server = http.createServer(handler);
  const server6 = http.createServer(handler);
  const port = await listen(server);
  const port6 = await listen(server6, '::1');
  const dir = mkdtempSync(join(tmpdir(), 'nk-edge-'));
  try {
    const data = randomBytes(1000);
    writeFileSync(join(dir, 'blob'), data);
    const r = await runCli(['get', `http://127.0.0.1:${port}/up`, '-d', `@${join(dir, 'blob')}`]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'got 1000 bytes\n');
    assert.ok(bodies.at(-1)!.equals(data), 'the bytes arrive unchanged');
    const bare = await runCli(['get', `127.0.0.1:${port}/x`]);
    assert.equal(bare.code, 0, bare.err);
    assert.equal(bare.out, 'got 0 bytes\n');
    const six = await runCli(['get', `http://[::1]:${port6}/six`]);
    assert.equal(six.code, 0, six.err);
    assert.equal(six.out, 'got 0 bytes\n');
  } finally {
    server.close();
    server6.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mail send --server accepts [::1]:PORT and a bare ::1; without --subject there is no Subject header', { timeout: 60_000 }, async () => {
  const seen: string[] = [];
  const data: string[] = [];
  const server = new SMTPServer({
    disableReverseLookup: true,
    logger: false,
    authOptional: true,
    onData(stream, session, done) {
      let text = '';
      stream.on('data', (d: Buffer) => (text += d));
      stream.on('end', () => (seen.push(session.remoteAddress), data.push(text), done()));
    },
  });
  await new Promise<void>((r) => server.listen(0, '::1', r));
  const port = (server.server.address() as net.AddressInfo).port;
  try {
    const args = ['mail', 'send', '--tls', 'none', '--from', 'a@x.test', '--to', 'b@x.test'];
    const bracketed = await runCli([...args, '--server', `[::1]:${port}`], {}, 'hi\n');
    assert.equal(bracketed.code, 0, bracketed.err);
    const bare = await runCli([...args, '--server', '::1'], { NETKIT_SMTP_PORT: String(port) }, 'hi\n');
    assert.equal(bare.code, 0, bare.err);
    assert.deepEqual(seen, ['::1', '::1']);
    assert.doesNotMatch(data[0]!, /^Subject:/im, 'no empty Subject header');
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('inetd with a program that cannot run fails at start with a clear message', { timeout: 30_000 }, async () => {
  const missing = await runCli(['inetd', '--port', '0', '--', '/nonexistent']);
  assert.equal(missing.code, 1);
  assert.equal(missing.err, 'netkit inetd: cannot run /nonexistent: no such program\n');
  const unknown = await runCli(['inetd', '--port', '0', '--', 'no-such-program-netkit']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /cannot run no-such-program-netkit: not found on PATH/);
});

test('binary output to a terminal is refused unless -o - asks for it', { skip: noTerminal, timeout: 60_000 }, async () => {
  const server = http.createServer((_req, res) => res.end(Buffer.from('ab\x00\x1b]0;title\x07cd')));
  const port = await listen(server);
  try {
    const refused = onTerminal(['get', `http://127.0.0.1:${port}/bin`]);
    assert.equal(await refused.exit, 1, refused.output());
    assert.match(refused.output(), /binary output can mess up your terminal.*-o -/);
    assert.ok(!refused.output().includes('\x00'), 'nothing of the body was printed');
    const forced = onTerminal(['get', `http://127.0.0.1:${port}/bin`, '-o', '-']);
    assert.equal(await forced.exit, 0, forced.output());
    assert.ok(forced.output().includes('ab\x00'));
  } finally {
    server.close();
  }
});
