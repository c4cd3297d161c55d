/**
 * The one progress display of the `netkit` command line (`get` and `put`):
 * bytes so far (and of how many when the size is known), percentage, a bar,
 * the rate and the time left, drawn on standard error only when it is a
 * terminal (never in pipes, logs or tests that capture output), at most ten
 * times a second.
 *
 *     12.0 MiB / 50.0 MiB  24% [=======>                       ] 6.0 MiB/s  ETA 0:06
 *
 * The line is always ended before anything else is said: `done()` draws the
 * last state and ends it, `end()` (for error paths) ends it if one is open,
 * and an abort of `signal` (Ctrl-C) ends it at once, so `interrupted` or an
 * error message starts on its own line.
 *
 * @example
 * ```ts
 * declare const fileSink: ltn12.Sink;
 * const bar = progress(process.stderr, { total: 1024 });
 * const counted = bar.sink(fileSink);   // or bar.update(bytesSoFar)
 * await counted(Buffer.alloc(1024));
 * await counted(null);                  // draws the final line and ends it
 * ```
 */
import type { Sink } from '../ltn12/index.js';

/** How often the line is redrawn at most, ms. */
export const PROGRESS_EVERY_MS = 100;

/** Bytes in binary units: `512 B`, `1.5 KiB`, `12.0 MiB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

/** Seconds as `m:ss` (or `h:mm:ss`). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** One progress line for `done` bytes after `elapsedMs`, out of `total` when known. */
export function progressLine(done: number, elapsedMs: number, total?: number, width = 30): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const speed = `${formatBytes(Math.round(rate))}/s`;
  if (total === undefined || total === 0) return `${formatBytes(done)}  ${speed}`;
  const frac = Math.min(1, done / total);
  const fill = Math.round(frac * width);
  const bar = `${'='.repeat(Math.max(0, fill - 1))}${fill > 0 ? (frac < 1 ? '>' : '=') : ''}${' '.repeat(width - fill)}`;
  const eta = rate > 0 ? formatDuration((total - done) / rate) : '--:--';
  return `${formatBytes(done)} / ${formatBytes(total)} ${String(Math.floor(frac * 100)).padStart(3)}% [${bar}] ${speed}  ETA ${eta}`;
}

/** A progress line on a stream. */
export interface Progress {
  /** Bytes counted so far. */
  readonly bytes: number;
  /** The size, once known (a download learns it when the transfer starts). */
  total: number | undefined;
  /** Sets the byte count and redraws when the last draw is old enough. */
  update(bytes: number): void;
  /** Draws the final state and ends the line. */
  done(): void;
  /** Ends the line if one is open, drawing nothing more (error paths). */
  end(): void;
  /** A sink that counts what passes to `sink`; its end of data calls `done()`. */
  sink(sink: Sink): Sink;
}

/** Options of {@link progress}. */
export interface ProgressOptions {
  total?: number;
  /** Ends the line when it aborts (Ctrl-C), so what follows starts on its own line. */
  signal?: AbortSignal;
  /** Redraw interval, ms. @default PROGRESS_EVERY_MS */
  everyMs?: number;
}

/** A progress display on `stream`; when `stream` is not a terminal it counts but draws nothing. */
export function progress(stream: NodeJS.WritableStream & { isTTY?: boolean }, opts: ProgressOptions = {}): Progress {
  const tty = stream.isTTY === true;
  const started = performance.now();
  let last = -Infinity;
  let open = false;
  let finished = false;
  const draw = () => {
    if (!tty || finished) return;
    stream.write(`\r${progressLine(state.bytes, performance.now() - started, state.total)}\x1b[K`);
    open = true;
  };
  const end = () => {
    if (open) stream.write('\n');
    open = false;
    finished = true;
    opts.signal?.removeEventListener('abort', end);
  };
  opts.signal?.addEventListener('abort', end, { once: true });
  const state: Progress = {
    bytes: 0,
    total: opts.total,
    update(n) {
      (state as { bytes: number }).bytes = n;
      const now = performance.now();
      if (now - last >= (opts.everyMs ?? PROGRESS_EVERY_MS)) {
        last = now;
        draw();
      }
    },
    done() {
      draw();
      end();
    },
    end,
    sink(target) {
      return async (chunk) => {
        if (chunk === null) state.done();
        else state.update(state.bytes + chunk.length);
        await target(chunk);
      };
    },
  };
  return state;
}
