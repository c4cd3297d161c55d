/**
 * `serve`: one async handler per connection — LuaSocket's coroutine-per-client
 * dispatcher, with Node's event loop doing the scheduling.
 *
 * Each accepted connection gets its own call of `handler(client)`; when the
 * handler returns (or throws) the connection is closed. A throwing handler
 * affects only its own connection: the error goes to `onError` (default:
 * one line on stderr) and the server keeps serving.
 *
 * Limits: over `maxConnections` live connections, or over
 * `maxConnectionsPerClient` from one remote address, a new connection is
 * accepted and closed at once (the client sees EOF straight away, never a
 * hang) — so one address that holds connections open (slowloris) cannot
 * take every slot. `idleTimeout` (ms) is set on every client as its block timeout, so
 * a receive that waits longer throws TimeoutError. The server binds to
 * 127.0.0.1 unless given a host.
 *
 * `close()` stops accepting, then waits for running handlers to finish; after
 * `closeGrace` ms (default 5000) it closes the connections still open, which
 * makes their pending receives fail with ClosedError, and waits for the
 * handlers to return. An AbortSignal in `signal` does the same.
 *
 * @example
 * ```ts
 * const srv = await servers.serve({ port: 0 }, async (client) => {
 *   for (;;) await client.send(`${(await client.receive('*l')).toUpperCase()}\n`);
 * });
 * // … later
 * await srv.close();
 * ```
 */
import { checkInteger, checkMs } from '../core/validate.js';
import { LongTimer } from '../core/wait.js';
import { bind, type TcpClient, type TcpServer } from '../socket/index.js';

/** Default live connections from one remote address (`maxConnectionsPerClient`). */
export const MAX_CONNECTIONS_PER_CLIENT = 64;

/** Options of {@link serve}. */
export interface ServeOptions {
  /** Interface to listen on; '*' for all. @default '127.0.0.1' */
  host?: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** Live connections at most; more are closed on arrival. @default 1024 */
  maxConnections?: number;
  /** Live connections from one remote address at most; more are closed on arrival. @default 64 ({@link MAX_CONNECTIONS_PER_CLIENT}) */
  maxConnectionsPerClient?: number;
  /** Block timeout (ms) set on each client; null for none. @default 300000 */
  idleTimeout?: number | null;
  /** Kernel accept queue. A bare socket's 32 (LuaSocket's) drops the SYNs of a burst and makes clients retry after 1 s, 3 s …. @default 511 */
  backlog?: number;
  /** How long `close()` waits for handlers before closing their connections (ms). @default 5000 */
  closeGrace?: number;
  /** Aborting it closes the server as `close()` does. */
  signal?: AbortSignal;
  /** Called with a handler's error; the default writes one line to stderr. */
  onError?: (err: unknown, client: TcpClient) => void;
}

/** A running server. */
export interface Served {
  address: string;
  port: number;
  family: string;
  /** Live connections. */
  readonly connections: number;
  /** Connections closed on arrival because of `maxConnections` or `maxConnectionsPerClient`. */
  readonly refused: number;
  /** Stops accepting, lets handlers finish (bounded) and resolves when all are done. */
  close(): Promise<void>;
}

/** The handler run for each connection. */
export type Handler = (client: TcpClient) => unknown | Promise<unknown>;

const defaultOnError = (err: unknown) => {
  process.stderr.write(`netkit serve: handler failed: ${err instanceof Error ? err.message : String(err)}\n`);
};

/** Starts a server that runs `handler` once per connection; see the module doc. */
export async function serve(opts: ServeOptions, handler: Handler): Promise<Served> {
  const maxConnections = checkInteger('serve: maxConnections', opts.maxConnections, { min: 1 }, 1024);
  const perClient = checkInteger('serve: maxConnectionsPerClient', opts.maxConnectionsPerClient, { min: 1 }, MAX_CONNECTIONS_PER_CLIENT);
  const idle = checkMs('serve: idleTimeout', opts.idleTimeout, 300_000);
  const backlog = checkInteger('serve: backlog', opts.backlog, { min: 1, max: 65535 }, 511);
  const grace = checkMs('serve: closeGrace', opts.closeGrace, 5000) ?? 0;
  const server = await bind(opts.host ?? '127.0.0.1', opts.port, { backlog });
  const onError = opts.onError ?? defaultOnError;
  const live = new Map<TcpClient, Promise<void>>();
  const perAddress = new Map<string, number>();
  let refused = 0;
  let closing: Promise<void> | null = null;

  const run = (client: TcpClient, address: string): void => {
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    client.setTimeout(idle, 'b');
    const done = (async () => {
      try {
        await handler(client);
      } catch (err) {
        if (closing === null || !client.closed) onError(err, client);
      } finally {
        await client.close();
        live.delete(client);
        const left = perAddress.get(address)! - 1;
        if (left === 0) perAddress.delete(address);
        else perAddress.set(address, left);
      }
    })();
    live.set(client, done);
  };

  const acceptLoop = async (srv: TcpServer) => {
    while (closing === null) {
      let client: TcpClient;
      try {
        client = await srv.accept();
      } catch {
        if (closing !== null || srv.closed) return;
        await new Promise((r) => setTimeout(r, 50)); // e.g. out of descriptors: back off, then retry
        continue;
      }
      const address = client.getPeerName().address;
      if (live.size >= maxConnections || (perAddress.get(address) ?? 0) >= perClient) {
        refused++;
        void client.close();
        continue;
      }
      run(client, address);
    }
  };
  const looping = acceptLoop(server);

  const close = (): Promise<void> => {
    closing ??= (async () => {
      await server.close();
      await looping;
      let timer: LongTimer | undefined;
      const expired = new Promise<void>((r) => (timer = new LongTimer(r, grace)));
      await Promise.race([Promise.all(live.values()), expired]);
      timer?.clear();
      for (const client of live.keys()) void client.close();
      await Promise.all(live.values());
    })();
    return closing;
  };
  opts.signal?.addEventListener('abort', () => void close(), { once: true });
  if (opts.signal?.aborted) void close();

  const name = server.getSockName();
  return {
    address: name.address,
    port: name.port,
    family: name.family,
    get connections() {
      return live.size;
    },
    get refused() {
      return refused;
    },
    close,
  };
}
