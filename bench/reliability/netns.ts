/**
 * Fault rules for figures that run inside their own network namespace (the
 * runner starts them under `unshare --net` with loopback up): nftables rules
 * in one table, and loopback settings. Nothing here touches the host's network.
 *
 * @example
 * ```ts
 * nft(`chain out { type filter hook output priority 0; policy accept; tcp sport ${port} numgen random mod 100 < 10 drop; }`);
 * ```
 */
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';

/** The network namespace of this process, e.g. 'net:[4026531833]'. */
export const netnsId = (): string => readlinkSync('/proc/self/ns/net');

/**
 * True when this process runs in a namespace other than the runner's (which
 * passes its own in NETKIT_RUNNER_NETNS), so rules cannot reach the host.
 */
export function inOwnNetns(): boolean {
  const runner = process.env.NETKIT_RUNNER_NETNS;
  return runner !== undefined && runner !== '' && netnsId() !== runner;
}

function guard(): void {
  if (!inOwnNetns()) throw new Error('refusing to change network settings outside a private network namespace');
}

/** Replaces the `inet fault` table with one holding `chains`. */
export function nft(chains: string): void {
  guard();
  execFileSync('nft', ['-f', '-'], { input: `table inet fault {}\ndelete table inet fault\ntable inet fault {\n${chains}\n}\n` });
}

export function nftClear(): void {
  guard();
  execFileSync('nft', ['-f', '-'], { input: 'table inet fault {}\ndelete table inet fault\n' });
}

/** Sets the loopback MTU (1500 makes loss hit real-sized segments). */
export function loMtu(mtu: number): void {
  guard();
  execFileSync('ip', ['link', 'set', 'lo', 'mtu', String(mtu)]);
}
