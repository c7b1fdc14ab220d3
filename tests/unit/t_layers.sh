#!/bin/sh
# t_layers.sh: includes run one way, down the layers of ARCHITECTURE.md. Every file in cgi/ has a
# layer below; a file may include the headers of its own layer and of the layers beneath it, never
# of one above. A file that is in no layer fails too: a new file is placed before it is merged.
#
#   0 base     arena memo buf codes dict diff lexicon links log render tmpl util, and the build's embed_gen (SQL text,
#              templates, documents), tmpl_gen (templates as typed renderers) and static_gen (hashed
#              static file names)
#   1 db       db, idem (the idempotency store)                       (db.c: the one place that knows SQLite)
#   2 domain   domain content section topic search workflow queue     (no request, no reply)
#              account dashboard catalog (the lists of articles) ask (readers' questions) versions
#              retract cite transfer (what export reads and import stores)
#   3 frame    req auth guard gzip server                             (the request and reply handlers see)
#   4 handlers page, api (the frames of pages and JSON) page_* api_* api_editor api_idem editor editor_* question question_queue search_pages site
#              route.h                                               (route.h: the handlers' prototypes)
#   5 top      route.c serve fcgiscan main cli cli_*                  (the table, the server, the command line)
#
# A header may sit lower than its .c file (route.h declares handlers for the table above): headers
# are listed as NAME.h below.
src="${top_srcdir:-.}/cgi"

layer() {
	case $1 in
	arena.* | memo.* | buf.* | codes.* | dict.* | lexicon.* | diff.* | links.* | log.* | render.* | tmpl.* | util.* | embed_gen.* | \
	    tmpl_gen.* | static_gen.*) echo 0 ;;
	db.* | idem.*) echo 1 ;;
	domain.* | content.* | section.* | topic.* | search.[ch] | workflow.* | queue.* | dashboard.* | catalog.* | ask.*) echo 2 ;;
	account.*) echo 2 ;;
	cite.[ch] | versions.[ch] | retract.[ch]) echo 2 ;;
	transfer.[ch]) echo 2 ;;
	req.* | auth.* | guard.* | gzip.* | server.*) echo 3 ;;
	route.h | page.[ch] | page_*.c | api.[ch] | api_*.c | api_idem.c | editor.[ch] | editor_*.c | question.c | question_queue.c | \
	    search_pages.c | site.c) echo 4 ;;
	route.c | serve.c | fcgiscan.* | main.c | cli.* | cli_*) echo 5 ;;
	*) echo "" ;;
	esac
}

. "${top_srcdir:-.}/tests/unit/tap.sh"

# scan DIR: prints the files of DIR in no layer as "unplaced NAME", and each include against the
# arrows as "upward NAME (layer L) includes HEADER (layer H)".
scan() {
	for f in "$1"/*.c "$1"/*.h; do
		[ -f "$f" ] || continue
		b=${f##*/}
		l=$(layer "$b")
		if [ -z "$l" ]; then
			echo "unplaced $b"
			continue
		fi
		for h in $(sed -n 's/^#include "\([a-z_]*\.h\)".*/\1/p' "$f"); do
			[ "$h" = config.h ] && continue
			hl=$(layer "$h")
			if [ -z "$hl" ]; then
				echo "upward $b includes $h, which is in no layer"
			elif [ "$hl" -gt "$l" ]; then
				echo "upward $b (layer $l) includes $h (layer $hl)"
			fi
		done
	done
}

# sqlscan DIR: prints "sql NAME:LINE: TEXT" for each call of db_stmt() or of a sqlite3_ function in a
# handler (a .c file of layer 4) or at the top (layer 5: route.c, the server, main.c and the command
# line's cli_*.c): handlers and commands call the domain, which runs the statements.
# Files in sql_pending still do, until they are split (ARCHITECTURE.md, "Not yet in this shape").
sql_pending=""
sqlscan() {
	for f in "$1"/*.c; do
		[ -f "$f" ] || continue
		b=${f##*/}
		case " $sql_pending " in *" $b "*) continue ;; esac
		case $(layer "$b") in 4 | 5) ;; *) continue ;; esac
		grep -n -E '(^|[^a-z_])(db_stmt|sqlite3_[a-z0-9_]+)[[:space:]]*\(' "$f" | sed "s|^|sql $b:|"
	done
}

