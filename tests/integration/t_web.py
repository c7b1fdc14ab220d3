#!/usr/bin/env python3
# t_web.py: the web's conventions. robots.txt keeps crawlers out of the editors' pages, readers'
# questions and the JSON, and names the sitemap; sitemap.xml (sitemaps.org 0.9) lists every approved
# article and each of its approved versions, and nothing unapproved; feed.atom (RFC 4287) has an entry
# for each approved version, newest first; every page has a canonical link and a meta description; the
# favicon is there; the article carries JSON-LD MedicalWebPage with lastReviewed and reviewedBy only
# where a person reviewed it. XML is read with Python's parser, and with xmllint when it is installed.
# The sitemap is validated against the sitemaps.org XML Schema (xmllint) and the feed against RFC 4287's
# RELAX NG schema (jing), both kept in tests/fixtures/schemas/; each validator is first shown a broken
# copy, which it must reject. Without xmllint or jing those checks skip, except in CI (CI=true).

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from editor_client import add_token, add_user  # noqa: E402
from harness import Server, parse_html, run, top_srcdir  # noqa: E402

SM = '{http://www.sitemaps.org/schemas/sitemap/0.9}'
ATOM = '{http://www.w3.org/2005/Atom}'
A2 = '/articles/2/doacs-vs-warfarin-atrial-fibrillation'
# A reader's page straight from evqa (a hard reload), not the copy nginx may keep for a few seconds.
FRESH = {'Cache-Control': 'no-cache'}


def wellformed(tap, body, what):
    if shutil.which('xmllint'):
        p = subprocess.run(['xmllint', '--noout', '-'], input=body, capture_output=True, timeout=30)
        tap.ok(p.returncode == 0, '%s is well-formed XML (xmllint)' % what, p.stderr.decode(errors='replace'))


SCHEMAS = os.path.join(top_srcdir(), 'tests', 'fixtures', 'schemas')
# (validator, what it needs, command line before the document's file name)
VALIDATORS = {
    'sitemap': ('xmllint', 'libxml2-utils', ['xmllint', '--noout', '--schema', os.path.join(SCHEMAS, 'sitemap.xsd')]),
    'feed': ('jing', 'jing', ['jing', '-c', os.path.join(SCHEMAS, 'atom.rnc')]),
}


def validate(srv, kind, body, name):
    """Runs kind's validator on body (bytes). Returns (True, '') when it is valid, (False, the
    validator's message) when not, or None when the validator is not installed."""
    tool, _, cmd = VALIDATORS[kind]
    if shutil.which(tool) is None:
        return None
    path = srv.path(name)
    with open(path, 'wb') as f:
        f.write(body)
    p = subprocess.run(cmd + [path], capture_output=True, timeout=60)
    # jing's wrapper script warns on stderr about optional jars Debian does not install
    out = '\n'.join(l for l in (p.stdout + p.stderr).decode(errors='replace').splitlines()
                    if not l.startswith('[warning]'))
    return p.returncode == 0, out


def check_schema(tap, srv, kind, body, broken, what):
    """Validates body against kind's published schema, after checking that the validator rejects
    broken (body with a defect the schema forbids)."""
    tool, package, cmd = VALIDATORS[kind]
    got = validate(srv, kind, broken, kind + '-broken.xml')
    if got is None:
        if os.environ.get('CI') == 'true':
            tap.ok(False, '%s is installed (Debian package %s), to validate %s' % (tool, package, what))
        else:
            tap.skip('%s validates against its schema' % what, '%s is not installed (Debian package %s)'
                     % (tool, package))
        return
    tap.ok(not got[0], '%s rejects %s with a defect its schema forbids' % (tool, what), got[1])
    ok, msg = validate(srv, kind, body, kind + '.xml')
    tap.ok(ok, '%s is valid against %s (%s)' % (what, os.path.basename(cmd[-1]), tool), msg)


def jsonld(doc):
    for s in doc.find_all('script'):
        if s.get('type') == 'application/ld+json':
            return json.loads(s.text())
    return None


