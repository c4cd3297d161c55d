/**
 * The chapter's "send a message to several recipients with a Cc and a blind
 * copy": the Bcc address goes into the envelope only, never into the headers.
 *
 *     node dist/examples/send-mail.js PORT [server]
 */
import { smtp } from '../src/index.js';

const port = Number(process.argv[2] ?? 25);
const server = process.argv[3] ?? '127.0.0.1';
const from = '<fulano@example.test>';
const to = ['<beltrano@example.test>', '<sicrano@example.test>'];
const cc = '<zezinho@example.test>';
const bcc = '<luizinho@example.test>';

const source = smtp.message({
  headers: {
    From: `"Fulano da Silva" ${from}`,
    To: `"Beltrano F. Nunes" ${to[0]}, "Sicrano" ${to[1]}`,
    Cc: `"Zé" ${cc}`,
    Subject: 'My first message',
  },
  body: 'I hope this works. If it does, I can send you another 1000 copies.',
});

const result = await smtp.send({ server, port, tls: 'none', from, rcpt: [...to, cc, bcc], source });
console.log(`accepted: ${result.accepted.join(' ')}`);
for (const r of result.rejected) console.log(`rejected: ${r.rcpt} (${r.reply})`);
console.log(`server: ${result.reply}`);
