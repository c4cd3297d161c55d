/**
 * Dovecot as a POP3 (and IMAP) peer on loopback: plain, STLS/STARTTLS and
 * implicit TLS listeners on free ports, two users with Maildirs:
 *
 * - `alice` / `secret`: two messages; the first has a body line that
 *   starts with a dot, which the server must send dot-stuffed.
 * - `bob` / `secret`: an empty mailbox.
 *
 * Passwords are stored `{PLAIN}` so APOP and CRAM-MD5 work. Dovecot will
 * not run its login processes as root nor deliver mail as uid 0, so under
 * root the recipe uses the package's own `dovenull`/`dovecot` accounts and
 * gives the Maildirs to `nobody`; as any other user everything runs as that
 * user.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePortOn, launch, peerDir, started, stopAll } from './daemon.js';

export const DOVECOT = '/usr/sbin/dovecot';
/** The uid/gid that owns the mailboxes when the tests run as root. */
const NOBODY = 65534;

export interface Dovecot {
  dir: string;
  pop3: number;
  pop3s: number;
  imap: number;
  imaps: number;
  /** The self-signed certificate (PEM) of the TLS listeners. */
  cert: string;
  stop(): Promise<void>;
}

const crlf = (lines: string[]) => lines.map((l) => `${l}\r\n`).join('');

/** The messages in alice's mailbox, as stored. */
export const ALICE_MESSAGES = [
  crlf(['From: a@example.test', 'To: alice@example.test', 'Subject: one', 'Message-ID: <1@example.test>', '', 'first body', '.leading dot line']),
  crlf(['From: b@example.test', 'To: alice@example.test', 'Subject: two', 'Message-ID: <2@example.test>', '', 'second body']),
];

function accounts(): { internal: string; group: string; login: string; uid: number; gid: number } {
  if (process.getuid?.() === 0) return { internal: 'dovecot', group: 'dovecot', login: 'dovenull', uid: NOBODY, gid: NOBODY };
  const me = userInfo();
  const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  return { internal: me.username, group, login: me.username, uid: me.uid, gid: me.gid };
}

function listener(service: string, names: [string, string], ports: [number, number]): string[] {
  return [
    `service ${service}-login {`,
    '  chroot =',
    `  inet_listener ${names[0]} {`,
    `    port = ${ports[0]}`,
    '  }',
    `  inet_listener ${names[1]} {`,
    `    port = ${ports[1]}`,
    '    ssl = yes',
    '  }',
    '}',
  ];
}

/** Starts Dovecot on four free ports; stop it with `stop()`. */
export async function startDovecot(): Promise<Dovecot> {
  const { dir, cert, certFile, keyFile } = peerDir('dovecot');
  chmodSync(dir, 0o755);
  const who = accounts();
  const home = join(dir, 'home');
  for (const sub of ['run', 'state']) mkdirSync(join(dir, sub), { recursive: true });
  for (const user of ['alice', 'bob']) {
    for (const box of ['new', 'cur', 'tmp']) mkdirSync(join(home, user, 'Maildir', box), { recursive: true });
  }
  ALICE_MESSAGES.forEach((m, i) => writeFileSync(join(home, 'alice', 'Maildir', 'new', `100000000${i + 1}.M${i + 1}P${i + 1}.netkit`), m));
  if (process.getuid?.() === 0) {
    const own = (p: string) => chownSync(p, who.uid, who.gid);
    own(home);
    for (const user of ['alice', 'bob']) {
      own(join(home, user));
      own(join(home, user, 'Maildir'));
      for (const box of ['new', 'cur', 'tmp']) own(join(home, user, 'Maildir', box));
    }
    ALICE_MESSAGES.forEach((_, i) => own(join(home, 'alice', 'Maildir', 'new', `100000000${i + 1}.M${i + 1}P${i + 1}.netkit`)));
  }
  writeFileSync(join(dir, 'users'), 'alice:{PLAIN}secret::::::\nbob:{PLAIN}secret::::::\n');
  const [pop3, pop3s, imap, imaps] = [await freePortOn(), await freePortOn(), await freePortOn(), await freePortOn()];
  const conf = [
    'protocols = pop3 imap',
    'listen = 127.0.0.1, ::1',
    `base_dir = ${join(dir, 'run')}`,
    `state_dir = ${join(dir, 'state')}`,
    `log_path = ${join(dir, 'dovecot.log')}`,
    `info_log_path = ${join(dir, 'dovecot.log')}`,
    `default_internal_user = ${who.internal}`,
    `default_internal_group = ${who.group}`,
    `default_login_user = ${who.login}`,
    'first_valid_uid = 0',
    'ssl = yes',
    `ssl_cert = <${certFile}`,
    `ssl_key = <${keyFile}`,
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login cram-md5 apop',
    'mail_location = maildir:~/Maildir',
    'pop3_uidl_format = %08Xu%08Xv',
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${join(dir, 'users')}`,
    '}',
    'userdb {',
    '  driver = static',
    `  args = uid=${who.uid} gid=${who.gid} home=${home}/%u`,
    '}',
    ...listener('pop3', ['pop3', 'pop3s'], [pop3, pop3s]),
    ...listener('imap', ['imap', 'imaps'], [imap, imaps]),
    'service anvil {',
    '  chroot =',
    '}',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'dovecot.conf'), conf);
  // -F: stay in the foreground, so the PID we hold is dovecot's master.
  const daemon = launch(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], join(dir, 'stdout.log'));
  await started([daemon], dir, [
    ['127.0.0.1', pop3],
    ['127.0.0.1', pop3s],
    ['127.0.0.1', imap],
  ]);
  return { dir, pop3, pop3s, imap, imaps, cert, stop: () => stopAll([daemon], dir) };
}
