/**
 * Round trip: every message `smtp.message` builds parses back to the same
 * tree with the same bytes (fast-check). Leaves are text (CRLF lines, any
 * Unicode), binary Buffers (any bytes) and streamed Sources; multiparts of
 * any subtype nest to depth 3 with preambles and epilogues; attachments
 * carry file names. Expected bytes: base64 bodies exactly; 7bit and
 * quoted-printable bodies as the builder sends them, i.e. with line breaks
 * normalised to CRLF (the builder's documented rule). Each message is parsed
 * in random chunkings. Lives in test/ because smtp sits above mime.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ltn12, mime, smtp } from '../../src/index.js';

type Model =
  | { kind: 'leaf'; data: Buffer; text: boolean; filename?: string; stream: boolean }
  | { kind: 'multi'; subtype: string; preamble?: string; epilogue?: string; parts: Model[] };

const line = fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ''));
const textBody = fc.array(line, { maxLength: 6 }).map((ls) => Buffer.from(ls.join('\r\n'), 'utf8'));
const binBody = fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a));
const filename = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}\.(txt|bin|png)$/);
const plain = fc.stringMatching(/^[A-Za-z0-9 .,]{0,30}$/);

const leaf: fc.Arbitrary<Model> = fc.oneof(
  fc.record({ kind: fc.constant('leaf' as const), data: textBody, text: fc.constant(true), stream: fc.constant(false) }),
  fc.record({
    kind: fc.constant('leaf' as const),
    data: binBody,
    text: fc.constant(false),
    filename: fc.option(filename, { nil: undefined }),
    stream: fc.boolean(),
  }),
);
const tree: fc.Arbitrary<Model> = fc.letrec<{ node: Model }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({
      kind: fc.constant('multi' as const),
      subtype: fc.constantFrom('mixed', 'alternative', 'related'),
      preamble: fc.option(plain, { nil: undefined }),
      epilogue: fc.option(plain, { nil: undefined }),
      parts: fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
    }),
  ),
})).node;

function build(m: Model): smtp.Part {
  if (m.kind === 'multi') {
    return { headers: { 'Content-Type': `multipart/${m.subtype}` }, body: { preamble: m.preamble, epilogue: m.epilogue, parts: m.parts.map(build) } };
  }
  if (m.text) return { body: m.data.toString('utf8') };
  const headers: [string, string][] = [['Content-Type', m.filename ? `application/octet-stream; name="${m.filename}"` : 'application/octet-stream']];
  if (m.filename) headers.push(['Content-Disposition', `attachment; filename="${m.filename}"`]);
  if (m.stream) headers.push(['Content-Transfer-Encoding', 'base64']);
  return { headers, body: m.stream ? ltn12.source.string(m.data, 13) : m.data };
}

const crlf = (b: Buffer) => Buffer.from(b.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n'), 'latin1');

function compare(m: Model, p: mime.MessagePart, where: string): void {
  if (m.kind === 'multi') {
    assert.equal(p.contentType, `multipart/${m.subtype}`, where);
    assert.equal(p.parts?.length, m.parts.length, `${where}: part count`);
    assert.deepEqual(p.defects, [], where);
    if (m.preamble) assert.equal(p.preamble?.toString(), `${m.preamble}\r\n`, `${where}: preamble`);
    if (m.epilogue) assert.equal(p.epilogue?.toString(), m.epilogue, `${where}: epilogue`);
    m.parts.forEach((c, i) => compare(c, p.parts![i]!, `${where}.${i}`));
    return;
  }
  const expected = p.transferEncoding === 'base64' ? m.data : crlf(m.data);
  assert.ok(p.content, `${where}: content`);
  assert.ok(p.content.equals(expected), `${where}: bytes (${p.transferEncoding})`);
  assert.equal(p.filename, m.filename, `${where}: filename`);
  if (m.text) assert.equal(p.text, expected.toString('utf8'), `${where}: text`);
}

async function collect(src: ltn12.Source): Promise<Buffer> {
  const [snk, chunks] = ltn12.sink.table();
  await ltn12.pump.all(src, snk);
  return Buffer.concat(chunks);
}

test('every message smtp.message builds parses back to the same parts, byte for byte', async () => {
  await fc.assert(
    fc.asyncProperty(tree, fc.integer({ min: 1, max: 200 }), async (model, chunk) => {
      const part = build(model);
      const own = Array.isArray(part.headers) ? (part.headers as [string, string][]) : Object.entries(part.headers ?? {});
      const raw = await collect(smtp.message({ headers: [['From', 'a@example.test'], ['Subject', 'round trip'], ...own], body: part.body }));
      const msg = await mime.parseMessage(ltn12.source.string(raw, chunk), { strict: true });
      compare(model, msg, 'message');
    }),
    { numRuns: 300 },
  );
});
