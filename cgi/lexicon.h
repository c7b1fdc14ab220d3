/* lexicon.h: other names of diseases, symptoms and drugs, from WordNet (Debian's wordnet-base), read
 * from WORDNET_DIR once and shared by every thread: a lay name and the clinical one ("lockjaw" and
 * "tetanus", "swamp fever" and "leptospirosis"), British spellings ("haemophilia"), a drug's trade
 * names and its generic name ("tylenol", "acetaminophen").
 *
 * The names kept are those of a noun meaning under disease, illness, symptom, disorder, pathology,
 * injury, abnormality or infection, or under drug or medicine, and not marked slang, colloquial,
 * archaic or the like (a trade name is kept). A reader's words are looked up only as a name WordNet
 * gives no other meaning: one sense as a noun and, for a name of one word, of four letters or more
 * and no sense as a verb, adjective or adverb ("cold", "itch", "shot" are words of other meanings).
 * The other names of that meaning are all given, "tetanus" too, which has a second sense.
 *
 * Names are written as topic terms' surfaces are: lower-case words of letters and digits separated
 * by single spaces, a possessive "'s" dropped ("meniere disease"). Without the files it knows no
 * names, and says so. */
#ifndef EVQA_LEXICON_H
#define EVQA_LEXICON_H

#define LEXICON_NAMES_MAX	16	/* other names given for one name */

/* Reads WordNet's noun files, once (later calls do nothing). The server calls it before it serves;
 * lexicon_names() and lexicon_starts() call it otherwise. Returns 0, or -1 when they cannot be
 * read. */
int	 lexicon_open(void);

/* Writes to out (at most max, in WordNet's order) the other names of the meaning name stands for,
 * when name is one a reader's words are looked up as (see above); with sure set, only those that are
 * such names too ("tetanus" is not: it has a second sense). The strings live as long as the process.
 * Returns how many; 0 for a name it does not hold, or without the files. Thread-safe. */
int	 lexicon_names(const char *name, const char **out, int max, int sure);

/* 1 when some name a reader's words are looked up as begins with the word w ("swamp" of "swamp
 * fever"), else 0. Thread-safe. */
int	 lexicon_starts(const char *w);

/* 1 when name is a name a reader's words are looked up as, of a disease, symptom or injury (not a
 * drug): "swamp fever". Thread-safe. */
int	 lexicon_condition(const char *name);

/* 1 when broader (written as names are) is a name of a meaning above the one name stands for, a
 * name a reader's words are looked up as: "epilepsy" above "grand mal epilepsy", "anthrax" above
 * "anthrax pneumonia", but "fever" not above "swamp fever" (leptospirosis). Thread-safe. */
int	 lexicon_under(const char *name, const char *broader);

/* How many names are held (0 without the files): for tests and the server's log. */
int	 lexicon_size(void);

#endif
