/* topic.c: topic recognition, spelling correction and question types (see topic.h). */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "dict.h"
#include "lexicon.h"
#include "log.h"
#include "search.h"
#include "topic.h"
#include "util.h"

#define WORDS_MAX	160	/* words of a question looked at */
#define WORD_LEN	47
#define NGRAM_MAX	6	/* longest topic name looked up, in words */
#define TITLE_WORDS_MAX	8	/* a title of more words is a question: its phrases are its topics */
#define PHRASE_WORDS_MAX 4	/* longest phrase taken from such a title */
#define TERMS_PER_TITLE	40

/* ------------------------------------------------------------------------------------- words */

struct word {
	char	 raw[WORD_LEN + 1];	/* lower case, as written */
	char	 norm[WORD_LEN + 1];	/* singular, for matching */
	double	 weight;
	int	 poss;			/* written as a possessive: "parkinson's", "graves'" */
	int	 fixed;			/* a misspelling, corrected */
	int	 caps;			/* written in capitals ("WPW"), on a line not mostly so */
	int	 line;			/* the line it is on, from 0 */
	int	 named;			/* part of a topic's name that topic_find() found */
};

/* Singular of a lower-case word, in place: "infections" -> "infection", "allergies" -> "allergy".
 * The same rule on both sides is what matters, not English. */
static void
singular(char *w)
{
	size_t	 n = strlen(w);

	if (n > 4 && strcmp(w + n - 3, "ies") == 0) {
		w[n - 3] = 'y';
		w[n - 2] = '\0';
	} else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i')
		w[n - 1] = '\0';
}

/* Writes in norm the number a Roman numeral after "type", "stage", "grade" or "class" stands for,
 * with its letter ("ii" -> "2", "iiib" -> "3b"), as titles write it either way ("Diabetes Type 2",
 * "Cockayne syndrome type II"). Leaves norm alone for any other word. */
static void
numeral(const char *before, char *norm)
{
	static const char *const roman[] = { "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x" };
	size_t	 n = strlen(norm), l = n;

	if (strcmp(before, "type") != 0 && strcmp(before, "stage") != 0 && strcmp(before, "grade") != 0 &&
	    strcmp(before, "class") != 0)
		return;
	if (n > 1 && norm[n - 1] >= 'a' && norm[n - 1] <= 'e' && strchr("ivx", norm[n - 2]) != NULL)
		l = n - 1;	/* a letter after the numeral: "iiib" */
	for (size_t k = 0; k < sizeof(roman) / sizeof(roman[0]); k++)
		if (strlen(roman[k]) == l && strncmp(norm, roman[k], l) == 0) {
			char	 letter = l < n ? norm[l] : '\0';

			snprintf(norm, WORD_LEN + 1, "%zu%.1s", k + 1, letter ? &letter : "");
			return;
		}
}

/* Splits text into words with their weights (see "Weight" in topic.h). Returns the count. */
static int
words_of(const char *text, struct word *w, int max)
{
	const char *p = text ? text : "";
	int	 n = 0, line = 0, seg_start = 0, multiline = strchr(p, '\n') != NULL, kept = 0;

	while (*p != '\0' && n < max) {
		const char *end = p;	/* where the last word ended */
		size_t	 len, ap = kept ? text_apostrophe(end) : 0;

		while (*p != '\0' && text_word_len(p) == 0) {
			size_t	 a = text_mark(p);

			if (*p == '\n' || *p == '.' || *p == '!' || *p == '?') {
				/* a sentence ends: its words count more when it asks */
				for (int k = seg_start; k < n; k++)
					w[k].weight += *p == '?' ? 0.5 : 0;
				seg_start = n;
			}
			if (*p == '\n')
				line++;
			p += a ? a : 1;
		}
		if ((len = text_word_len(p)) == 0)
			break;
		if (ap > 0) {
			/* a lone "s" after a word and an apostrophe is a possessive ("friedreich's"): not
			 * a word; an apostrophe that ends a word is one too ("graves' disease") */
			if (p == end + ap && len == 1 && (*p == 's' || *p == 'S')) {
				w[n - 1].poss = 1;
				p += len;
				continue;
			}
			if (p != end + ap)
				w[n - 1].poss = 1;
		}
		if (len <= WORD_LEN) {
			for (size_t i = 0; i < len; i++)
				w[n].raw[i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] - 'A' + 'a' : p[i]);
			w[n].raw[len] = '\0';
			memcpy(w[n].norm, w[n].raw, len + 1);
			singular(w[n].norm);
			if (n > 0)
				numeral(w[n - 1].norm, w[n].norm);
			w[n].weight = multiline && line == 0 ? 1.5 : 1.0;
			w[n].poss = 0;
			w[n].fixed = 0;
			w[n].named = 0;
			w[n].caps = len > 1 && p[0] >= 'A' && p[0] <= 'Z';
			for (size_t i = 1; i < len; i++)
				w[n].caps = w[n].caps && !(p[i] >= 'a' && p[i] <= 'z');
			w[n].line = line;
			n++;
		}
		kept = len <= WORD_LEN;
		p += len;
	}
	/* a line of three words or more written mostly in capitals ("CURE FOR PNEUMONIA") says nothing
	 * of its words */
	for (int a = 0, b; a < n; a = b) {
		int	 caps = 0;

		for (b = a; b < n && w[b].line == w[a].line; b++)
			caps += w[b].caps;
		for (int k = a; b - a >= 3 && caps * 2 > b - a && k < b; k++)
			w[k].caps = 0;
	}
	return n;
}

int
topic_words(const char *text, char (*raw)[48], double *weight, int max)
{
	struct word *w = calloc(WORDS_MAX, sizeof(*w));
	int	 n;

	if (w == NULL)
		return 0;
	n = words_of(text, w, max < WORDS_MAX ? max : WORDS_MAX);
	for (int i = 0; i < n; i++) {
		memcpy(raw[i], w[i].raw, sizeof(w[i].raw));
		weight[i] = w[i].weight;
	}
	free(w);
	return n;
}

int
topic_norm(const char *s, char *out, size_t outsz)
{
	struct word w[NGRAM_MAX * 4];
	int	 n = words_of(s, w, NGRAM_MAX * 4);
	size_t	 o = 0;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		size_t	 l = strlen(w[i].norm);

		if (o + l + 2 > outsz)
			return -1;
		if (o > 0)
			out[o++] = ' ';
		memcpy(out + o, w[i].norm, l + 1);
		o += l;
	}
	return (int)o;
}

/* Words that never start or end a topic name and never name one alone: function words, and the
 * chatter of messages (greetings, family, ages). Sorted, for bsearch. */
