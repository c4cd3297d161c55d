/**
 * How `servers.inetd` starts a program and ends everything it started.
 *
 * - `checkProgram` finds the command as `execvp` would (a path as given, a
 *   bare name on `PATH`) and refuses at start one that does not exist or is
 *   not executable (ArgumentError), instead of one log line per connection.
 * - `launch` runs the program in a new session and process group
 *   (`setsid`), with no descriptor but its stdio: the descriptors the server
 *   inherited without close-on-exec (Node marks only its own) would reach
 *   every program, so each of those numbers is given `/dev/null` in the
 *   child instead (`inheritedDescriptors` lists them once, at start). The
 *   program's environment carries a marker, `NETKIT_INETD=<id>`.
 * - `endAll` ends the group (SIGTERM or SIGKILL), then every process still
 *   carrying the marker: a child that detached into its own session
 *   (`setsid … &`) left the group but not its environment. A program that
 *   clears its environment and detaches is out of reach (only a cgroup or
 *   PID namespace would hold it).
 *
 * @example
 * ```ts
 * declare const sock: import('node:net').Socket;   // an accepted connection
 * const program = await checkProgram('cat', process.env.PATH);
 * const child = launch(program, [], { stdio: [sock, sock, 'ignore'], env: {}, marker: 'x1', inherited: inheritedDescriptors() });
 * await endAll(child, 'x1', 'SIGKILL');
 * ```
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { constants, openSync, readdirSync, readFileSync } from 'node:fs';
import { access, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ArgumentError } from '../core/errors.js';

/** Environment variable that marks every process started for one connection. */
export const MARKER_VARIABLE = 'NETKIT_INETD';

/**
 * The program's path: `command` itself when it holds a `/`, else the first
 * executable file of that name on `path`.
 * @throws {ArgumentError} no such executable file.
 */
export async function checkProgram(command: string, path: string | undefined): Promise<string> {
  if (typeof command !== 'string' || command === '' || command.includes('\0')) throw new ArgumentError('inetd: command must name a program');
  const candidates = command.includes('/')
    ? [command]
    : (path ?? '/usr/bin:/bin')
        .split(':')
        .filter((d) => d !== '')
        .map((d) => join(d, command));
  for (const file of candidates) {
    try {
      if ((await stat(file)).isFile()) {
        await access(file, constants.X_OK);
        return file;
      }
    } catch {
      // not there or not executable: try the next
    }
  }
  throw new ArgumentError(command.includes('/') ? `inetd: ${command} is not an executable file` : `inetd: ${command} not found on PATH or not executable`);
}

/** O_CLOEXEC as `/proc/self/fdinfo` shows it (octal flags). */
const O_CLOEXEC = 0o2000000;

/**
 * Descriptors above 2 of this process that a program would inherit (no
 * close-on-exec): what the server's parent passed to it. Linux only; [] elsewhere.
 */
export function inheritedDescriptors(): number[] {
  const out: number[] = [];
  let fds: string[];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return out;
  }
  for (const name of fds) {
    const fd = Number(name);
    if (fd <= 2) continue;
    try {
      const m = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'));
      if (m !== null && (parseInt(m[1]!, 8) & O_CLOEXEC) === 0) out.push(fd);
    } catch {
      // closed while listing (the directory handle itself)
    }
  }
  return out.sort((a, b) => a - b);
}

/** What `launch` needs besides the program. */
export interface LaunchOptions {
  /** The program's descriptors 0, 1 and 2 (a socket, 'ignore' …), as `spawn`'s `stdio` takes them. */
  stdio: unknown[];
  env: Record<string, string>;
  marker: string;
  /** From `inheritedDescriptors()`: each gets /dev/null in the child. */
  inherited: number[];
}

let devNull: number | null = null;

/** Starts `program` for one connection (see the module doc). */
export function launch(program: string, args: string[], opts: LaunchOptions): ChildProcess {
  const stdio = [...opts.stdio];
  if (opts.inherited.length > 0) {
    devNull ??= openSync('/dev/null', 'r+'); // close-on-exec here; dup'd over each inherited number in the child
    for (let fd = 3; fd <= opts.inherited[opts.inherited.length - 1]!; fd++) stdio.push(opts.inherited.includes(fd) ? devNull : 'ignore');
  }
  return spawn(program, args, {
    stdio: stdio as StdioOptions,
    detached: true, // setsid: its own session and process group
    env: { ...opts.env, [MARKER_VARIABLE]: opts.marker },
  });
}

/** Sends `signal` to the child's process group. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

/** Processes of this user whose environment holds `NETKIT_INETD=<marker>`. */
export async function markedProcesses(marker: string): Promise<number[]> {
  const want = Buffer.from(`\0${MARKER_VARIABLE}=${marker}\0`);
  const found: number[] = [];
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return found; // no /proc: only the group can be reached
  }
  await Promise.all(
    entries.map(async (name) => {
      const c = name.charCodeAt(0);
      if (c < 48 || c > 57) return;
      try {
        const env = await readFile(`/proc/${name}/environ`);
        if (Buffer.concat([Buffer.from([0]), env]).includes(want)) found.push(Number(name));
      } catch {
        // another user's process, or gone
      }
    }),
  );
  return found;
}

/** Ends the child's group and any process that detached from it but still carries the marker. */
export async function endAll(child: ChildProcess, marker: string, signal: NodeJS.Signals): Promise<number> {
  signalGroup(child, signal);
  const stray = (await markedProcesses(marker)).filter((pid) => pid !== process.pid);
  for (const pid of stray) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone meanwhile
    }
  }
  return stray.length;
}
