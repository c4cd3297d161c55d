import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tcpPair } from '../../../testkit/socket.js';
import type { WebContext } from './connection.js';
import { ConnectionDeadline } from './deadline.js';
import { FileStore } from './file-store.js';
import type { HeadReader } from './head-reader.js';
import { Inflight } from './inflight.js';
import { ChunkSlots } from './chunk-slots.js';
import { answerInline, type InlineConn } from './inline.js';
import { parseTarget, type SafePath } from './target.js';

const GET = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;

test('answerInline takes whole requests that memory decides and stops at the first it cannot', { timeout: 20000 }, async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'nk-inline-unit-')));
  writeFileSync(join(dir, 'a.txt'), 'hello\n');
  writeFileSync(join(dir, 'b.txt'), 'cold\n');
  const store = new FileStore(dir);
  await store.lookup(parseTarget('/a.txt') as SafePath); // warm: a.txt is cached, b.txt is not
  const ctx: WebContext = {
    store,
    pool: new Inflight(1 << 20),
    slots: new ChunkSlots(),
    limits: {},
    maxPathBytes: 4096,
    idleTimeout: 5000,
    headerTimeout: 5000,
    sendTimeout: 5000,
    maxBodyBytes: 1024,
    maxRequests: 100,
    dotfiles: false,
    log: null,
    closing: false,
    idle: new Set(),
  };
  const p = await tcpPair();
  const reader = { parked: true } as unknown as HeadReader;
  const conn: InlineConn = { client: p.peer, ctx, reader, deadline: new ConnectionDeadline(), remote: '127.0.0.1', served: 0 };
  try {
    const rows: [wire: string, taken: string, responses: number][] = [
      [GET('/a.txt') + GET('/a.txt'), GET('/a.txt') + GET('/a.txt'), 2],
      [GET('/a.txt') + GET('/b.txt') + GET('/a.txt'), GET('/a.txt'), 1], // b.txt needs the disk
      [GET('/nope') + GET('/.env'), '', 0], // a lookup never made: not in memory
      [GET('/a.txt') + GET('/a.txt', 'Content-Length: 1\r\n'), GET('/a.txt'), 1], // a body: the awaited path
      [`${GET('/a.txt')}GET /a.txt HTTP/1.1\r\nHo`, GET('/a.txt'), 1], // a partial head waits for more
      [`${GET('/a.txt')}GET /a b c HTTP/1.1\r\n\r\n`, GET('/a.txt'), 1], // malformed: answered 400 by the awaited path
      [GET('/a.txt', 'Connection: close\r\n'), '', 0], // closing is the awaited path's job
      [`DELETE /a.txt HTTP/1.1\r\nHost: x\r\n\r\n${GET('/.env')}`, `DELETE /a.txt HTTP/1.1\r\nHost: x\r\n\r\n`, 1], // a 405 and a hidden dotfile need no lookup
    ];
    let expected = 0;
    for (const [wire, taken, responses] of rows.slice(0, -1)) {
      assert.equal(answerInline(conn, Buffer.from(wire, 'latin1')), taken.length, wire);
      expected += responses;
    }
    assert.equal(conn.served, expected);
    const last = rows.at(-1)!;
    assert.equal(answerInline(conn, Buffer.from(last[0], 'latin1')), last[0].length, 'a 405 and a dotfile 404 need no lookup');
    (reader as { parked: boolean }).parked = false;
    assert.equal(answerInline(conn, Buffer.from(GET('/a.txt'))), 0, 'not waiting for a request: nothing is taken');
    (reader as { parked: boolean }).parked = true;
    ctx.closing = true;
    assert.equal(answerInline(conn, Buffer.from(GET('/a.txt'))), 0, 'a closing server takes nothing');
    p.client.setTimeout(5000);
    const got = (await p.client.receivePartial(1 << 20))!.toString('latin1');
    let more = got;
    while ((more.match(/^HTTP\/1\.1 /gm) ?? []).length < expected + 2) more += (await p.client.receivePartial(1 << 20))!.toString('latin1');
    assert.deepEqual(more.match(/^HTTP\/1\.1 \d+/gm), [...Array(expected).fill('HTTP/1.1 200'), 'HTTP/1.1 405', 'HTTP/1.1 404']);
  } finally {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
