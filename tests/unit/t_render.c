/* t_render.c: Markdown rendering is safe, and citation markers resolve or are refused. */
#include "config.h"

#include <stdlib.h>

#include <jansson.h>

#include "render.h"
#include "tap.h"

static unsigned char has[REF_MAX + 1];

static int
render(const char *bottom, const char *body, struct render_result *rr, char *err, size_t errsz)
{
	return render_text(bottom, body, has, rr, err, errsz);
}

static void
test_markers(void)
{
	static const struct { const char *s; int len; int n; int nums[4]; } cases[] = {
		{ "[1]", 3, 1, { 1 } },
		{ "[1, 2]", 6, 2, { 1, 2 } },
		{ "[1,2]", 5, 2, { 1, 2 } },
		{ "[1-3]", 5, 3, { 1, 2, 3 } },
		{ "[2\xe2\x80\x93" "3]", 7, 2, { 2, 3 } },
		{ "[1, 3-4]", 8, 3, { 1, 3, 4 } },
		{ "[a]", 0, 0, { 0 } },
		{ "[1", 0, 0, { 0 } },
		{ "[]", 0, 0, { 0 } },
		{ "[1a]", 0, 0, { 0 } },
		{ "[1234]", 0, 0, { 0 } },
		{ "[3-1]", -1, 0, { 0 } },
		{ "[1-200]", -1, 0, { 0 } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int	 nums[20], n = 0, len = render_marker(cases[i].s, strlen(cases[i].s), nums, 20, &n);
		int	 same = len == cases[i].len && (len <= 0 || n == cases[i].n);

		for (int k = 0; same && len > 0 && k < n; k++)
			same = nums[k] == cases[i].nums[k];
		ok(same, "marker '%s' parses as expected (len %d)", cases[i].s, len);
	}
}

static void
test_safety(void)
{
	struct render_result rr;
	char	 err[300];

	ok(render("Bottom [1].", "Text <script>alert(1)</script> and <b onclick=x>bold</b>.\n\n"
	    "<div>block html</div>\n\n[link](javascript:alert(1)) [data](data:text/html,x) "
	    "![img](javascript:x)\n", &rr, err, sizeof(err)) == 0, "hostile Markdown renders");
	ok(strstr(rr.html, "<script") == NULL && strstr(rr.html, "<b onclick") == NULL &&
	    strstr(rr.html, "<div>") == NULL, "raw HTML is dropped");
	ok(strstr(rr.html, "javascript:") == NULL && strstr(rr.html, "data:text/html") == NULL,
	    "javascript: and data: links are emptied");
	render_result_free(&rr);

	ok(render("Bottom.", "# Title\n", &rr, err, sizeof(err)) == -1 && strstr(err, "##") != NULL,
	    "a top-level heading in the body is refused with advice");
	ok(render("   ", "text", &rr, err, sizeof(err)) == -1, "an empty bottom line is refused");
	{
		char	*big = malloc(BODY_MAX + 2);

		memset(big, 'a', BODY_MAX + 1);
		big[BODY_MAX + 1] = '\0';
		ok(render("b", big, &rr, err, sizeof(err)) == -1 && strstr(err, "bytes") != NULL,
		    "an over-long body is refused with its size");
		free(big);
	}
	ok(render("b", "caf\xc3", &rr, err, sizeof(err)) == -1, "a body that is not UTF-8 is refused");
}

/* Repeats unit n times, then "x": a list (or quote) nested n levels deep. */
static char *
nested(const char *unit, size_t n)
{
	size_t	 u = strlen(unit);
	char	*s = malloc(u * n + 2);

	for (size_t i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	memcpy(s + u * n, "x", 2);
	return s;
}

static void
test_nesting(void)
{
	static const struct { const char *unit; size_t n; int ok; } cases[] = {
		{ "- ", RENDER_NEST_MAX, 1 },
		{ "1. ", RENDER_NEST_MAX, 1 },
		{ "> ", RENDER_NEST_MAX, 1 },
		{ "- ", RENDER_NEST_MAX + 1, 0 },
		{ "- ", 40000, 0 },		/* 80 KB: deep enough to overflow any stack when recursed */
		{ "1. ", 30000, 0 },
		{ "> ", 40000, 0 },
		{ "> - ", 20000, 0 },
	};
	struct render_result rr;
	char	 err[300];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char	*body = nested(cases[i].unit, cases[i].n);
		int	 rc = render("b", body, &rr, err, sizeof(err));

		if (cases[i].ok)
			ok(rc == 0, "'%s' nested %zu levels renders", cases[i].unit, cases[i].n);
		else
			ok(rc == -1 && strstr(err, "nested") != NULL && strstr(err, "line 1") != NULL,
			    "'%s' nested %zu levels is refused with a message (%s)", cases[i].unit, cases[i].n,
			    rc == -1 ? err : "rendered");
		if (rc == 0)
			render_result_free(&rr);
		free(body);
	}
	{
		char	*bottom = nested("- ", 1500);

		ok(render(bottom, "text", &rr, err, sizeof(err)) == -1 && strstr(err, "bottom line") != NULL,
		    "a deeply nested bottom line is refused");
		free(bottom);
	}
}

static void
test_citations(void)
{
	struct render_result rr;
	char	 err[300];
	json_t	*doc, *sec, *blk;

	ok(render("Works well [1].", "## Evidence\n\n- Pain fell [1, 2]\n  - nested [3]\n- Range [1-3]\n\n"
	    "1. First [2]\n", &rr, err, sizeof(err)) == 0, "a body citing existing references renders");
	ok(strstr(rr.bottom_html, "<a href=\"#ref-1\" id=\"cite-1-1\">1</a>") != NULL,
	    "a marker links to its reference with a numbered id");
	ok(strstr(rr.html, "id=\"cite-1-2\"") != NULL && strstr(rr.html, "id=\"cite-1-3\"") != NULL,
	    "later citations of the same reference get the next ids");
	ok(strstr(rr.html, "[1]") == NULL, "no marker is left as text");
	is_str(rr.cite_counts, "3,3,2", "citation counts per reference are recorded for back links");
	ok(rr.cited[1] && rr.cited[2] && rr.cited[3] && !rr.cited[4], "the cited set is recorded");
	doc = json_loads(rr.doc_json, 0, NULL);
	sec = json_array_get(json_object_get(doc, "sections"), 0);
	blk = json_array_get(json_object_get(sec, "blocks"), 0);
	is_str(json_string_value(json_object_get(sec, "heading")), "Evidence", "sections carry their heading");
	is_str(json_string_value(json_object_get(blk, "type")), "list", "a bullet list is a list block");
	ok(json_integer_value(json_array_get(json_object_get(json_array_get(json_object_get(blk, "items"), 0),
	    "citations"), 1)) == 2, "list items carry the citation numbers they cite");
	ok(json_array_size(json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(blk,
	    "items"), 0), "items"), 0), "citations")) == 1, "nested items carry their own citations");
	json_decref(doc);
	render_result_free(&rr);

	ok(render("Claim [9].", "", &rr, err, sizeof(err)) == -1 && strstr(err, "[9]") != NULL &&
	    strstr(err, "bottom line") != NULL, "a marker naming no reference is refused, saying where");
	ok(render("b", "para\n\nsecond [7]\n", &rr, err, sizeof(err)) == -1 && strstr(err, "line 3") != NULL,
	    "the error gives the line of the bad marker");
	ok(render("b", "see [3-1]", &rr, err, sizeof(err)) == -1, "a reversed range is refused");
	ok(render("b", "`code [9]` and [sic] and [a link](https://example.org)", &rr, err, sizeof(err)) == 0,
	    "brackets that are not markers stay text");
	render_result_free(&rr);
}

int
main(void)
{
	has[1] = has[2] = has[3] = 1;
	test_markers();
	test_safety();
	test_citations();
	test_nesting();
	return done_testing();
}
