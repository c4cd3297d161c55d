/**
 * Socket addresses in LuaSocket's shape: `{ address, port, family }` with
 * family `'inet'`, `'inet6'` or `'unix'`.
 */
import type { Socket } from 'node:net';

/** One end of a connection. For Unix sockets `address` is the path and `port` 0. */
export interface SockName {
  address: string;
  port: number;
  family: 'inet' | 'inet6' | 'unix';
}

/** Maps Node's family strings (`'IPv4'`, `'IPv6'`, or 4/6 on some versions). */
export function familyOf(family: string | number | undefined): 'inet' | 'inet6' {
  return family === 'IPv6' || family === 6 ? 'inet6' : 'inet';
}

/** The local or remote name of a connected socket. */
export function sockName(sock: Socket, which: 'local' | 'remote', path?: string): SockName {
  if (path !== undefined) return { address: path, port: 0, family: 'unix' };
  const address = which === 'local' ? sock.localAddress : sock.remoteAddress;
  if (address === undefined) return { address: '', port: 0, family: 'unix' }; // closed, or a Unix socket
  const port = (which === 'local' ? sock.localPort : sock.remotePort) ?? 0;
  const family = which === 'local' ? (address.includes(':') ? 'IPv6' : 'IPv4') : sock.remoteFamily;
  return { address, port, family: familyOf(family) };
}
