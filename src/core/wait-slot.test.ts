import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WaitSlot } from './wait-slot.js';
import { NetError } from './errors.js';
import { Timeouts } from './deadline.js';

test('a wait ends ready once enough bytes arrived, not before', async () => {
  const slot = new WaitSlot();
  let ended = false;
  const w = slot.wait(10, null, undefined).then(() => ((ended = true), 'ready'));
  slot.arrived(9);
  await new Promise((r) => setImmediate(r));
  assert.equal(ended, false);
  assert.equal(slot.busy, true);
  slot.arrived(10);
  assert.equal(await w, 'ready');
  assert.equal(slot.busy, false);
});

test('a second wait while one is parked is refused with NetError busy', async () => {
  const slot = new WaitSlot();
  const first = slot.wait(1, null, undefined);
  await assert.rejects(slot.wait(1, null, undefined), (e: unknown) => e instanceof NetError && e.code === 'busy');
  slot.wake();
  await first;
});

test('abort ends the wait at once; the listener is removed', async () => {
  const slot = new WaitSlot();
  const ac = new AbortController();
  const w = slot.wait(1, null, ac.signal);
  ac.abort();
  await assert.rejects(w, (e: unknown) => e instanceof NetError && e.code === 'aborted');
  const ac2 = new AbortController();
  const w2 = slot.wait(1, null, ac2.signal);
  slot.wake();
  await w2;
  ac2.abort(); // after the wait ended: nothing happens
});

test("an idle ('b') deadline restarts with progress; a total ('t') one does not", async () => {
  for (const mode of ['b', 't'] as const) {
    const t = new Timeouts();
    t.set(150, mode);
    const slot = new WaitSlot();
    const start = performance.now();
    const w = slot.wait(100, t.start(), undefined).then(
      () => 'ready',
      (e: Error) => e.message,
    );
    const drip = setInterval(() => slot.arrived(1), 50);
    const r = await Promise.race([w, new Promise((res) => setTimeout(() => res('still waiting'), 600))]);
    clearInterval(drip);
    const took = performance.now() - start;
    if (mode === 'b') {
      assert.equal(r, 'still waiting', 'progress every 50 ms keeps a 150 ms idle timeout from firing');
      slot.wake();
    } else {
      assert.equal(r, 'timeout');
      assert.ok(took >= 140 && took < 500, `total timeout fired after ${took.toFixed(0)} ms`);
    }
  }
});

test('a deadline of 2^31 ms or more waits (no 1 ms timer re-armed, no TimeoutOverflowWarning)', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.name);
  process.on('warning', onWarning);
  try {
    for (const ms of [2 ** 31, 1e12]) {
      const t = new Timeouts();
      t.set(ms);
      const slot = new WaitSlot();
      let ended = false;
      const w = slot.wait(1, t.start(), undefined).finally(() => (ended = true));
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(ended, false, `a ${ms} ms deadline fired early`);
      slot.wake();
      await w;
    }
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', onWarning);
  }
});

test('one deadline timer serves every wait of a slot, and none holds the process once its wait ended', async () => {
  const t = new Timeouts();
  t.set(100, 'b');
  const slot = new WaitSlot();
  // many waits with a deadline, each ended by data long before it: the next still times out on time
  for (let i = 0; i < 50; i++) {
    const w = slot.wait(1, t.start(), undefined);
    slot.arrived(1);
    await w;
  }
  const start = performance.now();
  await assert.rejects(slot.wait(1, t.start(), undefined), /timeout/);
  const took = performance.now() - start;
  assert.ok(took >= 95 && took < 1000, `timed out after ${took.toFixed(0)} ms`);
  // a process whose only wait (10 s deadline) has ended exits at once
  const { spawnSync } = await import('node:child_process');
  const code = `
    const { WaitSlot } = await import(${JSON.stringify(new URL('./wait-slot.js', import.meta.url).href)});
    const { Timeouts } = await import(${JSON.stringify(new URL('./deadline.js', import.meta.url).href)});
    const t = new Timeouts(); t.set(10000, 'b');
    const slot = new WaitSlot();
    const w = slot.wait(1, t.start(), undefined);
    slot.arrived(1);
    await w;`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 8000 });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(performance.now() - t0 < 5000, 'the ended wait kept the process alive');
});

test('release() stops the timer: a parked wait is not timed out afterwards', async () => {
  const t = new Timeouts();
  t.set(50, 'b');
  const slot = new WaitSlot();
  const w = slot.wait(1, t.start(), undefined);
  slot.wake();
  await w;
  slot.release();
  const w2 = slot.wait(1, null, undefined).then(() => 'woken');
  await new Promise((r) => setTimeout(r, 120));
  slot.wake();
  assert.equal(await w2, 'woken');
});
