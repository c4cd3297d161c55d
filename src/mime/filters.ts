/**
 * The filter factories by name, as LuaSocket's `mime.encode`, `mime.decode`
 * and `mime.wrap` choose them from the tables `encodet`, `decodet` and
 * `wrapt` (exported here under those names, so a program can add its own).
 * As in LuaSocket, a first argument that is not a string selects the
 * `'default'` entry: `wrap(76)` is `wrap('default', 76)`.
 *
 * @example
 * ```ts
 * const f = filter.chain(encode('base64'), wrap(64));
 * encodet['upper'] = () => (c) => Buffer.from(String(c ?? '').toUpperCase());
 * ```
 */
import { ArgumentError } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { decodeBase64, encodeBase64, type DecodeOptions } from './base64.js';
import type { MimeFilter } from './bytes.js';
import { decodeQp, encodeQp, type QpMode } from './qp.js';
import { wrapQp, wrapText } from './wrap.js';

/** The transfer encodings the codecs know. */
export type Encoding = 'base64' | 'quoted-printable';

/** Encoders by name: `base64`, `quoted-printable` (option: the QP mode). */
// biome-ignore lint/suspicious/noExplicitAny: each entry takes its own option type (QP mode, decode options, width)
export const encodet: Record<string, (opt?: any) => MimeFilter> = {
  base64: () => encodeBase64(),
  'quoted-printable': (mode?: QpMode) => encodeQp(mode ?? 'text'),
};

/** Decoders by name: `base64`, `quoted-printable` (option: `{ strict }`). */
// biome-ignore lint/suspicious/noExplicitAny: each entry takes its own option type (QP mode, decode options, width)
export const decodet: Record<string, (opts?: any) => MimeFilter> = {
  base64: (opts?: DecodeOptions) => decodeBase64(opts ?? {}),
  'quoted-printable': (opts?: DecodeOptions) => decodeQp(opts ?? {}),
};

/** Wrappers by name: `text`, `base64`, `default` (line breaks), `quoted-printable` (soft breaks); option: the width. */
// biome-ignore lint/suspicious/noExplicitAny: each entry takes its own option type (QP mode, decode options, width)
export const wrapt: Record<string, (width?: any) => MimeFilter> = {
  text: (width?: number) => wrapText(width),
  base64: (width?: number) => wrapText(width),
  default: (width?: number) => wrapText(width),
  'quoted-printable': (width?: number) => wrapQp(width),
};

// biome-ignore lint/suspicious/noExplicitAny: each entry takes its own option type (QP mode, decode options, width)
function choose(table: Record<string, (opt?: any) => MimeFilter>, what: string, name: unknown, opt: unknown): MimeFilter {
  if (typeof name !== 'string') return choose(table, what, 'default', name);
  const make = Object.hasOwn(table, name) ? table[name] : undefined;
  if (make === undefined) throw new ArgumentError(`unknown ${what} ${describe(name)}`);
  return make(opt);
}

/** An encoding filter; `mode` applies to quoted-printable ('text' by default). */
export function encode(encoding: Encoding | (string & {}), mode: QpMode = 'text'): MimeFilter {
  return choose(encodet, 'encoding', encoding, mode);
}

/** A decoding filter; `{ strict: true }` throws DecodeError on malformed input. */
export function decode(encoding: Encoding | (string & {}), opts: DecodeOptions = {}): MimeFilter {
  return choose(decodet, 'encoding', encoding, opts);
}

/**
 * A wrapping filter: 'text', 'base64' and 'default' break lines,
 * 'quoted-printable' adds soft breaks; `wrap(76)` is `wrap('default', 76)`.
 */
export function wrap(kind?: 'text' | 'base64' | 'default' | Encoding | number | (string & {}), width?: number): MimeFilter {
  if (kind === undefined) return wrapt.text!(width);
  return choose(wrapt, 'wrap kind', kind, width);
}
