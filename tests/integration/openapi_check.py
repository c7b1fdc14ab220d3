# openapi_check.py: checks an HTTP reply from /api/ against the OpenAPI document docs/openapi.json:
# that its address and method are documented, that its status is one the operation lists, that the
# headers the document requires are there and well-formed, and that its Content-Type and body match
# the response's schema (JSON Schema 2020-12, with python3-jsonschema). Addresses that are not in the
# document must answer 404, and methods an address does not take 405, as problem+json.

import json
import os
import re
import warnings

try:
    import jsonschema
    from jsonschema import Draft202012Validator
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        from jsonschema import RefResolver
except ImportError:             # reported by Contract.available
    jsonschema = None

METHODS = ('get', 'put', 'post', 'delete', 'options', 'head', 'patch')


def document_path(srcdir):
    return os.path.join(srcdir, 'docs', 'openapi.json')


class Contract:
    """The document, with its paths compiled to patterns. check() returns a list of problems ([] when
    the reply follows the document)."""

    def __init__(self, path):
        with open(path, encoding='utf-8') as f:
            self.doc = json.load(f)
        self.paths = []
        for template, item in self.doc['paths'].items():
            parts = template.split('/')
            rx = '/'.join('[^/]+' if re.fullmatch(r'\{[^}]+\}', p) else re.escape(p) for p in parts)
            literal = sum(1 for p in parts if not p.startswith('{'))
            self.paths.append((re.compile('^' + rx + '$'), template, item, literal))
        # literal segments win over templated ones (/questions/{token} vs a fixed name)
        self.paths.sort(key=lambda t: -t[3])
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', DeprecationWarning)
            self.resolver = RefResolver('', self.doc) if jsonschema else None
        self._validators = {}

    @staticmethod
    def available():
        return jsonschema is not None

    def resolve(self, node):
        seen = 0
        while isinstance(node, dict) and '$ref' in node:
            ptr = node['$ref']
            if not ptr.startswith('#/'):
                raise ValueError('only local $ref: %s' % ptr)
            node = self.doc
            for part in ptr[2:].split('/'):
                node = node[part.replace('~1', '/').replace('~0', '~')]
            seen += 1
            if seen > 20:
                raise ValueError('$ref loop at %s' % ptr)
        return node

    def _errors(self, schema, value):
        key = json.dumps(schema, sort_keys=True)
        v = self._validators.get(key)
        if v is None:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore', DeprecationWarning)
                v = Draft202012Validator(schema, resolver=self.resolver)
            self._validators[key] = v
        out = []
        for e in sorted(v.iter_errors(value), key=lambda e: list(e.absolute_path)):
            where = ''.join('[%r]' % p for p in e.absolute_path) or '(body)'
            out.append('%s: %s' % (where, e.message[:300]))
            if len(out) >= 5:
                break
        return out

    def match(self, path):
        for rx, template, item, _ in self.paths:
            if rx.match(path):
                return template, item
        return None, None

    def operation(self, method, path):
        """(template, operation or None, path item or None)."""
        template, item = self.match(path)
        if item is None:
            return None, None, None
        m = method.lower()
        op = item.get(m) or (item.get('get') if m == 'head' else None)
        return template, op, item

    def check(self, method, target, reply):
        path = target.split('?', 1)[0]
        template, op, item = self.operation(method, path)
        status = reply.status
        if item is None:
            if status != 404:
                return ['%s is not in the document, and answered %s, not 404' % (path, status)]
            return self._check_problem(reply)
        if op is None:
            if status != 405:
                return ['%s %s is not in the document, and answered %s, not 405' % (method, template, status)]
            problems = self._check_problem(reply)
            if not reply.headers.get('allow'):
                problems.append('405 without Allow')
            return problems
        where = '%s %s' % (method, template)
        resp = op.get('responses', {}).get(str(status))
        if resp is None:
            return ['%s answered %s, which the document does not list (it lists %s)'
                    % (where, status, ', '.join(sorted(op.get('responses', {}))))]
        resp = self.resolve(resp)
        problems = []
        for name, h in (resp.get('headers') or {}).items():
            h = self.resolve(h)
            value = reply.headers.get(name.lower())
            if value is None:
                if h.get('required'):
                    problems.append('%s %s: the required header %s is missing' % (where, status, name))
                continue
            if 'schema' in h:
                problems += ['%s %s: header %s %r: %s' % (where, status, name, value, e)
                             for e in self._errors(h['schema'], value)]
        content = resp.get('content')
        if method.upper() == 'HEAD' or status in (204, 304):
            if reply.body:
                problems.append('%s %s: a body where the document has none' % (where, status))
            return problems
        if not content:
            if reply.body:
                problems.append('%s %s: a body where the document has none' % (where, status))
            return problems
        ctype = reply.content_type
        if ctype not in content:
            return problems + ['%s %s: Content-Type %r, the document has %s'
                               % (where, status, ctype, ', '.join(content))]
        try:
            body = json.loads(reply.body.decode('utf-8'))
        except ValueError as e:
            return problems + ['%s %s: the body is not JSON (%s)' % (where, status, e)]
        schema = content[ctype].get('schema')
        if schema is not None:
            problems += ['%s %s: %s' % (where, status, e) for e in self._errors(schema, body)]
        if ctype == 'application/problem+json' and isinstance(body, dict) and body.get('status') != status:
            problems.append('%s %s: the problem says status %r' % (where, status, body.get('status')))
        return problems

    def _check_problem(self, reply):
        if reply.content_type != 'application/problem+json':
            return ['%s: Content-Type %r, not application/problem+json' % (reply.status, reply.content_type)]
        try:
            body = json.loads(reply.body.decode('utf-8'))
        except ValueError as e:
            return ['the problem is not JSON (%s)' % e]
        return self._errors({'$ref': '#/components/schemas/Problem'}, body)
