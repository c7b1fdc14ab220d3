#!/bin/sh
# t_sinks.sh: untrusted text reaches a reply only through an escaping writer. Fails when a raw sink
# (buf_trusted with a non-literal, buf_printf with %s or %c) appears in cgi/ without a "trusted:"
# comment on the line above saying why its bytes are evqa's own.
src="${top_srcdir:-.}/cgi"
. "${top_srcdir:-.}/tests/unit/tap.sh"
# buf_printf formats must not take strings.
bad=$(grep -n 'buf_v\?printf([^;]*%[-0-9.]*[sc]' "$src"/*.c | grep -v '^[^:]*buf\.c:')
check "buf_printf is used for numbers only" "$bad"
# Every buf_trusted() call outside buf.c and tmpl.c's template copy needs a reason.
bad=$(awk 'FNR == 1 { prev = "" }
	/buf_trusted\(/ && FILENAME !~ /buf\.c$/ && prev !~ /trusted:/ && $0 !~ /trusted:/ &&
	    $0 !~ /buf_trusted\([^,]*, *"/ { print FILENAME ":" FNR ": " $0 }
	{ if ($0 !~ /^[ \t]*$/) prev = $0 }' "$src"/*.c)
check "every raw write of non-literal text says why it is trusted" "$bad"
# SQL text is never built at run time: no sqlite3_prepare outside db.c, no sqlite3_mprintf.
bad=$(grep -n 'sqlite3_prepare\|sqlite3_mprintf\|sqlite3_exec' "$src"/*.c | grep -v '^[^:]*db\.c:')
check "SQL is prepared only from sql/ in db.c" "$bad"
done_testing
