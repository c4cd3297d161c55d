/**
 * `listHeaders`: the chapter's header listing — each waiting message's
 * number, size, From, To, Cc, Subject and Date, RFC 2047 words decoded,
 * read with `TOP n 0` so bodies never cross the wire.
 *
 * @example
 * ```ts
 * declare const session: pop3.Pop3Session;
 * for (const m of await listHeaders(session)) console.log(m.n, m.from, m.subject);
 * ```
 */
import { decodeWords, parseHeaders } from '../../mime/index.js';
import type { Pop3Session, Pop3StepOptions } from './session.js';

export interface MessageSummary {
  n: number;
  size: number;
  from: string;
  to: string;
  cc: string;
  subject: string;
  date: string;
}

/** Every waiting message's summary; `signal` aborts the listing (see the session's commands). */
export async function listHeaders(session: Pop3Session, opts: Pop3StepOptions = {}): Promise<MessageSummary[]> {
  const out: MessageSummary[] = [];
  for (const { n, size } of await session.list(undefined, opts)) {
    const h = parseHeaders(await session.top(n, 0, opts));
    const get = (name: string) => decodeWords(h.get(name) ?? '');
    out.push({ n, size, from: get('from'), to: get('to'), cc: get('cc'), subject: get('subject'), date: get('date') });
  }
  return out;
}
