/**
 * The three shapes of ltn12 (LuaSocket's "LTN12" streaming model).
 *
 * A source is pulled: each call gives the next chunk, `null` at the end.
 * A sink is pushed: each call takes a chunk, `null` to say the end came.
 * A filter is a synchronous, stateful transformation: chunk in, chunk out,
 * correct whatever the chunk boundaries; called with `null` it flushes what it held.
 */

/** Gives the next chunk, or `null` when there is no more. Failures throw. */
export type Source = () => Promise<Buffer | null>;

/** Takes a chunk; `null` means the end. Resolves when it can take the next one. */
export type Sink = (chunk: Buffer | null) => Promise<void>;

/** Transforms a chunk; `null` flushes. May return an empty Buffer. */
export type Filter = (chunk: Buffer | null) => Buffer;
