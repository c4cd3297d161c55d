/**
 * Hostile-input catalogue §2.6 (FC-01 … FC-10) against a scripted FTP
 * server: every vector must end in a typed error (or, for FC-01/FC-05, a
 * correct transfer that ignored the hostile part) — never a wrong success.
 * Each vector runs twice: replies written whole, and one byte per write.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { ArgumentError, ClosedError, LimitError, NetError, ProtocolError, ReplyError, TimeoutError } from '../../core/errors.js';
import { sink as sinks, source as sources } from '../../ltn12/index.js';
import { dataServer, pasvNumbers, scriptedFtp, type FtpScript } from '../../../testkit/ftp-scripted.js';
import { bytesOf, loadCorpus } from '../../../testkit/corpus.js';
import { connect, download, get, list, put, parseListLine, parseMlsdLine, isSafeName } from './index.js';
import { MAX_PRELIMINARY_REPLIES } from './control.js';

type ErrorClass = new (...args: never[]) => Error;

interface Vector {
  id: string;
  what: string;
  /** Builds the script (may start data listeners, returned for cleanup). */
  script: () => Promise<{ replies: FtpScript['replies']; greeting?: string; cleanup?: () => Promise<void>; check?: () => void }>;
  run: (port: number) => Promise<unknown>;
  error: ErrorClass;
  /** Too big to write one byte at a time within the time budget. */
  wholeOnly?: boolean;
}

const T = 400; // short waits: every vector must end well under 2 s

const pasvTo =
  (payload: string | Buffer, opts: { hold?: boolean } = {}) =>
  async () => {
    const d = await dataServer(payload, opts);
    return {
      replies: { PASV: `227 Entering Passive Mode (${pasvNumbers('127.0.0.1', d.port)}).\r\n`, RETR: '150 go\r\n', LIST: '150 go\r\n226 done\r\n' },
      cleanup: d.close,
    };
  };

