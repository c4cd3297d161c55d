import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeHeaderValue, encodeWord, foldHeader } from './words.js';

// The straightforward definitions (character by character, re-encoding the
// candidate word each time): the fast versions must give the same strings.
const Q_SAFE = /^[A-Za-z0-9!*+\-/]$/;
function qRef(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (b === 32) out += '_';
    else if (b < 128 && Q_SAFE.test(ch)) out += ch;
    else out += `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
const enc = { B: (b: Buffer) => b.toString('base64'), Q: qRef };
function encodeWordRef(text: string, kind: 'B' | 'Q' | 'auto' = 'auto'): string {
  const all = Buffer.from(text, 'utf8');
  const k = kind === 'auto' ? (enc.Q(all).length <= enc.B(all).length ? 'Q' : 'B') : kind;
  const words: string[] = [];
  let current = '';
  for (const ch of text) {
    const candidate = current + ch;
    if (current !== '' && 12 + enc[k](Buffer.from(candidate, 'utf8')).length > 75) {
      words.push(current);
      current = ch;
    } else current = candidate;
  }
  if (current !== '' || words.length === 0) words.push(current);
  return words.map((w) => `=?UTF-8?${k}?${enc[k](Buffer.from(w, 'utf8'))}?=`).join(' ');
}
function encodeHeaderValueRef(value: string): string {
  const ascii = (t: string) => /^[\x20-\x7e\t]*$/.test(t);
  if (ascii(value)) return value;
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length > 0) out.push(encodeWordRef(run.join(' ')));
    run = [];
  };
  for (const t of value.split(' ')) {
    if (ascii(t)) {
      flush();
      out.push(t);
    } else run.push(t);
  }
  flush();
  return out.join(' ');
}

function foldRef(name: string, value: string, width: number): string {
  const lines: string[] = [];
  let line = `${name}:`;
  for (const w of encodeHeaderValueRef(value).split(' ')) {
    if (line.length + 1 + w.length > width && line.trim() !== `${name}:`) {
      lines.push(line);
      line = ` ${w}`;
    } else line += ` ${w}`;
  }
  lines.push(line);
  return lines.join('\r\n');
}

const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ' ', '_', '=', '?', '\t', 'é', '€', '𝄞', '\ud800', '~', '!'), maxLength: 200 });

test("encodeWord gives the straightforward definition's words, B, Q and auto (property)", () => {
  fc.assert(
    fc.property(text, fc.constantFrom('B', 'Q', 'auto') as fc.Arbitrary<'B' | 'Q' | 'auto'>, (t, kind) => {
      assert.equal(encodeWord(t, { encoding: kind }), encodeWordRef(t, kind));
    }),
    { numRuns: 500 },
  );
});

test('encodeHeaderValue encodes each run of non-ASCII tokens as the token loop did (property)', () => {
  fc.assert(
    fc.property(text, (t) => {
      assert.equal(encodeHeaderValue(t), encodeHeaderValueRef(t));
    }),
    { numRuns: 500 },
  );
});

test('foldHeader keeps lines within the width where words allow, and unfolds to the encoded value', () => {
  fc.assert(
    fc.property(text, fc.integer({ min: 10, max: 100 }), (t, width) => {
      const folded = foldHeader('Subject', t, width);
      assert.equal(folded.split('\r\n').join(''), `Subject: ${encodeHeaderValue(t)}`);
      for (const line of folded.split('\r\n').slice(1)) assert.ok(line.startsWith(' '));
      assert.equal(folded, foldRef('Subject', t, width));
    }),
    { numRuns: 300 },
  );
  assert.equal(foldHeader('Subject', 'aaaa bbbb cccc', 14), 'Subject: aaaa\r\n bbbb cccc');
  assert.equal(foldHeader('Subject', 'aaaa bbbb cccc', 80), 'Subject: aaaa bbbb cccc');
});
