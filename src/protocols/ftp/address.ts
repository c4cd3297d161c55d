/**
 * Data-connection addresses in FTP replies and commands: parsing `227`
 * (PASV, RFC 959) and `229` (EPSV, RFC 2428) replies, and formatting `PORT`
 * and `EPRT` arguments.
 *
 * Parsing is strict: a PASV reply must hold exactly six comma-separated
 * numbers 0–255 with a port 1–65535; an EPSV reply must be `(<d><d><d>port<d>)`
 * with one delimiter character (`!`–`~`) repeated and a port 1–65535.
 * Anything else is a ProtocolError carrying the reply line.
 *
 * @example
 * ```ts
 * parsePasv('227 Entering Passive Mode (127,0,0,1,117,48).');  // { host: '127.0.0.1', port: 30000 }
 * parseEpsv('229 Entering Extended Passive Mode (|||30000|)');  // 30000
 * formatPort('127.0.0.1', 30000);                             // '127,0,0,1,117,48'
 * formatEprt('::1', 30000);                                   // '|2|::1|30000|'
 * ```
 */
import net from 'node:net';
import { ArgumentError, ProtocolError } from '../../core/errors.js';

/** A run of six comma-separated numbers, not part of a longer run and not signed. */
const PASV_NUMBERS = /(?:^|[^\d,+-])(\d{1,10}(?:,\d{1,10}){5})(?![\d,])/;

/** The host and port a `227` reply announces. */
export function parsePasv(text: string): { host: string; port: number } {
  const m = PASV_NUMBERS.exec(text);
  if (!m) throw new ProtocolError('malformed PASV reply: six numbers h1,h2,h3,h4,p1,p2 expected', text.slice(0, 200));
  const n = m[1]!.split(',').map(Number);
  if (n.some((x) => x > 255)) throw new ProtocolError('malformed PASV reply: a number above 255', text.slice(0, 200));
  const port = n[4]! * 256 + n[5]!;
  if (port === 0) throw new ProtocolError('malformed PASV reply: port 0', text.slice(0, 200));
  return { host: n.slice(0, 4).join('.'), port };
}

/** The port a `229` reply announces. */
export function parseEpsv(text: string): number {
  const m = /\(([\x21-\x7e])\1\1(\d{1,5})\1\)/.exec(text);
  if (!m || /\d/.test(m[1]!)) throw new ProtocolError('malformed EPSV reply: (|||port|) expected', text.slice(0, 200));
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new ProtocolError(`malformed EPSV reply: port ${port} out of range`, text.slice(0, 200));
  return port;
}

function checkPortNumber(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ArgumentError(`port must be 1–65535, got ${port}`);
}

/** The argument of `PORT` for an IPv4 address (an IPv4-mapped IPv6 address is accepted). */
export function formatPort(address: string, port: number): string {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (net.isIPv4(v4) === false) throw new ArgumentError(`PORT needs an IPv4 address, got ${address}`);
  checkPortNumber(port);
  return `${v4.split('.').join(',')},${port >> 8},${port & 255}`;
}

/** The argument of `EPRT`: `|1|a.b.c.d|port|` or `|2|ipv6|port|`. */
export function formatEprt(address: string, port: number): string {
  checkPortNumber(port);
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (net.isIPv4(v4)) return `|1|${v4}|${port}|`;
  if (net.isIPv6(address)) return `|2|${address}|${port}|`;
  throw new ArgumentError(`EPRT needs an IP address, got ${address}`);
}

/** Two addresses are the same host (IPv4-mapped forms compare equal to IPv4). */
export function sameHost(a: string, b: string): boolean {
  const strip = (s: string) => (s.startsWith('::ffff:') && net.isIPv4(s.slice(7)) ? s.slice(7) : s).toLowerCase();
  return strip(a) === strip(b);
}
