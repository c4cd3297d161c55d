/**
 * `netkit get` for ftp and ftps: a passive, binary `ftp.download` whose
 * sink is opened when the transfer starts (so a refused RETR writes
 * nothing). The password comes from the URL or `NETKIT_FTP_PASSWORD`;
 * without a user the login is anonymous. `-I` asks SIZE and MDTM and prints
 * them as header lines, as curl does for FTP.
 *
 *     netkit get ftp://127.0.0.1:2121/pub/file.bin -o file.bin
 *     netkit get -I ftps://user@127.0.0.1:990/report.pdf
 */
import { ReplyError } from '../../core/errors.js';
import type { Sink } from '../../ltn12/index.js';
import { connect, download, normalize, type FtpRequest } from '../../protocols/ftp/index.js';
import { UsageError } from '../command.js';
import type { GetRequest, GetResult } from './schemes.js';

function request(req: GetRequest): FtpRequest {
  if (req.method !== undefined || req.data !== undefined || req.headers.length > 0 || req.proxy !== undefined) {
    throw new UsageError('-X, -d, -H and --proxy apply to http(s) only');
  }
  const r: FtpRequest = { url: req.url, timeout: req.timeout, signal: req.signal };
  const password = req.env?.NETKIT_FTP_PASSWORD;
  if (password !== undefined && !/^ftps?:\/\/[^/]*:[^/]*@/i.test(req.url)) r.password = password;
  if (req.insecure) r.tlsOptions = { rejectUnauthorized: false };
  return r;
}

/** SIZE and MDTM as header lines; a server that refuses either just leaves that line out. */
async function headOf(r: FtpRequest): Promise<GetResult> {
  const n = normalize(r);
  const s = await connect(n);
  try {
    const lines: string[] = [];
    const size = await s.size(n.path).catch((e: unknown) => (e instanceof ReplyError ? undefined : Promise.reject(e)));
    if (size !== undefined) lines.push(`Content-Length: ${size}`);
    const time = await s.mdtm(n.path).catch((e: unknown) => (e instanceof ReplyError ? undefined : Promise.reject(e)));
    if (time !== undefined) lines.push(`Last-Modified: ${time.toUTCString()}`);
    await s.quit();
    return { ok: true, status: `ftp ${n.path}`, head: lines.map((l) => `${l}\r\n`).join('') + '\r\n' };
  } catch (err) {
    await s.close();
    throw err;
  }
}

export async function ftpGet(req: GetRequest): Promise<GetResult> {
  const r = request(req);
  if (req.headOnly) return headOf(r);
  let target: Sink | undefined;
  const open = (total?: number) => (target ??= req.open({ total }));
  const { bytes, size } = await download(r, (chunk) => open()(chunk), { onStart: (n) => open(n), signal: req.signal });
  return { ok: true, status: `ftp: ${bytes} bytes${size !== undefined ? ` of ${size}` : ''}`, head: '' };
}
