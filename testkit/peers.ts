/**
 * Real peers for the interop suite, the benchmarks and the reliability
 * figures, started from the recipes in `testkit/peers/` on free loopback
 * ports in throwaway directories and stopped by PID. See
 * `testkit/peers/README.md` for what each peer offers.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './index.js';
import { freePortOn, waitListening } from './peers/daemon.js';

export { startDovecot, type Dovecot } from './peers/dovecot.js';

/** The path of a script recipe in `testkit/peers/` (`ftpd.py`, `smtpd.py`). */
export function peerScript(name: string): string {
  return join(repoRoot(), 'testkit', 'peers', name);
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return freePortOn('127.0.0.1');
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port` (polls for up to 10 s). */
export function waitPort(port: number): Promise<void> {
  return waitListening('127.0.0.1', port, 10_000);
}

/**
 * Why a peer cannot run here (to skip), or undefined when it can. Under CI
 * a missing peer is an error, not a skip.
 */
export function missingPeer(binary: string): string | undefined {
  const why = !existsSync(binary) ? `${binary} is not installed` : undefined;
  if (why && process.env.CI) throw new Error(`interop peer missing under CI: ${why}`);
  return why;
}
