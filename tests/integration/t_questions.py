#!/usr/bin/env python3
# t_questions.py: readers' questions through nginx: the form, cross-origin checks, the answer page,
# the no-answer path, privacy (token only, noindex, private caching, no listing), repeats counted, the
# JSON endpoints (from programs, this site's pages and allowed origins) and evqa's own rate limit (429
# with Retry-After).

import json
import os
import re
import sys
from urllib.parse import urlencode

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Server, parse_html, run, run_evqa, top_srcdir  # noqa: E402

FIXTURE = os.path.join(top_srcdir(), 'tests', 'fixtures', 'medquad-small.jsonl')
TOKEN_PATH = re.compile(r'^/questions/[0-9a-f]{32}$')


def post(srv, fields, origin=None, site='same-origin'):
    """POST /questions as a browser on this site's page sends it (Sec-Fetch-Site: same-origin), or with
    the given Origin and Sec-Fetch-Site (None leaves a header out)."""
    h = {'Content-Type': 'application/x-www-form-urlencoded', 'Host': '127.0.0.1:%d' % srv.port}
    if site:
        h['Sec-Fetch-Site'] = site
    if origin:
        h['Origin'] = origin
    return srv.request('POST', '/questions', body=urlencode(fields).encode(), headers=h)


def post_json(srv, obj, headers=None):
    h = {'Content-Type': 'application/json'}
    h.update(headers or {})
    return srv.request('POST', '/api/v1/questions', body=json.dumps(obj).encode(), headers=h)


def private(tap, r, what):
    tap.ok('no-store' in r.headers.get('cache-control', '') and 'private' in r.headers.get('cache-control', '') and
           r.headers.get('x-robots-tag') == 'noindex', '%s: Cache-Control private, no-store and X-Robots-Tag noindex'
           % what, str(r.headers))


