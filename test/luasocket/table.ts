/**
 * The LuaSocket compatibility tables: one row per call, naming what
 * LuaSocket returns (from its own tests, manual and source) and what netkit
 * returns. A row without `why` must agree with LuaSocket; a row where
 * netkit differs on purpose says why. Each row runs netkit's call and checks
 * the `netkit` column, so the table cannot drift from the code.
 *
 * @example
 * ```ts
 * table('url', [{ call: "escape('a b')", luasocket: '"a%20b"', netkit: '"a%20b"', run: () => show(escape('a b')) }]);
 * ```
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

/** One call, LuaSocket's result and netkit's, with the reason when they differ. */
export interface Row {
  call: string;
  luasocket: string;
  netkit: string;
  /** Why netkit differs on purpose (required exactly when the two columns differ). */
  why?: string;
  run: () => string | Promise<string>;
}

/** A value as the table writes it: strings and bytes as JSON strings (bytes read as latin1), arrays element by element. */
export function show(v: unknown): string {
  if (Buffer.isBuffer(v)) return JSON.stringify(v.toString('latin1'));
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return `{${v.map(show).join(', ')}}`;
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** What a call gives: its value shown, or `error NAME` when it throws or rejects. */
export async function outcome(fn: () => unknown): Promise<string> {
  try {
    return show(await fn());
  } catch (err) {
    return `error ${(err as Error).name}`;
  }
}

/** Registers one test per row under `module`. */
export function table(module: string, rows: Row[]): void {
  for (const row of rows) {
    test(`LuaSocket ${module}: ${row.call}`, async () => {
      assert.equal(await row.run(), row.netkit, `netkit's result for ${row.call}`);
      if (row.why === undefined) assert.equal(row.netkit, row.luasocket, `${row.call} must agree with LuaSocket (or say why not)`);
      else {
        assert.notEqual(row.netkit, row.luasocket, `${row.call}: a reason is given but the results agree`);
        assert.ok(row.why.trim().length > 10, 'the reason is written out');
      }
    });
  }
}
