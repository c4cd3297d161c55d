/**
 * Where the development mail server keeps mail: in memory, or in a Maildir
 * per user (`DIR/USER/{tmp,new,cur}`; a message is written to tmp and renamed
 * into new, so a reader never sees half a message).
 *
 * @example
 * ```ts
 * const store = new MaildirStore('/tmp/mail');
 * await store.deliver('alice', Buffer.from('Subject: hi\r\n\r\nhello\r\n'));
 * (await store.list('alice')).length; // 1
 * ```
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomHex } from '../../core/random-hex.js';

/** One stored message: a stable unique id and its size in octets. */
export interface StoredMessage {
  uid: string;
  size: number;
}

export interface MailStore {
  deliver(user: string, data: Buffer): Promise<void>;
  /** The user's messages, oldest first. */
  list(user: string): Promise<StoredMessage[]>;
  read(user: string, uid: string): Promise<Buffer>;
  remove(user: string, uids: readonly string[]): Promise<void>;
}

let counter = 0;
const newUid = () => `${Date.now()}.${process.pid}_${++counter}.${randomHex(4)}`;

/** Keeps mail in memory (lost when the process ends). */
export class MemoryStore implements MailStore {
  #boxes = new Map<string, { uid: string; data: Buffer }[]>();

  async deliver(user: string, data: Buffer): Promise<void> {
    const box = this.#boxes.get(user) ?? [];
    box.push({ uid: newUid(), data });
    this.#boxes.set(user, box);
  }

  async list(user: string): Promise<StoredMessage[]> {
    return (this.#boxes.get(user) ?? []).map((m) => ({ uid: m.uid, size: m.data.length }));
  }

  async read(user: string, uid: string): Promise<Buffer> {
    const m = this.#boxes.get(user)?.find((x) => x.uid === uid);
    if (!m) throw new Error(`no message ${uid}`);
    return m.data;
  }

  async remove(user: string, uids: readonly string[]): Promise<void> {
    this.#boxes.set(
      user,
      (this.#boxes.get(user) ?? []).filter((m) => !uids.includes(m.uid)),
    );
  }
}

const safeUser = (user: string) => {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(user) || user.startsWith('.')) throw new Error(`unsafe user name ${JSON.stringify(user)}`);
  return user;
};

/** Keeps mail in a Maildir per user under `dir`. */
export class MaildirStore implements MailStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async #box(user: string): Promise<string> {
    const box = join(this.dir, safeUser(user));
    for (const sub of ['tmp', 'new', 'cur']) await mkdir(join(box, sub), { recursive: true });
    return box;
  }

  async deliver(user: string, data: Buffer): Promise<void> {
    const box = await this.#box(user);
    const name = newUid();
    await writeFile(join(box, 'tmp', name), data);
    await rename(join(box, 'tmp', name), join(box, 'new', name));
  }

  async list(user: string): Promise<StoredMessage[]> {
    const box = await this.#box(user);
    const out: (StoredMessage & { t: number })[] = [];
    for (const sub of ['cur', 'new']) {
      for (const name of await readdir(join(box, sub))) {
        const s = await stat(join(box, sub, name));
        out.push({ uid: name.split(':')[0]!, size: s.size, t: s.mtimeMs });
      }
    }
    return out.sort((a, b) => a.t - b.t || a.uid.localeCompare(b.uid)).map(({ uid, size }) => ({ uid, size }));
  }

  async #path(box: string, uid: string): Promise<string> {
    for (const sub of ['new', 'cur']) {
      const names = await readdir(join(box, sub));
      const hit = names.find((n) => n.split(':')[0] === uid);
      if (hit) return join(box, sub, hit);
    }
    throw new Error(`no message ${uid}`);
  }

  async read(user: string, uid: string): Promise<Buffer> {
    return readFile(await this.#path(await this.#box(user), uid));
  }

  async remove(user: string, uids: readonly string[]): Promise<void> {
    const box = await this.#box(user);
    for (const uid of uids) await rm(await this.#path(box, uid), { force: true });
  }
}
