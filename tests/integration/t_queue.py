#!/usr/bin/env python3
# t_queue.py: the question queue through nginx: who may read it and act on it (401/403 pages and
# JSON), CSRF and Origin refusal, repeats counted, the state filter, sorting and pages (X-Total-Count,
# Link; 25 to a page on the page), linking an article as the answer and dismissing (with the history),
# a new article started from a question, the asker's page and JSON showing the editors' article once
# approved and not before, the private token shown to editors only, and question text with markup
# shown escaped.

import json
import os
import re
import sqlite3
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Server, is_problem, run  # noqa: E402
from editor_client import Browser, add_token, add_user  # noqa: E402

XSS_Q = 'Does <script>alert("queue")</script> zqxj & <b>wobble</b> help?'


def ask(srv, text, article=None, audience=None):
    doc = {'question': text}
    if article:
        doc['article'] = article
    if audience:
        doc['audience'] = audience
    r = srv.request('POST', '/api/v1/questions', body=json.dumps(doc).encode(),
                    headers={'Content-Type': 'application/json'})
    return r


def api(srv, token, method, path, doc=None, headers=None):
    h = {'Authorization': 'Bearer %s' % token}
    body = None
    if doc is not None:
        body = json.dumps(doc).encode()
        h['Content-Type'] = 'application/json'
    h.update(headers or {})
    return srv.request(method, path, body=body, headers=h)


def qid_of(srv, token):
    with sqlite3.connect(srv.db) as c:
        return c.execute('SELECT id FROM question WHERE token = ?', (token,)).fetchone()[0]


