/**
 * The error a pump throws when its source or sink fails: it keeps the
 * original as `cause`, says which side failed, and keeps the original's code
 * when that was a NetError (a socket source's timeout stays `'timeout'`).
 *
 * @example
 * ```ts
 * declare const src: ltn12.Source;
 * declare const snk: ltn12.Sink;
 * try { await pump.all(src, snk); }
 * catch (err) { if (err instanceof PumpError && err.side === 'source') console.log(err.cause); }
 * ```
 */
import { NetError } from '../core/errors.js';

export class PumpError extends NetError {
  /** Which end failed. */
  readonly side: 'source' | 'sink';
  constructor(side: 'source' | 'sink', cause: unknown) {
    const code = cause instanceof NetError ? cause.code : 'io';
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(code, `${side} failed: ${detail}`, { cause });
    this.side = side;
  }
}
