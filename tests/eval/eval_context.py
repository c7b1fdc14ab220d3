#!/usr/bin/env python3
# eval_context.py: follow-up questions asked from an article's page, which name no topic ("is it
# inherited?" asked from Noonan syndrome), scored by where `evqa ask --article ID` puts the section
# that answers them.
#
#   tests/eval/eval_context.py EVQA_BIN DB DATA_DIR
#
# DB holds DATA_DIR/articles.jsonl.gz imported. The set is built from the corpus: for each question
# type below, pages with exactly one section of that type (MedQuAD's own qtype label, not evqa's),
# PAGES_PER_TYPE of them chosen by a hash of their id; each is asked with that page as context in
# every phrasing of the type (plain, lay, misspelled: written for this set, naming no topic). A hit is
# that section's source_id among the passages. Prints MRR@5, the share answered, and per type.
# Exits 77 (skipped) when the data is absent. Python 3 standard library only.
import gzip
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

PAGES_PER_TYPE = 20
K = 5

PHRASINGS = {
    'treatment': ['How is it treated?', 'is there anything that can be done for this, any medicine?',
                  'what are the treatmnts'],
    'symptoms': ['What are the symptoms?', 'what signs should I look out for', 'what are the symptons'],
    'causes': ['What causes it?', 'why does somebody get this', 'what causses this condition'],
    'inheritance': ['Is it inherited?', 'can my kids get it from me', 'is this inheritted'],
    'frequency': ['How common is it?', 'how many people have this', 'how comon is this'],
    'genetic changes': ['Which genes are involved?', 'what mutation is behind it', 'wich genes are afected'],
    'outlook': ['What is the outlook?', 'what is the life expectancy with this', 'what is the prognosys'],
    'exams and tests': ['How is it diagnosed?', 'what tests would a doctor do', 'how is it diagnozed'],
    'prevention': ['Can it be prevented?', 'how can I avoid getting this', 'can it be prevnted'],
    'susceptibility': ['Who is at risk?', 'who is more likely to get this', 'who is at risk of getting it'],
}


def pick(pages):
    return sorted(pages, key=lambda p: hashlib.sha1(p.encode()).hexdigest())[:PAGES_PER_TYPE]


def main():
    if len(sys.argv) < 4:
        sys.exit('usage: eval_context.py EVQA_BIN DB DATA_DIR')
    evqa, db, data = sys.argv[1:4]
    arts = os.path.join(data, 'articles.jsonl.gz')
    if not os.path.isfile(arts):
        print('eval-context: skipped: %s is missing' % arts)
        sys.exit(77)
    ids = dict(sqlite3.connect(db).execute('SELECT source_id, id FROM article WHERE source_id IS NOT NULL'))
    by_type = {t: {} for t in PHRASINGS}
    with gzip.open(arts, 'rt', encoding='utf-8') as f:
        for line in f:
            rec = json.loads(line)
            if rec['id'] not in ids:
                continue
            for t in PHRASINGS:
                secs = [s['id'] for s in rec['sections'] if s.get('qtype') == t]
                if len(secs) == 1:
                    by_type[t][rec['id']] = secs[0]
    cases = []
    for t, pages in sorted(by_type.items()):
        for page in pick(list(pages)):
            for q in PHRASINGS[t]:
                cases.append((t, ids[page], pages[page], q))

    def one(case):
        t, art, sec, q = case
        p = subprocess.run([evqa, 'ask', '--db', db, '--json', '--article', str(art), '--', q],
                           capture_output=True, text=True)
        if p.returncode != 0:
            return case, [], 'error'
        j = json.loads(p.stdout)
        return case, [x.get('source_id') for x in j.get('passages', [])], j.get('state')

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        replies = list(pool.map(one, cases))
    per = {}
    for (t, art, sec, q), got, state in replies:
        rr = next((1.0 / (i + 1) for i, s in enumerate(got[:K]) if s == sec), 0.0)
        per.setdefault(t, []).append((rr, state == 'answered'))
    allv = [v for vs in per.values() for v in vs]
    print('contextual follow-ups %d (%d types, %d pages each, %d phrasings)  MRR@%d %.3f  answered %.0f%%' % (
        len(allv), len(per), PAGES_PER_TYPE, len(next(iter(PHRASINGS.values()))), K,
        sum(r for r, _ in allv) / max(1, len(allv)), 100.0 * sum(a for _, a in allv) / max(1, len(allv))))
    for t in sorted(per):
        vs = per[t]
        print('  %-16s MRR@%d %.3f  answered %.0f%%' % (t, K, sum(r for r, _ in vs) / len(vs),
                                                     100.0 * sum(a for _, a in vs) / len(vs)))


if __name__ == '__main__':
    main()
