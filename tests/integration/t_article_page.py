#!/usr/bin/env python3
# t_article_page.py: the article page's markup contract for the three demo articles, the audience
# choice (query, cookie, missing variant, unknown audience), canonical URLs, the home page, the editorial
# policy page and the 404 page, all through nginx.

import json
import os
import re
import sys
from urllib.parse import urlsplit

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from editor_client import Browser, add_token, add_user  # noqa: E402
from harness import (AUDIENCES, DEMO_STATES, ISO_UTC, Node, Server, human_date,  # noqa: E402
                     parse_html, run)

STEP_LABELS = ['Submitted', 'Under review', 'Approved']
STEP_INDEX = {'submitted': 0, 'under_review': 1, 'approved': 2}
KIND_WORD = {'guideline': 'guideline', 'systematic_review': 'systematic', 'research': 'research',
             'review': 'review', 'other': 'other'}
PUBMED = re.compile(r'^https://pubmed\.ncbi\.nlm\.nih\.gov/\d+/$')
MARKER = re.compile(r'\[\s*\d+(?:\s*[-,\u2013]\s*\d+)*\s*\]')
ONE_YEAR = 365 * 86400


def is_cite(n):
    return n.tag == 'sup' and 'cite' in n.classes


def wording(doc):
    """What the reader reads: the bottom line and the body, citation markers left out."""
    parts = []
    for cls in ('bottom-line', 'article-body'):
        n = doc.find(cls=cls)
        parts.append(n.text(skip=is_cite) if n is not None else '')
    return '\n'.join(parts)


def cited_numbers(doc):
    """Reference numbers the bottom line and the body cite."""
    nums = set()
    for cls in ('bottom-line', 'article-body'):
        n = doc.find(cls=cls)
        if n is None:
            continue
        for sup in n.find_all('sup', cls='cite'):
            for a in sup.find_all('a'):
                m = re.fullmatch(r'#ref-(\d+)', a.get('href', ''))
                if m:
                    nums.add(int(m.group(1)))
    return nums


def checked_audience(doc):
    form = doc.find('form', cls='audience')
    if form is None:
        return None
    checked = [i.get('value') for i in form.find_all('input', attrs={'type': 'radio', 'name': 'audience'})
               if i.has('checked')]
    return checked[0] if len(checked) == 1 else checked


def label_text(doc, control):
    """The visible label of a form control: <label for=id> or an enclosing <label>; else aria-label."""
    ident = control.get('id')
    if ident:
        for lab in doc.find_all('label', attrs={'for': ident}):
            return lab.text()
    for anc in control.ancestors():
        if anc.tag == 'label':
            return anc.text()
    if control.get('aria-labelledby'):
        n = doc.by_id(control.get('aria-labelledby'))
        return n.text() if n is not None else ''
    return control.get('aria-label', '')


def accessible_name(doc, node):
    """aria-labelledby (the labelling elements' text) or aria-label."""
    if node.get('aria-labelledby'):
        parts = [doc.by_id(i) for i in node.get('aria-labelledby').split()]
        return ' '.join(p.text() for p in parts if p is not None)
    return node.get('aria-label', '')


def site_header(doc):
    h = doc.find('header')
    return h.text() if h is not None else None


def stylesheets(doc):
    return sorted(n.get('href', '') for n in doc.find_all('link') if n.get('rel') == 'stylesheet')


def evqa_cookie(reply):
    """The attributes of the evqa_audience Set-Cookie of a reply: {'': value, 'path': '/', ...}."""
    for v in reply.all('set-cookie'):
        name, _, rest = v.partition('=')
        if name.strip() != 'evqa_audience':
            continue
        parts = rest.split(';')
        attrs = {'': parts[0].strip()}
        for p in parts[1:]:
            k, _, val = p.partition('=')
            attrs[k.strip().lower()] = val.strip()
        return attrs
    return None


