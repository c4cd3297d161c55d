/**
 * `netkit mailbox`: runs the development mail server until interrupted.
 * Users come from `--users FILE.json` (`{ "alice": "secret" }`) or
 * `NETKIT_MAILBOX_USERS` (the same JSON); with neither, one user `dev` whose
 * password is printed at start. The web inbox is served on 127.0.0.1:8025
 * (`--web PORT` for another port, 0 for any free one). `--tls starttls`
 * offers STARTTLS and STLS with `--tls-cert`/`--tls-key`, or with a
 * development certificate generated at start (its fingerprint and PEM are
 * printed, for clients to trust).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { mailbox } from '../../servers/index.js';
import { UsageError, parseOptions, parsePort, untilInterrupted, type Command } from '../command.js';

export const mailboxCommand: Command = {
  servesUntilInterrupted: true,
  summary: 'run a development mail server: SMTP in, POP3 out',
  usage: [
    'usage: netkit mailbox [options]',
    '  A development mail server: SMTP in, POP3 out, until Ctrl-C (exit 0).',
    '  --dir DIR           keep mail in DIR (maildir); --memory keeps it in memory',
    '  --host ADDR         listen address (default 127.0.0.1)',
    '  --smtp-port N       SMTP port (default 2525); --pop3-port N: POP3 port (default 1100)',
    '  --users FILE.json   users and passwords, {"alice": "secret"} (or NETKIT_MAILBOX_USERS);',
    '                      without either, one user "dev" whose password is printed',
    '  --require-auth      refuse mail from clients that did not log in',
    '  --tls MODE          starttls: offer STARTTLS (SMTP) and STLS (POP3); none (default)',
    '  --tls-cert FILE     the certificate (PEM) for --tls starttls, with --tls-key FILE;',
    '                      without them a development certificate is generated and printed',
    '  --plain-auth WHERE  where passwords may be sent in clear (AUTH PLAIN/LOGIN, USER/PASS):',
    '                      loopback (default: from 127.0.0.0/8 and ::1, or after TLS), tls, always',
    '  --web N             the web inbox port (default 8025; 0 lets the system pick)',
    'exit: 0 stopped by Ctrl-C, 1 failure (port in use), 2 bad usage',
    'example:',
    '  netkit mailbox --memory --users users.json',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      dir: { type: 'string' },
      memory: { type: 'boolean' },
      'smtp-port': { type: 'string' },
      'pop3-port': { type: 'string' },
      host: { type: 'string' },
      users: { type: 'string' },
      'require-auth': { type: 'boolean' },
      web: { type: 'string' },
      tls: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'plain-auth': { type: 'string' },
    });
    const tls = await tlsChoice(values);
    const plainAuth = values['plain-auth'] ?? 'loopback';
    if (plainAuth !== 'loopback' && plainAuth !== 'tls' && plainAuth !== 'always') throw new UsageError('--plain-auth takes loopback, tls or always');
    if (positionals.length > 0) throw new UsageError('unexpected arguments');
    let users: Record<string, string> | string;
    if (values.users) users = values.users;
    else if (io.env.NETKIT_MAILBOX_USERS) users = JSON.parse(io.env.NETKIT_MAILBOX_USERS) as Record<string, string>;
    else {
      users = { dev: randomBytes(6).toString('hex') };
      io.stdout.write(`user dev, password ${users.dev}\n`);
    }
    const box = await mailbox({
      host: values.host,
      dir: values.dir,
      store: values.memory ? 'memory' : 'maildir',
      users,
      requireAuth: values['require-auth'] === true,
      smtpPort: parsePort(values['smtp-port'], 2525, '--smtp-port'),
      pop3Port: parsePort(values['pop3-port'], 1100, '--pop3-port'),
      web: { port: parsePort(values.web, 8025, '--web') },
      ...tls,
      plainAuth,
    });
    io.stdout.write(`mailbox: SMTP on ${box.smtp.address}:${box.smtp.port}, POP3 on ${box.pop3.address}:${box.pop3.port}\n`);
    io.stdout.write(`mailbox: web inbox on ${box.web!.url}\n`);
    if (box.tls) {
      io.stdout.write(`mailbox: STARTTLS/STLS offered; certificate SHA-256 ${box.tls.fingerprint}\n`);
      if (box.tls.generated) io.stdout.write(`mailbox: a development certificate generated now; trust this PEM in your client:\n${box.tls.cert}`);
    }
    await untilInterrupted(io);
    await box.close();
    io.stdout.write('mailbox: stopped\n');
    return 0;
  },
};

/** `--tls` and the certificate files as mailbox options. */
async function tlsChoice(values: {
  tls?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
}): Promise<{ tls: 'starttls' | 'none'; tlsOptions?: { cert: Buffer; key: Buffer } }> {
  const mode = values.tls ?? 'none';
  const starttls = mode === 'starttls' || mode === 'explicit' || mode === 'stls';
  if (!starttls && mode !== 'none') throw new UsageError('--tls takes starttls or none (implicit TLS is not served)');
  const cert = values['tls-cert'];
  const key = values['tls-key'];
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  if (cert !== undefined && !starttls) throw new UsageError('--tls-cert needs --tls starttls');
  if (!starttls) return { tls: 'none' };
  return { tls: 'starttls', tlsOptions: cert === undefined ? undefined : { cert: await readFile(cert), key: await readFile(key!) } };
}
