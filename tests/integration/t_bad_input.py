#!/usr/bin/env python3
# t_bad_input.py: a table of hostile and malformed requests through nginx. Each must get a 4xx (the
# exact code where the spec names one) with a message body, problem+json on API routes and HTML on page
# routes, never a 5xx; afterwards the server still answers.

import concurrent.futures
import os
import re
import sys
from urllib.parse import urlsplit

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Server, is_problem, run  # noqa: E402

BIG_BODY = 100 * 1024


def raw_post(path, size):
    head = ('POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n'
            'Content-Length: %d\r\nConnection: close\r\n\r\n' % (path, size)).encode()
    return head + b'q' * size


def pad_to(prefix, total):
    """prefix followed by 'a's so that the whole string is total bytes long."""
    return prefix + 'a' * (total - len(prefix))


def table(article):
    """(label, request, expected status or None for any 4xx, kind, extra checks).
    request is (method, path) for http.client or bytes for a raw socket.
    kind: 'problem' (API, application/problem+json), 'html' (page route, text/html), 'any' (nginx may
    answer first). extra: names= text the message must contain; not_in= text it must not contain;
    allow= a method the Allow header must list; field= the problem's errors entry; desc= the test name."""
    A = article
    return [
        ('HTML URI of 3000 bytes', ('GET', pad_to(A + '?audience=', 3000)), 414, 'html', {}),
        ('API URI of 3000 bytes', ('GET', pad_to('/api/v1/articles?page=', 3000)), 414, 'problem', {}),
        ('URI of 20000 bytes', ('GET', pad_to(A + '?audience=', 20000)), None, 'any', {}),
        ('header line of 20000 bytes', b'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ' + b'b' * 20000
         + b'\r\nConnection: close\r\n\r\n', None, 'any', {}),

        ('bad percent-encoding %zz in an article query', ('GET', A + '?audience=%zz'), 400, 'html', {}),
        ('truncated percent-encoding %4 in an article query', ('GET', A + '?audience=%4'), 400, 'html', {}),
        ('bad percent-encoding %zz in an API query', ('GET', '/api/v1/articles?page=%zz'), 400, 'problem', {}),
        ('truncated percent-encoding %4 in an API query', ('GET', '/api/v1/articles?page=1%4'), 400, 'problem', {}),
        ('bad percent-encoding %zz in a path', ('GET', '/articles/%zz'), 400, 'any', {}),
        ('%00 in an article query', ('GET', A + '?audience=patient%00'), 400, 'html', {}),
        ('%00 in an API query', ('GET', '/api/v1/articles?page=1%00'), 400, 'problem', {}),
        ('%00 in a path', ('GET', '/articles/1%00'), 400, 'any', {}),
        ('invalid UTF-8 %ff%fe in an article query', ('GET', A + '?audience=%ff%fe'), 400, 'html', {}),
        ('invalid UTF-8 %ff%fe in an API query', ('GET', '/api/v1/articles?page=%ff%fe'), 400, 'problem', {}),
        ('invalid UTF-8 %ff%fe in an article path', ('GET', '/articles/1/%ff%fe'), 400, 'html', {}),
        ('invalid UTF-8 %ff%fe in an API path', ('GET', '/api/v1/articles/%ff%fe'), 400, 'problem', {}),
        ('overlong UTF-8 %c0%af in an article query', ('GET', A + '?audience=%c0%af'), 400, 'html', {}),

        ('unknown query parameter ?foo=1 on an article', ('GET', A + '?foo=1'), 400, 'html', {'names': 'foo'}),
        ('repeated ?audience=patient&audience=nurse', ('GET', A + '?audience=patient&audience=nurse'), 400,
         'html', {'names': 'audience'}),
        ('empty ?audience=', ('GET', A + '?audience='), 400, 'html', {}),
        ('?audience without a value', ('GET', A + '?audience'), 400, 'html', {}),
        ('unknown query parameter on the home page', ('GET', '/?foo=1'), 400, 'html', {'names': 'foo'}),
        ('unknown query parameter on the editorial policy', ('GET', '/editorial-policy?foo=1'), 400, 'html',
         {'names': 'foo'}),
        ('unknown query parameter on an API article', ('GET', '/api/v1/articles/1?foo=1'), 400, 'problem',
         {'names': 'foo'}),
        ('unknown query parameter ?foo=1 on the API list', ('GET', '/api/v1/articles?foo=1'), 400, 'problem',
         {'names': 'foo'}),
        ('repeated ?page=1&page=2 on the API list', ('GET', '/api/v1/articles?page=1&page=2'), 400, 'problem',
         {'names': 'page'}),
        ('?page=1e3', ('GET', '/api/v1/articles?page=1e3'), 400, 'problem', {'field': 'page'}),
        ('?page=0x10', ('GET', '/api/v1/articles?page=0x10'), 400, 'problem', {'field': 'page'}),
        ('?page=1.5', ('GET', '/api/v1/articles?page=1.5'), 400, 'problem', {'field': 'page'}),
        ('?per_page=-1', ('GET', '/api/v1/articles?per_page=-1'), 400, 'problem', {'field': 'per_page'}),
        ('?page=99999999999999999999', ('GET', '/api/v1/articles?page=99999999999999999999'), 400, 'problem',
         {'field': 'page'}),

        ('path traversal /static/../sql/schema.sql', ('GET', '/static/../sql/schema.sql'), None, 'any',
         {'not_in': 'CREATE TABLE'}),
        ('path traversal /static/%2e%2e/sql/schema.sql', ('GET', '/static/%2e%2e/sql/schema.sql'), None, 'any',
         {'not_in': 'CREATE TABLE'}),
        ('page template /static/templates/article.html', ('GET', '/static/templates/article.html'), None, 'any',
         {}),
        ('path traversal /articles/..%2f..%2fetc%2fpasswd', ('GET', '/articles/..%2f..%2fetc%2fpasswd'), None,
         'any', {'not_in': 'root:'}),
        ('path traversal /static/..%2f..%2f..%2fetc%2fpasswd', ('GET', '/static/..%2f..%2f..%2fetc%2fpasswd'),
         None, 'any', {'not_in': 'root:'}),

        ('markup in an unknown parameter name', ('GET', A + '?<b>x</b>=1'), 400, 'html',
         {'names': '&lt;b&gt;x&lt;/b&gt;', 'not_in': '<b>x</b>',
          'desc': 'GET %s?<b>x</b>=1 answers 400 text/html naming the parameter escaped' % A}),
        ('markup in an unknown path is not echoed', ('GET', '/no-such-page/<script>alert(1)</script>'), 404,
         'html', {'not_in': '<script>alert(1)'}),
        ('quote and markup in an API parameter name', ('GET', '/api/v1/articles?%3Cfoo%22%3E=1'), 400,
         'problem', {'field': '<foo">'}),

        ('non-numeric article id /articles/abc', ('GET', '/articles/abc'), 404, 'html', {}),
        ('article id with trailing junk /articles/1x', ('GET', '/articles/1x'), 404, 'html', {}),
        ('non-numeric API id /api/v1/articles/1x', ('GET', '/api/v1/articles/1x'), 404, 'problem', {}),
        ('negative API id /api/v1/articles/-1', ('GET', '/api/v1/articles/-1'), 404, 'problem', {}),
        ('overflowing API id', ('GET', '/api/v1/articles/99999999999999999999'), 404, 'problem', {}),
        ('unknown API path /api/v1/nope', ('GET', '/api/v1/nope'), 404, 'problem', {}),

        ('POST /articles/1', ('POST', '/articles/1'), 405, 'html', {'allow': 'GET'}),
        ('POST to the article page', ('POST', A), 405, 'html', {'allow': 'GET'}),
        ('DELETE /api/v1/articles', ('DELETE', '/api/v1/articles'), 405, 'problem', {'allow': 'GET'}),
        ('POST /editorial-policy', ('POST', '/editorial-policy'), 405, 'html', {'allow': 'GET'}),
        ('POST /', ('POST', '/'), 405, 'html', {'allow': 'GET'}),
        ('a 100 KB POST body to /questions', raw_post('/questions', BIG_BODY), 413, 'html', {}),
        ('a 100 KB POST body to the API', raw_post('/api/v1/articles', BIG_BODY), 413, 'problem', {}),

        ('malformed request line', b'GARBAGE\r\n\r\n', 400, 'any', {}),
        ('request line with a control character', b'GET /\x01 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
         400, 'any', {}),
        ('HTTP/1.1 request without Host', b'GET / HTTP/1.1\r\nConnection: close\r\n\r\n', 400, 'any', {}),
        ('non-numeric Content-Length', b'POST /questions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n'
         b'Connection: close\r\n\r\n', 400, 'any', {}),
    ]


