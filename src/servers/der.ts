/**
 * A minimal DER (ASN.1 Distinguished Encoding Rules, X.690) encoder: just the
 * types an X.509 certificate needs — SEQUENCE, SET, INTEGER, OBJECT
 * IDENTIFIER, BOOLEAN, UTF8String, UTCTime/GeneralizedTime, BIT STRING,
 * OCTET STRING and context tags. Every function returns the complete TLV
 * (tag, definite length, value) as a Buffer; nothing is parsed. Used by
 * {@link devCertificate} (Node 20 can sign but has no X.509 builder).
 *
 * @example
 * ```ts
 * seq(int(Buffer.from([2])), oid('2.5.4.3')).toString('hex'); // '30080201020603550403'
 * ```
 */

/** One TLV: `tag`, the DER length of `body`, `body`. */
export function tlv(tag: number, ...body: Buffer[]): Buffer {
  const value = Buffer.concat(body);
  const n = value.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, value]);
}

export const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
export const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
export const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
export const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
export const octets = (b: Buffer): Buffer => tlv(0x04, b);
/** A BIT STRING of whole bytes (no unused bits). */
export const bits = (b: Buffer): Buffer => tlv(0x03, Buffer.from([0]), b);
/** `[n]` EXPLICIT: constructed context tag wrapping whole TLVs. */
export const explicit = (n: number, ...items: Buffer[]): Buffer => tlv(0xa0 | n, ...items);
/** `[n]` IMPLICIT primitive: context tag over raw bytes (e.g. a GeneralName's dNSName, iPAddress). */
export const implicit = (n: number, raw: Buffer): Buffer => tlv(0x80 | n, raw);

/** A non-negative INTEGER from big-endian magnitude bytes (a leading 0 is added when the top bit is set). */
export function int(magnitude: Buffer): Buffer {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  return tlv(0x02, m.length === 0 ? Buffer.from([0]) : m[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), m]) : m);
}

/** An OBJECT IDENTIFIER from dotted form ('1.2.840.10045.4.3.2'). */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const base128: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) base128.unshift(0x80 | (v & 0x7f));
    out.push(...base128);
  }
  return tlv(0x06, Buffer.from(out));
}

/** A Time (RFC 5280 §4.1.2.5): UTCTime through 2049, GeneralizedTime after. */
export function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}
