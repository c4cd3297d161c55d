/**
 * `netkit mail list` prints each waiting message's number, size, sender,
 * date and subject (RFC 2047 decoded); `netkit mail read N [--delete]`
 * shows message N parsed (header fields, the text part, its attachments;
 * see `mail-view.ts`), `--raw` prints its bytes as stored, `--save DIR`
 * writes its attachments into DIR, and --delete deletes it. POP3 settings as for
 * `mail send`: options, `--config FILE.json`, or `NETKIT_POP3_SERVER`,
 * `NETKIT_POP3_USER`, `NETKIT_POP3_PASSWORD`, `NETKIT_POP3_TLS`.
 */
import { readFile } from 'node:fs/promises';
import { connect, listHeaders, type Pop3Options } from '../../protocols/pop3/index.js';
import { UsageError, parseOptions, parsePort, write, type Command, type Io } from '../command.js';
import { showMessage } from './mail-view.js';

const OPTIONS = {
  server: { type: 'string' }, user: { type: 'string' }, tls: { type: 'string' }, config: { type: 'string' },
  apop: { type: 'boolean' }, 'allow-plain-auth': { type: 'boolean' }, delete: { type: 'boolean' },
  raw: { type: 'boolean' }, save: { type: 'string' },
} as const;

async function session(values: Record<string, string | boolean | undefined>, io: Io) {
  const cfg = values.config ? (JSON.parse(await readFile(String(values.config), 'utf8')) as Record<string, unknown>) : {};
  const env = io.env;
  const [host, portText] = String(values.server ?? cfg.server ?? env.NETKIT_POP3_SERVER ?? '127.0.0.1').split(/:(?=\d+$)/);
  const tls = (values.tls ?? cfg.tls ?? env.NETKIT_POP3_TLS) as Pop3Options['tls'];
  if (tls !== undefined && !['implicit', 'stls', 'none'].includes(tls)) throw new UsageError('--tls takes implicit, stls or none');
  const user = (values.user ?? cfg.user ?? env.NETKIT_POP3_USER) as string | undefined;
  const password = (env.NETKIT_POP3_PASSWORD ?? cfg.password) as string | undefined;
  if (!user || password === undefined) throw new UsageError('a user (--user) and NETKIT_POP3_PASSWORD (or the config file) are needed');
  return connect({
    server: host!, port: parsePort(portText, tls === 'implicit' ? 995 : 110), tls, user, password,
    apop: values.apop === true, allowPlainAuth: values['allow-plain-auth'] === true,
  });
}

export const mailList: Command = {
  summary: 'list waiting messages over POP3',
  usage: 'usage: netkit mail list [--server HOST[:PORT]] [--user NAME] [--tls implicit|stls|none] [--apop] [--config FILE.json] [--allow-plain-auth]',
  async run(args, io) {
    const { values } = parseOptions(args, OPTIONS);
    const s = await session(values, io);
    for (const m of await listHeaders(s)) io.stdout.write(`${m.n}\t${m.size}\t${m.from}\t${m.date}\t${m.subject}\n`);
    await s.quit();
    return 0;
  },
};

export const mailRead: Command = {
  summary: 'show message N over POP3: parsed, --raw bytes, --save DIR attachments (--delete to delete it)',
  usage: 'usage: netkit mail read N [--raw] [--save DIR] [--delete] [same options as mail list]',
  async run(args, io) {
    const { values, positionals } = parseOptions(args, OPTIONS);
    const n = Number(positionals[0]);
    if (positionals.length !== 1 || !Number.isSafeInteger(n) || n < 1) throw new UsageError('expected one message number');
    const s = await session(values, io);
    const raw = await s.retrieve(n);
    if (values.raw) await write(io.stdout, raw);
    else await showMessage(raw, io.stdout, { saveDir: values.save });
    if (values.delete) await s.delete(n);
    await s.quit();
    return 0;
  },
};
