/**
 * `servers.web`: a static file server on netkit's own sockets and
 * `servers.serve` (no `node:http`), safe to point at any folder.
 *
 * - GET and HEAD; other methods get 405 with `Allow: GET, HEAD`.
 * - Content types from `mime-types`; `index` (default `index.html`) for a
 *   directory asked with a trailing slash, a 301 to add the slash otherwise.
 * - `ETag` and `Last-Modified`, 304 for `If-None-Match`/`If-Modified-Since`;
 *   one byte range (206/416, `If-Range`); keep-alive and pipelining.
 * - Nothing outside the root is ever served: `..` in any encoding, encoded
 *   slashes, backslashes, NUL and bad UTF-8 are 400, symlinks leading out of
 *   the root and dotfiles are 404 (see `target.ts`, `file-store.ts`).
 * - Limits: `headerTimeout` for a whole request head (slowloris), an idle
 *   keep-alive timeout, a send timeout for clients that stop reading,
 *   `maxConnections` and `maxConnectionsPerClient` (more are closed on
 *   arrival), head size limits, and
 *   `maxInflightBytes`, the file bytes held for all clients together.
 * - One access-log line per request to `log` (a function or a stream).
 * - Every numeric option is checked (ArgumentError: NaN is never "no
 *   limit"); timeouts of any length wait as long as they say.
 *
 * Binds 127.0.0.1 unless given a host. `close()` stops accepting, closes
 * idle keep-alive connections at once, and gives responses in progress 2 s
 * to finish before closing their connections too.
 *
 * @example
 * ```ts
 * import { servers } from 'netkit';
 * const site = await servers.web({ root: 'www', port: 8080, log: process.stderr });
 * console.log(`http://${site.address}:${site.port}/`);
 * // … later
 * await site.close();
 * ```
 */
import { realpath, stat } from 'node:fs/promises';
import { ArgumentError } from '../../core/errors.js';
import { checkInteger, checkMs } from '../../core/validate.js';
import type { RequestLimits } from '../../protocols/http/request-parser.js';
import { serve } from '../serve.js';
import type { AccessLog } from './access-log.js';
import { serveConnection, type WebContext } from './connection.js';
import { FileStore, MAX_CACHE_BYTES, MAX_CACHED_FILE_BYTES } from './file-store.js';
import { Inflight, MAX_INFLIGHT_BYTES } from './inflight.js';
import { ChunkSlots, type ChunkUsage } from './chunk-slots.js';
import { MAX_PATH_BYTES } from './target.js';
import { webWorkers } from './workers.js';

export interface WebOptions {
  /** The folder to serve. */
  root: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** File served for a directory; false for none. @default 'index.html' */
  index?: string | false;
  /** Serve files whose name (or a folder's) starts with a dot. @default false */
  dotfiles?: boolean;
  /** Access log: a function given each line, or a stream written a line at a time. @default none */
  log?: AccessLog;
  /** Live connections at most. @default 1024 */
  maxConnections?: number;
  /** Live connections from one remote address at most (slowloris from one address cannot take every slot). @default 64 */
  maxConnectionsPerClient?: number;
  /** A request head must arrive within this many ms of its first byte. @default 10000 */
  headerTimeout?: number;
  /** A keep-alive connection may wait this long for its next request, ms. @default 5000 */
  idleTimeout?: number;
  /** A client that takes nothing for this long while a response is sent is dropped, ms. @default 30000 */
  sendTimeout?: number;
  /** Request bodies up to this size are read and dropped; larger ones get 413. @default 65536 */
  maxBodyBytes?: number;
  /** Requests per connection, then `Connection: close`. @default 1000 */
  maxRequests?: number;
  /** Request head limits (request line 8 KiB → 414, field line 8 KiB, 100 fields, 32 KiB head → 431). */
  limits?: RequestLimits;
  /** Longest URL path looked up (414 beyond). @default 4096 */
  maxPathBytes?: number;
  /** Lookups and small files (≤ `maxFileBytes`) are reused for this many ms; 0 = re-read every time. @default 1000 */
  cacheTtl?: number;
  /** Files up to this size are kept in memory while cached. @default 1048576 (`MAX_CACHED_FILE_BYTES`) */
  maxFileBytes?: number;
  /** File bytes kept in memory at most, all cached files together; the oldest go first. @default 16777216 (`MAX_CACHE_BYTES`) */
  cacheBytes?: number;
  /**
   * File bytes held in memory for clients, server-wide, beyond the
   * `INFLIGHT_FLOOR` (16 KiB) each connection always has: bigger chunks and
   * read-ahead come from this pool, so clients that stop reading cost at most
   * `maxConnections × 16 KiB + maxInflightBytes`. @default 16777216 (16 MiB)
   */
  maxInflightBytes?: number;
  /**
   * Worker processes serving the port together (node:cluster), as nginx
   * runs workers; a worker that dies is replaced. 1 = this process alone.
   * Limits apply per worker. @default 1
   */
  workers?: number;
  /** Aborting it closes the server. */
  signal?: AbortSignal;
}

