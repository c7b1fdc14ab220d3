/* topic.h: what a question is about and what it asks.
 *
 * Topic: the articles whose topic a question names. Each article has topic terms (its title, and for a
 * title that is itself a long question, the phrases of it), kept in the topic table and rebuilt with
 * the article's sections (topic_refresh()). A question names a topic when a run of its words, written
 * as topic_norm() writes them (lower case, possessives dropped, plurals made singular), is a topic
 * term, either directly or through the synonym table (abbreviations, other names, lay words). Longer
 * runs win over the shorter runs inside them. A word that is no word of English (dict.h) and that
 * the content holds nowhere, or in a few sections against many for the correction, is compared with
 * the words of the topic terms and synonyms, and corrected when one is within a small edit distance
 * (one edit, two for words of eight letters or more; a swap of neighbours counts as one), the one in
 * most sections when several are: "diabetis" finds diabetes, "migranes" migraine. A word that none is
 * that close to, but that is the start of some (a word cut short: "trigem"), is taken for the one of
 * them in most topic terms and synonyms. The words are indexed by their one-letter deletions
 * (symmetric delete) and in order (for starts), built once per worker thread and again only when
 * topics or synonyms change.
 *
 * A title's parts name its topic too: "Scleroderma (Systemic Sclerosis)" both names wholly; the part
 * before a comma or colon ("Diabetes, Heart Disease, and Stroke", "Prevent diabetes problems: ...")
 * names one subject among others, so it counts as a phrase does (half a whole name).
 *
 * Question type: what is asked (treatment, causes, inheritance, ...), from cue words; a section's type
 * comes from its heading by the same rules with the article's title taken out, so it works for
 * articles written here as well as imported ones.
 *
 * Weight: words of the subject line (the first line of a message of several lines) and of sentences
 * that end in a question mark count more than the story around them. */
#ifndef EVQA_TOPIC_H
#define EVQA_TOPIC_H

#include <stddef.h>

struct db;

enum qtype {
	QT_INFORMATION, QT_SYMPTOMS, QT_CAUSES, QT_TREATMENT, QT_INHERITANCE, QT_FREQUENCY, QT_GENES,
	QT_OUTLOOK, QT_DIAGNOSIS, QT_PREVENTION, QT_SUSCEPTIBILITY, QT_RESEARCH, QT_COMPLICATIONS,
	QT_STAGES, QT_SUPPORT, QT_DOSING, QT_INTERACTIONS, QT_PREGNANCY, QT_COMPARISON, QT__MAX
};

#define QT_BIT(t)	(1u << (t))

/* The type's name as it appears in JSON ("treatment", "exams and tests", ...), or NULL. */
const char *qtype_name(int t);
/* A plain-words phrase for the type, for readers ("treatment", "how it is inherited"). */
const char *qtype_phrase(int t);
/* The type code of a name (qtype_name()), or -1. */
int	 qtype_find(const char *name);

/* The types text asks about, as QT_BIT()s; 0 when it names none. It knows no topics: topic_find()
 * gives the types of a question, without the cues in the topics it names. */
unsigned qtype_of_question(const char *text);
/* The section types that answer a question asking the types asked (QT_BIT()s): those types, and for
 * a comparison the treatment and research sections, for dosing the treatment sections, for
 * interactions and pregnancy the complications, for who is at risk the causes. */
unsigned qtype_accepts(unsigned asked);
/* The type of a section, from its heading with the words of title (the article's question or title)
 * left out; QT_INFORMATION when no cue matches. */
int	 qtype_of_heading(const char *heading, const char *title);

#define TOPIC_MAX	12	/* candidate articles kept, best first */
#define TOPIC_FIX_MAX	8	/* misspelled words corrected */
#define TOPIC_TERM_LEN	120

struct topic_hit {
	long long	 article_id;
	double		 score;		/* higher is better: words matched, weighted */
	char		 term[TOPIC_TERM_LEN];	/* the question's words that named it, as written there */
	int		 group;		/* 1 when named only as the part of the body or function an
					 * article on a group of conditions is about ("hand" for Hand
					 * Injuries and Disorders): a likely place to look, not a sure
					 * subject, so it neither makes an answer sure nor displaces
					 * the article a question is asked from */
};

struct topic_fix {
	char	 from[48];	/* the word as written, lower case */
	char	 to[48];	/* the word it was taken for */
};

struct topic_set {
	int		 n;
	struct topic_hit hit[TOPIC_MAX];	/* best first */
	int		 nfix;
	struct topic_fix fix[TOPIC_FIX_MAX];
	unsigned	 qtypes;	/* what is asked: qtype_of_question() of the text as corrected,
					 * but not by a word of a topic's name found */
	char		 unheld[TOPIC_TERM_LEN];	/* a disease or symptom the text names that WordNet
					 * knows (lexicon_condition()), that no article goes by and
					 * no section writes, as written ("swamp fever"); empty
					 * when none */
};

/* Finds the topics text names, and what it asks of them. Returns 0 (ts filled, possibly empty) or -1
 * when the database failed. The words of a disease or symptom that WordNet knows and the content
 * neither names nor writes (ts->unheld) name no other topic, unless it is a broader one
 * (lexicon_under()): "swamp fever" is not Fever, but "grand mal epilepsy" is Epilepsy. */
int	 topic_find(struct db *db, const char *text, struct topic_set *ts);

/* Writes the topic terms of article (its title or question) anew. Returns 0, or -1 with err set. */
int	 topic_refresh(struct db *db, long long article, const char *title, char *err, size_t errsz);

/* Writes s as topic terms are written: lower-case words, possessive "s" dropped, plural words made
 * singular, separated by single spaces. Returns the length, or -1 when it does not fit out. */
int	 topic_norm(const char *s, char *out, size_t outsz);

/* Splits text into lower-case words (letters, digits, any non-ASCII byte; at most 47 bytes, longer
 * ones skipped; a possessive "s" dropped) with their weights: 1.0, more in the subject line and in
 * question sentences. Writes at most max and returns how many. */
int	 topic_words(const char *text, char (*raw)[48], double *weight, int max);
/* 1 for a word that says nothing of the topic: function words and the chatter of messages. */
int	 topic_is_filler(const char *w);

/* 1 when w (one lower-case word) is a word of the topics' vocabulary: a word of four letters or more
 * of some topic term or synonym, or the first word of one ("ear", "hiv"), as written or made
 * singular, or a word with an ending of clinical words ("lumpectomy", "letrozole"); a question-type
 * cue ("treatment") is not one. Chatter ("advise", "frustrating") is rare in articles yet no topic's
 * word. */
int	 topic_vocab(struct db *db, const char *w);
/* 1 when w (one lower-case word) is a cue of a question type ("treatment", "inherited"). */
int	 topic_is_cue(const char *w);

/* A number that changes when the content that topics, spelling and word counts are built from
 * changes (topics, sections, synonyms), cached per thread; read again only when db_version() moves,
 * so that questions posted do not drop the caches. */
unsigned long long topic_content_version(struct db *db);

/* Frees this thread's spelling index (a worker calls it before it ends). */
void	 topic_thread_end(void);

#endif
