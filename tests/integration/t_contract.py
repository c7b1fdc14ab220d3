#!/usr/bin/env python3
# t_contract.py: the JSON interface as a contract, through nginx. The served OpenAPI document is
# docs/openapi.json and names every /api/ route of cgi/route.c; bodies are strict (unknown members,
# wrong types, duplicate keys and control characters are 400 naming the field, and change nothing);
# writes are safe (If-Match: * is 428, a PUT equal to the newest revision saves nothing, Idempotency-Key
# makes a retried POST create nothing); the article JSON carries what its page shows; the article list
# filters and sorts for clients that sync; errors are written for programs, with stable problem types.
# Every reply is also checked against the document by the harness.

import concurrent.futures
import json
import os
import re
import sqlite3
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from editor_client import add_token, add_user  # noqa: E402
from harness import Server, is_problem, parse_link_header, run, top_srcdir  # noqa: E402

PROBLEMS = '/api/v1/problems/'


def article_doc(question='Does a short course of antibiotics cure cellulitis?', body='Short courses work [1].'):
    return {'question': question,
            'texts': [{'audience': 'clinician', 'bottom_line': 'Five days is usually enough [1].', 'body': body}],
            'references': [{'type': 'research', 'title': 'A trial of short courses', 'source': 'Arch Intern Med',
                            'year': 2004, 'pmid': '15249356', 'doi': None, 'url': None}]}


class Api:
    """JSON requests with a bearer token (or none)."""

    def __init__(self, srv, token=None):
        self.srv, self.token = srv, token

    def call(self, method, path, doc=None, headers=None, raw=None):
        h = {'Authorization': 'Bearer %s' % self.token} if self.token else {}
        body = raw
        if doc is not None:
            body = json.dumps(doc)
        if body is not None:
            h['Content-Type'] = 'application/json'
        h.update(headers or {})
        return self.srv.request(method, path, body=body, headers=h)


def problem_field(reply, status, field):
    """(ok, diag): a problem+json of that status whose errors name field."""
    ok, diag = is_problem(reply, status)
    if not ok:
        return ok, diag
    fields = [e.get('field') for e in reply.json().get('errors', [])]
    return field in fields, 'errors name %r, not %r\n%s' % (fields, field, reply.summary())


def route_table_paths():
    """The /api/ patterns of cgi/route.c's route table."""
    with open(os.path.join(top_srcdir(), 'cgi', 'route.c'), encoding='utf-8') as f:
        text = f.read()
    return sorted(set(re.findall(r'\{ "(/api/[^"]*)"', text)))


def same_shape(pattern, template):
    """/api/v1/articles/{id}/revisions/{slug} (route.c) against .../{number} (the document)."""
    a, b = pattern.split('/'), template.split('/')
    return len(a) == len(b) and all(x == y or (x.startswith('{') and y.startswith('{')) for x, y in zip(a, b))


def check_document(tap, srv):
    with open(os.path.join(top_srcdir(), 'docs', 'openapi.json'), encoding='utf-8') as f:
        want = json.load(f)
    r = srv.get('/api/v1/openapi.json')
    tap.ok(r.status == 200 and r.content_type == 'application/json' and r.json() == want,
           'GET /api/v1/openapi.json serves docs/openapi.json', r.summary(300))
    tap.eq(want.get('openapi'), '3.1.0', 'the document is OpenAPI 3.1')
    routes = route_table_paths()
    missing = [p for p in routes if not any(same_shape(p, t) for t in want['paths'])]
    extra = [t for t in want['paths'] if not any(same_shape(p, t) for p in routes)]
    tap.ok(routes and not missing and not extra, 'the document has every /api/ route of cgi/route.c, and no other',
           'not in the document: %r\nnot in route.c: %r' % (missing, extra))
    ids = [op['operationId'] for item in want['paths'].values() for m, op in item.items() if m != 'parameters']
    tap.eq(len(ids), len(set(ids)), 'operationIds are unique')
    with open(os.path.join(top_srcdir(), 'README.md'), encoding='utf-8') as f:
        readme = f.read()
    tap.ok('/api/v1/openapi.json' in readme and 'docs/openapi.json' in readme,
           'the README points to the document')
    unlisted = []
    for template, item in want['paths'].items():
        rx = re.sub(r'\\\{[^}]+\\\}', r'(\\{[a-z_]+\\}|[A-Z]+)', re.escape(template))
        for m in item:
            if m in ('parameters', 'options'):
                continue
            if not re.search(r'`%s %s[`?\[ ]' % (m.upper(), rx), readme):
                unlisted.append('%s %s' % (m.upper(), template))
    tap.ok(not unlisted, 'the README\'s API section lists every operation of the document', '\n'.join(unlisted))
    desc = want['components']['schemas']['Problem']['description']
    kinds = re.findall(r'^- `(/api/v1/problems/[a-z-]+)` \((\d+)\): (.*)$', desc, re.M)
    wrong = []
    for type_, status, text in kinds:
        r = srv.get(type_)
        if r.status != 200 or r.json() != {'type': type_, 'status': int(status), 'title': r.json().get('title'),
                                           'description': text}:
            wrong.append(r.summary(400))
    tap.ok(len(kinds) >= 16 and not wrong, 'each of the %d problem types answers GET with the words of the document'
           % len(kinds), '\n'.join(wrong[:3]))
    r = srv.get('/api/v1/problems/no-such-kind')
    tap.ok(is_problem(r, 404)[0], 'an unknown problem type: 404', r.summary())
    r = srv.get('/api/v1/no-such-thing')
    ok, diag = is_problem(r, 404)
    tap.ok(ok and r.json()['type'] == PROBLEMS + 'not-found', 'an unknown /api/ address: 404 of type not-found', diag)