static const char *const filler[] = {
	"a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "anyone", "anything",
	"appreciate", "are", "as", "ask", "asking", "at", "aunt", "bad", "be", "because", "been", "being",
	"best", "brother", "but", "by", "can", "could", "cousin", "dad", "daughter", "day", "days",
	"dear", "did", "do", "doctor", "doctors", "does", "dont", "email", "even", "ever", "father",
	"female", "find", "for", "friend", "from", "get", "getting", "give", "go", "god", "good", "had",
	"has", "have", "he", "hello", "help", "her", "hi", "him", "his", "how", "husband", "i", "if",
	"im", "in", "info", "information", "is", "it", "its", "ive", "just", "kind", "know", "last",
	"let", "like", "little", "looking", "lot", "madam", "make", "male", "many", "may", "me", "mom",
	"month", "months", "more", "mother", "much", "my", "name", "need", "new", "no", "not", "now",
	"of", "old", "on", "one", "or", "other", "our", "out", "over", "patient", "people", "person",
	"please", "plz", "quot", "really", "regards", "s", "said", "say", "see", "send", "she", "should",
	"sir", "sister", "so", "some", "son", "still", "suffering", "t", "take", "tell", "than", "thank",
	"thanks", "that", "the", "their", "them", "then", "there", "these", "they", "thing", "things",
	"this", "those", "thx", "time", "to", "told", "too", "u", "up", "us", "very", "want", "was",
	"way", "we", "week", "weeks", "well", "were", "what", "when", "where", "which", "who", "why",
	"wife", "will", "with", "wondering", "would", "year", "years", "yes", "yet", "you", "your",
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 1 when w is one of the n sorted words of list. */
static int
in_list(const char *const *list, size_t n, const char *w)
{
	return bsearch(&w, list, n, sizeof(list[0]), cmp_str) != NULL;
}

#define IN_LIST(list, w)	in_list((list), sizeof(list) / sizeof((list)[0]), (w))

static int
is_filler(const char *w)
{
	return IN_LIST(filler, w);
}

int
topic_is_filler(const char *w)
{
	return is_filler(w);
}

/* ------------------------------------------------------------------------------ question types */

static const struct { const char *name, *phrase; } qtypes[QT__MAX] = {
	[QT_INFORMATION] = { "information", "what it is" },
	[QT_SYMPTOMS] = { "symptoms", "its symptoms" },
	[QT_CAUSES] = { "causes", "its causes" },
	[QT_TREATMENT] = { "treatment", "its treatment" },
	[QT_INHERITANCE] = { "inheritance", "how it is inherited" },
	[QT_FREQUENCY] = { "frequency", "how common it is" },
	[QT_GENES] = { "genetic changes", "the genes involved" },
	[QT_OUTLOOK] = { "outlook", "the outlook" },
	[QT_DIAGNOSIS] = { "exams and tests", "how it is diagnosed" },
	[QT_PREVENTION] = { "prevention", "how to prevent it" },
	[QT_SUSCEPTIBILITY] = { "susceptibility", "who is at risk" },
	[QT_RESEARCH] = { "research", "research and trials" },
	[QT_COMPLICATIONS] = { "complications", "complications and harms" },
	[QT_STAGES] = { "stages", "its stages" },
	[QT_SUPPORT] = { "support", "support and resources" },
	[QT_DOSING] = { "dosing", "dosing" },
	[QT_INTERACTIONS] = { "interactions", "interactions" },
	[QT_PREGNANCY] = { "pregnancy", "use in pregnancy" },
	[QT_COMPARISON] = { "comparison", "how the options compare" },
};

/* Cue phrases: words, a trailing '*' matching any ending. Checked against the words as written. */
static const struct cue { int type; const char *words; } cues[] = {
	{ QT_TREATMENT, "treat*" }, { QT_TREATMENT, "therap*" }, { QT_TREATMENT, "cure*" },
	{ QT_TREATMENT, "curing" }, { QT_TREATMENT, "medication*" }, { QT_TREATMENT, "medicine*" },
	{ QT_TREATMENT, "drug*" }, { QT_TREATMENT, "remed*" }, { QT_TREATMENT, "manag*" },
	{ QT_TREATMENT, "surgery" }, { QT_TREATMENT, "surgical" }, { QT_TREATMENT, "relie*" },
	{ QT_TREATMENT, "what can * take" }, { QT_TREATMENT, "what else can" }, { QT_TREATMENT, "get rid" },
	{ QT_TREATMENT, "options" }, { QT_TREATMENT, "rehabilitat*" }, { QT_TREATMENT, "exercises" },
	{ QT_TREATMENT, "what to do" }, { QT_TREATMENT, "transplant*" }, { QT_TREATMENT, "tube" },
	{ QT_TREATMENT, "tubes" },
	{ QT_TREATMENT, "guideline*" }, { QT_TREATMENT, "recommend*" }, { QT_TREATMENT, "practical" },
	{ QT_TREATMENT, "first line" }, { QT_TREATMENT, "choice of" },
	{ QT_SYMPTOMS, "symptom*" }, { QT_SYMPTOMS, "sign" }, { QT_SYMPTOMS, "signs" },
	{ QT_SYMPTOMS, "feel*" }, { QT_SYMPTOMS, "features" }, { QT_SYMPTOMS, "characteristic*" },
	{ QT_CAUSES, "cause*" }, { QT_CAUSES, "causing" }, { QT_CAUSES, "why" }, { QT_CAUSES, "reason*" },
	{ QT_CAUSES, "trigger*" }, { QT_CAUSES, "how did * get" }, { QT_CAUSES, "how i got" },
	{ QT_INHERITANCE, "inherit*" }, { QT_INHERITANCE, "heredit*" }, { QT_INHERITANCE, "passed down" },
	{ QT_INHERITANCE, "passed on" }, { QT_INHERITANCE, "pass on" }, { QT_INHERITANCE, "pass it" },
	{ QT_INHERITANCE, "run in" }, { QT_INHERITANCE, "runs in" }, { QT_INHERITANCE, "offspring" },
	{ QT_INHERITANCE, "genetic" }, { QT_INHERITANCE, "carrier*" }, { QT_INHERITANCE, "have children" },
	{ QT_INHERITANCE, "get it from" }, { QT_INHERITANCE, "got it from" }, { QT_INHERITANCE, "pass it to" },
	{ QT_INHERITANCE, "passed to" }, { QT_INHERITANCE, "in the family" },
	{ QT_GENES, "gene" }, { QT_GENES, "genes" }, { QT_GENES, "mutation*" }, { QT_GENES, "chromosom*" },
	{ QT_GENES, "genetic changes" }, { QT_GENES, "genetic" },
	{ QT_FREQUENCY, "how common" }, { QT_FREQUENCY, "how many people" }, { QT_FREQUENCY, "prevalen*" },
	{ QT_FREQUENCY, "incidence" }, { QT_FREQUENCY, "how rare" }, { QT_FREQUENCY, "affected by" },
	{ QT_OUTLOOK, "prognos*" }, { QT_OUTLOOK, "outlook" }, { QT_OUTLOOK, "life expectancy" },
	{ QT_OUTLOOK, "surviv*" }, { QT_OUTLOOK, "fatal" }, { QT_OUTLOOK, "die" }, { QT_OUTLOOK, "dying" },
	{ QT_OUTLOOK, "how bad" }, { QT_OUTLOOK, "how long" }, { QT_OUTLOOK, "get worse" },
	{ QT_OUTLOOK, "progress*" }, { QT_OUTLOOK, "go away" }, { QT_OUTLOOK, "curable" },
	{ QT_OUTLOOK, "reversib*" },
	{ QT_DIAGNOSIS, "diagnos*" }, { QT_DIAGNOSIS, "test" }, { QT_DIAGNOSIS, "tests" },
	{ QT_DIAGNOSIS, "testing" }, { QT_DIAGNOSIS, "detect*" }, { QT_DIAGNOSIS, "screen*" },
	{ QT_DIAGNOSIS, "assay*" }, { QT_DIAGNOSIS, "biopsy" }, { QT_DIAGNOSIS, "exam*" },
	{ QT_DIAGNOSIS, "how do you know" }, { QT_DIAGNOSIS, "how to know" }, { QT_DIAGNOSIS, "scan*" },
	{ QT_PREVENTION, "prevent*" }, { QT_PREVENTION, "avoid*" }, { QT_PREVENTION, "reduce the risk" },
	{ QT_PREVENTION, "vaccin*" }, { QT_PREVENTION, "stop getting" }, { QT_PREVENTION, "from getting" },
	{ QT_PREVENTION, "protect*" }, { QT_PREVENTION, "lower * risk" }, { QT_PREVENTION, "reduce * risk" },
	{ QT_SUSCEPTIBILITY, "at risk" }, { QT_SUSCEPTIBILITY, "who gets" }, { QT_SUSCEPTIBILITY, "risk*" },
	{ QT_SUSCEPTIBILITY, "more likely" }, { QT_SUSCEPTIBILITY, "chance*" },
	{ QT_RESEARCH, "research*" }, { QT_RESEARCH, "trial" }, { QT_RESEARCH, "trials" },
	{ QT_RESEARCH, "study" }, { QT_RESEARCH, "studies" }, { QT_RESEARCH, "evidence" },
	{ QT_RESEARCH, "meta analys*" }, { QT_RESEARCH, "pooled" }, { QT_RESEARCH, "experimental" },
	{ QT_COMPLICATIONS, "complication*" }, { QT_COMPLICATIONS, "side effect*" },
	{ QT_COMPLICATIONS, "adverse" }, { QT_COMPLICATIONS, "harm*" }, { QT_COMPLICATIONS, "danger*" },
	{ QT_COMPLICATIONS, "safe" }, { QT_COMPLICATIONS, "safety" }, { QT_COMPLICATIONS, "toxic*" },
	{ QT_COMPLICATIONS, "lead to" },
	{ QT_STAGES, "stage" }, { QT_STAGES, "stages" }, { QT_STAGES, "staging" },
	{ QT_SUPPORT, "support group*" }, { QT_SUPPORT, "organization*" }, { QT_SUPPORT, "resources" },
	{ QT_SUPPORT, "specialist*" }, { QT_SUPPORT, "hospital*" }, { QT_SUPPORT, "clinic" },
	{ QT_DOSING, "dose*" }, { QT_DOSING, "dosing" }, { QT_DOSING, "dosage*" }, { QT_DOSING, "mg" },
	{ QT_DOSING, "how much" },
	{ QT_INTERACTIONS, "interact*" }, { QT_INTERACTIONS, "together with" },
	{ QT_INTERACTIONS, "combined with" }, { QT_INTERACTIONS, "mix*" }, { QT_INTERACTIONS, "take * with" },
	{ QT_INTERACTIONS, "taken with" }, { QT_INTERACTIONS, "taking * with" },
	{ QT_PREGNANCY, "pregnan*" }, { QT_PREGNANCY, "breastfeed*" }, { QT_PREGNANCY, "breast feeding" },
	{ QT_PREGNANCY, "lactat*" },
	{ QT_COMPARISON, "versus" }, { QT_COMPARISON, "vs" }, { QT_COMPARISON, "compar*" },
	{ QT_COMPARISON, "better than" }, { QT_COMPARISON, "preferred" }, { QT_COMPARISON, "difference*" },
	{ QT_INFORMATION, "what is" }, { QT_INFORMATION, "what are" }, { QT_INFORMATION, "information" },
	{ QT_INFORMATION, "info" }, { QT_INFORMATION, "learn more" }, { QT_INFORMATION, "know more" },
	{ QT_INFORMATION, "literature" }, { QT_INFORMATION, "explain" }, { QT_INFORMATION, "definition" },
	{ QT_INFORMATION, "overview" }, { QT_INFORMATION, "mechanism*" }, { QT_INFORMATION, "introduction" },
};

const char *
qtype_name(int t)
{
	return t >= 0 && t < QT__MAX ? qtypes[t].name : NULL;
}

const char *
qtype_phrase(int t)
{
	return t >= 0 && t < QT__MAX ? qtypes[t].phrase : NULL;
}

int
qtype_find(const char *name)
{
	for (int t = 0; name != NULL && t < QT__MAX; t++)
		if (strcmp(qtypes[t].name, name) == 0)
			return t;
	return -1;
}

/* How many words the cue's words are when they stand in w from i on, else 0. */
static int
cue_at(const char *cue, const struct word *w, int n, int i)
{
	const char *p = cue;
	int	 from = i;

	while (*p != '\0') {
		size_t	 l = strcspn(p, " ");
		int	 prefix = l > 0 && p[l - 1] == '*';
		size_t	 cl = prefix ? l - 1 : l;

		if (i >= n)
			return 0;
		if (!(cl == 1 && *p == '*')) {		/* a lone '*' is any one word */
			if (prefix ? strncmp(w[i].raw, p, cl) != 0 :
			    strlen(w[i].raw) != cl || strncmp(w[i].raw, p, cl) != 0)
				return 0;
		}
		i++;
		p += l;
		while (*p == ' ')
			p++;
	}
	return i - from;
}

/* 1 when the word at i tells what happened rather than what is asked: "diagnosed" after "was",
 * "been", "got", "just" ("my son was diagnosed with autism, ..."), where "how is it diagnosed" and
 * "can it be diagnosed" ask. */
static int
story_at(const struct word *w, int i)
{
	static const char *const before[] = { "been", "got", "just", "newly", "recently", "was", "were" };

	if (i == 0 || strcmp(w[i].raw, "diagnosed") != 0)
		return 0;
	for (size_t k = 0; k < sizeof(before) / sizeof(before[0]); k++)
		if (strcmp(w[i - 1].raw, before[k]) == 0)
			return 1;
	return 0;
}

/* 1 when each of words [from, to) of w is a word of some cue standing there wholly: "side effects",
 * where "progressive supranuclear palsy" has "palsy". */
static int
all_cues(const struct word *w, int from, int to)
{
	for (int i = from; i < to;) {
		int	 took = 0;

		for (size_t c = 0; c < sizeof(cues) / sizeof(cues[0]) && took == 0; c++)
			took = cue_at(cues[c].words, w, to, i);
		if (took == 0)
			return 0;
		i += took;
	}
	return 1;
}

/* The types the cues in w ask, but not a cue in a topic's name of several words ("progressive" in
 * "progressive supranuclear palsy"): naming a topic asks nothing of it. A name of one word is a cue
 * still ("medicines", "surgery"), and so is one made of cues alone ("side effects", the other name of
 * Drug Reactions, asks for harms). "What is" only says something when nothing more precise is asked. */
static unsigned
types_of(const struct word *w, int n)
{
	unsigned mask = 0;

	for (int i = 0; i < n; i++) {
		if (w[i].named)
			continue;
		for (size_t c = 0; c < sizeof(cues) / sizeof(cues[0]); c++)
			if (!(mask & QT_BIT(cues[c].type)) && cue_at(cues[c].words, w, n, i) && !story_at(w, i))
				mask |= QT_BIT(cues[c].type);
	}
	if (mask & ~QT_BIT(QT_INFORMATION))
		mask &= ~QT_BIT(QT_INFORMATION);
	return mask;
}

unsigned
qtype_accepts(unsigned asked)
{
	unsigned m = asked;

	/* a comparison of options is answered by what the trials and guidelines say of them */
	if (asked & QT_BIT(QT_COMPARISON))
		m |= QT_BIT(QT_TREATMENT) | QT_BIT(QT_RESEARCH);
	if (asked & QT_BIT(QT_DOSING))
		m |= QT_BIT(QT_TREATMENT);
	if (asked & (QT_BIT(QT_INTERACTIONS) | QT_BIT(QT_PREGNANCY)))
		m |= QT_BIT(QT_COMPLICATIONS);
	if (asked & QT_BIT(QT_SUSCEPTIBILITY))
		m |= QT_BIT(QT_CAUSES);
	return m;
}

unsigned
qtype_of_question(const char *text)
{
	struct word *w = calloc(WORDS_MAX, sizeof(*w));
	unsigned mask;

	if (w == NULL)
		return 0;
	mask = types_of(w, words_of(text, w, WORDS_MAX));
	free(w);
	return mask;
}

int
qtype_of_heading(const char *heading, const char *title)
{
	struct word hw[64], tw[64];
	int	 nh = words_of(heading, hw, 64), nt = words_of(title, tw, 64), k = 0;
	unsigned mask;

	/* the title's words say what the article is about, not what the section answers */
	for (int i = 0; i < nh; i++) {
		int	 in_title = 0;

		for (int j = 0; j < nt && !in_title; j++)
			in_title = strcmp(hw[i].norm, tw[j].norm) == 0;
		if (!in_title)
			hw[k++] = hw[i];
	}
	mask = types_of(hw, k);
	/* a heading names one thing; take the most specific cue, in the order of enum qtype after
	 * information, with genes before inheritance ("genetic changes related to ...") */
	if (mask & QT_BIT(QT_GENES) && !(mask & QT_BIT(QT_INHERITANCE) && k > 0 &&
	    strncmp(hw[0].raw, "inherit", 7) == 0))
		return QT_GENES;
	for (int t = 1; t < QT__MAX; t++)
		if (mask & QT_BIT(t))
			return t;
	return QT_INFORMATION;
}

/* ---------------------------------------------------------------------------- topic refresh */

static int
term_insert(struct db *db, long long article, const char *term, const char *surface, int kind, char *err,
    size_t errsz)
{
	struct dbq *s = db_stmt(db, STMT_TOPIC_INSERT);
	int	 rc;

	if (term[0] == '\0' || strlen(term) > 200 || strlen(surface) > 200)
		return 0;
	db_bind_text(s, 1, term);
	db_bind_text(s, 2, surface);
	db_bind_int(s, 3, article);
	db_bind_int(s, 4, kind);
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		snprintf(err, errsz, "cannot store a topic: %s", db_errmsg(db));
		return -1;
	}
	return 0;
}

