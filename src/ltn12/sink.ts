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

/** Passes every chunk through `filter` before `snk`; flushes the filter at the end. */
export function chain(filter: Filter, snk: Sink): Sink {
  return async (chunk) => {
    if (chunk === null) {
      const rest = filter(null);
      if (rest.length > 0) await snk(rest);
      await snk(null);
      return;
    }
    const out = filter(chunk);
    if (out.length > 0) await snk(out);
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
