/**
 * `netkit url parse <url> [--json]` prints a URL's parts, one `name: value`
 * per line; `netkit url resolve <base> <ref>` prints the absolute URL
 * (RFC 3986 §5.2).
 */
import { absolute, parse, type UrlParts } from '../../url/index.js';
import { UsageError, parseOptions, type Command } from '../command.js';

const ORDER: (keyof UrlParts)[] = ['scheme', 'authority', 'userinfo', 'user', 'password', 'host', 'port', 'path', 'params', 'query', 'fragment'];

export const url: Command = {
  summary: 'take a URL apart (url parse) or resolve a reference (url resolve)',
  usage: [
    'usage: netkit url parse URL [--json]',
    '       netkit url resolve BASE REFERENCE',
    '  parse prints each part of URL on its own line (scheme, user, host, port, path …);',
    '  resolve prints REFERENCE made absolute against BASE (RFC 3986).',
    '  --json              print the parts as one JSON object',
    'exit: 0 ok, 2 bad usage',
    'examples:',
    '  netkit url parse "http://me@[::1]:8080/a?b#c"',
    '  netkit url resolve http://a.test/b/c ../d',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
    const [sub, ...rest] = positionals;
    if (sub === 'parse' && rest.length === 1) {
      const parts = parse(rest[0]!);
      if (values.json) {
        const shown: Record<string, string> = {};
        for (const key of ORDER) if (parts[key] !== undefined) shown[key] = parts[key]!;
        io.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      } else {
        for (const key of ORDER) if (parts[key] !== undefined) io.stdout.write(`${key}: ${parts[key]}\n`);
      }
      return 0;
    }
    if (sub === 'resolve' && rest.length === 2) {
      io.stdout.write(`${absolute(rest[0]!, rest[1]!)}\n`);
      return 0;
    }
    throw new UsageError(sub === 'parse' || sub === 'resolve' ? `wrong number of arguments for 'url ${sub}'` : 'expected parse or resolve');
  },
};
