/**
 * LuaSocket's socket options, validated and applied to Node sockets.
 *
 * Honoured on TCP and Unix stream clients:
 * - `'keepalive'` (boolean) and `'tcp-keepidle'` (ms before the first probe;
 *   Node's `setKeepAlive(enable, initialDelay)`, kernel granularity 1 s);
 * - `'tcp-nodelay'` (boolean, Nagle off);
 * - `'linger'` (`{ on, timeout }`, timeout in ms): emulated in `close()` —
 *   with `on` and timeout 0 the connection is reset (RST); with `on` and a
 *   timeout, `close()` waits up to that long for queued data, then resets.
 *
 * Honoured before `bind`/`listen` (on a master or in `bind` options):
 * - `'reuseaddr'`: Node always sets SO_REUSEADDR on listeners, so `true` is
 *   accepted and `false` is unsupported;
 * - `'ipv6-v6only'` (boolean): an IPv6 listener refuses IPv4-mapped clients.
 *
 * Not available from Node 20 (throw {@link NetError} code `'unsupported'`):
 * `'reuseport'`, `'tcp-keepcnt'`, `'tcp-keepintvl'`, `'send-buffer'`,
 * `'recv-buffer'`, `'dontroute'`, `'tcp-defer-accept'`, `'tcp-fastopen'`,
 * `'tcp-fastopen-connect'`, `'bindtodevice'`, `'error'`. Unknown names throw
 * {@link ArgumentError}.
 *
 * LuaSocket 3.1's own spellings are accepted beside netkit's:
 * `'recv-buffer-size'` and `'send-buffer-size'` (see {@link OPTION_ALIASES}).
 *
 * @example
 * ```ts
 * declare const client: socket.TcpClient;
 * client.setOption('tcp-nodelay', true);
 * assert.equal(client.getOption('tcp-nodelay'), true);
 * assert.throws(() => client.setOption('tcp-keepcnt', 3), { code: 'unsupported' });
 * ```
 */
import type { Socket } from 'node:net';
import { ArgumentError, NetError } from '../core/errors.js';

/** LuaSocket's `linger` value; `timeout` in milliseconds. */
export interface Linger {
  on: boolean;
  timeout: number;
}

/** Options netkit applies. */
export type SupportedOption = 'keepalive' | 'tcp-keepidle' | 'tcp-nodelay' | 'linger' | 'reuseaddr' | 'ipv6-v6only';
/** Options LuaSocket knows that Node 20 cannot set. */
export type UnsupportedOption =
  | 'reuseport'
  | 'tcp-keepcnt'
  | 'tcp-keepintvl'
  | 'send-buffer'
  | 'recv-buffer'
  | 'dontroute'
  | 'tcp-defer-accept'
  | 'tcp-fastopen'
  | 'tcp-fastopen-connect'
  | 'bindtodevice'
  | 'error';
/** LuaSocket 3.1's option names, mapped to netkit's. */
export const OPTION_ALIASES: Readonly<Record<string, string>> = {
  'recv-buffer-size': 'recv-buffer',
  'send-buffer-size': 'send-buffer',
};
/** netkit's name for an option (LuaSocket's spellings mapped). */
export function canonicalOption(name: string): string {
  return typeof name === 'string' && Object.hasOwn(OPTION_ALIASES, name) ? OPTION_ALIASES[name]! : name;
}
export type TcpOptionName = SupportedOption | UnsupportedOption | 'recv-buffer-size' | 'send-buffer-size';
export type OptionValue = boolean | number | Linger;

const unsupported: Record<UnsupportedOption, string> = {
  reuseport: 'Node 20 cannot set SO_REUSEPORT (listen({ reusePort }) arrived in Node 22.12)',
  'tcp-keepcnt': 'Node sets TCP_KEEPCNT itself and offers no way to change it',
  'tcp-keepintvl': 'Node sets TCP_KEEPINTVL itself and offers no way to change it',
  'send-buffer': 'Node offers no SO_SNDBUF for stream sockets (only for UDP)',
  'recv-buffer': 'Node offers no SO_RCVBUF for stream sockets (only for UDP)',
  dontroute: 'Node offers no SO_DONTROUTE',
  'tcp-defer-accept': 'Node offers no TCP_DEFER_ACCEPT',
  'tcp-fastopen': 'Node offers no TCP_FASTOPEN',
  'tcp-fastopen-connect': 'Node offers no TCP_FASTOPEN_CONNECT',
  bindtodevice: 'Node cannot bind a socket to a network device (SO_BINDTODEVICE); bind to the device address instead',
  error: "Node reports a socket's pending error (SO_ERROR) as an 'error' event, which netkit raises from the next call",
};

