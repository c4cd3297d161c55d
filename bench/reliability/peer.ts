/**
 * The other side of the memory figures, run as a separate process so its
 * memory is not the measured one. Modes (one line on stdout when ready):
 *
 *     node peer.js idle PORT COUNT       open COUNT idle connections; 'ready OPEN'; exits when stdin ends
 *     node peer.js blast BYTES           serve BYTES to each connection then close; 'port N'
 *     node peer.js discard               read and drop everything; 'port N'
 *     node peer.js udp-flood PORT COUNT SIZE   send COUNT datagrams of SIZE bytes as fast as possible; 'sent N'
 */
import net from 'node:net';
import dgram from 'node:dgram';

const [mode, a, b, c] = process.argv.slice(2);
const exitWithStdin = () => {
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
};

if (mode === 'idle') {
  const port = Number(a);
  const count = Number(b);
  const socks: net.Socket[] = [];
  let open = 0;
  let settled = 0;
  const done = () => {
    if (++settled === count) process.stdout.write(`ready ${open}\n`);
  };
  // Connect in batches so the listen backlog is not overrun.
  for (let i = 0; i < count; i += 200) {
    await Promise.all(
      Array.from(
        { length: Math.min(200, count - i) },
        () =>
          new Promise<void>((resolve) => {
            const s = net.connect(port, '127.0.0.1');
            socks.push(s);
            s.on('error', () => {});
            s.once('connect', () => (open++, resolve()));
            s.once('close', () => resolve());
          }),
      ),
    );
  }
  // A connection the server closes on arrival (over its cap) ends soon after connecting: let those land.
  await new Promise((r) => setTimeout(r, 300));
  open = socks.filter((s) => !s.destroyed && s.readyState === 'open').length;
  settled = count - 1;
  done();
  exitWithStdin();
} else if (mode === 'blast' || mode === 'discard') {
  const total = Number(a ?? 0);
  const server = net.createServer((s) => {
    s.on('error', () => {});
    if (mode === 'discard') return void s.resume();
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let left = total;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!s.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void s.once('drain', pump);
      }
      s.end();
    };
    pump();
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${(server.address() as net.AddressInfo).port}\n`));
  exitWithStdin();
} else if (mode === 'udp-flood') {
  const sock = dgram.createSocket('udp4');
  const payload = Buffer.alloc(Number(c), 0x62);
  let sent = 0;
  for (let i = 0; i < Number(b); i++) {
    await new Promise<void>((r) => sock.send(payload, Number(a), '127.0.0.1', () => r()));
    sent++;
  }
  process.stdout.write(`sent ${sent}\n`);
  sock.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}
