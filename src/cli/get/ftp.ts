/**
 * `netkit get` for ftp and ftps: a binary `ftp.download` whose sink is
 * opened when the transfer starts (so a refused RETR writes nothing),
 * passive unless `--active`, explicit FTPS (AUTH TLS) with `--tls starttls`
 * (or `explicit`), implicit with `ftps://` or `--tls implicit`. A URL whose
 * path is empty or ends in `/` is a directory: its listing is printed, one
 * entry a line (type, size, date, name; names escaped for the terminal).
 * The password comes from the URL or `NETKIT_FTP_PASSWORD`; without a user
 * the login is anonymous. `-I` asks SIZE and MDTM and prints them as header
 * lines, as curl does for FTP.
 *
 *     netkit get ftp://127.0.0.1:2121/pub/file.bin -o file.bin
 *     netkit get --tls starttls --ca ca.pem ftp://user@127.0.0.1:2121/pub/
 */
import { ReplyError } from '../../core/errors.js';
import type { Sink } from '../../ltn12/index.js';
import { connect, download, list, normalize, type Entry, type FtpRequest } from '../../protocols/ftp/index.js';
import { UsageError } from '../command.js';
import { escapeControls } from '../text.js';
import type { GetRequest, GetResult } from './schemes.js';

function request(req: GetRequest): FtpRequest {
  if (req.method !== undefined || req.data !== undefined || req.headers.length > 0 || req.proxy !== undefined) {
    throw new UsageError('-X, -d, -H and --proxy apply to http(s) only');
  }
  const r: FtpRequest = { url: req.url, timeout: req.timeout, signal: req.signal, passive: req.active !== true };
  const password = req.env?.NETKIT_FTP_PASSWORD;
  if (password !== undefined && !/^ftps?:\/\/[^/]*:[^/]*@/i.test(req.url)) r.password = password;
  if (req.tls.mode === 'starttls') r.tls = 'explicit';
  else if (req.tls.mode === 'implicit') r.tls = 'implicit';
  if (req.tls.tlsOptions) r.tlsOptions = req.tls.tlsOptions;
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
    return { ok: true, status: `ftp ${n.path}`, head: `${lines.map((l) => `${l}\r\n`).join('')}\r\n` };
  } catch (err) {
    await s.close();
    throw err;
  }
}

/** One listing line: `d        - 2024-05-01 12:00 name` (names escaped: they come from the server). */
export function formatEntry(e: Entry): string {
  const type = e.type === 'dir' ? 'd' : e.type === 'link' ? 'l' : e.type === 'file' ? '-' : '?';
  const size = e.type === 'dir' || e.size === undefined ? '-' : String(e.size);
  const when = e.modified ? e.modified.toISOString().slice(0, 16).replace('T', ' ') : '-';
  const target = e.target !== undefined ? ` -> ${escapeControls(e.target)}` : '';
  return `${type} ${size.padStart(12)} ${when.padEnd(16)} ${escapeControls(e.name)}${target}`;
}

export async function ftpGet(req: GetRequest): Promise<GetResult> {
  const r = request(req);
  if (req.headOnly) return headOf(r);
  const path = normalize(r).path;
  if (path === '' || path.endsWith('/')) {
    const entries = await list(r);
    return { ok: true, status: `ftp: ${entries.length} entries`, head: '', listing: entries.map((e) => `${formatEntry(e)}\n`).join('') };
  }
  let target: Sink | undefined;
  const open = (total?: number) => (target ??= req.open({ total }));
  const { bytes, size } = await download(r, (chunk) => open()(chunk), { onStart: (n) => open(n), signal: req.signal });
  return { ok: true, status: `ftp: ${bytes} bytes${size !== undefined ? ` of ${size}` : ''}`, head: '' };
}
