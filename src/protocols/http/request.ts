/**
 * `http.request`: LuaSocket's `http.request`, both forms.
 *
 * - `request(url, body?)` fetches `url` (POSTs `body` as
 *   `application/x-www-form-urlencoded` when given) and resolves to
 *   `{ body, code, headers, status }` with the body in memory.
 * - `request({ url, sink, method, headers, source, step, proxy, redirect,
 *   create, … })` streams the body into `sink` and resolves to
 *   `{ code, headers, status, … }` once the sink has been given `null`.
 *
 * Any HTTP status resolves (a 404 is an answer, not an error); only
 * transport and protocol failures throw: `TimeoutError`, `ClosedError`,
 * `ProtocolError` (a malformed or ambiguous response, never a wrong body),
 * `LimitError` (`'too large'`: head, body or redirect limits),
 * `ArgumentError` (CR/LF in a header or target, a bad URL — thrown before
 * anything is sent), `NetError` (`'refused'`, `'tls'` …).
 *
 * @example
 * ```ts
 * import { http, ltn12 } from 'netkit';
 * const r = await http.request('http://127.0.0.1:8080/');
 * console.log(r.code, r.body.toString());
 * await http.request({ url: 'https://example.test/big.iso', sink: ltn12.sink.file('big.iso') });
 * ```
 */
import { createHash } from 'node:crypto';
import type tls from 'node:tls';
import { ArgumentError, LimitError } from '../../core/errors.js';
import { tlsMode, type TlsWord } from '../../core/tls-mode.js';
import { sink as sinks, type Sink, type Source } from '../../ltn12/index.js';
import { defaults } from './defaults.js';
import { boundedDecoding, codings, limitSink } from './decode.js';
import { checkFlag, checkLimits, type Limits } from './options.js';
import type { BodyResult } from './body-reader.js';
import { exchange, type BodyPlan, type ExchangeContext } from './exchange.js';
import { Pool } from './pool.js';
import { planRedirect, type Hop } from './redirect.js';
import { requestFraming } from './request-framing.js';
import { requestUrl, type UrlFields } from './request-url.js';
import type { ResponseHead } from './response-head.js';
import { basicAuth, resolveTarget, type Target } from './target.js';
import { parseProxy, type Create, type Proxy } from './transport.js';

/** Header fields as a table (LuaSocket's shape) or as ordered pairs. */
export type HeaderInput = Record<string, string | number> | readonly (readonly [string, string | number])[];

