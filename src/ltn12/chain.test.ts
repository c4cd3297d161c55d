import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArgumentError } from '../core/errors.js';
import { filter, pump, sink, source, toReadable, toTransform, type FancySink, type FancySource, type Filter } from './index.js';

const upper: Filter = (c) => (c === null ? Buffer.alloc(0) : Buffer.from(c.toString('latin1').toUpperCase(), 'latin1'));
const suffix =
  (s: string): Filter =>
  (c) =>
    c === null ? Buffer.from(s) : c;

test('source.chain(src, f1, f2, …) runs every filter, in order, flushing each', async () => {
  const [snk, chunks] = sink.table();
  await pump.all(source.chain(source.string('ab'), upper, suffix('!'), suffix('?')), snk);
  assert.equal(Buffer.concat(chunks).toString(), 'AB!?');
});

test('sink.chain(f1, f2, …, snk) runs every filter before the sink (it wrote nothing before)', async () => {
  const [snk, chunks] = sink.table();
  await pump.all(source.string('ab'), sink.chain(upper, suffix('!'), suffix('?'), snk));
  assert.equal(Buffer.concat(chunks).toString(), 'AB!?');
  const [one, got] = sink.table();
  await pump.all(source.string('xy'), sink.chain(upper, one));
  assert.equal(Buffer.concat(got).toString(), 'XY');
});

test('anything but a function where a source, sink or filter is expected is an ArgumentError', async () => {
  const src = source.string('x');
  const [snk] = sink.table();
  const bad: unknown[] = [undefined, null, 'text', 42, {}, Buffer.from('x')];
  for (const b of bad) {
    const x = b as never;
    assert.throws(() => source.chain(src, x), ArgumentError, `source.chain filter ${String(b)}`);
    assert.throws(() => source.chain(x, upper), ArgumentError, `source.chain source ${String(b)}`);
    assert.throws(() => sink.chain(x, snk), ArgumentError, `sink.chain filter ${String(b)}`);
    assert.throws(() => sink.chain(upper, x), ArgumentError, `sink.chain sink ${String(b)}`);
    assert.throws(() => filter.chain(upper, x), ArgumentError, `filter.chain ${String(b)}`);
    assert.throws(() => filter.cycle(x, 0, 0), ArgumentError);
    assert.throws(() => source.cat(src, x), ArgumentError);
    assert.throws(() => source.rewind(x), ArgumentError);
    assert.throws(() => source.simplify(x), ArgumentError);
    assert.throws(() => sink.simplify(x), ArgumentError);
    assert.throws(() => toTransform(x), ArgumentError);
    assert.throws(() => toReadable(x), ArgumentError);
    await assert.rejects(pump.all(x, snk), ArgumentError);
    await assert.rejects(pump.all(src, x), ArgumentError);
    await assert.rejects(pump.step(src, x), ArgumentError);
  }
  assert.throws(() => source.chain(src), ArgumentError, 'a source alone');
  assert.throws(() => (sink.chain as (...a: unknown[]) => unknown)(snk), ArgumentError, 'a sink alone');
});

test('a filter returning a string has it taken as bytes; one returning anything else is an ArgumentError', async () => {
  const [snk, chunks] = sink.table();
  const stringy = ((c: Buffer | null) => (c === null ? '' : c.toString().toUpperCase())) as unknown as Filter;
  await pump.all(source.chain(source.string('ab'), stringy), snk);
  assert.equal(Buffer.concat(chunks).toString(), 'AB');
  const broken = (() => 42) as unknown as Filter;
  await assert.rejects(pump.all(source.chain(source.string('ab'), broken), sink.null()), (e: Error & { cause?: unknown }) => e.cause instanceof ArgumentError);
  assert.throws(() => filter.chain(upper, broken)(Buffer.from('a')), ArgumentError);
});

test('source.simplify follows a fancy source to the source it hands over', async () => {
  const second = source.string('cd');
  let first = true;
  const fancy: FancySource = async () => {
    if (!first) throw new Error('the first source was pulled again');
    first = false;
    return [Buffer.from('ab'), second];
  };
  const [snk, chunks] = sink.table();
  await pump.all(source.simplify(fancy), snk);
  assert.equal(Buffer.concat(chunks).toString(), 'abcd');
  // a plain source is a fancy source that never hands over
  const [snk2, chunks2] = sink.table();
  await pump.all(source.simplify(source.string('xyz')), snk2);
  assert.equal(Buffer.concat(chunks2).toString(), 'xyz');
});

test('sink.simplify writes to the sink a fancy sink hands over', async () => {
  const [rest, chunks] = sink.table();
  const seen: string[] = [];
  const fancy: FancySink = async (c) => {
    seen.push(String(c));
    return rest;
  };
  const snk = sink.simplify(fancy);
  await snk(Buffer.from('a'));
  await snk(Buffer.from('b'));
  await snk(null);
  assert.deepEqual(seen, ['a']);
  assert.equal(Buffer.concat(chunks).toString(), 'b');
});