def check_article(tap, srv, aid, state, canon, info):
    """Every element of the markup contract on the clinician page of one article. Returns the tree."""
    P = 'article %d (%s):' % (aid, state)
    r = srv.get(canon)
    if not tap.ok(r.status == 200 and r.content_type == 'text/html',
                  '%s GET %s answers 200 text/html' % (P, canon), r.summary()):
        return None
    doc = parse_html(r.body)
    page_text = doc.text()

    h1s = doc.find_all('h1')
    h1 = doc.find('h1', attrs={'id': 'question'})
    want_q = info['question'] if info else None
    tap.ok(len(h1s) == 1 and h1 is not None and h1.text() and (want_q is None or h1.text() == want_q),
           '%s the one <h1 id="question"> is the question' % P,
           'h1 elements: %r\nexpected text: %r' % ([(repr(h), h.text()) for h in h1s], want_q))

    adv = doc.find('p', cls='advisory')
    if state == 'approved':     # the demo approval is a person's
        tap.ok(adv is not None and 'advisory board' in adv.text().lower(),
               '%s <p class="advisory"> names the Medical Advisory Board' % P,
               'advisory: %r' % (adv.text() if adv is not None else None))
    else:
        tap.ok(adv is None, '%s no advisory-board line before a person approved the revision' % P,
               'advisory: %r' % (adv.text() if adv is not None else None))

    cautions = doc.find_all(cls='caution')
    if state != 'approved':
        tap.ok(len(cautions) == 1 and cautions[0].tag == 'p' and cautions[0].get('role') == 'note'
               and 'pending human review' in cautions[0].text().lower(),
               '%s <p class="caution" role="note"> says the content is pending human review' % P,
               'caution elements: %r' % [(repr(c), c.text()) for c in cautions])
    else:
        tap.ok(not cautions and 'pending human review' not in page_text.lower(),
               '%s approved article shows no pending-review caution' % P,
               'caution elements: %r' % [(repr(c), c.text()) for c in cautions])

    steps = doc.find('ol', cls='review-steps')
    lis = [c for c in steps.children if isinstance(c, Node) and c.tag == 'li'] if steps is not None else []
    tap.ok(steps is not None and accessible_name(doc, steps) == 'Article review status' and len(lis) == 3
           and all(lab.lower() in li.text().lower() for lab, li in zip(STEP_LABELS, lis)),
           '%s review steps, named "Article review status", list Submitted, Under review, Approved' % P,
           'steps: %r %r' % (steps, [li.text() for li in lis]))
    if len(lis) == 3:
        cur = STEP_INDEX[state]
        currents = [i for i, li in enumerate(lis) if li.get('aria-current') == 'step']
        tap.eq(currents, [cur], '%s aria-current="step" is on the "%s" step only' % (P, STEP_LABELS[cur]))
        done = [i for i, li in enumerate(lis) if 'done' in li.classes]
        tap.ok(done[:cur] == list(range(cur)) and all(i <= cur for i in done),
               '%s steps before the current one (and none after) have class "done"' % P,
               'steps with class done: %r, current: %d' % (done, cur))

    upd = doc.find('p', cls='updated')
    t = upd.find('time') if upd is not None else None
    dt = t.get('datetime', '') if t is not None else ''
    tap.ok(upd is not None and 'Last updated' in upd.text() and t is not None and ISO_UTC.match(dt),
           '%s <p class="updated"> says "Last updated" with <time datetime> in ISO 8601 UTC' % P,
           'updated: %r, time: %r' % (upd.text() if upd is not None else None, t))
    if t is not None and ISO_UTC.match(dt):
        tap.eq(t.text(), human_date(dt), '%s the <time> shows its datetime as a date a reader reads' % P)
        if info:
            tap.eq(dt, info.get('last_updated'), '%s the page and the API agree on last updated' % P)

    pol = [a for a in doc.find_all('a', attrs={'href': '/editorial-policy'})]
    tap.ok(any(a.text() == 'View editorial policy' for a in pol),
           '%s links "View editorial policy" to /editorial-policy' % P, 'links: %r' % [a.text() for a in pol])

    check_audience_form(tap, doc, P, canon, 'clinician')

    bl = doc.find(cls='bottom-line')
    tap.ok(bl is not None and len(bl.text(skip=is_cite)) > 20,
           '%s the bottom line (class "bottom-line") is shown' % P,
           'bottom line: %r' % (bl.text() if bl is not None else None))

    body = doc.find('div', cls='article-body')
    h2s = body.find_all('h2') if body is not None else []
    tap.ok(body is not None and h2s and all(h.text() for h in h2s),
           '%s <div class="article-body"> has <h2> sections' % P,
           'h2: %r' % [h.text() for h in h2s])
    if aid == 1 and body is not None:
        nested = [li for li in body.find_all('li') if any(c.tag in ('ul', 'ol') for c in li.iter() if c is not li)]
        tap.ok(nested, '%s the body has nested lists (a list inside a list item)' % P)
        tap.ok(body.find('ol') is not None, '%s the body has an ordered list' % P)

    texts = (bl.text(skip=is_cite) if bl is not None else '') + ' ' + \
            (body.text(skip=is_cite) if body is not None else '')
    left = MARKER.findall(texts)
    tap.ok(not left, '%s no citation marker is left as plain text' % P, 'plain markers: %r' % left)

    check_citations(tap, doc, P)
    check_references(tap, doc, P, info)

    disc = doc.find('section', cls='disclaimer')
    heads = [h for h in disc.iter() if h.tag in ('h2', 'h3')] if disc is not None else []
    tap.ok(disc is not None and heads and heads[0].text().lower() == 'professional medical disclaimer'
           and len(disc.text()) > len(heads[0].text()) + 40,
           '%s <section class="disclaimer"> "Professional medical disclaimer" with its text' % P,
           'disclaimer: %r' % (disc.text() if disc is not None else None))

    check_follow_up(tap, doc, P, aid, 'clinician')

    ids = [n.get('id') for n in doc.iter() if n.has('id')]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    tap.ok(not dup, '%s element ids are unique' % P, 'duplicated ids: %r' % dup)
    return doc


