/**
 * Directory listings: MLSD facts (RFC 3659 §7), Unix `ls -l` style LIST
 * lines, and DOS/IIS style LIST lines, parsed into one entry shape.
 *
 * Names are reported as the server sent them and are never paths: a caller
 * that turns them into local file names must reject `/`, `\`, `.` and `..`
 * ({@link isSafeName} does). A name holding CR, LF or NUL, or an MLSD line
 * without the `facts SP name` form, is a ProtocolError. LIST lines that
 * match neither format are kept as `type: 'unknown'` with `name` = the line.
 *
 * @example
 * ```ts
 * parseMlsdLine('type=file;size=5;modify=20240101120000; hello.txt');
 * // { name: 'hello.txt', type: 'file', size: 5, modified: 2024-01-01T12:00:00Z, facts: {...} }
 * parseListLine('drwxr-xr-x 2 ftp ftp 4096 Mar  1 12:00 pub');      // { name: 'pub', type: 'dir', ... }
 * parseListLine('03-01-24  12:00PM       <DIR>          pub');     // { name: 'pub', type: 'dir', ... }
 * ```
 */
import { ProtocolError } from '../../core/errors.js';

/** One listed file, directory or link. */
export interface Entry {
  name: string;
  type: 'file' | 'dir' | 'link' | 'unknown';
  size?: number;
  modified?: Date;
  /** Symbolic link target (Unix LIST `name -> target`). */
  target?: string;
  /** Unix permission string (`rwxr-xr-x`) or MLSD `unix.mode`/`perm`. */
  permissions?: string;
  /** All MLSD facts, lower-case names. */
  facts?: Record<string, string>;
  /** The line as received. */
  raw: string;
}

function checkName(name: string, line: string): string {
  if (name === '' || /[\r\n\0]/.test(name)) throw new ProtocolError('listing entry with an empty name or CR, LF or NUL in it', line.slice(0, 200));
  return name;
}

/** True when `name` can be used as one local file name: not empty, `.`, `..`, and no `/`, `\`, or control characters. */
export function isSafeName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\x00-\x1f\x7f]/.test(name);
}

/**
 * The UTC date of these calendar fields, or undefined when they name no such
 * moment (month 13, Feb 30, 24:00, minute 60): `Date.UTC` would roll them over
 * into another date.
 */
function utcDate(y: number, mo: number, d: number, h = 0, mi = 0, se = 0, ms = 0): Date | undefined {
  const date = new Date(Date.UTC(y, mo, d, h, mi, se, ms));
  const same =
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === se;
  return same ? date : undefined;
}

/** A size field as a number, when it is a whole number of bytes that a double holds exactly. */
function sizeOf(s: string): number | undefined {
  const n = Number(s);
  return /^\d+$/.test(s) && Number.isSafeInteger(n) ? n : undefined;
}

/** `YYYYMMDDHHMMSS[.sss]` (UTC, RFC 3659 time-val) → Date, or undefined when malformed or no such date. */
export function parseTimeVal(s: string): Date | undefined {
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d{1,3}))?$/.exec(s.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  return utcDate(y, mo - 1, d, h, mi, se, m[7] ? Number(m[7].padEnd(3, '0')) : 0);
}

/** One MLSD/MLST line: `fact=value;fact=value; name`. */
export function parseMlsdLine(line: string): Entry {
  const sp = line.indexOf(' ');
  if (sp < 0) throw new ProtocolError('malformed MLSD line: no space before the name', line.slice(0, 200));
  const facts: Record<string, string> = {};
  for (const f of line.slice(0, sp).split(';')) {
    if (f === '') continue;
    const eq = f.indexOf('=');
    if (eq <= 0) throw new ProtocolError('malformed MLSD fact', line.slice(0, 200));
    facts[f.slice(0, eq).toLowerCase()] = f.slice(eq + 1);
  }
  const name = checkName(line.slice(sp + 1), line);
  const t = (facts.type ?? '').toLowerCase();
  const type: Entry['type'] =
    t === 'file' ? 'file' : t === 'dir' || t === 'cdir' || t === 'pdir' ? 'dir' : t.startsWith('os.unix=slink') || t === 'os.unix=symlink' ? 'link' : 'unknown';
  const entry: Entry = { name, type, facts, raw: line };
  const size = facts.size === undefined ? undefined : sizeOf(facts.size);
  if (size !== undefined) entry.size = size;
  if (facts.modify !== undefined) entry.modified = parseTimeVal(facts.modify);
  if (facts['unix.mode'] !== undefined) entry.permissions = facts['unix.mode'];
  else if (facts.perm !== undefined) entry.permissions = facts.perm;
  return entry;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** `ls -l`: type+perms, links, owner, group, size, month day time|year, name. */
const UNIX = /^([bcdelfmpSs-])([rwxsStTL-]{9})[+@.]?\s+\d+\s+(?:\S+\s+){1,2}?(\d+)\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}:\d{2}|\d{4})\s(.*)$/s;
/** DOS/IIS: `MM-DD-YY  HH:MMAM  <DIR>|size  name`. */
const DOS = /^(\d{2})-(\d{2})-(\d{2,4})\s+(\d{1,2}):(\d{2})\s*([AaPp][Mm])?\s+(<DIR>|\d+)\s+(.+)$/s;

