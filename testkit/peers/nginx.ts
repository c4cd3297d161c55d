/**
 * nginx as an HTTP/1.1, HTTPS and HTTP/2 peer: one worker, loopback only
 * (127.0.0.1 and ::1), everything it writes kept in its own directory, and
 * a document root with fixed endpoints the interop tests rely on:
 *
 * | path | answer |
 * |---|---|
 * | `/` | 200 `hello\n` (keep-alive) |
 * | `/redirect` | 302 to `/index.html` |
 * | `/loop` | 301 to itself |
 * | `/private/` | Basic auth `user` / `pass`, the document root behind it |
 * | `/echo` | the request body back (held in memory up to 50 MiB) |
 * | `/chunked` | two chunked parts |
 * | `/slow` | `a`, a 2 s pause, `b` |
 * | `/status/404` | 404 |
 * | `/big.bin` | 5 MB of random bytes (ranges answered with 206) |
 * | `*.txt` | gzip-encoded (so chunked) |
 *
 * The echo endpoints come from the echo module that ships with Debian's
 * nginx-light. Run as root, the workers stay root (`user root`): as
 * `nobody` they could not read a private temporary directory.
 */
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePortOn, launch, peerDir, started, stopAll } from './daemon.js';

/** Debian's nginx binary and the echo module it loads. */
export const NGINX = '/usr/sbin/nginx';
export const ECHO_MODULE = '/usr/lib/nginx/modules/ngx_http_echo_module.so';

export interface Nginx {
  dir: string;
  /** The document root: put extra files here. */
  www: string;
  /** Plain HTTP on 127.0.0.1 and ::1. */
  port: number;
  /** HTTPS with HTTP/2 on 127.0.0.1 and ::1. */
  tlsPort: number;
  /** The self-signed certificate (PEM) served on `tlsPort`, to trust in tests. */
  cert: string;
  stop(): Promise<void>;
}

function config(dir: string, port: number, tlsPort: number): string {
  const www = join(dir, 'www');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `${k}_temp_path ${join(dir, 'tmp', k)};`);
  const listen = (p: number, extra = '') => [`listen 127.0.0.1:${p}${extra};`, `listen [::1]:${p}${extra};`];
  return [
    `load_module ${ECHO_MODULE};`,
    process.getuid?.() === 0 ? 'user root;' : '',
    'daemon off;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 256; }',
    'http {',
    `  access_log ${join(dir, 'access.log')};`,
    ...temp.map((t) => `  ${t}`),
    '  types { text/html html; text/plain txt; application/octet-stream bin; }',
    '  default_type application/octet-stream;',
    '  keepalive_timeout 30s;',
    '  keepalive_requests 1000;',
    '  gzip on;',
    '  gzip_types text/plain;',
    '  gzip_min_length 20;',
    '  server {',
    ...listen(port).map((l) => `    ${l}`),
    ...listen(tlsPort, ' ssl http2').map((l) => `    ${l}`),
    `    ssl_certificate ${join(dir, 'cert.pem')};`,
    `    ssl_certificate_key ${join(dir, 'key.pem')};`,
    `    root ${www};`,
    '    location = /redirect { return 302 /index.html; }',
    '    location = /loop { return 301 /loop; }',
    `    location /private/ { auth_basic "netkit"; auth_basic_user_file ${join(dir, 'users')}; alias ${www}/; }`,
    '    location = /echo { client_max_body_size 50m; client_body_buffer_size 50m; echo_read_request_body; echo_request_body; }',
    '    location = /chunked { default_type text/plain; echo "part1"; echo_flush; echo "part2"; }',
    '    location = /slow { echo "a"; echo_flush; echo_sleep 2; echo "b"; }',
    '    location = /status/404 { return 404 "nope\\n"; }',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Starts nginx (one worker) on two free ports; stop it with `stop()`. */
export async function startNginx(): Promise<Nginx> {
  const { dir, cert } = peerDir('nginx');
  const www = join(dir, 'www');
  for (const d of [www, join(www, 'sub'), join(dir, 'tmp')]) mkdirSync(d, { recursive: true, mode: 0o755 });
  writeFileSync(join(www, 'index.html'), 'hello\n');
  writeFileSync(join(www, 'big.bin'), randomBytes(5_000_000));
  // nginx reads the {PLAIN} scheme in a password file.
  writeFileSync(join(dir, 'users'), 'user:{PLAIN}pass\n');
  const [port, tlsPort] = [await freePortOn(), await freePortOn()];
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, config(dir, port, tlsPort));
  const args = ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')];
  try {
    await promisify(execFile)(NGINX, ['-t', ...args], { timeout: 30_000 });
  } catch (err) {
    await stopAll([], dir);
    throw new Error(`nginx refused its configuration: ${(err as { stderr?: string }).stderr ?? err}`);
  }
  // SIGQUIT: graceful shutdown of master and worker.
  const daemon = launch(NGINX, args, join(dir, 'stdout.log'), 'SIGQUIT');
  await started([daemon], dir, [
    ['127.0.0.1', port],
    ['127.0.0.1', tlsPort],
  ]);
  return { dir, www, port, tlsPort, cert, stop: () => stopAll([daemon], dir) };
}
