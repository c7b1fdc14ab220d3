#!/usr/bin/env python3
# serve.py: starts evqa behind nginx for the browser tests, with harness.Server (a fresh demo database in a
# temporary directory), and prints one JSON line {"url", "db", "dir"} when the site answers. It then
# serves until its standard input closes (the test ends or dies), and stops everything it started.
#
#   serve.py [--user EMAIL:ROLE:NAME[:CREDENTIAL]]... [EVQA-SERVE-OPTIONS...]
#
# Accounts are made with `evqa user add` (password: editor_client.PASSWORD). Other arguments go to
# `evqa serve` (for example --cors-origin http://127.0.0.1:PORT).

import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'integration'))

from harness import Server, Skip  # noqa: E402
from editor_client import PASSWORD, add_user  # noqa: E402


def main(argv):
    users, extra = [], []
    i = 0
    while i < len(argv):
        if argv[i] == '--user' and i + 1 < len(argv):
            parts = argv[i + 1].split(':')
            if len(parts) not in (3, 4):
                sys.stderr.write('serve.py: --user wants EMAIL:ROLE:NAME[:CREDENTIAL]\n')
                return 2
            users.append(parts)
            i += 2
        else:
            extra.append(argv[i])
            i += 1
    try:
        srv = Server(None, extra_args=extra, threads=4)
        srv.__enter__()
    except Skip as e:
        print(json.dumps({'skip': str(e)}), flush=True)
        return 0
    try:
        for u in users:
            p = add_user(srv, u[0], u[2], u[1], u[3] if len(u) > 3 else '')
            if p.returncode != 0:
                sys.stderr.write('serve.py: evqa user add %s failed: %s\n' % (u[0], p.stderr))
                return 1
        print(json.dumps({'url': 'http://127.0.0.1:%d' % srv.port, 'db': srv.db, 'dir': srv.dir,
                          'password': PASSWORD}), flush=True)
        sys.stdin.read()
    finally:
        srv.__exit__(None, None, None)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
