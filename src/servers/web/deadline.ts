/**
 * The deadlines of one connection of the static server as one AbortSignal:
 * `arm(ms)` before a wait (the head, the body, a send, the lingering
 * close), `disarm()` after it; when a wait outlives its time the signal
 * aborts with a TimeoutError, the pending receive or send fails, and the
 * connection ends (a wait armed after that — the 408 for a late head — gets
 * a fresh signal). The timer is core's {@link LongTimer}: any duration
 * waits as long as it says (2^31 ms and more included). The socket's own
 * timeouts stay off: nothing flips them per request.
 *
 * @example
 * ```ts
 * declare const client: socket.TcpClient;
 * const d = new ConnectionDeadline();
 * d.arm(5000, 'request head');
 * try { await client.receivePartial(65536, { signal: d.signal }); } finally { d.disarm(); }
 * ```
 */
import { TimeoutError } from '../../core/errors.js';
import { LongTimer } from '../../core/wait.js';

export class ConnectionDeadline {
  #ac = new AbortController();
  #timer: LongTimer | null = null;
  #what = '';

  /** Aborts when an armed wait outlives its time. */
  get signal(): AbortSignal {
    return this.#ac.signal;
  }

  /** True once a wait timed out (the connection is done). */
  get expired(): boolean {
    return this.#ac.signal.aborted;
  }

  /** The next `ms` ms are for `what`; then the signal aborts. */
  arm(ms: number, what: string): void {
    this.#what = what;
    if (this.#ac.signal.aborted) this.#ac = new AbortController();
    if (this.#timer === null)
      this.#timer = new LongTimer(
        () => this.#ac.abort(new TimeoutError(this.#what === 'send' ? 'the client took nothing in time' : `${this.#what} not received in time`)),
        ms,
      );
    else this.#timer.restart(ms);
  }

  /** The wait ended in time. */
  disarm(): void {
    this.#timer?.clear();
  }

  /** The TimeoutError the signal aborted with. */
  get reason(): TimeoutError {
    return this.#ac.signal.reason as TimeoutError;
  }
}
