#!/usr/bin/env python3
# soak.py: the realistic mix at saturation for a fixed time, against a running evqa behind nginx.
#
#   soak.py BASE_URL DB EVQA_PID MINUTES
#
# CLIENTS threads send requests back to back: article pages and the home page, JSON articles and
# lists, searches with varied words, readers' questions (each from its own loopback address, as
# distinct readers, so that the per-client limits see readers, not one flood), and an editor's
# saves and approvals through the API (two accounts made here with the evqa CLI). Every minute it
# prints requests, 5xx, evqa's resident memory and descriptors and the WAL size; at the end the
# first and last minute side by side. Exit status 1 when any reply was a 5xx or a request failed.

import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.parse

CLIENTS = 8
WORDS = ('antibiotics cellulitis pain acupuncture chronic back exercise therapy children fever '
         'dose days weeks trial evidence risk infection skin heart blood pressure sleep').split()


def rss_kb(pid, field='VmRSS:'):
    """Resident memory from /proc: VmRSS counts the database pages SQLite maps in (mmap_size), which
    grow with the database and are given back under pressure; RssAnon is evqa's own heap."""
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def fds(pid):
    return len(os.listdir('/proc/%d/fd' % pid))


def wal_mb(db):
    try:
        return os.path.getsize(db + '-wal') / 1e6
    except OSError:
        return 0.0


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.n = self.e5 = self.fail = 0
        self.by_status = {}
        self.first_5xx = []

    def add(self, what, status):
        with self.lock:
            self.n += 1
            self.by_status[status] = self.by_status.get(status, 0) + 1
            if status == 'fail':
                self.fail += 1
            elif status >= 500:
                self.e5 += 1
            if (status == 'fail' or status >= 500) and len(self.first_5xx) < 10:
                self.first_5xx.append('%s -> %s' % (what, status))


