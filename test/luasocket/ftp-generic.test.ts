/** LuaSocket's ftp generic forms (ftp.lua, the manual) beside netkit's, against a scripted server. */
import { after, before } from 'node:test';
import { sink as sinks } from '../../src/ltn12/index.js';
import { command, get } from '../../src/protocols/ftp/index.js';
import { dataServer, pasvNumbers, scriptedFtp, type ScriptedFtp } from '../../testkit/ftp-scripted.js';
import { outcome, show, table } from './table.js';

let srv: ScriptedFtp;
let data: Awaited<ReturnType<typeof dataServer>>;
before(async () => {
  data = await dataServer('file body');
  srv = await scriptedFtp({
    replies: {
      PASV: () => `227 Entering Passive Mode (${pasvNumbers('127.0.0.1', data.port)}).\r\n`,
      SIZE: '213 9\r\n',
      RETR: '150 go\r\n226 done\r\n',
      MKD: '257 "d" created\r\n',
      RMD: '250 removed\r\n',
      DELE: '550 no\r\n',
    },
  });
});
after(async () => {
  await Promise.all([srv.close(), data.close()]);
});
const at = () => ({ host: '127.0.0.1', port: srv.port, extended: false, timeout: 3000 });

table('ftp', [
  {
    call: "get{ command = 'size', argument = 'f', sink = t }",
    luasocket: '"213 9"',
    netkit: '"213 9"',
    run: async () => {
      const [t, c] = sinks.table();
      await get({ ...at(), command: 'size', argument: 'f', sink: t });
      return show(Buffer.concat(c));
    },
  },
  {
    call: "get('ftp://host/f') (string form)",
    luasocket: '"file body"',
    netkit: '"file body"',
    run: async () => show(await get(`ftp://127.0.0.1:${srv.port}/f`)),
  },
  {
    call: "command{ command = 'mkd', argument = 'd', check = 257 }",
    luasocket: '1',
    netkit: '257',
    why: 'the checked reply is returned (LuaSocket returns 1)',
    run: async () => show((await command({ ...at(), command: 'mkd', argument: 'd', check: 257 })).code),
  },
  {
    call: "command{ command = {'mkd','rmd'}, argument = {'d','d'}, check = {257, 250} }",
    luasocket: '1',
    netkit: '{257, 250}',
    why: 'the list form returns every checked reply (LuaSocket returns 1)',
    run: async () => show((await command({ ...at(), command: ['mkd', 'rmd'], argument: ['d', 'd'], check: [257, 250] })).map((r) => r.code)),
  },
  {
    call: "command{ command = 'dele', argument = 'x' } (550)",
    luasocket: '1 (no check given: the reply is not read)',
    netkit: 'error ReplyError',
    why: 'every reply is checked, against 2xx when no check is given; a failure is a typed ReplyError with code and text',
    run: () => outcome(() => command({ ...at(), command: 'dele', argument: 'x' })),
  },
  {
    call: "get{ path = 'a\\r\\nDELE b' }",
    luasocket: 'sends both lines',
    netkit: 'error ArgumentError',
    why: 'CR, LF and NUL in anything that reaches the control connection are refused before sending',
    run: () => outcome(() => get({ ...at(), path: 'a\r\nDELE b' })),
  },
]);
