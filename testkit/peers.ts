/**
 * Starting the shared peer recipes (`../shared/peers/*.sh` beside the repo)
 * for the interop suite, on free ports, in throwaway directories.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './index.js';

const run = promisify(execFile);

/** The shared peers folder, or undefined when it is not beside the repo. */
export function peersDir(): string | undefined {
  const dir = join(dirname(repoRoot()), 'shared', 'peers');
  return existsSync(dir) ? dir : undefined;
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Why a peer cannot run here (to skip), or undefined when it can. Under CI
 * a missing peer is an error, not a skip.
 */
export function missingPeer(binary: string): string | undefined {
  const why = !existsSync(binary) ? `${binary} is not installed` : !peersDir() ? 'the shared peers folder is not beside the repo' : undefined;
  if (why && process.env.CI) throw new Error(`interop peer missing under CI: ${why}`);
  return why;
}

export interface Dovecot {
  dir: string;
  pop3: number;
  pop3s: number;
  cert: string;
  stop(): Promise<void>;
}

/** Starts Dovecot with the shared recipe (users alice/secret with two messages, bob/secret). */
export async function startDovecot(): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'nk-dovecot-'));
  const [pop3, pop3s, imap, imaps] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const env = { ...process.env, DIR: dir, POP3PORT: String(pop3), POP3SPORT: String(pop3s), IMAPPORT: String(imap), IMAPSPORT: String(imaps) };
  const script = join(peersDir()!, 'dovecot.sh');
  const stop = async () => void (await run('sh', [script, 'stop'], { env, timeout: 60000 }));
  try {
    await run('sh', [script, 'start'], { env, timeout: 60000 });
    await waitPort(pop3);
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  return {
    dir, pop3, pop3s,
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    stop,
  };
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port` (polls for up to 10 s). */
export async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}
