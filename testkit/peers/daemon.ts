/**
 * A peer server run as a child process for the length of a test: its
 * output goes to a log file in its own directory, and stopping it sends
 * one signal to that one process, waits (bounded) for it to exit, and
 * removes the directory. Nothing is found by name.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSigned } from '../tls.js';

/** How long a stopped peer may take to exit before it is killed outright. */
export const STOP_GRACE_MS = 10_000;
/** How long a started peer may take to accept its first connection. */
export const START_WAIT_MS = 15_000;

export interface Daemon {
  pid: number;
  /** The last lines the peer wrote, for error messages. */
  log(): string;
  /** Signals the process (SIGTERM unless the recipe says otherwise) and waits for it to exit. */
  stop(): Promise<void>;
}

/** A fresh directory for one peer, and the throwaway certificate written into it as cert.pem / key.pem. */
export function peerDir(prefix: string): { dir: string; cert: string; certFile: string; keyFile: string } {
  const dir = mkdtempSync(join(tmpdir(), `nk-${prefix}-`));
  const { key, cert } = selfSigned();
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  writeFileSync(certFile, cert);
  writeFileSync(keyFile, key, { mode: 0o600 });
  return { dir, cert, certFile, keyFile };
}

/** Starts `command` with its output in `logFile`; `signal` is what `stop()` sends. */
export function launch(command: string, args: string[], logFile: string, signal: NodeJS.Signals = 'SIGTERM'): Daemon {
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid ?? -1,
    log: () => {
      try {
        return readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
      } catch {
        return '';
      }
    },
    async stop() {
      if (alive()) child.kill(signal);
      const late = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(r, STOP_GRACE_MS, true).unref())]);
      if (late && alive()) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** A port that was free a moment ago on `host`. */
export async function freePortOn(host = '127.0.0.1'): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, host, resolve);
  });
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Resolves once `host`:`port` accepts a TCP connection; rejects after `ms` (with the peer's log when given). */
export async function waitListening(host: string, port: number, ms = START_WAIT_MS, daemon?: Daemon): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, host);
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${host} ${port} after ${ms} ms${daemon ? `; the peer said:\n${daemon.log()}` : ''}`);
}

/** Stops every daemon, then removes `dir`. */
export async function stopAll(daemons: Daemon[], dir: string): Promise<void> {
  await Promise.all(daemons.map((d) => d.stop()));
  rmSync(dir, { recursive: true, force: true });
}

/** Starts `daemons`, waits for every port in `ports`; on failure stops what started and rethrows. */
export async function started(daemons: Daemon[], dir: string, ports: Array<[string, number]>): Promise<void> {
  try {
    for (const [host, port] of ports) await waitListening(host, port, START_WAIT_MS, daemons[0]);
  } catch (err) {
    await stopAll(daemons, dir);
    throw err;
  }
}
