#!/usr/bin/env node
/**
 * The `netkit` command: `netkit <command> [options]`. `netkit --help` lists the
 * commands; `netkit <command> --help` prints one command's usage.
 * Exit codes: 0 success, 1 failure (one line on stderr), 2 bad usage.
 */
import { commands } from './commands.js';
import { UsageError, type Io } from './command.js';

/** Runs the command line `argv` (without `node` and the script) and resolves to the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(await overview());
    return name === undefined ? 2 : 0;
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
    io.stderr.write(`netkit: unknown command '${name}' (see 'netkit --help')\n`);
    return 2;
  }
  const command = await load();
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`netkit ${key}: ${err.message}\n${command.usage.trimEnd()}\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`netkit ${key}: ${message.split('\n')[0]}\n`);
    if (io.env.NETKIT_DEBUG) io.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    return 1;
  }
}

async function overview(): Promise<string> {
  const lines = ['usage: netkit <command> [options]   (netkit <command> --help for details)', '', 'commands:'];
  for (const [name, load] of Object.entries(commands)) {
    const command = await load();
    lines.push(`  ${name.padEnd(14)}${command.summary}`);
  }
  return `${lines.join('\n')}\n`;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === (await import('node:url')).pathToFileURL((await import('node:fs')).realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
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
}
