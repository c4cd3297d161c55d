/**
 * netkit/smtp: LuaSocket's smtp — `message` builds a streamed MIME message,
 * `send` delivers it in one call, `open` gives the low-level session for
 * several messages on one connection.
 *
 * @example
 * ```ts
 * declare const from: string;
 * declare const rcpt: string[];
 * declare const headers: any;
 * declare const body: any;
 * import { smtp } from 'netkit';
 * await smtp.send({ server: 'mail.example', from, rcpt, source: smtp.message({ headers, body }) });
 * ```
 */
export { message, attachment, chooseEncoding, type Part, type Multipart, type Headers } from './message.js';
export { open, SmtpSession, angle, type OpenOptions, type SendResult, type RcptResult, type Envelope } from './session.js';
export { send, type SendOptions } from './send.js';
