import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetError, TimeoutError, ClosedError, LimitError, ReplyError, ProtocolError, toNetError, AbortError } from './errors.js';

test('error classes carry code, name and partial', () => {
  const t = new TimeoutError('timeout', Buffer.from('ab'));
  assert.ok(t instanceof NetError);
  assert.equal(t.code, 'timeout');
  assert.equal(t.name, 'TimeoutError');
  assert.deepEqual(t.partial, Buffer.from('ab'));
  assert.equal(new ClosedError().code, 'closed');
  assert.equal(new LimitError('line', 10).code, 'too large');
  const r = new ReplyError(550, '550 no such file');
  assert.equal(r.replyCode, 550);
  assert.equal(r.code, 'reply');
  assert.equal(new ProtocolError('bad', 'xx').line, 'xx');
});

test('toNetError() maps system codes and keeps the cause', () => {
  const vectors: [string, string][] = [
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['ENOTFOUND', 'host not found'],
    ['EADDRINUSE', 'address in use'],
    ['EPIPE', 'closed'],
    ['EWHATEVER', 'io'],
  ];
  for (const [sys, code] of vectors) {
    const original = Object.assign(new Error(`boom ${sys}`), { code: sys });
    const e = toNetError(original);
    assert.equal(e.code, code, sys);
    assert.equal(e.cause, original);
  }
  const abort = toNetError(Object.assign(new Error('x'), { name: 'AbortError' }));
  assert.ok(abort instanceof AbortError);
  const same = new ClosedError();
  assert.equal(toNetError(same), same);
});
