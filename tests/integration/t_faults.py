#!/usr/bin/env python3
# t_faults.py: faults as standing tests, bounded in count and time, on loopback only. evqa killed with
# SIGKILL while writing loses no write it acknowledged; an import killed halfway keeps whole batches
# only; SIGTERM under load ends cleanly with every acknowledged write kept; `evqa backup` copies the
# database while it is served and the copy serves as it is.

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (FCGI_BEGIN_REQUEST, FCGI_PARAMS, FCGI_RESPONDER, FCGI_STDIN, Server, evqa_bin,  # noqa: E402
                     fcgi_pairs, fcgi_params, fcgi_read_reply, fcgi_record, run)

KILL_CYCLES = 5


def ask(srv, text):
    """POST /api/v1/questions straight to evqa's socket (nginx's rate limit would stop a test that
    writes fast); returns the private token when evqa acknowledged the write, else None."""
    import socket
    import struct
    body = json.dumps({'question': text}).encode()
    params = fcgi_params('POST', '/api/v1/questions', body, 'application/json')
    params['CONTENT_TYPE'] = 'application/json'
    data = (fcgi_record(FCGI_BEGIN_REQUEST, 1, struct.pack('!HB5x', FCGI_RESPONDER, 0))
            + fcgi_record(FCGI_PARAMS, 1, fcgi_pairs(params)) + fcgi_record(FCGI_PARAMS, 1)
            + fcgi_record(FCGI_STDIN, 1, body) + fcgi_record(FCGI_STDIN, 1))
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    try:
        s.connect(srv.sock)
        s.sendall(data)
        reply = fcgi_read_reply(s)
    except OSError:
        return None
    finally:
        s.close()
    if not reply.complete:
        return None
    r = reply.http()
    return r.json().get('token') if r.status == 201 else None


class Writers:
    """Threads that post questions until stopped, keeping the tokens of the acknowledged ones."""

    def __init__(self, srv, n=3, tag='w'):
        self.srv, self.stop, self.acked, self.tag = srv, threading.Event(), [], tag
        self.threads = [threading.Thread(target=self._loop, args=(i,)) for i in range(n)]

    def _loop(self, i):
        k = 0
        while not self.stop.is_set():
            t = ask(self.srv, 'Fault question %s %d %d about the duration of antibiotics?' % (self.tag, i, k))
            if t:
                self.acked.append(t)
            k += 1

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *a):
        self.stop.set()
        for t in self.threads:
            t.join()


def tokens_in(db):
    with sqlite3.connect(db) as c:
        return {row[0] for row in c.execute('SELECT token FROM question')}


def integrity(db):
    with sqlite3.connect(db) as c:
        return c.execute('PRAGMA integrity_check').fetchone()[0]


def test_kill_during_writes(tap, srv):
    acked = []
    for cycle in range(KILL_CYCLES):
        with Writers(srv, tag='k%d' % cycle) as w:
            time.sleep(0.6)
            code = srv.restart_evqa(signal.SIGKILL)
            acked += w.acked
        if code != -signal.SIGKILL:
            tap.diag('cycle %d: evqa exit status %r' % (cycle, code))
    stored = tokens_in(srv.db)
    lost = [t for t in acked if t not in stored]
    tap.ok(len(acked) > 20 and not lost, '%d kill -9 cycles during question posts: all %d acknowledged '
           'questions are stored (%d lost)' % (KILL_CYCLES, len(acked), len(lost)))
    tap.ok(integrity(srv.db) == 'ok', 'PRAGMA integrity_check is ok afterwards')
    tap.ok(srv.get('/healthz').status == 200, 'and evqa serves on')


