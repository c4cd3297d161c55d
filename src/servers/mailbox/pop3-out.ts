/**
 * The POP3 side of the development mail server (RFC 1939): USER/PASS and
 * APOP, CAPA, STAT, LIST, UIDL, TOP, RETR, DELE, RSET, NOOP, QUIT. A maildrop
 * is locked while a session holds it (a second login gets `-ERR [IN-USE]`);
 * deletions take effect only at QUIT, and a dropped connection deletes nothing.
 * Each failed PASS or APOP waits longer before its `-ERR [AUTH]` (n ×
 * `authFailureDelay`); after `maxAuthFailures` the server closes the connection.
 * With `tls`, CAPA lists STLS (RFC 2595) until it is used or a user logs in.
 *
 * @example
 * ```ts
 * declare const users: any;
 * declare const store: any;
 * const locks = new Set<string>();
 * await serve({ port: 1100 }, (client) => pop3Session(client, { users, store, locks, hostname: 'localhost' }));
 * ```
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SecureContext } from 'node:tls';
import { LimitError, ProtocolError, TimeoutError } from '../../core/errors.js';
import type { TcpClient } from '../../socket/index.js';
import { sendStatus, writeDotData } from '../../protocols/tp/index.js';
import { upgrade } from './tls.js';
import {
  AUTH_FAILURE_DELAY_MS,
  AuthThrottle,
  MAILBOX_READ_AHEAD,
  MAX_AUTH_FAILURES,
  PLAIN_AUTH,
  type PlainAuth,
  peerLeft,
  plainAuthAllowed,
  samePassword,
  sendIfThere,
} from './guard.js';
import type { MailStore, StoredMessage } from './store.js';

export interface Pop3OutOptions {
  users: ReadonlyMap<string, string>;
  store: MailStore;
  locks: Set<string>;
  hostname: string;
  /** The n-th failed PASS or APOP waits n × this many ms before its `-ERR`. @default AUTH_FAILURE_DELAY_MS */
  authFailureDelay?: number;
  /** Failed logins before `-ERR` and close. @default MAX_AUTH_FAILURES */
  maxAuthFailures?: number;
  /** Offer STLS with this context (see `mailboxTls`); without it STLS is not offered. */
  tls?: SecureContext;
  /** Where USER/PASS is offered and accepted (APOP always is). @default PLAIN_AUTH ('loopback') */
  plainAuth?: PlainAuth;
}

interface Drop {
  user: string;
  messages: StoredMessage[];
  deleted: Set<number>;
}

const ok = (c: TcpClient, text = '') => sendStatus(c, true, text);
const err = (c: TcpClient, text: string) => sendStatus(c, false, text);

/**
 * The header and the first `lines` body lines of `data` (RFC 1939 TOP),
 * found by scanning for CRLFs — no per-line copies, whatever the line count.
 */
export function topOf(data: Buffer, lines: number): Buffer {
  const sep = data.indexOf('\r\n\r\n');
  if (sep < 0) return data;
  let end = sep + 4;
  for (let n = 0; n < lines && end < data.length; n++) {
    const eol = data.indexOf('\r\n', end);
    end = eol < 0 ? data.length : eol + 2;
  }
  return data.subarray(0, end);
}

/**
 * Runs one POP3 conversation (see the module doc). A client that leaves
 * without QUIT ends it quietly (its deletions are not applied); one that
 * idles past the timeout gets `-ERR` and is closed.
 */
export async function pop3Session(client: TcpClient, opts: Pop3OutOptions): Promise<void> {
  try {
    await converse(client, opts);
  } catch (e) {
    if (peerLeft(e)) return;
    if (e instanceof TimeoutError) return void (await sendIfThere(client, '-ERR idle too long, closing the connection\r\n'));
    throw e;
  }
}

/** One POP3 conversation's state. */
interface Session {
  client: TcpClient;
  opts: Pop3OutOptions;
  /** The APOP timestamp of the greeting. */
  stamp: string;
  pendingUser?: string;
  drop?: Drop;
  logins: AuthThrottle;
  /** True after STLS. */
  secure: boolean;
}

async function converse(client: TcpClient, opts: Pop3OutOptions): Promise<void> {
  client.setLineLimit(512);
  client.setReadAhead(MAILBOX_READ_AHEAD);
  client.setOption('tcp-nodelay', true);
  const p: Session = {
    client,
    opts,
    stamp: `<${process.pid}.${randomBytes(6).toString('hex')}@${opts.hostname}>`,
    logins: new AuthThrottle(opts.authFailureDelay ?? AUTH_FAILURE_DELAY_MS, opts.maxAuthFailures ?? MAX_AUTH_FAILURES),
    secure: false,
  };
  await ok(client, `netkit mailbox POP3 ready ${p.stamp}`);
  try {
    for (;;) {
      let line: string;
      try {
        line = await client.receiveLine({ strict: true });
      } catch (e) {
        if (e instanceof ProtocolError || e instanceof LimitError) return void (await err(client, 'line must end with CRLF and fit in 512 octets'));
        throw e;
      }
      const [verbRaw = '', ...args] = line.split(' ');
      const verb = verbRaw.toUpperCase();
      if (verb === 'QUIT') {
        const drop = p.drop;
        if (drop)
          await opts.store.remove(
            drop.user,
            [...drop.deleted].map((i) => drop.messages[i]!.uid),
          );
        return void (await ok(client, 'bye'));
      }
      if (verb === 'CAPA') {
        await client.send(
          `+OK capabilities\r\n${capabilities(p)
            .map((c) => `${c}\r\n`)
            .join('')}.\r\n`,
        );
        continue;
      }
      if (p.drop) await transaction(client, opts, p.drop, verb, args);
      else if ((await authorize(p, verb, args)) === 'closed') return;
    }
  } finally {
    if (p.drop) opts.locks.delete(p.drop.user);
  }
}

