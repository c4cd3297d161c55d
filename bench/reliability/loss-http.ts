/**
 * The HTTP half of R-04: files served by `servers.web` from a throwaway
 * folder, fetched with netkit's HTTP client through one keep-alive `Pool`
 * (so lost segments hit both fresh and reused connections). Each GET has the
 * client's `timeout` and `headersTimeout` at 5 s (no progress for 5 s, or no
 * complete head in 5 s, is a TimeoutError).
 *
 * @example
 * ```ts
 * const site = await lossSite(bodies);           // bodies[i] served as /f<i>.bin
 * const body = await site.get(3);                // the bytes of /f3.bin, or a typed error
 * await site.close();
 * ```
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplyError } from '../../src/core/errors.js';
import { sink as sinks } from '../../src/ltn12/index.js';
import { Pool, request } from '../../src/protocols/http/index.js';
import { web } from '../../src/servers/index.js';

export const OP_TIMEOUT = 5000;

export interface LossSite {
  port: number;
  /** How the downloads are made, for the figure's detail. */
  how: string;
  /** Connections reused from the pool so far. */
  readonly reused: number;
  /** GET /f<n mod bodies>.bin: its body, or the client's typed error (a non-200 answer is a ReplyError). */
  get(n: number): Promise<Buffer>;
  close(): Promise<void>;
}

export async function lossSite(bodies: Buffer[]): Promise<LossSite> {
  const root = mkdtempSync(join(tmpdir(), 'netkit-r04-'));
  bodies.forEach((b, i) => writeFileSync(join(root, `f${i}.bin`), b));
  const site = await web({ root, port: 0, idleTimeout: 5000, sendTimeout: 10_000 });
  const pool = new Pool({ idleTimeout: 4000 });
  return {
    port: site.port,
    how: 'http.request through one keep-alive Pool to servers.web, timeout and headersTimeout 5 s',
    get reused() {
      return pool.hits;
    },
    async get(n) {
      const [sink, chunks] = sinks.table();
      const r = await request({ url: `http://127.0.0.1:${site.port}/f${n % bodies.length}.bin`, sink, pool, timeout: OP_TIMEOUT, headersTimeout: OP_TIMEOUT });
      if (r.code !== 200) throw new ReplyError(r.code, r.status, `GET answered ${r.status}`);
      return Buffer.concat(chunks);
    },
    async close() {
      await pool.close();
      await site.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
