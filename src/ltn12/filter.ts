/**
 * Filters: synchronous, stateful chunk transformations. A filter returns
 * its output for each chunk (possibly empty) and, called with `null`, flushes
 * whatever it held back. `chain` composes filters; `cycle` builds one from a
 * LuaSocket-style low-level function that returns `[output, nextContext]`.
 *
 * @example
 * ```ts
 * const upper: Filter = (c) => (c === null ? Buffer.alloc(0) : Buffer.from(c.toString('latin1').toUpperCase(), 'latin1'));
 * const f = filter.chain(upper, upper);
 * assert.equal(f(Buffer.from('ab')).toString(), 'AB');
 * ```
 */
import type { Filter } from './types.js';

const EMPTY = Buffer.alloc(0);

/**
 * Composes filters left to right. On `null`, the first filter is flushed and
 * its output passed through the rest, then the second is flushed, and so on,
 * so nothing held back by an early stage is lost.
 */
export function chain(...filters: Filter[]): Filter {
  if (filters.length === 0) return (chunk) => chunk ?? EMPTY;
  if (filters.length === 1) return filters[0]!;
  return (chunk) => {
    if (chunk !== null) {
      let out = chunk;
      for (const f of filters) out = f(out);
      return out;
    }
    const parts: Buffer[] = [];
    for (let i = 0; i < filters.length; i++) {
      let out = filters[i]!(null);
      for (let k = i + 1; k < filters.length && out.length > 0; k++) out = filters[k]!(out);
      if (out.length > 0) parts.push(out);
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  };
}

/**
 * A low-level step: given the context, a chunk (`null` to flush) and an extra
 * argument, returns the output and the next context (LuaSocket's
 * `mime.b64(ctx, chunk)` shape).
 */
export type LowLevel<C, E> = (ctx: C, chunk: Buffer | null, extra: E) => [Buffer, C];

/**
 * Wraps a low-level function into a filter that threads its context from one
 * call to the next (LuaSocket's `ltn12.filter.cycle`).
 */
export function cycle<C, E>(low: LowLevel<C, E>, ctx: C, extra: E): Filter {
  let state = ctx;
  return (chunk) => {
    const [out, next] = low(state, chunk, extra);
    state = next;
    return out;
  };
}
