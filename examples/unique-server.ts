/**
 * The chapter's select-based server: many clients at once, one process, no
 * threads. Each connection has its own set of characters: every line a
 * client sends adds its characters to that set, and the answer is the whole
 * set so far, sorted (`ajx` → `ajx`, then `kby` → `abjkxy`, then `lcz` →
 * `abcjklxyz`). `.quit` ends that client's session; `.shutdown` stops the
 * server.
 *
 *     node dist/examples/unique-server.js [port]     (prints "listening on PORT")
 */
import { socket } from '../src/index.js';
import type { TcpClient, TcpServer } from '../src/socket/index.js';

/** Adds the characters of `line` to `set` and gives the whole set, sorted. */
export function addChars(set: Set<string>, line: string): string {
  for (const ch of line) set.add(ch);
  return [...set].sort().join('');
}

const server: TcpServer = await socket.bind('127.0.0.1', Number(process.argv[2] ?? 0));
console.log(`listening on ${server.getSockName().port}`);
const clients: TcpClient[] = [];
/** One set of characters per connection, kept across its lines. */
const seen = new Map<TcpClient, Set<string>>();
let running = true;

while (running) {
  const { readable } = await socket.select<TcpServer | TcpClient, TcpClient>([server, ...clients], null);
  for (const ready of readable) {
    if (ready === server) {
      const client = await server.accept();
      clients.push(client);
      seen.set(client, new Set());
      continue;
    }
    const client = ready as TcpClient;
    let line: string;
    try {
      line = await client.receive('*l');
    } catch {
      line = '.quit'; // the client went away
    }
    if (line === '.quit' || line === '.shutdown') {
      clients.splice(clients.indexOf(client), 1);
      seen.delete(client);
      await client.send('bye\n').catch(() => {});
      await client.close();
      if (line === '.shutdown') running = false;
      continue;
    }
    await client.send(`${addChars(seen.get(client)!, line)}\n`);
  }
}
await Promise.all(clients.map((c) => c.close()));
await server.close();
console.log('server shut down');
