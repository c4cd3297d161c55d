/**
 * Sources: functions that give the next chunk, or `null` at the end.
 * Each is pulled only when its consumer is ready, so nothing buffers ahead.
 *
 * @example
 * ```ts
 * const src = source.cat(source.string('ab'), source.string('cd'));
 * const [snk, chunks] = sink.table();
 * await pump.all(src, snk);
 * assert.equal(Buffer.concat(chunks).toString(), 'abcd');
 * ```
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ArgumentError } from '../core/errors.js';
import { checkFunction, filterOutput } from './check.js';
import { chain as chainFilters } from './filter.js';
import type { Filter, Source } from './types.js';

/** Block size used by `string` and `file` when none is given (64 KiB). */
export const BLOCK_SIZE = 65536;

function toBuffer(data: string | Uint8Array): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Gives `data` in chunks of at most `blockSize` bytes (views, not copies). */
export function string(data: string | Uint8Array, blockSize = BLOCK_SIZE): Source {
  const buf = toBuffer(data);
  let pos = 0;
  return async () => {
    if (pos >= buf.length) return null;
    const end = Math.min(buf.length, pos + blockSize);
    const chunk = buf.subarray(pos, end);
    pos = end;
    return chunk;
  };
}

/** Gives nothing. */
export function empty(): Source {
  return async () => null;
}

/** Throws `err` when pulled. */
export function error(err: unknown): Source {
  return async () => {
    throw err;
  };
}

/**
 * Reads a file in `blockSize` chunks with constant memory. Given a path, the
 * file is opened on the first pull and closed at the end or on error; a
 * FileHandle passed in is closed at the end too.
 */
export function file(path: string | FileHandle, blockSize = BLOCK_SIZE): Source {
  let handle: FileHandle | undefined = typeof path === 'string' ? undefined : path;
  let done = false;
  return async () => {
    if (done) return null;
    try {
      handle ??= await open(path as string, 'r');
      const buf = Buffer.allocUnsafe(blockSize);
      const { bytesRead } = await handle.read(buf, 0, blockSize, null);
      if (bytesRead > 0) return bytesRead === blockSize ? buf : buf.subarray(0, bytesRead);
      done = true;
      await handle.close();
      return null;
    } catch (err) {
      done = true;
      await handle?.close().catch(() => {});
      throw err;
    }
  };
}

/**
 * Passes every chunk of `src` through one or several filters (chained with
 * `filter.chain`, as LuaSocket's `source.chain(src, f1, f2, …)`), flushing
 * them at the end. Empty filter outputs are skipped (the source is pulled
 * again), so the consumer only sees `null` at the real end. Anything but
 * functions is an ArgumentError.
 */
export function chain(src: Source, ...filters: Filter[]): Source {
  checkFunction('source', src);
  if (filters.length === 0) throw new ArgumentError('source.chain needs a source and at least one filter');
  for (const f of filters) checkFunction('filter', f);
  const filter = filters.length === 1 ? filters[0]! : chainFilters(...filters);
  let ended = false;
  return async () => {
    while (!ended) {
      const chunk = await src();
      if (chunk === null) {
        ended = true;
        const rest = filterOutput(filter(null));
        return rest.length > 0 ? rest : null;
      }
      const out = filterOutput(filter(chunk));
      if (out.length > 0) return out;
    }
    return null;
  };
}

/**
 * What a "fancy" source may give (LuaSocket's `source.simplify`): a chunk,
 * or a chunk and the source to pull from next.
 */
export type FancySource = () => Promise<Buffer | null | readonly [Buffer | null, FancySource | Source | null | undefined]>;

/**
 * Turns a fancy source into a simple one: whenever the source answers
 * `[chunk, next]`, `chunk` is given and `next` is pulled from then on
 * (LuaSocket's `source.simplify`).
 *
 * @example
 * ```ts
 * const second = source.string('cd');
 * const first: FancySource = async () => [Buffer.from('ab'), second];
 * const src = source.simplify(first); // gives 'ab', then 'cd', then null
 * ```
 */
export function simplify(src: FancySource): Source {
  let current = checkFunction('source', src);
  return async () => {
    const got = await current();
    if (!Array.isArray(got)) return got as Buffer | null;
    const [chunk, next] = got as readonly [Buffer | null, FancySource | null | undefined];
    if (next !== null && next !== undefined) current = checkFunction('source', next);
    return chunk;
  };
}

/** Gives every chunk of each source in turn. */
export function cat(...sources: Source[]): Source {
  for (const src of sources) checkFunction('source', src);
  let i = 0;
  return async () => {
    while (i < sources.length) {
      const chunk = await sources[i]!();
      if (chunk !== null) return chunk;
      i++;
    }
    return null;
  };
}

/** A source whose consumer can push chunks back (LuaSocket's `source.rewind`). */
export interface RewindSource extends Source {
  /** The next pull gives `chunk` again (last pushed, first given). */
  unshift(chunk: Buffer): void;
}

/** Wraps `src` so chunks can be pushed back with `unshift`. */
export function rewind(src: Source): RewindSource {
  checkFunction('source', src);
  const stack: Buffer[] = [];
  const fn = (async () => (stack.length > 0 ? stack.pop()! : src())) as RewindSource;
  fn.unshift = (chunk: Buffer) => {
    stack.push(chunk);
  };
  return fn;
}

/** Gives the items of a (sync or async) iterable of strings or bytes. */
export function iterable(items: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Source {
  const it =
    Symbol.asyncIterator in items
      ? (items as AsyncIterable<string | Uint8Array>)[Symbol.asyncIterator]()
      : (items as Iterable<string | Uint8Array>)[Symbol.iterator]();
  let done = false;
  return async () => {
    while (!done) {
      const r = await it.next();
      if (r.done) {
        done = true;
        return null;
      }
      const buf = toBuffer(r.value);
      if (buf.length > 0) return buf;
    }
    return null;
  };
}

/**
 * Pulls from a Node Readable in paused mode: one `read()` per pull, so the
 * stream's own high-water mark bounds what is buffered.
 */
export function fromReadable(readable: Readable): Source {
  let ended = false;
  let failure: unknown;
  readable.once('end', () => (ended = true));
  readable.once('error', (err) => (failure = err));
  return async function pull(): Promise<Buffer | null> {
    for (;;) {
      if (failure !== undefined) throw failure;
      const chunk = readable.read() as Buffer | string | null;
      if (chunk !== null) return toBuffer(chunk);
      if (ended || readable.readableEnded || readable.destroyed) {
        if (failure !== undefined) throw failure;
        return null;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          readable.off('readable', wake);
          readable.off('end', wake);
          readable.off('error', wake);
          readable.off('close', wake);
          resolve();
        };
        readable.on('readable', wake);
        readable.on('end', wake);
        readable.on('error', wake);
        readable.on('close', wake);
      });
    }
  };
}

/** Pulls from a WHATWG ReadableStream of bytes. */
export function fromWeb(stream: ReadableStream<Uint8Array>): Source {
  const reader = stream.getReader();
  return async () => {
    for (;;) {
      const r = await reader.read();
      if (r.done) {
        reader.releaseLock();
        return null;
      }
      if (r.value.byteLength > 0) return toBuffer(r.value);
    }
  };
}