export interface RequestOptions extends UrlFields {
  /** The URL; LuaSocket's `scheme`, `host`, `port`, `path`, `user`, `password` fields override its parts, `uri` the request target (see `request-url.ts`). Optional when `host` is given. */
  url?: string;
  /** Where the body goes; `null` ends it. @default discarded */
  sink?: Sink;
  /** @default 'GET', or 'POST' with a body or source */
  method?: string;
  /**
   * Header fields. The client owns framing: a `Content-Length` that disagrees
   * with `body`, or a `Transfer-Encoding` other than `chunked` on a `source`,
   * is an ArgumentError (see `request-framing.ts`).
   */
  headers?: HeaderInput;
  /** The request body as a whole (sent with Content-Length). */
  body?: string | Uint8Array;
  /** The request body as a source: with the caller's `content-length` header, or chunked. */
  source?: Source;
  /** LuaSocket's pump step, used to move the source into the connection. */
  step?: (src: Source, snk: Sink) => Promise<boolean>;
  /** Proxy URL; `null` for none even when `defaults.proxy` is set. */
  proxy?: string | null;
  /** Follow redirects. @default true */
  redirect?: boolean;
  /** Makes the TCP connection instead of `socket.connect` (such connections are not pooled). */
  create?: Create;
  /** Longest wait without progress, ms (`defaults.timeout`). */
  timeout?: number | null;
  /** Longest time for the response head, ms (`defaults.headersTimeout`). */
  headersTimeout?: number | null;
  signal?: AbortSignal;
  /** @default defaults.maxRedirects (5) */
  maxRedirects?: number;
  /** @default defaults.maxHeaderBytes (64 KiB) */
  maxHeaderBytes?: number;
  /** @default defaults.maxHeaders (256) */
  maxHeaders?: number;
  /** Largest body accepted (after decoding when `decode`); LimitError past it. @default unlimited */
  maxBodyBytes?: number;
  /** Ask for gzip/deflate and decode it on the way to the sink. @default false */
  decode?: boolean;
  /** Largest decoded body with `decode`; LimitError past it. @default defaults.maxDecodedBytes (256 MiB) */
  maxDecodedBytes?: number;
  /** Decoded bytes per compressed byte with `decode`, past the first MiB; `null` = no guard. @default defaults.maxDecodeRatio (200) */
  maxDecodeRatio?: number | null;
  /**
   * How TLS is used, in the project's words: https URLs are `'implicit'`
   * (the default for them), http URLs `'none'`; a word that contradicts the
   * URL, or `'starttls'`, is an ArgumentError. An object here is taken as
   * `tlsOptions` (the older spelling).
   */
  tls?: TlsWord | tls.ConnectionOptions;
  /** Certificates and verification for https (`ca`, `rejectUnauthorized`, `servername`, client `cert`/`key` …). Verified by default. */
  tlsOptions?: tls.ConnectionOptions;
  /** Shortcut for `tlsOptions.rejectUnauthorized`: `false` accepts any certificate. */
  rejectUnauthorized?: boolean;
  /** Shortcut for `tlsOptions.ca`. */
  ca?: tls.ConnectionOptions['ca'];
  /** Connection pool; `false` closes the connection after the request. @default the shared pool */
  pool?: Pool | false;
  /** Called with the final response before its body streams (e.g. to size a progress bar). */
  onResponse?: (res: Response) => void | Promise<void>;
}

export interface Response {
  code: number;
  /** Lower-cased names, repeated fields joined with ', '. */
  headers: Record<string, string>;
  /** The status line, e.g. `'HTTP/1.1 200 OK'`. */
  status: string;
  /** Every field as received, in order. */
  rawHeaders: [string, string][];
  /** Trailer fields of a chunked body. */
  trailers: [string, string][];
  /** The URL that answered (after redirects). */
  url: string;
  /** Redirects followed. */
  redirects: number;
}

export interface SimpleResponse {
  body: Buffer;
  code: number;
  headers: Record<string, string>;
  status: string;
}

/** Largest redirect body read (and dropped) to keep its connection; a larger one is skipped by closing. */
const REDIRECT_BODY = 64 * 1024;

/** The pool requests use unless told otherwise. */
export const sharedPool = new Pool();

export function request(url: string, body?: string | Uint8Array): Promise<SimpleResponse>;
export function request(opts: RequestOptions): Promise<Response>;
export async function request(arg: string | RequestOptions, body?: string | Uint8Array): Promise<SimpleResponse | Response> {
  if (typeof arg !== 'string') return generic(arg);
  const [sink, chunks] = sinks.table();
  const opts: RequestOptions = { url: arg, sink, maxBodyBytes: defaults.maxMemoryBody };
  if (body !== undefined) {
    opts.body = body;
    opts.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  }
  const r = await generic(opts);
  return { body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), code: r.code, headers: r.headers, status: r.status };
}

async function generic(opts: RequestOptions): Promise<Response> {
  if (opts === null || typeof opts !== 'object') throw new ArgumentError('request takes a URL or an options object');
  const body =
    opts.body === undefined
      ? undefined
      : typeof opts.body === 'string'
        ? Buffer.from(opts.body)
        : Buffer.from(opts.body.buffer, opts.body.byteOffset, opts.body.byteLength);
  if (body !== undefined && opts.source !== undefined) throw new ArgumentError('give body or source, not both');
  const method = opts.method ?? (body !== undefined || opts.source !== undefined ? 'POST' : 'GET');
  const limits = checkLimits(opts);
  checkFlag('redirect', opts.redirect);
  checkFlag('decode', opts.decode);
  const { maxRedirects } = limits;
  const proxyUrl = opts.proxy === undefined ? defaults.proxy : opts.proxy;
  const route: Route = { proxy: proxyUrl ? parseProxy(proxyUrl) : undefined, tls: tlsOptions(opts), limits };
  const { url, uri } = requestUrl(opts);
  checkTlsWord(opts.tls, url);
  let hop: Hop = { url, method, headers: headerPairs(opts.headers), body, source: opts.source, uri };
  for (let redirects = 0; ; redirects++) {
    const step = await oneHop(opts, route, hop, redirects);
    if ('response' in step) return step.response;
    if (redirects >= maxRedirects)
      throw new LimitError('redirects', maxRedirects, undefined, `more than ${maxRedirects} redirects (last to ${step.next.url.slice(0, 200)})`);
    hop = step.next;
  }
}

