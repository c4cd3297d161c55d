/**
 * The SMTP side of the development mail server: one handler per connection
 * (run by `serve`), accepting mail for its local users.
 *
 * End of data is smuggling-proof: only CRLF "." CRLF ends a message. A "."
 * line after a bare LF or CR does not end it, and a message holding any bare
 * CR or LF is refused whole (550) once its real end arrives — so no variant
 * of "\n.\n" can make one DATA into two messages. Messages are stored
 * un-stuffed, exactly as sent otherwise. Over `maxMessageBytes` → 552.
 *
 * Hygiene, as Postfix does it: a client that talks before the banner (during
 * the `greetDelay` pause) gets 554 and is closed; unknown or malformed
 * commands and command lines over 512 octets are counted, and after
 * `maxBadCommands` of them the server says 421 and hangs up; each failed
 * AUTH waits longer before its 535 (n × `authFailureDelay`), and after
 * `maxAuthFailures` the server says 421 and hangs up; a message
 * holding NUL (554) or a line over {@link MAX_DATA_LINE} octets (552) is
 * refused after its final dot, never stored, never dropped silently. Replies
 * never echo control bytes. With `tls`, EHLO offers STARTTLS (RFC 3207):
 * commands pipelined after it close the connection (554), and after the
 * handshake the session starts over — no sender, recipient or login
 * survives, EHLO stops offering STARTTLS. A client that leaves without QUIT, or idles past
 * the timeout (421), ends its session quietly — nothing is logged.
 *
 * @example
 * ```ts
 * declare const users: ReadonlyMap<string, string>;
 * declare const store: Parameters<typeof smtpSession>[1]['store'];
 * await serve({ port: 2525 }, (client) => smtpSession(client, { users, store, hostname: 'localhost', requireAuth: false, maxMessageBytes: 10 * 1024 * 1024 }));
 * ```
 */
import { LimitError, ProtocolError, TimeoutError } from '../../core/errors.js';
import type { SecureContext } from 'node:tls';
import type { TcpClient } from '../../socket/index.js';
import { formatReply, readDotData, skipLine } from '../../protocols/tp/index.js';
import type { MailStore } from './store.js';
import {
  AUTH_FAILURE_DELAY_MS,
  AuthThrottle,
  GREET_DELAY_MS,
  MAILBOX_READ_AHEAD,
  MAX_AUTH_FAILURES,
  MAX_BAD_COMMANDS,
  PLAIN_AUTH,
  type PlainAuth,
  Strikes,
  peerLeft,
  plainAuthAllowed,
  samePassword,
  sendIfThere,
  talksEarly,
} from './guard.js';
import { SASL_MECHANISMS, saslCredentials } from './sasl.js';
import { upgrade } from './tls.js';

export interface SmtpInOptions {
  users: ReadonlyMap<string, string>;
  store: MailStore;
  hostname: string;
  requireAuth: boolean;
  maxMessageBytes: number;
  /** Pause before the banner, ms; a client that talks during it is refused. 0: no check. @default GREET_DELAY_MS */
  greetDelay?: number;
  /** Unknown or invalid commands before 421 and close. @default MAX_BAD_COMMANDS */
  maxBadCommands?: number;
  /** The n-th failed AUTH waits n × this many ms before its reply. @default AUTH_FAILURE_DELAY_MS */
  authFailureDelay?: number;
  /** Failed AUTH attempts before 421 and close. @default MAX_AUTH_FAILURES */
  maxAuthFailures?: number;
  /** Offer STARTTLS with this context (see `mailboxTls`); without it STARTTLS is not offered. */
  tls?: SecureContext;
  /** Where AUTH PLAIN/LOGIN are offered and accepted. @default PLAIN_AUTH ('loopback') */
  plainAuth?: PlainAuth;
}

/** Recipients one transaction may name (RFC 5321 §4.5.3.1.8: at least 100); more get 452. */
export const MAX_RECIPIENTS = 100;
/** Longest command line, octets without CRLF (RFC 5321 §4.5.3.1.4); longer ones get 500 and count as bad. */
export const MAX_COMMAND_LINE = 512;
/** Longest line of a message the server accepts, octets; a longer one makes the message refused (552). */
export const MAX_DATA_LINE = 64 * 1024;
/** Bytes a command line may take before it is read as too long without being kept. */
const COMMAND_LINE_LIMIT = 2048;

interface State {
  from?: string;
  /** Mailboxes to deliver to: each once, however often it was named. */
  rcpt: Set<string>;
  /** RCPT commands accepted in this transaction, repeats included. */
  named: number;
  user?: string;
}

