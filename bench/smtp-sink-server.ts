/**
 * A local SMTP sink for the SMTP benchmark, run as a child process so it
 * does not share the clients' event loop: npm smtp-server on 127.0.0.1,
 * every message drained and dropped. Prints its port on stdout.
 */
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  disableReverseLookup: true,
  authOptional: true,
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, _session, done) {
    stream.on('data', () => {});
    stream.on('end', () => done());
  },
});
server.listen(0, '127.0.0.1', () => {
  console.log((server.server.address() as { port: number }).port);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
