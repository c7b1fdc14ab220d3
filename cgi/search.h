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
 * Where the query holds words of the topics' vocabulary (topic_vocab()), the required words are
 * those, so that the chatter of a message, as rare in articles as a disease's name, does not choose
 * the sections (plan() in search.c). A query of common words only asks for all of them, and for
 * any of them when that finds too few. */
#ifndef EVQA_SEARCH_H
#define EVQA_SEARCH_H

#include <stddef.h>

#include "topic.h"

struct db;
struct buf;
struct json_t;

#define SEARCH_TERMS_MAX	16	/* words of a query that are searched */
#define SEARCH_EXP_MAX		8	/* synonym expansions added to a query */
#define SEARCH_ROWS_MAX		200	/* matching sections read, best first */
#define SEARCH_ROWS_LIMIT	4000	/* the most read for a deep page of results */
#define SEARCH_HITS_SHOWN	3	/* sections shown per article */
#define ANSWER_PASSAGES_MAX	5
#define SEARCH_COMMON_SHARE	0.03	/* a word in more sections than this share is common */
#define SEARCH_COMMON_MIN	50	/* and in more sections than this */
#define SEARCH_VOCAB_SHARE	0.06	/* a common word this rare may make up the required group */

struct search_query {
	char	 fts[4200];		/* the FTS5 query; "" when no word is left to search */
	char	 fts_or[2048];		/* every word and expansion ORed (plain bm25, and the fallback) */
	int	 nterms;
	char	 terms[SEARCH_TERMS_MAX][48];	/* the words searched, lower case */
	int	 nexp;
	char	 exp[SEARCH_EXP_MAX][204];	/* synonym expansions, words separated by spaces */
	unsigned int exp_covers[SEARCH_EXP_MAX];	/* bit i: the expansion stands for terms[i] */
	/* What the text is about and asks (not for plain queries): */
	struct topic_set topics;	/* articles whose topic it names, best first */
	unsigned	 qtypes;	/* QT_BIT()s of what it asks */
	char		 corrected[600];	/* the text with misspelled words corrected, "" when none */
	/* Set by the caller before search_run(): */
	long long	 context;	/* the article the question was asked from, 0 for none */
	int		 approved_first;	/* 1 (search_parse()'s default): approved wording first */
	int		 want_total;	/* 1: count every matching article into res->total */
	int		 rows;		/* matching sections read: SEARCH_ROWS_MAX (the default) to
					   SEARCH_ROWS_LIMIT, more for deeper pages of a list */
};

/* Builds the FTS5 query for text. plain: no synonyms. Never fails: text with no searchable word gives
 * an empty fts. */
void	 search_parse(struct db *db, const char *text, int plain, struct search_query *q);

struct search_hit {
	long long	 section_id, article_id, revision_id;
	char		 state[24];	/* a review state: "changes_requested" is the longest */
	double		 score;		/* bm25: lower is better */
	int		 ord;		/* the section's place in its article */
	char		 qtype[24];	/* the section's question type */
	double		 rank;		/* the combined score of search_run(): higher is better */
	int		 fts;		/* 1: found by the full-text query, 0: added as a topic's section */
	/* Filled by search_detail(): */
	char		*slug, *question, *heading, *snippet, *cites, *source_id, *article_source_id, *text;
	char		*anchor;	/* the heading's id on the article page, or NULL */
};

struct search_group {
	long long	 article_id;
	int		 hits[SEARCH_HITS_SHOWN];	/* indexes into hits, best first */
	int		 nhits;
	int		 more;		/* further matching sections not listed */
};

#define SEARCH_TWINS_MAX	8	/* articles of the context's own name looked at, at most */

struct search_result {
	struct search_hit *hits;
	int		 nhits;
	struct search_group *groups;	/* articles, best first */
	int		 ngroups;
	int		 context_kept;	/* the context article stayed the subject (see search_run()) */
	long long	 twins[SEARCH_TWINS_MAX];	/* the context's twins, for a question of a type */
	int		 ntwins;
	int		 twins_answer;	/* the context has no section of the type asked: its twins'
					   sections of that type rank as its own */
	long long	 total;		/* with want_total, the articles that match in all, beyond those
					   read; else the articles read */
};

