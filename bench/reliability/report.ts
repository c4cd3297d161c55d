/**
 * The reliability figures' common output: one line per figure,
 * `name value threshold PASS|FAIL`, and an exit code that says whether all passed.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The figure passes when `value` compares to `threshold` this way. */
  pass: '<=' | '>=' | '==';
  threshold: number;
  detail?: string;
}

export function report(figures: Figure[]): boolean {
  let ok = true;
  for (const f of figures) {
    const passed = f.pass === '<=' ? f.value <= f.threshold : f.pass === '>=' ? f.value >= f.threshold : f.value === f.threshold;
    ok &&= passed;
    const v = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(2);
    console.log(`${f.name} ${v}${f.unit} ${f.pass}${f.threshold}${f.unit} ${passed ? 'PASS' : 'FAIL'}${f.detail ? `  (${f.detail})` : ''}`);
  }
  return ok;
}
