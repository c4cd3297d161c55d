/**
 * The progress line of a download: bytes so far (and of how many when the
 * size is known), percentage, a bar, the rate and the time left. Drawn on
 * a terminal only, at most ten times a second, by a sink that passes
 * every chunk on untouched.
 *
 *     12.0 MiB / 50.0 MiB  24% [=======>                       ] 6.0 MiB/s  ETA 0:06
 *
 * @example
 * ```ts
 * declare const fileSink: ltn12.Sink;
 * declare const total: number;
 * const sink = progressSink(fileSink, (line) => process.stderr.write(`\r${line}`), total);
 * ```
 */
import type { Sink } from '../../ltn12/index.js';

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

/** Passes chunks to `sink`, calling `draw` with a progress line at most every `everyMs` and once at the end. */
export function progressSink(sink: Sink, draw: (line: string, final: boolean) => void, total?: number, everyMs = 100): Sink {
  const start = performance.now();
  let done = 0;
  let last = 0;
  return async (chunk) => {
    const now = performance.now();
    if (chunk === null) {
      draw(progressLine(done, now - start, total), true);
    } else {
      done += chunk.length;
      if (now - last >= everyMs) {
        last = now;
        draw(progressLine(done, now - start, total), false);
      }
    }
    await sink(chunk);
  };
}
