/**
 * The chapter's DNS lookup: a name's addresses and an address's name.
 *
 *     node dist/examples/dns-lookup.js [name]      (default: localhost)
 */
import { socket } from '../src/index.js';

const name = process.argv[2] ?? 'localhost';
const info = await socket.dns.toIp(name);
console.log(`${name} -> ${info.address}`);
console.log(`  all addresses: ${info.addresses.join(', ')}`);
const back = await socket.dns.toHostname(info.address);
console.log(`${info.address} -> ${back.name}`);
console.log(`this machine: ${socket.dns.getHostname()}`);
