#!/usr/bin/env python3
# t_search.py: GET /search and GET /api/v1/search through nginx, on the demo articles and a small
# imported fixture: ranking approved first, grouping by article, escaped snippets, hostile queries,
# the JSON conventions (pagination, X-Total-Count, Link, problem+json).

import json
import os
import re
import sys
from urllib.parse import quote

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Server, parse_html, run, run_evqa, top_srcdir  # noqa: E402

FIXTURE = os.path.join(top_srcdir(), 'tests', 'fixtures', 'medquad-small.jsonl')

HOSTILE = ['"', '""', 'NEAR(', 'NEAR(a b, 1)', 'a AND OR NOT b', '*', 'x*', 'title:pain', '^pain',
           '(pain', 'pain)', "'; DROP TABLE section; --", '<script>alert(1)</script>', '%00', '\u202e\u200b',
           'pain ' * 100, 'é' * 200, '漢字 — “pain”', '[1]', '{pain}', '-pain +pain']


def main(tap):
    with Server(tap, extra_args=['--question-rate', '0']) as srv:
        p = run_evqa(['import', '--db', srv.db, FIXTURE])
        tap.eq(p.returncode, 0, 'the fixture imports into the running site\'s database', p.stderr)

        r = srv.get('/search')
        tap.ok(r.status == 200 and b'name="q"' in r.body, 'GET /search shows the search form')
        r = srv.get('/search?q=acupuncture+pain')
        tap.eq(r.status, 200, 'GET /search?q=acupuncture+pain answers 200')
        doc = parse_html(r.text)
        results = doc.find_all('li', cls='search-result')
        tap.ok(len(results) >= 1, 'the search finds the acupuncture article')
        tap.ok(any(m.text().lower() in ('acupuncture', 'pain') for m in doc.find_all('mark')),
               'matched words are marked in the snippets')

        r = srv.get('/api/v1/search?q=quokkaflux')
        items = r.json()
        tap.ok(r.status == 200 and len(items) == 1 and items[0]['source_id'] == 'FIX_0002',
               'the API finds the imported article by a word of its text', r.summary())
        sn = items[0]['sections'][0]
        tap.ok('<script' not in sn['snippet_html'] and '&lt;script&gt;' in sn['snippet_html'] and
               '<mark>' in sn['snippet_html'], 'snippet_html is escaped text with <mark> only', sn['snippet_html'])
        tap.ok('<script>' in sn['snippet'] and '<mark>' not in sn['snippet'], 'snippet is the plain text')
        tap.eq(items[0]['approved'], False, 'an unapproved article says so in JSON')
        r = srv.get('/search?q=quokkaflux')
        # the one script element allowed is the site's own, in the head
        body = re.sub(rb'<script src="/static/js/evqa\.[0-9a-f]{10}\.js" defer></script>', b'', r.body, count=1)
        tap.ok(b'&lt;script&gt;' in body and b'<script' not in body and b'Not yet approved' in body,
               'the page shows the escaped snippet and the not-yet-approved note')

        r = srv.get('/api/v1/search?q=pain+treatment')
        items = r.json()
        flags = [i['approved'] for i in items]
        tap.ok(len(items) >= 2 and flags == sorted(flags, reverse=True), 'approved articles come before unapproved '
               'ones', flags)
        tap.ok(all(1 <= len(i['sections']) <= 3 for i in items) and len({i['id'] for i in items}) == len(items),
               'results are grouped by article, each with the sections that matched')
        tap.eq(r.headers.get('x-total-count'), str(len(items)), 'X-Total-Count counts articles')
        r = srv.get('/api/v1/search?q=pain+treatment&per_page=1')
        tap.ok(len(r.json()) == 1 and 'rel="next"' in r.headers.get('link', '') and
               '/api/v1/search?q=pain%20treatment&page=2&per_page=1' in r.headers.get('link', ''),
               'pagination: per_page and a Link to the next page', r.headers.get('link'))
        r = srv.get('/api/v1/search?q=pain&page=999')
        tap.ok(r.status == 400 and r.json()['errors'][0]['field'] == 'page', 'a page after the last is a 400 naming page')
        r = srv.get('/api/v1/search')
        tap.ok(r.status == 400 and r.json()['errors'][0]['field'] == 'q', 'q is required in the API')
        r = srv.get('/api/v1/search?q=pain&state=published')
        tap.ok(r.status == 400 and r.json()['errors'][0]['field'] == 'state', 'an unknown state is a 400')
        r = srv.get('/api/v1/search?q=pain&state=approved')
        tap.ok(r.status == 200 and all(i['state'] == 'approved' for i in r.json()), 'state=approved filters')
        r = srv.get('/api/v1/search?q=high+blood+pressure')
        tap.ok(r.status == 200 and any(i['source_id'] == 'FIX_0003' for i in r.json()),
               'a seeded synonym widens the search (high blood pressure -> hypertension)')

        for q in HOSTILE:
            for base in ('/search?q=', '/api/v1/search?q='):
                r = srv.get(base + quote(q.encode('utf-8'), safe=''))
                tap.ok(r.status in (200, 400) and (r.status == 200 or b'q' in r.body),
                       'hostile query %r on %s answers %d, never 5xx' % (q[:30], base.split('?')[0], r.status),
                       r.summary())
        r = srv.get('/healthz')
        tap.eq(r.status, 200, 'the server still answers after the hostile queries')


if __name__ == '__main__':
    run(main)
