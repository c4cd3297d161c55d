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
  assert.deepEqual(
    all.map((e) => e.name),
    ['a'],
  );
});

test('Unix LIST lines: files, dirs, links, recent times and years, odd owners', () => {
  const vectors: [string, { name: string; type: string; size: number; modified: string; target?: string }][] = [
    [
      '-rw-r--r--    1 ftp      ftp        300000 Dec 02 15:48 file.bin',
      { name: 'file.bin', type: 'file', size: 300000, modified: '2025-12-02T15:48:00.000Z' },
    ],
    ['drwxr-xr-x 2 0 0 4096 Mar  1 12:00 pub', { name: 'pub', type: 'dir', size: 4096, modified: '2026-03-01T12:00:00.000Z' }],
    ['lrwxrwxrwx 1 u g 7 Jan 1  2020 l -> /etc/x', { name: 'l', type: 'link', size: 7, modified: '2020-01-01T00:00:00.000Z', target: '/etc/x' }],
    ['-rw-r--r-- 1 user 12 Jun 15 11:00 no group', { name: 'no group', type: 'file', size: 12, modified: '2026-06-15T11:00:00.000Z' }],
    ['-rwxr-xr-x+ 1 a b 1 Feb 29 2024 acl file', { name: 'acl file', type: 'file', size: 1, modified: '2024-02-29T00:00:00.000Z' }],
  ];
  for (const [line, want] of vectors) {
    const e = parseListLine(line, now)!;
    assert.deepEqual(
      JSON.parse(JSON.stringify({ name: e.name, type: e.type, size: e.size, modified: e.modified?.toISOString(), target: e.target })),
      want,
      line,
    );
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
  assert.deepEqual(
    entries.map((e) => e.name),
    ['x'],
  );
});

test('parseTimeVal() accepts only YYYYMMDDHHMMSS[.sss]', () => {
  assert.equal(parseTimeVal('20261202154824')?.toISOString(), '2026-12-02T15:48:24.000Z');
  for (const bad of ['2026120215482', '20261202154824.', 'x0261202154824', '']) assert.equal(parseTimeVal(bad), undefined, bad);
});

test('dates that do not exist are left out, not rolled over into other dates (R-02 ftp-listing)', () => {
  for (const bad of ['20241301000000', '20240230000000', '20240101240000', '20240101006000', '00240101000000']) assert.equal(parseTimeVal(bad), undefined, bad);
  assert.equal(parseTimeVal('20240229235959.999')?.toISOString(), '2024-02-29T23:59:59.999Z');
  assert.equal(parseMlsdLine('type=file;modify=20241341250000; a').modified, undefined);
  for (const line of [
    '-rw-r--r-- 1 u g 5 Feb 30  2024 a',
    '-rw-r--r-- 1 u g 5 Jan  1 25:61 a',
    '13-01-24  12:00PM  5 a',
    '01-01-24  99:99PM  5 a',
    '01-01-24  13:00PM  5 a',
    '01-01-24  00:10AM  5 a',
  ]) {
    const e = parseListLine(line, now)!;
    assert.equal(e.type, 'file', line);
    assert.equal(e.size, 5, line);
    assert.equal(e.modified, undefined, line);
  }
});

test('sizes a double cannot hold exactly are left out (R-02 ftp-listing)', () => {
  assert.equal(parseMlsdLine('type=file;size=99999999999999999999; a').size, undefined);
  assert.equal(parseMlsdLine('type=file;size=9007199254740991; a').size, 9007199254740991);
  assert.equal(parseListLine('-rw-r--r-- 1 u g 99999999999999999999 Jan  1  2024 big', now)?.size, undefined);
  assert.equal(parseListLine('01-01-24  01:00PM  99999999999999999999 big', now)?.size, undefined);
});

test('a name holding U+2028 or U+2029 is still parsed as a Unix or DOS entry; a CR in it is a ProtocolError (R-02 ftp-listing)', () => {
  assert.deepEqual(parseListLine('-rw-r--r-- 1 u g 5 Jan  1  2024 a\u2028b', now)?.name, 'a\u2028b');
  assert.deepEqual(parseListLine('01-01-24  01:00PM  5 c\u2029d', now)?.name, 'c\u2029d');
  assert.throws(() => parseListLine('-rw-r--r-- 1 u g 5 Jan  1  2024 a\rb', now), ProtocolError);
});