/** One SMTP conversation. */
class Session {
  readonly st: State = { rcpt: new Set(), named: 0 };
  readonly bad: Strikes;
  readonly logins: AuthThrottle;
  /** True after STARTTLS. */
  secure = false;
  constructor(
    readonly client: TcpClient,
    readonly opts: SmtpInOptions,
  ) {
    this.bad = new Strikes(opts.maxBadCommands ?? MAX_BAD_COMMANDS);
    this.logins = new AuthThrottle(opts.authFailureDelay ?? AUTH_FAILURE_DELAY_MS, opts.maxAuthFailures ?? MAX_AUTH_FAILURES);
  }

  /** Whether AUTH PLAIN/LOGIN may be used on this connection now. */
  get plainAuth(): boolean {
    return plainAuthAllowed(this.opts.plainAuth ?? PLAIN_AUTH, this.client, this.secure);
  }

  /** Sends one reply line (control bytes in it become `?`). */
  async say(line: string): Promise<void> {
    const sp = line.indexOf(' ');
    await this.client.send(formatReply(Number(line.slice(0, 3)), line.slice(sp + 1)));
  }

  /** Sends an error reply for a bad command and counts it; true when the client has used up its errors (421 sent). */
  async refuse(line: string): Promise<boolean> {
    await this.say(line);
    if (!this.bad.hit()) return false;
    await this.say('421 4.7.0 too many errors, closing the connection');
    return true;
  }
}

const address = (arg: string, prefix: string): string | undefined => new RegExp(`^${prefix}:\\s*<([^<>\\s]*)>`, 'i').exec(arg)?.[1];

export async function smtpSession(client: TcpClient, opts: SmtpInOptions): Promise<void> {
  const s = new Session(client, opts);
  try {
    await converse(s);
  } catch (err) {
    if (peerLeft(err)) return;
    if (err instanceof TimeoutError) return void (await sendIfThere(client, '421 4.4.2 idle too long, closing the connection\r\n'));
    if (err instanceof ProtocolError || err instanceof LimitError) return void (await sendIfThere(client, '500 5.5.2 line must end with CRLF\r\n'));
    throw err;
  }
}

async function converse(s: Session): Promise<void> {
  const { client, opts } = s;
  client.setLineLimit(COMMAND_LINE_LIMIT);
  // DATA is consumed line by line as it comes: 64 KiB ahead (128 KiB with the DATA line limit) is plenty, and keeps a connection's buffer small beside maxMessageBytes
  client.setReadAhead(MAILBOX_READ_AHEAD);
  client.setOption('tcp-nodelay', true); // replies are small and each one is awaited
  if (await talksEarly(client, opts.greetDelay ?? GREET_DELAY_MS)) return void (await s.say('554 5.5.0 talked before the greeting'));
  await s.say(`220 ${opts.hostname} netkit mailbox ESMTP ready`);
  for (;;) {
    let line: string;
    try {
      line = await client.receiveLine({ strict: true });
    } catch (err) {
      if (err instanceof ProtocolError) return void (await s.say('500 5.5.2 line must end with CRLF'));
      if (!(err instanceof LimitError)) throw err;
      await skipLine(client);
      line = 'x'.repeat(MAX_COMMAND_LINE + 1);
    }
    if (line.length > MAX_COMMAND_LINE) {
      if (await s.refuse('500 5.5.2 line too long')) return;
      continue;
    }
    const sp = line.indexOf(' ');
    const verb = (sp < 0 ? line : line.slice(0, sp)).toUpperCase();
    const arg = sp < 0 ? '' : line.slice(sp + 1);
    if (verb === 'QUIT') return void (await s.say('221 2.0.0 bye'));
    if ((await command(s, verb, arg)) === 'closed') return;
  }
}

function resetTransaction(st: State): void {
  st.from = undefined;
  st.rcpt = new Set();
  st.named = 0;
}

/** Runs one command; 'closed' when the session must end. */
async function command(s: Session, verb: string, arg: string): Promise<'closed' | undefined> {
  const { opts, st } = s;
  switch (verb) {
    case 'EHLO':
      return ehlo(s);
    case 'STARTTLS':
      return starttls(s, arg);
    case 'HELO':
      return void (await s.say(`250 ${opts.hostname}`));
    case 'NOOP':
      return void (await s.say('250 2.0.0 ok'));
    case 'RSET':
      resetTransaction(st);
      return void (await s.say('250 2.0.0 reset'));
    case 'AUTH':
      return auth(s, arg);
    case 'MAIL':
      return mail(s, arg);
    case 'RCPT':
      return rcpt(s, arg);
    case 'DATA':
      return data(s);
    default:
      return verdict(await s.refuse('502 5.5.1 command not implemented'));
  }
}

async function ehlo(s: Session): Promise<undefined> {
  const { opts } = s;
  const lines = [`${opts.hostname} hello`, 'PIPELINING', '8BITMIME', `SIZE ${opts.maxMessageBytes}`];
  if (opts.tls && !s.secure) lines.push('STARTTLS');
  if (s.plainAuth) lines.push(`AUTH ${SASL_MECHANISMS.join(' ')}`);
  await s.client.send(formatReply(250, lines));
}

