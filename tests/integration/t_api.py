#!/usr/bin/env python3
# t_api.py: the JSON API contract (list and pagination, article documents, problem+json errors),
# ETag / If-None-Match on API and HTML pages, CORS for configured origins, /healthz, and the security
# headers nginx adds, all through nginx.

import os
import re
import sys
from urllib.parse import parse_qs, urlsplit

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import AUDIENCES, DEMO_STATES, ISO_UTC, STATES, Server, is_problem, parse_link_header, run  # noqa: E402

ORIGIN = 'http://127.0.0.1:9999'
OTHER_ORIGIN = 'http://evil.example'
REF_TYPES = {'guideline', 'systematic_review', 'research', 'review', 'other'}
LIST_FIELDS = ('id', 'slug', 'question', 'state', 'last_updated', 'url', 'api_url')


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def split_list(value):
    return {p.strip().lower() for p in (value or '').split(',') if p.strip()}


def link_target(link):
    """A Link target as path?query (targets may be absolute)."""
    u = urlsplit(link)
    return u.path + ('?' + u.query if u.query else '')


def query_of(link):
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}


def check_text_node(node, where, errs, cites):
    for k in ('text', 'html'):
        if not isinstance(node.get(k), str) or not node.get(k):
            errs.append('%s.%s is not a non-empty string: %r' % (where, k, node.get(k)))
    c = node.get('citations')
    if not isinstance(c, list) or not all(is_int(x) for x in c):
        errs.append('%s.citations is not a list of integers: %r' % (where, c))
    else:
        cites.extend(c)


def check_items(items, where, errs, cites, seen):
    if not isinstance(items, list):
        errs.append('%s is not a list: %r' % (where, items))
        return
    for i, it in enumerate(items):
        w = '%s[%d]' % (where, i)
        if not isinstance(it, dict):
            errs.append('%s is not an object' % w)
            continue
        check_text_node(it, w, errs, cites)
        sub = it.get('items', [])
        if sub:
            seen['nested'] = True
        check_items(sub, w + '.items', errs, cites, seen)


