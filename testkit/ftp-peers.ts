/**
 * FTP peers for the interop suite: pyftpdlib (`testkit/peers/ftpd.py`,
 * plain FTP with MLSD, REST, IPv6) and vsftpd (`testkit/peers/vsftpd.ts`,
 * explicit and implicit FTPS with TLS session reuse required), on free
 * ports, in throwaway directories, stopped by PID.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { peerScript } from './peers.js';

export { startVsftpd, type Vsftpd } from './peers/vsftpd.js';

const run = promisify(execFile);

/** The Debian python (pyftpdlib is a Debian package, not on other pythons' paths). */
export const PYTHON = '/usr/bin/python3';

async function freePortOn(host: string): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, host, r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitPort(host: string, port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, host);
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${host} ${port}`);
}

/** True when pyftpdlib imports under the Debian python. */
export async function hasPyftpdlib(): Promise<boolean> {
  try {
    await run(PYTHON, ['-c', 'import pyftpdlib'], { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

export interface Pyftpd {
  host: string;
  port: number;
  /** The served directory: `user`/`pass` may write, anonymous may read. */
  root: string;
  stop(): Promise<void>;
}

/** Starts `ftpd.py` on `host` (127.0.0.1 or ::1), serving `root` (a fresh directory by default, removed by `stop`). */
export async function startPyftpd(host = '127.0.0.1', given?: string): Promise<Pyftpd> {
  const root = given ?? mkdtempSync(join(tmpdir(), 'nk-pyftpd-'));
  const port = await freePortOn(host);
  const log = openSync(join(tmpdir(), `nk-pyftpd-${port}.log`), 'w');
  const child = spawn(PYTHON, [peerScript('ftpd.py'), root, String(port), '--host', host], { stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(join(tmpdir(), `nk-pyftpd-${port}.log`), { force: true });
    if (given === undefined) rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitPort(host, port);
  } catch (err) {
    await stop();
    throw err;
  }
  return { host, port, root, stop };
}
