/**
 * mime.parseMessage on hostile and malformed input: the vectors of
 * testkit/corpus/mime-message.json (limits → LimitError with its `what`, strict mode →
 * ProtocolError/DecodeError, lenient mode → the parts it could read and the
 * defects it reported), each fed in chunks of 1, 3 and 64 KiB bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mime, ltn12 } from '../../src/index.js';
import { repoRoot } from '../../testkit/index.js';

interface Expect {
  error?: string;
  what?: string;
  parts?: number;
  defects?: Record<string, string[]>;
  leaf?: { path: string; content: string; text?: string | null };
  leaf2?: { path: string; content: string };
  preamble?: string;
  epilogue?: string;
}
interface Vector {
  name: string;
  raw: string;
  opts?: mime.ParseOptions;
  expect: Expect;
}

const { vectors } = JSON.parse(readFileSync(join(repoRoot(), 'testkit/corpus/mime-message.json'), 'utf8')) as { vectors: Vector[] };

function flatten(p: mime.MessagePart, out: Map<string, mime.MessagePart>): Map<string, mime.MessagePart> {
  out.set(p.path.join('.'), p);
  if (p.message) flatten(p.message, out);
  for (const c of p.parts ?? []) flatten(c, out);
  return out;
}

function checkLeaf(parts: Map<string, mime.MessagePart>, leaf: { path: string; content: string; text?: string | null }, label: string) {
  const p = parts.get(leaf.path);
  assert.ok(p, `${label}: no part at ${leaf.path}`);
  assert.equal((p.content ?? Buffer.alloc(0)).toString('latin1'), leaf.content, `${label}: content of ${leaf.path}`);
  if (leaf.text !== undefined) assert.equal(p.text ?? null, leaf.text, `${label}: text of ${leaf.path}`);
}

for (const v of vectors) {
  test(`parseMessage: ${v.name}`, async () => {
    for (const chunk of [1, 3, 65536]) {
      const label = `${v.name} (chunks of ${chunk})`;
      const run = mime.parseMessage(ltn12.source.string(Buffer.from(v.raw, 'latin1'), chunk), v.opts);
      const e = v.expect;
      if (e.error) {
        await assert.rejects(run, (err: Error & { what?: string }) => {
          assert.equal(err.name, e.error, label);
          if (e.what) assert.equal(err.what, e.what, label);
          return true;
        });
        continue;
      }
      const msg = await run;
      const parts = flatten(msg, new Map());
      assert.equal(parts.size, e.parts, `${label}: part count`);
      for (const [path, p] of parts) assert.deepEqual(p.defects, e.defects?.[path] ?? [], `${label}: defects of ${path || 'the message'}`);
      if (e.leaf) checkLeaf(parts, e.leaf, label);
      if (e.leaf2) checkLeaf(parts, e.leaf2, label);
      if (e.preamble !== undefined) assert.equal(msg.preamble?.toString('latin1'), e.preamble, label);
      if (e.epilogue !== undefined) assert.equal(msg.epilogue?.toString('latin1'), e.epilogue, label);
    }
  });
}
