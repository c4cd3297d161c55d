/**
 * The data side of FTP playback. A corpus case plays only the control
 * replies; its passive replies name a data port that exists only while the
 * case runs. `stageFtp(case)` starts that data listener (and, when the case
 * asks, a trap on 127.0.0.2 at the same port), and fills the placeholders of
 * the control bytes:
 *
 * - `{pasv}`: `127,000,000,001,p1,p2` (numbers zero-padded to three digits),
 * - `{pasv-other}`: the same port on 127.0.0.2, where the trap listens
 *   (FC-01: a client that follows the announced address gets `TRAP`),
 * - `{port}`: the port, zero-padded to five digits (EPSV).
 *
 * The padding keeps the control bytes one length whatever port the kernel
 * gives, so seeded random splits repeat. Every data connection gets the
 * case's `data` (see {@link DataPlan}); what the client sends on it is kept.
 *
 * @example
 * ```ts
 * const staged = await stageFtp({ id: 'x', bytes: '227 ({pasv})\r\n', expect: { ok: {} }, data: { bytes: 'hi' } });
 * staged.bytes.toString();        // '227 (127,000,000,001,117,048)\r\n'
 * await staged.close();
 * ```
 */
import net from 'node:net';
import { bytesOf, type Bytes, type Case } from './corpus.js';
import type { Entry } from '../../src/protocols/ftp/index.js';

/** What each data connection of a case plays: its bytes (in `pieces` writes when given), then FIN, nothing more (`hold`), or RST 25 ms later (`reset`). */
export interface DataPlan {
  bytes: Bytes;
  hold?: boolean;
  reset?: boolean;
  /** Write the bytes as these pieces (lengths), a turn of the event loop apart. */
  pieces?: number[];
}

/** A corpus case of an FTP target: a Case plus its data connection. */
export interface FtpCase extends Case {
  data?: DataPlan;
}

export interface DataListener {
  port: number;
  /** Connections the trap on 127.0.0.2 accepted. */
  trapped(): number;
  /** Bytes the latest data connection sent (uploads). */
  received(): Buffer;
  close(): Promise<void>;
}

async function play(sock: net.Socket, data: Buffer, plan: DataPlan): Promise<void> {
  const sizes = plan.pieces ?? [data.length];
  let at = 0;
  for (const n of sizes) {
    if (sock.destroyed) return;
    const piece = data.subarray(at, at + n);
    at += n;
    if (piece.length > 0) await new Promise((r) => sock.write(piece, r));
    if (sizes.length > 1) await new Promise((r) => setImmediate(r));
  }
  if (at < data.length && !sock.destroyed) await new Promise((r) => sock.write(data.subarray(at), r));
  // the reset comes once the client surely has the connection (an RST during its connect is another case)
  if (plan.reset) setTimeout(() => sock.resetAndDestroy(), 25);
  else if (!plan.hold) sock.end();
}

function listen(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => (server.off('error', reject), resolve()));
  });
}

/** Starts a data listener on 127.0.0.1 that plays `plan` to every connection; with `trap`, also a listener on 127.0.0.2 at the same port. */
export async function dataListener(plan: DataPlan, trap = false): Promise<DataListener> {
  const data = bytesOf(plan.bytes);
  const open = new Set<net.Socket>();
  let latest: Buffer[] = [];
  let trapped = 0;
  const track = (sock: net.Socket) => {
    open.add(sock);
    sock.on('close', () => open.delete(sock)).on('error', () => {});
    sock.setNoDelay(true);
  };
  const server = net.createServer((sock) => {
    track(sock);
    const got: Buffer[] = (latest = []);
    sock.on('data', (d) => got.push(d));
    void play(sock, data, plan);
  });
  const trapServer = trap
    ? net.createServer((sock) => {
        track(sock);
        trapped++;
        sock.resume();
        sock.end('TRAP');
      })
    : undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      if (trapServer) {
        await listen(trapServer, '127.0.0.2', 0);
        await listen(server, '127.0.0.1', (trapServer.address() as net.AddressInfo).port);
      } else {
        await listen(server, '127.0.0.1', 0);
      }
      break;
    } catch (err) {
      // the trap's port is taken on 127.0.0.1: try another
      if (trapServer?.listening) await new Promise((r) => trapServer.close(r));
      if (attempt === 20) throw err;
    }
  }
  const closeServer = (s: net.Server | undefined) => new Promise<void>((r) => (s?.listening ? s.close(() => r()) : r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    trapped: () => trapped,
    received: () => Buffer.concat(latest),
    close: async () => {
      for (const s of open) s.destroy();
      await Promise.all([closeServer(server), closeServer(trapServer)]);
    },
  };
}

/** Fills `{pasv}`, `{pasv-other}` and `{port}` in control bytes for a data listener on `port` (see the module doc). */
export function fillPorts(control: Buffer, port: number): Buffer {
  const p = (n: number) => String(n).padStart(3, '0');
  const pair = `${p(port >> 8)},${p(port & 255)}`;
  return Buffer.from(
    control
      .toString('latin1')
      .replaceAll('{pasv}', `127,000,000,001,${pair}`)
      .replaceAll('{pasv-other}', `127,000,000,002,${pair}`)
      .replaceAll('{port}', String(port).padStart(5, '0')),
    'latin1',
  );
}

/** Starts the case's data listener and gives its control bytes with the ports filled in. */
export async function stageFtp(c: FtpCase): Promise<{ bytes: Buffer; data: DataListener; close(): Promise<void> }> {
  const control = bytesOf(c.bytes);
  const data = await dataListener(c.data ?? { bytes: '' }, control.includes('{pasv-other}'));
  return { bytes: fillPorts(control, data.port), data, close: () => data.close() };
}

/** One listing entry as a line: type, name, and what is known of size, link target, time. */
export function entryLine(e: Entry): string {
  let s = `${e.type} ${e.name}`;
  if (e.size !== undefined) s += ` ${e.size}`;
  if (e.target !== undefined) s += ` -> ${e.target}`;
  if (e.modified !== undefined) s += ` @${e.modified.toISOString()}`;
  return s;
}
