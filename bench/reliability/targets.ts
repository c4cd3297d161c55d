/**
 * The corpus targets: for each `corpus/<name>.json`, how its bytes reach
 * netkit and what the result is. A 'tcp' target is a client that a playback
 * server feeds (whole, in 1-byte writes, in random splits); a 'filter' target
 * is a streaming filter fed the same pieces; a 'call' target takes the bytes
 * whole. Figures for new modules (http, ftp, web) add their targets here.
 */
import { connect as tpConnect } from '../../src/protocols/tp/index.js';
import { open as smtpOpen } from '../../src/protocols/smtp/index.js';
import { connect as pop3Connect } from '../../src/protocols/pop3/index.js';
import { connect } from '../../src/socket/index.js';
import { absolute, hasControlChars, parse } from '../../src/url/index.js';
import { decode, normalize, stuff } from '../../src/mime/index.js';
import { filter as filters, source, type Filter } from '../../src/ltn12/index.js';
import { deserialize, receiveValue } from '../../src/data/index.js';
import { Pool, parseRequestHead, request } from '../../src/protocols/http/index.js';
import { sink as sinks } from '../../src/ltn12/index.js';
import type { Case } from './corpus.js';
import { ftpTargets } from './targets-ftp.js';

/** Client block timeout in the corpus: long enough for 1-byte writes, short against the 2 s hang bound. */
export const CLIENT_TIMEOUT = 700;

export type Target =
  | { kind: 'tcp'; run(port: number, c: Case): Promise<unknown>; stage?(c: Case): Promise<{ bytes: Buffer; close(): Promise<void> }> }
  | { kind: 'filter'; make(c: Case): Filter }
  | { kind: 'call'; run(input: Buffer, c: Case): unknown };

const pop3Login = (port: number) => pop3Connect({ server: '127.0.0.1', port, user: 'u', password: 'p', apop: true, timeout: CLIENT_TIMEOUT });

/** Decoded value as comparable text: BigInt as '12n', and no prototype touched. */
function canonical(v: unknown): string {
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype polluted');
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}

export const targets: Record<string, Target> = {
  'tp-reply': {
    kind: 'tcp',
    async run(port) {
      const c = await tpConnect('127.0.0.1', port, { idleTimeout: CLIENT_TIMEOUT });
      try {
        const r = await c.getReply();
        return { code: r.code, lines: r.lines };
      } finally {
        await c.close();
      }
    },
  },
  'smtp-client': {
    kind: 'tcp',
    async run(port) {
      const s = await smtpOpen({ server: '127.0.0.1', port, timeout: CLIENT_TIMEOUT });
      try {
        await s.greet('rel');
        const r = await s.send({ from: 'a@x', rcpt: 'u@x' }, source.string('Subject: t\r\n\r\n.x\r\n'));
        return { accepted: r.accepted, reply: r.reply };
      } finally {
        await s.conn.close();
      }
    },
  },
  'pop3-client': {
    kind: 'tcp',
    async run(port) {
      const p = await pop3Login(port);
      try {
        return { message: (await p.retrieve(1)).toString('latin1') };
      } finally {
        await p.conn.close();
      }
    },
  },
  'pop3-stat': {
    kind: 'tcp',
    async run(port) {
      const p = await pop3Login(port);
      try {
        return await p.stat();
      } finally {
        await p.conn.close();
      }
    },
  },
  'data-channel': {
    kind: 'tcp',
    async run(port) {
      const c = await connect('127.0.0.1', port);
      c.setTimeout(CLIENT_TIMEOUT);
      try {
        return await receiveValue(c, { maxBytes: 1 << 20 });
      } finally {
        await c.close();
      }
    },
  },
  mime: {
    kind: 'filter',
    make(c) {
      const by: Record<string, () => Filter> = {
        base64: () => decode('base64'),
        'base64-strict': () => decode('base64', { strict: true }),
        'quoted-printable': () => decode('quoted-printable'),
        'quoted-printable-strict': () => decode('quoted-printable', { strict: true }),
        eol: () => normalize(),
        stuff: () => stuff(),
        'eol+stuff': () => filters.chain(normalize(), stuff()),
      };
      const make = by[c.with ?? ''];
      if (!make) throw new Error(`mime case ${c.id}: unknown filter ${c.with}`);
      return make();
    },
  },
  'http-response': {
    kind: 'tcp',
    async run(port, c) {
      const pool = new Pool();
      const [sink, chunks] = sinks.table();
      try {
        const r = await request({
          url: `http://127.0.0.1:${port}/`,
          method: c.with ?? 'GET',
          pool,
          sink,
          timeout: CLIENT_TIMEOUT,
          maxBodyBytes: 1 << 20,
          decode: true,
        });
        return { code: r.code, body: Buffer.concat(chunks).toString('latin1'), trailers: r.trailers.length };
      } finally {
        await pool.close();
      }
    },
  },
  'http-request-head': {
    kind: 'call',
    run(b) {
      const r = parseRequestHead(b);
      return r === null ? 'incomplete' : { method: r.head.method, target: r.head.target, body: r.head.body.kind, consumed: r.consumed };
    },
  },
  'url-parse': { kind: 'call', run: (b) => parse(b.toString('latin1')) },
  'url-control': { kind: 'call', run: (b) => hasControlChars(b.toString('latin1')) },
  'url-absolute': { kind: 'call', run: (b) => absolute('http://a/b/c/d;p?q', b.toString('latin1')) },
  data: { kind: 'call', run: (b) => canonical(deserialize(b.toString('utf8'))) },
  ...ftpTargets,
};
