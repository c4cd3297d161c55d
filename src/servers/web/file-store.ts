/**
 * Finds the file a safe path names under the root, and keeps what it found
 * for a short while (hostile-inputs WS-08…WS-10).
 *
 * - The real path (every symlink resolved) must lie inside the real root,
 *   else the file does not exist (404): a symlink pointing out of the root
 *   is never followed. With `dotfiles` off, a real path with a segment
 *   starting with `.` is hidden too (a symlink to `.env` stays hidden).
 * - Only regular files are served: directories give `'directory'` (the
 *   server redirects or serves the index file), FIFOs, devices and sockets
 *   do not exist. Files are opened with O_NONBLOCK | O_NOFOLLOW, so a FIFO
 *   swapped in late cannot hang a read.
 * - Every opened file is checked after the open, so a folder swapped for a
 *   symlink out of the root after the lookup (a cached one included) is not
 *   followed: the kernel's own name of the open descriptor
 *   (`/proc/self/fd/N`) must be the looked-up real path; where there is no
 *   `/proc`, a fresh `realpath` must be that path and name the same device
 *   and inode as `fstat` of the descriptor.
 * - Entries live `ttl` ms (default 1000; 0 turns the cache off). Files up to
 *   `maxFileBytes` are kept in memory with their response headers, so a hot
 *   small file costs no system call; bigger ones are streamed from disk with
 *   headers taken from `fstat` of the opened file. The cache is bounded by
 *   entry count and bytes; the oldest entries go first.
 *
 * @example
 * ```ts
 * import { realpath } from 'node:fs/promises';
 * const store = new FileStore(await realpath('www'), { index: 'index.html' });
 * const r = await store.lookup({ segments: [], trailingSlash: true, query: '', dotfile: false });
 * if (r.kind === 'file') console.log(r.file.contentType, r.file.size);
 * ```
 */
