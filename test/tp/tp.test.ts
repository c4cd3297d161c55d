import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SMTPServer } from 'smtp-server';
import { checkLine, connect, dotSink, dotSource, formatCommand } from '../../src/protocols/tp/index.js';
import { pump, sink, source } from '../../src/ltn12/index.js';
import { ArgumentError, ClosedError, LimitError, ProtocolError, ReplyError } from '../../src/core/index.js';
import { scriptedServer } from '../../testkit/scripted.js';

for (const byteByByte of [false, true]) {
  test(`getReply() joins SMTP and FTP multi-line replies${byteByByte ? ' (1-byte writes)' : ''}`, { timeout: 20000 }, async () => {
    const srv = await scriptedServer(
      [
        { send: '220-first\r\n220-second\r\n220 ready\r\n' },
        { send: '211-Features:\r\n MDTM\r\n211-not the end\r\n211 End\r\n' },
        { send: '550 no such file\r\n' },
      ],
      { byteByByte },
    );
    const conn = await connect('127.0.0.1', srv.port);
    try {
      const greet = await conn.check('2..');
      assert.equal(greet.code, 220);
      assert.equal(greet.message, 'first\nsecond\nready');
      const feat = await conn.check(211);
      assert.deepEqual(feat.lines, ['211-Features:', ' MDTM', '211-not the end', '211 End']);
      const err = await conn.check('2..').catch((e) => e);
      assert.ok(err instanceof ReplyError);
      assert.equal(err.replyCode, 550);
      assert.equal(err.reply, '550 no such file');
    } finally {
      await conn.close();
      await srv.close();
    }
  });
}

test('malformed, bare-LF, over-long and endless replies are typed errors', { timeout: 20000 }, async () => {
  const cases: [string, new (...a: never[]) => Error][] = [
    ['hello there\r\n', ProtocolError],
    ['250 ok\n', ProtocolError],
    ['250 bare\rcr\r\n', ProtocolError],
    [`250 ${'x'.repeat(10_000)}\r\n`, LimitError],
    ['250-a\r\n'.repeat(2000), LimitError],
  ];
  for (const [bytes, type] of cases) {
    const srv = await scriptedServer([{ send: bytes }]);
    const conn = await connect('127.0.0.1', srv.port, { maxReplyLines: 1000 });
    try {
      await assert.rejects(conn.getReply(), type, JSON.stringify(bytes.slice(0, 20)));
    } finally {
      await conn.close();
      await srv.close();
    }
  }
});

test('command() refuses CR, LF and NUL before sending anything; pipeline() reads replies in order', { timeout: 20000 }, async () => {
  const srv = await scriptedServer([{ awaitLines: 3, send: '250 a\r\n550 b\r\n250 c\r\n' }]);
  const conn = await connect('127.0.0.1', srv.port);
  try {
    await assert.rejects(conn.command('RCPT', 'TO:<a@x>\r\nRSET'), { code: 'invalid argument' });
    await assert.rejects(conn.command('MAIL\r\nX'), { code: 'invalid argument' });
    await assert.rejects(conn.command('USER', 'a\0b'), { code: 'invalid argument' });
    const replies = await conn.pipeline([
      ['MAIL', 'FROM:<a@x>'],
      ['RCPT', 'TO:<b@x>'],
      ['RCPT', 'TO:<c@x>'],
    ]);
    assert.deepEqual(
      replies.map((r) => r.code),
      [250, 550, 250],
    );
    assert.equal(srv.received().toString(), 'MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nRCPT TO:<c@x>\r\n');
  } finally {
    await conn.close();
    await srv.close();
  }
});

