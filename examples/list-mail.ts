/**
 * The chapter's "list waiting messages' headers", and its exercise: print
 * the bodies of the messages of at most 4096 bytes.
 *
 *     NETKIT_POP3_PASSWORD=… node dist/examples/list-mail.js PORT USER [server]
 */
import { pop3, mime } from '../src/index.js';

const port = Number(process.argv[2] ?? 110);
const user = process.argv[3] ?? 'alice';
const server = process.argv[4] ?? '127.0.0.1';
const password = process.env.NETKIT_POP3_PASSWORD ?? '';

const session = await pop3.connect({ server, port, user, password, tls: 'none', allowPlainAuth: true });
for (const m of await pop3.listHeaders(session)) {
  console.log(`#${m.n} (${m.size} bytes) from ${m.from} on ${m.date}: ${m.subject}`);
}
for (const { n, size } of await session.list()) {
  if (size > 4096) continue;
  const raw = await session.retrieve(n);
  const head = mime.parseHeaders(raw);
  console.log(`--- body of #${n} ---\n${raw.subarray(head.bytes).toString('utf8').trimEnd()}`);
}
await session.quit();
