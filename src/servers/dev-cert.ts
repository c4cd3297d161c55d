/**
 * A self-signed development certificate for the servers' TLS (the mailbox's
 * STARTTLS/STLS), made at start with node:crypto alone: a fresh P-256 key,
 * and an X.509 v3 certificate built with the small DER encoder in `der.ts`
 * and signed with ECDSA-SHA256. It names `localhost`, `127.0.0.1` and `::1`
 * (subjectAltName), is its own CA (basicConstraints CA:TRUE, like `openssl
 * req -x509`), and is valid from an hour ago for `days` days. A client
 * trusts it by loading `cert` as a CA (`ca: cert`, Python's `cafile`,
 * `--ca FILE`), or by comparing the SHA-256 `fingerprint`.
 *
 * Not for production: the key lives only in memory and nobody vouches for it.
 *
 * @example
 * ```ts
 * import tls from 'node:tls';
 * const { key, cert, fingerprint } = devCertificate();
 * const srv = tls.createServer({ key, cert }); // clients trust it with tls.connect({ port, host: '127.0.0.1', ca: cert })
 * console.log(`SHA-256 fingerprint ${fingerprint}`);
 * ```
 */
import { X509Certificate, createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { checkInteger } from '../core/validate.js';
import { bits, bool, explicit, implicit, int, octets, oid, seq, set, time, utf8 } from './der.js';

/** A key and certificate in PEM, with the certificate's SHA-256 fingerprint (`AB:CD:…`, as `openssl x509 -fingerprint -sha256` prints it). */
export interface DevCertificate {
  key: string;
  cert: string;
  fingerprint: string;
}

const ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const DAY_MS = 24 * 3600 * 1000;

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function extensions(spki: Buffer): Buffer {
  // The key identifier: SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2, method 1); the key is the last 65 bytes of a P-256 SPKI.
  const keyId = createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();
  const names = seq(implicit(2, Buffer.from('localhost')), implicit(7, Buffer.from([127, 0, 0, 1])), implicit(7, Buffer.from([...Array(15).fill(0), 1])));
  return explicit(
    3,
    seq(
      extension('2.5.29.14', false, octets(keyId)), // subjectKeyIdentifier
      extension('2.5.29.35', false, seq(implicit(0, keyId))), // authorityKeyIdentifier (self)
      extension('2.5.29.19', true, seq(bool(true))), // basicConstraints CA:TRUE
      extension('2.5.29.17', false, names), // subjectAltName
    ),
  );
}

/** Makes a new key and self-signed certificate (see the module doc). `days`: validity, 1 to 825. */
export function devCertificate(opts: { days?: number } = {}): DevCertificate {
  const days = checkInteger('days', opts.days, { min: 1, max: 825 }, 30);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const name = seq(set(seq(oid('2.5.4.3'), utf8('netkit development certificate (localhost)'))));
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const now = Date.now();
  const tbs = seq(
    explicit(0, int(Buffer.from([2]))), // v3
    int(serial),
    seq(oid(ECDSA_SHA256)),
    name,
    seq(time(new Date(now - 3600_000)), time(new Date(now + days * DAY_MS))),
    name,
    spki,
    extensions(spki),
  );
  const der = seq(tbs, seq(oid(ECDSA_SHA256)), bits(sign('sha256', tbs, privateKey)));
  const cert = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), cert, fingerprint: new X509Certificate(cert).fingerprint256 };
}
