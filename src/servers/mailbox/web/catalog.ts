/**
 * The web inbox's view of a mail store: every user's messages as one list
 * of summaries (from, to, subject, date, size, attachments), newest first,
 * searchable; one message parsed with `mime.parseMessage`; deletion; and
 * change events. `observed` wraps the store the SMTP and POP3 sides use, so
 * a delivery or a POP3 deletion reaches the page as it happens.
 *
 * A message's id is `user~uid` (neither may contain `~`). Summaries are
 * parsed once and cached by id (at most `maxCached`); messages are read from
 * the store on each request.
 *
 * @example
 * ```ts
 * const catalog = new Catalog(new MemoryStore(), ['alice']);
 * const store = catalog.observed();   // give this one to SMTP/POP3
 * catalog.on((event) => console.log(event.kind));
 * console.log(await catalog.list('invoice'));
 * ```
 */
import { ProtocolError } from '../../../core/errors.js';
import { source } from '../../../ltn12/index.js';
import { mailboxes, parseMessage, type Address, type AddressGroup, type MessagePart, type ParsedMessage } from '../../../mime/index.js';
import type { MailStore } from '../store.js';

/** One line of the inbox list. */
export interface Summary {
  id: string;
  user: string;
  from: string;
  to: string;
  cc: string;
  subject: string;
  date: string;
  size: number;
  attachments: number;
}

/** What changed: a message arrived, or messages were deleted. */
export type CatalogEvent = { kind: 'message'; summary: Summary } | { kind: 'delete'; ids: string[] };

const ID = /^([A-Za-z0-9._-]{1,64})~([A-Za-z0-9._:,-]{1,200})$/;

/** Summaries kept in memory at most. */
export const MAX_CACHED_SUMMARIES = 10_000;

/** `Name <address>, …` for display. */
export function addressLine(list: (Address | AddressGroup)[]): string {
  return mailboxes(list)
    .map((a) => (a.name ? `${a.name} <${a.address}>` : a.address))
    .join(', ');
}

/** The leaves of a part tree, depth first. */
export function leaves(p: MessagePart): MessagePart[] {
  if (p.message) return leaves(p.message);
  if (p.parts) return p.parts.flatMap(leaves);
  return [p];
}

/** A leaf that is an attachment rather than the message's own text. */
export function isAttachment(p: MessagePart): boolean {
  return p.disposition === 'attachment' || p.filename !== undefined || !p.contentType.startsWith('text/');
}

export class Catalog {
  readonly #store: MailStore;
  readonly #users: string[];
  readonly #cache = new Map<string, Summary>();
  readonly #listeners = new Set<(e: CatalogEvent) => void>();
  readonly #maxCached: number;

  constructor(store: MailStore, users: string[], maxCached = MAX_CACHED_SUMMARIES) {
    this.#store = store;
    this.#users = users;
    this.#maxCached = maxCached;
  }

  /** Calls `fn` for every change; returns the function that stops it. */
  on(fn: (e: CatalogEvent) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #emit(e: CatalogEvent): void {
    for (const fn of this.#listeners) fn(e);
  }

  /** The store, wrapped so that deliveries and deletions are announced. */
  observed(): MailStore {
    const inner = this.#store;
    return {
      deliver: async (user, data) => {
        const before = new Set((await inner.list(user)).map((m) => m.uid));
        await inner.deliver(user, data);
        for (const m of await inner.list(user)) {
          if (!before.has(m.uid) && !this.#cache.has(`${user}~${m.uid}`)) this.#emit({ kind: 'message', summary: await this.#summary(user, m.uid, m.size) });
        }
      },
      list: (user) => inner.list(user),
      read: (user, uid) => inner.read(user, uid),
      remove: async (user, uids) => {
        await inner.remove(user, uids);
        this.#forget(uids.map((u) => `${user}~${u}`));
      },
    };
  }

  #forget(ids: string[]): void {
    for (const id of ids) this.#cache.delete(id);
    if (ids.length > 0) this.#emit({ kind: 'delete', ids });
  }

  async #summary(user: string, uid: string, size: number): Promise<Summary> {
    const id = `${user}~${uid}`;
    const hit = this.#cache.get(id);
    if (hit) return hit;
    const msg = await parseMessage(source.string(await this.#store.read(user, uid)), { body: () => null });
    const summary: Summary = {
      id,
      user,
      size,
      from: addressLine(msg.from),
      to: addressLine(msg.to),
      cc: addressLine(msg.cc),
      subject: msg.subject ?? '',
      date: msg.date ?? '',
      attachments: leaves(msg).filter(isAttachment).length,
    };
    if (this.#cache.size >= this.#maxCached) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(id, summary);
    return summary;
  }

  /** Every message, newest first; `query` keeps those whose from, to, cc or subject contain it (case-insensitive). */
  async list(query = ''): Promise<Summary[]> {
    const all: [number, number, Summary][] = [];
    for (const user of this.#users) {
      const box = await this.#store.list(user);
      for (const [i, m] of box.entries()) all.push([parseFloat(m.uid) || 0, i, await this.#summary(user, m.uid, m.size)]);
    }
    all.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
    const q = query.toLowerCase();
    return all.map(([, , s]) => s).filter((s) => q === '' || [s.from, s.to, s.cc, s.subject].some((f) => f.toLowerCase().includes(q)));
  }

  #split(id: string): [string, string] {
    const m = ID.exec(id);
    if (!m || !this.#users.includes(m[1]!)) throw new ProtocolError('no such message', id);
    return [m[1]!, m[2]!];
  }

  /** The stored bytes of a message. @throws {ProtocolError} no such message. */
  async raw(id: string): Promise<Buffer> {
    const [user, uid] = this.#split(id);
    try {
      return await this.#store.read(user, uid);
    } catch {
      throw new ProtocolError('no such message', id);
    }
  }

  /** A message parsed in full, with its summary. */
  async message(id: string): Promise<{ summary: Summary; parsed: ParsedMessage }> {
    const raw = await this.raw(id);
    const [user, uid] = this.#split(id);
    return { summary: await this.#summary(user, uid, raw.length), parsed: await parseMessage(source.string(raw)) };
  }

  /** Deletes one message (`id`) or all of them. */
  async remove(id?: string): Promise<void> {
    if (id !== undefined) {
      const [user, uid] = this.#split(id);
      await this.#store.remove(user, [uid]);
      this.#forget([id]);
      return;
    }
    for (const user of this.#users) {
      const uids = (await this.#store.list(user)).map((m) => m.uid);
      await this.#store.remove(user, uids);
      this.#forget(uids.map((u) => `${user}~${u}`));
    }
  }
}