const vectors: Vector[] = [
  // FC-02 / FC-03 (and FC-07 for the huge ones): every refused PASV and EPSV reply of the corpus (testkit/corpus/ftp-pasv.json).
  ...loadCorpus('ftp-pasv')
    .filter((c) => 'error' in c.expect && c.expect.error === 'protocol')
    .map((c): Vector => {
      const reply = bytesOf(c.bytes).toString('latin1');
      const epsv = c.with === 'epsv';
      return {
        id: epsv ? 'FC-03' : 'FC-02',
        what: c.id.replace(/^FC-0[23] /, ''),
        script: async () => ({ replies: { [epsv ? 'EPSV' : 'PASV']: `${reply}\r\n` } }),
        run: (port) => get({ host: '127.0.0.1', port, path: 'f', ...(epsv ? {} : { extended: false }), timeout: T }),
        // Over the wire a reply line past the 8192-byte default (`maxLineBytes`) is a LimitError first.
        error: reply.length > 8192 ? LimitError : ProtocolError,
        wholeOnly: reply.length > 4096,
      };
    }),
  ...[
    ['CRLF in the URL path (%0d%0a)', (p: number) => get(`ftp://127.0.0.1:${p}/a%0d%0aDELE%20x`)],
    ['LF in the URL path', (p: number) => get(`ftp://127.0.0.1:${p}/a%0aDELE%20x`)],
    ['NUL in the URL path (%00)', (p: number) => get(`ftp://127.0.0.1:${p}/a%00b`)],
    ['CR in a request path', (p: number) => get({ host: '127.0.0.1', port: p, path: 'a\rDELE x' })],
    ['CRLF in the user name', (p: number) => get(`ftp://bob%0d%0aDELE%20x@127.0.0.1:${p}/a`)],
    ['CRLF in the password', (p: number) => get({ host: '127.0.0.1', port: p, user: 'u', password: 'p\r\nDELE x', path: 'a' })],
    ['CRLF in an argument', (p: number) => get({ host: '127.0.0.1', port: p, path: 'a', argument: 'a\r\nDELE x' })],
    [
      'CRLF in a session path',
      async (p: number) => {
        const s = await connect({ host: '127.0.0.1', port: p, timeout: T });
        try {
          await s.dele('x\r\nRMD /');
        } finally {
          await s.quit();
        }
      },
    ],
  ].map(
    ([what, run]): Vector => ({
      id: 'FC-04',
      what: what as string,
      script: async () => ({ replies: {} }),
      run: run as Vector['run'],
      error: ArgumentError,
    }),
  ),
  {
    id: 'FC-07',
    what: 'multi-line reply never closed (2000 lines)',
    script: async () => ({ replies: {}, greeting: `220-hi\r\n${' more\r\n'.repeat(2000)}` }),
    run: (port) => get({ host: '127.0.0.1', port, path: 'f', timeout: T }),
    error: LimitError,
  },
  {
    id: 'FC-07',
    what: 'one 1 MiB reply line',
    script: async () => ({ replies: {}, greeting: `220 ${'x'.repeat(1 << 20)}\r\n` }),
    run: (port) => get({ host: '127.0.0.1', port, path: 'f', timeout: T }),
    error: LimitError,
    wholeOnly: true,
  },
  {
    id: 'FC-07',
    what: 'a 9000-byte reply line (limit 8 KiB)',
    script: async () => ({ replies: {}, greeting: `220 ${'x'.repeat(9000)}\r\n` }),
    run: (port) => get({ host: '127.0.0.1', port, path: 'f', timeout: 5000 }),
    error: LimitError,
  },
  {
    id: 'FC-07',
    what: 'multi-line greeting that stops (no final line)',
    script: async () => ({ replies: {}, greeting: '220-hi\r\n still\r\n' }),
    run: (port) => get({ host: '127.0.0.1', port, path: 'f', timeout: T }),
    error: TimeoutError,
  },
  ...[
    ['000 before the greeting', '000 hi\r\n220 ok\r\n'],
    ['099 before the greeting', '099 hi\r\n220 ok\r\n'],
    ['600 greeting', '600 hi\r\n'],
    ['999 greeting', '999 hi\r\n'],
  ].map(
    ([what, greeting]): Vector => ({
      id: 'FC-07',
      what: `reply code outside 100–599: ${what} (R-02 ftp-client)`,
      script: async () => ({ replies: {}, greeting }),
      run: (port) => get({ host: '127.0.0.1', port, path: 'f', timeout: T }),
      error: ProtocolError,
    }),
  ),
  {
    id: 'FC-07',
    what: 'reply code 650 after USER (R-02 ftp-client)',
    script: async () => ({ replies: { USER: '650 odd\r\n230 ok\r\n' } }),
    run: (port) => get({ host: '127.0.0.1', port, path: 'f', timeout: T }),
    error: ProtocolError,
  },
  {
    id: 'FC-07',
    what: 'reply with a bare LF line end',
    script: async () => ({ replies: {}, greeting: '220 hi\n' }),
    run: (port) => get({ host: '127.0.0.1', port, path: 'f', timeout: T }),
    error: ProtocolError,
  },
  {
    id: 'FC-08',
    what: '150, then the data connection stays silent',
    script: pasvTo('', { hold: true }),
    run: (port) => get({ host: '127.0.0.1', port, path: 'f', extended: false, timeout: T }),
    error: TimeoutError,
  },
  {
    id: 'FC-08',
    what: 'active mode: 150, then the server never connects',
    script: async () => ({ replies: { EPRT: '200 ok\r\n', RETR: '150 go\r\n' } }),
    run: (port) => get({ host: '127.0.0.1', port, path: 'f', passive: false, timeout: T }),
    error: TimeoutError,
  },
  {
    id: 'FC-08',
    what: 'data ends after 500 of 1000 bytes announced by SIZE, then 226',
    script: async () => {
      const d = await dataServer(Buffer.alloc(500, 1));
      return { replies: { SIZE: '213 1000\r\n', PASV: `227 (${pasvNumbers('127.0.0.1', d.port)})\r\n`, RETR: '150 go\r\n226 done\r\n' }, cleanup: d.close };
    },
    run: (port) => download({ host: '127.0.0.1', port, path: 'f', extended: false, timeout: T }, sinks.null()),
    error: ClosedError,
  },
  {
    id: 'FC-08',
    what: 'data ends after 500 of "(1000 bytes)" in the 150 reply, then 226',
    script: async () => {
      const d = await dataServer(Buffer.alloc(500, 1));
      return {
        replies: { PASV: `227 (${pasvNumbers('127.0.0.1', d.port)})\r\n`, RETR: '150 Opening BINARY mode data connection for f (1000 bytes).\r\n226 done\r\n' },
        cleanup: d.close,
      };
    },
    run: (port) => get({ host: '127.0.0.1', port, path: 'f', extended: false, timeout: T }),
    error: ClosedError,
  },
  {
    id: 'FC-08',
    what: 'all data, then 426 transfer aborted',
    script: async () => {
      const d = await dataServer('payload');
      return {
        replies: { PASV: `227 (${pasvNumbers('127.0.0.1', d.port)})\r\n`, RETR: '150 go\r\n426 Connection closed; transfer aborted.\r\n' },
        cleanup: d.close,
      };
    },
    run: (port) => get({ host: '127.0.0.1', port, path: 'f', extended: false, timeout: T }),
    error: ReplyError,
  },
  {
    id: 'FC-08',
    what: 'all data, then 551 after the data',
    script: async () => {
      const d = await dataServer('payload');
      return { replies: { PASV: `227 (${pasvNumbers('127.0.0.1', d.port)})\r\n`, RETR: '150 go\r\n551 page type unknown\r\n' }, cleanup: d.close };
    },
    run: (port) => get({ host: '127.0.0.1', port, path: 'f', extended: false, timeout: T }),
    error: ReplyError,
  },
  {
    id: 'FC-08',
    what: 'data, then the control connection closes without a reply',
    script: async () => {
      const d = await dataServer('payload');
      return {
        replies: { PASV: `227 (${pasvNumbers('127.0.0.1', d.port)})\r\n`, RETR: (_a, sock) => (setTimeout(() => sock.end(), 50), '150 go\r\n') },
        cleanup: d.close,
      };
    },
    run: (port) => get({ host: '127.0.0.1', port, path: 'f', extended: false, timeout: T }),
    error: ClosedError,
  },
  {
    id: 'FC-08',
    what: 'RETR answered 226 without a 1xx (no data connection used)',
    script: async () => {
      const d = await dataServer('payload');
      return { replies: { PASV: `227 (${pasvNumbers('127.0.0.1', d.port)})\r\n`, RETR: '226 done\r\n' }, cleanup: d.close };
    },
    run: (port) => get({ host: '127.0.0.1', port, path: 'f', extended: false, timeout: T }),
    error: ProtocolError,
  },
  {
    id: 'FC-08',
    what: 'upload: the server resets the data connection, then 426',
    script: async () => {
      const d = await dataServer('', { reset: true });
      return {
        replies: { PASV: `227 (${pasvNumbers('127.0.0.1', d.port)})\r\n`, STOR: (_a, c) => (setTimeout(() => c.write('426 aborted\r\n'), 100), '150 go\r\n') },
        cleanup: d.close,
      };
    },
    run: (port) => put({ host: '127.0.0.1', port, path: 'f', extended: false, timeout: T, source: sources.string(Buffer.alloc(16 << 20)) }),
    error: ReplyError,
  },
  {
    id: 'FC-08',
    what: 'upload: the server resets the data connection and says nothing',
    script: async () => {
      const d = await dataServer('', { reset: true });
      return { replies: { PASV: `227 (${pasvNumbers('127.0.0.1', d.port)})\r\n`, STOR: '150 go\r\n' }, cleanup: d.close };
    },
    run: (port) => put({ host: '127.0.0.1', port, path: 'f', extended: false, timeout: T, source: sources.string(Buffer.alloc(16 << 20)) }),
    error: NetError,
  },
  {
    id: 'FC-09',
    what: 'LIST line with a bare CR in the name',
    script: pasvTo('-rw-r--r-- 1 u g 5 Jan  1 12:00 evil\rname\r\n'),
    run: (port) => list({ host: '127.0.0.1', port, extended: false, timeout: T }),
    error: ProtocolError,
  },
  {
    id: 'FC-10',
    what: ';type=x in the URL',
    script: async () => ({ replies: {} }),
    run: (port) => get(`ftp://127.0.0.1:${port}/f;type=x`),
    error: ArgumentError,
  },
  {
    id: 'FC-10',
    what: 'unknown URL parameter ;mode=x',
    script: async () => ({ replies: {} }),
    run: (port) => get(`ftp://127.0.0.1:${port}/f;mode=x`),
    error: ArgumentError,
  },
  {
    id: 'FC-10',
    what: '%00 before ;type=i',
    script: async () => ({ replies: {} }),
    run: (port) => get(`ftp://127.0.0.1:${port}/f%00.txt;type=i`),
    error: ArgumentError,
  },
];

