import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { commands } from '../../src/cli/commands.js';
import { explain } from '../../src/cli/errors.js';
import { NetError } from '../../src/core/errors.js';
import { bin } from './terminal.js';

const run = (...args: string[]) => spawnSync(process.execPath, [bin(), ...args], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH } });

/** The options each command must explain in its --help (the spec, kept by hand). */
const OPTIONS: Record<string, string[]> = {
  connect: ['--tls', '--ca', '--insecure', '--lines', '--timeout'],
  demo: ['--once'],
  dns: ['--timeout'],
  get: ['--output', '--head', '--header', '--data', '--request', '--proxy', '--active', '--tls', '--ca', '--insecure', '--timeout'],
  encode: [],
  decode: ['--strict'],
  inetd: ['--host', '--port', '--max', '--per-host', '--time-limit', '--stderr'],
  mailbox: ['--dir', '--memory', '--host', '--smtp-port', '--pop3-port', '--users', '--require-auth', '--tls', '--tls-cert', '--tls-key', '--plain-auth'],
  'mail list': ['--server', '--user', '--tls', '--ca', '--insecure', '--apop', '--allow-plain-auth', '--config'],
  'mail read': ['--server', '--user', '--tls', '--ca', '--insecure', '--apop', '--allow-plain-auth', '--config', '--delete'],
  'mail send': [
    '--from',
    '--to',
    '--cc',
    '--bcc',
    '--subject',
    '--attach',
    '--body-file',
    '--server',
    '--user',
    '--tls',
    '--ca',
    '--insecure',
    '--allow-plain-auth',
    '--config',
  ],
  put: ['--active', '--tls', '--ca', '--insecure', '--ascii', '--append', '--timeout'],
  serve: ['--port', '--host', '--index', '--no-index', '--dotfiles', '--quiet'],
  url: ['--json'],
};

test('every command and subcommand has a --help that explains each option, the exit codes and an example', () => {
  assert.deepEqual(Object.keys(OPTIONS).sort(), Object.keys(commands).sort(), 'the table covers every command');
  for (const [name, options] of Object.entries(OPTIONS)) {
    const r = run(...name.split(' '), '--help');
    assert.equal(r.status, 0, name);
    assert.ok(r.stdout.startsWith(`usage: netkit ${name}`), `${name}: ${r.stdout}`);
    assert.match(r.stdout, /^examples?:$/m, `${name} shows an example`);
    for (const option of options) assert.ok(r.stdout.includes(option), `${name} --help explains ${option}`);
    if (name !== 'url' && name !== 'demo') assert.match(r.stdout, /exit: 0 /, `${name} documents its exit codes`);
  }
  for (const name of ['mail send', 'mail list', 'mail read', 'put', 'get']) {
    assert.match(run(...name.split(' '), '--help').stdout, /^password: /m, `${name} says where the password comes from`);
  }
});

test('netkit mail --help lists the mail subcommands; netkit mail alone or with an unknown subcommand is bad usage', () => {
  const help = run('mail', '--help');
  assert.equal(help.status, 0);
  for (const sub of ['mail list', 'mail read', 'mail send']) assert.ok(help.stdout.includes(sub), sub);
  assert.equal(run('mail').status, 2);
  const unknown = run('mail', 'frobnicate');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command 'mail frobnicate'/);
  assert.match(run('--help').stdout, /exit codes: 0 ok, 1 failure, 2 bad usage, 130 interrupted/);
});

test("usage errors and failures are one line in the user's words", () => {
  const unknown = run('get', '--nope', 'http://127.0.0.1:1/');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /^netkit get: unknown option '--nope'\n/);
  assert.doesNotMatch(unknown.stderr, /positional argument|place it at the end/);
  const missing = run('get', 'http://127.0.0.1:1/', '-o');
  assert.match(missing.stderr, /^netkit get: --output needs a value\n/);
  const refused = run('get', 'http://127.0.0.1:1/');
  assert.equal(refused.status, 1);
  assert.equal(refused.stderr, 'netkit get: nothing listens on 127.0.0.1:1\n');
  const nofile = run('encode', 'base64', '/nonexistent/file');
  assert.equal(nofile.stderr, 'netkit encode: no such file: /nonexistent/file\n');
  const plain = run('mail', 'send', '--server', '127.0.0.1:1', '--from', 'a@x.test', '--to', 'b@x.test', '--body-file', '/nonexistent/body');
  assert.equal(plain.stderr, 'netkit mail send: no such file: /nonexistent/body\n');
});

test('explain: Node system errors become words (a table)', () => {
  const sys = (code: string, extra: object) => Object.assign(new Error(`${code} raw node text`), { code, ...extra });
  const vectors: [unknown, string][] = [
    [sys('ENOTFOUND', { hostname: 'nosuch.invalid', syscall: 'getaddrinfo' }), 'cannot resolve nosuch.invalid'],
    [sys('EAI_AGAIN', { hostname: 'slow.test' }), 'cannot resolve slow.test'],
    [
      new NetError('refused', 'connect to 127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1', { cause: sys('ECONNREFUSED', { address: '127.0.0.1', port: 1 }) }),
      'nothing listens on 127.0.0.1:1',
    ],
    [sys('ECONNREFUSED', { address: '::1', port: 25 }), 'nothing listens on [::1]:25'],
    [sys('ECONNRESET', {}), 'the peer reset the connection'],
    [sys('EADDRINUSE', { address: '127.0.0.1', port: 8080 }), '127.0.0.1:8080 is already in use'],
    [sys('ENOENT', { path: 'notes.txt' }), 'no such file: notes.txt'],
    [sys('EACCES', { path: '/root/x' }), 'permission denied: /root/x'],
    [
      sys('DEPTH_ZERO_SELF_SIGNED_CERT', { message: 'self-signed certificate' }),
      "the server's certificate is not trusted (self-signed certificate): trust its CA with --ca FILE, or skip the check with --insecure (-k)",
    ],
    [
      new NetError('tls', 'refusing to send a password over an unencrypted connection (allowPlainAuth to override)'),
      'refusing to send a password over an unencrypted connection (--allow-plain-auth to allow it)',
    ],
    [new NetError('timeout', 'source failed: timeout'), 'timeout'],
    [new Error('first line\nsecond line'), 'first line'],
    [new Error('peer says \x1b]0;title\x07'), 'peer says \\x1b]0;title\\x07'],
  ];
  for (const [err, want] of vectors) assert.equal(explain(err), want);
});
