/**
 * The shape of a `netkit` subcommand and the small helpers they share.
 * Commands get their streams through {@link Io} so tests can run them in-process.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AbortError } from '../core/errors.js';
import type { Source } from '../ltn12/index.js';

/** The streams and environment a command runs with. */
export interface Io {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** Set by `main` to the process's signal; commands that serve forever stop when it aborts. */
  signal?: AbortSignal;
}

/** A subcommand: `run` resolves to the exit code (0 ok, 1 failure, 2 bad usage). */
export interface Command {
  /** One line for `netkit --help`. */
  summary: string;
  /** The full usage text printed by `netkit <name> --help` and on bad usage. */
  usage: string;
  /**
   * True for servers (`serve`, `mailbox`, `inetd`): Ctrl-C is how they are
   * meant to stop, so an interrupt ends them with 0 instead of 130.
   */
  servesUntilInterrupted?: boolean;
  run(args: string[], io: Io): Promise<number>;
}

/** Bad usage: `main` prints the message and the command's usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * `util.parseArgs` with netkit's conventions: unknown options and missing
 * values become a {@link UsageError} instead of a TypeError.
 */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T): ParsedOptions<T> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true }) as ParsedOptions<T>;
  } catch (err) {
    throw new UsageError(usageWords(err as Error & { code?: string }));
  }
}

/** parseArgs' messages without the hint about `--` and the `<value>` syntax. */
function usageWords(err: Error & { code?: string }): string {
  const name = /'([^']*)'/.exec(err.message)?.[1] ?? '';
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${name}'`;
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const long = /--[\w-]+/.exec(name)?.[0] ?? name;
    return /does not take/.test(err.message) ? `${long} takes no value` : `${long} needs a value`;
  }
  if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument '${name}'`;
  return err.message;
}

/** What {@link parseOptions} returns: option values by name, and the positionals. */
export interface ParsedOptions<T extends NonNullable<ParseArgsConfig['options']>> {
  values: { [K in keyof T]?: T[K] extends { type: 'string' } ? (T[K] extends { multiple: true } ? string[] : string) : boolean };
  positionals: string[];
}

/** Parses a TCP port argument, throwing a {@link UsageError} when it is not 0–65535. */
export function parsePort(value: string | undefined, fallback: number, what = 'port'): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`${what} must be a number from 0 to 65535, got '${value}'`);
  return n;
}

/** Writes to a stream and resolves once it has been flushed (or at once if it need not wait). */
export function write(stream: NodeJS.WritableStream, text: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

/** Resolves when `io.signal` aborts (Ctrl-C, SIGTERM), or at once when there is none: servers wait on it. */
export function untilInterrupted(io: Io): Promise<void> {
  return new Promise((resolve) => {
    if (!io.signal || io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Rejects with an {@link AbortError} once `signal` aborts (never when there is none). */
export function whenAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    const fail = () => reject(new AbortError('interrupted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/**
 * Reads all of `stream` (standard input) into one Buffer, or rejects with an
 * {@link AbortError} when `signal` aborts first: what was typed before Ctrl-C
 * is never used.
 */
export async function readAll(stream: NodeJS.ReadableStream, signal: AbortSignal | undefined): Promise<Buffer> {
  const parts: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    stream.on('data', (d: Buffer | string) => parts.push(typeof d === 'string' ? Buffer.from(d) : d));
    stream.once('end', () => resolve(Buffer.concat(parts)));
    stream.once('error', reject);
  });
  const aborted = whenAborted(signal);
  aborted.catch(() => {});
  try {
    return await Promise.race([done, aborted]);
  } finally {
    if (signal?.aborted) (stream as NodeJS.ReadableStream & { destroy?(): void }).destroy?.();
  }
}

/**
 * A source that fails with an {@link AbortError} once `signal` aborts: a
 * protocol pumping it stops before its end of data (SMTP never sends the
 * final dot of an interrupted message).
 */
export function abortable(src: Source, signal: AbortSignal | undefined): Source {
  const aborted = whenAborted(signal);
  aborted.catch(() => {});
  return async () => {
    if (signal?.aborted) throw new AbortError('interrupted');
    // A source waiting for input (a terminal, an open pipe) is abandoned at once.
    const chunk = await Promise.race([src(), aborted]);
    if (signal?.aborted) throw new AbortError('interrupted');
    return chunk;
  };
}
