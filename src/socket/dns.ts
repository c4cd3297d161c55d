/**
 * Name resolution, LuaSocket's `socket.dns`, on the system resolver
 * (`getaddrinfo`/`getnameinfo`, so /etc/hosts is honoured).
 *
 * Shapes (LuaSocket returns a first answer plus a table; here one object):
 * - `toIp(name)` → `{ address, name, aliases, addresses }`: the first
 *   address, the canonical name (the name given, or what the first address
 *   maps back to), other names found, and every address.
 * - `toHostname(addressOrName)` → the same shape, `name` being the host name.
 * - `getAddrInfo(name)` → `[{ family: 'inet' | 'inet6', addr }]`.
 * - `getNameInfo(address, port?)` → `{ hostname, service }`.
 * - `getHostname()` → this machine's name.
 *
 * Names that cannot be valid host names (empty, over 253 characters, a label
 * over 63, spaces or controls) fail at once without asking any resolver.
 * Failures are NetError code `'host not found'`; every call is bounded by
 * `timeout` (default 5000 ms) → TimeoutError.
 *
 * @example
 * ```ts
 * const { address } = await dns.toIp('localhost');   // '127.0.0.1' or '::1'
 * ```
 */
import { promises as dnsp } from 'node:dns';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { NetError, TimeoutError, toNetError } from '../core/errors.js';

/** Options of every lookup. */
export interface DnsOptions {
  /** @default 5000 */
  timeout?: number;
}

/** What `toIp` and `toHostname` resolve to. */
export interface HostInfo {
  address: string;
  name: string;
  aliases: string[];
  addresses: string[];
}

/** One address of `getAddrInfo`. */
export interface AddrInfo {
  family: 'inet' | 'inet6';
  addr: string;
}

function checkName(name: string): void {
  const ok =
    typeof name === 'string' &&
    name.length > 0 &&
    name.length <= 253 &&
    /^[A-Za-z0-9._-]+$/.test(name) &&
    name.split('.').every((label, i, all) => (label.length > 0 || i === all.length - 1) && label.length <= 63);
  if (!ok) throw new NetError('host not found', `not a valid host name: ${JSON.stringify(name)}`);
}

async function bounded<T>(what: string, work: Promise<T>, opts: DnsOptions): Promise<T> {
  const ms = opts.timeout ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (err) {
    if (err instanceof TimeoutError) throw err;
    const e = toNetError(err, what);
    throw e.code === 'io' ? new NetError('host not found', e.message, { cause: err }) : e;
  } finally {
    clearTimeout(timer);
  }
}

/** Every address of `name` (or the literal itself). */
export async function getAddrInfo(name: string, opts: DnsOptions = {}): Promise<AddrInfo[]> {
  const fam = isIP(name);
  if (fam !== 0) return [{ family: fam === 4 ? 'inet' : 'inet6', addr: name }];
  checkName(name);
  const all = await bounded(`resolve ${name}`, dnsp.lookup(name, { all: true, verbatim: true }), opts);
  return all.map((a) => ({ family: a.family === 6 ? 'inet6' : 'inet', addr: a.address }));
}

/** The host name and service name of an address (and port). */
export async function getNameInfo(address: string, port = 0, opts: DnsOptions = {}): Promise<{ hostname: string; service: string }> {
  if (isIP(address) === 0) throw new NetError('host not found', `not an IP address: ${JSON.stringify(address)}`);
  return bounded(`reverse ${address}`, dnsp.lookupService(address, port), opts);
}

async function describe(first: string, addresses: string[], given: string | undefined, opts: DnsOptions): Promise<HostInfo> {
  const names = new Set<string>();
  for (const a of addresses) {
    try {
      names.add((await getNameInfo(a, 0, opts)).hostname);
    } catch {
      // an address with no name is not an error for the forward lookup
    }
  }
  const name = given ?? [...names][0] ?? first;
  names.delete(name);
  return { address: first, name, aliases: [...names], addresses };
}

/** Resolves `name` to its addresses (LuaSocket's `dns.toip`). */
export async function toIp(name: string, opts: DnsOptions = {}): Promise<HostInfo> {
  const addrs = (await getAddrInfo(name, opts)).map((a) => a.addr);
  if (addrs.length === 0) throw new NetError('host not found', `no address for ${name}`);
  return describe(addrs[0]!, addrs, isIP(name) === 0 ? name : undefined, opts);
}

/** Resolves an address (or a name) to its host name (LuaSocket's `dns.tohostname`). */
export async function toHostname(addressOrName: string, opts: DnsOptions = {}): Promise<HostInfo> {
  const addrs = (await getAddrInfo(addressOrName, opts)).map((a) => a.addr);
  const info = await describe(addrs[0]!, addrs, undefined, opts);
  if (info.name === info.address && isIP(addressOrName) !== 0) throw new NetError('host not found', `no name for ${addressOrName}`);
  return info;
}

/** This machine's host name (LuaSocket's `dns.gethostname`). */
export function getHostname(): string {
  return hostname();
}
