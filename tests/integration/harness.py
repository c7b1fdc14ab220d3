# harness.py: shared pieces of the integration tests: TAP output, a Server fixture that runs the real
# evqa binary behind the real nginx in a fresh temporary directory, HTTP / raw-socket / FastCGI clients
# and a small HTML tree for asserting on the page markup. Python 3 standard library only.
#
# Environment: EVQA_BIN (the built binary, default $top_builddir/cgi/evqa), top_srcdir, top_builddir
# (automake exports them; srcdir is used when top_srcdir is not set), NGINX (nginx binary, default from
# PATH), TMPDIR (where the temporary directories go, default the build directory), EVQA_KEEP_TMP=1 keeps
# the temporary directories for inspection.
#
# Every reply to an /api/ request made through Server.request() is checked against the OpenAPI document
# (openapi_check.py, python3-jsonschema): a reply that drifts from the document is a failed test line.

import http.client
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from html.parser import HTMLParser

import openapi_check

HERE = os.path.dirname(os.path.abspath(__file__))

# A Unix socket path must fit in sun_path (108 bytes on Linux, 104 on the BSDs).
SOCKET_PATH_MAX = 100


def top_srcdir():
    for var in ('top_srcdir', 'srcdir'):
        v = os.environ.get(var)
        if v:
            return os.path.abspath(v)
    return os.path.dirname(os.path.dirname(HERE))


def top_builddir():
    v = os.environ.get('top_builddir')
    return os.path.abspath(v) if v else os.getcwd()


def evqa_bin():
    v = os.environ.get('EVQA_BIN')
    return os.path.abspath(v) if v else os.path.join(top_builddir(), 'cgi', 'evqa')


def nginx_bin():
    v = os.environ.get('NGINX')
    if v:
        return v if os.access(v, os.X_OK) else shutil.which(v)
    extra = os.pathsep.join(['/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/local/nginx/sbin'])
    return shutil.which('nginx', path=os.environ.get('PATH', '') + os.pathsep + extra)


class Skip(Exception):
    """Raised before any test line when the environment cannot run this file (TAP `1..0 # SKIP`)."""


class SetupError(Exception):
    """The fixture could not be brought up: a failure, not a skip."""


class Abort(Exception):
    """The failure has already been reported as a TAP line; stop the test file."""


# ----------------------------------------------------------------------------------------------- TAP

