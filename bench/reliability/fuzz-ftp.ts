/**
 * R-18 for FTP, spread into the properties of `r18-fuzz.ts`: fast-check
 * properties for the FTP reply reader, PASV/EPSV parsing, listing parsing
 * and the TYPE A filters. Valid inputs must round-trip; hostile ones may only
 * ever throw a typed NetError, and what they do return must be sane (reply
 * codes 100–599, ports 1–65535, names without CR/LF/NUL, sizes that are safe
 * integers, real dates).
 *
 * @example
 * ```ts
 * const props = [...properties(live), ...ftpProperties(live)];
 * ```
 */
import fc from 'fast-check';
import net from 'node:net';
import { NetError, ProtocolError } from '../../src/core/errors.js';
import { TcpClient } from '../../src/socket/index.js';
import { TextConn } from '../../src/protocols/tp/index.js';
import { finalReply, readReply } from '../../src/protocols/ftp/control.js';
import {
  formatPort,
  fromNetAscii,
  parseEpsv,
  parseList,
  parseListLine,
  parseMlsd,
  parseMlsdLine,
  parsePasv,
  toNetAscii,
  type Entry,
} from '../../src/protocols/ftp/index.js';
import type { Filter } from '../../src/ltn12/index.js';
import { ok, prop, typed, type Property } from './property.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const NOW = new Date(Date.UTC(2026, 5, 15, 12, 0));
const replyText = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);
/** Text biased towards what FTP parsers look at. */
const ftpish = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a).toString('latin1')),
  fc
    .array(
      fc.constantFrom(
        '0',
        '1',
        '2',
        '5',
        '9',
        '255',
        '256',
        ',',
        '(',
        ')',
        '|',
        ' ',
        '-',
        '\r',
        '\n',
        '\r\n',
        '227 ',
        '229 ',
        '150 ',
        ';',
        '=',
        'type=file',
        'size=',
        'Jan',
        ':',
        '<DIR>',
        'PM',
        '\0',
        'é',
        '\u2028',
      ),
      { maxLength: 80 },
    )
    .map((a) => a.join('')),
);
const safeName = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/[\r\n\0]/.test(s));
const safeDate = fc.date({ min: new Date(Date.UTC(1970, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true });
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An entry's fields must be what a caller can trust. */
function sane(e: Entry): void {
  ok(e.name !== '' && !/[\r\n\0]/.test(e.name), `name ${JSON.stringify(e.name)}`);
  ok(e.size === undefined || Number.isSafeInteger(e.size), `size ${e.size}`);
  ok(e.modified === undefined || !Number.isNaN(e.modified.getTime()), 'invalid date');
}

/** A fresh client/server pair per run, for input that leaves the connection in any state. */
async function oneShot(bytes: Buffer): Promise<{ codes: number[]; error?: unknown }> {
  const srv = net.createServer((s) => (s.on('error', () => {}), s.end(bytes)));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const sock = net.connect((srv.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  const conn = new TextConn(TcpClient.fromSocket(sock), { idleTimeout: 2000, maxLineBytes: 512, maxReplyLines: 20 });
  conn.socket.setEncoding('utf8');
  const codes: number[] = [];
  try {
    for (;;) codes.push((await readReply(conn)).code);
  } catch (error) {
    return { codes, error };
  } finally {
    await conn.close();
    await new Promise((r) => srv.close(r));
  }
}

/** FTP properties; `live` is r18's connected pair (valid replies only go over it, so it stays in step). */
export function ftpProperties(live: { server: net.Socket; conn: TextConn }): Property<unknown>[] {
  return [
    prop({
      name: 'ftp-reply-live',
      arb: fc.record({
        prelim: fc.array(fc.tuple(fc.integer({ min: 100, max: 199 }), replyText), { maxLength: 3 }),
        code: fc.integer({ min: 200, max: 599 }),
        first: replyText,
        middle: fc.array(replyText, { maxLength: 5 }),
        last: replyText,
      }),
      async check({ prelim, code, first, middle, last }) {
        // Middle lines may say anything but "<code> " (which would end the reply).
        const mids = middle.filter((m) => !(m.startsWith(String(code)) && (m.length === 3 || m[3] === ' ')));
        const lines = mids.length === 0 && first === last ? [`${code} ${last}`] : [`${code}-${first}`, ...mids, `${code} ${last}`];
        live.server.write([...prelim.map(([c, t]) => `${c} ${t}`), ...lines].map((l) => `${l}\r\n`).join(''));
        const r = await finalReply(live.conn, () => true);
        ok(r.code === code && JSON.stringify(r.lines) === JSON.stringify(lines), `got ${JSON.stringify(r.lines)} for ${JSON.stringify(lines)}`);
      },
    }),
    prop({
      name: 'ftp-reply-hostile',
      arb: fc.oneof(
        ftpish,
        fc
          .array(fc.tuple(fc.integer({ min: 0, max: 999 }), fc.constantFrom(' ', '-', ''), replyText), { maxLength: 6 })
          .map((ls) => ls.map(([c, s, t]) => `${pad(c, 3)}${s}${t}\r\n`).join('')),
      ),
      async check(text) {
        const { codes, error } = await oneShot(Buffer.from(text, 'latin1'));
        ok(error instanceof NetError, `untyped ${String(error)}`);
        ok(
          codes.every((c) => c >= 100 && c <= 599),
          `reply code ${codes.find((c) => c < 100 || c > 599)} accepted`,
        );
      },
    }),
    prop({
      name: 'ftp-pasv-round-trip',
      arb: fc.record({
        h: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }),
        port: fc.integer({ min: 1, max: 65535 }),
        text: fc.stringMatching(/^[A-Za-z .=]{0,30}$/),
        parens: fc.boolean(),
      }),
      check({ h, port, text, parens }) {
        const host = h.join('.');
        const numbers = formatPort(host, port);
        const got = parsePasv(`227 ${text}${parens ? `(${numbers})` : numbers}${parens ? '.' : ''}`);
        ok(got.host === host && got.port === port, `got ${JSON.stringify(got)} for ${host}:${port}`);
      },
    }),
    prop({
      name: 'ftp-pasv-epsv-hostile',
      arb: ftpish,
      check(text) {
        const p = typed(() => parsePasv(text));
        if (p) ok(p.host.split('.').every((o) => Number(o) <= 255) && p.port >= 1 && p.port <= 65535, `PASV gave ${JSON.stringify(p)}`);
        const e = typed(() => parseEpsv(text));
        if (e !== undefined) ok(Number.isInteger(e) && e >= 1 && e <= 65535, `EPSV gave ${e}`);
      },
    }),
    prop({
      name: 'ftp-epsv-round-trip',
      arb: fc.record({
        d: fc
          .integer({ min: 0x21, max: 0x7e })
          .map((c) => String.fromCharCode(c))
          .filter((c) => !/\d/.test(c)),
        port: fc.integer({ min: 1, max: 65535 }),
        text: fc.stringMatching(/^[A-Za-z .]{0,30}$/),
      }),
      check({ d, port, text }) {
        ok(parseEpsv(`229 ${text}(${d}${d}${d}${port}${d})`) === port, 'EPSV port');
      },
    }),
    prop({
      name: 'ftp-mlsd-round-trip',
      arb: fc.record({ type: fc.constantFrom('file', 'dir', 'File', 'DIR'), size: fc.option(fc.maxSafeNat()), modify: fc.option(safeDate), name: safeName }),
      check({ type, size, modify, name }) {
        const facts = [`type=${type}`];
        if (size !== null) facts.push(`size=${size}`);
        if (modify !== null)
          facts.push(
            `modify=${modify.getUTCFullYear()}${pad(modify.getUTCMonth() + 1)}${pad(modify.getUTCDate())}${pad(modify.getUTCHours())}${pad(modify.getUTCMinutes())}${pad(modify.getUTCSeconds())}.${pad(modify.getUTCMilliseconds(), 3)}`,
          );
        const e = parseMlsdLine(`${facts.join(';')}; ${name}`);
        ok(
          e.name === name && e.type === type.toLowerCase() && e.size === (size ?? undefined) && e.modified?.getTime() === modify?.getTime(),
          `got ${JSON.stringify(e)}`,
        );
      },
    }),
    prop({
      name: 'ftp-unix-list-round-trip',
      arb: fc.record({
        kind: fc.constantFrom('-', 'd'),
        owner: fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/),
        group: fc.option(fc.stringMatching(/^[a-z0-9]{1,8}$/)),
        size: fc.maxSafeNat(),
        date: fc.date({ min: new Date(Date.UTC(1970, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }),
        recent: fc.boolean(),
        name: safeName,
      }),
      check({ kind, owner, group, size, date, recent, name }) {
        // `ls` prints a time for the last six months, a year otherwise.
        const d = recent ? new Date(NOW.getTime() - (date.getTime() % (150 * 86400_000))) : date;
        const when = recent ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` : ` ${d.getUTCFullYear()}`;
        const line = `${kind}rw-r--r-- 1 ${owner} ${group === null ? '' : `${group} `}${size} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${when} ${name}`;
        const e = parseListLine(line, NOW)!;
        const want = recent
          ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes())
          : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
        ok(
          e.name === name && e.type === (kind === 'd' ? 'dir' : 'file') && e.size === size && e.modified?.getTime() === want,
          `got ${JSON.stringify(e)} for ${JSON.stringify(line)}`,
        );
      },
    }),
    prop({
      name: 'ftp-listing-hostile',
      arb: ftpish,
      check(text) {
        const data = Buffer.from(text, 'latin1');
        for (const entries of [typed(() => parseMlsd(data)), typed(() => parseList(data, NOW))]) for (const e of entries ?? []) sane(e);
        for (const line of text.split(/\r?\n/).filter((l) => l !== '')) {
          const a = typed(() => parseMlsdLine(line));
          if (a) sane(a);
          const b = typed(() => parseListLine(line, NOW));
          if (b) sane(b);
        }
      },
    }),
    prop({
      name: 'ftp-ascii-filters',
      arb: fc.tuple(
        fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
      ),
      check([data, cuts]) {
        const at = [...new Set(cuts.map((c) => Math.floor(c * data.length)))].sort((a, b) => a - b);
        const pieces = [0, ...at].map((a, i) => data.subarray(a, at[i] ?? data.length));
        const run = (f: Filter, parts: Buffer[]) => Buffer.concat([...parts.map((p) => f(p)), f(null)]);
        const down = run(fromNetAscii(), pieces);
        ok(down.equals(Buffer.from(data.toString('latin1').replaceAll('\r\n', '\n'), 'latin1')), 'fromNetAscii is not CRLF → LF');
        const up = run(toNetAscii(), pieces);
        ok(!/\r(?!\n)|(?<!\r)\n/.test(up.toString('latin1')), 'toNetAscii left a bare CR or LF');
        // Uploads count CR, LF, CRLF and LFCR each as one line end (LuaSocket's eol).
        ok(run(fromNetAscii(), [up]).equals(Buffer.from(data.toString('latin1').replace(/\r\n|\n\r|\r|\n/g, '\n'), 'latin1')), 'TYPE A round trip');
      },
    }),
    prop({
      name: 'ftp-protocol-errors-carry-the-line',
      arb: ftpish,
      check(text) {
        try {
          parsePasv(text);
        } catch (err) {
          ok(err instanceof ProtocolError && err.line === text.slice(0, 200), 'PASV error without the reply line');
        }
      },
    }),
  ];
}