def check_strict(tap, srv, ed):
    aid = ed.call('POST', '/api/v1/articles', article_doc()).json()['id']
    r = ed.call('POST', '/api/v1/articles/%d/transitions' % aid, {'to': 'under_review', 'revision': 3})
    ok, diag = problem_field(r, 400, 'revision')
    tap.ok(ok and r.json()['type'] == PROBLEMS + 'invalid-request',
           'a transition with an unknown member (revision) is a 400 naming it', diag)
    st = ed.call('GET', '/api/v1/articles/%d/revisions' % aid).json()[0]['state']
    tap.eq(st, 'submitted', 'and the article did not move')
    total = int(srv.get('/api/v1/articles').headers['x-total-count'])
    bad = []
    for name, doc, field in (
            ('an unknown top-level member', dict(article_doc(), colour='red'), 'colour'),
            ('an unknown member of a wording', dict(article_doc(), texts=[dict(article_doc()['texts'][0], tone='warm')]),
             'texts[0].tone'),
            ('an unknown member of a reference', dict(article_doc(), references=[dict(article_doc()['references'][0], impact=9)]),
             'references[1].impact'),
            ('a number as the question', dict(article_doc(), question=5), 'question'),
            ('a string as the year', dict(article_doc(), references=[dict(article_doc()['references'][0], year='2004')]),
             'references'),
            ('a control character in the question', dict(article_doc(), question='Bell\u0007 question?'), 'question'),
            ('a control character in a body', dict(article_doc(), texts=[dict(article_doc()['texts'][0], body='x\u0001 [1]')]),
             'texts[0].body'),
            ('a reference number that is not its place', dict(article_doc(), references=[dict(article_doc()['references'][0], number=4)]),
             'references')):
        r = ed.call('POST', '/api/v1/articles', doc)
        ok, diag = problem_field(r, 400, field)
        tap.ok(ok, 'POST /api/v1/articles with %s: 400 naming %s' % (name, field), diag)
        if r.status < 300:
            bad.append(name)
    r = ed.call('POST', '/api/v1/articles', raw='{"question": "a?", "question": "b?", "texts": []}')
    ok, diag = is_problem(r, 400)
    tap.ok(ok and 'duplicate' in r.json()['detail'].lower(), 'duplicate keys: 400 saying so', diag)
    tap.eq(int(srv.get('/api/v1/articles').headers['x-total-count']), total, 'none of the refused bodies made an article')
    r = srv.request('POST', '/api/v1/session', body=json.dumps({'email': 'ed@x.org', 'password': 'x' * 12, 'remember': True}),
                    headers={'Content-Type': 'application/json'})
    ok, diag = problem_field(r, 400, 'remember')
    tap.ok(ok, 'POST /api/v1/session with an unknown member: 400 naming it', diag)
    return aid


