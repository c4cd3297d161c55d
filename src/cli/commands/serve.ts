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
  summary: 'serve a folder over HTTP (static files, ranges, 304s; never outside the folder)',
  usage: 'usage: netkit serve [DIR] [--port 8080] [--host 127.0.0.1] [--index index.html | --no-index] [--dotfiles] [--max-per-client 64] [--workers N] [--quiet]',
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      port: { type: 'string', short: 'p' }, host: { type: 'string' }, index: { type: 'string' }, 'no-index': { type: 'boolean' },
      dotfiles: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' }, 'max-per-client': { type: 'string' }, workers: { type: 'string' },
    });
    const workers = values.workers;
    if (workers !== undefined && (!/^\d+$/.test(workers) || Number(workers) < 1 || Number(workers) > 256)) throw new UsageError('--workers takes a number from 1 to 256');
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
      pending += `${line}\n`;
    };
    const site = await web({
      root, host: values.host, port: parsePort(values.port, 8080), index: values['no-index'] ? false : values.index,
      dotfiles: values.dotfiles === true, log: values.quiet ? undefined : log,
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