def check_audience_form(tap, doc, P, canon, current):
    form = doc.find('form', cls='audience')
    tap.ok(form is not None and form.get('method', '').lower() == 'get' and form.get('action') == canon,
           '%s <form class="audience" method="get" action="%s">' % (P, canon), 'form: %r' % form)
    if form is None:
        return
    fs = form.find('fieldset')
    leg = fs.find('legend') if fs is not None else None
    tap.ok(leg is not None and leg.text().startswith('Which best describes you?'),
           '%s the audience fieldset asks "Which best describes you?"' % P,
           'legend: %r' % (leg.text() if leg is not None else None))
    radios = form.find_all('input', attrs={'type': 'radio', 'name': 'audience'})
    values = [r.get('value') for r in radios]
    tap.eq(sorted(values), sorted(AUDIENCES), '%s one audience radio per audience' % P)
    tap.eq(checked_audience(doc), current, '%s the current audience (%s) is the checked radio' % (P, current))
    labels = {r.get('value'): label_text(doc, r) for r in radios}
    tap.ok(all(labels.values()) and 'Patient or caregiver' in labels.get('patient', ''),
           '%s every radio has a visible label ("Patient or caregiver" for patient)' % P,
           'labels: %r' % labels)
    submits = [b for b in form.find_all('button') if b.get('type', 'submit') == 'submit'] + \
              form.find_all('input', attrs={'type': 'submit'})
    tap.ok(any((b.text() if b.tag == 'button' else b.get('value', '')) == 'Apply' for b in submits),
           '%s the audience form has an "Apply" submit button' % P, 'submit buttons: %r' % submits)