def check_article_doc(doc, aid, audience):
    """Problems with an article document (list of strings), the citations it makes, and what it has."""
    errs, cites, seen = [], [], {'nested': False, 'ordered': False}
    if not isinstance(doc, dict):
        return ['not an object'], cites, seen
    want = {'id': is_int, 'slug': lambda v: isinstance(v, str) and re.fullmatch(r'[a-z0-9-]+', v),
            'question': lambda v: isinstance(v, str) and v, 'state': lambda v: v in STATES,
            'revision': lambda v: is_int(v) and v >= 1,
            'last_updated': lambda v: isinstance(v, str) and ISO_UTC.match(v),
            'audience': lambda v: v in AUDIENCES,
            'audiences': lambda v: isinstance(v, list) and 'clinician' in v and set(v) <= set(AUDIENCES),
            'url': lambda v: isinstance(v, str), 'bottom_line': lambda v: isinstance(v, dict),
            'sections': lambda v: isinstance(v, list) and v, 'references': lambda v: isinstance(v, list) and v}
    for k, test in want.items():
        if k not in doc:
            errs.append('missing member %r' % k)
        elif not test(doc[k]):
            errs.append('member %r has a wrong type or value: %r' % (k, doc[k]))
    if errs:
        return errs, cites, seen
    if doc['id'] != aid:
        errs.append('id %r, asked for %d' % (doc['id'], aid))
    if doc['audience'] != audience:
        errs.append('audience %r, asked for %r' % (doc['audience'], audience))
    if doc['url'] != '/articles/%d/%s' % (aid, doc['slug']):
        errs.append('url %r is not /articles/%d/%s' % (doc['url'], aid, doc['slug']))
    check_text_node(doc['bottom_line'], 'bottom_line', errs, cites)
    for i, sec in enumerate(doc['sections']):
        w = 'sections[%d]' % i
        if not isinstance(sec, dict) or not isinstance(sec.get('heading'), str) or not sec.get('heading') \
                or sec.get('level') not in (2, 3) or not isinstance(sec.get('blocks'), list):
            errs.append('%s needs heading (string), level (2 or 3), blocks (list): %r' % (w, sec))
            continue
        for j, b in enumerate(sec['blocks']):
            bw = '%s.blocks[%d]' % (w, j)
            t = b.get('type') if isinstance(b, dict) else None
            if t == 'paragraph':
                check_text_node(b, bw, errs, cites)
            elif t == 'list':
                if not isinstance(b.get('ordered'), bool):
                    errs.append('%s.ordered is not a boolean: %r' % (bw, b.get('ordered')))
                seen['ordered'] |= b.get('ordered') is True
                check_items(b.get('items'), bw + '.items', errs, cites, seen)
            else:
                errs.append('%s has type %r (paragraph or list)' % (bw, t))
    for i, ref in enumerate(doc['references']):
        w = 'references[%d]' % i
        if not isinstance(ref, dict):
            errs.append('%s is not an object' % w)
            continue
        for k in ('number', 'type', 'title', 'source', 'year', 'pmid', 'doi', 'url', 'pubmed_url', 'doi_url'):
            if k not in ref:
                errs.append('%s is missing %r (absent values are null)' % (w, k))
        if ref.get('number') != i + 1:
            errs.append('%s.number is %r, not %d' % (w, ref.get('number'), i + 1))
        if ref.get('type') not in REF_TYPES:
            errs.append('%s.type %r' % (w, ref.get('type')))
        if not isinstance(ref.get('title'), str) or not ref.get('title'):
            errs.append('%s.title %r' % (w, ref.get('title')))
        for k in ('source', 'url'):
            if ref.get(k) is not None and not isinstance(ref.get(k), str):
                errs.append('%s.%s %r is neither string nor null' % (w, k, ref.get(k)))
        if ref.get('year') is not None and not is_int(ref.get('year')):
            errs.append('%s.year %r is neither integer nor null' % (w, ref.get('year')))
        pmid, doi = ref.get('pmid'), ref.get('doi')
        if pmid is not None and not (isinstance(pmid, str) and pmid.isdigit()):
            errs.append('%s.pmid %r is neither a digit string nor null' % (w, pmid))
        want_pub = 'https://pubmed.ncbi.nlm.nih.gov/%s/' % pmid if pmid else None
        if ref.get('pubmed_url') != want_pub:
            errs.append('%s.pubmed_url %r, expected %r' % (w, ref.get('pubmed_url'), want_pub))
        want_doi = 'https://doi.org/%s' % doi if doi else None
        if ref.get('doi_url') != want_doi:
            errs.append('%s.doi_url %r, expected %r' % (w, ref.get('doi_url'), want_doi))
    numbers = {r.get('number') for r in doc['references'] if isinstance(r, dict)}
    missing = sorted(set(cites) - numbers)
    if missing:
        errs.append('citations name references that do not exist: %r' % missing)
    return errs, cites, seen


def all_text(doc):
    out = [doc.get('bottom_line', {}).get('text', '')]

    def items(its):
        for it in its or []:
            out.append(it.get('text', ''))
            items(it.get('items'))
    for sec in doc.get('sections', []):
        out.append(sec.get('heading', ''))
        for b in sec.get('blocks', []):
            out.append(b.get('text', ''))
            items(b.get('items'))
    return '\n'.join(out)


def main(tap):
    with Server(tap, extra_args=['--cors-origin', ORIGIN]) as srv:
        r = srv.get('/healthz')
        tap.ok(r.status == 200 and r.content_type == 'text/plain' and r.body.strip() == b'ok',
               'GET /healthz answers 200 text/plain "ok"', r.summary())

        listing = check_list(tap, srv)
        check_pagination(tap, srv)
        docs = check_articles(tap, srv, listing)
        check_errors(tap, srv)
        check_etags(tap, srv, docs)
        check_cors(tap, srv)
        check_security_headers(tap, srv, docs)


