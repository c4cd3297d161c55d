/**
 * `servers.inetd`: a super-server in the manner of xinetd — for each
 * connection it starts `command` with `args` (no shell), with the
 * connection as the program's stdin and stdout (and stderr when asked).
 *
 * - At start the command must name an executable file (on `PATH` when it
 *   has no `/`), else ArgumentError; a busy port is NetError
 *   `'address in use'`. Every numeric option is checked (ArgumentError).
 * - The program runs in its own session and process group with
 *   `REMOTE_HOST` and `REMOTE_PORT` in its environment, and no descriptor
 *   but its stdio (see `inetd-launch.ts`).
 * - `maxConnections` programs at most (default 50) and `perHostLimit` per
 *   remote address (default 10); a connection over either limit gets one
 *   line, `busy: try again later`, and is closed within
 *   {@link REFUSAL_LINGER_MS} whatever the client sends; at most
 *   {@link MAX_LINGERING_REFUSALS} refusals linger at once, more are closed
 *   at once.
 * - `timeLimit` (ms, default 60000; any length) bounds each connection:
 *   then the process group gets SIGTERM, and SIGKILL a second later. When a
 *   program ends, whatever it left behind is killed — its group, and any
 *   process that detached (`setsid … &`) but still carries its marker.
 * - One log line per connection (pid, host, duration, exit status) goes to
 *   `onLog` (default: stderr). Children are reaped as they exit; `close()`
 *   stops listening, ends every running group and waits for them.
 * - The listening socket is paused on connect, so nothing the client sends
 *   is read by this process: every byte reaches the program.
 *
 * @example
 * ```ts
 * const srv = await servers.inetd({ port: 23032, command: 'tr', args: ['a-z', 'A-Z'] });
 * ```
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { toNetError } from '../core/errors.js';
import { checkInteger, checkMs } from '../core/validate.js';
import { LongTimer, waitFor } from '../core/wait.js';
import { checkProgram, endAll, inheritedDescriptors, launch, signalGroup } from './inetd-launch.js';

export interface InetdOptions {
  /** @default '127.0.0.1' */
  host?: string;
  port: number;
  command: string;
  args?: string[];
  /** @default 50 */
  maxConnections?: number;
  /** @default 10 */
  perHostLimit?: number;
  /** ms per connection. @default 60000 */
  timeLimit?: number;
  /** Put the program's stderr on the connection too. @default false */
  stderr?: boolean;
  /** Extra environment for the program (the server's own is not passed). */
  env?: Record<string, string>;
  onLog?: (line: string) => void;
}

export interface Inetd {
  address: string;
  port: number;
  /** Programs running now. */
  readonly running: number;
  /** Connections turned away by a limit. */
  readonly refused: number;
  close(): Promise<void>;
}

/** A refused connection is closed this many ms after the refusal, whatever the client sends. */
export const REFUSAL_LINGER_MS = 100;

/** Refused connections lingering at most at once; more are closed at once. */
export const MAX_LINGERING_REFUSALS = 64;

/**
 * Sends the refusal line and closes: FIN after the line, what the client
 * sends is read and dropped (so the close is not a reset that could destroy
 * the line before the client reads it), and a fixed timer — not an
 * inactivity timer, which every byte would reset — destroys the socket
 * after {@link REFUSAL_LINGER_MS}. Over {@link MAX_LINGERING_REFUSALS} it
 * is destroyed at once.
 */
function refuse(sock: net.Socket, refusing: Set<net.Socket>): void {
  sock.on('error', () => {});
  if (refusing.size >= MAX_LINGERING_REFUSALS) {
    sock.destroy();
    return;
  }
  refusing.add(sock);
  const timer = new LongTimer(() => sock.destroy(), REFUSAL_LINGER_MS);
  sock.once('close', () => {
    timer.clear();
    refusing.delete(sock);
  });
  sock.resume();
  sock.end('busy: try again later\r\n');
}

