/**
 * npm smtp-server as a test peer on 127.0.0.1 (reverse lookup off): it
 * keeps every message it accepts with its envelope and the exact bytes of
 * its data (un-stuffed), and counts DATA transfers that ended without the
 * final dot. Senders starting with `spammer` and recipients starting with
 * `bad` are refused (554, 550).
 */
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface SinkMessage {
  from: string;
  to: string[];
  data: Buffer;
  /** The MAIL FROM parameters smtp-server parsed (upper-case keys). */
  params: Record<string, unknown>;
}

export interface SmtpSink {
  port: number;
  got: SinkMessage[];
  /** Every MAIL FROM and RCPT TO address the server was given, accepted or not, in order. */
  seen: string[];
  /** DATA transfers that started and never ended with the final dot. */
  cut: () => number;
  close(): Promise<void>;
}

/** Starts the sink; `extra` goes to smtp-server (key/cert, size, hidePIPELINING …). */
export async function startSmtpSink(extra: Partial<SMTPServerOptions> = {}): Promise<SmtpSink> {
  const got: SinkMessage[] = [];
  let cut = 0;
  const seen: string[] = [];
  const server = new SMTPServer({
    disableReverseLookup: true,
    logger: false,
    authOptional: true,
    onMailFrom(addr, _s, cb) {
      seen.push(`MAIL ${addr.address}`);
      if (addr.address.startsWith('spammer')) return cb(Object.assign(new Error('go away'), { responseCode: 554 }));
      cb();
    },
    onRcptTo(addr, _s, cb) {
      seen.push(`RCPT ${addr.address}`);
      if (addr.address.startsWith('bad')) return cb(Object.assign(new Error('no such user'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const parts: Buffer[] = [];
      let ended = false;
      stream.on('data', (d: Buffer) => parts.push(d));
      stream.on('end', () => {
        ended = true;
        const mailFrom = session.envelope.mailFrom;
        got.push({
          from: mailFrom ? mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(parts),
          params: (mailFrom ? mailFrom.args : {}) as Record<string, unknown>,
        });
        cb();
      });
      stream.on('close', () => {
        if (!ended) cut++;
      });
    },
    ...extra,
  });
  server.on('error', () => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  return { port, got, seen, cut: () => cut, close: () => new Promise<void>((r) => server.close(() => r())) };
}
