/**
 * `netkit mail list` prints each waiting message's number, size, sender,
 * date and subject (RFC 2047 decoded); `netkit mail read N [--delete]`
 * shows message N parsed (header fields, the text part, its attachments;
 * see `mail-view.ts`), `--raw` prints its bytes as stored, `--save DIR`
 * writes its attachments into DIR, and --delete deletes it. POP3 settings as for
 * `mail send` (see `mail-account.ts`): options, `--config FILE.json`, or
 * `NETKIT_POP3_SERVER`, `NETKIT_POP3_PORT`, `NETKIT_POP3_USER`,
 * `NETKIT_POP3_PASSWORD`, `NETKIT_POP3_TLS`.
 */
import { escapeControls } from '../text.js';
import { connect, listHeaders, type Pop3Session } from '../../protocols/pop3/index.js';
import { mailAccount } from '../mail-account.js';
import { TLS_FLAGS, TLS_HELP } from '../tls.js';
import { UsageError, parseOptions, whenAborted, write, type Command, type Io } from '../command.js';
import { showMessage } from './mail-view.js';

const OPTIONS = {
  server: { type: 'string' },
  user: { type: 'string' },
  ...TLS_FLAGS,
  config: { type: 'string' },
  apop: { type: 'boolean' },
  'allow-plain-auth': { type: 'boolean' },
  delete: { type: 'boolean' },
  raw: { type: 'boolean' },
  save: { type: 'string' },
} as const;

const POP3_HELP = [
  '  --server HOST[:PORT] POP3 server, [::1]:1100 for IPv6 (NETKIT_POP3_SERVER, NETKIT_POP3_PORT; default',
  '                      127.0.0.1, port 110 or 995 with implicit)',
  '  --user NAME         the mailbox user (NETKIT_POP3_USER)',
  TLS_HELP,
  '                      default none (NETKIT_POP3_TLS)',
  '  --apop              log in with APOP instead of USER/PASS',
  '  --allow-plain-auth  allow a password over a connection that is not encrypted',
  '  --config FILE.json  settings as JSON: server, port, user, password, tls',
  'password: NETKIT_POP3_PASSWORD or "password" in the config file',
  'exit: 0 ok, 1 failure (the session is closed at once), 2 bad usage, 130 interrupted',
].join('\n');

async function session(values: Record<string, string | boolean | undefined>, io: Io) {
  const account = await mailAccount(values, io.env, { protocol: 'POP3', port: 110, implicitPort: 995, tls: 'none' });
  const { server, user, password } = account;
  if (!user || password === undefined) throw new UsageError('a user (--user) and NETKIT_POP3_PASSWORD (or the config file) are needed');
  const s = await Promise.race([
    whenAborted(io.signal),
    connect({
      ...server,
      user,
      password,
      signal: io.signal,
      apop: values.apop === true,
      allowPlainAuth: values['allow-plain-auth'] === true,
    }),
  ]);
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
  usage: [
    'usage: netkit mail list --user NAME [options]',
    '  Lists the waiting messages over POP3: number, size, sender, date and subject',
    '  (decoded; control characters from the server are shown escaped).',
    POP3_HELP,
    'example:',
    '  NETKIT_POP3_PASSWORD=secret netkit mail list --server 127.0.0.1:1100 --user alice --tls none --allow-plain-auth',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseOptions(args, OPTIONS);
    return withSession(values, io, async (s) => {
      // Decoded headers are the sender's text: control sequences are shown, never obeyed.
      for (const m of await listHeaders(s, { signal: io.signal }))
        io.stdout.write(`${m.n}\t${m.size}\t${[m.from, m.date, m.subject].map((t) => escapeControls(t)).join('\t')}\n`);
    });
  },
};

export const mailRead: Command = {
  summary: 'show message N over POP3: parsed, --raw bytes, --save DIR attachments (--delete to delete it)',
  usage: [
    'usage: netkit mail read N --user NAME [--raw] [--save DIR] [--delete] [options]',
    '  Shows message N over POP3, parsed: headers, the text part and a list of attachments',
    '  (control characters are shown escaped).',
    '  --raw               print the stored bytes instead (escaped on a terminal, byte-exact when piped)',
    '  --save DIR          write the attachments into DIR (never overwriting a file)',
    '  --delete            delete the message afterwards',
    POP3_HELP,
    'example:',
    '  netkit mail read 1 --save attachments --server [::1]:995 --tls implicit --user alice',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, OPTIONS);
    const n = Number(positionals[0]);
    if (positionals.length !== 1 || !Number.isSafeInteger(n) || n < 1) throw new UsageError('expected one message number');
    return withSession(values, io, async (s) => {
      const raw = await s.retrieve(n, undefined, { signal: io.signal });
      // --raw: on a terminal control characters are shown escaped; piped, the bytes stay exact.
      if (values.raw) await write(io.stdout, io.stdout.isTTY ? escapeControls(raw.toString('utf8'), { newlines: true }) : raw);
      else await showMessage(raw, io.stdout, { saveDir: values.save as string | undefined });
      if (values.delete) await s.delete(n);
    });
  },
};
