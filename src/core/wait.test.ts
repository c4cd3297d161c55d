import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { LongTimer, MAX_TIMER_MS, sleepFor, waitFor } from './wait.js';
import { AbortError, ArgumentError, TimeoutError } from './errors.js';
import { checkInteger, checkMs, checkOneOf } from './validate.js';
import { tlsMode } from './tls-mode.js';

test('waitFor: resolves with the armed value and cleans up once', async () => {
  const e = new EventEmitter();
  let cleanups = 0;
  setImmediate(() => e.emit('x', 7));
  const v = await waitFor<number>(
    (done) => {
      const on = (n: number): void => done(null, n);
      e.once('x', on);
      return () => {
        cleanups++;
        e.off('x', on);
      };
    },
    { timeout: 1000, what: 'x' },
  );
  assert.equal(v, 7);
  assert.equal(cleanups, 1);
  assert.equal(e.listenerCount('x'), 0);
});

test('waitFor: times out with TimeoutError naming the wait, and cleans up', async () => {
  let cleaned = false;
  await assert.rejects(
    waitFor(
      () => () => {
        cleaned = true;
      },
      { timeout: 20, what: 'accept' },
    ),
    (err: unknown) => err instanceof TimeoutError && /accept timed out/.test(err.message),
  );
  assert.ok(cleaned);
});

test('waitFor: an abort rejects with AbortError carrying the reason; an aborted signal never arms', async () => {
  const ac = new AbortController();
  setTimeout(() => ac.abort(new Error('stop')), 5);
  await assert.rejects(
    waitFor(() => undefined, { signal: ac.signal, what: 'drain' }),
    (err: unknown) => {
      return err instanceof AbortError && (err.cause as Error).message === 'stop';
    },
  );
  let armed = false;
  await assert.rejects(
    waitFor(
      () => {
        armed = true;
      },
      { signal: ac.signal, what: 'drain' },
    ),
    AbortError,
  );
  assert.equal(armed, false);
});

test('waitFor: a signal aborted by arm itself rejects at once (no wait for a timeout) and cleans up', async () => {
  const ac = new AbortController();
  let cleaned = 0;
  const t = performance.now();
  await assert.rejects(
    waitFor(
      () => {
        ac.abort(new Error('from arm'));
        return () => {
          cleaned++;
        };
      },
      { signal: ac.signal, timeout: 5000, what: 'x' },
    ),
    (err: unknown) => err instanceof AbortError && (err.cause as Error).message === 'from arm',
  );
  assert.ok(performance.now() - t < 1000);
  assert.equal(cleaned, 1);
});

test('waitFor: done called synchronously inside arm settles and still cleans up', async () => {
  let cleaned = 0;
  const v = await waitFor<string>(
    (done) => {
      done(null, 'now');
      return () => {
        cleaned++;
      };
    },
    { timeout: 10, what: 'x' },
  );
  assert.equal(v, 'now');
  assert.equal(cleaned, 1);
});

test('waitFor: a timeout of 2^31 ms or more waits (no 1 ms overflow firing)', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => {
    warnings.push(w.name);
  };
  process.on('warning', onWarning);
  const ac = new AbortController();
  const p = waitFor(() => undefined, { timeout: 3e9, signal: ac.signal, what: 'long' });
  let settled = false;
  p.catch(() => {}).finally(() => {
    settled = true;
  });
  await sleepFor(30);
  assert.equal(settled, false, 'a 3e9 ms wait must not end after 30 ms');
  ac.abort();
  await assert.rejects(p, AbortError);
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  assert.deepEqual(
    warnings.filter((w) => w === 'TimeoutOverflowWarning'),
    [],
  );
});

test('LongTimer: chains past MAX_TIMER_MS, fires once for short delays, restart moves the due time', async () => {
  let fired = 0;
  const long = new LongTimer(() => fired++, MAX_TIMER_MS * 2);
  await sleepFor(20);
  assert.equal(fired, 0);
  long.clear();
  const t = new LongTimer(() => fired++, 10);
  t.restart(40);
  await sleepFor(20);
  assert.equal(fired, 0);
  await sleepFor(40);
  assert.equal(fired, 1);
});

test('LongTimer: a restart to an earlier time fires then; restarts that push it back keep it from firing until the last due time', async () => {
  let fired = 0;
  const early = new LongTimer(() => fired++, 10_000);
  early.restart(10);
  await sleepFor(40);
  assert.equal(fired, 1, 'the shorter restart fired');
  const idle = new LongTimer(() => fired++, 30);
  for (let i = 0; i < 6; i++) {
    await sleepFor(10);
    idle.restart(30); // 60 ms in all, each push before the last due time
  }
  assert.equal(fired, 1, 'not fired while pushed back');
  await sleepFor(60);
  assert.equal(fired, 2, 'fired once after the last push');
  idle.restart(20);
  idle.clear();
  await sleepFor(40);
  assert.equal(fired, 2, 'clear cancels a restarted timer');
});

test('validate: a table of good and bad values', () => {
  const bad: unknown[] = [NaN, -1, 1.5, Infinity, '3', null, 2 ** 60];
  for (const v of bad) assert.throws(() => checkInteger('n', v, { min: 0 }), ArgumentError, String(v));
  assert.equal(checkInteger('n', 0), 0);
  assert.equal(checkInteger('n', undefined, {}, 9), 9);
  assert.throws(() => checkInteger('n', 11, { min: 0, max: 10 }), /from 0 to 10/);
  for (const v of [NaN, -1, Infinity, '5']) assert.throws(() => checkMs('timeout', v), ArgumentError, String(v));
  assert.equal(checkMs('timeout', undefined, 5), 5);
  assert.equal(checkMs('timeout', null, 5), null);
  assert.equal(checkMs('timeout', 3e9), 3e9);
  assert.equal(checkOneOf('mode', 'b', ['b', 't']), 'b');
  assert.throws(() => checkOneOf('mode', 'x', ['b', 't']), /'b', 't'/);
});

test('tlsMode: the three words, two aliases, a default, and ArgumentError otherwise', () => {
  const rows: [unknown, string][] = [
    ['none', 'none'],
    ['implicit', 'implicit'],
    ['starttls', 'starttls'],
    ['explicit', 'starttls'],
    ['stls', 'starttls'],
    [undefined, 'none'],
  ];
  for (const [word, mode] of rows) assert.equal(tlsMode(word), mode);
  assert.equal(tlsMode(undefined, 'implicit'), 'implicit');
  for (const bad of ['tls', true, 'NONE', null]) assert.throws(() => tlsMode(bad), ArgumentError);
});
