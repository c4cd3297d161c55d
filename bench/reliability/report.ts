/**
 * The figures' common output: one line per figure,
 * `name value threshold PASS|FAIL|KNOWN-FAIL|SKIP`, and the results table in RELIABILITY.md.
 *
 * @example
 * ```ts
 * console.log(line({ name: 'R-13 url', value: 41.2, unit: 'ms', pass: '<=', threshold: 100 }));
 * // R-13 url 41.20ms <=100ms PASS
 * ```
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { passed, type Figure } from './figure.js';

export type Verdict = 'PASS' | 'FAIL' | 'KNOWN-FAIL' | 'SKIP';

export function verdict(f: Figure): Verdict {
  if (f.skip !== undefined) return 'SKIP';
  if (passed(f)) return 'PASS';
  return f.known !== undefined ? 'KNOWN-FAIL' : 'FAIL';
}

const show = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/** `name value threshold VERDICT  (detail)` */
export function line(f: Figure): string {
  const why = [f.skip ?? f.detail, f.known].filter(Boolean).join('; ');
  return `${f.name} ${show(f.value)}${f.unit} ${f.pass}${show(f.threshold)}${f.unit} ${verdict(f)}${why ? `  (${why})` : ''}`;
}

/** Prints every figure; true when none failed. */
export function report(figures: Figure[]): boolean {
  for (const f of figures) console.log(line(f));
  return figures.every((f) => verdict(f) !== 'FAIL');
}

const BEGIN = '<!-- figures:begin -->';
const END = '<!-- figures:end -->';

/** Replaces the block between the figure markers of `file` with a table of `figures`. */
export function writeTable(file: string, figures: Figure[], heading: string): void {
  const rows = figures.map(
    (f) =>
      `| ${f.name} | ${show(f.value)}${f.unit} | ${f.pass} ${show(f.threshold)}${f.unit} | ${verdict(f)} | ${[f.skip ?? f.detail, f.known].filter(Boolean).join('; ').replace(/\|/g, '/')} |`,
  );
  const table = [BEGIN, heading, '', '| Figure | Value | Threshold | Result | Note |', '|---|---:|---|---|---|', ...rows, END].join('\n');
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  writeFileSync(file, a >= 0 && b > a ? text.slice(0, a) + table + text.slice(b + END.length) : `${text.trimEnd()}\n\n${table}\n`);
}
