/**
 * Raw HTTP for server tests: send exact bytes over a plain socket (no client
 * library normalising the path), read until the server closes, split the
 * answer into responses; and run command-line clients without blocking the
 * event loop. Not part of the package.
 */
import net from 'node:net';
import { spawn } from 'node:child_process';
import { hasCommand } from './index.js';

/** Why a test driven by the client program `cmd` skips, or false; under CI a missing client is an error. */
export function missingClient(cmd: string): string | false {
  if (hasCommand(cmd)) return false;
  if (process.env.CI) throw new Error(`${cmd} missing under CI (see .ci/install-peers)`);
  return `${cmd} is not installed`;
}

/** One response as it arrived. */
export interface RawResponse {
  status: number;
  head: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Sends `request` (written in `pieces` writes, `gapMs` apart, when given) and
 * resolves with every byte received once the server closes, or at `timeoutMs`
 * (then `closed` is false).
 */
export async function rawExchange(
  port: number,
  request: string | Buffer,
  opts: { timeoutMs?: number; pieces?: number; gapMs?: number; host?: string } = {},
): Promise<{ data: Buffer; closed: boolean; ms: number }> {
  const sock = net.connect(port, opts.host ?? '127.0.0.1');
  sock.setNoDelay(true);
  const chunks: Buffer[] = [];
  const t0 = performance.now();
  sock.on('data', (d) => chunks.push(d));
  sock.on('error', () => {});
  const ended = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), opts.timeoutMs ?? 5000);
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  await new Promise((r) => sock.once('connect', r));
  const bytes = typeof request === 'string' ? Buffer.from(request, 'latin1') : request;
  const pieces = opts.pieces ?? 1;
  const size = Math.ceil(bytes.length / pieces);
  for (let i = 0; i < bytes.length && !sock.destroyed; i += size) {
    sock.write(bytes.subarray(i, i + size));
    if (opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
  }
  const closed = await ended;
  sock.destroy();
  return { data: Buffer.concat(chunks), closed, ms: performance.now() - t0 };
}

/** Splits received bytes into responses (Content-Length framing; no body for HEAD when `heads` says so). */
export function splitResponses(data: Buffer, heads: boolean[] = []): RawResponse[] {
  const out: RawResponse[] = [];
  let pos = 0;
  while (pos < data.length) {
    const end = data.indexOf('\r\n\r\n', pos);
    if (end < 0) break;
    const head = data.toString('latin1', pos, end);
    const lines = head.split('\r\n');
    const headers: Record<string, string> = {};
    for (const l of lines.slice(1)) {
      const c = l.indexOf(':');
      headers[l.slice(0, c).toLowerCase()] = l.slice(c + 1).trim();
    }
    const len = heads[out.length] || /^HTTP\/1\.1 304/.test(lines[0]!) ? 0 : Number(headers['content-length'] ?? 0);
    out.push({ status: Number(lines[0]!.split(' ')[1]), head, headers, body: data.subarray(end + 4, end + 4 + len) });
    pos = end + 4 + len;
  }
  return out;
}

/** One request on its own connection: the first response (status 0 when nothing parseable came). */
export async function rawRequest(
  port: number,
  request: string | Buffer,
  opts: { timeoutMs?: number; pieces?: number; gapMs?: number } = {},
): Promise<RawResponse & { closed: boolean }> {
  const { data, closed } = await rawExchange(port, request, opts);
  const [first] = splitResponses(data, [/^HEAD /.test(String(request))]);
  return { ...(first ?? { status: 0, head: '', headers: {}, body: data }), closed };
}

/** Runs a program (asynchronously: an in-process server must keep answering). */
export function runProgram(cmd: string, args: string[], opts: { timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => (err += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: err });
    }),
  );
}
