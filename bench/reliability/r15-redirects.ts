/**
 * R-15 redirect safety: scripted redirect scenarios against recording
 * servers on three origins that differ by port (127.0.0.1:A, 127.0.0.1:B),
 * by address (127.0.0.2:C) and by name (localhost:A). Every request carries
 * credentials (userinfo → basic auth, an `Authorization`, a `Cookie`, a
 * `Proxy-Authorization`); a leak is any of them arriving at an origin other
 * than the first. Also: method rules (303 → GET, 307/308 keep POST and its
 * body), targets that must not be followed (ftp:, file:, javascript:, data:),
 * and loops, which must end at the limit with a LimitError ('too large').
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sink as sinks } from '../../src/ltn12/index.js';
import { Pool, request } from '../../src/protocols/http/index.js';
import type { FigureSpec } from './figure.js';

interface Seen {
  host: string;
  method: string;
  path: string;
  secrets: number;
  body: string;
}

const SECRET = ['authorization', 'cookie', 'proxy-authorization'] as const;

/**
 * A server that records every request and answers `/to/CODE?u=URL` with that
 * redirect, `/loop` with a redirect to itself, `/ping` with one to `pong`
 * (set by the caller), anything else 200 `ok`.
 */
async function recorder(host: string, seen: Seen[]): Promise<{ port: number; pong: { url: string }; close(): Promise<void> }> {
  const pong = { url: '' };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const path = req.url ?? '';
      seen.push({ host: req.headers.host ?? '', method: req.method ?? '', path, secrets: SECRET.filter((h) => req.headers[h] !== undefined).length, body });
      const m = /^\/to\/(\d{3})\?u=(.*)$/.exec(path);
      const location = m ? decodeURIComponent(m[2]!) : path === '/loop' ? '/loop' : path === '/ping' ? pong.url : undefined;
      if (location !== undefined) res.writeHead(m ? Number(m[1]) : 302, { Location: location, 'Content-Length': '0' }).end();
      else res.writeHead(200, { 'Content-Length': '2' }).end('ok');
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, pong, close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))) };
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
    const go = async (path: string, method = 'GET', body?: string) => {
      seen.length = 0;
      scenarios++;
      try {
        return await request({
          url: `http://user:pw@${first}${path}`, method, body, pool, sink: sinks.null(), maxRedirects: 5,
          headers: { Authorization: 'Bearer secret-token', Cookie: 'session=secret', 'Proxy-Authorization': 'Basic c2VjcmV0' },
        });
      } finally {
        leaks += seen.filter((s) => s.host !== first && s.secrets > 0).length;
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
            if (!ok) (wrong++, notes.push(`${code} ${method} → ${to}: ${r.code} ${last?.method} ${last?.path}`));
          }
        }
      }
      for (const target of ['ftp://127.0.0.1/x', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,hi']) {
        const r = await go(hop(302, target));
        if (r.code !== 302 || seen.length !== 1) (wrong++, notes.push(`followed ${target}`));
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
          else (wrong++, notes.push(`${loop}: ${(err as Error).message}, ${seen.length} requests`));
        }
      }
    } finally {
      await pool.close();
      await Promise.all([a.close(), b.close(), c?.close()]);
    }
    return [
      { name: 'R-15 credential-leaks', value: leaks, unit: '', pass: '==', threshold: 0, detail: `${scenarios} scenarios over ${others.length + 1} origins${c ? '' : ' (127.0.0.2 unavailable)'}` },
      { name: 'R-15 wrong-outcomes', value: wrong, unit: '', pass: '==', threshold: 0, detail: notes.slice(0, 3).join('; ') || 'method rules held; ftp/file/javascript/data targets not followed' },
      { name: 'R-15 loops-ended-at-limit', value: loopsEnded, unit: '', pass: '==', threshold: 2, detail: "LimitError 'too large' after 5 redirects" },
    ];
  },
};
