/**
 * The hostile-input corpus as data, the single source of the vectors in
 * `docs/hostile-inputs.md`: `testkit/corpus/<target>.json` holds cases of
 * bytes and the typed result each must give; `testkit/corpus/regressions/`
 * holds inputs the property tests once found. Unit tests, the hostile test
 * suite (`test/hostile/`) and the reliability figures all read them here.
 *
 * A case: `{ "id": "SC-14 four digits", "bytes": "2500 ok\r\n", "expect": { "error": "protocol" } }`.
 * `bytes` is a string read as latin1 (one char per byte, `\u0000`…`\u00ff`), or
 * a list of such strings and `{ "repeat": "250-x\r\n", "times": 2000 }` parts
 * (or `{ "numbered": "…#…", "times": n }`, where `#` counts 0, 1, 2 …).
 * `expect` is `{ "ok": value }` (the keys given must match) or `{ "error": code }`
 * (a NetError with that `code`); `null` as an expected key's value means absent.
 * `hold: true` keeps the connection open after the bytes (the client's timeout
 * must end it).
 *
 * @example
 * ```ts
 * const cases = loadCorpus('tp-reply');
 * const first = bytesOf(cases[0]!.bytes);
 * ```
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { repoRoot } from './index.js';

export type Bytes = string | (string | { repeat: string; times: number } | { numbered: string; times: number })[];
export type Expect = { ok: unknown } | { error: string };
export interface Case {
  id: string;
  bytes: Bytes;
  expect: Expect;
  hold?: boolean;
  /** Target-specific variant (e.g. which MIME filter). */
  with?: string;
}
export type Outcome = { ok: unknown } | { error: string; message: string } | { hang: true };

export const corpusDir = (): string => join(repoRoot(), 'testkit', 'corpus');

export function loadCorpus(name: string): Case[] {
  return JSON.parse(readFileSync(join(corpusDir(), `${name}.json`), 'utf8')) as Case[];
}

/** Appends `c` to `corpus/<name>.json` (a regression vector found by fuzzing), once. */
export function saveCase(name: string, c: Case): void {
  const file = join(corpusDir(), `${name}.json`);
  const cases = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Case[]) : [];
  if (cases.some((k) => isDeepStrictEqual(k.bytes, c.bytes))) return;
  cases.push(c);
  writeFileSync(file, `${JSON.stringify(cases, null, 1)}\n`);
}

export function bytesOf(b: Bytes): Buffer {
  const parts = typeof b === 'string' ? [b] : b;
  const text = (p: (typeof parts)[number]) =>
    typeof p === 'string'
      ? p
      : 'repeat' in p
        ? p.repeat.repeat(p.times)
        : Array.from({ length: p.times }, (_, i) => p.numbered.replaceAll('#', String(i))).join('');
  return Buffer.from(parts.map(text).join(''), 'latin1');
}
