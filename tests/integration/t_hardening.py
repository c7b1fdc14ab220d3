#!/usr/bin/env python3
# t_hardening.py: hostile input from an author account and raw bytes on the FastCGI socket do not
# take the server down: each case answers with a 4xx (or is dropped) and the next request is served.

import os
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (FCGI_BEGIN_REQUEST, FCGI_PARAMS, FCGI_RESPONDER, FCGI_STDIN, Reply, Server,  # noqa: E402
                     fcgi_pairs, fcgi_params, fcgi_read_reply, fcgi_record, fcgi_request_bytes, run)
from editor_client import Browser, add_token, add_user  # noqa: E402
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


def begin(req_id=1, role=FCGI_RESPONDER, flags=0):
    return fcgi_record(FCGI_BEGIN_REQUEST, req_id, struct.pack('!HB5x', role, flags))


def connect(srv):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(srv.sock)
    return s


def send_raw(srv, data):
    """Sends data on a new connection; returns what came back (FcgiReply) once evqa closes it."""
    s = connect(srv)
    try:
        try:
            s.sendall(data)
        except OSError:
            pass
        return fcgi_read_reply(s)
    finally:
        s.close()


def test_raw_records(tap, srv):
    """Row 2: record lengths are checked before libfcgi allocates what they announce."""
    huge = b'\xff\xff\xff\xf0\x80\x00\x00\x10' + b'A' * 64
    cases = [
        ('a params record announcing name and value lengths 0xfffffff0 / 0x80000010',
         begin() + fcgi_record(FCGI_PARAMS, 1, huge) + fcgi_record(FCGI_PARAMS, 1)),
        ('a name length 0x7fffffff with nothing after it',
         begin() + fcgi_record(FCGI_PARAMS, 1, b'\xff\xff\xff\xff\x01') + fcgi_record(FCGI_PARAMS, 1)),
        ('a value longer than the records carrying it',
         begin() + fcgi_record(FCGI_PARAMS, 1, b'\x04\x7fNAMEvalue') + fcgi_record(FCGI_PARAMS, 1)),
        ('70 KB of parameters',
         begin() + b''.join(fcgi_record(FCGI_PARAMS, 1, fcgi_pairs({'X_%d' % i: 'v' * 7000})) for i in range(10))
         + fcgi_record(FCGI_PARAMS, 1)),
        ('a connection opening with FCGI_STDIN', fcgi_record(FCGI_STDIN, 1, b'x') + begin()),
        ('FastCGI version 2', b'\x02' + begin()[1:]),
        ('the authorizer role', begin(role=2) + fcgi_record(FCGI_PARAMS, 1)),
        ('params of another request id', begin() + fcgi_record(FCGI_PARAMS, 2, b'\x01\x01ab')),
    ]
    for name, data in cases:
        r = send_raw(srv, data)
        tap.ok(r.stdout == b'' and srv.evqa.poll() is None, '%s: the connection is closed unanswered and '
               'evqa goes on' % name, repr(r))
        tap.ok(alive(srv), 'the next request is served')
    # a well-formed request split into many small writes still works
    s = connect(srv)
    try:
        data = fcgi_request_bytes('GET', '/healthz')
        for i in range(0, len(data), 64):
            s.sendall(data[i:i + 64])
            time.sleep(0.002)
        r = fcgi_read_reply(s)
    finally:
        s.close()
    tap.ok(r.complete and r.http().status == 200, 'a request sent 64 bytes at a time is answered', repr(r))
    # FCGI_KEEP_CONN: answered, then closed (the next opening on it would go unchecked)
    params = fcgi_pairs(fcgi_params('GET', '/healthz'))
    s = connect(srv)
    try:
        s.sendall(begin(flags=1) + fcgi_record(FCGI_PARAMS, 1, params) + fcgi_record(FCGI_PARAMS, 1)
                  + fcgi_record(FCGI_STDIN, 1))
        r = fcgi_read_reply(s)
        s.sendall(begin(req_id=2) + fcgi_record(FCGI_PARAMS, 2, b'\xff\xff\xff\xf0\x80\x00\x00\x10')
                  + fcgi_record(FCGI_PARAMS, 2))
        r2 = fcgi_read_reply(s, req_id=2)
    except OSError:
        r2 = None
    finally:
        s.close()
    tap.ok(r.complete and r.http().status == 200 and (r2 is None or r2.stdout == b'') and srv.evqa.poll() is None,
           'a keep-alive connection is answered once and closed; a second request on it is not read', repr(r2))