def check_citations(tap, doc, P):
    links = [a for sup in doc.find_all('sup', cls='cite') for a in sup.find_all('a')]
    tap.ok(links, '%s the article cites references (<sup class="cite"> links)' % P)
    bad, occ = [], {}
    for a in links:
        m = re.fullmatch(r'#ref-(\d+)', a.get('href', ''))
        k = re.fullmatch(r'cite-(\d+)-(\d+)', a.get('id', ''))
        if not m or not k or m.group(1) != k.group(1) or a.text() != m.group(1):
            bad.append(repr(a) + ' ' + a.text())
            continue
        occ.setdefault(int(m.group(1)), []).append(int(k.group(2)))
        target = doc.by_id('ref-' + m.group(1))
        if target is None or target.tag != 'li':
            bad.append('%r points to a missing reference' % a)
    tap.ok(not bad, '%s every citation link (to ref-N, with id cite-N-K) points to an existing reference' % P,
           '\n'.join(bad))
    wrong = {n: ks for n, ks in occ.items() if ks != list(range(1, len(ks) + 1))}
    tap.ok(not wrong, '%s citation ids count occurrences of each reference 1, 2, 3, ...' % P,
           'occurrence numbers by reference: %r' % wrong)
    sups = [s.text() for s in doc.find_all('sup', cls='cite')]
    tap.ok(all(s.startswith('[') and s.endswith(']') for s in sups),
           '%s citation markers read as [n]' % P, 'markers: %r' % sups)

    bad = []
    for li in doc.find_all('li'):
        m = re.fullmatch(r'ref-(\d+)', li.get('id', ''))
        if not m:
            continue
        n = int(m.group(1))
        back = [a.get('href', '') for a in li.find_all('a', cls='backref')]
        want = ['#cite-%d-%d' % (n, k) for k in occ.get(n, [])]
        if sorted(back) != sorted(want):
            bad.append('ref-%d back links %r, citations %r' % (n, back, want))
        for h in back:
            if not h.startswith('#') or doc.by_id(h[1:]) is None:
                bad.append('ref-%d back link %s points to no element' % (n, h))
    tap.ok(not bad, '%s every reference links back (to cite-N-K) to each place it is cited' % P, '\n'.join(bad))


def check_references(tap, doc, P, info):
    sec = doc.find('section', cls='references')
    h = doc.by_id('references-h')
    tap.ok(sec is not None and sec.get('aria-labelledby') == 'references-h' and h is not None
           and h.tag == 'h2' and h.text() == 'References' and h in list(sec.iter()),
           '%s <section class="references"> is labelled by <h2 id="references-h">References' % P,
           'section: %r, heading: %r' % (sec, h))
    if sec is None:
        return
    ol = sec.find('ol')
    lis = [c for c in ol.children if isinstance(c, Node) and c.tag == 'li'] if ol is not None else []
    ids = [li.get('id') for li in lis]
    refs = info['references'] if info else None
    n = len(refs) if refs is not None else len(lis)
    tap.ok(lis and ids == ['ref-%d' % i for i in range(1, n + 1)],
           '%s references are <li id="ref-1"> ... <li id="ref-%d"> in order' % (P, n), 'ids: %r' % ids)
    kinds = [li.find('span', cls='ref-kind') for li in lis]
    bad = []
    for i, (li, k) in enumerate(zip(lis, kinds)):
        if k is None or not k.text():
            bad.append('%s has no type label' % li.get('id'))
        elif refs is not None and i < len(refs) and KIND_WORD.get(refs[i].get('type'), '?') not in k.text().lower():
            bad.append('%s label %r for type %r' % (li.get('id'), k.text(), refs[i].get('type')))
    tap.ok(not bad, '%s each reference shows its type label (<span class="ref-kind">)' % P, '\n'.join(bad))

    pub = [a.get('href', '') for a in sec.find_all('a') if 'pubmed' in a.get('href', '')]
    tap.ok(all(PUBMED.match(h) for h in pub),
           '%s PubMed links are https://pubmed.ncbi.nlm.nih.gov/<digits>/' % P, 'links: %r' % pub)
    if refs is None:
        return
    bad = []
    for i, ref in enumerate(refs):
        li = lis[i] if i < len(lis) else None
        if li is None:
            bad.append('reference %d missing' % (i + 1))
            continue
        hrefs = [a.get('href') for a in li.find_all('a')]
        if ref.get('title') and ' '.join(ref['title'].split()) not in li.text():
            bad.append('ref-%d does not show its title %r' % (i + 1, ref['title']))
        if ref.get('pmid') and 'https://pubmed.ncbi.nlm.nih.gov/%s/' % ref['pmid'] not in hrefs:
            bad.append('ref-%d has pmid %s but links %r' % (i + 1, ref['pmid'], hrefs))
        if ref.get('doi') and 'https://doi.org/' + ref['doi'] not in hrefs:
            bad.append('ref-%d has doi %s but links %r' % (i + 1, ref['doi'], hrefs))
        if ref.get('year') and str(ref['year']) not in li.text():
            bad.append('ref-%d does not show its year %s' % (i + 1, ref['year']))
    tap.ok(not bad, '%s each reference shows its title and year and links its PubMed id and DOI' % P,
           '\n'.join(bad))