for (const byteByByte of [false, true]) {
  for (const v of vectors.filter((x) => !(byteByByte && x.wholeOnly))) {
    test(`${v.id} ${v.what}${byteByByte ? ' (1-byte writes)' : ''}: ${v.error.name}`, { timeout: 10_000 }, async () => {
      const { replies, greeting, cleanup } = await v.script();
      const srv = await scriptedFtp({ replies, greeting, byteByByte });
      const started = performance.now();
      try {
        await assert.rejects(v.run(srv.port), (err: unknown) => {
          assert.ok(err instanceof v.error, `expected ${v.error.name}, got ${String(err)}`);
          if (v.error === NetError) assert.notEqual((err as NetError).code, 'reply');
          return true;
        });
        assert.ok(performance.now() - started < (byteByByte ? 20_000 : 2000), 'each vector ends in under 2 s (written whole)');
        if (v.id === 'FC-04') assert.ok(!srv.lines.some((l) => /DELE|RMD/.test(l)), `nothing injected: ${srv.lines.join(' | ')}`);
      } finally {
        await srv.close();
        await cleanup?.();
      }
    });
  }
}

test('FC-01 PASV naming another host (127.0.0.2): the data connection goes to the control peer; the trap sees nothing', async () => {
  const trap = await dataServer('TRAP', { host: '127.0.0.2' });
  let real;
  try {
    real = await dataServer('real data', { port: trap.port });
  } catch {
    await trap.close();
    return; // the same port is taken on 127.0.0.1: nothing to prove here
  }
  const srv = await scriptedFtp({
    replies: { PASV: `227 Entering Passive Mode (${pasvNumbers('127.0.0.2', trap.port)}).\r\n`, RETR: '150 go\r\n226 done\r\n' },
  });
  try {
    const got = await get({ host: '127.0.0.1', port: srv.port, path: 'f', extended: false, timeout: 2000 });
    assert.equal(got.toString(), 'real data');
    assert.equal(trap.count(), 0);
    assert.equal(real.count(), 1);
    // the opt-in shows the test can see the difference
    const bounced = await get({ host: '127.0.0.1', port: srv.port, path: 'f', extended: false, usePasvAddress: true, timeout: 2000 });
    assert.equal(bounced.toString(), 'TRAP');
    assert.equal(trap.count(), 1);
  } finally {
    await Promise.all([srv.close(), trap.close(), real.close()]);
  }
});

