/**
 * The chapter's "grab a file": download a URL straight into a file sink
 * (LuaSocket's `http.request{ url = …, sink = ltn12.sink.file(io.open(f, "wb")) }`).
 * The body streams to disk chunk by chunk, so memory stays flat for any size.
 *
 *     node dist/examples/grab-file.js http://127.0.0.1:8080/big.bin big.bin
 */
import { basename } from 'node:path';
import { http, ltn12 } from '../src/index.js';

const url = process.argv[2];
if (url === undefined) {
  console.error('usage: grab-file URL [FILE]');
  process.exit(2);
}
const file = process.argv[3] ?? (basename(new URL(url).pathname) || 'index.html');

const toFile = ltn12.sink.file(file);
let bytes = 0;
const { code, status } = await http.request({
  url,
  sink: (chunk) => {
    bytes += chunk?.length ?? 0;
    return toFile(chunk);
  },
});
console.log(`${status}: ${bytes} bytes saved to ${file}`);
process.exitCode = code === 200 ? 0 : 1;