class TAP:
    """TAP producer. The plan is printed at the end, by done()."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, diag=''):
        self.n += 1
        cond = bool(cond)
        name = ' '.join(str(name).split()).replace('#', '\\#')
        print('%s %d - %s' % ('ok' if cond else 'not ok', self.n, name))
        if not cond:
            self.failed += 1
            self.diag(diag)
        sys.stdout.flush()
        return cond

    def eq(self, got, want, name, diag=''):
        """ok(got == want) with both values as diagnostics."""
        extra = ('\n' + diag) if diag else ''
        return self.ok(got == want, name, 'got:      %r\nexpected: %r%s' % (got, want, extra))

    def skip(self, name, reason):
        self.n += 1
        print('ok %d - %s # SKIP %s' % (self.n, ' '.join(name.split()).replace('#', '\\#'), reason))
        sys.stdout.flush()

    def diag(self, text):
        for line in str(text).splitlines():
            print('# ' + line)
        sys.stdout.flush()

    def done(self):
        print('1..%d' % self.n)
        sys.stdout.flush()
        sys.exit(1 if self.failed else 0)


def run(main):
    """Run main(tap), turning Skip into `1..0 # SKIP` and any other exception into a failed test."""
    tap = TAP()
    try:
        main(tap)
    except Abort:
        pass
    except Skip as e:
        if tap.n == 0:
            print('1..0 # SKIP %s' % e)
            sys.exit(0)
        tap.ok(False, 'test file ran to completion', 'skipped halfway: %s' % e)
    except Exception:
        tap.ok(False, 'test file ran to completion', traceback.format_exc())
    tap.done()


# -------------------------------------------------------------------------------------- HTTP replies

class Reply(tuple):
    """(status, headers, body): headers is a dict with lower-case names, repeated headers joined by ', '.
    header_list keeps every (name, value) pair as received."""

    def __new__(cls, status, headers, body, header_list=()):
        self = tuple.__new__(cls, (status, headers, body))
        self.header_list = list(header_list)
        return self

    status = property(lambda self: self[0])
    headers = property(lambda self: self[1])
    body = property(lambda self: self[2])

    @property
    def text(self):
        return self[2].decode('utf-8', 'replace')

    def json(self):
        return json.loads(self[2].decode('utf-8'))

    def all(self, name):
        name = name.lower()
        return [v for k, v in self.header_list if k.lower() == name]

    @property
    def content_type(self):
        return self[1].get('content-type', '').split(';')[0].strip().lower()

    def summary(self, limit=600):
        """Status, headers and the start of the body, for diagnostics."""
        lines = ['HTTP %s' % self[0]] + ['%s: %s' % kv for kv in self.header_list]
        body = self.text
        if len(body) > limit:
            body = body[:limit] + '... (%d bytes)' % len(self[2])
        return '\n'.join(lines) + '\n\n' + body


def _join_headers(pairs):
    d = {}
    for k, v in pairs:
        k = k.lower()
        d[k] = d[k] + ', ' + v if k in d else v
    return d


def parse_http_response(data):
    """Parse one raw HTTP/1.x response (as read until the server closed) into a Reply; None if empty."""
    if not data:
        return None
    head, sep, rest = data.partition(b'\r\n\r\n')
    lines = head.decode('iso-8859-1').split('\r\n')
    m = re.match(r'HTTP/\d\.\d\s+(\d{3})', lines[0])
    if not m:
        return Reply(0, {}, data, [])
    pairs = []
    for line in lines[1:]:
        k, _, v = line.partition(':')
        pairs.append((k.strip(), v.strip()))
    headers = _join_headers(pairs)
    body = rest
    if 'chunked' in headers.get('transfer-encoding', '').lower():
        out, pos = b'', 0
        while True:
            eol = body.find(b'\r\n', pos)
            if eol < 0:
                break
            size = int(body[pos:eol].split(b';')[0] or b'0', 16)
            if size == 0:
                break
            out += body[eol + 2:eol + 2 + size]
            pos = eol + 2 + size + 2
        body = out
    elif 'content-length' in headers:
        try:
            body = body[:int(headers['content-length'])]
        except ValueError:
            pass
    return Reply(int(m.group(1)), headers, body, pairs)


# ------------------------------------------------------------------------------------------ FastCGI

FCGI_BEGIN_REQUEST, FCGI_END_REQUEST, FCGI_PARAMS, FCGI_STDIN, FCGI_STDOUT, FCGI_STDERR = 1, 3, 4, 5, 6, 7
FCGI_RESPONDER = 1


def fcgi_record(rtype, req_id, content=b''):
    pad = (8 - len(content) % 8) % 8
    return struct.pack('!BBHHBx', 1, rtype, req_id, len(content), pad) + content + b'\0' * pad


def _fcgi_len(n):
    return struct.pack('!B', n) if n < 128 else struct.pack('!I', n | 0x80000000)


def fcgi_pairs(params):
    out = b''
    for k, v in params.items():
        k, v = k.encode('latin-1'), v.encode('latin-1')
        out += _fcgi_len(len(k)) + _fcgi_len(len(v)) + k + v
    return out


def fcgi_params(method, uri, body=b'', content_type=''):
    """The CGI variables nginx's stock fastcgi_params sends, for a request to `uri` (path?query)."""
    path, _, query = uri.partition('?')
    return {
        'QUERY_STRING': query, 'REQUEST_METHOD': method, 'CONTENT_TYPE': content_type,
        'CONTENT_LENGTH': str(len(body)) if body else '', 'SCRIPT_NAME': path, 'REQUEST_URI': uri,
        'DOCUMENT_URI': path, 'DOCUMENT_ROOT': '/nonexistent', 'SERVER_PROTOCOL': 'HTTP/1.1',
        'REQUEST_SCHEME': 'http', 'GATEWAY_INTERFACE': 'CGI/1.1', 'SERVER_SOFTWARE': 'evqa-tests',
        'REMOTE_ADDR': '127.0.0.1', 'REMOTE_PORT': '40000', 'SERVER_ADDR': '127.0.0.1',
        'SERVER_PORT': '80', 'SERVER_NAME': 'localhost', 'HTTP_HOST': 'localhost',
    }


