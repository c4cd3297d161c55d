/**
 * ftp-srv (npm) in this process, for FTP client tests: anonymous and
 * `user`/`pass` logins rooted in a throwaway directory, passive ports from
 * a random range, quiet logging.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface FtpSrvPeer {
  port: number;
  root: string;
  /** Closes the server and removes the root directory. */
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Starts ftp-srv on 127.0.0.1. */
export async function startFtpSrv(): Promise<FtpSrvPeer> {
  const FtpSrv = require('ftp-srv') as new (
    opts: object,
  ) => {
    on(ev: string, fn: (...a: never[]) => void): void;
    listen(): Promise<unknown>;
    close(): Promise<unknown>;
  };
  const bunyan = require('bunyan') as { createLogger(o: object): unknown };
  const root = mkdtempSync(join(tmpdir(), 'nk-ftpsrv-'));
  const port = await freePort();
  const pasvMin = 41000 + Math.floor(Math.random() * 200) * 100;
  const server = new FtpSrv({
    url: `ftp://127.0.0.1:${port}`,
    pasv_url: '127.0.0.1',
    pasv_min: pasvMin,
    pasv_max: pasvMin + 99,
    anonymous: true,
    log: bunyan.createLogger({ name: 'ftp-srv', level: 'fatal' }),
  });
  server.on('login', ((data: { username: string; password: string }, resolve: (r: object) => void, reject: (e: Error) => void) => {
    if (data.username === 'anonymous' || (data.username === 'user' && data.password === 'pass')) resolve({ root });
    else reject(new Error('bad login'));
  }) as never);
  await server.listen();
  return {
    port,
    root,
    close: async () => {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
