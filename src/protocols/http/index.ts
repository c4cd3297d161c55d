/**
 * netkit/http: LuaSocket's http module — `request` in its two forms,
 * `defaults` (LuaSocket's TIMEOUT, USERAGENT, PROXY), plus the keep-alive
 * `Pool` and the strict parsers it is built on.
 *
 * @example
 * ```ts
 * declare const ca: string;
 * import { http, ltn12 } from 'netkit';
 * const { code, body } = await http.request('http://127.0.0.1:8080/index.html');
 * await http.request({ url: 'https://localhost:8443/big.bin', sink: ltn12.sink.file('big.bin'), ca });
 * ```
 */
export { request, sharedPool, type RequestOptions, type Response, type SimpleResponse, type HeaderInput } from './request.js';
export { defaults, type HttpDefaults } from './defaults.js';
export { open, HttpConnection, type OpenOptions } from './connection.js';
export { Pool, type PoolOptions } from './pool.js';
export { resolveTarget, basicAuth, type Target } from './target.js';
export { parseProxy, type Create, type Proxy } from './transport.js';
export { parseResponseHead, type ResponseHead, type Framing } from './response-head.js';
export { formatRequestHead, hostHeader } from './request-head.js';
export { parseRequestHead, requestErrorStatus, RequestError, type RequestHead, type RequestLimits, type RequestBody } from './request-parser.js';
export { ChunkedDecoder } from './chunked.js';
export { MAX_CODINGS } from './decode.js';