def check_list(tap, srv):
    r = srv.get('/api/v1/articles')
    tap.ok(r.status == 200 and r.content_type == 'application/json',
           'GET /api/v1/articles answers 200 application/json', r.summary())
    try:
        items = r.json()
    except ValueError:
        items = None
    tap.ok(isinstance(items, list) and len(items) == 3, 'the article list holds the 3 demo articles',
           r.summary())
    tap.eq(r.headers.get('x-total-count'), '3', 'the article list has X-Total-Count: 3')
    if not isinstance(items, list):
        return {}
    errs = []
    for it in items:
        if not isinstance(it, dict) or any(k not in it for k in LIST_FIELDS):
            errs.append('item lacks %r: %r' % (LIST_FIELDS, it))
            continue
        if not is_int(it['id']) or it['state'] not in STATES or not ISO_UTC.match(str(it['last_updated'])) \
                or not isinstance(it['question'], str) or not it['question']:
            errs.append('item has wrong types: %r' % it)
        if it['url'] != '/articles/%s/%s' % (it['id'], it['slug']) or it['api_url'] != '/api/v1/articles/%s' % it['id']:
            errs.append('item url/api_url do not match id and slug: %r' % it)
    tap.ok(not errs, 'list items have id, slug, question, state, last_updated, url, api_url', '\n'.join(errs))
    by_id = {it.get('id'): it for it in items if isinstance(it, dict)}
    tap.eq({k: v.get('state') for k, v in by_id.items()}, DEMO_STATES, 'the list shows each demo article\'s state')
    return by_id


def check_pagination(tap, srv):
    seen, pages, url = [], 0, '/api/v1/articles?page=1&per_page=1'
    while url and pages < 5:
        r = srv.get(url)
        pages += 1
        try:
            items = r.json()
        except ValueError:
            items = None
        links = parse_link_header(r.headers.get('link'))
        if pages == 1:
            tap.ok(r.status == 200 and isinstance(items, list) and len(items) == 1,
                   'per_page=1 gives one article', r.summary())
            tap.eq(r.headers.get('x-total-count'), '3', 'per_page=1 still reports X-Total-Count: 3')
            tap.ok('next' in links and 'last' in links and 'prev' not in links,
                   'page 1 of 3 links rel="next" and rel="last" and no rel="prev"',
                   'Link: %r' % r.headers.get('link'))
            if 'next' in links and 'last' in links:
                tap.ok(urlsplit(links['next']).path == '/api/v1/articles'
                       and query_of(links['next']) == {'page': '2', 'per_page': '1'}
                       and query_of(links['last']) == {'page': '3', 'per_page': '1'},
                       'rel="next" is page=2&per_page=1 and rel="last" is page=3&per_page=1',
                       'Link: %r' % r.headers.get('link'))
        if isinstance(items, list):
            seen.extend(it.get('id') for it in items if isinstance(it, dict))
        url = link_target(links['next']) if 'next' in links else None
    tap.ok(pages == 3 and sorted(seen) == [1, 2, 3],
           'following rel="next" from page 1 visits 3 pages with each article once',
           'pages %d, ids %r' % (pages, seen))

    r = srv.get('/api/v1/articles?page=3&per_page=1')
    links = parse_link_header(r.headers.get('link'))
    tap.ok(r.status == 200 and 'prev' in links and 'first' in links and 'next' not in links,
           'page 3 of 3 links rel="prev" and rel="first" and no rel="next"', 'Link: %r' % r.headers.get('link'))
    if 'prev' in links and 'first' in links:
        tap.ok(query_of(links['prev']) == {'page': '2', 'per_page': '1'}
               and query_of(links['first']) == {'page': '1', 'per_page': '1'},
               'rel="prev" is page=2 and rel="first" is page=1', 'Link: %r' % r.headers.get('link'))

    for query, field in (('per_page=101', 'per_page'), ('per_page=0', 'per_page'), ('page=0', 'page'),
                         ('page=abc', 'page')):
        r = srv.get('/api/v1/articles?' + query)
        good, diag = is_problem(r, 400)
        errors = []
        if good:
            errors = r.json().get('errors')
        named = isinstance(errors, list) and any(
            isinstance(e, dict) and e.get('field') == field and isinstance(e.get('detail'), str) and e['detail']
            for e in errors)
        tap.ok(good and named, '?%s answers 400 problem+json with an errors entry for %s' % (query, field),
               diag or r.summary())


