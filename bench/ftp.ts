/**
 * FTP throughput against pyftpdlib (`testkit/peers/ftpd.py`, plain FTP,
 * passive EPSV, TYPE I), netkit against basic-ftp, each client a fresh
 * process per round (bench/runner.ts): a download of MIB MiB into a
 * discarding sink, and an upload of a MIB MiB file (netkit reading it in
 * 1 MiB blocks).
 *
 *     npm run build && node --expose-gc dist/bench/ftp.js   (MIB=1024 ROUNDS=5; WARM=0)
 */
import { mkdtempSync, rmSync, openSync, closeSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { Client } from 'basic-ftp';
import { sink as sinks, source as sources } from '../src/ltn12/index.js';
import { connect } from '../src/protocols/ftp/index.js';
import { startPyftpd } from '../testkit/ftp-peers.js';
import { childMain, compare, inChild, knob, report } from './runner.js';

/** netkit reads the upload file in 1 MiB blocks (`source.file(path, blockSize)`); fewer, larger reads cost less CPU. */
const UPLOAD_BLOCK = 1 << 20;
const discard = () => new Writable({ write: (_c, _e, cb) => cb() });
const login = (port: string) => ({ host: '127.0.0.1', port: Number(port), user: 'user', password: 'pass' });

// Arguments: the bytes to move, the server's port, the local file to upload.
const isChild = await childMain({
  async 'netkit download'(bytes, port) {
    const s = await connect(login(port!));
    const r = await s.retrieve('big.bin', sinks.null());
    await s.quit();
    if (r.bytes !== bytes) throw new Error(`got ${r.bytes} bytes`);
    return { work: bytes };
  },
  async 'basic-ftp download'(bytes, port) {
    const c = new Client(0);
    await c.access({ ...login(port!), secure: false });
    await c.downloadTo(discard(), 'big.bin');
    c.close();
    return { work: bytes };
  },
  async 'netkit upload'(bytes, port, local) {
    const s = await connect(login(port!));
    const r = await s.store('up-netkit.bin', sources.file(local!, UPLOAD_BLOCK));
    await s.quit();
    if (r.bytes !== bytes) throw new Error(`sent ${r.bytes} bytes`);
    return { work: bytes };
  },
  async 'basic-ftp upload'(bytes, port, local) {
    const c = new Client(0);
    await c.access({ ...login(port!), secure: false });
    await c.uploadFrom(local!, 'up-basic.bin');
    c.close();
    return { work: bytes };
  },
});

if (!isChild) {
  const mib = knob('MIB', 1024);
  const rounds = knob('ROUNDS', 5);
  // A warm-up would move the whole file again: the sizes are fixed by the files.
  process.env.WARM = String(knob('WARM', 0));
  const bytes = mib * 1024 * 1024;
  const root = mkdtempSync(join(tmpdir(), 'nk-bench-ftp-'));
  const local = join(tmpdir(), `nk-bench-ftp-src-${process.pid}.bin`);
  // the served file and the upload source: MIB MiB of incompressible bytes
  const block = randomBytes(1 << 20);
  for (const path of [join(root, 'big.bin'), local]) {
    const fd = openSync(path, 'w');
    for (let i = 0; i < mib; i++) writeSync(fd, block);
    closeSync(fd);
  }
  const peer = await startPyftpd('127.0.0.1', root);
  try {
    const me = import.meta.url;
    const args = [String(bytes), String(peer.port), local];
    const down = await compare(
      `FTP download of ${mib} MiB from pyftpdlib to a discarding sink (passive, TYPE I)`,
      'MiB/s',
      [inChild('netkit download', me, args), inChild('basic-ftp download', me, args)],
      { rounds, scale: 1024 * 1024 },
    );
    console.log(`${report(down)}\n`);
    const up = await compare(
      `FTP upload of a ${mib} MiB file to pyftpdlib (passive, TYPE I)`,
      'MiB/s',
      [inChild('netkit upload', me, args), inChild('basic-ftp upload', me, args)],
      { rounds, scale: 1024 * 1024 },
    );
    console.log(report(up));
  } finally {
    await peer.stop();
    rmSync(root, { recursive: true, force: true });
    rmSync(local, { force: true });
  }
}
