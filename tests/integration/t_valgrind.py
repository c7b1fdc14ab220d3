#!/usr/bin/env python3
# t_valgrind.py: the unit tests, and evqa serving a few end-to-end requests behind nginx, under
# valgrind's memcheck: no invalid read or write, no use of uninitialised memory, no definite leak.
# Skips without valgrind, except in CI (CI=true), and in the sanitizer build (ASan and valgrind do not
# run together).

import json
import os
import shutil
import stat
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import Server, Skip, evqa_bin, make_tempdir, run, top_builddir  # noqa: E402

UNIT = ('t_util', 't_req', 't_render', 't_content', 't_fuzz', 't_auth', 't_search', 't_fcgiscan')
VG = ['valgrind', '-q', '--error-exitcode=9', '--leak-check=full', '--errors-for-leak-kinds=definite',
      '--show-leak-kinds=definite',
      '--track-origins=yes']


def main(tap):
    if shutil.which('valgrind') is None:
        if os.environ.get('CI') == 'true':
            tap.ok(False, 'valgrind is installed')
            return
        raise Skip('valgrind is not installed')
    with open(evqa_bin(), 'rb') as f:
        if b'__asan_init' in f.read():
            raise Skip('this build uses AddressSanitizer, which valgrind cannot run')
    for t in UNIT:
        path = os.path.join(top_builddir(), 'tests', 'unit', t)
        p = subprocess.run(VG + [path], capture_output=True, text=True, timeout=600)
        tap.ok(p.returncode == 0, 'unit test %s under valgrind: no memory error, no leak' % t,
               (p.stderr or p.stdout)[-2000:])
    tmp = make_tempdir('evqa-vg-')
    wrapper = os.path.join(tmp, 'evqa-vg')
    real = evqa_bin()
    with open(wrapper, 'w') as f:
        f.write('#!/bin/sh\nexec %s --log-file=%s/vg.%%p.log "%s" "$@"\n' % (' '.join(VG), tmp, real))
    os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IXUSR)
    os.environ['EVQA_BIN'] = wrapper
    try:
        with Server(tap, threads=2) as srv:
            for path in ('/', '/articles/1/acupuncture-chronic-pain?audience=patient', '/search?q=pain+exercise',
                         '/api/v1/articles', '/api/v1/articles/1', '/api/v1/search?q=acupuncture', '/nope',
                         '/editor', '/%zz'):
                r = srv.get(path, timeout=60)
                tap.ok(r.status < 500, 'GET %s under valgrind: %d' % (path, r.status))
            r = srv.request('POST', '/api/v1/questions', body=json.dumps({'question': 'Does acupuncture help '
                            'chronic pain?'}), headers={'Content-Type': 'application/json'}, timeout=60)
            tap.ok(r.status == 201, 'POST /api/v1/questions under valgrind: %d' % r.status)
        tap.ok(srv.evqa_exit == 0, 'evqa serve under valgrind stops on SIGTERM with status 0 (valgrind found '
               'nothing)', 'exit status %r' % srv.evqa_exit)
        logs = ''
        for name in sorted(os.listdir(tmp)):
            if name.startswith('vg.'):
                with open(os.path.join(tmp, name), errors='replace') as f:
                    logs += f.read()
        tap.ok(logs.strip() == '', 'valgrind logged nothing for evqa init and serve', logs[-3000:])
    finally:
        os.environ['EVQA_BIN'] = real
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    run(main)
