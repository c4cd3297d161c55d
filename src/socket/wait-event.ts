/**
 * Waits for one event of an emitter, bounded by socket timeouts and an
 * AbortSignal; an 'error' event rejects.
 */
import type { EventEmitter } from 'node:events';
import { AbortError, TimeoutError } from '../core/errors.js';
import type { Timeouts } from '../core/deadline.js';

/** Resolves with the event's first argument; rejects on 'error', timeout or abort. */
export function waitForEvent<T = unknown>(emitter: EventEmitter, event: string, timeouts: Timeouts | null, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (signal?.aborted) return Promise.reject(new AbortError(`${what} aborted`, undefined, { cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const cleanup = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      emitter.off(event, onEvent).off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onEvent = (value: T): void => {
      cleanup();
      resolve(value);
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onAbort = (): void => {
      cleanup();
      reject(new AbortError(`${what} aborted`, undefined, { cause: signal?.reason }));
    };
    emitter.once(event, onEvent).once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeouts !== null && !timeouts.unlimited) {
      const d = timeouts.start();
      timer = setTimeout(() => {
        cleanup();
        reject(new TimeoutError(`${what} timed out`));
      }, d.waitMs(d.started)!);
    }
  });
}
