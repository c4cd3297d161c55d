/**
 * `netkit mail list` prints each waiting message's number, size, sender,
 * date and subject (RFC 2047 decoded); `netkit mail read N [--delete]`
 * prints message N and, with --delete, deletes it. POP3 settings as for
 * `mail send`: options, `--config FILE.json`, or `NETKIT_POP3_SERVER`,
 * `NETKIT_POP3_USER`, `NETKIT_POP3_PASSWORD`, `NETKIT_POP3_TLS`.
 */
import { readFile } from 'node:fs/promises';
import { connect, listHeaders, type Pop3Options, type Pop3Session } from '../../protocols/pop3/index.js';
import { parseServer } from '../address.js';
import { UsageError, parseOptions, parsePort, whenAborted, write, type Command, type Io } from '../command.js';

const OPTIONS = {
  server: { type: 'string' }, user: { type: 'string' }, tls: { type: 'string' }, config: { type: 'string' },
  apop: { type: 'boolean' }, 'allow-plain-auth': { type: 'boolean' }, delete: { type: 'boolean' },
} as const;

async function session(values: Record<string, string | boolean | undefined>, io: Io) {
  const cfg = values.config ? (JSON.parse(await readFile(String(values.config), 'utf8')) as Record<string, unknown>) : {};
  const env = io.env;
  const tls = (values.tls ?? cfg.tls ?? env.NETKIT_POP3_TLS) as Pop3Options['tls'];
  if (tls !== undefined && !['implicit', 'stls', 'none'].includes(tls)) throw new UsageError('--tls takes implicit, stls or none');
  const portFallback = cfg.port === undefined ? (tls === 'implicit' ? 995 : 110) : parsePort(String(cfg.port), 110);
  const { host, port } = parseServer(String(values.server ?? cfg.server ?? env.NETKIT_POP3_SERVER ?? '127.0.0.1'), portFallback);
  const user = (values.user ?? cfg.user ?? env.NETKIT_POP3_USER) as string | undefined;
  const password = (env.NETKIT_POP3_PASSWORD ?? cfg.password) as string | undefined;
  if (!user || password === undefined) throw new UsageError('a user (--user) and NETKIT_POP3_PASSWORD (or the config file) are needed');
  const s = await Promise.race([whenAborted(io.signal), connect({
    server: host, port, tls, user, password,
    apop: values.apop === true, allowPlainAuth: values['allow-plain-auth'] === true,
  })]);
  return s;
}

/**
 * Runs `work` on a logged-in session and says QUIT; on any failure (an
 * `-ERR`, a timeout, Ctrl-C) the connection is closed at once, so the
 * command never waits for the server to drop it.
 */
async function withSession(values: Record<string, string | boolean | undefined>, io: Io, work: (s: Pop3Session) => Promise<void>): Promise<number> {
  const s = await session(values, io);
  const drop = () => void s.conn.close().catch(() => {});
  io.signal?.addEventListener('abort', drop, { once: true });
  try {
    await work(s);
    await s.quit();
    return 0;
  } catch (err) {
    await s.conn.close().catch(() => {});
    throw err;
  } finally {
    io.signal?.removeEventListener('abort', drop);
  }
}

export const mailList: Command = {
  summary: 'list waiting messages over POP3',
  usage: 'usage: netkit mail list [--server HOST[:PORT]] [--user NAME] [--tls implicit|stls|none] [--apop] [--config FILE.json] [--allow-plain-auth]',
  async run(args, io) {
    const { values } = parseOptions(args, OPTIONS);
    return withSession(values, io, async (s) => {
      for (const m of await listHeaders(s)) io.stdout.write(`${m.n}\t${m.size}\t${m.from}\t${m.date}\t${m.subject}\n`);
    });
  },
};

export const mailRead: Command = {
  summary: 'print message N over POP3 (--delete to delete it)',
  usage: 'usage: netkit mail read N [--delete] [same options as mail list]',
  async run(args, io) {
    const { values, positionals } = parseOptions(args, OPTIONS);
    const n = Number(positionals[0]);
    if (positionals.length !== 1 || !Number.isSafeInteger(n) || n < 1) throw new UsageError('expected one message number');
    return withSession(values, io, async (s) => {
      await write(io.stdout, await s.retrieve(n));
      if (values.delete) await s.delete(n);
    });
  },
};
