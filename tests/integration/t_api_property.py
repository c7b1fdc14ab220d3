#!/usr/bin/env python3
# t_api_property.py: a property test of the JSON interface, driven by docs/openapi.json. For every
# operation of the document it makes requests from the document's own schemas, valid ones and broken
# ones (unknown, repeated, out-of-range and wrongly typed parameters; bodies with unknown members,
# wrong types, control characters, duplicate keys, bad JSON, other media types; missing or stale
# preconditions; with and without credentials) and sends them to a server through nginx, on loopback.
# Properties: no reply is a 5xx, every broken request is refused with a 4xx, and every reply follows the
# document (checked by the harness). Bounded: at most MAX_REQUESTS requests and MAX_SECONDS seconds;
# EVQA_PROPERTY_SEED picks another sequence (the seed is printed).

import copy
import json
import os
import random
import sys
import time
from urllib.parse import quote

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from editor_client import add_token, add_user  # noqa: E402
from harness import Server, run  # noqa: E402
from openapi_check import Contract, document_path  # noqa: E402
from harness import top_srcdir  # noqa: E402

MAX_REQUESTS = 1500
MAX_SECONDS = 90
PER_OPERATION = 50


class Gen:
    """Values from the document's JSON Schemas."""

    def __init__(self, contract, rnd):
        self.c, self.rnd = contract, rnd

    def valid(self, schema, depth=0):
        s = self.c.resolve(schema)
        if depth > 6:
            return None
        if 'const' in s:
            return s['const']
        if 'enum' in s:
            return self.rnd.choice(s['enum'])
        for k in ('oneOf', 'anyOf'):
            if k in s:
                opts = [o for o in s[k] if self.c.resolve(o).get('type') != 'null'] or s[k]
                return self.valid(self.rnd.choice(opts), depth + 1)
        t = s.get('type')
        if isinstance(t, list):
            t = self.rnd.choice([x for x in t if x != 'null'] or ['null'])
        if t == 'null':
            return None
        if t == 'object':
            out = {}
            for name, sub in s.get('properties', {}).items():
                if name in s.get('required', []) or self.rnd.random() < 0.5:
                    out[name] = self.valid(sub, depth + 1)
            return out
        if t == 'array':
            n = max(s.get('minItems', 0), self.rnd.randint(0, 2))
            n = min(n, s.get('maxItems', n))
            return [self.valid(s.get('items', {}), depth + 1) for _ in range(n)]
        if t == 'integer':
            lo = s.get('minimum', 0)
            hi = min(s.get('maximum', lo + 5), lo + 5)
            return self.rnd.randint(lo, hi)
        if t == 'number':
            return self.rnd.random()
        if t == 'boolean':
            return self.rnd.random() < 0.5
        return self.string(s)

    def string(self, s):
        pat = s.get('pattern', '')
        if pat.startswith(r'^\d{4}-'):
            return '20%02d-0%d-1%dT0%d:00:00Z' % (self.rnd.randint(20, 30), self.rnd.randint(1, 9),
                                                  self.rnd.randint(0, 9), self.rnd.randint(0, 9))
        if '[0-9a-f]{32}' in pat:
            return ''.join(self.rnd.choice('0123456789abcdef') for _ in range(32))
        if pat == '^[0-9]{1,10}$':
            return str(self.rnd.randint(1, 40000000))
        words = ['pain', 'acupuncture', 'fever', 'cellulitis', 'What helps?', 'x', 'Ünïcödé text', 'a [1]']
        text = self.rnd.choice(words)
        return text[:s.get('maxLength', len(text))] or 'x'

    def wrong(self, schema):
        """A value of another JSON type than the schema takes."""
        s = self.c.resolve(schema)
        t = s.get('type')
        types = set(t if isinstance(t, list) else [t]) if t else set()
        for v, ty in ((12345, 'integer'), ('text', 'string'), ({'x': 1}, 'object'), ([1, 2], 'array'),
                      (True, 'boolean')):
            if ty not in types and not (ty == 'integer' and 'number' in types):
                if 'enum' in s and v in s['enum']:
                    continue
                return v
        return {'x': 1}


def first_string_member(c, schema):
    s = c.resolve(schema)
    for name, sub in s.get('properties', {}).items():
        sub = c.resolve(sub)
        t = sub.get('type')
        if (t == 'string' or (isinstance(t, list) and 'string' in t)) and 'enum' not in sub and 'pattern' not in sub:
            return name
    return None


