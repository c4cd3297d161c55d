/**
 * Every `@example` in a doc comment under `src/` is type-checked, so an
 * example that no longer matches the API fails `npm test`.
 *
 * Each ```ts block after an `@example` tag becomes a module of its own,
 * compiled with the repository's compiler options against the package as a
 * user imports it: `netkit` and its subpaths (`netkit/socket`,
 * `netkit/http` …) resolve to `src/`. In scope without an import: the
 * package's namespaces (`socket`, `http`, `mime` …), `assert`
 * (`node:assert/strict`), every export of the file the example documents
 * and of the module it belongs to (the nearest `index.ts` above it), so an
 * example of `ReceiveBuffer` may say `new ReceiveBuffer()`; and ltn12's
 * `source`, `sink`, `pump`, `filter` and `transform`, which every layer
 * above it speaks. Names an example uses beyond these it declares
 * (`declare const sock: socket.TcpClient;`) or imports.
 * An example may import anything else itself; top-level `await` works.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../testkit/index.js';

interface Example {
  /** The documented file, relative to the repository. */
  file: string;
  /** The line of the example's first code line in that file (1-based). */
  line: number;
  code: string;
}

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await'.split(
    ' ',
  ),
);
const STREAMING = ['source', 'sink', 'pump', 'filter', 'transform'];
const NAMESPACES = ['core', 'socket', 'ltn12', 'url', 'mime', 'servers', 'http', 'tp', 'smtp', 'pop3', 'ftp', 'data'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The ```ts blocks that follow an `@example` tag inside `/** … *\/` comments of `text`. */
export function examplesIn(text: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*@example\b/.test(lines[i]!)) continue;
    let j = i + 1;
    while (j < lines.length && !/^\s*\*\s*```/.test(lines[j]!) && !/\*\//.test(lines[j]!)) j++;
    if (j >= lines.length || !/```(ts|typescript)?\s*$/.test(lines[j]!)) continue;
    const start = j + 1;
    const body: string[] = [];
    for (j = start; j < lines.length && !/^\s*\*\s*```\s*$/.test(lines[j]!); j++) {
      if (/\*\//.test(lines[j]!)) break;
      body.push(lines[j]!.replace(/^\s*\* ?/, ''));
    }
    out.push({ line: start + 1, code: body.join('\n') });
    i = j;
  }
  return out;
}

/** The names an example declares at its top level (variables, destructured ones, functions, classes, types). */
function declared(code: string): Set<string> {
  const names = new Set<string>();
  const bind = (n: ts.BindingName): void => {
    if (ts.isIdentifier(n)) names.add(n.text);
    else for (const e of n.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  for (const st of ts.createSourceFile('x.mts', code, ts.ScriptTarget.ES2022).statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bind(d.name);
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name)
      names.add(st.name.text);
  }
  return names;
}

/** `netkit` and each subpath of package.json's exports, mapped to the TypeScript source. */
function packagePaths(root: string): Record<string, string[]> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string> };
  const paths: Record<string, string[]> = {};
  for (const [sub, target] of Object.entries(pkg.exports)) {
    if (!target.endsWith('.js')) continue;
    const src = join(root, target.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
    paths[sub === '.' ? 'netkit' : `netkit/${sub.slice(2)}`] = [src];
  }
  return paths;
}

function collect(root: string): Example[] {
  return sources(join(root, 'src')).flatMap((path) => examplesIn(readFileSync(path, 'utf8')).map((e) => ({ file: relative(root, path), ...e })));
}

/** Type-checks every example; returns one message per error, located at the example's line in its file. */
function check(root: string, examples: Example[]): string[] {
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, root);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    noUnusedLocals: false,
    declaration: false,
    sourceMap: false,
    paths: packagePaths(root),
  };
  const moduleIndex = (file: string): string | undefined => {
    for (let dir = dirname(file); dir.startsWith(join(root, 'src', '')); dir = dirname(dir)) {
      const index = join(dir, 'index.ts');
      if (existsSync(index)) return index;
    }
    return undefined;
  };
  const files = examples.map((e) => join(root, e.file));
  const plain = ts.createProgram({ rootNames: [...new Set([...files, ...files.map(moduleIndex).filter((f) => f !== undefined)])], options });
  const exportsOf = (file: string): string[] => {
    const symbol = checker.getSymbolAtLocation(plain.getSourceFile(file)!);
    return symbol ? checker.getExportsOfModule(symbol).map((s) => s.name) : [];
  };
  const checker = plain.getTypeChecker();
  const virtual = new Map<string, { example: Example; prelude: number }>();
  const texts = new Map<string, string>();
  examples.forEach((ex, n) => {
    const documented = join(root, ex.file);
    // The example's own imports must come first in a module: hoist them, and leave their names out of the prelude.
    const imports = ex.code.split('\n').filter((l) => /^import\s/.test(l));
    const imported = new Set(imports.flatMap((l) => [...l.replace(/\bfrom\b.*$/, '').matchAll(/[A-Za-z_$][\w$]*/g)].map((m) => m[0])));
    // The file's own exports, unless the example or the prelude already names them.
    const index = moduleIndex(documented);
    const fromIndex = index && index !== documented && index !== join(root, 'src', 'index.ts') ? exportsOf(index) : [];
    const own_ = declared(ex.code);
    // Keywords (sink.null, sink.error …) cannot be imported by name.
    const keep = (name: string) => !RESERVED.has(name) && name !== 'assert' && !imported.has(name) && !own_.has(name);
    const own = exportsOf(documented).filter(keep);
    const shared = fromIndex.filter((name) => keep(name) && !own.includes(name));
    const local = new Set([...own, ...shared]);
    const namespaces = NAMESPACES.filter((n) => !imported.has(n) && !local.has(n) && !own_.has(n));
    // ltn12's vocabulary, which every layer above it speaks.
    const streaming = STREAMING.filter((n) => keep(n) && !local.has(n));
    const indexSpec = index ? `./${relative(join(root, 'src', '.examples'), index).replace(/\.ts$/, '.js')}` : '';
    const spec = `./${relative(join(root, 'src', '.examples'), documented).replace(/\.ts$/, '.js')}`;
    const prelude = [
      namespaces.length ? `import { ${namespaces.join(', ')} } from 'netkit';` : '',
      imported.has('assert') || own_.has('assert') ? '' : "import assert from 'node:assert/strict';",
      own.length ? `import { ${own.join(', ')} } from '${spec}';` : '',
      shared.length ? `import { ${shared.join(', ')} } from '${indexSpec}';` : '',
      streaming.length ? `import { ${streaming.join(', ')} } from 'netkit/ltn12';` : '',
      'export {};',
    ];
    const rest = ex.code.split('\n').map((l) => (/^import\s/.test(l) ? '' : l));
    const name = join(root, 'src', '.examples', `${ex.file.replace(/[/\\.]/g, '_')}_${n}.mts`);
    const text = [...imports, ...prelude, ...rest].join('\n');
    texts.set(name, text);
    virtual.set(name, { example: ex, prelude: imports.length + prelude.length });
  });
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (f, lang, ...rest) => (texts.has(f) ? ts.createSourceFile(f, texts.get(f)!, lang) : getSourceFile.call(host, f, lang, ...rest));
  host.fileExists = (f) => texts.has(f) || fileExists.call(host, f);
  host.readFile = (f) => texts.get(f) ?? readFile.call(host, f);
  const program = ts.createProgram({ rootNames: [...texts.keys()], options, host, oldProgram: plain });
  const problems: string[] = [];
  for (const [name, { example, prelude }] of virtual) {
    const sf = program.getSourceFile(name)!;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const at = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line;
      const line = at < prelude ? `prelude` : String(example.line + at - prelude);
      problems.push(`${example.file}:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  return problems;
}

test('every @example in src/ type-checks against the package', { timeout: 170_000 }, () => {
  const root = repoRoot();
  const examples = collect(root);
  assert.ok(examples.length >= 100, `only ${examples.length} examples found`);
  const problems = check(root, examples);
  assert.equal(problems.length, 0, `${problems.length} type errors in ${examples.length} examples:\n${problems.join('\n')}`);
});

test('the example extractor finds fenced blocks after @example and keeps their lines', () => {
  const text = ['/**', ' * Does x.', ' *', ' * @example', ' * ```ts', ' * const a = 1;', ' *   const b = a;', ' * ```', ' */', 'export const x = 1;'].join(
    '\n',
  );
  assert.deepEqual(examplesIn(text), [{ line: 6, code: 'const a = 1;\n  const b = a;' }]);
  assert.deepEqual(examplesIn('/** @see x */'), []);
});
