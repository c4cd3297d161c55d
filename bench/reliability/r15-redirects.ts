/**
 * R-15 redirect safety: scripted redirect scenarios against recording
 * servers on three origins that differ by port (127.0.0.1:A, 127.0.0.1:B),
 * by address (127.0.0.2:C) and by name (localhost:A). Every request carries
 * credentials (userinfo → basic auth, an `Authorization`, a `Cookie`, a
 * `Proxy-Authorization`); a leak is any of them arriving at an origin other
 * than the first. Also: method rules (303 → GET, 307/308 keep POST and its
 * body), targets that must not be followed (ftp:, file:, javascript:, data:),
 * and loops, which must end at the limit with a LimitError ('too large').
 *
 * Through a proxy: the same redirects travel through a recording forward
 * proxy (absolute-form for http, CONNECT for an https origin). The caller's
 * `Proxy-Authorization` may reach the proxy only for hops to the first
 * origin (it is dropped with the other credentials on a cross-origin
 * redirect); the proxy URL's own credentials reach the proxy on every hop;
 * no origin ever sees a `Proxy-Authorization` — not inside a CONNECT tunnel,
 * not on a direct connection.
 */
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { selfSigned } from '../../testkit/tls.js';
import { sink as sinks } from '../../src/ltn12/index.js';
import { Pool, request } from '../../src/protocols/http/index.js';
import type { FigureSpec } from './figure.js';

interface Seen {
  host: string;
  method: string;
  path: string;
  secrets: number;
  /** A Proxy-Authorization arrived at this origin. */
  proxyAuth: boolean;
  body: string;
}

const SECRET = ['authorization', 'cookie', 'proxy-authorization'] as const;

/**
 * A server that records every request and answers `/to/CODE?u=URL` with that
 * redirect, `/loop` with a redirect to itself, `/ping` with one to `pong`
 * (set by the caller), anything else 200 `ok`.
 */
async function recorder(
  host: string,
  seen: Seen[],
  tls?: { key: string; cert: string },
): Promise<{ port: number; pong: { url: string }; close(): Promise<void> }> {
  const pong = { url: '' };
  const answer = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const path = req.url ?? '';
      seen.push({
        host: req.headers.host ?? '',
        method: req.method ?? '',
        path,
        secrets: SECRET.filter((h) => req.headers[h] !== undefined).length,
        proxyAuth: req.headers['proxy-authorization'] !== undefined,
        body,
      });
      const m = /^\/to\/(\d{3})\?u=(.*)$/.exec(path);
      const location = m ? decodeURIComponent(m[2]!) : path === '/loop' ? '/loop' : path === '/ping' ? pong.url : undefined;
      if (location !== undefined) res.writeHead(m ? Number(m[1]) : 302, { Location: location, 'Content-Length': '0' }).end();
      else res.writeHead(200, { 'Content-Length': '2' }).end('ok');
    });
  };
  const server = tls ? https.createServer(tls, answer) : http.createServer(answer);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, pong, close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

interface ProxySeen {
  method: string;
  /** The origin the request is for (`host:port`). */
  origin: string;
  auth: string | undefined;
}

/**
 * A recording forward proxy: absolute-form requests are relayed without
 * their `Proxy-Authorization` (as proxies do), CONNECT opens a tunnel.
 */
