import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deserialize, serialize } from './codec.js';
import { ArgumentError, LimitError, ProtocolError } from '../core/errors.js';

const roundTrip = <T>(v: T): T => deserialize(serialize(v)) as T;

test('serialize/deserialize keep special numbers, undefined, BigInt, Date, RegExp, bytes', () => {
  const v = {
    negZero: -0,
    nan: NaN,
    inf: -Infinity,
    u: undefined,
    big: -123456789012345678901234567890n,
    d: new Date(86400000),
    bad: new Date(NaN),
    re: /a+b/gi,
    buf: Buffer.from([0, 255]),
    u8: new Uint8Array([1, 2]),
  };
  const r = roundTrip(v);
  assert.ok(Object.is(r.negZero, -0));
  assert.ok(Number.isNaN(r.nan));
  assert.equal(r.inf, -Infinity);
  assert.ok('u' in r && r.u === undefined);
  assert.equal(r.big, v.big);
  assert.equal(r.d.getTime(), 86400000);
  assert.ok(Number.isNaN(r.bad.getTime()));
  assert.equal(String(r.re), '/a+b/gi');
  assert.ok(Buffer.isBuffer(r.buf) && r.buf.equals(v.buf));
  assert.ok(!Buffer.isBuffer(r.u8) && r.u8 instanceof Uint8Array && r.u8[1] === 2);
});

test('cycles and shared references survive; holes are kept', () => {
  const shared = { x: 1 };
  // biome-ignore lint/suspicious/noSparseArray: the hole is what this test keeps
  const a: Record<string, unknown> = { one: shared, two: shared, list: [1, , 3], m: new Map<unknown, unknown>([[shared, new Set([shared])]]) };
  a.self = a;
  const r = roundTrip(a) as Record<string, unknown> & { list: unknown[]; m: Map<unknown, Set<unknown>> };
  assert.equal(r.self, r);
  assert.equal(r.one, r.two);
  assert.ok(!(1 in r.list) && r.list.length === 3);
  const [[k, s]] = [...r.m];
  assert.equal(k, r.one);
  assert.ok(s!.has(r.one));
});

test('prototype keys are plain data and never pollute', () => {
  const hostile =
    '{"$":"obj","id":0,"v":[["__proto__",{"$":"obj","id":1,"v":[["polluted",true]]}],["constructor",{"$":"obj","id":2,"v":[["prototype",{"$":"obj","id":3,"v":[["polluted",true]]}]]}]]}';
  const r = deserialize(hostile) as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(r), Object.prototype);
  assert.ok(Object.hasOwn(r, '__proto__'));
  assert.deepEqual(Object.keys(r), ['__proto__', 'constructor']);
  const back = roundTrip(r) as Record<string, unknown>;
  assert.ok(Object.hasOwn(back, '__proto__'));
});

test('hostile texts give typed errors', () => {
  const deep = '{"$":"arr","id":0,"v":['.repeat(0) + Array.from({ length: 1200 }, (_, i) => `{"$":"arr","id":${i},"v":[`).join('') + ']}'.repeat(1200);
  assert.throws(() => deserialize(deep), LimitError);
  assert.throws(() => deserialize(`{"$":"big","v":"${'9'.repeat(20000)}"}`), LimitError);
  assert.throws(() => deserialize('x'.repeat(100), { maxBytes: 10 }), LimitError);
  const vectors = [
    '{"$":"eval","v":"process.exit()"}',
    '{"$":"ref","id":7}',
    '{"$":"obj","v":[]}',
    '[1,2]',
    '{"$":"num","v":"1e9"}',
    'not json',
    '{"$":"arr","id":0,"v":[{"$":"arr","id":0,"v":[]}]}',
    '{"$":"re","src":"(","flags":""}',
  ];
  for (const v of vectors) assert.throws(() => deserialize(v), ProtocolError, v);
  assert.throws(() => serialize({ f() {} }), ArgumentError);
  assert.throws(() => serialize(Symbol('s')), ArgumentError);
  assert.throws(() => serialize(new (class Point {})()), ArgumentError);
});

test('random values round-trip (property)', () => {
  const leaf = fc.oneof(
    fc.string(),
    fc.double(),
    fc.bigInt(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.date({ noInvalidDate: true }),
    fc.uint8Array().map((a) => Buffer.from(a)),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, tie('arr'), tie('obj'), tie('map'), tie('set')),
    arr: fc.array(tie('node'), { maxLength: 5 }),
    obj: fc.dictionary(fc.string(), tie('node'), { maxKeys: 5 }),
    map: fc.array(fc.tuple(fc.string(), tie('node')), { maxLength: 4 }).map((e) => new Map(e)),
    set: fc.array(fc.string(), { maxLength: 4 }).map((e) => new Set(e)),
  })).node;
  fc.assert(
    fc.property(value, (v) => assert.deepStrictEqual(roundTrip(v), v)),
    { numRuns: 300, seed: 21 },
  );
});

test("an array with named keys keeps them (the book's { …, Id = 120 }); what cannot be carried is refused, never dropped", () => {
  const a = Object.assign(['x', 'y'], { Id: 120, name: 'list' });
  const r = roundTrip(a);
  assert.ok(Array.isArray(r));
  assert.deepEqual([...r], ['x', 'y']);
  assert.equal(r.Id, 120);
  assert.equal(r.name, 'list');
  assert.equal(r.length, 2);
  const lost: [string, unknown][] = [
    ['symbol key', { [Symbol('k')]: 1 }],
    ['named key on a Map', Object.assign(new Map(), { Id: 1 })],
    ['named key on a Set', Object.assign(new Set(), { Id: 1 })],
    ['named key on a Date', Object.assign(new Date(0), { Id: 1 })],
    ['named key on bytes', Object.assign(Buffer.from('a'), { Id: 1 })],
  ];
  for (const [what, v] of lost) assert.throws(() => serialize(v), ArgumentError, what);
  // a crafted array key that would shadow an index or the length is refused on decode
  for (const k of ['0', 'length']) {
    assert.throws(() => deserialize(JSON.stringify({ $: 'arr', id: 0, v: [1], k: [[k, 5]] })), ProtocolError, k);
  }
});
