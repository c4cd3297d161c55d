import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { send } from '../../src/protocols/smtp/index.js';
import { source } from '../../src/ltn12/index.js';
import { mailbox } from '../../src/servers/index.js';
import { escapeControls } from '../../src/cli/text.js';
import { runCli } from '../../testkit/index.js';

test('escapeControls: C0, DEL, C1 and bidi overrides shown; text, tabs and non-ASCII kept (a table)', () => {
  const vectors: [string, string, boolean?][] = [
    ['plain text', 'plain text'],
    ['Grüße, 日本語, emoji 🙂', 'Grüße, 日本語, emoji 🙂'],
    ['tab\tkept', 'tab\tkept'],
    ['\x1b]0;pwned\x07', '\\x1b]0;pwned\\x07'],
    ['\x1b[2J\x1b[H', '\\x1b[2J\\x1b[H'],
    ['nul\x00bell\x07bs\x08', 'nul\\x00bell\\x07bs\\x08'],
    ['cr\rlf\n', 'cr\\x0dlf\\x0a'],
    ['del\x7f', 'del\\x7f'],
    ['c1 csi\u009b2J', 'c1 csi\\x9b2J'],
    ['c1 osc\u009d0;t\u009c', 'c1 osc\\x9d0;t\\x9c'],
    ['nel\u0085', 'nel\\x85'],
    ['bidi\u202eevil\u2066', 'bidi\\u202eevil\\u2066'],
    ['a\r\nb\nc', 'a\r\nb\nc', true],
    ['a\rb', 'a\\x0db', true],
    ['x\x1b[31my\n', 'x\\x1b[31my\n', true],
  ];
  for (const [input, want, newlines] of vectors) assert.equal(escapeControls(input, { newlines }), want, JSON.stringify(input));
});

test('mail list shows control sequences in a decoded Subject and From escaped', { timeout: 30_000 }, async () => {
  const box = await mailbox({ host: '127.0.0.1', smtpPort: 0, pop3Port: 0, store: 'memory', users: { alice: 'secret' } });
  try {
    const evil = Buffer.from('hi\x1b]0;pwned\x07\x1b[2J\u009b31m').toString('base64');
    const raw = `From: =?utf-8?b?${Buffer.from('Eve\x1b[8m').toString('base64')}?= <eve@x.test>\r\nTo: alice@x.test\r\nSubject: =?utf-8?b?${evil}?=\r\n\r\nbody\r\n`;
    await send({ server: '127.0.0.1', port: box.smtp.port, tls: 'none', from: 'eve@x.test', rcpt: ['alice@x.test'], source: source.string(raw) });
    const r = await runCli(['mail', 'list', '--server', `127.0.0.1:${box.pop3.port}`, '--user', 'alice', '--tls', 'none', '--allow-plain-auth'], {
      NETKIT_POP3_PASSWORD: 'secret',
    });
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.out, /[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f]/, 'no control character reaches the terminal');
    assert.ok(r.out.includes('hi\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m'), r.out);
    assert.ok(r.out.includes('Eve\\x1b[8m'), r.out);
  } finally {
    await box.close();
  }
});

test('get -I shows C0/C1 bytes in response headers escaped', { timeout: 30_000 }, async () => {
  const server = net.createServer((s) => {
    s.once('data', () => s.end(Buffer.from('HTTP/1.1 200 OK\r\nX-Evil: a\x9b2Jb\x9d0;t\x9cc\r\nContent-Length: 0\r\n\r\n', 'latin1')));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const r = await runCli(['get', '-I', `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^X-Evil: a\\x9b2Jb\\x9d0;t\\x9cc$/m);
    assert.doesNotMatch(r.out, /[\u0080-\u009f\x1b]/);
  } finally {
    server.close();
  }
});
