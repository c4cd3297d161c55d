#!/usr/bin/python3
# netkit's plain-FTP peer, built on Debian's python3-pyftpdlib.
#
#   /usr/bin/python3 ftpd.py ROOT PORT [--host 127.0.0.1|::1]
#
# Account "user" (password "pass") may do everything in ROOT; anonymous
# logins may only read. Passive data ports come from 30000-30099 and only
# the control connection's own address may connect to them. The process
# ends on SIGTERM or SIGINT. (pyftpdlib 1.5.7's FTPS data channel breaks
# clients that handshake before sending the transfer command, so FTPS
# tests use vsftpd instead.)
import argparse
import signal

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer


def main():
    cli = argparse.ArgumentParser(description='netkit test FTP server')
    cli.add_argument('root')
    cli.add_argument('port', type=int)
    cli.add_argument('--host', default='127.0.0.1')
    opts = cli.parse_args()

    users = DummyAuthorizer()
    users.add_user('user', 'pass', opts.root, perm='elradfmwMT')
    users.add_anonymous(opts.root)

    class Session(FTPHandler):
        authorizer = users
        passive_ports = range(30000, 30100)
        permit_foreign_addresses = False
        banner = 'netkit test ftpd ready'

    server = FTPServer((opts.host, opts.port), Session)
    server.max_cons = 64
    signal.signal(signal.SIGTERM, lambda *_: server.close_all())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.close_all()


if __name__ == '__main__':
    main()
