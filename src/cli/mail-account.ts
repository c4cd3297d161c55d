/**
 * Where a mail command connects and as whom, settled the same way for
 * `netkit mail send` (SMTP) and `netkit mail list`/`read` (POP3): each
 * setting from its option, else the `--config` JSON file, else the
 * environment (`NETKIT_SMTP_…` or `NETKIT_POP3_…`), else the default. The
 * password never comes from an option — only from `NETKIT_…_PASSWORD` or
 * the config file.
 *
 * Without a TLS word anywhere `tls` stays undefined, so the protocol's own
 * default applies (SMTP upgrades when STARTTLS is offered); the default
 * port follows the mode (465/995 for `implicit`).
 *
 * @example
 * ```ts
 * const values: MailAccountFlags = { server: '127.0.0.1:2525', user: 'alice' };
 * const account = await mailAccount(values, process.env, { protocol: 'SMTP', port: 25, implicitPort: 465, tls: 'starttls' });
 * assert.equal(account.server.port, 2525);
 * ```
 */
import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import type { TlsMode } from '../core/tls-mode.js';
import { parseServer } from './address.js';
import { UsageError, parsePort } from './command.js';
import { tlsSettings } from './tls.js';

/** The options a mail command reads for its account (the rest of its options may come along). */
export interface MailAccountFlags {
  server?: string | boolean;
  user?: string | boolean;
  config?: string | boolean;
  tls?: string | boolean;
  ca?: string | boolean;
  insecure?: string | boolean;
}

/** What the `--config` file may hold (other keys are the command's own, e.g. `from`). */
export interface MailConfig {
  server?: string;
  port?: number;
  user?: string;
  password?: string;
  tls?: string;
  [key: string]: unknown;
}

/** Where to connect, in the words `smtp.send` and `pop3.connect` take. */
export interface MailServer {
  host: string;
  port: number;
  /** The TLS mode, or undefined when nothing named one (the protocol's default). */
  tls: TlsMode | undefined;
  tlsOptions: ConnectionOptions | undefined;
}

/** The settled account. */
export interface MailAccount {
  server: MailServer;
  user: string | undefined;
  password: string | undefined;
  /** The whole config file, for the command's own keys. */
  config: MailConfig;
}

/** Reads the `--config` JSON file: an object, or a usage error naming the file. */
export async function loadMailConfig(path: string | undefined): Promise<MailConfig> {
  if (path === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    if (err instanceof SyntaxError) throw new UsageError(`${path}: not JSON (${err.message})`);
    throw err;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${path}: expected a JSON object`);
  return parsed as MailConfig;
}

/** Settles host, port, TLS, user and password; see the module doc. */
export async function mailAccount(
  values: MailAccountFlags,
  env: NodeJS.ProcessEnv,
  defaults: { protocol: 'SMTP' | 'POP3'; port: number; implicitPort: number; tls: TlsMode },
): Promise<MailAccount> {
  const config = await loadMailConfig(typeof values.config === 'string' ? values.config : undefined);
  const name = (key: string) => env[`NETKIT_${defaults.protocol}_${key}`];
  const configured = config.tls ?? name('TLS');
  const settings = await tlsSettings(values, defaults.tls, configured);
  const tls = values.tls === undefined && configured === undefined ? undefined : settings.mode;
  const portText = config.port === undefined ? name('PORT') : String(config.port);
  const portUnlessNamed = parsePort(portText, tls === 'implicit' ? defaults.implicitPort : defaults.port);
  const server = typeof values.server === 'string' ? values.server : (config.server ?? name('SERVER') ?? '127.0.0.1');
  const { host, port } = parseServer(String(server), portUnlessNamed);
  const user = typeof values.user === 'string' ? values.user : (config.user ?? name('USER'));
  const password = name('PASSWORD') ?? config.password;
  return { server: { host, port, tls, tlsOptions: settings.tlsOptions }, user, password, config };
}
