/**
 * `netkit connect HOST PORT`: a netcat for people. Standard input goes to the
 * connection and the connection to standard output; at the end of standard
 * input the sending side is shut down (half-close) and the command keeps
 * printing until the peer closes. `--lines FILE` sends FILE one line at a time
 * and prints the reply line to each; `--tls` speaks TLS (certificates
 * verified; `--insecure` to skip that, `--timeout ms` to bound waits).
 */
import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { pump, sink, source } from '../../ltn12/index.js';
import { connect, sink as socketSink, source as socketSource } from '../../socket/index.js';
import { isReset, isTimeout } from '../errors.js';
import { UsageError, parseOptions, parsePort, whenAborted, type Command } from '../command.js';
import { formatServer } from '../address.js';
import { tlsSettings } from '../tls.js';

export const connectCommand: Command = {
  summary: 'connect stdin and stdout to a TCP (or TLS) peer, like netcat',
  usage: [
    'usage: netkit connect [options] HOST PORT',
    '  Standard input goes to the peer and the peer to standard output; at the end of input',
    '  the sending side is shut down and the output continues until the peer closes.',
    '  --tls               speak TLS from the first byte (certificates are checked)',
    '  --ca FILE           also trust the CA certificates in FILE (PEM)',
    '  -k, --insecure      do not check the certificate at all (testing only)',
    '  --lines FILE        send FILE a line at a time, printing the reply line to each',
    '  --timeout MS        end (exit 1) when nothing arrives for MS milliseconds (default 30000)',
    'exit: 0 the peer closed, 1 failure (refused, reset, timeout), 2 bad usage, 130 interrupted',
    'example:',
    "  printf 'HEAD / HTTP/1.0\\r\\n\\r\\n' | netkit connect 127.0.0.1 8080",
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      tls: { type: 'boolean' },
      ca: { type: 'string' },
      insecure: { type: 'boolean', short: 'k' },
      lines: { type: 'string' },
      timeout: { type: 'string' },
    });
    if (positionals.length !== 2) throw new UsageError('expected HOST and PORT');
    const timeout = values.timeout === undefined ? null : Number(values.timeout);
    if (timeout !== null && !(timeout > 0)) throw new UsageError('--timeout takes milliseconds');
    if ((values.ca !== undefined || values.insecure) && !values.tls) throw new UsageError('--ca and --insecure go with --tls');
    const tls = values.tls ? ((await tlsSettings({ ca: values.ca, insecure: values.insecure }, 'implicit')).tlsOptions ?? {}) : undefined;
    const port = parsePort(positionals[1], 0);
    const where = formatServer({ host: positionals[0]!, port });
    const client = await Promise.race([whenAborted(io.signal), connect(positionals[0]!, port, { tls, timeout: timeout ?? 30_000, signal: io.signal })]);
    client.setTimeout(timeout);
    const stdout = sink.toWritable(io.stdout as unknown as Writable, { end: false });
    try {
      if (values.lines !== undefined) {
        const text = await readFile(values.lines, 'utf8');
        for (const line of text.split(/\r?\n/).filter((l, i, all) => l !== '' || i < all.length - 1)) {
          await client.send(`${line}\r\n`);
          await stdout(Buffer.from(`${await client.receive('*l')}\n`));
        }
        return 0;
      }
      const upload = pump.all(source.fromReadable(io.stdin as Readable), socketSink('keep-open', client)).then(() => client.shutdown('send'));
      const download = pump.all(socketSource('until-closed', client), stdout);
      // The download ends the command: at the peer's close (0), or at once on a reset, a timeout
      // or Ctrl-C; an upload failing because the peer went away adds nothing to that.
      upload.catch(() => {});
      await Promise.race([download, whenAborted(io.signal)]);
      return 0;
    } catch (err) {
      if (isTimeout(err)) throw new Error(`nothing from ${where} for ${timeout ?? 30_000} ms (--timeout)`);
      if (isReset(err)) throw new Error(`${where} reset the connection`);
      throw err;
    } finally {
      // Stop reading a terminal or pipe that would keep the process alive.
      (io.stdin as Readable).destroy?.();
      await client.close();
    }
  },
};
