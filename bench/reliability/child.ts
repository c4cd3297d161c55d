/**
 * Starts peer.js in a separate process and waits for its ready line.
 *
 * @example
 * ```ts
 * const p = await startPeer(['blast', String(1 << 30)]);   // p.line === 'port 41234'
 * await p.stop();
 * ```
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export interface Peer {
  /** The first line it printed. */
  line: string;
  stop(): Promise<void>;
}

export async function startPeer(args: string[], readyMs = 30_000): Promise<Peer> {
  const child = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'peer.js'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`peer ${args[0]} not ready in ${readyMs} ms`)), readyMs);
    createInterface({ input: child.stdout! }).once('line', (l) => (clearTimeout(timer), resolve(l)));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`peer ${args[0]} exited with ${code}`))));
  });
  return {
    line,
    stop: async () => {
      child.stdin!.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Resident set size of this process, MiB. */
export function rssMiB(): number {
  return process.memoryUsage.rss() / 1048576;
}
