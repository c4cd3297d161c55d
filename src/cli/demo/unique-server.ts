/**
 * The chapter's select-based server, in process, for the demo: one process,
 * many clients, no threads. Each connection keeps its own set of
 * characters; every line adds to it and is answered with the whole set so
 * far, sorted (`ajx` → `ajx`, then `kby` → `abjkxy`). `.quit` ends a client.
 *
 * @example
 * ```ts
 * declare function startUniqueServer(port: number): Promise<{ port: number; close(): Promise<void> }>;
 * const s = await startUniqueServer(0);
 * console.log(`select server on 127.0.0.1:${s.port}`);
 * await s.close();
 * ```
 */
import { bind, select, type TcpClient, type TcpServer } from '../../socket/index.js';

/** Adds the characters of `line` to `set` and gives the whole set, sorted. */
export function addChars(set: Set<string>, line: string): string {
  for (const ch of line) set.add(ch);
  return [...set].sort().join('');
}

export async function startUniqueServer(port: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = await bind('127.0.0.1', port);
  const seen = new Map<TcpClient, Set<string>>();
  let running = true;
  const serveLine = async (c: TcpClient): Promise<void> => {
    const line = await c.receive('*l').catch(() => '.quit');
    if (line === '.quit') {
      seen.delete(c);
      await c.close();
    } else {
      await c.send(`${addChars(seen.get(c)!, line)}\n`).catch(() => {});
    }
  };
  const loop = (async () => {
    while (running) {
      const { readable } = await select<TcpServer | TcpClient, TcpClient>([server, ...seen.keys()], null, 200);
      for (const ready of readable) {
        if (ready !== server) await serveLine(ready as TcpClient);
        else if (!server.closed) seen.set(await server.accept(), new Set());
      }
    }
  })();
  return {
    port: server.getSockName().port,
    async close() {
      running = false;
      await server.close();
      await loop.catch(() => {});
      await Promise.all([...seen.keys()].map((c) => c.close()));
    },
  };
}
