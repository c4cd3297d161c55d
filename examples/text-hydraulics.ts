/**
 * The chapter's "text hydraulics": a string pumped through base64 and
 * quoted-printable (with line wrapping) and back, printing every stage.
 *
 *     node dist/examples/text-hydraulics.js ["some text"]
 */
import { ltn12, mime } from '../src/index.js';

const text = process.argv[2] ?? 'Ação: "Ünïcödé" text — with = signs, trailing spaces   \r\nand a second line.';
console.log(`original:        ${JSON.stringify(text)}`);

const b64 = ltn12.transform(text, mime.normalize('\r\n'), mime.encode('base64'), mime.wrap('base64', 40));
console.log(`base64 (wrapped):\n${b64.toString()}`);
const fromB64 = ltn12.transform(b64, mime.decode('base64', { strict: true }));
console.log(`base64 back:     ${JSON.stringify(fromB64.toString())}`);

const qp = ltn12.transform(text, mime.normalize('\r\n'), mime.encode('quoted-printable'), mime.wrap('quoted-printable', 40));
console.log(`quoted-printable (wrapped):\n${qp.toString()}`);
const fromQp = ltn12.transform(qp, mime.decode('quoted-printable', { strict: true }));
console.log(`qp back:         ${JSON.stringify(fromQp.toString())}`);

// The same pipeline as a pump: source → filter chain → sink.
const [sink, chunks] = ltn12.sink.table();
await ltn12.pump.all(ltn12.source.chain(ltn12.source.string(text, 7), ltn12.filter.chain(mime.encode('base64'), mime.decode('base64'))), sink);
const pumped = Buffer.concat(chunks).toString();
console.log(`pumped in 7-byte chunks: ${pumped === text ? 'identical' : 'DIFFERENT'}`);
process.exitCode = fromB64.toString() === text && fromQp.toString() === text && pumped === text ? 0 : 1;
