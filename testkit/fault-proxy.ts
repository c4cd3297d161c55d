/**
 * A userspace TCP fault proxy (the netem substitute of docs/hostile-inputs.md §3.7):
 * it listens on 127.0.0.1, connects each client to `target`, and applies a
 * fault plan to the bytes going from the server to the client (`down`) and
 * from the client to the server (`up`).
 *
 * Faults per direction: `delayMs` before each chunk, `split` (re-chunk into
 * writes of n bytes), `bytesPerSec` (throttle), `stallAfter` (stop
 * forwarding after n bytes, keep the connection open), `cutAfter` (FIN after
 * n bytes), `resetAfter` (RST after n bytes). Reordering inside TCP is
 * invisible to applications, so there is none.
 *
 * @example
 * ```ts
 * const proxy = await faultProxy({ port: 8080 }, { down: { stallAfter: 65536 } });
 * const c = await connect('127.0.0.1', proxy.port);   // reads stop after 64 KiB
 * await proxy.close();
 * ```
 */
import net from 'node:net';

export interface Faults {
  delayMs?: number;
  split?: number;
  bytesPerSec?: number;
  stallAfter?: number;
  cutAfter?: number;
  resetAfter?: number;
}

export interface FaultPlan {
  up?: Faults;
  down?: Faults;
}

export interface FaultProxy {
  port: number;
  /** Connections handled so far. */
  readonly connections: number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Forwards `from` to `to` with `f` applied; one chunk at a time, so back-pressure holds. */
function forward(from: net.Socket, to: net.Socket, f: Faults): void {
  let passed = 0;
  let busy = Promise.resolve();
  const limit = Math.min(f.stallAfter ?? Infinity, f.cutAfter ?? Infinity, f.resetAfter ?? Infinity);
  from.on('data', (chunk: Buffer) => {
    from.pause();
    busy = busy.then(async () => {
      const room = Math.max(0, limit - passed);
      const data = chunk.subarray(0, room);
      const step = f.split ?? (f.bytesPerSec ? Math.max(1, Math.floor(f.bytesPerSec / 20)) : data.length);
      for (let i = 0; i < data.length && !to.destroyed; i += step) {
        const piece = data.subarray(i, i + step);
        if (f.delayMs) await sleep(f.delayMs);
        if (f.bytesPerSec) await sleep((piece.length / f.bytesPerSec) * 1000);
        if (!to.write(piece)) await new Promise((r) => to.once('drain', r));
        passed += piece.length;
      }
      if (passed >= limit) {
        if (f.resetAfter !== undefined && passed >= f.resetAfter) to.resetAndDestroy();
        else if (f.cutAfter !== undefined && passed >= f.cutAfter) to.end();
        return; // stalled or ended: stay paused
      }
      from.resume();
    });
  });
  from.on('end', () => void busy.then(() => passed < limit && to.end()));
}

/** Starts a proxy to `target` applying `plan` to every connection. */
export async function faultProxy(target: { host?: string; port: number }, plan: FaultPlan): Promise<FaultProxy> {
  const open = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(target.port, target.host ?? '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      s.setNoDelay(true);
    }
    // The server's FIN reaches the client through forward() once the delayed bytes are out.
    client.on('close', () => upstream.destroy());
    forward(client, upstream, plan.up ?? {});
    forward(upstream, client, plan.down ?? {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}
