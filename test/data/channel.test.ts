import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bind, connect } from '../../src/socket/index.js';
import { receiveValue, sendValue } from '../../src/data/index.js';
import { LimitError } from '../../src/core/index.js';

test('sendValue/receiveValue exchange rich values both ways; an oversized frame is refused before it is read', { timeout: 20000 }, async () => {
  const server = await bind('127.0.0.1', 0);
  const client = await connect('127.0.0.1', server.getSockName().port);
  const peer = await server.accept();
  try {
    const value: Record<string, unknown> = { n: 2n ** 70n, when: new Date(5), tags: new Set(['a']), bytes: Buffer.from('hi') };
    value.self = value;
    await sendValue(client, value);
    const got = (await receiveValue(peer)) as Record<string, unknown>;
    assert.equal(got.self, got);
    assert.equal(got.n, 2n ** 70n);
    await sendValue(peer, [got.tags, got.when]);
    const back = (await receiveValue(client)) as [Set<string>, Date];
    assert.ok(back[0].has('a') && back[1].getTime() === 5);
    await sendValue(client, 'x'.repeat(5000));
    await assert.rejects(receiveValue(peer, { maxBytes: 1000 }), LimitError);
    assert.ok(peer.peek().length <= 5002, 'the payload was not consumed into memory beyond what arrived');
  } finally {
    await Promise.all([client.close(), peer.close(), server.close()]);
  }
});
