/**
 * The chapter's exercise 3: a client that sends lines to the echo service
 * with netkit sockets and prints each reply.
 *
 *     node dist/examples/line-client.js PORT [line…]
 */
import { socket } from '../src/index.js';

const port = Number(process.argv[2] ?? 23032);
const lines = process.argv.length > 3 ? process.argv.slice(3) : ['hello', 'inetd world', 'bye'];
const c = await socket.connect('127.0.0.1', port);
c.setTimeout(10_000);
for (const line of lines) {
  await c.send(`${line}\n`);
  console.log(await c.receive('*l'));
}
await c.close();
