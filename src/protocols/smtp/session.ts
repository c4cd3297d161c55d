/**
 * `SmtpSession`: the low-level SMTP client (LuaSocket's `smtp.open` object,
 * Go's net/smtp `Client`), on a tp connection. Every step is public:
 *
 * - `greet(domain)`: reads the 220 (first time only), says EHLO (HELO if
 *   EHLO is refused) and remembers the extensions; `startTls()` upgrades
 *   and greets again.
 * - `auth(user, password)`: CRAM-MD5, PLAIN or LOGIN, whichever the server
 *   offers first in that order. Refused with code 'tls' on a connection that
 *   is not encrypted unless the session was opened with `allowPlainAuth`.
 * - `mail(from, params?)`, `rcpt(to)`, `data(source)`, `rset()`, `noop()`,
 *   `quit()`: one command each, resolving to the server's reply, a
 *   ReplyError when it says no. `mail` adds BODY=8BITMIME and SMTPUTF8 as
 *   `envelope.ts` says; `data` normalises and dot-stuffs the message and
 *   moves it with the caller's pump `step`.
 * - `send(envelope, source)`: MAIL (with SIZE=n when the envelope gives a
 *   size and the server offers SIZE — a message over the server's limit is
 *   refused before it is sent), every RCPT, DATA — pipelined in one write
 *   when the server offers PIPELINING, else one step at a time through the
 *   methods above. Recipients the server refuses are reported, not thrown,
 *   unless it refuses them all.
 *
 * Every step takes `signal`. An aborted step closes the connection (the
 * conversation is in an unknown state) and throws AbortError; an abort
 * during DATA never sends the final dot, so the server stores nothing.
 *
 * @example
 * ```ts
 * const s = await open({ host: '127.0.0.1', port: 2525 });
 * await s.greet('client.example');
 * await s.mail('a@example.test');
 * await s.rcpt('b@example.test');
 * await s.data(source.string('Subject: hi\r\n\r\nhello\r\n'));
 * await s.quit();
 * ```
 */
import type tls from 'node:tls';
import { AbortError, ArgumentError, NetError, ReplyError } from '../../core/errors.js';
import { tlsClientOptions } from '../../core/tls-mode.js';
import type { Source } from '../../ltn12/index.js';
import { formatCommand, type Expected, type Reply, type TextConn } from '../tp/index.js';
import { authenticate } from './auth.js';
import { angle, checkUtf8, mailParams, planEnvelope, type Envelope, type MailParams, type RcptResult, type SendResult } from './envelope.js';
import { say, sendManyPipelined, sendPipelined, transmit, type TransferOptions } from './transfer.js';

/** What a session needs from the options it was opened with. */
export interface SessionOptions {
  /** The server's name or address: what TLS verifies the certificate against. */
  host?: string;
  tlsOptions?: tls.ConnectionOptions;
  allowPlainAuth?: boolean;
}

/** Options of one step: the signal that aborts it. */
export interface StepOptions {
  signal?: AbortSignal;
}

export class SmtpSession {
  readonly conn: TextConn;
  #ext = new Map<string, string>();
  #encrypted: boolean;
  #greeted = false;
  readonly #opts: SessionOptions;