def test_stalled_clients(tap, srv, threads):
    """Row 3: clients that stall hold no worker, or lose it within the deadline."""
    stalled = []
    for _ in range(threads * 2):
        s = connect(srv)
        s.sendall(b'\x01\x01\x00')
        stalled.append(s)
    body_stall = []
    for _ in range(threads - 1):
        s = connect(srv)
        params = fcgi_pairs(fcgi_params('POST', '/api/v1/questions', b'x' * 100, 'application/json'))
        s.sendall(begin() + fcgi_record(FCGI_PARAMS, 1, params) + fcgi_record(FCGI_PARAMS, 1))
        body_stall.append(s)
    time.sleep(0.3)
    t0 = time.monotonic()
    ok = alive(srv)
    tap.ok(ok and time.monotonic() - t0 < 3, '%d connections that sent 3 bytes and %d that stall in their body: '
           'the site still answers' % (len(stalled), len(body_stall)))
    closed = 0
    for s in stalled + body_stall:
        s.settimeout(max(0.5, t0 + 13 - time.monotonic()))
        try:
            while s.recv(65536):
                pass
            closed += 1
        except ConnectionResetError:    # closed with its bytes unread
            closed += 1
        except OSError:
            pass
        s.close()
    took = time.monotonic() - t0
    tap.ok(closed == len(stalled) + len(body_stall), 'evqa closes every stalled connection within its 10 s deadline '
           '(%d of %d closed in %.1f s)' % (closed, len(stalled) + len(body_stall), took))
    tap.ok(alive(srv), 'and serves on')


def test_socket_access(tap, srv):
    """Rows 3-4: only the owner and the web server's group reach the socket; REMOTE_ADDR and HTTPS are
    believed because nobody else can send them."""
    mode = os.stat(srv.sock).st_mode & 0o777
    tap.ok(mode == 0o660, 'the socket has mode 0660', oct(mode))
    if os.geteuid() != 0:
        tap.skip('another user cannot connect to the socket', 'needs root to become another user')
        return
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(srv.sock)
                code = 1
            except PermissionError:
                code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    tap.ok(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0,
           'a process of another user (nobody) is refused the socket: it cannot forge REMOTE_ADDR or HTTPS',
           'child status %r' % status)


def test_two_person_rule(tap, srv):
    """Row 6: nobody approves a revision whose text they wrote any part of since the last approval."""
    for email, name, role in (('a6@x.org', 'Ann Author', 'author'), ('e6@x.org', 'Ed Editor', 'editor'),
                              ('r6@x.org', 'Rita Reviewer', 'reviewer')):
        add_user(srv, email, name, role)
    author, editor, reviewer = (Api(srv, add_token(srv, e)) for e in ('a6@x.org', 'e6@x.org', 'r6@x.org'))

    def put(api, aid, n, body):
        return api.call('PUT', '/api/v1/articles/%d' % aid, article_doc(body=body),
                        headers={'If-Match': '"rev-%d-%d"' % (aid, n)})

    aid = author.create(article_doc(body='Short courses work [1].'))
    r2 = put(editor, aid, 1, 'Short courses of five days work [1].')
    r3 = put(author, aid, 2, 'Short courses of five days work well [1].')
    tap.ok(aid and r2.status in (200, 201) and r3.status in (200, 201), 'author writes rev 1, the editor rev 2, '
           'the author rev 3', '%s %s' % (r2.summary(), r3.summary()))
    tap.ok(editor.move(aid, 'under_review').status == 200, 'the editor puts rev 3 under review')
    r = editor.move(aid, 'approved')
    tap.ok(r.status == 403 and 'revision 2' in r.text, 'the editor, who wrote rev 2, may not approve rev 3',
           r.summary())
    r = srv.get('/api/v1/articles/%d' % aid)
    tap.ok(r.status == 200 and r.json().get('state') == 'under_review', 'the article stays under review',
           r.summary())
    r = reviewer.move(aid, 'approved')
    tap.ok(r.status == 200, 'a reviewer who wrote none of it approves rev 3', r.summary())
    # after that approval, only what is written since counts: the editor may approve the author's rev 4
    r4 = put(author, aid, 3, 'Short courses of five days work well for most [1].')
    tap.ok(r4.status in (200, 201) and editor.move(aid, 'under_review').status == 200,
           'the author writes rev 4 after the approval; it goes under review')
    r = editor.move(aid, 'approved')
    tap.ok(r.status == 200, 'the editor may approve rev 4: their rev 2 came before the last approval', r.summary())


