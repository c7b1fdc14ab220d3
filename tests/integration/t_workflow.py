#!/usr/bin/env python3
# t_workflow.py: the editorial workflow through nginx: accounts made with the CLI, login sessions
# (fixation, logout, idle expiry), the login rate limit, CSRF and Origin checks, open redirects on
# next=, every review state x transition x role with its expected answer, self-approval, the
# append-only audit table, stale saves (409 pages, 412/428 API), the reader page of approved and
# updated articles, and markup in titles, bodies, reasons and names shown escaped everywhere.

import json
import os
import re
import sqlite3
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Server, is_problem, parse_html, run  # noqa: E402
from editor_client import PASSWORD, Browser, add_token, add_user  # noqa: E402

XSS_NAME = '<script>alert("name")</script> Rev'
XSS_CRED = 'MD <i>x</i>'
XSS_Q = 'Does <script>alert("q")</script> help & heal?'
XSS_BODY = 'Text with <script>alert("body")</script> and <b>bold</b> cited [1].'
XSS_REASON = '<img src=x onerror=alert("reason")> needs work'

ROLES = ['owner', 'other_author', 'reviewer', 'editor', 'admin']
STATES = ['submitted', 'under_review', 'approved', 'changes_requested', 'archived']



def fresh(srv, path):
    """A reader's page straight from evqa (a hard reload: Cache-Control: no-cache), not the copy nginx
    may serve for up to 5 s after a change (t_cache.py tests that bound)."""
    return srv.get(path, headers={'Cache-Control': 'no-cache'})

def expected(state, to, role):
    """The review rules, written out independently of the server: 200, 403 (role) or 409 (state)."""
    may = {
        'submitted': {'owner', 'editor', 'admin'},
        'under_review': {'reviewer', 'editor', 'admin'},
        'changes_requested': {'reviewer', 'editor', 'admin'},
        'approved': {'reviewer', 'editor', 'admin'},
        'archived': {'editor', 'admin'},
    }[to]
    if role not in may:
        return 403
    from_ok = {
        'submitted': state == 'changes_requested',
        'under_review': state == 'submitted',
        'changes_requested': state in ('submitted', 'under_review'),
        'approved': state == 'under_review',
        'archived': state != 'archived',
    }[to]
    return 200 if from_ok else 409


def article_doc(question='How long should antibiotics run for cellulitis?', body='Short courses work [1].',
                bottom='Five days is usually enough [1].'):
    return {'question': question,
            'texts': [{'audience': 'clinician', 'bottom_line': bottom, 'body': body}],
            'references': [{'type': 'research', 'title': 'A trial of short courses', 'source': 'Arch Intern Med',
                            'year': 2004, 'pmid': '15249356', 'doi': None, 'url': None}]}


class Api:
    def __init__(self, srv, token):
        self.srv, self.token = srv, token

    def call(self, method, path, doc=None, headers=None):
        h = {'Authorization': 'Bearer %s' % self.token}
        body = None
        if doc is not None:
            body = json.dumps(doc)
            h['Content-Type'] = 'application/json'
        h.update(headers or {})
        return self.srv.request(method, path, body=body, headers=h)

    def create(self, doc=None):
        r = self.call('POST', '/api/v1/articles', doc or article_doc())
        return r.json()['id'] if r.status == 201 else None

    def move(self, aid, to, reason='Please cite the newer trial.'):
        doc = {'to': to}
        if to in ('changes_requested', 'archived'):
            doc['reason'] = reason
        return self.call('POST', '/api/v1/articles/%d/transitions' % aid, doc)


def drive(api_ed, aid, state):
    """Moves a new (submitted) article to state with the editor's token."""
    path = {'submitted': [], 'under_review': ['under_review'], 'approved': ['under_review', 'approved'],
            'changes_requested': ['changes_requested'], 'archived': ['archived']}[state]
    for to in path:
        r = api_ed.move(aid, to)
        if r.status != 200:
            return r
    return None


