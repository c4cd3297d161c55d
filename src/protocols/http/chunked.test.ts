import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkedDecoder } from './chunked.js';
import { LimitError, ProtocolError } from '../../core/errors.js';

function decode(wire: string, split: number[] = []): { body: string; trailers: [string, string][]; rest: string; done: boolean } {
  const d = new ChunkedDecoder();
  const bytes = Buffer.from(wire, 'latin1');
  const out: Buffer[] = [];
  let pos = 0;
  for (let k = 0; pos < bytes.length; k++) {
    const n = split.length ? split[k % split.length]! : bytes.length;
    out.push(...d.push(bytes.subarray(pos, pos + n)));
    pos += n;
  }
  return { body: Buffer.concat(out).toString('latin1'), trailers: d.trailers, rest: d.rest.toString('latin1'), done: d.done };
}

const good = '5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Sum: 1\r\nContent-Length: 99\r\n\r\nHTTP/1.1';

test('ChunkedDecoder decodes data, trailers and the rest identically at every split', () => {
  const whole = decode(good);
  assert.deepEqual(whole, { body: 'hello0123456789', trailers: [['X-Sum', '1']], rest: 'HTTP/1.1', done: true });
  for (const split of [[1], [2], [3], [7], [1, 5, 2]]) assert.deepEqual(decode(good, split), whole, String(split));
  for (let cut = 1; cut < good.length; cut++) assert.deepEqual(decode(good, [cut, good.length]), whole, `cut at ${cut}`);
  assert.equal(decode('0\r\n\r\n').done, true);
  assert.equal(decode('5\r\nhel').done, false, 'a body cut short is never done');
});

test('hostile chunked bodies (HC-04…HC-07) are typed errors', () => {
  const protocol = [
    '-5\r\nhello\r\n0\r\n\r\n',
    '0x5\r\nhello\r\n0\r\n\r\n',
    '\r\nhello\r\n',
    '12345678901234567\r\n',
    '5 x\r\nhello\r\n',
    '5\r\nhelloXX0\r\n\r\n',
    '5\nhello\r\n',
    '0\r\n\rX',
    '0\r\nA: b\n\r\n',
    '0\r\nbad trailer\r\n\r\n',
  ];
  for (const wire of protocol) {
    assert.throws(() => decode(wire), ProtocolError, JSON.stringify(wire));
    assert.throws(() => decode(wire, [1]), ProtocolError, `${JSON.stringify(wire)} 1-byte`);
  }
  assert.throws(() => decode(`5;${'e'.repeat(20_000)}\r\nhello\r\n`), LimitError);
  assert.throws(() => decode(`0\r\n${'X-A: b\r\n'.repeat(3000)}\r\n`), LimitError);
});
