#!/usr/bin/env python3
# t_cache.py: public pages through nginx's real cache. A public page is the same for every reader of
# one audience (no token, no cookie), cached by nginx (X-Cache-Status: HIT on the second request, with
# the security headers), answered with 304 to any client that sends its ETag, gzip-compressed for
# clients that take it; a junk audience cookie shares the entry of no cookie; an approval reaches the
# public page within the documented 5 s; and what is private (a logged-in editor's requests, editor
# pages, readers' question pages) is never stored nor served from the cache; each reply states its
# cache policy once; and another build of evqa gives a page another ETag.

import gzip
import os
import re
import shutil
import sys
import time
from urllib.parse import urlencode

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Server, run, top_srcdir  # noqa: E402
from editor_client import Browser, add_user  # noqa: E402

SECURITY = ('content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options')
PUBLIC = ('/', '/editorial-policy', '/search?q=pain', '/questions/new?article=1')
# The documented bound (README, "Caching"): max-age=2 plus stale-while-revalidate=3.
APPROVAL_BOUND = 5.0


def cache_files(srv):
    """The contents of every file in nginx's cache directory."""
    out = []
    for d, _, files in os.walk(srv.path('cache')):
        for f in files:
            with open(os.path.join(d, f), 'rb') as fh:
                out.append(fh.read())
    return out


def cache_keys(srv):
    """The keys of every entry in nginx's cache (each file has a "KEY: " line before the reply)."""
    keys = []
    for data in cache_files(srv):
        m = re.search(rb'\nKEY: ([^\n]*)\n', data[:4096])
        if m:
            keys.append(m.group(1).decode('utf-8', 'replace'))
    return keys


def status(r):
    return r.headers.get('x-cache-status', '')


