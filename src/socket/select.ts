/**
 * `select`: waits until some sockets can be received from or sent to,
 * like LuaSocket's `socket.select` — without FD_SETSIZE: any number of
 * sockets, and no polling (each socket notifies when its state changes).
 *
 * - readable: data is buffered, or an end/error is pending (a receive would
 *   not wait), or — for a server — a connection waits for `accept()`;
 * - writable: connected and Node's write buffer has room (or the socket
 *   failed, so a send reports the error at once).
 *
 * Results keep the order of the input. With `timeoutMs` 0 it only checks.
 *
 * @example
 * ```ts
 * declare const server: socket.TcpServer;
 * declare const clients: socket.TcpClient[];
 * const { readable, timedOut } = await socket.select([server, ...clients], null, 1000);
 * for (const s of readable) if (s === server) clients.push(await server.accept());
 * ```
 */
import { ArgumentError } from '../core/errors.js';
import { waitFor } from '../core/wait.js';
import { checkTimeout } from '../core/deadline.js';
import { selectHooks, type Selectable } from './select-hooks.js';

/** What {@link select} found. */
export interface SelectResult<R, W> {
  readable: R[];
  writable: W[];
  timedOut: boolean;
}

function scan<T extends Selectable>(list: readonly T[], kind: 'readable' | 'writable'): T[] {
  const out: T[] = [];
  for (const s of list) if (s[selectHooks][kind]()) out.push(s);
  return out;
}

/**
 * Resolves when at least one socket is ready, or after `timeoutMs`
 * (`timedOut: true`, empty lists). `null`/omitted timeout waits forever.
 * @throws {ArgumentError} both lists empty and no timeout (it would never return).
 */
export async function select<R extends Selectable, W extends Selectable>(
  recvt: Iterable<R> | null | undefined,
  sendt: Iterable<W> | null | undefined,
  timeoutMs?: number | null,
  opts: { signal?: AbortSignal } = {},
): Promise<SelectResult<R, W>> {
  const rl = recvt ? [...recvt] : [];
  const wl = sendt ? [...sendt] : [];
  const ms = checkTimeout(timeoutMs);
  let readable = scan(rl, 'readable');
  let writable = scan(wl, 'writable');
  if (readable.length > 0 || writable.length > 0) return { readable, writable, timedOut: false };
  if (ms === 0) return { readable, writable, timedOut: true };
  if (rl.length === 0 && wl.length === 0 && ms === null) throw new ArgumentError('select with no sockets and no timeout would wait forever');
  const started = performance.now();
  for (;;) {
    const left = ms === null ? null : ms - (performance.now() - started);
    if (left !== null && left <= 0) return { readable: [], writable: [], timedOut: true };
    const woke = await waitAny(rl, wl, left, opts.signal);
    readable = scan(rl, 'readable');
    writable = scan(wl, 'writable');
    if (readable.length > 0 || writable.length > 0) return { readable, writable, timedOut: false };
    if (woke === 'timeout') return { readable, writable, timedOut: true };
  }
}

const TIMED_OUT = new Error('timeout');

/** Waits until any socket may have changed state (any length of timeout); `'timeout'` when none did in time. */
function waitAny(rl: readonly Selectable[], wl: readonly Selectable[], ms: number | null, signal?: AbortSignal): Promise<'event' | 'timeout'> {
  return waitFor<'event'>(
    (done) => {
      const onEvent = (): void => done(null, 'event');
      for (const s of rl) s[selectHooks].watchReadable(onEvent);
      for (const s of wl) s[selectHooks].watchWritable(onEvent);
      return () => {
        for (const s of rl) s[selectHooks].unwatchReadable(onEvent);
        for (const s of wl) s[selectHooks].unwatchWritable(onEvent);
      };
    },
    { timeout: ms, signal, what: 'select', onTimeout: () => TIMED_OUT },
  ).catch((e: Error) => {
    if (e === TIMED_OUT) return 'timeout';
    throw e;
  });
}