def test_login_limit_race(tap, srv):
    """Row 7: the login limit is checked and counted in one step, before the password is checked."""
    import json
    import threading
    add_user(srv, 'l7@x.org', 'Lou Login', 'editor')

    def attempts(emails):
        out = []

        def one(email):
            r = srv.request('POST', '/api/v1/session', body=json.dumps({'email': email, 'password': 'wrong'}),
                            headers={'Content-Type': 'application/json'}, timeout=60)
            out.append(r.status)
        ts = [threading.Thread(target=one, args=(e,)) for e in emails]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return out

    got = attempts(['l7@x.org'] * 30)
    tap.ok(got.count(401) == 5 and got.count(429) == 25, '30 concurrent wrong passwords on one account: 5 are '
           'checked (limit 5), 25 answered 429', repr(sorted(got)))
    got = attempts(['nobody%d@x.org' % i for i in range(30)])
    tap.ok(got.count(401) == 15 and got.count(429) == 15, '30 more from the same client: 15 checked (20 in all, '
           'the client limit), 15 answered 429', repr(sorted(got)))


def post_question(srv, text):
    import json
    return srv.request('POST', '/api/v1/questions', body=json.dumps({'question': text}).encode(),
                       headers={'Content-Type': 'application/json'}, timeout=30)


def log_text(srv):
    with open(srv.path('evqa.log'), encoding='utf-8', errors='replace') as f:
        return f.read()


def test_busy_database(tap, srv):
    """Row 8: a writer that waits too long for the lock gets 503 with Retry-After, not 500."""
    import sqlite3
    add_user(srv, 'b8@x.org', 'Bea Busy', 'author')
    api = Api(srv, add_token(srv, 'b8@x.org'))
    editor = Browser(srv)
    editor.login('b8@x.org')
    con = sqlite3.connect(srv.db, timeout=2, isolation_level=None)
    try:
        con.execute('BEGIN EXCLUSIVE')
        t1 = time.monotonic()
        page = editor.get('/editor')
        page_took = time.monotonic() - t1
        t0 = time.monotonic()
        r = api.call('POST', '/api/v1/articles', article_doc(question='Is this saved while the lock is held?'))
        took = time.monotonic() - t0
        q = post_question(srv, 'Does a question wait for a long write lock to clear?')
    finally:
        con.execute('ROLLBACK')
        con.close()
    tap.ok(r.status == 503 and r.headers.get('retry-after') == '5' and 'application/problem+json' in
           r.headers.get('content-type', ''), 'saving an article while another process holds the write lock: '
           '503 problem+json with Retry-After: 5', r.summary())
    tap.ok(4.5 < took < 8, 'after waiting about 5 s (%.1f s)' % took)
    tap.ok(page.status == 200 and page_took < 2, 'meanwhile a logged-in editor reads the dashboard without '
           'waiting for the lock (%.1f s)' % page_took, page.summary())
    tap.ok(q.status == 503 and q.headers.get('retry-after') == '5', 'a question posted meanwhile: 503 with '
           'Retry-After', q.summary())
    tap.ok('answered 503' in log_text(srv) and 'lock' in log_text(srv), 'the log says why')
    r = api.call('POST', '/api/v1/articles', article_doc(question='Is this saved once the lock is gone?'))
    tap.ok(r.status == 201, 'once the lock is released, saving works', r.summary())


def as_nobody():
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)