def check_follow_up(tap, doc, P, aid, audience):
    form = doc.find('form', cls='follow-up')
    tap.ok(form is not None and form.get('method', '').lower() == 'post' and form.get('action') == '/questions',
           '%s <form class="follow-up" method="post" action="/questions">' % P, 'form: %r' % form)
    if form is None:
        return
    scope = form.parent if form.parent is not None else form
    heads = [h.text() for h in scope.iter() if h.tag in ('h2', 'h3')]
    tap.ok('Have a follow-up question?' in heads, '%s the follow-up form is headed "Have a follow-up question?"' % P,
           'headings near the form: %r' % heads)
    ta = form.find('textarea', attrs={'name': 'question'})
    tap.ok(ta is not None and label_text(doc, ta),
           '%s the follow-up form has a labelled <textarea name="question">' % P,
           'textarea: %r' % ta)
    hidden = {i.get('name'): i.get('value', '') for i in form.find_all('input', attrs={'type': 'hidden'})}
    tap.ok(hidden.get('article') == str(aid) and hidden.get('audience') == audience and 'csrf' not in hidden,
           '%s the follow-up form carries hidden article=%d, audience=%s and no per-reader token' % (P, aid, audience),
           'hidden inputs: %r' % hidden)


def api_article(srv, aid, query=''):
    r = srv.get('/api/v1/articles/%d%s' % (aid, query))
    try:
        return r.json() if r.status == 200 else None
    except ValueError:
        return None