def main(tap):
    with Server(tap, extra_args=['--question-rate', '0']) as srv:
        for email, name, role in (('au@x.org', 'Al Author', 'author'), ('rev@x.org', 'Rita Reviewer', 'reviewer'),
                                  ('ed@x.org', 'Edna Editor', 'editor'), ('adm@x.org', 'Ada Admin', 'admin')):
            p = add_user(srv, email, name, role)
            tap.ok(p.returncode == 0, 'account for %s' % role, p.stderr)
        tok = {role: add_token(srv, email) for role, email in (('author', 'au@x.org'), ('reviewer', 'rev@x.org'),
                                                                ('editor', 'ed@x.org'), ('admin', 'adm@x.org'))}

        # questions nothing answers: queued; one asked three times; one with markup
        odd = 'How often should zqxj wobble syndrome be screened in florbish patients?'
        r1 = ask(srv, odd, article=2)
        tap.ok(r1.status == 201 and r1.json()['state'] == 'queued', 'an unanswerable question is queued',
               r1.summary())
        t1 = r1.json()['token']
        for _ in range(2):
            ask(srv, odd, article=2)
        r2 = ask(srv, XSS_Q)
        t2 = r2.json()['token']
        r3 = ask(srv, 'Is there a blorptic test for zqxj wobble in children?', audience='patient')
        t3 = r3.json()['token']
        q1, q2, q3 = qid_of(srv, t1), qid_of(srv, t2), qid_of(srv, t3)

        # ---- who may read the queue ----
        anon = srv.get('/editor/questions')
        tap.ok(anon.status == 303 and anon.headers.get('location', '').startswith('/editor/login?next='),
               'the queue page sends a reader without a session to the login page', anon.summary())
        r = srv.get('/api/v1/questions')
        tap.ok(r.status == 401 and is_problem(r), 'GET /api/v1/questions without a session: 401 problem+json',
               r.summary())
        r = api(srv, tok['author'], 'GET', '/api/v1/questions')
        tap.ok(r.status == 403 and is_problem(r), 'an author may not list readers\' questions: 403', r.summary())
        au = Browser(srv)
        au.login('au@x.org')
        r = au.get('/editor/questions')
        tap.eq(r.status, 403, 'the queue page refuses an author: 403')
        r = au.get('/editor/questions/%d' % q1)
        tap.eq(r.status, 403, 'one question\'s page refuses an author: 403')

        rv = Browser(srv)
        rv.login('rev@x.org')
        r = rv.get('/editor/questions')
        tap.ok(r.status == 200 and odd in r.text, 'a reviewer reads the queue', r.summary())
        tap.ok(t1 not in r.text and t2 not in r.text, 'the queue page does not show private tokens')
        tap.ok('<script>alert("queue")</script>' not in r.text and
               'Does &lt;script&gt;alert(&quot;queue&quot;)&lt;/script&gt; zqxj &amp; &lt;b&gt;wobble&lt;/b&gt; help?'
               in r.text, 'question text with markup is shown escaped in the queue')
        m = re.search(r'<tr><td><a href="/editor/questions/%d">[^<]*</a></td><td>[^\n]*?<td>(\d+)</td>' % q1, r.text)
        tap.ok(m is not None and m.group(1) == '3', 'the queue counts the repeats of a question (3)',
               m.group(0) if m else r.text[:2000])
        tap.ok(r.text.find(odd) < r.text.find('zqxj &amp;'), 'the default order puts the most-asked queued first')
        r = rv.get('/editor/questions/%d' % q1)
        tap.ok(r.status == 200 and odd in r.text and '/questions/' + t1 not in r.text,
               'a reviewer reads one question, without the reader\'s page link', r.summary())
        tap.ok('/link"' not in r.text and '/dismiss"' not in r.text, 'a reviewer gets no action forms')
        tap.ok('<dd>3 times</dd>' in r.text and '<dd>1 time</dd>' in rv.get('/editor/questions/%d' % q3).text,
               'how often a question was asked reads "3 times", and "1 time" for one')
        r = api(srv, tok['reviewer'], 'GET', '/api/v1/questions')
        tap.ok(r.status == 200 and r.headers.get('x-total-count') == '3' and
               all('token' not in q for q in r.json()), 'the JSON list for a reviewer: 3 questions, no tokens',
               r.summary())
        r = api(srv, tok['editor'], 'GET', '/api/v1/questions')
        tap.ok(r.status == 200 and {q['token'] for q in r.json()} == {t1, t2, t3},
               'the JSON list gives editors the token of each question')
        tap.ok(r.json()[0]['id'] == q1 and r.json()[0]['asked'] == 3 and r.json()[0]['article_id'] == 2,
               'the most-asked queued question comes first, with its repeats and asked-from article', repr(r.json()[0]))

        # paging, filters, bad parameters
        r = api(srv, tok['editor'], 'GET', '/api/v1/questions?per_page=2')
        link = r.headers.get('link', '')
        tap.ok(len(r.json()) == 2 and 'page=2&per_page=2' in link and 'rel="next"' in link,
               'per_page=2: two questions and a Link to the next page', link)
        r = api(srv, tok['editor'], 'GET', '/api/v1/questions?per_page=2&page=2')
        tap.ok(len(r.json()) == 1 and 'rel="prev"' in r.headers.get('link', ''), 'page 2 has the third question')
        r = api(srv, tok['editor'], 'GET', '/api/v1/questions?page=3&per_page=2')
        tap.ok(r.status == 400 and is_problem(r) and r.json()['errors'][0]['field'] == 'page',
               'a page past the end: 400 naming page', r.summary())
        r = api(srv, tok['editor'], 'GET', '/api/v1/questions?state=open')
        tap.ok(r.status == 400 and is_problem(r) and 'queued' in r.text, 'an unknown state: 400 listing the states',
               r.summary())
        r = api(srv, tok['editor'], 'GET', '/api/v1/questions?sort=random')
        tap.eq(r.status, 400, 'an unknown sort: 400')
        r = rv.get('/editor/questions?state=bogus')
        tap.eq(r.status, 400, 'the queue page refuses an unknown state: 400')

        # ---- refusals of changes ----
        ed = Browser(srv)
        ed.login('ed@x.org')
        r = ed.get('/editor/questions/%d' % q1)
        tap.ok('/questions/%s' % t1 in r.text and 'action="/editor/questions/%d/link"' % q1 in r.text,
               'an editor sees the reader\'s page link and the action forms')
        r = rv.post('/editor/questions/%d/dismiss' % q1, {})
        tap.eq(r.status, 403, 'a reviewer may not dismiss: 403')
        r = api(srv, tok['reviewer'], 'POST', '/api/v1/questions/%d/dismiss' % q1, {})
        tap.ok(r.status == 403 and is_problem(r), 'nor through the API: 403')
        r = srv.request('POST', '/api/v1/questions/%d/dismiss' % q1, body=b'{}',
                        headers={'Content-Type': 'application/json'})
        tap.eq(r.status, 401, 'dismissing without a session: 401')
        r = ed.post('/editor/questions/%d/dismiss' % q1, {}, csrf=False)
        tap.eq(r.status, 403, 'a dismissal without the form token: 403')
        r = ed.post('/editor/questions/%d/dismiss' % q1, {'csrf': 'f' * 32})
        tap.eq(r.status, 403, 'a dismissal with a wrong form token: 403')
        r = ed.post('/editor/questions/%d/link' % q1, {'article': '2'}, headers={'Origin': 'https://evil.example'})
        tap.eq(r.status, 403, 'a link posted from another site (Origin): 403')
        h = ed.headers({'Content-Type': 'application/json'})
        r = srv.request('POST', '/api/v1/questions/%d/link' % q1, body=b'{"article": 2}', headers=h)
        tap.eq(r.status, 403, 'the JSON link with the session but no X-CSRF-Token: 403')
        with sqlite3.connect(srv.db) as c:
            st = c.execute('SELECT state FROM question WHERE id = ?', (q1,)).fetchone()[0]
        tap.eq(st, 'queued', 'none of the refused requests changed the question')
        r = ed.post('/editor/questions/%d/link' % q1, {'article': '999'})
        tap.ok(r.status == 400 and 'no article' in r.text, 'linking an article that does not exist: 400')
        fe = re.search(r'<p class="field-error"[^>]*>(.*?)</p>\s*<input id="q-article"', r.text, re.S)
        tap.ok(fe is not None and 'no article' in fe.group(1) and odd in r.text,
               'the 400 is the question\'s page, with the message beside the article field', r.text[:300])
        r = ed.post('/editor/questions/999999/link', {'article': '2'})
        tap.eq(r.status, 404, 'linking to a question that does not exist: 404')

        # ---- linking an approved article (page form) ----
        r = ed.post('/editor/questions/%d/link' % q1, {'article': '2'})
        tap.ok(r.status == 303 and r.headers.get('location') == '/editor/questions/%d' % q1,
               'an editor links article 2 as the answer', r.summary())
        r = ed.get('/editor/questions/%d' % q1)
        tap.ok('Answered by the editors' in r.text and 'Edna Editor' in r.text and 'article 2' in r.text,
               'the question page shows the new state and the history row', r.summary(1500))
        r = ed.post('/editor/questions/%d/link' % q1, {'article': '2'})
        tap.eq(r.status, 409, 'linking the same article again: 409')
        r = srv.get('/questions/%s' % t1)
        tap.ok(r.status == 200 and 'Answered by the editors' in r.text and re.search(
            r'<a href="/articles/2/[a-z0-9-]+">Should direct oral anticoagulants', r.text) is not None,
            'the asker\'s page links the approved article', r.summary(2000))
        r = srv.get('/api/v1/questions/%s' % t1)
        ea = r.json().get('editors_answer') or {}
        tap.ok(r.json()['state'] == 'answered_by_editors' and ea.get('status') == 'approved' and
               ea.get('article_id') == 2 and ea.get('url', '').startswith('/articles/2/'),
               'GET /api/v1/questions/{token} gives the editors\' article', r.summary())
        r3b = ask(srv, odd, article=2)
        tap.ok(r3b.json()['token'] != t1, 'the same question asked after it was answered by the editors is a new one')

        # ---- linking an article not approved yet (API, with the session and X-CSRF-Token) ----
        h = ed.headers({'Content-Type': 'application/json', 'X-CSRF-Token': ed.csrf})
        r = srv.request('POST', '/api/v1/questions/%d/link' % q3, body=b'{"article": 3}', headers=h)
        tap.ok(r.status == 200 and r.json()['state'] == 'answered_by_editors' and r.json()['answer_article_id'] == 3,
               'the JSON link with the session and X-CSRF-Token', r.summary())
        r = srv.get('/questions/%s' % t3)
        tap.ok('An answer is being written' in r.text and '/articles/3' not in r.text,
               'the asker\'s page says an answer is being written, without linking the unapproved article',
               r.summary(2000))
        r = srv.get('/api/v1/questions/%s' % t3)
        tap.ok(r.json()['editors_answer'] == {'status': 'being_written'}, 'and the JSON says being_written',
               r.summary())
        r = api(srv, tok['editor'], 'POST', '/api/v1/questions/%d/link' % q3, {'article': 3, 'x': 1})
        tap.ok(r.status == 400 and is_problem(r), 'an unknown field in the JSON body: 400')
        r = api(srv, tok['editor'], 'POST', '/api/v1/questions/%d/link' % q3, {'article': 'three'})
        tap.ok(r.status == 400 and r.json()['errors'][0]['field'] == 'article', 'a non-number article: 400')
        # approve article 3: the asker's page then links it
        for to in ('under_review', 'approved'):
            r = api(srv, tok['admin'], 'POST', '/api/v1/articles/3/transitions', {'to': to})
            tap.eq(r.status, 200, 'article 3 moves to %s' % to)
        r = srv.get('/questions/%s' % t3)
        tap.ok(re.search(r'<a href="/articles/3/[a-z0-9-]+">Does vitamin D', r.text) is not None,
               'once approved, the asker\'s page links the article', r.summary(2000))

        # ---- dismissing (bearer token) ----
        r = api(srv, tok['admin'], 'POST', '/api/v1/questions/%d/dismiss' % q2, {'reason': 'Not a <b>question</b>'})
        tap.ok(r.status == 200 and r.json()['state'] == 'dismissed', 'an admin dismisses through the API',
               r.summary())
        r = api(srv, tok['admin'], 'POST', '/api/v1/questions/%d/dismiss' % q2, {})
        tap.eq(r.status, 409, 'dismissing a dismissed question: 409')
        r = ed.get('/editor/questions/%d' % q2)
        tap.ok('Not a &lt;b&gt;question&lt;/b&gt;' in r.text and 'Ada Admin' in r.text,
               'the history shows who dismissed it and the reason, escaped')
        r = srv.get('/questions/%s' % t2)
        tap.ok('closed this question' in r.text, 'the asker\'s page says the question was closed')
        r = api(srv, tok['editor'], 'GET', '/api/v1/questions?state=dismissed')
        tap.ok([q['id'] for q in r.json()] == [q2] and r.headers.get('x-total-count') == '1',
               'the state filter lists the dismissed question only')
        r = rv.get('/editor/questions?state=dismissed&sort=newest')
        tap.ok(r.status == 200 and 'zqxj &amp;' in r.text and odd not in r.text, 'the page filters by state too')

        # ---- a new article from a question ----
        r5 = ask(srv, 'Can grumbleroot tea replace zqxj wobble tablets?')
        t5 = r5.json()['token']
        q5 = qid_of(srv, t5)
        r = rv.get('/editor/questions/%d/article' % q5)
        tap.eq(r.status, 403, 'a reviewer may not start an article from a question: 403')
        r = ed.get('/editor/questions/%d/article' % q5)
        tap.ok(r.status == 200 and 'Can grumbleroot tea replace zqxj wobble tablets?' in r.text and
               'action="/editor/questions/%d/article"' % q5 in r.text,
               'the new-article form is prefilled with the question', r.summary())
        fields = {'base': '0', 'question': 'Can grumbleroot tea replace zqxj wobble tablets?',
                  'references': 'research | A trial | J | 2020 | 123 | |',
                  'bottom_clinician': 'No [1].', 'body_clinician': 'No trial supports it [1].'}
        r = ed.post('/editor/questions/%d/article' % q5, dict(fields, body_clinician='Cites [9].'))
        tap.eq(r.status, 400, 'a form with an error is shown again (400)')
        with sqlite3.connect(srv.db) as c:
            st = c.execute('SELECT state, answer_article_id FROM question WHERE id = ?', (q5,)).fetchone()
        tap.eq(list(st), ['queued', None], 'the refused save left the question queued')
        r = ed.post('/editor/questions/%d/article' % q5, fields)
        m = re.fullmatch(r'/editor/articles/(\d+)', r.headers.get('location', ''))
        tap.ok(r.status == 303 and m is not None, 'saving creates the article', r.summary())
        new_id = int(m.group(1)) if m else 0
        with sqlite3.connect(srv.db) as c:
            st = c.execute('SELECT state, answer_article_id FROM question WHERE id = ?', (q5,)).fetchone()
            rs = c.execute('SELECT state FROM revision WHERE article_id = ?', (new_id,)).fetchone()
            hist = c.execute('SELECT action FROM question_history WHERE question_id = ?', (q5,)).fetchall()
        tap.ok(list(st) == ['answered_by_editors', new_id] and rs == ('submitted',) and hist == [('new_article',)],
               'the question is linked to the new, submitted article', repr((st, rs, hist)))
        r = srv.get('/questions/%s' % t5)
        tap.ok('An answer is being written' in r.text and '/articles/%d' % new_id not in r.text,
               'the asker sees that an answer is being written')

        # ---- the history cannot be changed; the dashboard links the queue ----
        with sqlite3.connect(srv.db) as c:
            try:
                c.execute("UPDATE question_history SET reason = 'x'")
                changed = True
            except sqlite3.DatabaseError:
                changed = False
        tap.ok(not changed, 'question history rows cannot be changed with SQL')
        r = ed.get('/editor')
        tap.ok(re.search(r'<a href="/editor/questions\?state=queued">[^<]*</a>: <strong>1</strong>', r.text)
               is not None, 'the dashboard links the queue with the count of queued questions (1)')
        r = au.get('/editor')
        tap.ok('/editor/questions' not in r.text, 'an author\'s dashboard has no queue link')

        # ---- pages of 25 ----
        # (written straight into the database: nginx limits how fast one client may ask)
        with sqlite3.connect(srv.db) as c:
            for i in range(30):
                c.execute("INSERT INTO question(token, text, norm, audience, created_at, last_asked, state, "
                          "answer_json) VALUES (?, ?, ?, 'clinician', ?, ?, 'queued', '{}')",
                          ('%032x' % (i + 1), 'Filler question %d?' % i, 'filler question %d?' % i,
                           '2026-01-01T00:00:%02dZ' % i, '2026-01-01T00:00:%02dZ' % i))
            n = c.execute("SELECT count(*) FROM question WHERE state = 'queued'").fetchone()[0]
        r = rv.get('/editor/questions?state=queued&sort=oldest')
        tap.ok(n > 25 and r.text.count('<tr><td><a href="/editor/questions/') == 25 and
               '<a href="/editor/questions?page=2&amp;state=queued&amp;sort=oldest" rel="next">' in r.text,
               'the queue page shows 25 questions and links the next page, keeping the filter',
               '%d queued\n%s' % (n, r.text[-1500:]))
        r = rv.get('/editor/questions?state=queued&sort=oldest&page=2')
        tap.ok(r.text.count('<tr><td><a href="/editor/questions/') == n - 25 and 'rel="prev"' in r.text and
               'rel="next"' not in r.text, 'page 2 has the rest and links back')
        r = rv.get('/editor/questions?page=3')
        tap.eq(r.status, 400, 'a page past the end of the queue: 400')

        # what the reader was given: the passages, linked, with their review state
        r4 = ask(srv, 'acupuncture for chronic low back pain', article=1)
        q4 = qid_of(srv, r4.json()['token'])
        r = rv.get('/editor/questions/%d' % q4)
        given = re.search(r'<dt>Answer</dt><dd>(.*?)</dd>\s*</dl>', r.text, re.S)
        tap.ok(given and 'Not answered; the closest passages it was shown:' in given.group(1) and
               re.search(r'<li><a href="/articles/1/[a-z0-9-]+#section-[a-z0-9-]+">[^<]+</a>: [^<]+ '
                         r'\(under_review\)</li>', given.group(1)),
               'the editors see the passages the reader got, each linked, with its review state',
               given.group(1)[:600] if given else r.text[:1500])


if __name__ == '__main__':
    run(main)
