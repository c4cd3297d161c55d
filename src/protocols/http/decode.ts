/**
 * Content decoding when the caller asks for it (`decode: true`): a sink
 * that inflates `gzip` / `deflate` (zlib-wrapped, or raw as some servers
 * send it) bodies with node:zlib on the way to the caller's sink, with
 * back-pressure (the inflater pauses while the sink is busy). At most five
 * codings are undone (curl's CVE-2022-32206 rule); a body with an unknown
 * coding (`br` among them) is passed on untouched. Corrupt or truncated
 * compressed data, and bytes after its end (Node's zlib ignores them after
 * deflate data), are a ProtocolError at whatever split the body arrives; the
 * decoded size is bounded by `limitSink`.
 *
 * @example
 * ```ts
 * declare const userSink: ltn12.Sink;
 * const sink = decodingSink(['gzip'], userSink);   // Content-Encoding: gzip
 * ```
 */
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import { LimitError, NetError, ProtocolError } from '../../core/errors.js';
import type { Sink } from '../../ltn12/index.js';
import { DECODE_RATIO_FLOOR } from './defaults.js';

/** Most content codings undone on one body. */
export const MAX_CODINGS = 5;

/**
 * The codings to undo, outermost last, from a Content-Encoding value; `null`
 * when the body should be passed on as it is (none, or one not supported).
 * @throws {ProtocolError} more than {@link MAX_CODINGS} codings.
 */
export function codings(contentEncoding: string | undefined): string[] | null {
  if (contentEncoding === undefined) return null;
  const list = contentEncoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
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
  let z: Inflater | null = null;
  /** A first byte of a deflate body, held until the second one tells zlib-wrapped from raw. */
  let held: Buffer | null = null;
  let fed = 0;
  let failed: unknown = null;
  let chain: Promise<void> = Promise.resolve();
  const check = (): void => {
    if (failed === null) return;
    if (failed instanceof NetError) throw failed;
    throw new ProtocolError(`bad ${coding} data: ${(failed as Error).message}`, '', { cause: failed });
  };
  const start = (first: Buffer): Inflater => {
    const zz = coding === 'deflate' ? (isZlibHeader(first) ? zlib.createInflate() : zlib.createInflateRaw()) : zlib.createGunzip();
    zz.on('data', (d: Buffer) => {
      zz.pause();
      chain = chain
        .then(() => next(d))
        .then(
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
  const feed = async (buf: Buffer): Promise<void> => {
    z ??= start(buf);
    fed += buf.length;
    await written(z, buf);
    check();
  };
  return async (chunk) => {
    check();
    if (chunk === null) {
      if (held !== null) await feed(held);
      if (z === null) return next(null);
      z.end();
      try {
        await finished(z);
      } catch (err) {
        failed ??= err;
      }
      await chain;
      check();
      // zlib stops at the end of the compressed data and leaves what follows unread (Node ignores it after deflate).
      if (z.bytesWritten < fed) throw new ProtocolError(`${fed - z.bytesWritten} bytes after the end of the ${coding} data`);
      return next(null);
    }
    if (chunk.length === 0) return;
    if (coding === 'deflate' && z === null) {
      if (held === null && chunk.length === 1) {
        held = Buffer.from(chunk);
        return;
      }
      if (held !== null) {
        chunk = Buffer.concat([held, chunk]);
        held = null;
      }
    }
    await feed(chunk);
  };
}

type Inflater = zlib.Gunzip | zlib.Inflate | zlib.InflateRaw;

/** RFC 1950 header: method 8 (deflate) and a check value making the first two bytes a multiple of 31. */
function isZlibHeader(b: Buffer): boolean {
  return b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0;
}

/**
 * Resolves once zlib took `buf` (its output handed on, so back-pressure holds)
 * or the inflater is gone: a destroyed stream never calls back or drains, so
 * its 'close' (or its already being closed) ends the wait too.
 */
function written(z: Inflater, buf: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      z.off('close', done);
      resolve();
    };
    z.once('close', done);
    if (z.closed || z.destroyed) return done();
    z.write(buf, () => done());
  });
}

/** The bounds of {@link boundedDecoding}. */
export interface DecodeBounds {
  /** Most decoded bytes (LimitError `'body'` past it). */
  maxBytes: number;
  /** Most decoded bytes per compressed byte once past `DECODE_RATIO_FLOOR` (LimitError `'decode ratio'`); null = none. */
  maxRatio: number | null;
}

/**
 * {@link decodingSink} with a decompression-bomb guard: the decoded size is
 * capped, and once past `DECODE_RATIO_FLOOR` decoded bytes the output may be
 * at most `maxRatio` times the compressed input taken so far (gzip reaches
 * about 1030:1 on zeros; real content rarely passes 20:1).
 *
 * @example
 * ```ts
 * declare const userSink: ltn12.Sink;
 * const sink = boundedDecoding(['gzip'], userSink, { maxBytes: 256 << 20, maxRatio: 200 });
 * ```
 */
export function boundedDecoding(list: string[], sink: Sink, bounds: DecodeBounds): Sink {
  let encoded = 0;
  let decoded = 0;
  const { maxBytes, maxRatio } = bounds;
  const guarded: Sink = (chunk) => {
    if (chunk !== null) {
      decoded += chunk.length;
      if (decoded > maxBytes) throw new LimitError('body', maxBytes, undefined, `the decoded body is over ${maxBytes} bytes (maxDecodedBytes)`);
      if (maxRatio !== null && decoded > DECODE_RATIO_FLOOR && decoded > encoded * maxRatio) {
        throw new LimitError(
          'decode ratio',
          maxRatio,
          undefined,
          `${encoded} compressed bytes decoded to more than ${maxRatio} times as many (maxDecodeRatio): a decompression bomb?`,
        );
      }
    }
    return sink(chunk);
  };
  const outer = decodingSink(list, guarded);
  return (chunk) => {
    if (chunk !== null) encoded += chunk.length;
    return outer(chunk);
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
