#!/usr/bin/env python3
# t_hardening.py: hostile input from an author account and raw bytes on the FastCGI socket do not
# take the server down: each case answers with a 4xx (or is dropped) and the next request is served.

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Server, run  # noqa: E402
from editor_client import add_token, add_user  # noqa: E402
from t_workflow import Api, article_doc  # noqa: E402


def alive(srv):
    try:
        return srv.get('/healthz', timeout=5).status == 200
    except OSError:
        return False


def test_deep_markdown(tap, srv):
    """Row 1: nested lists deeper than the limit are refused before anything recurses over them."""
    add_user(srv, 'deep@x.org', 'Dee Author', 'author')
    api = Api(srv, add_token(srv, 'deep@x.org'))
    for unit, n in (('- ', 12000), ('1. ', 20000), ('> ', 20000)):
        body = unit * n + 'x'
        r = api.call('POST', '/api/v1/articles', article_doc(body=body))
        tap.ok(r.status == 400 and 'nested' in r.text, "POST an article with '%s' nested %d levels: 400 "
               'that says the nesting is too deep' % (unit, n), r.summary())
        tap.ok(alive(srv), 'the server still answers afterwards')
    r = api.call('POST', '/api/v1/articles', article_doc(body='- a\n  - b\n    - c [1]\n'))
    tap.ok(r.status == 201, 'a list nested three levels is accepted', r.summary())


def main(tap):
    with Server(tap) as srv:
        test_deep_markdown(tap, srv)


if __name__ == '__main__':
    run(main)
