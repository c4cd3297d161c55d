/**
 * A scripted raw TCP server for protocol tests: it writes exactly the bytes
 * a test gives (whole, or one byte per write), records exactly the bytes it
 * receives, and can wait for a given number of received lines between steps.
 */
import net from 'node:net';

export interface ScriptStep {
  /** Bytes to write. */
  send?: string | Buffer;
  /** Wait until this many CRLF-terminated lines have been received in total. */
  awaitLines?: number;
  /** Close the connection (FIN) after this step. */
  end?: boolean;
}

export interface Scripted {
  port: number;
  /** Everything received on the last connection. */
  received(): Buffer;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 that plays `steps` to each connection. */
export async function scriptedServer(steps: ScriptStep[], opts: { byteByByte?: boolean } = {}): Promise<Scripted> {
  let got = Buffer.alloc(0);
  const sockets = new Set<net.Socket>();
  const server = net.createServer(async (sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    got = Buffer.alloc(0);
    let wake: (() => void) | null = null;
    sock.on('data', (d) => {
      got = Buffer.concat([got, d]);
      wake?.();
    });
    const lines = () => got.toString('latin1').split('\r\n').length - 1;
    for (const step of steps) {
      if (step.awaitLines !== undefined) {
        while (lines() < step.awaitLines && !sock.destroyed) await new Promise<void>((r) => (wake = r));
        wake = null;
      }
      if (step.send !== undefined) {
        const data = Buffer.from(step.send);
        if (opts.byteByByte) for (const b of data) await new Promise((r) => sock.write(Buffer.from([b]), r));
        else await new Promise((r) => sock.write(data, r));
      }
      if (step.end) sock.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => got,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
