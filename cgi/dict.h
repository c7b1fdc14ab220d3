/* dict.h: is a word English? The word lists Debian ships for Hunspell, general (hunspell-en-us) and
 * medical (hunspell-en-med), read from DICT_DIR once, on first use, and shared by every thread.
 *
 * Topic recognition asks it of a reader's word that the content holds in a few sections only, to
 * tell a word ("market", "arthritic") from a slip ("migranes"). Without the lists it knows nothing
 * and says so, and the caller keeps to what the content alone tells. */
#ifndef EVQA_DICT_H
#define EVQA_DICT_H

/* Reads the word lists, once (later calls do nothing). The server calls it before it serves, so no
 * question waits for it; dict_known() calls it otherwise. Returns 0, or -1 when they cannot be read. */
int	 dict_open(void);

/* 1 when lower-case word w is in the word lists (with their endings: "cribs", "files"; or with a
 * capital, as names are: "nigeria"), 0 when it is
 * not, -1 when no list could be read. Thread-safe. */
int	 dict_known(const char *w);

#endif