def requests_for(c, gen, rnd, template, method, op, item, ids):
    """(label, method, target, headers, body bytes or None, broken) for one operation."""
    out = []
    params = [c.resolve(p) for p in item.get('parameters', []) + op.get('parameters', [])]
    path_params = [p for p in params if p['in'] == 'path']
    query = [p for p in params if p['in'] == 'query']

    def path_with(values):
        t = template
        for p in path_params:
            t = t.replace('{%s}' % p['name'], quote(str(values.get(p['name'])), safe=''))
        return t

    def good_path():
        vals = {}
        for p in path_params:
            if p['name'] == 'token':
                vals['token'] = ids.get('token') or gen.valid(p['schema'])
            elif p['name'] == 'number':
                vals['number'] = rnd.choice([1, 1, 2])
            elif template.startswith('/api/v1/questions/'):
                vals['id'] = rnd.choice(ids.get('question_ids') or [1])
            else:
                vals['id'] = rnd.choice(ids.get('article_ids') or [1])
        return path_with(vals)

    def good_query():
        q = []
        for p in query:
            if rnd.random() < 0.5:
                q.append((p['name'], gen.valid(p['schema'])))
        return q

    def target(path, q):
        return path + ('?' + '&'.join('%s=%s' % (k, quote(str(v), safe='')) for k, v in q) if q else '')

    body_schema = None
    if 'requestBody' in op:
        body_schema = op['requestBody']['content']['application/json']['schema']

    def good_body():
        return json.dumps(gen.valid(body_schema)).encode() if body_schema else None

    hdr = {}
    if body_schema:
        hdr['Content-Type'] = 'application/json'
    if method == 'put':
        hdr['If-Match'] = '"rev-%s-1"' % (ids.get('article_ids') or [1])[0]
    if method == 'options':
        hdr = {'Origin': rnd.choice(['http://127.0.0.1:9999', 'http://evil.example']),
               'Access-Control-Request-Method': rnd.choice(['GET', 'POST', 'PUT', 'DELETE', 'BREW'])}

    for _ in range(3):
        out.append(('valid', method, target(good_path(), good_query()), dict(hdr), good_body(), False))
    if method == 'get':
        out.append(('valid', 'head', target(good_path(), good_query()), dict(hdr), None, False))
    if method == 'options':
        return out
    # broken query parameters
    out.append(('unknown parameter', method, target(good_path(), good_query() + [('zz_unknown', '1')]), dict(hdr),
                good_body(), True))
    for p in query:
        s = c.resolve(p['schema'])
        bad = []
        if s.get('type') == 'integer':
            bad = [s.get('maximum', 10 ** 6) + 1, s.get('minimum', 1) - 1, 'abc', '1.5', '']
        elif 'enum' in s:
            bad = ['zz-not-listed', '']
        elif s.get('maxLength'):
            bad = ['x' * (s['maxLength'] + 1)]
        elif s.get('pattern'):
            bad = ['not-a-time', '2025-02-30T25:00:00Z']
        for v in bad[:2]:
            out.append(('bad %s=%r' % (p['name'], v), method, target(good_path(), [(p['name'], v)]), dict(hdr),
                        good_body(), True))
        out.append(('%s twice' % p['name'], method,
                    target(good_path(), [(p['name'], gen.valid(p['schema'])), (p['name'], gen.valid(p['schema']))]),
                    dict(hdr), good_body(), True))
    # broken path parameters: these are 404s, never 5xx
    for p in path_params:
        for v in ('0', '99999999', 'abc', '-1', '%FF'):
            path = path_with({q['name']: (v if q is p else '1') for q in path_params}).replace('%25FF', '%FF')
            out.append(('path %s=%s' % (p['name'], v), method, path, dict(hdr), good_body(), True))
    if not body_schema:
        return out
    # broken bodies
    good = gen.valid(body_schema)
    variants = [
        ('unknown member', dict(good, zz_unknown=1)),
        ('an array body', [good]),
        ('a string body', 'text'),
    ]
    for name, sub in c.resolve(body_schema).get('properties', {}).items():
        variants.append(('%s of a wrong type' % name, dict(good, **{name: gen.wrong(sub)})))
    sm = first_string_member(c, body_schema)
    if sm:
        variants.append(('a control character in %s' % sm, dict(good, **{sm: 'bell\u0007'})))
    for name, doc in variants:
        out.append((name, method, target(good_path(), []), dict(hdr), json.dumps(doc).encode(), True))
    raw = json.dumps(good)
    k = next(iter(good), None)
    if k is not None:
        dup = raw[:-1] + ', %s: %s}' % (json.dumps(k), json.dumps(good[k]))
        out.append(('duplicate key', method, target(good_path(), []), dict(hdr), dup.encode(), True))
    out.append(('not JSON', method, target(good_path(), []), dict(hdr), b'{"question": ', True))
    out.append(('invalid UTF-8', method, target(good_path(), []), dict(hdr), b'{"question": "\xff\xfe"}', True))
    out.append(('a form body', method, target(good_path(), []), {'Content-Type': 'application/x-www-form-urlencoded'},
                b'question=x', True))
    out.append(('an empty body', method, target(good_path(), []), dict(hdr), b'', True))
    if method == 'put':
        for im in ('*', '"rev-0-0"', ''):
            h = dict(hdr, **{'If-Match': im})
            if im == '':
                del h['If-Match']
            out.append(('If-Match %r' % im, method, target(good_path(), []), h, good_body(), True))
    if any(c.resolve(p).get('name') == 'Idempotency-Key' for p in op.get('parameters', [])):
        for key in ('k' * 256, 'has space', 'tab\there'):
            out.append(('Idempotency-Key %r' % key[:10], method, target(good_path(), []),
                        dict(hdr, **{'Idempotency-Key': key}), good_body(), True))
        out.append(('Idempotency-Key', method, target(good_path(), []), dict(hdr, **{'Idempotency-Key': 'prop-%d' % rnd.randint(0, 3)}),
                    good_body(), False))
    return out


