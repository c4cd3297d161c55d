import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError } from '../../core/errors.js';
import { parseList, parseListLine, parseMlsd, parseMlsdLine, parseTimeVal } from './listing.js';

const now = new Date(Date.UTC(2026, 5, 15, 12, 0));

test('MLSD lines: facts (case-insensitive), types, size, modify, names with spaces', () => {
  const vectors: [string, { name: string; type: string; size?: number; modified?: string }][] = [
    ['type=file;size=5;modify=20240101120000; hello.txt', { name: 'hello.txt', type: 'file', size: 5, modified: '2024-01-01T12:00:00.000Z' }],
    ['Type=dir;Modify=20240101120000.5;Perm=el; pub', { name: 'pub', type: 'dir', modified: '2024-01-01T12:00:00.500Z' }],
    ['type=OS.unix=slink:/x;size=1; link', { name: 'link', type: 'link', size: 1 }],
    ['size=7;type=file; with  two  spaces ', { name: 'with  two  spaces ', type: 'file', size: 7 }],
    ['type=file; ;semi;colon', { name: ';semi;colon', type: 'file' }],
  ];
  for (const [line, want] of vectors) {
    const e = parseMlsdLine(line);
    assert.equal(e.name, want.name, line);
    assert.equal(e.type, want.type, line);
    assert.equal(e.size, want.size, line);
    assert.equal(e.modified?.toISOString(), want.modified, line);
  }
  for (const bad of ['type=file;size=1;', 'type=file;=x; name', 'type=file; ']) assert.throws(() => parseMlsdLine(bad), ProtocolError, bad);
  const all = parseMlsd(Buffer.from('type=cdir; .\r\ntype=pdir; ..\r\ntype=file;size=0; a\r\n'));
  assert.deepEqual(all.map((e) => e.name), ['a']);
});

test('Unix LIST lines: files, dirs, links, recent times and years, odd owners', () => {
  const vectors: [string, { name: string; type: string; size: number; modified: string; target?: string }][] = [
    ['-rw-r--r--    1 ftp      ftp        300000 Dec 02 15:48 file.bin', { name: 'file.bin', type: 'file', size: 300000, modified: '2025-12-02T15:48:00.000Z' }],
    ['drwxr-xr-x 2 0 0 4096 Mar  1 12:00 pub', { name: 'pub', type: 'dir', size: 4096, modified: '2026-03-01T12:00:00.000Z' }],
    ['lrwxrwxrwx 1 u g 7 Jan 1  2020 l -> /etc/x', { name: 'l', type: 'link', size: 7, modified: '2020-01-01T00:00:00.000Z', target: '/etc/x' }],
    ['-rw-r--r-- 1 user 12 Jun 15 11:00 no group', { name: 'no group', type: 'file', size: 12, modified: '2026-06-15T11:00:00.000Z' }],
    ['-rwxr-xr-x+ 1 a b 1 Feb 29 2024 acl file', { name: 'acl file', type: 'file', size: 1, modified: '2024-02-29T00:00:00.000Z' }],
  ];
  for (const [line, want] of vectors) {
    const e = parseListLine(line, now)!;
    assert.deepEqual(JSON.parse(JSON.stringify({ name: e.name, type: e.type, size: e.size, modified: e.modified?.toISOString(), target: e.target })), want, line);
  }
  assert.equal(parseListLine('total 12', now), undefined);
  assert.equal(parseListLine('something else entirely', now)?.type, 'unknown');
});

test('DOS LIST lines: 12- and 24-hour times, 2- and 4-digit years, <DIR>', () => {
  const vectors: [string, { name: string; type: string; size?: number; modified: string }][] = [
    ['03-01-24  12:00PM       <DIR>          pub', { name: 'pub', type: 'dir', modified: '2024-03-01T12:00:00.000Z' }],
    ['03-01-24  12:05AM                 1234 a file.txt', { name: 'a file.txt', type: 'file', size: 1234, modified: '2024-03-01T00:05:00.000Z' }],
    ['12-31-1999  23:59  5 y2k', { name: 'y2k', type: 'file', size: 5, modified: '1999-12-31T23:59:00.000Z' }],
    ['01-02-03  01:02PM  0 e', { name: 'e', type: 'file', size: 0, modified: '2003-01-02T13:02:00.000Z' }],
  ];
  for (const [line, want] of vectors) {
    const e = parseListLine(line, now)!;
    assert.deepEqual(JSON.parse(JSON.stringify({ name: e.name, type: e.type, size: e.size, modified: e.modified?.toISOString() })), want, line);
  }
  const entries = parseList(Buffer.from('total 2\r\ndrwxr-xr-x 2 0 0 4096 Mar  1 12:00 .\r\n-rw-r--r-- 1 0 0 1 Mar  1 12:00 x\n'), now);
  assert.deepEqual(entries.map((e) => e.name), ['x']);
});

test('parseTimeVal() accepts only YYYYMMDDHHMMSS[.sss]', () => {
  assert.equal(parseTimeVal('20261202154824')?.toISOString(), '2026-12-02T15:48:24.000Z');
  for (const bad of ['2026120215482', '20261202154824.', 'x0261202154824', '']) assert.equal(parseTimeVal(bad), undefined, bad);
});