  constructor(conn: TextConn, opts: SessionOptions, encrypted: boolean) {
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

  /** Runs one step; an abort closes the connection and becomes AbortError. */
  async #step<T>(what: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!signal?.aborted) throw err;
      await this.conn.close();
      throw new AbortError(`SMTP ${what} aborted: connection closed`, undefined, { cause: signal.reason });
    }
  }

  /** Sends one command and checks its reply. */
  async #exchange(cmd: string, arg: string | undefined, expected: Expected, signal: AbortSignal | undefined): Promise<Reply> {
    const line = formatCommand(cmd, arg);
    return this.#step(cmd, signal, async () => {
      await say(this.conn, line, signal);
      return this.conn.check(expected, { signal });
    });
  }

  /** Reads the greeting (first time only) and says EHLO, or HELO when EHLO is refused. */
  async greet(domain = 'localhost', opts: StepOptions = {}): Promise<Reply> {
    const { signal } = opts;
    return this.#step('greeting', signal, async () => {
      if (!this.#greeted) await this.conn.check('2..', { signal });
      this.#greeted = true;
      await say(this.conn, formatCommand('EHLO', domain), signal);
      const reply = await this.conn.getReply({ signal });
      if (reply.code >= 200 && reply.code < 300) {
        this.#ext = new Map(
          reply.lines
            .slice(1)
            .map((l) => l.slice(4))
            .map((l) => [l.split(' ')[0]!.toUpperCase(), l.slice(l.indexOf(' ') + 1 || l.length)]),
        );
        return reply;
      }
      this.#ext = new Map();
      await say(this.conn, formatCommand('HELO', domain), signal);
      return this.conn.check('2..', { signal });
    });
  }

  /** STARTTLS, then EHLO again (what the server said before TLS is forgotten). */
  async startTls(domain = 'localhost', opts: StepOptions = {}): Promise<void> {
    if (!this.#ext.has('STARTTLS')) throw new NetError('tls', 'the server does not offer STARTTLS');
    const { signal } = opts;
    await this.#exchange('STARTTLS', undefined, '220', signal);
    await this.#step('TLS handshake', signal, () => this.conn.socket.startTls({ ...tlsClientOptions(this.#opts.host, this.#opts.tlsOptions), signal }));
    this.#encrypted = true;
    await this.greet(domain, opts);
  }

  /** Authenticates with the best mechanism offered (see the module doc). */
  async auth(user: string, password: string, opts: StepOptions = {}): Promise<Reply> {
    if (!this.#encrypted && !this.#opts.allowPlainAuth)
      throw new NetError('tls', 'refusing to send credentials over an unencrypted connection (allowPlainAuth to override)');
    return this.#step('AUTH', opts.signal, () => authenticate(this.conn, this.#ext.get('AUTH') ?? '', user, password, opts.signal));
  }

  /**
   * MAIL FROM:<from> with ESMTP `params` (`{ SIZE: 1234 }`); BODY=8BITMIME
   * and SMTPUTF8 are added when offered and needed (see `envelope.ts`).
   */
  async mail(from: string, params?: MailParams, opts: StepOptions = {}): Promise<Reply> {
    const arg = `FROM:${angle(from)}${mailParams(this.#ext, [from], params)}`;
    return this.#exchange('MAIL', arg, '2..', opts.signal);
  }

  /** RCPT TO:<to>; a non-ASCII address needs the server's SMTPUTF8 (NetError 'unsupported' before sending). */
  async rcpt(to: string, opts: StepOptions = {}): Promise<Reply> {
    const arg = `TO:${angle(to)}`;
    checkUtf8(this.#ext, [to]);
    return this.#exchange('RCPT', arg, '2..', opts.signal);
  }

  /**
   * DATA, then the message from `src` (normalised to CRLF, dot-stuffed,
   * moved with `step`), then the final dot; resolves to the server's verdict.
   */
  async data(src: Source, opts: TransferOptions = {}): Promise<Reply> {
    if (typeof src !== 'function') throw new ArgumentError('data needs an ltn12 source');
    if (opts.step !== undefined && typeof opts.step !== 'function') throw new ArgumentError('step must be a function (an ltn12 pump step)');
    const { signal } = opts;
    return this.#step('DATA', signal, async () => {
      await this.#exchange('DATA', undefined, '3..', signal);
      await transmit(this.conn, src, opts);
      return this.conn.check('2..', { signal });
    });
  }

  /** RSET: forgets the envelope given so far (the connection stays greeted). */
  async rset(opts: StepOptions = {}): Promise<Reply> {
    return this.#exchange('RSET', undefined, '2..', opts.signal);
  }

  /** NOOP: asks the server for a 250 (keeps the connection alive, checks it works). */
  async noop(opts: StepOptions = {}): Promise<Reply> {
    return this.#exchange('NOOP', undefined, '2..', opts.signal);
  }

  /** QUIT, then closes the connection whatever the answer. */
  async quit(opts: StepOptions = {}): Promise<Reply> {
    try {
      return await this.#exchange('QUIT', undefined, '2..', opts.signal);
    } finally {
      await this.conn.close();
    }
  }

  /** Closes the connection without QUIT. */
  close(): Promise<void> {
    return this.conn.close();
  }

  /** Sends one message to every recipient the server accepts (see the module doc). */
  async send(envelope: Envelope, src: Source, opts: TransferOptions = {}): Promise<SendResult> {
    const plan = planEnvelope(this.#ext, envelope);
    if (this.#ext.has('PIPELINING')) return this.#step('send', opts.signal, () => sendPipelined(this.conn, plan, src, opts));
    return this.#sendStepByStep(plan.commands[0]![1]!, plan.rcpts, src, opts);
  }

  /**
   * Sends several messages back to back: with PIPELINING, each message's
   * envelope leaves right behind the previous message's final dot (RFC 2920),
   * so a message costs about one round trip. Each message gets its own
   * result, or the error that stopped it; one refusal does not stop the rest.
   */
  async sendMany(items: readonly { envelope: Envelope; source: Source }[], opts: TransferOptions = {}): Promise<(SendResult | NetError)[]> {
    if (!this.#ext.has('PIPELINING')) {
      const results: (SendResult | NetError)[] = [];
      for (const it of items) results.push(await this.send(it.envelope, it.source, opts).catch((e: NetError) => e));
      return results;
    }
    const plans = items.map((it) => planEnvelope(this.#ext, it.envelope));
    return this.#step('send', opts.signal, () => sendManyPipelined(this.conn, plans, items, opts));
  }

  /** Without PIPELINING: MAIL, each RCPT (refusals collected), then `data`. */
  async #sendStepByStep(mailArg: string, rcpts: string[], src: Source, opts: TransferOptions): Promise<SendResult> {
    const { signal } = opts;
    await this.#exchange('MAIL', mailArg, '2..', signal);
    const accepted: string[] = [];
    const rejected: RcptResult[] = [];
    for (const r of rcpts) {
      const reply = await this.#exchange('RCPT', `TO:${angle(r)}`, '2..', signal).catch((err: unknown) => {
        if (err instanceof ReplyError) return err;
        throw err;
      });
      if (reply instanceof ReplyError) rejected.push({ rcpt: r, code: reply.replyCode, reply: reply.reply });
      else accepted.push(r);
    }
    if (accepted.length === 0) {
      await this.rset(opts);
      throw new ReplyError(rejected[0]!.code, rejected[0]!.reply, `every recipient was refused: ${rejected[0]!.reply}`);
    }
    return { accepted, rejected, reply: (await this.data(src, opts)).text };
  }
}
