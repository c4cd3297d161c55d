/**
 * Where parseMessage puts bodies: the caller's sink per part (decoded bytes,
 * then null; nothing collected), `null` to skip, `textOnly`; and a large
 * attachment streamed from a generated Source through a counting sink with
 * memory bounded by the chunk size, not the attachment size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ltn12, mime } from '../../src/index.js';

const crlf = (s: string) => Buffer.from(s.replace(/\n/g, '\r\n'), 'latin1');
const raw = crlf(
  'Content-Type: multipart/mixed; boundary="s"\n\n--s\nContent-Type: text/plain; charset=utf-8\n\nhello\n--s\nContent-Type: image/png\nContent-Disposition: attachment; filename="a.png"\nContent-Transfer-Encoding: base64\n\nAAECAwQF\n--s--\n',
);

test('parseMessage: the sink factory receives each leaf it asks for, decoded, then null', async () => {
  const got = new Map<string, (Buffer | null)[]>();
  const heads: string[] = [];
  const msg = await mime.parseMessage(ltn12.source.string(raw, 5), {
    body: (head) => {
      heads.push(`${head.contentType} ${head.filename ?? ''}`.trim());
      if (head.contentType === 'text/plain') return undefined;
      const list: (Buffer | null)[] = [];
      got.set(head.path.join('.'), list);
      return async (chunk) => void list.push(chunk);
    },
  });
  assert.deepEqual(heads, ['text/plain', 'image/png a.png']);
  assert.equal(msg.parts![0]!.text, 'hello');
  const chunks = got.get('1')!;
  assert.equal(chunks.at(-1), null);
  assert.deepEqual(Buffer.concat(chunks.slice(0, -1) as Buffer[]), Buffer.from([0, 1, 2, 3, 4, 5]));
  assert.equal(msg.parts![1]!.content, undefined);
  assert.equal(msg.parts![1]!.size, 6);
});

test('parseMessage: null skips a part, textOnly collects text parts only', async () => {
  const skipped = await mime.parseMessage(ltn12.source.string(raw), { body: () => null });
  assert.equal(skipped.parts![0]!.content, undefined);
  assert.equal(skipped.parts![0]!.size, 5);
  const text = await mime.parseMessage(ltn12.source.string(raw), { textOnly: true });
  assert.equal(text.parts![0]!.text, 'hello');
  assert.equal(text.parts![1]!.content, undefined);
  assert.equal(text.parts![1]!.size, 6);
});

test('parseMessage: a 96 MiB attachment streams through with bounded memory', async () => {
  const size = 96 * 1024 * 1024;
  const block = Buffer.alloc(57 * 1024, 0xa5);
  for (let i = 0; i < block.length; i++) block[i] = (i * 31) & 0xff;
  const line = block.toString('base64').replace(/.{76}/g, '$&\r\n');
  const blocks = size / block.length;
  let sent = 0;
  const head = crlf('Content-Type: multipart/mixed; boundary="big"\n\n--big\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n');
  const tail = crlf('\n--big--\n');
  const src: ltn12.Source = async () => {
    if (sent === 0) return (sent++, head);
    if (sent <= Math.floor(blocks)) return (sent++, Buffer.from(line, 'latin1'));
    if (sent === Math.floor(blocks) + 1) return (sent++, tail);
    return null;
  };
  const expect = createHash('sha256');
  for (let i = 0; i < Math.floor(blocks); i++) expect.update(block);
  const hash = createHash('sha256');
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const msg = await mime.parseMessage(src, {
    body: () => async (chunk) => {
      if (chunk) hash.update(chunk);
      peak = Math.max(peak, process.memoryUsage().rss);
    },
  });
  assert.equal(msg.parts![0]!.size, Math.floor(blocks) * block.length);
  assert.equal(hash.digest('hex'), expect.digest('hex'));
  assert.ok(peak - before < 40 * 1024 * 1024, `RSS grew by ${((peak - before) / 1048576).toFixed(1)} MiB`);
});
