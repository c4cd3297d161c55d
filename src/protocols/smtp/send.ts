/**
 * `send`: one call that delivers one message (LuaSocket's `smtp.send`):
 * connect, greet, STARTTLS when offered (required with `tls: 'starttls'`,
 * never with `tls: 'none'`), AUTH when a user is given, then MAIL, RCPT,
 * DATA and QUIT. The connection is closed whatever happens.
 *
 * `step` is LuaSocket's: the ltn12 pump step that moves the message
 * (default `ltn12.pump.step`). `signal` aborts any wait — connecting,
 * the handshake, a reply, the message — and an aborted send never sends
 * the final dot, so the server stores nothing.
 *
 * @example
 * ```ts
 * const r = await send({
 *   host: '127.0.0.1', port: 2525, from: 'a@example.test', rcpt: ['b@example.test'],
 *   source: message({ headers: { subject: 'hi' }, body: 'hello' }),
 * });
 * r.accepted; // ['b@example.test']
 * ```
 */
import { NetError } from '../../core/errors.js';
import type { Source } from '../../ltn12/index.js';
import type { SendResult } from './envelope.js';
import { modeOf, open, type OpenOptions } from './open.js';
import type { Stepper } from './transfer.js';

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
  /** The ltn12 pump step that moves the message (LuaSocket's `step`). @default ltn12.pump.step */
  step?: Stepper;
}

export async function send(opts: SendOptions): Promise<SendResult> {
  const { signal, step } = opts;
  const mode = modeOf(opts);
  const session = await open(opts);
  try {
    await session.greet(opts.domain ?? 'localhost', { signal });
    if (!session.encrypted && mode !== 'none') {
      if (session.extensions.has('STARTTLS')) await session.startTls(opts.domain ?? 'localhost', { signal });
      else if (mode === 'starttls') throw new NetError('tls', 'the server does not offer STARTTLS and tls is required');
    }
    if (opts.user !== undefined) await session.auth(opts.user, opts.password ?? '', { signal });
    const result = await session.send({ from: opts.from, rcpt: opts.rcpt, size: opts.size }, opts.source, { signal, step });
    await session.quit({ signal });
    return result;
  } catch (err) {
    await session.close();
    throw err;
  }
}
