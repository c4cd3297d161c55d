/**
 * `parseAddresses`: an RFC 5322 address list (`From`, `To`, `Cc` …) into
 * mailboxes and groups, names unquoted and their RFC 2047 words decoded.
 *
 * Understood: `"Name" <a@b>`, `Name <a@b>`, `a@b`, `a@b (Name)` (the
 * comment gives the name when there is no phrase), source routes
 * (`<@r1,@r2:a@b>`), groups (`Team: a@b, c@d;`, members in `members`),
 * quoted local parts (`"x y"@b`). Lenient: nothing here throws; a fragment
 * that names no address gives `address: ''` with whatever name it had, and
 * a missing `>` or `;` is treated as if it were there. `maxAddresses`
 * (default {@link MAX_ADDRESSES}) bounds the list.
 *
 * @example
 * ```ts
 * assert.deepEqual(parseAddresses('"Diego Nehab" <diego@impa.br>, x@y.z'), [
 *   { name: 'Diego Nehab', address: 'diego@impa.br' },
 *   { name: '', address: 'x@y.z' },
 * ]);
 * ```
 */
import { decodeWords } from '../words.js';

/** Addresses read from one header at most. */
export const MAX_ADDRESSES = 1000;

/** One mailbox. */
export interface Address {
  name: string;
  address: string;
}

/** A named group of mailboxes (`Team: a@b, c@d;`). */
export interface AddressGroup {
  group: string;
  members: Address[];
}

type Token = { kind: 'atom' | 'quoted' | 'comment' | 'angle'; text: string } | { kind: 'special'; text: string };

/** Reads a quoted string or comment starting at `i` (the opening char); returns [text, next index]. */
function delimited(s: string, i: number, open: string, close: string): [string, number] {
  let depth = 0;
  let text = '';
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      text += s[++i];
      continue;
    }
    if (c === open && (open !== close || depth === 0)) {
      if (depth++ > 0) text += c;
    } else if (c === close) {
      if (--depth === 0) return [text, i + 1];
      text += c;
    } else text += c;
  }
  return [text, i];
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
    else if (c === '"') {
      const [text, next] = delimited(s, i, '"', '"');
      out.push({ kind: 'quoted', text });
      i = next;
    } else if (c === '(') {
      const [text, next] = delimited(s, i, '(', ')');
      out.push({ kind: 'comment', text });
      i = next;
    } else if (c === '<') {
      const end = s.indexOf('>', i);
      out.push({ kind: 'angle', text: s.slice(i + 1, end < 0 ? s.length : end).trim() });
      i = end < 0 ? s.length : end + 1;
    } else if (c === ',' || c === ':' || c === ';' || c === '@' || c === '.') {
      out.push({ kind: 'special', text: c });
      i++;
    } else {
      const m = /^[^\s"(),:;<>@.]+/.exec(s.slice(i, i + 1024))!;
      out.push({ kind: 'atom', text: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

/** One mailbox from its tokens. */
function mailbox(tokens: Token[]): Address | undefined {
  if (tokens.length === 0) return undefined;
  const angle = tokens.find((t) => t.kind === 'angle');
  const comments = tokens.filter((t) => t.kind === 'comment').map((t) => t.text.trim());
  if (angle) {
    const phrase = tokens.slice(0, tokens.indexOf(angle)).filter((t) => t.kind === 'atom' || t.kind === 'quoted' || (t.kind === 'special' && t.text === '.'));
    const name = phrase
      .map((t) => t.text)
      .join(' ')
      .replace(/ \. /g, '. ')
      .replace(/ \.$/, '.');
    const route = angle.text.lastIndexOf(':');
    return { name: decodeWords(name).trim(), address: (route >= 0 ? angle.text.slice(route + 1) : angle.text).replace(/\s+/g, '') };
  }
  const spec = tokens.filter((t) => t.kind !== 'comment');
  const address = spec.map((t) => (t.kind === 'quoted' && /[\s"\\]/.test(t.text) ? `"${t.text.replace(/(["\\])/g, '\\$1')}"` : t.text)).join('');
  return { name: decodeWords(comments.join(' ')).trim(), address };
}

/** Parses an address list; see the module doc. */
export function parseAddresses(header: string, maxAddresses = MAX_ADDRESSES): (Address | AddressGroup)[] {
  const tokens = tokenize(header);
  const out: (Address | AddressGroup)[] = [];
  let current: Token[] = [];
  let group: AddressGroup | null = null;
  const flush = () => {
    const m = mailbox(current);
    current = [];
    if (!m || (m.address === '' && m.name === '')) return;
    if (group) group.members.push(m);
    else out.push(m);
  };
  for (const t of tokens) {
    if (out.length + (group?.members.length ?? 0) >= maxAddresses) break;
    if (t.kind === 'special' && t.text === ',') flush();
    else if (t.kind === 'special' && t.text === ':' && !group && !current.some((x) => x.kind === 'angle')) {
      group = {
        group: decodeWords(
          current
            .filter((x) => x.kind !== 'comment')
            .map((x) => x.text)
            .join(' '),
        ).trim(),
        members: [],
      };
      current = [];
    } else if (t.kind === 'special' && t.text === ';' && group) {
      flush();
      out.push(group);
      group = null;
    } else current.push(t);
  }
  flush();
  if (group) out.push(group);
  return out;
}

/** Every mailbox of a parsed list, group members included, in order. */
export function mailboxes(list: readonly (Address | AddressGroup)[]): Address[] {
  return list.flatMap((e) => ('group' in e ? e.members : [e]));
}