def main(tap):
    with Server(tap, extra_args=['--review-days', '30']) as srv:
        for email, name, role, cred in (('owner@x.org', 'Olive Owner', 'author', ''),
                                        ('other@x.org', 'Otto Other', 'author', ''),
                                        ('rev@x.org', XSS_NAME, 'reviewer', XSS_CRED),
                                        ('ed@x.org', 'Edna Editor', 'editor', 'MD, MPH'),
                                        ('admin@x.org', 'Ada Admin', 'admin', '')):
            p = add_user(srv, email, name, role, cred)
            tap.ok(p.returncode == 0, 'evqa user add makes the %s account' % role, p.stderr)
        p = add_user(srv, 'owner@x.org', 'Again', 'author')
        tap.ok(p.returncode == 2 and 'exists' in p.stderr, 'a second account with the same e-mail exits 2', p.stderr)
        p = add_user(srv, 'bad@x.org', 'Bad', 'emperor')
        tap.ok(p.returncode == 2 and 'role' in p.stderr, 'an unknown role exits 2 with a message', p.stderr)
        p = add_user(srv, 'short@x.org', 'Short', 'author', password='short')
        tap.ok(p.returncode == 2 and 'password' in p.stderr, 'a short password is refused, exit 2', p.stderr)
        tokens = {role: add_token(srv, email) for role, email in (
            ('owner', 'owner@x.org'), ('other_author', 'other@x.org'), ('reviewer', 'rev@x.org'),
            ('editor', 'ed@x.org'), ('admin', 'admin@x.org'))}
        tap.ok(all(t and re.fullmatch(r'[0-9a-f]{64}', t) for t in tokens.values()),
               'evqa token add prints a 256-bit token once', repr(tokens))
        with sqlite3.connect(srv.db) as c:
            stored = [row[0] for row in c.execute('SELECT token_hash FROM api_token')]
        tap.ok(all(bytes.fromhex(t) not in stored and t.encode() not in stored for t in tokens.values())
               and len(stored) == 5, 'API tokens are stored only as hashes')
        api = {k: Api(srv, v) for k, v in tokens.items()}

        # ---- sessions ----
        b = Browser(srv)
        r = b.login('ed@x.org')
        sc = ' '.join(r.all('set-cookie'))
        tap.ok(r.status == 303 and r.headers.get('location') == '/editor', 'a good login redirects to /editor',
               r.summary())
        tap.ok(re.search(r'evqa_session=[0-9a-f]{64}; Path=/; Max-Age=\d+; HttpOnly; SameSite=Lax', sc) is not None
               and 'Secure' not in sc, 'the session cookie is HttpOnly, SameSite=Lax (no Secure over plain HTTP)', sc)
        with sqlite3.connect(srv.db) as c:
            hashes = [row[0] for row in c.execute('SELECT token_hash FROM session')]
        tap.ok(b.cookies.get('evqa_session') and all(b.cookies['evqa_session'].encode() != h and
               bytes.fromhex(b.cookies['evqa_session']) != h for h in hashes) and len(hashes) == 1,
               'the session token is stored only as a hash')
        r = b.get('/editor')
        tap.ok(r.status == 200 and 'Edna Editor' in r.text, 'the dashboard answers a logged-in editor', r.summary())

        fixed = 'ab' * 32
        fx = Browser(srv)
        fx.cookies['evqa_session'] = fixed
        r = fx.login('owner@x.org')
        tap.ok(r.status == 303 and fx.cookies.get('evqa_session') not in (None, fixed),
               'session fixation: a session cookie set before login is replaced by a new one', repr(fx.cookies))
        attacker = Browser(srv)
        attacker.cookies['evqa_session'] = fixed
        r = attacker.get('/editor')
        tap.ok(r.status == 303 and r.headers.get('location', '').startswith('/editor/login'),
               'session fixation: the planted token does not log anyone in', r.summary())

        lo = Browser(srv)
        lo.login('other@x.org')
        old = dict(lo.cookies)
        r = lo.post('/editor/logout', {})
        tap.ok(r.status == 303 and 'evqa_session' not in lo.cookies, 'logout clears the session cookie', r.summary())
        again = Browser(srv)
        again.cookies.update(old)
        r = again.get('/editor')
        tap.ok(r.status == 303, 'logout: the old session token no longer works', r.summary())

        r = srv.get('/editor')
        tap.ok(r.status == 303 and r.headers.get('location') == '/editor/login?next=%2Feditor',
               'a page without a session redirects to the login with next=', r.summary())
        r = srv.get('/api/v1/articles/1/revisions')
        ok, diag = is_problem(r, 401)
        tap.ok(ok and r.headers.get('www-authenticate') == 'Bearer',
               'an API call without a session or token answers 401 problem+json, WWW-Authenticate: Bearer', diag)
        r = srv.request('GET', '/api/v1/articles/1/revisions', headers={'Authorization': 'Bearer ' + 'cd' * 32})
        tap.ok(r.status == 401, 'an unknown bearer token answers 401', r.summary())

        # ---- open redirects on next= ----
        for nxt, want in (('/editor/articles/1', '/editor/articles/1'), ('//evil.example/', '/editor'),
                          ('/\\evil.example', '/editor'), ('https://evil.example/', '/editor'),
                          ('javascript:alert(1)', '/editor'), ('/editor//x', '/editor'),
                          ('evil.example', '/editor'), ('/\t/evil.example', '/editor')):
            nb = Browser(srv)
            r = nb.login('ed@x.org', next_path=nxt)
            tap.eq(r.headers.get('location'), want, 'login with next=%r redirects to %s' % (nxt, want))
        r = srv.get('/editor/login?next=%2F%2Fevil.example')
        tap.ok(r.status == 200 and 'evil.example' not in r.text, 'the login form drops a non-local next=')

        # ---- CSRF and Origin ----
        aid = api['owner'].create()
        r = b.post('/editor/articles/%d/transitions' % aid, {'to': 'under_review'}, csrf=False)
        tap.ok(r.status == 403, 'a transition form without its token is refused (403)', r.summary())
        r = b.post('/editor/articles/%d/transitions' % aid, {'to': 'under_review', 'csrf': '0' * 32})
        tap.ok(r.status == 403, 'a transition form with another token is refused (403)', r.summary())
        r = b.post('/editor/articles/%d/transitions' % aid, {'to': 'under_review'},
                   headers={'Origin': 'http://evil.example'})
        tap.ok(r.status == 403, 'a transition form from another origin is refused (403)', r.summary())
        r = b.post('/editor/articles/%d/transitions' % aid, {'to': 'under_review'},
                   headers={'Origin': 'http://127.0.0.1:%d' % srv.port})
        tap.ok(r.status == 303, 'the same form with its token from this origin works (303)', r.summary())
        r = b.post('/editor/logout', {}, csrf=False)
        tap.ok(r.status == 403 and b.get('/editor').status == 200, 'logout without the token is refused')

        # ---- API session with X-CSRF-Token ----
        r = srv.request('POST', '/api/v1/session', body=json.dumps({'email': 'ed@x.org', 'password': PASSWORD}),
                        headers={'Content-Type': 'application/json'})
        tap.ok(r.status == 201 and r.json().get('user', {}).get('role') == 'editor' and r.json().get('csrf_token'),
               'POST /api/v1/session logs in and returns the form token', r.summary())
        jb = Browser(srv)
        jb._store(r)
        csrf = r.json().get('csrf_token') if r.status == 201 else ''
        aid2 = api['owner'].create()
        r = srv.request('POST', '/api/v1/articles/%d/transitions' % aid2, body=json.dumps({'to': 'under_review'}),
                        headers=jb.headers({'Content-Type': 'application/json'}))
        tap.ok(r.status == 403, 'an API call with the session cookie but no X-CSRF-Token is refused', r.summary())
        r = srv.request('POST', '/api/v1/articles/%d/transitions' % aid2, body=json.dumps({'to': 'under_review'}),
                        headers=jb.headers({'Content-Type': 'application/json', 'X-CSRF-Token': csrf}))
        tap.ok(r.status == 200 and r.json().get('state') == 'under_review',
               'with X-CSRF-Token the session may move the article', r.summary())
        r = srv.request('DELETE', '/api/v1/session', headers=jb.headers({'X-CSRF-Token': csrf}))
        tap.ok(r.status == 204, 'DELETE /api/v1/session ends the session (204)', r.summary())
        r = srv.request('GET', '/api/v1/articles/%d/history' % aid2, headers=jb.headers())
        tap.ok(r.status == 401, 'after DELETE /api/v1/session the cookie no longer works', r.summary())
        r = srv.request('POST', '/api/v1/session', body=json.dumps({'email': 'ed@x.org', 'password': 'nope'}),
                        headers={'Content-Type': 'application/json'})
        ok, diag = is_problem(r, 401)
        tap.ok(ok, 'a wrong password on POST /api/v1/session answers 401 problem+json', diag)

        # ---- state x action x role ----
        wrong = []
        for state in STATES:
            for to in STATES:
                for role in ROLES:
                    aid = api['owner'].create()
                    bad = drive(api['editor'], aid, state) if aid else None
                    if aid is None or bad is not None:
                        wrong.append('%s: setup failed %r' % (state, bad and bad.summary()))
                        continue
                    r = api[role].move(aid, to)
                    want = expected(state, to, role)
                    if r.status != want:
                        wrong.append('%s -> %s by %s: got %d, expected %d: %s' % (state, to, role, r.status, want,
                                                                                 r.text[:200]))
                    elif want == 200 and r.json().get('state') != to:
                        wrong.append('%s -> %s by %s: state is now %r' % (state, to, role, r.json().get('state')))
                    elif want != 200 and not is_problem(r, want)[0]:
                        wrong.append('%s -> %s by %s: not problem+json' % (state, to, role))
        tap.ok(not wrong, 'every state x transition x role (125 cases) answers as the review rules say',
               '\n'.join(wrong[:30]))

        aid = api['owner'].create()
        r = api['reviewer'].call('POST', '/api/v1/articles/%d/transitions' % aid, {'to': 'changes_requested'})
        ok, _ = is_problem(r, 400)
        tap.ok(ok and any(e.get('field') == 'reason' for e in r.json().get('errors', [])),
               'requesting changes without a reason is a 400 naming the field reason', r.summary())
        r = api['editor'].call('POST', '/api/v1/articles/%d/transitions' % aid, {'to': 'archived', 'reason': ''})
        tap.ok(r.status == 400, 'archiving without a reason is refused (400)', r.summary())
        r = api['reviewer'].call('POST', '/api/v1/articles', article_doc())
        tap.ok(r.status == 403, 'a reviewer may not create articles (403)', r.summary())
        r = api['other_author'].call('PUT', '/api/v1/articles/%d' % aid, article_doc(),
                                     headers={'If-Match': '"rev-%d-1"' % aid})
        tap.ok(r.status == 403, "an author may not edit another author's article (403)", r.summary())

        # ---- self-approval ----
        aid = api['editor'].create()
        api['reviewer'].move(aid, 'under_review')
        r = api['editor'].move(aid, 'approved')
        tap.ok(r.status == 403 and 'someone else' in r.text, 'an editor may not approve a revision they wrote', r.summary())
        r = b.post('/editor/articles/%d/transitions' % aid, {'to': 'approved'})
        tap.ok(r.status == 403, 'nor through the editor form', r.summary())
        page = b.get('/editor/articles/%d' % aid)
        forms = [f for f in parse_html(page.body).find_all('form', cls='transition')
                 if f.find('input', attrs={'name': 'to', 'value': 'approved'}) is not None]
        tap.ok(page.status == 200 and not forms and 'someone else must approve' in page.text,
               'the review page offers its writer no approve button, and says why')
        r = api['reviewer'].move(aid, 'approved')
        tap.ok(r.status == 200, 'another reviewer approves it', r.summary())

        # ---- audit trail ----
        r = api['editor'].call('GET', '/api/v1/articles/%d/history' % aid)
        hist = r.json() if r.status == 200 else []
        tap.eq([(h['from'], h['to']) for h in hist],
               [(None, 'submitted'), ('submitted', 'under_review'), ('under_review', 'approved')],
               'GET /history lists the creation and each transition in order')
        with sqlite3.connect(srv.db) as c:
            n = c.execute('SELECT count(*) FROM audit').fetchone()[0]
            for sql in ("UPDATE audit SET reason = 'rewritten'", 'DELETE FROM audit',
                        'DELETE FROM audit WHERE id = 1', "UPDATE audit SET to_state = 'approved' WHERE id = 2"):
                try:
                    c.execute(sql)
                    refused = False
                except sqlite3.DatabaseError as e:
                    refused = 'audit rows cannot' in str(e)
                tap.ok(refused, 'the database refuses %r on the audit table' % sql)
            tap.eq(c.execute('SELECT count(*) FROM audit').fetchone()[0], n, 'no audit row was changed or lost')

        # ---- reader page: approved by, update in review, overdue ----
        canon = srv.get('/articles/%d' % aid).headers.get('location')
        doc = parse_html(srv.get(canon).body)
        ab = doc.find('p', cls='approved-by')
        tap.ok(ab is not None and ab.text().startswith('Approved by %s, %s on ' % (XSS_NAME, XSS_CRED))
               and ab.find('time') is not None, 'the approved page says "Approved by NAME, CREDENTIAL on DATE"',
               repr(ab and ab.text()))
        tap.ok(not doc.find_all(cls='caution'), 'an approved article shows no caution')
        steps = doc.find('ol', cls='review-steps')
        dates = [t.get('datetime') for t in steps.find_all('time')] if steps is not None else []
        tap.ok(len(dates) == 3 and all(re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', d) for d in dates)
               and dates == sorted(dates) and dates[2] == ab.find('time').get('datetime'),
               'the review steps show when each was reached, the last being the approval', repr(dates))
        r = api['editor'].call('GET', '/api/v1/articles/%d/revisions/1' % aid)
        etag = r.headers.get('etag')
        tap.ok(r.status == 200 and etag == '"rev-%d-1"' % aid and r.json()['texts'][0]['body'],
               'GET /revisions/1 returns the Markdown and the revision ETag', r.summary())
        newer = article_doc(body='Short courses work; a newer trial agrees [1].')
        r = api['editor'].call('PUT', '/api/v1/articles/%d' % aid, newer)
        tap.ok(r.status == 428, 'PUT without If-Match answers 428', r.summary())
        r = api['editor'].call('PUT', '/api/v1/articles/%d' % aid, newer, headers={'If-Match': '"rev-%d-0"' % aid})
        tap.ok(r.status == 412, 'PUT with a stale ETag answers 412', r.summary())
        r = api['editor'].call('PUT', '/api/v1/articles/%d' % aid, newer, headers={'If-Match': etag})
        tap.ok(r.status == 200 and r.json().get('revision') == 2 and r.headers.get('etag') == '"rev-%d-2"' % aid,
               'PUT with the current ETag saves revision 2', r.summary())
        r = api['editor'].call('PUT', '/api/v1/articles/%d' % aid, newer, headers={'If-Match': etag})
        tap.ok(r.status == 412, 'the same PUT again is now stale (412)', r.summary())
        doc = parse_html(fresh(srv, canon).body)
        note = doc.find('p', cls='update-note')
        tap.ok(note is not None and 'in review' in note.text() and 'newer trial' not in doc.text()
               and doc.find('p', cls='approved-by') is not None,
               'readers keep the approved revision, with a note that an update is in review',
               repr(note and note.text()))
        with sqlite3.connect(srv.db) as c:
            c.execute("UPDATE article SET review_by = '2001-01-01T00:00:00Z' WHERE id = ?", (aid,))
        od = parse_html(fresh(srv, canon).body).find('p', cls='overdue-note')
        tap.ok(od is not None and 'overdue' in od.text(), 'an overdue review-by date is flagged on the page')
        dash = b.get('/editor')
        tap.ok('Review overdue' in dash.text, 'and on the dashboard')
        first = api['owner'].create(article_doc(question='A brand new question about sepsis?'))
        c1 = srv.get('/articles/%d' % first).headers.get('location')
        d1 = parse_html(srv.get(c1).body)
        tap.ok(len(d1.find_all(cls='caution')) == 1, 'the first revision of a new article shows the caution')
        api['editor'].move(first, 'archived')
        tap.ok(fresh(srv, c1).status == 404 and srv.get('/api/v1/articles/%d' % first).status == 404,
               'an archived article is no longer shown to readers')
        r = api['editor'].call('PUT', '/api/v1/articles/%d' % first, article_doc(), headers={'If-Match': '*'})
        tap.ok(r.status == 409, 'an archived article can no longer be edited (409)', r.summary())

        # ---- stale saves in the editor form ----
        aid = api['owner'].create()
        ob = Browser(srv)
        ob.login('owner@x.org')
        form = parse_html(ob.get('/editor/articles/%d/edit' % aid).body)
        base = form.find('input', attrs={'name': 'base'}).get('value')
        tap.eq(base, '1', 'the edit form carries the revision it is based on')
        fields = {'base': base, 'question': 'How long should antibiotics run for cellulitis?',
                  'references': 'research | A trial of short courses | Arch Intern Med | 2004 | 15249356 | |',
                  'bottom_clinician': 'Five days [1].', 'body_clinician': 'Mine: five days [1].'}
        r = b.post('/editor/articles/%d/edit' % aid, dict(fields, body_clinician='Theirs: seven days [1].'))
        tap.ok(r.status == 303, 'an editor saves revision 2 first', r.summary())
        r = ob.post('/editor/articles/%d/edit' % aid, fields)
        doc = parse_html(r.body)
        ta = doc.find('textarea', attrs={'name': 'body_clinician'})
        tap.ok(r.status == 409 and ta is not None and ta.text() == 'Mine: five days [1].',
               'saving on top of a newer revision answers 409 and keeps the text', r.summary(300))
        tap.ok(doc.find(cls='conflict') is not None and 'Theirs: seven days' in doc.find(cls='conflict').text()
               and doc.find('input', attrs={'name': 'base'}).get('value') == '2',
               'the 409 page shows what the newer revision changed, and is now based on it')
        note = ' '.join(doc.find(cls='conflict').text().split()) if doc.find(cls='conflict') else ''
        tap.ok('Revision 2 was saved by' in note and 'after revision 1, which you started from' in note
               and 'between revision 1 and revision 2' in note,
               'the 409 notice names the revision the author started from and the newer one', note)
        r = ob.post('/editor/articles/%d/edit' % aid, dict(fields, base='2'))
        tap.ok(r.status == 303, 'saving again on top of revision 2 works', r.summary())
        r = ob.post('/editor/articles/%d/edit' % aid, dict(fields, base='3', body_clinician='Cites [7].'))
        doc = parse_html(r.body)
        errs = [p.text() for p in doc.find_all('p', cls='field-error')]
        nxt = doc.find('textarea', attrs={'name': 'body_clinician'})
        tap.ok(r.status == 400 and any('7' in e for e in errs) and nxt is not None and
               nxt.text() == 'Cites [7].', 'a marker naming no reference is refused beside the body, text kept',
               repr(errs))
        r = ob.post('/editor/articles/%d/edit' % aid, dict(fields, base='3', bottom_patient='Five days.',
                                                         body_patient='Five days of tablets.'))
        errs = [p.text() for p in parse_html(r.body).find_all('p', cls='field-error')]
        tap.ok(r.status == 400 and any('cite' in e for e in errs),
               'a patient wording citing other references than the clinician one is refused', repr(errs))
        r = ob.post('/editor/articles/%d/edit' % aid, dict(fields, base='3', preview='show'))
        pv = parse_html(r.body).find(cls='preview')
        tap.ok(r.status == 200 and pv is not None and pv.find('ol', cls='review-steps') is not None
               and 'Mine: five days' in pv.text(), 'the preview renders the public article markup')
        r = api['owner'].call('GET', '/api/v1/articles/%d/revisions' % aid)
        tap.ok(r.status == 200 and len(r.json()) == 3, 'a preview saves nothing', r.text[:300])
        r = b.get('/editor/articles/%d/diff?rev=3&against=2' % aid)
        d = parse_html(r.body)
        tap.ok(r.status == 200 and d.find('del') is not None and d.find('ins') is not None
               and 'seven' in ' '.join(x.text() for x in d.find_all('del'))
               and 'five' in ' '.join(x.text() for x in d.find_all('ins')),
               'the diff marks removed and added words', r.text[:500])

        # ---- markup shown escaped ----
        doc_x = article_doc(question=XSS_Q, body=XSS_BODY)
        xid = api['other_author'].create(doc_x)
        r = api['reviewer'].move(xid, 'changes_requested', reason=XSS_REASON)
        tap.ok(r.status == 200, 'a reason with markup is accepted as text', r.summary())
        api['other_author'].move(xid, 'submitted')
        api['reviewer'].move(xid, 'under_review')
        api['editor'].move(xid, 'approved')
        xb = Browser(srv)
        xb.login('rev@x.org')
        pages = ['/editor', '/editor/articles/%d' % xid, '/editor/articles/%d/edit' % xid,
                 '/editor/articles/%d/diff?rev=1' % xid, srv.get('/articles/%d' % xid).headers.get('location'), '/']
        bad = []
        for p in pages:
            r = xb.get(p) if p.startswith('/editor') and not p.endswith('/edit') else (
                b.get(p) if p.endswith('/edit') else srv.get(p))
            if r.status != 200:
                bad.append('%s: %d' % (p, r.status))
            for raw in ('<script>alert', '<img src=x', '<i>x</i>', '<b>bold</b>'):
                if raw in r.text:
                    bad.append('%s shows %s raw' % (p, raw))
        tap.ok(not bad, 'titles, bodies, reasons and names with markup are escaped on every page', '\n'.join(bad))
        art = b.get('/editor/articles/%d' % xid).text
        hist = [li.text() for li in parse_html(art).find('ol', cls='history').find_all('li')]
        tap.ok(len(hist) == 5 and 'created' in hist[0] and 'Submitted' in hist[0]
               and 'Changes requested' in hist[1] and XSS_REASON in hist[1] and XSS_NAME in hist[1]
               and 'Approved' in hist[4] and 'Edna Editor' in hist[4],
               'the review page lists the full history: each step, who, and the reason', '\n'.join(hist))
        tap.ok('&lt;script&gt;alert(&quot;q&quot;)' in art and '&lt;img src=x' in art
               and '&lt;script&gt;alert(&quot;name&quot;)' in art,
               'the review page shows the question, reason and name as text')

        # ---- login rate limit (last: it locks the account) ----
        msgs = set()
        statuses = []
        for i in range(5):
            r = Browser(srv).login('admin@x.org', password='wrong password %d' % i)
            statuses.append(r.status)
            msgs.add(parse_html(r.body).find(cls='error-summary').text() if r.status == 401 else r.status)
        r = Browser(srv).login('nobody@x.org', password='whatever it is')
        msgs.add(parse_html(r.body).find(cls='error-summary').text() if r.status == 401 else r.status)
        tap.ok(statuses == [401] * 5 and len(msgs) == 1,
               'failed logins answer 401 with one message whatever was wrong', repr((statuses, msgs)))
        r = Browser(srv).login('admin@x.org')
        tap.ok(r.status == 429 and int(r.headers.get('retry-after', '0')) > 0,
               'after 5 failures even the right password answers 429 with Retry-After', r.summary(300))
        r = Browser(srv).login('owner@x.org')
        tap.ok(r.status == 303, 'other accounts can still log in', r.summary(300))
        st = []
        for i in range(16):
            st.append(Browser(srv).login('ghost%d@x.org' % i, password='x' * 12).status)
        r = Browser(srv).login('ed@x.org')
        tap.ok(r.status == 429 and st[-1] in (401, 429),
               'after 20 failures from one client, that client gets 429 for any account', repr(st))

    with Server(tap, extra_args=['--session-idle', '60'], clock=True) as srv:
        add_user(srv, 'ed@x.org', 'Edna Editor', 'editor')
        b = Browser(srv)
        b.login('ed@x.org')
        tap.ok(b.get('/editor').status == 200, 'idle expiry: the session works at first')
        srv.move_clock(61)
        r = b.get('/editor')
        tap.ok(r.status == 303, 'idle expiry: unused for longer than --session-idle, it has ended', r.summary())


if __name__ == '__main__':
    run(main)
