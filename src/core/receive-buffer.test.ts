import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiveBuffer, type Pattern } from './receive-buffer.js';
import { AbortError, ArgumentError, ClosedError, LimitError, NetError, type ProtocolError, TimeoutError } from './errors.js';

function filled(text: string | Buffer, end = true): ReceiveBuffer {
  const rb = new ReceiveBuffer();
  rb.push(Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1'));
  if (end) rb.end();
  return rb;
}

test("receive('*l') drops every CR and ends at LF (LuaSocket rule)", async () => {
  const rb = filled('a\r\nb\nc\rd\r\n\r\n\nlast');
  const got: string[] = [];
  for (let i = 0; i < 5; i++) got.push(await rb.receive('*l'));
  assert.deepEqual(got, ['a', 'b', 'cd', '', '']);
  await assert.rejects(rb.receive('line'), (e: ClosedError) => e.code === 'closed' && e.partial.toString() === 'last');
});

test("receive('*L') keeps the end of line; 'all' and counts give Buffers", async () => {
  const rb = filled('one\r\ntwo\nxyz0123456789');
  assert.equal(await rb.receive('*L'), 'one\r\n');
  assert.equal(await rb.receive('*L'), 'two\n');
  assert.deepEqual(await rb.receive(3), Buffer.from('xyz'));
  assert.deepEqual(await rb.receive(0), Buffer.alloc(0));
  assert.deepEqual(await rb.receive('all'), Buffer.from('0123456789'));
  assert.deepEqual(await rb.receive('*a'), Buffer.alloc(0)); // an empty result, not 'closed' (a deliberate difference from LuaSocket 3.1)
  assert.deepEqual(await rb.all(), Buffer.alloc(0));
});

test('prefix is prepended to results and to partial', async () => {
  const rb = filled('def\nghi');
  assert.equal(await rb.receive('*l', 'abc'), 'abcdef');
  await assert.rejects(rb.receive(10, Buffer.from('>')), (e: ClosedError) => e.partial.toString() === '>ghi');
  const rb2 = filled('12345');
  assert.deepEqual(await rb2.receive(4, 'xy'), Buffer.from('xy12'));
  assert.deepEqual(await rb2.receive('*a', 'p'), Buffer.from('p345'));
});

test('a count larger than what arrives fails with ClosedError carrying the bytes', async () => {
  const rb = filled('abc');
  await assert.rejects(rb.receive(5), (e: ClosedError) => e instanceof ClosedError && e.partial.toString() === 'abc');
});

test('invalid patterns and counts are rejected', async () => {
  const rb = filled('x');
  for (const p of [-1, 1.5, NaN, 2 ** 53, '*x' as unknown as Pattern]) {
    await assert.rejects(rb.receive(p), (e: NetError) => e.code === 'invalid argument', String(p));
  }
});

test('lines and bytes are binary safe and UTF-8 decoded by default', async () => {
  const bytes = Buffer.concat([Buffer.from('héllo ☃\n', 'utf8'), Buffer.from([0, 255, 10, 1, 2, 3])]);
  const rb = filled(bytes);
  assert.equal(await rb.receive(), 'héllo ☃');
  rb.encoding = 'latin1';
  assert.equal(await rb.receive(), '\u0000\u00ff');
  assert.deepEqual(await rb.receive(3), Buffer.from([1, 2, 3]));
});

test('every split of a stream gives the same results (1-byte and random)', async () => {
  const stream = Buffer.from(`alpha\r\nbeta\n\ngamma\rdelta\n${'x'.repeat(300)}\n0123456789 tail héé\n`, 'utf8');
  const script: Pattern[] = ['*l', '*L', '*l', '*l', 4, '*l', 7, '*a'];
  async function run(chunks: Buffer[]): Promise<unknown[]> {
    const rb = new ReceiveBuffer();
    const out: Promise<unknown[]> = (async () => {
      const got: unknown[] = [];
      for (const p of script) got.push(await rb.receive(p));
      return got;
    })();
    for (const c of chunks) {
      rb.push(c);
      await new Promise((r) => setImmediate(r));
    }
    rb.end();
    return out;
  }
  const whole = await run([stream]);
  assert.equal(whole[0], 'alpha');
  assert.equal(whole[1], 'beta\n');
  assert.equal(whole[3], 'gammadelta');
  assert.deepEqual(await run([...stream].map((b) => Buffer.from([b]))), whole);
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 17) + 1;
  for (let round = 0; round < 20; round++) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < stream.length; ) {
      const n = rand();
      chunks.push(stream.subarray(i, i + n));
      i += n;
    }
    assert.deepEqual(await run(chunks), whole, `round ${round}`);
  }
});

