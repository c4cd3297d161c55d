/**
 * The benchmark's sirv peer: `sirv` (production mode, ETags on) behind
 * `node:http`, serving DIR on 127.0.0.1:PORT until killed.
 *
 *     node dist/bench/sirv-server.js DIR PORT
 */
import http from 'node:http';
import sirv from 'sirv';

const [dir, port] = process.argv.slice(2);
const handler = sirv(dir!, { etag: true, dotfiles: false });
const server = http.createServer((req, res) =>
  handler(req, res, () => {
    res.statusCode = 404;
    res.end('not found\n');
  }),
);
server.listen(Number(port), '127.0.0.1', () => console.log(`sirv on ${port}`));
