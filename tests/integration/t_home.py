#!/usr/bin/env python3
# t_home.py: a corpus one can browse. With 130 articles the home page comes in pages of 100 (?page=,
# rel="prev"/"next" links in the head and a pager), an A-Z index and filters by state and by source
# narrow it, a page past the end is a 400 that says how many there are, and questions asked by more
# than one article say where each comes from; a filter by the kind of question answered (from the
# section headings) finds the articles with such a section. Each article lists the articles that cite
# the same studies, then those on the same topic, then those sharing a name through the synonyms
# (one's topic is another name of the other's, or both go by the same other name): at most 8, never
# itself, never an unrelated article.

import json
import os
import re
import sqlite3
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from editor_client import add_token, add_user  # noqa: E402
from harness import Server, parse_html, run, run_evqa  # noqa: E402


def record(i, title, source):
    return {'id': 'HOME_%04d' % i, 'title': title, 'source': source, 'url': 'https://example.org/%d' % i,
            'focus': title, 'synonyms': [],
            'sections': [{'id': 'HOME_%04d_1' % i, 'heading': 'What is %s?' % title, 'qtype': 'information',
                          'text': 'A fictitious condition number %d, described for the test.' % i}]}


def rows(doc):
    ul = doc.find('ul', cls='article-list')
    return ul.find_all('li', cls='article-row') if ul is not None else []


def main(tap):
    with Server(tap) as srv:
        path = srv.path('home.jsonl')
        with open(path, 'w') as f:
            for i in range(125):
                f.write(json.dumps(record(i, 'Zed syndrome %03d' % i if i % 2 else 'Quux disease %03d' % i,
                                          'GARD')) + '\n')
            treated = record(200, 'Twin condition', 'GARD')
            treated['sections'].append({'id': 'HOME_0200_2', 'heading': 'What are the treatments for Twin condition?',
                                        'qtype': 'treatment', 'text': 'Rest, for the test.'})
            f.write(json.dumps(treated) + '\n')
            f.write(json.dumps(record(201, 'Twin condition', 'GHR')) + '\n')
        p = run_evqa(['import', '--db', srv.db, '--state', 'approved', path])
        tap.ok(p.returncode == 0, '127 articles are imported (3 demo articles besides)', p.stderr)

        r = srv.get('/')
        doc = parse_html(r.text)
        tap.eq(len(rows(doc)), 100, 'the home page lists 100 articles')
        count = doc.find(cls='result-count')
        tap.ok(count is not None and '130 articles, page 1 of 2' in count.text(), 'and says how many there are',
               count.text() if count else None)
        heads = [(l.get('rel'), l.get('href')) for l in doc.find_all('link') if l.get('rel') in ('prev', 'next')]
        tap.eq(heads, [('next', '/?page=2')], 'the head links the next page (rel="next"), and no previous one')
        pager = doc.find('nav', cls='pager')
        tap.ok(pager is not None and [a.get('href') for a in pager.find_all('a')] == ['/?page=2'],
               'a pager at the foot links the next page')
        doc2 = parse_html(srv.get('/?page=2').text)
        tap.eq(len(rows(doc2)), 30, 'page 2 lists the other 30')
        heads = [(l.get('rel'), l.get('href')) for l in doc2.find_all('link') if l.get('rel') in ('prev', 'next')]
        tap.eq(heads, [('prev', '/')], 'and links back to page 1')
        ids1 = {a.find('a').get('href') for a in rows(doc)}
        ids2 = {a.find('a').get('href') for a in rows(doc2)}
        tap.ok(not ids1 & ids2, 'no article is on both pages')
        r = srv.get('/?page=3')
        tap.ok(r.status == 400 and 'from 1 to 2' in r.text, 'a page past the end is a 400 saying how many pages',
               r.summary(300))
        tap.eq(srv.get('/?page=0').status, 400, 'page 0 is a 400')

        az = doc.find('nav', cls='az')
        letters = {a.text(): a.get('href') for a in az.find_all('a')} if az is not None else {}
        tap.ok(letters.get('Q') == '/?letter=q' and letters.get('Z') == '/?letter=z' and 'X' not in letters,
               'the A-Z index links the letters that have articles, and only those', repr(letters))
        q = parse_html(srv.get('/?letter=q').text)
        qs = [a.find('a').text() for a in rows(q)]
        tap.ok(len(qs) == 63 and all(x.startswith('Quux') for x in qs), 'a letter lists the questions starting '
               'with it', '%d: %r' % (len(qs), qs[:3]))
        cur = [a.text() for a in q.find('nav', cls='az').find_all('a') if a.get('aria-current') == 'page']
        tap.eq(cur, ['Q'], 'and marks itself in the index')
        tap.eq(srv.get('/?letter=%C3%A9').status, 400, 'a letter outside a-z is a 400')

        st = parse_html(srv.get('/?state=under_review').text)
        tap.eq([a.find('a').text()[:30] for a in rows(st)], ['How effective is acupuncture f'],
               'the state filter shows the articles in that state')
        src = parse_html(srv.get('/?source=evqa').text)
        tap.eq(len(rows(src)), 3, 'the source filter "written at evqa" shows the demo articles')
        ghr = parse_html(srv.get('/?source=MedQuAD+%28GHR%29').text)
        tap.eq([a.find('a').text() for a in rows(ghr)], ['Twin condition'], 'and an import source its articles')
        opts = [o.get('value') for o in doc.find('select', attrs={'name': 'source'}).find_all('option')]
        tap.eq(opts, ['', 'evqa', 'MedQuAD (GARD)', 'MedQuAD (GHR)'], 'the source filter lists every source')
        both = parse_html(srv.get('/?letter=z&state=approved&page=1').text)
        tap.ok(len(rows(both)) == 62, 'filters combine', str(len(rows(both))))

        tr = parse_html(srv.get('/?answers=treatment').text)
        found = [a.find('a').text() for a in rows(tr)]
        tap.ok(found.count('Twin condition') == 1 and not any(x.startswith(('Quux', 'Zed')) for x in found),
               'the filter by kind of question finds the article with a section on treatment, not the others',
               repr(found))
        tap.eq(srv.get('/?answers=astrology').status, 400, 'an unknown kind of question is a 400')
        twins = [a for a in rows(doc2) if a.find('a').text() == 'Twin condition']
        labels = sorted(re.sub(r'\s+', ' ', t.find(cls='row-source').text()) for t in twins
                        if t.find(cls='row-source') is not None)
        tap.ok(len(labels) == 2 and labels[0].startswith('(MedQuAD (GARD), article') and
               labels[1].startswith('(MedQuAD (GHR), article'),
               'a question two articles ask says where each comes from', repr(labels))
        tap.ok(all(a.find(cls='row-source') is None for a in rows(doc) if 'Zed' in a.text()),
               'a question asked once is not labelled')

        check_related(tap, srv)


