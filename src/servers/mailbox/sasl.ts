/**
 * The server side of the two SASL mechanisms the mailbox offers over SMTP
 * AUTH (RFC 4954): PLAIN (RFC 4616: `authzid NUL user NUL password`, in the
 * AUTH line or after an empty `334`) and LOGIN (user, then password, each
 * after its own `334` prompt). `ask` sends a challenge and returns the
 * client's answer line. A `*` answer cancels (RFC 4954 §4); a PLAIN blob
 * that is not base64 or lacks its two NULs is malformed.
 *
 * @example
 * ```ts
 * declare function ask(challenge: string): Promise<string>;
 * const got = await saslCredentials('PLAIN', Buffer.from('\0alice\0secret').toString('base64'), ask);
 * // { user: 'alice', pass: 'secret' }
 * ```
 */

/** What the client answered: credentials, or why there are none. */
export type SaslResult = { user: string; pass: string } | 'unsupported' | 'cancelled' | 'malformed';

/** The mechanisms {@link saslCredentials} speaks, as EHLO advertises them. */
export const SASL_MECHANISMS = ['PLAIN', 'LOGIN'] as const;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decode(line: string): string | undefined {
  return BASE64.test(line) && line.length % 4 === 0 ? Buffer.from(line, 'base64').toString('utf8') : undefined;
}

/** Runs one SASL exchange for `mech` (see the module doc). */
export async function saslCredentials(mech: string, initial: string | undefined, ask: (challenge: string) => Promise<string>): Promise<SaslResult> {
  switch (mech.toUpperCase()) {
    case 'PLAIN': {
      const resp = initial ?? (await ask(''));
      if (resp === '*') return 'cancelled';
      const parts = resp === '=' ? undefined : decode(resp)?.split('\0');
      if (parts?.length !== 3) return 'malformed';
      return { user: parts[1]!, pass: parts[2]! };
    }
    case 'LOGIN': {
      const userLine = initial ?? (await ask(Buffer.from('Username:').toString('base64')));
      if (userLine === '*') return 'cancelled';
      const user = decode(userLine);
      if (user === undefined) return 'malformed';
      const passLine = await ask(Buffer.from('Password:').toString('base64'));
      if (passLine === '*') return 'cancelled';
      const pass = decode(passLine);
      return pass === undefined ? 'malformed' : { user, pass };
    }
    default:
      return 'unsupported';
  }
}
