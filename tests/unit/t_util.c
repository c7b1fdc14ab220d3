/* t_util.c: the memo of replies, escaping writers, UTF-8 validation, percent-decoding, number parsing and the test clock. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "memo.h"
#include "tap.h"
#include "util.h"

static void
test_arena_grow(void)
{
	struct arena a = { NULL };
	int	*v = NULL, n = 0, cap = 0, same = 1;

	for (int i = 0; i < 100; i++) {
		if ((v = arena_grow(&a, v, n, &cap, sizeof(*v))) == NULL)
			break;
		v[n++] = i * 7;
	}
	for (int i = 0; v != NULL && i < n; i++)
		same &= v[i] == i * 7;
	ok(v != NULL && n == 100 && cap >= 100 && same, "an arena array grows to 100 elements, keeping them "
	    "(%d, room for %d)", n, cap);
	ok(v != NULL && cap > n && arena_grow(&a, v, n, &cap, sizeof(*v)) == v, "with room left it stays where "
	    "it is");
	arena_free(&a);
}

static void
test_html_escape(void)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "plain text", "plain text" },
		{ "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ "a & b", "a &amp; b" },
		{ "\" onmouseover='x'", "&quot; onmouseover=&#39;x&#39;" },
		{ "", "" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;

		buf_html(&b, cases[i].in);
		is_str(b.p ? b.p : "", cases[i].want, "buf_html escapes '%s'", cases[i].in);
		buf_free(&b);
	}
}

static void
test_url_escape(void)
{
	struct buf b = BUF_INIT;

	buf_url(&b, "a b/c?d=e&f#\"<>");
	is_str(b.p, "a%20b%2Fc%3Fd%3De%26f%23%22%3C%3E", "buf_url percent-encodes all but unreserved");
	buf_free(&b);
}

static void
test_buf_int(void)
{
	static const long long cases[] = { 0, 7, -7, 1234567890123LL, -9223372036854775807LL - 1 };
	static const char *const want[] = { "0", "7", "-7", "1234567890123", "-9223372036854775808" };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;

		buf_int(&b, cases[i]);
		is_str(b.p, want[i], "buf_int writes %lld", cases[i]);
		buf_free(&b);
	}
}

static void
test_buf_limit(void)
{
	struct buf b = BUF_INIT;

	b.max = 8;
	buf_lit(&b, "12345");
	buf_lit(&b, "67890");
	ok(b.err, "a buffer over its limit sets the sticky error");
	buf_lit(&b, "x");
	ok(b.err && b.len == 5, "writes after an error are ignored");
	ok(buf_steal(&b) == NULL, "stealing a failed buffer gives NULL");
	buf_free(&b);
}

static void
test_utf8(void)
{
	static const struct { const char *s; int valid; } cases[] = {
		{ "hello", 1 }, { "caf\xc3\xa9", 1 }, { "\xe2\x82\xac", 1 }, { "\xf0\x9f\x98\x80", 1 },
		{ "\xff", 0 }, { "\xc3", 0 }, { "\xc0\xaf", 0 }, { "\xe0\x80\xaf", 0 },
		{ "\xed\xa0\x80", 0 }, { "\xf4\x90\x80\x80", 0 }, { "a\x80", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(utf8_valid(cases[i].s, strlen(cases[i].s)) == cases[i].valid,
		    "utf8_valid case %zu is %s", i, cases[i].valid ? "valid" : "invalid");
}

static void
test_pct_decode(void)
{
	static const struct { const char *in; int plus; const char *want; } cases[] = {
		{ "a%20b", 0, "a b" }, { "a+b", 1, "a b" }, { "a+b", 0, "a+b" },
		{ "%41%42", 0, "AB" }, { "caf%C3%A9", 0, "caf\xc3\xa9" },
		{ "%zz", 0, NULL }, { "%4", 0, NULL }, { "%", 0, NULL }, { "a%00b", 0, NULL },
		{ "%ff%fe", 0, NULL }, { "%C3", 0, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char	 out[64];
		long	 n = pct_decode(out, cases[i].in, strlen(cases[i].in), cases[i].plus);

		if (cases[i].want == NULL)
			ok(n == -1, "pct_decode rejects '%s'", cases[i].in);
		else
			is_str(n >= 0 ? out : NULL, cases[i].want, "pct_decode decodes '%s'", cases[i].in);
	}
}

static void
test_parse_int(void)
{
	static const struct { const char *s; long long min, max; int ok; long long want; } cases[] = {
		{ "1", 1, 100, 1, 1 }, { "100", 1, 100, 1, 100 }, { "101", 1, 100, 0, 0 },
		{ "0", 1, 100, 0, 0 }, { "-1", 1, 100, 0, 0 }, { "1e3", 1, 10000, 0, 0 },
		{ "", 1, 100, 0, 0 }, { " 1", 1, 100, 0, 0 }, { "1 ", 1, 100, 0, 0 }, { "0x10", 0, 100, 0, 0 },
		{ "99999999999999999999", 0, 9223372036854775807LL, 0, 0 }, { "+5", 0, 10, 0, 0 },
		{ "-5", -10, 10, 1, -5 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long long v = 0;
		int	 r = parse_int(cases[i].s, cases[i].min, cases[i].max, &v);

		ok((r == 0) == cases[i].ok && (!cases[i].ok || v == cases[i].want),
		    "parse_int '%s' in [%lld, %lld] %s", cases[i].s, cases[i].min, cases[i].max,
		    cases[i].ok ? "is accepted" : "is refused");
	}
}

static void
test_time_human(void)
{
	char	 out[40];

	time_human("2025-07-25T09:00:00Z", out, sizeof(out));
	is_str(out, "July 25, 2025", "times are shown as people write dates");
	ok(time_human("garbage", out, sizeof(out)) == -1, "a malformed time is reported");
}

static void
test_utf8_trim(void)
{
	char	 s[] = "ab\xc3";
	char	 t[] = "ab\xe2\x82";
	char	 u[] = "ab\xc3\xa9";

	utf8_trim(s);
	utf8_trim(t);
	utf8_trim(u);
	is_str(s, "ab", "a cut two-byte sequence is trimmed");
	is_str(t, "ab", "a cut three-byte sequence is trimmed");
	is_str(u, "ab\xc3\xa9", "a whole sequence is kept");
}

static void
test_text_words(void)
{
	ok(text_word_len("Bell's palsy") == 4 && text_apostrophe("'s") == 1, "a word ends at an apostrophe");
	ok(text_word_len("Bell\xe2\x80\x99s") == 4 && text_apostrophe("\xe2\x80\x99s") == 3 &&
	    text_mark("\xe2\x80\x99s") == 3, "and at a right single quotation mark, which is three bytes");
	ok(text_word_len("\xe2\x80\x9c" "Parkinson\xe2\x80\x9d") == 0 && text_word_len("Parkinson\xe2\x80\x9d") == 9,
	    "typographic double quotes are no part of a word");
	ok(text_word_len("pain\xe2\x80\x94what") == 4 && text_word_len("wait\xe2\x80\xa6") == 4 &&
	    text_word_len("knee\xc2\xa0" "pain") == 4, "nor are a dash, an ellipsis or a no-break space");
	ok(text_word_len("Graves\xca\xbc") == 6 && text_apostrophe("\xca\xbc") == 2, "a modifier letter apostrophe");
	ok(text_word_len("na\xc3\xafve, then") == 6 && text_word_len("\xe2\x82\xac" "5") == 4 &&
	    text_word_len("\xe2\x81\xb0") == 3, "other non-ASCII characters belong to words (U+2070 is past the block)");
	ok(text_word_len(" x") == 0 && text_word_len("") == 0 && text_apostrophe("") == 0 && text_mark("") == 0,
	    "nothing at a space or the end");
	{
		const char *t = "wrist\xe2\x80\x94knuckles caf\xc3\xa9s (x";

		ok(text_word_start(t, t) && text_word_start(t, t + 8) && !text_word_start(t, t + 9),
		    "a word starts at the text's start and after a dash, not inside a word");
		ok(!text_word_start(t, t + 22) && text_word_start(t, t + 25) && text_word_start(t, t + 17),
		    "not after a non-ASCII letter; after a space or a parenthesis");
	}
}

/* Replaces the content of the file at path with text (as a test moves the clock). */
static void
write_file(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	if (f == NULL || fputs(text, f) == EOF || fclose(f) == EOF)
		ok(0, "cannot write %s", path);
}

