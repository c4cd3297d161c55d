/**
 * The demo's tour: each step uses netkit against the demo servers and prints
 * `✓ name: result` or `✗ name: error`. Resolves to true when every step passed.
 */
import { connect, dns } from '../../socket/index.js';
import { parse, absolute } from '../../url/index.js';
import { sink as sinks, transform } from '../../ltn12/index.js';
import { decode, encode } from '../../mime/index.js';
import { message, send } from '../../protocols/smtp/index.js';
import { connect as pop3Connect } from '../../protocols/pop3/index.js';
import { Pool, request } from '../../protocols/http/index.js';

export interface TourPorts {
  webPort: number;
  smtpPort: number;
  pop3Port: number;
  echoPort: number;
  uniquePort: number;
  /** The web inbox's address (`http://127.0.0.1:8025/`). */
  inboxUrl: string;
}

type Step = [name: string, run: () => Promise<string>];

export async function tour(ports: TourPorts, say: (line: string) => void): Promise<boolean> {
  const steps: Step[] = [
    [
      'dns',
      async () => {
        const info = await dns.toIp('localhost');
        return `localhost is ${info.addresses.join(', ')}`;
      },
    ],
    [
      'url',
      async () => {
        const u = parse('http://user@[::1]:8080/docs/index.html;type=a?lang=en#top');
        return `host ${u.host}, port ${u.port}, path ${u.path}; '../api' resolves to ${absolute(u.url!, '../api')}`;
      },
    ],
    [
      'mime',
      async () => {
        const text = 'Ação: "hydraulics" = ok';
        const b64 = transform(text, encode('base64'));
        const qp = transform(text, encode('quoted-printable'));
        const back = [transform(b64, decode('base64')), transform(qp, decode('quoted-printable'))].map(String);
        if (back.some((b) => b !== text)) throw new Error('round trip changed the text');
        return `base64 ${b64} | quoted-printable ${qp} | both decode back`;
      },
    ],
    [
      'http',
      async () => {
        const pool = new Pool();
        try {
          const base = `http://127.0.0.1:${ports.webPort}/`;
          const [sink, chunks] = sinks.table();
          const page = await request({ url: base, pool, sink });
          const body = Buffer.concat(chunks);
          const html = body.toString('utf8');
          if (page.code !== 200) throw new Error(`GET / answered ${page.status}`);
          const assets = [...html.matchAll(/(?:href|src)="([^":]+)"/g)].map((m) => m[1]!);
          const codes = await Promise.all(assets.map(async (a) => `${a} ${(await request({ url: absolute(base, a), pool })).code}`));
          const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '?';
          return `GET / ${page.code} ${page.headers['content-type']} "${title}" (${body.length} bytes); ${codes.join(', ')}; ${pool.hits} reused connection(s)`;
        } finally {
          await pool.close();
        }
      },
    ],
    [
      'smtp + pop3',
      async () => {
        const body = `sent at ${new Date().toISOString()}\n.a line with a leading dot\n`;
        const r = await send({
          server: '127.0.0.1',
          port: ports.smtpPort,
          tls: 'none',
          from: 'tour@example.test',
          rcpt: 'demo@example.test',
          source: message({ headers: { Subject: 'Grüße from the tour' }, body }),
        });
        const s = await pop3Connect({ server: '127.0.0.1', port: ports.pop3Port, user: 'demo', password: 'demo', apop: true });
        const { count } = await s.stat();
        const got = (await s.retrieve(count)).toString('utf8');
        await s.delete(count);
        await s.quit();
        if (!got.endsWith(body.replace(/\n/g, '\r\n'))) throw new Error('the message came back different');
        return `sent to ${r.accepted.join(', ')}, read back byte-exact over POP3 (APOP)`;
      },
    ],
    [
      'web inbox',
      async () => {
        const attachment = Buffer.from('%PDF-1.4\n% a tiny report from the tour\n');
        await send({
          server: '127.0.0.1',
          port: ports.smtpPort,
          tls: 'none',
          from: 'tour@example.test',
          rcpt: 'demo@example.test',
          source: message({
            headers: { From: 'netkit tour <tour@example.test>', To: 'demo@example.test', Subject: 'A report, with an attachment' },
            body: {
              parts: [
                { body: 'The report is attached.\n' },
                {
                  headers: [
                    ['Content-Type', 'application/pdf; name="report.pdf"'],
                    ['Content-Disposition', 'attachment; filename="report.pdf"'],
                  ],
                  body: attachment,
                },
              ],
            },
          }),
        });
        const pool = new Pool();
        try {
          const [snk, chunks] = sinks.table();
          await request({ url: `${ports.inboxUrl}api/messages?q=attachment`, pool, sink: snk });
          const list = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: { subject: string; attachments: number }[] };
          const m = list.messages[0];
          if (m?.attachments !== 1) throw new Error('the message with its attachment is not in the inbox');
          return `"${m.subject}" (1 attachment) is in the inbox: open ${ports.inboxUrl}`;
        } finally {
          await pool.close();
        }
      },
    ],
    [
      'inetd echo',
      async () => {
        const c = await connect('127.0.0.1', ports.echoPort);
        c.setTimeout(5000);
        await c.send('hello through a program per connection\n');
        const line = await c.receive('*l');
        await c.close();
        return `echoed "${line}"`;
      },
    ],
    [
      'select server',
      async () => {
        const talk = async (lines: string[]) => {
          const c = await connect('127.0.0.1', ports.uniquePort);
          c.setTimeout(5000);
          const replies: string[] = [];
          for (const text of lines) {
            await c.send(`${text}\n`);
            replies.push(await c.receive('*l'));
          }
          await c.send('.quit\n');
          await c.close();
          return replies.join(' → ');
        };
        const [a, b] = await Promise.all([talk(['ajx', 'kby', 'lcz']), talk(['hello', 'world'])]);
        return `two clients at once: "${a}" and "${b}"`;
      },
    ],
  ];
  let ok = true;
  for (const [name, run] of steps) {
    try {
      say(`✓ ${name}: ${await run()}`);
    } catch (err) {
      ok = false;
      say(`✗ ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  say(ok ? '\nevery step passed' : '\nsome steps failed');
  return ok;
}
