import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { repoRoot } from '../../testkit/index.js';

test('examples/send-mail: To and Cc in the headers, Bcc only in the envelope', { timeout: 30000 }, async () => {
  const got: { rcpt: string[]; data: string }[] = [];
  const server = new SMTPServer({
    disableReverseLookup: true,
    authOptional: true,
    logger: false,
    onData(stream, session, done) {
      const parts: Buffer[] = [];
      stream.on('data', (d: Buffer) => parts.push(d));
      stream.on('end', () => {
        got.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(parts).toString() });
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  try {
    const child = spawn(process.execPath, [join(repoRoot(), 'dist/examples/send-mail.js'), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 0);
    assert.match(out, /accepted: <beltrano@example.test> <sicrano@example.test> <zezinho@example.test> <luizinho@example.test>/);
    assert.equal(got.length, 1);
    assert.deepEqual(got[0]!.rcpt, ['beltrano@example.test', 'sicrano@example.test', 'zezinho@example.test', 'luizinho@example.test']);
    assert.match(got[0]!.data, /^Cc: /m);
    assert.ok(!got[0]!.data.includes('luizinho'), 'the blind copy is not in the message');
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
