#!/usr/bin/env python3
# eval_search.py: answer quality of `evqa search` on MedQuAD's known-item queries.
#
#   tests/eval/eval_search.py EVQA_BIN DATA_DIR [WORK_DIR]
#
# Imports DATA_DIR/articles.jsonl.gz into a fresh database, runs every query of
# DATA_DIR/queries_synonyms.jsonl.gz through `evqa search --json` (ranked) and `evqa search --json
# --plain` (plain bm25: no synonyms, no column weights), and reports MRR@10 and recall@10: a query's
# sections are the sections of the results in order (each article's matching sections, best first), and
# a hit is a section whose source_id is in the query's `relevant` list. Exits 77 (skipped) when the
# data is absent. Python 3 standard library only.
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

K = 10


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: eval_search.py EVQA_BIN DATA_DIR [WORK_DIR]')
    evqa, data = sys.argv[1], sys.argv[2]
    arts = os.path.join(data, 'articles.jsonl.gz')
    queries = os.path.join(data, 'queries_synonyms.jsonl.gz')
    if not (os.path.isfile(arts) and os.path.isfile(queries)):
        print('eval-search: skipped: %s or %s is missing' % (arts, queries))
        sys.exit(77)
    work = sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp(prefix='evqa-eval-')
    # a private copy of the binary: a rebuild during the run must not pull it away
    shutil.copy(evqa, os.path.join(work, 'evqa'))
    evqa = os.path.join(work, 'evqa')
    db = os.path.join(work, 'eval.db')
    for suffix in ('', '-wal', '-shm'):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    t = time.time()
    subprocess.run([evqa, 'import', '--db', db, '--state', 'approved', arts], check=True,
                   stderr=subprocess.DEVNULL)
    print('imported %s in %.1f s' % (arts, time.time() - t))
    with gzip.open(queries, 'rt', encoding='utf-8') as f:
        qs = [json.loads(line) for line in f if line.strip()]
    for label, extra in (('ranked (synonyms, weighted bm25)', []), ('plain bm25 baseline', ['--plain'])):
        rr = rec = 0.0
        t = time.time()

        def one(q):
            return subprocess.run([evqa, 'search', '--db', db, '--json', '--limit', str(K)] + extra
                                  + ['--', q['question']], capture_output=True, text=True)

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            replies = list(pool.map(one, qs))
        for q, p in zip(qs, replies):
            if p.returncode != 0:
                print('query %s failed: %s' % (q['qid'], p.stderr.strip()), file=sys.stderr)
                continue
            ids = []
            for res in json.loads(p.stdout)['results']:
                ids += [s['source_id'] for s in res['sections']]
            ids = ids[:K]
            rel = set(q['relevant'])
            for i, sid in enumerate(ids):
                if sid in rel:
                    rr += 1.0 / (i + 1)
                    break
            rec += len(rel & set(ids)) / len(rel) if rel else 0
        n = len(qs)
        print('%-34s MRR@%d %.3f  recall@%d %.3f  (%d queries, %.0f s)' % (label, K, rr / n, K, rec / n, n,
                                                                       time.time() - t))


if __name__ == '__main__':
    main()
