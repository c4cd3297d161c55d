/**
 * `netkit get` for http and https: one `http.request`, with the body sent
 * to the command's sink only when the status is below 400 (an error page
 * never lands in the output file).
 */
import { sink as sinks, type Sink } from '../../ltn12/index.js';
import { request } from '../../protocols/http/index.js';
import type { GetRequest, GetResult } from './schemes.js';

export async function httpGet(req: GetRequest): Promise<GetResult> {
  let target: Sink = sinks.null();
  const headers = [...req.headers];
  if (req.data !== undefined && !headers.some(([n]) => n.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  const res = await request({
    url: req.url,
    method: req.headOnly ? 'HEAD' : req.method,
    headers,
    body: req.data,
    proxy: req.proxy,
    rejectUnauthorized: req.tls.tlsOptions?.rejectUnauthorized,
    ca: req.tls.tlsOptions?.ca,
    timeout: req.timeout,
    signal: req.signal,
    onResponse: (r) => {
      if (r.code < 400 && !req.headOnly) {
        const cl = r.headers['content-length'];
        target = req.open({ total: cl !== undefined && /^\d+$/.test(cl) ? Number(cl) : undefined });
      }
    },
    sink: (chunk) => target(chunk),
  });
  const head = `${[res.status, ...res.rawHeaders.map(([n, v]) => `${n}: ${v}`)].join('\r\n')}\r\n\r\n`;
  return { ok: res.code < 400, status: res.status, head };
}
