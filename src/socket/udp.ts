/**
 * UDP, LuaSocket's unconnected and connected datagram sockets.
 *
 * `udp()` (IPv4), `udp6()`: bind with `setSockName(host, port)` ('*' = any
 * interface, port 0 = ephemeral), send with `sendTo(data, host, port)`, or
 * fix the peer with `setPeerName(host, port)` and use `send`/`receive`
 * (`setPeerName('*')` drops the peer again). Datagrams are never merged or
 * split. A socket that receives before it was bound is bound to an
 * ephemeral port on the any-address first.
 *
 * Truncation is reported, not hidden: `receiveFrom(size)` gives the first
 * `size` bytes of a bigger datagram with `truncated: true`; `receive(size)`
 * does the same and sets `lastTruncated`. Default size: 8192 (LuaSocket's).
 *
 * Memory stays bounded under a flood: at most `maxQueue` datagrams (default
 * 1024) and `maxQueueBytes` (default 4 MiB) wait for `receive`; later ones
 * are dropped and counted in `getStats().dropped`.
 *
 * Options: 'broadcast', 'ip-multicast-ttl', 'ip-multicast-loop',
 * 'ip-multicast-if', 'ip-add-membership' and 'ip-drop-membership'
 * (`{ multiaddr, interface? }`), 'ip-ttl', 'recv-buffer', 'send-buffer',
 * and — before the socket is used — 'reuseaddr', 'ipv6-v6only'.
 * 'dontroute' and 'reuseport' have no Node 20 equivalent and throw code
 * 'unsupported'.
 *
 * @example
 * ```ts
 * const a = udp(); await a.setSockName('127.0.0.1', 0);
 * const b = udp(); await b.sendTo('ping', '127.0.0.1', a.getSockName().port);
 * const { data, truncated } = await a.receiveFrom(2);  // 'pi', true
 * ```
 */
import dgram from 'node:dgram';
import { ArgumentError, ClosedError, LimitError, NetError, TimeoutError, toNetError } from '../core/errors.js';
import { waitFor } from '../core/wait.js';
import { bytesOf } from '../core/bytes.js';
import { checkInteger, describe } from '../core/validate.js';
import { checkTimeout } from '../core/deadline.js';
import { selectHooks, type SelectHooks } from './select-hooks.js';
import type { SockName } from './address.js';

/** LuaSocket's default datagram size. */
export const DATAGRAM_SIZE = 8192;
/** Datagrams kept waiting for `receive` by default. */
export const DEFAULT_UDP_QUEUE = 1024;
/** Bytes kept waiting for `receive` by default (4 MiB). */
export const DEFAULT_UDP_QUEUE_BYTES = 4 * 1024 * 1024;

/** A datagram as `receiveFrom` gives it. */
export interface Datagram {
  data: Buffer;
  address: string;
  port: number;
  truncated: boolean;
}

export type UdpOptionName =
  | 'broadcast'
  | 'ip-multicast-ttl'
  | 'ip-multicast-loop'
  | 'ip-multicast-if'
  | 'ip-add-membership'
  | 'ip-drop-membership'
  | 'ip-ttl'
  | 'recv-buffer'
  | 'send-buffer'
  | 'reuseaddr'
  | 'reuseport'
  | 'ipv6-v6only'
  | 'dontroute'
  | 'bindtodevice'
  | keyof typeof UDP_OPTION_ALIASES;

/** LuaSocket 3.1's UDP option names, mapped to netkit's (Node's dgram uses one call for both families). */
export const UDP_OPTION_ALIASES = {
  'recv-buffer-size': 'recv-buffer',
  'send-buffer-size': 'send-buffer',
  'ipv6-unicast-hops': 'ip-ttl',
  'ipv6-multicast-hops': 'ip-multicast-ttl',
  'ipv6-multicast-loop': 'ip-multicast-loop',
  'ipv6-add-membership': 'ip-add-membership',
  'ipv6-drop-membership': 'ip-drop-membership',
} as const;

function canonicalUdpOption(name: string): string {
  return typeof name === 'string' && Object.hasOwn(UDP_OPTION_ALIASES, name) ? UDP_OPTION_ALIASES[name as keyof typeof UDP_OPTION_ALIASES] : name;
}

interface Membership {
  multiaddr: string;
  interface?: string;
}

const CREATE_ONLY = new Set(['reuseaddr', 'ipv6-v6only']);

