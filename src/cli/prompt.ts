/**
 * Asks for a secret on a terminal without echoing it: writes `question` to
 * the terminal's output, reads one line from stdin in raw mode, and restores
 * the terminal. Ctrl-C cancels (rejects with an AbortError: the command
 * exits 130); Backspace edits.
 *
 * @example
 * ```ts
 * const password = await promptSecret(process.stdin, process.stderr, 'Password: ');
 * ```
 */
import type { ReadStream } from 'node:tty';
import { AbortError } from '../core/errors.js';

export function promptSecret(input: NodeJS.ReadableStream & { isTTY?: boolean }, output: NodeJS.WritableStream, question: string): Promise<string> {
  const tty = input as ReadStream;
  if (!tty.isTTY || typeof tty.setRawMode !== 'function') return Promise.reject(new Error('no terminal to ask for the password on'));
  // Echo goes off before the question shows, so an answer typed the moment it appears is never echoed.
  tty.setRawMode(true);
  output.write(question);
  tty.resume();
  return new Promise((resolve, reject) => {
    let secret = '';
    const done = (err?: Error) => {
      tty.off('data', onData);
      tty.setRawMode(false);
      tty.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(secret);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new AbortError('interrupted'));
        if (ch === '\u007f' || ch === '\b') secret = [...secret].slice(0, -1).join('');
        else secret += ch;
      }
    };
    tty.on('data', onData);
  });
}