/** A running static server. */
export interface WebServer {
  address: string;
  port: number;
  family: string;
  /** The real path of the folder served. */
  root: string;
  /** Live connections (0 with workers: they count their own). */
  readonly connections: number;
  /** The worker pids, with `workers` > 1. */
  readonly workers?: number[];
  /**
   * The buffers file chunks are read into: bytes held for responses now, and
   * the address space set aside for them (touched only as used; all given
   * back two seconds after the last response that used them). Zeros with
   * workers: they count their own.
   */
  fileChunks(): ChunkUsage;
  close(): Promise<void>;
}

/** Starts a static file server; see the module doc. */
export async function web(opts: WebOptions): Promise<WebServer> {
  if (typeof opts.root !== 'string' || opts.root === '') throw new ArgumentError('web: root must name a folder');
  checkInteger('web: port', opts.port, { max: 65535 });
  let root: string;
  try {
    root = await realpath(opts.root);
    if (!(await stat(root)).isDirectory()) throw new Error('not a folder');
  } catch (err) {
    throw new ArgumentError(`web: cannot serve ${opts.root}: ${(err as Error).message}`);
  }
  const workers = checkInteger('web: workers', opts.workers, { min: 1, max: 256 }, 1);
  if (workers > 1) return webWorkers(opts, root, workers);
  const ms = (name: string, v: unknown, fallback: number): number => checkMs(`web: ${name}`, v, fallback) ?? fallback;
  const int = (name: string, v: unknown, fallback: number, min = 0): number => checkInteger(`web: ${name}`, v, { min }, fallback);
  const maxConnections = int('maxConnections', opts.maxConnections, 1024, 1);
  const ctx: WebContext = {
    pool: new Inflight(int('maxInflightBytes', opts.maxInflightBytes, MAX_INFLIGHT_BYTES)),
    slots: new ChunkSlots(),
    store: new FileStore(root, {
      index: opts.index,
      dotfiles: opts.dotfiles,
      ttl: ms('cacheTtl', opts.cacheTtl, 1000),
      maxFileBytes: int('maxFileBytes', opts.maxFileBytes, MAX_CACHED_FILE_BYTES),
      maxBytes: int('cacheBytes', opts.cacheBytes, MAX_CACHE_BYTES),
    }),
    limits: opts.limits ?? {},
    maxPathBytes: int('maxPathBytes', opts.maxPathBytes, MAX_PATH_BYTES, 1),
    idleTimeout: ms('idleTimeout', opts.idleTimeout, 5000),
    headerTimeout: ms('headerTimeout', opts.headerTimeout, 10_000),
    sendTimeout: ms('sendTimeout', opts.sendTimeout, 30_000),
    maxBodyBytes: int('maxBodyBytes', opts.maxBodyBytes, 65536),
    maxRequests: int('maxRequests', opts.maxRequests, 1000, 1),
    dotfiles: opts.dotfiles ?? false,
    log: opts.log ?? null,
    closing: false,
    idle: new Set(),
  };
  const served = await serve(
    {
      host: opts.host,
      port: opts.port,
      maxConnections,
      maxConnectionsPerClient: opts.maxConnectionsPerClient,
      backlog: 511,
      idleTimeout: null,
      closeGrace: 2000,
    },
    (client) => serveConnection(client, ctx),
  );
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      ctx.closing = true;
      const done = served.close();
      for (const client of ctx.idle) void client.close();
      await done;
    })();
    return closing;
  };
  opts.signal?.addEventListener('abort', () => void close(), { once: true });
  if (opts.signal?.aborted) void close();
  return {
    address: served.address,
    port: served.port,
    family: served.family,
    root,
    get connections() {
      return served.connections;
    },
    fileChunks: () => ctx.slots.usage(),
    close,
  };
}
