#!/usr/bin/env node
/**
 * The `netkit` command: `netkit <command> [options]`. `netkit --help` lists the
 * commands; `netkit <command> --help` prints one command's usage.
 *
 * Exit codes: 0 success, 1 failure (one line on stderr, in the user's words),
 * 2 bad usage, 130 interrupted (Ctrl-C or SIGTERM: a transfer in progress is
 * abandoned, never completed — an interrupted `mail send` sends nothing).
 * Servers (`serve`, `mailbox`, `inetd`) stop on Ctrl-C with 0.
 */
import { AbortError } from '../core/errors.js';
import { commands } from './commands.js';
import { UsageError, type Command, type Io } from './command.js';
import { EXIT, explain } from './errors.js';

/** How long an interrupted command gets to clean up (QUIT, close) before it is abandoned, ms. */
export const INTERRUPT_GRACE_MS = 1000;

/** Runs the command line `argv` (without `node` and the script) and resolves to the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(await overview());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  // `mail send` and friends: two-word commands are looked up first.
  let key = name;
  let args = rest;
  if (rest[0] !== undefined && commands[`${name} ${rest[0]}`]) {
    key = `${name} ${rest[0]}`;
    args = rest.slice(1);
  }
  const load = commands[key];
  if (!load) {
    const family = Object.keys(commands).filter((k) => k.startsWith(`${name} `));
    if (family.length > 0) {
      const help = rest[0] === '--help' || rest[0] === '-h';
      if (!help && rest[0] !== undefined) io.stderr.write(`netkit: unknown command '${name} ${rest[0]}'\n`);
      (help ? io.stdout : io.stderr).write(await overview(family));
      return help ? EXIT.ok : EXIT.usage;
    }
    io.stderr.write(`netkit: unknown command '${name}' (see 'netkit --help')\n`);
    return EXIT.usage;
  }
  const command = await load();
  const dash = args.indexOf('--');
  const own = dash < 0 ? args : args.slice(0, dash);
  if (own.includes('--help') || own.includes('-h')) {
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return EXIT.ok;
  }
  return runCommand(key, command, args, io);
}

async function runCommand(key: string, command: Command, args: string[], io: Io): Promise<number> {
  const interrupted = () => {
    io.stderr.write(`netkit ${key}: interrupted\n`);
    return EXIT.interrupted;
  };
  try {
    const code = await settle(command.run(args, io), io.signal);
    if (io.signal?.aborted && !command.servesUntilInterrupted) return interrupted();
    return code;
  } catch (err) {
    if (err instanceof AbortError || (io.signal?.aborted && !command.servesUntilInterrupted)) return interrupted();
    if (err instanceof UsageError) {
      io.stderr.write(`netkit ${key}: ${err.message}\n${command.usage.trimEnd()}\n(netkit ${key} --help for details)\n`);
      return EXIT.usage;
    }
    io.stderr.write(`netkit ${key}: ${explain(err)}\n`);
    if (io.env.NETKIT_DEBUG) io.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    return EXIT.failure;
  }
}

/** The command's result, or 130 when it is still busy {@link INTERRUPT_GRACE_MS} after an interrupt. */
function settle(running: Promise<number>, signal: AbortSignal | undefined): Promise<number> {
  if (!signal) return running;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    timer = setTimeout(() => late(EXIT.interrupted), INTERRUPT_GRACE_MS);
  };
  let late: (code: number) => void = () => {};
  const abandoned = new Promise<number>((resolve) => (late = resolve));
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return Promise.race([running, abandoned]).finally(() => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  });
}

async function overview(only?: string[]): Promise<string> {
  const lines = ['usage: netkit <command> [options]   (netkit <command> --help for details)', '', 'commands:'];
  for (const [name, load] of Object.entries(commands)) {
    if (only && !only.includes(name)) continue;
    const command = await load();
    lines.push(`  ${name.padEnd(14)}${command.summary}`);
  }
  lines.push('', 'exit codes: 0 ok, 1 failure, 2 bad usage, 130 interrupted (Ctrl-C)');
  return `${lines.join('\n')}\n`;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === (await import('node:url')).pathToFileURL((await import('node:fs')).realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  const controller = new AbortController();
  // The first Ctrl-C asks the command to stop; a second one ends the process at once.
  const stop = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort(new AbortError('interrupted'));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
  });
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  process.exitCode = code;
  // The command is over: a terminal or pipe still being read must not keep the process alive.
  process.stdin.destroy();
  // An interrupted command may have left a connection that would keep the process alive: drop it.
  if (controller.signal.aborted) process.exit(code);
}
