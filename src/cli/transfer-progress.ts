/**
 * A progress bar for long transfers, drawn on stderr only when stderr is a
 * terminal (never in pipes, logs or tests that capture output), redrawn at
 * most ten times a second, finished with a newline.
 *
 *     [##########..........]  50%  50.0 MiB of 100.0 MiB  812.3 MiB/s
 *
 * @example
 * ```ts
 * declare const io: any;
 * declare const size: number;
 * declare const bytesSoFar: number;
 * const bar = progressBar(io.stderr);
 * bar.start(size);            // size in bytes, or undefined when unknown
 * bar.update(bytesSoFar);
 * bar.done();
 * ```
 */

export interface ProgressBar {
  start(total: number | undefined): void;
  update(bytes: number): void;
  done(): void;
}

const MiB = 1024 * 1024;
const fmt = (n: number) => (n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

/** The bar's text for `bytes` of `total` after `ms` milliseconds, `width` characters of bar. */
export function renderProgress(bytes: number, total: number | undefined, ms: number, width = 20): string {
  const rate = ms > 0 ? `${fmt((bytes * 1000) / ms)}/s` : '';
  if (total === undefined || total === 0) return `${fmt(bytes)}  ${rate}`.trimEnd();
  const frac = Math.min(1, bytes / total);
  const fill = Math.round(frac * width);
  return `[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${String(Math.floor(frac * 100)).padStart(3)}%  ${fmt(bytes)} of ${fmt(total)}  ${rate}`.trimEnd();
}

/** A bar on `stream` when it is a TTY; otherwise an object that draws nothing. */
export function progressBar(stream: NodeJS.WritableStream & { isTTY?: boolean }): ProgressBar {
  if (!stream.isTTY) return { start() {}, update() {}, done() {} };
  let total: number | undefined;
  let started = performance.now();
  let last = 0;
  let bytes = 0;
  const draw = () => stream.write(`\r${renderProgress(bytes, total, performance.now() - started)}\x1b[K`);
  return {
    start(t) {
      total = t;
      started = performance.now();
      draw();
    },
    update(n) {
      bytes = n;
      const now = performance.now();
      if (now - last >= 100) {
        last = now;
        draw();
      }
    },
    done() {
      draw();
      stream.write('\n');
    },
  };
}
