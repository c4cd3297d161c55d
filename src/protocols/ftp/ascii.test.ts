import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Filter } from '../../ltn12/index.js';
import { fromNetAscii, toNetAscii } from './ascii.js';

function runSplit(make: () => Filter, input: Buffer, at: number[]): Buffer {
  const f = make();
  const out: Buffer[] = [];
  let prev = 0;
  for (const i of [...at, input.length]) {
    out.push(f(input.subarray(prev, i)));
    prev = i;
  }
  out.push(f(null));
  return Buffer.concat(out);
}

test('TYPE A line ends: CRLF → LF on the way in, any → CRLF on the way out, at every split', () => {
  const vectors: [string, string, string][] = [
    // wire, local (from wire), wire again (from local)
    ['a\r\nb\r\n', 'a\nb\n', 'a\r\nb\r\n'],
    ['lone\rcr\r\n', 'lone\rcr\n', 'lone\r\ncr\r\n'],
    ['end\r', 'end\r', 'end\r\n'],
    ['\r\n\r\n', '\n\n', '\r\n\r\n'],
    ['', '', ''],
  ];
  for (const [wire, local, back] of vectors) {
    const w = Buffer.from(wire);
    for (let i = 0; i <= w.length; i++) {
      for (let j = i; j <= w.length; j++) {
        assert.equal(runSplit(fromNetAscii, w, [i, j]).toString(), local, `${JSON.stringify(wire)} split ${i},${j}`);
      }
    }
    const l = Buffer.from(local);
    for (let i = 0; i <= l.length; i++) assert.equal(runSplit(toNetAscii, l, [i]).toString(), back, `${JSON.stringify(local)} split ${i}`);
  }
});