/* Joins words [from, to) of w: norm into term, raw into surface. */
static void
join(const struct word *w, int from, int to, char *term, char *surface, size_t sz)
{
	size_t	 a = 0, b = 0;

	term[0] = surface[0] = '\0';
	for (int i = from; i < to; i++) {
		size_t	 ln = strlen(w[i].norm), lr = strlen(w[i].raw);

		if (a + ln + 2 > sz || b + lr + 2 > sz)
			break;
		if (i > from) {
			term[a++] = ' ';
			surface[b++] = ' ';
		}
		memcpy(term + a, w[i].norm, ln + 1);
		memcpy(surface + b, w[i].raw, lr + 1);
		a += ln;
		b += lr;
	}
}

/* 1 when a word of a long title can be part of a topic phrase: not filler, not a question-type cue,
 * not a generic word of clinical questions. */
static int
phrase_word(const struct word *w)
{
	static const char *const generic[] = {
		"adult", "adults", "alongside", "benefit", "compared", "conventional", "effective",
		"effectiveness", "fit", "patient", "patients", "prefer", "preferred", "reduce", "role",
		"supplementation", "use", "used", "using", "work", "works",
	};
	struct word one[1];

	if (is_filler(w->raw) || (w->raw[1] == '\0' && !(w->raw[0] >= '0' && w->raw[0] <= '9')))
		return 0;
	for (size_t i = 0; i < sizeof(generic) / sizeof(generic[0]); i++)
		if (strcmp(generic[i], w->raw) == 0)
			return 0;
	one[0] = *w;
	return types_of(one, 1) == 0;
}

