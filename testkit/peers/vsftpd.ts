/**
 * vsftpd as an FTPS peer: two instances on loopback, one answering plain
 * FTP that may be upgraded with AUTH TLS (explicit), one speaking TLS from
 * the first byte (implicit, TLS required for login and data). Both require
 * the data connections to resume the control connection's TLS session, as
 * strict servers do.
 *
 * Started by an unprivileged or root user alike (`run_as_launching_user`),
 * vsftpd can only offer anonymous login: the root holds `hello.txt` and
 * `file.bin` (300,000 random bytes) and `pub/` takes uploads. vsftpd has no
 * MLSD, so clients fall back to LIST.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePortOn, launch, peerDir, started, stopAll } from './daemon.js';

export const VSFTPD = '/usr/sbin/vsftpd';

export interface Vsftpd {
  /** Plain FTP that accepts AUTH TLS. */
  port: number;
  /** Implicit FTPS. */
  iport: number;
  /** The served directory (anonymous root). */
  root: string;
  /** The self-signed certificate (PEM) both instances present. */
  cert: string;
  stop(): Promise<void>;
}

function settings(dir: string, name: string, certFile: string, keyFile: string, own: Record<string, string | number>): string {
  const all: Record<string, string | number> = {
    listen: 'YES',
    listen_ipv6: 'NO',
    background: 'NO',
    // No privilege switching, sandbox or namespaces: runs as whoever starts it.
    run_as_launching_user: 'YES',
    seccomp_sandbox: 'NO',
    isolate: 'NO',
    isolate_network: 'NO',
    secure_chroot_dir: join(dir, 'empty'),
    anonymous_enable: 'YES',
    local_enable: 'NO',
    no_anon_password: 'YES',
    anon_root: join(dir, 'root'),
    write_enable: 'YES',
    anon_upload_enable: 'YES',
    anon_mkdir_write_enable: 'YES',
    anon_other_write_enable: 'YES',
    anon_umask: '022',
    pasv_enable: 'YES',
    pasv_address: '127.0.0.1',
    port_enable: 'YES',
    connect_from_port_20: 'NO',
    xferlog_enable: 'YES',
    log_ftp_protocol: 'YES',
    vsftpd_log_file: join(dir, `${name}.log`),
    ssl_enable: 'YES',
    allow_anon_ssl: 'YES',
    rsa_cert_file: certFile,
    rsa_private_key_file: keyFile,
    require_ssl_reuse: 'YES',
    ssl_ciphers: 'HIGH',
    listen_address: '127.0.0.1',
    ...own,
  };
  return Object.entries(all)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');
}

/** Starts the explicit and the implicit instance on free ports; stop both with `stop()`. */
export async function startVsftpd(): Promise<Vsftpd> {
  const { dir, cert, certFile, keyFile } = peerDir('vsftpd');
  const root = join(dir, 'root');
  mkdirSync(join(root, 'pub'), { recursive: true });
  mkdirSync(join(dir, 'empty'));
  chmodSync(dir, 0o755);
  chmodSync(root, 0o755);
  chmodSync(join(root, 'pub'), 0o777);
  writeFileSync(join(root, 'hello.txt'), 'hello\n', { mode: 0o644 });
  writeFileSync(join(root, 'file.bin'), randomBytes(300_000), { mode: 0o644 });
  const [port, iport] = [await freePortOn(), await freePortOn()];
  // Separate passive port ranges, so the two instances never compete for one.
  const explicit = settings(dir, 'explicit', certFile, keyFile, {
    listen_port: port,
    pasv_min_port: 31000,
    pasv_max_port: 31049,
    force_anon_logins_ssl: 'NO',
    force_anon_data_ssl: 'NO',
  });
  const implicit = settings(dir, 'implicit', certFile, keyFile, {
    listen_port: iport,
    pasv_min_port: 31050,
    pasv_max_port: 31099,
    implicit_ssl: 'YES',
    force_anon_logins_ssl: 'YES',
    force_anon_data_ssl: 'YES',
  });
  writeFileSync(join(dir, 'explicit.conf'), explicit);
  writeFileSync(join(dir, 'implicit.conf'), implicit);
  const daemons = ['explicit', 'implicit'].map((n) => launch(VSFTPD, [join(dir, `${n}.conf`)], join(dir, `${n}.out`)));
  await started(daemons, dir, [
    ['127.0.0.1', port],
    ['127.0.0.1', iport],
  ]);
  return { port, iport, root, cert, stop: () => stopAll(daemons, dir) };
}