test('mixing line receives with byte receives keeps byte positions (line cache)', async () => {
  const rb = filled('l1\nl2\nl3\nl4\nrest');
  assert.equal(await rb.receive(), 'l1');
  assert.deepEqual(await rb.receive(2), Buffer.from('l2'));
  assert.equal(await rb.receive(), '');
  assert.equal(await rb.receive('*L'), 'l3\n');
  rb.unshift(Buffer.from('back\n'));
  assert.equal(await rb.receive(), 'back');
  assert.equal(rb.peek(3).toString(), 'l4\n');
  assert.equal(await rb.receive(), 'l4');
  assert.deepEqual(await rb.receive('*a'), Buffer.from('rest'));
});

test('line limit: LimitError, the data stays buffered', async () => {
  const rb = filled('0123456789abcdef\nok\n');
  rb.lineLimit = 8;
  await assert.rejects(rb.receive(), (e: LimitError) => e instanceof LimitError && e.code === 'too large' && e.partial.toString() === '01234567');
  assert.equal(rb.length, 20);
  assert.deepEqual(await rb.receive(17), Buffer.from('0123456789abcdef\n'));
  assert.equal(await rb.receive(), 'ok');
  // no LF at all, more than the limit buffered
  const rb2 = new ReceiveBuffer();
  rb2.lineLimit = 4;
  const p = rb2.receive();
  rb2.push(Buffer.from('abcdefgh'));
  await assert.rejects(p, LimitError);
  assert.equal(rb2.length, 8);
});

test('strict lines: only CRLF ends a line; bare CR or LF is a ProtocolError', async () => {
  const rb = filled('250 ok\r\nbad\nx\ry\r\n\r\nbytes\r\n');
  assert.equal(await rb.line({ strict: true }), '250 ok');
  await assert.rejects(rb.line({ strict: true }), (e: ProtocolError) => e.code === 'protocol' && e.line === 'bad');
  await assert.rejects(rb.line({ strict: true }), (e: ProtocolError) => /bare CR/.test(e.message));
  assert.equal(await rb.line({ strict: true }), '');
  assert.deepEqual(await rb.line({ strict: true, as: 'buffer' }), Buffer.from('bytes'));
});

test('line({ keepEol, as: buffer }) returns raw bytes', async () => {
  const rb = filled('a\r\nb');
  assert.deepEqual(await rb.line({ keepEol: true, as: 'buffer' }), Buffer.from('a\r\n'));
  assert.deepEqual(await rb.line({ as: 'buffer' }).catch((e: ClosedError) => e.partial), Buffer.from('b'));
});

test('partial() gives what is buffered, null at the end', async () => {
  const rb = new ReceiveBuffer();
  const p = rb.partial(4);
  rb.push(Buffer.from('abcdef'));
  assert.deepEqual(await p, Buffer.from('abcd'));
  assert.deepEqual(await rb.partial(100), Buffer.from('ef'));
  rb.end();
  assert.equal(await rb.partial(), null);
});

test('a failure ends receives with ClosedError whose cause is the error', async () => {
  const rb = new ReceiveBuffer();
  rb.push(Buffer.from('par'));
  rb.fail(new NetError('reset', 'connection reset by peer'));
  await assert.rejects(rb.receive('*a'), (e: ClosedError) => e.partial.toString() === 'par' && (e.cause as NetError).code === 'reset');
  await assert.rejects(rb.partial(), ClosedError);
});