def fcgi_request_bytes(method, uri, body=b'', req_id=1):
    """BEGIN_REQUEST (responder, no keep-conn), PARAMS, empty PARAMS, STDIN body, empty STDIN."""
    out = fcgi_record(FCGI_BEGIN_REQUEST, req_id, struct.pack('!HB5x', FCGI_RESPONDER, 0))
    pairs = fcgi_pairs(fcgi_params(method, uri, body))
    for i in range(0, len(pairs), 65535):
        out += fcgi_record(FCGI_PARAMS, req_id, pairs[i:i + 65535])
    out += fcgi_record(FCGI_PARAMS, req_id)
    if body:
        out += fcgi_record(FCGI_STDIN, req_id, body)
    out += fcgi_record(FCGI_STDIN, req_id)
    return out


class FcgiReply:
    """What came back on a FastCGI connection: stdout and stderr streams, the END_REQUEST record
    (app_status, protocol_status) or None when the connection ended without one."""

    def __init__(self, stdout, stderr, end, error=None):
        self.stdout, self.stderr, self.end, self.error = stdout, stderr, end, error

    @property
    def complete(self):
        return self.end is not None and self.end[1] == 0

    def http(self):
        """The CGI response in stdout as a Reply (Status header -> status, default 200)."""
        data = self.stdout
        sep = b'\r\n\r\n' if b'\r\n\r\n' in data else b'\n\n'
        head, _, body = data.partition(sep)
        pairs = []
        for line in head.decode('iso-8859-1').splitlines():
            k, _, v = line.partition(':')
            if k:
                pairs.append((k.strip(), v.strip()))
        headers = _join_headers(pairs)
        status = int(headers.get('status', '200').split()[0] or 200)
        return Reply(status, headers, body, pairs)

    def __repr__(self):
        return 'FcgiReply(stdout=%r, stderr=%r, end=%r, error=%r)' % (
            self.stdout[:300], self.stderr[:300], self.end, self.error)


def fcgi_read_reply(sock, req_id=1):
    """Read records until END_REQUEST for req_id or until the peer closes."""
    buf, stdout, stderr, end, error = b'', b'', b'', None, None
    try:
        while end is None:
            chunk = sock.recv(65536)
            if not chunk:
                break
            buf += chunk
            while len(buf) >= 8:
                _, rtype, rid, clen, plen = struct.unpack('!BBHHBx', buf[:8])
                if len(buf) < 8 + clen + plen:
                    break
                content, buf = buf[8:8 + clen], buf[8 + clen + plen:]
                if rid != req_id:
                    continue
                if rtype == FCGI_STDOUT:
                    stdout += content
                elif rtype == FCGI_STDERR:
                    stderr += content
                elif rtype == FCGI_END_REQUEST:
                    end = struct.unpack('!IB3x', content[:8])
    except OSError as e:
        error = e
    return FcgiReply(stdout, stderr, end, error)


