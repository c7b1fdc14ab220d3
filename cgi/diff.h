/* diff.h: what changed between two texts, by line and, inside a changed line, by word.
 *
 * A longest-common-subsequence diff written here because no library evqa already uses offers one
 * (SQLite, jansson, cmark and libsodium do not; Fossil's and git's diff engines are not libraries).
 * The work is bounded: the common head and tail are skipped, and the rest is compared only while
 * lines x lines (or words x words) stays under DIFF_MAX_CELLS, and while the whole page's comparisons
 * stay within the caller's budget (DIFF_PAGE_CELLS for the diff page); beyond either the block is
 * shown as removed and added whole, and the page says so. Tokens are compared by hash first, so a
 * cell costs the same however long its lines are. */
#ifndef EVQA_DIFF_H
#define EVQA_DIFF_H

#include "buf.h"

#include <stddef.h>

#define DIFF_MAX_CELLS	(1000 * 1000)	/* the LCS table: at most 1M entries (4 MB) per comparison */
#define DIFF_PAGE_CELLS	(2 * 1000 * 1000)	/* table entries all the comparisons of one page may fill */

/* Writes the line diff of a (older) against b (newer) as HTML into out: a <div class="diff"> with a
 * row per line (class diff-same, diff-del or diff-add), removed words in <del> and added ones in
 * <ins>; all text escaped. *budget is the number of table cells the caller still allows (decreased
 * by what this diff used; NULL: DIFF_MAX_CELLS for this call alone). Returns the number of changed
 * lines, or -1 when some of it was too large to compare and was shown whole. */
int	 diff_html(struct buf *out, const char *a, const char *b, size_t *budget);

#endif