def main(tap):
    with Server(tap, extra_args=['--question-rate', '0']) as srv:
        run_evqa(['import', '--db', srv.db, FIXTURE])
        origin = 'http://127.0.0.1:%d' % srv.port
        r = srv.get('/questions/new')
        tap.ok(r.status == 200 and b'name="question"' in r.body and b'name="csrf"' not in r.body and
               not r.headers.get('set-cookie'), 'GET /questions/new has the form, with no token and no cookie',
               r.summary())
        tap.ok(r.headers.get('cache-control', '').startswith('public') and r.headers.get('etag'),
               'the form page is public, with an ETag', str(r.headers))

        q = 'What are the symptoms of Zellweger spectrum disorder in babies?'
        r = post(srv, {'question': q}, origin='https://evil.example', site=None)
        tap.eq(r.status, 403, 'another site\'s Origin: 403')
        r = post(srv, {'question': q}, site='cross-site')
        tap.eq(r.status, 403, 'Sec-Fetch-Site: cross-site: 403')
        r = post(srv, {'question': q}, site='same-site')
        tap.eq(r.status, 403, 'Sec-Fetch-Site: same-site: 403')
        r = post(srv, {'csrf': 'f' * 32, 'question': ''})
        tap.ok(r.status == 400 and b'question' in r.body, 'a stale csrf field from an older page is ignored')
        r = post(srv, {'question': ''})
        tap.ok(r.status == 400 and b'question' in r.body, 'an empty question is a 400 naming the question')
        r = post(srv, {'question': 'x' * 1500})
        tap.eq(r.status, 400, 'a question over 1000 bytes is a 400')
        r = post(srv, {'question': q, 'article': '999'})
        tap.eq(r.status, 400, 'an article that does not exist is a 400')

        r = post(srv, {'question': q, 'article': '1', 'audience': 'nurse'}, origin=origin)
        loc = r.headers.get('location', '')
        tap.ok(r.status == 303 and TOKEN_PATH.match(loc), 'a good question: 303 to /questions/{32 hex digits}',
               r.summary())
        page = srv.get(loc)
        tap.eq(page.status, 200, 'the answer page answers 200')
        private(tap, page, 'the answer page')
        body = page.text
        tap.ok('Zellweger spectrum disorder in babies' in body and 'not advice about a particular patient' in body,
               'the page shows the question and says what the answer is')
        doc = parse_html(body)
        passages = doc.find_all('li', cls='passage')
        tap.ok(1 <= len(passages) <= 5, 'up to five passages', len(passages))
        first = passages[0].text() if passages else ''
        tap.ok('Zellweger' in first and 'symptoms' in first.lower(), 'the best passage is the symptoms section', first)
        tap.ok('Not yet approved' in first, 'an unapproved passage says so')
        tap.ok('example.org/zellweger' in first, 'a passage lists the references it cites', first)
        tap.ok(b'noindex' in page.body, 'the page has a robots noindex meta')

        r2 = post(srv, {'question': q.upper() + '  ', 'article': '1', 'audience': 'nurse'}, origin=origin, site=None)
        loc2 = r2.headers.get('location', '')
        tap.ok(r2.status == 303 and TOKEN_PATH.match(loc2) and loc2 != loc,
               'the same open question asked again gets an address of its own, not the first asker\'s', loc2)
        tok_id = loc.rsplit('/', 1)[1]
        j = srv.get('/api/v1/questions/' + tok_id)
        tap.ok(j.status == 200 and j.json()['asked'] == 2 and j.json()['article_id'] == 1 and
               j.json()['audience'] == 'nurse', 'it is counted (asked: 2), with its article and audience', j.summary())
        j2 = srv.get('/api/v1/questions/' + loc2.rsplit('/', 1)[1])
        tap.ok(j2.status == 200 and j2.json()['question'] == q.upper() and j2.json()['asked'] == 2 and
               tok_id not in j2.text, 'the repeat\'s own page shows its own words and the shared count, never '
               'the first token', j2.summary())
        private(tap, j, 'GET /api/v1/questions/{token}')

        r = post(srv, {'question': 'zzqx flibbertigibbet wobblequark?'})
        page = srv.get(r.headers.get('location', '/none'))
        tap.ok(page.status == 200 and b"We don&#39;t have a reviewed answer yet" in page.body.replace(b'&#x27;', b'&#39;')
               or b"We don't have a reviewed answer yet" in page.body, 'no match: the page says we have no reviewed '
               'answer yet', page.summary())
        tap.ok(b'gone to the editorial team' in page.body, 'and that the question went to the editors')
        j = srv.get('/api/v1/questions/' + r.headers.get('location', '/x').rsplit('/', 1)[1]).json()
        tap.ok(j['state'] == 'queued' and j['answer']['passages'] == [], 'its state is queued', j)

        for path in ('/questions/' + '0' * 32, '/questions/' + tok_id[:-1] + ('0' if tok_id[-1] != '0' else '1'),
                     '/questions/short', '/api/v1/questions/' + '0' * 32):
            tap.eq(srv.get(path).status, 404, 'a wrong token is a 404 (%s)' % path)
        tap.eq(srv.get('/questions').status, 405, 'there is no list of questions (GET /questions: 405)')
        r = srv.get('/api/v1/questions')
        tap.ok(r.status == 401 and tok_id not in r.text, 'the API lists questions only to editorial accounts (401)',
               r.summary())
        tap.ok(tok_id.encode() not in srv.get('/').body and tok_id.encode() not in srv.get('/search?q=zellweger').body,
               'the question appears on no public page')

        # JSON
        r = post_json(srv, {'question': 'Wilson disease copper liver?', 'audience': 'patient'})
        tap.ok(r.status == 201 and re.match(r'^/api/v1/questions/[0-9a-f]{32}$', r.headers.get('location', '')),
               'POST /api/v1/questions from a program (no Origin, no cookie): 201 with Location', r.summary())
        a = r.json()
        tap.ok(a['state'] == 'queued' and a['answer']['passages'][0]['source_id'] == 'FIX_0004_Sec1' and
               a['answer']['passages'][0]['state'] == 'submitted' and a['answer']['summary'] == [] and
               a['audience'] == 'patient', 'the reply carries the closest passage, not yet reviewed, and does not '
               'call it an answer', a)
        r = post_json(srv, {'question': 'Wilson disease copper?'}, {'Origin': 'https://evil.example'})
        tap.eq(r.status, 403, 'JSON from another origin: 403')
        r = post_json(srv, {'question': 'Wilson disease copper?'}, {'Sec-Fetch-Site': 'cross-site'})
        tap.eq(r.status, 403, 'JSON with Sec-Fetch-Site: cross-site: 403')
        r = post_json(srv, {'question': 'Wilson disease copper?'}, {'Origin': origin, 'Host': '127.0.0.1:%d' % srv.port})
        tap.eq(r.status, 201, 'JSON from a browser page of this site (Origin), no token: 201')
        r = post_json(srv, {'question': 'Wilson disease copper in the liver?'}, {'Sec-Fetch-Site': 'same-origin',
                                                                   'Origin': origin, 'Host': '127.0.0.1:%d' % srv.port})
        tap.eq(r.status, 201, 'JSON with Sec-Fetch-Site: same-origin, no token: 201')
        for bad, field in (({}, 'question'), ({'question': 5}, 'question'), ({'question': 'ok?', 'article': 'x'}, 'article'),
                           ({'question': 'ok?', 'audience': 'martian'}, 'audience'), ({'question': 'ok?', 'x': 1}, 'x')):
            r = post_json(srv, bad)
            tap.ok(r.status == 400 and r.json()['errors'][0]['field'] == field, 'bad JSON %s: 400 naming %s' % (bad, field),
                   r.summary())
        r = srv.request('POST', '/api/v1/questions', body=b'{"question": "a", "question": "b"}',
                        headers={'Content-Type': 'application/json'})
        tap.eq(r.status, 400, 'duplicate JSON keys: 400')

    with Server(tap, extra_args=['--question-rate', '2']) as srv:
        st = [post(srv, {'question': 'pain question number %d?' % i}) for i in range(3)]
        tap.eq([r.status for r in st], [303, 303, 429], '--question-rate 2: the third question in a minute is a 429')
        ra = st[2].headers.get('retry-after', '')
        tap.ok(ra.isdigit() and 1 <= int(ra) <= 60, '429 carries Retry-After in seconds', st[2].summary())
        r = post_json(srv, {'question': 'another pain question?'})
        tap.ok(r.status == 429 and r.headers.get('retry-after'), 'the JSON endpoint shares the limit')
        tap.eq(srv.get('/search?q=pain').status, 200, 'reading is not limited')

    with Server(tap, extra_args=['--question-rate', '0']) as srv:
        st = [post(srv, {'question': 'nginx limit question %d?' % i}).status
              for i in range(26)]
        tap.ok(st[:20] == [303] * 20 and 429 in st[20:], 'with evqa\'s limit off, nginx\'s limit_req still answers '
               '429 after a burst of 20 new questions', st)
        tap.eq(srv.get('/questions/new').status, 200, 'nginx limits only new questions')

    # A script on an allowed origin calls the API without credentials: no session cookie.
    with Server(tap, extra_args=['--cors-origin', 'http://client.example']) as srv:
        r = post_json(srv, {'question': 'Which pain question comes from a client page?'},
                      {'Origin': 'http://client.example'})
        tap.ok(r.status == 201 and r.headers.get('access-control-allow-origin') == 'http://client.example' and
               re.match(r'^/api/v1/questions/[0-9a-f]{32}$', r.headers.get('location', '')),
               'JSON from an allowed origin without cookies: 201 with Location, readable there', r.summary())
        r = post_json(srv, {'question': 'Which pain question comes from another client page?'},
                      {'Origin': 'http://client.example', 'Sec-Fetch-Site': 'cross-site'})
        tap.eq(r.status, 201, 'JSON from an allowed origin with Sec-Fetch-Site: cross-site: 201')
        r = post_json(srv, {'question': 'Which pain question comes from a client page?'},
                      {'Origin': 'http://client.example', 'Cookie': 'evqa_session=' + 'a' * 64})
        tap.eq(r.status, 403, 'JSON from an allowed origin with a session cookie: 403 (CORS never carries '
               'credentials)')
        r = post_json(srv, {'question': 'Which pain question comes from a client page?'},
                      {'Origin': 'http://other.example'})
        tap.eq(r.status, 403, 'JSON from an origin that is not allowed: 403')


if __name__ == '__main__':
    run(main)
