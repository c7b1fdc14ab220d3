#!/usr/bin/env python3
# t_grades.py: evidence grades as readers and API clients see them (badges that link to their
# explanation on the editorial policy page, plain words for patients, grades in the JSON), and as
# editors write them (an unknown grade, a recommendation without a citation, or a wording that grades
# otherwise than the clinician wording is a field error), all through nginx.

import json
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from editor_client import add_token, add_user  # noqa: E402
from harness import Server, parse_html, run  # noqa: E402

DOAC = '/articles/2/doacs-vs-warfarin-atrial-fibrillation'
CLINICAL = {'High certainty', 'Moderate certainty', 'Low certainty', 'Very low certainty'}
PLAIN = {'Strong evidence', 'Good evidence', 'Limited evidence', 'Very limited evidence'}


def badges(doc):
    """(visible label, accessible name, href) of each grade badge in the bottom line and body."""
    out = []
    for cls in ('bottom-line', 'article-body'):
        part = doc.find(cls=cls)
        for a in part.find_all('a', cls='grade') if part is not None else ():
            hidden = a.find(cls='visually-hidden')
            name = a.text().strip()
            label = name[len(hidden.text()):].strip() if hidden is not None else name
            out.append((label, name, a.get('href', '')))
    return out


def check_reader(tap, srv):
    clin = badges(parse_html(srv.get(DOAC).text))
    pat = badges(parse_html(srv.get(DOAC + '?audience=patient').text))
    policy = parse_html(srv.get('/editorial-policy').text)

    tap.eq([b[0] for b in clin], ['Strong recommendation, high certainty', 'High certainty',
                                  'Moderate certainty', 'Low certainty'],
           'the approved demo article shows a labelled badge for each graded claim, in order')
    tap.ok(all(b[1].startswith('Evidence grade:') for b in clin),
           'each badge says to screen readers that it is an evidence grade', repr(clin))
    targets = [b[2] for b in clin]
    missing = [h for h in targets if not re.fullmatch(r'/editorial-policy#grade-[a-z-]+', h)
               or policy.by_id(h.split('#')[1]) is None]
    tap.ok(targets and not missing, 'every badge links to its explanation on the editorial policy page',
           'links without a target: %r' % missing)
    strong = policy.by_id('grade-strong')
    tap.ok(strong is not None and 'Strong recommendation' in strong.text()
           and policy.by_id('grade-conditional') is not None and policy.by_id('grade-very-low') is not None,
           'the policy explains each certainty and each strength of recommendation')

    tap.eq(len(pat), len(clin), 'the patient wording grades the same claims')
    tap.eq([b[2] for b in pat], targets, 'and its badges link to the same explanations')
    tap.ok(pat and not any(w in b[0] for b in pat for w in CLINICAL | {'recommendation'})
           and all(any(w.lower() in b[0].lower() for w in PLAIN) for b in pat),
           'patients see the grades in plain words', repr([b[0] for b in pat]))

    doc = srv.get('/api/v1/articles/2').json()
    tap.eq(doc['bottom_line'].get('grades'), [{'certainty': 'high', 'recommendation': 'strong'}],
           'the JSON bottom line carries its recommendation and certainty')
    items = [it for s in doc['sections'] for b in s['blocks'] for it in b.get('items', [])]
    graded = [g for it in items for g in it.get('grades', [])]
    tap.eq(graded, [{'certainty': 'high'}, {'certainty': 'moderate'}, {'certainty': 'low'}],
           'each JSON bullet carries its own grades')
    tap.ok(all(isinstance(it.get('grades'), list) for it in items),
           'every JSON bullet has a grades list, empty when it has none')
    tap.ok(not any('{certainty' in it['text'] for it in items), 'the JSON text has no grade markers left')


def check_editor(tap, srv):
    add_user(srv, 'ed@x.org', 'Edna Editor', 'editor')
    token = add_token(srv, 'ed@x.org')

    def post(bottom, body, patient=None):
        texts = [{'audience': 'clinician', 'bottom_line': bottom, 'body': body}]
        if patient is not None:
            texts.append({'audience': 'patient', 'bottom_line': patient[0], 'body': patient[1]})
        doc = {'question': 'Does a graded claim save?', 'texts': texts,
               'references': [{'type': 'research', 'title': 'A trial', 'source': None, 'year': None,
                               'pmid': None, 'doi': None, 'url': None}]}
        return srv.request('POST', '/api/v1/articles', body=json.dumps(doc), headers={
            'Authorization': 'Bearer %s' % token, 'Content-Type': 'application/json'})

    def field_error(r):
        try:
            j = r.json()
        except ValueError:
            return ''
        return json.dumps(j)

    r = post('It works [1]. {certainty: medium}', 'Body.')
    e = field_error(r)
    tap.ok(r.status in (400, 422) and '"field": "texts"' in e and "'medium'" in e
           and 'high, moderate, low or very low' in e,
           'an unknown certainty is a field error that lists the allowed ones', r.summary())
    r = post('It works [1].', '- Do it. {recommendation: strong, certainty: high}\n')
    e = field_error(r)
    tap.ok(r.status in (400, 422) and 'citation' in e, 'a recommendation without a citation is a field error',
           r.summary())
    r = post('It works [1]. {recommendation: strong, certainty: high}', 'Body.',
             ('It helps [1].', 'Body.'))
    e = field_error(r)
    tap.ok(r.status in (400, 422) and 'patient' in e and 'same way' in e,
           'a patient wording that leaves out a grade is a field error', r.summary())
    r = post('It works [1]. {recommendation: conditional, certainty: low}', 'Body.',
             ('It helps [1]. {recommendation: conditional, certainty: low}', 'Body.'))
    aid = r.json().get('id') if r.status == 201 else None
    tap.ok(aid is not None, 'a cited, graded recommendation is saved', r.summary())
    if aid is None:
        return
    page = parse_html(srv.get(srv.get('/articles/%d' % aid).headers.get('location', '/')).text)
    tap.eq([b[0] for b in badges(page)], ['Conditional recommendation, low certainty'],
           'the saved article shows its badge before approval too')
    tap.eq(srv.get('/api/v1/articles/%d' % aid).json()['bottom_line'].get('grades'),
           [{'certainty': 'low', 'recommendation': 'conditional'}], 'and its JSON carries the grade')


def main(tap):
    with Server(tap) as srv:
        check_reader(tap, srv)
        check_editor(tap, srv)


if __name__ == '__main__':
    run(main)
