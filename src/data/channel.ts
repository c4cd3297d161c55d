/**
 * A framed channel for values over a TcpClient: each frame is the payload's
 * length in decimal, LF, then the payload (text from `serialize`). The
 * length is checked against `maxBytes` BEFORE the payload is read; an
 * oversized frame throws LimitError and leaves the connection out of step,
 * so the caller should close it.
 *
 * @example
 * ```ts
 * declare const client: socket.TcpClient;
 * await sendValue(client, { hello: 'world', n: 1n });
 * const reply = await receiveValue(client, { maxBytes: 1 << 20 });
 * ```
 */
import { LimitError, ProtocolError } from '../core/errors.js';
import type { TcpClient } from '../socket/index.js';
import { deserialize, serialize, type DataLimits } from './codec.js';

/** Sends one value as a frame. */
export async function sendValue(client: TcpClient, value: unknown): Promise<void> {
  const payload = Buffer.from(serialize(value), 'utf8');
  await client.send(Buffer.concat([Buffer.from(`${payload.length}\n`), payload]));
}

/** Receives one frame and decodes it; `maxBytes` bounds the frame (default 16 MiB). */
export async function receiveValue(client: TcpClient, limits: DataLimits = {}): Promise<unknown> {
  const maxBytes = limits.maxBytes ?? 16 * 1024 * 1024;
  const header = await client.receiveLine({ as: 'buffer' });
  const text = header.toString('latin1');
  if (!/^\d{1,15}$/.test(text)) throw new ProtocolError('malformed frame length', text.slice(0, 40));
  const length = Number(text);
  if (length > maxBytes) throw new LimitError('frame', maxBytes, undefined, `frame of ${length} bytes exceeds the limit of ${maxBytes}`);
  const payload = await client.receive(length);
  return deserialize(payload.toString('utf8'), limits);
}
