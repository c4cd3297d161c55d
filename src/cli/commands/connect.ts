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
import { UsageError, parseOptions, parsePort, type Command } from '../command.js';

export const connectCommand: Command = {
  summary: 'connect stdin and stdout to a TCP (or TLS) peer, like netcat',
  usage: 'usage: netkit connect HOST PORT [--tls [--insecure]] [--lines FILE] [--timeout ms]',
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      tls: { type: 'boolean' }, insecure: { type: 'boolean' }, lines: { type: 'string' }, timeout: { type: 'string' },
    });
    if (positionals.length !== 2) throw new UsageError('expected HOST and PORT');
    const timeout = values.timeout === undefined ? null : Number(values.timeout);
    if (timeout !== null && !(timeout > 0)) throw new UsageError('--timeout takes milliseconds');
    const tls = values.tls ? { rejectUnauthorized: values.insecure !== true } : undefined;
    const client = await connect(positionals[0]!, parsePort(positionals[1], 0), { tls, timeout: timeout ?? 30_000 });
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
      let uploaded = false;
      const upload = pump.all(source.fromReadable(io.stdin as Readable), socketSink('keep-open', client)).then(() => {
        uploaded = true;
        client.shutdown('send');
      });
      upload.catch(() => {}); // once the peer has closed, a failing upload no longer matters
      await pump.all(socketSource('until-closed', client), stdout);
      // The peer closed first: stop reading a terminal that would keep the process alive.
      if (!uploaded) (io.stdin as Readable).destroy?.();
      return 0;
    } finally {
      await client.close();
    }
  },
};