def check_articles(tap, srv, listing):
    docs = {}
    for aid, state in DEMO_STATES.items():
        r = srv.get('/api/v1/articles/%d' % aid)
        tap.ok(r.status == 200 and r.content_type == 'application/json',
               'GET /api/v1/articles/%d answers 200 application/json' % aid, r.summary())
        try:
            doc = r.json()
        except ValueError:
            doc = None
        errs, cites, seen = check_article_doc(doc, aid, 'clinician')
        tap.ok(not errs, 'article %d JSON has the documented members, types and links' % aid, '\n'.join(errs))
        tap.ok(cites, 'article %d cites its references (citations are lists of existing numbers)' % aid)
        if not errs:
            docs[aid] = doc
            tap.eq(doc['state'], state, 'article %d JSON state is %s' % (aid, state))
            it = listing.get(aid)
            same = ('slug', 'question', 'state', 'last_updated')
            tap.ok(it is not None and all(it.get(k) == doc.get(k) for k in same),
                   'the list and article %d agree on slug, question, state and last_updated' % aid,
                   'list: %r' % it)
        if aid == 1:
            tap.ok(seen['nested'] and seen['ordered'], 'article 1 JSON has an ordered list and nested list items',
                   'seen: %r' % seen)

    clin = docs.get(1)
    r = srv.get('/api/v1/articles/1?audience=patient')
    try:
        pat = r.json()
    except ValueError:
        pat = None
    errs, pcites, _ = check_article_doc(pat, 1, 'patient')
    tap.ok(r.status == 200 and not errs, 'GET /api/v1/articles/1?audience=patient answers the patient variant',
           '\n'.join(errs) or r.summary())
    if clin and not errs:
        _, ccites, _ = check_article_doc(clin, 1, 'clinician')
        tap.ok(all_text(pat) != all_text(clin), 'the patient variant\'s text differs from the clinician text')
        tap.eq(sorted(set(pcites)), sorted(set(ccites)),
               'the patient variant cites the same set of references as the clinician text')
        tap.eq(pat.get('references'), clin.get('references'), 'the patient variant has the same reference list')
    return docs


def check_errors(tap, srv):
    for path in ('/api/v1/articles/99', '/api/v1/articles/abc'):
        r = srv.get(path)
        good, diag = is_problem(r, 404)
        tap.ok(good, 'GET %s answers 404 problem+json with type, title, status, detail' % path, diag)
        if good and path.endswith('99'):
            doc = r.json()
            tap.ok(doc.get('title') == 'Not Found' and '99' in doc.get('detail', ''),
                   'the 404 problem says Not Found and names id 99', r.summary())
    r = srv.get('/api/v1/articles/1?audience=martian')
    good, diag = is_problem(r, 400)
    errors = r.json().get('errors') if good else None
    named = isinstance(errors, list) and any(isinstance(e, dict) and e.get('field') == 'audience' for e in errors)
    tap.ok(good and named,
           'GET /api/v1/articles/1?audience=martian answers 400 problem+json naming audience', diag or r.summary())


def session_cookie(reply):
    """The Cookie header a browser would send back after this reply (name=value pairs it set)."""
    pairs = [v.split(';')[0].strip() for v in reply.all('set-cookie')]
    return '; '.join(p for p in pairs if '=' in p)


