/**
 * Socket helpers for netkit's tests: connected pairs and raw Node peers
 * (certificates are in `tls.ts`). Not part of the package.
 */
import net from 'node:net';
import { bind, connect, type TcpClient, type TcpServer } from '../src/socket/index.js';

/** A connected pair over loopback: `client` connected to `peer` (accepted by `server`). */
export interface Pair {
  server: TcpServer;
  client: TcpClient;
  peer: TcpClient;
  close(): Promise<void>;
}

/** Makes a connected netkit pair on `host` (127.0.0.1 unless told). */
export async function tcpPair(host = '127.0.0.1'): Promise<Pair> {
  const server = await bind(host, 0);
  const client = await connect(host, server.getSockName().port);
  const peer = await server.accept();
  return {
    server,
    client,
    peer,
    close: async () => {
      await Promise.all([client.close(), peer.close(), server.close()]);
    },
  };
}

/** A plain Node server on 127.0.0.1:0 running `onConnection`; resolves to it and its port. */
export async function nodeServer(
  onConnection: (sock: net.Socket) => void,
  host = '127.0.0.1',
): Promise<{ server: net.Server; port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    onConnection(sock);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes `data` in pieces of the given sizes (cycled), each its own write with Nagle off. */
export async function writeInPieces(sock: net.Socket, data: Buffer, sizes: number[]): Promise<void> {
  sock.setNoDelay(true);
  let i = 0;
  for (let k = 0; i < data.length; k++) {
    const n = sizes[k % sizes.length]!;
    if (!sock.write(data.subarray(i, i + n))) await new Promise((r) => sock.once('drain', r));
    i += n;
    if (k % 16 === 0) await new Promise((r) => setImmediate(r));
  }
}

/**
 * Writes to `sock` (its peer reading nothing) until the kernel's buffers are
 * full and Node queues a little, less than its high-water mark: a write
 * then returns true with its bytes still waiting in Node's queue. The
 * kernel may still take some of the queue moments later (its buffers grow),
 * so it writes on until the queue has stayed put for 30 ms.
 */
export async function fillKernel(sock: net.Socket): Promise<void> {
  const piece = Buffer.alloc(1024, 0x2e);
  for (let round = 0; round < 100; round++) {
    for (let i = 0; i < 256 * 1024 && sock.writableLength === 0; i++) sock.write(piece);
    const queued = sock.writableLength;
    await new Promise((r) => setTimeout(r, 30));
    if (sock.writableLength === queued) break;
  }
  if (!(sock.writableLength > 0 && sock.writableLength < sock.writableHighWaterMark)) throw new Error(`fillKernel: queued ${sock.writableLength}`);
}