def check_related(tap, srv):
    add_user(srv, 'ed@x.org', 'Edna Editor', 'editor')
    ed = add_token(srv, 'ed@x.org')

    def post(q, dois):
        doc = {'question': q, 'texts': [{'audience': 'clinician', 'bottom_line': 'Yes [1].',
                                         'body': ''.join('- Point [%d].\n' % (i + 1) for i in range(len(dois)))}],
               'references': [{'type': 'research', 'title': 'Paper %d' % i, 'source': None, 'year': 2011,
                               'pmid': None, 'doi': d, 'url': None} for i, d in enumerate(dois)]}
        r = srv.request('POST', '/api/v1/articles', body=json.dumps(doc), headers={
            'Authorization': 'Bearer %s' % ed, 'Content-Type': 'application/json'})
        return r.json().get('id') if r.status == 201 else None

    two = post('Is dabigatran safe in the elderly?', ['10.1056/NEJMoa0905561', '10.1016/S0140-6736(13)62343-0'])
    one = post('Is apixaban better than aspirin?', ['10.1056/NEJMOA1107039', '10.5555/unrelated'])
    none = post('Is rest good for you?', ['10.5555/other'])
    tap.ok(two and one and none, 'three articles citing some of the studies article 2 cites, or none')

    def related(aid):
        loc = srv.get('/articles/%d' % aid).headers.get('location')
        sec = parse_html(srv.get(loc).text).find('section', cls='related')
        return [(int(a.get('href').split('/')[2]), re.sub(r'\s+', ' ', li.text())) for li in sec.find_all('li')
                for a in li.find_all('a')] if sec is not None else []

    rel = related(2)
    tap.eq([x[0] for x in rel], [two, one], 'the article lists the articles citing the same studies, most shared first')
    tap.ok(rel and 'cites 2 of the same references' in rel[0][1] and 'cites 1 of the same reference' in rel[1][1],
           'saying how many studies they share', repr(rel))
    tap.eq([x[0] for x in related(two)], [2], 'and the relation goes both ways')
    tap.eq(related(none), [], 'an article sharing no study lists none')
    check_related_names(tap, srv, related)


