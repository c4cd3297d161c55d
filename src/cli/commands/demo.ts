/**
 * `netkit demo` (what `npm start` runs): starts, on loopback, the
 * static web server over the bundled www/ page (8080), the
 * development mailbox (SMTP 2525, POP3 1100, web inbox 8025), a line echo service under the
 * super-server (23032) and the chapter's select-based unique-characters
 * server (23033) — each on its default port when that port is free, else on
 * one the system picks — then takes a tour through netkit against them and
 * prints each step. It keeps serving until interrupted; `--once` runs the
 * tour, stops everything and exits 0 only if every step passed.
 */
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { mailbox, web } from '../../servers/index.js';
import { inetd } from '../../servers/inetd.js';
import { UsageError, parseOptions, untilInterrupted, type Command } from '../command.js';
import { startUniqueServer } from '../demo/unique-server.js';
import { tour } from '../demo/tour.js';

/** The default port if nothing listens on it now, else 0 (the system picks). */
async function portOrAny(port: number): Promise<number> {
  const probe = net.createServer();
  const free = await new Promise<boolean>((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (free) await new Promise((r) => probe.close(r));
  return free ? port : 0;
}

export const demo: Command = {
  servesUntilInterrupted: true,
  summary: 'start the demo servers and run a tour of netkit (what npm start runs)',
  usage: [
    'usage: netkit demo [--once]',
    '  Starts the demo servers (web, mailbox, inetd) on loopback and runs a tour of netkit',
    '  against them; then keeps serving until Ctrl-C (exit 0).',
    '  --once              run the tour and exit',
    'example:',
    '  netkit demo --once',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { once: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError('unexpected arguments');
    const say = (line: string) => io.stdout.write(`${line}\n`);
    say('netkit: LuaSocket for TypeScript — demo\n');
    const www = fileURLToPath(new URL('../../../../www/', import.meta.url));
    const site = await web({ root: www, port: await portOrAny(8080) });
    const box = await mailbox({
      smtpPort: await portOrAny(2525),
      pop3Port: await portOrAny(1100),
      users: { demo: 'demo' },
      store: 'memory',
      web: { port: await portOrAny(8025) },
    });
    const echo = await inetd({
      port: await portOrAny(23032),
      command: process.execPath,
      args: ['-e', "process.stdin.on('data', (d) => process.stdout.write(d))"],
      timeLimit: 60_000,
      onLog: () => {},
    });
    const unique = await startUniqueServer(await portOrAny(23033));
    say(
      `servers: web (www/) http://127.0.0.1:${site.port}/; mailbox SMTP 127.0.0.1:${box.smtp.port}, POP3 127.0.0.1:${box.pop3.port}; web inbox ${box.web!.url}; echo under inetd 127.0.0.1:${echo.port}; select server 127.0.0.1:${unique.port}\n`,
    );
    let ok = false;
    try {
      ok = await tour(
        { webPort: site.port, smtpPort: box.smtp.port, pop3Port: box.pop3.port, echoPort: echo.port, uniquePort: unique.port, inboxUrl: box.web!.url },
        say,
      );
      if (!values.once) {
        say(followUps(site.port, box.smtp.port, box.pop3.port, echo.port));
        say(`  open ${box.web!.url} in a browser to see the caught mail (the web inbox)`);
        await untilInterrupted(io);
      }
    } finally {
      await Promise.all([site.close(), box.close(), echo.close(), unique.close()]);
    }
    return ok ? 0 : 1;
  },
};

function followUps(webPort: number, smtp: number, pop3: number, echo: number): string {
  return [
    '\nstill serving; try, in another terminal (Ctrl-C here to stop):',
    `  open http://127.0.0.1:${webPort}/ in a browser, or: npx netkit get -I http://127.0.0.1:${webPort}/`,
    `  echo "hi there" | npx netkit mail send --server 127.0.0.1:${smtp} --tls none --from you@example.test --to demo@example.test --subject hello`,
    `  NETKIT_POP3_PASSWORD=demo npx netkit mail list --server 127.0.0.1:${pop3} --user demo --tls none --allow-plain-auth`,
    `  npx netkit connect 127.0.0.1 ${echo}`,
    '  npx netkit dns localhost',
    "  npx netkit url parse 'http://user@[::1]:8080/a/b;p?q#f'",
    '  echo "text hydraulics" | npx netkit encode base64',
  ].join('\n');
}
