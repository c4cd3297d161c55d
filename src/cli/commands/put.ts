/**
 * `netkit put <file> ftp://…`: uploads a file (or stdin, `-`) over FTP or
 * FTPS, with a progress bar on a terminal.
 *
 * The URL carries host, port, user and path (`ftp://user@host:2121/dir/`;
 * a path ending in `/` gets the file's name). The password comes from the
 * URL, from `NETKIT_FTP_PASSWORD`, or — on a terminal — a prompt that does
 * not echo; without a user the login is anonymous.
 */
import { escapeControls } from '../text.js';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { fromReadable, file as fileSource } from '../../ltn12/source.js';
import { normalize, put, type FtpRequest } from '../../protocols/ftp/index.js';
import { parse } from '../../url/index.js';
import { UsageError, abortable, parseOptions, write, type Command } from '../command.js';
import { promptSecret } from '../prompt.js';
import { progress } from '../progress.js';
import { TLS_FLAGS, TLS_HELP, tlsSettings } from '../tls.js';

/** Bytes read from the file at a time: large blocks mean fewer reads and sends. */
const UPLOAD_BLOCK = 1 << 20;

export const putCommand: Command = {
  summary: 'upload a file over FTP/FTPS',
  usage: [
    'usage: netkit put [options] FILE|- ftp://[user@]host[:port]/path',
    '  Uploads FILE (or standard input, -) over FTP or FTPS; a URL path ending in / gets',
    "  the file's name. A progress line is drawn on stderr when it is a terminal.",
    '  --active            active mode (EPRT/PORT) instead of passive (EPSV/PASV)',
    TLS_HELP.replace('(upgrade after the', '(AUTH TLS after the'),
    '                      ftps:// means implicit',
    '  --ascii             TYPE A: line ends become CRLF on the wire',
    '  --append            append to the remote file (APPE)',
    '  --timeout MS        bound every wait, in milliseconds (default 60000)',
    'password: in the URL, NETKIT_FTP_PASSWORD, or a prompt (no echo) on a terminal',
    'exit: 0 ok, 1 failure, 2 bad usage, 130 interrupted (the remote file may be partial)',
    'examples:',
    '  netkit put report.pdf ftp://me@127.0.0.1:2121/incoming/',
    '  tar c dir | netkit put --tls starttls --ca ca.pem - ftp://me@ftp.test/dir.tar',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      active: { type: 'boolean' },
      ...TLS_FLAGS,
      ascii: { type: 'boolean' },
      append: { type: 'boolean' },
      timeout: { type: 'string' },
    });
    if (positionals.length !== 2) throw new UsageError('a file and an ftp:// URL are needed');
    const [file, url] = positionals as [string, string];
    if (!/^ftps?:\/\//i.test(url)) throw new UsageError(`not an ftp:// URL: ${url}`);
    const tls = await tlsSettings(values, 'none');
    const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0)) throw new UsageError('--timeout takes a number of milliseconds');
    let path = normalize(url).path;
    if (path === '' || path.endsWith('/')) {
      if (file === '-') throw new UsageError('uploading stdin needs a file name in the URL');
      path += basename(file);
    }
    const parts = parse(url);
    let password = parts.password === undefined ? io.env.NETKIT_FTP_PASSWORD : undefined;
    if (parts.user !== undefined && parts.user !== 'anonymous' && parts.password === undefined && password === undefined) {
      if (!io.stdin.isTTY) throw new UsageError('set NETKIT_FTP_PASSWORD or put the password in the URL');
      password = await promptSecret(io.stdin, io.stderr, `Password for ${parts.user}: `);
    }
    const size = file === '-' ? undefined : (await stat(file)).size;
    const bar = progress(io.stderr, { total: size, signal: io.signal });
    const req: FtpRequest = {
      url,
      path,
      password,
      timeout,
      signal: io.signal,
      passive: !values.active,
      tls: tls.mode === 'starttls' ? 'explicit' : tls.mode === 'implicit' ? 'implicit' : undefined,
      tlsOptions: tls.tlsOptions,
      type: values.ascii ? 'a' : undefined,
      command: values.append ? 'APPE' : undefined,
      source: file === '-' ? fromReadable(io.stdin as Readable) : fileSource(file, UPLOAD_BLOCK),
    };
    let sent = 0;
    const counting = abortable(req.source!, io.signal);
    req.source = async () => {
      const chunk = await counting();
      if (chunk) bar.update((sent += chunk.length));
      return chunk;
    };
    let result;
    try {
      result = await put(req);
    } catch (err) {
      bar.end();
      if (sent > 0 || io.signal?.aborted) io.stderr.write(`netkit put: the remote file ${path} may be partial (${sent} bytes sent)\n`);
      throw err;
    }
    bar.done();
    await write(io.stdout, `sent ${result.bytes} bytes to ${path}: ${escapeControls(result.reply.text.split('\n').pop() ?? '')}\n`);
    return 0;
  },
};
