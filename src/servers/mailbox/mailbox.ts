/**
 * `servers.mailbox`: a development mail server — SMTP in, POP3 out — like
 * Mailpit or MailHog for the command line. Binds to 127.0.0.1 unless told
 * otherwise. Users are `{ name: password }` or a JSON file holding that
 * object; mail for anyone else is refused at RCPT. Mail is kept in a Maildir
 * under `dir` (default) or in memory (`store: 'memory'`).
 *
 * @example
 * ```ts
 * const box = await servers.mailbox({ smtpPort: 2525, pop3Port: 1100, users: { alice: 'secret' }, store: 'memory' });
 * // … send with smtp.send, read with pop3.connect …
 * await box.close();
 * ```
 */
import { readFile } from 'node:fs/promises';
import type { SecureContextOptions } from 'node:tls';
import { ArgumentError } from '../../core/errors.js';
import { tlsMode } from '../../core/tls-mode.js';
import { mailboxTls } from './tls.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkInteger, checkMs, checkOneOf } from '../../core/validate.js';
import { serve, type Served } from '../serve.js';
import { MaildirStore, MemoryStore, type MailStore } from './store.js';
import { smtpSession } from './smtp-in.js';
import { pop3Session } from './pop3-out.js';
import { AUTH_FAILURE_DELAY_MS, GREET_DELAY_MS, MAX_AUTH_FAILURES, MAX_BAD_COMMANDS, PLAIN_AUTH, type PlainAuth } from './guard.js';
import { Catalog } from './web/catalog.js';
import { webInbox, type WebInbox, type WebInboxOptions } from './web/inbox.js';

export interface MailboxOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 2525 */
  smtpPort?: number;
  /** 0 picks a free port. @default 1100 */
  pop3Port?: number;
  /** Maildir root. @default a 'netkit-mailbox' folder in the temp directory */
  dir?: string;
  /** `{ user: password }`, or the path of a JSON file holding it. */
  users: Record<string, string> | string;
  /** @default 'maildir' */
  store?: 'maildir' | 'memory' | MailStore;
  /** Require SMTP AUTH before MAIL. @default false */
  requireAuth?: boolean;
  /** @default 10 MiB */
  maxMessageBytes?: number;
  /** Name in greetings. @default 'localhost' */
  hostname?: string;
  /**
   * Live connections per protocol (SMTP, POP3); more are closed on arrival.
   * With `maxMessageBytes` it bounds the memory DATA can take:
   * `maxConnections × maxMessageBytes` at most (160 MiB at the defaults).
   * @default MAILBOX_MAX_CONNECTIONS (16)
   */
  maxConnections?: number;
  /**
   * Pause before the SMTP banner, ms: a client that sends anything during it
   * (an early talker) gets 554 and is closed. 0 turns the check off.
   * @default GREET_DELAY_MS (300)
   */
  greetDelay?: number;
  /** Unknown or invalid SMTP commands (and over-long lines) before 421 and close. @default MAX_BAD_COMMANDS (10) */
  maxBadCommands?: number;
  /**
   * Failed logins (SMTP AUTH, POP3 PASS/APOP) are slowed down: the n-th
   * failure of a connection waits n × this many ms before its reply.
   * @default AUTH_FAILURE_DELAY_MS (250)
   */
  authFailureDelay?: number;
  /** Failed logins of one connection before the server hangs up (SMTP 421, POP3 -ERR). @default MAX_AUTH_FAILURES (3) */
  maxAuthFailures?: number;
  /**
   * `'starttls'` offers STARTTLS (SMTP) and STLS (POP3); `'none'` offers
   * neither (clients that upgrade whenever it is offered would otherwise meet an untrusted
   * development certificate). Implicit TLS is not served. @default 'none'
   */
  tls?: 'starttls' | 'none' | 'explicit' | 'stls';
  /**
   * The certificate for STARTTLS/STLS: `key` and `cert` in PEM (Node's
   * `tls.SecureContextOptions`). Without it a self-signed development
   * certificate for localhost/127.0.0.1/::1 is generated at start; its PEM
   * and fingerprint are in the result's `tls`.
   */
  tlsOptions?: SecureContextOptions;
  /**
   * Where passwords may travel in clear (SMTP AUTH PLAIN/LOGIN, POP3
   * USER/PASS): `'loopback'` accepts them from a loopback address, or from
   * anywhere once STARTTLS/STLS has secured the connection; `'tls'` only on
   * a secured connection; `'always'` everywhere. Where they are not
   * accepted they are not offered (EHLO, CAPA); APOP is always accepted.
   * @default 'loopback'
   */
  plainAuth?: PlainAuth;
  /** Also serve the web inbox: true for 127.0.0.1:8025 (on `host`), or its options. @default false */
  web?: boolean | WebInboxOptions;
}

