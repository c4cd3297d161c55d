/**
 * netkit/ltn12: LuaSocket's streaming model.
 *
 * Why pull: a pump asks its source for a chunk only after the sink has
 * taken the previous one, so the slowest party sets the pace and nothing
 * queues up between them — backpressure is a property of the loop, not an
 * extra mechanism. Filters are synchronous state machines (chunk in, chunk
 * out, `null` flushes), which is what makes them testable at every chunk
 * split and cheap in hot paths.
 *
 * Errors: a source or sink throws; `pump.step`/`pump.all` rethrow it wrapped
 * in a `PumpError` (`side`, the original as `cause`, the original's code kept
 * when it was a NetError).
 *
 * @example
 * ```ts
 * declare const upper: any;
 * import { ltn12 } from 'netkit';
 * const [snk, chunks] = ltn12.sink.table();
 * await ltn12.pump.all(ltn12.source.chain(ltn12.source.string('hi'), upper), snk);
 * ```
 */
export * as source from './source.js';
export * as sink from './sink.js';
export * as filter from './filter.js';
export * as pump from './pump.js';
export { PumpError } from './pump-error.js';
export { toTransform, toTransformStream, toReadable, toReadableStream, transform } from './adapters.js';
export type { Source, Sink, Filter } from './types.js';
export type { RewindSource, FancySource } from './source.js';
export type { ToWritableOptions, FancySink } from './sink.js';
export type { LowLevel, FusableFilter } from './filter.js';
