/**
 * The readiness hooks `select` uses. Every selectable netkit socket exposes
 * them under the {@link selectHooks} symbol, so the public surface stays clean.
 */

/** Readiness checks and change notifications of one socket. */
export interface SelectHooks {
  readable(): boolean;
  writable(): boolean;
  watchReadable(cb: () => void): void;
  unwatchReadable(cb: () => void): void;
  watchWritable(cb: () => void): void;
  unwatchWritable(cb: () => void): void;
}

/** The property key under which a socket offers its {@link SelectHooks}. */
export const selectHooks: unique symbol = Symbol('netkit.selectHooks');

/** Anything `select` can watch. */
export interface Selectable {
  readonly [selectHooks]: SelectHooks;
}
