/**
 * A raw line-protocol client for server tests (SMTP, POP3): writes bytes as
 * given — protocol violations included — and reads CRLF-ended reply lines.
 * Not part of the package.
 */
import net from 'node:net';
import { waitFor } from './index.js';

/** A raw SMTP conversation: write bytes, read reply lines. */
export class Talk {
  readonly sock: net.Socket;
  buf = '';
  closed = false;
  constructor(port: number) {
    this.sock = net.connect(port, '127.0.0.1');
    this.sock.on('data', (d) => (this.buf += d.toString('latin1')));
    this.sock.on('close', () => (this.closed = true));
    this.sock.on('error', () => {});
  }
  write(s: string | Buffer): void {
    this.sock.write(s);
  }
  /** The next `n` complete reply lines (a multi-line reply counts each line). */
  async lines(n: number, ms = 10_000): Promise<string[]> {
    const ok = await waitFor(() => this.buf.split('\r\n').length - 1 >= n || this.closed, ms);
    const parts = this.buf.split('\r\n');
    const got = parts.slice(0, Math.min(n, parts.length - 1));
    this.buf = parts.slice(got.length).join('\r\n');
    if (!ok || got.length < n) throw new Error(`wanted ${n} lines, got ${JSON.stringify(got)} (rest ${JSON.stringify(this.buf)})`);
    return got;
  }
  /** One whole reply (its last line). */
  async reply(): Promise<string> {
    for (;;) {
      const [l] = await this.lines(1);
      if (l![3] !== '-') return l!;
    }
  }
  end(): void {
    this.sock.destroy();
  }
  /** Resolves once the server closed the connection (false after `ms`). */
  gone(ms = 10_000): Promise<boolean> {
    return waitFor(() => this.closed, ms);
  }
}
