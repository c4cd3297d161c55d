/**
 * The one pending wait of a receive buffer: a receive that needs more bytes
 * parks here until the producer has buffered `need` bytes (`arrived`), the
 * stream ends (`wake()`), the deadline passes or the signal aborts. It is a
 * {@link waitFor} wait whose timer is a {@link LongTimer}, so a timeout of
 * any length (`setTimeout(1e12)`) waits as long as it says.
 *
 * The deadline is measured from the last progress, so an idle ('b') timeout
 * restarts whenever some bytes arrive; a total ('t') deadline does not move.
 *
 * @example
 * ```ts
 * const slot = new WaitSlot();
 * const waiting = slot.wait(10, null, undefined);
 * slot.arrived(4);  // progress, not enough yet
 * slot.arrived(10); // enough: the wait resolves
 * await waiting;
 * ```
 */
import { NetError, TimeoutError } from './errors.js';
import type { Deadline } from './deadline.js';
import { abortError, LongTimer, waitFor } from './wait.js';

/** Builds the errors a wait ends with; called at that moment (to take a partial result). */
export interface WaitFailures {
  timeout(): Error;
  abort(reason: unknown): Error;
}

const DEFAULT_FAILURES: WaitFailures = {
  timeout: () => new TimeoutError('timeout'),
  abort: (reason) => abortError('receive', reason),
};

export class WaitSlot {
  #finish: ((err: Error | null) => void) | null = null;
  #need = 0;
  #lastProgress = 0;

  /** True while a receive is parked. */
  get busy(): boolean {
    return this.#finish !== null;
  }

  /** The producer now holds `buffered` bytes: wakes the wait when that is enough, else notes progress. */
  arrived(buffered: number): void {
    if (this.#finish === null) return;
    if (buffered >= this.#need) this.#finish(null);
    else this.#lastProgress = performance.now();
  }

  /** Ends the pending wait, if any, successfully (the stream ended or changed). */
  wake(): void {
    this.#finish?.(null);
  }

  /**
   * Parks until `need` bytes are buffered or `wake()`; rejects with what
   * `fail` builds on timeout or abort, and with NetError 'busy' when a wait
   * is already parked.
   */
  wait(need: number, deadline: Deadline | null, signal: AbortSignal | undefined, fail: WaitFailures = DEFAULT_FAILURES): Promise<void> {
    if (this.#finish !== null) return Promise.reject(new NetError('busy', 'another receive is already waiting on this socket'));
    return waitFor<void>(
      (done) => {
        this.#finish = done;
        this.#need = need;
        this.#lastProgress = performance.now();
        let timer: LongTimer | undefined;
        if (deadline !== null) {
          const onTimer = (): void => {
            const left = deadline.waitMs(this.#lastProgress)!;
            if (left > 0) timer!.restart(left);
            else done(fail.timeout());
          };
          timer = new LongTimer(onTimer, deadline.waitMs(this.#lastProgress)!);
        }
        return () => {
          timer?.clear();
          this.#finish = null;
        };
      },
      { signal, what: 'receive', onAbort: (reason) => fail.abort(reason) },
    );
  }
}
