/**
 * netkit/url: LuaSocket's url module — `parse`, `build`, `absolute`
 * (RFC 3986 §5.2), `escape`, `unescape`, `parsePath`, `buildPath` — all in
 * linear time on any input, with no regular expression that can backtrack.
 *
 * @example
 * ```ts
 * import { url } from 'netkit';
 * url.parse('ftp://user@host:2121/pub/file.txt;type=i').params; // 'type=i'
 * url.absolute('http://a/b/c/d;p?q', '../../g');               // 'http://a/g'
 * ```
 */
export { parse, build, type UrlParts } from './parse.js';
export { absolute, removeDotSegments } from './absolute.js';
export { escape, unescape, unescapeBytes, parsePath, buildPath, hasControlChars, type PathSegments } from './escape.js';
