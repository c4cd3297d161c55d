/**
 * `servers.web({ workers: N })`: N processes serve one port, as nginx runs
 * worker processes. The primary (this process) forks the workers with
 * node:cluster, which shares the listening socket among them; each worker
 * is a whole `servers.web` with the same options (the connection limits
 * apply per worker). A worker that dies is replaced at once; access-log
 * lines come back to the primary's `log`. `close()` asks every worker to
 * close (as `servers.web` does) and waits for them, killing any still
 * there after {@link WORKER_CLOSE_MS}.
 *
 * @example
 * ```ts
 * const site = await servers.web({ root: 'www', port: 8080, workers: 4 });
 * console.log(site.workers); // the worker pids
 * await site.close();
 * ```
 */
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { ArgumentError } from '../../core/errors.js';
import { LongTimer, waitFor } from '../../core/wait.js';
import type { AccessEntry } from './access-log.js';
import type { WebOptions, WebServer } from './web.js';

/** How long `close()` waits for a worker before killing it, ms. */
export const WORKER_CLOSE_MS = 5000;

/** How long starting waits for the workers to listen, ms. */
export const WORKER_START_MS = 30_000;

/** Starts `n` worker processes serving `opts` on one port; `root` is the folder's real path. */
export async function webWorkers(opts: WebOptions, root: string, n: number): Promise<WebServer & { readonly workers: number[] }> {
  if (!cluster.isPrimary) throw new ArgumentError('web: workers are started from the primary process only');
  const { log, signal, workers: _n, ...plain } = opts;
  const live = new Set<Worker>();
  let closing = false;
  // biome-ignore lint/style/useConst: set once the first worker listens; fork() reads it for the others
  let port: number;
  let address = '';
  let family = '';
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./worker.js', import.meta.url)), args: [] });
  const onLine = (line: string, entry: AccessEntry): void => {
    if (log === undefined) return;
    if (typeof log === 'function') log(line, entry);
    else log.write(`${line}\n`);
  };
  const fork = (): Worker => {
    // every worker asks for the port as given: node:cluster shares one listening handle per (host, port asked),
    // so port 0 gives all of them the same free port
    const w = cluster.fork({ NETKIT_WEB_OPTIONS: JSON.stringify({ ...plain, root, port: opts.port, logToPrimary: log !== undefined }) });
    live.add(w);
    w.on('message', (m: { kind?: string; line?: string; entry?: AccessEntry }) => {
      if (m?.kind === 'log' && typeof m.line === 'string') onLine(m.line, m.entry!);
    });
    w.on('exit', () => {
      live.delete(w);
      if (!closing) fork(); // a crashed worker is replaced
    });
    return w;
  };
  // the first worker picks the port (port 0 = a free one); the others share it
  const first = fork();
  const listening = (w: Worker) =>
    waitFor<{ address: string; port: number; addressType: number | string }>(
      (done) => {
        const on = (addr: { address: string; port: number; addressType: number | string }): void => done(null, addr);
        const dead = (): void => done(new ArgumentError('web: a worker exited before it listened'));
        w.once('listening', on).once('exit', dead);
        return () => void w.off('listening', on).off('exit', dead);
      },
      { timeout: WORKER_START_MS, what: 'web worker start' },
    );
  const addr = await listening(first);
  port = addr.port;
  address = addr.address;
  family = addr.addressType === 6 || addr.addressType === 'udp6' ? 'inet6' : 'inet';
  await Promise.all(Array.from({ length: n - 1 }, () => listening(fork())));

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      await Promise.all(
        [...live].map(
          (w) =>
            new Promise<void>((resolve) => {
              if (w.isDead()) return resolve();
              const kill = new LongTimer(() => w.process.kill('SIGKILL'), WORKER_CLOSE_MS);
              w.once('exit', () => (kill.clear(), resolve()));
              w.send({ kind: 'close' }, (err: Error | null) => (err ? w.process.kill('SIGKILL') : undefined));
            }),
        ),
      );
    })();
    return closed;
  };
  signal?.addEventListener('abort', () => void close(), { once: true });
  if (signal?.aborted) void close();
  return {
    address,
    port,
    family,
    root,
    get connections() {
      return 0; // counted in the workers
    },
    get workers() {
      return [...live].map((w) => w.process.pid!).filter((p) => p !== undefined);
    },
    fileChunks: () => ({ slots: 0, bytes: 0, reserved: 0 }), // counted in the workers
    close,
  };
}