/** STARTTLS (RFC 3207): 220, the handshake, then a fresh start — no sender, recipients or login survive it. */
async function starttls(s: Session, arg: string): Promise<'closed' | undefined> {
  const tls = s.opts.tls;
  if (!tls) return verdict(await s.refuse('502 5.5.1 STARTTLS not offered'));
  if (s.secure) return verdict(await s.refuse('503 5.5.1 TLS already active'));
  if (arg !== '') return verdict(await s.refuse('501 5.5.4 syntax: STARTTLS'));
  if (s.client.dirty()) {
    await s.say('554 5.5.1 commands pipelined after STARTTLS, closing the connection');
    return 'closed';
  }
  await upgrade(s.client, tls, () => s.say('220 2.0.0 ready to start TLS'));
  s.secure = true;
  resetTransaction(s.st);
  s.st.user = undefined;
}

const verdict = (closed: boolean): 'closed' | undefined => (closed ? 'closed' : undefined);

async function mail(s: Session, arg: string): Promise<'closed' | undefined> {
  const { opts, st } = s;
  if (opts.requireAuth && !st.user) return void (await s.say('530 5.7.0 authentication required'));
  const from = address(arg, 'FROM');
  if (from === undefined) return verdict(await s.refuse('501 5.5.4 syntax: MAIL FROM:<address>'));
  const size = /\bSIZE=(\d+)/i.exec(arg);
  if (size && Number(size[1]) > opts.maxMessageBytes) return void (await s.say('552 5.3.4 message too big'));
  resetTransaction(st);
  st.from = from;
  await s.say('250 2.1.0 sender ok');
}

async function rcpt(s: Session, arg: string): Promise<'closed' | undefined> {
  const { opts, st } = s;
  if (st.from === undefined) return verdict(await s.refuse('503 5.5.1 MAIL first'));
  const to = address(arg, 'TO');
  if (to === undefined) return verdict(await s.refuse('501 5.5.4 syntax: RCPT TO:<address>'));
  const user = to.split('@')[0]!;
  if (!opts.users.has(user)) return void (await s.say(`550 5.1.1 no such user ${user}`));
  if (st.named >= MAX_RECIPIENTS) return void (await s.say(`452 4.5.3 too many recipients (at most ${MAX_RECIPIENTS})`));
  st.named++;
  st.rcpt.add(user);
  await s.say('250 2.1.5 recipient ok');
}

async function auth(s: Session, arg: string): Promise<'closed' | undefined> {
  const { client, opts, st } = s;
  if (st.user !== undefined) return verdict(await s.refuse('503 5.5.1 already authenticated'));
  // RFC 4954 §6: a mechanism refused for want of encryption
  if (!s.plainAuth) return verdict(await s.refuse('538 5.7.11 encryption required for requested authentication mechanism (use STARTTLS)'));
  const [mech = '', initial] = arg.split(' ');
  const got = await saslCredentials(mech, initial, async (challenge) => {
    await s.say(`334 ${challenge}`);
    return client.receiveLine({ strict: true });
  });
  if (got === 'unsupported') return verdict(await s.refuse('504 5.5.4 mechanism not supported'));
  if (got === 'cancelled') return verdict(await s.refuse('501 5.0.0 authentication cancelled'));
  if (got !== 'malformed' && samePassword(opts.users.get(got.user), got.pass)) {
    st.user = got.user;
    return void (await s.say('235 2.7.0 authenticated'));
  }
  const last = await s.logins.failed();
  await s.say(got === 'malformed' ? '501 5.5.2 malformed authentication answer' : '535 5.7.8 authentication failed');
  if (!last) return;
  await s.say('421 4.7.0 too many failed logins, closing the connection');
  return 'closed';
}

async function data(s: Session): Promise<'closed' | undefined> {
  const { client, opts, st } = s;
  if (st.rcpt.size === 0) return verdict(await s.refuse('503 5.5.1 RCPT first'));
  await s.say('354 end data with <CR><LF>.<CR><LF>');
  client.setLineLimit(MAX_DATA_LINE);
  const got = await readDotData(client, { maxBytes: opts.maxMessageBytes });
  client.setLineLimit(COMMAND_LINE_LIMIT);
  const rcpt = [...st.rcpt];
  resetTransaction(st);
  if (got.bareLineEnd) return void (await s.say('550 5.6.0 bare CR or LF in the message: refused'));
  if (got.over) return void (await s.say('552 5.3.4 message too big'));
  if (got.longLine) return void (await s.say(`552 5.3.4 a line of the message is longer than ${MAX_DATA_LINE} octets: refused`));
  if (got.nul) return void (await s.say('554 5.6.0 NUL in the message: refused'));
  for (const user of rcpt) await opts.store.deliver(user, got.data);
  await s.say(`250 2.0.0 delivered to ${rcpt.length} mailbox(es)`);
}