def main(tap):
    seed = int(os.environ.get('EVQA_PROPERTY_SEED') or 20261201)
    tap.diag('EVQA_PROPERTY_SEED=%d' % seed)
    rnd = random.Random(seed)
    c = Contract(document_path(top_srcdir()))
    gen = Gen(c, rnd)
    with Server(tap, extra_args=['--question-rate', '0', '--cors-origin', 'http://127.0.0.1:9999']) as srv:
        for email, name, role in (('ed@x.org', 'Edna Editor', 'editor'), ('au@x.org', 'Arno Author', 'author')):
            p = add_user(srv, email, name, role)
            tap.ok(p.returncode == 0, 'evqa user add makes the %s account' % role, p.stderr)
        creds = {'none': {}, 'editor': {'Authorization': 'Bearer %s' % add_token(srv, 'ed@x.org')},
                 'author': {'Authorization': 'Bearer %s' % add_token(srv, 'au@x.org')},
                 'bad token': {'Authorization': 'Bearer ' + '0' * 64}}
        q = srv.request('POST', '/api/v1/questions', body=json.dumps({'question': 'What helps chronic pain?'}),
                        headers={'Content-Type': 'application/json'})
        ids = {'article_ids': [1, 2, 3], 'question_ids': [1], 'token': q.json().get('token') if q.status in (200, 201) else None}

        ops = []
        for template, item in c.doc['paths'].items():
            for method, op in item.items():
                if method != 'parameters':
                    ops.append((template, method, op, item))
        plan = []
        for template, method, op, item in ops:
            reqs = requests_for(c, gen, rnd, template, method, op, item, ids)
            rnd.shuffle(reqs)
            plan += [(template, method, r) for r in reqs[:PER_OPERATION]]
        rnd.shuffle(plan)
        deadline = time.monotonic() + MAX_SECONDS
        sent, fives, accepted_broken, ops_seen = 0, [], [], set()
        for template, op_method, (label, method, tgt, headers, body, broken) in plan[:MAX_REQUESTS]:
            if time.monotonic() > deadline:
                break
            who = rnd.choice(list(creds))
            h = dict(headers, **creds[who])
            r = srv.request(method.upper(), tgt, body=body, headers=h)
            sent += 1
            ops_seen.add((template, op_method))
            what = '%s %s (%s, %s)' % (method.upper(), tgt[:100], label, who)
            if r.status >= 500 or r.status < 100:
                fives.append('%s -> %s' % (what, r.summary(300)))
            elif broken and r.status < 400:
                accepted_broken.append('%s -> %s' % (what, r.status))
        tap.ok(sent >= min(len(plan), 200), 'sent %d generated requests to %d operations in %d s at most'
               % (sent, len(ops_seen), MAX_SECONDS), 'planned %d' % len(plan))
        tap.eq(len(ops_seen), len(ops), 'every operation of the document was exercised')
        tap.ok(not fives, 'no generated request got a 5xx', '\n'.join(fives[:10]))
        tap.ok(not accepted_broken, 'every broken request was refused with a 4xx', '\n'.join(accepted_broken[:20]))
        r = srv.get('/healthz')
        tap.eq(r.status, 200, 'the server still answers after the generated requests')


if __name__ == '__main__':
    run(main)
