/** LuaSocket's url module (test/urltest.lua, url.lua) beside netkit's. */
import { absolute, build, buildPath, escape, parse, parsePath, unescape } from '../../src/url/index.js';
import { outcome, show, table } from './table.js';

const B = 'http://a/b/c/d;p?q#f';
const parts = (u: string) => {
  const p = parse(u);
  return [p.scheme, p.authority, p.userinfo, p.user, p.password, p.host, p.port, p.path, p.params, p.query, p.fragment].map((x) => x ?? 'nil').join(' | ');
};
const path = (p: string) => {
  const s = parsePath(p);
  return `${show([...s])}${s.isAbsolute ? ' abs' : ''}${s.isDirectory ? ' dir' : ''}`;
};

table('url', [
  {
    call: "parse('http://user:pw@host:8080/a/b;p?q=1#f')",
    luasocket: 'http | user:pw@host:8080 | user:pw | user | pw | host | 8080 | /a/b | p | q=1 | f',
    netkit: 'http | user:pw@host:8080 | user:pw | user | pw | host | 8080 | /a/b | p | q=1 | f',
    run: () => parts('http://user:pw@host:8080/a/b;p?q=1#f'),
  },
  {
    call: "parse('ftp://[::1]:21/x')",
    luasocket: 'ftp | [::1]:21 | nil | nil | nil | ::1 | 21 | /x | nil | nil | nil',
    netkit: 'ftp | [::1]:21 | nil | nil | nil | ::1 | 21 | /x | nil | nil | nil',
    run: () => parts('ftp://[::1]:21/x'),
  },
  {
    call: "parse('//a@b@c/p') (two '@')",
    luasocket: 'nil | a@b@c | a | a | nil | b@c | nil | /p | nil | nil | nil',
    netkit: 'nil | a@b@c | a@b | a@b | nil | c | nil | /p | nil | nil | nil',
    why: "RFC 3986 §3.2: '@' cannot appear in a host, so the userinfo ends at the last '@'",
    run: () => parts('//a@b@c/p'),
  },
  {
    call: "parse('')",
    luasocket: 'nil, "invalid url"',
    netkit: 'error ArgumentError',
    why: 'a failure is a typed error (message "invalid url") rather than nil, err',
    run: () => outcome(() => parse('')),
  },
  { call: "build(parse('http://a/b?c#d'))", luasocket: '"http://a/b?c#d"', netkit: '"http://a/b?c#d"', run: () => show(build(parse('http://a/b?c#d'))) },
  { call: "absolute(B, 'g')", luasocket: '"http://a/b/c/g"', netkit: '"http://a/b/c/g"', run: () => show(absolute(B, 'g')) },
  { call: "absolute(B, '../../../g')", luasocket: '"http://a/g"', netkit: '"http://a/g"', run: () => show(absolute(B, '../../../g')) },
  { call: "absolute(B, '//g')", luasocket: '"http://g"', netkit: '"http://g"', run: () => show(absolute(B, '//g')) },
  { call: "absolute(B, '?y')", luasocket: '"http://a/b/c/d;p?y"', netkit: '"http://a/b/c/d;p?y"', run: () => show(absolute(B, '?y')) },
  { call: "absolute(B, '#s')", luasocket: '"http://a/b/c/d;p?q#s"', netkit: '"http://a/b/c/d;p?q#s"', run: () => show(absolute(B, '#s')) },
  {
    call: "absolute(B, ';x')",
    luasocket: '"http://a/b/c/d;x"',
    netkit: '"http://a/b/c/;x"',
    why: 'RFC 3986 §5.4.1: ";x" is a relative path that replaces the last segment (LuaSocket keeps RFC 1808 params)',
    run: () => show(absolute(B, ';x')),
  },
  {
    call: "absolute(B, 'g?y/./x')",
    luasocket: '"http://a/b/c/g?y/x"',
    netkit: '"http://a/b/c/g?y/./x"',
    why: 'RFC 3986 §5.4.1: dot segments in a query are data, not path steps',
    run: () => show(absolute(B, 'g?y/./x')),
  },
  {
    call: "absolute(B, '')",
    luasocket: '"http://a/b/c/d;p?q#f"',
    netkit: '"http://a/b/c/d;p?q"',
    why: 'RFC 3986 §5.2.2: the empty reference is the base without its fragment',
    run: () => show(absolute(B, '')),
  },
  {
    call: "escape('a b/c_d-e')",
    luasocket: '"a%20b%2fc_d%2de"',
    netkit: '"a%20b%2Fc_d-e"',
    why: "RFC 3986 §2.1/2.3: upper-case hex, and the unreserved '-', '.', '~' stay as they are (decoding gives the same text)",
    run: () => show(escape('a b/c_d-e')),
  },
  { call: "unescape('a%20b%2fc')", luasocket: '"a b/c"', netkit: '"a b/c"', run: () => show(unescape('a%20b%2fc')) },
  { call: "parse_path('/eu/tu/ele')", luasocket: '{"eu", "tu", "ele"} abs', netkit: '{"eu", "tu", "ele"} abs', run: () => path('/eu/tu/ele') },
  { call: "parse_path('/eu/')", luasocket: '{"eu"} abs dir', netkit: '{"eu"} abs dir', run: () => path('/eu/') },
  { call: "parse_path('/')", luasocket: '{} abs dir', netkit: '{} abs dir', run: () => path('/') },
  { call: "parse_path('')", luasocket: '{}', netkit: '{}', run: () => path('') },
  { call: "parse_path('eu%01/%02tu')", luasocket: '{"eu\\u0001", "\\u0002tu"}', netkit: '{"eu\\u0001", "\\u0002tu"}', run: () => path('eu%01/%02tu') },
  { call: "build_path(parse_path('/eu/'))", luasocket: '"/eu/"', netkit: '"/eu/"', run: () => show(buildPath(parsePath('/eu/'))) },
  { call: 'build_path({ is_directory = 1 })', luasocket: '""', netkit: '""', run: () => show(buildPath(Object.assign([] as string[], { isDirectory: true }))) },
  { call: "build_path({ 'a b', 'c;d' })", luasocket: '"a%20b/c;d"', netkit: '"a%20b/c;d"', run: () => show(buildPath(['a b', 'c;d'])) },
  { call: "build_path({ 'a/b' }, true) (unsafe)", luasocket: '"a/b"', netkit: '"a/b"', run: () => show(buildPath(['a/b'], true)) },
]);