test('checkLine() is the one CR/LF/NUL check: formatCommand() refuses exactly what it refuses', () => {
  const vectors: [string, boolean][] = [
    ['plain', true],
    ['with space', true],
    ['tab\there', true],
    ['é and ü', true],
    ['', true],
    ['a\rb', false],
    ['a\nb', false],
    ['a\0b', false],
    ['a\r\nDELE x', false],
    ['\r\n', false],
    ['end\n', false],
  ];
  for (const [value, ok] of vectors) {
    if (ok) {
      assert.equal(checkLine(value, 'path'), value);
      assert.equal(formatCommand('CWD', value), value === '' ? 'CWD\r\n' : `CWD ${value}\r\n`);
    } else {
      assert.throws(
        () => checkLine(value, 'path'),
        (e: unknown) => e instanceof ArgumentError && /CR, LF or NUL in the path/.test(e.message),
        JSON.stringify(value),
      );
      assert.throws(() => formatCommand('CWD', value), ArgumentError, JSON.stringify(value));
    }
  }
});

test('dotSource() un-stuffs, keeps bytes exact, ends only at CRLF.CRLF; a cut block is ClosedError', { timeout: 20000 }, async () => {
  const block = 'line one\r\n..leading dot\r\n.\tnot the end\r\n\xe9t\xe9\r\n.\r\nafter\r\n';
  for (const byteByByte of [false, true]) {
    const srv = await scriptedServer([{ send: Buffer.from(block, 'latin1') }], { byteByByte });
    const conn = await connect('127.0.0.1', srv.port);
    const [snk, chunks] = sink.table();
    await pump.all(dotSource(conn), snk);
    assert.equal(Buffer.concat(chunks).toString('latin1'), 'line one\r\n.leading dot\r\n\tnot the end\r\n\xe9t\xe9\r\n');
    assert.equal(await conn.socket.receive('*l'), 'after', 'nothing after the terminator was consumed');
    await conn.close();
    await srv.close();
  }
  const cut = await scriptedServer([{ send: 'one\r\ntwo', end: true }]);
  const conn = await connect('127.0.0.1', cut.port);
  const err = await pump.all(dotSource(conn), sink.null()).catch((e) => e);
  assert.equal(err.code, 'closed');
  assert.ok(err.cause instanceof ClosedError);
  await conn.close();
  await cut.close();
});

test('dotSink() against smtp-server: dot lines survive, smuggling variants create no second message', { timeout: 30000 }, async () => {
  const messages: string[] = [];
  const server = new SMTPServer({
    disableReverseLookup: true,
    authOptional: true,
    logger: false,
    onData(stream, _session, done) {
      const parts: Buffer[] = [];
      stream.on('data', (d: Buffer) => parts.push(d));
      stream.on('end', () => {
        messages.push(Buffer.concat(parts).toString('latin1'));
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  const conn = await connect('127.0.0.1', port);
  try {
    await conn.check('220');
    await conn.command('EHLO', 'client.test');
    await conn.check('250');
    const bodies = [
      'Subject: one\r\n\r\n.leading\r\n..two\r\nend',
      'Subject: two\r\n\r\nsmuggle\n.\nMAIL FROM:<evil@x>\n',
      'Subject: three\r\n\r\nsmuggle\r.\rRCPT TO:<x@y>\r',
      'Subject: four\r\n\r\nsmuggle\r\n.\nDATA\r\n',
    ];
    for (const body of bodies) {
      await conn.command('MAIL', 'FROM:<a@client.test>');
      await conn.check('250');
      await conn.command('RCPT', 'TO:<b@server.test>');
      await conn.check('250');
      await conn.command('DATA');
      await conn.check('354');
      await pump.all(source.string(body, 3), dotSink(conn));
      await conn.check('250');
    }
    await conn.command('QUIT');
    await conn.check('221');
    assert.equal(messages.length, bodies.length, 'exactly one message per DATA');
    assert.equal(messages[0], 'Subject: one\r\n\r\n.leading\r\n..two\r\nend\r\n');
    assert.equal(messages[1], 'Subject: two\r\n\r\nsmuggle\r\n.\r\nMAIL FROM:<evil@x>\r\n');
    for (const m of messages) assert.ok(!/\r(?!\n)|(?<!\r)\n/.test(m), `bare line end in ${JSON.stringify(m)}`);
  } finally {
    await conn.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