def test_readonly_database(tap):
    """Row 9: a database evqa can only read is reported by /healthz; changes answer 503, not 400 or 500."""
    if os.geteuid() != 0:
        tap.skip('a read-only database', 'needs root to run evqa as another user (root writes any file)')
        return
    tokens = {}

    def prepare(srv):
        add_user(srv, 'ro@x.org', 'Rob Readonly', 'author')
        tokens['t'] = add_token(srv, 'ro@x.org')
        for name in os.listdir(srv.dir):
            os.chown(srv.path(name), 65534, 65534)
        os.chown(srv.dir, 65534, 65534)
        os.chmod(srv.dir, 0o755)
        os.chmod(srv.db, 0o444)

    with Server(tap, threads=2, before_serve=prepare, preexec=as_nobody, ready_status=(503,)) as srv:
        r = srv.get('/healthz')
        tap.ok(r.status == 503 and 'read' in r.text, '/healthz: 503, the database cannot be written', r.summary())
        tap.ok('can be read but not written' in log_text(srv), 'evqa says so in its log at start')
        r = srv.get('/')
        tap.ok(r.status == 200, 'pages are still served', r.summary())
        r = Api(srv, tokens['t']).call('POST', '/api/v1/articles', article_doc())
        tap.ok(r.status == 503 and 'read-only' in r.text and r.headers.get('retry-after'),
               'saving an article: 503 "read-only" with Retry-After (not 400 blaming texts)', r.summary())
        q = post_question(srv, 'Can a question be asked when nothing can be saved?')
        tap.ok(q.status == 503 and q.headers.get('retry-after'), 'posting a question: 503 with Retry-After',
               q.summary())


def test_file_size_limit(tap):
    """Row 10: over a file size limit, writes answer 503 and evqa goes on (no SIGXFSZ death)."""
    import resource
    limit = {}

    def prepare(srv):
        add_user(srv, 'fs@x.org', 'Fay Size', 'author')
        limit['token'] = add_token(srv, 'fs@x.org')
        limit['n'] = os.path.getsize(srv.db) + 40000

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit['n'], limit['n']))

    with Server(tap, threads=2, before_serve=prepare, preexec=small_files) as srv:
        api = Api(srv, limit['token'])
        statuses = []
        for i in range(80):
            body = ' '.join('word%d' % k for k in range(i * 50, i * 50 + 1500)) + ' [1].'
            r = api.call('POST', '/api/v1/articles', article_doc(question='Question number %d here?' % i,
                                                                 body=body))
            statuses.append(r.status)
            if r.status != 201:
                break
        tap.ok(statuses[-1] == 503 and srv.evqa.poll() is None, 'saving until the file size limit is reached: '
               'the first failure is a 503 and evqa still runs', repr(statuses[-3:]))
        tap.ok(r.headers.get('retry-after') and ('storage' in r.text or 'disk' in r.text),
               'with Retry-After and a reason (after %d articles saved)' % (len(statuses) - 1), r.summary())
        h = srv.get('/healthz')
        tap.ok(h.status == 503 and 'failed' in h.text, '/healthz reports the failed write', h.summary())
        tap.ok(srv.get('/').status == 200, 'pages are still served')