def check_safe_writes(tap, srv, ed, other, aid):
    base = '/api/v1/articles/%d' % aid
    rev = ed.call('GET', base + '/revisions/1')
    etag = rev.headers.get('etag')
    r = ed.call('PUT', base, article_doc(body='Changed [1].'), headers={'If-Match': '*'})
    ok, diag = is_problem(r, 428)
    tap.ok(ok and r.json()['type'] == PROBLEMS + 'precondition-required' and etag in r.json()['detail'],
           'PUT with If-Match: * answers 428 naming the ETag to send', diag)
    n = len(ed.call('GET', base + '/revisions').json())
    tap.eq(n, 1, 'and saved nothing')
    # the revision as read, sent back: the same content, nothing new
    doc = rev.json()
    back = {'question': doc['question'], 'texts': doc['texts'], 'references': doc['references']}
    r = ed.call('PUT', base, back, headers={'If-Match': etag})
    tap.ok(r.status == 200 and r.json()['revision'] == 1 and r.headers.get('content-location') == base + '/revisions/1'
           and r.headers.get('etag') == etag,
           'PUT of the newest revision as read answers 200 with that revision (Content-Location, ETag)', r.summary())
    r = ed.call('PUT', base, article_doc(), headers={'If-Match': etag})
    tap.ok(r.status == 200 and r.json()['revision'] == 1, 'the same PUT twice: still revision 1', r.summary())
    tap.eq(len(ed.call('GET', base + '/revisions').json()), 1, 'no revision was made by the equal PUTs')
    r = other.call('PUT', base, article_doc(), headers={'If-Match': etag})
    tap.ok(r.status == 403, 'an author who may not edit the article gets 403 even for an equal body', r.summary())
    r = ed.call('PUT', base, article_doc(body='Short courses work well [1].'), headers={'If-Match': etag})
    tap.ok(r.status == 200 and r.json()['revision'] == 2 and r.headers.get('location') == base + '/revisions/2',
           'a changed body saves revision 2', r.summary())

    # Idempotency-Key on POST /api/v1/articles
    total = int(srv.get('/api/v1/articles').headers['x-total-count'])
    key = {'Idempotency-Key': 'c0ffee00-1111-4222-8333-444455556666'}
    doc = article_doc('Is a retried request saved once?')
    r1 = ed.call('POST', '/api/v1/articles', doc, headers=key)
    r2 = ed.call('POST', '/api/v1/articles', doc, headers=key)
    tap.ok(r1.status == 201 and r2.status == 201 and r2.json() == r1.json()
           and r2.headers.get('location') == r1.headers.get('location')
           and r2.headers.get('idempotent-replayed') == 'true' and 'idempotent-replayed' not in r1.headers,
           'a POST sent again with its Idempotency-Key gets the first reply, marked Idempotent-Replayed',
           r1.summary() + '\n\n' + r2.summary())
    tap.eq(int(srv.get('/api/v1/articles').headers['x-total-count']), total + 1, 'and only one article was made')
    r = ed.call('POST', '/api/v1/articles', article_doc('Another question?'), headers=key)
    ok, diag = is_problem(r, 422)
    tap.ok(ok and r.json()['type'] == PROBLEMS + 'idempotency-key-reused',
           'the same key with another body: 422 idempotency-key-reused', diag)
    r = other.call('POST', '/api/v1/articles', doc, headers=key)
    tap.ok(r.status == 201 and r.json()['id'] != r1.json()['id'],
           'another account\'s request with the same key is its own', r.summary())
    r = ed.call('POST', '/api/v1/articles', doc, headers={'Idempotency-Key': 'x' * 256})
    ok, diag = problem_field(r, 400, 'Idempotency-Key')
    tap.ok(ok, 'an Idempotency-Key over 255 characters: 400 naming it', diag)
    r = ed.call('POST', '/api/v1/articles', {'question': ''}, headers={'Idempotency-Key': 'bad-body-key'})
    r2 = ed.call('POST', '/api/v1/articles', doc, headers={'Idempotency-Key': 'bad-body-key'})
    tap.ok(r.status == 400 and r2.status == 201, 'a refused request does not keep its key', r2.summary())

    # the same request sent 8 times at once: one article, the others replayed or told to wait
    before = int(srv.get('/api/v1/articles').headers['x-total-count'])
    same = article_doc('Is a burst of retries saved once?')
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda _: ed.call('POST', '/api/v1/articles', same, headers={'Idempotency-Key': 'burst-1'}),
                            range(8)))
    ids = {g.json()['id'] for g in got if g.status == 201}
    tap.ok(len(ids) == 1 and all(g.status in (201, 409) for g in got)
           and int(srv.get('/api/v1/articles').headers['x-total-count']) == before + 1,
           '8 concurrent requests with one key make one article (the others: its reply, or 409 while it is made)',
           repr([(g.status, g.headers.get('idempotent-replayed')) for g in got]))

    # keys are kept 24 hours: a key claimed 25 hours ago is free again
    with sqlite3.connect(srv.db) as c:
        c.execute("UPDATE idempotency SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-25 hours') "
                  "WHERE key = ?", (key['Idempotency-Key'],))
    r = ed.call('POST', '/api/v1/articles', article_doc('Another question after a day?'), headers=key)
    tap.ok(r.status == 201 and 'idempotent-replayed' not in r.headers,
           'a key older than 24 hours is forgotten: the same key makes a new article', r.summary())

    # Idempotency-Key on POST /api/v1/questions: a retry is not the question asked again
    anon = Api(srv)
    q = {'question': 'Is idempotency good for cellulitis questions?'}
    qk = {'Idempotency-Key': 'question-key-1'}
    a1 = anon.call('POST', '/api/v1/questions', q, headers=qk)
    a2 = anon.call('POST', '/api/v1/questions', q, headers=qk)
    tap.ok(a1.status == 201 and a2.status == 201 and a2.json()['token'] == a1.json()['token']
           and a2.headers.get('idempotent-replayed') == 'true',
           'a question sent again with its key gets the first reply', a2.summary())
    a3 = anon.call('GET', '/api/v1/questions/%s' % a1.json()['token'])
    tap.eq(a3.json().get('asked'), 1, 'and is counted once')
    a4 = anon.call('POST', '/api/v1/questions', q)
    tap.ok(a4.status == 201 and a4.json().get('asked') == 2 and a4.json()['token'] != a1.json()['token'],
           'without the key, asking again counts a second time, at an address of its own', a4.summary())
    a5 = Api(srv).call('POST', '/api/v1/questions', q, headers=dict(qk, Cookie='evqa_csrf=' + 'ab' * 16,
                                                                     **{'X-CSRF-Token': 'ab' * 16}))
    tap.ok(a5.status == 201 and 'idempotent-replayed' not in a5.headers and a5.json()['token'] != a1.json()['token'],
           'another reader at the same address with the same key does not get the first reader\'s question',
           a5.summary())


