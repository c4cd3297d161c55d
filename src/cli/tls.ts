/**
 * One way to trust a certificate, on every command that can speak TLS:
 * `--tls none|implicit|starttls` (aliases `explicit`, `stls`), `--ca FILE`
 * (a PEM file of CA certificates to trust, besides the system's) and
 * `--insecure`/`-k` (no certificate check at all). {@link tlsSettings}
 * turns them into a mode and Node TLS options; {@link TLS_HELP} is the text
 * every command's `--help` shows for them.
 *
 * @example
 * ```ts
 * declare const args: string[];
 * declare function parseOptions<T>(args: string[], spec: T): { values: Record<string, string | boolean | undefined> };   // from ./command.js
 * const { values } = parseOptions(args, { ...TLS_FLAGS, server: { type: 'string' } });
 * const { mode, tlsOptions } = await tlsSettings(values, 'starttls');
 * ```
 */
import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import { ArgumentError } from '../core/errors.js';
import { tlsMode, type TlsMode } from '../core/tls-mode.js';
import { UsageError } from './command.js';

/** The parseArgs entries of the TLS options. */
export const TLS_FLAGS = {
  tls: { type: 'string' },
  ca: { type: 'string' },
  insecure: { type: 'boolean', short: 'k' },
} as const;

/** The `--help` lines for the TLS options. */
export const TLS_HELP = [
  '  --tls MODE          none, implicit (TLS from the first byte) or starttls (upgrade after the',
  '                      greeting; aliases explicit, stls)',
  '  --ca FILE           also trust the CA certificates in FILE (PEM), e.g. for a self-signed server',
  "  -k, --insecure      do not check the server's certificate at all (testing only)",
].join('\n');

/** What {@link tlsSettings} returns. */
export interface TlsSettings {
  mode: TlsMode;
  /** Node TLS options: `ca` from `--ca`, `rejectUnauthorized: false` from `--insecure`; undefined when neither. */
  tlsOptions?: ConnectionOptions;
}

/**
 * The TLS mode (from `--tls`, else `configured` — a config file or the
 * environment —, else `fallback`) and the certificate options.
 */
export async function tlsSettings(
  values: { tls?: string | boolean; ca?: string | boolean; insecure?: string | boolean },
  fallback: TlsMode,
  configured?: unknown,
): Promise<TlsSettings> {
  let mode: TlsMode;
  try {
    mode = tlsMode(values.tls ?? configured, fallback);
  } catch (err) {
    if (err instanceof ArgumentError) throw new UsageError('--tls takes none, implicit or starttls (or explicit, stls)');
    throw err;
  }
  if (values.ca !== undefined && values.insecure) throw new UsageError('--ca and --insecure exclude each other');
  const tlsOptions: ConnectionOptions = {};
  if (typeof values.ca === 'string') tlsOptions.ca = await readFile(values.ca);
  if (values.insecure) tlsOptions.rejectUnauthorized = false;
  return { mode, tlsOptions: Object.keys(tlsOptions).length > 0 ? tlsOptions : undefined };
}
