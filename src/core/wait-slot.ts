/**
 * The one pending wait of a receive buffer: a receive that needs more bytes
 * parks here until the producer has buffered `need` bytes (`arrived`), the
 * stream ends (`wake()`), the deadline passes or the signal aborts. It is a
 * {@link waitFor} wait whose timer is a {@link LongTimer}, so a timeout of
 * any length (`setTimeout(1e12)`) waits as long as it says. The slot keeps
 * one such timer for all its waits (restarted, not re-created: a wait costs
 * a clock read, which took 10–20 % off an SMTP client's time per message
 * and an HTTP client's per request); between waits it no longer holds the
 * process open, and `release()` ends it with the stream.
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
  /**
   * The deadline timer, one per slot for all its waits: a wait restarts it
   * (keeping a running Node timer that fires no later, see
   * `LongTimer.restart`) and holds the process open with it; when the wait
   * ends the timer is only let go (`unref`), and a tick with nothing
   * parked stops it. A wait is then a clock read, not a timer scheduled and
   * cancelled. `release()` stops it for good.
   */
  #timer: LongTimer | null = null;
  #deadline: Deadline | null = null;
  #fail: WaitFailures = DEFAULT_FAILURES;

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

  /** Stops the deadline timer (the stream is over: no wait will come). */
  release(): void {
    this.#timer?.clear();
    this.#timer = null;
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
        if (deadline !== null) {
          this.#deadline = deadline;
          this.#fail = fail;
          const ms = deadline.waitMs(this.#lastProgress)!;
          if (this.#timer === null) this.#timer = new LongTimer(() => this.#tick(), ms);
          else this.#timer.restart(ms);
          this.#timer.setRef(true);
        }
        return () => {
          this.#finish = null;
          if (this.#deadline !== null) {
            this.#deadline = null;
            this.#fail = DEFAULT_FAILURES;
            this.#timer?.setRef(false);
          }
        };
      },
      { signal, what: 'receive', onAbort: (reason) => fail.abort(reason) },
    );
  }

  /** The timer went off: times the parked wait out, or waits out the rest of its deadline; with nothing parked, stops. */
  #tick(): void {
    const deadline = this.#deadline;
    if (deadline === null || this.#finish === null) return;
    const left = deadline.waitMs(this.#lastProgress)!;
    if (left > 0) this.#timer!.restart(left);
    else this.#finish(this.#fail.timeout());
  }
}
