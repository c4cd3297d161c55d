/**
 * netkit/pop3: LuaSocket-style POP3 client — `connect` logs in and gives a
 * session with `stat`, `list`, `uidl`, `top`, `retrieve`, `delete`, `reset`,
 * `noop`, `quit`; `listHeaders` summarises the mailbox.
 *
 * @example
 * ```ts
 * declare const user: string;
 * declare const password: string;
 * import { pop3 } from 'netkit';
 * const s = await pop3.connect({ server: 'localhost', user, password, tls: 'stls' });
 * ```
 */
export { connect, type Pop3Options } from './connect.js';
export { Pop3Session, readStatus, POP3_MAX_LISTING_BYTES, POP3_MAX_MESSAGE_BYTES, type Pop3Limits, type Pop3StepOptions } from './session.js';
export { listHeaders, type MessageSummary } from './headers.js';
