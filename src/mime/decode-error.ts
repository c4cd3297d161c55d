/**
 * The error a strict decoder throws on input its encoding does not allow
 * (a byte outside the base64 alphabet, bad padding, `=` not followed by two
 * hex digits, input cut short). `offset` counts bytes from the start of the
 * stream, across chunks.
 *
 * @example
 * ```ts
 * try { transform('YW*j', decode('base64', { strict: true })); }
 * catch (err) { assert.ok(err instanceof DecodeError && err.offset === 2); }
 * ```
 */
import { NetError } from '../core/errors.js';

export class DecodeError extends NetError {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super('protocol', `${message} at byte ${offset}`);
    this.offset = offset;
  }
}