def main():
    base, db, pid, minutes = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    u = urllib.parse.urlsplit(base)
    host, port = u.hostname, u.port
    evqa = os.environ.get('EVQA_BIN', 'evqa')
    tokens = {}
    for email, role in (('soak-author@x.org', 'author'), ('soak-editor@x.org', 'editor')):
        subprocess.run([evqa, 'user', 'add', '--db', db, '--email', email, '--name', 'Soak ' + role, '--role', role],
                       input='soak password long enough\n', text=True, capture_output=True)
        p = subprocess.run([evqa, 'token', 'add', '--db', db, '--email', email], text=True, capture_output=True)
        tokens[role] = p.stdout.strip()
    stats = Stats()
    stop = time.monotonic() + minutes * 60
    pages = ['/', '/articles/1/acupuncture-chronic-pain', '/articles/2', '/articles/3', '/editorial-policy',
             '/articles/1/acupuncture-chronic-pain?audience=patient']

    def call(method, path, body=None, headers=None, source=None):
        conn = http.client.HTTPConnection(host, port, timeout=30,
                                          source_address=(source, 0) if source else None)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return r.status, data
        except OSError:
            return 'fail', b''
        finally:
            conn.close()

    def doc(n):
        return json.dumps({'question': 'Soak article %d: does exercise help back pain?' % n,
                           'texts': [{'audience': 'clinician', 'bottom_line': 'Exercise helps some [1].',
                                      'body': '## Evidence\n\nTrials show a small benefit [1].\n\nRevision %d.\n'
                                      % n}],
                           'references': [{'type': 'research', 'title': 'A trial', 'source': 'J', 'year': 2020,
                                           'pmid': '15249356', 'doi': None, 'url': None}]})

    def editor_loop():
        ha = {'Authorization': 'Bearer ' + tokens['author'], 'Content-Type': 'application/json'}
        he = {'Authorization': 'Bearer ' + tokens['editor'], 'Content-Type': 'application/json'}
        n = 0
        aid = None
        rev = 0
        while time.monotonic() < stop:
            n += 1
            if aid is None or rev >= 20:
                st, data = call('POST', '/api/v1/articles', doc(n), ha)
                stats.add('create', st)
                if st == 201:
                    aid, rev = json.loads(data)['id'], 1
                continue
            st, _ = call('POST', '/api/v1/articles/%d/transitions' % aid, json.dumps({'to': 'under_review'}), he)
            stats.add('review', st)
            st, _ = call('POST', '/api/v1/articles/%d/transitions' % aid, json.dumps({'to': 'approved'}), he)
            stats.add('approve', st)
            h = dict(ha, **{'If-Match': '"rev-%d-%d"' % (aid, rev)})
            st, _ = call('PUT', '/api/v1/articles/%d' % aid, doc(n), h)
            stats.add('save', st)
            if st in (200, 201):
                rev += 1

    def reader_loop(i):
        rnd = random.Random(i)
        k = 0
        while time.monotonic() < stop:
            k += 1
            x = rnd.random()
            if x < 0.45:
                path = rnd.choice(pages)
                st, _ = call('GET', path)
            elif x < 0.60:
                path = rnd.choice(['/api/v1/articles', '/api/v1/articles/1', '/api/v1/articles?page=1&per_page=5'])
                st, _ = call('GET', path)
            elif x < 0.85:
                q = ' '.join(rnd.sample(WORDS, rnd.randint(1, 4)))
                path = rnd.choice(['/search?q=', '/api/v1/search?q=']) + urllib.parse.quote(q)
                st, _ = call('GET', path)
            else:
                path = '/api/v1/questions'
                q = 'Soak reader %d question %d: %s?' % (i, k, ' '.join(rnd.sample(WORDS, 3)))
                src = '127.%d.%d.%d' % (1 + i, rnd.randint(0, 255), rnd.randint(1, 254))
                st, _ = call('POST', path, json.dumps({'question': q}), {'Content-Type': 'application/json'}, src)
            stats.add(path, st)

    threads = [threading.Thread(target=editor_loop)] + [threading.Thread(target=reader_loop, args=(i,))
                                                         for i in range(CLIENTS - 1)]
    for t in threads:
        t.start()
    rows = []
    t0 = time.monotonic()
    last_n = 0
    while any(t.is_alive() for t in threads):
        time.sleep(min(60, max(0.1, stop - time.monotonic())) if time.monotonic() < stop else 0.5)
        if time.monotonic() >= stop and any(t.is_alive() for t in threads):
            continue
        row = (int((time.monotonic() - t0) / 60 + 0.5), stats.n - last_n, stats.e5, rss_kb(pid) / 1024,
               fds(pid), wal_mb(db), rss_kb(pid, 'RssAnon:') / 1024, os.path.getsize(db) / 1e6)
        last_n = stats.n
        rows.append(row)
        print('minute %2d: %6d requests (%5.0f/s), 5xx so far %d, RSS %.1f MB (heap %.1f MB), %d fds, '
              'WAL %.1f MB, database %.1f MB' % (row[0], row[1], row[1] / 60, row[2], row[3], row[6], row[4],
                                                 row[5], row[7]), flush=True)
        if time.monotonic() >= stop and not any(t.is_alive() for t in threads):
            break
    for t in threads:
        t.join()
    print('\nsoak: %d clients, %.0f minutes, %d requests, %d 5xx, %d failed connections'
          % (CLIENTS, minutes, stats.n, stats.e5, stats.fail))
    print('statuses: %s' % ', '.join('%s: %d' % kv for kv in sorted(stats.by_status.items(), key=str)))
    if rows:
        a, b = rows[0], rows[-1]
        print('%-12s %10s %10s' % ('', 'first min', 'last min'))
        print('%-12s %10d %10d' % ('requests', a[1], b[1]))
        print('%-12s %10.1f %10.1f' % ('RSS MB', a[3], b[3]))
        print('%-12s %10.1f %10.1f' % ('heap MB', a[6], b[6]))
        print('%-12s %10.1f %10.1f' % ('database MB', a[7], b[7]))
        print('%-12s %10d %10d' % ('fds', a[4], b[4]))
        print('%-12s %10.1f %10.1f' % ('WAL MB', a[5], b[5]))
    for line in stats.first_5xx:
        print('  ' + line)
    return 1 if stats.e5 or stats.fail else 0


if __name__ == '__main__':
    sys.exit(main())
