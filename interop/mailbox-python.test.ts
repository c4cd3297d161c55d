import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mailbox } from '../src/servers/index.js';
import { missingPeer } from '../testkit/peers.js';

const run = promisify(execFile);
const skip = missingPeer('/usr/bin/python3');

// smtplib sends a message with a binary attachment (AUTH PLAIN); poplib lists, retrieves and deletes it;
// Python's email parser writes the attachment it got back, to be compared byte for byte.
const SCRIPT = `
import email, email.policy, poplib, smtplib, sys
from email.message import EmailMessage
smtp_port, pop_port, src, dst = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
m = EmailMessage()
m['From'], m['To'], m['Subject'] = 'bob@x.test', 'alice@x.test', 'from smtplib'
m.set_content('see the attachment\\n.a line with a leading dot\\n')
m.add_attachment(open(src, 'rb').read(), maintype='application', subtype='octet-stream', filename='blob.bin')
with smtplib.SMTP('127.0.0.1', smtp_port, timeout=20) as s:
    s.login('alice', 'secret')
    refused = s.send_message(m)
    assert refused == {}, refused
p = poplib.POP3('127.0.0.1', pop_port, timeout=20)
p.user('alice'); p.pass_('secret')
count, _ = p.stat()
assert count == 1, count
resp, lines, octets = p.retr(1)
got = email.message_from_bytes(b'\\r\\n'.join(lines) + b'\\r\\n', policy=email.policy.default)
assert got['Subject'] == 'from smtplib', got['Subject']
body = got.get_body(('plain',)).get_content()
assert '\\n.a line with a leading dot' in body, repr(body)
att = next(got.iter_attachments())
open(dst, 'wb').write(att.get_content())
p.dele(1); p.quit()
print('ok', octets)
`;

test('Python smtplib and poplib with servers.mailbox: an attachment round trip, byte-exact, dot lines intact', { skip, timeout: 60_000 }, async () => {
  const box = await mailbox({ smtpPort: 0, pop3Port: 0, users: { alice: 'secret' }, store: 'memory' });
  const dir = mkdtempSync(join(tmpdir(), 'nk-pymail-'));
  try {
    const blob = randomBytes(300_000);
    writeFileSync(join(dir, 'in.bin'), blob);
    const { stdout } = await run('/usr/bin/python3', ['-c', SCRIPT, String(box.smtp.port), String(box.pop3.port), join(dir, 'in.bin'), join(dir, 'out.bin')], {
      timeout: 50_000,
    });
    assert.match(stdout, /^ok \d+/);
    assert.ok(readFileSync(join(dir, 'out.bin')).equals(blob), 'the attachment came back byte-exact');
    assert.equal((await box.store.list('alice')).length, 0, 'DELE then QUIT removed it');
  } finally {
    await box.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

// smtplib.starttls() and poplib.stls() against the generated development certificate, trusted as a CA
// from the PEM the mailbox reports; AUTH and USER/PASS then go over TLS.
const TLS_SCRIPT = `
import poplib, smtplib, ssl, sys
smtp_port, pop_port, cafile = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context(cafile=cafile)
with smtplib.SMTP('127.0.0.1', smtp_port, timeout=20) as s:
    s.ehlo()
    assert s.has_extn('starttls')
    s.starttls(context=ctx)
    s.ehlo()
    assert not s.has_extn('starttls'), 'STARTTLS is not offered again'
    assert s.sock.version().startswith('TLS'), s.sock.version()
    s.login('alice', 'secret')
    s.sendmail('bob@x.test', ['alice@x.test'], b'Subject: over tls\\r\\n\\r\\nsecret body\\r\\n')
p = poplib.POP3('127.0.0.1', pop_port, timeout=20)
assert 'STLS' in p.capa(), p.capa()
p.stls(context=ctx)
assert 'STLS' not in p.capa()
p.user('alice'); p.pass_('secret')
resp, lines, octets = p.retr(1)
assert b'secret body' in lines, lines
p.quit()
bad = ssl.create_default_context()
try:
    with smtplib.SMTP('127.0.0.1', smtp_port, timeout=20) as s:
        s.starttls(context=bad)
    print('unverified')
except ssl.SSLCertVerificationError:
    print('ok')
`;

test('Python smtplib.starttls() and poplib.stls() with the generated development certificate (trusted by its PEM; refused without it)', {
  skip,
  timeout: 60_000,
}, async () => {
  const box = await mailbox({ smtpPort: 0, pop3Port: 0, users: { alice: 'secret' }, store: 'memory', tls: 'starttls' });
  const dir = mkdtempSync(join(tmpdir(), 'nk-pytls-'));
  try {
    assert.ok(box.tls?.generated);
    writeFileSync(join(dir, 'ca.pem'), box.tls!.cert);
    const { stdout } = await run('/usr/bin/python3', ['-c', TLS_SCRIPT, String(box.smtp.port), String(box.pop3.port), join(dir, 'ca.pem')], {
      timeout: 50_000,
    });
    assert.equal(stdout.trim(), 'ok');
    assert.equal((await box.store.list('alice')).length, 1);
  } finally {
    await box.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
