/**
 * Argument checks shared by every module: a bad option is an
 * {@link ArgumentError} naming the option and the value, never a raw
 * `TypeError`/`RangeError`, and never silently accepted (`NaN` is not "no
 * limit").
 *
 * @example
 * ```ts
 * import { checkInteger, checkMs, ArgumentError } from 'netkit/core';
 * checkInteger('maxRedirects', 5, { min: 0 });          // 5
 * checkMs('timeout', undefined, 30_000);                // 30000 (the default)
 * try { checkInteger('maxRedirects', NaN); } catch (e) { e instanceof ArgumentError; }
 * ```
 */
import { ArgumentError } from './errors.js';

/** Bounds for {@link checkInteger}. */
export interface IntegerBounds {
  /** Smallest allowed value (default 0). */
  min?: number;
  /** Largest allowed value (default `Number.MAX_SAFE_INTEGER`). */
  max?: number;
}

/**
 * Returns `value` when it is a safe integer within the bounds, `fallback`
 * when it is `undefined` and a fallback is given; otherwise ArgumentError.
 */
export function checkInteger(name: string, value: unknown, bounds: IntegerBounds = {}, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const min = bounds.min ?? 0;
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new ArgumentError(`${name} must be an integer ${range}, got ${describe(value)}`);
  }
  return value;
}

/**
 * A duration in milliseconds: a finite number ≥ 0, or `null` for "no limit".
 * `undefined` gives `fallback` (itself a duration or null).
 */
export function checkMs(name: string, value: unknown, fallback: number | null = null): number | null {
  if (value === undefined) return fallback;
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ArgumentError(`${name} must be a finite number of milliseconds ≥ 0 or null, got ${describe(value)}`);
  }
  return value;
}

/** Returns `value` when it is one of `allowed`, else ArgumentError listing them. */
export function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ArgumentError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`);
}

/** A short, safe rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