test('block timeout: fires after the idle time, with partial; progress restarts it', async () => {
  const rb = new ReceiveBuffer();
  rb.timeouts.set(150, 'b');
  const t0 = performance.now();
  const p = rb.receive(100);
  const drip = setInterval(() => rb.push(Buffer.from('x')), 50);
  setTimeout(() => clearInterval(drip), 400);
  await assert.rejects(p, (e: TimeoutError) => e instanceof TimeoutError && e.partial.length >= 5);
  const ms = performance.now() - t0;
  assert.ok(ms >= 400 && ms < 400 + 150 + 150, `took ${ms}`);
});

test('total timeout: bounds the call despite steady progress', async () => {
  const rb = new ReceiveBuffer();
  rb.timeouts.set(1000, 'b');
  rb.timeouts.set(300, 't');
  const t0 = performance.now();
  const p = rb.receive('*l');
  const drip = setInterval(() => rb.push(Buffer.from('y')), 30);
  try {
    await assert.rejects(p, (e: TimeoutError) => e.code === 'timeout' && e.partial.length > 3);
  } finally {
    clearInterval(drip);
  }
  const ms = performance.now() - t0;
  assert.ok(ms >= 295 && ms < 300 * 1.1 + 50, `took ${ms}`);
});

test('abort signal ends a wait with AbortError and partial', async () => {
  const rb = new ReceiveBuffer();
  const ac = new AbortController();
  const p = rb.receive(10, undefined, { signal: ac.signal });
  rb.push(Buffer.from('ab'));
  ac.abort();
  await assert.rejects(p, (e: AbortError) => e instanceof AbortError && e.partial.toString() === 'ab');
});

test('a second concurrent receive is refused with code busy', async () => {
  const rb = new ReceiveBuffer();
  const first = rb.receive();
  await assert.rejects(rb.receive(), (e: NetError) => e.code === 'busy');
  rb.push(Buffer.from('x\n'));
  assert.equal(await first, 'x');
});

test('back-pressure: pauses above the high-water mark, resumes when drained', async () => {
  const calls: string[] = [];
  const rb = new ReceiveBuffer({ pause: () => calls.push('pause'), resume: () => calls.push('resume') }, 1024);
  rb.lineLimit = 100;
  rb.push(Buffer.alloc(600, 65));
  assert.deepEqual(calls, []);
  rb.push(Buffer.alloc(600, 65));
  assert.deepEqual(calls, ['pause']);
  await rb.receive(1000);
  assert.deepEqual(calls, ['pause', 'resume']);
  // a waiter that needs more than the high-water mark keeps the flow going
  const big = rb.receive(5000);
  for (let i = 0; i < 9; i++) rb.push(Buffer.alloc(500, 66));
  assert.deepEqual(calls, ['pause', 'resume'], 'no pause while the waiter needs more');
  rb.push(Buffer.alloc(500, 66));
  assert.equal((await big).length, 5000);
  assert.equal(calls.at(-1), 'resume', 'flowing again once drained');
});

test('highWater: set lower, the buffer pauses sooner; never below twice the line limit; bad values refused', () => {
  const calls: string[] = [];
  const rb = new ReceiveBuffer({ pause: () => calls.push('pause'), resume: () => calls.push('resume') });
  assert.equal(rb.highWater, 1024 * 1024);
  rb.lineLimit = 100;
  rb.highWater = 300;
  assert.equal(rb.highWater, 300);
  rb.push(Buffer.alloc(299, 65));
  assert.deepEqual(calls, []);
  rb.push(Buffer.alloc(1, 65));
  assert.deepEqual(calls, ['pause']);
  rb.highWater = 10;
  assert.equal(rb.highWater, 200, 'twice the line limit at least');
  rb.lineLimit = 1000;
  assert.equal(rb.highWater, 2000);
  for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => (rb.highWater = bad), ArgumentError);
});