def check_entry(tap, srv, label, req, want, kind, extra):
    r, err = None, 'no reply'
    if isinstance(req, bytes):
        what = label
    else:
        method, path = req
        what = '%s %s' % (method, label if len(path) > 120 else path)
    try:
        if isinstance(req, bytes):
            r = srv.raw(req)
        else:
            r = srv.request(method, path, body=b'' if method in ('POST', 'PUT') else None)
    except Exception as e:  # a reset or a timeout fails this row, not the whole file
        err = '%s: %s' % (type(e).__name__, e)
    if r is None:
        tap.ok(False, '%s answers %s' % (what, want or '4xx'), err)
        return
    problems = []
    if want is not None and r.status != want:
        problems.append('status %s, expected %s' % (r.status, want))
    if not 400 <= r.status < 500:
        problems.append('status %s is not a 4xx' % r.status)
    if not r.body.strip():
        problems.append('empty body: no message for the client')
    if kind == 'problem':
        good, diag = is_problem(r, r.status)
        if not good:
            problems.append(diag.splitlines()[0])
        elif 'field' in extra:
            errors = r.json().get('errors')
            if not (isinstance(errors, list) and any(isinstance(e, dict) and e.get('field') == extra['field']
                                                     for e in errors)):
                problems.append('no errors entry with field %r' % extra['field'])
    elif kind == 'html' and r.content_type != 'text/html':
        problems.append('Content-Type %r, expected text/html' % r.headers.get('content-type'))
    if 'names' in extra and extra['names'] not in r.text:
        problems.append('the message does not name %r' % extra['names'])
    if 'not_in' in extra and extra['not_in'] in r.text:
        problems.append('the reply contains %r' % extra['not_in'])
    if 'allow' in extra:
        allow = {m.strip().upper() for m in r.headers.get('allow', '').split(',')}
        if extra['allow'] not in allow:
            problems.append('Allow header %r does not list %s' % (r.headers.get('allow'), extra['allow']))
    if 'desc' in extra:
        tap.ok(not problems, extra['desc'], '\n'.join(problems) + '\n' + r.summary(400))
        return
    desc = '%s answers %s' % (what, want or '4xx')
    desc += {'problem': ' problem+json', 'html': ' text/html', 'any': ''}[kind]
    if 'names' in extra:
        desc += ' naming %s' % extra['names']
    if 'field' in extra:
        desc += ' with an errors entry for %s' % extra['field']
    if 'allow' in extra:
        desc += ' with Allow'
    tap.ok(not problems, desc, '\n'.join(problems) + '\n' + r.summary(400))