# txscan DIR: prints "tx NAME:LINE: TEXT" for each call of db_begin(), db_commit(), db_rollback() or
# db_exec() in a handler (a .c file of layer 4): the domain owns its write transactions (route.c, at
# layer 5, opens the read transaction around a GET).
txscan() {
	for f in "$1"/*.c; do
		[ -f "$f" ] || continue
		b=${f##*/}
		[ "$(layer "$b")" = 4 ] || continue
		grep -n -E '(^|[^a-z_])db_(begin|commit|rollback|exec)[[:space:]]*\(' "$f" | sed "s|^|tx $b:|"
	done
}

found=$(scan "$src")
check "every file in cgi/ has a layer" "$(printf '%s\n' "$found" | sed -n 's/^unplaced //p')"
check "no include runs up the layers" "$(printf '%s\n' "$found" | sed -n 's/^upward //p')"
check "no handler nor command runs SQL itself (db_stmt, sqlite3_*)" "$(sqlscan "$src" | sed 's/^sql //')"
check "no handler begins, commits or rolls back a transaction (db_begin, db_commit, db_rollback, db_exec)" \
    "$(txscan "$src" | sed 's/^tx //')"

# the check itself, on a domain file that includes the request and a file in no layer
tmp=$(mktemp -d "${TMPDIR:-/tmp}/evqa-layers.XXXXXX")
printf '#include "config.h"\n#include "req.h"\n' > "$tmp/workflow.c"
printf '/* nothing */\n' > "$tmp/newthing.c"
probe=$(scan "$tmp")
printf 'int\npage_thing(struct req *r)\n{\n\tsqlite3_stmt *s = db_stmt(r->db, STMT_X);\n' > "$tmp/page_thing.c"
printf '\treturn sqlite3_step (s);\n}\n' > "$tmp/api_thing.c"
printf '\tsqlite3_stmt *s = db_stmt(d->db, STMT_X);\n' > "$tmp/queue.c"
printf '/* not a call: db_stmt */\nint\nsite_thing(void)\n{\n\treturn my_db_stmt(1);\n}\n' > "$tmp/site.c"
printf 'static int\nthing_list(struct db *db)\n{\n\tstruct dbq *s = db_stmt (db, STMT_X);\n' > "$tmp/cli_thing.c"
printf '/* not a call: db_stmt */\nint\nmain(void)\n{\n\treturn cli_thing(0);\n}\n' > "$tmp/main.c"
sqlprobe=$(sqlscan "$tmp")
rm -f "$tmp"/*.c
printf 'int\neditor_thing(struct req *r)\n{\n\tif (db_begin(r->db) == -1)\n' > "$tmp/editor_thing.c"
printf '\tdb_rollback (r->db);\n\tdb_exec(r->db, "x", e, 1);\n\tdb_commit(r->db);\n' > "$tmp/api_thing.c"
printf '\tif (db_begin(d->db) == -1)\n' > "$tmp/workflow.c"
printf '\tdb_read_begin(r->db);\n\tdb_read_end(r->db);\n\tmy_db_commit(1); /* db_commit */\n' > "$tmp/route.c"
printf 'int\nsite_thing(void)\n{\n\treturn db_begin_x(1) + mydb_exec(2);\n}\n' > "$tmp/site.c"
txprobe=$(txscan "$tmp")
rm -rf "$tmp"
check "the SQL scan finds db_stmt() in a page and a command, sqlite3_step() in an API file, nothing in the domain" \
    "$(printf '%s\n' "$sqlprobe" | grep -q '^sql page_thing.c:4:' &&
	printf '%s\n' "$sqlprobe" | grep -q '^sql api_thing.c:1:' &&
	printf '%s\n' "$sqlprobe" | grep -q '^sql cli_thing.c:4:' &&
	[ "$(printf '%s\n' "$sqlprobe" | grep -c .)" = 3 ] || echo "it found: $sqlprobe")"
check "the transaction scan finds db_begin() in an editor page and the other three in an API file, nothing in the domain, the dispatcher or a look-alike name" \
    "$(printf '%s\n' "$txprobe" | grep -q '^tx editor_thing.c:4:' &&
	printf '%s\n' "$txprobe" | grep -q '^tx api_thing.c:1:.*db_rollback' &&
	printf '%s\n' "$txprobe" | grep -q '^tx api_thing.c:2:.*db_exec' &&
	printf '%s\n' "$txprobe" | grep -q '^tx api_thing.c:3:.*db_commit' &&
	[ "$(printf '%s\n' "$txprobe" | grep -c .)" = 4 ] || echo "it found: $txprobe")"
check "the scan finds a domain file including the request, and a file in no layer" \
    "$(printf '%s\n' "$probe" | grep -q '^upward workflow.c (layer 2) includes req.h (layer 3)$' &&
	printf '%s\n' "$probe" | grep -q '^unplaced newthing.c$' || echo "it found: $probe")"
done_testing
