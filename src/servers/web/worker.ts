/**
 * The entry of one worker process of `servers.web({ workers: N })`: it
 * serves the options the primary put in `NETKIT_WEB_OPTIONS` (a JSON
 * object; its port is shared through node:cluster), sends each access-log
 * line to the primary, and closes when the primary says so.
 *
 * @example
 * ```ts
 * // started by cluster.fork() from workers.ts, never run by hand
 * ```
 */
import { web, type WebOptions } from './web.js';

const opts = JSON.parse(process.env.NETKIT_WEB_OPTIONS ?? '{}') as WebOptions & { logToPrimary?: boolean };
const { logToPrimary, ...rest } = opts;
const site = await web({
  ...rest,
  workers: 1,
  log: logToPrimary ? (line, entry) => process.send?.({ kind: 'log', line, entry: { ...entry, pid: process.pid } }) : undefined,
});
process.on('message', (m: { kind?: string }) => {
  if (m?.kind === 'close') void site.close().then(() => process.exit(0));
});
// Ctrl-C reaches the whole process group: the primary decides when workers close (and does not replace them then)
process.on('SIGINT', () => {});
process.on('disconnect', () => void site.close().then(() => process.exit(0)));
