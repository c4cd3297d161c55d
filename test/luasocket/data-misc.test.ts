/** The chapter's data examples and misc LuaSocket behaviour beside netkit's. */
import { deserialize, serialize } from '../../src/data/index.js';
import { outcome, show, table } from './table.js';

table('data', [
  {
    call: 'serialize{ 1, 2, Id = 120 } round trip',
    luasocket: '{1, 2} Id=120',
    netkit: '{1, 2} Id=120',
    run: () => {
      const a = deserialize(serialize(Object.assign([1, 2], { Id: 120 }))) as number[] & { Id: number };
      return `${show([...a])} Id=${a.Id}`;
    },
  },
  {
    call: 'serialize a table with a cycle',
    luasocket: "the book's serializer keeps it (saved tables)",
    netkit: "the book's serializer keeps it (saved tables)",
    run: () => {
      const a: Record<string, unknown> = {};
      a.self = a;
      const r = deserialize(serialize(a)) as Record<string, unknown>;
      return r.self === r ? "the book's serializer keeps it (saved tables)" : 'lost';
    },
  },
  {
    call: 'serialize a function',
    luasocket: 'error "cannot serialize a function"',
    netkit: 'error ArgumentError',
    why: 'errors are typed',
    run: () => outcome(() => serialize(() => 1)),
  },
  {
    call: 'deserialize text that is code',
    luasocket: 'runs it (loadstring)',
    netkit: 'error ProtocolError',
    why: 'netkit never evaluates received text: only its own tagged JSON is accepted',
    run: () => outcome(() => deserialize('return os.exit()')),
  },
]);