def check_markup_escaped(tap, srv):
    """An article whose question, text and reference carry markup, saved through the API by an editor
    and approved by a reviewer, shows that markup as text on its page and on the home page."""
    add_user(srv, 'ed@x.org', 'Edna Editor', 'editor')
    add_user(srv, 'rev@x.org', 'Rex Reviewer', 'reviewer')
    ed, rev = add_token(srv, 'ed@x.org'), add_token(srv, 'rev@x.org')
    doc = {'question': 'Is <script>alert("q")</script> & <b>bold</b> safe?',
           'texts': [{'audience': 'clinician', 'bottom_line': 'Yes <img src=x onerror=alert(1)> [1].',
                      'body': 'See <script>alert("b")</script> [1] and [link](javascript:alert(2)).'}],
           'references': [{'type': 'other', 'title': '<i>A title</i> & more', 'source': None, 'year': None,
                           'pmid': None, 'doi': None, 'url': None}]}

    def call(token, method, path, body):
        return srv.request(method, path, body=json.dumps(body), headers={
            'Authorization': 'Bearer %s' % token, 'Content-Type': 'application/json'})

    r = call(ed, 'POST', '/api/v1/articles', doc)
    aid = r.json().get('id') if r.status == 201 else None
    ok = aid is not None and call(rev, 'POST', '/api/v1/articles/%d/transitions' % aid,
                                  {'to': 'under_review'}).status == 200 and \
        call(rev, 'POST', '/api/v1/articles/%d/transitions' % aid, {'to': 'approved'}).status == 200
    if not tap.ok(ok, 'an article with markup in it is saved and approved through the API', r.summary()):
        return
    page = srv.get(srv.get('/articles/%d' % aid).headers.get('location', '/'))
    home = srv.get('/')
    bad = [raw for raw in ('<script>alert', '<img src=x', '<b>bold</b>', '<i>A title</i>', 'javascript:alert')
           for text in (page.text, home.text) if raw in text]
    tap.ok(page.status == 200 and not bad and '&lt;script&gt;alert(&quot;q&quot;)' in page.text
           and '&lt;i&gt;A title&lt;/i&gt; &amp; more' in page.text,
           'markup in article content is shown escaped', 'raw on the page: %r' % bad)


def main(tap):
    with Server(tap) as srv:
        info, canon, docs = {}, {}, {}
        for aid in (1, 2, 3):
            info[aid] = api_article(srv, aid)
            slug = info[aid].get('slug') if info[aid] else None
            if not slug:
                loc = srv.get('/articles/%d' % aid).headers.get('location', '')
                m = re.fullmatch(r'/articles/%d/([a-z0-9-]+)' % aid, urlsplit(loc).path)
                slug = m.group(1) if m else 'unknown-slug'
            canon[aid] = '/articles/%d/%s' % (aid, slug)

        for aid, state in DEMO_STATES.items():
            got = info[aid].get('state') if info[aid] else None
            tap.eq(got, state, 'demo article %d is %s' % (aid, state))
            docs[aid] = check_article(tap, srv, aid, state, canon[aid], info[aid])

        pubmed = [a for d in docs.values() if d is not None for a in d.find_all('a')
                  if PUBMED.match(a.get('href', ''))]
        tap.ok(pubmed, 'the demo articles link at least one reference to PubMed')

        check_audiences(tap, srv, canon[1], info[1], docs[1])
        check_canonical(tap, srv, canon)
        check_home(tap, srv, canon, info)
        check_other_pages(tap, srv, docs[1])
        check_markup_escaped(tap, srv)
        check_demo_approval(tap, srv, canon)


def check_demo_approval(tap, srv, canon):
    """The approved demo article names its approver; the demo account cannot be used to log in."""
    text = srv.get(canon[2]).text
    m = re.search(r'<p class="approved-by">(.*?)</p>', text, re.S)
    plain = re.sub(r'<[^>]+>', '', m.group(1)) if m else ''
    tap.ok(plain.startswith('Approved by Maya Okafor, MD, MPH on June 2, 2025'),
           'the approved demo article says who approved it and when', repr(plain))
    tap.ok('approved-by' not in srv.get(canon[1]).text,
           'the demo article under review names no approver')
    r = Browser(srv).login('demo-reviewer@example.org', password='!')
    tap.ok(r.status == 401, 'the demo reviewer account cannot log in', r.summary())


