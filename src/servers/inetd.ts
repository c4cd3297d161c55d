/**
 * `servers.inetd`: a super-server in the manner of xinetd — for each
 * connection it starts `command` with `args` (no shell), with the
 * connection as the program's stdin and stdout (and stderr when asked).
 *
 * - The program runs in its own process group with `REMOTE_HOST` and
 *   `REMOTE_PORT` in its environment.
 * - `maxConnections` programs at most (default 50) and `perHostLimit` per
 *   remote address (default 10); a connection over either limit gets one
 *   line, `busy: try again later`, and is closed at once.
 * - `timeLimit` (ms, default 60000) bounds each connection: then the whole
 *   process group gets SIGTERM, and SIGKILL a second later.
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
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

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

const killGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
};

/** How long a refused client gets to read the refusal and close before its connection is dropped. */
const REFUSAL_LINGER_MS = 5000;

/**
 * Sends the refusal line and closes. The socket arrived paused, so it must be
 * read (and what the client sent discarded) to see the client's FIN: a socket
 * that is never read never learns the peer closed and keeps its descriptor.
 * Destroying it at once instead would reset the connection when the client had
 * sent bytes, and the client could lose the refusal line.
 */
function refuse(sock: net.Socket, refusing: Set<net.Socket>): void {
  refusing.add(sock);
  sock.once('close', () => refusing.delete(sock));
  sock.on('error', () => {});
  sock.setTimeout(REFUSAL_LINGER_MS, () => sock.destroy());
  sock.resume();
  sock.end('busy: try again later\r\n');
}

export async function inetd(opts: InetdOptions): Promise<Inetd> {
  const max = opts.maxConnections ?? 50;
  const perHost = opts.perHostLimit ?? 10;
  const limit = opts.timeLimit ?? 60_000;
  const log = opts.onLog ?? ((line: string) => process.stderr.write(`${line}\n`));
  const children = new Map<ChildProcess, Promise<void>>();
  const perHostCount = new Map<string, number>();
  const refusing = new Set<net.Socket>();
  let refused = 0;

  const start = (sock: net.Socket) => {
    const host = sock.remoteAddress ?? '?';
    const port = sock.remotePort ?? 0;
    if (children.size >= max || (perHostCount.get(host) ?? 0) >= perHost) {
      refused++;
      refuse(sock, refusing);
      return;
    }
    const began = performance.now();
    const child = spawn(opts.command, opts.args ?? [], {
      stdio: [sock, sock, opts.stderr ? sock : 'ignore'],
      detached: true, // its own process group, so the time limit ends everything it started
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...opts.env, REMOTE_HOST: host, REMOTE_PORT: String(port) },
    });
    sock.destroy(); // the program holds its own copy of the descriptor
    perHostCount.set(host, (perHostCount.get(host) ?? 0) + 1);
    let term: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      killGroup(child, 'SIGTERM');
      term = setTimeout(() => killGroup(child, 'SIGKILL'), 1000);
    }, limit);
    const done = new Promise<void>((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timer);
        clearTimeout(term);
        killGroup(child, 'SIGKILL'); // anything the program left running in its group
        children.delete(child);
        const left = (perHostCount.get(host) ?? 1) - 1;
        if (left === 0) perHostCount.delete(host);
        else perHostCount.set(host, left);
        log(`inetd pid=${child.pid ?? '-'} host=${host}:${port} duration=${Math.round(performance.now() - began)}ms exit=${signal ?? code}`);
        resolve();
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
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
      for (const child of children.keys()) killGroup(child, 'SIGTERM');
      const hard = setTimeout(() => {
        for (const child of children.keys()) killGroup(child, 'SIGKILL');
      }, 1000);
      await Promise.all(children.values());
      clearTimeout(hard);
    },
  };
}
