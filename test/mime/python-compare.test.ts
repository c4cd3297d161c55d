/**
 * mime.parseMessage against a second implementation: every message of
 * test/mime/corpus (Outlook-, Thunderbird-, Gmail-, Apple Mail-shaped,
 * a forward, a digest, a truncated one) is parsed by netkit and by Python's
 * `email` package (BytesParser, policy.default), and the two part lists are
 * compared node by node: type, file name, charset, decoded body, preamble,
 * epilogue, and the message's subject and From/To/Cc addresses. The corpus
 * files are stored with LF and given to both parsers with CRLF.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mime, ltn12 } from '../../src/index.js';
import { repoRoot } from '../../testkit/index.js';

const dir = join(repoRoot(), 'test/mime/corpus');
const names = readdirSync(dir)
  .filter((n) => n.endsWith('.eml'))
  .sort();
export const corpus = (): [string, Buffer][] => names.map((n) => [n, Buffer.from(readFileSync(join(dir, n), 'latin1').replace(/\r?\n/g, '\r\n'), 'latin1')]);

type Node = Record<string, unknown>;
const text = (b: Buffer | undefined) => (b && b.length > 0 ? b.toString('latin1') : null);

function walk(p: mime.MessagePart, out: Node[]): void {
  const node: Node = { type: p.contentType };
  if (p.filename !== undefined) node.filename = p.filename;
  out.push(node);
  if (p.message) walk(p.message, out);
  else if (p.parts) {
    node.preamble = text(p.preamble);
    node.epilogue = text(p.epilogue);
    for (const c of p.parts) walk(c, out);
  } else {
    if (p.charset !== undefined) node.charset = p.charset;
    node.body = (p.content ?? Buffer.alloc(0)).toString('base64');
  }
}

function ours(msg: mime.ParsedMessage): Node[] {
  const out: Node[] = [];
  walk(msg, out);
  out[0]!.subject = msg.subject ?? null;
  for (const k of ['from', 'to', 'cc'] as const) out[0]![k] = mime.mailboxes(msg[k]).map((a) => [a.name, a.address]);
  return out;
}

test('parseMessage agrees with Python email part by part on the real-world-shaped corpus', async (t) => {
  const messages = corpus();
  assert.ok(messages.length >= 7);
  let python: Node[][];
  try {
    python = JSON.parse(
      execFileSync('python3', [join(repoRoot(), 'test/mime/email-dump.py')], {
        input: JSON.stringify(messages.map(([, raw]) => raw.toString('base64'))),
      }).toString(),
    );
  } catch (err) {
    t.skip(`python3 is not available: ${(err as Error).message}`);
    return;
  }
  for (const [i, [name, raw]] of messages.entries()) {
    for (const chunk of [1, 7, 4096]) {
      const msg = await mime.parseMessage(ltn12.source.string(raw, chunk));
      assert.deepEqual(ours(msg), python[i], `${name} in chunks of ${chunk}`);
    }
  }
});
