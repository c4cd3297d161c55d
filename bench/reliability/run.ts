/**
 * Runs the reliability figures of hostile-inputs §4: every module
 * `rNN-*.js` beside this file, each in its own process (`--expose-gc`, and in a
 * fresh network namespace when the module asks), killed at its time budget.
 * Prints `name value threshold PASS|FAIL|SKIP`; exit code 1 if any FAILs.
 *
 *     npm run reliability                      # all figures
 *     npm run reliability -- R-10 R-02         # some
 *     npm run reliability -- --write           # and update RELIABILITY.md
 *
 * In CI (CI=true) a figure that SKIPs for want of network namespaces fails
 * when `unshare --net` works on the machine.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { inCI, passed, type Figure, type FigureSpec } from './figure.js';
import { report, writeTable } from './report.js';
import { MARK_PREFIX } from './mark.js';
import { netnsId } from './netns.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');

/** Whether this machine can make a network namespace (root, or user namespaces allowed). */
export function netnsAvailable(): boolean {
  return spawnSync('unshare', ['--net', 'true'], { stdio: 'ignore' }).status === 0;
}

async function runOne(file: string, spec: FigureSpec, netns: boolean): Promise<Figure[]> {
  const node = [process.execPath, '--expose-gc', join(here, 'one.js'), file];
  const [cmd, ...args] = spec.netns ? ['unshare', '--net', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'netns', ...node] : node;
  if (spec.netns && !netns)
    return [{ name: `${spec.id} all`, value: 0, unit: '', pass: '==', threshold: 0, skip: 'no network namespaces here (unshare --net failed)' }];
  const child = spawn(cmd!, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
    env: { ...process.env, NETKIT_FIGURE_CHILD: '1', NETKIT_RUNNER_NETNS: netnsId() },
  });
  const figures: Figure[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    if (l.startsWith(MARK_PREFIX)) figures.push(JSON.parse(l.slice(MARK_PREFIX.length)) as Figure);
    else process.stderr.write(`${l}\n`);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, spec.budgetMs);
  const t = performance.now();
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  const took = performance.now() - t;
  if (timedOut) figures.push({ name: `${spec.id} time-budget`, value: took, unit: 'ms', pass: '<=', threshold: spec.budgetMs, detail: 'killed at its budget' });
  else if (code !== 0) figures.push({ name: `${spec.id} exit-code`, value: code ?? -1, unit: '', pass: '==', threshold: 0, detail: 'the figure crashed' });
  return figures;
}

const args = process.argv.slice(2);
const write = args.includes('--write');
const wanted = args.filter((a) => /^R-\d\d$/i.test(a)).map((a) => a.toUpperCase());
const netns = netnsAvailable();
const all: Figure[] = [];
const started = performance.now();
for (const file of readdirSync(here)
  .filter((f) => /^r\d\d-[a-z0-9-]+\.js$/.test(f))
  .sort()) {
  const { spec } = (await import(pathToFileURL(join(here, file)).href)) as { spec: FigureSpec };
  if (wanted.length > 0 && !wanted.includes(spec.id)) continue;
  process.stderr.write(`${spec.id} (${file})…\n`);
  const figures = await runOne(file, spec, netns);
  for (const f of figures) {
    const known = spec.knownFailures?.[f.name];
    if (known !== undefined && f.skip === undefined && !passed(f)) f.known = `known: ${known}`;
    if (f.skip !== undefined && inCI() && netns) {
      f.detail = `skipped in CI where namespaces work: ${f.skip}`;
      delete f.skip;
      f.value = 1; // counts as a failure
    }
  }
  all.push(...figures);
}
const ok = report(all);
process.stderr.write(`reliability: ${all.length} figures in ${Math.round((performance.now() - started) / 1000)} s\n`);
if (write)
  writeTable(
    join(repo, 'RELIABILITY.md'),
    all,
    `Latest run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores, CI=${process.env.CI ?? 'unset'}.`,
  );
process.exitCode = ok ? 0 : 1;
