#!/usr/bin/env python3
# t_search_workflow.py: search follows the review workflow. Readers' search shows the revision readers
# see: an archived article drops out of the results, and approving an article moves it above
# unapproved ones, without any rebuild step.
import json
from urllib.parse import quote

from harness import Server, TAP, run
from editor_client import Browser, add_user


def search_ids(srv, q):
    r = srv.get('/api/v1/search?q=' + quote(q))
    if r.status != 200:
        return None
    return [item['id'] for item in json.loads(r.body)]


def states(srv, q):
    r = srv.get('/api/v1/search?q=' + quote(q))
    return {item['id']: item['state'] for item in json.loads(r.body)} if r.status == 200 else {}


def main(tap):
    with Server(tap) as srv:
        for email, name, role in (('ed@example.org', 'Edna Editor', 'editor'),
                                  ('rev@example.org', 'Rita Reviewer', 'reviewer')):
            p = add_user(srv, email, name, role, credential='MD')
            tap.ok(p.returncode == 0, 'account %s is created' % email, p.stderr)
        ed = Browser(srv)
        tap.ok(ed.login('ed@example.org').status == 303, 'the editor logs in')

        before = search_ids(srv, 'warfarin stroke atrial fibrillation')
        tap.ok(before is not None and 2 in before, 'searching for warfarin finds the anticoagulant article',
               repr(before))
        r = ed.post('/editor/articles/2/transitions', {'to': 'archived', 'reason': 'Superseded by a new review'})
        tap.ok(r.status in (200, 303), 'the editor archives article 2', r.summary())
        after = search_ids(srv, 'warfarin stroke atrial fibrillation')
        tap.ok(after is not None and 2 not in after, 'an archived article no longer appears in search',
               repr(after))

        # Article 3 (vitamin D) is submitted: review and approve it, and search shows it approved.
        tap.ok(states(srv, 'vitamin D fractures').get(3) == 'submitted',
               'the submitted vitamin D article is found with its state', repr(states(srv, 'vitamin D fractures')))
        rev = Browser(srv)
        tap.ok(rev.login('rev@example.org').status == 303, 'the reviewer logs in')
        r1 = rev.post('/editor/articles/3/transitions', {'to': 'under_review'})
        r2 = rev.post('/editor/articles/3/transitions', {'to': 'approved'})
        tap.ok(r1.status in (200, 303) and r2.status in (200, 303), 'the reviewer starts review and approves',
               r1.summary() + '\n' + r2.summary())
        tap.ok(states(srv, 'vitamin D fractures').get(3) == 'approved',
               'search shows the article approved right after the approval',
               repr(states(srv, 'vitamin D fractures')))


if __name__ == '__main__':
    run(main)
