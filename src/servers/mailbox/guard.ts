/**
 * What the mailbox's SMTP and POP3 sides share to stay calm with a hostile
 * or careless client: the greet pause that catches early talkers, a strike
 * counter for bad commands, a throttle for failed logins (a growing delay
 * before each failure's reply, then a hang-up), a constant-time password
 * check, where passwords may travel in clear (`plainAuth`), and telling "the client left" (normal, not worth a log line) apart
 * from a real failure.
 *
 * @example
 * ```ts
 * declare const client: socket.TcpClient;
 * if (await talksEarly(client, GREET_DELAY_MS)) await client.send('554 5.5.0 talked before the greeting\r\n');
 * const bad = new Strikes(MAX_BAD_COMMANDS);
 * if (bad.hit()) await client.send('421 4.7.0 too many errors\r\n');
 * const logins = new AuthThrottle(AUTH_FAILURE_DELAY_MS, MAX_AUTH_FAILURES);
 * if (!samePassword('secret', 'guess') && (await logins.failed())) await client.close();
 * ```
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ClosedError, NetError } from '../../core/errors.js';
import { sleepFor } from '../../core/wait.js';
import type { TcpClient } from '../../socket/index.js';

/** Default pause before the banner, ms, in which a client must stay silent (`greetDelay`). */
export const GREET_DELAY_MS = 300;
/** Default unknown or invalid commands before the server hangs up (`maxBadCommands`). */
export const MAX_BAD_COMMANDS = 10;
/** Default extra delay per failed login, ms: the n-th failure waits n × this (`authFailureDelay`). */
export const AUTH_FAILURE_DELAY_MS = 250;
/** Default failed logins before the server hangs up (`maxAuthFailures`). */
export const MAX_AUTH_FAILURES = 3;
/**
 * Bytes read ahead of the session per connection, SMTP and POP3 alike
 * (see `TcpClient.setReadAhead`): 64 KiB, so that many idle or stalled
 * clients hold little memory (the R-12 figure measures it).
 */
export const MAILBOX_READ_AHEAD = 64 * 1024;

/**
 * Waits `ms` before the banner and tells whether the client sent anything
 * meanwhile — an early talker (a spambot pipelining blind, or a client
 * that speaks the wrong protocol). 0 turns the check off.
 */
export async function talksEarly(client: TcpClient, ms: number): Promise<boolean> {
  if (ms <= 0) return false;
  await sleepFor(ms);
  return client.dirty();
}

/**
 * Where the server accepts passwords in clear (SMTP AUTH PLAIN/LOGIN, POP3
 * USER/PASS): `'always'`; `'loopback'` — from a loopback address, or on
 * any connection once STARTTLS/STLS has secured it; `'tls'` — only on a
 * secured connection. Where they are not accepted they are not offered
 * either (EHLO, CAPA). APOP sends no password and is always accepted.
 */
export type PlainAuth = 'always' | 'loopback' | 'tls';
/** Default {@link PlainAuth} policy. */
export const PLAIN_AUTH: PlainAuth = 'loopback';

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (`::ffff:127.x.y.z`). */
export function isLoopback(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1' || /^(0{0,4}:){7}0{0,3}1$/.test(address);
}

/** Whether `client` may send a password in clear under `policy` (`secure`: after STARTTLS/STLS). */
export function plainAuthAllowed(policy: PlainAuth, client: TcpClient, secure: boolean): boolean {
  if (secure || policy === 'always') return true;
  return policy === 'loopback' && isLoopback(client.getPeerName().address);
}

/** Counts strikes up to a limit. */
export class Strikes {
  readonly limit: number;
  #count = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Strikes so far. */
  get count(): number {
    return this.#count;
  }

  /** Counts one more; true when that reaches the limit. */
  hit(): boolean {
    this.#count++;
    return this.#count >= this.limit;
  }
}

/**
 * Failed logins of one connection: the n-th failure waits n × `delayMs`
 * before its reply goes out (so guessing gets slower and slower), and the
 * `max`-th tells the caller to hang up.
 */
export class AuthThrottle {
  readonly #strikes: Strikes;
  readonly delayMs: number;

  constructor(delayMs: number, max: number) {
    this.delayMs = delayMs;
    this.#strikes = new Strikes(max);
  }

  /** Failures so far. */
  get failures(): number {
    return this.#strikes.count;
  }

  /** Counts a failure and waits its delay; true when the connection must be closed now. */
  async failed(): Promise<boolean> {
    const last = this.#strikes.hit();
    await sleepFor(this.#strikes.count * this.delayMs);
    return last;
  }
}

/** Whether `given` is the password `known`, in time independent of where they differ. `undefined` (no such user) never matches. */
export function samePassword(known: string | undefined, given: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(known ?? ''), digest(given)) && known !== undefined && given !== '';
}

/**
 * True for errors that only mean the client went away (closed, reset, a
 * write to a closed socket): a session ends quietly on them.
 */
export function peerLeft(err: unknown): boolean {
  // 'tls': a client that gives up its STARTTLS/STLS handshake (it does not trust the certificate) has left too
  return err instanceof ClosedError || (err instanceof NetError && (err.code === 'closed' || err.code === 'reset' || err.code === 'tls'));
}

/** Sends `text` if the client is still there; a client that left is not an error here. */
export async function sendIfThere(client: TcpClient, text: string): Promise<void> {
  try {
    if (!client.closed) await client.send(text);
  } catch (err) {
    if (!peerLeft(err)) throw err;
  }
}
