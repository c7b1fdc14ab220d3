#!/usr/bin/env python3
# t_provenance.py: honest provenance on the article page and in the JSON. A person's approval names
# them, their credential and their statement of interests, with the advisory-board line; content
# imported as approved says who imported it, from which source and when, and never "Approved by" or
# the advisory-board line; a revision sent back shows "Changes requested" as its current step.

import getpass
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from editor_client import add_token, add_user  # noqa: E402
from harness import Server, parse_html, run, run_evqa, top_srcdir  # noqa: E402

FIXTURE = os.path.join(top_srcdir(), 'tests', 'fixtures', 'medquad-small.jsonl')


def text(n):
    return re.sub(r'\s+', ' ', n.text()).strip() if n is not None else None


def steps(doc):
    ol = doc.find('ol', cls='review-steps')
    return [(text(li), li.get('aria-current')) for li in ol.find_all('li')] if ol is not None else []


def main(tap):
    with Server(tap) as srv:
        def page(aid, q=''):
            loc = srv.get('/articles/%d' % aid).headers.get('location')
            # straight from evqa (a hard reload), not the copy nginx may keep for a few seconds
            return parse_html(srv.get(loc + q, headers={'Cache-Control': 'no-cache'}).text)

        doc = page(2)
        tap.eq(text(doc.find(cls='approved-by')), 'Approved by Maya Okafor, MD, MPH on June 2, 2025. Declared '
               'interests: No financial relationships with makers of the products discussed in the articles she '
               'reviews.', 'a person\'s approval names them, their credential and their declared interests')
        tap.ok(doc.find(cls='advisory') is not None, 'with the advisory-board line')
        tap.ok(doc.find(cls='imported-note') is None, 'and no import note')
        j = srv.get('/api/v1/articles/2').json()
        tap.ok(j.get('approved_by', {}).get('name') == 'Maya Okafor' and j['approved_by'].get('credential') == 'MD, MPH'
               and j['approved_by'].get('conflicts', '').startswith('No financial') and j.get('provenance') is None,
               'the JSON says the same', repr({k: j.get(k) for k in ('approved_by', 'provenance')}))
        pro = doc.find('section', cls='disclaimer')
        pat = page(2, '?audience=patient').find('section', cls='disclaimer')
        tap.ok(pro is not None and 'health professionals' in pro.text() and pat is not None
               and 'health professionals' not in pat.text() and 'not advice about you' in pat.text()
               and 'your own doctor' in pat.text(),
               'patients get the disclaimer in their own words; clinicians the professional one',
               repr((text(pro), text(pat))))
        for aid in (1, 3):
            tap.ok(page(aid).find(cls='advisory') is None, 'article %d, not yet approved, has no advisory-board '
                   'line' % aid)

        p = run_evqa(['import', '--db', srv.db, '--state', 'approved', '--by', 'Ivy Importer', FIXTURE])
        tap.ok(p.returncode == 0, 'MedQuAD pages are imported as approved', p.stdout + p.stderr)
        aid = max(a['id'] for a in srv.get('/api/v1/articles?per_page=100').json())
        doc = page(aid)
        note = doc.find(cls='imported-note')
        tap.ok(note is not None and re.fullmatch(r'Imported as approved\. This revision was imported as approved '
                                                 r'from MedQuAD \(TEST\) \(the original page\) by Ivy Importer on '
                                                 r'\w+ \d+, \d{4}\. No one at evqa has reviewed or approved it; the '
                                                 r'Medical Advisory Board has not checked it\.', text(note) or ''),
               'an imported article says who imported it, from which source and when, and that nobody here '
               'reviewed it', text(note))
        link = note.find('a') if note is not None else None
        tap.ok(link is not None and link.get('href', '').startswith('https://example.org/'),
               'it links the original page')
        tap.ok(doc.find(cls='approved-by') is None and 'Approved by' not in doc.text(),
               'it never says "Approved by"')
        tap.ok(doc.find(cls='advisory') is None, 'and has no advisory-board line')
        st = steps(doc)
        tap.ok(len(st) == 3 and st[2][1] == 'step' and 'Approved' in st[2][0]
               and 'imported as approved, not reviewed here' in st[2][0],
               'its review steps say the approval was an import', repr(st))
        j = srv.get('/api/v1/articles/%d' % aid).json()
        pv = j.get('provenance') or {}
        tap.ok(j.get('approved_by') is None and pv.get('imported_by') == 'Ivy Importer'
               and pv.get('source') == 'MedQuAD (TEST)' and pv.get('imported_as') == 'approved'
               and pv.get('reviewed_here') is False and re.match(r'\d{4}-\d\d-\d\dT', pv.get('imported_at', '')),
               'the JSON carries the provenance, and no approver', repr(pv))

        p = run_evqa(['import', '--db', srv.db, FIXTURE])
        tap.ok(p.returncode == 0, 'importing the same file again changes nothing', p.stderr)

        add_user(srv, 'ed@x.org', 'Edna Editor', 'editor')
        add_user(srv, 'rev@x.org', 'Rex Reviewer', 'reviewer', credential='MD')
        ed, rev = add_token(srv, 'ed@x.org'), add_token(srv, 'rev@x.org')

        def call(token, method, path, body=None, headers=None):
            import json
            h = {'Authorization': 'Bearer %s' % token, 'Content-Type': 'application/json'}
            h.update(headers or {})
            return srv.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)

        r = call(ed, 'POST', '/api/v1/articles', {'question': 'Is a draft without sources fine?', 'texts': [
            {'audience': 'clinician', 'bottom_line': 'Perhaps.', 'body': 'No sources yet.'}], 'references': []})
        bare = r.json().get('id') if r.status == 201 else None
        tap.ok(bare is not None, 'a draft without references can be saved', r.summary())
        r = call(rev, 'POST', '/api/v1/articles/%d/transitions' % bare, {'to': 'under_review'})
        r = call(rev, 'POST', '/api/v1/articles/%d/transitions' % bare, {'to': 'approved'})
        tap.ok(r.status == 409 and 'at least one' in r.json().get('detail', ''),
               'but an article with no references cannot be approved', r.summary())
        tap.eq(srv.get('/api/v1/articles/%d' % bare).json().get('state'), 'under_review', 'it stays in review')
        r = call(rev, 'POST', '/api/v1/articles/3/transitions', {'to': 'changes_requested', 'reason': 'Add the trial.'})
        tap.eq(r.status, 200, 'a reviewer sends article 3 back')
        st = steps(page(3))
        tap.ok(len(st) == 3 and st[1][1] == 'step' and 'Changes requested' in st[1][0] and 'current state' in st[1][0]
               and not any('current state' in s[0] for i, s in enumerate(st) if i != 1),
               'readers see "Changes requested" as the current step', repr(st))

        newest = max(v['number'] for v in call(ed, 'GET', '/api/v1/articles/%d/revisions' % aid).json())
        got = call(ed, 'GET', '/api/v1/articles/%d/revisions/%d' % (aid, newest))
        cur = got.json()
        # a changed body: a PUT equal to the newest revision saves nothing
        texts = [dict(t, body=t['body'] + '\n\nReviewed here.\n') for t in cur['texts']]
        r = call(ed, 'PUT', '/api/v1/articles/%d' % aid, {'question': cur['question'], 'texts': texts,
                                                         'references': cur['references']},
                 {'If-Match': got.headers.get('etag', '')})
        ok, diag = r.status in (200, 201), r.summary()
        for to in ('under_review', 'approved'):
            t = call(rev, 'POST', '/api/v1/articles/%d/transitions' % aid, {'to': to})
            ok, diag = ok and t.status == 200, diag if not ok else t.summary()
        tap.ok(ok, 'a reviewer approves a revision of the imported article', diag)
        doc = page(aid)
        tap.ok(text(doc.find(cls='approved-by')).startswith('Approved by Rex Reviewer, MD on ')
               and 'No statement of interests is on record for this reviewer.' in text(doc.find(cls='approved-by'))
               and doc.find(cls='advisory') is not None and doc.find(cls='imported-note') is None,
               'then it names the reviewer (who has no statement on record yet), with the advisory-board line')
        loc = srv.get('/articles/%d' % aid).headers.get('location')
        etag = srv.get(loc, headers={'Cache-Control': 'no-cache'}).headers.get('etag', '')
        p = run_evqa(['user', 'conflicts', '--db', srv.db, '--email', 'rev@x.org', '--conflicts',
                      'Consulting fees from a maker of compression stockings (2024).'])
        tap.ok(p.returncode == 0, 'evqa user conflicts stores a statement of interests', p.stderr)
        tap.ok('Declared interests: Consulting fees from a maker of compression stockings (2024).'
               in text(page(aid).find(cls='approved-by')), 'and readers see it beside the approval')
        r = srv.get(loc, headers={'Cache-Control': 'no-cache', 'If-None-Match': etag})
        tap.ok(r.status == 200 and 'Consulting fees from a maker' in r.text,
               'a browser or nginx revalidating the page it kept gets the new statement, not 304', r.summary())
        p = run_evqa(['user', 'conflicts', '--db', srv.db, '--email', 'rev@x.org', '--conflicts', 'a\nb'])
        tap.eq(p.returncode, 2, 'a statement with a line break is a usage error')

        edited = os.path.join(srv.dir, 'one.jsonl')
        with open(FIXTURE) as f:
            line = f.readline().replace('FIX_0001', 'FIX_9001').replace('Zellweger', 'Zellwegger')
        with open(edited, 'w') as f:
            f.write(line)
        p = run_evqa(['import', '--db', srv.db, '--state', 'approved', edited])
        new = max(a['id'] for a in srv.get('/api/v1/articles?per_page=100').json())
        pv = srv.get('/api/v1/articles/%d' % new).json().get('provenance') or {}
        tap.eq(pv.get('imported_by'), getpass.getuser(), 'without --by the importer is the login name')


if __name__ == '__main__':
    run(main)
