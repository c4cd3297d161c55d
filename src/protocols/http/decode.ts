/**
 * Content decoding when the caller asks for it (`decode: true`): a sink
 * that inflates `gzip` / `deflate` (zlib-wrapped, or raw as some servers
 * send it) bodies with node:zlib on the way to the caller's sink, with
 * back-pressure (the inflater pauses while the sink is busy). At most five
 * codings are undone (curl's CVE-2022-32206 rule); a body with an unknown
 * coding is passed on untouched. Corrupt or truncated compressed data is a
 * ProtocolError; the decoded size is bounded by `limitSink`.
 *
 * @example
 * ```ts
 * const sink = decodingSink(['gzip'], userSink);   // Content-Encoding: gzip
 * ```
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import { LimitError, NetError, ProtocolError } from '../../core/errors.js';
import type { Sink } from '../../ltn12/index.js';

/** Most content codings undone on one body. */
export const MAX_CODINGS = 5;

/**
 * The codings to undo, outermost last, from a Content-Encoding value; `null`
 * when the body should be passed on as it is (none, or one not supported).
 * @throws {ProtocolError} more than {@link MAX_CODINGS} codings.
 */
export function codings(contentEncoding: string | undefined): string[] | null {
  if (contentEncoding === undefined) return null;
  const list = contentEncoding.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  if (list.length > MAX_CODINGS) throw new ProtocolError(`more than ${MAX_CODINGS} content codings`, contentEncoding.slice(0, 200));
  if (list.length === 0 || list.some((c) => c !== 'gzip' && c !== 'x-gzip' && c !== 'deflate')) return null;
  return list;
}

/** Wraps `sink` so that it receives the body with `list` (as from {@link codings}) undone. */
export function decodingSink(list: string[], sink: Sink): Sink {
  let out = sink;
  for (const coding of list) out = inflating(coding, out);
  return out;
}

function inflating(coding: string, next: Sink): Sink {
  let z: zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | null = null;
  let failed: unknown = null;
  let chain: Promise<void> = Promise.resolve();
  const fail = (err: unknown): never => {
    if (err instanceof NetError) throw err;
    throw new ProtocolError(`bad ${coding} data: ${(err as Error).message}`, '', { cause: err });
  };
  const start = (first: Buffer): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw => {
    const zz = coding === 'deflate' ? ((first[0]! & 0x0f) === 8 && ((first[0]! << 8) | (first[1] ?? 0)) % 31 === 0 ? zlib.createInflate() : zlib.createInflateRaw()) : zlib.createGunzip();
    zz.on('data', (d: Buffer) => {
      zz.pause();
      chain = chain.then(() => next(d)).then(
        () => void zz.resume(),
        (err: unknown) => {
          failed ??= err;
          zz.destroy();
        },
      );
    });
    zz.on('error', (err) => (failed ??= err));
    return zz;
  };
  return async (chunk) => {
    if (chunk === null) {
      if (z === null) return next(null);
      z.end();
      try {
        await finished(z);
      } catch (err) {
        failed ??= err;
      }
      await chain;
      if (failed !== null) fail(failed);
      return next(null);
    }
    if (chunk.length === 0) return;
    z ??= start(chunk);
    if (!z.write(chunk)) {
      const stop = new AbortController();
      await Promise.race([once(z, 'drain', { signal: stop.signal }), once(z, 'close', { signal: stop.signal })]).catch(() => {});
      stop.abort();
    }
    if (failed !== null) fail(failed);
  };
}

/** Passes chunks on until more than `max` bytes went through, then throws LimitError. */
export function limitSink(sink: Sink, max: number, what = 'body'): Sink {
  let n = 0;
  return async (chunk) => {
    if (chunk !== null) {
      n += chunk.length;
      if (n > max) throw new LimitError(what, max);
    }
    return sink(chunk);
  };
}