def check_article_json(tap, srv):
    r = srv.get('/api/v1/articles/2')
    doc = r.json()
    page = srv.get(doc['url']).text
    ab = doc.get('approved_by') or {}
    tap.ok(doc['state'] == 'approved' and ab.get('name') and ab['name'] in page and ab.get('at'),
           'the approved article names who approved it and when, as its page does', json.dumps(ab))
    steps = doc.get('review_steps', [])
    tap.eq([(s['state'], s['status']) for s in steps],
           [('submitted', 'done'), ('under_review', 'done'), ('approved', 'current')],
           'the review steps of the approved article')
    tap.ok(all(s['at'] for s in steps) and steps[2]['at'] == ab.get('at'),
           'each step has its date, the last being the approval', json.dumps(steps))
    tap.ok(isinstance(doc.get('author'), str) and doc['author'] in page, 'the author is given, as on the page',
           repr(doc.get('author')))
    tap.ok('review_by' in doc and isinstance(doc.get('review_overdue'), bool) and isinstance(doc.get('update_in_review'), bool),
           'review-by date, overdue flag and update note are given', repr({k: doc.get(k) for k in ('review_by', 'review_overdue', 'update_in_review')}))
    doc1 = srv.get('/api/v1/articles/1').json()
    tap.ok(doc1['approved_by'] is None and doc1['review_steps'][1]['status'] == 'current'
           and doc1['review_steps'][2]['at'] is None,
           'an article under review has no approver and no approval date', json.dumps(doc1['review_steps']))


