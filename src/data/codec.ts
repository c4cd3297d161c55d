/**
 * `serialize` / `deserialize`: JavaScript values to text and back, without
 * ever evaluating code. The text is JSON in which every non-JSON value is a
 * tagged node `{"$": tag, …}`; objects, arrays, Maps and Sets carry an `id`
 * the first time and are referred to by `{"$":"ref","id":n}` afterwards, so
 * shared references and cycles survive.
 *
 * Supported: strings, finite numbers, -0, NaN, ±Infinity, booleans, null,
 * undefined, BigInt, plain objects (any own enumerable string keys, including
 * `__proto__` and `constructor`, kept as ordinary data; a null prototype is
 * kept too), arrays (holes
 * kept), Map, Set, Date (also invalid ones), Uint8Array and Buffer, RegExp
 * (as source and flags, never run). Named (non-index) keys of an array are
 * kept beside its items (the book's `{ 1, 2, Id = 120 }`). Nothing is dropped
 * silently: functions, symbols, class instances other than these, symbol
 * keys, and own keys on a Map, Set, Date, RegExp or byte array throw
 * ArgumentError when serialising.
 *
 * Decoding is bounded — `maxBytes` (16 MiB), `maxDepth` (1000),
 * `maxBigIntDigits` (10,000) → LimitError — and strict: unknown tags, bad
 * shapes, dangling references → ProtocolError. Objects are rebuilt with
 * `Object.defineProperty`, so no key can reach a prototype.
 *
 * @example
 * ```ts
 * const a: any = { n: 1n, when: new Date(0), tags: new Set(['x']) };
 * a.self = a;
 * const b = deserialize(serialize(a)) as any;
 * assert.equal(b.self, b);
 * ```
 */
import { ArgumentError, LimitError, ProtocolError } from '../core/errors.js';

type Node = null | boolean | number | string | { $: string; [k: string]: unknown };

/** True for a canonical array index ('0', '1', … below 2^32 - 1). */
function isIndex(k: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(k) && Number(k) < 4294967295;
}

/** ArgumentError for what the text could not carry: symbol keys anywhere, own keys on the built-in kinds. */
function refuseLostKeys(obj: object, kind: string | undefined): void {
  if (Object.getOwnPropertySymbols(obj).some((k) => Object.prototype.propertyIsEnumerable.call(obj, k))) {
    throw new ArgumentError('cannot serialise symbol keys (they would be lost)');
  }
  if (kind !== undefined) {
    const keys = Object.keys(obj).filter((k) => !(obj instanceof Uint8Array && isIndex(k)));
    if (keys.length > 0) throw new ArgumentError(`cannot serialise the named keys of a ${kind} (${keys.slice(0, 3).join(', ')}): they would be lost`);
  }
}

/** Limits of {@link deserialize}. */
export interface DataLimits {
  /** @default 16777216 */
  maxBytes?: number;
  /** @default 1000 */
  maxDepth?: number;
  /** @default 10000 */
  maxBigIntDigits?: number;
}

/** Turns `value` into text; see the module doc. */
export function serialize(value: unknown): string {
  const ids = new Map<object, number>();
  const encode = (v: unknown): Node => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        if (Object.is(v, -0)) return { $: 'num', v: '-0' };
        return Number.isFinite(v) ? v : { $: 'num', v: String(v) };
      case 'undefined':
        return { $: 'undef' };
      case 'bigint':
        return { $: 'big', v: v.toString() };
      case 'function':
      case 'symbol':
        throw new ArgumentError(`cannot serialise a ${typeof v}`);
    }
    if (v === null) return null;
    const obj = v as object;
    const seen = ids.get(obj);
    if (seen !== undefined) return { $: 'ref', id: seen };
    const kind =
      obj instanceof Date
        ? 'Date'
        : obj instanceof RegExp
          ? 'RegExp'
          : obj instanceof Uint8Array
            ? 'byte array'
            : obj instanceof Map
              ? 'Map'
              : obj instanceof Set
                ? 'Set'
                : undefined;
    refuseLostKeys(obj, kind);
    if (obj instanceof Date) return { $: 'date', v: Number.isNaN(obj.getTime()) ? 'invalid' : obj.getTime() };
    if (obj instanceof RegExp) return { $: 're', src: obj.source, flags: obj.flags };
    if (obj instanceof Uint8Array)
      return { $: 'bytes', t: Buffer.isBuffer(obj) ? 'buffer' : 'u8', v: Buffer.from(obj.buffer, obj.byteOffset, obj.byteLength).toString('base64') };
    const id = ids.size;
    ids.set(obj, id);
    if (Array.isArray(obj)) {
      const items: Node[] = [];
      for (let i = 0; i < obj.length; i++) items.push(i in obj ? encode(obj[i]) : { $: 'hole' });
      const named = Object.keys(obj).filter((k) => !isIndex(k));
      if (named.length === 0) return { $: 'arr', id, v: items };
      return { $: 'arr', id, v: items, k: named.map((k) => [k, encode((obj as unknown as Record<string, unknown>)[k])]) };
    }
    if (obj instanceof Map) return { $: 'map', id, v: [...obj].map(([k, x]) => [encode(k), encode(x)]) };
    if (obj instanceof Set) return { $: 'set', id, v: [...obj].map(encode) };
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) throw new ArgumentError(`cannot serialise an instance of ${proto?.constructor?.name ?? 'a class'}`);
    const fields = Object.keys(obj).map((k) => [k, encode((obj as Record<string, unknown>)[k])]);
    return proto === null ? { $: 'obj', id, np: true, v: fields } : { $: 'obj', id, v: fields };
  };
  return JSON.stringify(encode(value));
}