/* 1 when w is a word that makes a title one on a group of conditions ("disorders"). */
static int
group_word(const char *w)
{
	static const char *const group[] = {
		"conditions", "diseases", "disorders", "injuries", "problems",
	};

	for (size_t i = 0; i < sizeof(group) / sizeof(group[0]); i++)
		if (strcmp(group[i], w) == 0)
			return 1;
	return 0;
}

int
topic_refresh(struct db *db, long long article, const char *title, char *err, size_t errsz)
{
	struct word w[64];
	char	 term[256], surface[256];
	int	 n = words_of(title, w, 64), nterms = 0;
	struct dbq *s = db_stmt(db, STMT_TOPIC_CLEAR);
	const char *paren;

	db_bind_int(s, 1, article);
	if (db_step(s) != DB_DONE) {
		snprintf(err, errsz, "cannot clear topics: %s", db_errmsg(db));
		db_reset(s);
		return -1;
	}
	db_reset(s);
	if (n == 0)
		return 0;
	if (n <= TITLE_WORDS_MAX || strchr(title, '?') == NULL) {
		/* a title that is a name; a longer one names its topic in its first part */
		if (n <= TITLE_WORDS_MAX) {
			join(w, 0, n, term, surface, sizeof(term));
			if (term_insert(db, article, term, surface, 1, err, errsz) == -1)
				return -1;
		}
		/* "Scleroderma (Systemic Sclerosis)": each part names it wholly; "Diabetes, Heart
		 * Disease, and Stroke", "Dwarfism, low-birth-weight type ...", "Prevent diabetes
		 * problems: ...": the part before a comma or colon is one subject among others or a
		 * broader one, a phrase (kind 2), so a title that is that name alone comes first */
		if ((paren = strpbrk(title, "(,:")) != NULL && paren > title) {
			char	 head[256];
			struct word pw[64];
			int	 np;

			snprintf(head, sizeof(head), "%.*s", (int)(paren - title), title);
			if ((np = words_of(head, pw, 64)) > 0 && np <= TITLE_WORDS_MAX) {
				join(pw, 0, np, term, surface, sizeof(term));
				if (!(np == 1 && is_filler(pw[0].raw)) &&
				    term_insert(db, article, term, surface, *paren == '(' ? 1 : 2, err, errsz) == -1)
					return -1;
			}
			if (*paren == '(' && (np = words_of(paren + 1, pw, 64)) > 0 && np <= TITLE_WORDS_MAX) {
				join(pw, 0, np, term, surface, sizeof(term));
				if (term_insert(db, article, term, surface, 1, err, errsz) == -1)
					return -1;
			}
		}
		/* "Nausea and Vomiting", "Diverticulosis and Diverticulitis": two names, each of one
		 * word, the title of an article on both; each names it, as a phrase does, so an article
		 * on the one alone ("Cataract", before "Cataract and cardiomyopathy") comes first */
		if (n == 3 && strcmp(w[1].raw, "and") == 0)
			for (int a = 0; a <= 2; a += 2) {
				if (!phrase_word(&w[a]) || strlen(w[a].raw) < 4)
					continue;
				join(w, a, a + 1, term, surface, sizeof(term));
				if (term_insert(db, article, term, surface, 2, err, errsz) == -1)
					return -1;
			}
		/* the broader name a title ends in: "age related macular degeneration" is also about
		 * "macular degeneration", less surely (as a phrase is); after the names above, which
		 * it must not displace */
		for (int a = 1; n <= TITLE_WORDS_MAX && a + 2 <= n; a++) {
			if (!phrase_word(&w[a]))
				continue;
			join(w, a, n, term, surface, sizeof(term));
			if (term_insert(db, article, term, surface, 2, err, errsz) == -1)
				return -1;
		}
		/* an article on a part of the body or a function as a whole, "Hand Injuries and
		 * Disorders", "Hearing Disorders and Deafness", "Breathing Problems", is also about
		 * that part or function: "my hands hurt" is a question for it when nothing more exact
		 * is named (kind 3: weaker than a disease's name, see topic_hit.group) */
		for (int a = 1; n <= TITLE_WORDS_MAX && a <= 3 && a < n; a++) {
			int	 ok = 1;

			if (!group_word(w[a].raw))
				continue;
			/* the group's word ends the title, or "and" and one more word follow it */
			if (a + 1 < n && !(a + 3 == n && strcmp(w[a + 1].raw, "and") == 0))
				break;
			for (int k = 0; k < a; k++)
				ok = ok && phrase_word(&w[k]);
			join(w, 0, a, term, surface, sizeof(term));
			if (ok && term_insert(db, article, term, surface, 3, err, errsz) == -1)
				return -1;
			break;
		}
		return 0;
	}
	/* a title that is a clinical question: each run of topic words, and the phrases inside it */
	for (int i = 0; i < n && nterms < TERMS_PER_TITLE;) {
		int	 j = i;

		while (j < n && phrase_word(&w[j]))
			j++;
		for (int a = i; a < j; a++)
			for (int b = a + 1; b <= j && b - a <= PHRASE_WORDS_MAX && nterms < TERMS_PER_TITLE; b++) {
				if (b - a == 1 && strlen(w[a].raw) < 5)
					continue;
				join(w, a, b, term, surface, sizeof(term));
				if (term_insert(db, article, term, surface, 2, err, errsz) == -1)
					return -1;
				nterms++;
			}
		i = j == i ? i + 1 : j;
	}
	return 0;
}

/* ---------------------------------------------------------------------------- spelling index */

struct spell_ent {
	uint64_t h;
	int	 word;
};

static __thread struct spell {
	unsigned long long version;	/* topic_content_version() it was built at */
	int		 built;
	char		**words;	/* distinct words, lower case */
	int		*freq;		/* phrases each stands in */
	int		 nwords;
	uint64_t	*set;		/* open-addressing set of word hashes + 1 (0: empty) */
	int		*set_word;
	size_t		 setcap;
	struct spell_ent *ents;		/* a word and its one-letter deletions, by hash */
	size_t		 nents;
	uint64_t	*starts;	/* hashes of the first words of topic terms and synonyms */
	size_t		 startcap, nstarts;
	int		*sorted;	/* the words' indexes in strcmp() order, for prefixes */
} *sp;

static void
spell_free(struct spell *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < s->nwords; i++)
		free(s->words[i]);
	free(s->words);
	free(s->freq);
	free(s->set);
	free(s->set_word);
	free(s->ents);
	free(s->starts);
	free(s->sorted);
	memset(s, 0, sizeof(*s));
}

void
topic_thread_end(void)
{
	spell_free(sp);
	free(sp);
	sp = NULL;
}

static uint64_t
hash_word(const char *w, size_t n)
{
	return hash64(w, n) | 1;	/* never 0: 0 marks an empty slot */
}

/* The index of word w in the set, or -1. */
static int
spell_lookup(const struct spell *s, const char *w)
{
	uint64_t h = hash_word(w, strlen(w));

	if (s->setcap == 0)
		return -1;
	for (size_t i = h & (s->setcap - 1); s->set[i] != 0; i = (i + 1) & (s->setcap - 1))
		if (s->set[i] == h && strcmp(s->words[s->set_word[i]], w) == 0)
			return s->set_word[i];
	return -1;
}

