# editor_client.py: helpers for the editorial tests: accounts made with `evqa user add` / `evqa token
# add` against a test server's database, and a browser-like client that keeps cookies and sends forms
# with their form token and the Sec-Fetch-Site header a browser sends. Python 3 standard library only.

import re
import subprocess
from urllib.parse import urlencode

from harness import evqa_bin

PASSWORD = 'correct horse battery staple'


def add_user(srv, email, name, role, credential='', password=PASSWORD):
    """Create an account with the CLI (password on standard input). Returns the CompletedProcess."""
    args = [evqa_bin(), 'user', 'add', '--db', srv.db, '--email', email, '--name', name, '--role', role]
    if credential:
        args += ['--credential', credential]
    return subprocess.run(args, input=password + '\n', text=True, capture_output=True, timeout=30)


def add_token(srv, email):
    p = subprocess.run([evqa_bin(), 'token', 'add', '--db', srv.db, '--email', email], text=True,
                       capture_output=True, timeout=30)
    return p.stdout.strip() if p.returncode == 0 else None


class Browser:
    """Keeps the cookies a server sets (name -> value) and sends them back."""

    def __init__(self, srv):
        self.srv = srv
        self.cookies = {}

    def _store(self, reply):
        for v in reply.all('set-cookie'):
            name, _, rest = v.partition('=')
            value = rest.split(';')[0]
            if re.search(r'Max-Age=0\b', v):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value

    def headers(self, extra=None):
        """The cookies and what a current browser sends with a request from this site's own pages:
        Sec-Fetch-Site: same-origin (give it as None in extra to leave it out)."""
        h = {'Sec-Fetch-Site': 'same-origin'}
        h.update(extra or {})
        h = {k: v for k, v in h.items() if v is not None}
        if self.cookies:
            h['Cookie'] = '; '.join('%s=%s' % kv for kv in self.cookies.items())
        return h

    def get(self, path, headers=None):
        r = self.srv.get(path, headers=self.headers(headers))
        self._store(r)
        return r

    @property
    def csrf(self):
        return self.cookies.get('evqa_csrf', '')

    def post(self, path, fields, headers=None, csrf=True):
        data = dict(fields)
        if csrf and 'csrf' not in data:
            data['csrf'] = self.csrf
        h = self.headers(headers)
        h['Content-Type'] = 'application/x-www-form-urlencoded'
        r = self.srv.request('POST', path, body=urlencode(data), headers=h)
        self._store(r)
        return r

    def login(self, email, password=PASSWORD, next_path=None):
        """GET the login form (for its form token), then POST it. Returns the POST's reply."""
        self.get('/editor/login')
        fields = {'email': email, 'password': password}
        if next_path is not None:
            fields['next'] = next_path
        return self.post('/editor/login', fields)
