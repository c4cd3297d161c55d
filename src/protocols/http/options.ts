/**
 * Every numeric option of a request, checked once before anything is sent:
 * the request's own value, else `http.defaults`' (checked too, since a
 * program may have set it to anything). A bad value is an `ArgumentError`
 * naming the option — `NaN` is never "no limit" and never loops.
 *
 *     { maxRedirects: NaN }      → ArgumentError('maxRedirects must be an integer ≥ 0, got NaN')
 *     { timeout: 3e9 }           → 3e9 ms (waits of any length work)
 *     { timeout: null }          → no limit
 *
 * @example
 * ```ts
 * const limits = checkLimits({ maxRedirects: 2 });
 * limits.maxRedirects; // 2
 * ```
 */
import { ArgumentError } from '../../core/errors.js';
import { checkInteger, checkMs, describe } from '../../core/validate.js';
import { defaults } from './defaults.js';

/** The numeric options of a request, as given. */
export interface LimitOptions {
  timeout?: number | null;
  headersTimeout?: number | null;
  maxRedirects?: number;
  maxHeaderBytes?: number;
  maxHeaders?: number;
  maxBodyBytes?: number;
  maxDecodedBytes?: number;
  maxDecodeRatio?: number | null;
}

/** The numeric options of a request, checked, with the defaults filled in. */
export interface Limits {
  timeout: number | null;
  headersTimeout: number | null;
  maxRedirects: number;
  maxHeaderBytes: number;
  maxHeaders: number;
  /** undefined = unlimited. */
  maxBodyBytes: number | undefined;
  maxDecodedBytes: number;
  /** null = no ratio guard. */
  maxDecodeRatio: number | null;
}

/** Checks the options (and the defaults they fall back to); ArgumentError on any bad value. */
export function checkLimits(opts: LimitOptions): Limits {
  const d = defaults;
  return {
    timeout: checkMs('timeout', opts.timeout, checkMs('defaults.timeout', d.timeout)),
    headersTimeout: checkMs('headersTimeout', opts.headersTimeout, checkMs('defaults.headersTimeout', d.headersTimeout)),
    maxRedirects: checkInteger('maxRedirects', opts.maxRedirects, { min: 0 }, checkInteger('defaults.maxRedirects', d.maxRedirects, { min: 0 })),
    maxHeaderBytes: checkInteger('maxHeaderBytes', opts.maxHeaderBytes, { min: 16 }, checkInteger('defaults.maxHeaderBytes', d.maxHeaderBytes, { min: 16 })),
    maxHeaders: checkInteger('maxHeaders', opts.maxHeaders, { min: 0 }, checkInteger('defaults.maxHeaders', d.maxHeaders, { min: 0 })),
    maxBodyBytes: opts.maxBodyBytes === undefined ? undefined : checkInteger('maxBodyBytes', opts.maxBodyBytes, { min: 0 }),
    maxDecodedBytes: checkInteger('maxDecodedBytes', opts.maxDecodedBytes, { min: 0 }, checkInteger('defaults.maxDecodedBytes', d.maxDecodedBytes, { min: 0 })),
    maxDecodeRatio: ratio('maxDecodeRatio', opts.maxDecodeRatio, ratio('defaults.maxDecodeRatio', d.maxDecodeRatio, null)),
  };
}

/** A ratio: a finite number ≥ 1, or null for none; undefined gives the fallback. */
function ratio(name: string, value: unknown, fallback: number | null): number | null {
  if (value === undefined) return fallback;
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1)
    throw new ArgumentError(`${name} must be a finite number ≥ 1 or null, got ${describe(value)}`);
  return value;
}

/** A boolean option: true, false or absent. */
export function checkFlag(name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new ArgumentError(`${name} must be true or false, got ${describe(value)}`);
}
