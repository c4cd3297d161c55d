/**
 * The argument checks of ltn12: where a source, sink, filter or low-level
 * function is expected, anything else is an {@link ArgumentError} at once
 * (LuaSocket asserts the same), never a silent no-op or a TypeError later in
 * the pump. Filter outputs are checked too: a filter that returns a string
 * has it taken as UTF-8 bytes, one that returns anything but bytes is an
 * ArgumentError naming it.
 *
 * @example
 * ```ts
 * import { ArgumentError } from 'netkit/core';
 * checkFunction('source', async () => null);        // returns it
 * try { checkFunction('sink', 'x'); } catch (e) { e instanceof ArgumentError; }
 * ```
 */
import { ArgumentError } from '../core/errors.js';
import { describe } from '../core/validate.js';

/** Returns `value` when it is a function; ArgumentError naming `what` otherwise. */
export function checkFunction<T>(what: string, value: T): T {
  if (typeof value !== 'function') throw new ArgumentError(`a ${what} must be a function, got ${describe(value)}`);
  return value;
}

/** A filter's output as a Buffer: Buffers pass, Uint8Arrays are viewed, strings are UTF-8; anything else is an ArgumentError. */
export function filterOutput(out: unknown): Buffer {
  if (Buffer.isBuffer(out)) return out;
  if (typeof out === 'string') return Buffer.from(out, 'utf8');
  if (out instanceof Uint8Array) return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  throw new ArgumentError(`a filter must return bytes (a Buffer, Uint8Array or string), got ${describe(out)}`);
}
