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
 * @example
 * ```ts
 * declare const users: ReadonlyMap<string, string>;
 * declare const store: Parameters<typeof smtpSession>[1]['store'];
 * await serve({ port: 2525 }, (client) => smtpSession(client, { users, store, hostname: 'localhost', requireAuth: false, maxMessageBytes: 10 * 1024 * 1024 }));
 * ```
 */
import { LimitError, ProtocolError } from '../../core/errors.js';
import type { TcpClient } from '../../socket/index.js';
import { readDotData } from '../../protocols/tp/index.js';
import type { MailStore } from './store.js';

export interface SmtpInOptions {
  users: ReadonlyMap<string, string>;
  store: MailStore;
  hostname: string;
  requireAuth: boolean;
  maxMessageBytes: number;
}

/** Recipients one transaction may name (RFC 5321 §4.5.3.1.8: at least 100); more get 452. */
export const MAX_RECIPIENTS = 100;

interface State {
  from?: string;
  /** Mailboxes to deliver to: each once, however often it was named. */
  rcpt: Set<string>;
  /** RCPT commands accepted in this transaction, repeats included. */
  named: number;
  user?: string;
}

const reply = (c: TcpClient, line: string) => c.send(`${line}\r\n`);

function address(arg: string, prefix: string): string | undefined {
  const m = new RegExp(`^${prefix}:\\s*<([^<>\\s]*)>`, 'i').exec(arg);
  if (!m) return undefined;
  return m[1]!;
}

export async function smtpSession(client: TcpClient, opts: SmtpInOptions): Promise<void> {
  client.setLineLimit(64 * 1024);
  client.setOption('tcp-nodelay', true); // replies are small and each one is awaited
  await reply(client, `220 ${opts.hostname} netkit mailbox ESMTP ready`);
  const st: State = { rcpt: new Set(), named: 0 };
  for (;;) {
    let line: string;
    try {
      line = await client.receiveLine({ strict: true });
    } catch (err) {
      if (err instanceof ProtocolError || err instanceof LimitError) {
        await reply(client, '500 5.5.2 line must end with CRLF and be shorter than 64 KiB');
        return;
      }
      throw err;
    }
    if (line.length > 512) {
      await reply(client, '500 5.5.2 command line too long');
      continue;
    }
    const sp = line.indexOf(' ');
    const verb = (sp < 0 ? line : line.slice(0, sp)).toUpperCase();
    const arg = sp < 0 ? '' : line.slice(sp + 1);
    if (verb === 'QUIT') {
      await reply(client, '221 2.0.0 bye');
      return;
    }
    await command(client, opts, st, verb, arg);
  }
}

function resetTransaction(st: State): void {
  st.from = undefined;
  st.rcpt = new Set();
  st.named = 0;
}

async function command(client: TcpClient, opts: SmtpInOptions, st: State, verb: string, arg: string): Promise<void> {
  switch (verb) {
    case 'EHLO':
      await client.send(`250-${opts.hostname} hello\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE ${opts.maxMessageBytes}\r\n250 AUTH PLAIN LOGIN\r\n`);
      return;
    case 'HELO':
      return void (await reply(client, `250 ${opts.hostname}`));
    case 'NOOP':
      return void (await reply(client, '250 2.0.0 ok'));
    case 'RSET':
      resetTransaction(st);
      return void (await reply(client, '250 2.0.0 reset'));
    case 'AUTH':
      return auth(client, opts, st, arg);
    case 'MAIL': {
      if (opts.requireAuth && !st.user) return void (await reply(client, '530 5.7.0 authentication required'));
      const from = address(arg, 'FROM');
      if (from === undefined) return void (await reply(client, '501 5.5.4 syntax: MAIL FROM:<address>'));
      const size = /\bSIZE=(\d+)/i.exec(arg);
      if (size && Number(size[1]) > opts.maxMessageBytes) return void (await reply(client, '552 5.3.4 message too big'));
      resetTransaction(st);
      st.from = from;
      return void (await reply(client, '250 2.1.0 sender ok'));
    }
    case 'RCPT': {
      if (st.from === undefined) return void (await reply(client, '503 5.5.1 MAIL first'));
      const to = address(arg, 'TO');
      if (to === undefined) return void (await reply(client, '501 5.5.4 syntax: RCPT TO:<address>'));
      const user = to.split('@')[0]!;
      if (!opts.users.has(user)) return void (await reply(client, `550 5.1.1 no such user ${user}`));
      if (st.named >= MAX_RECIPIENTS) return void (await reply(client, `452 4.5.3 too many recipients (at most ${MAX_RECIPIENTS})`));
      st.named++;
      st.rcpt.add(user);
      return void (await reply(client, '250 2.1.5 recipient ok'));
    }
    case 'DATA':
      return data(client, opts, st);
    default:
      await reply(client, '502 5.5.1 command not implemented');
  }
}

async function auth(client: TcpClient, opts: SmtpInOptions, st: State, arg: string): Promise<void> {
  const [mech, initial] = arg.split(' ');
  let user: string;
  let pass: string;
  if (mech?.toUpperCase() === 'PLAIN') {
    let resp = initial;
    if (resp === undefined) {
      await reply(client, '334 ');
      resp = await client.receiveLine({ strict: true });
    }
    [, user = '', pass = ''] = Buffer.from(resp, 'base64').toString('utf8').split('\0');
  } else if (mech?.toUpperCase() === 'LOGIN') {
    await reply(client, `334 ${Buffer.from('Username:').toString('base64')}`);
    user = Buffer.from(await client.receiveLine({ strict: true }), 'base64').toString('utf8');
    await reply(client, `334 ${Buffer.from('Password:').toString('base64')}`);
    pass = Buffer.from(await client.receiveLine({ strict: true }), 'base64').toString('utf8');
  } else {
    return void (await reply(client, '504 5.5.4 mechanism not supported'));
  }
  if (opts.users.get(user) === pass && pass !== '') {
    st.user = user;
    await reply(client, '235 2.7.0 authenticated');
  } else {
    await reply(client, '535 5.7.8 authentication failed');
  }
}

async function data(client: TcpClient, opts: SmtpInOptions, st: State): Promise<void> {
  if (st.rcpt.size === 0) return void (await reply(client, '503 5.5.1 RCPT first'));
  await reply(client, '354 end data with <CR><LF>.<CR><LF>');
  const got = await readDotData(client, { maxBytes: opts.maxMessageBytes });
  const rcpt = [...st.rcpt];
  resetTransaction(st);
  if (got.bareLineEnd) return void (await reply(client, '550 5.6.0 bare CR or LF in the message: refused'));
  if (got.over) return void (await reply(client, '552 5.3.4 message too big'));
  for (const user of rcpt) await opts.store.deliver(user, got.data);
  await reply(client, `250 2.0.0 delivered to ${rcpt.length} mailbox(es)`);
}