def test_kill_during_import(tap, srv):
    path = srv.path('import.jsonl')
    with open(path, 'w', encoding='utf-8') as f:
        for i in range(1500):
            f.write(json.dumps({'id': 'KILL_%05d' % i, 'title': 'Killed import topic %d' % i, 'source': 'TEST',
                                'collection': 'fixture', 'url': 'https://example.org/k%d' % i,
                                'focus': 'Killed import topic %d' % i, 'synonyms': [], 'cuis': [],
                                'semantic_types': [], 'semantic_group': 'Disorders', 'category': None,
                                'sections': [{'id': 'KILL_%05d_S1' % i, 'heading': 'What is topic %d?' % i,
                                              'qtype': 'information',
                                              'text': 'Topic %d is a condition. ' % i * 40}]}) + '\n')
    with sqlite3.connect(srv.db) as c:
        before = c.execute('SELECT count(*) FROM article').fetchone()[0]
    counts = []
    for delay in (0.4, 0.9, 1.5):
        p = subprocess.Popen([evqa_bin(), 'import', '--db', srv.db, path], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.kill()
        p.wait()
        with sqlite3.connect(srv.db) as c:
            counts.append(c.execute("SELECT count(*) FROM article WHERE source_id LIKE 'KILL_%'").fetchone()[0])
            bare = c.execute('SELECT count(*) FROM revision r WHERE NOT EXISTS (SELECT 1 FROM section s '
                             'WHERE s.revision_id = r.id) AND r.article_id IN (SELECT id FROM article '
                             "WHERE source_id LIKE 'KILL_%')").fetchone()[0]
        if bare:
            counts.append('bare %d' % bare)
    tap.ok(all(isinstance(n, int) and n % 500 == 0 for n in counts), 'imports killed after 0.4, 0.9 and '
           '1.5 s keep whole batches of 500 only (articles after each: %r)' % counts)
    tap.ok(integrity(srv.db) == 'ok' and before >= 0, 'integrity_check is ok after the killed imports')
    p = subprocess.run([evqa_bin(), 'import', '--db', srv.db, path], capture_output=True, text=True, timeout=120)
    with sqlite3.connect(srv.db) as c:
        n = c.execute("SELECT count(*) FROM article WHERE source_id LIKE 'KILL_%'").fetchone()[0]
    tap.ok(p.returncode == 0 and n == 1500, 'importing the file again completes it (%d articles)' % n, p.stderr)


def test_sigterm_under_load(tap, srv):
    statuses = []

    def reader():
        while not done.is_set():
            try:
                statuses.append(srv.get('/', timeout=10).status)
            except OSError:
                statuses.append('conn')
    done = threading.Event()
    rs = [threading.Thread(target=reader) for _ in range(2)]
    with Writers(srv, tag='term') as w:
        for t in rs:
            t.start()
        time.sleep(0.8)
        t0 = time.monotonic()
        code = srv.restart_evqa(signal.SIGTERM)
        took = time.monotonic() - t0
        done.set()
        for t in rs:
            t.join()
    stored = tokens_in(srv.db)
    lost = [t for t in w.acked if t not in stored]
    bad = [s for s in statuses if s not in (200, 502, 'conn')]
    tap.ok(code == 0 and took < 4, 'SIGTERM under load: exit status 0 (%r) in %.1f s' % (code, took))
    tap.ok(not lost and len(w.acked) > 3, 'every acknowledged question is kept (%d)' % len(w.acked))
    tap.ok(not bad, 'readers got whole pages, or 502 from nginx while evqa was down (%d replies, others: %r)'
           % (len(statuses), bad[:5]))


def test_backup_restore(tap, srv):
    out = srv.path('copy.db')
    with Writers(srv, tag='bk') as w:
        time.sleep(0.3)
        p = subprocess.run([evqa_bin(), 'backup', '--db', srv.db, out], capture_output=True, text=True, timeout=60)
        time.sleep(0.3)
    tap.ok(p.returncode == 0 and 'integrity ok' in p.stdout, 'evqa backup while questions are posted', p.stderr)
    tap.ok(integrity(out) == 'ok', 'the copy passes integrity_check')
    with sqlite3.connect(out) as c:
        copied = {row[0] for row in c.execute('SELECT token FROM question')}
    arts = srv.get('/api/v1/articles?per_page=100').headers.get('x-total-count')
    tap.ok(len(copied) > 0 and copied <= tokens_in(srv.db), 'the copy holds questions, all of them real (%d)'
           % len(copied))
    p2 = subprocess.run([evqa_bin(), 'backup', '--db', srv.db, out], capture_output=True, text=True, timeout=60)
    tap.ok(p2.returncode == 2 and 'exists' in p2.stderr, 'backup never overwrites a file (exit 2)', p2.stderr)

    def restore(s2):
        os.replace(out, s2.db)
        for suffix in ('-wal', '-shm'):
            if os.path.exists(s2.db + suffix):
                os.unlink(s2.db + suffix)
    with Server(tap, threads=2, before_serve=restore, extra_args=['--question-rate', '0']) as s2:
        r = s2.get('/api/v1/articles?per_page=100')
        tap.ok(r.status == 200 and r.headers.get('x-total-count') == arts and arts,
               'the restored copy serves the same %s articles' % arts, r.summary())
        tap.ok(ask(s2, 'Does the restored copy take new questions?') is not None, 'and takes new writes')


def main(tap):
    with Server(tap, threads=4, extra_args=['--question-rate', '0']) as srv:
        test_kill_during_writes(tap, srv)
        test_sigterm_under_load(tap, srv)
        test_backup_restore(tap, srv)
    with Server(tap, threads=2, demo=False) as srv:
        test_kill_during_import(tap, srv)


if __name__ == '__main__':
    run(main)
