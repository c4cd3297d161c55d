/**
 * Runs the built `netkit` binary the way people do: under a pseudo-terminal
 * (`script -qfec`, so stdin, stdout and stderr are a terminal and Ctrl-C is
 * the terminal's), or with pipes. Both collect the output and report the
 * exit code; `type` writes keystrokes (`'\x03'` is Ctrl-C).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { hasCommand, repoRoot } from '../../testkit/index.js';

export const bin = () => join(repoRoot(), 'dist/src/cli/main.js');

/** Why a terminal test cannot run here, or undefined. */
export const noTerminal = hasCommand('script') ? undefined : 'script(1) is not installed';

export interface Running {
  child: ChildProcessWithoutNullStreams;
  /** Everything printed so far (stdout and stderr together under a terminal). */
  output(): string;
  stderr(): string;
  /** Resolves when the output matches `re` (polling), or rejects after `ms`. */
  until(re: RegExp, ms?: number): Promise<void>;
  type(keys: string): void;
  exit: Promise<number | null>;
}

function track(child: ChildProcessWithoutNullStreams): Running {
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    output: () => out + err,
    stderr: () => err,
    type: (keys) => void child.stdin.write(keys),
    exit,
    async until(re, ms = 20_000) {
      const end = Date.now() + ms;
      while (!re.test(out + err)) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${re} in ${JSON.stringify(out + err)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** `netkit ARGS…` under a pseudo-terminal. */
export function onTerminal(args: string[], env: Record<string, string> = {}): Running {
  const cmd = [process.execPath, bin(), ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return track(spawn('script', ['-qfec', cmd, '/dev/null'], { env: { PATH: process.env.PATH, TERM: 'dumb', ...env } }));
}

/** `netkit ARGS…` with pipes for stdin, stdout and stderr. */
export function withPipes(args: string[], env: Record<string, string> = {}): Running {
  return track(spawn(process.execPath, [bin(), ...args], { env: { PATH: process.env.PATH, ...env } }));
}

/** The lines of terminal output, with carriage returns and erase-line sequences removed. */
export function screenLines(output: string): string[] {
  return output
    .replaceAll('\x1b[K', '')
    .replaceAll('\r\n', '\n')
    .split('\n')
    .map((l) => l.slice(l.lastIndexOf('\r') + 1));
}