def fcgi_call(sock_path, method, uri, body=b'', timeout=5):
    """One FastCGI request over a new connection to the Unix socket sock_path."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(sock_path)
        s.sendall(fcgi_request_bytes(method, uri, body))
        return fcgi_read_reply(s)
    finally:
        s.close()


# --------------------------------------------------------------------------------- process helpers

def stop_process(proc, sig=signal.SIGTERM, timeout=5.0):
    """Signal proc by its PID, wait up to timeout, then SIGKILL its process group. Returns the exit
    status (negative: killed by that signal) and whether it exited by itself in time."""
    if proc is None:
        return None, True
    if proc.poll() is None:
        try:
            os.kill(proc.pid, sig)
        except ProcessLookupError:
            pass
    try:
        return proc.wait(timeout), True
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
        return proc.wait(), False


def tail(path, lines=40):
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError as e:
        return '(cannot read %s: %s)' % (path, e.strerror)
    text = data.decode('utf-8', 'replace').splitlines()
    return '\n'.join(text[-lines:]) if text else '(empty)'


def make_tempdir(prefix='evqa-it-'):
    """A fresh directory under $TMPDIR or the build directory, short enough to hold a Unix socket."""
    base = os.environ.get('TMPDIR') or top_builddir()
    d = None
    if os.path.isdir(base) and os.access(base, os.W_OK):
        d = tempfile.mkdtemp(prefix=prefix, dir=base)
        if len(os.path.join(d, 'evqa.sock')) > SOCKET_PATH_MAX:
            os.rmdir(d)
            d = None
    if d is None:
        d = tempfile.mkdtemp(prefix=prefix, dir='/tmp' if os.path.isdir('/tmp') else None)
    return d


def require_binary():
    b = evqa_bin()
    if not (os.path.isfile(b) and os.access(b, os.X_OK)):
        raise Skip('evqa binary not built: %s' % b)
    return b


def run_evqa(args, timeout=20, **kw):
    """Run the binary to completion; returns CompletedProcess with text stdout/stderr."""
    return subprocess.run([evqa_bin()] + list(args), stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, errors='replace', timeout=timeout, **kw)


# ------------------------------------------------------------------------------------------- Server

class Server:
    """evqa (FastCGI on a Unix socket, demo database) behind nginx on a free loopback port.

    with Server(tap, extra_args=['--cors-origin', 'http://x']) as srv:
        status, headers, body = srv.get('/healthz')

    Exceptions inside the block are recorded as a failed test; when any test of the file failed, the
    tails of the logs are printed as TAP diagnostics.
    """

    def __init__(self, tap=None, extra_args=(), threads=4, nginx=True, demo=True, before_serve=None,
                 preexec=None, ready_status=(200,), clock=False):
        # before_serve(server): called after `evqa init`, before `evqa serve` starts; preexec: run in
        # the child before evqa serve (to drop privileges or set limits); ready_status: the /healthz
        # statuses that count as started; clock: evqa serve runs on the test clock (EVQA_TEST_CLOCK),
        # which move_clock() moves, instead of waiting for time to pass.
        self.clock = clock
        self.before_serve = before_serve
        self.preexec = preexec
        self.ready_status = tuple(ready_status)
        self.tap = tap
        self.extra_args = list(extra_args)
        self.threads = threads
        self.use_nginx = nginx
        self.demo = demo
        self.dir = None
        self.evqa = None
        self.nginx = None
        self.port = None
        self.evqa_exit = None
        self.contract_checked = 0
        # set by a test that makes evqa fail on purpose (allocation failures): its 5xx replies are
        # what it checks, not the document's business
        self.faults_injected = False
        self.contract_failed = []      # (what, diagnostics) of replies that did not follow the document
        self.contract_lock = threading.Lock()

    # paths
    def path(self, name):
        return os.path.join(self.dir, name)

    @property
    def db(self):
        return self.path('evqa.db')

    @property
    def sock(self):
        return self.path('evqa.sock')

    # the test clock
    @property
    def clock_file(self):
        return self.path('clock')

    def move_clock(self, seconds):
        """Moves evqa's clock on by a whole number of seconds (a server started with clock=True)."""
        if not self.clock:
            raise SetupError('move_clock() needs Server(clock=True)')
        with open(self.clock_file, encoding='ascii') as f:
            offset = int(f.read()) + int(seconds)
        self._write_clock(offset)

    def _write_clock(self, offset):
        # evqa reads the file at every look at the clock: replaced whole, never seen half-written
        tmp = self.clock_file + '.tmp'
        with open(tmp, 'w', encoding='ascii') as f:
            f.write('%d\n' % offset)
        os.replace(tmp, self.clock_file)

    def _serve_env(self):
        env = dict(os.environ)
        env.pop('EVQA_TEST_CLOCK', None)
        if self.clock:
            env['EVQA_TEST_CLOCK'] = self.clock_file
        return env

    def __enter__(self):
        binary = require_binary()
        nginx = None
        if self.use_nginx:
            nginx = nginx_bin()
            if not nginx:
                raise Skip('nginx not found in PATH')
            for t in ('nginx-dev.conf.in', 'evqa-site.conf.in'):
                if not os.path.isfile(os.path.join(top_srcdir(), 'conf', t)):
                    raise SetupError('missing template %s' % os.path.join(top_srcdir(), 'conf', t))
        self.dir = make_tempdir()
        try:
            self._start(binary, nginx)
        except BaseException as e:
            self._stop()
            if self.tap is None or isinstance(e, (Skip, KeyboardInterrupt)):
                self._cleanup()
                raise
            what = 'evqa starts and answers GET /healthz' + (' through nginx' if self.use_nginx else '')
            self.tap.ok(False, what, e if isinstance(e, SetupError) else traceback.format_exc())
            self._report_logs(force=True)
            self._cleanup()
            raise Abort() from e
        return self

    def _start(self, binary, nginx):
        args = ['init', '--db', self.db] + (['--demo'] if self.demo else [])
        p = run_evqa(args)
        if p.returncode != 0:
            raise SetupError('evqa %s exited %d\nstdout: %s\nstderr: %s'
                             % (' '.join(args), p.returncode, p.stdout, p.stderr))
        if self.before_serve is not None:
            self.before_serve(self)
        if self.clock:
            self._write_clock(0)
        log = open(self.path('evqa.log'), 'wb')
        try:
            self.evqa = subprocess.Popen(
                [binary, 'serve', '--db', self.db, '--socket', self.sock, '--threads', str(self.threads)]
                + self.extra_args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=self.preexec, env=self._serve_env())
        finally:
            log.close()
        self._wait_socket()
        if not self.use_nginx:
            return
        for attempt in range(3):
            self.port = free_port()
            self._render_conf()
            self._start_nginx(nginx)
            if self._wait_ready():
                return
            if self.nginx.poll() is not None and 'in use' in tail(self.path('nginx-error.log')):
                continue        # lost the race for the port: try another one
            break
        raise SetupError('server did not answer GET /healthz with 200 within 10 s')

    def restart_evqa(self, sig=signal.SIGKILL):
        """Ends evqa with sig (SIGKILL: a crash) and starts it again on the same database and socket.
        Returns the old process's exit status."""
        code, _ = stop_process(self.evqa, sig)
        log = open(self.path('evqa.log'), 'ab')
        try:
            self.evqa = subprocess.Popen(
                [require_binary(), 'serve', '--db', self.db, '--socket', self.sock, '--threads', str(self.threads)]
                + self.extra_args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=self.preexec, env=self._serve_env())
        finally:
            log.close()
        self._wait_socket()
        return code

    def _render_conf(self):
        static = os.path.join(top_srcdir(), 'static')
        subst = {
            '@PORT@': str(self.port), '@SOCKET@': self.sock, '@STATIC_DIR@': static,
            '@CACHE_DIR@': self.path('cache'),
            '@RUN_DIR@': self.dir, '@LOG_DIR@': self.dir, '@SITE_CONF@': self.path('evqa-site.conf'),
            '@USER_LINE@': 'user root;' if os.geteuid() == 0 else '',
        }
        for src, dst in (('nginx-dev.conf.in', 'nginx.conf'), ('evqa-site.conf.in', 'evqa-site.conf')):
            with open(os.path.join(top_srcdir(), 'conf', src), encoding='utf-8') as f:
                text = f.read()
            for k, v in subst.items():
                text = text.replace(k, v)
            left = sorted(set(re.findall(r'@[A-Z_]+@', text)))
            if left:
                raise SetupError('conf/%s has placeholders the harness does not fill: %s'
                                 % (src, ', '.join(left)))
            with open(self.path(dst), 'w', encoding='utf-8') as f:
                f.write(text)

    def _start_nginx(self, nginx):
        if self.nginx is not None:
            stop_process(self.nginx)
        out = open(self.path('nginx.out'), 'ab')
        try:
            self.nginx = subprocess.Popen(
                [nginx, '-p', self.dir, '-e', self.path('nginx-error.log'), '-c', self.path('nginx.conf'),
                 '-g', 'daemon off;'],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            out.close()

    def _wait_socket(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evqa.poll() is not None:
                raise SetupError('evqa serve exited with status %s' % self.evqa.returncode)
            if os.path.exists(self.sock):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    s.connect(self.sock)
                    return
                except OSError:
                    pass
                finally:
                    s.close()
            time.sleep(0.02)
        raise SetupError('evqa serve did not listen on %s within %g s' % (self.sock, timeout))

    def _wait_ready(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evqa.poll() is not None:
                raise SetupError('evqa serve exited with status %s' % self.evqa.returncode)
            if self.nginx.poll() is not None:
                return False
            try:
                if self.get('/healthz', timeout=1).status in self.ready_status:
                    return True
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        return False

    def __exit__(self, etype, evalue, tb):
        suppress = False
        if etype is not None and not issubclass(etype, (Skip, KeyboardInterrupt, Abort)):
            if self.tap is not None:
                self.tap.ok(False, 'test file ran to completion',
                            ''.join(traceback.format_exception(etype, evalue, tb)))
                suppress = True
        self._stop()
        if self.tap is not None and self.contract_checked:
            for what, diag in self.contract_failed[:20]:
                self.tap.ok(False, what, diag)
            self.tap.ok(not self.contract_failed, 'the %d replies from /api/ follow docs/openapi.json'
                        % self.contract_checked, '%d did not' % len(self.contract_failed))
        self._report_logs()
        self._cleanup()
        return suppress

    def _stop(self):
        stop_process(self.nginx)
        code, _ = stop_process(self.evqa)
        self.evqa_exit = code

    def _report_logs(self, force=False):
        if self.dir is None:
            return
        failed = force or (self.tap is not None and self.tap.failed)
        if not failed:
            return
        out = self.tap.diag if self.tap is not None else (lambda t: sys.stderr.write(t + '\n'))
        for name, lines in (('evqa.log', 40), ('nginx-error.log', 40), ('nginx.out', 10), ('nginx-access.log', 20)):
            if os.path.exists(self.path(name)):
                out('--- tail of %s ---\n%s' % (name, tail(self.path(name), lines)))
        if self.evqa_exit not in (None, 0):
            out('evqa serve exit status: %s' % self.evqa_exit)

    def _cleanup(self):
        if self.dir and not os.environ.get('EVQA_KEEP_TMP'):
            shutil.rmtree(self.dir, ignore_errors=True)
        elif self.dir:
            sys.stderr.write('kept %s\n' % self.dir)

    # clients
    def request(self, method, path, body=None, headers=None, timeout=10):
        """One HTTP/1.1 request on a new connection; returns Reply (status, headers, body)."""
        conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            pairs = resp.getheaders()
            reply = Reply(resp.status, _join_headers(pairs), data, pairs)
        finally:
            conn.close()
        if path.startswith('/api/'):
            self.check_contract(method, path, reply)
        return reply

    def check_contract(self, method, target, reply):
        """Checks one /api/ reply against the OpenAPI document. Requests may come from several
        threads: mismatches are kept and reported as failed test lines when the server stops."""
        if self.tap is None or (self.faults_injected and reply.status >= 500):
            return
        with self.contract_lock:       # jsonschema's RefResolver is not thread-safe
            c = contract(self.tap)
            if c is None:
                return
            problems = c.check(method, target, reply)
            self.contract_checked += 1
            if problems:
                self.contract_failed.append(('the reply to %s %s follows docs/openapi.json' % (method, target[:120]),
                                             '\n'.join(problems) + '\n' + reply.summary()))

    def get(self, path, headers=None, timeout=10):
        return self.request('GET', path, headers=headers, timeout=timeout)

    def raw(self, data, timeout=5):
        """Send arbitrary bytes to nginx and read until it closes; returns a Reply or None."""
        s = socket.create_connection(('127.0.0.1', self.port), timeout=timeout)
        chunks = []
        try:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            while True:
                try:
                    b = s.recv(65536)
                except (socket.timeout, ConnectionResetError):
                    break
                if not b:
                    break
                chunks.append(b)
        finally:
            s.close()
        return parse_http_response(b''.join(chunks))

    def fcgi(self, method, uri, body=b''):
        """A FastCGI request straight to evqa, bypassing nginx."""
        return fcgi_call(self.sock, method, uri, body)


_CONTRACT = []


def contract(tap):
    """The OpenAPI document as an openapi_check.Contract, loaded once per test file; None (after one
    skipped or, in CI, failed test line) when python3-jsonschema is missing."""
    if not _CONTRACT:
        path = openapi_check.document_path(top_srcdir())
        if not openapi_check.Contract.available():
            if os.environ.get('CI') == 'true':
                tap.ok(False, 'python3-jsonschema is installed, to check API replies against %s' % path)
            else:
                tap.skip('API replies follow docs/openapi.json', 'python3-jsonschema is not installed')
            _CONTRACT.append(None)
        else:
            _CONTRACT.append(openapi_check.Contract(path))
    return _CONTRACT[0]


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]
    finally:
        s.close()


# -------------------------------------------------------------------------------------- HTML tree

VOID_ELEMENTS = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source',
                 'track', 'wbr'}


class Node:
    """An element: tag, attrs (dict; boolean attributes map to ''), children (Nodes and strings)."""

    def __init__(self, tag, attrs=None, parent=None):
        self.tag = tag
        self.attrs = attrs or {}
        self.children = []
        self.parent = parent

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def has(self, name):
        return name in self.attrs

    @property
    def classes(self):
        return set((self.attrs.get('class') or '').split())

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag=None, cls=None, attrs=None):
        """Descendants (and self) matching tag, a class, and attrs ({name: value or True})."""
        out = []
        for n in self.iter():
            if tag is not None and n.tag != tag:
                continue
            if cls is not None and cls not in n.classes:
                continue
            if attrs and not all((k in n.attrs) if v is True else (n.attrs.get(k) == v)
                                 for k, v in attrs.items()):
                continue
            out.append(n)
        return out

    def find(self, tag=None, cls=None, attrs=None):
        r = self.find_all(tag, cls, attrs)
        return r[0] if r else None

    def text(self, skip=None):
        """Text content with whitespace collapsed; skip(node) -> True leaves a subtree out."""
        parts = []

        def walk(n):
            for c in n.children:
                if isinstance(c, Node):
                    if skip is None or not skip(c):
                        walk(c)
                else:
                    parts.append(c)
        walk(self)
        return ' '.join(''.join(parts).split())

    def ancestors(self):
        n = self.parent
        while n is not None:
            yield n
            n = n.parent

    def by_id(self, ident):
        return self.find(attrs={'id': ident})

    def __repr__(self):
        attrs = ''.join(' %s="%s"' % kv for kv in self.attrs.items())
        return '<%s%s>' % (self.tag, attrs)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node('#document')
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: ('' if v is None else v) for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID_ELEMENTS:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, {k: ('' if v is None else v) for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(text):
    if isinstance(text, bytes):
        text = text.decode('utf-8', 'replace')
    b = _TreeBuilder()
    b.feed(text)
    b.close()
    return b.root


# ---------------------------------------------------------------------------------- small checks

ISO_UTC = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$')
MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
          'October', 'November', 'December']
