/* search.h: full-text search over article sections, and answers to readers' questions built from it.
 *
 * A query is any user text. It is split into words here (letters and digits; everything else, FTS5
 * syntax included, separates words), stop words are dropped, at most SEARCH_TERMS_MAX words are kept,
 * and each is quoted before it reaches FTS5, so no text can be a syntax error or an expensive
 * expression. Phrases found in the synonym table (abbreviations, the topics' other names) add their
 * expansion as a quoted phrase. Words are ORed: bm25 rewards sections that match more of them, which
 * keeps long, chatty questions working. Sections are ranked approved first, then by bm25 weighted
 * towards the article question and the headings.
 *
 * Cost: bm25 is computed for every matching section, so a word found in thousands of sections
 * ("symptoms", "disease") is expensive. A word is common when more than SEARCH_COMMON_SHARE of the
 * sections hold it. When the query has other words, sections must hold at least one of those (or an
 * expansion), and the common words only add to the score: (rare...) AND (rare... OR common...).
 * A query of common words only asks for all of them, and for any of them when that finds too few. */
#ifndef EVQA_SEARCH_H
#define EVQA_SEARCH_H

#include <stddef.h>

struct db;
struct buf;
struct json_t;

#define SEARCH_TERMS_MAX	16	/* words of a query that are searched */
#define SEARCH_EXP_MAX		8	/* synonym expansions added to a query */
#define SEARCH_ROWS_MAX		200	/* matching sections read, best first */
#define SEARCH_HITS_SHOWN	3	/* sections shown per article */
#define ANSWER_PASSAGES_MAX	5
#define SEARCH_COMMON_SHARE	0.03	/* a word in more sections than this share is common */

struct search_query {
	char	 fts[4200];		/* the FTS5 query; "" when no word is left to search */
	char	 fts_or[2048];		/* every word and expansion ORed (plain bm25, and the fallback) */
	int	 nterms;
	char	 terms[SEARCH_TERMS_MAX][48];	/* the words searched, lower case */
	int	 nexp;
	char	 exp[SEARCH_EXP_MAX][204];	/* synonym expansions, words separated by spaces */
	unsigned int exp_covers[SEARCH_EXP_MAX];	/* bit i: the expansion stands for terms[i] */
};

/* Builds the FTS5 query for text. plain: no synonyms. Never fails: text with no searchable word gives
 * an empty fts. */
void	 search_parse(struct db *db, const char *text, int plain, struct search_query *q);

struct search_hit {
	long long	 section_id, article_id, revision_id;
	char		 state[16];
	double		 score;		/* bm25: lower is better */
	int		 ord;		/* the section's place in its article */
	/* Filled by search_detail(): */
	char		*slug, *question, *heading, *snippet, *cites, *source_id, *article_source_id, *text;
};

struct search_group {
	long long	 article_id;
	int		 hits[SEARCH_HITS_SHOWN];	/* indexes into hits, best first */
	int		 nhits;
	int		 more;		/* further matching sections not listed */
};

struct search_result {
	struct search_hit *hits;
	int		 nhits;
	struct search_group *groups;	/* articles, best first */
	int		 ngroups;
};

/* Runs q (search_parse()) for audience (when all of a query's words together find too few sections,
 * q->fts becomes q->fts_or, which search_detail() then uses) (a code) and state (a code or NULL). plain: unweighted bm25.
 * Returns 0, or -1 (logged) when the database failed. Free res with search_free(). */
int	 search_run(struct db *db, struct search_query *q, const char *audience, const char *state,
	    int plain, struct search_result *res);
/* Reads heading, snippet and the rest for the hits of groups [from, to). Returns 0 or -1. */
int	 search_detail(struct db *db, const struct search_query *q, struct search_result *res, int from,
	    int to);
void	 search_free(struct search_result *res);

/* Writes a snippet (matches between \1 and \2) as HTML: the text escaped, the matches in <mark>. */
void	 search_snippet_html(struct buf *out, const char *snippet);
/* The snippet as plain text, markers removed (malloc'd), or NULL. */
char	*search_snippet_plain(const char *snippet);

/* The share (0..1) of the query's words found in text (word starts, a crude stem). */
double	 search_coverage(const struct search_query *q, const char *text);

/* Answers a question from the sections: a JSON object {"state": "answered"|"queued", "passages":
 * [...]} with at most ANSWER_PASSAGES_MAX passages that pass the relevance threshold, each with its
 * article, section, snippet, review state and the references it cites. article_id (0: none) and
 * audience are the question's context. Returns a new reference, or NULL when the database failed. */
struct json_t *answer_compute(struct db *db, const char *question, long long article_id, const char *audience);

/* Frees what this thread cached for searching (word frequencies); a worker calls it before it ends. */
void	 search_thread_end(void);

/* The relevance threshold: a passage must hold at least this share of the question's words. */
#define ANSWER_COVERAGE_MIN	0.5

#endif