/* Adds the hash of word w[0..n) to the set of first words. Returns 0 or -1. */
static int
starts_add(struct spell *s, const char *w, size_t n)
{
	uint64_t h = hash_word(w, n);
	size_t	 i;

	if (s->nstarts * 2 >= s->startcap) {
		size_t	 ncap = s->startcap ? s->startcap * 2 : 8192;
		uint64_t *ns = calloc(ncap, sizeof(*ns));

		if (ns == NULL)
			return -1;
		for (size_t k = 0; k < s->startcap; k++)
			if (s->starts[k] != 0) {
				size_t j = s->starts[k] & (ncap - 1);

				while (ns[j] != 0)
					j = (j + 1) & (ncap - 1);
				ns[j] = s->starts[k];
			}
		free(s->starts);
		s->starts = ns;
		s->startcap = ncap;
	}
	for (i = h & (s->startcap - 1); s->starts[i] != 0; i = (i + 1) & (s->startcap - 1))
		if (s->starts[i] == h)
			return 0;
	s->starts[i] = h;
	s->nstarts++;
	return 0;
}

/* 1 when w may start a topic term or a synonym (a hash match: it may be wrong, never missing). */
static int
starts_has(const struct spell *s, const char *w)
{
	uint64_t h = hash_word(w, strlen(w));

	if (s->startcap == 0)
		return 0;
	for (size_t i = h & (s->startcap - 1); s->starts[i] != 0; i = (i + 1) & (s->startcap - 1))
		if (s->starts[i] == h)
			return 1;
	return 0;
}

static int
ent_cmp(const void *a, const void *b)
{
	const struct spell_ent *x = a, *y = b;

	return x->h < y->h ? -1 : x->h > y->h;
}

static __thread const struct spell *sorting;	/* the index word_cmp() sorts words of */

static int
word_cmp(const void *a, const void *b)
{
	return strcmp(sorting->words[*(const int *)a], sorting->words[*(const int *)b]);
}

/* Adds word w (one more phrase) to the set. Returns 0 or -1. */
static int
spell_add(struct spell *s, const char *w, int *cap)
{
	uint64_t h = hash_word(w, strlen(w));
	size_t	 i;

	if ((size_t)s->nwords * 2 >= s->setcap) {
		size_t	 ncap = s->setcap ? s->setcap * 2 : 4096;
		uint64_t *nset = calloc(ncap, sizeof(*nset));
		int	*nsw = calloc(ncap, sizeof(*nsw));

		if (nset == NULL || nsw == NULL) {
			free(nset);
			free(nsw);
			return -1;
		}
		for (size_t k = 0; k < s->setcap; k++)
			if (s->set[k] != 0) {
				size_t j = s->set[k] & (ncap - 1);

				while (nset[j] != 0)
					j = (j + 1) & (ncap - 1);
				nset[j] = s->set[k];
				nsw[j] = s->set_word[k];
			}
		free(s->set);
		free(s->set_word);
		s->set = nset;
		s->set_word = nsw;
		s->setcap = ncap;
	}
	for (i = h & (s->setcap - 1); s->set[i] != 0; i = (i + 1) & (s->setcap - 1))
		if (s->set[i] == h && strcmp(s->words[s->set_word[i]], w) == 0) {
			s->freq[s->set_word[i]]++;
			return 0;
		}
	if (s->nwords == *cap) {
		int	 ncap = *cap ? *cap * 2 : 4096;
		char	**nw = realloc(s->words, (size_t)ncap * sizeof(*nw));
		int	*nf;

		if (nw == NULL)
			return -1;
		s->words = nw;
		if ((nf = realloc(s->freq, (size_t)ncap * sizeof(*nf))) == NULL)
			return -1;
		s->freq = nf;
		*cap = ncap;
	}
	if ((s->words[s->nwords] = strdup(w)) == NULL)
		return -1;
	s->freq[s->nwords] = 1;
	s->set[i] = h;
	s->set_word[i] = s->nwords++;
	return 0;
}

/* Words of questions that are not topics, for correcting them too ("symptons", "inheritted"): the
 * whole words that question-type cues stand for. Sorted, for bsearch (topic_is_cue()). */
static const char *const question_words[] = {
	"cause", "caused", "causes", "common", "complications", "cure", "diagnose", "diagnosed", "diagnosis",
	"genes", "genetic", "hereditary", "inherit", "inheritance", "inherited", "medication", "medicine",
	"mutation", "outlook", "prevent", "prevented", "prevention", "prognosis", "research", "risk",
	"symptom", "symptoms", "test", "tests", "therapy", "treat", "treated", "treatment", "treatments",
};

static int
spell_build(struct db *db, struct spell *s)
{
	struct dbq *st = db_stmt(db, STMT_TOPIC_WORDS);
	int	 cap = 0, rc;
	size_t	 ecap = 0;

	for (size_t i = 0; i < sizeof(question_words) / sizeof(question_words[0]); i++)
		if (spell_add(s, question_words[i], &cap) == -1)
			goto fail;
	while ((rc = db_step(st)) == DB_ROW) {
		struct word w[NGRAM_MAX * 4];
		int	 n = words_of(db_text(st, 0), w, NGRAM_MAX * 4);

		for (int i = 0; i < n; i++)
			if (strlen(w[i].raw) >= 4 && spell_add(s, w[i].raw, &cap) == -1)
				goto fail;
	}
	db_reset(st);
	if (rc != DB_DONE)
		goto fail;
	/* first words: a question's run of words is looked up only when it starts with one */
	st = db_stmt(db, STMT_TOPIC_STARTS);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *t = db_text(st, 0);
		size_t	 n = t ? strcspn(t, " ") : 0;

		if (n > 0 && starts_add(s, t, n) == -1)
			goto fail;
	}
	db_reset(st);
	if (rc != DB_DONE)
		goto fail;
	for (int i = 0; i < s->nwords; i++) {
		const char *w = s->words[i];
		size_t	 n = strlen(w);

		if (s->nents + n + 1 > ecap) {
			size_t	 nc = ecap ? ecap * 2 : 65536;
			struct spell_ent *ne;

			while (nc < s->nents + n + 1)
				nc *= 2;
			if ((ne = realloc(s->ents, nc * sizeof(*ne))) == NULL)
				goto fail;
			s->ents = ne;
			ecap = nc;
		}
		s->ents[s->nents++] = (struct spell_ent){ hash_word(w, n), i };
		for (size_t k = 0; k < n; k++) {
			char	 d[WORD_LEN + 1];

			memcpy(d, w, k);
			memcpy(d + k, w + k + 1, n - k);
			s->ents[s->nents++] = (struct spell_ent){ hash_word(d, n - 1), i };
		}
	}
	if (s->nents > 0)
		qsort(s->ents, s->nents, sizeof(*s->ents), ent_cmp);
	if ((s->sorted = malloc(((size_t)s->nwords + 1) * sizeof(*s->sorted))) == NULL)
		goto fail;
	for (int i = 0; i < s->nwords; i++)
		s->sorted[i] = i;
	sorting = s;
	qsort(s->sorted, (size_t)s->nwords, sizeof(*s->sorted), word_cmp);
	sorting = NULL;
	s->built = 1;
	return 0;
fail:
	db_reset(st);
	spell_free(s);
	return -1;
}

static __thread struct { unsigned long long dbv, content; long long seq, nsyn; int known; } cv;

unsigned long long
topic_content_version(struct db *db)
{
	unsigned long long v = db_version(db);
	struct dbq *st;

	if (cv.known && cv.dbv == v)
		return cv.content;
	st = db_stmt(db, STMT_TOPIC_VERSION);
	if (db_step(st) == DB_ROW) {
		long long seq = db_int64(st, 0), nsyn = db_int64(st, 1);

		if (!cv.known || seq != cv.seq || nsyn != cv.nsyn)
			cv.content++;
		cv.seq = seq;
		cv.nsyn = nsyn;
		cv.known = 1;
		cv.dbv = v;
	} else
		cv.known = 0;
	db_reset(st);
	return cv.content;
}

/* The spelling index for db, built or rebuilt when topics or synonyms changed; NULL on failure. */
static struct spell *
spell_get(struct db *db)
{
	unsigned long long v = topic_content_version(db);

	if (sp == NULL && (sp = calloc(1, sizeof(*sp))) == NULL)
		return NULL;
	if (sp->built && sp->version == v)
		return sp;
	spell_free(sp);
	if (spell_build(db, sp) == -1)
		return NULL;
	sp->version = v;
	return sp;
}