/* Ranking (not for plain queries). The pool is the SEARCH_ROWS_MAX best sections by bm25 and every
 * section of the SEARCH_TOPICS_POOLED best topic articles and of the context article. A section's
 * rank adds: its bm25 relative to the best of the pool (0..1); RANK_TOPIC times the square of its
 * article's topic score relative to the best topic (the topic a question is about leads the topics its
 * story mentions by more than their scores' ratio), RANK_GROUP times it for a topic named only as a
 * group's subject (topic_hit.group: a likely place, not a sure subject); RANK_TYPE when its type is one the question asks (for a question
 * that asks no type, RANK_TYPE / 2 for the article's introduction); RANK_CONTEXT + RANK_TOPIC for the
 * context article while the question names no other topic, RANK_CONTEXT_OTHER when it does (when
 * the question asks a type the context article has no section of, its twins' sections of that type,
 * articles of the same name, "Migraine" from another source, rank as the context's); RANK_APPROVED
 * for approved wording, and with approved_first (search lists) approved wording comes before all
 * unapproved wording. Articles are ordered by their best section, sections within them by rank. */
#define SEARCH_TOPICS_POOLED	6
#define SEARCH_POOL_EXTRA	160	/* sections of those articles added to the pool, at most */
#define RANK_TOPIC		3.0
#define RANK_GROUP		(RANK_TOPIC / 2)
#define RANK_TYPE		1.2
#define RANK_CONTEXT		3.0
#define RANK_CONTEXT_OTHER	1.0
#define RANK_APPROVED		0.5

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

/* The groups [from, to) of res as the search API's JSON array (articles with their matching sections,
 * snippets plain and marked up); with_score adds each section's bm25 score. A new reference. */
struct json_t *search_results_json_new(const struct search_result *res, int from, int to, int with_score);

/* Answers a question from the sections: a JSON object with
 *   state       "answered" when the confidence reaches ANSWER_CONFIDENCE_MIN, else "queued";
 *   confidence  0..1 (see answer_confidence());
 *   topic       {article_id, title, url} of the topic recognised, or null;
 *   qtype       the type asked, or null;
 *   corrected   the question with misspellings corrected, or null;
 *   summary     one to ANSWER_SUMMARY_MAX sentences quoted from the best approved passage, each with
 *               its section's address (with the heading's anchor) and the references it cites; empty
 *               unless answered;
 *   passages    at most ANSWER_PASSAGES_MAX passages, best first (two at most from one article), each
 *               with its article, section, type, snippet, review state and the references it cites.
 * article_id (0: none) and audience are the question's context. Returns a new reference, or NULL
 * when the database failed. */
struct json_t *answer_compute(struct db *db, const char *question, long long article_id, const char *audience);

/* The confidence of an answer whose best section is h: ANSWER_CONF_TOPIC when its article is a topic
 * the question names (or the context article), ANSWER_CONF_TYPE when its type is one asked (or the
 * question asks none), and up to ANSWER_CONF_WORDS for the share of the question's words it holds. */
#define ANSWER_CONF_TOPIC	0.5
#define ANSWER_CONF_TYPE	0.25
#define ANSWER_CONF_WORDS	0.25
#define ANSWER_CONFIDENCE_MIN	0.6
#define ANSWER_SUMMARY_MAX	3	/* sentences */
#define ANSWER_SUMMARY_BYTES	700

/* The number of sections holding word (a lower-case word; stemmed as the index stems), cached per
 * thread until the database changes; *sections is the number of sections in all. */
long long search_df(struct db *db, const char *word, long long *sections);
/* 1 when word is common (see "Cost" above): in more than SEARCH_COMMON_SHARE of the sections, and in
 * more than SEARCH_COMMON_MIN, so that in a small database no word is. */
int	 search_common(struct db *db, const char *word);

/* Frees what this thread cached for searching (word frequencies, the spelling index); a worker calls it
 * before it ends. */
void	 search_thread_end(void);


#endif
