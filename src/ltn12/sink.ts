/**
 * Sinks: functions that take each chunk and resolve when ready for the next;
 * `null` says the data ended. A pump waits for the sink before pulling again,
 * so a slow sink slows the source and memory stays flat.
 *
 * @example
 * ```ts
 * const [snk, chunks] = sink.table();
 * await pump.all(source.string('hello'), snk);
 * assert.equal(Buffer.concat(chunks).toString(), 'hello');
 * ```
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { ArgumentError } from '../core/errors.js';
import { checkFunction, filterOutput } from './check.js';
import { chain as chainFilters } from './filter.js';
import type { Filter, Sink } from './types.js';

/** Collects the chunks into the returned array (LuaSocket's `sink.table`). */
export function table(chunks: Buffer[] = []): [Sink, Buffer[]] {
  const snk: Sink = async (chunk) => {
    if (chunk !== null && chunk.length > 0) chunks.push(chunk);
  };
  return [snk, chunks];
}

/** A sink that collects everything, and a function giving the bytes so far as one Buffer. */
export function buffer(): [Sink, () => Buffer] {
  const [snk, chunks] = table();
  return [snk, () => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))];
}

/** Discards everything. */
function nullSink(): Sink {
  return async () => {};
}
export { nullSink as null };

/** Throws `err` when given anything. */
export function error(err: unknown): Sink {
  return async () => {
    throw err;
  };
}

/**
 * Passes every chunk through one or several filters before the sink (the
 * last argument, as LuaSocket's `sink.chain(f1, f2, …, snk)`); flushes the
 * filters at the end. Anything but functions is an ArgumentError.
 */
export function chain(...args: [...filters: Filter[], snk: Sink]): Sink {
  if (args.length < 2) throw new ArgumentError('sink.chain needs at least one filter and a sink');
  for (const f of args) checkFunction('filter or sink', f);
  const snk = args[args.length - 1] as Sink;
  const filters = args.slice(0, -1) as Filter[];
  const filter = filters.length === 1 ? filters[0]! : chainFilters(...filters);
  return async (chunk) => {
    if (chunk === null) {
      const rest = filterOutput(filter(null));
      if (rest.length > 0) await snk(rest);
      await snk(null);
      return;
    }
    const out = filterOutput(filter(chunk));
    if (out.length > 0) await snk(out);
  };
}

/** What a "fancy" sink may resolve to: nothing, or the sink to write to from then on. */
// biome-ignore lint/suspicious/noConfusingVoidType: a fancy sink that keeps itself returns nothing, as in LuaSocket
export type FancySink = (chunk: Buffer | null) => Promise<void | FancySink | Sink | null>;

/**
 * Turns a fancy sink into a simple one: when the sink resolves to another
 * sink, the next chunks go there (LuaSocket's `sink.simplify`).
 *
 * @example
 * ```ts
 * const [rest, chunks] = sink.table();
 * const first: FancySink = async () => rest;   // takes one chunk, then hands over
 * const snk = sink.simplify(first);
 * ```
 */
export function simplify(snk: FancySink): Sink {
  let current = checkFunction('sink', snk);
  return async (chunk) => {
    const next = await current(chunk);
    if (next !== undefined && next !== null) current = checkFunction('sink', next) as FancySink;
  };
}

/**
 * Writes to a file (created or truncated), awaiting each write; closes it at
 * the end. A FileHandle passed in is written at its position and closed at the end.
 */
export function file(path: string | FileHandle): Sink {
  let handle: FileHandle | undefined = typeof path === 'string' ? undefined : path;
  return async (chunk) => {
    try {
      handle ??= await open(path as string, 'w');
      if (chunk === null) {
        await handle.close();
        return;
      }
      let off = 0;
      while (off < chunk.length) off += (await handle.write(chunk, off, chunk.length - off)).bytesWritten;
    } catch (err) {
      await handle?.close().catch(() => {});
      throw err;
    }
  };
}

/** Options of {@link toWritable}. */
export interface ToWritableOptions {
  /** End the stream at the end of the data; false leaves it open (process.stdout). @default true */
  end?: boolean;
}

/**
 * Writes to a Node Writable, waiting for 'drain' when `write()` asks to;
 * at the end calls `end()` and waits for 'finish', or with `{ end: false }`
 * just waits until what was written is flushed.
 */
export function toWritable(writable: Writable, opts: ToWritableOptions = {}): Sink {
  let failure: unknown;
  writable.on('error', (err) => (failure ??= err));
  const wait = (event: 'drain' | 'finish') =>
    new Promise<void>((resolve, reject) => {
      const done = () => {
        writable.off('error', fail);
        writable.off('close', done);
        resolve();
      };
      const fail = (err: unknown) => {
        writable.off(event, done);
        reject(err);
      };
      writable.once(event, done);
      writable.once('close', done);
      writable.once('error', fail);
    });
  return async (chunk) => {
    if (failure !== undefined) throw failure;
    if (chunk === null && opts.end === false) {
      await new Promise<void>((resolve, reject) => writable.write('', (err) => (err ? reject(err) : resolve())));
    } else if (chunk === null) {
      const finished = writable.writableFinished ? Promise.resolve() : wait('finish');
      writable.end();
      await finished;
    } else if (!writable.write(chunk)) {
      await wait('drain');
    }
    if (failure !== undefined) throw failure;
  };
}

/** Writes to a WHATWG WritableStream, awaiting its backpressure; closes it at the end. */
export function toWeb(stream: WritableStream<Uint8Array>): Sink {
  const writer = stream.getWriter();
  return async (chunk) => {
    if (chunk === null) {
      await writer.close();
      return;
    }
    await writer.ready;
    await writer.write(chunk);
  };
}
