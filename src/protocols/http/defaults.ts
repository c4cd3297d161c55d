/**
 * `http.defaults`: LuaSocket's module globals (`http.TIMEOUT`,
 * `http.USERAGENT`, `http.PROXY`), plus the limits every request starts
 * from. Change them once for the whole program; a request's own options
 * win over them.
 *
 * @example
 * ```ts
 * import { http } from 'netkit';
 * http.defaults.timeout = 10_000;          // ms of silence before a request fails
 * http.defaults.proxy = 'http://127.0.0.1:3128';
 * ```
 */
import { readFileSync } from 'node:fs';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0';
  } catch {
    return '0';
  }
}

export interface HttpDefaults {
  /** Longest wait without progress (connect, send, each receive), ms; `null` = none. @default 60000 (LuaSocket's TIMEOUT) */
  timeout: number | null;
  /** Longest time from sending the request to the end of the response head, ms. @default 60000 */
  headersTimeout: number | null;
  /** `User-Agent` sent unless the caller gives one. */
  userAgent: string;
  /** Proxy URL (`http://[user:password@]host:port`) for every request, or undefined. */
  proxy: string | undefined;
  /** Redirects followed before a request fails with LimitError. @default 5 (LuaSocket's) */
  maxRedirects: number;
  /** Bytes of a response head (status line and fields, on the wire). @default 65536 */
  maxHeaderBytes: number;
  /** Header fields in one response head. @default 256 */
  maxHeaders: number;
  /** Largest body the one-call form `request(url)` collects in memory. @default 256 MiB */
  maxMemoryBody: number;
  /** Largest decoded body with `decode: true` (LimitError past it); a request's `maxBodyBytes` wins when smaller. @default 256 MiB */
  maxDecodedBytes: number;
  /**
   * Decoded bytes per compressed byte allowed with `decode: true` once the
   * decoded body passes {@link DECODE_RATIO_FLOOR} (a decompression bomb is a
   * LimitError long before it fills memory); `null` = no ratio guard.
   * @default 200
   */
  maxDecodeRatio: number | null;
}

/** Decoded bytes before the decode ratio guard applies (small bodies may compress very well). */
export const DECODE_RATIO_FLOOR = 1024 * 1024;

export const defaults: HttpDefaults = {
  timeout: 60_000,
  headersTimeout: 60_000,
  userAgent: `netkit/${version()}`,
  proxy: undefined,
  maxRedirects: 5,
  maxHeaderBytes: 64 * 1024,
  maxHeaders: 256,
  maxMemoryBody: 256 * 1024 * 1024,
  maxDecodedBytes: 256 * 1024 * 1024,
  maxDecodeRatio: 200,
};