AUDIENCES = ['clinician', 'nurse', 'pharmacist', 'student', 'patient']
STATES = ['submitted', 'under_review', 'approved']
DEMO_STATES = {1: 'under_review', 2: 'approved', 3: 'submitted'}


def human_date(iso):
    """'2025-07-25T09:00:00Z' -> 'July 25, 2025' (the page's display format)."""
    y, m, d = int(iso[0:4]), int(iso[5:7]), int(iso[8:10])
    return '%s %d, %d' % (MONTHS[m - 1], d, y)


def parse_link_header(value):
    """RFC 8288 Link header -> {rel: target} (each rel of a multi-rel link is a key)."""
    out = {}
    for m in re.finditer(r'<([^>]*)>\s*((?:;\s*[^;,]+)*)', value or ''):
        target, params = m.group(1), m.group(2)
        for p in re.finditer(r';\s*rel\s*=\s*"?([^";,]+)"?', params):
            for rel in p.group(1).split():
                out[rel.lower()] = target
    return out


def is_problem(reply, status=None):
    """(ok, diag): reply is application/problem+json with type/title/status/detail and status matches."""
    if reply.content_type != 'application/problem+json':
        return False, 'Content-Type is %r\n%s' % (reply.headers.get('content-type'), reply.summary())
    try:
        doc = reply.json()
    except ValueError as e:
        return False, 'body is not JSON (%s)\n%s' % (e, reply.summary())
    if not isinstance(doc, dict):
        return False, 'body is not an object\n%s' % reply.summary()
    missing = [k for k in ('type', 'title', 'status', 'detail') if k not in doc]
    if missing:
        return False, 'missing members %s\n%s' % (missing, reply.summary())
    if not all(isinstance(doc[k], str) and doc[k] for k in ('type', 'title', 'detail')):
        return False, 'type/title/detail must be non-empty strings\n%s' % reply.summary()
    if doc['status'] != reply.status or (status is not None and doc['status'] != status):
        return False, 'status member %r, HTTP status %s\n%s' % (doc['status'], reply.status, reply.summary())
    return True, ''
