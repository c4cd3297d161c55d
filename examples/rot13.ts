/**
 * The chapter's rot13 filter: a stateless ltn12 filter used with
 * `ltn12.transform`, then in a pump from stdin to stdout.
 *
 *     echo 'Hello' | node dist/examples/rot13.js     # Uryyb
 */
import { ltn12 } from '../src/index.js';
import type { Filter } from '../src/ltn12/index.js';

/** Rotates ASCII letters by 13; everything else passes through. */
export const rot13: Filter = (chunk) => {
  if (chunk === null) return Buffer.alloc(0);
  const out = Buffer.allocUnsafe(chunk.length);
  for (let i = 0; i < chunk.length; i++) {
    const b = chunk[i]!;
    if (b >= 65 && b <= 90) out[i] = ((b - 65 + 13) % 26) + 65;
    else if (b >= 97 && b <= 122) out[i] = ((b - 97 + 13) % 26) + 97;
    else out[i] = b;
  }
  return out;
};

if (process.argv[2] === '--demo') {
  console.log(ltn12.transform('Hello, World!', rot13).toString());
} else {
  await ltn12.pump.all(ltn12.source.chain(ltn12.source.fromReadable(process.stdin), rot13), ltn12.sink.toWritable(process.stdout, { end: false }));
}
