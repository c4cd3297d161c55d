/**
 * netkit/servers: servers built on netkit's sockets — `serve`, the
 * one-handler-per-connection dispatcher the others stand on, and `web`
 * (static files), `inetd` (a program per connection), `mailbox` (SMTP + POP3).
 *
 * @example
 * ```ts
 * import { servers } from 'netkit';
 * const echo = await servers.serve({ port: 7007 }, async (c) => { for (;;) await c.send(`${await c.receive()}\n`); });
 * ```
 */
export { serve, type ServeOptions, type Served, type Handler } from './serve.js';
export { mailbox, MAILBOX_MAX_CONNECTIONS, MAILBOX_MAX_MESSAGE_BYTES, type MailboxOptions, type Mailbox } from './mailbox/mailbox.js';
export { MaildirStore, MemoryStore, type MailStore, type StoredMessage } from './mailbox/store.js';
export { GREET_DELAY_MS, MAX_BAD_COMMANDS, AUTH_FAILURE_DELAY_MS, MAX_AUTH_FAILURES, PLAIN_AUTH, type PlainAuth } from './mailbox/guard.js';
export { inetd, type InetdOptions, type Inetd } from './inetd.js';
export { web, type WebOptions, type WebServer } from './web/web.js';
export { webInbox, WEB_INBOX_PORT, type WebInbox, type WebInboxOptions } from './mailbox/web/inbox.js';
