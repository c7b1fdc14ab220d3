#!/usr/bin/env python3
# t_migrate.py: a schema-version-1 database holding the demo content (made here from sql/schema.sql and
# sql/demo.sql, as evqa 0.1 made it) is brought to the current schema by `evqa init` with every row
# kept: articles, revisions (states and times), references and wording; foreign keys still hold, and
# the rebuilt revision table takes the new review states. A schema-10 database gets schema 11's
# topic kinds, its topic names written again.

import json
import os
import re
import shutil
import sqlite3
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import make_tempdir, require_binary, run, run_evqa, top_srcdir  # noqa: E402

AUDIENCES = ['clinician', 'nurse', 'pharmacist', 'student', 'patient']
SNAPSHOT = {
    'article': 'SELECT id, slug, created_at FROM article ORDER BY id',
    'revision': 'SELECT id, article_id, number, question, author, created_at, state, state_at '
                'FROM revision ORDER BY id',
    'reference': 'SELECT revision_id, num, kind, title, source, year, pmid, doi, url FROM reference '
                 'ORDER BY revision_id, num',
    'revision_text': 'SELECT revision_id, audience, bottom_line, body FROM revision_text '
                     'ORDER BY revision_id, audience',
    'audience': 'SELECT code FROM audience ORDER BY code',
}


def schema_of(path):
    """Every table, index and trigger definition as SQLite keeps it, whitespace folded (ALTER TABLE
    ADD COLUMN writes its own spacing)."""
    with sqlite3.connect(path) as c:
        return sorted((t, n, tbl, re.sub(r'\s+', ' ', sql or '')) for t, n, tbl, sql in
                      c.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))


def snapshot(path):
    with sqlite3.connect(path) as c:
        return {k: c.execute(q).fetchall() for k, q in SNAPSHOT.items()}


