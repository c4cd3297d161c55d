/**
 * The keep-alive series of R-09: netkit's HTTP client (`http.request`
 * through one `Pool`) against `servers.web` in the same process, 8 requests
 * in flight at a time, each a GET of a 1 KiB file whose body is checked.
 * Idle timeouts on both sides are longer than the run, so the same 8
 * connections carry every request (the pool's hit count says so).
 *
 * @example
 * ```ts
 * const series = await keepAliveSite();
 * await series.round();            // 2,000 requests
 * await series.close();
 * ```
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sink as sinks } from '../../src/ltn12/index.js';
import { Pool, request } from '../../src/protocols/http/index.js';
import { web } from '../../src/servers/index.js';

export const CONCURRENCY = 8;

export interface KeepAliveSeries {
  /** Requests per round. */
  perRound: number;
  /** Requests that reused a pooled connection so far. */
  readonly reused: number;
  /** Requests made so far. */
  readonly made: number;
  /** One round: `perRound` GETs, CONCURRENCY at a time. */
  round(): Promise<void>;
  close(): Promise<void>;
}

export async function keepAliveSite(perRound = 2000): Promise<KeepAliveSeries> {
  const root = mkdtempSync(join(tmpdir(), 'netkit-r09-'));
  const body = Buffer.alloc(1024, 'leak check ');
  writeFileSync(join(root, 'a.txt'), body);
  const site = await web({ root, port: 0, idleTimeout: 600_000, maxRequests: 1_000_000 });
  const pool = new Pool({ idleTimeout: 600_000, maxIdlePerKey: CONCURRENCY });
  const url = `http://127.0.0.1:${site.port}/a.txt`;
  let made = 0;
  const one = async (): Promise<void> => {
    const [sink, chunks] = sinks.table();
    const r = await request({ url, sink, pool, timeout: 5000 });
    made++;
    if (r.code !== 200 || !Buffer.concat(chunks).equals(body)) throw new Error(`R-09 keep-alive: wrong answer ${r.status}`);
  };
  return {
    perRound,
    get reused() {
      return pool.hits;
    },
    get made() {
      return made;
    },
    async round() {
      let left = perRound;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (left > 0) {
            left--;
            await one();
          }
        }),
      );
    },
    async close() {
      await pool.close();
      await site.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
