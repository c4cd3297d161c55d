/**
 * netkit/ftp: LuaSocket-style FTP client with FTPS — `get`, `put`,
 * `command`, `list`, `download` for one-call use, and `connect` for a
 * session with several transfers on one control connection.
 *
 * Passive by default (EPSV, then PASV with the announced address ignored),
 * active on request (EPRT, then PORT); TYPE I by default, TYPE A on request;
 * anonymous login by default; `tls: 'explicit'` (AUTH TLS) or `'implicit'`
 * with data protection and TLS session reuse; IPv6.
 *
 * @example
 * ```ts
 * import { ftp } from 'netkit';
 * const data = await ftp.get('ftp://127.0.0.1:2121/pub/file.bin');
 * await ftp.put('ftp://user:pass@127.0.0.1:2121/copy.bin', data);
 * const s = await ftp.connect({ host: '127.0.0.1', port: 2121, user: 'user', password: 'pass' });
 * console.log(await s.list());
 * await s.quit();
 * ```
 */
export { get, put, command, list, download, type DownloadOptions, type FtpCommand } from './api.js';
export { connect, FtpSession, MAX_LISTING_BYTES, type SessionTransferOptions, type StepOptions } from './session.js';
export { normalize, MAX_GET_BYTES, type FtpRequest, type ConnectOptions, type TransferType, type Create } from './request.js';
export { parseMlsd, parseList, parseMlsdLine, parseListLine, parseTimeVal, isSafeName, type Entry } from './listing.js';
export { parsePasv, parseEpsv, formatPort, formatEprt } from './address.js';
export { fromNetAscii, toNetAscii } from './ascii.js';
export type { Transfer, TransferOptions, TransferResult } from './transfer.js';