/** The proxy and TLS settings every hop of a request shares. */
interface Route {
  proxy: Proxy | undefined;
  tls: tls.ConnectionOptions | undefined;
  limits: Limits;
}

/**
 * One request of the redirect chain: either the redirect to follow (its
 * small body read and dropped, a large one skipped by closing) or the final
 * response, its body streamed into the caller's sink and ended with `null`.
 */
async function oneHop(opts: RequestOptions, route: Route, hop: Hop, redirects: number): Promise<{ next: Hop } | { response: Response }> {
  const target = resolveTarget(hop.url);
  let next: Hop | null = null;
  let final: { response: Response } | undefined;
  const plan = async (head: ResponseHead): Promise<BodyPlan> => {
    next = opts.redirect === false ? null : planRedirect(hop, head);
    if (next !== null)
      return head.framing.kind === 'close' || (head.framing.kind === 'length' && head.framing.length > REDIRECT_BODY)
        ? null
        : { sink: sinks.null(), maxBodyBytes: REDIRECT_BODY };
    const response: Response = {
      code: head.code,
      headers: head.headers,
      status: head.status,
      rawHeaders: head.rawHeaders,
      trailers: [],
      url: hop.url,
      redirects,
    };
    await opts.onResponse?.(response);
    final = { response };
    return { sink: bodySink(opts, route.limits, head), maxBodyBytes: opts.decode ? undefined : route.limits.maxBodyBytes };
  };
  let got: BodyResult | null = null;
  try {
    got = (await exchange(context(opts, target, route), target, outgoing(hop, target, route.proxy, opts), plan)).body;
  } catch (err) {
    // A redirect's body over the limit is not worth reading: its connection was closed instead.
    if (!(next !== null && err instanceof LimitError && err.what === 'body')) throw err;
  }
  if (next !== null) return { next };
  const { response } = final!;
  response.trailers = got?.trailers ?? [];
  return { response };
}

/** The sink the final body goes to: the caller's, behind the size limit and decoding when asked. */
function bodySink(opts: RequestOptions, limits: Limits, head: ResponseHead): Sink {
  let sink = opts.sink ?? sinks.null();
  if (!opts.decode) return sink;
  if (limits.maxBodyBytes !== undefined) sink = limitSink(sink, limits.maxBodyBytes);
  const list = head.framing.kind === 'none' ? null : codings(head.headers['content-encoding']);
  return list === null ? sink : boundedDecoding(list, sink, { maxBytes: limits.maxDecodedBytes, maxRatio: limits.maxDecodeRatio });
}

function context(opts: RequestOptions, target: Target, route: Route): ExchangeContext {
  const { proxy, tls: tlsOpts } = route;
  const pool = opts.create !== undefined || opts.pool === false ? null : (opts.pool ?? sharedPool);
  const via = proxy ? (target.scheme === 'http' ? `${proxy.origin}|http` : `${proxy.origin}>${target.origin}`) : target.origin;
  return {
    pool,
    key: target.scheme === 'https' ? `${via}|${tlsKey(tlsOpts)}` : via,
    proxy,
    tls: tlsOpts,
    timeout: route.limits.timeout, // any length: the socket's waits chain timers past 2^31 ms
    headersTimeout: route.limits.headersTimeout,
    signal: opts.signal,
    create: opts.create,
    maxHeaderBytes: route.limits.maxHeaderBytes,
    maxHeaders: route.limits.maxHeaders,
  };
}