def check_etags(tap, srv, docs):
    slug = docs[1]['slug'] if 1 in docs else 'unknown'
    page = '/articles/1/%s' % slug
    # Behave like a browser: send back the cookies the site set (the audience), so that repeated
    # requests ask for the same page.
    jar = session_cookie(srv.get(page))
    etags = {}
    for path in ('/api/v1/articles', '/api/v1/articles/1', '/api/v1/articles/1?audience=patient', '/', page,
                 page + '?audience=patient'):
        hdrs = {'Cookie': jar} if jar and not path.startswith('/api/') else {}
        r = srv.get(path, headers=hdrs)
        if session_cookie(r):
            # a reply that sets a cookie (choosing an audience) is private, no-store: a browser asks
            # again with the cookie, and that reply is the one it keeps and revalidates
            hdrs = {'Cookie': '; '.join(c for c in (jar, session_cookie(r)) if c)}
            r = srv.get(path, headers=hdrs)
        etag = r.headers.get('etag', '')
        etags[path] = etag
        if not tap.ok(r.status == 200 and re.fullmatch(r'"[\x21\x23-\x7e]+"', etag),
                      'GET %s carries a strong ETag' % path, 'ETag: %r\n%s' % (etag, r.summary(200))):
            continue
        r2 = srv.get(path, headers=dict(hdrs, **{'If-None-Match': etag}))
        tap.ok(r2.status == 304 and r2.body == b'', 'GET %s with If-None-Match: its ETag answers 304, no body' % path,
               'request Cookie: %r\n%s' % (hdrs.get('Cookie'), r2.summary(200)))
        tap.eq(r2.headers.get('etag'), etag, 'the 304 for GET %s repeats the ETag' % path)
        for inm, what in (('"x", ' + etag, 'a list holding its ETag'), ('W/' + etag, 'its ETag marked weak'),
                          ('*', '*')):
            r4 = srv.get(path, headers=dict(hdrs, **{'If-None-Match': inm}))
            tap.ok(r4.status == 304 and r4.body == b'', 'GET %s with If-None-Match: %s answers 304' % (path, what),
                   'If-None-Match: %s\n%s' % (inm, r4.summary(200)))
        r3 = srv.get(path, headers=dict(hdrs, **{'If-None-Match': '"not-the-etag"'}))
        tap.ok(r3.status == 200 and r3.body == r.body,
               'GET %s with a different If-None-Match answers 200 with the page' % path,
               'request Cookie: %r\n%s' % (hdrs.get('Cookie'), r3.summary(200)))
    tap.ok(etags['/api/v1/articles/1'] != etags['/api/v1/articles/1?audience=patient'],
           'the clinician and patient JSON of article 1 have different ETags', repr(etags))
    tap.ok(etags[page] != etags[page + '?audience=patient'],
           'the clinician and patient pages of article 1 have different ETags', repr(etags))
    cookie = '; '.join(c for c in ('evqa_audience=patient', jar) if c)
    r = srv.get(page, headers={'Cookie': cookie})
    tap.ok(r.headers.get('etag') == etags[page + '?audience=patient'] and r.headers.get('etag') != etags[page],
           'the page chosen by the audience cookie has the patient page\'s ETag',
           'Cookie: %r\ncookie ETag %r, pages %r' % (cookie, r.headers.get('etag'), etags))