async function forwardProxy(seen: ProxySeen[]): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '');
    seen.push({ method: req.method ?? '', origin: u.host, auth: req.headers['proxy-authorization'] });
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const up = http.request({ host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port, path: u.pathname + u.search, method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push({ method: 'CONNECT', origin: req.url ?? '', auth: req.headers['proxy-authorization'] });
    const i = (req.url ?? '').lastIndexOf(':');
    const up = net.connect(Number((req.url ?? '').slice(i + 1)), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(client).pipe(up);
    });
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

const CALLER_PROXY_AUTH = 'Basic c2VjcmV0';
const URL_PROXY_AUTH = `Basic ${Buffer.from('pu:pp').toString('base64')}`;

/**
 * The proxy scenarios: every redirect code from the first origin to another
 * http origin and to an https origin (through CONNECT), with the caller's
 * `Proxy-Authorization` or with credentials in the proxy URL.
 */
async function proxyScenarios(seen: Seen[], first: string, others: string[]): Promise<{ scenarios: number; leaks: number; wrong: number; notes: string[] }> {
  const proxySeen: ProxySeen[] = [];
  const proxy = await forwardProxy(proxySeen);
  const cert = selfSigned();
  const secure = await recorder('127.0.0.1', seen, cert);
  const S = `https://localhost:${secure.port}`;
  let scenarios = 0;
  let leaks = 0;
  let wrong = 0;
  const notes: string[] = [];
  try {
    for (const code of [301, 302, 303, 307, 308]) {
      for (const to of [...others, S]) {
        for (const withUrlCreds of [false, true]) {
          seen.length = 0;
          proxySeen.length = 0;
          scenarios++;
          const proxyUrl = `http://${withUrlCreds ? 'pu:pp@' : ''}127.0.0.1:${proxy.port}`;
          const headers: Record<string, string> = { Authorization: 'Bearer secret-token', Cookie: 'session=secret' };
          if (!withUrlCreds) headers['Proxy-Authorization'] = CALLER_PROXY_AUTH;
          const r = await request({
            url: `http://${first}/to/${code}?u=${encodeURIComponent(`${to}/landed`)}`,
            proxy: proxyUrl,
            ca: cert.cert,
            pool: false,
            sink: sinks.null(),
            headers,
          });
          // Origins: no credentials but at the first origin, and never a Proxy-Authorization.
          leaks += seen.filter((q) => (q.host !== first && q.secrets > 0) || q.proxyAuth).length;
          // The proxy: the caller's credentials only for the first origin; the URL's on every hop.
          leaks += proxySeen.filter((p) => p.auth === CALLER_PROXY_AUTH && p.origin !== first).length;
          const urlCredsMissing = withUrlCreds && proxySeen.some((p) => p.auth !== URL_PROXY_AUTH);
          const last = seen[seen.length - 1];
          const viaProxy = proxySeen.length === 2 && proxySeen[0]!.origin === first;
          if (r.code !== 200 || last?.path !== '/landed' || urlCredsMissing || !viaProxy) {
            wrong++;
            notes.push(
              `proxy ${code} → ${to}${withUrlCreds ? ' (URL credentials)' : ''}: ${r.code} ${last?.path ?? '-'}, proxy saw ${proxySeen.map((p) => `${p.method} ${p.origin} ${p.auth ?? 'no auth'}`).join(' | ')}`,
            );
          }
        }
      }
    }
  } finally {
    await Promise.all([proxy.close(), secure.close()]);
  }
  return { scenarios, leaks, wrong, notes };
}

export const spec: FigureSpec = {
  id: 'R-15',
  budgetMs: 30_000,
  async run() {
    const seen: Seen[] = [];
    // '::' takes IPv4 too, so `localhost` reaches it whichever address it resolves to first
    const a = await recorder('::', seen).catch(() => recorder('127.0.0.1', seen));
    const b = await recorder('127.0.0.1', seen);
    const c = await recorder('127.0.0.2', seen).catch(() => null);
    const first = `127.0.0.1:${a.port}`;
    const A = `http://${first}`;
    const others = [`http://127.0.0.1:${b.port}`, `http://localhost:${a.port}`, ...(c ? [`http://127.0.0.2:${c.port}`] : [])];
    const hop = (code: number, to: string) => `/to/${code}?u=${encodeURIComponent(to)}`;
    const pool = new Pool();
    let scenarios = 0;
    let leaks = 0;
    let wrong = 0;
    let loopsEnded = 0;
    const notes: string[] = [];
    let viaProxy = { scenarios: 0, leaks: 0, wrong: 0, notes: ['the proxy scenarios did not run'] };
    const go = async (path: string, method = 'GET', body?: string) => {
      seen.length = 0;
      scenarios++;
      try {
        return await request({
          url: `http://user:pw@${first}${path}`,
          method,
          body,
          pool,
          sink: sinks.null(),
          maxRedirects: 5,
          headers: { Authorization: 'Bearer secret-token', Cookie: 'session=secret', 'Proxy-Authorization': 'Basic c2VjcmV0' },
        });
      } finally {
        leaks += seen.filter((s) => (s.host !== first && s.secrets > 0) || s.proxyAuth).length; // no proxy: Proxy-Authorization is never sent
      }
    };
    try {
      for (const code of [301, 302, 303, 307, 308]) {
        for (const to of [...others, A]) {
          for (const method of ['GET', 'POST']) {
            const r = await go(hop(code, `${to}/landed`), method, method === 'POST' ? 'x=1' : undefined);
            const last = seen[seen.length - 1];
            const expectMethod = code === 303 || ((code === 301 || code === 302) && method === 'POST') ? 'GET' : method;
            const ok = r.code === 200 && last?.path === '/landed' && last.method === expectMethod && last.body === (expectMethod === 'POST' ? 'x=1' : '');
            if (!ok) wrong++, notes.push(`${code} ${method} → ${to}: ${r.code} ${last?.method} ${last?.path}`);
          }
        }
      }
      for (const target of ['ftp://127.0.0.1/x', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,hi']) {
        const r = await go(hop(302, target));
        if (r.code !== 302 || seen.length !== 1) wrong++, notes.push(`followed ${target}`);
      }
      a.pong.url = `http://127.0.0.1:${b.port}/ping`;
      b.pong.url = `${A}/ping`;
      for (const loop of ['/loop', '/ping']) {
        try {
          await go(loop);
          wrong++;
          notes.push(`the ${loop} loop ended in success`);
        } catch (err) {
          if ((err as { code?: string }).code === 'too large' && seen.length === 6) loopsEnded++;
          else wrong++, notes.push(`${loop}: ${(err as Error).message}, ${seen.length} requests`);
        }
      }
      viaProxy = await proxyScenarios(seen, first, others);
    } finally {
      await pool.close();
      await Promise.all([a.close(), b.close(), c?.close()]);
    }
    return [
      {
        name: 'R-15 credential-leaks',
        value: leaks,
        unit: '',
        pass: '==',
        threshold: 0,
        detail: `${scenarios} scenarios over ${others.length + 1} origins${c ? '' : ' (127.0.0.2 unavailable)'}`,
      },
      {
        name: 'R-15 wrong-outcomes',
        value: wrong,
        unit: '',
        pass: '==',
        threshold: 0,
        detail: notes.slice(0, 3).join('; ') || 'method rules held; ftp/file/javascript/data targets not followed',
      },
      {
        name: 'R-15 proxy-credential-leaks',
        value: viaProxy.leaks,
        unit: '',
        pass: '==',
        threshold: 0,
        detail: `${viaProxy.scenarios} redirect scenarios through a forward proxy (http absolute-form, https CONNECT): Proxy-Authorization at an origin, or the caller's at the proxy for another origin`,
      },
      {
        name: 'R-15 proxy-wrong-outcomes',
        value: viaProxy.wrong,
        unit: '',
        pass: '==',
        threshold: 0,
        detail: viaProxy.notes.slice(0, 3).join('; ') || 'every hop through the proxy, the proxy URL credentials on every hop',
      },
      { name: 'R-15 loops-ended-at-limit', value: loopsEnded, unit: '', pass: '==', threshold: 2, detail: "LimitError 'too large' after 5 redirects" },
    ];
  },
};
