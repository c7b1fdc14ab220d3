/* search.c: the query builder, section search and answers (see search.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "buf.h"
#include "content.h"
#include "db.h"
#include "lexicon.h"
#include "links.h"
#include "log.h"
#include "search.h"
#include "topic.h"
#include "util.h"

#define TOKENS_MAX	64	/* words of a query looked at, synonyms included */
#define TOKEN_LEN	47
#define NGRAM_MAX	5	/* longest synonym phrase looked up, in words */
#define RARE_MAX	6	/* words in the required group of a query */
#define VOCAB_COMMON_MAX 3	/* common words of the topics' vocabulary in it, when it is made of those */
#define SNIPPET_WORDS	30	/* words in a snippet */
#define WORDS_SEEN	160	/* words of a question weighed for its search terms */
#define LEXICON_EXP_MAX	2	/* expansions WordNet's names add for one phrase (lexicon.h) */

/* Words that say nothing about the topic: English function words (contractions also as written
 * without their apostrophe: "cant" is no search for Cant syndrome) and the padding of spoken
 * questions. Sorted, for bsearch. */
static const char *const stop_words[] = {
	"a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
	"are", "arent", "as", "at", "be", "because", "been", "before", "being", "below", "between",
	"both", "but", "by", "can", "cant", "could", "couldnt", "dad", "daughter", "did", "didnt", "do",
	"doctor", "does", "doesnt", "doing", "dont", "down", "during", "each", "else", "ever", "few",
	"for", "from", "further", "get", "gets", "getting", "got", "had", "hadnt", "has", "hasnt", "have",
	"havent", "having", "he", "hello", "her", "here", "hers", "herself", "hi", "him", "himself",
	"his", "how", "i", "if", "im", "in", "into", "is", "isnt", "it", "its", "itself", "ive", "just",
	"know", "let", "like", "me", "mom", "more", "most", "much", "my", "myself", "need", "no", "nor",
	"not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out",
	"over", "own", "please", "really", "same", "she", "should", "shouldnt", "so", "some", "son",
	"such", "tell", "than", "thank", "thanks", "that", "thats", "the", "their", "theirs", "them",
	"themselves", "then", "there", "these", "they", "theyre", "this", "those", "through", "to", "too",
	"under", "until", "up", "us", "very", "want", "was", "wasnt", "we", "were", "werent", "what",
	"whats", "when", "where", "which", "while", "who", "whom", "why", "wife", "will", "with", "wont",
	"would", "wouldnt", "you", "your", "youre", "yours", "yourself", "yourselves",
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
is_stop(const char *w)
{
	return bsearch(&w, stop_words, sizeof(stop_words) / sizeof(stop_words[0]), sizeof(stop_words[0]),
	    cmp_str) != NULL;
}

/* Splits s into lower-case words (text_word_len()), at most max of them. Words longer than TOKEN_LEN
 * bytes are skipped. Returns the count. */
static int
tokenize(const char *s, char (*tok)[TOKEN_LEN + 1], int max)
{
	const unsigned char *p = (const unsigned char *)s;
	int	 n = 0;

	while (*p != '\0' && n < max) {
		size_t	 len;

		while (*p != '\0' && text_word_len((const char *)p) == 0) {
			size_t	 a = text_mark((const char *)p);

			p += a ? a : 1;
		}
		if ((len = text_word_len((const char *)p)) == 0)
			break;
		if (len <= TOKEN_LEN) {
			for (size_t i = 0; i < len; i++)
				tok[n][i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] - 'A' + 'a' : p[i]);
			tok[n][len] = '\0';
			n++;
		}
		p += len;
	}
	return n;
}

static void
fts_append(char *fts, size_t sz, const char *phrase)
{
	size_t	 l = strlen(fts);

	if (l + strlen(phrase) + 8 >= sz)
		return;
	snprintf(fts + l, sz - l, "%s\"%s\"", l ? " OR " : "", phrase);
}

/* Document frequencies of words, per worker thread (each has its own connection), dropped whenever
 * the sections may have changed: the topics change with every rebuild of an article's sections
 * (section_refresh(), also when a text is first rendered, which raises no content version), the
 * content version when an article is archived or removed (which changes no topic). */
#define DF_SLOTS	2048
#define DF_TERM_LEN	48	/* longest term kept, with its NUL; a longer one is counted each time */
static __thread struct df_cache {
	unsigned long long version;	/* topic_content_version() */
	long long	 content;	/* db_content_version() */
	long long	 sections;
	struct { char term[DF_TERM_LEN]; long long df; } slot[DF_SLOTS];
} *dfc;

/* db_content_version(), read again only when the database has changed (db_version()). */
static long long
content_now(struct db *db)
{
	static __thread struct { unsigned long long dbv; long long n; } c;
	unsigned long long v = db_version(db);

	if (c.dbv != v) {
		c.n = db_content_version(db);
		c.dbv = v;
	}
	return c.n;
}

static long long
df_of(struct db *db, const char *term)
{
	unsigned long long v = topic_content_version(db);
	long long cv = content_now(db);
	size_t	 i;
	struct dbq *s;
	char	 phrase[64];

	if (dfc == NULL && (dfc = calloc(1, sizeof(*dfc))) == NULL)
		return 0;
	if (dfc->version != v || dfc->content != cv) {
		memset(dfc, 0, sizeof(*dfc));
		dfc->version = v;
		dfc->content = cv;
		s = db_stmt(db, STMT_SECTION_COUNT);
		if (db_step(s) == DB_ROW)
			dfc->sections = db_int64(s, 0);
		db_reset(s);
	}
	i = (size_t)(hash64(term, strlen(term)) % DF_SLOTS);
	if (strcmp(dfc->slot[i].term, term) == 0)
		return dfc->slot[i].df;
	snprintf(phrase, sizeof(phrase), "\"%s\"", term);
	s = db_stmt(db, STMT_SEARCH_DF);
	db_bind_text(s, 1, phrase);
	dfc->slot[i].df = db_step(s) == DB_ROW ? db_int64(s, 0) : 0;
	db_reset(s);
	snprintf(dfc->slot[i].term, sizeof(dfc->slot[i].term), "%s", term);
	return dfc->slot[i].df;
}

long long
search_df(struct db *db, const char *word, long long *sections)
{
	long long d = df_of(db, word);

	*sections = dfc ? dfc->sections : 0;
	return d;
}

int
search_common(struct db *db, const char *word)
{
	long long d = df_of(db, word), limit = dfc ? (long long)(dfc->sections * SEARCH_COMMON_SHARE) : 0;

	return d > (limit < SEARCH_COMMON_MIN ? SEARCH_COMMON_MIN : limit);
}

void
search_thread_end(void)
{
	free(dfc);
	dfc = NULL;
	topic_thread_end();
}

