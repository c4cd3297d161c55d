/**
 * nginx for the HTTP interop suite and benchmarks: the shared recipe
 * (`../shared/peers/nginx.sh`) on free ports in a throwaway directory,
 * plus any extra files the caller wants under its document root.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, peersDir, waitPort } from './peers.js';

const run = promisify(execFile);

export interface Nginx {
  dir: string;
  /** The document root. */
  www: string;
  port: number;
  tlsPort: number;
  /** The self-signed certificate (PEM) nginx serves, to trust in tests. */
  cert: string;
  stop(): Promise<void>;
}

/** Starts nginx (one worker) with the shared recipe; add files under `www` as needed. */
export async function startNginx(): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'nk-nginx-'));
  const [port, tlsPort] = [await freePort(), await freePort()];
  const env = { ...process.env, DIR: dir, PORT: String(port), TLSPORT: String(tlsPort) };
  const script = join(peersDir()!, 'nginx.sh');
  const stop = async () => void (await run('sh', [script, 'stop'], { env, timeout: 60000 }));
  try {
    await run('sh', [script, 'start'], { env, timeout: 60000 });
    await waitPort(port);
    await waitPort(tlsPort);
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  return { dir, www: join(dir, 'www'), port, tlsPort, cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), stop };
}
