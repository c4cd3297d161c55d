/**
 * netkit/smtp: LuaSocket's smtp — `message` builds a streamed MIME message,
 * `send` delivers it in one call, `open` gives the low-level session
 * (`greet`, `auth`, `mail`, `rcpt`, `data`, `rset`, `noop`, `quit`) for
 * several messages on one connection.
 *
 * @example
 * ```ts
 * declare const from: string;
 * declare const rcpt: string[];
 * declare const headers: any;
 * declare const body: any;
 * import { smtp } from 'netkit';
 * await smtp.send({ host: 'mail.example', from, rcpt, source: smtp.message({ headers, body }) });
 * ```
 */
export { message, attachment, chooseEncoding, type Part, type Multipart, type Headers } from './message.js';
export { SmtpSession, type SessionOptions, type StepOptions } from './session.js';
export { open, type OpenOptions } from './open.js';
export { angle, type SendResult, type RcptResult, type Envelope, type MailParams } from './envelope.js';
export type { Stepper, TransferOptions } from './transfer.js';
export { send, type SendOptions } from './send.js';
