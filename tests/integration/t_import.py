#!/usr/bin/env python3
# t_import.py: evqa import and export on small fixture files (tests/fixtures/), never the corpus:
# MedQuAD-format import, re-import idempotence, export/import round trip, bad lines reported with their
# line numbers and their batch rolled back, imported text shown as text, evqa search with hostile text.

import gzip
import json
import os
import re
import shutil
import sqlite3
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import make_tempdir, require_binary, run, run_evqa, top_srcdir  # noqa: E402

FIXTURE = os.path.join(top_srcdir(), 'tests', 'fixtures', 'medquad-small.jsonl')


def counts(db):
    c = sqlite3.connect(db)
    try:
        return tuple(c.execute('SELECT count(*) FROM %s' % t).fetchone()[0]
                     for t in ('article', 'revision', 'reference', 'revision_text', 'section'))
    finally:
        c.close()


def record(i, **over):
    r = {'id': 'GEN_%05d' % i, 'title': 'Generated topic %d' % i, 'source': 'TEST', 'url': 'https://example.org/%d' % i,
         'focus': 'Generated topic %d' % i, 'synonyms': [],
         'sections': [{'id': 'GEN_%05d_Sec1' % i, 'heading': 'What is topic %d?' % i, 'text': 'Text of topic %d.' % i}]}
    r.update(over)
    return r


