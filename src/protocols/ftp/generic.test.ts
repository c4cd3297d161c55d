/**
 * LuaSocket's generic forms and the one-call caps, against a scripted
 * server: `get{ command = 'size' }` hands the 2xx reply to the sink;
 * `command` takes lists with their checks; `get(url)` collects under a cap
 * (`;type=d` under the listing cap); `download` refuses more bytes than
 * SIZE announced.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgumentError, LimitError, ProtocolError, ReplyError } from '../../core/errors.js';
import { sink as sinks } from '../../ltn12/index.js';
import { dataServer, pasvNumbers, scriptedFtp } from '../../../testkit/ftp-scripted.js';
import { command, download, get, MAX_LISTING_BYTES } from './index.js';

const T = 2000;

async function withData(payload: string | Buffer, replies: Record<string, string>, fn: (port: number, lines: string[]) => Promise<void>): Promise<void> {
  const d = await dataServer(payload);
  const srv = await scriptedFtp({ replies: { PASV: `227 Entering Passive Mode (${pasvNumbers('127.0.0.1', d.port)}).\r\n`, ...replies } });
  try {
    await fn(srv.port, srv.lines);
  } finally {
    await Promise.all([srv.close(), d.close()]);
  }
}

test("get({ command: 'size', argument }) hands the 2xx reply to the sink (LuaSocket's generic form)", async () => {
  await withData('', { SIZE: '213 1234\r\n' }, async (port) => {
    const [snk, chunks] = sinks.table();
    const r = await get({ host: '127.0.0.1', port, command: 'size', argument: 'f', sink: snk, extended: false, timeout: T });
    assert.equal(Buffer.concat(chunks).toString(), '213 1234');
    assert.equal(r.reply.code, 213);
    const collected = await get({ host: '127.0.0.1', port, command: 'size', argument: 'f', extended: false, timeout: T });
    assert.equal(collected.toString(), '213 1234');
  });
});

test('download fails (ProtocolError) when more bytes arrive than SIZE announced', async () => {
  await withData('0123456789', { SIZE: '213 5\r\n', RETR: '150 go\r\n226 done\r\n' }, async (port) => {
    await assert.rejects(download({ host: '127.0.0.1', port, path: 'f', extended: false, timeout: T }, sinks.null()), ProtocolError);
  });
  await withData('01234', { SIZE: '213 5\r\n', RETR: '150 go\r\n226 done\r\n' }, async (port) => {
    const r = await download({ host: '127.0.0.1', port, path: 'f', extended: false, timeout: T }, sinks.null());
    assert.deepEqual(r, { bytes: 5, size: 5 });
  });
});

test('get(url) collects under a cap (maxBytes, LimitError); ;type=d under the listing cap', async () => {
  await withData('x'.repeat(100), { RETR: '150 go\r\n226 done\r\n' }, async (port) => {
    await assert.rejects(get({ host: '127.0.0.1', port, path: 'f', maxBytes: 10, extended: false, timeout: T }), LimitError);
  });
  await withData('x'.repeat(100), { RETR: '150 go\r\n226 done\r\n' }, async (port) => {
    assert.equal((await get({ host: '127.0.0.1', port, path: 'f', maxBytes: 100, extended: false, timeout: T })).length, 100);
  });
  await assert.rejects(get({ host: '127.0.0.1', port: 1, path: 'f', maxBytes: NaN }), ArgumentError);
  // a listing larger than MAX_LISTING_BYTES, asked for with ;type=d and no cap of its own
  await withData(Buffer.alloc(MAX_LISTING_BYTES + 1024, 'n'), { NLST: '150 go\r\n226 done\r\n' }, async (port) => {
    await assert.rejects(get({ host: '127.0.0.1', port, path: 'dir', type: 'd', extended: false, timeout: 20_000 }), LimitError);
  });
});

test('ftp.command takes lists of commands with their checks, as LuaSocket', async () => {
  const srv = await scriptedFtp({ replies: { MKD: '257 "tmp" created\r\n', RMD: '250 removed\r\n', DELE: '550 no such file\r\n' } });
  try {
    const replies = await command({ host: '127.0.0.1', port: srv.port, command: ['MKD', 'RMD'], argument: ['tmp', 'tmp'], check: [257, 250], timeout: T });
    assert.deepEqual(
      replies.map((r) => r.code),
      [257, 250],
    );
    assert.ok(srv.lines.includes('MKD tmp') && srv.lines.includes('RMD tmp'));
    const objects = await command({ host: '127.0.0.1', port: srv.port, command: [{ command: 'MKD', argument: 'a', check: 257 }], timeout: T });
    assert.equal(objects[0]!.code, 257);
    await assert.rejects(command({ host: '127.0.0.1', port: srv.port, command: ['DELE', 'MKD'], argument: ['x', 'y'], timeout: T }), ReplyError);
    assert.ok(!srv.lines.includes('MKD y'), 'the list stops at the first failed check');
    await assert.rejects(command({ host: '127.0.0.1', port: srv.port, command: ['MKD'], argument: 'tmp' as never }), ArgumentError);
    await assert.rejects(command({ host: '127.0.0.1', port: srv.port, command: ['MKD\r\nDELE x'] }), ArgumentError);
    await assert.rejects(command({ host: '127.0.0.1', port: srv.port, command: [] }), ArgumentError);
  } finally {
    await srv.close();
  }
});

test("tls takes the project's words: 'starttls' (alias 'explicit'), 'implicit', 'none'/false; anything else is ArgumentError before connecting", async () => {
  const srv = await scriptedFtp({ replies: { AUTH: '534 no TLS here\r\n' } });
  try {
    for (const word of ['starttls', 'explicit'] as const) {
      await assert.rejects(command({ host: '127.0.0.1', port: srv.port, tls: word, command: 'NOOP', timeout: T }), { code: 'tls' }, word);
    }
    const before = srv.connections;
    for (const bad of ['ssl', 'STARTTLS', true, 1]) {
      await assert.rejects(command({ host: '127.0.0.1', port: srv.port, tls: bad as never, command: 'NOOP', timeout: T }), ArgumentError, String(bad));
    }
    assert.equal(srv.connections, before, 'a bad word is refused before connecting');
  } finally {
    await srv.close();
  }
});
