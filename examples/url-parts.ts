/**
 * The chapter's "a URL taken apart": parse a URL, print its parts, build it
 * back with a change, and resolve relative references against it.
 *
 *     node dist/examples/url-parts.js [url]
 */
import { url } from '../src/index.js';

const input = process.argv[2] ?? 'http://user:secret@www.example.com:8080/docs/guide/index.html;type=a?lang=en#intro';
const parts = url.parse(input);
console.log(`url: ${input}`);
for (const [name, value] of Object.entries(parts)) {
  if (name !== 'url' && value !== undefined) console.log(`  ${name}: ${value}`);
}
console.log(`rebuilt: ${url.build(parts)}`);
console.log(`without credentials: ${url.build({ ...parts, userinfo: undefined, user: undefined, password: undefined, authority: undefined })}`);
for (const ref of ['../api/', 'faq.html#top', '/', '//mirror.example.org/x']) {
  console.log(`resolve ${ref} -> ${url.absolute(input, ref)}`);
}
const segments = url.parsePath(parts.path ?? '/');
console.log(`path segments: ${JSON.stringify([...segments])} absolute=${segments.isAbsolute}`);
