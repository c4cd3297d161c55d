/**
 * `netkit dns <name|address>`: the address, canonical name, aliases and
 * every A and AAAA record of a name, or the name of an address.
 */
import { escapeControls } from '../text.js';
import { isIP } from 'node:net';
import { dns } from '../../socket/index.js';
import { UsageError, parseOptions, type Command } from '../command.js';

export const dnsCommand: Command = {
  summary: 'resolve a name to its addresses, or an address to its name',
  usage: [
    'usage: netkit dns [--timeout MS] NAME|ADDRESS',
    '  A name: its addresses (A and AAAA); an address: its names (reverse lookup).',
    '  --timeout MS        give up after MS milliseconds',
    'exit: 0 found, 1 not found or failure, 2 bad usage, 130 interrupted',
    'example:',
    '  netkit dns localhost',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { timeout: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('expected one name or address');
    const target = positionals[0]!;
    const timeout = values.timeout === undefined ? 5000 : Number(values.timeout);
    if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError('--timeout takes milliseconds');
    const info = isIP(target) !== 0 ? await dns.toHostname(target, { timeout }) : await dns.toIp(target, { timeout });
    const records = await dns.getAddrInfo(target, { timeout });
    // Names come from the resolver (a PTR record is the peer's text): escaped.
    io.stdout.write(`address: ${info.address}\nname: ${escapeControls(info.name)}\naliases: ${escapeControls(info.aliases.join(' ')) || '(none)'}\n`);
    for (const r of records) io.stdout.write(`${r.family === 'inet6' ? 'AAAA' : 'A'}: ${r.addr}\n`);
    return 0;
  },
};
