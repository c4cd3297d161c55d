/**
 * The FTP corpus targets (hostile-inputs §2.6, FC-01 … FC-10), spread into
 * `targets.ts`:
 *
 * - `ftp-client`: the client against played control replies and a real data
 *   listener per case (`ftp-playback.ts`). `with` picks the call: `get`
 *   (default: EPSV), `pasv` (PASV only), `download` (SIZE first), `ascii`
 *   (TYPE A), `list`, `nlst`, `put` (with what the data listener received);
 *   `session:<path>` retrieves `<path>` on a session, `url:<url>` gets
 *   `<url>` (`{port}` filled) after a session took the played connection —
 *   both for names the caller must not be able to smuggle commands in
 *   (FC-04), refused before anything is sent.
 * - `ftp-pasv`: `227`/`229` reply text into `parsePasv` / `parseEpsv` (`with`).
 * - `ftp-listing`: listing bytes into `parseMlsd` / `parseList` (`with`),
 *   with "now" fixed at 2026-06-15 so `ls` dates without a year repeat.
 *
 * Results are compact: `{ data, bytes }` for transfers, entries as
 * `'type name[ size][ -> target][ @modified]'` lines plus how many names are
 * unsafe as local file names.
 *
 * @example
 * ```ts
 * import { ftpTargets } from './targets-ftp.js';
 * const t = ftpTargets['ftp-pasv'];   // { kind: 'call', run(bytes, c) }
 * ```
 */
import { connect, download, get, list, put, parseEpsv, parseList, parseMlsd, parsePasv, isSafeName, type Entry } from '../../src/protocols/ftp/index.js';
import { sink as sinks } from '../../src/ltn12/index.js';
import type { Case } from './corpus.js';
import { entryLine, stageFtp, type DataListener, type FtpCase } from './ftp-playback.js';
// Only targets.ts imports this module (it spreads ftpTargets), so this cycle is safe: CLIENT_TIMEOUT is read at run time.
import { CLIENT_TIMEOUT, type Target } from './targets.js';

const NOW = new Date(Date.UTC(2026, 5, 15, 12, 0));
/** The data listener of the case being played (R-02 plays one case at a time): uploads are checked against what it received. */
let current: DataListener | undefined;

const entries = (list: Entry[]) => ({ entries: list.map(entryLine), unsafe: list.filter((e) => !isSafeName(e.name)).length });
const text = (b: Buffer) => ({ data: b.toString('latin1'), bytes: b.length });

async function runClient(port: number, c: Case): Promise<unknown> {
  const at = { host: '127.0.0.1', port, timeout: CLIENT_TIMEOUT };
  const how = c.with ?? 'get';
  const colon = how.indexOf(':');
  const verb = colon < 0 ? how : how.slice(0, colon);
  const arg = colon < 0 ? '' : how.slice(colon + 1);
  switch (verb) {
    case 'get':
      return text(await get({ ...at, path: 'f' }));
    case 'pasv':
      return text(await get({ ...at, path: 'f', extended: false }));
    case 'ascii':
      return text(await get({ ...at, path: 'f', type: 'a' }));
    case 'nlst':
      return {
        names: (await get({ ...at, path: '', type: 'd' }))
          .toString('utf8')
          .split(/\r?\n/)
          .filter((l) => l !== ''),
      };
    case 'download': {
      const [snk, all] = sinks.buffer();
      const r = await download({ ...at, path: 'f' }, snk);
      return { ...text(all()), size: r.size ?? null };
    }
    case 'list':
      return entries(await list({ ...at }));
    case 'put': {
      const { bytes } = await put({ ...at, path: 'f' }, 'hello');
      return { bytes, received: current?.received().toString('latin1') ?? null };
    }
    case 'session':
    case 'url': {
      const s = await connect(at);
      try {
        return verb === 'session' ? text(await s.retrieve(arg)) : text(await get(arg.replaceAll('{port}', String(port))));
      } finally {
        await s.close();
      }
    }
    default:
      throw new Error(`ftp-client case ${c.id}: unknown way ${how}`);
  }
}

export const ftpTargets: Record<string, Target> = {
  'ftp-client': {
    kind: 'tcp',
    async stage(c) {
      const staged = await stageFtp(c as FtpCase);
      current = staged.data;
      return staged;
    },
    run: runClient,
  },
  'ftp-pasv': {
    kind: 'call',
    run: (b, c) => (c.with === 'epsv' ? parseEpsv(b.toString('utf8')) : parsePasv(b.toString('utf8'))),
  },
  'ftp-listing': {
    kind: 'call',
    run: (b, c) => entries(c.with === 'mlsd' ? parseMlsd(b) : parseList(b, NOW)),
  },
};
