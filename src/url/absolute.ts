/**
 * `absolute`: RFC 3986 §5.2 reference resolution, strict, in linear time
 * (LuaSocket's version is quadratic: 10 KB took 1.2 s).
 *
 * @example
 * ```ts
 * assert.equal(absolute('http://a/b/c/d;p?q', '../g'), 'http://a/b/g');
 * assert.equal(absolute('http://a/b/c/d;p?q', '?y'), 'http://a/b/c/d;p?y');
 * ```
 */
import { build, schemeLength, type UrlParts } from './parse.js';

/** The five components of RFC 3986 Appendix B; `undefined` where absent. */
interface Ref {
  scheme?: string;
  authority?: string;
  path: string;
  query?: string;
  fragment?: string;
}

function splitRef(s: string): Ref {
  const ref: Ref = { path: '' };
  let rest = s;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    ref.fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    ref.query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const sl = schemeLength(rest);
  if (sl > 0) {
    ref.scheme = rest.slice(0, sl);
    rest = rest.slice(sl + 1);
  }
  if (rest.startsWith('//')) {
    let end = rest.indexOf('/', 2);
    if (end < 0) end = rest.length;
    ref.authority = rest.slice(2, end);
    rest = rest.slice(end);
  }
  ref.path = rest;
  return ref;
}

/**
 * RFC 3986 §5.2.4: removes '.' and '..' segments. Each output segment is
 * kept with its leading '/', so '..' pops exactly one; every input character
 * is looked at a bounded number of times.
 */
export function removeDotSegments(path: string): string {
  const n = path.length;
  // The output is made of runs of the input, [start, end) pairs; every '/' inside a
  // run starts one of its segments, so '..' cuts the last run back to its last '/'.
  // (Kept inline, without closures: this loop runs once per segment of hostile input.)
  // One array of [start, end) pairs, grown by doubling: most hostile paths need few runs.
  let run = new Int32Array(64);
  let runs = 0;
  let trailingSlash = false;
  let pop = false;
  let i = 0;
  while (i < n) {
    let j = -1; // the end of a segment to keep, from i
    if (path.charCodeAt(i) === 47 && path.charCodeAt(i + 1) !== 46) {
      // Every segment before the next '/.' is plain: keep them all in one step
      // (a one-character search: V8 prepares a searcher for every longer needle).
      let d = path.indexOf('.', i + 1);
      while (d >= 0 && path.charCodeAt(d - 1) !== 47) d = path.indexOf('.', d + 1);
      j = d < 0 ? n : d - 1;
    } else if (path.startsWith('../', i)) i += 3;
    else if (path.startsWith('./', i)) i += 2;
    else if (path.startsWith('/./', i)) i += 2;
    else if (i + 2 === n && path.startsWith('/.', i)) {
      trailingSlash = true;
      break;
    } else if (path.startsWith('/../', i)) {
      i += 3;
      pop = true;
    } else if (i + 3 === n && path.startsWith('/..', i)) {
      pop = true;
      trailingSlash = true;
      i = n;
    } else if ((i + 1 === n && path[i] === '.') || (i + 2 === n && path.startsWith('..', i))) {
      break;
    } else {
      j = path.indexOf('/', i + 1);
      if (j < 0) j = n;
    }
    if (j >= 0) {
      if (runs > 0 && run[2 * runs - 1] === i) run[2 * runs - 1] = j;
      else {
        if (2 * runs + 2 > run.length) {
          const grown = new Int32Array(run.length * 2);
          grown.set(run);
          run = grown;
        }
        run[2 * runs] = i;
        run[2 * runs + 1] = j;
        runs++;
      }
      i = j;
    } else if (pop) {
      pop = false;
      if (runs > 0) {
        const cut = path.lastIndexOf('/', run[2 * runs - 1]! - 1);
        if (cut > run[2 * runs - 2]!) run[2 * runs - 1] = cut;
        else runs--;
      }
    }
  }
  let out = '';
  for (let k = 0; k < runs; k++) out += path.slice(run[2 * k], run[2 * k + 1]);
  return trailingSlash ? `${out}/` : out;
}

function merge(base: Ref, relPath: string): string {
  if (base.authority !== undefined && base.path === '') return `/${relPath}`;
  const slash = base.path.lastIndexOf('/');
  return slash < 0 ? relPath : base.path.slice(0, slash + 1) + relPath;
}

function recompose(t: Ref): string {
  let s = '';
  if (t.scheme !== undefined) s += `${t.scheme}:`;
  if (t.authority !== undefined) s += `//${t.authority}`;
  s += t.path;
  if (t.query !== undefined) s += `?${t.query}`;
  if (t.fragment !== undefined) s += `#${t.fragment}`;
  return s;
}

/**
 * Resolves `relative` against `base` (a URL string or parts from `parse`)
 * and returns the target URL as a string.
 */
export function absolute(base: string | UrlParts, relative: string): string {
  const b = splitRef(typeof base === 'string' ? base : build(base));
  const r = splitRef(relative);
  const t: Ref = { path: '' };
  if (r.scheme !== undefined) {
    Object.assign(t, r, { path: removeDotSegments(r.path) });
  } else {
    if (r.authority !== undefined) {
      t.authority = r.authority;
      t.path = removeDotSegments(r.path);
      t.query = r.query;
    } else {
      if (r.path === '') {
        t.path = b.path;
        t.query = r.query ?? b.query;
      } else {
        t.path = removeDotSegments(r.path.startsWith('/') ? r.path : merge(b, r.path));
        t.query = r.query;
      }
      t.authority = b.authority;
    }
    t.scheme = b.scheme;
    t.fragment = r.fragment;
  }
  return recompose(t);
}
