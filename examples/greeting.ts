/**
 * The chapter's greeting exchange: two servers, one client. Each server
 * greets whoever connects and answers the client's greeting; the client
 * talks to both in turn and prints the conversation.
 *
 *     node dist/examples/greeting.js
 */
import { socket } from '../src/index.js';
import type { TcpServer } from '../src/socket/index.js';

async function greeter(name: string, server: TcpServer): Promise<void> {
  const client = await server.accept();
  client.setTimeout(5000);
  await client.send(`hello, this is ${name}\n`);
  const greeting = await client.receive('*l');
  await client.send(`${name} heard: ${greeting}\n`);
  await client.close();
  await server.close();
}

const servers = [await socket.bind('127.0.0.1', 0), await socket.bind('127.0.0.1', 0)];
const running = servers.map((s, i) => greeter(`server ${i + 1}`, s));

for (const server of servers) {
  const { port } = server.getSockName();
  const c = await socket.connect('127.0.0.1', port);
  c.setTimeout(5000);
  console.log(`client <- ${await c.receive('*l')}`);
  await c.send(`hello from the client on port ${c.getSockName().port}\n`);
  console.log(`client <- ${await c.receive('*l')}`);
  await c.close();
}
await Promise.all(running);
console.log('both conversations done');
