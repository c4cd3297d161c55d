/**
 * The one pending wait of a receive buffer: a receive that needs more bytes
 * parks here until the producer has buffered `need` bytes (`arrived`), the
 * stream ends (`wake('ready')`), the deadline passes or the signal aborts.
 * The deadline is measured from the last progress, so an idle ('b') timeout
 * restarts whenever some bytes arrive; a total ('t') deadline does not move.
 *
 * @example
 * ```ts
 * const slot = new WaitSlot();
 * const waiting = slot.wait(10, null, undefined);
 * slot.arrived(4);  // progress, not enough yet
 * slot.arrived(10); // enough: the wait resolves 'ready'
 * assert.equal(await waiting, 'ready');
 * ```
 */
import { NetError } from './errors.js';
import type { Deadline } from './deadline.js';

/** How a wait ended. */
export type WaitResult = 'ready' | 'timeout' | 'aborted';

export class WaitSlot {
  #finish: ((r: WaitResult) => void) | null = null;
  #need = 0;
  #lastProgress = 0;

  /** True while a receive is parked. */
  get busy(): boolean {
    return this.#finish !== null;
  }

  /** The producer now holds `buffered` bytes: wakes the wait when that is enough, else notes progress. */
  arrived(buffered: number): void {
    if (this.#finish === null) return;
    if (buffered >= this.#need) this.#finish('ready');
    else this.#lastProgress = performance.now();
  }

  /** Ends the pending wait, if any, with `r`. */
  wake(r: WaitResult): void {
    this.#finish?.(r);
  }

  /** Parks until `need` bytes are buffered; rejects with NetError 'busy' when a wait is already parked. */
  wait(need: number, deadline: Deadline | null, signal: AbortSignal | undefined): Promise<WaitResult> {
    if (this.#finish !== null) return Promise.reject(new NetError('busy', 'another receive is already waiting on this socket'));
    return new Promise<WaitResult>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => finish('aborted');
      const finish = (r: WaitResult): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#finish = null;
        resolve(r);
      };
      this.#finish = finish;
      this.#need = need;
      this.#lastProgress = performance.now();
      if (deadline !== null) {
        const onTimer = (): void => {
          const left = deadline.waitMs(this.#lastProgress)!;
          if (left > 0) timer = setTimeout(onTimer, left);
          else finish('timeout');
        };
        timer = setTimeout(onTimer, deadline.waitMs(this.#lastProgress)!);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
