/**
 * TLS for the mailbox: the certificate its STARTTLS (SMTP, RFC 3207) and
 * STLS (POP3, RFC 2595) use — the caller's `tlsOptions`, or a generated
 * development certificate (see `devCertificate`) — and the in-place upgrade
 * of a session's connection.
 *
 * The upgrade refuses plaintext pipelined after the STARTTLS/STLS command
 * (the answer would be "in the clear, but treated as if encrypted": the
 * command injection of CVE-2011-0411 and its many siblings): the caller
 * checks {@link TcpClient.dirty} before its go-ahead reply, and the socket
 * is paused from the reply on, so the client's first TLS bytes cannot land
 * in the plaintext buffer.
 *
 * @example
 * ```ts
 * declare const client: socket.TcpClient;
 * const tls = mailboxTls(undefined); // generated: tls.cert is the PEM to trust
 * await upgrade(client, tls.context, () => client.send('220 2.0.0 go ahead\r\n'));
 * ```
 */
import { X509Certificate } from 'node:crypto';
import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import { ArgumentError } from '../../core/errors.js';
import type { TcpClient } from '../../socket/index.js';
import { devCertificate } from '../dev-cert.js';

/** The certificate a mailbox offers over STARTTLS/STLS. */
export interface MailboxTls {
  /** The certificate (PEM) — a client trusts the generated one by loading this as a CA. */
  cert: string;
  /** Its SHA-256 fingerprint, `AB:CD:…`. */
  fingerprint: string;
  /** True when it was generated at start (no `tlsOptions` were given). */
  generated: boolean;
  /** @internal the context sessions upgrade with */
  context: SecureContext;
}

/** The TLS setup for `tlsOptions` (key and cert, PEM), or a generated development certificate when it is undefined. */
export function mailboxTls(tlsOptions: SecureContextOptions | undefined): MailboxTls {
  if (tlsOptions === undefined) {
    const dev = devCertificate();
    return { cert: dev.cert, fingerprint: dev.fingerprint, generated: true, context: createSecureContext({ key: dev.key, cert: dev.cert }) };
  }
  if (typeof tlsOptions !== 'object' || tlsOptions === null || !tlsOptions.key || !tlsOptions.cert) {
    throw new ArgumentError('tlsOptions must hold a key and a cert (PEM); leave it out for a generated development certificate');
  }
  let context: SecureContext;
  let first: string;
  try {
    context = createSecureContext(tlsOptions);
    first = String(Array.isArray(tlsOptions.cert) ? tlsOptions.cert[0] : tlsOptions.cert);
    return { cert: first, fingerprint: new X509Certificate(first).fingerprint256, generated: false, context };
  } catch (err) {
    throw new ArgumentError(`tlsOptions: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Sends the go-ahead (`ready`) with the socket paused, then runs the TLS
 * handshake as the server. The caller has checked that nothing is buffered.
 */
export async function upgrade(client: TcpClient, context: SecureContext, ready: () => Promise<unknown>): Promise<void> {
  client.nodeSocket.pause();
  await ready();
  await client.startTls({ isServer: true, secureContext: context });
}