int
topic_is_cue(const char *w)
{
	return IN_LIST(question_words, w);
}

/* Endings of clinical words that a content's titles may not hold: operations and examinations,
 * inflammations and conditions, and the stems of drug names (the WHO's INN stems). */
static const char *const clinical_endings[] = {
	"algia", "azepam", "cillin", "ectomy", "emia", "itis", "mycin", "olol", "osis", "ostomy",
	"otomy", "oxetine", "pathy", "plasty", "prazole", "pril", "sartan", "scopy", "statin",
	"triptan", "zole",
};

/* 1 when w, of six letters or more, ends in a clinical ending. */
static int
clinical_word(const char *w)
{
	size_t	 n = strlen(w);

	if (n < 6)
		return 0;
	for (size_t i = 0; i < sizeof(clinical_endings) / sizeof(clinical_endings[0]); i++) {
		size_t	 l = strlen(clinical_endings[i]);

		if (n > l && strcmp(w + n - l, clinical_endings[i]) == 0)
			return 1;
	}
	return 0;
}

int
topic_vocab(struct db *db, const char *w)
{
	struct spell *s = spell_get(db);
	char	 one[WORD_LEN + 1];

	if (s == NULL || w == NULL || w[0] == '\0' || strlen(w) > WORD_LEN || topic_is_cue(w))
		return 0;
	if (spell_lookup(s, w) >= 0 || starts_has(s, w) || clinical_word(w))
		return 1;
	memcpy(one, w, strlen(w) + 1);
	singular(one);
	return strcmp(one, w) != 0 && (spell_lookup(s, one) >= 0 || starts_has(s, one));
}