/** Where an option may be set: a connected socket, a listener, or a master (either, applied later). */
export type OptionScope = 'client' | 'listener' | 'master';

const scopes: Record<SupportedOption, OptionScope[]> = {
  keepalive: ['client'],
  'tcp-keepidle': ['client'],
  'tcp-nodelay': ['client'],
  linger: ['client'],
  reuseaddr: ['listener', 'client'],
  'ipv6-v6only': ['listener'],
};

/** Validates `name`/`value` for `scope`; returns the normalised value. */
export function checkOption(name: string, value: unknown, scope: OptionScope): OptionValue {
  name = canonicalOption(name);
  if (Object.hasOwn(unsupported, name)) throw new NetError('unsupported', `option '${name}' is not supported: ${unsupported[name as UnsupportedOption]}`);
  const allowed = Object.hasOwn(scopes, name) ? scopes[name as SupportedOption] : undefined;
  if (allowed === undefined) throw new ArgumentError(`unknown socket option '${name}'`);
  if (scope !== 'master' && !allowed.includes(scope))
    throw new NetError('unsupported', `option '${name}' cannot be set on a ${scope === 'client' ? 'connected socket' : 'listening socket'}`);
  switch (name as SupportedOption) {
    case 'tcp-keepidle':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ArgumentError(`'${name}' takes milliseconds ≥ 0`);
      return value;
    case 'linger': {
      const l = value as Linger;
      if (typeof l !== 'object' || l === null || typeof l.on !== 'boolean' || typeof l.timeout !== 'number' || !(l.timeout >= 0)) {
        throw new ArgumentError("'linger' takes { on: boolean, timeout: ms ≥ 0 }");
      }
      return { on: l.on, timeout: l.timeout };
    }
    case 'reuseaddr':
      if (typeof value !== 'boolean') throw new ArgumentError(`'${name}' takes a boolean`);
      if (!value) throw new NetError('unsupported', 'Node always sets SO_REUSEADDR on listeners; it cannot be turned off');
      return value;
    default:
      if (typeof value !== 'boolean') throw new ArgumentError(`'${name}' takes a boolean`);
      return value;
  }
}

/** The option values of one socket, applied to its Node socket as they are set. */
export class OptionSet {
  readonly #values = new Map<string, OptionValue>();
  readonly #scope: OptionScope;

  constructor(scope: OptionScope) {
    this.#scope = scope;
  }

  /** Validates and stores; applies to `sock` when given. */
  set(name: string, value: unknown, sock?: Socket): void {
    name = canonicalOption(name);
    const v = checkOption(name, value, this.#scope);
    this.#values.set(name, v);
    if (sock !== undefined) this.#apply(name, sock);
  }

  /** The stored value (the default where netkit knows it), or undefined. */
  get(name: string): OptionValue | undefined {
    name = canonicalOption(name);
    if (Object.hasOwn(unsupported, name)) throw new NetError('unsupported', `option '${name}' is not supported: ${unsupported[name as UnsupportedOption]}`);
    if (!Object.hasOwn(scopes, name)) throw new ArgumentError(`unknown socket option '${name}'`);
    return this.#values.get(name) ?? defaults[name as SupportedOption];
  }

  /** Applies every stored client option to `sock` (after connect/accept). */
  applyAll(sock: Socket): void {
    for (const name of this.#values.keys()) this.#apply(name, sock);
  }

  /** Copies every stored value to another set (master → client). */
  copyTo(other: OptionSet): void {
    for (const [k, v] of this.#values) if (other.#scope === 'master' || scopes[k as SupportedOption].includes(other.#scope)) other.#values.set(k, v);
  }

  #apply(name: string, sock: Socket): void {
    switch (name) {
      case 'tcp-nodelay':
        sock.setNoDelay(this.#values.get(name) as boolean);
        break;
      case 'keepalive':
      case 'tcp-keepidle': {
        const on = (this.#values.get('keepalive') as boolean | undefined) ?? false;
        const idle = (this.#values.get('tcp-keepidle') as number | undefined) ?? 0;
        if (on || name === 'keepalive') sock.setKeepAlive(on, idle);
        break;
      }
      default:
        break; // linger is read by close(); listener options by bind()
    }
  }
}

const defaults: Partial<Record<SupportedOption, OptionValue>> = {
  keepalive: false,
  'tcp-nodelay': false,
  linger: { on: false, timeout: 0 },
  reuseaddr: true,
  'ipv6-v6only': false,
};
