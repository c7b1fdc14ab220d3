#!/usr/bin/env python3
# t_answers.py: answers to questions as readers write them, through nginx and `evqa ask`: a misspelled
# topic found, a follow-up that names no topic answered from the article it was asked from, a short
# answer whose sentences and citation markers are the article's own, an honest refusal that names the
# topic, noise refused in bounded time, the chatter of a long message kept from choosing the sections,
# names written short ("QPW", "parkinsons"), titles of two names, misspellings the content's own words
# hide, question words inside a topic's name, a follow-up answered from the asked article's twin, the
# other names WordNet gives (lay and trade names) and the diseases it knows that no article covers,
# a repeated question answered anew;
# search's "Did you mean" and its true total; article pages with section anchors and a table of
# contents.

import json
import os
import re
import sqlite3
import sys
import time
from urllib.parse import quote

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Server, parse_html, run, run_evqa, top_srcdir  # noqa: E402

FIXTURE = os.path.join(top_srcdir(), 'tests', 'fixtures', 'medquad-small.jsonl')


def record(pid, title, sections, **extra):
    """An import record of a page: sections as (heading, text) or (heading, text, qtype), their ids
    pid_Sec1, pid_Sec2, ...; extra members (synonyms) as given."""
    secs = [dict({'id': '%s_Sec%d' % (pid, k + 1), 'heading': sec[0], 'text': sec[1]},
                 **({'qtype': sec[2]} if len(sec) > 2 else {})) for k, sec in enumerate(sections)]
    return dict({'id': pid, 'title': title, 'url': 'https://example.org/' + pid, 'sections': secs}, **extra)


def import_pages(srv, name, pages):
    """Writes pages to the import file name in the server's directory and imports it, approved."""
    path = srv.path(name)
    with open(path, 'w') as f:
        for rec in pages:
            f.write(json.dumps(rec) + '\n')
    return run_evqa(['import', '--db', srv.db, '--state', 'approved', path])


def ask(srv, question, article=None):
    doc = {'question': question}
    if article is not None:
        doc['article'] = article
    r = srv.request('POST', '/api/v1/questions', body=json.dumps(doc).encode(),
                    headers={'Content-Type': 'application/json'})
    return r, (r.json() if r.status in (200, 201) else {})


def article_id(srv, source_id):
    p = run_evqa(['export', '--db', srv.db])
    for line in p.stdout.splitlines():
        rec = json.loads(line)
        if rec.get('source_id') == source_id:
            r = srv.get('/api/v1/search?q=' + quote(rec['revisions'][-1]['question']))
            for item in r.json():
                if item.get('source_id') == source_id:
                    return item['id']
    return None


def block_texts(doc):
    """Every text of an article's JSON wording: paragraphs and list items, nested ones too."""
    out = []

    def walk(o):
        if isinstance(o, dict):
            if isinstance(o.get('text'), str):
                out.append(o['text'])
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    walk(doc)
    return out


def asked_again(tap):
    """Questions posted through nginx, on a server of their own: the proxy's rate limit (a burst of 20
    per address) is spent by main()'s."""
    with Server(tap, extra_args=['--question-rate', '0']) as srv:
        # a disease WordNet knows that no article covers: its words name no other topic ("swamp fever"
        # is leptospirosis, not Fever), the question is not answered, and the page says what it
        # recognised; a broader name inside one still names its article (a guard on the design)
        p = import_pages(srv, 'unheld.jsonl', [
            record('UNH_FEV', 'Fever', [('What is (are) Fever?', 'A fever is a body temperature above normal.',
                                         'information')]),
            record('UNH_EPI', 'Epilepsy', [('What is (are) Epilepsy?', 'Epilepsy is a brain disorder that causes '
                                            'seizures again and again.', 'information')])])
        r, a = ask(srv, 'what is swamp fever?')
        ans = a.get('answer', {})
        tap.ok(p.returncode == 0 and a.get('state') == 'queued' and ans.get('no_article_for') == 'swamp fever' and
               ans.get('topic') is None, '"swamp fever" is not read as Fever: queued, naming what has no article',
               (p.stderr, a.get('state'), ans.get('topic'), ans.get('no_article_for')))
        page = srv.get(a.get('url', '/x'))
        tap.ok('We recognised \u201cswamp fever\u201d in your question, but we have no article on it yet' in page.text,
               'its page says so', page.summary())
        p = run_evqa(['ask', '--db', srv.db, '--json', '--', 'my son has grand mal epilepsy, what is it?'])
        j = json.loads(p.stdout or '{}')
        tap.ok((j.get('topic') or {}).get('title') == 'Epilepsy' and j.get('no_article_for') is None,
               '"grand mal epilepsy" is read as Epilepsy, the broader name', (p.stderr, j.get('topic')))

        # a question asked again keeps the answer it has now: queued while nothing answers it, then,
        # asked again after content that answers it arrived, answered on its own page, while the
        # first stays queued for the editors, counted twice
        q = 'zzqx flibbertigibbet wobblequark?'
        r1, a1 = ask(srv, q)
        p = import_pages(srv, 'wobble.jsonl', [record('WOB_1', 'Wobblequark', [
            ('What is (are) Wobblequark?', 'Wobblequark is a harmless flutter of the eyelid.', 'information')])])
        r2, a2 = ask(srv, q)
        first = srv.get('/api/v1/questions/' + a1.get('url', '/none').rsplit('/', 1)[1]).json() if a1 else {}
        tap.ok(p.returncode == 0 and a1.get('state') == 'queued' and a2.get('state') == 'answered' and
               [x['source_id'] for x in a2['answer']['passages']][:1] == ['WOB_1_Sec1'],
               'a repeat asked after new content shows the answer it has now',
               (p.stderr, a1.get('state'), r2.summary(), a2))
        again = srv.get('/api/v1/questions/' + a2.get('url', '/none').rsplit('/', 1)[1]).json() if a2 else {}
        tap.ok(again.get('state') == 'answered' and first.get('state') == 'queued' and first.get('asked') == 2,
               'its own address keeps that answer; the first stays queued for the editors, counted twice',
               (again.get('state'), first))


