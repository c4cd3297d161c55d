/**
 * Buffers for the file chunks a response sends, carved as fixed-size slots
 * from a few large allocations and reused, so that serving many slow clients
 * does not leave the process's memory at its peak once they are gone.
 *
 * Why not a fresh `Buffer.allocUnsafe` per chunk: each comes from the C
 * allocator's heap, and a heap freed in the middle is kept by the process
 * (1,000 stalled readers left +67 MiB of freed chunks there for good). A
 * slab here is 33 MiB of address space, above the C allocator's largest
 * mmap threshold, so it is a mapping of its own: only the pages slots have
 * used count, and the whole of it goes back to the system once dropped.
 * When no slot has been in use for {@link IDLE_MS}, every slab is dropped.
 *
 * A slot may be written again only after Node is done with it: give it back
 * from the send's `onWritten`, never when `send` resolves.
 *
 * @example
 * ```ts
 * const slots = new ChunkSlots();
 * const a = slots.take(16 * 1024);
 * slots.give(a);
 * assert.equal(slots.take(100).buffer, a.buffer); // the same slab, reused
 * ```
 */
import { CHUNK, INFLIGHT_FLOOR } from './inflight.js';

/** Room for a response head in front of a chunk's bytes. */
export const HEAD_ROOM = 4096;
/** Bytes of address space per slab (33 MiB). */
export const SLAB_BYTES = 33 * 1024 * 1024;
/** ms without a slot in use after which the slabs are dropped. */
export const IDLE_MS = 2000;
/**
 * Where in a slab the first slot starts (slots are whole pages, so every slot
 * starts at this page offset, give or take the C allocator's 16-byte header).
 * The kernel copies file pages into a buffer up to 3× slower when the buffer
 * starts 1–31 bytes past a page boundary — where a C allocator's large
 * block starts (`pread` of 256 KiB pieces from the page cache: 1.3–1.9 GB/s
 * at page offsets 8–24, 4–6 GB/s at 40, 2048 or 4088; measured 2026-12-04).
 * Mid-page is fast whatever the header is.
 */
const SLOT_SHIFT = 2048;

/** One large allocation cut into slots of one size. */
interface Slab {
  readonly bytes: Buffer;
  /** Free slot indexes; the next taken is the last. */
  readonly free: number[];
  readonly busy: Uint8Array;
}

/** Slabs whose slots all have one size. */
class SlotSize {
  readonly size: number;
  slabs: Slab[] = [];

  /** Slots of at least `size` bytes: whole pages, so that every slot starts at the same page offset. */
  constructor(size: number) {
    this.size = Math.ceil(size / 4096) * 4096;
  }

  take(): Buffer {
    let slab = this.slabs.find((s) => s.free.length > 0);
    if (slab === undefined) {
      const count = Math.floor((SLAB_BYTES - SLOT_SHIFT) / this.size);
      const free = Array.from({ length: count }, (_, i) => count - 1 - i); // slot 0 first: low pages only while few are used
      slab = { bytes: Buffer.allocUnsafeSlow(SLOT_SHIFT + count * this.size), free, busy: new Uint8Array(count) };
      this.slabs.push(slab);
    }
    const i = slab.free.pop()!;
    slab.busy[i] = 1;
    const at = SLOT_SHIFT + i * this.size;
    return slab.bytes.subarray(at, at + this.size);
  }

  /** Gives `buf` back if it is one of these slots; false if not. */
  give(buf: Buffer): boolean {
    const slab = this.slabs.find((s) => s.bytes.buffer === buf.buffer);
    if (slab === undefined) return false;
    const i = Math.floor((buf.byteOffset - slab.bytes.byteOffset - SLOT_SHIFT) / this.size);
    if (slab.busy[i] === 0) throw new Error(`chunk slot ${i} given back twice`);
    slab.busy[i] = 0;
    slab.free.push(i);
    return true;
  }
}

/** {@link ChunkSlots.usage}: slots out, their bytes, and the address space of the slabs (only pages slots have used count in RSS). */
export interface ChunkUsage {
  slots: number;
  bytes: number;
  reserved: number;
}

/** One server's chunk buffers: slots in two sizes, counted, and dropped together when idle (see the module doc). */
export class ChunkSlots {
  readonly #sizes: SlotSize[];
  #inUse = 0;
  #bytes = 0;
  #idleSince = 0;
  #timer: NodeJS.Timeout | null = null;
  readonly #idleMs: number;

  /**
   * Slots of `small` and `large` bytes of data each (by default a
   * connection's floor and the largest chunk), plus {@link HEAD_ROOM},
   * rounded up to whole pages; slabs dropped after `idleMs` unused.
   */
  constructor(small = INFLIGHT_FLOOR, large = CHUNK, idleMs = IDLE_MS) {
    this.#sizes = [new SlotSize(small + HEAD_ROOM), new SlotSize(large + HEAD_ROOM)];
    this.#idleMs = idleMs;
  }

  /** Slots handed out and not yet given back. */
  get inUse(): number {
    return this.#inUse;
  }

  /** Slabs held now. */
  get slabs(): number {
    return this.#sizes.reduce((n, s) => n + s.slabs.length, 0);
  }

  /** What the slots hold now: bytes handed out and not given back, and the slabs' address space. */
  usage(): ChunkUsage {
    const reserved = this.#sizes.reduce((n, s) => n + s.slabs.reduce((m, slab) => m + slab.bytes.length, 0), 0);
    return { slots: this.#inUse, bytes: this.#bytes, reserved };
  }

  /** An uninitialised buffer of `n` bytes: a slot's start, or a buffer of its own when no slot is that big. */
  take(n: number): Buffer {
    const sized = this.#sizes.find((s) => s.size >= n);
    if (sized === undefined) return Buffer.allocUnsafe(n);
    this.#inUse++;
    this.#bytes += n;
    return sized.take().subarray(0, n);
  }

  /** Takes back a buffer from {@link take} (one of its own is left to the GC). */
  give(buf: Buffer): void {
    if (!this.#sizes.some((s) => s.give(buf))) return;
    this.#bytes -= buf.length;
    if (--this.#inUse === 0) {
      this.#idleSince = performance.now();
      if (this.#timer === null) this.#arm(this.#idleMs);
    }
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#inUse > 0) return; // the next time the count reaches 0 arms again
      const idle = performance.now() - this.#idleSince;
      if (idle < this.#idleMs) return this.#arm(this.#idleMs - idle);
      for (const s of this.#sizes) s.slabs = [];
    }, ms);
    this.#timer.unref();
  }
}
