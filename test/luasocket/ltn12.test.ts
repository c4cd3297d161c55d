/** LuaSocket's ltn12 module (test/ltn12test.lua, ltn12.lua, LTN012) beside netkit's. */
import { filter, pump, sink, source, type Filter, type FancySource } from '../../src/ltn12/index.js';
import { outcome, show, table } from './table.js';

const upper: Filter = (c) => (c === null ? Buffer.alloc(0) : Buffer.from(c.toString('latin1').toUpperCase(), 'latin1'));
const tag =
  (s: string): Filter =>
  (c) =>
    c === null ? Buffer.from(s) : c;
const drain = async (src: ReturnType<typeof source.string>) => {
  const [snk, chunks] = sink.table();
  await pump.all(src, snk);
  return show(Buffer.concat(chunks));
};

table('ltn12', [
  {
    call: "source.chain(source.string('ab'), upper, tag('!'))",
    luasocket: '"AB!"',
    netkit: '"AB!"',
    run: () => drain(source.chain(source.string('ab'), upper, tag('!'))),
  },
  {
    call: "sink.chain(upper, tag('!'), sink.table())",
    luasocket: '"AB!"',
    netkit: '"AB!"',
    run: async () => {
      const [t, c] = sink.table();
      await pump.all(source.string('ab'), sink.chain(upper, tag('!'), t));
      return show(Buffer.concat(c));
    },
  },
  {
    call: "filter.chain(upper, tag('!'), tag('?'))",
    luasocket: '"AB!?"',
    netkit: '"AB!?"',
    run: () => drain(source.chain(source.string('ab'), filter.chain(upper, tag('!'), tag('?')))),
  },
  {
    call: 'filter.cycle(low, ctx, extra)',
    luasocket: '"a1b2"',
    netkit: '"a1b2"',
    run: () => {
      let n = 0;
      const f = filter.cycle<number, null>((ctx, c) => [c === null ? Buffer.alloc(0) : Buffer.from(`${c}${(n = ctx + 1)}`), n], 0, null);
      return show(Buffer.concat([f(Buffer.from('a')), f(Buffer.from('b')), f(null)]));
    },
  },
  { call: "source.cat(string('a'), string('b'))", luasocket: '"ab"', netkit: '"ab"', run: () => drain(source.cat(source.string('a'), source.string('b'))) },
  {
    call: 'source.simplify(fancy) (hands over a new source)',
    luasocket: '"abcd"',
    netkit: '"abcd"',
    run: () => {
      const f: FancySource = async () => [Buffer.from('ab'), source.string('cd')];
      return drain(source.simplify(f));
    },
  },
  {
    call: "source.rewind(src); src('x') then src()",
    luasocket: '"x"',
    netkit: '"x"',
    run: async () => {
      const r = source.rewind(source.empty());
      r.unshift(Buffer.from('x'));
      return show(await r());
    },
  },
  { call: 'source.empty()()', luasocket: 'nil', netkit: 'nil', run: async () => show(await source.empty()()) },
  {
    call: "source.error('e')()",
    luasocket: 'nil, "e"',
    netkit: 'error Error',
    why: 'sources fail by throwing (a pump wraps it in PumpError); nil is only the end of data',
    run: () => outcome(() => source.error(new Error('e'))()),
  },
  {
    call: "pump.all(source.error('e'), sink)",
    luasocket: 'nil, "e"',
    netkit: 'error PumpError',
    why: 'a failed pump rejects with PumpError (side, cause) instead of returning nil, err',
    run: () => outcome(() => pump.all(source.error(new Error('e')), sink.null())),
  },
  {
    call: "source.chain(src, 'not a filter')",
    luasocket: 'assertion failed',
    netkit: 'error ArgumentError',
    why: 'the assertion is a typed ArgumentError',
    run: () => outcome(() => source.chain(source.empty(), 'x' as never)),
  },
  {
    call: 'sink.chain(f, nil)',
    luasocket: 'assertion failed',
    netkit: 'error ArgumentError',
    why: 'the assertion is a typed ArgumentError',
    run: () => outcome(() => sink.chain(upper, undefined as never)),
  },
  {
    call: 'pump.step(src, snk) at the end',
    luasocket: 'nil',
    netkit: 'false',
    why: 'a boolean says whether there is more (LuaSocket: 1 or nil)',
    run: async () => show(await pump.step(source.empty(), sink.null())),
  },
  {
    call: 'BLOCKSIZE',
    luasocket: '2048',
    netkit: '65536',
    why: 'source.string and source.file read 64 KiB blocks: fewer async turns per byte in Node',
    run: () => show(source.BLOCK_SIZE),
  },
]);