def check_lists(tap, srv, ed):
    every = srv.get('/api/v1/articles?per_page=100').json()
    approved = [a['id'] for a in every if a['state'] == 'approved']
    r = srv.get('/api/v1/articles?state=approved&per_page=100')
    tap.ok(r.status == 200 and [a['id'] for a in r.json()] == approved and r.headers['x-total-count'] == str(len(approved)),
           'state=approved lists the approved articles only, and counts them', r.summary())
    r = srv.get('/api/v1/articles?state=approved&per_page=1')
    links = parse_link_header(r.headers.get('link'))
    tap.ok(len(approved) < 2 or 'state=approved' in links.get('next', ''), 'Link keeps the filter', r.headers.get('link'))
    r = srv.get('/api/v1/articles?updated_since=2999-01-01T00:00:00Z')
    tap.ok(r.status == 200 and r.json() == [] and r.headers['x-total-count'] == '0',
           'updated_since in the future: an empty list', r.summary())
    r = srv.get('/api/v1/articles?updated_since=2025-13-01T00:00:00Z')
    ok, diag = problem_field(r, 400, 'updated_since')
    tap.ok(ok, 'a malformed updated_since: 400 naming it', diag)
    newest = [a['changed_at'] for a in srv.get('/api/v1/articles?sort=newest&per_page=100').json()]
    oldest = [a['changed_at'] for a in srv.get('/api/v1/articles?sort=updated&per_page=100').json()]
    tap.ok(newest == sorted(newest, reverse=True) and oldest == sorted(oldest) and len(oldest) == len(every),
           'sort=newest and sort=updated order by the time of the last change', repr((newest, oldest)))
    r = srv.get('/api/v1/articles?sort=colour')
    ok, diag = problem_field(r, 400, 'sort')
    tap.ok(ok, 'an unknown sort: 400 naming it', diag)
    # a client in step: remember the newest change and the list's ETag, then see only what changed
    since = max(a['changed_at'] for a in every)
    listing = srv.get('/api/v1/articles?sort=updated&per_page=100')
    r = srv.get('/api/v1/articles?sort=updated&per_page=100', headers={'If-None-Match': listing.headers['etag']})
    tap.eq(r.status, 304, 'a conditional GET of an unchanged list: 304')
    srv.move_clock(1)           # times have a resolution of one second
    aid = ed.call('POST', '/api/v1/articles', article_doc('Does the list show what changed?')).json()['id']
    r = srv.get('/api/v1/articles?sort=updated&per_page=100', headers={'If-None-Match': listing.headers['etag']})
    tap.eq(r.status, 200, 'after a change the same conditional GET answers 200')
    r = srv.get('/api/v1/articles?updated_since=%s' % since)
    got = {a['id']: a['changed_at'] for a in r.json()}
    tap.ok(aid in got and all(t >= since for t in got.values()) and len(got) < len(every),
           'updated_since the last change lists the new article, and only what changed at or after it', repr(got))
    since = got[aid]
    srv.move_clock(1)
    r = ed.call('POST', '/api/v1/articles/3/transitions', {'to': 'under_review'})
    r2 = srv.get('/api/v1/articles?updated_since=%s' % since)
    moved = [a for a in r2.json() if a['id'] == 3]
    tap.ok(r.status == 200 and moved and moved[0]['changed_at'] > since and {a['id'] for a in r2.json()} <= {3, aid},
           'a review step counts as a change: updated_since then lists the article moved', r2.summary())


def references_in(node):
    """Every object under node that holds a reference's title (a reference, whatever its names)."""
    if isinstance(node, dict):
        if 'title' in node and ('number' in node or 'num' in node):
            yield node
        for v in node.values():
            yield from references_in(v)
    elif isinstance(node, list):
        for v in node:
            yield from references_in(v)


def check_vocabulary(tap, srv):
    docs = [srv.get('/api/v1/articles/1').json()]
    q = srv.request('POST', '/api/v1/questions', body=json.dumps({'question': 'Does acupuncture help chronic low back pain?'}),
                    headers={'Content-Type': 'application/json'})
    docs.append(q.json())
    refs = [r for d in docs for r in references_in(d)]
    bad = [r for r in refs if 'num' in r or 'kind' in r or not isinstance(r.get('number'), int) or 'type' not in r]
    tap.ok(len(refs) > 4 and any(references_in(docs[1])) and not bad,
           'references are {number, type, ...} in the article JSON and in question passages alike',
           json.dumps(bad[:2]) if bad else 'refs: %d' % len(refs))


