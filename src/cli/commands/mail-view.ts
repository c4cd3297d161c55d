/**
 * How `netkit mail read N` shows a message: its main header fields
 * (decoded), the text part (or, lacking one, a note that there is only
 * HTML), and a numbered list of attachments; `--save DIR` writes those
 * attachments into DIR under their own names, reduced to a safe file name
 * (no folders, no leading dot, no control characters; `-2`, `-3` … added
 * when a name repeats or the file exists).
 *
 * @example
 * ```ts
 * declare const session: pop3.Pop3Session;
 * declare const io: { stdout: NodeJS.WritableStream };
 * await showMessage(await session.retrieve(1), io.stdout, { saveDir: 'attachments' });
 * ```
 */
import { open } from 'node:fs/promises';
import { escapeControls } from '../text.js';
import { basename, extname, join } from 'node:path';
import { source } from '../../ltn12/index.js';
import { mailboxes, parseMessage, type Address, type AddressGroup, type MessagePart } from '../../mime/index.js';
import { isAttachment, leaves } from '../../servers/mailbox/web/catalog.js';
import { write } from '../command.js';

const line = (list: (Address | AddressGroup)[]) =>
  mailboxes(list)
    .map((a) => (a.name ? `${a.name} <${a.address}>` : a.address))
    .join(', ');

/** A file name safe to create in a folder, from a name a sender chose. */
export function safeName(name: string | undefined, fallback: string): string {
  const base = basename((name ?? '').replace(/\\/g, '/'))
    .replace(/[\x00-\x1f\x7f/:*?"<>|]/g, '_')
    .replace(/^\.+/, '')
    .trim();
  return base === '' ? fallback : base.slice(0, 200);
}

/** Writes `data` to a new file in `dir` named after `name`, never overwriting; returns the path. */
async function saveNew(dir: string, name: string, data: Buffer): Promise<string> {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    const path = join(dir, n === 1 ? name : `${stem}-${n}${ext}`);
    const fh = await open(path, 'wx').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') return null;
      throw err;
    });
    if (fh === null) continue;
    try {
      await fh.writeFile(data);
    } finally {
      await fh.close();
    }
    return path;
  }
}

/** Prints the parsed view of `raw` to `out`; see the module doc. */
export async function showMessage(raw: Buffer, out: NodeJS.WritableStream, opts: { saveDir?: string } = {}): Promise<void> {
  const msg = await parseMessage(source.string(raw));
  const all = leaves(msg);
  const plain = all.find((p) => p.contentType === 'text/plain' && !isAttachment(p));
  const html = all.find((p) => p.contentType === 'text/html' && !isAttachment(p));
  const attachments = all.filter((p) => p !== plain && p !== html && isAttachment(p));
  let text = '';
  for (const [name, value] of [
    ['From', line(msg.from)],
    ['To', line(msg.to)],
    ['Cc', line(msg.cc)],
    ['Date', msg.date ?? ''],
    ['Subject', msg.subject ?? ''],
  ]) {
    if (value !== '') text += `${name}: ${value}\n`;
  }
  text += '\n';
  if (plain) text += `${(plain.text ?? plain.content?.toString('utf8') ?? '').replace(/\r\n/g, '\n').replace(/\n?$/, '\n')}`;
  else if (html) text += '(this message has only an HTML part; --raw shows it)\n';
  if (attachments.length > 0) {
    text += '\nAttachments:\n';
    attachments.forEach((p: MessagePart, i) => {
      text += `  ${i + 1}. ${safeName(p.filename, `part-${i + 1}`)}  ${p.contentType}  ${p.size} bytes\n`;
    });
  }
  await write(out, escapeControls(text, { newlines: true })); // peer text never drives the terminal
  if (opts.saveDir === undefined) return;
  for (const [i, p] of attachments.entries()) {
    const path = await saveNew(opts.saveDir, safeName(p.filename, `part-${i + 1}`), p.content ?? Buffer.alloc(0));
    await write(out, `saved ${path}\n`);
  }
}