/** The fields, target and body of one hop, as they go on the wire. */
function outgoing(hop: Hop, target: Target, proxy: Proxy | undefined, opts: RequestOptions) {
  const has = (name: string) => hop.headers.some(([n]) => n.toLowerCase() === name);
  const fields: [string, string][] = [];
  if (!has('user-agent')) fields.push(['User-Agent', defaults.userAgent]);
  if (target.user !== undefined && !has('authorization')) fields.push(['Authorization', basicAuth(target.user, target.password ?? '')]);
  const absoluteForm = proxy !== undefined && target.scheme === 'http';
  // Proxy credentials go to the proxy only: a caller's field travels only in absolute-form requests.
  let proxyAuth = hop.headers.find(([n]) => n.toLowerCase() === 'proxy-authorization')?.[1] ?? proxy?.authorization;
  if (!absoluteForm) proxyAuth = undefined;
  if (proxyAuth !== undefined) fields.push(['Proxy-Authorization', proxyAuth]);
  if (opts.decode && !has('accept-encoding')) fields.push(['Accept-Encoding', 'gzip, deflate']);
  const framing = requestFraming(hop.headers, hop.body, hop.source, hop.method);
  fields.push(...framing.add);
  for (const pair of hop.headers) if (pair[0].toLowerCase() !== 'proxy-authorization') fields.push(pair);
  const close = hop.headers.some(([n, v]) => n.toLowerCase() === 'connection' && /(^|,)\s*close\s*(,|$)/i.test(v));
  const requestTarget =
    hop.uri !== undefined
      ? hop.uri
      : absoluteForm
        ? `http://${target.host.includes(':') ? `[${target.host}]` : target.host}${target.port === 80 ? '' : `:${target.port}`}${target.path}`
        : target.path;
  return { method: hop.method, requestTarget, fields, close, body: hop.body, source: hop.source, length: framing.length, step: opts.step, signal: opts.signal };
}

function headerPairs(h: HeaderInput | undefined): [string, string][] {
  if (h === undefined) return [];
  const entries = Array.isArray(h) ? (h as readonly (readonly [string, string | number])[]) : Object.entries(h as Record<string, string | number>);
  return entries.map(([n, v]) => [String(n), String(v)]);
}

function tlsOptions(opts: RequestOptions): tls.ConnectionOptions | undefined {
  const given = typeof opts.tls === 'object' && opts.tls !== null ? opts.tls : undefined;
  if (opts.tlsOptions !== undefined && (typeof opts.tlsOptions !== 'object' || opts.tlsOptions === null))
    throw new ArgumentError('tlsOptions must be an object');
  if (given === undefined && opts.tlsOptions === undefined && opts.rejectUnauthorized === undefined && opts.ca === undefined) return undefined;
  const t: tls.ConnectionOptions = { ...given, ...opts.tlsOptions };
  if (opts.rejectUnauthorized !== undefined) t.rejectUnauthorized = opts.rejectUnauthorized;
  if (opts.ca !== undefined) t.ca = opts.ca;
  return t;
}

/** Checks a `tls` word against the URL's scheme (https is implicit TLS, http none). */
function checkTlsWord(word: RequestOptions['tls'], url: string): void {
  if (word === undefined || (typeof word === 'object' && word !== null)) return;
  const mode = tlsMode(word);
  const https = /^https:/i.test(url);
  if (mode === 'starttls') throw new ArgumentError("HTTP has no STARTTLS: use an https:// URL (tls: 'implicit')");
  if ((mode === 'implicit') !== https) throw new ArgumentError(`tls: '${word}' contradicts ${https ? 'an https' : 'an http'} URL`);
}

const tlsKeys = new WeakMap<object, string>();

/** A short digest of TLS options: connections are pooled only with identical settings. */
function tlsKey(t: tls.ConnectionOptions | undefined): string {
  if (t === undefined) return '';
  let k = tlsKeys.get(t);
  if (k === undefined) {
    const json = JSON.stringify(t, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'function' ? String(v) : v));
    k = createHash('sha256').update(json).digest('base64url').slice(0, 22);
    tlsKeys.set(t, k);
  }
  return k;
}
