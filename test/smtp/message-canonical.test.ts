import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pump, sink, source } from '../../src/ltn12/index.js';
import { parseHeaders } from '../../src/mime/index.js';
import { attachment, message, type Part } from '../../src/protocols/smtp/index.js';
import { runCli } from '../../testkit/index.js';
import { startSmtpSink } from '../../testkit/smtp-sink.js';

async function render(part: Part): Promise<Buffer> {
  const [snk, chunks] = sink.table();
  await pump.all(message(part), snk);
  return Buffer.concat(chunks);
}

/** The one part's headers and its content decoded from base64. */
async function base64Part(part: Part): Promise<{ headers: ReturnType<typeof parseHeaders>; content: Buffer }> {
  const raw = await render(part);
  const headers = parseHeaders(raw);
  assert.equal(headers.get('content-transfer-encoding'), 'base64');
  const text = raw.subarray(headers.bytes).toString('latin1');
  assert.match(text, /^[A-Za-z0-9+/=\r\n]*$/, 'only base64 and CRLF lines');
  return { headers, content: Buffer.from(text, 'base64') };
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'nk-canon-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cyrillic = 'Привет,\nмир!\n'; // mostly 8-bit: base64 is chosen
const vectors: { name: string; part: () => Part; content: Buffer }[] = [
  { name: 'a string whose base64 was chosen: LF → CRLF', part: () => ({ body: cyrillic }), content: Buffer.from(cyrillic.replace(/\n/g, '\r\n')) },
  {
    name: 'a string already in CRLF stays (no CR doubled)',
    part: () => ({ headers: { 'Content-Transfer-Encoding': 'base64' }, body: 'a\r\nb\r\n' }),
    content: Buffer.from('a\r\nb\r\n'),
  },
  {
    name: 'bare CR and mixed ends',
    part: () => ({ headers: { 'Content-Transfer-Encoding': 'base64' }, body: 'a\rb\nc\r\nd' }),
    content: Buffer.from('a\r\nb\r\nc\r\nd'),
  },
  {
    name: 'a text/plain Buffer',
    part: () => ({
      headers: [
        ['Content-Type', 'text/plain; charset=koi8-r'],
        ['Content-Transfer-Encoding', 'base64'],
      ],
      body: Buffer.from([0xf0, 0x0a, 0xf1, 0x0a]),
    }),
    content: Buffer.from([0xf0, 0x0d, 0x0a, 0xf1, 0x0d, 0x0a]),
  },
  {
    name: 'a text/html Source, CR and LF cut apart between chunks',
    part: () => ({
      headers: { 'Content-Type': 'text/html', 'Content-Transfer-Encoding': 'base64' },
      body: source.cat(source.string('x\r'), source.string('\ny\n'), source.string('z')),
    }),
    content: Buffer.from('x\r\ny\r\nz'),
  },
  {
    name: 'binary content is not touched',
    part: () => ({ body: Buffer.from([0x00, 0x0a, 0xff, 0x0d, 0x0a, 0x0d]) }),
    content: Buffer.from([0x00, 0x0a, 0xff, 0x0d, 0x0a, 0x0d]),
  },
  {
    name: 'an application/* Source in base64 is not touched',
    part: () => ({ headers: { 'Content-Type': 'application/x-thing', 'Content-Transfer-Encoding': 'base64' }, body: source.string('a\nb\n') }),
    content: Buffer.from('a\nb\n'),
  },
];

for (const v of vectors) {
  test(`base64 text is canonical CRLF before encoding: ${v.name}`, async () => {
    const { content } = await base64Part(v.part());
    assert.deepEqual(content, v.content);
  });
}

test('an attached text file travels byte-exact (no line-end change inside an attachment)', async () => {
  const file = join(dir, 'notes.txt');
  writeFileSync(file, 'one\ntwo\r\nthree\n');
  const { headers, content } = await base64Part(attachment(file));
  assert.match(headers.get('content-type')!, /^text\/plain/);
  assert.deepEqual(content, Buffer.from('one\ntwo\r\nthree\n'));
});

test('headers whose value is undefined or null are left out, not written empty', async () => {
  const cases: { headers: Part['headers']; absent: string[]; present: [string, string][] }[] = [
    { headers: { Subject: undefined, Cc: null, To: 'b@x.test' }, absent: ['subject', 'cc'], present: [['to', 'b@x.test']] },
    {
      headers: [
        ['X-A', null],
        ['X-B', 'v'],
        ['X-C', undefined],
        ['X-B', 'w'],
      ],
      absent: ['x-a', 'x-c'],
      present: [['x-b', 'v']],
    },
    { headers: { 'X-Empty': '' }, absent: [], present: [['x-empty', '']] },
  ];
  for (const c of cases) {
    const raw = (await render({ headers: c.headers, body: 'hi' })).toString('latin1');
    const h = parseHeaders(raw);
    for (const name of c.absent) assert.equal(h.all(name).length, 0, `${name} is absent in\n${raw}`);
    for (const [name, value] of c.present) assert.equal(h.get(name), value);
    assert.ok(!/^[\w-]+:\s*\r\n/m.test(raw.slice(0, h.bytes)) || c.present.some(([, v]) => v === ''), 'no empty header line unless asked for');
  }
  const h = parseHeaders(await render({ headers: { Date: undefined, 'Message-ID': null }, body: 'x' }));
  assert.ok(h.get('date') && h.get('message-id'), 'a header without a value counts as not given: the defaults are added');
  // the defaults' shapes: an RFC 5322 date of now in +0000, a fresh 32-hex-digit id per message
  const date = h.get('date')!;
  assert.match(date, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  assert.ok(Math.abs(Date.parse(date.replace('+0000', 'GMT')) - Date.now()) < 5000, date);
  const again = parseHeaders(await render({ body: 'y' }));
  assert.match(h.get('message-id')!, /^<[0-9a-f]{32}@netkit\.invalid>$/);
  assert.notEqual(again.get('message-id'), h.get('message-id'));
});

test('netkit mail send without --subject sends no Subject header; with one, it does', { timeout: 30000 }, async () => {
  const srv = await startSmtpSink();
  try {
    const base = ['mail', 'send', '--server', `127.0.0.1:${srv.port}`, '--tls', 'none', '--from', 'me@x.test', '--to', 'you@x.test'];
    const none = await runCli(base, {}, 'no subject here\n');
    assert.equal(none.code, 0, none.err);
    const withOne = await runCli([...base, '--subject', 'Hi'], {}, 'with a subject\n');
    assert.equal(withOne.code, 0, withOne.err);
    const [a, b] = srv.got.map((m) => parseHeaders(m.data));
    assert.deepEqual(a!.all('subject'), []);
    assert.ok(!/^Subject:/im.test(srv.got[0]!.data.toString('latin1').slice(0, a!.bytes)));
    assert.equal(a!.get('from'), 'me@x.test');
    assert.equal(b!.get('subject'), 'Hi');
  } finally {
    await srv.close();
  }
});