def main(tap):
    with Server(tap) as srv:
        loc = srv.get('/articles/1').headers.get('location', '')
        article = urlsplit(loc).path
        if not re.fullmatch(r'/articles/1/[a-z0-9-]+', article):
            tap.ok(False, 'GET /articles/1 redirects to the canonical article URL', 'Location: %r' % loc)
            article = '/articles/1/x'
        for label, req, want, kind, extra in table(article):
            check_entry(tap, srv, label, req, want, kind, extra)

        tap.ok(srv.evqa.poll() is None, 'evqa is still running after the bad requests',
               'exit status %r' % srv.evqa.poll())
        r = srv.get('/healthz')
        tap.ok(r.status == 200, 'GET /healthz still answers 200', r.summary())
        r = srv.get(article)
        tap.ok(r.status == 200 and b'id="question"' in r.body, 'the article page still answers 200', r.summary(300))
        r = srv.get('/api/v1/articles')
        tap.eq(r.status, 200, 'the API still answers 200')

        paths = [article, '/api/v1/articles/2', '/', '/healthz'] * 32
        with concurrent.futures.ThreadPoolExecutor(32) as pool:
            statuses = list(pool.map(lambda p: srv.get(p).status, paths))
        bad = sorted({(p, st) for p, st in zip(paths, statuses) if st != 200})
        tap.ok(not bad, '%d requests, 32 at a time (8 per worker thread), all answer 200' % len(paths),
               'not 200: %r' % bad)


if __name__ == '__main__':
    run(main)