def main(tap):
    require_binary()
    tmp = make_tempdir()
    try:
        checks(tap, tmp)
    finally:
        if os.environ.get('EVQA_KEEP_TMP') == '1':
            sys.stderr.write('kept %s\n' % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def checks(tap, tmp):
    db = os.path.join(tmp, 'a.db')

    p = run_evqa(['import', '--db', db, FIXTURE])
    tap.eq(p.returncode, 0, 'import of the MedQuAD-format fixture exits 0', p.stderr)
    tap.ok('4 new' in p.stderr, 'import reports 4 new articles', p.stderr)
    first = counts(db)
    tap.eq(first, (4, 4, 4, 4, 7), 'one article, revision, reference and text per page; one section per heading')

    c = sqlite3.connect(db)
    ids = [r[0] for r in c.execute('SELECT source_id FROM section ORDER BY article_id, ord')]
    tap.eq(ids[:3], ['FIX_0001_Sec1', 'FIX_0001_Sec2', 'FIX_0001_Sec3'], 'sections keep their external ids in order')
    tap.eq(c.execute("SELECT count(*) FROM synonym WHERE term = 'cerebrohepatorenal syndrome' AND "
                     "expansion = 'zellweger spectrum disorder'").fetchone()[0], 1,
           'topic synonyms are stored for search, lower case')
    html = c.execute("SELECT t.html FROM revision_text t JOIN revision r ON r.id = t.revision_id "
                     "JOIN article a ON a.id = r.article_id WHERE a.source_id = 'FIX_0002'").fetchone()[0]
    tap.ok('<script' not in html and '&lt;script&gt;alert(1)&lt;/script&gt;' in html and '<img' not in html,
           'raw HTML in imported text is stored as text, escaped', html)
    tap.ok('<ol' not in html and '# not a heading' in html and '<em>' not in html,
           'Markdown syntax in imported text stays text (no list, heading or emphasis)', html)
    html = c.execute("SELECT t.html FROM revision_text t JOIN revision r ON r.id = t.revision_id "
                     "JOIN article a ON a.id = r.article_id WHERE a.source_id = 'FIX_0001'").fetchone()[0]
    tap.ok('href="#ref-2"' not in html and 'href="#ref-1"' in html and '\u20602]' in html,
           'bracketed numbers in imported text never become citation markers; each section cites its page', html)
    c.close()

    c = sqlite3.connect(db)
    c.execute('DELETE FROM section')
    c.commit()
    c.close()
    p = run_evqa(['init', '--db', db])
    tap.ok(p.returncode == 0 and counts(db) == first, 'evqa init rebuilds missing sections (as after the migration to '
           'schema 2)', p.stderr)

    p = run_evqa(['import', '--db', db, FIXTURE])
    tap.ok(p.returncode == 0 and '4 unchanged' in p.stderr, 're-import of the same file changes nothing', p.stderr)
    tap.eq(counts(db), first, 're-import creates no article, revision or section')

    # a changed page: a new revision of the same article, found by its source id
    changed = os.path.join(tmp, 'changed.jsonl')
    with open(FIXTURE) as f, open(changed, 'w') as out:
        for line in f:
            r = json.loads(line)
            if r['id'] == 'FIX_0004':
                r['sections'][0]['text'] += ' Treatment removes copper.'
            out.write(json.dumps(r) + '\n')
    p = run_evqa(['import', '--db', db, changed])
    tap.ok(p.returncode == 0 and '1 updated' in p.stderr and '3 unchanged' in p.stderr,
           'a changed page updates its article in place', p.stderr)
    tap.eq(counts(db)[:2], (4, 5), 'the change is one new revision, no new article')

    # gzip
    gz = os.path.join(tmp, 'f.jsonl.gz')
    with open(FIXTURE, 'rb') as f, gzip.open(gz, 'wb') as out:
        out.write(f.read())
    db2 = os.path.join(tmp, 'gz.db')
    p = run_evqa(['import', '--db', db2, gz])
    tap.ok(p.returncode == 0 and counts(db2)[0] == 4, 'a .jsonl.gz file imports the same', p.stderr)

    # export -> import -> export gives the same lines
    e1 = os.path.join(tmp, 'e1.jsonl')
    run_evqa(['init', '--db', db2 + 'x', '--demo'])
    run_evqa(['import', '--db', db2 + 'x', FIXTURE])
    p = run_evqa(['export', '--db', db2 + 'x', e1])
    tap.eq(p.returncode, 0, 'export exits 0', p.stderr)
    db3 = os.path.join(tmp, 'round.db')
    p = run_evqa(['import', '--db', db3, e1])
    tap.eq(p.returncode, 0, 'import of an export exits 0', p.stderr)
    p2 = run_evqa(['export', '--db', db3])
    with open(e1) as f:
        want = f.read()
    tap.ok(p2.stdout == want, 'export of the re-imported database equals the first export (articles, revisions, '
           'references, states, wording, source ids)', 'first lines differ:\n%s\n%s' % (want[:400], p2.stdout[:400]))
    tap.eq(counts(db3), counts(db2 + 'x'), 'the round trip has the same rows, sections included')
    p = run_evqa(['import', '--db', db3, e1])
    tap.ok(p.returncode == 0 and 'unchanged' in p.stderr and ' 0 new, 0 updated' in p.stderr,
           're-importing an export changes nothing', p.stderr)

    # bad lines: reported with their numbers; their whole batch rolled back
    bad = os.path.join(tmp, 'bad.jsonl')
    lines = [json.dumps(record(i)).encode() for i in range(1, 601)]
    lines[1] = lines[1][:40]                                                   # line 2: truncated JSON
    lines[3] = json.dumps(record(4, sections='not a list')).encode()             # line 4: wrong type
    lines[5] = json.dumps(record(6, title='x' * 400)).encode()                   # line 6: too long
    lines[550] = b'{"id": "GEN_bad", "title": "\xff\xfe broken"}'                # line 551: not UTF-8
    with open(bad, 'wb') as f:
        f.write(b'\n'.join(lines) + b'\n')
    db4 = os.path.join(tmp, 'bad.db')
    p = run_evqa(['import', '--db', db4, bad])
    tap.eq(p.returncode, 1, 'import with bad lines exits 1')
    for n, what in ((2, 'not valid JSON'), (4, 'sections'), (6, 'question'), (551, 'UTF-8')):
        tap.ok(re.search(r'bad\.jsonl:%d: .*%s' % (n, re.escape(what)), p.stderr),
               'line %d is reported with its number (%s)' % (n, what), p.stderr)
    tap.ok('lines 1 to 500 were not imported' in p.stderr and 'lines 501 to 600 were not imported' in p.stderr,
           'the message says which lines were rolled back', p.stderr)
    tap.eq(counts(db4), (0, 0, 0, 0, 0), 'nothing of a batch with a bad line is written')
    huge = os.path.join(tmp, 'huge.jsonl')
    with open(huge, 'w') as f:
        f.write(json.dumps(record(1)) + '\n')
        f.write(json.dumps(record(2, sections=[{'heading': 'H', 'text': 'y' * 200000}])) + '\n')
    db5 = os.path.join(tmp, 'huge.db')
    p = run_evqa(['import', '--db', db5, huge])
    tap.ok(p.returncode == 1 and re.search(r'huge\.jsonl:2: .*body', p.stderr) and counts(db5)[0] == 0,
           'a huge field is refused with its line number and nothing is written', p.stderr)
    p = run_evqa(['import', '--db', db5, os.path.join(tmp, 'missing.jsonl')])
    tap.eq(p.returncode, 1, 'a missing file is an error')
    p = run_evqa(['import', '--db', db5, '--state', 'published', FIXTURE])
    tap.eq(p.returncode, 2, 'an unknown --state is a usage error (exit 2)')

    # search from the command line: any text is a query
    for q in ['"', 'NEAR(a b', '* OR AND NOT', 'title:x', '\'); DROP TABLE article; --', '<script>', 'ü 漢字 —']:
        p = run_evqa(['search', '--db', db, '--json', '--', q])
        ok = p.returncode == 0
        try:
            json.loads(p.stdout)
        except ValueError:
            ok = False
        tap.ok(ok, 'evqa search --json %r answers JSON, exit 0' % q, p.stderr)
    p = run_evqa(['search', '--db', db, '--json', 'cerebrohepatorenal', 'syndrome', 'symptoms'])
    res = json.loads(p.stdout)['results']
    tap.ok(res and res[0]['source_id'] == 'FIX_0001' and res[0]['sections'][0]['source_id'] == 'FIX_0001_Sec2',
           'a synonym finds its topic, the symptoms section first', p.stdout[:600])
    p = run_evqa(['ask', '--db', db, '--json', 'zzqx', 'flibbertigibbet'])
    tap.ok(p.returncode == 0 and json.loads(p.stdout)['state'] == 'queued', 'evqa ask with no match says queued',
           p.stdout)


if __name__ == '__main__':
    run(main)