def check_audiences(tap, srv, canon, info, clin_doc):
    P = 'article 1 audience:'
    if clin_doc is None:
        tap.ok(False, '%s the clinician page is needed to compare audiences' % P)
        return
    clin = wording(clin_doc)
    tap.ok(clin_doc.find(cls='audience-note') is None, '%s the clinician page has no audience note' % P)
    variants = info.get('audiences') if info else None
    tap.ok(isinstance(variants, list) and 'patient' in variants, 'demo article 1 has a patient variant',
           'audiences: %r' % variants)

    r = srv.get(canon + '?audience=patient')
    tap.ok(r.status == 200, '%s ?audience=patient answers 200' % P, r.summary())
    pat_doc = parse_html(r.body)
    pat = wording(pat_doc)
    tap.ok(pat.strip() and pat != clin, '%s the patient wording differs from the clinician wording' % P,
           'patient: %r' % pat[:300])
    tap.eq(sorted(cited_numbers(pat_doc)), sorted(cited_numbers(clin_doc)),
           '%s patient and clinician wording cite the same reference numbers' % P)
    tap.eq(checked_audience(pat_doc), 'patient', '%s the patient radio is checked' % P)
    check_follow_up(tap, pat_doc, P + ' patient page', 1, 'patient')
    tap.ok(pat_doc.find(cls='audience-note') is None, '%s a page in its own variant has no audience note' % P)

    c = evqa_cookie(r)
    tap.ok(c is not None and c[''] == 'patient', '%s ?audience=patient sets the cookie evqa_audience=patient' % P,
           'Set-Cookie: %r' % r.all('set-cookie'))
    if c is not None:
        try:
            age = int(c.get('max-age', ''))
        except ValueError:
            age = None
        tap.ok(c.get('path') == '/' and c.get('samesite', '').lower() == 'lax' and 'httponly' in c
               and age is not None and ONE_YEAR <= age <= ONE_YEAR + 86400,
               '%s the cookie has Path=/, SameSite=Lax, HttpOnly and Max-Age of one year' % P,
               'Set-Cookie: %r' % r.all('set-cookie'))

    r = srv.get(canon, headers={'Cookie': 'evqa_audience=patient'})
    d = parse_html(r.body)
    tap.ok(r.status == 200 and wording(d) == pat and checked_audience(d) == 'patient',
           '%s a later request with only the cookie shows the patient wording' % P,
           'status %s, checked %r' % (r.status, checked_audience(d)))

    r = srv.get(canon, headers={'Cookie': 'evqa_audience=martian'})
    d = parse_html(r.body)
    tap.ok(r.status == 200 and wording(d) == clin and checked_audience(d) == 'clinician',
           '%s a bad cookie value is ignored (clinician wording, 200)' % P,
           'status %s, checked %r' % (r.status, checked_audience(d)))

    r = srv.get(canon, headers={'Cookie': 'other=1; evqa_audience=nurse'})
    d = parse_html(r.body)
    tap.ok(r.status == 200 and checked_audience(d) == 'nurse' and wording(d) == clin,
           '%s the cookie evqa_audience=nurse (among other cookies) selects nurse, clinician wording' % P,
           'status %s, checked %r' % (r.status, checked_audience(d)))

    missing = [a for a in AUDIENCES if a != 'clinician' and isinstance(variants, list) and a not in variants]
    other = 'nurse' if 'nurse' in missing else (missing[0] if missing else 'nurse')
    r = srv.get(canon + '?audience=' + other)
    d = parse_html(r.body)
    note = d.find('p', cls='audience-note')
    tap.ok(r.status == 200 and wording(d) == clin,
           '%s ?audience=%s (no variant) shows the clinician wording' % (P, other), r.summary(300))
    tap.ok(note is not None and note.text(), '%s ?audience=%s shows an audience note' % (P, other),
           'note: %r' % note)
    tap.eq(checked_audience(d), other, '%s ?audience=%s keeps %s checked' % (P, other, other))

    r = srv.get(canon + '?audience=martian')
    d = parse_html(r.body)
    text = d.text().lower()
    tap.ok(r.status == 400 and r.content_type == 'text/html',
           '%s ?audience=martian answers 400 text/html' % P, r.summary(300))
    tap.ok(all(a in text for a in AUDIENCES), '%s the 400 page names the valid audiences' % P,
           'page text: %r' % d.text()[:600])
    tap.ok(evqa_cookie(r) is None, '%s an unknown audience is not remembered in the cookie' % P,
           'Set-Cookie: %r' % r.all('set-cookie'))
    tap.ok(d.find('header') is not None and site_header(d) == site_header(clin_doc),
           '%s the 400 page has the site header' % P, 'header: %r' % site_header(d))


