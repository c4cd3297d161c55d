/**
 * Playing the hostile corpus (`testkit/corpus.ts`, docs/hostile-inputs.md §2)
 * to a client over loopback in given pieces, and judging outcomes.
 *
 * @example
 * ```ts
 * const cases = loadCorpus('tp-reply');
 * const pb = await playback();
 * pb.next(split(bytesOf(cases[0]!.bytes), 'bytes'), false);
 * ```
 */
import net from 'node:net';
import { NetError } from '../../src/core/errors.js';
import { isDeepStrictEqual } from 'node:util';
import type { Expect, Outcome } from '../../testkit/corpus.js';

export * from '../../testkit/corpus.js';

/** Runs `fn` and classifies what happened: a value, a typed error's code, an untyped error, or a hang after `ms`. */
export async function outcome(fn: () => Promise<unknown>, ms = 2000): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve({ hang: true }), ms)));
  const run = fn().then(
    (ok): Outcome => ({ ok }),
    (err: unknown): Outcome =>
      err instanceof NetError
        ? { error: err.code, message: err.message }
        : { error: `untyped ${(err as Error)?.name ?? typeof err}`, message: String((err as Error)?.message ?? err) },
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
