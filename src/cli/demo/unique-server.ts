/**
 * The chapter's select-based server, in process, for the demo: every line
 * is answered with its unique characters; `.quit` ends a client.
 */
import { bind, select, type TcpClient, type TcpServer } from '../../socket/index.js';

export async function startUniqueServer(port: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = await bind('127.0.0.1', port);
  const clients: TcpClient[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const { readable } = await select<TcpServer | TcpClient, TcpClient>([server, ...clients], null, 200);
      for (const ready of readable) {
        if (ready === server) {
          if (!server.closed) clients.push(await server.accept());
          continue;
        }
        const c = ready as TcpClient;
        const line = await c.receive('*l').catch(() => '.quit');
        if (line === '.quit') {
          clients.splice(clients.indexOf(c), 1);
          await c.close();
        } else {
          const u = [...new Set(line)].join('');
          await c.send(`${u.length} unique: ${u}\n`).catch(() => {});
        }
      }
    }
  })();
  return {
    port: server.getSockName().port,
    async close() {
      running = false;
      await server.close();
      await loop.catch(() => {});
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}
