/** LuaSocket's mime module (test/mimetest.lua, the manual, mime.c) beside netkit's. */
import { transform } from '../../src/ltn12/index.js';
import { b64, decode, dot, encode, eol, normalize, qp, qpwrp, stuff, unb64, unqp, wrap, wrp } from '../../src/mime/index.js';
import { outcome, show, table } from './table.js';

const t = (input: string, ...f: Parameters<typeof transform>[1][]) => show(transform(Buffer.from(input, 'latin1'), ...f));

table('mime', [
  { call: "b64('diego:password')", luasocket: '"ZGllZ286cGFzc3dvcmQ="', netkit: '"ZGllZ286cGFzc3dvcmQ="', run: () => show(b64('diego:password')[0]) },
  { call: "b64('a', 'b') (unfinished group held)", luasocket: '{"", "ab"}', netkit: '{"", "ab"}', run: () => show(b64('a', 'b')) },
  { call: "unb64('ZGllZ286cGFzc3dvcmQ=')", luasocket: '"diego:password"', netkit: '"diego:password"', run: () => show(unb64('ZGllZ286cGFzc3dvcmQ=')[0]) },
  { call: "qp('ma\\xE7\\xE3')", luasocket: '"ma=E7=E3"', netkit: '"ma=E7=E3"', run: () => show(qp(Buffer.from('ma\xe7\xe3', 'latin1'))[0]) },
  { call: "unqp('ma=E7=E3=\\r\\n')", luasocket: '"maçã"', netkit: '"maçã"', run: () => show(unqp('ma=E7=E3=\r\n')[0]) },
  { call: "wrp(3, 'abcde', 5)", luasocket: '{"abc\\r\\nde", 3}', netkit: '{"abc\\r\\nde", 3}', run: () => show(wrp(3, 'abcde', 5)) },
  { call: 'wrp(2, nil, 5) (end: last line unterminated)', luasocket: '{"\\r\\n", 5}', netkit: '{"\\r\\n", 5}', run: () => show(wrp(2, null, 5)) },
  {
    call: 'wrp(5, nil, 5) (end: nothing pending)',
    luasocket: '{nil, 5}',
    netkit: '{"", 5}',
    why: 'filters and low-level functions return bytes; an empty Buffer stands for nil',
    run: () => show(wrp(5, null, 5)),
  },
  { call: 'qpwrp(3, nil, 76)', luasocket: '{"=\\r\\n", 76}', netkit: '{"=\\r\\n", 76}', run: () => show(qpwrp(3, null, 76)) },
  { call: "eol(0, 'a\\r\\r\\nb', '\\n')", luasocket: '{"a\\n\\n\\nb", 0}', netkit: '{"a\\n\\n\\nb", 0}', run: () => show(eol(0, 'a\r\r\nb', '\n')) },
  { call: "eol(0, 'a\\n\\n\\rb', '\\n')", luasocket: '{"a\\n\\n\\nb", 0}', netkit: '{"a\\n\\n\\nb", 0}', run: () => show(eol(0, 'a\n\n\rb', '\n')) },
  { call: "eol(0, 'x\\r', '\\n') (CR pending)", luasocket: '{"x\\n", 13}', netkit: '{"x\\n", 13}', run: () => show(eol(0, 'x\r', '\n')) },
  {
    call: "dot(2, '.\\r\\n.x')",
    luasocket: '{"..\\r\\n..x", 0}',
    netkit: '{".\\r\\n..x", 0}',
    why: "netkit's line-start state is 1 (LuaSocket's is 2, after CRLF): dot(1, …) is the equivalent call",
    run: () => show(dot(2, '.\r\n.x')),
  },
  {
    call: "dot(1, '.\\r\\n.x') (netkit's line start)",
    luasocket: '{"..\\r\\n..x", 0} as dot(2, …)',
    netkit: '{"..\\r\\n..x", 0}',
    why: "the same result, under netkit's state number",
    run: () => show(dot(1, '.\r\n.x')),
  },
  {
    call: "stuff() over 'a\\n.b' (a bare LF)",
    luasocket: '"a\\n.b"',
    netkit: '"a\\n..b"',
    why: 'a bare CR or LF also starts a line, so a lone-dot line cannot be smuggled past a lenient server',
    run: () => t('a\n.b', stuff()),
  },
  { call: "wrap('text', 5) over 'abcdefg'", luasocket: '"abcde\\r\\nfg\\r\\n"', netkit: '"abcde\\r\\nfg\\r\\n"', run: () => t('abcdefg', wrap('text', 5)) },
  { call: 'wrap(4) (a number selects default)', luasocket: '"abcd\\r\\nef\\r\\n"', netkit: '"abcd\\r\\nef\\r\\n"', run: () => t('abcdef', wrap(4)) },
  { call: "wrap('default', 4)", luasocket: '"abcd\\r\\nef\\r\\n"', netkit: '"abcd\\r\\nef\\r\\n"', run: () => t('abcdef', wrap('default', 4)) },
  { call: "wrap('quoted-printable') over 'abc'", luasocket: '"abc=\\r\\n"', netkit: '"abc=\\r\\n"', run: () => t('abc', wrap('quoted-printable')) },
  {
    call: "wrap('quoted-printable', 10) over 'abcdefghijkl'",
    luasocket: '"abcdefghijkl=\\r\\n"',
    netkit: '"abcdefghi=\\r\\njkl=\\r\\n"',
    why: "LuaSocket's wrapt['quoted-printable'] ignores the width (always 76); netkit honours it (≥ 4)",
    run: () => t('abcdefghijkl', wrap('quoted-printable', 10)),
  },
  {
    call: "wrap('text', 0)",
    luasocket: 'a CRLF before every character',
    netkit: 'error ArgumentError',
    why: 'a width below 1 (or NaN, 1.5, 2^31) is a caller error, not a wrapping rule',
    run: () => outcome(() => wrap('text', 0)),
  },
  { call: "wrap('text', 5)('abc') (a string chunk)", luasocket: '"abc"', netkit: '"abc"', run: () => show(wrap('text', 5)('abc')) },
  {
    call: "encode('base64') + wrap('base64') over 57 bytes",
    luasocket: '76 characters then CRLF',
    netkit: '76 characters then CRLF',
    run: () => {
      const s = transform(Buffer.alloc(57, 0x41), encode('base64'), wrap('base64')).toString('latin1');
      return s.length === 78 && s.endsWith('\r\n') ? '76 characters then CRLF' : show(s);
    },
  },
  {
    call: "encode('quoted-printable') over 'a \\r\\nb'",
    luasocket: '"a=20\\r\\nb"',
    netkit: '"a=20\\r\\nb"',
    run: () => t('a \r\nb', encode('quoted-printable')),
  },
  {
    call: "encode('quoted-printable', 'binary') over '\\r\\n'",
    luasocket: '"=0D=0A"',
    netkit: '"=0D=0A"',
    run: () => t('\r\n', encode('quoted-printable', 'binary')),
  },
  { call: "decode('base64') over 'ZG ll\\r\\nZ28='", luasocket: '"diego"', netkit: '"diego"', run: () => t('ZG ll\r\nZ28=', decode('base64')) },
  { call: "decode('quoted-printable') over 'a=3Db=\\r\\nc'", luasocket: '"a=bc"', netkit: '"a=bc"', run: () => t('a=3Db=\r\nc', decode('quoted-printable')) },
  {
    call: "normalize() over 'a\\nb\\rc\\r\\nd'",
    luasocket: '"a\\r\\nb\\r\\nc\\r\\nd"',
    netkit: '"a\\r\\nb\\r\\nc\\r\\nd"',
    run: () => t('a\nb\rc\r\nd', normalize()),
  },
  { call: "stuff() over '.a\\r\\n.\\r\\n'", luasocket: '"..a\\r\\n..\\r\\n"', netkit: '"..a\\r\\n..\\r\\n"', run: () => t('.a\r\n.\r\n', stuff()) },
  {
    call: "encode('rot13')",
    luasocket: 'error "unknown key (rot13)"',
    netkit: 'error ArgumentError',
    why: 'errors are typed NetError subclasses; the message names the unknown encoding',
    run: () => outcome(() => encode('rot13')),
  },
]);
