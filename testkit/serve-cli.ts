/**
 * Starts the built `netkit serve` CLI as a child process and waits for its
 * "serving … on http://host:port/" line; collects its stderr (the access
 * log). Not part of the package.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './index.js';

export interface ServeCli {
  child: ChildProcess;
  port: number;
  url: string;
  /** Access-log lines so far. */
  log(): string[];
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Runs `netkit serve ...args` and resolves once it listens (rejects after 10 s or on early exit). */
export async function startServeCli(args: string[]): Promise<ServeCli> {
  const child = spawn(process.execPath, [join(repoRoot(), 'dist/src/cli/main.js'), 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`netkit serve did not start: ${out}${err}`)), 10000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /on (http:\/\/\S+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`netkit serve exited ${code}: ${err}`));
    });
  });
  return {
    child,
    port: Number(new URL(url).port),
    url,
    log: () => err.split('\n').filter((l) => l !== ''),
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
