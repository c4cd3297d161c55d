/**
 * Bridges between ltn12 and the platform's streams: a filter as a Node
 * `Transform` or a WHATWG `TransformStream`, a source as a Node `Readable`
 * or a WHATWG `ReadableStream`, and `transform` for whole buffers.
 *
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * import fs from 'node:fs';
 * await pipeline(fs.createReadStream('in'), toTransform(mime.encode('base64')), fs.createWriteStream('out'));
 * ```
 */
import { Readable, Transform } from 'node:stream';
import type { Filter, Source } from './types.js';
import { chain } from './filter.js';
import { checkFunction } from './check.js';

/** A Node Transform that runs `filter` on every chunk and flushes it at the end. */
export function toTransform(filter: Filter): Transform {
  checkFunction('filter', filter);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        const out = filter(chunk);
        done(null, out.length > 0 ? out : undefined);
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done) {
      try {
        const out = filter(null);
        done(null, out.length > 0 ? out : undefined);
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

/** A WHATWG TransformStream that runs `filter` on every chunk and flushes it at the end. */
export function toTransformStream(filter: Filter): TransformStream<Uint8Array, Uint8Array> {
  checkFunction('filter', filter);
  const asBuffer = (c: Uint8Array) => (Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  return new TransformStream({
    transform(chunk, controller) {
      const out = filter(asBuffer(chunk));
      if (out.length > 0) controller.enqueue(out);
    },
    flush(controller) {
      const out = filter(null);
      if (out.length > 0) controller.enqueue(out);
    },
  });
}

/** A Node Readable that pulls from `src` only when its consumer reads. */
export function toReadable(src: Source): Readable {
  checkFunction('source', src);
  return new Readable({
    read() {
      src().then(
        (chunk) => this.push(chunk),
        (err) => this.destroy(err as Error),
      );
    },
  });
}

/** A WHATWG ReadableStream that pulls from `src` on demand. */
export function toReadableStream(src: Source): ReadableStream<Uint8Array> {
  checkFunction('source', src);
  return new ReadableStream({
    async pull(controller) {
      const chunk = await src();
      if (chunk === null) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

/**
 * Runs `data` through the filters (chained) and returns the whole result,
 * flushes included.
 */
export function transform(data: string | Uint8Array, ...filters: Filter[]): Buffer {
  const input = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const f = chain(...filters);
  return Buffer.concat([f(input), f(null)]);
}
