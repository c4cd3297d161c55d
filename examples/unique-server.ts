/**
 * The chapter's select-based server: many clients at once, one process, no
 * threads. Each line a client sends is answered with its unique characters
 * in order of first appearance. `.quit` ends that client's session;
 * `.shutdown` stops the server.
 *
 *     node dist/examples/unique-server.js [port]     (prints "listening on PORT")
 */
import { socket } from '../src/index.js';
import type { TcpClient, TcpServer } from '../src/socket/index.js';

/** The characters of `line`, each once, in order of first appearance. */
export function uniqueChars(line: string): string {
  return [...new Set(line)].join('');
}

const server: TcpServer = await socket.bind('127.0.0.1', Number(process.argv[2] ?? 0));
console.log(`listening on ${server.getSockName().port}`);
const clients: TcpClient[] = [];
let running = true;

while (running) {
  const { readable } = await socket.select<TcpServer | TcpClient, TcpClient>([server, ...clients], null);
  for (const ready of readable) {
    if (ready === server) {
      clients.push(await server.accept());
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
      await client.send('bye\n').catch(() => {});
      await client.close();
      if (line === '.shutdown') running = false;
      continue;
    }
    const u = uniqueChars(line);
    await client.send(`${u.length} unique: ${u}\n`);
  }
}
await Promise.all(clients.map((c) => c.close()));
await server.close();
console.log('server shut down');