/* Writes in out the number of sections holding each quoted phrase of the FTS5 query fts, in order,
 * for evqa_bm25() (sql/queries.sql: search_sections): from the per-thread counts, -1 for a phrase too
 * long for them. Returns 0, or -1 when out is too small. */
static int
phrase_counts(struct db *db, const char *fts, char *out, size_t sz)
{
	size_t	 o = 0;

	out[0] = '\0';
	for (const char *p = strchr(fts, '"'); p != NULL; p = strchr(p + 1, '"')) {
		const char *end = strchr(p + 1, '"');
		char	 phrase[DF_TERM_LEN];
		long long n = -1;
		int	 w;

		if (end == NULL)
			return -1;
		if ((size_t)(end - p - 1) < sizeof(phrase)) {
			memcpy(phrase, p + 1, (size_t)(end - p - 1));
			phrase[end - p - 1] = '\0';
			n = df_of(db, phrase);
		}
		w = snprintf(out + o, sz - o, "%s%lld", o ? " " : "", n);
		if (w < 0 || (size_t)w >= sz - o)
			return -1;
		o += (size_t)w;
		p = end;
	}
	return 0;
}

/* Writes q->fts from the words and expansions: see "Cost" in search.h. */
static void
plan(struct db *db, struct search_query *q)
{
	char	 rare[2048] = "", all[2048] = "";
	int	 nrare = 0, ncommon = 0;

	if (q->nterms == 0 && q->nexp == 0)
		return;
	/* the required group: the RARE_MAX rarest words that are not common. Chatter ("advise",
	 * "sure") is as rare in articles as a disease's name, so where the question holds words of the
	 * topics' vocabulary (topic_vocab(), found in some section) only those are taken: the rare ones
	 * with the question-type cues ("treatment"), or with none but rare words that are neither, the
	 * VOCAB_COMMON_MAX rarest of its common ones ("swelling", "legs") that are in at most
	 * SEARCH_VOCAB_SHARE of the sections. Otherwise the rarest words, as ever (see "Cost" in
	 * search.h). */
	{
		enum { BY_RARITY, RARE_VOCAB, COMMON_VOCAB } by = BY_RARITY;
		int	 order[SEARCH_TERMS_MAX], n = 0, take = RARE_MAX, rareother = 0, anyplace = 0;
		int	 common[SEARCH_TERMS_MAX], vocab[SEARCH_TERMS_MAX], cue[SEARCH_TERMS_MAX];
		int	 place[SEARCH_TERMS_MAX];	/* a common vocabulary word that may be required */
		long long df[SEARCH_TERMS_MAX], sections = 0;

		for (int k = 0; k < q->nterms; k++) {
			df[k] = search_df(db, q->terms[k], &sections);
			common[k] = search_common(db, q->terms[k]);
			vocab[k] = df[k] > 0 && topic_vocab(db, q->terms[k]);
			cue[k] = topic_is_cue(q->terms[k]);
			place[k] = vocab[k] && common[k] && df[k] <= (long long)(sections * SEARCH_VOCAB_SHARE);
			if (vocab[k] && !common[k])
				by = RARE_VOCAB;
			rareother |= !vocab[k] && !common[k] && !cue[k];
			anyplace |= place[k];
		}
		if (by == BY_RARITY && rareother && anyplace) {
			by = COMMON_VOCAB;
			take = VOCAB_COMMON_MAX;
		}
		for (int k = 0; k < q->nterms; k++) {
			int	 j, cand = 0;

			switch (by) {
			case BY_RARITY:
				cand = !common[k];
				break;
			case RARE_VOCAB:
				cand = (vocab[k] || cue[k]) && !common[k];
				break;
			case COMMON_VOCAB:	/* no vocabulary word is rare here */
				cand = place[k];
				break;
			}
			if (!cand) {
				ncommon++;
				continue;
			}
			for (j = n; j > 0 && df[order[j - 1]] > df[k]; j--)
				order[j] = order[j - 1];
			order[j] = k;
			n++;
		}
		for (int j = 0; j < n && j < take; j++) {
			fts_append(rare, sizeof(rare), q->terms[order[j]]);
			nrare++;
		}
		if (n > take)
			ncommon += n - take;
	}
	for (int e = 0; e < q->nexp; e++) {
		fts_append(rare, sizeof(rare), q->exp[e]);
		nrare++;
	}
	if (nrare == 0 || ncommon == 0) {
		if (nrare == 0 && ncommon > 1) {	/* common words only: all of them */
			for (int k = 0; k < q->nterms; k++) {
				size_t	 l = strlen(all);

				snprintf(all + l, sizeof(all) - l, "%s\"%s\"", l ? " AND " : "", q->terms[k]);
			}
			memcpy(q->fts, all, sizeof(all));
		} else
			memcpy(q->fts, q->fts_or, sizeof(q->fts_or));
		return;
	}
	snprintf(q->fts, sizeof(q->fts), "(%s) AND (%s)", rare, q->fts_or);
}

/* Adds to q the expansion text (another name, as the synonym table or lexicon.h write it) of phrase,
 * a run of its words that stands for the terms covers; not the phrase itself, nor one added already.
 * Returns 1 when added, else 0. */
static int
expansion_add(struct search_query *q, const char *phrase, const char *text, unsigned int covers)
{
	char	 et[NGRAM_MAX * 2][TOKEN_LEN + 1], words[204] = "";
	int	 ne = tokenize(text, et, NGRAM_MAX * 2);

	for (int k = 0; k < ne; k++) {
		size_t	 l = strlen(words), tl = strlen(et[k]);

		if (l + tl + 2 > sizeof(words))
			break;
		if (k)
			words[l++] = ' ';
		memcpy(words + l, et[k], tl + 1);
	}
	if (ne == 0 || strcmp(words, phrase) == 0 || q->nexp >= SEARCH_EXP_MAX)
		return 0;
	for (int k = 0; k < q->nexp; k++)
		if (strcmp(q->exp[k], words) == 0)
			return 0;
	snprintf(q->exp[q->nexp], sizeof(q->exp[0]), "%.200s", words);
	q->exp_covers[q->nexp++] = covers;
	fts_append(q->fts_or, sizeof(q->fts_or), words);
	return 1;
}

