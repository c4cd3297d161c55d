/**
 * One timed run of one contender of bench/mail-parse.ts, in a process of its
 * own: `node mail-parse-child.js netkit|mailparser corpus|big FILE REPEAT`.
 * Both parse every message in full, keep the text parts and decode and drop
 * the attachments; the message bytes are read from FILE (the corpus
 * concatenated with a length prefix per message, or one big message).
 * Prints `{ "work": bytes, "seconds": s, "maxRssMiB": peak RSS }`.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { parseMessage } from '../src/mime/index.js';
import { sink, source } from '../src/ltn12/index.js';

const [who, kind, file, repeatText] = process.argv.slice(2);
const repeat = Number(repeatText ?? 1);

/** The messages of a corpus file: 4-byte big-endian length, then the bytes. */
function messagesOf(path: string): Buffer[] {
  const all = readFileSync(path);
  const out: Buffer[] = [];
  for (let pos = 0; pos < all.length; ) {
    const n = all.readUInt32BE(pos);
    out.push(all.subarray(pos + 4, pos + 4 + n));
    pos += 4 + n;
  }
  return out;
}

async function netkit(src: ReturnType<typeof source.string>): Promise<void> {
  await parseMessage(src, { body: (h) => (h.contentType.startsWith('text/') && h.disposition !== 'attachment' ? undefined : sink.null()) });
}

/** Loaded before the clock starts, so module loading is not timed. */
const MailParser = who === 'mailparser' ? ((await import('mailparser')) as unknown as { MailParser: new () => NodeJS.ReadWriteStream }).MailParser : null;

async function mailparser(input: NodeJS.ReadableStream | Buffer): Promise<void> {
  const parser = new MailParser!();
  await new Promise<void>((resolve, reject) => {
    parser.on('data', (data: { type: string; content?: NodeJS.ReadableStream; release?: () => void }) => {
      if (data.type === 'attachment') {
        data.content!.on('data', () => {});
        data.content!.on('end', () => data.release!());
      }
    });
    parser.on('end', () => resolve());
    parser.on('error', reject);
    if (Buffer.isBuffer(input)) parser.end(input);
    else input.pipe(parser);
  });
}

let work = 0;
const t = performance.now();
if (kind === 'corpus') {
  const messages = messagesOf(file!);
  for (let r = 0; r < repeat; r++) {
    for (const m of messages) {
      if (who === 'netkit') await netkit(source.string(m));
      else await mailparser(m);
      work += m.length;
    }
  }
} else {
  if (who === 'netkit') await netkit(source.file(file!));
  else await mailparser(createReadStream(file!, { highWaterMark: 1 << 20 }));
  work = statSync(file!).size;
}
const seconds = (performance.now() - t) / 1000;
process.stdout.write(JSON.stringify({ work, seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
