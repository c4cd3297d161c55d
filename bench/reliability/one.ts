/**
 * Runs one figure module and prints its results: human lines on stderr, one
 * `@@figure {json}` line per result on stdout for the runner.
 *
 *     node --expose-gc dist/bench/reliability/one.js r10-inetd
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FigureSpec } from './figure.js';
import { MARK_PREFIX } from './mark.js';
import { line } from './report.js';

const name = process.argv[2];
if (!name) throw new Error('usage: one.js <module, e.g. r10-inetd>');
const file = join(dirname(fileURLToPath(import.meta.url)), name.endsWith('.js') ? name : `${name}.js`);
const { spec } = (await import(pathToFileURL(file).href)) as { spec: FigureSpec };
for (const f of await spec.run()) {
  if (process.env.NETKIT_FIGURE_CHILD !== '1') process.stderr.write(`${line(f)}\n`);
  process.stdout.write(`${MARK_PREFIX}${JSON.stringify(f)}\n`);
}
// Whatever a figure left running is its own finding (fd and handle figures); it must not keep the process.
process.exit(0);