def main(tap):
    with Server(tap) as srv:
        art = srv.get('/articles/1').headers.get('location', '')
        tap.ok(art.startswith('/articles/1/'), 'the article has its canonical address', art)

        # ---- a public page, cached ----
        r1 = srv.get(art)
        r2 = srv.get(art)
        tap.ok(r1.status == 200 and not r1.headers.get('set-cookie') and b'name="csrf"' not in r1.body,
               'the article page sets no cookie and carries no token', r1.summary())
        cc = r1.headers.get('cache-control', '')
        tap.ok(cc.startswith('public') and 'max-age=2' in cc and 'stale-while-revalidate=3' in cc,
               'the article page is Cache-Control: public, max-age=2, stale-while-revalidate=3', cc)
        tap.ok(re.fullmatch(r'"[^"W/]+"', r1.headers.get('etag', '')) is not None, 'with a strong ETag',
               r1.headers.get('etag'))
        tap.ok(status(r1) in ('MISS', 'EXPIRED') and status(r2) == 'HIT', 'the second request is a cache HIT',
               '%s then %s' % (status(r1), status(r2)))
        tap.eq(r2.body, r1.body, 'the cached page is the page evqa made')
        tap.ok(all(r2.headers.get(h) for h in SECURITY), 'a cached answer carries the security headers',
               r2.summary())
        for path in PUBLIC:
            srv.get(path)
            r = srv.get(path)
            tap.ok(r.status == 200 and status(r) == 'HIT' and r.headers.get('cache-control', '').startswith('public')
                   and not r.headers.get('set-cookie'), 'public page %s is cached (HIT, no cookie)' % path,
                   r.summary())
        h1 = srv.request('HEAD', '/search?q=knee')
        g1 = srv.get('/search?q=knee')
        tap.ok(h1.status == 200 and len(g1.body) > 1000, 'a HEAD request never leaves an empty page in the cache',
               g1.summary())

        # ---- 304 for any client ----
        etag = r1.headers.get('etag', '')
        r = srv.get(art, headers={'If-None-Match': etag})
        tap.ok(r.status == 304 and r.headers.get('etag') == etag, 'a client with no cookies sending If-None-Match '
               'gets 304 (from the cache)', r.summary())
        r = srv.get(art, headers={'If-None-Match': etag, 'Cache-Control': 'no-cache'})
        tap.ok(r.status == 304 and status(r) == 'BYPASS', 'and from evqa itself, on a hard reload', r.summary())
        r = srv.get(art, headers={'If-None-Match': '"something-else"', 'Cache-Control': 'no-cache'})
        tap.eq(r.status, 200, 'another ETag gets the page')

        # ---- the audience in the key ----
        before = set(cache_keys(srv))
        r = srv.get(art, headers={'Cookie': 'evqa_audience=martian'})
        tap.ok(status(r) == 'HIT' and r.body == r1.body, 'a junk audience cookie is served the entry of no cookie',
               r.summary())
        srv.get(art, headers={'Cookie': 'evqa_audience=' + 'x' * 200 + '; other=1'})
        tap.eq(sorted(set(cache_keys(srv)) - before), [], 'junk audience cookies add no entry to the cache')
        up = srv.get(art, headers={'Cookie': 'evqa_audience=NURSE'})
        tap.ok(up.status == 200 and up.body == r1.body, 'an audience cookie in capitals counts as none, as evqa reads it',
               up.summary())
        nurse = srv.get(art, headers={'Cookie': 'evqa_audience=nurse'})
        tap.ok(nurse.status == 200 and nurse.body != r1.body and status(nurse) == 'MISS',
               'the nurse cookie has an entry of its own', nurse.summary())
        tap.ok(status(srv.get(art, headers={'Cookie': 'evqa_audience=nurse'})) == 'HIT', 'which is then a HIT')
        # nginx keys on the audience cookie as it reads it, and evqa builds the page from what nginx read
        # (EVQA_COOKIE_AUDIENCE): whatever an odd header holds, the entry has its audience's page
        art2 = srv.get('/articles/2').headers.get('location', '')
        refs = {a: srv.get(art2, headers={'Cookie': 'evqa_audience=' + a, 'Cache-Control': 'no-cache'}).body
                for a in ('clinician', 'nurse')}
        for odd in ('evqa_audience=martian; evqa_audience=nurse', 'x=1,evqa_audience=nurse',
                    'evqa_audience=clinician; evqa_audience=nurse', 'evqa_audience=nurse; evqa_audience=clinician',
                    'a=' + 'x' * 5000 + '; evqa_audience=nurse', 'evqa_audience =nurse', 'evqa_audience=nurse;'):
            r = srv.get(art2, headers={'Cookie': odd})
            m = re.search(r'-([a-z]+)"$', r.headers.get('etag', ''))
            aud = m.group(1) if m else '?'
            tap.ok(r.status == 200 and r.body == refs.get(aud) and status(r) in ('MISS', 'HIT'),
                   'an odd Cookie header (%s...): the %s entry holds the %s page (%s)' % (odd[:44], aud, aud, status(r)),
                   r.summary())
        ch = srv.get(art + '?audience=patient')
        tap.ok(ch.status == 200 and 'evqa_audience=patient' in ch.headers.get('set-cookie', '') and
               status(ch) == 'BYPASS' and 'no-store' in ch.headers.get('cache-control', ''),
               'changing audience (?audience= other than the cookie) comes from evqa, sets the cookie, '
               'and is not stored', ch.summary())
        ch2 = srv.get(art + '?audience=patient')
        tap.ok('evqa_audience=patient' in ch2.headers.get('set-cookie', ''),
               'so every reader who changes audience gets the cookie', ch2.summary())
        tap.ok(not any(b'set-cookie:' in e.lower() for e in cache_files(srv)), 'no stored entry sets a cookie')

        # ---- gzip ----
        z = srv.get(art, headers={'Accept-Encoding': 'gzip'})
        z2 = srv.get(art, headers={'Accept-Encoding': 'gzip'})
        tap.ok(z.headers.get('content-encoding') == 'gzip' and gzip.decompress(z.body) == r1.body,
               'with Accept-Encoding: gzip the page is compressed, and is the same page (%d bytes for %d)'
               % (len(z.body), len(r1.body)), z.summary())
        tap.ok(status(z2) == 'HIT' and z2.body == z.body and z2.headers.get('etag') != etag,
               'the compressed page is cached too, with an ETag of its own', z2.summary())
        tap.eq(srv.get(art, headers={'Accept-Encoding': 'gzip;q=0'}).headers.get('content-encoding'), None,
               'gzip;q=0 gets the page uncompressed')
        tap.ok('Accept-Encoding' in r1.headers.get('vary', '') and 'Cookie' in r1.headers.get('vary', ''),
               'public pages say Vary: Cookie, Accept-Encoding', r1.headers.get('vary'))
        home = srv.get('/')
        m = re.search(rb'href="(/static/css/evqa\.[0-9a-f]{10}\.css)"', home.body)
        css = srv.get(m.group(1).decode() if m else '/static/css/evqa.css', headers={'Accept-Encoding': 'gzip'})
        with open(os.path.join(top_srcdir(), 'static', 'css', 'evqa.css'), 'rb') as f:
            plain = f.read()
        tap.ok(css.headers.get('content-encoding') == 'gzip' and gzip.decompress(css.body) == plain,
               'the stylesheet comes pre-compressed (gzip_static)', css.summary(200))

        # ---- private: readers' questions ----
        q = srv.request('POST', '/questions', body=urlencode({'question': 'acupuncture for chronic pain?'}).encode(),
                        headers={'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin'})
        loc = q.headers.get('location', '')
        tap.ok(q.status == 303 and loc.startswith('/questions/'), 'a reader asks a question', q.summary())
        a1 = srv.get(loc, headers={'Accept-Encoding': 'gzip'})
        a2 = srv.get(loc)
        tap.ok(a1.status == 200 and status(a1) != 'HIT' and status(a2) != 'HIT' and
               'no-store' in a2.headers.get('cache-control', '') and not a1.headers.get('content-encoding'),
               'a question page is never served from the cache, and not compressed', a1.summary() + a2.summary())
        token = loc.rsplit('/', 1)[-1]
        tap.ok(not any(token in k for k in cache_keys(srv)), 'no reader\'s question page is stored, so none can '
               'be served to another reader', cache_keys(srv))

        # ---- private: a logged-in editor ----
        add_user(srv, 'ed@example.org', 'Edna Editor', 'editor', credential='MD')
        add_user(srv, 'rev@example.org', 'Rita Reviewer', 'reviewer', credential='PharmD')
        ed = Browser(srv)
        tap.ok(ed.login('ed@example.org').status == 303, 'the editor logs in')
        e1 = ed.get(art)
        e2 = ed.get(art)
        tap.ok(status(e1) == 'BYPASS' and status(e2) == 'BYPASS', 'a logged-in editor never gets a cached page',
               e1.summary())
        d1 = ed.get('/editor', headers={'Accept-Encoding': 'gzip'})
        d2 = ed.get('/editor')
        tap.ok(d1.status == 200 and status(d2) != 'HIT' and not d1.headers.get('content-encoding'),
               'editor pages are neither cached nor compressed', d1.summary())
        tap.ok(not any(re.search(r'\|/editor(/|\?|\|)', k) for k in cache_keys(srv)), 'no editor page is stored',
               cache_keys(srv))

        # ---- one cache policy per reply: editors' pages are no-store, said once ----
        login = Browser(srv).get('/editor/login')
        tap.ok(login.status == 200 and login.all('cache-control') == ['no-store'] and
               login.all('x-robots-tag') == ['noindex'],
               'the login form says Cache-Control: no-store, once (not no-cache as well)', login.summary(300))
        for path in ('/editor', '/editor/articles/1', '/editor/questions'):
            page = ed.get(path)
            tap.ok(page.status == 200 and page.all('cache-control') == ['no-store'],
                   '%s says Cache-Control: no-store, once' % path, page.summary(300))

        # ---- an approval reaches readers within the bound ----
        page3 = srv.get('/articles/3').headers.get('location', '')
        old = srv.get(page3)
        tap.ok(old.status == 200 and b'Approved by' not in old.body, 'article 3 is not approved yet', old.summary())
        srv.get(page3)      # cached now
        rev = Browser(srv)
        rev.login('rev@example.org')
        rev.post('/editor/articles/3/transitions', {'to': 'under_review'})
        r = rev.post('/editor/articles/3/transitions', {'to': 'approved'})
        approved = time.monotonic()
        tap.ok(r.status in (200, 303), 'the reviewer approves article 3', r.summary())
        seen = None
        while time.monotonic() - approved < APPROVAL_BOUND + 2:
            p = srv.get(page3)
            if b'Approved by Rita Reviewer' in p.body:
                seen = time.monotonic() - approved
                break
            time.sleep(0.1)
        tap.ok(seen is not None and seen <= APPROVAL_BOUND,
               'readers see the approval within %.0f s (after %s s)' % (APPROVAL_BOUND,
                                                                        '%.1f' % seen if seen is not None else 'never'))
        p = srv.get(page3)
        tap.ok(b'Approved by Rita Reviewer' in p.body, 'and keep seeing it')

    # a page's ETag names the program that made it: after an upgrade (here a copy of evqa with bytes
    # added, which runs the same), a cached page revalidated with its old ETag is sent anew rather
    # than answered 304, for the new code may rank or word it otherwise; the same program on the
    # same content gives the same tag
    def tag_of(binary):
        old = os.environ.get('EVQA_BIN')
        if binary is not None:
            os.environ['EVQA_BIN'] = binary
        try:
            with Server(tap) as s2:
                r = s2.get('/editorial-policy', headers={'Cache-Control': 'no-cache'})
                return r.headers.get('etag'), r.status
        finally:
            if old is None:
                os.environ.pop('EVQA_BIN', None)
            else:
                os.environ['EVQA_BIN'] = old
    from harness import evqa_bin  # noqa: E402
    other = os.path.join(os.environ.get('TMPDIR', '/tmp'), 'evqa-upgrade-%d' % os.getpid())
    shutil.copy(evqa_bin(), other)
    with open(other, 'ab') as f:
        f.write(b'\0another build\0')
    try:
        t1, t2, t3 = tag_of(None), tag_of(None), tag_of(other)
    finally:
        os.unlink(other)
    tap.ok(t1[0] and t1 == t2, 'the same program on the same content gives the same ETag', (t1, t2))
    tap.ok(t3[0] and t3[0] != t1[0], 'another build of evqa gives another ETag', (t1, t3))


if __name__ == '__main__':
    run(main)
