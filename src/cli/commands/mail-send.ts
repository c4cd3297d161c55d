/**
 * `netkit mail send`: builds a message from options and stdin and sends it.
 *
 * Settings come from, in order: the options; a JSON file (`--config FILE`,
 * data only, never code); the environment (`NETKIT_SMTP_SERVER`,
 * `NETKIT_SMTP_PORT`, `NETKIT_SMTP_USER`, `NETKIT_SMTP_TLS`, `NETKIT_MAIL_FROM`).
 * The password is never an option: it comes from `NETKIT_SMTP_PASSWORD`, the
 * config file, or — when stdin is a terminal — a prompt that does not echo.
 * The body is read from stdin (after the prompt), or from `--body-file`.
 */
import { escapeControls } from '../text.js';
import { readFile } from 'node:fs/promises';
import { attachment, message, send, type Part } from '../../protocols/smtp/index.js';
import { UsageError, abortable, parseOptions, readAll, whenAborted, type Command, type Io } from '../command.js';
import { promptSecret } from '../prompt.js';
import { mailAccount } from '../mail-account.js';
import { TLS_FLAGS, TLS_HELP } from '../tls.js';

/** The body: `--body-file`, or all of stdin; Ctrl-C while it is being typed sends nothing. */
async function readBody(io: Io, file: string | undefined): Promise<Buffer> {
  if (file !== undefined) return readFile(file);
  return readAll(io.stdin, io.signal);
}

export const mailSend: Command = {
  summary: 'send a message over SMTP (body from stdin)',
  usage: [
    'usage: netkit mail send --from ADDR --to ADDR [options] < body.txt',
    '  Builds a message (body from standard input or --body-file) and sends it over SMTP;',
    '  prints "accepted ADDR" or "rejected ADDR: reply" per recipient.',
    '  --from ADDR         sender (also NETKIT_MAIL_FROM, "from" in the config)',
    '  --to ADDR           recipient (repeatable); --cc ADDR, --bcc ADDR likewise',
    '  --subject TEXT      the Subject (non-ASCII is encoded); none without it',
    '  --attach FILE       attach FILE (repeatable)',
    '  --body-file FILE    read the body from FILE instead of standard input',
    '  --server HOST[:PORT] SMTP server, [::1]:2525 for IPv6 (NETKIT_SMTP_SERVER,',
    '                      NETKIT_SMTP_PORT; default 127.0.0.1, port 25 or 465 with implicit)',
    '  --user NAME         log in as NAME (NETKIT_SMTP_USER)',
    TLS_HELP,
    '                      default: STARTTLS when the server offers it (NETKIT_SMTP_TLS)',
    '  --allow-plain-auth  allow logging in over a connection that is not encrypted',
    '  --config FILE.json  settings as JSON: server, port, user, password, tls, from',
    'password: NETKIT_SMTP_PASSWORD, "password" in the config file, or a prompt (no echo)',
    '  on a terminal; never on the command line',
    'exit: 0 all accepted, 1 failure or a recipient rejected, 2 bad usage, 130 interrupted',
    '  (an interrupted send sends nothing)',
    'example:',
    '  echo "see you at 5" | netkit mail send --server [::1]:2525 --from me@x.test --to you@x.test --subject Hi',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseOptions(args, {
      from: { type: 'string' },
      to: { type: 'string', multiple: true },
      cc: { type: 'string', multiple: true },
      bcc: { type: 'string', multiple: true },
      subject: { type: 'string' },
      attach: { type: 'string', multiple: true },
      server: { type: 'string' },
      user: { type: 'string' },
      ...TLS_FLAGS,
      config: { type: 'string' },
      'body-file': { type: 'string' },
      'allow-plain-auth': { type: 'boolean' },
    });
    const account = await mailAccount(values, io.env, { protocol: 'SMTP', port: 25, implicitPort: 465, tls: 'starttls' });
    const { server, user } = account;
    let password = account.password;
    const configFrom = account.config.from;
    const from = values.from ?? (typeof configFrom === 'string' ? configFrom : undefined) ?? io.env.NETKIT_MAIL_FROM;
    const to = values.to ?? [];
    if (!from || to.length === 0) throw new UsageError('--from and at least one --to are needed');
    if (user !== undefined && password === undefined) {
      if (!io.stdin.isTTY) throw new UsageError('set NETKIT_SMTP_PASSWORD (or "password" in the config file) for --user');
      password = await promptSecret(io.stdin, io.stderr, `Password for ${user}: `);
    }
    const headers: [string, string][] = [
      ['From', from],
      ['To', to.join(', ')],
    ];
    if (values.cc?.length) headers.push(['Cc', values.cc.join(', ')]);
    if (values.subject !== undefined) headers.push(['Subject', values.subject]); // no --subject, no Subject header
    const text = await readBody(io, values['body-file']);
    const body: Part['body'] = values.attach?.length
      ? { parts: [{ body: text.toString('utf8') }, ...values.attach.map((f) => attachment(f))] }
      : text.toString('utf8');
    // An interrupt aborts the send (signal): before the message's end the final dot is never
    // sent and the connection is dropped, so the server discards the partial message.
    const result = await Promise.race([
      whenAborted(io.signal),
      send({
        ...server,
        user,
        password,
        from,
        allowPlainAuth: values['allow-plain-auth'] === true,
        signal: io.signal,
        rcpt: [...to, ...(values.cc ?? []), ...(values.bcc ?? [])],
        source: abortable(message({ headers, body }), io.signal),
      }),
    ]);
    for (const a of result.accepted) io.stdout.write(`accepted ${a}\n`);
    for (const r of result.rejected) io.stdout.write(`rejected ${r.rcpt}: ${escapeControls(r.reply)}\n`);
    return result.rejected.length === 0 ? 0 : 1;
  },
};
