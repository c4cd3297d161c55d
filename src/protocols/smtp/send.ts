/**
 * `send`: one call that delivers one message (LuaSocket's `smtp.send`):
 * connect, greet, STARTTLS when offered (required with `tls: 'starttls'`,
 * never with `tls: 'none'`), AUTH when a user is given, then MAIL, RCPT,
 * DATA and QUIT. The connection is closed whatever happens.
 *
 * @example
 * ```ts
 * const r = await send({
 *   server: '127.0.0.1', port: 2525, from: 'a@example.test', rcpt: ['b@example.test'],
 *   source: message({ headers: { subject: 'hi' }, body: 'hello' }),
 * });
 * r.accepted; // ['b@example.test']
 * ```
 */
import { NetError } from '../../core/errors.js';
import type { Source } from '../../ltn12/index.js';
import { open, type OpenOptions, type SendResult } from './session.js';

/** Options of {@link send}. */
export interface SendOptions extends OpenOptions {
  from: string;
  rcpt: string | readonly string[];
  source: Source;
  user?: string;
  password?: string;
  /** The message size in octets, when known: declared with SIZE (RFC 1870). */
  size?: number;
  /** The name said in EHLO. @default 'localhost' */
  domain?: string;
}

export async function send(opts: SendOptions): Promise<SendResult> {
  const session = await open(opts);
  try {
    await session.greet(opts.domain ?? 'localhost');
    if (!session.encrypted && opts.tls !== 'none') {
      if (session.extensions.has('STARTTLS')) await session.startTls(opts.domain ?? 'localhost');
      else if (opts.tls === 'starttls') throw new NetError('tls', 'the server does not offer STARTTLS and tls is required');
    }
    if (opts.user !== undefined) await session.auth(opts.user, opts.password ?? '');
    const result = await session.send({ from: opts.from, rcpt: opts.rcpt, size: opts.size }, opts.source);
    await session.quit();
    return result;
  } catch (err) {
    await session.conn.close();
    throw err;
  }
}
