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

static void
test_grade_markers(void)
{
	static const struct { const char *s; int len; enum grade_cert cert; enum grade_rec rec; } cases[] = {
		{ "{certainty: high}", 17, GRADE_CERT_HIGH, GRADE_REC_NONE },
		{ "{Certainty: Moderate}", 21, GRADE_CERT_MODERATE, GRADE_REC_NONE },
		{ "{certainty: very low}", 21, GRADE_CERT_VERY_LOW, GRADE_REC_NONE },
		{ "{certainty:very-low}", 20, GRADE_CERT_VERY_LOW, GRADE_REC_NONE },
		{ "{recommendation: strong, certainty: low}", 40, GRADE_CERT_LOW, GRADE_REC_STRONG },
		{ "{certainty: moderate; recommendation: conditional} more", 50, GRADE_CERT_MODERATE,
		    GRADE_REC_CONDITIONAL },
		{ "{not a grade}", 0, 0, 0 },
		{ "{note: see below}", 0, 0, 0 },
		{ "{}", 0, 0, 0 },
		{ "{certainty: medium}", -1, 0, 0 },
		{ "{certainty: A}", -1, 0, 0 },
		{ "{grade: 1A}", -1, 0, 0 },
		{ "{evidence: high}", -1, 0, 0 },
		{ "{recommendation: strong}", -1, 0, 0 },
		{ "{recommendation: weak, certainty: low}", -1, 0, 0 },
		{ "{certainty: high, certainty: low}", -1, 0, 0 },
		{ "{certainty: high", -1, 0, 0 },
		{ "{certainty: high, colour: red}", -1, 0, 0 },
		{ "{certainty: }", -1, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct grade g = { 0, 0 };
		char	 err[240] = "";
		int	 len = render_grade(cases[i].s, strlen(cases[i].s), &g, err, sizeof(err));

		ok(len == cases[i].len && (len <= 0 || (g.cert == cases[i].cert && g.rec == cases[i].rec)) &&
		    (len != -1 || err[0] != '\0'), "grade marker '%s' parses as expected (len %d%s%s)",
		    cases[i].s, len, err[0] ? ": " : "", err);
	}
}

static void
test_grades(void)
{
	struct render_result rr;
	char	 err[300];
	json_t	*doc, *blk, *g;

	ok(render("Treat it [1]. {recommendation: strong, certainty: moderate}",
	    "## Evidence\n\n- Pain fell [2]. {certainty: low}\n- Untested idea. {certainty: very low}\n\n"
	    "Plain paragraph {with braces} stays.\n", &rr, err, sizeof(err)) == 0,
	    "graded claims and a cited recommendation render");
	ok(strstr(rr.bottom_html, "<a class=\"grade grade-strong\" href=\"/editorial-policy#grade-strong\">"
	    "<span class=\"visually-hidden\">Evidence grade: </span>Strong recommendation, moderate certainty</a>")
	    != NULL, "a recommendation shows one labelled badge linking to its explanation");
	ok(strstr(rr.html, "href=\"/editorial-policy#grade-low\"") != NULL &&
	    strstr(rr.html, ">Low certainty</a>") != NULL, "a graded claim links to its certainty's explanation");
	ok(strstr(rr.html, "href=\"/editorial-policy#grade-very-low\"") != NULL, "'very low' has its own anchor");
	ok(strstr(rr.html, "{certainty") == NULL && strstr(rr.bottom_html, "{recommendation") == NULL,
	    "no grade marker is left as text");
	ok(strstr(rr.html, "{with braces}") != NULL, "braces that are not grades stay text");
	ok(rr.grades.n[GRADE_REC_STRONG][GRADE_CERT_MODERATE] == 1 && rr.grades.n[0][GRADE_CERT_LOW] == 1 &&
	    rr.grades.n[0][GRADE_CERT_VERY_LOW] == 1 && rr.grades.n[0][GRADE_CERT_HIGH] == 0,
	    "the grades given are counted");
	doc = json_loads(rr.doc_json, 0, NULL);
	g = json_array_get(json_object_get(json_object_get(doc, "bottom_line"), "grades"), 0);
	is_str(json_string_value(json_object_get(g, "recommendation")), "strong",
	    "the bottom line's JSON carries the recommendation's strength");
	is_str(json_string_value(json_object_get(g, "certainty")), "moderate",
	    "and its certainty");
	blk = json_array_get(json_object_get(json_array_get(json_object_get(doc, "sections"), 0), "blocks"), 0);
	g = json_array_get(json_object_get(json_array_get(json_object_get(blk, "items"), 0), "grades"), 0);
	is_str(json_string_value(json_object_get(g, "certainty")), "low", "each bullet carries its own grade");
	ok(json_object_get(g, "recommendation") == NULL, "a graded claim that is not a recommendation has no strength");
	blk = json_array_get(json_object_get(json_array_get(json_object_get(doc, "sections"), 0), "blocks"), 1);
	ok(json_is_array(json_object_get(blk, "grades")) && json_array_size(json_object_get(blk, "grades")) == 0,
	    "a block without a grade has an empty list");
	blk = json_array_get(json_object_get(json_array_get(json_object_get(doc, "sections"), 0), "blocks"), 0);
	is_str(json_string_value(json_object_get(json_array_get(json_object_get(blk, "items"), 0), "text")),
	    "Pain fell [2].", "the plain text of a graded bullet has neither marker nor badge words");
	json_decref(doc);
	render_result_free(&rr);

	ok(render_text_words("Treat it [1]. {recommendation: conditional, certainty: high}", "", has,
	    RENDER_WORDS_PLAIN, &rr, err, sizeof(err)) == 0 &&
	    strstr(rr.bottom_html, "How sure we are: </span>Right for some people: talk it over, strong "
	    "evidence</a>") != NULL, "patients' wording gets plain words for the same grade");
	render_result_free(&rr);

	ok(render("b", "- Do this. {recommendation: strong, certainty: high}\n- Cited [1].\n", &rr, err,
	    sizeof(err)) == -1 && strstr(err, "citation") != NULL && strstr(err, "line 1") != NULL,
	    "a recommendation without a citation in its bullet is refused, saying where");
	ok(render("b", "text\n\nClaim [1]. {certainty: medium}\n", &rr, err, sizeof(err)) == -1 &&
	    strstr(err, "'medium'") != NULL && strstr(err, "body, line 3") != NULL &&
	    strstr(err, "high, moderate, low or very low") != NULL,
	    "an unknown certainty is refused with the allowed ones");
	ok(render("b", "## Heading {certainty: high}\n", &rr, err, sizeof(err)) == -1 &&
	    strstr(err, "heading") != NULL, "a grade in a heading is refused");
	ok(render("b", "`{certainty: medium}` in code\n", &rr, err, sizeof(err)) == 0 &&
	    strstr(rr.html, "{certainty: medium}") != NULL, "a grade marker in code stays code");
	render_result_free(&rr);
}

int
main(void)
{
	has[1] = has[2] = has[3] = 1;
	test_markers();
	test_safety();
	test_citations();
	test_grade_markers();
	test_grades();
	test_nesting();
	return done_testing();
}
