/**
 * SMTP AUTH (RFC 4954) on a greeted connection: CRAM-MD5, PLAIN or LOGIN,
 * whichever the server offers first in that order; the final 235 is checked.
 * Whether credentials may go over the connection at all is the session's
 * decision (see `SmtpSession.auth`).
 *
 * @example
 * ```ts
 * declare const conn: tp.TextConn;
 * await authenticate(conn, 'PLAIN LOGIN', 'alice', 'secret');
 * ```
 */
import { createHmac } from 'node:crypto';
import { NetError } from '../../core/errors.js';
import { formatCommand, type Reply, type TextConn } from '../tp/index.js';

/** Authenticates as `user`; `offered` is the EHLO AUTH line's mechanisms. */
export async function authenticate(conn: TextConn, offered: string, user: string, password: string, signal?: AbortSignal): Promise<Reply> {
  const mechanisms = offered.toUpperCase().split(/\s+/);
  const say = (line: string) => conn.socket.send(line, undefined, undefined, { signal });
  const expect = (code: number) => conn.check(code, { signal });
  if (mechanisms.includes('CRAM-MD5')) {
    await say(formatCommand('AUTH', 'CRAM-MD5'));
    const challenge = Buffer.from((await expect(334)).message, 'base64').toString('latin1');
    const digest = createHmac('md5', password).update(challenge, 'latin1').digest('hex');
    await say(`${Buffer.from(`${user} ${digest}`).toString('base64')}\r\n`);
  } else if (mechanisms.includes('PLAIN')) {
    await say(formatCommand('AUTH', `PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}`));
  } else if (mechanisms.includes('LOGIN')) {
    await say(formatCommand('AUTH', 'LOGIN'));
    await expect(334);
    await say(`${Buffer.from(user).toString('base64')}\r\n`);
    await expect(334);
    await say(`${Buffer.from(password).toString('base64')}\r\n`);
  } else {
    throw new NetError('unsupported', `no AUTH mechanism netkit knows is offered (${offered.trim() || 'none'})`);
  }
  return expect(235);
}
