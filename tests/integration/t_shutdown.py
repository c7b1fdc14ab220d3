#!/usr/bin/env python3
# t_shutdown.py: the evqa process on its own (no nginx): SIGTERM/SIGINT end it with status 0 within 2 s
# with an idle connection open and finish a request in flight; the Unix socket (mode 0660, a stale one
# replaced) and the spawner mode on fd 0; the command line (--version, --help, bad flags exit 2);
# `init --demo` run twice keeps the data.

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (evqa_bin, fcgi_call, fcgi_read_reply, fcgi_request_bytes, make_tempdir,  # noqa: E402
                     require_binary, run, run_evqa, stop_process, tail, top_srcdir)

EXIT_WITHIN = 2.0


class Serve:
    """One `evqa serve` process; stopped (SIGKILL if need be) when the block ends."""

    def __init__(self, tmp, db, sock=None, stdin=subprocess.DEVNULL, name='serve'):
        self.log = os.path.join(tmp, name + '.log')
        args = [evqa_bin(), 'serve', '--db', db, '--threads', '4'] + (['--socket', sock] if sock else [])
        with open(self.log, 'ab') as log:
            self.proc = subprocess.Popen(args, stdin=stdin, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        self.sock = sock

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            stop_process(self.proc, signal.SIGKILL, 2)

    def wait_listening(self, path=None, timeout=10.0):
        path = path or self.sock
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(path)
                return True
            except OSError:
                time.sleep(0.02)
            finally:
                s.close()
        return False

    def signal_and_wait(self, sig):
        """Send sig by PID; (exit status or None if still running after EXIT_WITHIN, seconds taken)."""
        t0 = time.monotonic()
        os.kill(self.proc.pid, sig)
        try:
            code = self.proc.wait(EXIT_WITHIN)
        except subprocess.TimeoutExpired:
            code = None
        return code, time.monotonic() - t0


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(path)
    return s


def check_signal_idle(tap, tmp, db, sig):
    name = signal.Signals(sig).name
    sock = os.path.join(tmp, 'idle-%s.sock' % name.lower())
    with Serve(tmp, db, sock, name='idle-' + name.lower()) as srv:
        if not tap.ok(srv.wait_listening(), 'evqa serve --socket listens (%s run)' % name, tail(srv.log)):
            return
        idle = connect(sock)
        try:
            time.sleep(0.3)                     # a worker has accepted the connection and waits on it
            code, took = srv.signal_and_wait(sig)
        finally:
            idle.close()
        tap.ok(code == 0, '%s with an idle connection open: evqa exits with status 0 within %g s'
               % (name, EXIT_WITHIN), 'exit status %r after %.2f s\n%s' % (code, took, tail(srv.log)))


def check_signal_all_pinned(tap, tmp, db):
    """More idle connections than worker threads (--threads 4), then SIGTERM."""
    sock = os.path.join(tmp, 'pinned.sock')
    with Serve(tmp, db, sock, name='pinned') as srv:
        if not tap.ok(srv.wait_listening(), 'evqa serve --socket listens (pinned-workers run)', tail(srv.log)):
            return
        conns = [connect(sock) for _ in range(6)]
        try:
            time.sleep(0.3)
            code, took = srv.signal_and_wait(signal.SIGTERM)
        finally:
            for c in conns:
                c.close()
        tap.ok(code == 0, 'SIGTERM with every worker held by an idle connection: exit status 0 within %g s'
               % EXIT_WITHIN, 'exit status %r after %.2f s\n%s' % (code, took, tail(srv.log)))


def check_signal_in_flight(tap, tmp, db, sig):
    name = signal.Signals(sig).name
    sock = os.path.join(tmp, 'busy-%s.sock' % name.lower())
    with Serve(tmp, db, sock, name='busy-' + name.lower()) as srv:
        if not tap.ok(srv.wait_listening(), 'evqa serve --socket listens (%s in-flight run)' % name, tail(srv.log)):
            return
        conn = connect(sock)
        try:
            time.sleep(0.3)                     # accepted before the request and the signal arrive
            conn.sendall(fcgi_request_bytes('GET', '/healthz'))
            os.kill(srv.proc.pid, sig)
            t0 = time.monotonic()
            reply = fcgi_read_reply(conn)
        finally:
            conn.close()
        http = reply.http() if reply.stdout else None
        tap.ok(reply.complete and http is not None and http.status == 200 and http.body.strip() == b'ok',
               '%s with a request in flight: the reply is complete (200 "ok" and END_REQUEST)' % name,
               '%r\n%s' % (reply, tail(srv.log)))
        try:
            code = srv.proc.wait(max(0.1, EXIT_WITHIN - (time.monotonic() - t0)))
        except subprocess.TimeoutExpired:
            code = None
        tap.ok(code == 0, '%s with a request in flight: evqa exits with status 0 within %g s' % (name, EXIT_WITHIN),
               'exit status %r\n%s' % (code, tail(srv.log)))


def check_socket(tap, tmp, db):
    sock = os.path.join(tmp, 'stale.sock')
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(sock)
    stale.close()                               # leaves the socket file with nobody listening
    with Serve(tmp, db, sock, name='stale') as srv:
        up = srv.wait_listening()
        tap.ok(up, 'evqa serve replaces a stale socket file and listens on it', tail(srv.log))
        if up:
            mode = stat.S_IMODE(os.stat(sock).st_mode)
            tap.eq(oct(mode), oct(0o660), "the socket has mode 0660: its owner and the web server's group only")
            r = fcgi_call(sock, 'GET', '/healthz')
            h = r.http() if r.stdout else None
            tap.ok(r.complete and h is not None and h.status == 200 and h.body.strip() == b'ok',
                   'a FastCGI GET /healthz answers 200 "ok"', repr(r))
        code, took = srv.signal_and_wait(signal.SIGTERM)
        tap.eq(code, 0, 'SIGTERM after serving a request: exit status 0 within %g s' % EXIT_WITHIN)


def check_spawner_mode(tap, tmp, db):
    path = os.path.join(tmp, 'spawn.sock')
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    try:
        srv = Serve(tmp, db, None, stdin=listener.fileno(), name='spawner')
    finally:
        listener.close()
    with srv:
        r = fcgi_call(path, 'GET', '/healthz')
        h = r.http() if r.stdout else None
        tap.ok(r.complete and h is not None and h.status == 200 and h.body.strip() == b'ok',
               'without --socket, evqa serves FastCGI on the listening socket it gets as fd 0',
               '%r\n%s' % (r, tail(srv.log)))
        code, took = srv.signal_and_wait(signal.SIGTERM)
        tap.eq(code, 0, 'spawner mode: SIGTERM exits with status 0 within %g s' % EXIT_WITHIN)


def configured_version():
    try:
        with open(os.path.join(top_srcdir(), 'configure.ac'), encoding='utf-8') as f:
            m = re.search(r'AC_INIT\(\[[^]]*\],\s*\[([^]]+)\]', f.read())
            return m.group(1) if m else None
    except OSError:
        return None


def check_cli(tap, tmp, db):
    p = run_evqa(['--version'])
    want = configured_version()
    tap.ok(p.returncode == 0 and re.search(r'\d+\.\d+', p.stdout) and (want is None or want in p.stdout),
           'evqa --version exits 0 and prints the version%s' % (' ' + want if want else ''),
           'exit %d\nstdout: %r\nstderr: %r' % (p.returncode, p.stdout, p.stderr))
    p = run_evqa(['--help'])
    tap.ok(p.returncode == 0 and 'serve' in p.stdout and 'init' in p.stdout,
           'evqa --help exits 0 and describes serve and init',
           'exit %d\nstdout: %r\nstderr: %r' % (p.returncode, p.stdout, p.stderr))

    for args, what, names in ((['serve', '--db', db, '--bogus'], 'an unknown flag', '--bogus'),
                              (['serve', '--db'], 'a flag without its value', '--db'),
                              (['serve', '--db', db, '--threads', 'abc'], 'a non-numeric --threads', 'threads'),
                              (['serve'], 'no --db', '--db'),
                              (['init', '--bogus'], 'an unknown init flag', '--bogus'),
                              (['frobnicate'], 'an unknown command', 'frobnicate')):
        try:
            p = run_evqa(args, timeout=5)
            code, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired:
            code, out, err = None, '', '(still running after 5 s)'
        shown = ' '.join('DB' if a == db else a for a in args)
        tap.ok(code == 2 and err.strip() and names in err,
               'evqa %s (%s) exits 2 with a message on stderr naming %s' % (shown, what, names),
               'exit %r\nstdout: %r\nstderr: %r' % (code, out, err))


def counts(db):
    """Row counts of the content tables, or a string saying why they could not be read."""
    try:
        con = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
        try:
            return {t: con.execute('SELECT count(*) FROM %s' % t).fetchone()[0]
                    for t in ('article', 'revision', 'reference', 'revision_text', 'audience')}
        finally:
            con.close()
    except sqlite3.Error as e:
        return 'cannot read %s: %s' % (db, e)


def check_init_twice(tap, tmp):
    db = os.path.join(tmp, 'x.db')
    p1 = run_evqa(['init', '--db', db, '--demo'])
    tap.ok(p1.returncode == 0, 'evqa init --db x.db --demo creates a database', p1.stderr)
    before = counts(db) if p1.returncode == 0 else None
    p2 = run_evqa(['init', '--db', db, '--demo'])
    tap.ok(p2.returncode == 0, 'evqa init --demo again on the same database succeeds', p2.stderr)
    after = counts(db) if p2.returncode == 0 else None
    tap.ok(isinstance(before, dict) and before == after and before['article'] == 3,
           'the second init --demo keeps the 3 demo articles without duplicating any rows',
           'before: %r\nafter:  %r' % (before, after))
    sock = os.path.join(tmp, 'twice.sock')
    with Serve(tmp, db, sock, name='twice') as srv:
        if not tap.ok(srv.wait_listening(), 'evqa serves the twice-initialised database', tail(srv.log)):
            return
        r = fcgi_call(sock, 'GET', '/api/v1/articles')
        h = r.http() if r.stdout else None
        try:
            items = json.loads(h.body) if h is not None else None
        except ValueError:
            items = None
        tap.ok(h is not None and h.status == 200 and isinstance(items, list) and len(items) == 3
               and h.headers.get('x-total-count') == '3',
               'after init twice the API lists 3 articles (X-Total-Count: 3)', repr(r))
        srv.signal_and_wait(signal.SIGTERM)


def main(tap):
    require_binary()
    tmp = make_tempdir('evqa-sd-')
    failed_before = tap.failed
    try:
        db = os.path.join(tmp, 'evqa.db')
        p = run_evqa(['init', '--db', db, '--demo'])
        if not tap.ok(p.returncode == 0, 'evqa init --demo creates the test database',
                      'exit %d\n%s%s' % (p.returncode, p.stdout, p.stderr)):
            return
        check_signal_idle(tap, tmp, db, signal.SIGTERM)
        check_signal_in_flight(tap, tmp, db, signal.SIGTERM)
        check_signal_idle(tap, tmp, db, signal.SIGINT)
        check_signal_in_flight(tap, tmp, db, signal.SIGINT)
        check_signal_all_pinned(tap, tmp, db)
        check_socket(tap, tmp, db)
        check_spawner_mode(tap, tmp, db)
        check_cli(tap, tmp, db)
        check_init_twice(tap, tmp)
    finally:
        if tap.failed > failed_before or os.environ.get('EVQA_KEEP_TMP'):
            for name in sorted(os.listdir(tmp)):
                if name.endswith('.log'):
                    tap.diag('--- tail of %s ---\n%s' % (name, tail(os.path.join(tmp, name), 20)))
        if not os.environ.get('EVQA_KEEP_TMP'):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    run(main)
