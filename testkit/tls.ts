/**
 * A throwaway self-signed certificate for TLS tests (localhost, 127.0.0.1,
 * ::1), made once per process with the `openssl` command line.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let cached: { key: string; cert: string } | undefined;

/** `{ key, cert }` in PEM for localhost, 127.0.0.1 and ::1; `cert` doubles as the CA that verifies it. */
export function selfSigned(): { key: string; cert: string } {
  cached ??= selfSignedFor('DNS:localhost,IP:127.0.0.1,IP:::1');
  return cached;
}

/**
 * A throwaway self-signed certificate whose subjectAltName is `san` (e.g.
 * `'IP:127.0.0.2'`), for tests that need a certificate for the wrong peer.
 */
export function selfSignedFor(san: string, cn = 'localhost'): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nk-cert-'));
  try {
    const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${cn}`, '-addext', `subjectAltName=${san}`];
    execFileSync('openssl', [...args, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