def test_search_snapshot(tap, srv):
    """Row 5: a search and its per-hit lookups read one snapshot while approvals replace sections."""
    import threading
    import urllib.parse
    add_user(srv, 'w5@x.org', 'Wes Writer', 'author')
    add_user(srv, 'v5@x.org', 'Val Reviewer', 'reviewer')
    writer, reviewer = Api(srv, add_token(srv, 'w5@x.org')), Api(srv, add_token(srv, 'v5@x.org'))
    body = '## Dosing\n\nCellulitis antibiotics for five days [1].\n\n## Duration\n\nShorter cellulitis courses [1].\n'
    aids = [writer.create(article_doc(question='Cellulitis antibiotics, case %d?' % i, body=body)) for i in range(3)]
    stop = time.monotonic() + 8
    errors, counts = [], {'search': 0, 'approve': 0}

    def churn():
        n = {a: 1 for a in aids}
        while time.monotonic() < stop:
            for a in aids:
                reviewer.move(a, 'under_review')
                if reviewer.move(a, 'approved').status == 200:
                    counts['approve'] += 1
                r = writer.call('PUT', '/api/v1/articles/%d' % a, article_doc(
                    question='Cellulitis antibiotics, case %d?' % a, body=body + '\nRevision %d.\n' % n[a]),
                    headers={'If-Match': '"rev-%d-%d"' % (a, n[a])})
                if r.status in (200, 201):
                    n[a] += 1

    def search():
        while time.monotonic() < stop:
            for q in ('cellulitis antibiotics', 'shorter courses', 'five days dosing'):
                for path in ('/search?q=', '/api/v1/search?q='):
                    r = srv.get(path + urllib.parse.quote(q), timeout=30)
                    counts['search'] += 1
                    if r.status >= 500:
                        errors.append('%s %s' % (path + q, r.summary(200)))

    ts = [threading.Thread(target=churn)] + [threading.Thread(target=search) for _ in range(3)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    tap.ok(not errors and counts['approve'] > 5, 'searches while approvals replace the sections they find: no 5xx '
           '(%d searches, %d approvals, %d failed)' % (counts['search'], counts['approve'], len(errors)),
           '\n'.join(errors[:5]))


def fcgi_get(srv, uri, extra):
    """A FastCGI GET with nginx's params plus extra ones (HTTPS, HTTP_COOKIE); returns a Reply."""
    params = fcgi_params('GET', uri)
    params.update(extra)
    s = connect(srv)
    try:
        s.sendall(begin() + fcgi_record(FCGI_PARAMS, 1, fcgi_pairs(params)) + fcgi_record(FCGI_PARAMS, 1)
                  + fcgi_record(FCGI_STDIN, 1))
        return fcgi_read_reply(s).http()
    finally:
        s.close()


def test_session_cookies(tap, srv):
    """Rows 11 and 14: behind TLS only __Host-evqa_session counts; a long Cookie header loses nothing."""
    add_user(srv, 'c11@x.org', 'Cy Cookie', 'editor')
    b = Browser(srv)
    b.login('c11@x.org')
    token = b.cookies.get('evqa_session')
    tap.ok(token and len(token) == 64, 'logged in over plain HTTP (evqa_session)')
    other = 'ab' * 32
    tls = {'HTTPS': 'on', 'REQUEST_SCHEME': 'https'}
    r = fcgi_get(srv, '/editor', dict(tls, HTTP_COOKIE='evqa_session=' + token))
    tap.ok(r.status == 303, 'behind TLS a plain evqa_session cookie is ignored (303 to the login page)', r.summary())
    r = fcgi_get(srv, '/editor', dict(tls, HTTP_COOKIE='__Host-evqa_session=%s; evqa_session=%s' % (token, other)))
    tap.ok(r.status == 200, 'behind TLS __Host-evqa_session counts, and a plain one after it does not override it',
           r.summary())
    r = fcgi_get(srv, '/editor', {'HTTP_COOKIE': '__Host-evqa_session=' + token})
    tap.ok(r.status == 303, 'over plain HTTP a __Host- session cookie is not used', r.summary())
    params = fcgi_params('DELETE', '/api/v1/session')
    # as a browser sends it: same-origin (a session request with neither that nor an Origin is refused)
    params.update(tls, HTTP_COOKIE='__Host-evqa_session=%s; evqa_csrf=%s' % (token, b.csrf),
                  HTTP_X_CSRF_TOKEN=b.csrf, HTTP_SEC_FETCH_SITE='same-origin')
    s = connect(srv)
    try:
        s.sendall(begin() + fcgi_record(FCGI_PARAMS, 1, fcgi_pairs(params)) + fcgi_record(FCGI_PARAMS, 1)
                  + fcgi_record(FCGI_STDIN, 1))
        r = fcgi_read_reply(s).http()
    finally:
        s.close()
    cleared = [v.split('=')[0] for v in r.all('set-cookie') if 'Max-Age=0' in v]
    tap.ok(r.status == 204 and '__Host-evqa_session' in cleared and 'evqa_session' in cleared,
           'logout behind TLS clears both session cookies', repr(r.all('set-cookie')))
    b = Browser(srv)
    b.login('c11@x.org')
    r = srv.get('/editor', headers={'Cookie': 'extra=%s; %s' % ('x' * 4100, b.headers()['Cookie'])})
    tap.ok(r.status == 200, 'a Cookie header with a 4,100-byte cookie of another site: still logged in',
           r.summary())


def evqa_cli(*args, stdin=''):
    import subprocess
    from harness import evqa_bin
    return subprocess.run([evqa_bin()] + list(args), input=stdin, text=True, capture_output=True, timeout=30)


def test_tokens(tap, srv):
    """Row 12: API tokens expire, can be listed and revoked, and go with a password change."""
    import sqlite3
    add_user(srv, 't12@x.org', 'Tia Token', 'editor')
    t1, t2, t3 = (add_token(srv, 't12@x.org') for _ in range(3))

    def works(t):
        return Api(srv, t).call('GET', '/api/v1/articles/1/revisions').status == 200
    tap.ok(works(t1) and works(t2) and works(t3), 'three new tokens work')
    p = evqa_cli('token', 'list', '--db', srv.db, '--email', 't12@x.org')
    ids = [line.split()[0] for line in p.stdout.splitlines()[1:]]
    tap.ok(p.returncode == 0 and len(ids) == 3 and all(t1 not in line for line in p.stdout.splitlines()),
           'evqa token list shows the three (ids, dates; never the token)', p.stdout)
    p = evqa_cli('token', 'revoke', '--db', srv.db, '--id', ids[0])
    tap.ok(p.returncode == 0 and not works(t1) and works(t2), 'evqa token revoke --id ends that token only',
           p.stdout + p.stderr)
    with sqlite3.connect(srv.db) as c:
        c.execute("UPDATE api_token SET expires_at = '2020-01-01T00:00:00Z' WHERE rowid = ?", (int(ids[1]),))
    r = Api(srv, t2).call('GET', '/api/v1/articles/1/revisions')
    tap.ok(r.status == 401 and 'expired' in r.text, 'an expired token answers 401 and says it may have expired',
           r.summary())
    p = evqa_cli('token', 'list', '--db', srv.db)
    tap.ok('expired' in p.stdout, 'evqa token list marks it expired', p.stdout)
    p = evqa_cli('user', 'passwd', '--db', srv.db, '--email', 't12@x.org', stdin='a brand new password\n')
    tap.ok(p.returncode == 0 and not works(t3), 'after evqa user passwd the old token answers 401',
           p.stdout + p.stderr)
    p = evqa_cli('token', 'revoke', '--db', srv.db, '--id', '999999')
    tap.ok(p.returncode == 2 and 'no API token' in p.stderr, 'revoking a token that does not exist exits 2',
           p.stderr)
    p = evqa_cli('token', 'add', '--db', srv.db, '--email', 't12@x.org', '--days', '0')
    tap.ok(p.returncode == 2 and '--days' in p.stderr, 'token add --days 0 exits 2 naming --days', p.stderr)


def test_question_history_kept(tap, srv):
    """Row 16: question history rows cannot be deleted while their question exists."""
    import sqlite3
    q = post_question(srv, 'Can the history of this question be erased?')
    tap.ok(q.status in (200, 201, 303), 'a question is asked', q.summary())
    with sqlite3.connect(srv.db) as c:
        qid = c.execute('SELECT max(id) FROM question').fetchone()[0]
        c.execute("INSERT INTO question_history(question_id, action, from_state, to_state, at) "
                  "VALUES (?, 'dismiss', 'queued', 'dismissed', '2026-01-01T00:00:00Z')", (qid,))
    refused = False
    try:
        with sqlite3.connect(srv.db) as c:
            c.execute('DELETE FROM question_history WHERE question_id = ?', (qid,))
    except sqlite3.DatabaseError as e:
        refused = 'cannot be removed' in str(e)
    tap.ok(refused, 'DELETE FROM question_history is refused')
    with sqlite3.connect(srv.db) as c:
        c.execute('PRAGMA foreign_keys = ON')
        c.execute('DELETE FROM question WHERE id = ?', (qid,))
        left = c.execute('SELECT count(*) FROM question_history WHERE question_id = ?', (qid,)).fetchone()[0]
    tap.ok(left == 0, 'the rows still go with their question')


def test_import_audited(tap, srv):
    """Row 16: every imported revision has its audit row."""
    import sqlite3
    from harness import top_srcdir
    fixture = os.path.join(top_srcdir(), 'tests', 'fixtures', 'medquad-small.jsonl')
    p = evqa_cli('import', '--db', srv.db, fixture)
    with sqlite3.connect(srv.db) as c:
        missing = c.execute('SELECT count(*) FROM revision r WHERE NOT EXISTS '
                            '(SELECT 1 FROM audit a WHERE a.revision_id = r.id)').fetchone()[0]
        rows = c.execute("SELECT count(*) FROM audit WHERE actor_id IS NULL AND reason LIKE 'imported from %'"
                         ).fetchone()[0]
    tap.ok(p.returncode == 0 and rows > 0 and missing == 0, 'evqa import writes an audit row per revision it '
           'saves (%d rows; %d revisions without one)' % (rows, missing), p.stderr[-500:])


def test_wal_bounded(tap, srv):
    """Row 16: a large import while serving does not leave a WAL of its size behind."""
    import json
    path = srv.path('big.jsonl')
    with open(path, 'w', encoding='utf-8') as f:
        for i in range(220):
            secs = [{'id': 'W%d_S%d' % (i, k), 'heading': 'What is wal topic %d part %d?' % (i, k),
                     'qtype': 'information', 'text': ('Wal topic %d sentence about things. ' % i) * 200}
                    for k in range(3)]
            f.write(json.dumps({'id': 'WAL_%04d' % i, 'title': 'Wal topic %d' % i, 'source': 'TEST',
                                'collection': 'fixture', 'url': 'https://example.org/w%d' % i,
                                'focus': 'Wal topic %d' % i, 'synonyms': [], 'cuis': [], 'semantic_types': [],
                                'semantic_group': 'Disorders', 'category': None, 'sections': secs}) + '\n')
    p = evqa_cli('import', '--db', srv.db, path)
    post_question(srv, 'Is the write-ahead log cut back after a big import?')
    wal = os.path.getsize(srv.db + '-wal') if os.path.exists(srv.db + '-wal') else 0
    db = os.path.getsize(srv.db)
    tap.ok(p.returncode == 0 and db > 20e6 and wal <= 16 * 1024 * 1024 + 4e6, 'after importing %.0f MB while '
           'serving, the WAL is %.1f MB (at most about 16 MB)' % (db / 1e6, wal / 1e6), p.stderr[-300:])


def test_nginx_edges(tap, srv):
    """Row 16: nginx's directory redirect names no host and is not cached; its 429s are not logged
    one line each."""
    r = srv.get('/static/css', headers={'Host': 'evil.example'})
    loc = r.headers.get('location', '')
    tap.ok(r.status == 301 and 'evil.example' not in loc and loc.startswith('/static/css/'),
           'the redirect of /static/css takes no host from the Host header', r.summary())
    tap.ok('max-age' not in r.headers.get('cache-control', '') and 'expires' not in r.headers,
           'and is not cached', r.summary())
    r = srv.get('/static/css/evqa.css')
    tap.ok(r.status == 200 and 'max-age=604800' in r.headers.get('cache-control', ''),
           'static files still keep their week', r.summary())
    got = [post_question(srv, 'Flood question number %d about nothing?' % i).status for i in range(40)]
    with open(srv.path('nginx-error.log'), encoding='utf-8', errors='replace') as f:
        lines = [ln for ln in f if 'limiting requests' in ln]
    tap.ok(got.count(429) > 20 and not lines, '40 quick questions: %d answered 429 and no error-log line for '
           'them (%d)' % (got.count(429), len(lines)))


def post_question_fcgi(srv, text, extra=None):
    """POST /api/v1/questions straight to evqa (past nginx's rate limit), with the FastCGI parameters
    in extra added; returns a Reply."""
    import json
    body = json.dumps({'question': text}).encode()
    params = fcgi_params('POST', '/api/v1/questions', body)
    params['CONTENT_TYPE'] = 'application/json'
    params['CONTENT_LENGTH'] = str(len(body))
    params.update(extra or {})
    s = connect(srv)
    try:
        s.sendall(begin() + fcgi_record(FCGI_PARAMS, 1, fcgi_pairs(params)) + fcgi_record(FCGI_PARAMS, 1)
                  + fcgi_record(FCGI_STDIN, 1, body) + fcgi_record(FCGI_STDIN, 1))
        reply = fcgi_read_reply(s)
    finally:
        s.close()
    return reply.http() if reply.complete else Reply(599, {}, b'incomplete FastCGI reply: %r' % reply)


def test_alloc_failures(tap, srv):
    """The allocation-failure hook: whichever allocation of a request fails, the answer is a clean
    500 (or the request gets by without it) and evqa goes on."""
    import json
    import signal
    paths = ['/', '/articles/1/acupuncture-chronic-pain', '/api/v1/articles/1', '/search?q=pain+exercise',
             '/api/v1/search?q=acupuncture']
    bad, seen = [], set()
    srv.faults_injected = True
    try:
        for n in list(range(1, 41)) + [50, 70, 100, 150, 250]:
            os.environ['EVQA_ALLOC_FAIL'] = str(n)
            srv.restart_evqa(signal.SIGTERM)
            replies = []
            for p in paths:
                try:
                    replies.append(srv.get(p, timeout=10))
                except OSError as e:
                    replies.append(Reply(599, {}, repr(e).encode()))
            try:
                replies.append(post_question_fcgi(srv, 'Does allocation failure number %d lose this question?' % n))
            except OSError as e:
                replies.append(Reply(599, {}, repr(e).encode()))
            for p, r in zip(paths + ['POST /api/v1/questions'], replies):
                seen.add(r.status)
                if r.status not in (200, 201, 301, 303, 500) or srv.evqa.poll() is not None:
                    bad.append('n=%d %s: %s' % (n, p, r.summary(200)))
    finally:
        os.environ.pop('EVQA_ALLOC_FAIL', None)
        srv.faults_injected = False
    srv.restart_evqa(signal.SIGTERM)
    tap.ok(not bad and 500 in seen, 'the Nth allocation of each request fails (N from 1 to 250): every '
           'answer is whole, a 500 or a success (%s), and evqa goes on' % sorted(seen), '\n'.join(bad[:8]))
    tap.ok(alive(srv), 'without the hook evqa serves again')


def test_clock_not_from_requests(tap, srv):
    """The test clock (EVQA_TEST_CLOCK) is set only by the environment evqa is started in: a request
    naming a clock file, as a FastCGI parameter or as a header, leaves evqa's time alone."""
    import datetime
    clock = srv.path('request-clock')
    with open(clock, 'w', encoding='ascii') as f:
        f.write('%d\n' % (3650 * 86400))
    r = post_question_fcgi(srv, 'Which clock does a question follow when its request names a clock file?',
                           extra={'EVQA_TEST_CLOCK': clock, 'HTTP_EVQA_TEST_CLOCK': clock})
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        at = datetime.datetime.strptime(r.json()['asked_at'], '%Y-%m-%dT%H:%M:%SZ')
        off = abs((at.replace(tzinfo=datetime.timezone.utc) - now).total_seconds())
    except (ValueError, KeyError, TypeError):
        off = None
    tap.ok(r.status in (200, 201) and off is not None and off < 300, 'a request naming EVQA_TEST_CLOCK does '
           'not move the clock: the question is asked now (%s s off)' % off, r.summary())


def main(tap):
    with Server(tap, threads=3) as srv:
        test_deep_markdown(tap, srv)
        test_two_person_rule(tap, srv)
        test_raw_records(tap, srv)
        test_socket_access(tap, srv)
        test_stalled_clients(tap, srv, 3)
        test_busy_database(tap, srv)
        test_search_snapshot(tap, srv)
        test_session_cookies(tap, srv)
        test_tokens(tap, srv)
        test_question_history_kept(tap, srv)
        test_login_limit_race(tap, srv)     # last: it uses up this client's login attempts
    with Server(tap, threads=2, demo=False) as srv:
        test_import_audited(tap, srv)
        test_wal_bounded(tap, srv)
        test_nginx_edges(tap, srv)
    with Server(tap, threads=2) as srv:
        test_alloc_failures(tap, srv)
        test_clock_not_from_requests(tap, srv)
    test_readonly_database(tap)
    test_file_size_limit(tap)


if __name__ == '__main__':
    run(main)
