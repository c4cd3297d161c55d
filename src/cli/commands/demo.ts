/**
 * `netkit demo`: what `npm start` runs. Until the full tour lands it lists
 * the modules and commands that are here.
 */
import type { Command } from '../command.js';
import { commands } from '../commands.js';

export const demo: Command = {
  summary: 'start the demo servers and run a tour of netkit (what npm start runs)',
  usage: 'usage: netkit demo [--once]',
  async run(_args, io) {
    io.stdout.write('netkit: LuaSocket for TypeScript\n\ncommands available:\n');
    for (const [name, load] of Object.entries(commands)) {
      io.stdout.write(`  netkit ${name.padEnd(12)} ${(await load()).summary}\n`);
    }
    return 0;
  },
};
