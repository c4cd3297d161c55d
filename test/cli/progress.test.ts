import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatDuration, progress, progressLine } from '../../src/cli/progress.js';

const terminal = () => {
  const out: string[] = [];
  const stream = { isTTY: true, write: (s: string) => (out.push(s), true) } as unknown as NodeJS.WritableStream & { isTTY: boolean };
  return { out, stream };
};

test('progress lines: bytes, percentage, bar, rate and ETA', () => {
  const vectors: [string, string][] = [
    [formatBytes(512), '512 B'],
    [formatBytes(1536), '1.5 KiB'],
    [formatBytes(3 * 1048576), '3.0 MiB'],
    [formatDuration(59), '0:59'],
    [formatDuration(3725), '1:02:05'],
    [progressLine(50 * 1048576, 5000, 100 * 1048576, 10), '50.0 MiB / 100.0 MiB  50% [====>     ] 10.0 MiB/s  ETA 0:05'],
    [progressLine(2048, 1000), '2.0 KiB  2.0 KiB/s'],
    [progressLine(0, 0, 10, 4), '0 B / 10 B   0% [    ] 0 B/s  ETA --:--'],
  ];
  for (const [got, want] of vectors) assert.equal(got, want);
});

test('the display counts through a sink that passes chunks on, and ends its line at the end of data', async () => {
  const { out, stream } = terminal();
  const bar = progress(stream, { total: 4, everyMs: 0 });
  const got: Buffer[] = [];
  const sink = bar.sink(async (c) => void (c && got.push(c)));
  await sink(Buffer.from('ab'));
  await sink(Buffer.from('cd'));
  await sink(null);
  assert.equal(Buffer.concat(got).toString(), 'abcd');
  assert.equal(bar.bytes, 4);
  assert.match(out.join(''), /\r4 B \/ 4 B 100% \[=+\] .*\x1b\[K\n$/);
  bar.update(10);
  assert.ok(out.join('').endsWith('\n'), 'nothing is drawn after the line ended');
});

test('an abort (Ctrl-C) ends an open line at once, so what follows starts on its own line', () => {
  const { out, stream } = terminal();
  const controller = new AbortController();
  const bar = progress(stream, { total: 100, signal: controller.signal, everyMs: 0 });
  bar.update(40);
  assert.ok(!out.join('').endsWith('\n'));
  controller.abort();
  assert.ok(out.join('').endsWith('\n'));
  const before = out.length;
  bar.update(50);
  bar.end();
  assert.equal(out.length, before, 'ended once, nothing drawn after');
});

test('end() writes nothing when no line was drawn; a pipe never gets a line', () => {
  const { out, stream } = terminal();
  progress(stream).end();
  assert.deepEqual(out, []);
  const pipe = { isTTY: false, write: () => assert.fail('drew on a pipe') } as unknown as NodeJS.WritableStream;
  const silent = progress(pipe, { total: 10, everyMs: 0 });
  silent.update(5);
  silent.done();
  assert.equal(silent.bytes, 5);
});
