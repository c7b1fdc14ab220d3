/* t_search.c: the search query builder (any text becomes quoted words), snippet markup and the
 * relevance measure used for answers. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "search.h"
#include "tap.h"

/* 1 when fts is a list of "quoted words" joined by " OR ", with no other FTS5 syntax. */
static int
only_quoted_words(const char *fts)
{
	const char *p = fts;

	while (*p != '\0') {
		if (*p++ != '"')
			return 0;
		while (*p != '\0' && *p != '"') {
			if (strchr("*:^()+-{}", *p) != NULL)
				return 0;
			p++;
		}
		if (*p++ != '"')
			return 0;
		if (*p == '\0')
			break;
		if (strncmp(p, " OR ", 4) != 0)
			return 0;
		p += 4;
	}
	return 1;
}

static void
test_parse(void)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "acupuncture", "\"acupuncture\"" },
		{ "What is the treatment of gout?", "\"treatment\" OR \"gout\"" },
		{ "my mom has diabetes, what can she take", "\"diabetes\" OR \"take\"" },
		{ "NEAR(pain relief, 2)", "\"near\" OR \"pain\" OR \"relief\" OR \"2\"" },
		{ "title:pain OR heading:* AND \"x", "\"title\" OR \"pain\" OR \"heading\"" },
		{ "pain pain PAIN", "\"pain\"" },
		{ "the of and", "" },
		{ "", "" },
		{ "\"\"\"", "" },
		{ "caf\xc3\xa9 na\xc3\xafve", "\"caf\xc3\xa9\" OR \"na\xc3\xafve\"" },
		{ "'; DROP TABLE section; --", "\"drop\" OR \"table\" OR \"section\"" },
	};
	struct search_query q;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		search_parse(NULL, cases[i].in, 1, &q);
		is_str(q.fts, cases[i].want, "query from '%s'", cases[i].in);
		ok(only_quoted_words(q.fts), "'%s' becomes quoted words only", cases[i].in);
	}
	{
		char	 big[4000] = "";

		for (int i = 0; i < 300; i++)
			strcat(big, i % 2 ? "alpha " : "wordnumber ");
		strcat(big, "omega");
		search_parse(NULL, big, 1, &q);
		ok(q.nterms == 2, "repeated words count once, and only the first 64 words are read (%d terms)",
		    q.nterms);
	}
	{
		char	 big[8000] = "";

		for (int i = 0; i < 100; i++) {
			char	 w[16];

			w[0] = (char)('a' + i % 26);
			w[1] = (char)('a' + i / 26);
			strcpy(w + 2, "term ");
			strcat(big, w);
		}
		search_parse(NULL, big, 1, &q);
		ok(q.nterms == SEARCH_TERMS_MAX, "at most %d words are searched (%d)", SEARCH_TERMS_MAX, q.nterms);
	}
}

static void
test_snippet_html(void)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "plain", "plain" },
		{ "\001pain\002 relief", "<mark>pain</mark> relief" },
		{ "<script>\001x\002</script>", "&lt;script&gt;<mark>x</mark>&lt;/script&gt;" },
		{ "\001unclosed", "<mark>unclosed</mark>" },
		{ "stray\002 close", "stray close" },
		{ "a & \001b\002 \"c\"", "a &amp; <mark>b</mark> &quot;c&quot;" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;
		char	*plain;

		search_snippet_html(&b, cases[i].in);
		is_str(b.p ? b.p : "", cases[i].want, "snippet HTML %zu", i);
		buf_free(&b);
		plain = search_snippet_plain(cases[i].in);
		ok(plain != NULL && strchr(plain, '\001') == NULL && strchr(plain, '\002') == NULL,
		    "plain snippet %zu has no markers", i);
		free(plain);
	}
}

static void
test_coverage(void)
{
	struct search_query q;

	search_parse(NULL, "diabetes feet numbness", 1, &q);
	ok(search_coverage(&q, "Diabetic neuropathy causes numbness in the feet.") == 1.0,
	    "stems match word starts (diabetes ~ diabetic, numbness)");
	ok(search_coverage(&q, "Nothing to see here.") == 0.0, "no words: 0");
	ok(search_coverage(&q, "The feet.") > 0.3 && search_coverage(&q, "The feet.") < 0.4, "one word in three");
	ok(search_coverage(&q, "surefeet") == 0.0, "a stem inside a word does not count");
}

int
main(void)
{
	test_parse();
	test_snippet_html();
	test_coverage();
	return done_testing();
}
