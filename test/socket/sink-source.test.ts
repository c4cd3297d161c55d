import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { bind, connect, sink, source } from '../../src/socket/index.js';
import { pump, sink as lsink, source as lsource } from '../../src/ltn12/index.js';

async function pair() {
  const server = await bind('127.0.0.1', 0);
  const client = await connect('127.0.0.1', server.getSockName().port);
  const peer = await server.accept();
  await server.close();
  return { client, peer };
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test("socket.sink('close-when-done') + source('until-closed') move 8 MiB byte-exact", { timeout: 30000 }, async () => {
  const { client, peer } = await pair();
  const data = randomBytes(8 * 1024 * 1024);
  const [collect, chunks] = lsink.table();
  const receiving = pump.all(source('until-closed', peer), collect);
  await pump.all(lsource.string(data, 65536), sink('close-when-done', client));
  await receiving;
  assert.equal(sha(Buffer.concat(chunks)), sha(data));
  assert.ok(client.closed && peer.closed);
});

test("source('by-length') stops at the length; a short stream is a ClosedError", { timeout: 30000 }, async () => {
  const { client, peer } = await pair();
  const out = sink('keep-open', client);
  await out(Buffer.from('0123456789tail'));
  await out(null);
  assert.equal(client.closed, false, 'keep-open leaves the socket open');
  const [collect, chunks] = lsink.table();
  await pump.all(source('by-length', peer, 10), collect);
  assert.equal(Buffer.concat(chunks).toString(), '0123456789');
  assert.deepEqual(await peer.receive(4), Buffer.from('tail'));
  await client.close();
  await assert.rejects(pump.all(source('by-length', peer, 5), lsink.null()), { code: 'closed' });
  assert.throws(() => source('by-length', peer), { code: 'invalid argument' });
  await peer.close();
});
