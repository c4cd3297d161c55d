/**
 * `netkit get URL [-o FILE]`: downloads a URL to a file, or to standard
 * output (`-o -` or no `-o`). On a terminal a progress line (bytes, rate,
 * ETA) is drawn on standard error; never when stderr is piped. `-I` prints
 * the response head only; `-H 'Name: value'` adds a header field (may be
 * repeated), `-d DATA` (or `-d @FILE`) sends a form POST, `-X METHOD`
 * chooses the method, `--proxy URL` goes through an HTTP proxy; `--tls`,
 * `--ca FILE` and `-k` as on every command (src/cli/tls.ts). A server
 * failure (HTTP ≥ 400) writes nothing and exits 1 with the status line.
 * Peer text (the head, the status) is escaped before it is printed.
 *
 *     netkit get https://example.test/file.iso -o file.iso
 *     netkit get -I http://127.0.0.1:8080/
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { sink as sinks, type Sink } from '../../ltn12/index.js';
import { parse } from '../../url/index.js';
import { UsageError, parseOptions, write, type Command } from '../command.js';
import { progress } from '../progress.js';
import { escapeControls } from '../text.js';
import { TLS_FLAGS, TLS_HELP, tlsSettings } from '../tls.js';
import { schemes } from '../get/schemes.js';

const USAGE = [
  'usage: netkit get [options] URL',
  '  Downloads URL (http, https, ftp, ftps) to standard output or a file; a progress line',
  '  is drawn on stderr when it is a terminal. A URL without a scheme means http://.',
  '  -o, --output FILE   write to FILE (- for standard output, also when it is a terminal)',
  '  -I, --head          print the response head only (FTP: SIZE and MDTM)',
  "  -H, --header 'N: V' add a request header field (repeatable; http only)",
  '  -d, --data DATA     send DATA as a form POST; -d @FILE sends the bytes of FILE',
  '  -X, --request M     use method M (http only)',
  '  --proxy URL         go through an HTTP proxy (also $http_proxy / $https_proxy)',
  '  --active            FTP active mode (the server connects back) instead of passive',
  TLS_HELP,
  '  --timeout MS        bound every wait, in milliseconds',
  '  An ftp URL ending in / prints the directory listing.',
  'password: in the URL (ftp://user:pw@host/), NETKIT_FTP_PASSWORD; http: in the URL',
  'exit: 0 ok, 1 failure (HTTP >= 400 writes nothing), 2 bad usage, 130 interrupted',
  'examples:',
  '  netkit get https://example.test/file.iso -o file.iso',
  '  netkit get -I http://127.0.0.1:8080/',
  '  netkit get --tls starttls --ca ca.pem ftp://me@127.0.0.1:2121/pub/',
].join('\n');

/** A URL without a scheme (`example.test/x`, `localhost:8080/x`) is taken as `http://`, as curl does. */
export function withScheme(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
}

/**
 * Standard output is a terminal and nobody asked for `-o -`: a body with a NUL byte (binary,
 * as curl judges it) is refused before any of it is printed, since it can garble the terminal.
 */
function refuseBinary(out: Sink): Sink {
  return async (chunk) => {
    if (chunk?.includes(0)) {
      throw new Error('binary output can mess up your terminal: save it with -o FILE, or print it anyway with -o -');
    }
    await out(chunk);
  };
}

export const getCommand: Command = {
  summary: 'download a URL to a file or standard output (progress bar on a terminal)',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      output: { type: 'string', short: 'o' },
      head: { type: 'boolean', short: 'I' },
      header: { type: 'string', short: 'H', multiple: true },
      data: { type: 'string', short: 'd' },
      request: { type: 'string', short: 'X' },
      proxy: { type: 'string' },
      ...TLS_FLAGS,
      active: { type: 'boolean' },
      timeout: { type: 'string' },
    });
    const tls = await tlsSettings(values, 'none');
    if (positionals.length !== 1) throw new UsageError('expected one URL');
    const url = withScheme(positionals[0]!);
    const scheme = (parse(url).scheme ?? '').toLowerCase();
    const load = schemes[scheme];
    if (!load) throw new UsageError(`unsupported URL scheme '${scheme}' (supported: ${Object.keys(schemes).join(', ')})`);
    const headers = (values.header ?? []).map((h): [string, string] => {
      const colon = h.indexOf(':');
      if (colon <= 0) throw new UsageError(`-H takes 'Name: value', got '${h}'`);
      return [h.slice(0, colon).trim(), h.slice(colon + 1).trim()];
    });
    const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeout !== undefined && !(timeout > 0)) throw new UsageError('--timeout takes milliseconds');
    const data = values.data?.startsWith('@') ? await readFile(values.data.slice(1)) : values.data;
    const toFile = values.output !== undefined && values.output !== '-';
    let opened: Sink | undefined;
    const bar = progress(io.stderr, { signal: io.signal });
    const getter = await load();
    let result;
    try {
      result = await getter({
        url,
        method: values.request,
        headers,
        data,
        proxy: values.proxy,
        headOnly: values.head === true,
        tls,
        active: values.active === true,
        timeout,
        signal: io.signal,
        env: io.env,
        open: ({ total }) => {
          bar.total = total;
          const out = toFile ? sinks.file(values.output!) : sinks.toWritable(io.stdout as unknown as Writable, { end: false });
          opened = bar.sink(values.output === undefined && io.stdout.isTTY ? refuseBinary(out) : out);
          return opened;
        },
      });
    } catch (err) {
      bar.end();
      if (opened !== undefined && toFile) io.stderr.write(`netkit get: left a partial file ${values.output} (${bar.bytes} bytes)\n`);
      throw err;
    }
    if (values.head) await write(io.stdout, escapeControls(result.head.replaceAll('\r\n', '\n'), { newlines: true }));
    if (result.listing !== undefined) await (toFile ? writeFile(values.output!, result.listing) : write(io.stdout, result.listing));
    if (!result.ok) throw new Error(`server answered ${escapeControls(result.status)}`);
    if (opened === undefined && !values.head && result.listing === undefined && toFile) await sinks.file(values.output!)(null); // an empty body still makes the file
    return 0;
  },
};
