#!/usr/bin/env python3
# t_html_valid.py: every page type (home, each article for clinician and patient, editorial policy, the
# 404 page and the 400 page, search with and without results, the question form and the answer pages,
# and the editorial pages: login, dashboard, review page, the article editor with its preview, its
# field errors and a conflicting save, the diff, the question queue and one question with its history,
# the article editor started from a question, the answer pages once the editors answered) is valid HTML
# by the Nu HTML Checker (vnu.jar from the vnu-jar npm package, or $VNU_JAR), run once over all of
# them. Skips when java or the jar is missing, except in CI (CI=true), where a missing checker is a
# failure.

import json
import os
import re
import shutil
import subprocess
import sys
from urllib.parse import unquote, urlencode, urlsplit

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Server, Skip, require_binary, run, top_srcdir  # noqa: E402
from editor_client import Browser, add_user  # noqa: E402


def find_jar():
    """$VNU_JAR, else node_modules/vnu-jar/build/dist/vnu.jar in the source directory or the nearest
    directory above it that has one (how Node itself resolves packages; `make distcheck` unpacks the
    source inside the build directory, away from the checkout's node_modules)."""
    if os.environ.get('VNU_JAR'):
        return os.environ['VNU_JAR']
    d = top_srcdir()
    while True:
        jar = os.path.join(d, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar')
        if os.path.isfile(jar):
            return jar
        parent = os.path.dirname(d)
        if parent == d:
            return os.path.join(top_srcdir(), 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar')
        d = parent


def checker():
    """(java, jar, why they cannot run or '')."""
    jar = find_jar()
    java = shutil.which('java')
    missing = []
    if not java:
        missing.append('java not found in PATH')
    if not os.path.isfile(jar):
        missing.append('%s not found (npm install)' % jar)
    return java, jar, '; '.join(missing)


def page_list(srv):
    pages = [('home page', '/', 200)]
    canon = {}
    for aid in (1, 2, 3):
        loc = urlsplit(srv.get('/articles/%d' % aid).headers.get('location', '')).path
        canon[aid] = loc if re.fullmatch(r'/articles/%d/[a-z0-9-]+' % aid, loc) else '/articles/%d' % aid
        pages.append(('article %d, clinician' % aid, canon[aid], 200))
        pages.append(('article %d, patient' % aid, canon[aid] + '?audience=patient', 200))
    pages += [('editorial policy page', '/editorial-policy', 200),
              ('404 page', '/articles/99/no-such-article', 404),
              ('400 page (unknown audience)', canon[1] + '?audience=martian', 400)]
    pages += [('search form', '/search', 200),
              ('search results', '/search?q=pain+treatment', 200),
              ('search with no results', '/search?q=zzqxwobble', 200),
              ('question form', '/questions/new?article=1', 200)]
    # answer pages: one with passages, one queued for the editors
    for name, q, art in (('answer page with a short answer', 'is apixaban preferred over warfarin', '2'),
                         ('answer page, closest passages not yet reviewed', 'acupuncture for chronic low back pain',
                          '1'),
                         ('answer page, no answer yet', 'zzqx flibbertigibbet wobblequark', '1')):
        r = srv.request('POST', '/questions', body=urlencode({'question': q, 'article': art}).encode(),
                        headers={'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin'})
        pages.append((name, r.headers.get('location', '/questions/missing'), 200))
    return pages


def editor_pages(srv):
    """The editorial pages, fetched by a logged-in editor: (name, fetch function, expected status)."""
    add_user(srv, 'ed@x.org', 'Edna <Editor>', 'editor', 'MD')
    add_user(srv, 'rev@x.org', 'Rex Reviewer', 'reviewer')
    b = Browser(srv)
    login_page = b.get('/editor/login?next=%2Feditor')
    b.login('ed@x.org')
    rv = Browser(srv)
    rv.login('rev@x.org')
    rv.post('/editor/articles/1/transitions', {'to': 'changes_requested', 'reason': 'Cite the <2020> data.'})
    fields = {'base': '1', 'question': 'A question?', 'references': 'research | A trial | J | 2020 | 123 | |',
              'bottom_clinician': 'It works [1].', 'body_clinician': 'Trial data [1].'}
    return [
        ('editor login page', lambda: login_page, 200),
        ('editor login page after a wrong password',
         lambda: Browser(srv).login('ed@x.org', password='not the password'), 401),
        ('editor dashboard', lambda: b.get('/editor'), 200),
        ('editor dashboard, filtered and sorted', lambda: b.get('/editor?state=approved&sort=question'), 200),
        ('editor review page', lambda: b.get('/editor/articles/1'), 200),
        ('editor review page of an approved article', lambda: b.get('/editor/articles/2'), 200),
        ('article editor', lambda: b.get('/editor/articles/1/edit'), 200),
        ('new article form', lambda: b.get('/editor/articles/new'), 200),
        ('article editor with its preview',
         lambda: b.post('/editor/articles/1/edit', dict(fields, preview='show')), 200),
        ('article editor with field errors',
         lambda: b.post('/editor/articles/1/edit', dict(fields, body_clinician='Cites [9].')), 400),
        ('article editor after a conflicting save',
         lambda: (b.post('/editor/articles/1/edit', fields),
                  b.post('/editor/articles/1/edit', dict(fields, body_clinician='Mine [1].')))[1], 409),
        ('diff page', lambda: b.get('/editor/articles/1/diff?rev=2&against=1'), 200),
    ] + queue_pages(srv, b)


def queue_pages(srv, b):
    """The question queue and the asker's page once the editors answered (questions from page_list)."""
    def question(state):
        return json.loads(b.get('/api/v1/questions?state=%s' % state).body)[0]

    def linked(state, article):
        q = question(state)
        b.post('/editor/questions/%d/link' % q['id'], {'article': str(article)})
        return b.get(q['url'])

    return [
        ('question queue', lambda: b.get('/editor/questions'), 200),
        ('question queue, filtered and sorted', lambda: b.get('/editor/questions?state=queued&sort=oldest'), 200),
        ('a question in the queue', lambda: b.get('/editor/questions/%d' % question('queued')['id']), 200),
        ('new article form from a question',
         lambda: b.get('/editor/questions/%d/article' % question('queued')['id']), 200),
        ('answer page, answer being written', lambda: linked('answered', 3), 200),
        ('answer page, answered by the editors', lambda: linked('queued', 2), 200),
        ('a question with its history', lambda: b.get('/editor/questions/%d' % question('answered_by_editors')['id']),
         200),
    ]


def main(tap):
    require_binary()
    java, jar, missing = checker()
    if missing:
        if os.environ.get('CI') == 'true':
            tap.ok(False, 'the Nu HTML Checker is available (required in CI)', missing)
            return
        raise Skip(missing)

    with Server(tap) as srv:
        outdir = os.path.join(srv.dir, 'pages')
        os.mkdir(outdir)
        fetched = []
        pages = page_list(srv) + editor_pages(srv)
        for i, (name, path, want) in enumerate(pages):
            r = path() if callable(path) else srv.get(path)
            path = path if isinstance(path, str) else name
            f = os.path.join(outdir, '%02d-%s.html' % (i, re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')))
            with open(f, 'wb') as out:
                out.write(r.body)
            fetched.append((name, path, want, r, f))

        p = subprocess.run([java, '-jar', jar, '--errors-only', '--format', 'json']
                           + [f for *_, f in fetched], capture_output=True, text=True, timeout=300)
        report = None
        for stream in (p.stderr, p.stdout):
            try:
                report = json.loads(stream)
                break
            except ValueError:
                continue
        if not tap.ok(isinstance(report, dict) and isinstance(report.get('messages'), list),
                      'the Nu HTML Checker ran and reported in JSON',
                      'exit %d\nstdout: %s\nstderr: %s' % (p.returncode, p.stdout[-2000:], p.stderr[-2000:])):
            return

        by_file, stray = {}, []
        for m in report['messages']:
            if m.get('type') not in ('error', 'non-document-error'):
                continue
            url = m.get('url', '')
            path = unquote(urlsplit(url).path) if url.startswith('file:') else url
            key = os.path.basename(path)
            if key:
                by_file.setdefault(key, []).append(m)
            else:
                stray.append(m)
        tap.ok(not stray, 'the checker reported no errors outside the pages', json.dumps(stray, indent=1))

        for name, path, want, r, f in fetched:
            errs = by_file.get(os.path.basename(f), [])
            lines = ['GET %s answered %s, expected %s' % (path, r.status, want)] if r.status != want else []
            for m in errs:
                extract = ' '.join(m.get('extract', '').split())
                lines.append('line %s: %s%s' % (m.get('lastLine', '?'), m.get('message', ''),
                                                ('  [%s]' % extract) if extract else ''))
            tap.ok(not lines, '%s (GET %s) is valid HTML: zero Nu checker errors' % (name, path), '\n'.join(lines))


if __name__ == '__main__':
    run(main)