/* 1 when time_now() is the real time moved by off seconds. */
static int
clock_is(long long off)
{
	time_t	 t0 = time(NULL), n = time_now(), t1 = time(NULL);

	return n >= t0 + off && n <= t1 + off;
}

static void
test_clock(void)
{
	/* what the clock file holds, then the offset the clock has after reading it */
	static const struct { const char *text; long long off; } moves[] = {
		{ "0\n", 0 },
		{ "3600\n", 3600 },
		{ "-86400", -86400 },
		{ "7", 7 },
		{ "", 7 },				/* half-written: the last offset stays */
		{ "soon\n", 7 },
		{ "+5\n", 7 },
		{ "5 s\n", 7 },
		{ "99999999999999\n", 7 },		/* beyond TIME_TEST_CLOCK_MAX */
		{ "-3\n", -3 },
	};
	static char path[4096];
	const char *dir = getenv("TMPDIR");
	char	 iso[21], text[32];
	long long far;
	int	 fd;

	snprintf(path, sizeof(path), "%s/t_util-clock.XXXXXX", dir && dir[0] ? dir : "/tmp");
	if ((fd = mkstemp(path)) == -1) {
		ok(0, "cannot make a clock file in %s", dir && dir[0] ? dir : "/tmp");
		return;
	}
	close(fd);
	ok(clock_is(0), "without a test clock, time_now() is the real time");
	write_file(path, "later\n");
	ok(time_test_clock(path) == -1 && clock_is(0), "a clock file that holds no offset is refused; the clock "
	    "stays real");
	write_file(path, "");
	ok(time_test_clock(path) == -1 && clock_is(0), "an empty clock file is refused");
	write_file(path, "0\n");
	ok(time_test_clock(path) == 0 && clock_is(0), "a clock file holding 0 is taken");
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		write_file(path, moves[i].text);
		ok(clock_is(moves[i].off), "clock file '%.*s': the clock is moved by %lld s",
		    (int)strcspn(moves[i].text, "\n"), moves[i].text, moves[i].off);
	}
	far = 1000000000LL - (long long)time(NULL);
	snprintf(text, sizeof(text), "%lld\n", far);
	write_file(path, text);
	time_now_iso(iso);
	ok(strncmp(iso, "2001-09-09T01:4", 15) == 0, "time_now_iso reads the moved clock (%s)", iso);
	unlink(path);
	ok(clock_is(far), "a clock file that has gone keeps the last offset");
	ok(time_test_clock(path) == -1 && clock_is(0), "naming a missing file is refused; the clock is real again");
}

