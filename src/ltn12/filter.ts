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
import { checkFunction, filterOutput } from './check.js';
import type { Filter } from './types.js';

const EMPTY = Buffer.alloc(0);

/**
 * The key under which a filter may offer to merge with the filter that
 * follows it in a {@link chain}: `f[fuse](next)` returns one filter giving
 * exactly the bytes of `chain(f, next)` at every chunk split (typically a
 * single loop instead of two passes), or `undefined` to decline. It must
 * decline once either filter has been called (their state is not carried).
 *
 * @example
 * ```ts
 * const f = filter.chain(mime.encode('quoted-printable'), mime.wrap('quoted-printable'));
 * // one fused encode-and-wrap loop, same bytes as the two filters in turn
 * ```
 */
export const fuse: unique symbol = Symbol('netkit.ltn12.fuse');

/** A filter that may merge with the filter after it (see {@link fuse}). */
export type FusableFilter = Filter & { [fuse]?: (next: Filter) => Filter | undefined };

/** Merges neighbours that offer to fuse, left to right. */
function fused(filters: Filter[]): Filter[] {
  const out: Filter[] = [];
  for (const f of filters) {
    const merged = out.length > 0 ? (out[out.length - 1] as FusableFilter)[fuse]?.(f) : undefined;
    if (merged !== undefined) out[out.length - 1] = merged;
    else out.push(f);
  }
  return out;
}

/**
 * Composes filters left to right. On `null`, the first filter is flushed and
 * its output passed through the rest, then the second is flushed, and so on,
 * so nothing held back by an early stage is lost. Neighbours that know each
 * other are fused into one filter first (see {@link fuse}).
 */
export function chain(...list: Filter[]): Filter {
  for (const f of list) checkFunction('filter', f);
  const filters = fused(list);
  if (filters.length === 0) return (chunk) => chunk ?? EMPTY;
  if (filters.length === 1) return filters[0]!;
  return (chunk) => {
    if (chunk !== null) {
      let out = chunk;
      for (const f of filters) out = filterOutput(f(out));
      return out;
    }
    const parts: Buffer[] = [];
    for (let i = 0; i < filters.length; i++) {
      let out = filterOutput(filters[i]!(null));
      for (let k = i + 1; k < filters.length && out.length > 0; k++) out = filterOutput(filters[k]!(out));
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
  checkFunction('low-level filter function', low);
  let state = ctx;
  return (chunk) => {
    const [out, next] = low(state, chunk, extra);
    state = next;
    return out;
  };
}