function unixDate(month: string, day: string, timeOrYear: string, now: Date): Date | undefined {
  const mo = MONTHS.indexOf(month.toLowerCase());
  if (mo < 0) return undefined;
  if (timeOrYear.includes(':')) {
    const [h, mi] = timeOrYear.split(':').map(Number) as [number, number];
    const thisYear = utcDate(now.getUTCFullYear(), mo, Number(day), h, mi);
    // ls shows a time (not a year) for the last six months: a date in the future belongs to last year
    if (thisYear !== undefined && thisYear.getTime() <= now.getTime() + 2 * 86400_000) return thisYear;
    return utcDate(now.getUTCFullYear() - 1, mo, Number(day), h, mi);
  }
  return utcDate(Number(timeOrYear), mo, Number(day));
}

/** One LIST line in Unix or DOS format; `undefined` for `total N` lines. */
export function parseListLine(line: string, now = new Date()): Entry | undefined {
  if (/^total\s+\d+$/i.test(line.trim())) return undefined;
  const u = UNIX.exec(line);
  if (u) {
    const kind = u[1]!;
    let name = u[7]!;
    let target: string | undefined;
    const type: Entry['type'] = kind === 'd' ? 'dir' : kind === 'l' ? 'link' : kind === '-' ? 'file' : 'unknown';
    if (type === 'link') {
      const arrow = name.indexOf(' -> ');
      if (arrow >= 0) {
        target = name.slice(arrow + 4);
        name = name.slice(0, arrow);
      }
    }
    const entry: Entry = { name: checkName(name, line), type, permissions: u[2], raw: line };
    const size = sizeOf(u[3]!);
    if (size !== undefined) entry.size = size;
    const modified = unixDate(u[4]!, u[5]!, u[6]!, now);
    if (modified !== undefined) entry.modified = modified;
    if (target !== undefined) entry.target = target;
    return entry;
  }
  const d = DOS.exec(line);
  if (d) {
    let year = Number(d[3]);
    if (d[3]!.length === 2) year += year < 70 ? 2000 : 1900;
    const clock = Number(d[4]);
    const hour = d[6] ? (clock === 0 || clock > 12 ? NaN : (clock % 12) + (d[6].toLowerCase() === 'pm' ? 12 : 0)) : clock;
    const modified = utcDate(year, Number(d[1]) - 1, Number(d[2]), hour, Number(d[5]));
    const isDir = d[7] === '<DIR>';
    const entry: Entry = { name: checkName(d[8]!, line), type: isDir ? 'dir' : 'file', raw: line };
    if (modified !== undefined) entry.modified = modified;
    const size = isDir ? undefined : sizeOf(d[7]!);
    if (size !== undefined) entry.size = size;
    return entry;
  }
  return { name: checkName(line, line), type: 'unknown', raw: line };
}

/** Splits listing bytes into lines (CRLF, or bare LF as some servers send), dropping empty ones. */
export function listingLines(data: Buffer): string[] {
  return data
    .toString('utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '');
}

/** Parses a whole MLSD listing; the `cdir`/`pdir` entries (`.` and `..`) are left out. */
export function parseMlsd(data: Buffer): Entry[] {
  return listingLines(data)
    .map(parseMlsdLine)
    .filter((e) => !['cdir', 'pdir'].includes((e.facts?.type ?? '').toLowerCase()));
}

/** Parses a whole LIST listing (Unix or DOS lines, `total` lines skipped, `.` and `..` left out). */
export function parseList(data: Buffer, now = new Date()): Entry[] {
  return listingLines(data)
    .map((l) => parseListLine(l, now))
    .filter((e): e is Entry => e !== undefined && e.name !== '.' && e.name !== '..');
}
