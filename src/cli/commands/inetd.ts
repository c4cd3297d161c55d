/**
 * `netkit inetd --port 23032 [--max 50] [--per-host 10] [--time-limit 60000] [--stderr] -- PROGRAM [ARGS…]`:
 * runs PROGRAM for each connection with the connection on its stdin and
 * stdout, until interrupted. No shell is involved: ARGS go to PROGRAM as given.
 */
import { escapeControls } from '../text.js';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { inetd } from '../../servers/index.js';
import { UsageError, parseOptions, parsePort, untilInterrupted, type Command } from '../command.js';

/**
 * Fails at start, in words, when PROGRAM cannot be run: a path that does not exist or is not
 * executable, or a name found on no PATH entry (without this every client is closed silently).
 */
export async function checkProgram(program: string, path: string | undefined): Promise<void> {
  const candidates = program.includes('/')
    ? [program]
    : (path ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, program));
  for (const file of candidates) {
    try {
      if (!(await stat(file)).isFile()) continue;
      await access(file, constants.X_OK);
      return;
    } catch (err) {
      if (program.includes('/') && (err as NodeJS.ErrnoException).code === 'EACCES') throw new Error(`cannot run ${program}: not executable`);
    }
  }
  throw new Error(program.includes('/') ? `cannot run ${program}: no such program` : `cannot run ${program}: not found on PATH`);
}

export const inetdCommand: Command = {
  servesUntilInterrupted: true,
  summary: 'run a program per connection, stdin/stdout on the socket (a super-server)',
  usage: [
    'usage: netkit inetd [options] -- PROGRAM [ARGS...]',
    '  Runs PROGRAM for each connection, its stdin and stdout on the socket, until Ctrl-C',
    '  (exit 0). No shell is involved: ARGS go to PROGRAM as given.',
    '  --host ADDR         listen address (default 127.0.0.1; :: or ::1 for IPv6)',
    '  --port N            listen port (default 23032; 0 picks a free one)',
    '  --max N             most programs running at once (default 50)',
    '  --per-host N        most at once per client address (default 10)',
    '  --time-limit MS     kill a program after MS milliseconds (default 60000)',
    "  --stderr            send the program's stderr to the client too",
    'exit: 0 stopped by Ctrl-C, 1 failure (PROGRAM cannot run, port in use), 2 bad usage',
    'example:',
    '  netkit inetd --port 7000 -- /bin/cat',
  ].join('\n'),
  async run(args, io) {
    const dash = args.indexOf('--');
    if (dash < 0 || dash === args.length - 1) throw new UsageError('give the program after --');
    const { values, positionals } = parseOptions(args.slice(0, dash), {
      host: { type: 'string' },
      port: { type: 'string' },
      max: { type: 'string' },
      'per-host': { type: 'string' },
      'time-limit': { type: 'string' },
      stderr: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected ${positionals[0]} before --`);
    const num = (v: string | undefined, fallback: number, what: string) => {
      if (v === undefined) return fallback;
      if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${what} takes a positive number`);
      return Number(v);
    };
    const [command, ...rest] = args.slice(dash + 1);
    await checkProgram(command!, io.env.PATH);
    const srv = await inetd({
      host: values.host,
      port: parsePort(values.port, 23032),
      command: command!,
      args: rest,
      stderr: values.stderr === true,
      maxConnections: num(values.max, 50, '--max'),
      perHostLimit: num(values['per-host'], 10, '--per-host'),
      timeLimit: num(values['time-limit'], 60_000, '--time-limit'),
      onLog: (line) => io.stderr.write(`${escapeControls(line)}\n`),
    });
    io.stdout.write(`inetd: ${command} on ${srv.address}:${srv.port}\n`);
    await untilInterrupted(io);
    await srv.close();
    return 0;
  },
};