test('FC-05 active mode: a data connection from another address (127.0.0.2) is closed; the real one is used', async () => {
  let foreignGot: Buffer | undefined;
  const srv = await scriptedFtp({
    replies: {
      EPRT: '200 ok\r\n',
      RETR: (_arg, control) => {
        const m = /\|1\|([\d.]+)\|(\d+)\|/.exec(srv.lines.find((l) => l.startsWith('EPRT'))!)!;
        const port = Number(m[2]);
        const foreign = net.connect({ host: m[1], port, localAddress: '127.0.0.2' });
        foreign.on('error', () => {});
        const parts: Buffer[] = [];
        foreign.on('data', (d) => parts.push(d)).on('close', () => (foreignGot = Buffer.concat(parts)));
        foreign.write('FOREIGN');
        // the real connection comes second, once the foreign one is queued
        foreign.on('connect', () => {
          const real = net.connect({ host: m[1], port });
          real.on('connect', () => real.end('real data')).on('close', () => control.write('226 done\r\n'));
        });
        return '150 go\r\n';
      },
    },
  });
  try {
    const got = await get({ host: '127.0.0.1', port: srv.port, path: 'f', passive: false, timeout: 2000 });
    assert.equal(got.toString(), 'real data');
    assert.equal(foreignGot?.length, 0, 'the foreign connection was closed without being read from or written to');
  } finally {
    await srv.close();
  }
});

