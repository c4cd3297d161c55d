/**
 * The hostile corpus (hostile-inputs §2) as data: `corpus/<target>.json` holds
 * cases of bytes and the typed result each must give. This module loads them,
 * plays bytes to a client over loopback in given pieces, and judges outcomes.
 *
 * A case: `{ "id": "SC-14 four digits", "bytes": "2500 ok\r\n", "expect": { "error": "protocol" } }`.
 * `bytes` is a string read as latin1 (one char per byte, `\u0000`…`\u00ff`), or
 * a list of such strings and `{ "repeat": "250-x\r\n", "times": 2000 }` parts
 * (or `{ "numbered": "…#…", "times": n }`, where `#` counts 0, 1, 2 …).
 * `expect` is `{ "ok": value }` (the keys given must match) or `{ "error": code }`
 * (a NetError with that `code`); `null` as an expected key's value means absent. `hold: true` keeps the connection open after
 * the bytes (the client's timeout must end it).
 *
 * @example
 * ```ts
 * const cases = loadCorpus('tp-reply');
 * const pb = await playback();
 * pb.next(split(bytesOf(cases[0].bytes), 'bytes'), false);
 * ```
 */
import net from 'node:net';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { NetError } from '../../src/core/errors.js';
import { repoRoot } from '../../testkit/index.js';

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

export const corpusDir = (): string => join(repoRoot(), 'bench', 'reliability', 'corpus');

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
    typeof p === 'string' ? p : 'repeat' in p ? p.repeat.repeat(p.times) : Array.from({ length: p.times }, (_, i) => p.numbered.replaceAll('#', String(i))).join('');
  return Buffer.from(parts.map(text).join(''), 'latin1');
}

/** Runs `fn` and classifies what happened: a value, a typed error's code, an untyped error, or a hang after `ms`. */
export async function outcome(fn: () => Promise<unknown>, ms = 2000): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve({ hang: true }), ms)));
  const run = fn().then(
    (ok): Outcome => ({ ok }),
    (err: unknown): Outcome => (err instanceof NetError ? { error: err.code, message: err.message } : { error: `untyped ${(err as Error)?.name ?? typeof err}`, message: String((err as Error)?.message ?? err) }),
  );
  try {
    return await Promise.race([run, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `got` is what `want` asks: the same error code, or a value whose given keys are deep-equal. */
export function judge(got: Outcome, want: Expect): boolean {
  if ('error' in want) return 'error' in got && got.error === want.error;
  if (!('ok' in got)) return false;
  const w = want.ok;
  if (w !== null && typeof w === 'object' && !Array.isArray(w) && got.ok !== null && typeof got.ok === 'object') {
    const have = got.ok as Record<string, unknown>;
    // null in an expectation stands for "absent".
    return Object.entries(w).every(([k, v]) => (v === null ? have[k] === undefined || have[k] === null : isDeepStrictEqual(have[k], v)));
  }
  return isDeepStrictEqual(got.ok, w);
}

/** Short text of an outcome for a report line. */
export function show(o: Outcome): string {
  return JSON.stringify('hang' in o ? 'hang' : 'error' in o ? `${o.error}: ${o.message}` : o.ok).slice(0, 160);
}

/**
 * A loopback server that plays, to each connection in turn, the pieces queued
 * with `next` (one write per piece, Nagle off, a turn of the event loop between
 * pieces), then ends the connection unless told to hold it; it reads and
 * discards what the client sends.
 */
export async function playback(): Promise<{ port: number; next(pieces: Buffer[], hold: boolean): void; dropHeld(): void; close(): Promise<void> }> {
  const queue: { pieces: Buffer[]; hold: boolean }[] = [];
  const open = new Set<net.Socket>();
  const server = net.createServer(async (sock) => {
    open.add(sock);
    sock.on('close', () => open.delete(sock));
    sock.on('error', () => {});
    sock.setNoDelay(true);
    sock.resume();
    const plan = queue.shift() ?? { pieces: [], hold: false };
    for (const p of plan.pieces) {
      if (sock.destroyed) return;
      await new Promise((r) => sock.write(p, r));
      if (plan.pieces.length > 1) await new Promise((r) => setImmediate(r));
    }
    if (!plan.hold) sock.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    next: (pieces, hold) => queue.push({ pieces, hold }),
    dropHeld: () => {
      for (const s of open) s.destroy();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}
