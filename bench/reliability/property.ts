/**
 * What the R-18 fuzz properties share: the property shape r18-fuzz.ts runs
 * (fuzz-http.ts and fuzz-ftp.ts add theirs), an assertion, and the rule
 * every parser is held to — anything it throws is a typed NetError.
 *
 * @example
 * ```ts
 * const p = prop({ name: 'url-parse', arb: fc.string(), check: (s) => void typed(() => parse(s)) });
 * ```
 */
import type fc from 'fast-check';
import { NetError } from '../../src/core/errors.js';

/** One fast-check property: `check` throws (or rejects) when it does not hold for `v`. */
export interface Property<T> {
  name: string;
  arb: fc.Arbitrary<T>;
  check(v: T): void | Promise<void>;
}

/** Erases a property's value type so properties of different types share one list. */
export const prop = <T>(p: Property<T>): Property<unknown> => p as Property<unknown>;

/** Throws `what` unless `cond`. */
export const ok = (cond: boolean, what: string): void => {
  if (!cond) throw new Error(what);
};

/** Runs `fn`; a thrown NetError gives undefined, anything else thrown fails the property. */
export function typed<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof NetError)) throw new Error(`untyped ${(err as Error)?.name}: ${(err as Error)?.message}`);
    return undefined;
  }
}
