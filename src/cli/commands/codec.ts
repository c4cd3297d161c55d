/**
 * `netkit encode <base64|qp> [file]` and `netkit decode <base64|qp> [file]`:
 * stream stdin (or the file) through the mime filters to stdout in
 * constant memory. Encoded output is wrapped at 76 columns with CRLF line
 * breaks; decoding accepts wrapped input. QP encodes in text mode (CRLF is
 * a line break, lone CR/LF are escaped), so every byte round-trips.
 * `--strict` makes decoding refuse malformed input (exit 1).
 */
import type { Readable, Writable } from 'node:stream';
import { filter, pump, sink, source, type Filter } from '../../ltn12/index.js';
import { decode, encode, wrap } from '../../mime/index.js';
import { UsageError, parseOptions, type Command, type Io } from '../command.js';

const NAMES: Record<string, 'base64' | 'quoted-printable'> = {
  base64: 'base64',
  b64: 'base64',
  qp: 'quoted-printable',
  'quoted-printable': 'quoted-printable',
};

function pickEncoding(name: string | undefined): 'base64' | 'quoted-printable' {
  const enc = name === undefined ? undefined : NAMES[name];
  if (!enc) throw new UsageError(`expected base64 or qp, got ${name === undefined ? 'nothing' : `'${name}'`}`);
  return enc;
}

async function stream(io: Io, file: string | undefined, f: Filter): Promise<number> {
  const src = file === undefined ? source.fromReadable(io.stdin as Readable) : source.file(file);
  await pump.all(source.chain(src, f), sink.toWritable(io.stdout as unknown as Writable, { end: false }));
  return 0;
}

export const encodeCommand: Command = {
  summary: 'encode stdin or a file as base64 or quoted-printable',
  usage: [
    'usage: netkit encode base64|qp [FILE]',
    '  Encodes FILE (or standard input) as base64 or quoted-printable, lines of 76.',
    'exit: 0 ok, 1 failure (e.g. no such file), 2 bad usage',
    'example:',
    '  netkit encode base64 photo.jpg > photo.b64',
  ].join('\n'),
  async run(args, io) {
    const { positionals } = parseOptions(args, {});
    if (positionals.length > 2) throw new UsageError('too many arguments');
    const enc = pickEncoding(positionals[0]);
    return stream(io, positionals[1], filter.chain(encode(enc), wrap(enc)));
  },
};

export const decodeCommand: Command = {
  summary: 'decode base64 or quoted-printable from stdin or a file',
  usage: [
    'usage: netkit decode base64|qp [--strict] [FILE]',
    '  Decodes FILE (or standard input) from base64 or quoted-printable.',
    '  --strict            fail (exit 1) on input that is not valid, instead of skipping it',
    'exit: 0 ok, 1 failure, 2 bad usage',
    'example:',
    '  netkit decode base64 --strict photo.b64 > photo.jpg',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { strict: { type: 'boolean' } });
    if (positionals.length > 2) throw new UsageError('too many arguments');
    const enc = pickEncoding(positionals[0]);
    return stream(io, positionals[1], decode(enc, { strict: values.strict === true }));
  },
};