export async function inetd(opts: InetdOptions): Promise<Inetd> {
  const max = checkInteger('inetd: maxConnections', opts.maxConnections, { min: 1 }, 50);
  const perHost = checkInteger('inetd: perHostLimit', opts.perHostLimit, { min: 1 }, 10);
  const limit = checkMs('inetd: timeLimit', opts.timeLimit, 60_000) ?? 60_000;
  const port = checkInteger('inetd: port', opts.port, { max: 65535 });
  const path = opts.env?.PATH ?? process.env.PATH ?? '/usr/bin:/bin';
  const program = await checkProgram(opts.command, path);
  const inherited = inheritedDescriptors();
  const log = opts.onLog ?? ((line: string) => process.stderr.write(`${line}\n`));
  const children = new Map<ChildProcess, Promise<void>>();
  const perHostCount = new Map<string, number>();
  const refusing = new Set<net.Socket>();
  const serverId = randomBytes(6).toString('hex');
  let serial = 0;
  let refused = 0;

  const start = (sock: net.Socket) => {
    const host = sock.remoteAddress ?? '?';
    const rport = sock.remotePort ?? 0;
    if (children.size >= max || (perHostCount.get(host) ?? 0) >= perHost) {
      refused++;
      refuse(sock, refusing);
      return;
    }
    const began = performance.now();
    const marker = `${serverId}-${++serial}`;
    const child = launch(program, opts.args ?? [], {
      stdio: [sock, sock, opts.stderr ? sock : 'ignore'],
      env: { PATH: path, ...opts.env, REMOTE_HOST: host, REMOTE_PORT: String(rport) },
      marker,
      inherited,
    });
    sock.destroy(); // the program holds its own copy of the descriptor
    perHostCount.set(host, (perHostCount.get(host) ?? 0) + 1);
    let term: LongTimer | undefined;
    const timer = new LongTimer(() => {
      signalGroup(child, 'SIGTERM');
      term = new LongTimer(() => signalGroup(child, 'SIGKILL'), 1000);
    }, limit);
    const done = new Promise<void>((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        timer.clear();
        term?.clear();
        log(`inetd pid=${child.pid ?? '-'} host=${host}:${rport} duration=${Math.round(performance.now() - began)}ms exit=${signal ?? code}`);
        // anything the program left running: its group, and what detached from it
        void endAll(child, marker, 'SIGKILL').finally(() => {
          children.delete(child);
          const left = (perHostCount.get(host) ?? 1) - 1;
          if (left === 0) perHostCount.delete(host);
          else perHostCount.set(host, left);
          resolve();
        });
      };
      child.once('exit', finish);
      child.once('error', (err) => {
        log(`inetd cannot start ${opts.command}: ${err.message}`);
        finish(null, null);
      });
    });
    children.set(child, done);
  };

  const server = net.createServer({ pauseOnConnect: true }, start);
  const host = opts.host ?? '127.0.0.1';
  try {
    await waitFor<void>(
      (done) => {
        const onError = (err: Error): void => done(err);
        server.once('error', onError);
        server.listen(port, host, () => done(null));
        return () => void server.off('error', onError);
      },
      { what: `inetd listen on ${host}:${port}` },
    );
  } catch (err) {
    server.close();
    throw toNetError(err, `inetd listen on ${host}:${port}`);
  }
  const addr = server.address() as net.AddressInfo;
  return {
    address: addr.address,
    port: addr.port,
    get running() {
      return children.size;
    },
    get refused() {
      return refused;
    },
    async close() {
      // Stop accepting at once; close()'s callback would also wait for sockets whose
      // descriptors now belong to programs, so it is not awaited.
      server.close();
      for (const sock of refusing) sock.destroy();
      for (const child of children.keys()) signalGroup(child, 'SIGTERM');
      const hard = new LongTimer(() => {
        for (const child of children.keys()) signalGroup(child, 'SIGKILL');
      }, 1000);
      await Promise.all(children.values());
      hard.clear();
    },
  };
}