export class UdpSocket {
  readonly #type: 'udp4' | 'udp6';
  #sock: dgram.Socket | null = null;
  #bound = false;
  #peer: SockName | null = null;
  #queue: Datagram[] = [];
  #queuedBytes = 0;
  #waiters: (() => void)[] = [];
  #watchers = new Set<() => void>();
  #timeout: number | null = null;
  #closed = false;
  #failure: NetError | null = null;
  #options = new Map<string, unknown>();
  #stats = { received: 0, sent: 0, dropped: 0, born: performance.now() };
  #maxQueue = DEFAULT_UDP_QUEUE;
  #maxQueueBytes = DEFAULT_UDP_QUEUE_BYTES;
  /** Most datagrams kept waiting for `receive` (an integer ≥ 1). @default 1024 */
  get maxQueue(): number {
    return this.#maxQueue;
  }
  set maxQueue(n: number) {
    this.#maxQueue = checkInteger('maxQueue', n, { min: 1 });
  }
  /** Most bytes kept waiting for `receive` (an integer ≥ 1). @default 4 MiB */
  get maxQueueBytes(): number {
    return this.#maxQueueBytes;
  }
  set maxQueueBytes(n: number) {
    this.#maxQueueBytes = checkInteger('maxQueueBytes', n, { min: 1 });
  }
  /** Whether the last `receive` cut its datagram short. */
  lastTruncated = false;

  constructor(type: 'udp4' | 'udp6' = 'udp4') {
    this.#type = type;
  }