/** Turns text made by {@link serialize} back into a value; see the module doc for the limits. */
export function deserialize(text: string, limits: DataLimits = {}): unknown {
  const maxBytes = limits.maxBytes ?? 16 * 1024 * 1024;
  const maxDepth = limits.maxDepth ?? 1000;
  const maxDigits = limits.maxBigIntDigits ?? 10_000;
  if (Buffer.byteLength(text) > maxBytes) throw new LimitError('data', maxBytes);
  let tree: Node;
  try {
    tree = JSON.parse(text) as Node;
  } catch (err) {
    if (err instanceof RangeError) throw new LimitError('data depth', maxDepth, undefined, 'data nested too deeply');
    throw new ProtocolError(`not serialised data: ${(err as Error).message}`);
  }
  const objects = new Map<number, unknown>();
  const bad = (what: string): never => {
    throw new ProtocolError(`malformed data: ${what}`);
  };
  const register = <T>(node: { id?: unknown }, value: T): T => {
    if (typeof node.id !== 'number' || objects.has(node.id)) bad('missing or repeated id');
    objects.set(node.id as number, value);
    return value;
  };
  const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : bad('expected a list'));
  const decode = (node: unknown, depth: number): unknown => {
    if (depth > maxDepth) throw new LimitError('data depth', maxDepth, undefined, `data nested deeper than ${maxDepth}`);
    if (node === null || typeof node === 'string' || typeof node === 'boolean' || typeof node === 'number') return node;
    if (typeof node !== 'object' || Array.isArray(node)) return bad('a bare list');
    const n = node as Record<string, unknown>;
    switch (n.$) {
      case 'undef':
        return undefined;
      case 'num':
        return n.v === '-0' ? -0 : n.v === 'NaN' ? NaN : n.v === 'Infinity' ? Infinity : n.v === '-Infinity' ? -Infinity : bad('number');
      case 'big': {
        const s = typeof n.v === 'string' && /^-?\d+$/.test(n.v) ? n.v : bad('bigint');
        if (s.length > maxDigits) throw new LimitError('bigint digits', maxDigits);
        return BigInt(s);
      }
      case 'date':
        return new Date(n.v === 'invalid' ? NaN : typeof n.v === 'number' ? n.v : bad('date'));
      case 're':
        if (typeof n.src !== 'string' || typeof n.flags !== 'string' || !/^[dgimsuyv]*$/.test(n.flags)) return bad('regexp');
        try {
          return new RegExp(n.src, n.flags);
        } catch {
          return bad('regexp');
        }
      case 'bytes': {
        const buf = Buffer.from(typeof n.v === 'string' ? n.v : bad('bytes'), 'base64');
        return n.t === 'buffer' ? buf : new Uint8Array(buf);
      }
      case 'ref':
        return objects.has(n.id as number) ? objects.get(n.id as number) : bad('dangling reference');
      case 'arr': {
        const items = list(n.v);
        const arr = register(n, new Array<unknown>(items.length));
        items.forEach((x, i) => {
          if (!(typeof x === 'object' && x !== null && (x as Node & object).$ === 'hole')) arr[i] = decode(x, depth + 1);
        });
        if (n.k !== undefined) {
          for (const pair of list(n.k)) {
            const [k, v] = list(pair);
            if (typeof k !== 'string' || isIndex(k) || k === 'length') bad('array key');
            Object.defineProperty(arr, k as string, { value: decode(v, depth + 1), enumerable: true, writable: true, configurable: true });
          }
        }
        return arr;
      }
      case 'map': {
        const map = register(n, new Map<unknown, unknown>());
        for (const pair of list(n.v)) {
          const [k, v] = list(pair);
          map.set(decode(k, depth + 1), decode(v, depth + 1));
        }
        return map;
      }
      case 'set': {
        const set = register(n, new Set<unknown>());
        for (const x of list(n.v)) set.add(decode(x, depth + 1));
        return set;
      }
      case 'obj': {
        const obj = register(n, (n.np === true ? Object.create(null) : {}) as Record<string, unknown>);
        for (const pair of list(n.v)) {
          const [k, v] = list(pair);
          if (typeof k !== 'string') bad('object key');
          Object.defineProperty(obj, k as string, { value: decode(v, depth + 1), enumerable: true, writable: true, configurable: true });
        }
        return obj;
      }
      default:
        return bad(`unknown tag ${JSON.stringify(n.$)}`);
    }
  };
  return decode(tree, 0);
}
