/**
 * Data connections: passive (EPSV, then PASV) and active (EPRT, then PORT),
 * with FTPS protection (TLS on the data connection, resuming the control
 * connection's TLS session, as vsftpd's `require_ssl_reuse` demands).
 *
 * Safety (hostile-inputs §2.6): the address in a PASV reply is ignored and
 * the control connection's peer is used instead, unless `usePasvAddress`
 * (FTP bounce, curl CVE-2020-8284); active mode listens only on the control
 * connection's own local address, and a data connection from any other host
 * is closed and not used (RFC 2577). Every wait is bounded by the timeout.
 *
 * Every data connection is a TcpClient; plain passive ones are connected in
 * the socket layer's bulk receive mode (`connect(…, { bulk: true })`: 256 KiB
 * reads), so downloads are fast and keep the socket's timeouts and errors.
 *
 * The TLS handshake on the data connection starts after the transfer
 * command's 1xx reply, as Python's ftplib does: that order works with
 * vsftpd and with pyftpdlib (which resets handshakes that come earlier).
 *
 * @example
 * ```ts
 * declare const control: any;
 * declare const settings: any;
 * declare const state: any;
 * declare const finalReply: any;
 * const data = await openData(control, settings, state);
 * await control.tp.command('RETR', 'file.bin');
 * await finalReply(control.tp, '1..');
 * const sock = await data.ready();
 * ```
 */
import { ReplyError } from '../../core/errors.js';
import { bind, BULK_READ_SIZE, connect as socketConnect, type TcpClient, type TcpServer } from '../../socket/index.js';
import { exchange, tlsConnectOptions, type Control } from './control.js';
import { formatEprt, formatPort, parseEpsv, parsePasv, sameHost } from './address.js';
import type { ConnectOptions } from './request.js';

/** What the transfer loop needs from a data connection. */
export interface DataSocket {
  /** The next chunk, or null at the end. */
  receive(signal?: AbortSignal): Promise<Buffer | null>;
  send(chunk: Buffer, signal?: AbortSignal): Promise<void>;
  /** Sends FIN (and TLS close_notify) after queued data. */
  shutdown(): void;
  close(): Promise<void>;
}

/** Largest chunk a data socket hands out (one bulk read). */
const CHUNK = BULK_READ_SIZE;

/** A {@link DataSocket} over a TcpClient. */
export function clientDataSocket(sock: TcpClient): DataSocket {
  return {
    receive: (signal) => sock.receivePartial(CHUNK, { signal }),
    send: async (chunk, signal) => void (await sock.send(chunk, undefined, undefined, { signal })),
    shutdown: () => sock.shutdown('send'),
    close: () => sock.close(),
  };
}

/** What a session remembers about the server's data commands. */
export interface DataState {
  noEpsv?: boolean;
  noEprt?: boolean;
}

/** A data connection being set up. */
export interface PendingData {
  /** The connected (and, with PROT P, TLS-protected) data socket. Call after the 1xx reply. */
  ready(): Promise<DataSocket>;
  /** Releases everything (listener, socket). Idempotent. */
  close(): Promise<void>;
}

/** Replies meaning "this command is not implemented or not allowed here". */
const UNSUPPORTED = [500, 501, 502, 504, 522];

async function protect(sock: TcpClient, control: Control, opts: ConnectOptions): Promise<DataSocket> {
  if (control.protectData) await sock.startTls({ ...tlsConnectOptions(opts), session: control.tlsSession(), signal: opts.signal });
  return clientDataSocket(sock);
}

async function passiveTarget(control: Control, opts: ConnectOptions, state: DataState): Promise<{ host: string; port: number }> {
  const peer = control.tp.socket.getPeerName();
  const v6 = peer.family === 'inet6' && !peer.address.startsWith('::ffff:');
  if ((opts.extended ?? true) && !state.noEpsv) {
    try {
      const r = await exchange(control.tp, 'EPSV', undefined, 229, opts.signal);
      return { host: peer.address, port: parseEpsv(r.text) };
    } catch (err) {
      if (!(err instanceof ReplyError) || !UNSUPPORTED.includes(err.replyCode) || v6) throw err;
      state.noEpsv = true;
    }
  }
  const r = await exchange(control.tp, 'PASV', undefined, 227, opts.signal);
  const announced = parsePasv(r.text);
  return { host: opts.usePasvAddress ? announced.host : peer.address, port: announced.port };
}

async function openPassive(control: Control, opts: ConnectOptions, state: DataState): Promise<PendingData> {
  const { host, port } = await passiveTarget(control, opts, state);
  const timeout = opts.timeout ?? 60_000;
  const sock = opts.create
    ? await opts.create(host, port, { timeout, signal: opts.signal })
    : await socketConnect(host, port, { timeout, signal: opts.signal, bulk: !control.protectData });
  sock.setTimeout(timeout, 'b');
  return { ready: () => protect(sock, control, opts), close: () => sock.close() };
}

async function announce(control: Control, opts: ConnectOptions, state: DataState, address: string, port: number): Promise<void> {
  if ((opts.extended ?? true) && !state.noEprt) {
    try {
      await exchange(control.tp, 'EPRT', formatEprt(address, port), 200, opts.signal);
      return;
    } catch (err) {
      const v4 = !address.includes(':') || address.startsWith('::ffff:');
      if (!(err instanceof ReplyError) || !UNSUPPORTED.includes(err.replyCode) || !v4) throw err;
      state.noEprt = true;
    }
  }
  await exchange(control.tp, 'PORT', formatPort(address, port), 200, opts.signal);
}

async function acceptFromPeer(server: TcpServer, peerAddress: string, signal?: AbortSignal): Promise<TcpClient> {
  for (;;) {
    const sock = await server.accept({ signal });
    if (sameHost(sock.getPeerName().address, peerAddress)) return sock;
    await sock.close(); // FC-05: a data connection from another host is not ours
  }
}

async function openActive(control: Control, opts: ConnectOptions, state: DataState): Promise<PendingData> {
  const local = control.tp.socket.getSockName();
  const peer = control.tp.socket.getPeerName();
  const timeout = opts.timeout ?? 60_000;
  const server = await bind(local.address, 0, { signal: opts.signal });
  server.setTimeout(timeout);
  let sock: TcpClient | undefined;
  try {
    await announce(control, opts, state, local.address, server.getSockName().port);
  } catch (err) {
    await server.close();
    throw err;
  }
  return {
    ready: async () => {
      try {
        sock = await acceptFromPeer(server, peer.address, opts.signal);
      } finally {
        await server.close();
      }
      sock.setTimeout(timeout, 'b');
      return protect(sock, control, opts);
    },
    close: async () => {
      await server.close();
      await sock?.close();
    },
  };
}

/** Opens a passive or active data connection as `opts.passive` says (default passive). */
export function openData(control: Control, opts: ConnectOptions, state: DataState): Promise<PendingData> {
  if (opts.passive === false) return openActive(control, opts, state);
  return openPassive(control, opts, state);
}
