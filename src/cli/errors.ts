/**
 * Failures in the user's words. `explain(err)` turns what a command threw
 * into one line without Node internals: `cannot resolve nosuch.invalid`,
 * `nothing listens on 127.0.0.1:1`, `no such file: notes.txt`, and for a
 * certificate that is not trusted, the options that help (`--ca FILE`,
 * `--insecure`). Errors it does not recognise keep their first line.
 *
 * @example
 * ```ts
 * explain(Object.assign(new Error('getaddrinfo ENOTFOUND x.invalid'), { code: 'ENOTFOUND', hostname: 'x.invalid' }));
 * // 'cannot resolve x.invalid'
 * ```
 */
import { NetError } from '../core/errors.js';
import { escapeControls } from './text.js';

/** Exit codes of every `netkit` command. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

interface SystemError {
  code?: string;
  syscall?: string;
  hostname?: string;
  address?: string;
  port?: number;
  path?: string;
  message?: string;
  cause?: unknown;
}

/** The innermost error in a `cause` chain that carries a Node system code. */
function systemError(err: unknown): SystemError | undefined {
  let found: SystemError | undefined;
  for (let e = err as SystemError | undefined, depth = 0; e && depth < 8; e = e.cause as SystemError | undefined, depth++) {
    if (typeof e.code === 'string' && /^(E[A-Z_]+|ERR_|CERT_|DEPTH_|SELF_SIGNED|UNABLE_TO|HOSTNAME_)/.test(e.code)) found = e;
  }
  return found;
}

/** True when `err` is a timeout (a {@link NetError} with code 'timeout', as ltn12's pump passes it on). */
export function isTimeout(err: unknown): boolean {
  return err instanceof NetError && err.code === 'timeout';
}

/** True when `err` (or one of its causes) says the peer reset the connection. */
export function isReset(err: unknown): boolean {
  const code = systemError(err)?.code;
  return code === 'ECONNRESET' || code === 'ECONNABORTED' || (err instanceof NetError && err.code === 'reset');
}

const hostPort = (host: string | undefined, port: number | undefined) =>
  host === undefined ? 'the peer' : `${host.includes(':') ? `[${host}]` : host}${port ? `:${port}` : ''}`;

/** A hint for certificate failures: the options that make a certificate trusted. */
export const CERT_HINT = 'trust its CA with --ca FILE, or skip the check with --insecure (-k)';

/** One line, in the user's words, for what went wrong. */
export function explain(err: unknown): string {
  const sys = systemError(err);
  const code = sys?.code ?? '';
  const where = hostPort(sys?.address ?? sys?.hostname, sys?.port);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return `cannot resolve ${sys?.hostname ?? 'the host name'}`;
    case 'ECONNREFUSED':
      return `nothing listens on ${where}`;
    case 'ECONNRESET':
    case 'ECONNABORTED':
      return `${where} reset the connection`;
    case 'EPIPE':
      return `${where} closed the connection`;
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return `${where} is unreachable`;
    case 'EADDRINUSE':
      return `${where} is already in use`;
    case 'EADDRNOTAVAIL':
      return `${where} is not an address of this machine`;
    case 'ENOENT':
      return sys?.path ? `no such file: ${sys.path}` : 'no such file or program';
    case 'EACCES':
    case 'EPERM':
      return sys?.path ? `permission denied: ${sys.path}` : `permission denied${sys?.port !== undefined ? ` for ${where}` : ''}`;
    case 'EISDIR':
      return sys?.path ? `${sys.path} is a folder` : 'a folder where a file was expected';
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO|DEPTH_ZERO|HOSTNAME_MISMATCH|ERR_TLS_CERT/.test(code)) {
    return `the server's certificate is not trusted (${sys?.message ?? code}): ${CERT_HINT}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  // ltn12's pump says which side failed ("source failed: …"): the user needs only what failed.
  let line = message.split('\n')[0]!.replace(/^(?:(?:source|sink|send) failed: )+/, '');
  if (err instanceof NetError && err.code === 'tls' && /certificate|self.signed/i.test(line)) line += `: ${CERT_HINT}`;
  // The library names its option; on the command line it is a flag.
  line = line.replace(/\(allowPlainAuth to override\)/, '(--allow-plain-auth to allow it)').replace(/\ballowPlainAuth\b/g, '--allow-plain-auth');
  if (err instanceof SyntaxError && /JSON/.test(line)) line = `not valid JSON: ${line}`;
  return escapeControls(line);
}
