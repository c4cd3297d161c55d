/**
 * Pumps move chunks from a source to a sink. A pump pulls the next chunk
 * only after the sink has resolved, so backpressure needs nothing else.
 * A failing source or sink ends the pump with a {@link PumpError} whose
 * `cause` is the original error; the sink is not told `null` in that case
 * (a half-written file is not finalised as if it were complete).
 *
 * @example
 * ```ts
 * const [snk, chunks] = sink.table();
 * await pump.all(source.string('abc'), snk);
 * ```
 */
import { checkFunction } from './check.js';
import { PumpError } from './pump-error.js';
import type { Sink, Source } from './types.js';

/** Moves one chunk; resolves to false once the end (`null`) has been passed on. */
export async function step(src: Source, snk: Sink): Promise<boolean> {
  checkFunction('source', src);
  checkFunction('sink', snk);
  let chunk: Buffer | null;
  try {
    chunk = await src();
  } catch (err) {
    throw new PumpError('source', err);
  }
  try {
    await snk(chunk);
  } catch (err) {
    throw new PumpError('sink', err);
  }
  return chunk !== null;
}

/** Moves everything, one `stepper` call at a time (default {@link step}). */
export async function all(src: Source, snk: Sink, stepper: (src: Source, snk: Sink) => Promise<boolean> = step): Promise<void> {
  checkFunction('source', src);
  checkFunction('sink', snk);
  checkFunction('step function', stepper);
  if (stepper !== step) {
    while (await stepper(src, snk));
    return;
  }
  // `step` inlined: one async frame for the whole transfer, not one per chunk
  for (;;) {
    let chunk: Buffer | null;
    try {
      chunk = await src();
    } catch (err) {
      throw new PumpError('source', err);
    }
    try {
      await snk(chunk);
    } catch (err) {
      throw new PumpError('sink', err);
    }
    if (chunk === null) return;
  }
}
