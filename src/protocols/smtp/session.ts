/**
 * `SmtpSession`: the low-level SMTP client (LuaSocket's `smtp.open` and its
 * `greet`, `auth`, `mail`, `rcpt`, `data`, `quit`), on a tp connection.
 *
 * - `greet(domain)`: reads the 220, says EHLO (HELO if EHLO is refused) and
 *   remembers the extensions; `startTls()` upgrades and greets again.
 * - `auth(user, password)`: CRAM-MD5, PLAIN or LOGIN, whichever the server
 *   offers first in that order. Refused with code 'tls' on a connection that
 *   is not encrypted unless the session was opened with `allowPlainAuth`.
 * - `send(envelope, source)`: MAIL (with BODY=8BITMIME when offered, and
 *   SIZE=n when the envelope gives a size and the server offers SIZE — a
 *   message over the server's limit is refused before it is sent), every
 *   RCPT (pipelined when the server offers PIPELINING), DATA with the message
 *   normalised and dot-stuffed. Recipients the server refuses are reported,
 *   not thrown, unless it refuses them all.
 *
 * @example
 * ```ts
 * declare const headers: any;
 * declare const body: any;
 * const s = await open({ server: '127.0.0.1', port: 2525 });
 * await s.greet('client.example');
 * const r = await s.send({ from: 'a@x', rcpt: ['b@y'] }, message({ headers, body }));
 * await s.quit();
 * ```
 */
import { createHmac } from 'node:crypto';
import type tls from 'node:tls';
import { ArgumentError, LimitError, NetError, ReplyError } from '../../core/errors.js';
import { pump, type Source } from '../../ltn12/index.js';
import { type TextConn, connect as tpConnect, dotSink, formatCommand, type Reply } from '../tp/index.js';

/** Options of {@link open}. */
export interface OpenOptions {
  server: string;
  /** @default 25, or 465 with tls 'implicit' */
  port?: number;
  /** 'implicit' (SMTPS from the first byte); STARTTLS is `startTls()` or `send`'s `tls` policy. */
  tls?: 'implicit' | 'starttls' | 'none';
  /** TLS options (ca, servername, rejectUnauthorized …). Certificates are verified by default. */
  tlsOptions?: tls.ConnectionOptions;
  /** Per-reply wait, ms. @default 60000 */
  timeout?: number;
  /** Allow AUTH over an unencrypted connection. @default false */
  allowPlainAuth?: boolean;
  /** LuaSocket's `create`: a ready TextConn to use instead of connecting. */
  create?: () => Promise<TextConn>;
}

/** One recipient's fate. */
export interface RcptResult {
  rcpt: string;
  code: number;
  reply: string;
}

/** What `send` reports. */
export interface SendResult {
  accepted: string[];
  rejected: RcptResult[];
  /** The server's reply to the end of the data. */
  reply: string;
}

/** Who sends and who receives (the envelope), and the size when known. */
export interface Envelope {
  from: string;
  rcpt: string | readonly string[];
  size?: number;
}

interface Plan {
  rcpts: string[];
  commands: [string, string?][];
  group: string;
}

/** `<addr>`, refusing CR, LF, NUL and angle brackets inside. */
export function angle(address: string): string {
  const a = address.trim().replace(/^<(.*)>$/, '$1');
  if (/[\r\n\0<>]/.test(a) || a.length > 256) throw new ArgumentError(`bad address ${JSON.stringify(address)}`);
  return `<${a}>`;
}

export class SmtpSession {
  readonly conn: TextConn;
  #ext = new Map<string, string>();
  #encrypted: boolean;
  readonly #opts: OpenOptions;

  constructor(conn: TextConn, opts: OpenOptions, encrypted: boolean) {
    this.conn = conn;
    this.#opts = opts;
    this.#encrypted = encrypted;
  }

  /** The extensions the server announced (upper-case keyword → parameters). */
  get extensions(): ReadonlyMap<string, string> {
    return this.#ext;
  }

  get encrypted(): boolean {
    return this.#encrypted;
  }

  /** Reads the greeting (first time only) and says EHLO, or HELO when EHLO is refused. */
  async greet(domain = 'localhost', first = true): Promise<Reply> {
    if (first) await this.conn.check('2..');
    await this.conn.command('EHLO', domain);
    const reply = await this.conn.getReply();
    if (reply.code >= 200 && reply.code < 300) {
      this.#ext = new Map(reply.lines.slice(1).map((l) => l.slice(4)).map((l) => [l.split(' ')[0]!.toUpperCase(), l.slice(l.indexOf(' ') + 1 || l.length)]));
      return reply;
    }
    this.#ext = new Map();
    await this.conn.command('HELO', domain);
    return this.conn.check('2..');
  }