def main(tap):
    with Server(tap) as srv:
        origin = 'http://127.0.0.1:%d' % srv.port
        r = srv.get('/robots.txt')
        tap.ok(r.status == 200 and r.content_type == 'text/plain', 'robots.txt is text', r.summary(200))
        lines = r.text.splitlines()
        tap.ok(all(x in lines for x in ('User-agent: *', 'Disallow: /editor', 'Disallow: /questions/',
                                        'Disallow: /api/', 'Sitemap: %s/sitemap.xml' % origin)),
               'it keeps crawlers out of the editors\' pages, readers\' questions and the JSON, and names the sitemap',
               r.text)

        add_user(srv, 'ed@x.org', 'Edna Editor', 'editor')
        add_user(srv, 'rev@x.org', 'Rex Reviewer', 'reviewer', credential='MD')
        ed, rev = add_token(srv, 'ed@x.org'), add_token(srv, 'rev@x.org')

        def call(token, method, path, body=None, headers=None):
            h = {'Authorization': 'Bearer %s' % token, 'Content-Type': 'application/json'}
            h.update(headers or {})
            return srv.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)

        got = call(ed, 'GET', '/api/v1/articles/2/revisions/1')
        cur = got.json()
        # a changed body: a PUT equal to the newest revision saves nothing
        texts = [dict(t, body=t['body'] + '\n\nA later note.\n') for t in cur['texts']]
        ok = call(ed, 'PUT', '/api/v1/articles/2', {'question': cur['question'], 'texts': texts,
                                                    'references': cur['references']},
                  {'If-Match': got.headers.get('etag', '')}).status in (200, 201)
        for to in ('under_review', 'approved'):
            ok = ok and call(rev, 'POST', '/api/v1/articles/2/transitions', {'to': to}).status == 200
        tap.ok(ok, 'article 2 gets a second approved version')

        r = srv.get('/sitemap.xml')
        tap.ok(r.status == 200 and r.content_type == 'application/xml', 'sitemap.xml is XML', r.summary(200))
        wellformed(tap, r.body, 'the sitemap')
        check_schema(tap, srv, 'sitemap', r.body, r.body.replace(b'<loc>', b'<location>', 1).replace(
            b'</loc>', b'</location>', 1), 'the sitemap')
        root = ET.fromstring(r.body)
        locs = [u.find(SM + 'loc').text for u in root.findall(SM + 'url')]
        tap.eq(root.tag, SM + 'urlset', 'the sitemap is a sitemaps.org 0.9 urlset')
        tap.eq(sorted(x for x in locs if '/articles/' in x), sorted(origin + p for p in (A2, A2 + '/v/1', A2 + '/v/2')),
               'it lists the approved article and each approved version, and no unapproved article')
        mods = [u.find(SM + 'lastmod').text for u in root.findall(SM + 'url') if u.find(SM + 'lastmod') is not None]
        tap.ok(mods and all(re.fullmatch(r'\d{4}-\d\d-\d\d', m) for m in mods), 'with W3C dates as lastmod', repr(mods))

        r = srv.get('/feed.atom')
        tap.ok(r.status == 200 and r.content_type == 'application/atom+xml', 'the feed is Atom', r.summary(200))
        wellformed(tap, r.body, 'the feed')
        check_schema(tap, srv, 'feed', r.body, re.sub(rb'<updated>[^<]*</updated>', b'<updated>yesterday</updated>',
                                                      r.body, count=1), 'the feed')
        feed = ET.fromstring(r.body)
        entries = feed.findall(ATOM + 'entry')
        tap.ok(feed.tag == ATOM + 'feed' and feed.find(ATOM + 'id') is not None and feed.find(ATOM + 'title') is not None
               and feed.find(ATOM + 'updated') is not None and feed.find(ATOM + 'author/' + ATOM + 'name') is not None
               and feed.find(ATOM + "link[@rel='self']") is not None,
               'the feed has the id, title, updated, author and self link RFC 4287 requires')
        tap.eq([e.find(ATOM + 'id').text for e in entries], [origin + A2 + '/v/2', origin + A2 + '/v/1'],
               'an entry for each approved version, newest first, identified by its permalink')
        tap.ok(all(e.find(ATOM + 'title').text and re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ',
                                                                 e.find(ATOM + 'updated').text)
                   and e.find(ATOM + "link[@rel='alternate']").get('href') == e.find(ATOM + 'id').text
                   for e in entries), 'each with a title, an RFC 3339 time and a link')
        tap.ok('approved by Rex Reviewer' in entries[0].find(ATOM + 'summary').text, 'saying who approved it')
        tap.eq(feed.find(ATOM + 'updated').text, entries[0].find(ATOM + 'updated').text,
               'the feed is as new as its newest entry')

        for path, want in (('/', '/'), (A2, A2), (A2 + '/v/1', A2 + '/v/1'), ('/editorial-policy', '/editorial-policy'),
                           ('/search', '/search'), ('/?page=1&state=approved', '/'), (A2 + '?audience=patient', A2)):
            doc = parse_html(srv.get(path, headers=FRESH).text)
            canon = [l.get('href') for l in doc.find_all('link') if l.get('rel') == 'canonical']
            desc = [m.get('content') for m in doc.find_all('meta') if m.get('name') == 'description']
            tap.ok(canon == [origin + want] and len(desc) == 1 and len(desc[0]) > 40,
                   '%s has one canonical link (%s) and a meta description' % (path, want), repr((canon, desc)))
        doc = parse_html(srv.get(A2, headers=FRESH).text)
        desc = [m.get('content') for m in doc.find_all('meta') if m.get('name') == 'description'][0]
        tap.ok(desc.startswith('Yes. For patients with non-valvular atrial fibrillation') and len(desc) <= 165,
               'an article\'s description is its bottom line, shortened', desc)
        icons = [l.get('href') for l in doc.find_all('link') if l.get('rel') == 'icon']
        r = srv.get(icons[0]) if icons else None
        tap.ok(r is not None and r.status == 200 and b'<svg' in r.body, 'the favicon is linked and served')
        r = srv.get('/favicon.ico')
        tap.ok(r.status == 301 and r.headers.get('location') == '/static/favicon.svg', '/favicon.ico leads to it')
        feeds = [l.get('href') for l in doc.find_all('link') if l.get('rel') == 'alternate'
                 and l.get('type') == 'application/atom+xml']
        tap.eq(feeds, ['/feed.atom'], 'pages point feed readers at the feed')

        ld = jsonld(doc)
        tap.ok(ld is not None and ld.get('@type') == 'MedicalWebPage' and ld.get('@context') == 'https://schema.org'
               and ld.get('url') == origin + A2, 'the article carries JSON-LD MedicalWebPage', repr(ld))
        tap.ok(ld and ld.get('reviewedBy') == {'@type': 'Person', 'name': 'Rex Reviewer', 'honorificSuffix': 'MD'}
               and re.match(r'\d{4}-\d\d-\d\dT', ld.get('lastReviewed', '')),
               'with lastReviewed and reviewedBy: the person who approved it', repr(ld))
        ld1 = jsonld(parse_html(srv.get('/articles/1/acupuncture-chronic-pain', headers=FRESH).text))
        tap.ok(ld1 is not None and 'reviewedBy' not in ld1 and 'lastReviewed' not in ld1,
               'an article no person has approved claims no review', repr(ld1))


if __name__ == '__main__':
    run(main)