def check_cors(tap, srv):
    r = srv.get('/api/v1/articles', headers={'Origin': ORIGIN})
    tap.eq(r.headers.get('access-control-allow-origin'), ORIGIN,
           'GET from an allowed Origin gets Access-Control-Allow-Origin: that origin')
    tap.ok('origin' in split_list(r.headers.get('vary')), 'CORS replies say Vary: Origin',
           'Vary: %r' % r.headers.get('vary'))
    exposed = split_list(r.headers.get('access-control-expose-headers'))
    tap.ok({'etag', 'link', 'x-total-count', 'location'} <= exposed,
           'Access-Control-Expose-Headers lists ETag, Link, X-Total-Count, Location', 'got %r' % exposed)
    r = srv.get('/api/v1/articles/99', headers={'Origin': ORIGIN})
    tap.eq(r.headers.get('access-control-allow-origin'), ORIGIN,
           'an API error reply to an allowed Origin also carries Access-Control-Allow-Origin')
    for hdrs, what in (({'Origin': OTHER_ORIGIN}, 'a disallowed Origin'), ({}, 'no Origin')):
        r = srv.get('/api/v1/articles', headers=hdrs)
        tap.ok(r.status == 200 and 'access-control-allow-origin' not in r.headers,
               'GET from %s gets no Access-Control-Allow-Origin' % what, r.summary(100))

    for path in ('/api/v1/articles', '/api/v1/articles/1'):
        r = srv.request('OPTIONS', path, headers={'Origin': ORIGIN, 'Access-Control-Request-Method': 'GET',
                                                  'Access-Control-Request-Headers': 'if-none-match'})
        tap.ok(r.status == 204 and r.headers.get('access-control-allow-origin') == ORIGIN,
               'preflight OPTIONS %s from the allowed origin answers 204 with Allow-Origin' % path, r.summary())
        methods = split_list(r.headers.get('access-control-allow-methods'))
        allowed = split_list(r.headers.get('access-control-allow-headers'))
        tap.ok('get' in methods, 'the preflight allows method GET', 'Allow-Methods: %r' % methods)
        want = {'content-type', 'if-match', 'if-none-match', 'x-csrf-token', 'authorization'}
        tap.ok(want <= allowed,
               'the preflight allows Content-Type, If-Match, If-None-Match, X-CSRF-Token, Authorization',
               'Allow-Headers: %r' % allowed)
        age = r.headers.get('access-control-max-age', '')
        tap.ok(age.isdigit() and int(age) > 0, 'the preflight has a positive Access-Control-Max-Age', repr(age))
    r = srv.request('OPTIONS', '/api/v1/articles', headers={'Origin': OTHER_ORIGIN,
                                                            'Access-Control-Request-Method': 'GET'})
    good, diag = is_problem(r, 403)
    tap.ok(good and 'access-control-allow-origin' not in r.headers,
           'preflight from a disallowed origin answers 403 problem+json without Allow-Origin', diag or r.summary())


def check_security_headers(tap, srv, docs):
    slug = docs[1]['slug'] if 1 in docs else 'unknown'
    for path, status in (('/', 200), ('/articles/1/%s' % slug, 200), ('/api/v1/articles', 200), ('/articles/1', 301),
                         ('/articles/1/%s?audience=martian' % slug, 400), ('/no-such-page', 404),
                         ('/api/v1/articles/99', 404)):
        r = srv.get(path)
        csp = r.headers.get('content-security-policy', '')
        problems = []
        if r.status != status:
            problems.append('status %s, expected %s' % (r.status, status))
        if not csp:
            problems.append('no Content-Security-Policy')
        if "'unsafe-inline'" in csp or "'unsafe-eval'" in csp:
            problems.append("CSP allows 'unsafe-inline' or 'unsafe-eval': %s" % csp)
        if not re.search(r"(^|;)\s*frame-ancestors\s+'none'\s*(;|$)", csp):
            problems.append("CSP lacks frame-ancestors 'none': %r" % csp)
        if r.headers.get('x-content-type-options', '').lower() != 'nosniff':
            problems.append('X-Content-Type-Options: %r' % r.headers.get('x-content-type-options'))
        if not r.headers.get('referrer-policy'):
            problems.append('no Referrer-Policy')
        tap.ok(not problems, 'GET %s (%d) has CSP without unsafe-inline, frame-ancestors \'none\', nosniff, '
               'Referrer-Policy' % (path, status), '\n'.join(problems))


if __name__ == '__main__':
    run(main)
