#!/bin/sh
# t_engine.sh: only db.c knows the database engine. Every other file in cgi/ reaches the database
# through db.h's calls (db_stmt, db_bind_*, db_step, db_int64, db_text, ...), never through SQLite's
# own header or functions, so that another engine would be another db.c.
src="${top_srcdir:-.}/cgi"

. "${top_srcdir:-.}/tests/unit/tap.sh"

# scan DIR: prints "FILE:LINE: TEXT" for each line outside db.c that names SQLite's API
scan() {
	for f in "$1"/*.c "$1"/*.h; do
		[ -f "$f" ] || continue
		case ${f##*/} in
		db.c | embed_gen.* | tmpl_gen.* | static_gen.*) continue ;;
		esac
		grep -n -E '#include <sqlite3\.h>|\bsqlite3_[a-z_0-9]+|\bSQLITE_[A-Z_]+' "$f" |
			sed "s|^|${f##*/}:|"
	done
}

check "no file but db.c names the database engine's API" "$(scan "$src")"

# the check itself, on a domain file that steps a statement through SQLite directly
tmp=$(mktemp -d "${TMPDIR:-/tmp}/evqa-engine.XXXXXX")
printf '#include <sqlite3.h>\nint f(void *s) { return sqlite3_step(s) == SQLITE_ROW; }\n' > "$tmp/content.c"
printf 'int g(struct dbq *s) { return db_step(s) == DB_ROW; }\n' > "$tmp/topic.c"
probe=$(scan "$tmp")
rm -rf "$tmp"
check "the scan finds SQLite named in a domain file, and nothing in one that uses db.h" \
    "$(printf '%s\n' "$probe" | grep -q '^content.c:1:#include <sqlite3.h>$' &&
	printf '%s\n' "$probe" | grep -q '^content.c:2:' && ! printf '%s\n' "$probe" | grep -q '^topic.c' ||
	echo "it found: $probe")"
done_testing
