/* t_auth.c: the login's next= check, the session cookie's name and flags, and the bounded diff. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "diff.h"
#include "guard.h"
#include "req.h"
#include "tap.h"

static void
test_local_path(void)
{
	static const struct { const char *next; int ok; } cases[] = {
		{ "/editor", 1 },
		{ "/editor/articles/3?x=1", 1 },
		{ "/", 1 },
		{ "//evil.example", 0 },
		{ "/\\evil.example", 0 },
		{ "\\\\evil.example", 0 },
		{ "https://evil.example/", 0 },
		{ "javascript:alert(1)", 0 },
		{ "evil.example", 0 },
		{ "", 0 },
		{ "/a//b", 0 },
		{ "/\t/evil.example", 0 },
		{ "/a\r\nSet-Cookie: x=1", 0 },
		{ "/a b", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(auth_local_path(cases[i].next) == cases[i].ok, "next case %zu is %s", i,
		    cases[i].ok ? "local" : "refused");
	ok(!auth_local_path(NULL), "no next is refused");
}

static void
test_session_cookie(void)
{
	static const struct { const char *https, *scheme, *want; } cases[] = {
		{ NULL, "http", "Set-Cookie: evqa_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax\r\n" },
		{ "on", "https", "Set-Cookie: __Host-evqa_session=abc; Path=/; Max-Age=60; HttpOnly; "
		    "SameSite=Lax; Secure\r\n" },
		{ NULL, "https", "Set-Cookie: __Host-evqa_session=abc; Path=/; Max-Age=60; HttpOnly; "
		    "SameSite=Lax; Secure\r\n" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req_input in;
		struct req r;

		memset(&in, 0, sizeof(in));
		in.https = cases[i].https;
		in.scheme = cases[i].scheme;
		req_init(&r, &in, NULL, NULL);
		struct buf head = BUF_INIT;
		char	*line, *end;

		/* the Set-Cookie line of the reply head */
		guard_set_session_cookie(&r, "abc", 60);
		req_reply_head(&r, &head);
		line = head.p ? strstr(head.p, "Set-Cookie: ") : NULL;
		if (line != NULL && (end = strstr(line, "\r\n")) != NULL)
			end[2] = '\0';
		is_str(line ? line : "", cases[i].want, "session cookie over %s", cases[i].scheme);
		buf_free(&head);
		req_free(&r);
	}
}

static void
test_diff(void)
{
	static const struct { const char *a, *b, *want; int changed; } cases[] = {
		{ "same\n", "same\n", "<div class=\"diff\">\n<div class=\"diff-line diff-same\">same</div>\n</div>\n", 0 },
		{ "one two three", "one 2 three",
		    "<div class=\"diff\">\n"
		    "<div class=\"diff-line diff-del\"><span class=\"visually-hidden\">Removed: </span>one "
		    "<del>two </del>three</div>\n"
		    "<div class=\"diff-line diff-add\"><span class=\"visually-hidden\">Added: </span>one "
		    "<ins>2 </ins>three</div>\n</div>\n", 1 },
		{ "a\nb", "a\n<b>",
		    "<div class=\"diff\">\n<div class=\"diff-line diff-same\">a</div>\n"
		    "<div class=\"diff-line diff-del\"><span class=\"visually-hidden\">Removed: </span>"
		    "<del>b</del></div>\n"
		    "<div class=\"diff-line diff-add\"><span class=\"visually-hidden\">Added: </span>"
		    "<ins>&lt;b&gt;</ins></div>\n</div>\n", 1 },
		{ "", "new line",
		    "<div class=\"diff\">\n<div class=\"diff-line diff-add\"><span class=\"visually-hidden\">"
		    "Added: </span><ins>new line</ins></div>\n</div>\n", 1 },
		{ "keep these words", "keep all of these words",
		    "<div class=\"diff\">\n"
		    "<div class=\"diff-line diff-del\"><span class=\"visually-hidden\">Removed: </span>keep these "
		    "words</div>\n"
		    "<div class=\"diff-line diff-add\"><span class=\"visually-hidden\">Added: </span>keep <ins>all "
		    "of </ins>these words</div>\n</div>\n", 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;
		int	 n = diff_html(&b, cases[i].a, cases[i].b, NULL);

		is_str(b.p ? b.p : "", cases[i].want, "diff %zu: HTML", i);
		ok(n == cases[i].changed, "diff %zu: %d changed lines (got %d)", i, cases[i].changed, n);
		buf_free(&b);
	}
}

/* Two texts of 1500 different lines each: over DIFF_MAX_CELLS, shown whole, quickly. */
static void
test_diff_bound(void)
{
	size_t	 n = 1500 * 8;
	char	*a = malloc(n + 1), *b = malloc(n + 1);
	struct buf out = BUF_INIT;
	int	 rc;

	for (size_t i = 0; i < n; i++) {
		a[i] = i % 8 == 7 ? '\n' : (char)('a' + (i / 8) % 26);
		b[i] = i % 8 == 7 ? '\n' : (char)('A' + (i / 8) % 26);
	}
	a[n] = b[n] = '\0';
	rc = diff_html(&out, a, b, NULL);
	ok(rc == -1, "a diff over the bound is reported as shown whole");
	ok(out.p != NULL && strstr(out.p, "<del>aaaaaaa</del>") != NULL && strstr(out.p, "<ins>AAAAAAA</ins>") != NULL,
	    "and still shows both texts");
	buf_free(&out);
	free(a);
	free(b);
}

/* Two 58 KB texts of 32 lines of 900 alternating one-letter words ("a b a b" against "b a b a"): each
 * line pair is under DIFF_MAX_CELLS, but all of them together would fill 26M cells. The page's
 * budget stops word diffs once DIFF_PAGE_CELLS are used; the rest is shown whole. */
static void
test_diff_page_budget(void)
{
	size_t	 lines = 32, words = 900, n = lines * words * 2;
	char	*a = malloc(n + 1), *b = malloc(n + 1);
	struct buf out = BUF_INIT;
	size_t	 budget = DIFF_PAGE_CELLS;
	int	 rc;

	for (size_t i = 0; i < n; i += 2) {
		int	 eol = (i / 2) % words == words - 1;

		a[i] = (i / 2) % 2 ? 'b' : 'a';
		b[i] = (i / 2) % 2 ? 'a' : 'b';
		a[i + 1] = b[i + 1] = eol ? '\n' : ' ';
	}
	a[n] = b[n] = '\0';
	rc = diff_html(&out, a, b, &budget);
	ok(rc == -1, "two 58 KB revisions of alternating one-letter words: part is shown whole");
	ok(budget < DIFF_PAGE_CELLS && budget < DIFF_MAX_CELLS, "the comparisons used the page's budget "
	    "(%zu cells left)", budget);
	ok(out.p != NULL && strstr(out.p, "<ins>") != NULL && strstr(out.p, "<del>") != NULL,
	    "and both texts are still shown");
	buf_free(&out);
	budget = 0;
	rc = diff_html(&out, "one\ntwo\n", "one\nthree\n", &budget);
	ok(rc == -1 && strstr(out.p, "three") != NULL, "with no budget left even a small diff is shown whole");
	buf_free(&out);
	free(a);
	free(b);
}

int
main(void)
{
	test_local_path();
	test_session_cookie();
	test_diff();
	test_diff_bound();
	test_diff_page_budget();
	return done_testing();
}