def check_errors(tap, srv):
    r = srv.request('POST', '/api/v1/session', body=json.dumps({'email': 'ed@x.org', 'password': 'correct horse battery staple'}),
                    headers={'Content-Type': 'application/json'})
    cookie = '; '.join(v.split(';')[0] for v in r.all('set-cookie'))
    r = srv.request('POST', '/api/v1/articles/1/transitions', body=json.dumps({'to': 'approved'}),
                    headers={'Content-Type': 'application/json', 'Cookie': cookie,
                             'Sec-Fetch-Site': 'same-origin'})
    ok, diag = is_problem(r, 403)
    tap.ok(ok and r.json()['type'] == PROBLEMS + 'csrf-token' and 'X-CSRF-Token' in r.json()['detail']
           and 'evqa_csrf' in r.json()['detail'] and 'form' not in r.json()['detail'].lower(),
           'a session request without X-CSRF-Token: 403 csrf-token, saying which header to send', diag)
    r = srv.request('POST', '/api/v1/articles/1/transitions', body=json.dumps({'to': 'approved'}),
                    headers={'Content-Type': 'application/json'})
    ok, diag = is_problem(r, 401)
    tap.ok(ok and 'Authorization' in r.json()['detail'] and r.json()['type'] == PROBLEMS + 'unauthenticated',
           'no credentials: 401 unauthenticated, naming the Authorization header', diag)
    r = srv.request('POST', '/api/v1/articles/1/transitions', body=json.dumps({'to': 'approved'}),
                    headers={'Content-Type': 'application/json', 'Cookie': cookie, 'Origin': 'http://evil.example'})
    ok, diag = is_problem(r, 403)
    tap.ok(ok and r.json()['type'] == PROBLEMS + 'cross-origin' and 'form' not in r.json()['detail'].lower(),
           'a session request from another origin: 403 cross-origin', diag)
    r = srv.request('DELETE', '/api/v1/articles')
    ok, diag = is_problem(r, 405)
    tap.ok(ok and r.json()['type'] == PROBLEMS + 'method-not-allowed' and r.headers.get('allow'),
           'a method the address does not take: 405 method-not-allowed with Allow', diag)


def check_review_falls_due(tap, srv):
    """An article's JSON and page, asked again and again, say its review is overdue once the review-by
    date passes, with nothing else changed in between (evqa keeps built replies until the content
    changes)."""
    with open(srv.clock_file, encoding='ascii') as f:
        now = int(time.time()) + int(f.read())
    due = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(now + 3600))
    with sqlite3.connect(srv.db) as c:
        c.execute('UPDATE article SET review_by = ? WHERE id = 2', (due,))
    before = [srv.get('/api/v1/articles/2').json() for _ in range(4 * srv.threads)]
    tap.ok(all(d['review_by'] == due and d['review_overdue'] is False for d in before),
           'an approved article due for review in an hour is not overdue', repr([d['review_overdue'] for d in before]))
    page = before[0]['url']
    reload = {'Cache-Control': 'no-cache'}      # from evqa, not nginx's copy of the last few seconds
    pages = [srv.get(page, headers=reload).text for _ in range(4 * srv.threads)]
    tap.ok(all('overdue-note' not in p and 'Approved by' in p for p in pages),
           'nor does its page say so', page)
    srv.move_clock(2 * 3600)
    after = [srv.get('/api/v1/articles/2').json() for _ in range(4 * srv.threads)]
    tap.ok(all(d['review_by'] == due and d['review_overdue'] is True for d in after),
           'two hours later, with no change to the content, the same address says the review is overdue',
           repr([d['review_overdue'] for d in after]))
    pages = [srv.get(page, headers=reload).text for _ in range(4 * srv.threads)]
    tap.ok(all('overdue-note' in p for p in pages), 'and so does its page', repr(['overdue-note' in p for p in pages]))


def main(tap):
    with Server(tap, extra_args=['--question-rate', '0'], clock=True) as srv:
        for email, name, role in (('ed@x.org', 'Edna Editor', 'editor'), ('au@x.org', 'Arno Author', 'author')):
            p = add_user(srv, email, name, role)
            tap.ok(p.returncode == 0, 'evqa user add makes the %s account' % role, p.stderr)
        ed, other = Api(srv, add_token(srv, 'ed@x.org')), Api(srv, add_token(srv, 'au@x.org'))
        check_document(tap, srv)
        aid = check_strict(tap, srv, ed)
        check_safe_writes(tap, srv, ed, other, aid)
        check_article_json(tap, srv)
        check_lists(tap, srv, ed)
        check_errors(tap, srv)
        check_vocabulary(tap, srv)
        # the proxy's own question limit answers the API in problem+json too
        st = [Api(srv).call('POST', '/api/v1/questions', {'question': 'Limit question %d?' % i}) for i in range(26)]
        limited = [r for r in st if r.status == 429]
        tap.ok(limited and is_problem(limited[0], 429)[0], 'nginx\'s question limit answers the API with problem+json',
               limited[0].summary() if limited else [r.status for r in st])
        check_review_falls_due(tap, srv)     # last: it moves the clock on two hours


if __name__ == '__main__':
    run(main)
