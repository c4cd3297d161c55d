/**
 * The chapter's tiny web server, as a program on `servers.serve` (one async
 * handler per connection): it reads the request line, skips the header
 * lines, and answers with the file the path names in FOLDER — or 404 — then
 * closes the connection, HTTP/1.0 style. The request `/quit` answers "bye"
 * and stops the whole server. (`servers.web` is the full static server;
 * this is the version you can read in one sitting.)
 *
 *     node dist/examples/web-server.js [port] [folder]     (prints "listening on http://127.0.0.1:PORT/")
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import mime from 'mime-types';
import { servers } from '../src/index.js';

const folder = process.argv[3] ?? '.';
const stop = new AbortController();

const reply = (code: string, type: string, body: Buffer | string) => {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const head = `HTTP/1.0 ${code}\r\nContent-Type: ${type}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
};

const server = await servers.serve({ port: Number(process.argv[2] ?? 8080), idleTimeout: 10_000, signal: stop.signal }, async (client) => {
  const [method, target] = (await client.receive('*l')).split(' ');
  while ((await client.receive('*l')) !== ''); // skip the header lines
  const path = decodeURIComponent((target ?? '/').split('?')[0]!);
  console.log(`${method} ${path}`);
  if (path === '/quit') {
    await client.send(reply('200 OK', 'text/plain', 'bye\n'));
    stop.abort(); // close() lets this handler finish, then the server is gone
    return;
  }
  if (method !== 'GET' || path.split(/[/\\]/).includes('..') || path.includes('\0')) {
    await client.send(reply('400 Bad Request', 'text/plain', 'bad request\n'));
    return;
  }
  const file = join(folder, path.endsWith('/') ? `${path}index.html` : path);
  try {
    await client.send(reply('200 OK', mime.contentType(extname(file)) || 'application/octet-stream', await readFile(file)));
  } catch {
    await client.send(reply('404 Not Found', 'text/plain', 'not found\n'));
  }
});
console.log(`listening on http://${server.address}:${server.port}/`);
stop.signal.addEventListener('abort', () => console.log('stopped by /quit'), { once: true });
