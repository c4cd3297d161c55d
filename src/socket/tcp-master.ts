/**
 * LuaSocket's master objects: `socket.tcp()` (any family), `tcp4()`, `tcp6()`.
 * A master collects settings, then turns into a client with `connect` or a
 * server with `bind` + `listen` — each returns the new object, since a
 * TypeScript object cannot change its class.
 *
 * @example
 * ```ts
 * const m = socket.tcp6();
 * m.setOption('ipv6-v6only', true);
 * await m.bind('::1', 0);
 * const server = await m.listen(64);
 * ```
 */
import { ArgumentError, NetError } from '../core/errors.js';
import { Timeouts, type TimeoutMode } from '../core/deadline.js';
import { OptionSet, type OptionValue, type TcpOptionName } from './options.js';
import { bind as bindServer, checkPort, connect as connectClient, type ConnectOptions } from './tcp.js';
import type { TcpClient } from './tcp-client.js';
import type { TcpServer } from './tcp-server.js';

export class TcpMaster {
  readonly #family: 4 | 6 | undefined;
  readonly #options = new OptionSet('master');
  readonly #timeouts = new Timeouts();
  #local: { host: string; port: number } | null = null;
  #used = false;

  constructor(family?: 4 | 6) {
    this.#family = family;
  }

  /** Address family: 4, 6, or undefined for "either". */
  get family(): 4 | 6 | undefined {
    return this.#family;
  }

  /**
   * Records the local address: used by `listen`, or bound before `connect`.
   * `'*'` = every interface of the master's family.
   */
  async bind(host: string, port: number): Promise<void> {
    checkPort(port);
    if (typeof host !== 'string' || host === '') throw new ArgumentError('bind needs a host');
    this.#local = { host, port };
  }

  /** Starts listening on the bound address; the master is spent. */
  async listen(backlog = 32): Promise<TcpServer> {
    if (this.#local === null) throw new ArgumentError('listen before bind: call bind(host, port) first');
    this.#spend();
    const v6only = this.#options.get('ipv6-v6only') as boolean;
    const server = await bindServer(this.#local.host, this.#local.port, { backlog, family: this.#family, ipv6Only: v6only });
    server.setTimeout(this.#timeouts.block, 'b');
    server.setTimeout(this.#timeouts.total, 't');
    return server;
  }

  /** Connects (from the bound address, if any); the master is spent. */
  async connect(host: string, port: number, opts: ConnectOptions = {}): Promise<TcpClient> {
    this.#spend();
    const local = this.#local;
    const timeout =
      opts.timeout !== undefined
        ? opts.timeout
        : this.#timeouts.unlimited
          ? undefined
          : Math.min(this.#timeouts.block ?? Infinity, this.#timeouts.total ?? Infinity);
    const client = await connectClient(host, port, {
      family: this.#family,
      ...(local && { localAddress: local.host === '*' ? undefined : local.host, localPort: local.port || undefined }),
      ...opts,
      timeout,
    });
    client.adoptOptions(this.#options);
    client.setTimeout(this.#timeouts.block, 'b');
    client.setTimeout(this.#timeouts.total, 't');
    return client;
  }

  /** LuaSocket's `getfamily`: `'inet6'` for `tcp6()`, else `'inet4'` (as LuaSocket says for `tcp()` too). */
  getFamily(): 'inet4' | 'inet6' {
    return this.#family === 6 ? 'inet6' : 'inet4';
  }

  /** LuaSocket's `gettimeout`: the timeouts the client or server will carry, ms, `null` = none. */
  getTimeout(): { block: number | null; total: number | null } {
    return { block: this.#timeouts.block, total: this.#timeouts.total };
  }

  /** Sets an option now; it is applied to the client or server created later. */
  setOption(name: TcpOptionName, value: OptionValue): void {
    this.#options.set(name, value);
  }

  getOption(name: TcpOptionName): OptionValue | undefined {
    return this.#options.get(name);
  }

  /** The timeout the client or server will carry (and that bounds `connect`). */
  setTimeout(ms: number | null, mode: TimeoutMode = 'b'): void {
    this.#timeouts.set(ms, mode);
  }

  /** Forgets the master (nothing is open until connect/listen). */
  close(): void {
    this.#used = true;
  }

  #spend(): void {
    if (this.#used) throw new NetError('closed', 'this master was already used or closed');
    this.#used = true;
  }
}

/** A master of either family (chosen by the address given to bind/connect). */
export function tcp(): TcpMaster {
  return new TcpMaster();
}
/** An IPv4 master. */
export function tcp4(): TcpMaster {
  return new TcpMaster(4);
}
/** An IPv6 master. */
export function tcp6(): TcpMaster {
  return new TcpMaster(6);
}
