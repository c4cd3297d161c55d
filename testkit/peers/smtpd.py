#!/usr/bin/python3
# netkit's SMTP sink peer, built on Debian's python3-aiosmtpd.
#
#   /usr/bin/python3 smtpd.py MAILDIR PORT [--host ADDR] [--tls CERT KEY]
#                              [--implicit] [--auth USER:PASS] [--require-auth]
#
# Each accepted message lands in MAILDIR/new as one file: three header lines
# recording the envelope (X-Envelope-From, X-Envelope-To, X-Envelope-Options)
# and then the message exactly as received after un-stuffing. With --tls the
# server offers STARTTLS, or with --implicit speaks TLS from the first byte.
# SMTPUTF8 is on and messages may be up to 50 MiB. AUTH (LOGIN, PLAIN) is
# allowed without TLS, which is fine on loopback. When ready it prints a
# line containing "listening"; it ends on SIGTERM or SIGINT.
import argparse
import mailbox
import signal
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def parse():
    cli = argparse.ArgumentParser(description='netkit test SMTP sink')
    cli.add_argument('maildir')
    cli.add_argument('port', type=int)
    cli.add_argument('--host', default='127.0.0.1')
    cli.add_argument('--tls', nargs=2, metavar=('CERT', 'KEY'))
    cli.add_argument('--implicit', action='store_true')
    cli.add_argument('--auth')
    cli.add_argument('--require-auth', action='store_true')
    return cli.parse_args()


def check_port(host, port):
    # aiosmtpd's Controller waits out its ready timeout on a taken port
    # instead of failing; a bind first turns that into an immediate exit.
    family = socket.AF_INET6 if ':' in host else socket.AF_INET
    try:
        with socket.socket(family) as probe:
            probe.bind((host, port))
    except OSError as err:
        sys.exit('smtpd.py: port %s:%d is not free: %s' % (host, port, err))


class Store:
    def __init__(self, box):
        self.box = box

    async def handle_DATA(self, server, session, envelope):
        envelope_lines = [
            'X-Envelope-From: ' + str(envelope.mail_from),
            'X-Envelope-To: ' + ', '.join(envelope.rcpt_tos),
            'X-Envelope-Options: ' + ' '.join(envelope.mail_options),
        ]
        head = ''.join(line + '\r\n' for line in envelope_lines).encode()
        self.box.add(head + envelope.original_content)
        return '250 2.0.0 stored'


def checker(expected):
    user, password = expected.split(':', 1)

    def check(server, session, envelope, mechanism, data):
        good = isinstance(data, LoginPassword) and \
            data.login.decode() == user and data.password.decode() == password
        # handled=False lets aiosmtpd answer 235/535 itself; with its default
        # (handled=True) it would send no reply at all and the client would hang.
        return AuthResult(success=good, handled=False)
    return check


def main():
    opts = parse()
    check_port(opts.host, opts.port)
    settings = dict(hostname=opts.host, port=opts.port, server_hostname='netkit.test',
                    enable_SMTPUTF8=True, data_size_limit=50 * 1024 * 1024, decode_data=False)
    if opts.auth:
        settings.update(authenticator=checker(opts.auth), auth_required=opts.require_auth,
                        auth_require_tls=False)
    if opts.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*opts.tls)
        settings['ssl_context' if opts.implicit else 'tls_context'] = context
    controller = Controller(Store(mailbox.Maildir(opts.maildir, create=True)), **settings)
    controller.start()
    print('smtpd.py listening on %s:%d' % (opts.host, opts.port), flush=True)
    finished = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: finished.set())
    finished.wait()
    controller.stop()


if __name__ == '__main__':
    main()
