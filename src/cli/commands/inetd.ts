/**
 * `netkit inetd --port 23032 [--max 50] [--per-host 10] [--time-limit 60000] [--stderr] -- PROGRAM [ARGS…]`:
 * runs PROGRAM for each connection with the connection on its stdin and
 * stdout, until interrupted. No shell is involved: ARGS go to PROGRAM as given.
 */
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
  const candidates = program.includes('/') ? [program] : (path ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, program));
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
  usage: 'usage: netkit inetd [--host 127.0.0.1] [--port 23032] [--max 50] [--per-host 10] [--time-limit ms] [--stderr] -- PROGRAM [ARGS…]',
  async run(args, io) {
    const dash = args.indexOf('--');
    if (dash < 0 || dash === args.length - 1) throw new UsageError('give the program after --');
    const { values, positionals } = parseOptions(args.slice(0, dash), {
      host: { type: 'string' }, port: { type: 'string' }, max: { type: 'string' }, 'per-host': { type: 'string' },
      'time-limit': { type: 'string' }, stderr: { type: 'boolean' },
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
      host: values.host, port: parsePort(values.port, 23032), command: command!, args: rest, stderr: values.stderr === true,
      maxConnections: num(values.max, 50, '--max'), perHostLimit: num(values['per-host'], 10, '--per-host'),
      timeLimit: num(values['time-limit'], 60_000, '--time-limit'),
      onLog: (line) => io.stderr.write(`${line}\n`),
    });
    io.stdout.write(`inetd: ${command} on ${srv.address}:${srv.port}\n`);
    await untilInterrupted(io);
    await srv.close();
    return 0;
  },
};
