/**
 * The client of the unique-characters server: sends each line of stdin and
 * prints each answer; `.quit` or `.shutdown` ends it.
 *
 *     node dist/examples/unique-client.js PORT [host]
 */
import { createInterface } from 'node:readline';
import { socket } from '../src/index.js';

const port = Number(process.argv[2]);
const host = process.argv[3] ?? '127.0.0.1';
const c = await socket.connect(host, port);
c.setTimeout(10_000);
for await (const line of createInterface({ input: process.stdin })) {
  await c.send(`${line}\n`);
  console.log(await c.receive('*l'));
  if (line === '.quit' || line === '.shutdown') break;
}
await c.close();