test("FC-06 active mode announces only the control connection's own address (EPRT, then PORT when EPRT is refused)", async () => {
  for (const [replies, want] of [
    [{ EPRT: '200 ok\r\n', RETR: '550 no\r\n' }, /^EPRT \|1\|127\.0\.0\.1\|\d+\|$/],
    [{ EPRT: '500 what\r\n', PORT: '200 ok\r\n', RETR: '550 no\r\n' }, /^PORT 127,0,0,1,\d+,\d+$/],
  ] as const) {
    const srv = await scriptedFtp({ replies });
    try {
      await assert.rejects(get({ host: '127.0.0.1', port: srv.port, path: 'f', passive: false, timeout: 2000 }), ReplyError);
      assert.match(srv.lines.find((l) => /^(EPRT|PORT) /.test(l) && !l.startsWith('EPRT') === want.source.startsWith('^PORT'))!, want);
    } finally {
      await srv.close();
    }
  }
});

test('FC-09 names from listings are kept as sent and flagged unsafe as local paths', () => {
  const names = ['../etc/passwd', '/abs', '..', '.', 'a\\b', 'ok.txt'];
  for (const n of names) {
    assert.equal(parseMlsdLine(`type=file;size=1; ${n}`).name, n);
    assert.equal(parseListLine(`-rw-r--r-- 1 u g 1 Jan  1 12:00 ${n}`)?.name, n);
  }
  assert.deepEqual(names.map(isSafeName), [false, false, false, false, false, true]);
  assert.throws(() => parseMlsdLine('type=file;size=1; a\0b'), ProtocolError);
});

test('FC-07 a 1xx before the FEAT reply is skipped: the features are read and later replies stay in step', async () => {
  const srv = await scriptedFtp({ replies: { FEAT: '120 wait\r\n211-Features:\r\n MLST type*;size*;\r\n211 End\r\n', PWD: '257 "/home" is current\r\n' } });
  try {
    const s = await connect({ host: '127.0.0.1', port: srv.port, timeout: 2000 });
    try {
      assert.equal(s.features.get('MLST'), 'type*;size*;');
      assert.equal(await s.pwd(), '/home');
    } finally {
      await s.quit();
    }
  } finally {
    await srv.close();
  }
});

test('FC-07 1xx replies are skipped up to MAX_PRELIMINARY_REPLIES; one more is a LimitError, not an endless wait', async () => {
  for (const [count, ok] of [
    [MAX_PRELIMINARY_REPLIES, true],
    [MAX_PRELIMINARY_REPLIES + 1, false],
    [1000, false],
  ] as const) {
    const srv = await scriptedFtp({ replies: { PWD: `${'120 wait\r\n'.repeat(count)}257 "/home"\r\n` } });
    try {
      const s = await connect({ host: '127.0.0.1', port: srv.port, timeout: 2000 });
      try {
        if (ok) assert.equal(await s.pwd(), '/home');
        else await assert.rejects(s.pwd(), (e: unknown) => e instanceof LimitError && e.what === 'preliminary replies' && e.limit === MAX_PRELIMINARY_REPLIES);
      } finally {
        await s.close();
      }
    } finally {
      await srv.close();
    }
  }
});
