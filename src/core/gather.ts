/**
 * Append-only storage that a `'*a'` receive gathers arriving chunks into,
 * so a long transfer ends as one Buffer without first keeping every chunk
 * and then concatenating them (which touches twice the memory; fresh memory
 * is what a big `'*a'` costs). Bytes once written are never moved or
 * rewritten, so views handed out with {@link Gather.view} stay valid while
 * it grows.
 *
 * Up to 8 MiB the storage is a plain Buffer that doubles (copying); beyond
 * that it is a resizable ArrayBuffer (address space reserved up to 4 GiB)
 * and grown in place, so a gigabyte is copied once, not once per doubling.
 * {@link Gather.trim} gives back the unused capacity at the end.
 *
 * @example
 * ```ts
 * const g = new Gather();
 * g.append(Buffer.from('ab'));
 * g.append(Buffer.from('cd'));
 * assert.equal(g.view(1).toString(), 'bcd');
 * ```
 */
import { constants } from 'node:buffer';

/** Capacity from which storage is a resizable ArrayBuffer grown in place. */
export const IN_PLACE_FROM = 8 * 1024 * 1024;

/** Largest in-place reservation (address space, not memory). */
const MAX_RESERVE = 2 ** 32;

type Resizable = ArrayBuffer & { resize(n: number): void };

export class Gather {
  #buf: Buffer;
  #len = 0;
  #ab: Resizable | null = null;
  /** Largest length the storage may reach (Buffer's maximum by default). */
  readonly max: number;

  constructor(initial = 65536, max = constants.MAX_LENGTH) {
    this.max = max;
    this.#buf = Buffer.allocUnsafeSlow(Math.min(Math.max(initial, 64), max));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#len;
  }
  /** Bytes the storage can hold before it grows. */
  get capacity(): number {
    return this.#buf.length;
  }
  /** True once the storage is a resizable buffer grown in place. */
  get inPlace(): boolean {
    return this.#ab !== null;
  }

  /** Copies `chunk` to the end; false (nothing written) when it cannot grow that far. */
  append(chunk: Uint8Array): boolean {
    const need = this.#len + chunk.length;
    if (need > this.#buf.length && !this.#grow(need)) return false;
    this.#buf.set(chunk, this.#len);
    this.#len = need;
    return true;
  }

  /** A view of bytes `[from, length)`. */
  view(from = 0): Buffer {
    return this.#buf.subarray(from, this.#len);
  }

  /** Gives back the capacity beyond `length` (in-place storage only). */
  trim(): void {
    if (this.#ab === null || this.#ab.byteLength === this.#len) return;
    this.#ab.resize(this.#len);
    this.#buf = Buffer.from(this.#ab, 0, this.#len);
  }

  #grow(need: number): boolean {
    if (need > this.max) return false;
    const cap = Math.min(this.max, Math.max(need, this.#buf.length * 2));
    try {
      if (this.#ab !== null) {
        this.#ab.resize(cap);
        this.#buf = Buffer.from(this.#ab, 0, cap);
        return true;
      }
      const next = (cap > IN_PLACE_FROM ? this.#reserve(cap) : null) ?? Buffer.allocUnsafeSlow(cap);
      this.#buf.copy(next, 0, 0, this.#len);
      this.#buf = next;
      return true;
    } catch (err) {
      if (err instanceof RangeError) return false; // no memory for it: the caller keeps the chunk itself
      throw err;
    }
  }

  /** A resizable buffer of `cap` bytes reserved up to `max` (4 GiB at most); null where unsupported or refused. */
  #reserve(cap: number): Buffer | null {
    if (typeof (ArrayBuffer.prototype as Partial<Resizable>).resize !== 'function') return null;
    try {
      const ab = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable)(cap, { maxByteLength: Math.min(this.max, MAX_RESERVE) });
      this.#ab = ab;
      return Buffer.from(ab, 0, cap);
    } catch (err) {
      if (err instanceof RangeError) return null; // address space refused: grow by copying instead
      throw err;
    }
  }
}
