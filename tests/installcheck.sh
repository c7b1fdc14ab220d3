#!/bin/sh
# installcheck.sh: checks an installed evqa (make installcheck, which make distcheck runs): the files
# are there, the static files are those the program names, the nginx site and the systemd unit name
# the installed paths, the program runs, and nginx accepts the site (skipped without nginx).
# Environment (from Makefile.am): DESTDIR (may be empty), bindir, staticdir, site, unit, socket: the
# installed paths, as the installed files name them (without DESTDIR).
set -u

failed=0
ok() { echo "installcheck: ok - $*"; }
fail() { echo "installcheck: FAILED - $*" >&2; failed=1; }

d=${DESTDIR:-}
bin=$d$bindir/evqa
tmp=$(mktemp -d "${TMPDIR:-/tmp}/evqa-installcheck.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# the files
for f in "$bin" "$d$staticdir/css/evqa.css" "$d$staticdir/css/evqa.css.gz" "$d$staticdir/js/evqa.js" \
	"$d$staticdir/js/evqa.js.gz" "$d$staticdir/favicon.svg" "$d$site" "$d$unit"; do
	if [ -f "$f" ]; then ok "installed $f"; else fail "missing $f"; fi
done
[ -x "$bin" ] || fail "$bin is not executable"

# The stylesheet and the script the program names (/static/DIR/NAME.HASH.EXT) are the installed
# files: HASH starts their SHA-256.
for f in css/evqa.css js/evqa.js; do
	ext=${f##*.}
	named=$(grep -a -o -E "/static/${f%.*}\.[0-9a-f]{10}\.$ext" "$bin" | head -n 1)
	hash=$(sha256sum "$d$staticdir/$f" 2>/dev/null | cut -c1-10)
	if [ -n "$named" ] && [ "$named" = "/static/${f%.*}.$hash.$ext" ]; then
		ok "the program names $named, the installed $f"
	else
		fail "the program names '${named:-nothing}' but the installed $f hashes to '$hash'"
	fi
done

# the nginx site: the installed static directory and the socket, nothing left to fill in
if grep -q -F "alias $staticdir/;" "$d$site" && grep -q -F "fastcgi_pass unix:$socket;" "$d$site"; then
	ok "the site serves /static/ from $staticdir and passes to $socket"
else
	fail "$d$site does not name $staticdir/ and unix:$socket"
fi
# the systemd unit: the installed program, the same socket
if grep "^ExecStart=" "$d$unit" | grep -q -F "ExecStart=$bindir/evqa serve " &&
	grep "^ExecStart=" "$d$unit" | grep -q -F -- "--socket $socket" &&
	grep -q -F "ExecStartPre=$bindir/evqa init " "$d$unit"; then
	ok "the unit runs $bindir/evqa on $socket"
else
	fail "$d$unit does not run $bindir/evqa serve on $socket"
fi
for f in "$d$site" "$d$unit"; do
	left=$(grep -o -E '@[A-Z_]+@' "$f" | sort -u | tr '\n' ' ')
	if [ -z "$left" ]; then ok "$f has every placeholder filled in"; else fail "$f still has $left"; fi
done

# the program runs
if "$bin" --version >"$tmp/out" 2>&1 && grep -q '^evqa ' "$tmp/out"; then
	ok "$(cat "$tmp/out")"
else
	fail "$bin --version: $(cat "$tmp/out")"
fi
if "$bin" init --db "$tmp/evqa.db" >"$tmp/out" 2>&1 && [ -s "$tmp/evqa.db" ]; then
	ok "evqa init makes a database"
else
	fail "$bin init --db $tmp/evqa.db: $(cat "$tmp/out")"
fi

# nginx -t on the installed site inside a minimal nginx.conf. Its cache directory, which nginx makes
# when it reads the site, is moved into the temporary directory: nothing is written beside the
# installed files.
nginx=${NGINX:-}
if [ -z "$nginx" ]; then
	nginx=$(PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin command -v nginx 2>/dev/null || true)
fi
if [ -z "$nginx" ]; then
	echo "installcheck: skip - nginx -t on the site: nginx not found"
else
	sed -e "s|^fastcgi_cache_path [^ ]*|fastcgi_cache_path $tmp/cache|" "$d$site" >"$tmp/site.conf"
	grep -q -F "fastcgi_cache_path $tmp/cache " "$tmp/site.conf" || fail "no fastcgi_cache_path in $d$site"
	cat >"$tmp/nginx.conf" <<EOF
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events {}
http {
    client_body_temp_path $tmp/client_body_temp;
    proxy_temp_path $tmp/proxy_temp;
    fastcgi_temp_path $tmp/fastcgi_temp;
    uwsgi_temp_path $tmp/uwsgi_temp;
    scgi_temp_path $tmp/scgi_temp;
    include $tmp/site.conf;
}
EOF
	if "$nginx" -t -q -p "$tmp/" -e "$tmp/error.log" -c "$tmp/nginx.conf" >"$tmp/out" 2>&1; then
		ok "nginx -t accepts the installed site"
	else
		fail "nginx -t on the installed site: $(cat "$tmp/out")"
	fi
fi

exit $failed
