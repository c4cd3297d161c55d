/**
 * `netkit serve [DIR] [--port 8080] [--host 127.0.0.1] [--index index.html] [--dotfiles] [--max-per-client 64] [--workers N] [--quiet]`:
 * serves DIR (default: the current folder) with `servers.web` until
 * interrupted, one access-log line per request on stderr. Lines finished in
 * the same turn of the event loop go out in one write (under load that
 * saves a system call per request; alone, a line is written at once).
 */
import { web } from '../../servers/index.js';
import { parseOptions, parsePort, untilInterrupted, UsageError, type Command } from '../command.js';

export const serveCommand: Command = {
  servesUntilInterrupted: true,
  summary: 'serve a folder over HTTP (static files, ranges, 304s; never outside the folder)',
  usage: [
    'usage: netkit serve [options] [DIR]',
    '  Serves DIR (default: the current folder) over HTTP until Ctrl-C (exit 0): static files,',
    '  ranges, 304s, never anything outside DIR; one access-log line per request on stderr.',
    '  -p, --port N        listen port (default 8080; 0 picks a free one)',
    '  --host ADDR         listen address (default 127.0.0.1; ::1 for IPv6)',
    '  --index FILE        the file served for a folder (default index.html); --no-index: none',
    '  --dotfiles          serve files whose names start with a dot',
    '  --max-per-client N  connections one client address may hold (default 64)',
    '  --workers N         run N worker processes on the one port, as nginx does (default 1)',
    '  -q, --quiet         no access log',
    'exit: 0 stopped by Ctrl-C, 1 failure (no such folder, port in use), 2 bad usage',
    'example:',
    '  netkit serve www --port 8000',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      index: { type: 'string' },
      'no-index': { type: 'boolean' },
      dotfiles: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      'max-per-client': { type: 'string' },
      workers: { type: 'string' },
    });
    const workers = values.workers;
    if (workers !== undefined && (!/^\d+$/.test(workers) || Number(workers) < 1 || Number(workers) > 256))
      throw new UsageError('--workers takes a number from 1 to 256');
    const perClient = values['max-per-client'];
    if (perClient !== undefined && (!/^\d+$/.test(perClient) || Number(perClient) < 1)) throw new UsageError('--max-per-client takes a positive number');
    if (positionals.length > 1) throw new UsageError(`one folder at most, got ${positionals.length}`);
    if (values.index !== undefined && values['no-index']) throw new UsageError('--index and --no-index exclude each other');
    const root = positionals[0] ?? '.';
    let pending = '';
    const flush = () => {
      if (pending !== '') io.stderr.write(pending);
      pending = '';
    };
    const log = (line: string) => {
      if (pending === '') setImmediate(flush);
      pending += `${line}\n`; // already escaped: formatAccess escapes every client-chosen value
    };
    const site = await web({
      root,
      host: values.host,
      port: parsePort(values.port, 8080),
      index: values['no-index'] ? false : values.index,
      dotfiles: values.dotfiles === true,
      log: values.quiet ? undefined : log,
      maxConnectionsPerClient: perClient === undefined ? undefined : Number(perClient),
      workers: workers === undefined ? undefined : Number(workers),
    });
    const host = site.family === 'inet6' ? `[${site.address}]` : site.address;
    io.stdout.write(`serving ${site.root} on http://${host}:${site.port}/\n`);
    await untilInterrupted(io);
    await site.close();
    flush();
    return 0;
  },
};