/* Optimal string alignment distance of a and b, or more than max when it exceeds max. */
static int
osa(const char *a, const char *b, int max)
{
	int	 la = (int)strlen(a), lb = (int)strlen(b);
	int	 d[WORD_LEN + 2][WORD_LEN + 2];

	if (la > WORD_LEN || lb > WORD_LEN || abs(la - lb) > max)
		return max + 1;
	for (int i = 0; i <= la; i++)
		d[i][0] = i;
	for (int j = 0; j <= lb; j++)
		d[0][j] = j;
	for (int i = 1; i <= la; i++)
		for (int j = 1; j <= lb; j++) {
			int	 c = a[i - 1] != b[j - 1], v = d[i - 1][j - 1] + c;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

/* The known word closest to w within the allowed distance, or NULL, its distance in *dist and its
 * sections in *df; of those as close, the one in most sections of the content ("osteoperosis":
 * "osteoporosis" in 176, not "osteopetrosis" in 20, which more titles hold), then in most phrases. */
static const char *
spell_correct(struct db *db, const struct spell *s, const char *w, int *dist, long long *df)
{
	size_t	 n = strlen(w);
	int	 max = n >= 8 ? 2 : 1, best = -1, bestd = max + 1;
	long long bestdf = -1, all;

	for (size_t k = 0; k <= n; k++) {
		char	 d[WORD_LEN + 1];
		uint64_t h;
		size_t	 lo = 0, hi = s->nents;

		if (k < n) {
			memcpy(d, w, k);
			memcpy(d + k, w + k + 1, n - k);
			h = hash_word(d, n - 1);
		} else
			h = hash_word(w, n);
		while (lo < hi) {
			size_t	 mid = (lo + hi) / 2;

			if (s->ents[mid].h < h)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t e = lo; e < s->nents && s->ents[e].h == h; e++) {
			int	 cw = s->ents[e].word, cd;
			const char *c = s->words[cw];
			long long cdf;

			/* a misspelling rarely starts with the wrong letter; a word is met once per
			 * deletion it shares with w */
			if (c[0] != w[0] || cw == best || (cd = osa(w, c, max)) > max || cd > bestd)
				continue;
			cdf = search_df(db, c, &all);
			if (cd < bestd || cdf > bestdf || (cdf == bestdf && s->freq[cw] > s->freq[best])) {
				bestd = cd;
				bestdf = cdf;
				best = cw;
			}
		}
	}
	*dist = bestd;
	*df = bestdf;
	return best >= 0 && bestd <= max ? s->words[best] : NULL;
}

#define PREFIX_SCAN_MAX	64	/* words starting with a prefix looked at, at most */

/* The word that w is the start of, written out ("trigem" for "trigeminal"): of the known words that
 * begin with w and are longer, the one in most phrases (the first in order on ties), or NULL. At
 * most PREFIX_SCAN_MAX of them are looked at. */
static const char *
spell_complete(const struct spell *s, const char *w)
{
	size_t	 n = strlen(w);
	int	 lo = 0, hi = s->nwords, best = -1;

	while (lo < hi) {
		int	 mid = (lo + hi) / 2;

		if (strcmp(s->words[s->sorted[mid]], w) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int i = lo; i < s->nwords && i < lo + PREFIX_SCAN_MAX; i++) {
		const char *c = s->words[s->sorted[i]];

		if (strncmp(c, w, n) != 0)
			break;
		if (c[n] != '\0' && (best < 0 || s->freq[s->sorted[i]] > s->freq[best]))
			best = s->sorted[i];
	}
	return best >= 0 ? s->words[best] : NULL;
}

static int
all_letters(const char *w)
{
	for (; *w != '\0'; w++)
		if (!(*w >= 'a' && *w <= 'z'))
			return 0;
	return 1;
}

#define TYPO_DF_MAX	10	/* sections a slip may be in, as the content's own or as another word's */
#define TYPO_RATIO	10	/* times as many sections as that its correction must be in */

/* The word that w, as a reader wrote it, is a misspelling of, or NULL. It is one when it has five
 * letters or more, is no word of the topics and no word of English (dict_known(): "market" and
 * "arthritic" are words, though rare in the content), and the content holds it nowhere, or in so few
 * sections against its correction's many that it is a slip ("migranes" is in 7 sections, as the
 * stemmer reads it like "migrans", "migraine" in 134), or, however many, in as many sections as the
 * correction, the stemmer reading the two alike ("vitamine" and "vitamin"). Without the word lists
 * only a word the content holds nowhere is one. A plural is corrected as written or as its singular,
 * whichever is closer to a known word, then in more sections ("migranes": "migrane", one letter from
 * "migraine", rather than "migrans"; "alzhiemers": "alzhiemer", one transposition from "alzheimer"),
 * and written back as a plural ("migraines"). Only a word found nowhere is completed as the start of
 * a longer one ("trigem"). Writes the correction in out. */
static const char *
misspelling(struct db *db, const struct spell *s, const struct word *w, char *out, size_t outsz)
{
	long long all, df, fixdf, onedf;
	const char *fix, *one;
	int	 dist, onedist, known, plural = 0;
	size_t	 n;

	if (strlen(w->raw) < 5 || !all_letters(w->raw) || is_filler(w->raw) || spell_lookup(s, w->raw) >= 0)
		return NULL;
	df = search_df(db, w->raw, &all);
	if ((known = dict_known(w->raw)) == 1 || (known == -1 && df > 0))
		return NULL;
	fix = spell_correct(db, s, w->raw, &dist, &fixdf);
	if (strcmp(w->norm, w->raw) != 0 && all_letters(w->norm) &&
	    (one = spell_correct(db, s, w->norm, &onedist, &onedf)) != NULL &&
	    (fix == NULL || onedist < dist || (onedist == dist && onedf > fixdf))) {
		fix = one;
		fixdf = onedf;
		plural = 1;
	}
	if (df == 0 && fix == NULL)
		fix = spell_complete(s, w->raw);
	else if (df > 0 && fix != NULL && fixdf != df && (df > TYPO_DF_MAX || fixdf < TYPO_RATIO * df))
		fix = NULL;
	if (fix == NULL)
		return NULL;
	/* the plural as singular() undoes it: "allergy", "allergies" */
	n = strlen(fix);
	if (!plural || n + 3 >= outsz || fix[n - 1] == 's')
		snprintf(out, outsz, "%s", fix);
	else if (n > 1 && fix[n - 1] == 'y' && strchr("aeiou", fix[n - 2]) == NULL)
		snprintf(out, outsz, "%.*sies", (int)n - 1, fix);
	else
		snprintf(out, outsz, "%ss", fix);
	return out;
}

/* ------------------------------------------------------------------------------- recognition */

static void
hit_add(struct topic_set *ts, long long article, double score, const char *term, int group)
{
	int	 i;

	for (i = 0; i < ts->n && ts->hit[i].article_id != article; i++)
		;
	if (i == ts->n) {
		if (ts->n == TOPIC_MAX) {
			/* full: replace the weakest when this one is stronger */
			int	 weak = 0;

			for (int k = 1; k < ts->n; k++)
				if (ts->hit[k].score < ts->hit[weak].score)
					weak = k;
			if (ts->hit[weak].score >= score)
				return;
			i = weak;
		} else
			ts->n++;
		ts->hit[i].article_id = article;
		ts->hit[i].score = 0;
		ts->hit[i].group = 1;
		snprintf(ts->hit[i].term, sizeof(ts->hit[i].term), "%.*s", TOPIC_TERM_LEN - 1, term);
		utf8_trim(ts->hit[i].term);
	}
	ts->hit[i].score += score;
	ts->hit[i].group = ts->hit[i].group && group;
}

#define FOUND_MAX	200	/* articles one run of words may name, directly and through synonyms */

struct found {
	int		 n;
	long long	 article[FOUND_MAX];
	double		 factor[FOUND_MAX];	/* 1 for a whole name, less for a phrase or a synonym */
	int		 group[FOUND_MAX];	/* named as the subject of a group article (kind 3) */
};

/* Looks up one normalised phrase with statement stmt (STMT_TOPIC_GET: the phrase is a topic term;
 * STMT_TOPIC_EPONYM: it begins one); notes its articles with factor. Returns 0 or -1. */
static int
lookup(struct db *db, int stmt, const char *term, double factor, struct found *f)
{
	struct dbq *s = db_stmt(db, stmt);
	int	 rc;

	db_bind_text(s, 1, term);
	while ((rc = db_step(s)) == DB_ROW && f->n < FOUND_MAX) {
		int	 kind = db_int(s, 1);

		f->article[f->n] = db_int64(s, 0);
		f->group[f->n] = kind == 3;
		f->factor[f->n++] = kind == 1 ? factor : factor * 0.5;
	}
	db_reset(s);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

/* Notes the articles that synonyms of surface (a name as written) name, with factor. Returns 0 or
 * -1. */
static int
synonyms_at(struct db *db, const char *surface, double factor, struct found *f)
{
	struct dbq *st = db_stmt(db, STMT_SYNONYM_GET);
	int	 rc = 0;

	db_bind_text(st, 1, surface);
	while (rc == 0 && db_step(st) == DB_ROW) {
		char	 exp[256];

		if (topic_norm(db_text(st, 0), exp, sizeof(exp)) > 0)
			rc = lookup(db, STMT_TOPIC_GET, exp, factor, f);
	}
	db_reset(st);
	return rc;
}

/* Notes the articles that synonyms of surface (a name as written) name, at 0.9. Returns 0 or -1. */
static int
synonyms_add(struct db *db, const char *surface, struct found *f)
{
	return synonyms_at(db, surface, 0.9, f);
}

/* Notes, at LEXICON_FACTOR, the articles that another name of surface (or of term, its words made
 * singular) in WordNet names (lexicon.h: "lockjaw" for Tetanus, "tylenol" for an article on
 * acetaminophen), as a topic term or through the synonym table; each article once, however many
 * of the names name it. Returns 0 or -1. */
#define LEXICON_FACTOR	0.85

static int
lexicon_add(struct db *db, const char *surface, const char *term, struct found *f)
{
	const char *alt[LEXICON_NAMES_MAX];
	int	 n = lexicon_names(surface, alt, LEXICON_NAMES_MAX, 0), from = f->n;

	if (n == 0 && strcmp(surface, term) != 0)
		n = lexicon_names(term, alt, LEXICON_NAMES_MAX, 0);
	for (int k = 0; k < n; k++) {
		char	 t[256];
		int	 before = f->n, o = f->n;

		if (topic_norm(alt[k], t, sizeof(t)) <= 0)
			continue;
		if (lookup(db, STMT_TOPIC_GET, t, LEXICON_FACTOR, f) == -1 ||
		    synonyms_at(db, alt[k], LEXICON_FACTOR, f) == -1)
			return -1;
		/* keep each article once: drop what this or an earlier name found already */
		for (int i = before; i < f->n; i++) {
			int	 dup = 0;

			for (int j = from; j < o && !dup; j++)
				dup = f->article[j] == f->article[i];
			if (!dup) {
				f->article[o] = f->article[i];
				f->factor[o] = f->factor[i];
				f->group[o++] = f->group[i];
			}
		}
		f->n = o;
	}
	return 0;
}

/* Notes, at 0.9 as synonyms are, the articles whose name or synonym is abbreviation w and a head
 * word ("WPW syndrome" for "WPW"), when the content writes w mostly so: in at least HEAD_SHARE of the
 * sections that hold it. Returns 0 or -1. */
#define HEAD_SHARE	0.5

static int
head_add(struct db *db, const char *w, struct found *f)
{
	static const char *const heads[] = { "disease", "disorder", "syndrome" };
	char	 name[WORD_LEN + 16];
	long long all, df = search_df(db, w, &all), named = 0;
	int	 from = f->n;

	if (df == 0)
		return 0;
	for (size_t k = 0; k < sizeof(heads) / sizeof(heads[0]); k++) {
		int	 before = f->n;

		snprintf(name, sizeof(name), "%s %s", w, heads[k]);
		if (lookup(db, STMT_TOPIC_GET, name, 0.9, f) == -1 || synonyms_add(db, name, f) == -1)
			return -1;
		if (f->n > before)
			named += search_df(db, name, &all);
	}
	if ((double)named < HEAD_SHARE * (double)df)
		f->n = from;
	return 0;
}

/* 1 when w is a possessive written without its apostrophe ("parkinsons", "crohns"): a word ending in
 * "s" whose singular the content writes as a possessive in at least POSS_SHARE of the sections that
 * hold it ("Parkinson's"), where "roberts" and "falls" it never does. */
#define POSS_SHARE	0.1

static int
bare_possessive(struct db *db, const struct word *w)
{
	char	 poss[WORD_LEN + 3];
	long long all, df;
	size_t	 n = strlen(w->raw);

	if (n < 4 || w->raw[n - 1] != 's' || strcmp(w->norm, w->raw) == 0 ||
	    (df = search_df(db, w->norm, &all)) == 0)
		return 0;
	snprintf(poss, sizeof(poss), "%s s", w->norm);
	return (double)search_df(db, poss, &all) >= POSS_SHARE * (double)df;
}

/* A topic said in everyday words: "losing my hearing" for "hearing loss", "my back hurts", "my back
 * has been hurting", "my knees are sore" and "pain in my back" for "back pain". Writes that name in
 * name and the index of its subject word ("hearing") in *subject; returns how many words from i it
 * took, 0 when no such words stand there. */
static int
lay_name(const struct word *w, int n, int i, char *name, size_t sz, int *subject)
{
	static const char *const lose[] = { "lose", "loses", "losing", "lost" };	/* sorted */
	static const char *const hurt[] = { "ache", "aches", "aching", "hurt", "hurting", "hurts", "sore" };
	static const char *const det[] = { "a", "all", "her", "his", "my", "our", "the", "their", "your" };
	/* between the subject and "hurts", at most two: "has been", "keeps", "is really" */
	static const char *const aux[] = {
		"always", "are", "been", "constantly", "does", "feel", "feels", "get", "gets", "had", "has",
		"have", "is", "just", "keep", "keeps", "kept", "often", "really", "started", "starting",
		"starts", "still", "was", "were", "will",
	};
	int	 pain_in = strcmp(w[i].raw, "pain") == 0 && i + 1 < n && strcmp(w[i + 1].raw, "in") == 0;
	const char *head;
	int	 x, last, v = i + 1;

	while (v < n && v < i + 3 && IN_LIST(aux, w[v].raw))
		v++;

	if (pain_in || IN_LIST(lose, w[i].raw)) {
		/* the verb or "pain in", a determiner, the subject */
		x = pain_in ? i + 2 : i + 1;
		if (x < n && IN_LIST(det, w[x].raw))
			x++;
		last = x;
		head = pain_in ? "pain" : "loss";
	} else if (v < n && IN_LIST(hurt, w[v].raw)) {
		x = i;		/* the subject, then the verb */
		last = v;
		head = "pain";
	} else
		return 0;
	if (x >= n || is_filler(w[x].raw) || w[x].raw[1] == '\0')
		return 0;
	snprintf(name, sz, "%s %s", w[x].norm, head);
	*subject = x;
	return last - i + 1;
}

/* How surely word names a topic by its rarity in the content: "scoliosis" more than "pain". */
static double
rarity(struct db *db, const char *word)
{
	long long all, df = search_df(db, word, &all);

	return log((double)(all + 1) / (double)(df + 1) + 1.0);
}

/* Notes the articles that the everyday words at i name (lay_name()), at 0.9 as another name, each
 * word counting as in topic_find(): the subject and the name's last word by the subject's weight.
 * Returns how many words it took (0 when they name no article), or -1. */
static int
lay_add(struct db *db, const struct word *w, int n, int i, struct topic_set *ts)
{
	char	 name[2 * WORD_LEN + 8], term[256];
	struct found f;
	double	 weight;
	int	 x, span = lay_name(w, n, i, name, sizeof(name), &x);

	f.n = 0;
	if (span == 0 || topic_norm(name, term, sizeof(term)) <= 0)
		return 0;
	if (lookup(db, STMT_TOPIC_GET, term, 0.9, &f) == -1 || synonyms_add(db, name, &f) == -1)
		return -1;
	if (f.n == 0)
		return 0;
	weight = w[x].weight * (rarity(db, w[x].norm) + rarity(db, strchr(name, ' ') + 1));
	for (int k = 0; k < f.n; k++)
		hit_add(ts, f.article[k], weight * f.factor[k], name, f.group[k]);
	return span;
}

/* Writes words [from, to) of w as written, but a Roman numeral as the number numeral() made of it
 * ("type ii diabetes" -> "type 2 diabetes"). Returns 1 when that differs from the words as written. */
static int
numeral_surface(const struct word *w, int from, int to, char *out, size_t sz)
{
	size_t	 o = 0;
	int	 changed = 0;

	out[0] = '\0';
	for (int i = from; i < to; i++) {
		int	 num = w[i].norm[0] >= '0' && w[i].norm[0] <= '9' &&
		    !(w[i].raw[0] >= '0' && w[i].raw[0] <= '9');
		const char *x = num ? w[i].norm : w[i].raw;
		size_t	 l = strlen(x);

		if (o + l + 2 > sz)
			return 0;
		if (i > from)
			out[o++] = ' ';
		memcpy(out + o, x, l + 1);
		o += l;
		changed |= num;
	}
	return changed;
}

static int
hit_cmp(const void *a, const void *b)
{
	const struct topic_hit *x = a, *y = b;

	return x->score < y->score ? 1 : x->score > y->score ? -1 :
	    (x->article_id > y->article_id) - (x->article_id < y->article_id);
}

int
topic_find(struct db *db, const char *text, struct topic_set *ts)
{
	struct word *w = calloc(WORDS_MAX, sizeof(*w));
	struct spell *s;
	int	 n, rc = -1;

	memset(ts, 0, sizeof(*ts));
	if (w == NULL)
		return -1;
	n = words_of(text, w, WORDS_MAX);
	if ((s = spell_get(db)) == NULL)
		goto out;
	/* misspellings (misspelling()) */
	for (int i = 0; i < n; i++) {
		char	 fix[WORD_LEN + 1];

		if (misspelling(db, s, &w[i], fix, sizeof(fix)) == NULL)
			continue;
		if (ts->nfix < TOPIC_FIX_MAX) {
			snprintf(ts->fix[ts->nfix].from, sizeof(ts->fix[0].from), "%s", w[i].raw);
			snprintf(ts->fix[ts->nfix].to, sizeof(ts->fix[0].to), "%s", fix);
			ts->nfix++;
		}
		snprintf(w[i].raw, sizeof(w[i].raw), "%s", fix);
		snprintf(w[i].norm, sizeof(w[i].norm), "%s", fix);
		singular(w[i].norm);
		w[i].fixed = 1;
	}
	/* the longest names first, left to right; a word named once is not looked at again; the words
	 * of a name no article goes by (claim, up to word claim_end) name only what is above it */
	int	 claim_end = 0;
	char	 claim[256] = "";

	for (int i = 0; i < n;) {
		int	 took = 0, lay = lay_add(db, w, n, i, ts);

		if (lay == -1)
			goto out;
		if (lay > 0) {
			i += lay;
			continue;
		}
		if (is_filler(w[i].raw) || (!starts_has(s, w[i].norm) && !starts_has(s, w[i].raw) &&
		    !lexicon_starts(w[i].raw) && !lexicon_starts(w[i].norm))) {
			i++;
			continue;
		}
		for (int len = n - i < NGRAM_MAX ? n - i : NGRAM_MAX; len >= 1 && !took; len--) {
			char	 term[256], surface[256];
			char	 alt[256];
			double	 weight = 0;
			struct found f;

			if (is_filler(w[i + len - 1].raw))
				continue;
			if (len == 1 && w[i].raw[1] == '\0')
				continue;
			join(w, i, i + len, term, surface, sizeof(term));
			if (i + len <= claim_end && !lexicon_under(claim, surface) && !lexicon_under(claim, term))
				continue;
			f.n = 0;
			if (lookup(db, STMT_TOPIC_GET, term, 1.0, &f) == -1)
				goto out;
			/* other names: the synonym table maps a name to the topic's own, the name as
			 * written or with its Roman numerals as numbers ("type ii diabetes") */
			if (synonyms_add(db, surface, &f) == -1 ||
			    (numeral_surface(w, i, i + len, alt, sizeof(alt)) && synonyms_add(db, alt, &f) == -1))
				goto out;
			/* a name no topic goes by, but WordNet gives another of ("lockjaw") */
			if (f.n == 0 && lexicon_add(db, surface, term, &f) == -1)
				goto out;
			/* "Parkinson's", "Bell's" alone, or "parkinsons": the article whose name is that
			 * word and one more ("Parkinson disease", "Bell's palsy"), as another name is; not
			 * for a word common in the content (search_common(): "child's", "body's") */
			if (f.n == 0 && len == 1 && !search_common(db, w[i].norm) &&
			    (w[i].poss || bare_possessive(db, &w[i])) &&
			    lookup(db, STMT_TOPIC_EPONYM, w[i].norm, 0.9, &f) == -1)
				goto out;
			/* "WPW" alone: an abbreviation the topics hold with a head word ("WPW syndrome"); in
			 * capitals only, where "proud" and "coach" are words, not PROUD and COACH syndromes */
			if (f.n == 0 && len == 1 && w[i].caps && !search_common(db, w[i].norm) &&
			    head_add(db, w[i].norm, &f) == -1)
				goto out;
			if (f.n == 0) {
				/* "swamp fever": a disease WordNet knows that no article goes by and the
				 * content never writes ("cleft lip" it does, in "Cleft Lip and Palate") */
				const char *cond = lexicon_condition(surface) ? surface :
				    lexicon_condition(term) ? term : NULL;
				long long all;

				if (len > 1 && i >= claim_end && cond != NULL && search_df(db, surface, &all) == 0) {
					snprintf(claim, sizeof(claim), "%s", cond);
					claim_end = i + len;
					if (ts->unheld[0] == '\0')
						snprintf(ts->unheld, sizeof(ts->unheld), "%.*s", TOPIC_TERM_LEN - 1,
						    surface);
					for (int k = i; k < i + len; k++)
						w[k].named = 1;
				}
				continue;
			}
			/* each word counts by its weight and its rarity() */
			for (int k = i; k < i + len; k++)
				if (!is_filler(w[k].raw))
					weight += w[k].weight * rarity(db, w[k].raw);
			for (int k = 0; k < f.n; k++)
				hit_add(ts, f.article[k], weight * f.factor[k], surface, f.group[k]);
			if (len > 1 && !all_cues(w, i, i + len))
				for (int k = i; k < i + len; k++)
					w[k].named = 1;
			took = 1;
			i += len;
		}
		if (!took)
			i++;
	}
	qsort(ts->hit, (size_t)ts->n, sizeof(ts->hit[0]), hit_cmp);
	ts->qtypes = types_of(w, n);
	rc = 0;
out:
	free(w);
	return rc;
}