/* Builds q->corrected: text with each corrected word replaced (ASCII case folded). */
static void
write_corrected(struct search_query *q, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t	 o = 0;
	int	 changed = 0;

	while (*p != '\0' && o + 1 < sizeof(q->corrected)) {
		size_t	 len = text_word_len((const char *)p), a = text_mark((const char *)p);
		const char *to = NULL;

		if (len == 0) {
			/* a mark is copied whole, never cut inside its UTF-8 bytes */
			if (a > 1) {
				if (o + a >= sizeof(q->corrected))
					break;
				memcpy(q->corrected + o, p, a);
				o += a;
				p += a;
				continue;
			}
			q->corrected[o++] = (char)(*p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
			p++;
			continue;
		}
		for (int f = 0; f < q->topics.nfix && to == NULL; f++)
			if (strlen(q->topics.fix[f].from) == len &&
			    strncasecmp((const char *)p, q->topics.fix[f].from, len) == 0)
				to = q->topics.fix[f].to;
		if (to != NULL) {
			changed = 1;
			len = strlen(to) < sizeof(q->corrected) - o - 1 ? len : 0;
			if (len == 0)
				break;
			o += (size_t)snprintf(q->corrected + o, sizeof(q->corrected) - o, "%s", to);
			p += text_word_len((const char *)p);
			continue;
		}
		if (o + len + 1 >= sizeof(q->corrected))
			break;
		memcpy(q->corrected + o, p, len);
		o += len;
		p += len;
	}
	q->corrected[changed ? o : 0] = '\0';
	utf8_trim(q->corrected);
}

void
search_parse(struct db *db, const char *text, int plain, struct search_query *q)
{
	char	 tok[TOKENS_MAX][TOKEN_LEN + 1];
	char	 qw[WORDS_SEEN][48];
	double	 weight[WORDS_SEEN];
	int	 ntok, nw, term_of[TOKENS_MAX], order[WORDS_SEEN], nord = 0;

	memset(q, 0, sizeof(*q));
	q->approved_first = 1;
	q->rows = SEARCH_ROWS_MAX;
	q->want_total = 0;
	text = text ? text : "";
	if (!plain && db != NULL) {
		if (topic_find(db, text, &q->topics) == -1) {
			memset(&q->topics, 0, sizeof(q->topics));	/* searched without topics */
			q->topics.qtypes = qtype_of_question(text);
		}
		if (q->topics.nfix > 0)
			write_corrected(q, text);
		q->qtypes = q->topics.qtypes;
	}
	/* the words searched: not filler, the weightiest first (subject line, question sentences), each
	 * misspelled one as corrected */
	nw = topic_words(text, qw, weight, WORDS_SEEN);
	for (int i = 0; i < nw; i++) {
		int	 j;

		for (int f = 0; f < q->topics.nfix; f++)
			if (strcmp(qw[i], q->topics.fix[f].from) == 0)
				snprintf(qw[i], sizeof(qw[i]), "%s", q->topics.fix[f].to);
		if (is_stop(qw[i]) || (!plain && topic_is_filler(qw[i])) ||
		    (qw[i][1] == '\0' && !(qw[i][0] >= '0' && qw[i][0] <= '9')))
			continue;
		for (j = nord; j > 0 && weight[order[j - 1]] < weight[i]; j--)
			order[j] = order[j - 1];
		order[j] = i;
		nord++;
	}
	for (int o = 0; o < nord && q->nterms < SEARCH_TERMS_MAX; o++) {
		int	 dup = 0;

		for (int k = 0; k < q->nterms && !dup; k++)
			dup = strcmp(q->terms[k], qw[order[o]]) == 0;
		if (!dup)
			snprintf(q->terms[q->nterms++], sizeof(q->terms[0]), "%.47s", qw[order[o]]);
	}
	/* the tokens, for synonym phrases: text as written, each mapped to its term */
	ntok = tokenize(q->corrected[0] ? q->corrected : text, tok, TOKENS_MAX);
	for (int i = 0; i < ntok; i++) {
		term_of[i] = -1;
		for (int k = 0; k < q->nterms; k++)
			if (strcmp(q->terms[k], tok[i]) == 0)
				term_of[i] = k;
	}
	for (int k = 0; k < q->nterms; k++)
		fts_append(q->fts_or, sizeof(q->fts_or), q->terms[k]);
	if (plain || db == NULL) {
		memcpy(q->fts, q->fts_or, sizeof(q->fts_or));
		return;
	}
	/* synonyms: every run of up to NGRAM_MAX words that holds a searched word */
	for (int n = NGRAM_MAX; n >= 1; n--)
		for (int i = 0; i + n <= ntok && q->nexp < SEARCH_EXP_MAX; i++) {
			char	 phrase[NGRAM_MAX * (TOKEN_LEN + 1) + 1] = "";
			unsigned int covers = 0;
			int	 nexp = q->nexp;
			struct dbq *s;

			for (int k = i; k < i + n; k++) {
				if (term_of[k] >= 0)
					covers |= 1u << term_of[k];
				strcat(phrase, k > i ? " " : "");
				strcat(phrase, tok[k]);
			}
			if (covers == 0)
				continue;
			s = db_stmt(db, STMT_SYNONYM_GET);
			db_bind_text(s, 1, phrase);
			while (db_step(s) == DB_ROW && q->nexp < SEARCH_EXP_MAX)
				expansion_add(q, phrase, db_text(s, 0), covers);
			db_reset(s);
			/* a name no synonym gives, but WordNet does: "tylenol" is searched as
			 * acetaminophen too, where the content writes that */
			if (nexp == q->nexp) {
				const char *alt[LEXICON_NAMES_MAX];
				int	 na = lexicon_names(phrase, alt, LEXICON_NAMES_MAX, 1), added = 0;
				long long all;

				for (int k = 0; k < na && added < LEXICON_EXP_MAX && q->nexp < SEARCH_EXP_MAX;
				    k++)
					if (search_df(db, alt[k], &all) > 0)
						added += expansion_add(q, phrase, alt[k], covers);
			}
		}
	plan(db, q);
}

void
search_free(struct search_result *res)
{
	for (int i = 0; i < res->nhits; i++) {
		struct search_hit *h = &res->hits[i];

		free(h->slug);
		free(h->question);
		free(h->heading);
		free(h->snippet);
		free(h->cites);
		free(h->source_id);
		free(h->article_source_id);
		free(h->text);
		free(h->anchor);
	}
	free(res->hits);
	free(res->groups);
	memset(res, 0, sizeof(*res));
}

/* Appends hit h to the groups of res (its article's group, made when new). */
static void
group_add(struct search_result *res, int h)
{
	int	 g;

	for (g = 0; g < res->ngroups && res->groups[g].article_id != res->hits[h].article_id; g++)
		;
	if (g == res->ngroups) {
		memset(&res->groups[g], 0, sizeof(res->groups[g]));
		res->groups[res->ngroups++].article_id = res->hits[h].article_id;
	}
	if (res->groups[g].nhits < SEARCH_HITS_SHOWN)
		res->groups[g].hits[res->groups[g].nhits++] = h;
	else
		res->groups[g].more++;
}

static int
hit_rank_cmp(const void *a, const void *b)
{
	const struct search_hit *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? 1 : -1;
	return (x->section_id > y->section_id) - (x->section_id < y->section_id);
}

/* The context article stays the subject unless the question names another topic: kept when no topic
 * is named, when it is one of them, or when a topic's words are part of its title ("arthritis" asked
 * from Osteoarthritis). A group's subject (topic_hit.group) is not a topic named here: it neither
 * moves a question away from its article nor keeps one on a group article it was asked from. */
static int
context_kept(struct db *db, const struct search_query *q)
{
	struct dbq *s;
	char	 title[400] = "";
	int	 named = 0;

	if (q->context == 0)
		return 0;
	for (int i = 0; i < q->topics.n; i++) {
		if (q->topics.hit[i].group)
			continue;
		if (q->topics.hit[i].article_id == q->context)
			return 1;
		named++;
	}
	if (named == 0)
		return 1;
	s = db_stmt(db, STMT_SHOWN_REVISION);
	db_bind_int(s, 1, q->context);
	if (db_step(s) == DB_ROW)
		topic_norm(db_text(s, 1), title, sizeof(title));
	db_reset(s);
	for (int i = 0; i < q->topics.n; i++) {
		char	 t[TOPIC_TERM_LEN * 2];

		if (q->topics.hit[i].group)
			continue;
		if (topic_norm(q->topics.hit[i].term, t, sizeof(t)) > 0 && strstr(title, t) != NULL)
			return 1;
	}
	return 0;
}

/* Adds the sections of article to the pool (those not in it already). Returns 0 or -1. */
static int
pool_article(struct db *db, struct search_result *res, long long article, const char *audience,
    const char *state, int cap)
{
	struct dbq *s = db_stmt(db, STMT_SEARCH_ARTICLE_SECTIONS);
	int	 rc, n0 = res->nhits;

	db_bind_int(s, 1, article);
	db_bind_text(s, 2, audience ? audience : "clinician");
	if (state != NULL)
		db_bind_text(s, 3, state);
	while ((rc = db_step(s)) == DB_ROW && res->nhits < cap) {
		long long id = db_int64(s, 0);
		int	 dup = 0;
		struct search_hit *h;

		for (int i = 0; i < n0 && !dup; i++)
			dup = res->hits[i].section_id == id;
		if (dup)
			continue;
		h = &res->hits[res->nhits++];
		h->section_id = id;
		h->article_id = db_int64(s, 1);
		snprintf(h->state, sizeof(h->state), "%s", db_text(s, 2));
		h->score = 0;
		snprintf(h->qtype, sizeof(h->qtype), "%s", db_text(s, 3) ? db_text(s, 3) : "");
	}
	db_reset(s);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* The index of the topic a question is about: the best topic, or where a group's subject is the
 * best, the best of the topics named as themselves, so that "my skin" said in passing does not make
 * the lupus a question names a lesser topic. -1 when none is named. */
static int
topic_lead(const struct topic_set *ts)
{
	for (int k = 0; k < ts->n; k++)
		if (!ts->hit[k].group)
			return k;
	return ts->n ? 0 : -1;
}

/* The score other topics are measured against: the lead topic's (topic_lead()), 0 for none. */
static double
topic_best(const struct topic_set *ts)
{
	int	 k = topic_lead(ts);

	return k < 0 ? 0 : ts->hit[k].score;
}

/* 1 when a section of question type qtype (a qtype_name(), "" for none) answers what q asks. */
static int
answers_asked(const struct search_query *q, const char *qtype)
{
	int	 t = qtype_find(qtype);

	return t >= 0 && (qtype_accepts(q->qtypes) & QT_BIT(t)) != 0;
}

static int
is_twin(const struct search_result *res, long long article)
{
	for (int k = 0; k < res->ntwins; k++)
		if (res->twins[k] == article)
			return 1;
	return 0;
}

/* Ranks the pool (see "Ranking" in search.h) and groups it by article. */
static void
rank_pool(struct db *db, const struct search_query *q, struct search_result *res)
{
	double	 best = 0, tmax = topic_best(&q->topics);
	int	 kept = res->context_kept = context_kept(db, q);

	/* a kept context without a section of the type asked lends its place to its twins' */
	res->twins_answer = kept && res->ntwins > 0;
	for (int i = 0; i < res->nhits && res->twins_answer; i++)
		if (res->hits[i].article_id == q->context && answers_asked(q, res->hits[i].qtype))
			res->twins_answer = 0;

	for (int i = 0; i < res->nhits; i++)
		if (res->hits[i].score < best)
			best = res->hits[i].score;
	for (int i = 0; i < res->nhits; i++) {
		struct search_hit *h = &res->hits[i];
		int	 t = qtype_find(h->qtype);

		h->rank = best < 0 && h->score < 0 ? h->score / best : 0;
		for (int k = 0; k < q->topics.n; k++)
			if (q->topics.hit[k].article_id == h->article_id) {
				double	 r = fmin(1.0, q->topics.hit[k].score / tmax);

				h->rank += (q->topics.hit[k].group ? RANK_GROUP : RANK_TOPIC) * r * r;
				break;
			}
		if (answers_asked(q, h->qtype))
			h->rank += RANK_TYPE;
		else if (q->qtypes == 0 && t == QT_INFORMATION)
			h->rank += RANK_TYPE / 2;
		/* a kept context is the subject: it ranks as the best topic would, and above it */
		if (q->context != 0 && h->article_id == q->context)
			h->rank += kept ? RANK_CONTEXT + RANK_TOPIC : RANK_CONTEXT_OTHER;
		else if (res->twins_answer && answers_asked(q, h->qtype) && is_twin(res, h->article_id))
			h->rank += RANK_CONTEXT + RANK_TOPIC;
		if (strcmp(h->state, "approved") == 0)
			h->rank += q->approved_first ? 100 : RANK_APPROVED;
	}
	qsort(res->hits, (size_t)res->nhits, sizeof(res->hits[0]), hit_rank_cmp);
	res->ngroups = 0;
	for (int i = 0; i < res->nhits; i++)
		group_add(res, i);
}

int
search_run(struct db *db, struct search_query *q, const char *audience, const char *state, int plain,
    struct search_result *res)
{
	struct dbq *s;
	int	 rc, fts_rows, rows = q->rows < SEARCH_ROWS_MAX ? SEARCH_ROWS_MAX : q->rows > SEARCH_ROWS_LIMIT ?
	    SEARCH_ROWS_LIMIT : q->rows, cap = rows + SEARCH_POOL_EXTRA;
	char	 counts[2048];

	memset(res, 0, sizeof(*res));
	if (q->fts[0] == '\0' && (plain || (q->topics.n == 0 && q->context == 0)))
		return 0;
	if ((res->hits = calloc((size_t)cap, sizeof(*res->hits))) == NULL ||
	    (res->groups = calloc((size_t)cap, sizeof(*res->groups))) == NULL)
		goto fail;
	if (q->fts[0] != '\0') {
		s = db_stmt(db, STMT_SEARCH_SECTIONS);
		db_bind_text(s, 1, q->fts);
		db_bind_text(s, 2, audience ? audience : "clinician");
		if (state != NULL)
			db_bind_text(s, 3, state);
		db_bind_int(s, 4, rows);
		db_bind_int(s, 5, plain != 0);
		if (phrase_counts(db, q->fts, counts, sizeof(counts)) == 0)
			db_bind_text(s, 6, counts);
		else
			db_bind_null(s, 6);
		while ((rc = db_step(s)) == DB_ROW) {
			struct search_hit *h = &res->hits[res->nhits];

			h->section_id = db_int64(s, 0);
			h->article_id = db_int64(s, 1);
			snprintf(h->state, sizeof(h->state), "%s", db_text(s, 2));
			h->score = db_double(s, 3);
			snprintf(h->qtype, sizeof(h->qtype), "%s", db_text(s, 4) ? db_text(s, 4) : "");
			h->fts = 1;
			group_add(res, res->nhits);
			res->nhits++;
		}
		db_reset(s);
		if (rc != DB_DONE) {
			log_warnx("search: %s (query %s)", db_errmsg(db), q->fts);
			goto fail;
		}
		/* common words only, all of them found in too few sections: any of them */
		if (res->nhits < 10 && strstr(q->fts, "\" AND \"") != NULL && strchr(q->fts, '(') == NULL) {
			search_free(res);
			memcpy(q->fts, q->fts_or, sizeof(q->fts_or));
			return search_run(db, q, audience, state, plain, res);
		}
	}
	res->total = res->ngroups;
	fts_rows = res->nhits;
	if (plain)
		return 0;
	/* the articles the question names, and the one it was asked from */
	for (int k = 0; k < q->topics.n && k < SEARCH_TOPICS_POOLED; k++)
		if (pool_article(db, res, q->topics.hit[k].article_id, audience, state, cap) == -1)
			goto fail_db;
	if (q->context != 0 && pool_article(db, res, q->context, audience, state, cap) == -1)
		goto fail_db;
	if (q->context != 0 && q->qtypes != 0) {
		s = db_stmt(db, STMT_TOPIC_TWINS);
		db_bind_int(s, 1, q->context);
		while ((rc = db_step(s)) == DB_ROW && res->ntwins < SEARCH_TWINS_MAX)
			res->twins[res->ntwins++] = db_int64(s, 0);
		db_reset(s);
		if (rc != DB_ROW && rc != DB_DONE)
			goto fail_db;
		for (int k = 0; k < res->ntwins; k++)
			if (pool_article(db, res, res->twins[k], audience, state, cap) == -1)
				goto fail_db;
	}
	rank_pool(db, q, res);
	/* the true count: the articles the full-text query matches, counted apart only when the pool
	 * holds some of them, and the named ones it does not match */
	if (q->want_total) {
		int	 fts_groups = 0, truncated = res->total > 0 && fts_rows >= rows;

		for (int g = 0; g < res->ngroups; g++) {
			int	 any = 0;

			for (int i = 0; i < res->nhits && !any; i++)
				any = res->hits[i].article_id == res->groups[g].article_id && res->hits[i].fts;
			fts_groups += any;
		}
		res->total = res->ngroups;
		if (truncated) {
			s = db_stmt(db, STMT_SEARCH_COUNT);
			db_bind_text(s, 1, q->fts);
			db_bind_text(s, 2, audience ? audience : "clinician");
			if (state != NULL)
				db_bind_text(s, 3, state);
			if (db_step(s) == DB_ROW)
				res->total = db_int64(s, 0) + (res->ngroups - fts_groups);
			db_reset(s);
		}
	}
	return 0;
fail_db:
	log_warnx("search: %s", db_errmsg(db));
fail:
	search_free(res);
	return -1;
}

static void stem_of(const char *, char *, size_t);
static int has_word_start(const char *, const char *);
static int text_cites(const char *, long);

/* 1 when the word w[0..n) starts with one of the stems. */
static int
word_hits(const char *w, size_t n, char (*stems)[48], int nstems)
{
	for (int i = 0; i < nstems; i++) {
		size_t	 sl = strlen(stems[i]), k;

		if (sl > n)
			continue;
		for (k = 0; k < sl; k++) {
			unsigned char c = (unsigned char)w[k];

			if ((char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c) != stems[i][k])
				break;
		}
		if (k == sl)
			return 1;
	}
	return 0;
}

/* The passage of SNIPPET_WORDS words of text with the most words of the query, those words between
 * \1 and \2, "…" where text was cut. malloc'd, or NULL. */
static char *
snippet_new(const struct search_query *q, const char *text)
{
	char	 stems[SEARCH_TERMS_MAX + SEARCH_EXP_MAX * 4][48];
	int	 nstems = 0, nw = 0, cap = 256, best = 0, bestn = -1, cur = 0;
	struct word { size_t at, len; int hit; } *w = malloc((size_t)cap * sizeof(*w));
	const unsigned char *p = (const unsigned char *)text;
	struct buf b = BUF_INIT;
	size_t	 from, to;

	if (w == NULL)
		return NULL;
	for (int k = 0; k < q->nterms; k++)
		stem_of(q->terms[k], stems[nstems++], sizeof(stems[0]));
	for (int e = 0; e < q->nexp; e++) {
		char	 tok[4][TOKEN_LEN + 1];
		int	 n = tokenize(q->exp[e], tok, 4);

		for (int k = 0; k < n && nstems < (int)(sizeof(stems) / sizeof(stems[0])); k++)
			if (!is_stop(tok[k]) && tok[k][1] != '\0')
				stem_of(tok[k], stems[nstems++], sizeof(stems[0]));
	}
	/* the words of the text (text_word_len()), with where they are */
	for (size_t i = 0; p[i] != '\0';) {
		size_t	 n = 0;

		while (p[i] != '\0' && (n = text_word_len(text + i)) == 0) {
			size_t	 a = text_mark(text + i);

			i += a ? a : 1;
		}
		if (n == 0)
			break;
		if (nw == cap) {
			struct word *nwp = realloc(w, (size_t)(cap *= 2) * sizeof(*w));

			if (nwp == NULL)
				goto fail;
			w = nwp;
		}
		w[nw].at = i;
		w[nw].len = n;
		w[nw].hit = word_hits(text + i, n, stems, nstems);
		nw++;
		i += n;
	}
	/* the window with the most hits (sliding sum); the first one on ties */
	for (int i = 0; i < nw; i++) {
		cur += w[i].hit;
		if (i >= SNIPPET_WORDS)
			cur -= w[i - SNIPPET_WORDS].hit;
		if (cur > bestn) {
			bestn = cur;
			best = i - SNIPPET_WORDS + 1 < 0 ? 0 : i - SNIPPET_WORDS + 1;
		}
	}
	if (nw == 0) {
		free(w);
		return strdup(text);
	}
	/* start a little before the first hit of the window, so it reads as a sentence */
	from = best == 0 ? 0 : w[best].at;
	to = best + SNIPPET_WORDS >= nw ? strlen(text) : w[best + SNIPPET_WORDS - 1].at +
	    w[best + SNIPPET_WORDS - 1].len;
	if (best > 0)
		buf_lit(&b, "\xe2\x80\xa6");
	for (int i = best; i < nw && i < best + SNIPPET_WORDS; i++) {
		size_t	 end = w[i].at + w[i].len;

		/* trusted: plain text, not a reply: search_snippet_html() escapes it */
		buf_trusted(&b, text + from, w[i].at - from);
		if (w[i].hit)
			buf_putc(&b, '\001');
		/* trusted: plain text, not a reply: search_snippet_html() escapes it */
		buf_trusted(&b, text + w[i].at, w[i].len);
		if (w[i].hit)
			buf_putc(&b, '\002');
		from = end;
	}
	if (to > from)
		/* trusted: plain text, not a reply: search_snippet_html() escapes it */
		buf_trusted(&b, text + from, to - from);
	if (best + SNIPPET_WORDS < nw)
		buf_lit(&b, "\xe2\x80\xa6");
	free(w);
	return buf_steal(&b);
fail:
	free(w);
	buf_free(&b);
	return NULL;
}

static char *
dup_col(struct dbq *s, int i)
{
	const char *t = db_text(s, i);

	return t ? strdup(t) : NULL;
}

static int
detail_hit(struct db *db, const struct search_query *q, struct search_hit *h)
{
	struct dbq *s;

	if (h->heading != NULL)
		return 0;
	s = db_stmt(db, STMT_SEARCH_HIT);
	db_bind_int(s, 1, h->section_id);
	if (db_step(s) != DB_ROW) {
		log_warnx("search: section %lld: %s", h->section_id, db_errmsg(db));
		db_reset(s);
		return -1;
	}
	h->slug = dup_col(s, 0);
	h->question = dup_col(s, 1);
	h->heading = dup_col(s, 2);
	h->cites = dup_col(s, 3);
	h->revision_id = db_int64(s, 4);
	h->source_id = dup_col(s, 5);
	h->article_source_id = dup_col(s, 6);
	h->ord = db_int(s, 7);
	h->text = dup_col(s, 8);
	h->anchor = dup_col(s, 9);
	db_reset(s);
	if (h->text != NULL)
		h->snippet = snippet_new(q, h->text);
	if (h->slug == NULL || h->question == NULL || h->heading == NULL || h->snippet == NULL ||
	    h->cites == NULL || h->text == NULL)
		return -1;
	return 0;
}

int
search_detail(struct db *db, const struct search_query *q, struct search_result *res, int from, int to)
{
	for (int g = from; g < to && g < res->ngroups; g++)
		for (int k = 0; k < res->groups[g].nhits; k++)
			if (detail_hit(db, q, &res->hits[res->groups[g].hits[k]]) == -1)
				return -1;
	return 0;
}

void
search_snippet_html(struct buf *out, const char *sn)
{
	int	 open = 0;

	while (sn != NULL && *sn != '\0') {
		size_t	 n = strcspn(sn, "\001\002");

		buf_htmln(out, sn, n);
		sn += n;
		if (*sn == '\001' && !open) {
			buf_lit(out, "<mark>");
			open = 1;
		} else if (*sn == '\002' && open) {
			buf_lit(out, "</mark>");
			open = 0;
		}
		if (*sn != '\0')
			sn++;
	}
	if (open)
		buf_lit(out, "</mark>");
}

char *
search_snippet_plain(const char *sn)
{
	char	*p = strdup(sn ? sn : ""), *w = p;

	if (p == NULL)
		return NULL;
	for (const char *r = p; *r != '\0'; r++)
		if (*r != '\001' && *r != '\002')
			*w++ = *r;
	*w = '\0';
	return p;
}

/* 1 when a word of text (lower case) starts with stem. */
static int
has_word_start(const char *text, const char *stem)
{
	size_t	 sl = strlen(stem);
	const char *p = text;

	while ((p = strstr(p, stem)) != NULL) {
		if (text_word_start(text, p))
			return 1;
		p += sl;
	}
	(void)sl;
	return 0;
}

static void
stem_of(const char *w, char *out, size_t outsz)
{
	size_t	 l = strlen(w), keep = l;

	if (l > 5)
		keep = l - 3 < 5 ? 5 : l - 3;
	snprintf(out, outsz, "%.*s", (int)keep, w);
}

double
search_coverage(const struct search_query *q, const char *text)
{
	char	*low;
	int	 found = 0;

	if (q->nterms == 0)
		return 0;
	if ((low = strdup(text)) == NULL)
		return 0;
	for (char *p = low; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	for (int k = 0; k < q->nterms; k++) {
		char	 stem[48];
		int	 ok;

		stem_of(q->terms[k], stem, sizeof(stem));
		ok = has_word_start(low, stem);
		for (int e = 0; !ok && e < q->nexp; e++)
			if ((q->exp_covers[e] & (1u << k)) && strstr(low, q->exp[e]) != NULL)
				ok = 1;
		found += ok;
	}
	free(low);
	return (double)found / q->nterms;
}

/* The address of hit h's section: its article page, at the heading's anchor when it has one. */
static void
section_url(const struct search_hit *h, char *url, size_t sz)
{
	link_article(url, sz, h->article_id, h->slug, 0, h->anchor);
}

/* The references of revision rev numbered in cites ("1,3") or, with only, those of them that the
 * text only cites (markers "[1]", "[2, 3]", "[1-3]"). */
static json_t *
passage_refs_new(struct db *db, long long rev, const char *cites, const char *only)
{
	json_t	*a = json_array();
	const char *p = cites;

	while (a != NULL && p != NULL && *p != '\0') {
		long	 num = strtol(p, NULL, 10);
		struct dbq *s;

		p = strchr(p, ',');
		if (p != NULL)
			p++;
		if (only != NULL && !text_cites(only, num))
			continue;
		s = db_stmt(db, STMT_REFERENCE_GET);
		db_bind_int(s, 1, rev);
		db_bind_int(s, 2, num);
		if (db_step(s) == DB_ROW) {
			json_t *o = json_pack("{s:i, s:s, s:s, s:s?, s:o, s:s?, s:s?, s:s?}",
			    "number", db_int(s, 0), "type", db_text(s, 1), "title", db_text(s, 2),
			    "source", db_text(s, 3), "year", db_is_null(s, 4) ?
			    json_null() : json_integer(db_int(s, 4)), "pmid", db_text(s, 5),
			    "doi", db_text(s, 6), "url", db_text(s, 7));

			json_array_append_new(a, o);
		}
		db_reset(s);
	}
	return a;
}

/* 1 when a citation marker of text names reference num: "[1]", "[1, 3]", "[2-4]". */
static int
text_cites(const char *text, long num)
{
	for (const char *p = strchr(text, '['); p != NULL; p = strchr(p + 1, '[')) {
		const char *q = p + 1;
		long	 lo, hi;
		char	*end;

		while (*q != ']') {
			lo = strtol(q, &end, 10);
			if (end == q)
				break;
			hi = lo;
			q = end;
			if (*q == '-') {
				hi = strtol(q + 1, &end, 10);
				if (end == q + 1)
					break;
				q = end;
			}
			if (num >= lo && num <= hi)
				return 1;
			while (*q == ',' || *q == ' ')
				q++;
		}
	}
	return 0;
}

/* The share of the stems of q found in the words of s[0..n). */
static int
stems_in(const struct search_query *q, const char *s, size_t n)
{
	int	 hits = 0;

	for (int k = 0; k < q->nterms; k++) {
		char	 stem[48];
		size_t	 sl;

		stem_of(q->terms[k], stem, sizeof(stem));
		sl = strlen(stem);
		for (size_t i = 0; i + sl <= n; i++)
			if (text_word_start(s, s + i) && strncasecmp(s + i, stem, sl) == 0) {
				hits++;
				break;
			}
	}
	return hits;
}

/* The summary: up to ANSWER_SUMMARY_MAX sentences of h's text, quoted whole and in their order, with
 * their citation markers: the first sentence (it states what the section is about) and those that
 * hold most of the question's words, within ANSWER_SUMMARY_BYTES. */
static json_t *
summary_new(struct db *db, const struct search_query *q, const struct search_hit *h)
{
	struct { size_t at, len; int score; int take; } sent[64];
	int	 ns = 0, taken = 0;
	size_t	 bytes = 0;
	const char *t = h->text;
	json_t	*arr = json_array();
	char	 url[400];

	if (arr == NULL || t == NULL)
		return arr;
	/* sentences: up to ". ", "? ", "! " or a line end; a list item is a sentence */
	for (size_t i = 0; t[i] != '\0' && ns < 64;) {
		size_t	 j = i, end;

		while (t[j] == ' ' || t[j] == '\n')
			j++;
		if (t[j] == '\0')
			break;
		end = j;
		while (t[end] != '\0' && t[end] != '\n' && !((t[end] == '.' || t[end] == '?' || t[end] == '!') &&
		    (t[end + 1] == ' ' || t[end + 1] == '\n' || t[end + 1] == '\0') &&
		    !(end > j && t[end - 1] >= 'A' && t[end - 1] <= 'Z' && (end - j < 2 || t[end - 2] == ' '))))
			end++;
		if (t[end] == '.' || t[end] == '?' || t[end] == '!')
			end++;
		/* a marker after the full stop belongs to the sentence */
		while (t[end] == ' ' && t[end + 1] == '[') {
			const char *close = strchr(t + end, ']');

			if (close == NULL || strchr(t + end, '\n') < close)
				break;
			end = (size_t)(close - t) + 1;
		}
		/* a question in the text ("How is it inherited?") is no answer */
		if (end - j >= 20 && t[end - 1] != ':' && t[end - 1] != '?') {
			sent[ns].at = j;
			sent[ns].len = end - j;
			sent[ns].score = stems_in(q, t + j, end - j) * 2 + (ns == 0);
			sent[ns].take = 0;
			ns++;
		}
		i = end;
	}
	while (taken < ANSWER_SUMMARY_MAX) {
		int	 best = -1;

		for (int k = 0; k < ns; k++)
			if (!sent[k].take && bytes + sent[k].len <= ANSWER_SUMMARY_BYTES &&
			    (best < 0 || sent[k].score > sent[best].score))
				best = k;
		if (best < 0 || (taken > 0 && sent[best].score == 0))
			break;
		sent[best].take = 1;
		bytes += sent[best].len;
		taken++;
	}
	section_url(h, url, sizeof(url));
	for (int k = 0; k < ns; k++) {
		char	*s;

		if (!sent[k].take)
			continue;
		if ((s = strndup(t + sent[k].at, sent[k].len)) == NULL)
			break;
		json_array_append_new(arr, json_pack("{s:s, s:I, s:s, s:s, s:s?, s:o}", "text", s,
		    "article_id", (json_int_t)h->article_id, "heading", h->heading, "url", url, "source_id",
		    h->source_id, "references", passage_refs_new(db, h->revision_id, h->cites, s)));
		free(s);
	}
	return arr;
}

/* See ANSWER_CONF_TOPIC in search.h. */
static double
answer_confidence(const struct search_query *q, const struct search_hit *h, int on_topic)
{
	double	 c = 0, cov;
	char	*all;
	size_t	 la;
	struct search_query rest;

	if (on_topic)
		c += ANSWER_CONF_TOPIC;
	if (q->qtypes == 0 || answers_asked(q, h->qtype))
		c += ANSWER_CONF_TYPE;
	/* the words beyond those that named the topic: what else was asked */
	rest = *q;
	rest.nterms = 0;
	for (int e = 0; e < q->nexp; e++)
		rest.exp_covers[e] = 0;
	for (int k = 0; k < q->nterms; k++) {
		int	 named = 0;

		for (int ti = 0; ti < q->topics.n && !named; ti++)
			named = has_word_start(q->topics.hit[ti].term, q->terms[k]);
		if (named)
			continue;
		/* the expansions that stand for this word follow it to its new place */
		for (int e = 0; e < q->nexp; e++)
			if (q->exp_covers[e] & (1u << k))
				rest.exp_covers[e] |= 1u << rest.nterms;
		snprintf(rest.terms[rest.nterms++], sizeof(rest.terms[0]), "%s", q->terms[k]);
	}
	if (rest.nterms == 0)
		return c + ANSWER_CONF_WORDS;
	la = strlen(h->question) + strlen(h->heading) + strlen(h->text) + 3;
	if ((all = malloc(la)) == NULL)
		return c;
	snprintf(all, la, "%s\n%s\n%s", h->question, h->heading, h->text);
	cov = search_coverage(&rest, all);
	free(all);
	return c + ANSWER_CONF_WORDS * cov;
}

/* 1 when article is a topic the question names strongly (not only as a group's subject, with at
 * least half the lead topic's score), or the article it was asked from while it names no other, or
 * a twin of that article answering in its place (search_result.twins_answer). */
static int
on_topic(const struct search_query *q, const struct search_result *res, long long article)
{
	for (int k = 0; k < q->topics.n; k++)
		if (q->topics.hit[k].article_id == article && !q->topics.hit[k].group &&
		    q->topics.hit[k].score >= topic_best(&q->topics) / 2)
			return 1;
	return res->context_kept && (q->context == article || (res->twins_answer && is_twin(res, article)));
}

static json_t *
topic_json_new(struct db *db, const struct search_query *q)
{
	struct dbq *s;
	json_t	*o = NULL;
	int	 k = topic_lead(&q->topics);

	if (k < 0)
		return json_null();
	s = db_stmt(db, STMT_SEARCH_TOPIC_ARTICLE);
	db_bind_int(s, 1, q->topics.hit[k].article_id);
	if (db_step(s) == DB_ROW) {
		char	 url[300];

		link_article(url, sizeof(url), q->topics.hit[k].article_id, db_text(s, 0), 0, NULL);
		o = json_pack("{s:I, s:s, s:s, s:s}", "article_id", (json_int_t)q->topics.hit[k].article_id,
		    "title", db_text(s, 1), "named_as", q->topics.hit[k].term, "url", url);
	}
	db_reset(s);
	return o ? o : json_null();
}

json_t *
answer_compute(struct db *db, const char *question, long long article_id, const char *audience)
{
	struct search_query q;
	struct search_result res;
	json_t	*passages = json_array(), *summary = json_array(), *ans = NULL;
	int	 per_article[ANSWER_PASSAGES_MAX] = { 0 };
	long long arts[ANSWER_PASSAGES_MAX] = { 0 };
	int	 narts = 0, top = -1;
	double	 conf = 0;
	struct buf sh = BUF_INIT;

	search_parse(db, question, 0, &q);
	q.context = article_id;
	q.approved_first = 0;	/* the topic asked about first; approval is weighed, and shown */
	if (passages == NULL || summary == NULL || search_run(db, &q, audience, NULL, 0, &res) == -1) {
		json_decref(passages);
		json_decref(summary);
		return NULL;
	}
	/* the best sections, at most two from one article; wording a reviewer sent back answers nothing */
	for (int i = 0; i < res.nhits && json_array_size(passages) < ANSWER_PASSAGES_MAX; i++) {
		struct search_hit *h = &res.hits[i];
		char	*snip;
		int	 a;
		char	 url[400], api[64];

		if (strcmp(h->state, "changes_requested") == 0)
			continue;

		for (a = 0; a < narts && arts[a] != h->article_id; a++)
			;
		if (a < narts && per_article[a] >= 2)
			continue;
		if (a == narts) {
			if (narts == ANSWER_PASSAGES_MAX)
				continue;
			arts[narts++] = h->article_id;
		}
		if (detail_hit(db, &q, h) == -1)
			goto fail;
		if (top < 0)
			top = i;
		per_article[a]++;
		if ((snip = search_snippet_plain(h->snippet)) == NULL)
			goto fail;
		search_snippet_html(&sh, h->snippet);
		if (sh.err) {
			free(snip);
			goto fail;
		}
		section_url(h, url, sizeof(url));
		snprintf(api, sizeof(api), "/api/v1/articles/%lld", h->article_id);
		json_array_append_new(passages, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:s, "
		    "s:f, s:o, s:s?}", "article_id", (json_int_t)h->article_id, "question", h->question, "url",
		    url, "api_url", api, "heading", h->heading, "qtype", h->qtype[0] ? h->qtype : NULL, "state",
		    h->state, "snippet", snip, "snippet_html", sh.p ? sh.p : "", "relevance", h->rank,
		    "references", passage_refs_new(db, h->revision_id, h->cites, NULL), "source_id",
		    h->source_id));
		free(snip);
		buf_reset(&sh);
	}
	buf_free(&sh);
	/* answered: the best passage is reviewed, on the topic asked about, and of the type asked */
	if (top >= 0) {
		struct search_hit *h = &res.hits[top];

		conf = answer_confidence(&q, h, on_topic(&q, &res, h->article_id));
		/* not reviewed, or about something else than the disease asked about, which no article
		 * covers ("swamp fever": passages on fever do not answer it) */
		if (strcmp(h->state, "approved") != 0 || (q.topics.n == 0 && q.topics.unheld[0] != '\0'))
			conf = conf > ANSWER_CONFIDENCE_MIN - 0.01 ? ANSWER_CONFIDENCE_MIN - 0.01 : conf;
		if (conf >= ANSWER_CONFIDENCE_MIN) {
			json_decref(summary);
			if ((summary = summary_new(db, &q, h)) == NULL)
				goto fail;
		}
	}
	{
		int	 t0 = -1;

		for (int t = 0; t < QT__MAX && t0 < 0; t++)
			if (q.qtypes & QT_BIT(t))
				t0 = t;
		ans = json_pack("{s:s, s:f, s:o, s:s?, s:s?, s:s?, s:o, s:o}", "state",
		    qstates[conf >= ANSWER_CONFIDENCE_MIN ? QSTATE_ANSWERED : QSTATE_QUEUED].code, "confidence", conf,
		    "topic", topic_json_new(db, &q), "no_article_for", q.topics.n == 0 && q.topics.unheld[0] ?
		    q.topics.unheld : NULL, "qtype", qtype_name(t0), "corrected", q.corrected[0] ? q.corrected : NULL,
		    "summary", summary, "passages", passages);
	}
	search_free(&res);
	return ans;
fail:
	buf_free(&sh);
	json_decref(passages);
	json_decref(summary);
	search_free(&res);
	return NULL;
}

json_t *
search_results_json_new(const struct search_result *res, int from, int to, int with_score)
{
	json_t	*arr = json_array();

	for (int g = from; g < to && g < res->ngroups; g++) {
		const struct search_group *gr = &res->groups[g];
		const struct search_hit *h0 = &res->hits[gr->hits[0]];
		json_t	*secs = json_array();
		char	 url[256], api[64];

		for (int k = 0; k < gr->nhits; k++) {
			const struct search_hit *h = &res->hits[gr->hits[k]];
			char	*plain = search_snippet_plain(h->snippet);
			struct buf sh = BUF_INIT;

			search_snippet_html(&sh, h->snippet);
			char	 surl[400];
			json_t	*sec;

			section_url(h, surl, sizeof(surl));
			sec = json_pack("{s:s, s:i, s:s, s:s?, s:s?, s:s?, s:s?}", "heading", h->heading,
			    "position", h->ord + 1, "url", surl, "qtype", h->qtype[0] ? h->qtype : NULL, "snippet",
			    plain, "snippet_html", sh.p ? sh.p : "", "source_id", h->source_id);

			if (sec != NULL && with_score) {
				json_object_set_new(sec, "score", json_real(-h->score));
				json_object_set_new(sec, "rank", json_real(h->rank));
			}
			json_array_append_new(secs, sec);
			free(plain);
			buf_free(&sh);
		}
		link_article(url, sizeof(url), h0->article_id, h0->slug, 0, NULL);
		snprintf(api, sizeof(api), "/api/v1/articles/%lld", h0->article_id);
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:s?, s:o, s:i}", "id",
		    (json_int_t)h0->article_id, "question", h0->question, "url", url, "api_url", api, "state",
		    h0->state, "approved", strcmp(h0->state, "approved") == 0, "source_id",
		    h0->article_source_id, "sections", secs, "more_sections", gr->more));
	}
	return arr;
}
