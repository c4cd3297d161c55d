/**
 * netkit/tp: the text-protocol helper SMTP, POP3 and FTP share — LuaSocket's
 * `tp`: `connect`, `getReply`/`check` with multi-line replies, `command`
 * (CR/LF-proof), pipelining, and dot-terminated data both ways.
 *
 * @example
 * ```ts
 * import { tp } from 'netkit';
 * const conn = await tp.connect('127.0.0.1', 2525);
 * await conn.check('220');
 * ```
 */
export { TextConn, connect, checkLine, formatCommand, type TextConnOptions } from './conn.js';
export { matches, parseFirstLine, isLastLine, makeReply, type Reply, type Expected } from './reply.js';
export { dotSource, dotSink } from './dot.js';
export { BlockCollector } from './collect.js';
export { readDotData, writeDotData, dotBlock, skipLine, sendReply, sendStatus, formatReply, printable, type DotData, type ReadDotOptions } from './server.js';