test('receive(n) across chunks reuses an owned head chunk, and never writes into chunks it does not own or has lent', async () => {
  const pattern = (n: number, from: number) => Buffer.from(Array.from({ length: n }, (_, i) => (from + i) % 251));
  // owned chunks of 8 bytes, read 8 at a time from offset 3: every take straddles two chunks
  const rb = new ReceiveBuffer();
  const owned = [0, 8, 16, 24].map((from) => pattern(8, from));
  for (const c of owned) rb.push(c, true);
  rb.end();
  assert.deepEqual(await rb.receive(3), pattern(3, 0));
  const a = await rb.receive(8);
  assert.deepEqual(a, pattern(8, 3));
  assert.equal(a.buffer, owned[0]!.buffer, 'the head chunk became the result');
  const b = await rb.receive(8);
  assert.deepEqual(b, pattern(8, 11));
  assert.deepEqual(a, pattern(8, 3), 'the first result is untouched by the second');
  assert.deepEqual(await rb.receive('*a'), pattern(13, 19));

  // chunks not owned, or of which a view was given out, keep their bytes
  const rb2 = new ReceiveBuffer();
  const mine = pattern(8, 0);
  const lent = pattern(8, 8);
  rb2.push(mine);
  rb2.push(lent, true);
  rb2.push(pattern(8, 16), true);
  rb2.end();
  assert.deepEqual(await rb2.receive(3), pattern(3, 0));
  assert.deepEqual(await rb2.receive(8), pattern(8, 3)); // straddles mine + lent: mine is not owned
  assert.deepEqual(mine, pattern(8, 0));
  const view = rb2.peek(2); // a view of lent
  assert.equal(view.buffer, lent.buffer);
  assert.deepEqual(await rb2.receive(8), pattern(8, 11)); // straddles lent + next
  assert.deepEqual(lent, pattern(8, 8), 'a lent chunk is never written');
  assert.deepEqual(view, pattern(2, 11));
});

const tick = () => new Promise((r) => setImmediate(r));

test("'*a' after a timeout: the partial stays intact and the next '*a' gives the rest", async () => {
  const rb = new ReceiveBuffer();
  rb.timeouts.set(60, 'b');
  rb.push(Buffer.from('one,'));
  const p = rb.receive('*a');
  rb.push(Buffer.from('two,'));
  const err = await p.then(
    () => assert.fail('no timeout'),
    (e: TimeoutError) => e,
  );
  assert.ok(err instanceof TimeoutError);
  assert.equal(err.partial.toString(), 'one,two,');
  rb.timeouts.set(null, 'b');
  const q = rb.receive('*a');
  rb.push(Buffer.from('three,'));
  await tick();
  rb.push(Buffer.from('four'));
  rb.end();
  assert.equal((await q).toString(), 'three,four');
  assert.equal(err.partial.toString(), 'one,two,', 'later appends did not touch the partial');
});

test("after an aborted '*a', other receives see the following bytes in order", async () => {
  const rb = new ReceiveBuffer();
  const ac = new AbortController();
  const p = rb.receive('*a', undefined, { signal: ac.signal });
  rb.push(Buffer.from('abc'));
  ac.abort();
  await assert.rejects(p, (e: AbortError) => e instanceof AbortError && e.partial.toString() === 'abc');
  rb.push(Buffer.from('line1\nxy'));
  assert.equal(await rb.receive('*l'), 'line1');
  const q = rb.receive(4);
  rb.push(Buffer.from('zw'));
  assert.equal((await q).toString(), 'xyzw');
});

test("a failure during '*a' gives ClosedError with everything gathered; discard() drops it", async () => {
  const rb = new ReceiveBuffer();
  const p = rb.receive('*a');
  rb.push(Buffer.from('ab'));
  rb.push(Buffer.from('cd'));
  rb.fail(new NetError('reset', 'connection reset by peer'));
  await assert.rejects(p, (e: ClosedError) => e instanceof ClosedError && e.partial.toString() === 'abcd');

  const rb2 = new ReceiveBuffer();
  const q = rb2.receive('*a');
  rb2.push(Buffer.from('old'));
  assert.equal(rb2.discard(), 3);
  rb2.push(Buffer.from('new'));
  rb2.end();
  assert.equal((await q).toString(), 'new');
});
