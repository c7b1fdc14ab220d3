#!/usr/bin/env python3
# t_versions.py: every approved revision keeps its own address (/articles/{id}/{slug}/v/{n}) that
# shows it as it was, under a banner linking to the current one; the article page lists its approved
# versions with dates and approvers; readers see what changed between two approved versions; the
# JSON carries the same. Through nginx, after a second version of the approved demo article is
# written through the API and approved by a reviewer.

import json
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from editor_client import add_token, add_user  # noqa: E402
from harness import Server, parse_html, run  # noqa: E402

SLUG = 'doacs-vs-warfarin-atrial-fibrillation'
PAGE = '/articles/2/' + SLUG
OLD_WORDS = 'Yes. For patients with non-valvular atrial fibrillation'
NEW_WORDS = 'Yes, for most patients. In non-valvular atrial fibrillation'


def api(srv, token, method, path, body=None, headers=None):
    h = {'Authorization': 'Bearer %s' % token}
    if body is not None:
        h['Content-Type'] = 'application/json'
    h.update(headers or {})
    return srv.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)


def new_version(tap, srv, ed, rev):
    """Writes revision 2 of article 2 (new bottom-line wording, one more reference) and has it approved;
    then writes revision 3 and leaves it in review."""
    got = api(srv, ed, 'GET', '/api/v1/articles/2/revisions/1')
    cur = got.json()
    texts = [{'audience': t['audience'], 'bottom_line': t['bottom_line'].replace(OLD_WORDS, NEW_WORDS),
              'body': t['body']} for t in cur['texts']]
    refs = cur['references'] + [{'type': 'review', 'title': 'A new review of anticoagulants', 'source': None,
                                 'year': 2024, 'pmid': None, 'doi': None, 'url': None}]
    doc = {'question': cur['question'], 'texts': texts, 'references': refs}
    put = api(srv, ed, 'PUT', '/api/v1/articles/2', doc, {'If-Match': got.headers.get('etag', '')})
    ok = put.status in (200, 201)
    for to in ('under_review', 'approved'):
        ok = ok and api(srv, rev, 'POST', '/api/v1/articles/2/transitions', {'to': to}).status == 200
    doc['texts'][0]['body'] += '\n\nA later note.\n'
    ok = ok and api(srv, ed, 'PUT', '/api/v1/articles/2', doc, {'If-Match': put.headers.get('etag', '')}).status in (200, 201)
    ok = ok and api(srv, rev, 'POST', '/api/v1/articles/2/transitions', {'to': 'under_review'}).status == 200
    return tap.ok(ok, 'a second version of the approved article is written and approved, a third is in review')


def bottom_line(doc):
    n = doc.find(cls='bottom-line')
    return n.text() if n is not None else ''


