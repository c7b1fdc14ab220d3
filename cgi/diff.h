/* diff.h: what changed between two texts, by line and, inside a changed line, by word.
 *
 * A longest-common-subsequence diff written here because no library evqa already uses offers one
 * (SQLite, jansson, cmark and libsodium do not; Fossil's and git's diff engines are not libraries).
 * The work is bounded: the common head and tail are skipped, and the rest is compared only while
 * lines x lines (or words x words) stays under DIFF_MAX_CELLS; beyond it the block is shown as
 * removed and added whole, and the page says so. */
#ifndef EVQA_DIFF_H
#define EVQA_DIFF_H

#include "buf.h"

#define DIFF_MAX_CELLS	(1000 * 1000)	/* the LCS table: at most 1M entries (4 MB) per comparison */

/* Writes the line diff of a (older) against b (newer) as HTML into out: a <div class="diff"> with a
 * row per line (class diff-same, diff-del or diff-add), removed words in <del> and added ones in
 * <ins>; all text escaped. Returns the number of changed lines, or -1 when the comparison was too
 * large and was shown whole. */
int	 diff_html(struct buf *out, const char *a, const char *b);

#endif
