/**
 * The download schemes `netkit get` knows, as a table from URL scheme to a
 * loader of its getter. Adding a protocol is one line here: a getter takes
 * a {@link GetRequest} and streams the body into the sink that
 * `req.open()` gives once the transfer is known to succeed.
 *
 * @example
 * ```ts
 * declare const sink: ltn12.Sink;
 * const getter = await schemes.http!();
 * await getter({ url: 'http://127.0.0.1:8080/', headers: [], headOnly: false, tls: { mode: 'none' }, open: () => sink });
 * ```
 */
import type { Sink } from '../../ltn12/index.js';
import type { TlsSettings } from '../tls.js';

export interface GetRequest {
  url: string;
  /** Method for protocols that have one (`-X`). */
  method?: string;
  /** Extra header fields (`-H`). */
  headers: [string, string][];
  /** Data to send (`-d`): for HTTP, a form POST; `-d @FILE` gives the file's bytes as they are. */
  data?: string | Uint8Array;
  proxy?: string;
  /** Only the response head (`-I`). */
  headOnly: boolean;
  /** `--tls`, `--ca`, `--insecure` (the mode matters for FTP: starttls is explicit FTPS). */
  tls: TlsSettings;
  /** FTP active mode (`--active`). */
  active?: boolean;
  timeout?: number;
  signal?: AbortSignal;
  /** The command's environment (for credentials such as `NETKIT_FTP_PASSWORD`). */
  env?: Record<string, string | undefined>;
  /** Where the body goes; called once, when a body that counts as success is about to arrive. */
  open(info: { total?: number }): Sink;
}

export interface GetResult {
  /** False when the server answered with a failure (HTTP ≥ 400): nothing was written. */
  ok: boolean;
  /** A one-line summary of the answer (`HTTP/1.1 404 Not Found`). */
  status: string;
  /** The response head as text, for `-I` (peer text: the command escapes it before printing). */
  head: string;
  /** Text to print instead of a body (an FTP directory listing), already escaped. */
  listing?: string;
}

export type Getter = (req: GetRequest) => Promise<GetResult>;

export const schemes: Record<string, () => Promise<Getter>> = {
  http: async () => (await import('./http.js')).httpGet,
  https: async () => (await import('./http.js')).httpGet,
  ftp: async () => (await import('./ftp.js')).ftpGet,
  ftps: async () => (await import('./ftp.js')).ftpGet,
};