/** What CAPA lists (RFC 2449): STLS only while it can still be used. */
function capabilities(p: Session): string[] {
  const caps = plainAllowed(p) ? ['USER', 'UIDL', 'TOP', 'PIPELINING'] : ['UIDL', 'TOP', 'PIPELINING'];
  if (p.opts.tls && !p.secure && !p.drop) caps.push('STLS');
  return caps;
}

/** Whether USER/PASS may be used on this connection now. */
const plainAllowed = (p: Session): boolean => plainAuthAllowed(p.opts.plainAuth ?? PLAIN_AUTH, p.client, p.secure);

/** STLS (RFC 2595), in the AUTHORIZATION state only; 'closed' when plaintext was pipelined after it. */
async function stls(p: Session, args: string[]): Promise<'closed' | undefined> {
  const tls = p.opts.tls;
  if (!tls || p.secure || args.length > 0) return void (await err(p.client, tls && p.secure ? 'TLS already active' : 'STLS not offered'));
  if (p.client.dirty()) {
    await err(p.client, 'commands pipelined after STLS, closing the connection');
    return 'closed';
  }
  await upgrade(p.client, tls, () => ok(p.client, 'begin TLS negotiation'));
  p.secure = true;
  p.pendingUser = undefined;
}

/** A command in the AUTHORIZATION state; 'closed' when the session must end (too many failed logins). */
async function authorize(p: Session, verb: string, args: string[]): Promise<'closed' | undefined> {
  const { client, opts } = p;
  let user: string | undefined;
  if (verb === 'STLS') return stls(p, args);
  // RFC 2595 §4: LOGINDISABLED servers refuse USER/PASS in clear; RFC 3206's [AUTH] marks it
  if ((verb === 'USER' || verb === 'PASS') && !plainAllowed(p))
    return void (await err(client, '[AUTH] plaintext authentication disallowed on an unencrypted connection (use STLS or APOP)'));
  if (verb === 'USER' && args.length === 1) {
    p.pendingUser = args[0];
    return void (await ok(client));
  }
  if (verb === 'PASS' && p.pendingUser !== undefined) {
    const name = p.pendingUser;
    p.pendingUser = undefined;
    if (samePassword(opts.users.get(name), args.join(' '))) user = name;
  } else if (verb === 'APOP' && args.length === 2) {
    const pw = opts.users.get(args[0]!);
    if (
      pw !== undefined &&
      samePassword(
        createHash('md5')
          .update(p.stamp + pw)
          .digest('hex'),
        args[1]!,
      )
    )
      user = args[0]!;
  } else {
    return void (await err(client, 'log in first (USER/PASS or APOP)'));
  }
  if (user !== undefined) return login(p, user);
  const last = await p.logins.failed();
  await err(client, last ? '[AUTH] authentication failed; too many failures, closing the connection' : '[AUTH] authentication failed');
  return last ? 'closed' : undefined;
}

async function login(p: Session, user: string): Promise<undefined> {
  if (p.opts.locks.has(user)) return void (await err(p.client, '[IN-USE] maildrop locked'));
  p.opts.locks.add(user);
  p.drop = { user, messages: await p.opts.store.list(user), deleted: new Set() };
  await ok(p.client, `${p.drop.messages.length} messages`);
}

async function transaction(client: TcpClient, opts: Pop3OutOptions, drop: Drop, verb: string, args: string[]): Promise<void> {
  const live = () => drop.messages.map((m, i) => ({ m, i })).filter(({ i }) => !drop.deleted.has(i));
  const pick = () => {
    const n = Number(args[0]);
    const i = n - 1;
    return Number.isSafeInteger(n) && n >= 1 && i < drop.messages.length && !drop.deleted.has(i) ? i : -1;
  };
  switch (verb) {
    case 'STAT': {
      const l = live();
      return void (await ok(client, `${l.length} ${l.reduce((s, { m }) => s + m.size, 0)}`));
    }
    case 'LIST':
    case 'UIDL': {
      const show = (i: number) => `${i + 1} ${verb === 'LIST' ? drop.messages[i]!.size : drop.messages[i]!.uid}`;
      if (args.length > 0) {
        const i = pick();
        return void (i < 0 ? await err(client, 'no such message') : await ok(client, show(i)));
      }
      return void (await client.send(
        `+OK\r\n${live()
          .map(({ i }) => `${show(i)}\r\n`)
          .join('')}.\r\n`,
      ));
    }
    case 'RETR':
    case 'TOP': {
      const i = pick();
      if (i < 0) return void (await err(client, 'no such message'));
      let data = await opts.store.read(drop.user, drop.messages[i]!.uid);
      if (verb === 'TOP') {
        const lines = Number(args[1]);
        if (!Number.isSafeInteger(lines) || lines < 0) return void (await err(client, 'TOP needs a line count'));
        data = topOf(data, lines);
      }
      await client.send(`+OK ${data.length} octets\r\n`);
      await writeDotData(client, data);
      return;
    }
    case 'DELE': {
      const i = pick();
      if (i < 0) return void (await err(client, 'no such message'));
      drop.deleted.add(i);
      return void (await ok(client, `message ${i + 1} deleted`));
    }
    case 'RSET':
      drop.deleted.clear();
      return void (await ok(client));
    case 'NOOP':
      return void (await ok(client));
    default:
      await err(client, 'unknown command');
  }
}
