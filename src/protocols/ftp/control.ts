/**
 * The control connection: connect (plain or implicit TLS), read the
 * greeting, upgrade with `AUTH TLS` (explicit FTPS), log in, and protect the
 * data channel (`PBSZ 0`, `PROT P`).
 *
 * Replies come from `tp` (multi-line `211-…` replies joined, line and
 * line-count limits); a 1xx preliminary reply before a completion reply is
 * skipped where RFC 959 allows one (the greeting's `120`). Every wait is
 * bounded by the session timeout; TCP_NODELAY is on.
 *
 * @example
 * ```ts
 * const conn = await openControl({ host: '127.0.0.1', port: 2121, user: 'user', password: 'pass' });
 * await exchange(conn.tp, 'NOOP');
 * ```
 */
import net from 'node:net';
import type tls from 'node:tls';
import { LimitError, NetError, ProtocolError, ReplyError } from '../../core/errors.js';
import { connect as socketConnect } from '../../socket/index.js';
import { TextConn, matches, type Expected, type Reply } from '../tp/index.js';
import { ftpTls, type ConnectOptions } from './request.js';

/** Default wait for every step, ms. */
export const DEFAULT_TIMEOUT = 60_000;

/** An open, logged-in control connection. */
export interface Control {
  tp: TextConn;
  /** Whether data connections are TLS-protected (PROT P). */
  protectData: boolean;
  /** The latest TLS session of the control connection, for data-connection reuse. */
  tlsSession(): Buffer | undefined;
  /** FEAT lines (upper-case feature keyword → the rest), empty when FEAT failed. */
  features: Map<string, string>;
  greeting: Reply;
}

/**
 * Reads one reply. FTP codes start with 1–5 (RFC 959 §4.2; the 6xx of
 * RFC 2228 answer protected commands, which netkit never sends): any other
 * code is a ProtocolError, so `000` or `099` is never skipped as preliminary.
 */
export async function readReply(tp: TextConn, signal?: AbortSignal): Promise<Reply> {
  const reply = await tp.getReply({ signal });
  if (reply.code < 100 || reply.code > 599) throw new ProtocolError(`reply code ${reply.lines[0]!.slice(0, 3)} outside 100–599`, reply.text.slice(0, 200));
  return reply;
}

/**
 * Most 1xx replies skipped while waiting for one completion reply. Each wait
 * is bounded by the idle timeout, so without a cap a server trickling `120`
 * lines could hold the client for ever.
 */
export const MAX_PRELIMINARY_REPLIES = 16;

/**
 * Reads replies, skipping 1xx (at most {@link MAX_PRELIMINARY_REPLIES}, then
 * LimitError), and checks the final one against `expected`.
 */
export async function finalReply(tp: TextConn, expected: Expected, signal?: AbortSignal): Promise<Reply> {
  for (let skipped = 0; ; skipped++) {
    const reply = await readReply(tp, signal);
    if (reply.code < 200) {
      if (skipped === MAX_PRELIMINARY_REPLIES) {
        throw new LimitError(
          'preliminary replies',
          MAX_PRELIMINARY_REPLIES,
          Buffer.from(reply.text),
          `more than ${MAX_PRELIMINARY_REPLIES} 1xx replies before a completion reply`,
        );
      }
      continue;
    }
    if (!matches(reply.code, expected, reply)) throw new ReplyError(reply.code, reply.text);
    return reply;
  }
}

/** Sends a command and returns its completion reply (ReplyError unless it matches `expected`). */
export async function exchange(tp: TextConn, cmd: string, arg?: string, expected: Expected = '2..', signal?: AbortSignal): Promise<Reply> {
  await tp.command(cmd, arg);
  return finalReply(tp, expected, signal);
}

/** TLS options for the control and data connections: the certificate is checked against `host` (name or IP). */
export function tlsConnectOptions(opts: ConnectOptions): tls.ConnectionOptions {
  return { host: opts.host, servername: net.isIP(opts.host) ? undefined : opts.host, ...opts.tlsOptions };
}

async function login(tp: TextConn, user: string, password: string, signal?: AbortSignal): Promise<void> {
  await tp.command('USER', user);
  const r = await finalReply(tp, [230, 331, 332], signal);
  if (r.code === 230) return;
  if (r.code === 332) throw new ReplyError(r.code, r.text, 'the server asks for an account (ACCT), which is not supported');
  await tp.command('PASS', password);
  const p = await finalReply(tp, [230, 202, 332], signal);
  if (p.code === 332) throw new ReplyError(p.code, p.text, 'the server asks for an account (ACCT), which is not supported');
}

async function feat(tp: TextConn, signal?: AbortSignal): Promise<Map<string, string>> {
  await tp.command('FEAT');
  const r = await finalReply(tp, () => true, signal);
  const features = new Map<string, string>();
  if (r.code !== 211) return features;
  for (const line of r.lines.slice(1, -1)) {
    const t = line.trim();
    if (t === '') continue;
    const sp = t.indexOf(' ');
    features.set((sp < 0 ? t : t.slice(0, sp)).toUpperCase(), sp < 0 ? '' : t.slice(sp + 1));
  }
  return features;
}

/** Opens the control connection and logs in (see the module doc). */
export async function openControl(opts: ConnectOptions & { port: number }): Promise<Control> {
  const timeout = opts.timeout ?? DEFAULT_TIMEOUT;
  const mode = ftpTls(opts.tls);
  const implicit = mode === 'implicit';
  const tlsOpts = tlsConnectOptions(opts);
  const connectOpts = { timeout, signal: opts.signal, tls: implicit ? tlsOpts : undefined };
  const sock = await (opts.create ?? socketConnect)(opts.host, opts.port, connectOpts);
  const tp = new TextConn(sock, { idleTimeout: timeout, maxLineBytes: opts.maxLineBytes ?? 8192, maxReplyLines: opts.maxReplyLines ?? 1000 });
  sock.setEncoding('utf8');
  let session: Buffer | undefined;
  const watchSession = () => sock.nodeSocket.on('session', (s: Buffer) => (session = s));
  try {
    if (implicit) watchSession();
    const greeting = await finalReply(tp, 220, opts.signal);
    if (mode === 'starttls') {
      const auth = await exchange(tp, 'AUTH', 'TLS', [234, 334, '5..', '4..'], opts.signal).catch((e: unknown) => {
        throw e instanceof ReplyError ? new NetError('tls', `the server refused AUTH TLS: ${e.reply}`, { cause: e }) : e;
      });
      if (auth.code !== 234 && auth.code !== 334) throw new NetError('tls', `the server refused AUTH TLS: ${auth.text}`);
      await sock.startTls({ ...tlsOpts, signal: opts.signal });
      watchSession();
    }
    const user = opts.user ?? 'anonymous';
    const password = opts.password ?? (user === 'anonymous' || user === 'ftp' ? 'anonymous@' : '');
    await login(tp, user, password, opts.signal);
    const protectData = mode !== 'none';
    if (protectData) {
      await exchange(tp, 'PBSZ', '0', '2..', opts.signal);
      await exchange(tp, 'PROT', 'P', '2..', opts.signal);
    }
    const features = await feat(tp, opts.signal);
    const nodeSock = sock.nodeSocket as tls.TLSSocket;
    return { tp, protectData, features, greeting, tlsSession: () => session ?? (protectData ? nodeSock.getSession?.() : undefined) };
  } catch (err) {
    await tp.close();
    throw err;
  }
}
