/**
 * `http.open`: LuaSocket's low-level HTTP API — one connection on which the
 * caller sends a request and reads the response step by step, with the
 * same strict rules as `http.request` (tokens, values without controls,
 * CRLF only, one framing). Nothing is pooled, redirected or decoded.
 *
 * | LuaSocket (`http.open(host, port, create)` → `h`) | netkit (`await http.open(host, port, opts)` → `c`) |
 * |---|---|
 * | `h:sendrequestline(method, uri)` | `c.sendRequestLine(method, uri)` |
 * | `h:sendheaders(headers)` | `c.sendHeaders(headers)` (ends the head) |
 * | `h:sendbody(headers, source, step)` | `c.sendBody(headers, source, step?)`: chunked unless `headers` has a Content-Length |
 * | `h:receivestatusline()` → `code, status` | `c.receiveStatusLine()` → `{ code, status }` |
 * | `h:receiveheaders()` → `headers` | `c.receiveHeaders()` → lower-cased table (obs-fold → one space) |
 * | `h:receivebody(headers, sink, step)` | `c.receiveBody(headers, sink)`: chunked, Content-Length or until close |
 * | `h:close()` | `c.close()` |
 *
 * Differences on purpose: HTTP/0.9 answers are refused (ProtocolError), not
 * read as a body; `open` takes `{ create, timeout, signal, tls, tlsOptions }`
 * (`tls: 'implicit'` for https).
 *
 * @example
 * ```ts
 * import { http, ltn12 } from 'netkit';
 * const c = await http.open('127.0.0.1', 8080);
 * await c.sendRequestLine('GET', '/index.html');
 * await c.sendHeaders({ host: '127.0.0.1:8080', connection: 'close' });
 * const { code } = await c.receiveStatusLine();
 * const headers = await c.receiveHeaders();
 * const [sink, chunks] = ltn12.sink.table();
 * if (code !== 204 && code !== 304) await c.receiveBody(headers, sink);
 * await c.close();
 * ```
 */
import { ArgumentError, LimitError, ProtocolError } from '../../core/errors.js';
import { checkInteger, checkMs } from '../../core/validate.js';
import { tlsMode, type TlsOptions, type TlsWord } from '../../core/tls-mode.js';
import { pump, sink as sinks, source as sources, type Sink, type Source } from '../../ltn12/index.js';
import { connect, type TcpClient } from '../../socket/index.js';
import { readBody } from './body-reader.js';
import { bodySink } from './body-writer.js';
import { defaults } from './defaults.js';
import { framingOf, SENDABLE_VALUE, TARGET, TOKEN } from './fields.js';
import { parseFields, parseStatusLine } from './response-head.js';
import type { HeaderInput } from './request.js';
import type { Create } from './transport.js';

/** Options of {@link open}. */
export interface OpenOptions {
  /** Makes the TCP connection (LuaSocket's `create`). */
  create?: Create;
  /** Per-wait timeout, ms; `null` = none. @default http.defaults.timeout */
  timeout?: number | null;
  signal?: AbortSignal;
  /** `'implicit'` for https; `'none'` (default). */
  tls?: TlsWord;
  tlsOptions?: TlsOptions;
  /** Bytes of a response head. @default http.defaults.maxHeaderBytes */
  maxHeaderBytes?: number;
  /** @default http.defaults.maxHeaders */
  maxHeaders?: number;
}

/** Opens a connection to `host`:`port` for the step-by-step API (LuaSocket's `http.open`). */
export async function open(host: string, port: number, opts: OpenOptions = {}): Promise<HttpConnection> {
  const timeout = checkMs('timeout', opts.timeout, defaults.timeout);
  checkInteger('port', port, { min: 1, max: 65535 });
  const secure = tlsMode(opts.tls) !== 'none';
  if (tlsMode(opts.tls) === 'starttls') throw new ArgumentError("HTTP has no STARTTLS: use tls: 'implicit'");
  let sock: TcpClient;
  if (opts.create !== undefined) {
    sock = await opts.create(host, port, { timeout, signal: opts.signal });
    if (secure) await sock.startTls({ ...opts.tlsOptions, signal: opts.signal });
  } else {
    sock = await connect(host, port, { timeout, signal: opts.signal, tls: secure ? (opts.tlsOptions ?? true) : undefined });
  }
  sock.setTimeout(timeout);
  sock.setEncoding('latin1');
  return new HttpConnection(sock, opts);
}

/** One connection of the step-by-step API; see the module doc for LuaSocket's names. */
export class HttpConnection {
  readonly #sock: TcpClient;
  readonly #signal: AbortSignal | undefined;
  readonly #maxHeaderBytes: number;
  readonly #maxHeaders: number;

