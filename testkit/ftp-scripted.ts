/**
 * A scripted FTP control server for hostile-input tests: it answers each
 * command line with what the test's table says (a string of reply bytes,
 * or a function of the argument), writing whole or one byte per write, and
 * records every line it received. Commands without an entry get a harmless
 * default (USER 230, FEAT 211, TYPE 200, QUIT 221, else 502).
 * It speaks only what the table says: no files, no real data handling.
 */
import net from 'node:net';

export type Answer = string | Buffer | ((arg: string, sock: net.Socket) => string | Buffer | undefined | Promise<string | Buffer | undefined>);

export interface FtpScript {
  greeting?: string | Buffer;
  replies: Record<string, Answer>;
  byteByByte?: boolean;
  host?: string;
}

export interface ScriptedFtp {
  port: number;
  host: string;
  /** Every command line received (without CRLF), over all connections. */
  lines: string[];
  connections: number;
  close(): Promise<void>;
}

const DEFAULTS: Record<string, string> = { USER: '230 ok\r\n', FEAT: '211 none\r\n', TYPE: '200 ok\r\n', QUIT: '221 bye\r\n' };

async function write(sock: net.Socket, data: string | Buffer, byteByByte: boolean): Promise<void> {
  const buf = Buffer.from(data);
  if (!byteByByte) return new Promise((r) => sock.write(buf, () => r()));
  for (const b of buf) {
    if (sock.destroyed) return;
    await new Promise((r) => sock.write(Buffer.from([b]), r));
  }
}

/** Starts the scripted server on 127.0.0.1 (or `host`), port 0. */
export async function scriptedFtp(script: FtpScript): Promise<ScriptedFtp> {
  const sockets = new Set<net.Socket>();
  const state = { lines: [] as string[], connections: 0 };
  const byte = script.byteByByte ?? false;
  const server = net.createServer(async (sock) => {
    state.connections++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock)).on('error', () => {});
    let buffered = '';
    let busy = Promise.resolve();
    sock.on('data', (d) => {
      buffered += d.toString('latin1');
      let i: number;
      while ((i = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, i);
        buffered = buffered.slice(i + 2);
        state.lines.push(line);
        const sp = line.indexOf(' ');
        const cmd = (sp < 0 ? line : line.slice(0, sp)).toUpperCase();
        const arg = sp < 0 ? '' : line.slice(sp + 1);
        busy = busy.then(async () => {
          const answer = script.replies[cmd] ?? DEFAULTS[cmd] ?? '502 not implemented\r\n';
          const out = typeof answer === 'function' ? await answer(arg, sock) : answer;
          if (out !== undefined && !sock.destroyed) await write(sock, out, byte);
          if (cmd === 'QUIT') sock.end();
        });
      }
    });
    await write(sock, script.greeting ?? '220 scripted\r\n', byte);
  });
  const host = script.host ?? '127.0.0.1';
  await new Promise<void>((r) => server.listen(0, host, r));
  return {
    port: (server.address() as net.AddressInfo).port,
    host,
    get lines() {
      return state.lines;
    },
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A data listener: each connection gets `payload` then FIN (`hold`: nothing; `reset`: RST after 20 ms). Counts connections. */
export async function dataServer(
  payload: Buffer | string,
  opts: { host?: string; port?: number; hold?: boolean; reset?: boolean } = {},
): Promise<{ port: number; count: () => number; received: () => Buffer; close(): Promise<void> }> {
  let count = 0;
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    count++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock)).on('error', () => {});
    sock.on('data', (d) => chunks.push(d));
    if (opts.reset) return void setTimeout(() => sock.resetAndDestroy(), 20);
    if (opts.hold) return;
    sock.end(Buffer.from(payload));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    count: () => count,
    received: () => Buffer.concat(chunks),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** `h1,h2,h3,h4,p1,p2` for a PASV reply. */
export function pasvNumbers(host: string, port: number): string {
  return `${host.split('.').join(',')},${port >> 8},${port & 255}`;
}
