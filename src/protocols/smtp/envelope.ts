/**
 * The SMTP envelope: addresses in angle brackets, the ESMTP parameters of
 * MAIL FROM, and the commands one message's envelope makes.
 *
 * - `angle(address)` refuses CR, LF, NUL and angle brackets inside.
 * - `mailParams` writes `KEY=VALUE` parameters (RFC 5321 §4.1.2), adding
 *   `BODY=8BITMIME` when the server offers 8BITMIME and `SMTPUTF8` when an
 *   address of the envelope is not ASCII and the server offers SMTPUTF8
 *   (RFC 6531). A non-ASCII address for a server without SMTPUTF8 is a
 *   NetError `'unsupported'` before anything is sent.
 *
 * @example
 * ```ts
 * const ext = new Map([['8BITMIME', ''], ['SMTPUTF8', '']]);
 * mailParams(ext, ['jürgen@example.test']); // ' BODY=8BITMIME SMTPUTF8'
 * ```
 */
import { ArgumentError, LimitError, NetError } from '../../core/errors.js';

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

/**
 * ESMTP parameters of MAIL FROM: `{ SIZE: 1234, SMTPUTF8: true }` says
 * `SIZE=1234 SMTPUTF8`; `false` and `undefined` leave a parameter out.
 */
export type MailParams = Readonly<Record<string, string | number | boolean | undefined>>;

/** The commands of one envelope and the pipelined group they make (DATA last). */
export interface Plan {
  rcpts: string[];
  commands: [string, string?][];
}

/** `<addr>`, refusing CR, LF, NUL and angle brackets inside. */
export function angle(address: string): string {
  if (typeof address !== 'string') throw new ArgumentError(`an address is a string, got ${typeof address}`);
  const a = address.trim().replace(/^<(.*)>$/, '$1');
  if (/[\r\n\0<>]/.test(a) || Buffer.byteLength(a) > 256) throw new ArgumentError(`bad address ${JSON.stringify(address)}`);
  return `<${a}>`;
}

/** True when `address` has a character outside ASCII (it needs SMTPUTF8). */
export const isInternational = (address: string): boolean => /[^\x00-\x7f]/.test(address);

/** Throws NetError 'unsupported' when an address needs SMTPUTF8 and the server does not offer it. */
export function checkUtf8(ext: ReadonlyMap<string, string>, addresses: readonly string[]): boolean {
  const intl = addresses.find(isInternational);
  if (intl === undefined) return false;
  if (!ext.has('SMTPUTF8')) {
    throw new NetError('unsupported', `the address ${JSON.stringify(intl)} is not ASCII and the server does not offer SMTPUTF8 (RFC 6531); nothing was sent`);
  }
  return true;
}

function param(key: string, value: string | number | boolean | undefined): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(key)) throw new ArgumentError(`bad MAIL parameter name ${JSON.stringify(key)}`);
  if (value === true) return ` ${key}`;
  const text = String(value);
  if (!/^[\x21-\x3c\x3e-\x7e]+$/.test(text)) throw new ArgumentError(`bad value for MAIL parameter ${key}: ${JSON.stringify(text)}`);
  return ` ${key}=${text}`;
}

/**
 * The parameters after `FROM:<…>` (each with its leading space): the
 * caller's, plus BODY=8BITMIME and SMTPUTF8 as the module doc says.
 * `addresses` are the envelope's (the sender, and the recipients when known).
 */
export function mailParams(ext: ReadonlyMap<string, string>, addresses: readonly string[], given: MailParams = {}): string {
  const names = new Set(Object.keys(given).map((k) => k.toUpperCase()));
  let out = '';
  if (ext.has('8BITMIME') && !names.has('BODY')) out += ' BODY=8BITMIME';
  if (checkUtf8(ext, addresses) && !names.has('SMTPUTF8')) out += ' SMTPUTF8';
  for (const [k, v] of Object.entries(given)) if (v !== false && v !== undefined) out += param(k, v);
  return out;
}

/** RFC 1870: the SIZE parameter, or a LimitError when the server says it cannot take that much. */
function sizeParam(ext: ReadonlyMap<string, string>, size: number | undefined): MailParams {
  if (size === undefined || !ext.has('SIZE')) return {};
  const max = Number(ext.get('SIZE'));
  if (max > 0 && size > max) throw new LimitError('message', max, undefined, `message of ${size} bytes exceeds the server's SIZE ${max}`);
  return { SIZE: size };
}

/** The commands of one envelope, every argument checked before anything is sent. */
export function planEnvelope(ext: ReadonlyMap<string, string>, envelope: Envelope): Plan {
  const rcpts = typeof envelope.rcpt === 'string' ? [envelope.rcpt] : [...envelope.rcpt];
  if (rcpts.length === 0) throw new ArgumentError('no recipients');
  const mailArg = `FROM:${angle(envelope.from)}${mailParams(ext, [envelope.from, ...rcpts], sizeParam(ext, envelope.size))}`;
  return { rcpts, commands: [['MAIL', mailArg], ...rcpts.map((r): [string, string] => ['RCPT', `TO:${angle(r)}`])] };
}
