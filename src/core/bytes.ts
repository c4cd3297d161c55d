/**
 * What a send takes, as a Buffer: a string (encoded), a Buffer, or any
 * Uint8Array (viewed, not copied). Anything else — and a view whose
 * ArrayBuffer was transferred away (detached, e.g. by `postMessage` or
 * `structuredClone(…, { transfer })`) — is an {@link ArgumentError}, not a
 * raw TypeError and not a silent empty send.
 *
 * @example
 * ```ts
 * import { bytesOf } from 'netkit/core';
 * bytesOf('hé', 'utf8');               // <Buffer 68 c3 a9>
 * const ab = new ArrayBuffer(4);
 * const view = new Uint8Array(ab);
 * structuredClone(ab, { transfer: [ab] });
 * bytesOf(view, 'utf8');               // throws ArgumentError: detached
 * ```
 */
import { ArgumentError } from './errors.js';
import { describe } from './validate.js';

/** True when `ab` was transferred away (Node 20 has no `ArrayBuffer.prototype.detached`). */
export function isDetached(ab: ArrayBufferLike): boolean {
  if (ab.byteLength !== 0) return false;
  try {
    new Uint8Array(ab);
    return false;
  } catch {
    return true;
  }
}

/** `data` as a Buffer (see the module doc); `what` names the argument in errors. */
export function bytesOf(data: unknown, encoding: BufferEncoding, what = 'data'): Buffer {
  if (typeof data === 'string') return Buffer.from(data, encoding);
  if (!(data instanceof Uint8Array)) throw new ArgumentError(`${what} must be a string or bytes (Buffer/Uint8Array), got ${describe(data)}`);
  if (data.byteLength === 0 && isDetached(data.buffer)) {
    throw new ArgumentError(`${what} is a view of a detached ArrayBuffer (it was transferred away); nothing can be read from it`);
  }
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
