/**
 * The client owns the framing of what it sends (as undici does): a caller's
 * `Content-Length` must agree with the body the client knows, and a caller's
 * `Transfer-Encoding` is accepted only when it is exactly what the client
 * applies itself (`chunked`, for a source without a length). Anything else
 * would let the caller's fields and the bytes on the wire disagree — a
 * `Content-Length: 0` with a body that holds a second request makes the
 * server see two requests — so it is an `ArgumentError`, thrown before
 * anything is sent.
 *
 *     body 'abc' + Content-Length: 3        → sent as is
 *     body 'abc' + Content-Length: 0        → ArgumentError
 *     body 'abc' + Transfer-Encoding: chunked → ArgumentError (a Buffer goes with its length)
 *     source     + Transfer-Encoding: chunked → chunked (what the client does anyway)
 *     source     + Content-Length: 5        → exactly 5 bytes, else ArgumentError while sending
 *
 * @example
 * ```ts
 * const f = requestFraming([['Content-Length', '3']], Buffer.from('abc'), undefined, 'POST');
 * // f.add = [], f.length = undefined
 * assert.throws(() => requestFraming([['Content-Length', '0']], Buffer.from('abc'), undefined, 'POST'));
 * ```
 */
import { ArgumentError } from '../../core/errors.js';
import type { Source } from '../../ltn12/index.js';

/** What the client adds to the caller's fields, and the declared length of a source body. */
export interface RequestFraming {
  /** Framing fields to add (the caller's own framing fields are kept as given). */
  add: [string, string][];
  /** The Content-Length a source must give exactly; undefined for chunked or a Buffer body. */
  length: number | undefined;
}

const METHODS_WITH_BODY = /^(POST|PUT|PATCH)$/i;

/** Checks the caller's framing fields against the body and decides what the client adds. */
export function requestFraming(
  fields: readonly (readonly [string, string])[],
  body: Buffer | undefined,
  source: Source | undefined,
  method: string,
): RequestFraming {
  const lengths: string[] = [];
  const codings: string[] = [];
  for (const [n, v] of fields) {
    const k = n.toLowerCase();
    if (k === 'content-length') lengths.push(v.trim());
    else if (k === 'transfer-encoding') codings.push(...v.split(',').map((c) => c.trim().toLowerCase()));
  }
  let declared: number | undefined;
  for (const v of lengths) {
    if (!/^\d{1,15}$/.test(v)) throw new ArgumentError(`bad Content-Length ${JSON.stringify(v.slice(0, 40))}`);
    if (declared !== undefined) throw new ArgumentError('more than one Content-Length field (servers refuse them)');
    declared = Number(v);
  }
  if (codings.length > 0) {
    if (source === undefined || codings.length !== 1 || codings[0] !== 'chunked') {
      throw new ArgumentError(
        `Transfer-Encoding ${JSON.stringify(codings.join(', '))} is not what the client applies: the client frames the body itself (leave the field out)`,
      );
    }
    if (declared !== undefined) throw new ArgumentError('both Content-Length and Transfer-Encoding');
    return { add: [], length: undefined };
  }
  if (source !== undefined) return declared === undefined ? { add: [['Transfer-Encoding', 'chunked']], length: undefined } : { add: [], length: declared };
  const known = body?.length ?? 0;
  if (declared !== undefined) {
    if (declared !== known) throw new ArgumentError(`Content-Length ${declared} disagrees with the body of ${known} bytes`);
    return { add: [], length: undefined };
  }
  if (body !== undefined || METHODS_WITH_BODY.test(method)) return { add: [['Content-Length', String(known)]], length: undefined };
  return { add: [], length: undefined };
}