import { constants, type Stats } from 'node:fs';
import { open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { join, sep } from 'node:path';
import mime from 'mime-types';
import { httpDate } from './http-date.js';
import type { SafePath } from './target.js';

/** A regular file under the root, with what its responses need. */
export interface FileEntry {
  /** Real path. */
  path: string;
  size: number;
  mtimeMs: number;
  /** Strong validator: size and mtime in hex. */
  etag: string;
  lastModified: string;
  contentType: string;
  /** Whole content when small enough to cache, else null (stream it). */
  body: Buffer | null;
  /** `Server`, `Content-Type`, `Last-Modified`, `ETag`, `Accept-Ranges` lines, each ending CRLF. */
  fields: string;
  /** `fields` and the whole file's `Content-Length`: the fields of a 200. */
  fields200: string;
  /**
   * A small cached file's whole keep-alive 200 — head and body in one
   * buffer — for the second of its `Date` (see `decide.ts`); null until
   * asked. Only bodies of at most 16 KiB (`INFLIGHT_FLOOR`), so it adds at most
   * one head and one copy per small cached file.
   */
  wire: { date: string; head: string; bytes: Buffer } | null;
}

export type Lookup = { kind: 'file'; file: FileEntry } | { kind: 'directory' } | { kind: 'missing'; status: 403 | 404 };

export interface StoreOptions {
  /** File served for a directory asked with a trailing slash; false for none. @default 'index.html' */
  index?: string | false;
  /** Serve names starting with a dot. @default false */
  dotfiles?: boolean;
  /** How long a lookup is reused, ms; 0 = never. @default 1000 */
  ttl?: number;
  /** Largest file kept in memory. @default {@link MAX_CACHED_FILE_BYTES} */
  maxFileBytes?: number;
  /** Bytes of file content kept in memory at most. @default {@link MAX_CACHE_BYTES} */
  maxBytes?: number;
  /** Entries at most. @default 1024 */
  maxEntries?: number;
}

/**
 * Largest file kept in memory by default (1 MiB): a hit is then one write of
 * a ready-made head and one of the shared body buffer, with no open, fstat or
 * read per request — Node has no sendfile, so this is how a hot 1 MiB file
 * keeps up with nginx.
 */
export const MAX_CACHED_FILE_BYTES = 1024 * 1024;
/** File bytes the cache holds at most by default (16 MiB); the oldest entries go first. */
export const MAX_CACHE_BYTES = 16 * 1024 * 1024;

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;
const MISSING: Lookup = { kind: 'missing', status: 404 };
const FORBIDDEN: Lookup = { kind: 'missing', status: 403 };
const DIRECTORY: Lookup = { kind: 'directory' };
/** Linux names an open descriptor's file in /proc/self/fd; false once that failed (another system). */
let hasProcFd = process.platform === 'linux';

/** The cache key of a path: its segments, and a slash when a folder was asked for. */
function keyOf(p: SafePath): string {
  return p.trailingSlash ? `${p.segments.join('/')}/` : p.segments.join('/');
}

interface Cached {
  result: Lookup;
  expires: number;
  bytes: number;
}

export class FileStore {
  readonly root: string;
  readonly #index: string | false;
  readonly #dotfiles: boolean;
  readonly #ttl: number;
  readonly #maxFile: number;
  readonly #maxBytes: number;
  readonly #maxEntries: number;
  readonly #cache = new Map<string, Cached>();
  #bytes = 0;

  /** @param root The root's real path (resolve it once with `realpath`). */
  constructor(root: string, opts: StoreOptions = {}) {
    this.root = root;
    this.#index = opts.index ?? 'index.html';
    this.#dotfiles = opts.dotfiles ?? false;
    this.#ttl = opts.ttl ?? 1000;
    this.#maxFile = opts.maxFileBytes ?? MAX_CACHED_FILE_BYTES;
    this.#maxBytes = opts.maxBytes ?? MAX_CACHE_BYTES;
    this.#maxEntries = opts.maxEntries ?? 1024;
  }

  /** What `p` names: a file, a directory (asked without its slash), or nothing. */
  lookup(p: SafePath): Lookup | Promise<Lookup> {
    const key = keyOf(p);
    return (
      this.#fresh(key) ??
      this.#resolve(p).then((result) => {
        if (this.#ttl > 0 && result.kind === 'file') this.#remember(key, result);
        return result;
      })
    );
  }

  /** The remembered lookup of `p` while it is fresh, else undefined; never touches the file system. */
  cached(p: SafePath): Lookup | undefined {
    return this.#fresh(keyOf(p));
  }

  #fresh(key: string): Lookup | undefined {
    const hit = this.#cache.get(key);
    if (hit === undefined) return undefined;
    if (hit.expires > performance.now()) return hit.result;
    this.#drop(key, hit);
    return undefined;
  }

  /** Opens a looked-up file for streaming; the entry is refreshed from `fstat` of the open file. Null when it is gone, or is no longer the file under the root that was looked up. */
  async open(file: FileEntry): Promise<{ fh: FileHandle; file: FileEntry } | null> {
    let fh: FileHandle;
    try {
      fh = await open(file.path, OPEN_FLAGS);
    } catch {
      return null;
    }
    const st = await this.#confined(fh, file.path);
    if (st === null) {
      await fh.close();
      return null;
    }
    return { fh, file: st.size === file.size && st.mtimeMs === file.mtimeMs ? file : this.#entry(file.path, st, null) };
  }

  /** `fstat` of `fh` when it is a regular file that really is `path` (see the module doc), else null. */
  async #confined(fh: FileHandle, path: string): Promise<Stats | null> {
    const st = await fh.stat();
    if (!st.isFile()) return null;
    if (hasProcFd) {
      try {
        return (await readlink(`/proc/self/fd/${fh.fd}`)) === path ? st : null;
      } catch {
        hasProcFd = false;
      }
    }
    try {
      if ((await this.#real(path)) !== path) return null;
      const now = await stat(path);
      return now.dev === st.dev && now.ino === st.ino ? st : null;
    } catch {
      return null;
    }
  }

  async #resolve(p: SafePath): Promise<Lookup> {
    const found = await this.#real(join(this.root, ...p.segments));
    if (typeof found !== 'string') return found;
    let st: Stats;
    try {
      st = await stat(found);
    } catch {
      return MISSING;
    }
    if (st.isDirectory()) {
      if (!p.trailingSlash) return DIRECTORY;
      if (this.#index === false) return MISSING;
      const index = await this.#real(join(found, this.#index));
      if (typeof index !== 'string') return index;
      try {
        return await this.#load(index, await stat(index));
      } catch {
        return MISSING;
      }
    }
    if (p.trailingSlash) return MISSING;
    return this.#load(found, st);
  }

  /** The real path when it lies inside the root (and is not hidden), else the refusal. */
  async #real(path: string): Promise<string | Lookup> {
    let real: string;
    try {
      real = await realpath(path);
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EACCES' ? FORBIDDEN : MISSING;
    }
    if (real !== this.root && !real.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep)) return MISSING;
    if (
      !this.#dotfiles &&
      real
        .slice(this.root.length)
        .split(sep)
        .some((s) => s.charCodeAt(0) === 46)
    )
      return MISSING;
    return real;
  }

  async #load(path: string, st: Stats): Promise<Lookup> {
    if (!st.isFile()) return MISSING;
    if (st.size > this.#maxFile) return { kind: 'file', file: this.#entry(path, st, null) };
    let fh: FileHandle;
    try {
      fh = await open(path, OPEN_FLAGS);
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EACCES' ? FORBIDDEN : MISSING;
    }
    try {
      const now = await this.#confined(fh, path);
      if (now === null) return MISSING;
      if (now.size > this.#maxFile) return { kind: 'file', file: this.#entry(path, now, null) };
      const body = Buffer.allocUnsafe(now.size);
      let got = 0;
      while (got < body.length) {
        const { bytesRead } = await fh.read(body, got, body.length - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      const short = got < body.length ? Buffer.from(body.subarray(0, got)) : body;
      return { kind: 'file', file: this.#entry(path, { size: short.length, mtimeMs: now.mtimeMs }, short) };
    } finally {
      await fh.close();
    }
  }

  #entry(path: string, st: { size: number; mtimeMs: number }, body: Buffer | null): FileEntry {
    const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
    const lastModified = httpDate(st.mtimeMs);
    const contentType = mime.contentType(path.slice(path.lastIndexOf(sep) + 1)) || 'application/octet-stream';
    const fields = `Server: netkit\r\nContent-Type: ${contentType}\r\nLast-Modified: ${lastModified}\r\nETag: ${etag}\r\nAccept-Ranges: bytes\r\n`;
    return {
      path,
      size: st.size,
      mtimeMs: st.mtimeMs,
      etag,
      lastModified,
      contentType,
      body,
      fields,
      fields200: `${fields}Content-Length: ${st.size}\r\n`,
      wire: null,
    };
  }

  #remember(key: string, result: Lookup): void {
    const bytes = result.kind === 'file' && result.file.body !== null ? result.file.body.length : 0;
    const old = this.#cache.get(key);
    if (old !== undefined) this.#drop(key, old);
    this.#cache.set(key, { result, expires: performance.now() + this.#ttl, bytes });
    this.#bytes += bytes;
    for (const [k, c] of this.#cache) {
      if (this.#cache.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#drop(k, c);
    }
  }

  #drop(key: string, c: Cached): void {
    this.#cache.delete(key);
    this.#bytes -= c.bytes;
  }
}
