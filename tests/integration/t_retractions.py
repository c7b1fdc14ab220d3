#!/usr/bin/env python3
# t_retractions.py: retraction watch. `evqa references check --retractions FILE` reads the fixture
# tests/fixtures/retractions-small.csv (the Retraction Watch database's CSV layout) and flags exactly
# the articles whose shown or newest revision cites one of its noticed papers, by DOI (any case, with
# or without a resolver prefix) or PubMed id; reinstatements, rows without identifiers, uncited papers
# and archived articles flag nothing. The editors' dashboard lists the flagged articles, readers see a
# notice beside the reference and at the top of the article, the finding is in the audit trail, and a
# second run changes nothing. A file that is not in the layout, or is malformed, changes nothing.

import json
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from editor_client import Browser, add_token, add_user  # noqa: E402
from harness import Server, parse_html, run, run_evqa, top_srcdir  # noqa: E402

FIXTURE = os.path.join(top_srcdir(), 'tests', 'fixtures', 'retractions-small.csv')


def check(srv, path):
    return run_evqa(['references', 'check', '--db', srv.db, '--retractions', path])


def main(tap):
    with Server(tap) as srv:
        add_user(srv, 'ed@x.org', 'Edna Editor', 'editor')
        add_user(srv, 'rev@x.org', 'Rex Reviewer', 'reviewer', credential='MD')
        ed, rev = add_token(srv, 'ed@x.org'), add_token(srv, 'rev@x.org')

        def call(token, method, path, body=None):
            return srv.request(method, path, body=json.dumps(body) if body is not None else None, headers={
                'Authorization': 'Bearer %s' % token, 'Content-Type': 'application/json'})

        def article(name, refs):
            doc = {'question': 'What does study %s show?' % name,
                   'texts': [{'audience': 'clinician', 'bottom_line': 'It shows something [1].',
                              'body': ''.join('- Finding %d [%d].\n' % (i + 1, i + 1) for i in range(len(refs)))}],
                   'references': [dict({'type': 'research', 'title': 'Study %s.%d' % (name, i + 1), 'source': None,
                                        'year': 2020, 'pmid': None, 'doi': None, 'url': None}, **r)
                                  for i, r in enumerate(refs)]}
            r = call(ed, 'POST', '/api/v1/articles', doc)
            return r.json()['id'] if r.status == 201 else None

        ids = {
            'A': article('A', [{'doi': '10.5555/evqa.clean.a'}, {'doi': '10.5555/evqa.retracted.1'}]),
            'B': article('B', [{'pmid': '99990001'}]),
            'C': article('C', [{'doi': '10.5555/evqa.concern.3'}]),
            'D': article('D', [{'doi': '10.5555/Evqa.Quoted.7'}]),
            'E': article('E', [{'doi': '10.5555/evqa.clean.8', 'pmid': '99990008'}]),
            'F': article('F', [{'doi': '10.5555/evqa.retracted.1'}]),
        }
        ok = all(ids.values())
        for to in ('under_review', 'approved'):
            ok = ok and call(rev, 'POST', '/api/v1/articles/%d/transitions' % ids['A'], {'to': to}).status == 200
        ok = ok and call(ed, 'POST', '/api/v1/articles/%d/transitions' % ids['F'],
                         {'to': 'archived', 'reason': 'Withdrawn.'}).status == 200
        if not tap.ok(ok, 'six articles are written (A approved, F archived)', repr(ids)):
            return
        flagged = {ids[k] for k in 'ABCD'}

        before = {k: len(call(ed, 'GET', '/api/v1/articles/%d/history' % v).json()) for k, v in ids.items()}
        loc_a = srv.get('/articles/%d' % ids['A']).headers.get('location')
        etag_a = srv.get(loc_a, headers={'Cache-Control': 'no-cache'}).headers.get('etag', '')
        p = check(srv, FIXTURE)
        tap.ok(p.returncode == 0, 'evqa references check reads the fixture', p.stdout + p.stderr)
        found = {int(m) for m in re.findall(r'^article (\d+) ', p.stdout, re.M)}
        tap.eq(found, flagged, 'it flags exactly the articles that cite a noticed paper', p.stdout)
        tap.ok('5 notices on papers (5 new)' in p.stdout and '1 rows of other notices skipped' in p.stdout
               and '1 rows naming no DOI or PubMed id skipped' in p.stdout and '4 newly flagged' in p.stdout,
               'and says what it read and found', p.stdout)

        page = parse_html(srv.get(srv.get('/articles/%d' % ids['A']).headers.get('location')).text)
        ref2 = page.by_id('ref-2')
        note = ref2.find(cls='ref-notice') if ref2 is not None else None
        tap.eq(re.sub(r'\s+', ' ', note.text()) if note is not None else None,
               'Retraction: a study cited here was retracted on March 14, 2024; this article is being re-reviewed.',
               'readers see the notice beside the reference it is about')
        tap.ok(page.by_id('ref-1').find(cls='ref-notice') is None, 'and not beside the others')
        r = srv.get(loc_a, headers={'Cache-Control': 'no-cache', 'If-None-Match': etag_a})
        tap.ok(r.status == 200 and 'ref-notice' in r.text,
               'a browser or nginx revalidating the page it kept gets the notice, not 304', r.summary())
        appr = page.find(cls='approved-by')
        tap.ok(appr is not None and 'Rex Reviewer' in appr.text(),
               'the finding, an audit row, does not hide who approved the revision')
        top = page.find(cls='retraction-note')
        tap.ok(top is not None and top.find('a').get('href') == '#ref-2' and 'retracted on March 14, 2024' in top.text(),
               'a note at the top of the article links to that reference')
        b = parse_html(srv.get(srv.get('/articles/%d' % ids['B']).headers.get('location')).text)
        tap.ok('was corrected on November 2, 2023' in b.by_id('ref-1').text(), 'a correction says so (by PubMed id)')
        c = parse_html(srv.get(srv.get('/articles/%d' % ids['C']).headers.get('location')).text)
        tap.ok('received an expression of concern on June 30, 2022' in c.by_id('ref-1').text(),
               'an expression of concern says so (DOI matched whatever its case)')
        e = parse_html(srv.get(srv.get('/articles/%d' % ids['E']).headers.get('location')).text)
        tap.ok(e.find(cls='ref-notice') is None and e.find(cls='retraction-note') is None,
               'an article citing no noticed paper shows no notice')

        hist = call(ed, 'GET', '/api/v1/articles/%d/history' % ids['A']).json()
        reasons = [h.get('reason') or '' for h in hist]
        tap.ok(any('reference 2' in x and 'retracted on 2024-03-14' in x and 'record 90001' in x for x in reasons),
               'the finding is in the article\'s audit trail', json.dumps(hist)[:600])
        after = {k: len(call(ed, 'GET', '/api/v1/articles/%d/history' % v).json()) for k, v in ids.items()}
        tap.eq({k: after[k] - before[k] for k in ids}, {'A': 1, 'B': 1, 'C': 1, 'D': 1, 'E': 0, 'F': 0},
               'one audit row for each flagged article, none for the others')

        br = Browser(srv)
        br.login('ed@x.org')
        dash = parse_html(br.get('/editor').body)
        sec = dash.find(cls='flags')
        links = {int(a.get('href').rsplit('/', 1)[1]) for a in sec.find_all('a')} if sec is not None else set()
        tap.eq(links, flagged, 'the editors\' dashboard lists the flagged articles')
        hist_page = parse_html(br.get('/editor/articles/%d' % ids['A']).text).find('ol', cls='history').text()
        tap.ok("evqa's automatic check" in hist_page and 'record 90001' in hist_page,
               'the review page\'s history shows the finding')

        p = check(srv, FIXTURE)
        again = {k: len(call(ed, 'GET', '/api/v1/articles/%d/history' % v).json()) for k, v in ids.items()}
        tap.ok(p.returncode == 0 and '(0 new)' in p.stdout and '0 newly flagged' in p.stdout and again == after,
               'running it again with the same file changes nothing', p.stdout)

        d = srv.path('bad.csv')
        with open(d, 'w') as f:
            f.write('Record ID,Title,DOI\n1,x,10.5555/evqa.retracted.1\n')
        p = check(srv, d)
        tap.ok(p.returncode == 1 and 'OriginalPaperDOI' in p.stderr, 'a file without the Retraction Watch columns '
               'is refused, naming the missing one', p.stderr)
        with open(FIXTURE, encoding='utf-8-sig') as f:
            text = f.read()
        with open(d, 'w') as f:
            f.write(text.replace('10.5555/evqa.uncited.6', '10.5555/evqa.clean.8') + '9,"unclosed,\n')
        p = check(srv, d)
        tap.ok(p.returncode == 1 and 'not closed' in p.stderr and 'nothing was changed' in p.stderr,
               'a malformed file is refused with where it goes wrong', p.stderr)
        e = parse_html(srv.get(srv.get('/articles/%d' % ids['E']).headers.get('location')).text)
        tap.ok(e.find(cls='ref-notice') is None, 'and nothing of it was kept')
        p = run_evqa(['references', 'check', '--db', srv.db])
        tap.ok(p.returncode == 2 and '--retractions' in p.stderr, 'without --retractions: a usage error')
        p = run_evqa(['--help'])
        lines = p.stdout.splitlines()
        first_desc = next((i for i, x in enumerate(lines) if re.match(r'^  [a-z]', x)), len(lines))
        synopses = [i for i, x in enumerate(lines) if x.startswith(('usage: evqa', '       evqa'))]
        tap.ok(p.returncode == 0 and synopses and max(synopses) < first_desc
               and any('evqa references check' in lines[i] for i in synopses)
               and any('evqa import' in lines[i] for i in synopses),
               'evqa --help lists every command\'s synopsis before the descriptions', p.stdout[:800])


if __name__ == '__main__':
    run(main)