def main(tap):
    with Server(tap, extra_args=['--question-rate', '0']) as srv:
        p = run_evqa(['import', '--db', srv.db, '--state', 'approved', FIXTURE])
        tap.ok(p.returncode == 0, 'the fixture imports, approved', p.stderr)
        zellweger = article_id(srv, 'FIX_0001')
        tap.ok(zellweger is not None, 'the imported Zellweger article is found')

        # a misspelled topic, in a question as readers write it
        r, a = ask(srv, 'Hello, my daughter has zelweger spectrum disordr. what is the treatmnt?')
        ans = a.get('answer', {})
        tap.ok(r.status == 201 and a.get('state') == 'answered' and (ans.get('topic') or {}).get('title') ==
               'Zellweger spectrum disorder', 'a misspelled topic is recognised and the question answered', a)
        tap.ok(ans.get('passages') and ans['passages'][0]['source_id'] == 'FIX_0001_Sec3',
               'the first passage is the section of the type asked (treatment)', ans.get('passages'))
        tap.ok('zellweger spectrum disorder' in (ans.get('corrected') or '') and 'treatment' in
               (ans.get('corrected') or ''), 'the answer says how the question was read', ans.get('corrected'))

        # a follow-up that names no topic, asked from the article
        r, a = ask(srv, 'how is it treated?', zellweger)
        ps = a.get('answer', {}).get('passages', [])
        tap.ok(a.get('state') == 'answered' and ps and ps[0]['source_id'] == 'FIX_0001_Sec3',
               '"how is it treated?" asked from the article is answered from its treatment section', a)
        p = run_evqa(['ask', '--db', srv.db, '--json', '--article', str(zellweger), '--', 'what are the signs?'])
        j = json.loads(p.stdout or '{}')
        tap.ok(p.returncode == 0 and j.get('passages') and j['passages'][0]['source_id'] == 'FIX_0001_Sec2',
               'evqa ask --article: "what are the signs?" gets the symptoms section', p.stdout[:400])
        # asked from one article, naming another topic: the named topic wins
        r, a = ask(srv, 'what is the treatment for zellweger spectrum disorder', 1)
        ps = a.get('answer', {}).get('passages', [])
        tap.ok(ps and ps[0]['source_id'] == 'FIX_0001_Sec3', 'a question naming another topic than the article '
               'it was asked from is answered on that topic', ps[:1])

        # the short answer quotes the article: every sentence and marker is its own
        r, a = ask(srv, 'is apixaban preferred over warfarin in atrial fibrillation?', 2)
        ans = a.get('answer', {})
        summary = ans.get('summary', [])
        art = srv.get('/api/v1/articles/2').json()
        texts = block_texts(art)
        tap.ok(a.get('state') == 'answered' and 1 <= len(summary) <= 3, 'an approved article gives a short answer '
               'of one to three sentences', a)
        tap.ok(all(any(s['text'] in t for t in texts) for s in summary),
               'each sentence of the short answer is quoted word for word from the article', summary)
        marks = [set(int(n) for n in re.findall(r'\d+', m)) for s in summary
                 for m in re.findall(r'\[([0-9,\s-]+)\]', s['text'])]
        cited = set().union(*marks) if marks else set()
        refs = {rf['number'] for s in summary for rf in s['references']}
        tap.ok(cited and refs and refs <= cited | {n for m in marks for lo_hi in [sorted(m)]
                                                   for n in range(lo_hi[0], lo_hi[-1] + 1)},
               'its references are those its citation markers name', (cited, refs))
        tap.ok(all(re.match(r'^/articles/2/[a-z0-9-]+#section-[a-z0-9-]+$', s['url']) for s in summary),
               'each sentence links to its section, at the heading\'s anchor', [s['url'] for s in summary])
        page = srv.get(summary[0]['url'].split('#')[0] if summary else '/articles/2')
        anchor = summary[0]['url'].split('#')[1] if summary else 'none'
        tap.ok(('id="%s"' % anchor).encode() in page.body, 'the anchor is a heading id on the article page')
        doc = parse_html(page.text)
        toc = doc.find_all('nav', cls='toc')
        tap.ok(toc and ('href="#%s"' % anchor) in page.text, 'the article page has a table of contents '
               'linking to its sections')
        qpage = srv.get(a.get('url', '/x'))
        tap.ok(b'Short answer' in qpage.body and summary and summary[0]['text'].split(' [')[0][:60].encode() in
               qpage.body.replace(b'&#39;', b"'"), 'the answer page shows the short answer first', qpage.summary())

        # unapproved content is shown, labelled, and not called an answer
        r, a = ask(srv, 'acupuncture for chronic low back pain', 1)
        ans = a.get('answer', {})
        tap.ok(a.get('state') == 'queued' and ans.get('passages') and ans['passages'][0]['state'] != 'approved' and
               ans.get('summary') == [], 'passages not yet approved are listed but the question is not answered',
               a)
        qpage = srv.get(a.get('url', '/x'))
        tap.ok(b'they may not answer your question' in qpage.body and b'Not yet approved' in qpage.body,
               'the page labels them as the closest passages, not yet approved')

        # an honest refusal names the topic it recognised
        r, a = ask(srv, 'How is Wilson disease staged for surgery?')
        ans = a.get('answer', {})
        tap.ok(a.get('state') == 'queued' and (ans.get('topic') or {}).get('title') == 'Wilson disease',
               'a question on a topic whose article does not answer it is queued, the topic named', a)
        qpage = srv.get(a.get('url', '/x'))
        tap.ok('about “Wilson disease”, but no approved passage of ours answers it' in qpage.text and
               b'gone to the editorial team' in qpage.body, 'the page names the topic and says the question went '
               'to the editors', qpage.summary())

        # wording a reviewer sent back answers nothing
        p = run_evqa(['ask', '--db', srv.db, '--json', '--', 'what is wilson disease?'])
        before = [x['source_id'] for x in json.loads(p.stdout or '{}').get('passages', [])]
        with sqlite3.connect(srv.db) as c:
            c.execute("UPDATE revision SET state = 'changes_requested' WHERE article_id = "
                      "(SELECT id FROM article WHERE source_id = 'FIX_0004')")
        p = run_evqa(['ask', '--db', srv.db, '--json', '--', 'what is wilson disease?'])
        after = [x['source_id'] for x in json.loads(p.stdout or '{}').get('passages', [])]
        tap.ok('FIX_0004_Sec1' in before and 'FIX_0004_Sec1' not in after,
               'once a reviewer requests changes, the article\'s text no longer answers questions', (before, after))

        # noise: refused, in bounded time, never a 5xx
        noise = ' '.join('qx%08dzv' % (i * 7919 % 100000000) for i in range(90))[:1000]
        t = time.time()
        r, a = ask(srv, noise)
        tap.ok(r.status == 201 and a.get('state') == 'queued' and time.time() - t < 5,
               'a 1000-byte question of noise is refused (queued) in bounded time', r.summary())

        # the topic named comes before sections of other articles that match more words of the story
        extra = srv.path('topics.jsonl')
        pages = [('TOP_EAR', 'Otitis media', ['ear infections'], [('What is (are) Otitis media?',
                  'Otitis media is inflammation behind the eardrum, common in young children.')]),
                 ('TOP_FEED', 'Tubes put in when a child keeps getting ear infections over and over', [],
                  [('What are the treatments?', 'Tubes are put in by a surgeon when a child keeps getting '
                    'ear infections over and over.')]),
                 ('TOP_ART', 'Arthritis', [], [('What is (are) Arthritis?', 'Arthritis is swelling and pain of '
                  'the joints; bad knee pain from arthritis is common in older people.')]),
                 ('TOP_OA', 'Osteoarthritis', [], [('What is (are) Osteoarthritis?',
                  'Osteoarthritis is the most common form of arthritis, wearing down the joints.')]),
                 ('TOP_AMD', 'Age-related macular degeneration', [], [('What are the treatments for Age-related '
                  'macular degeneration?', 'Injections into the eye slow the loss of central vision in the wet '
                  'form.')]),
                 ('TOP_QM', 'Quellmoor disease', [], [('What are the treatments for Quellmoor disease?',
                  'Quellmoor disease is treated with rest and fluids.')]),
                 ('TOP_QMH', 'Quellmoor disease, heart disease, and stroke', [], [('What are the treatments for '
                  'Quellmoor disease, heart disease, and stroke?', 'Is there a cure for Quellmoor disease? The '
                  'heart problems of Quellmoor disease are treated with drugs that cure nothing but help.')]),
                 ('TOP_TRI', 'Trigeminal neuralgia', [], [('What is (are) Trigeminal neuralgia?',
                  'Trigeminal neuralgia is sudden, severe pain in the face.')]),
                 ('TOP_HAND', 'Hand Injuries and Disorders', [], [('What is (are) Hand Injuries and Disorders?',
                  'Sprains, fractures, carpal tunnel syndrome and arthritis can all affect the fingers and '
                  'wrist\u2014knuckles too.')]),
                 ('TOP_PK', 'Parkinson disease', [], [('What is the outlook for Parkinson disease?',
                  'Parkinson disease gets worse slowly, over many years.'), ('Is Parkinson disease inherited?',
                  'Most cases are not inherited; a few families pass it on.'), ('How to diagnose Parkinson '
                  'disease?', 'Parkinson disease is diagnosed by a neurologist from its signs.')]),
                 ('TOP_QS', 'Quellmoor syndrome', [], [('Is Quellmoor syndrome inherited?', 'Quellmoor syndrome '
                  'is not inherited in most families.')]),
                 ('TOP_QS2', 'Quellmoor syndrome type II', [], [('Is Quellmoor syndrome type II inherited?',
                  'Quellmoor syndrome type II is passed on in an autosomal recessive pattern.')]),
                 ('TOP_QD', 'Quellmoor diabetes type 2', ['type 2 quellmoor diabetes'], [('What is (are) '
                  'Quellmoor diabetes type 2?', 'It is the common form of Quellmoor diabetes.')]),
                 ('TOP_KIT', 'Kitchen safety', [], [('What is (are) Kitchen safety?', 'When cooking, joints that '
                  'hurt sharply and dropping things lately are reasons to sit down, and a sudden burn is '
                  'cooled with water.')])]
        with open(extra, 'w') as f:
            for pid, title, syns, secs in pages:
                f.write(json.dumps({'id': pid, 'title': title, 'url': 'https://example.org/' + pid, 'synonyms': syns,
                                    'sections': [{'id': '%s_Sec%d' % (pid, k + 1), 'heading': h, 'text': t}
                                                 for k, (h, t) in enumerate(secs)]}) + '\n')
        p = run_evqa(['import', '--db', srv.db, '--state', 'approved', extra])
        r, a = ask(srv, 'my son keeps getting ear infections over and over, when should he get tubes put in')
        ans = a.get('answer', {})
        tap.ok(ans.get('passages') and ans['passages'][0]['source_id'] == 'TOP_EAR_Sec1' and
               (ans.get('topic') or {}).get('title') == 'Otitis media', 'the article on the topic named (by another '
               'name) comes first, before a treatment section elsewhere that matches more of the words', ans.get('passages'))
        tap.eq(a.get('state'), 'queued', 'and with no treatment section on that topic the question is not called '
               'answered')
        oa = article_id(srv, 'TOP_OA')
        q = 'my mother has bad knee pain from arthritis, what else can she take?'
        r, a = ask(srv, q, oa)
        ps = a.get('answer', {}).get('passages', [])
        tap.ok(ps and ps[0]['source_id'] == 'TOP_OA_Sec1', 'asked from Osteoarthritis, a question naming '
               '"arthritis" stays on Osteoarthritis, though Arthritis matches more of its words', ps[:2])
        r, a = ask(srv, q)
        ps = a.get('answer', {}).get('passages', [])
        tap.ok(ps and ps[0]['source_id'] == 'TOP_ART_Sec1', 'asked from nowhere, it is answered from Arthritis',
               ps[:2])

        # a title ending in the broader name the question uses is its topic
        r, a = ask(srv, 'are there any new treatments for macular degeneration?')
        ans = a.get('answer', {})
        tap.ok((ans.get('topic') or {}).get('title') == 'Age-related macular degeneration' and ans.get('passages')
               and ans['passages'][0]['source_id'] == 'TOP_AMD_Sec1', '"macular degeneration" names the article '
               '"Age-related macular degeneration", and its treatment section answers', ans)

        # a title that is the name alone comes before one that names it among other subjects
        r, a = ask(srv, 'is there a cure for my quellmoor disease?')
        ans = a.get('answer', {})
        tap.ok((ans.get('topic') or {}).get('title') == 'Quellmoor disease' and ans.get('passages') and
               ans['passages'][0]['source_id'] == 'TOP_QM_Sec1', 'a question naming "Quellmoor disease" is answered '
               'from the article of that title before "Quellmoor disease, heart disease, and stroke", which '
               'matches more of its words', ans.get('passages'))

        # a word cut short is the word of a topic it starts
        r, a = ask(srv, 'Trigem Neuralgia\n')
        ans = a.get('answer', {})
        tap.ok((ans.get('topic') or {}).get('title') == 'Trigeminal neuralgia' and 'trigeminal' in
               (ans.get('corrected') or '') and ans.get('passages') and
               ans['passages'][0]['source_id'] == 'TOP_TRI_Sec1', '"Trigem Neuralgia" is read as trigeminal '
               'neuralgia and answered from its article', ans)

        # an article on a group of conditions is where a question about that part of the body goes
        q = ('the joints in my hands hurt sharply when cooking and lately I have been dropping things, '
             'even a sudden pain')
        r, a = ask(srv, q)
        ans = a.get('answer', {})
        tap.ok(ans.get('passages') and ans['passages'][0]['source_id'] == 'TOP_HAND_Sec1' and
               (ans.get('topic') or {}).get('title') == 'Hand Injuries and Disorders', 'a question about the hands '
               'that names no condition is answered first from "Hand Injuries and Disorders", before a section '
               'that matches more of its words', ans.get('passages'))
        tap.eq(a.get('state'), 'queued', 'and, the hands being no sure subject, it is not called answered')
        r = srv.get('/api/v1/search?q=' + quote(q))
        tap.ok(r.status == 200 and r.json() and r.json()[0].get('source_id') == 'TOP_HAND',
               'search ranks "Hand Injuries and Disorders" first for it too', r.summary())
        r, a = ask(srv, 'my hands ache, my hands tingle, my hands go numb, my hands shake and my hands are weak: '
                        'is this trigeminal neuralgia?')
        ans = a.get('answer', {})
        tap.ok((ans.get('topic') or {}).get('title') == 'Trigeminal neuralgia' and ans.get('passages') and
               ans['passages'][0]['source_id'] == 'TOP_TRI_Sec1', 'a condition named once is the topic of a '
               'question that mentions the hands five times', ans)
        r, a = ask(srv, 'does it affect the hands?', oa)
        ps = a.get('answer', {}).get('passages', [])
        tap.ok(ps and ps[0]['source_id'] == 'TOP_OA_Sec1', 'asked from Osteoarthritis, "does it affect the '
               'hands?" stays on Osteoarthritis', ps[:2])
        r, a = ask(srv, 'my hands ache and tingle, is this trigeminal neuralgia?', article_id(srv, 'TOP_HAND'))
        ps = a.get('answer', {}).get('passages', [])
        tap.ok(ps and ps[0]['source_id'] == 'TOP_TRI_Sec1', 'asked from Hand Injuries and Disorders, a question '
               'naming trigeminal neuralgia is answered on trigeminal neuralgia', ps[:2])

        # an eponym written as a possessive names the disease, however the apostrophe is typed
        for q in ("my dad has parkinson's, what is the outlook?", 'my dad has Parkinson\u2019s \u2014 what is the '
                  'outlook?', 'what is the outlook for \u201cParkinson\u2019s disease\u201d?'):
            r, a = ask(srv, q)
            ans = a.get('answer', {})
            tap.ok((ans.get('topic') or {}).get('title') == 'Parkinson disease' and ans.get('passages') and
                   ans['passages'][0]['source_id'] == 'TOP_PK_Sec1' and a.get('state') == 'answered',
                   '%r names Parkinson disease and is answered from its outlook' % q, ans)

        # and another name (a synonym) written with a Roman numeral names its article too (from here on
        # through evqa ask: nginx's limit of new questions from one address is reached by now)
        p = run_evqa(['ask', '--db', srv.db, '--json', '--', 'what is type II quellmoor diabetes?'])
        t = (json.loads(p.stdout or '{}').get('topic') or {}).get('title')
        tap.eq(t, 'Quellmoor diabetes type 2', '"type II quellmoor diabetes" is read as the synonym "type 2 quellmoor '
               'diabetes" of "Quellmoor diabetes type 2"')

        # "was diagnosed with" tells the story; the question is what is asked
        p = run_evqa(['ask', '--db', srv.db, '--json', '--', 'my dad was just diagnosed with Parkinson\u2019s, is it '
                      'inherited?'])
        ps = json.loads(p.stdout or '{}').get('passages', [])
        tap.ok(ps and ps[0]['source_id'] == 'TOP_PK_Sec2', '"my dad was just diagnosed with Parkinson\u2019s, is it '
               'inherited?" is answered from the inheritance section, not the diagnosis one', (p.stderr, ps[:2]))

        # a type written in digits names the title that writes it as a Roman numeral, and the reverse
        for q in ('is quellmoor syndrome type 2 inherited?', 'is Quellmoor syndrome type II inherited?'):
            p = run_evqa(['ask', '--db', srv.db, '--json', '--', q])
            ps = json.loads(p.stdout or '{}').get('passages', [])
            tap.ok(ps and ps[0]['source_id'] == 'TOP_QS2_Sec1', '%r is answered from "Quellmoor syndrome type II"'
                   % q, (p.stderr, ps[:2]))

        # the words a long message is searched by: chatter rare in articles ("advise", "frustrating") and
        # "cant" written without its apostrophe do not choose the sections
        chat = srv.path('chatter.jsonl')
        with open(chat, 'w') as f:
            for pid, title, heading, text in (
                    ('CHAT_LEG', 'Leg swelling in pregnancy', 'What is (are) Leg swelling in pregnancy?',
                     'Swelling of the whole body, most of all the legs and feet, comes from fluid held in the '
                     'tissues.'),
                    ('CHAT_LET', 'Writing to the clinic', 'How to write to the clinic?',
                     'Letters that ask us to advise are welcome; we are sure that a frustrating wait for a reply '
                     'to a whole letter is hard, so we answer within a week.'),
                    ('CHAT_CANT', 'Cant disease', 'What is (are) Cant disease?',
                     'Cant disease is a rare condition of the heart muscle.'),
                    ('CHAT_SLEEP', 'Insomnia', 'What is (are) Insomnia?',
                     'Insomnia is trouble falling asleep or staying asleep at night, night after night.'),
                    ('CHAT_DRUG', 'Medicines for the heart', 'What are the treatments for Medicines for the heart?',
                     'Quellazole slows a fast heartbeat; it is taken with food.')):
                f.write(json.dumps({'id': pid, 'title': title, 'url': 'https://example.org/' + pid,
                                    'sections': [{'id': pid + '_Sec1', 'heading': heading, 'text': text}]}) + '\n')
        p = run_evqa(['import', '--db', srv.db, '--state', 'approved', chat])
        tap.ok(p.returncode == 0, 'articles for long messages import', p.stderr)
        for q, want in (('whole body swelling, please advise, it is so frustrating and I am not sure what it is',
                         'CHAT_LEG'),
                        ('my husband cant sleep at night anymore, what helps?', 'CHAT_SLEEP')):
            r = srv.get('/api/v1/search?q=' + quote(q))
            got = [x.get('source_id') for x in r.json()] if r.status == 200 else []
            tap.ok(got and got[0] == want, '%r finds %s first' % (q, want), (r.summary(), got[:3]))
        # a drug no title names is no chatter: its name keeps the sections that hold it
        q = 'my mum takes quellazole, is it ok with her insomnia?'
        r = srv.get('/api/v1/search?q=' + quote(q))
        got = [x.get('source_id') for x in r.json()] if r.status == 200 else []
        tap.ok('CHAT_DRUG' in got[:3] and 'CHAT_SLEEP' in got[:3], '%r finds the article on quellazole and the '
               'one on insomnia' % q, (r.summary(), got[:3]))

        # names written short: an abbreviation in capitals without its head word ("QPW" for "QPW
        # syndrome"), a possessive without its apostrophe ("quallberts"); an everyday word that is also
        # a syndrome's name in capitals ("coach") and a surname the content never writes as a possessive
        # ("quelltons") name nothing
        names = srv.path('names.jsonl')
        with open(names, 'w') as f:
            for pid, title, syns, heading, text in (
                    ('NAME_QPW', 'Quellner-Parr-Wynn syndrome', ['QPW syndrome'],
                     'What is (are) Quellner-Parr-Wynn syndrome?', 'Quellner-Parr-Wynn (QPW) syndrome is an extra '
                     'electrical pathway in the heart that makes it beat too fast at times.'),
                    ('NAME_ECG', 'Heart rhythm tests', [], 'What are heart rhythm tests?',
                     'An ECG shows QPW. QPW is found on an ECG.'),
                    ('NAME_QB', "Quallbert's disease", [], "What is (are) Quallbert's disease?",
                     "Quallbert's disease is a slow illness of the nerves. In Quallbert's disease the hands "
                     'shake.'),
                    ('NAME_QT', 'Quellton syndrome', [], 'What is (are) Quellton syndrome?',
                     'Quellton syndrome is a rare condition of the bones.'),
                    ('NAME_COACH', 'COACH syndrome', [], 'What is (are) COACH syndrome?',
                     'COACH syndrome is a rare condition of the brain and the liver.')):
                f.write(json.dumps({'id': pid, 'title': title, 'url': 'https://example.org/' + pid, 'synonyms': syns,
                                    'sections': [{'id': pid + '_Sec1', 'heading': heading, 'text': text}]}) + '\n')
        p = run_evqa(['import', '--db', srv.db, '--state', 'approved', names])
        tap.ok(p.returncode == 0, 'articles for short names import', p.stderr)
        for q, want in (('my son has to be tested for QPW, what is it?', 'Quellner-Parr-Wynn syndrome'),
                        ('my dad has quallberts and his hands shake', "Quallbert's disease"),
                        ('my dad has qaullberts, will it get worse?', "Quallbert's disease"),
                        ('my coach says my knee pain is tendinitis', None),
                        ('the quelltons next door have a child with asthma', None)):
            p = run_evqa(['ask', '--db', srv.db, '--json', '--', q])
            j = json.loads(p.stdout or '{}')
            t = (j.get('topic') or {}).get('title')
            if want is None:
                tap.ok(p.returncode == 0 and t not in ('COACH syndrome', 'Quellton syndrome'), '%r names no '
                       'syndrome' % q, (p.stderr, t))
            else:
                tap.ok(t == want and j.get('passages') and j['passages'][0]['source_id'].startswith(
                       'NAME_Q'), '%r is read as %s and answered from it' % (q, want), (p.stderr, t, j.get('passages')))
        r = srv.get('/api/v1/search?q=' + quote('my son has to be tested for QPW, what is it?'))
        got = [x.get('source_id') for x in r.json()] if r.status == 200 else []
        tap.ok(got and got[0] == 'NAME_QPW', 'search finds the QPW syndrome article first, before the one '
               'that says "QPW" more often', (r.summary(), got[:3]))

        # a topic said in everyday words: "my X hurts", "my X has been hurting", "my X is sore" and
        # "pain in my X" name "X pain", "losing my X" names "X loss", before the article on X's
        # disorders that says X more often
        p = import_pages(srv, 'lay.jsonl', [record(pid, title, [('What is (are) %s?' % title, text)]) for pid, title, text in (
            ('LAY_PAIN', 'Wrenbone pain', 'Wrenbone pain is an ache in the small bone of the wrist.'),
            ('LAY_BONE', 'Wrenbone disorders', 'The wrenbone is a small bone of the wrist. A wrenbone can break '
             'in a fall, and a broken wrenbone heals in weeks.'),
            ('LAY_LOSS', 'Thrummel loss', 'Thrummel loss is when the thrummel fades with age.'),
            ('LAY_THR', 'Thrummel disorders', 'The thrummel is a small gland. A thrummel can swell, and a swollen '
             'thrummel is treated with rest.'))])
        tap.ok(p.returncode == 0, 'articles for everyday words import', p.stderr)
        for q, want in (('my wrenbone hurts when I type all day', 'LAY_PAIN'),
                        ('my wrenbone has been hurting for weeks', 'LAY_PAIN'),
                        ('both my wrenbones are sore after typing', 'LAY_PAIN'),
                        ('I have a sharp pain in my wrenbone, what helps?', 'LAY_PAIN'),
                        ('my mother is losing her thrummel, can it be stopped?', 'LAY_LOSS')):
            r = srv.get('/api/v1/search?q=' + quote(q))
            got = [x.get('source_id') for x in r.json()] if r.status == 200 else []
            tap.ok(got and got[0] == want, '%r finds %s first' % (q, want), (r.summary(), got[:3]))

        # misspellings the content's own words hide: a slip the content makes once ("glimeraches") is
        # still one of a name it holds in many sections; a plural too far from a name as written is
        # corrected as its singular ("qiumberlomas"); of two names one letter away, the one in more
        # sections wins ("brindalosis": "brindlosis", not "brindelosis", which more titles hold); a slip
        # the stemmer reads as the name ("quellamine", "quellamin"), in however many sections, is one;
        # and a word of English ("market"), rare in the content, is no slip of a name one letter from it
        slips = [
            record('SLIP_GLIM', 'Glimmerache', [('What are the treatments for Glimmerache?',
                                               'A glimmerache is eased by rest in a dark room and by drinking water.')]),
            record('SLIP_EYES', 'Eye strain', [('What is (are) Eye strain?',
                                              'Screens can bring on glimeraches and tired eyes. Screens tire the eyes.')]),
            record('SLIP_QUIM', 'Quimberloma', [('What is (are) Quimberloma?',
                                               'A quimberloma is a small lump of fat under the skin that is not a cancer.')]),
            record('SLIP_BRIN', 'Brindlosis', [('What are the treatments for Brindlosis?',
                                              'Brindlosis is treated with a cream applied twice a day.')]),
            record('SLIP_MARK', 'Markel syndrome', [('What is (are) Markel syndrome?',
                                                   'Markel syndrome is a rare condition of the skin.')]),
            record('SLIP_SHOP', 'Buying creams', [('What is (are) Buying creams?',
                                                 'A cream bought at a market may not say what it holds.')]),
            record('SLIP_QUELL', 'Quellamin', [('What is (are) Quellamin?', 'Quellamin is a vitamin of green leaves.')])]
        slips += [record('SLIP_BRE%d' % t, 'Brindelosis type %d' % t, [('What is (are) Brindelosis type %d?' % t,
                                                                      'Brindelosis type %d is a rare condition of the '
                                                                      'nails.' % t)]) for t in (1, 2, 3)]
        slips += [record('SLIP_NOTE%02d' % i, 'Clinic diary %d' % i, [('Visit %d' % i, 'A glimmerache came on at visit '
                                                                     '%d. Brindlosis and Markel syndrome were ruled '
                                                                     'out. Quellamin was low.' % i)]) for i in range(14)]
        p = import_pages(srv, 'slips.jsonl', slips)
        tap.ok(p.returncode == 0, 'articles for misspellings import', p.stderr)
        for q, want, first in (('my wife gets glimeraches every week, what can she take?', 'Glimmerache', 'SLIP_GLIM'),
                               ('she has two qiumberlomas on her arm, are they cancer?', 'Quimberloma', 'SLIP_QUIM'),
                               ('what is the treatment for brindalosis', 'Brindlosis', 'SLIP_BRIN'),
                               ('how much quellamine should I take each day?', 'Quellamin', 'SLIP_QUELL')):
            p = run_evqa(['ask', '--db', srv.db, '--json', '--', q])
            j = json.loads(p.stdout or '{}')
            t = (j.get('topic') or {}).get('title')
            tap.ok(t == want and j.get('passages') and j['passages'][0]['source_id'] == first + '_Sec1',
                   '%r is read as %s and answered from it' % (q, want), (p.stderr, t, j.get('passages', [])[:2]))
        r = srv.get('/api/v1/search?q=qiumberlomas')
        tap.eq(r.headers.get('x-did-you-mean'), 'quimberlomas', 'a plural corrected as its singular is suggested '
               'as a plural')
        p = run_evqa(['ask', '--db', srv.db, '--json', '--', 'I bought a cream at the market for my rash, is it safe?'])
        j = json.loads(p.stdout or '{}')
        tap.ok(p.returncode == 0 and (j.get('topic') or {}).get('title') != 'Markel syndrome' and
               'markel' not in (j.get('corrected') or ''), '"market", a word rare in the content, is not read as '
               'Markel syndrome', (p.stderr, j.get('topic'), j.get('corrected')))

        # a word of a topic's name asks nothing of it: "progressive" in a name is no question of the
        # outlook, "genetic" no question of inheritance; asked beside the name, they are; and a name
        # made of question words alone ("side effects", another name of an article on harms) asks
        cues = [record('CUE_HARM', 'Quellazole reactions', [
            ('What is (are) Quellazole reactions?', 'Quellazole reactions are what quellazole does besides its work.'),
            ('What are the complications of Quellazole reactions?',
             'Quellazole can upset the stomach and, rarely, the liver.')], synonyms=['side effects'])]
        cues += [record(pid, title, [
            ('What is (are) %s?' % title, '%s is a slow illness of the joints of the hands.' % title, 'information'),
            ('What is the outlook for %s?' % title, 'Most people with %s keep working; it progresses over many '
             'years.' % title, 'outlook'),
            ('Is %s inherited?' % title, '%s is not inherited; it is not genetic and does not run in '
             'families.' % title, 'inheritance')])
            for pid, title in (('CUE_PROG', 'Progressive quellosis'), ('CUE_GEN', 'Genetic quellitis'))]
        p = import_pages(srv, 'cues.jsonl', cues)
        tap.ok(p.returncode == 0, 'articles whose names hold question words import', p.stderr)
        for q, first in (('what is progressive quellosis?', 'CUE_PROG_Sec1'),
                         ('what is genetic quellitis?', 'CUE_GEN_Sec1'),
                         ('is progressive quellosis genetic?', 'CUE_PROG_Sec3'),
                         ('how fast does genetic quellitis progress?', 'CUE_GEN_Sec2'),
                         ('what are the side effects of quellazole?', 'CUE_HARM_Sec2')):
            p = run_evqa(['ask', '--db', srv.db, '--json', '--', q])
            j = json.loads(p.stdout or '{}')
            got = [x['source_id'] for x in j.get('passages', [])]
            tap.ok(got and got[0] == first, '%r is answered from %s first' % (q, first), (p.stderr, j.get('qtype'),
                                                                                     got[:3]))

        # a title of two one-word names, "Quibbleosis and Quabbleitis", is named by either; an article
        # on one of them alone comes first for it
        p = import_pages(srv, 'pairs.jsonl', [record(pid, title, [('What is (are) %s?' % title, text)]) for pid, title, text in (
            ('PAIR_BOTH', 'Quibbleosis and Quabbleitis', 'Quibbleosis is a swelling of the small pouches of the '
             'gut; quabbleitis is when they become sore. Both are eased by fibre.'),
            ('PAIR_ONE', 'Grimmelcyst', 'A grimmelcyst is a small sac of fluid in the wrist.'),
            ('PAIR_SYN', 'Grimmelcyst and dwarbel syndrome', 'A rare syndrome of a grimmelcyst and short stature: '
             'dwarbel syndrome. The grimmelcyst comes first, then the grimmelcyst grows; the grimmelcyst is seen '
             'on a scan.'))])
        tap.ok(p.returncode == 0, 'articles titled with two names import', p.stderr)
        for q, want in (('what is quabbleitis?', 'Quibbleosis and Quabbleitis'),
                        ('my father has quibbleosis, what should he eat?', 'Quibbleosis and Quabbleitis'),
                        ('what is a grimmelcyst?', 'Grimmelcyst')):
            p = run_evqa(['ask', '--db', srv.db, '--json', '--', q])
            j = json.loads(p.stdout or '{}')
            t = (j.get('topic') or {}).get('title')
            tap.ok(t == want and j.get('state') == 'answered', '%r is read as %s and answered' % (q, want),
                   (p.stderr, t, j.get('state')))

        # a follow-up asked from an article that has no section of the type asked is answered from
        # the sections of that type of its twin, the article of the same name from another source;
        # an article that has one answers from its own
        p = import_pages(srv, 'twins.jsonl', [
            record('TWIN_A', 'Quorvane headache', [('What is (are) Quorvane headache?',
                                                  'Quorvane headache is a throbbing pain on one side.', 'information')]),
            record('TWIN_B', 'Quorvane headache', [('What is (are) Quorvane headache?', 'A quorvane headache lasts hours.',
                                                  'information'),
                                                 ('What are the treatments for Quorvane headache?',
                                                  'Rest in a dark room and a cool cloth ease it.', 'treatment')]),
            record('TWIN_C', 'Blent fever', [('What is (are) Blent fever?', 'A blent fever is short.', 'information'),
                                           ('What are the treatments for Blent fever?',
                                            'Fluids and rest treat a blent fever.', 'treatment')]),
            record('TWIN_D', 'Blent fever', [('What are the treatments for Blent fever?', 'Blent fever needs no medicine.',
                                            'treatment')])])
        tap.ok(p.returncode == 0, 'twin articles import', p.stderr)
        for frm, q, first in (('TWIN_A', 'how is it treated?', 'TWIN_B_Sec2'),
                              ('TWIN_A', 'what can I take for a quorvane headache?', 'TWIN_B_Sec2'),
                              ('TWIN_A', 'what is it?', 'TWIN_A_Sec1'),
                              ('TWIN_C', 'how is it treated?', 'TWIN_C_Sec2')):
            p = run_evqa(['ask', '--db', srv.db, '--json', '--article', str(article_id(srv, frm)), '--', q])
            j = json.loads(p.stdout or '{}')
            got = [x['source_id'] for x in j.get('passages', [])]
            tap.ok(got and got[0] == first, '%r asked from %s is answered from %s first' % (q, frm, first),
                   (p.stderr, j.get('state'), got[:3]))

        # other names WordNet gives: a lay name ("lockjaw") finds the article on the clinical one; a
        # trade name ("tylenol") is searched as the generic name the content writes; a word of other
        # meanings ("itch", WordNet's other name of scabies) names nothing (a guard on the design)
        p = import_pages(srv, 'lexicon.jsonl', [
            record('LEX_TET', 'Tetanus', [
                ('What is (are) Tetanus?', 'Tetanus is an infection that stiffens the muscles of the jaw and neck; '
                 'a deep cut from a dirty nail can let it in.', 'information'),
                ('How to prevent Tetanus?', 'A booster shot every ten years keeps it away.', 'prevention')]),
            record('LEX_PAIN', 'Pain relief while expecting', [
                ('What is (are) Pain relief while expecting?', 'Acetaminophen is the pain reliever most often '
                 'advised while expecting a baby.', 'information')]),
            record('LEX_SCAB', 'Scabies', [('What is (are) Scabies?', 'Scabies is caused by a mite that burrows '
                                                                     'into the skin.', 'information')])])
        tap.ok(p.returncode == 0, 'articles for other names import', p.stderr)
        for q, first in (('can you get lockjaw from a rusty nail?', 'LEX_TET_Sec1'),
                         ('how can my son keep from getting lockjaw', 'LEX_TET_Sec2')):
            p = run_evqa(['ask', '--db', srv.db, '--json', '--', q])
            j = json.loads(p.stdout or '{}')
            got = [x['source_id'] for x in j.get('passages', [])]
            tap.ok((j.get('topic') or {}).get('title') == 'Tetanus' and j.get('state') == 'answered' and got and
                   got[0] == first, '%r is read as Tetanus and answered from %s' % (q, first),
                   (p.stderr, j.get('topic'), j.get('state'), got[:3]))
        r = srv.get('/api/v1/search?q=' + quote('is tylenol safe'))
        tap.ok(r.status == 200 and [x.get('source_id') for x in r.json()][:1] == ['LEX_PAIN'],
               'a search for a trade name finds the article that writes the generic name', r.summary())
        p = run_evqa(['ask', '--db', srv.db, '--json', '--', 'I have an itch on my arm, what cream helps?'])
        j = json.loads(p.stdout or '{}')
        tap.ok(p.returncode == 0 and (j.get('topic') or {}).get('title') != 'Scabies',
               '"itch", a word of other meanings, does not name Scabies', (p.stderr, j.get('topic')))

        # a snippet reads words as questions do: a word after a typographic dash is marked
        r = srv.get('/search?q=knuckles')
        tap.ok(r.status == 200 and '<mark>knuckles</mark>' in r.text, 'the snippet marks "knuckles" in '
               '"wrist\u2014knuckles"', r.summary())

        # search: "Did you mean", linked
        r = srv.get('/search?q=zelweger+disordr')
        m = re.search(r'Did you mean <a href="([^"]+)">([^<]+)</a>', r.text)
        tap.ok(m and m.group(2) == 'zellweger disorder' and m.group(1) == '/search?q=zellweger%20disorder',
               'search suggests the corrected query as a link that runs it', r.summary())
        r = srv.get('/api/v1/search?q=zelweger')
        tap.eq(r.headers.get('x-did-you-mean'), 'zellweger', 'the API names the corrected query in X-Did-You-Mean')
        r = srv.get('/api/v1/search?q=zellweger')
        tap.ok('x-did-you-mean' not in r.headers, 'a query spelled right gets no suggestion')

        # the total: every matching article, beyond the sections read for the first page
        big = srv.path('many.jsonl')
        with open(big, 'w') as f:
            for i in range(120):
                f.write(json.dumps({'id': 'MANY_%04d' % i, 'title': 'Wombatquill variant %d' % i,
                                    'url': 'https://example.org/q/%d' % i,
                                    'sections': [{'id': 'MANY_%04d_Sec%d' % (i, k), 'heading': 'Part %d' % k,
                                                  'qtype': 'information',
                                                  'text': 'Wombatquill part %d of variant %d.' % (k, i)}
                                                 for k in range(1, 4)]}) + '\n')
        p = run_evqa(['import', '--db', srv.db, '--state', 'approved', big])
        r = srv.get('/api/v1/search?q=wombatquill&per_page=10')
        tap.ok(r.status == 200 and r.headers.get('x-total-count') == '120', 'X-Total-Count counts every matching '
               'article (120), not only those of the sections read first', r.headers.get('x-total-count'))
        tap.ok('page=12' in r.headers.get('link', '') and 'rel="last"' in r.headers.get('link', ''),
               'the Link header\'s last page is page 12', r.headers.get('link'))
        r = srv.get('/api/v1/search?q=wombatquill&per_page=10&page=12')
        tap.ok(r.status == 200 and len(r.json()) == 10, 'the last page can be read', r.summary())
        r = srv.get('/search?q=wombatquill')
        tap.ok(b'120 articles match' in r.body, 'the search page gives the same total')

        # a word of the topics' vocabulary found in many sections ("swelling", here in 65 notes of
        # about 1,300 sections) still leads a message whose rare words are chatter
        notes = srv.path('notes.jsonl')
        with open(notes, 'w') as f:
            for i in range(65):
                f.write(json.dumps({'id': 'NOTE_%04d' % i, 'title': 'Clinic note %d' % i,
                                    'url': 'https://example.org/n/%d' % i,
                                    'sections': [{'id': 'NOTE_%04d_Sec1' % i, 'heading': 'Note %d' % i,
                                                  'text': 'Swelling was seen at visit %d.' % i}]}) + '\n')
            for i in range(270):
                f.write(json.dumps({'id': 'FILL_%04d' % i, 'title': 'Filler page %d' % i,
                                    'url': 'https://example.org/f/%d' % i,
                                    'sections': [{'id': 'FILL_%04d_Sec%d' % (i, k), 'heading': 'Part %d' % k,
                                                  'text': 'Filler part %d of page %d.' % (k, i)}
                                                 for k in range(1, 4)]}) + '\n')
        p = run_evqa(['import', '--db', srv.db, '--state', 'approved', notes])
        with sqlite3.connect(srv.db) as c:
            total = c.execute('SELECT count(*) FROM section').fetchone()[0]
            df = c.execute("SELECT count(*) FROM section_fts WHERE section_fts MATCH '\"swelling\"'").fetchone()[0]
        tap.ok(p.returncode == 0 and 50 < df and 0.03 * total < df <= 0.06 * total, '"swelling" is now common, '
               'in %d of %d sections' % (df, total), p.stderr)
        q = 'the swelling, please advise, it is so frustrating and I am not sure what to think'
        p = run_evqa(['search', '--db', srv.db, '--json', '--', q])
        got = [x.get('source_id') for x in json.loads(p.stdout or '{}').get('results', [])]
        tap.ok(got and got[0] == 'CHAT_LEG', '%r still finds CHAT_LEG first' % q, (p.stderr, got[:3]))


        # the scores are bm25's to the last bit, weighted and plain, though evqa counts each phrase's
        # sections once per worker rather than on every query (evqa_bm25)
        with sqlite3.connect('file:%s?mode=ro' % srv.db, uri=True) as c:
            for q in ('zellweger seizures treatment nutrition hearing', 'heart muscle rare condition of the bones',
                      'the swelling, please advise, it is so frustrating and I am not sure what to think'):
                for plain, weights in ((['--plain'], ''), ([], ', 4.0, 2.0, 1.0')):
                    p = run_evqa(['search', '--db', srv.db, '--json'] + plain + ['--', q])
                    j = json.loads(p.stdout or '{}')
                    got = {(r['id'], sec['position'] - 1): sec['score'] for r in j.get('results', [])
                           for sec in r['sections'] if sec.get('score')}
                    want = {(a, o): v for a, o, v in c.execute(
                        'SELECT s.article_id, s.ord, -bm25(section_fts%s) FROM section_fts JOIN section s ON s.id = '
                        "section_fts.rowid WHERE section_fts MATCH ? AND s.audience = 'clinician'" % weights,
                        (j.get('fts', ''),))}
                    tap.ok(got and all(want.get(k) == v for k, v in got.items()),
                           '%r%s: each score is bm25()\'s' % (q, ' (plain)' if plain else ''),
                           [(k, v, want.get(k)) for k, v in got.items() if want.get(k) != v][:3])
    asked_again(tap)


if __name__ == '__main__':
    run(main)
