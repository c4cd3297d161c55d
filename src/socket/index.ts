/**
 * netkit/socket: LuaSocket's socket module — TCP, Unix and TLS stream
 * sockets with sequential `receive`/`send`, masters, `select`, and ltn12
 * sinks and sources over sockets.
 *
 * @example
 * ```ts
 * import { socket } from 'netkit';
 * const c = await socket.connect('127.0.0.1', 8080);
 * await c.send('GET / HTTP/1.0\r\n\r\n');
 * const status = await c.receive('*l');
 * const rest = await c.receive('*a');
 * await c.close();
 * ```
 */
export { connect, connect4, connect6, bind, checkPort, DEFAULT_CONNECT_TIMEOUT, type ConnectOptions, type BindOptions } from './tcp.js';
export { TcpClient, type ClientInit, type InlineReader, type SendOptions, type SocketStats, type StartTlsOptions } from './tcp-client.js';
export { TcpServer, DEFAULT_ACCEPT_QUEUE } from './tcp-server.js';
export { TcpMaster, tcp, tcp4, tcp6 } from './tcp-master.js';
export * as unix from './unix.js';
export { select, type SelectResult } from './select.js';
export { selectHooks, type Selectable, type SelectHooks } from './select-hooks.js';
export { sink, source, type SinkMode, type SourceMode } from './sink-source.js';
export { luaRange } from './send.js';
export { BULK_READ_SIZE, BULK_COPY_BELOW } from './bulk-read.js';
export type { SockName } from './address.js';
export type { Linger, OptionValue, TcpOptionName, SupportedOption, UnsupportedOption } from './options.js';
export { OPTION_ALIASES } from './options.js';
export { _VERSION, LUASOCKET_VERSION } from './version.js';
export type { Pattern, LinePattern, BytesPattern, LineEncoding, LineOptions, ReceiveOptions } from '../core/receive-buffer.js';
export type { TimeoutMode } from '../core/deadline.js';
export {
  udp,
  udp4,
  udp6,
  UdpSocket,
  DATAGRAM_SIZE,
  UDP_OPTION_ALIASES,
  DEFAULT_UDP_QUEUE,
  DEFAULT_UDP_QUEUE_BYTES,
  type Datagram,
  type UdpOptionName,
} from './udp.js';
export * as dns from './dns.js';
export { getTime, sleep } from './time.js';
