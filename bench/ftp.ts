/**
 * FTP throughput against pyftpdlib (the shared `ftpd.py`, plain FTP, passive
 * EPSV, TYPE I): a download of MIB MiB into a discarding sink and an upload
 * of a MIB MiB file (netkit reading it in 1 MiB blocks), netkit against basic-ftp, in the same run, rounds
 * interleaved; medians and ratios.
 *
 *     npm run build && node dist/bench/ftp.js        (MIB=1024 ROUNDS=3)
 */
import { mkdtempSync, rmSync, writeFileSync, openSync, closeSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { Client } from 'basic-ftp';
import { sink as sinks, source as sources } from '../src/ltn12/index.js';
import { connect } from '../src/protocols/ftp/index.js';
import { startPyftpd } from '../testkit/ftp-peers.js';
import { compare, table } from './harness.js';

const mib = Number(process.env.MIB ?? 1024);
const rounds = Number(process.env.ROUNDS ?? 3);
const bytes = mib * 1024 * 1024;
/** netkit reads the upload file in 1 MiB blocks (`source.file(path, blockSize)`); fewer, larger reads cost less CPU. */
const UPLOAD_BLOCK = 1 << 20;

const root = mkdtempSync(join(tmpdir(), 'nk-bench-ftp-'));
const local = join(tmpdir(), `nk-bench-ftp-src-${process.pid}.bin`);
// the served file and the upload source: MIB MiB of incompressible bytes
const block = randomBytes(1 << 20);
for (const path of [join(root, 'big.bin'), local]) {
  const fd = openSync(path, 'w');
  for (let i = 0; i < mib; i++) writeSync(fd, block);
  closeSync(fd);
}
writeFileSync(join(root, 'ready'), '');
const peer = await startPyftpd('127.0.0.1', root);

const discard = () => new Writable({ write: (_c, _e, cb) => cb() });
const login = { host: '127.0.0.1', port: peer.port, user: 'user', password: 'pass' };

try {
  const download = await compare(
    [
      {
        name: 'basic-ftp',
        async run() {
          const c = new Client(0);
          await c.access({ ...login, secure: false });
          await c.downloadTo(discard(), 'big.bin');
          c.close();
          return bytes;
        },
      },
      {
        name: 'netkit',
        async run() {
          const s = await connect(login);
          const r = await s.retrieve('big.bin', sinks.null());
          await s.quit();
          if (r.bytes !== bytes) throw new Error(`got ${r.bytes} bytes`);
          return bytes;
        },
      },
    ],
    rounds,
  );
  const upload = await compare(
    [
      {
        name: 'basic-ftp',
        async run() {
          const c = new Client(0);
          await c.access({ ...login, secure: false });
          await c.uploadFrom(local, 'up-basic.bin');
          c.close();
          return bytes;
        },
      },
      {
        name: 'netkit',
        async run() {
          const s = await connect(login);
          const r = await s.store('up-netkit.bin', sources.file(local, UPLOAD_BLOCK));
          await s.quit();
          if (r.bytes !== bytes) throw new Error(`sent ${r.bytes} bytes`);
          return bytes;
        },
      },
    ],
    rounds,
  );
  const MB = 1024 * 1024;
  const head = `${mib} MiB per transfer against pyftpdlib 1.5.7 (passive, TYPE I), median of ${rounds} rounds, Node ${process.version}`;
  console.log(head);
  console.log('');
  console.log(table(`Download (${mib} MiB → discarding sink)`, 'B/s', download, 'basic-ftp', MB, 'MiB/s'));
  console.log('');
  console.log(table(`Upload (${mib} MiB file → server)`, 'B/s', upload, 'basic-ftp', MB, 'MiB/s'));
} finally {
  await peer.stop();
  rmSync(root, { recursive: true, force: true });
  rmSync(local, { force: true });
}
