#!/bin/sh
# t_tmpl_holes.sh: a template's holes are an enum (build-aux/tmpl.awk) and its fill a switch over it, so
# that a hole left unfilled, or a hole the template does not have, fails the build, not a request.
# Compiles small fills against a template made here, with the project's tmpl.h and without -Werror
# (tmpl.h makes -Wswitch-enum an error by itself), and checks that the fills in cgi/ have that shape.
src="${top_srcdir:-.}"
cc="${CC:-cc}"
awk="${AWK:-awk}"
. "${top_srcdir:-.}/tests/unit/tap.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/t"
# tmpl.h includes "tmpl_gen.h" from its own directory: copy it beside the header generated here.
cp "$src/cgi/tmpl.h" "$src/cgi/buf.h" "$tmp/" && : > "$tmp/config.h"

# gen FILE...: writes tmpl_gen.h and tmpl_gen.c in $tmp from the templates; prints the generator's errors.
gen() {
	(cd "$tmp" && "$awk" -v out=h -f "$src/build-aux/tmpl.awk" "$@" > tmpl_gen.h &&
	    "$awk" -v out=c -f "$src/build-aux/tmpl.awk" "$@" > tmpl_gen.c) 2>&1
}
# fill CASES...: a fill of t/demo-page.html with a case for each enumerator named.
fill() {
	{
		echo '#include "tmpl.h"'
		echo 'int demo_fill(struct buf *, enum tmpl_demo_page_hole, void *);'
		echo 'int demo_fill(struct buf *out, enum tmpl_demo_page_hole hole, void *arg)'
		echo '{'
		echo '	switch (hole) {'
		for c in "$@"; do
			printf '\tcase %s:\n\t\tbuf_html(out, arg);\n\t\treturn 0;\n' "$c"
		done
		echo '	}'
		echo '	return -1;'
		echo '}'
	} > "$tmp/fill.c"
}
# compiles: the fill and the generated renderers compile; prints the compiler's complaints otherwise.
compiles() {
	"$cc" -fsyntax-only -Wall -I"$tmp" "$tmp/fill.c" 2>&1 && "$cc" -fsyntax-only -Wall -I"$tmp" "$tmp/tmpl_gen.c" 2>&1
}
# refused PATTERN: the compile failed (status in $st), saying PATTERN; else prints why not.
refused() {
	if [ "$st" -eq 0 ]; then
		printf 'it compiled; the compiler said:\n%s' "$out"
	elif ! printf '%s' "$out" | grep -q "$1"; then
		printf 'it failed, but not for that; the compiler said:\n%s' "$out"
	fi
}

printf '<h1>{{title}}</h1>\n<p>{{body}} by {{author}}, {{title}}</p>\n' > "$tmp/t/demo-page.html"
out=$(gen t/demo-page.html)
got=$(sed -n '/^enum tmpl_demo_page_hole {$/,/^};$/p' "$tmp/tmpl_gen.h" | tr -d '\t\n')
want='enum tmpl_demo_page_hole {TH_DEMO_PAGE_TITLE,TH_DEMO_PAGE_BODY,TH_DEMO_PAGE_AUTHOR,};'
check "each distinct hole of a template is one enumerator, in order" \
    "$out$([ "$got" = "$want" ] || printf 'got:  %s\nwant: %s' "$got" "$want")"

fill TH_DEMO_PAGE_TITLE TH_DEMO_PAGE_BODY TH_DEMO_PAGE_AUTHOR
out=$(compiles)
check "a fill with a case for every hole compiles" "$out"

fill TH_DEMO_PAGE_TITLE TH_DEMO_PAGE_AUTHOR
out=$(compiles); st=$?
check "a fill without a case for one hole fails to compile" "$(refused "TH_DEMO_PAGE_BODY.*not handled in switch")"

printf '<h1>{{title}}</h1>\n<p>{{body}} by {{author}}, {{title}}</p>\n<p>{{reviewer}}</p>\n' \
    > "$tmp/t/demo-page.html"
gen t/demo-page.html
fill TH_DEMO_PAGE_TITLE TH_DEMO_PAGE_BODY TH_DEMO_PAGE_AUTHOR
out=$(compiles); st=$?
check "a hole added to the template and not to its fill fails to compile" \
    "$(refused "TH_DEMO_PAGE_REVIEWER.*not handled in switch")"

fill TH_DEMO_PAGE_TITLE TH_DEMO_PAGE_BODY TH_DEMO_PAGE_AUTHOR TH_DEMO_PAGE_REVIEWER TH_DEMO_PAGE_TITEL
out=$(compiles); st=$?
check "a fill naming a hole the template does not have fails to compile" "$(refused "TH_DEMO_PAGE_TITEL")"

printf '<p>{{Title}}</p>\n' > "$tmp/t/demo-page.html"
out=$(gen t/demo-page.html); st=$?
check "a malformed hole fails the generator" "$(refused "bad hole name 'Title'")"

# The fills in cgi/: their switch over the hole (the one whose labels sit one tab in) has no default,
# and no hole is looked up by name.
bad=$(awk '/^[a-z_0-9]+\(.*enum tmpl_[a-z0-9_]+_hole hole/ { infill = 1 }
	infill && /^\tdefault:/ { print FILENAME ":" FNR ": " $0 }
	/^}/ { infill = 0 }' "$src"/cgi/*.c)
check "no fill of a template has a default case" "$bad"
bad=$(grep -n 'strcmp(hole\|const char \*hole' "$src"/cgi/*.c "$src"/cgi/*.h)
check "no template hole is looked up by its name" "$bad"
done_testing
