import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dns, getTime, sleep } from '../../src/socket/index.js';
import { AbortError } from '../../src/core/index.js';

// Only localhost and literal addresses: a real DNS query would leave the machine.

test('dns.toIp(localhost) gives a loopback address and the name', { timeout: 20000 }, async () => {
  const info = await dns.toIp('localhost');
  assert.ok(['127.0.0.1', '::1'].includes(info.address), info.address);
  assert.equal(info.name, 'localhost');
  assert.ok(info.addresses.includes(info.address));
});

test('dns.getAddrInfo and getNameInfo on literals and localhost', { timeout: 20000 }, async () => {
  assert.deepEqual(await dns.getAddrInfo('127.0.0.1'), [{ family: 'inet', addr: '127.0.0.1' }]);
  assert.deepEqual(await dns.getAddrInfo('::1'), [{ family: 'inet6', addr: '::1' }]);
  const all = await dns.getAddrInfo('localhost');
  assert.ok(all.some((a) => a.addr === '127.0.0.1' || a.addr === '::1'));
  const ni = await dns.getNameInfo('127.0.0.1', 80);
  assert.equal(typeof ni.hostname, 'string');
  assert.equal(ni.service, 'http');
  const back = await dns.toHostname('127.0.0.1');
  assert.equal(back.address, '127.0.0.1');
  assert.ok(back.name.length > 0);
});

test('invalid names fail with host not found without asking a resolver', async () => {
  for (const bad of ['', 'has space', `${'a'.repeat(64)}.x`, 'x'.repeat(254), 'bad\r\nname', 'a..b']) {
    await assert.rejects(dns.toIp(bad), { code: 'host not found' }, JSON.stringify(bad));
  }
  await assert.rejects(dns.getNameInfo('not-an-ip'), { code: 'host not found' });
});

test('dns.getHostname, getTime and sleep', async () => {
  assert.ok(dns.getHostname().length > 0);
  const t0 = getTime();
  assert.ok(Math.abs(t0 - Date.now()) < 1000);
  await sleep(100);
  const took = getTime() - t0;
  assert.ok(took >= 95 && took < 400, `${took}`);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 20);
  await assert.rejects(sleep(10_000, { signal: ac.signal }), AbortError);
});