static void
test_memo(void)
{
	struct memo *m = memo_new();
	const char *got;
	size_t	 len = 0;
	char	 key[100];

	ok(m != NULL && memo_get(m, 7, "article 1 -", "2026-01-01T00:00:00Z", &len) == NULL,
	    "an empty memo holds nothing");
	ok(memo_put(m, 7, "article 1 -", "{\"a\":1}", 7, NULL) == 0 &&
	    (got = memo_get(m, 7, "article 1 -", "2026-01-01T00:00:00Z", &len)) != NULL && len == 7 &&
	    memcmp(got, "{\"a\":1}", 7) == 0, "a reply kept is given back, whole");
	ok(memo_get(m, 7, "article 2 -", "2026-01-01T00:00:00Z", &len) == NULL &&
	    memo_get(m, 7, "article 1 patient", "2026-01-01T00:00:00Z", &len) == NULL,
	    "another key gets nothing");
	ok(memo_put(m, 7, "article 1 -", "{\"a\":2}", 7, NULL) == 0 &&
	    (got = memo_get(m, 7, "article 1 -", "2026-01-01T00:00:00Z", &len)) != NULL &&
	    memcmp(got, "{\"a\":2}", 7) == 0, "keeping a key again replaces its reply");
	ok(memo_get(m, 8, "article 1 -", "2026-01-01T00:00:00Z", &len) == NULL &&
	    memo_get(m, 7, "article 1 -", "2026-01-01T00:00:00Z", &len) == NULL,
	    "a new database version drops every reply, and the old version gets nothing back");
	ok(memo_put(m, 0, "article 1 -", "x", 1, NULL) == -1 && memo_get(m, 0, "article 1 -",
	    "2026-01-01T00:00:00Z", &len) == NULL, "version 0 (unknown) is never kept nor matched");
	memo_put(m, 8, "article 3 -", "due", 3, "2026-06-01T00:00:00Z");
	ok(memo_get(m, 8, "article 3 -", "2026-05-31T23:59:59Z", &len) != NULL &&
	    memo_get(m, 8, "article 3 -", "2026-06-01T00:00:00Z", &len) == NULL,
	    "a reply kept until a time is given back before it, not from it on");
	for (int i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "article %d -", 100 + i);
		memo_put(m, 8, key, key, strlen(key), NULL);
	}
	ok((got = memo_get(m, 8, "article 299 -", "2026-01-01T00:00:00Z", &len)) != NULL &&
	    strcmp(got, "article 299 -") == 0 && memo_get(m, 8, "article 100 -", "2026-01-01T00:00:00Z",
	    &len) == NULL, "with more replies than slots the newest are kept, the oldest reused");
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	ok(memo_put(m, 8, key, "x", 1, NULL) == -1, "a key longer than the memo keeps is refused");
	memo_free(m);
}

int
main(void)
{
	test_memo();
	test_arena_grow();
	test_html_escape();
	test_url_escape();
	test_buf_int();
	test_buf_limit();
	test_utf8();
	test_pct_decode();
	test_parse_int();
	test_time_human();
	test_utf8_trim();
	test_text_words();
	test_clock();
	return done_testing();
}