  /** STARTTLS, then EHLO again (what the server said before TLS is forgotten). */
  async startTls(domain = 'localhost'): Promise<void> {
    if (!this.#ext.has('STARTTLS')) throw new NetError('tls', 'the server does not offer STARTTLS');
    await this.conn.command('STARTTLS');
    await this.conn.check('220');
    await this.conn.socket.startTls({ servername: this.#opts.server, ...this.#opts.tlsOptions });
    this.#encrypted = true;
    await this.greet(domain, false);
  }

  /** Authenticates with the best mechanism offered (see the module doc). */
  async auth(user: string, password: string): Promise<void> {
    if (!this.#encrypted && !this.#opts.allowPlainAuth) throw new NetError('tls', 'refusing to send credentials over an unencrypted connection (allowPlainAuth to override)');
    const offered = (this.#ext.get('AUTH') ?? '').toUpperCase().split(/\s+/);
    if (offered.includes('CRAM-MD5')) {
      await this.conn.command('AUTH', 'CRAM-MD5');
      const challenge = Buffer.from((await this.conn.check(334)).message, 'base64').toString('latin1');
      const digest = createHmac('md5', password).update(challenge, 'latin1').digest('hex');
      await this.conn.send(`${Buffer.from(`${user} ${digest}`).toString('base64')}\r\n`);
    } else if (offered.includes('PLAIN')) {
      await this.conn.command('AUTH', `PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}`);
    } else if (offered.includes('LOGIN')) {
      await this.conn.command('AUTH', 'LOGIN');
      await this.conn.check(334);
      await this.conn.send(`${Buffer.from(user).toString('base64')}\r\n`);
      await this.conn.check(334);
      await this.conn.send(`${Buffer.from(password).toString('base64')}\r\n`);
    } else {
      throw new NetError('unsupported', `no AUTH mechanism netkit knows is offered (${offered.join(' ') || 'none'})`);
    }
    await this.conn.check(235);
  }

  /** Sends one message to every recipient the server accepts. */
  async send(envelope: Envelope, src: Source): Promise<SendResult> {
    const plan = this.#plan(envelope);
    if (!this.#ext.has('PIPELINING')) return this.#sendStepByStep(plan, src);
    // RFC 2920: DATA may close the group, so one round trip covers the envelope.
    await this.conn.send(plan.group);
    const verdict = await this.#readGroup(plan);
    await pump.all(src, dotSink(this.conn));
    return { ...verdict, reply: (await this.conn.check('2..')).text };
  }

  /**
   * Sends several messages back to back: with PIPELINING, each message's
   * envelope leaves right behind the previous message's final dot (RFC 2920),
   * so a message costs about one round trip. Each message gets its own
   * result, or the error that stopped it; one refusal does not stop the rest.
   */
  async sendMany(items: readonly { envelope: Envelope; source: Source }[]): Promise<(SendResult | NetError)[]> {
    const results: (SendResult | NetError)[] = [];
    if (!this.#ext.has('PIPELINING')) {
      for (const it of items) results.push(await this.send(it.envelope, it.source).catch((e: NetError) => e));
      return results;
    }
    const plans = items.map((it) => this.#plan(it.envelope));
    let pending: { index: number; verdict: Omit<SendResult, 'reply'> } | null = null;
    if (plans.length > 0) await this.conn.send(plans[0]!.group);
    for (let i = 0; i < plans.length; i++) {
      if (pending) results[pending.index] = await this.#final(pending.verdict);
      pending = null;
      try {
        const verdict = await this.#readGroup(plans[i]!);
        await pump.all(items[i]!.source, dotSink(this.conn));
        pending = { index: i, verdict };
      } catch (err) {
        if (!(err instanceof ReplyError)) throw err;
        results[i] = err;
      }
      if (i + 1 < plans.length) await this.conn.send(plans[i + 1]!.group);
    }
    if (pending) results[pending.index] = await this.#final(pending.verdict);
    return results;
  }

  async #final(verdict: Omit<SendResult, 'reply'>): Promise<SendResult | NetError> {
    try {
      return { ...verdict, reply: (await this.conn.check('2..')).text };
    } catch (err) {
      if (err instanceof ReplyError) return err;
      throw err;
    }
  }

  /** The commands of one envelope, checked, and the pipelined group they make. */
  #plan(envelope: Envelope): Plan {
    const rcpts = typeof envelope.rcpt === 'string' ? [envelope.rcpt] : [...envelope.rcpt];
    if (rcpts.length === 0) throw new ArgumentError('no recipients');
    let mailArg = `FROM:${angle(envelope.from)}${this.#ext.has('8BITMIME') ? ' BODY=8BITMIME' : ''}`;
    if (envelope.size !== undefined && this.#ext.has('SIZE')) {
      // RFC 1870: declare the size, and do not even try what the server says it cannot take.
      const max = Number(this.#ext.get('SIZE'));
      if (max > 0 && envelope.size > max) throw new LimitError('message', max, undefined, `message of ${envelope.size} bytes exceeds the server's SIZE ${max}`);
      mailArg += ` SIZE=${envelope.size}`;
    }
    const commands: [string, string?][] = [['MAIL', mailArg], ...rcpts.map((r): [string, string] => ['RCPT', `TO:${angle(r)}`])];
    return { rcpts, commands, group: [...commands, ['DATA']].map(([c, a]) => formatCommand(c!, a)).join('') };
  }

  /** Reads the replies to a pipelined group and judges them (see `#judge`). */
  async #readGroup(plan: Plan): Promise<Omit<SendResult, 'reply'>> {
    const replies: Reply[] = [];
    for (let i = 0; i <= plan.commands.length; i++) replies.push(await this.conn.getReply());
    return this.#judge(plan, replies, replies[plan.commands.length]!);
  }

  /**
   * MAIL refused, or every RCPT refused: ReplyError (after closing a DATA the
   * server opened anyway, and RSET). Otherwise who was accepted and who not.
   */
  async #judge(plan: Plan, replies: Reply[], dataReply: Reply | undefined): Promise<Omit<SendResult, 'reply'>> {
    const mail = replies[0]!;
    if (mail.code >= 300) {
      if (dataReply?.code === 354) await this.#abortData();
      throw new ReplyError(mail.code, mail.text);
    }
    const accepted: string[] = [];
    const rejected: RcptResult[] = [];
    plan.rcpts.forEach((r, i) => {
      const rep = replies[i + 1]!;
      if (rep.code >= 200 && rep.code < 300) accepted.push(r);
      else rejected.push({ rcpt: r, code: rep.code, reply: rep.text });
    });
    if (accepted.length === 0) {
      if (dataReply?.code === 354) await this.#abortData();
      await this.conn.command('RSET');
      await this.conn.getReply();
      throw new ReplyError(rejected[0]!.code, rejected[0]!.reply, `every recipient was refused: ${rejected[0]!.reply}`);
    }
    if (dataReply && dataReply.code !== 354) throw new ReplyError(dataReply.code, dataReply.text);
    return { accepted, rejected };
  }

  async #sendStepByStep(plan: Plan, src: Source): Promise<SendResult> {
    const replies: Reply[] = [];
    for (const [c, a] of plan.commands) {
      await this.conn.command(c, a);
      replies.push(await this.conn.getReply());
      if (replies.length === 1 && replies[0]!.code >= 300) break;
    }
    const verdict = await this.#judge(plan, replies, undefined);
    await this.conn.command('DATA');
    await this.conn.check(354);
    await pump.all(src, dotSink(this.conn));
    return { ...verdict, reply: (await this.conn.check('2..')).text };
  }

  /** Ends a DATA the server opened although nothing may be sent: an empty message it will refuse. */
  async #abortData(): Promise<void> {
    await this.conn.send('.\r\n');
    await this.conn.getReply();
  }

  /** QUIT and close. */
  async quit(): Promise<void> {
    try {
      await this.conn.command('QUIT');
      await this.conn.getReply();
    } finally {
      await this.conn.close();
    }
  }
}

/** Opens a connection to the server (not yet greeted). */
export async function open(opts: OpenOptions): Promise<SmtpSession> {
  if (opts.create) return new SmtpSession(await opts.create(), opts, false);
  const implicit = opts.tls === 'implicit';
  const port = opts.port ?? (implicit ? 465 : 25);
  const conn = await tpConnect(opts.server, port, {
    timeout: opts.timeout ?? 60_000,
    idleTimeout: opts.timeout ?? 60_000,
    tls: implicit ? { servername: opts.server, ...opts.tlsOptions } : undefined,
  });
  return new SmtpSession(conn, opts, implicit);
}