def check_canonical(tap, srv, canon):
    for path, query in (('/articles/1', ''), ('/articles/1/wrong-slug', ''),
                        ('/articles/1/wrong-slug', 'audience=patient'), ('/articles/1', 'audience=patient')):
        url = path + ('?' + query if query else '')
        r = srv.get(url)
        loc = urlsplit(r.headers.get('location', ''))
        tap.ok(r.status == 301 and loc.path == canon[1] and loc.query == query,
               'GET %s redirects 301 to %s%s' % (url, canon[1], '?' + query if query else ''),
               'status %s, Location %r' % (r.status, r.headers.get('location')))
    r = srv.get(canon[1])
    tap.eq(r.status, 200, 'the canonical URL %s itself answers 200 (no redirect loop)' % canon[1])


def check_home(tap, srv, canon, info):
    r = srv.get('/')
    tap.ok(r.status == 200 and r.content_type == 'text/html', 'GET / answers 200 text/html', r.summary(300))
    doc = parse_html(r.body)
    for aid, state in DEMO_STATES.items():
        links = doc.find_all('a', attrs={'href': canon[aid]})
        q = info[aid]['question'] if info[aid] else None
        tap.ok(links and (q is None or links[0].text() == q),
               'home page links the question of article %d to %s' % (aid, canon[aid]),
               'links: %r' % [a.text() for a in links])
        if not links:
            continue
        row = next((a for a in links[0].ancestors() if a.tag in ('li', 'tr', 'article')), None)
        row_text = row.text().lower() if row is not None else ''
        tap.ok(state.replace('_', ' ') in row_text.replace('_', ' '),
               'home page shows article %d as %s' % (aid, state.replace('_', ' ')), 'entry: %r' % row_text)
        t = row.find('time') if row is not None else None
        want = info[aid].get('last_updated') if info[aid] else None
        tap.ok(t is not None and ISO_UTC.match(t.get('datetime', '')) and (want is None or t.get('datetime') == want),
               'home page shows when article %d was last updated' % aid, 'time: %r, want %r' % (t, want))


def check_other_pages(tap, srv, art_doc):
    header = site_header(art_doc) if art_doc is not None else None
    css = stylesheets(art_doc) if art_doc is not None else None
    tap.ok(header and css, 'the article page has a site <header> and a stylesheet',
           'header: %r, stylesheets: %r' % (header, css))

    r = srv.get('/editorial-policy')
    d = parse_html(r.body)
    main_el = d.find('main') or d
    words = main_el.text()
    tap.ok(r.status == 200 and r.content_type == 'text/html', 'GET /editorial-policy answers 200 text/html',
           r.summary(300))
    tap.ok(d.find('h1') is not None and len(words) > 600 and 'review' in words.lower(),
           'the editorial policy page explains in real text how articles are reviewed',
           '%d characters: %r' % (len(words), words[:300]))
    tap.eq(site_header(d), header, 'the editorial policy page has the site header')

    for path in ('/articles/99', '/articles/99/no-such-article', '/articles/abc', '/no-such-page'):
        r = srv.get(path)
        d = parse_html(r.body)
        tap.ok(r.status == 404 and r.content_type == 'text/html' and len(d.text()) > 0,
               'GET %s answers 404 with an HTML page' % path, r.summary(300))
        tap.ok(header is not None and site_header(d) == header and stylesheets(d) == css,
               'the 404 page for %s has the site header and stylesheet' % path,
               'header: %r\nstylesheets: %r' % (site_header(d), stylesheets(d)))


if __name__ == '__main__':
    run(main)