  #socket(): dgram.Socket {
    if (this.#closed) throw new ClosedError('the UDP socket is closed');
    if (this.#sock) return this.#sock;
    const sock = dgram.createSocket({
      type: this.#type,
      reuseAddr: this.#options.get('reuseaddr') === true,
      ipv6Only: this.#options.get('ipv6-v6only') === true,
    });
    sock.on('message', (msg, rinfo) => this.#onMessage(msg, rinfo));
    sock.on('error', (err) => {
      this.#failure = toNetError(err);
      this.#wake();
    });
    this.#sock = sock;
    return sock;
  }

  #onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.#queue.length >= this.#maxQueue || this.#queuedBytes + msg.length > this.#maxQueueBytes) {
      this.#stats.dropped++;
      return;
    }
    this.#queue.push({ data: msg, address: rinfo.address, port: rinfo.port, truncated: false });
    this.#queuedBytes += msg.length;
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
    for (const w of [...this.#watchers]) w();
  }

  /** Binds to `host:port` ('*' = any interface). */
  async setSockName(host: string, port: number): Promise<void> {
    checkInteger('port', port, { max: 65535 });
    const sock = this.#socket();
    if (this.#bound) throw new ArgumentError('the UDP socket is already bound');
    const address = host === '*' ? undefined : host;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(toNetError(err, `bind ${host}:${port}`));
      sock.once('error', onError);
      sock.bind({ port, address }, () => {
        sock.off('error', onError);
        resolve();
      });
    });
    this.#bound = true;
    this.#applyBoundOptions();
  }

  async #ensureBound(): Promise<void> {
    if (!this.#bound) await this.setSockName('*', 0);
  }

  /** Fixes the peer (connected UDP); `setPeerName('*')` removes it. */
  async setPeerName(host: string, port = 0): Promise<void> {
    checkInteger('port', port, { max: 65535 });
    const sock = this.#socket();
    if (host === '*') {
      if (this.#peer) sock.disconnect();
      this.#peer = null;
      return;
    }
    await this.#ensureBound();
    if (this.#peer) sock.disconnect();
    await new Promise<void>((resolve, reject) => {
      sock.connect(port, host, (err?: Error) => (err ? reject(toNetError(err, `connect ${host}:${port}`)) : resolve()));
    });
    const p = sock.remoteAddress();
    this.#peer = { address: p.address, port: p.port, family: p.family === 'IPv6' ? 'inet6' : 'inet' };
  }

  #checkSize(data: Buffer): void {
    const max = this.#type === 'udp4' ? 65507 : 65527;
    if (data.length > max) throw new LimitError('datagram', max);
  }

  /** Sends one datagram to the peer fixed by `setPeerName`. */
  async send(data: string | Uint8Array): Promise<number> {
    if (!this.#peer) throw new ArgumentError('send needs a peer: use setPeerName or sendTo');
    return this.#send(toBuffer(data));
  }

  /** Sends one datagram to `host:port` (the socket must not have a peer). */
  async sendTo(data: string | Uint8Array, host: string, port: number): Promise<number> {
    checkInteger('port', port, { min: 1, max: 65535 });
    if (this.#peer) throw new ArgumentError('sendTo on a connected UDP socket: use send');
    return this.#send(toBuffer(data), host, port);
  }

  async #send(buf: Buffer, host?: string, port?: number): Promise<number> {
    this.#checkSize(buf);
    const sock = this.#socket();
    await new Promise<void>((resolve, reject) => {
      const done = (err: Error | null) => (err ? reject(toNetError(err, 'send')) : resolve());
      if (host === undefined) sock.send(buf, done);
      else sock.send(buf, port, host, done);
    });
    this.#bound = true;
    this.#stats.sent += buf.length;
    return buf.length;
  }

  /** Receives one datagram's data (at most `size` bytes; see `lastTruncated`). */
  async receive(size = DATAGRAM_SIZE, opts: { signal?: AbortSignal } = {}): Promise<Buffer> {
    const d = await this.receiveFrom(size, opts);
    this.lastTruncated = d.truncated;
    return d.data;
  }

  /** Receives one datagram with its sender; `truncated` when it was bigger than `size`. */
  async receiveFrom(size = DATAGRAM_SIZE, opts: { signal?: AbortSignal } = {}): Promise<Datagram> {
    if (!Number.isInteger(size) || size <= 0) throw new ArgumentError(`size must be a positive integer, got ${String(size)}`);
    this.#socket();
    await this.#ensureBound();
    await this.#waitForDatagram(opts.signal);
    const d = this.#queue.shift()!;
    this.#queuedBytes -= d.data.length;
    this.#stats.received += d.data.length;
    if (d.data.length > size) return { ...d, data: d.data.subarray(0, size), truncated: true };
    return d;
  }

  #waitForDatagram(signal?: AbortSignal): Promise<void> {
    if (this.#queue.length > 0) return Promise.resolve();
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new ClosedError('the UDP socket was closed'));
    return waitFor<void>(
      (done) => {
        const wake = (): void => done(this.#queue.length > 0 ? null : (this.#failure ?? new ClosedError('the UDP socket was closed')));
        this.#waiters.push(wake);
        return () => void (this.#waiters = this.#waiters.filter((w) => w !== wake));
      },
      { timeout: this.#timeout, signal, what: 'receive', onTimeout: () => new TimeoutError(`no datagram in ${this.#timeout} ms`) },
    );
  }

  /** LuaSocket's `dirty`: true when datagrams wait in netkit's queue, so a receive would not wait (LuaSocket's UDP has no queue and always says false). */
  dirty(): boolean {
    return this.#queue.length > 0;
  }

  /** LuaSocket's `gettimeout`: the receive timeout in ms (UDP has one mode), `null` = none. */
  getTimeout(): { block: number | null; total: number | null } {
    return { block: this.#timeout, total: null };
  }

  /** LuaSocket's `getfamily`: `'inet4'` for `udp()`, `'inet6'` for `udp6()`. */
  getFamily(): 'inet4' | 'inet6' {
    return this.#type === 'udp6' ? 'inet6' : 'inet4';
  }

  /** Block timeout for receives (ms), or null to wait forever. */
  setTimeout(ms: number | null): void {
    this.#timeout = checkTimeout(ms);
  }

  getSockName(): SockName {
    const a = this.#socket().address();
    return { address: a.address, port: a.port, family: a.family === 'IPv6' ? 'inet6' : 'inet' };
  }

  getPeerName(): SockName {
    if (!this.#peer) throw new ArgumentError('the UDP socket has no peer');
    return { ...this.#peer };
  }

  /** Bytes received and sent, datagrams dropped by the queue bound, age in ms. */
  getStats(): { received: number; sent: number; dropped: number; age: number } {
    const s = this.#stats;
    return { received: s.received, sent: s.sent, dropped: s.dropped, age: performance.now() - s.born };
  }

  setOption(option: UdpOptionName, value: unknown): void {
    const name = canonicalUdpOption(option);
    if (name === 'dontroute' || name === 'reuseport') throw new NetError('unsupported', `option '${name}' is not available in Node 20's dgram`);
    if (name === 'bindtodevice')
      throw new NetError('unsupported', 'Node cannot bind a socket to a network device (SO_BINDTODEVICE); bind to the device address instead');
    if (CREATE_ONLY.has(name) && typeof value !== 'boolean') throw new ArgumentError(`'${name}' takes a boolean`);
    if (Object.hasOwn(OPTION_CHECKS, name)) OPTION_CHECKS[name]!(name, value);
    if (CREATE_ONLY.has(name)) {
      if (this.#sock) throw new NetError('unsupported', `option '${name}' can only be set before the socket is used`);
      this.#options.set(name, value === true);
      return;
    }
    if (!Object.hasOwn(OPTION_APPLIERS, name)) throw new ArgumentError(`unknown UDP option '${String(name)}'`);
    this.#options.set(name, value);
    if (this.#bound) OPTION_APPLIERS[name]!(this.#socket(), value);
  }

  getOption(option: UdpOptionName): unknown {
    const name = canonicalUdpOption(option);
    if (name === 'recv-buffer' && this.#bound) return this.#socket().getRecvBufferSize();
    if (name === 'send-buffer' && this.#bound) return this.#socket().getSendBufferSize();
    return this.#options.get(name);
  }

  #applyBoundOptions(): void {
    for (const [name, value] of this.#options) OPTION_APPLIERS[name]?.(this.#socket(), value);
  }

  /** Closes the socket; pending receives fail with ClosedError. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const sock = this.#sock;
    this.#wake();
    if (sock) await new Promise<void>((resolve) => sock.close(() => resolve()));
  }

  /** Built once: select() reads the hooks of every socket on every call. */
  #hooks: SelectHooks | undefined;

  get [selectHooks](): SelectHooks {
    return (this.#hooks ??= {
      readable: () => this.#queue.length > 0 || this.#failure !== null || this.#closed,
      writable: () => !this.#closed,
      watchReadable: (cb) => void this.#watchers.add(cb),
      unwatchReadable: (cb) => void this.#watchers.delete(cb),
      watchWritable: () => {},
      unwatchWritable: () => {},
    });
  }
}

const OPTION_APPLIERS: Record<string, ((s: dgram.Socket, v: unknown) => void) | undefined> = {
  broadcast: (s, v) => s.setBroadcast(v === true),
  'ip-multicast-ttl': (s, v) => s.setMulticastTTL(Number(v)),
  'ip-multicast-loop': (s, v) => s.setMulticastLoopback(v === true),
  'ip-multicast-if': (s, v) => s.setMulticastInterface(String(v)),
  'ip-add-membership': (s, v) => s.addMembership((v as Membership).multiaddr, (v as Membership).interface),
  'ip-drop-membership': (s, v) => s.dropMembership((v as Membership).multiaddr, (v as Membership).interface),
  'ip-ttl': (s, v) => s.setTTL(Number(v)),
  'recv-buffer': (s, v) => s.setRecvBufferSize(Number(v)),
  'send-buffer': (s, v) => s.setSendBufferSize(Number(v)),
};

const bool = (name: string, v: unknown): void => {
  if (typeof v !== 'boolean') throw new ArgumentError(`'${name}' takes a boolean, got ${describe(v)}`);
};
const membership = (name: string, v: unknown): void => {
  const m = v as Membership | null;
  if (typeof m !== 'object' || m === null || typeof m.multiaddr !== 'string' || (m.interface !== undefined && typeof m.interface !== 'string')) {
    throw new ArgumentError(`'${name}' takes { multiaddr, interface? }, got ${describe(v)}`);
  }
};
/** Value checks, so a bad value is an ArgumentError before Node sees it. */
const OPTION_CHECKS: Record<string, ((name: string, v: unknown) => void) | undefined> = {
  broadcast: bool,
  'ip-multicast-loop': bool,
  'ip-multicast-ttl': (n, v) => void checkInteger(n, v, { min: 0, max: 255 }),
  'ip-ttl': (n, v) => void checkInteger(n, v, { min: 1, max: 255 }),
  'recv-buffer': (n, v) => void checkInteger(n, v, { min: 1, max: 0x7fffffff }),
  'send-buffer': (n, v) => void checkInteger(n, v, { min: 1, max: 0x7fffffff }),
  'ip-multicast-if': (n, v) => {
    if (typeof v !== 'string') throw new ArgumentError(`'${n}' takes an interface address, got ${describe(v)}`);
  },
  'ip-add-membership': membership,
  'ip-drop-membership': membership,
};

function toBuffer(data: string | Uint8Array): Buffer {
  return bytesOf(data, 'utf8');
}

/** An IPv4 UDP socket (LuaSocket's `socket.udp`). */
export function udp(): UdpSocket {
  return new UdpSocket('udp4');
}
/** Same as {@link udp}. */
export const udp4 = udp;
/** An IPv6 UDP socket. */
export function udp6(): UdpSocket {
  return new UdpSocket('udp6');
}
