/**
 * `netkit get URL [-o FILE]`: downloads a URL to a file, or to standard
 * output (`-o -` or no `-o`). On a terminal a progress line (bytes, rate,
 * ETA) is drawn on standard error; never when stderr is piped. `-I` prints
 * the response head only; `-H 'Name: value'` adds a header field (may be
 * repeated), `-d DATA` (or `-d @FILE`) sends a form POST, `-X METHOD`
 * chooses the method, `--proxy URL` goes through an HTTP proxy, `-k`
 * (`--insecure`) skips certificate checks. A server failure (HTTP ≥ 400)
 * writes nothing and exits 1 with the status line.
 *
 *     netkit get https://example.test/file.iso -o file.iso
 *     netkit get -I http://127.0.0.1:8080/
 */
import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { sink as sinks, type Sink } from '../../ltn12/index.js';
import { parse } from '../../url/index.js';
import { UsageError, parseOptions, write, type Command } from '../command.js';
import { progress } from '../progress.js';
import { schemes } from '../get/schemes.js';

const USAGE = `usage: netkit get URL [-o FILE|-] [-I] [-H 'Name: value']... [-d DATA|@FILE] [-X METHOD] [--proxy URL] [-k] [--timeout ms]
  schemes: ${Object.keys(schemes).join(', ')}`;

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
    if (chunk !== null && chunk.includes(0)) {
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
      output: { type: 'string', short: 'o' }, head: { type: 'boolean', short: 'I' }, header: { type: 'string', short: 'H', multiple: true },
      data: { type: 'string', short: 'd' }, request: { type: 'string', short: 'X' }, proxy: { type: 'string' },
      insecure: { type: 'boolean', short: 'k' }, timeout: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('expected one URL');
    const url = withScheme(positionals[0]!);
    const scheme = parse(url).scheme ?? '';
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
        url, method: values.request, headers, data, proxy: values.proxy, headOnly: values.head === true, insecure: values.insecure === true,
        timeout, signal: io.signal, env: io.env,
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
    if (values.head) await write(io.stdout, result.head.replaceAll('\r\n', '\n'));
    if (!result.ok) throw new Error(`server answered ${result.status}`);
    if (opened === undefined && !values.head && toFile) await sinks.file(values.output!)(null); // an empty body still makes the file
    return 0;
  },
};
