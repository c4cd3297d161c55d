/**
 * R-03 for FTP, hooked into `r03-chunking.ts`: valid FTP input cut in two at
 * every split point (and once in 1-byte pieces) must give what the unsplit
 * input gives.
 *
 * - the control reply reader (`readReply`/`finalReply` over TCP, UTF-8 text):
 *   preliminary 1xx, multi-line replies whose middle lines look like codes,
 *   PASV/EPSV replies parsed, `"/café"` split inside its UTF-8 bytes;
 * - listings through `session.list()` (MLSD and Unix/DOS LIST), the data
 *   connection written in two pieces;
 * - TYPE A: the `fromNetAscii`/`toNetAscii` filters directly, and a TYPE A
 *   `retrieve` with the data connection split.
 *
 * @example
 * ```ts
 * const detail = await ftpChunking((what, a, b, pieces) => { ... });  // '… FTP split runs'
 * ```
 */
import { sink as sinks, type Filter } from '../../src/ltn12/index.js';
import { connect as tpConnect } from '../../src/protocols/tp/index.js';
import { connect, fromNetAscii, parseEpsv, parsePasv, toNetAscii } from '../../src/protocols/ftp/index.js';
import { finalReply, readReply } from '../../src/protocols/ftp/control.js';
import { playback } from './corpus.js';
import { dataListener, entryLine, fillPorts } from './ftp-playback.js';

/** r03's difference counter: compares `a` with `b` and records `pieces` when they differ. */
export type Differ = (what: string, a: Buffer | string, b: Buffer | string, pieces: Buffer[]) => void;

/** Every way to cut `data` in two, and 1-byte pieces. */
function* cuts(data: Buffer): Generator<Buffer[]> {
  for (let i = 0; i <= data.length; i++) yield [data.subarray(0, i), data.subarray(i)];
  yield [...data].map((b) => Buffer.from([b]));
}

const latin1 = (s: string) => Buffer.from(s, 'latin1');

const replies = Buffer.from(
  '120 ready in a moment\r\n220-Welcome\r\n220-second line\r\n 220 indented\r\n221 not the end\r\n220 ready\r\n' +
    '257 "/café" is the current directory\r\n227 Entering Passive Mode (127,0,0,1,117,48).\r\n229 Entering Extended Passive Mode (|||30000|)\r\n' +
    '150 Opening BINARY mode data connection for f (7 bytes).\r\n226-stats: 1 file\r\n226 done\r\n',
  'utf8',
);

const mlsd = latin1(
  'type=cdir;modify=20240101120000; .\r\ntype=pdir; ..\r\nType=File;Size=5;Modify=20240301101112.5; a b.txt\r\ntype=dir;modify=20240102030405; pub\r\ntype=file;size=1; caf\xc3\xa9\r\n',
);
const unixList = latin1(
  'total 12\r\ndrwxr-xr-x  2 ftp ftp 4096 Mar  1  2024 pub\r\n-rw-r--r--  1 ftp ftp   17 Jun 10 09:30 a b.txt\r\nlrwxrwxrwx  1 ftp ftp    3 Jan 31  2025 ln -> pub\r\n03-01-24  12:00PM       <DIR>          dos dir\r\n',
);
const asciiText = latin1('line one\r\nbare\rcr\r\r\n\r\n\n\rend\r');

const login = '220 playback\r\n230 ok\r\n';
const mlstFeat = '211-Features:\r\n MLST type*;size*;modify*;\r\n211 End\r\n';
const transfer = '229 (|||{port}|)\r\n150 go\r\n226 done\r\n221 bye\r\n';

/** Runs the FTP chunk-boundary checks through `differ`; returns a note for the figure's detail. */
export async function ftpChunking(differ: Differ): Promise<string> {
  let runs = 0;
  const check: Differ = (what, a, b, pieces) => (runs++, differ(what, a, b, pieces));

  for (const [name, make] of [
    ['ftp fromNetAscii', fromNetAscii],
    ['ftp toNetAscii', toNetAscii],
  ] as [string, () => Filter][]) {
    const run = (pieces: Buffer[]) => {
      const f = make();
      return Buffer.concat([...pieces.map((p) => f(p)), f(null)]);
    };
    const whole = run([asciiText]);
    for (const pieces of cuts(asciiText)) check(name, run(pieces), whole, pieces);
  }

  const pb = await playback();
  try {
    // The control reply reader: every reply as the FTP client reads it.
    const readAll = async () => {
      const c = await tpConnect('127.0.0.1', pb.port, { idleTimeout: 2000 });
      c.socket.setEncoding('utf8');
      const out: string[] = [];
      try {
        out.push(...(await finalReply(c, 220)).lines);
        for (;;) {
          const r = await readReply(c).catch(() => null);
          if (r === null) break;
          out.push(...r.lines);
          if (r.code === 227) out.push(JSON.stringify(parsePasv(r.text)));
          if (r.code === 229) out.push(String(parseEpsv(r.text)));
        }
      } finally {
        await c.close();
      }
      return out.join('|');
    };
    pb.next([replies], false);
    const wholeReplies = await readAll();
    for (const pieces of cuts(replies)) {
      pb.next(pieces, false);
      check('ftp control replies', await readAll(), wholeReplies, pieces);
    }

    // Listings and TYPE A through a session, the data connection cut in two.
    const viaSession = async (control: string, data: Buffer, pieces: number[], use: (s: Awaited<ReturnType<typeof connect>>) => Promise<string>) => {
      const listener = await dataListener({ bytes: data.toString('latin1'), pieces });
      pb.next([fillPorts(latin1(control), listener.port)], false);
      try {
        const s = await connect({ host: '127.0.0.1', port: pb.port, timeout: 2000 });
        try {
          return await use(s);
        } finally {
          await s.close();
        }
      } finally {
        await listener.close();
      }
    };
    const sessions: [string, string, Buffer, (s: Awaited<ReturnType<typeof connect>>) => Promise<string>][] = [
      ['ftp MLSD list', `${login}${mlstFeat}${transfer}`, mlsd, async (s) => (await s.list()).map(entryLine).join('|')],
      ['ftp LIST list', `${login}211 none\r\n${transfer}`, unixList, async (s) => (await s.list()).map((e) => `${e.type} ${e.name} ${e.size}`).join('|')],
      [
        'ftp TYPE A retrieve',
        `${login}211 none\r\n200 type A\r\n${transfer}`,
        asciiText,
        async (s) => {
          await s.type('a');
          const [snk, all] = sinks.buffer();
          await s.retrieve('f', snk);
          return all().toString('latin1');
        },
      ],
    ];
    for (const [what, control, data, use] of sessions) {
      const whole = await viaSession(control, data, [data.length], use);
      for (let i = 0; i <= data.length; i++)
        check(what, await viaSession(control, data, [i, data.length - i], use), whole, [data.subarray(0, i), data.subarray(i)]);
    }
  } finally {
    await pb.close();
  }
  return `${runs} FTP split runs (control replies, MLSD/LIST through list(), TYPE A filters and retrieve)`;
}
