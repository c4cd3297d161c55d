import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './command.js';
import { type MailAccountFlags, mailAccount } from './mail-account.js';

const SMTP = { protocol: 'SMTP', port: 25, implicitPort: 465, tls: 'starttls' } as const;
const POP3 = { protocol: 'POP3', port: 110, implicitPort: 995, tls: 'none' } as const;

test('mailAccount: option, then config file, then environment, then default', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-account-'));
  const config = join(dir, 'mail.json');
  writeFileSync(config, JSON.stringify({ server: 'mail.example:587', user: 'cfg', password: 'cfg-pw', tls: 'implicit', from: 'a@b' }));
  const portOnly = join(dir, 'port.json');
  writeFileSync(portOnly, JSON.stringify({ port: 2110 }));
  const rows: { name: string; values: MailAccountFlags; env: NodeJS.ProcessEnv; defaults: typeof SMTP | typeof POP3; want: object }[] = [
    { name: 'nothing: defaults, no tls word', values: {}, env: {}, defaults: SMTP, want: { host: '127.0.0.1', port: 25, tls: undefined, user: undefined } },
    { name: 'POP3 defaults', values: {}, env: {}, defaults: POP3, want: { host: '127.0.0.1', port: 110, tls: undefined } },
    { name: 'implicit picks the TLS port', values: { tls: 'implicit' }, env: {}, defaults: POP3, want: { port: 995, tls: 'implicit' } },
    { name: 'an alias word', values: { tls: 'stls' }, env: {}, defaults: POP3, want: { port: 110, tls: 'starttls' } },
    {
      name: 'environment of the protocol only',
      values: {},
      env: { NETKIT_POP3_SERVER: '::1', NETKIT_POP3_PORT: '1100', NETKIT_POP3_USER: 'env', NETKIT_POP3_PASSWORD: 'pw', NETKIT_SMTP_USER: 'other' },
      defaults: POP3,
      want: { host: '::1', port: 1100, user: 'env', password: 'pw' },
    },
    {
      name: 'config file over environment',
      values: { config },
      env: { NETKIT_SMTP_SERVER: 'env.example', NETKIT_SMTP_TLS: 'none', NETKIT_SMTP_USER: 'env' },
      defaults: SMTP,
      want: { host: 'mail.example', port: 587, tls: 'implicit', user: 'cfg', password: 'cfg-pw' },
    },
    {
      name: 'the password variable over the config file',
      values: { config },
      env: { NETKIT_SMTP_PASSWORD: 'env-pw' },
      defaults: SMTP,
      want: { password: 'env-pw' },
    },
    {
      name: 'options over everything',
      values: { config, server: '[::1]:2525', user: 'opt', tls: 'none' },
      env: { NETKIT_SMTP_SERVER: 'env.example' },
      defaults: SMTP,
      want: { host: '::1', port: 2525, tls: 'none', user: 'opt' },
    },
    {
      name: 'a config port is the default port of --server',
      values: { config: portOnly, server: 'h' },
      env: {},
      defaults: POP3,
      want: { host: 'h', port: 2110 },
    },
  ];
  try {
    for (const r of rows) {
      const got = await mailAccount(r.values, r.env, r.defaults);
      const flat: Record<string, unknown> = { ...got.server, user: got.user, password: got.password };
      for (const [k, v] of Object.entries(r.want)) assert.deepEqual(flat[k], v, `${r.name}: ${k}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mailAccount: a bad config file, port or TLS word is a usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nk-account-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const rows: [string, MailAccountFlags, NodeJS.ProcessEnv, RegExp][] = [
    ['not JSON', { config: write('a.json', '{server:') }, {}, /not JSON/],
    ['not an object', { config: write('b.json', '[1]') }, {}, /expected a JSON object/],
    ['bad port', {}, { NETKIT_SMTP_PORT: '99999' }, /port must be a number/],
    ['bad tls word', { tls: 'sometimes' }, {}, /--tls takes none, implicit or starttls/],
  ];
  try {
    for (const [name, values, env, message] of rows)
      await assert.rejects(mailAccount(values, env, SMTP), (err: Error) => err instanceof UsageError && message.test(err.message), name);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