def check_related_names(tap, srv, related):
    def rec(key, title, synonyms, url=None):
        return {'id': 'REL_%s' % key, 'title': title, 'source': 'GARD', 'url': url or 'https://example.org/rel/%s' % key,
                'focus': title, 'synonyms': synonyms,
                'sections': [{'id': 'REL_%s_1' % key, 'heading': 'What is %s?' % title, 'qtype': 'information',
                              'text': 'A fictitious condition, described for the test of related articles.'}]}

    recs = [rec('A', 'Glimmer fever', ['Shimmer syndrome']),          # the article looked at
            rec('B', 'Shimmer syndrome', []),                          # its topic is another name of A's
            rec('C', 'Sparkle disease', ['Shimmer syndrome']),         # goes by the same other name as A
            rec('D', 'Dull condition', ['Drab state']),                # shares nothing
            rec('E', 'Glow palsy', [], url='https://example.org/rel/A'),  # cites what A cites
            rec('F', 'Glimmer fever', [])]                             # the same topic
    recs += [rec('G%d' % k, 'Flicker fever type %d' % k, ['Shimmer syndrome']) for k in range(1, 9)]
    path = srv.path('related.jsonl')
    with open(path, 'w') as f:
        for r in recs:
            f.write(json.dumps(r) + '\n')
    p = run_evqa(['import', '--db', srv.db, '--state', 'approved', path])
    tap.ok(p.returncode == 0, '14 articles related by name, or not at all, are imported', p.stderr)
    with sqlite3.connect(srv.db) as db:
        ids = dict(db.execute("SELECT substr(source_id, 5), id FROM article WHERE source_id LIKE 'REL\\_%' ESCAPE '\\'"))
    a, b, c, d, e, f = (ids.get(k) for k in 'ABCDEF')
    g = sorted(ids.get('G%d' % k) for k in range(1, 9))
    tap.eq(len(ids), 14, 'each has its own article', repr(ids))

    rel = related(a)
    tap.eq([x[0] for x in rel], [e, f, b, c] + g[:4],
           'an article lists first the one citing its study, then the one on its topic, then those sharing a '
           'name through the synonyms; 8 at most, and never itself', repr(rel))
    why = dict(rel)
    tap.ok('cites 1 of the same reference' in why.get(e, '') and 'same topic: glimmer fever' in why.get(f, '')
           and 'both known as shimmer syndrome' in why.get(b, '') and 'both known as shimmer syndrome' in why.get(c, ''),
           'saying what they share', repr(rel))
    tap.ok(a in [x[0] for x in related(b)] and a in [x[0] for x in related(c)],
           'the relation by a synonym goes both ways')
    tap.eq(related(d), [], 'an article sharing no name and no study lists none')
    tap.ok(all(d not in [x[0] for x in related(x)] for x in (a, b, c)), 'and is listed by none of the others')

    j = srv.get('/api/v1/articles/%d' % a).json()
    tap.eq([(x['id'], x['reason'], x['shared_references'], x['shared_name']) for x in j.get('related', [])],
           [(e, 'references', 1, None), (f, 'topic', 0, 'glimmer fever')]
           + [(x, 'synonym', 0, 'shimmer syndrome') for x in [b, c] + g[:4]],
           'the article JSON lists the same related articles in the same order, saying why')
    tap.ok(all(x['url'] == '/articles/%d/%s' % (x['id'], x['slug']) for x in j.get('related', [])),
           'each with its address')
    tap.eq(srv.get('/api/v1/articles/%d' % d).json().get('related'), [], 'and an empty list where the page lists none')


if __name__ == '__main__':
    run(main)
