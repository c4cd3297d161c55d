/**
 * The table of `netkit` subcommands. Each entry loads its module only when
 * it runs, so `netkit dns` never pays for loading the FTP client.
 */
import type { Command } from './command.js';

export const commands: Record<string, () => Promise<Command>> = {
  connect: async () => (await import('./commands/connect.js')).connectCommand,
  demo: async () => (await import('./commands/demo.js')).demo,
  dns: async () => (await import('./commands/dns.js')).dnsCommand,
  get: async () => (await import('./commands/get.js')).getCommand,
  encode: async () => (await import('./commands/codec.js')).encodeCommand,
  decode: async () => (await import('./commands/codec.js')).decodeCommand,
  inetd: async () => (await import('./commands/inetd.js')).inetdCommand,
  mailbox: async () => (await import('./commands/mailbox.js')).mailboxCommand,
  'mail list': async () => (await import('./commands/mail-read.js')).mailList,
  'mail read': async () => (await import('./commands/mail-read.js')).mailRead,
  'mail send': async () => (await import('./commands/mail-send.js')).mailSend,
  put: async () => (await import('./commands/put.js')).putCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  url: async () => (await import('./commands/url.js')).url,
};