def main(tap):
    require_binary()
    d = make_tempdir('evqa-mig-')
    db = os.path.join(d, 'v1.db')
    src = top_srcdir()
    with open(os.path.join(src, 'sql', 'schema.sql'), encoding='utf-8') as f:
        schema = f.read()
    with open(os.path.join(src, 'sql', 'demo.sql'), encoding='utf-8') as f:
        demo = f.read()
    c = sqlite3.connect(db)
    c.executescript(schema)
    c.executemany('INSERT INTO audience(code, label, sort) VALUES (?, ?, ?)',
                  [(a, a.title(), i) for i, a in enumerate(AUDIENCES)])
    c.executescript(demo)
    c.execute('PRAGMA user_version = 1')
    c.commit()
    c.close()
    before = snapshot(db)
    tap.ok(len(before['revision']) >= 3 and len(before['reference']) > 10 and len(before['revision_text']) >= 3,
           'the version-1 database holds the demo content',
           repr({k: len(v) for k, v in before.items()}))

    latest = max(int(n[8:11]) for n in os.listdir(os.path.join(top_srcdir(), 'sql'))
                 if n.startswith('migrate-') and n.endswith('.sql'))
    p = run_evqa(['init', '--db', db])
    tap.ok(p.returncode == 0 and 'schema version %d' % latest in p.stdout, 'evqa init migrates it',
           'exit %d\n%s\n%s' % (p.returncode, p.stdout, p.stderr))
    after = snapshot(db)
    for k in SNAPSHOT:
        tap.eq(after[k], before[k], 'every %s row is kept, unchanged (%d rows)' % (k, len(before[k])))
    with sqlite3.connect(db) as c:
        tap.eq(c.execute('PRAGMA user_version').fetchone()[0], latest, 'the schema version is %d, the newest '
               'migration' % latest)
        cols = [r[1] for r in c.execute('PRAGMA table_info(reference)')]
        tap.ok('authors' in cols, 'references have an authors column (schema 8)', repr(cols))
        tap.eq(c.execute('PRAGMA foreign_key_check').fetchall(), [], 'foreign keys still hold')
        tap.ok(c.execute('SELECT count(*) FROM revision_text WHERE html IS NULL').fetchone()[0] == 0,
               'the wording is rendered')
        c.execute('PRAGMA foreign_keys = ON')
        c.execute("UPDATE revision SET state = 'changes_requested' WHERE id = 1")
        try:
            c.execute("UPDATE revision SET state = 'lost' WHERE id = 1")
            ok = False
        except sqlite3.IntegrityError:
            ok = True
        tap.ok(ok, 'the rebuilt revision table takes the new states and still refuses unknown ones')
        c.rollback()
        cols = [r[1] for r in c.execute('PRAGMA table_info(revision)')]
        tap.ok('author_user_id' in cols, 'revisions have an author account column', repr(cols))
        refs = c.execute("SELECT count(*) FROM sqlite_master WHERE sql LIKE '%REFERENCES revision(id)%'").fetchone()[0]
        tap.ok(refs >= 3, 'references, wording and audit rows still refer to the revision table', repr(refs))
    p = run_evqa(['init', '--db', db])
    tap.ok(p.returncode == 0 and snapshot(db) == before, 'running evqa init again changes nothing', p.stderr)
    fresh = os.path.join(d, 'fresh.db')
    p = run_evqa(['init', '--db', fresh])
    migrated, made = schema_of(db), schema_of(fresh)
    tap.ok(p.returncode == 0 and migrated == made, 'the migrated database has the schema of a new one',
           'only migrated: %r\nonly new: %r' % ([x for x in migrated if x not in made][:5],
                                                [x for x in made if x not in migrated][:5]))

    # schema 11: a database of schema 10, whose topic table takes kinds 1 and 2 only (and whose
    # repeats keep no answer of their own, schema 12), gets the third kind and every article's topic
    # names written again, the topic sequence going on
    v10 = os.path.join(d, 'v10.db')
    pages = os.path.join(d, 'pages.jsonl')
    with open(pages, 'w') as f:
        f.write(json.dumps({'id': 'MIG_HAND', 'title': 'Hand Injuries and Disorders', 'url': 'https://example.org/h',
                            'sections': [{'id': 'MIG_HAND_Sec1', 'heading': 'What is (are) Hand Injuries and '
                                          'Disorders?', 'text': 'Sprains and fractures affect the fingers.'}]}) + '\n')
    p1 = run_evqa(['init', '--db', v10])
    p2 = run_evqa(['import', '--db', v10, '--state', 'approved', pages])
    with sqlite3.connect(v10) as c:
        c.executescript("""
            CREATE TABLE topic_old (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              term TEXT NOT NULL CHECK (length(term) BETWEEN 1 AND 200), surface TEXT NOT NULL,
              article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
              kind INTEGER NOT NULL CHECK (kind IN (1, 2)), UNIQUE (term, article_id));
            INSERT INTO topic_old SELECT * FROM topic WHERE kind < 3;
            DROP TABLE topic;
            ALTER TABLE topic_old RENAME TO topic;
            CREATE INDEX topic_article ON topic(article_id);
            CREATE INDEX topic_surface ON topic(surface);
            ALTER TABLE question_repeat DROP COLUMN state;
            ALTER TABLE question_repeat DROP COLUMN answer_json;
            INSERT INTO question(token, text, norm, audience, created_at, last_asked, state, answer_json)
            VALUES ('0123456789abcdef0123456789abcdef', 'what is it?', 'what is it?', 'clinician',
                    '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'queued',
                    '{"state": "queued", "confidence": 0.0, "topic": null, "qtype": null, "corrected": null, ' ||
                    '"summary": [], "passages": []}');
            PRAGMA user_version = 10;""")
        seq = c.execute("SELECT seq FROM sqlite_sequence WHERE name = 'topic'").fetchone()[0]
        kinds = c.execute("SELECT count(*) FROM topic WHERE kind = 3").fetchone()[0]
    p3 = run_evqa(['init', '--db', v10])
    with sqlite3.connect(v10) as c:
        got = c.execute("SELECT t.term FROM topic t JOIN article a ON a.id = t.article_id "
                        "WHERE a.source_id = 'MIG_HAND' AND t.kind = 3").fetchall()
        seq2 = c.execute("SELECT seq FROM sqlite_sequence WHERE name = 'topic'").fetchone()[0]
        secs = c.execute("SELECT count(*) FROM section s JOIN article a ON a.id = s.article_id "
                         "WHERE a.source_id = 'MIG_HAND'").fetchone()[0]
    tap.ok(p1.returncode == 0 and p2.returncode == 0 and kinds == 0 and p3.returncode == 0 and
           'schema version %d' % latest in p3.stdout and got == [('hand',)] and seq2 > seq and secs == 1,
           'a schema-10 database gets the group subject "hand" for "Hand Injuries and Disorders", its '
           'sections again, and a topic sequence that goes on',
           repr((p2.stderr, p3.stdout, p3.stderr, kinds, got, seq, seq2, secs)))
    # schema 12: an answer stored before has no_article_for, null (docs/openapi.json's Answer)
    with sqlite3.connect(v10) as c:
        ans = json.loads(c.execute("SELECT answer_json FROM question WHERE token = ?",
                                   ('0123456789abcdef0123456789abcdef',)).fetchone()[0])
    tap.ok('no_article_for' in ans and ans['no_article_for'] is None and ans['state'] == 'queued',
           'an answer stored before schema 12 gains no_article_for, null, and keeps the rest', ans)
    if not os.environ.get('EVQA_KEEP_TMP'):
        shutil.rmtree(d, ignore_errors=True)


if __name__ == '__main__':
    run(main)