/** Default live connections per protocol of a mailbox. */
export const MAILBOX_MAX_CONNECTIONS = 16;
/** Default largest message the mailbox accepts, octets (10 MiB). */
export const MAILBOX_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export interface Mailbox {
  smtp: Served;
  pop3: Served;
  store: MailStore;
  /** The web inbox, when `web` was asked for. */
  web: WebInbox | null;
  /** The certificate STARTTLS/STLS present (`generated` when made at start), or null with `tls: 'none'`. */
  tls: { cert: string; fingerprint: string; generated: boolean } | null;
  close(): Promise<void>;
}

function parseUsersFile(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ArgumentError(`users: ${path} is not JSON (${(e as Error).message})`);
  }
}

async function loadUsers(users: MailboxOptions['users']): Promise<Map<string, string>> {
  const obj: unknown = typeof users === 'string' ? parseUsersFile(users, await readFile(users, 'utf8')) : users;
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new ArgumentError('users must be an object of user → password');
  const map = new Map<string, string>();
  for (const [u, p] of Object.entries(obj)) {
    if (typeof p !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(u))
      throw new ArgumentError(`users: bad entry ${JSON.stringify(u)} (a name of 1–64 letters, digits, '.', '_' or '-', and a string password)`);
    map.set(u, p);
  }
  return map;
}

/** The checked session options: those both protocols take, the SMTP-only ones, and the TLS setup. */
function sessionOptions(opts: MailboxOptions) {
  const mode = tlsMode(opts.tls, 'none');
  if (mode === 'implicit') throw new ArgumentError("mailbox: tls must be 'starttls' or 'none' (implicit TLS is not served)");
  const tls = mode === 'starttls' ? mailboxTls(opts.tlsOptions) : null;
  const shared = {
    authFailureDelay: checkMs('authFailureDelay', opts.authFailureDelay, AUTH_FAILURE_DELAY_MS) ?? 0,
    maxAuthFailures: checkInteger('maxAuthFailures', opts.maxAuthFailures, { min: 1 }, MAX_AUTH_FAILURES),
    tls: tls?.context,
    plainAuth: opts.plainAuth === undefined ? PLAIN_AUTH : checkOneOf<PlainAuth>('plainAuth', opts.plainAuth, ['always', 'loopback', 'tls']),
  };
  const smtpOnly = {
    requireAuth: opts.requireAuth === true,
    maxMessageBytes: checkInteger('maxMessageBytes', opts.maxMessageBytes, { min: 1 }, MAILBOX_MAX_MESSAGE_BYTES),
    greetDelay: checkMs('greetDelay', opts.greetDelay, GREET_DELAY_MS) ?? 0,
    maxBadCommands: checkInteger('maxBadCommands', opts.maxBadCommands, { min: 1 }, MAX_BAD_COMMANDS),
  };
  return { shared, smtpOnly, tls };
}

export async function mailbox(opts: MailboxOptions): Promise<Mailbox> {
  const users = await loadUsers(opts.users);
  const kept: MailStore =
    opts.store === 'memory' ? new MemoryStore() : typeof opts.store === 'object' ? opts.store : new MaildirStore(opts.dir ?? join(tmpdir(), 'netkit-mailbox'));
  const catalog = opts.web ? new Catalog(kept, [...users.keys()]) : null;
  const store = catalog?.observed() ?? kept;
  const hostname = opts.hostname ?? 'localhost';
  const host = opts.host ?? '127.0.0.1';
  const maxConnections = checkInteger('maxConnections', opts.maxConnections, { min: 1 }, MAILBOX_MAX_CONNECTIONS);
  const { shared, smtpOnly, tls } = sessionOptions(opts);
  const smtpOpts = { users, store, hostname, ...shared, ...smtpOnly };
  const smtp = await serve({ host, port: opts.smtpPort ?? 2525, idleTimeout: 300_000, maxConnections }, (c) => smtpSession(c, smtpOpts));
  const locks = new Set<string>();
  let pop3: Served;
  try {
    pop3 = await serve({ host, port: opts.pop3Port ?? 1100, idleTimeout: 600_000, maxConnections }, (c) =>
      pop3Session(c, { users, store, locks, hostname, ...shared }),
    );
  } catch (e) {
    await smtp.close();
    throw e;
  }
  let web: WebInbox | null = null;
  try {
    if (catalog) web = await webInbox(catalog, { host, ...(typeof opts.web === 'object' ? opts.web : {}) });
  } catch (e) {
    await Promise.all([smtp.close(), pop3.close()]);
    throw e;
  }
  const shown = tls && { cert: tls.cert, fingerprint: tls.fingerprint, generated: tls.generated };
  return { smtp, pop3, store, web, tls: shown, close: async () => void (await Promise.all([smtp.close(), pop3.close(), web?.close()])) };
}