def check_pages(tap, srv):
    page = parse_html(srv.get(PAGE).text)
    rows = page.find(cls='version-list').find_all('li') if page.find(cls='version-list') else []
    tap.eq([r.find('a').get('href') for r in rows], [PAGE + '/v/2', PAGE + '/v/1'],
           'the article page lists its approved versions, newest first, each at its own address')
    texts = [re.sub(r'\s+', ' ', r.text()) for r in rows]
    tap.ok(len(texts) == 2 and 'by Rex Reviewer, MD' in texts[0] and 'by Maya Okafor, MD, MPH' in texts[1]
           and 'June 2, 2025' in texts[1], 'each version says when it was approved and by whom', repr(texts))
    tap.ok(rows and rows[0].find('time') is not None and re.fullmatch(
        r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', rows[0].find('time').get('datetime', '')),
        'the approval dates are machine-readable')
    tap.ok(all(r.get('aria-current') is None for r in rows), 'the article page marks no version as being read')

    r = srv.get(PAGE + '/v/1')
    old = parse_html(r.text)
    banner = old.find(cls='version-banner')
    tap.ok(r.status == 200 and OLD_WORDS in bottom_line(old) and NEW_WORDS not in bottom_line(old),
           'the address of version 1 shows version 1 as it was', r.summary())
    tap.ok(banner is not None and 'revision 1' in banner.text() and 'June 2, 2025' in banner.text()
           and any(a.get('href') == PAGE and 'revision 2' in a.text() for a in banner.find_all('a')),
           'its banner says which version it is and links to the current one',
           banner.text() if banner is not None else 'no banner')
    refs = old.find_all('li', cls='reference')
    tap.eq(len(refs), 6, 'version 1 shows its own reference list')
    approved = old.find(cls='approved-by')
    tap.ok(approved is not None and 'Maya Okafor' in approved.text(), 'and its own approver')
    tap.ok(old.find(cls='update-note') is None, 'a version page has no "update in review" note')
    cur = [li for li in old.find(cls='version-list').find_all('li') if li.get('aria-current') == 'page']
    tap.ok(len(cur) == 1 and cur[0].find('a').get('href') == PAGE + '/v/1',
           'the version list marks the version being read')
    tap.eq(old.find('form', cls='audience').get('action'), PAGE + '/v/1',
           'changing the audience on a version page stays on that version')
    pat = parse_html(srv.get(PAGE + '/v/1?audience=patient').text)
    tap.ok('newer pills' in bottom_line(pat), 'a version page shows the asked audience\'s wording')

    now = parse_html(srv.get(PAGE + '/v/2').text)
    banner = now.find(cls='version-banner')
    tap.ok(NEW_WORDS in bottom_line(now) and banner is not None and 'current version' in banner.text(),
           'the address of the current version says it is the current one')

    r = srv.get(PAGE + '/v/3')
    tap.ok(r.status == 404 and 'revisions 2 and 1' in r.text,
           'a revision still in review has no version address (404 naming the approved ones)', r.summary())
    tap.eq(srv.get(PAGE + '/v/0').status, 404, 'version 0 is not found')
    tap.eq(srv.get(PAGE + '/v/abc').status, 404, 'a version that is not a number is not found')
    r = srv.get('/articles/2/old-slug/v/1?audience=patient')
    tap.ok(r.status == 301 and r.headers.get('location') == PAGE + '/v/1?audience=patient',
           'a version address with an old slug redirects to the right one', r.summary())
    r = srv.get('/articles/3/vitamin-d-fracture-prevention/v/1')
    tap.ok(r.status == 404 and 'no approved version' in r.text,
           'an article never approved has no version addresses', r.summary())
    tap.ok(parse_html(srv.get('/articles/3/vitamin-d-fracture-prevention').text).find(cls='versions') is None,
           'and its page lists no versions')


def check_changes(tap, srv):
    page = parse_html(srv.get(PAGE).text)
    link = [a.get('href') for a in page.find(cls='version-list').find_all('a') if 'changed' in a.text()]
    tap.eq(link, [PAGE + '/changes?rev=2&against=1'], 'the newer version links to what changed since the older')
    r = srv.get(link[0] if link else PAGE + '/changes')
    doc = parse_html(r.text)
    titles = [h.text() for h in doc.find_all('h2')]
    tap.ok(r.status == 200 and 'Bottom line' in titles and 'References' in titles and 'Question' not in titles
           and 'Body' not in titles, 'the changes page shows the parts that changed, and only those', repr(titles))
    dels = ' '.join(d.text() for d in doc.find_all('del'))
    ins = ' '.join(i.text() for i in doc.find_all('ins'))
    tap.ok('For patients with' in dels and 'for most patients' in ins and 'A new review of anticoagulants' in ins,
           'removed words are struck through and added ones underlined', 'del: %r ins: %r' % (dels, ins))
    hrefs = [a.get('href') for a in doc.find_all('a')]
    tap.ok(PAGE + '/v/2' in hrefs and PAGE + '/v/1' in hrefs and PAGE in hrefs,
           'it links to both versions and to the article')
    tap.eq(srv.get(PAGE + '/changes').status, 200, 'without a query it compares the newest two versions')
    r = srv.get(PAGE + '/changes?rev=1&against=2')
    tap.ok(r.status == 200 and 'for most patients' in ' '.join(i.text() for i in parse_html(r.text).find_all('ins')),
           'the versions may be given in either order: the older is always the base')
    r = srv.get(PAGE + '/changes?rev=3')
    tap.ok(r.status == 400 and 'rev' in r.text and 'revisions 2 and 1' in r.text,
           'comparing a revision that is not an approved version is a 400 naming the approved ones', r.summary())
    tap.eq(srv.get(PAGE + '/changes?rev=1').status, 400, 'the first version has nothing before it: 400')
    tap.eq(srv.get(PAGE + '/changes?rev=x').status, 400, 'a rev that is not a number is a 400')
    tap.eq(srv.get('/articles/1/acupuncture-chronic-pain/changes').status, 404,
           'an article without two approved versions has nothing to compare: 404')


def check_json(tap, srv):
    j = srv.get('/api/v1/articles/2').json()
    vs = j.get('versions', [])
    tap.eq([v['revision'] for v in vs], [2, 1], 'the article JSON lists its approved versions, newest first')
    tap.ok(vs and vs[1]['approved_by'] == {'name': 'Maya Okafor', 'credential': 'MD, MPH'}
           and vs[1]['approved_at'] == '2025-06-02T15:00:00Z' and vs[1]['url'] == PAGE + '/v/1'
           and vs[1]['api_url'] == '/api/v1/articles/2/versions/1', 'each with its approver, date and addresses',
           repr(vs))
    v1 = srv.get(vs[1]['api_url'] if vs else '/api/v1/articles/2/versions/1').json()
    tap.ok(v1.get('revision') == 1 and v1.get('current') is False and v1.get('current_revision') == 2
           and v1.get('permalink') == PAGE + '/v/1' and OLD_WORDS in v1['bottom_line']['text']
           and len(v1['references']) == 6, 'a version\'s JSON is that version, saying which one is current')
    r = srv.get('/api/v1/articles/2/versions/3')
    tap.ok(r.status == 404 and r.content_type == 'application/problem+json',
           'a revision that is not an approved version is a problem+json 404')
    ch = srv.get(vs[0]['changes_api_url'] if vs else '/api/v1/articles/2/changes').json()
    tap.ok(ch.get('revision') == 2 and ch.get('against') == 1 and
           [p['part'] for p in ch.get('parts', [])] == ['Bottom line', 'References']
           and all(p['changed_lines'] > 0 and '<ins>' in p['html'] for p in ch['parts']),
           'what changed is in the JSON too', json.dumps(ch)[:400])
    tap.eq(vs[1]['changes_api_url'] if vs else '', None, 'the first version has nothing to compare with')


def main(tap):
    with Server(tap) as srv:
        add_user(srv, 'ed@x.org', 'Edna Editor', 'editor')
        add_user(srv, 'rev@x.org', 'Rex Reviewer', 'reviewer', credential='MD')
        if not new_version(tap, srv, add_token(srv, 'ed@x.org'), add_token(srv, 'rev@x.org')):
            return
        check_pages(tap, srv)
        check_changes(tap, srv)
        check_json(tap, srv)


if __name__ == '__main__':
    run(main)