  constructor(sock: TcpClient, opts: OpenOptions = {}) {
    this.#sock = sock;
    this.#signal = opts.signal;
    this.#maxHeaderBytes = checkInteger('maxHeaderBytes', opts.maxHeaderBytes, { min: 16 }, defaults.maxHeaderBytes);
    this.#maxHeaders = checkInteger('maxHeaders', opts.maxHeaders, { min: 0 }, defaults.maxHeaders);
    sock.setLineLimit(this.#maxHeaderBytes);
  }

  /** The socket underneath (for `select`, options, statistics). */
  get socket(): TcpClient {
    return this.#sock;
  }

  /** Sends `METHOD uri HTTP/1.1`. @throws {ArgumentError} a method that is not a token, a target with controls or spaces. */
  async sendRequestLine(method = 'GET', uri: string): Promise<void> {
    if (!TOKEN.test(method)) throw new ArgumentError(`bad method ${JSON.stringify(method)}`);
    if (typeof uri !== 'string' || !TARGET.test(uri)) throw new ArgumentError(`bad request target ${JSON.stringify(String(uri).slice(0, 100))}`);
    await this.#send(`${method} ${uri} HTTP/1.1\r\n`);
  }

  /** Sends the header fields and the empty line that ends the head. */
  async sendHeaders(headers: HeaderInput): Promise<void> {
    let head = '';
    for (const [name, value] of pairs(headers)) {
      if (!TOKEN.test(name)) throw new ArgumentError(`bad header name ${JSON.stringify(name)}`);
      if (!SENDABLE_VALUE.test(value)) throw new ArgumentError(`control character in the value of ${name}`);
      head += `${name}: ${value}\r\n`;
    }
    await this.#send(`${head}\r\n`);
  }

  /** Pumps `source` out: with the Content-Length `headers` declare (exactly that many bytes), else chunked. */
  async sendBody(headers: HeaderInput, source: Source = sources.empty(), step?: (src: Source, snk: Sink) => Promise<boolean>): Promise<void> {
    const cl = pairs(headers).find(([n]) => n.toLowerCase() === 'content-length')?.[1];
    if (cl !== undefined && !/^\d{1,15}$/.test(cl)) throw new ArgumentError(`bad content-length ${JSON.stringify(cl)}`);
    await pump.all(source, bodySink(this.#sock, cl === undefined ? undefined : Number(cl), { signal: this.#signal }), step);
  }

  /** Reads the status line (1xx lines included: the caller skips them as LuaSocket's caller does). */
  async receiveStatusLine(): Promise<{ code: number; status: string }> {
    const status = await this.#line();
    const parsed = parseStatusLine(status);
    if (parsed === null) throw new ProtocolError('malformed status line', status.slice(0, 200));
    return { code: parsed.code, status };
  }

  /** Reads the header fields up to the empty line: lower-cased names, repeated fields joined with ', '. */
  async receiveHeaders(): Promise<Record<string, string>> {
    const lines: string[] = [];
    let bytes = 0;
    for (;;) {
      const line = await this.#line();
      if (line === '') break;
      bytes += line.length + 2;
      if (bytes > this.#maxHeaderBytes) throw new LimitError('response head', this.#maxHeaderBytes);
      lines.push(line);
    }
    const table: Record<string, string> = Object.create(null);
    for (const [n, v] of parseFields(lines, this.#maxHeaders, 'space')) {
      const k = n.toLowerCase();
      table[k] = k in table ? `${table[k]}, ${v}` : v;
    }
    return table;
  }

  /** Reads the body the `headers` frame into `sink` (and ends it): chunked, by Content-Length, or until the server closes. */
  async receiveBody(headers: Record<string, string>, sink: Sink = sinks.null()): Promise<void> {
    const f = framingOf(headers);
    if (f.kind === 'problem') throw new ProtocolError(f.problem, f.detail);
    const framing = f.kind === 'chunked' || f.kind === 'length' ? f : { kind: 'close' as const };
    await readBody(this.#sock, framing, sink, { signal: this.#signal });
    await sink(null);
  }

  close(): Promise<void> {
    return this.#sock.close();
  }

  #send(text: string): Promise<number> {
    return this.#sock.send(Buffer.from(text, 'latin1'), undefined, undefined, { signal: this.#signal });
  }

  #line(): Promise<string> {
    return this.#sock.receiveLine({ strict: true, signal: this.#signal });
  }
}

function pairs(h: HeaderInput): [string, string][] {
  const entries = Array.isArray(h) ? (h as readonly (readonly [string, string | number])[]) : Object.entries(h as Record<string, string | number>);
  return entries.map(([n, v]) => [String(n), String(v)]);
}
