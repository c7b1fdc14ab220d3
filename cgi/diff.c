/* diff.c: a bounded line and word diff (see diff.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "util.h"

struct tok {
	const char	*p;
	size_t		 n;
	uint64_t	 h;	/* hash64 of p[0..n) */
};

enum op { OP_SAME, OP_DEL, OP_ADD };

struct edit {
	enum op		 op;
	int		 ai, bi;	/* token index in a (SAME, DEL) and b (SAME, ADD) */
};

/* Splits s into lines (without their '\n'). Returns the count; *out is malloc'd. */
static int
split_lines(const char *s, struct tok **out)
{
	int	 n = 1, i = 0;
	const char *p, *e;

	if (*s == '\0') {		/* no text: no lines */
		*out = NULL;
		return 0;
	}
	for (p = s; *p != '\0'; p++)
		if (*p == '\n')
			n++;
	if ((*out = calloc((size_t)n, sizeof(**out))) == NULL)
		return -1;
	for (p = s; ; p = e + 1) {
		e = strchr(p, '\n');
		(*out)[i].p = p;
		(*out)[i].n = e ? (size_t)(e - p) : strlen(p);
		(*out)[i].h = hash64(p, (*out)[i].n);
		i++;
		if (e == NULL)
			break;
	}
	if (i > 1 && (*out)[i - 1].n == 0)	/* a final newline ends the last line */
		i--;
	return i;
}

/* Splits s[0..n) into words, each with the spaces after it. */
static int
split_words(const char *s, size_t n, struct tok **out)
{
	int	 k = 0;
	size_t	 i = 0;

	if ((*out = calloc(n + 1, sizeof(**out))) == NULL)
		return -1;
	while (i < n) {
		size_t	 st = i;

		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		(*out)[k].p = s + st;
		(*out)[k].n = i - st;
		(*out)[k].h = hash64(s + st, i - st);
		k++;
	}
	return k;
}

static int
tok_eq(const struct tok *x, const struct tok *y)
{
	return x->h == y->h && x->n == y->n && memcmp(x->p, y->p, x->n) == 0;
}

/* The edit script from a to b. Returns its length (*out malloc'd), or -1 when the table would pass
 * DIFF_MAX_CELLS or what is left of *budget (or memory ran out); the cells used come off *budget. */
static int
lcs(const struct tok *a, int na, const struct tok *b, int nb, struct edit **out, size_t *budget)
{
	size_t	 cells;
	int	 head = 0, tail = 0, m, n, k = 0, i, j;
	uint32_t *t;
	struct edit *e;

	while (head < na && head < nb && tok_eq(&a[head], &b[head]))
		head++;
	while (tail < na - head && tail < nb - head && tok_eq(&a[na - 1 - tail], &b[nb - 1 - tail]))
		tail++;
	m = na - head - tail;
	n = nb - head - tail;
	cells = (size_t)(m + 1) * (size_t)(n + 1);
	if (cells > DIFF_MAX_CELLS || cells > *budget)
		return -1;
	*budget -= cells;
	if ((e = calloc((size_t)(na + nb + 1), sizeof(*e))) == NULL)
		return -1;
	if ((t = calloc((size_t)(m + 1) * (size_t)(n + 1), sizeof(*t))) == NULL) {
		free(e);
		return -1;
	}
#define T(x, y)	t[(size_t)(x) * (size_t)(n + 1) + (size_t)(y)]
	/* T(i, j): the LCS length of a[head+i..] and b[head+j..] (their middle parts) */
	for (i = m - 1; i >= 0; i--)
		for (j = n - 1; j >= 0; j--)
			T(i, j) = tok_eq(&a[head + i], &b[head + j]) ? T(i + 1, j + 1) + 1 :
			    (T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
	for (i = 0; i < head; i++)
		e[k++] = (struct edit){ OP_SAME, i, i };
	i = j = 0;
	while (i < m || j < n) {
		if (i < m && j < n && tok_eq(&a[head + i], &b[head + j])) {
			e[k++] = (struct edit){ OP_SAME, head + i, head + j };
			i++;
			j++;
		} else if (i < m && (j == n || T(i + 1, j) >= T(i, j + 1))) {
			e[k++] = (struct edit){ OP_DEL, head + i, -1 };
			i++;
		} else {
			e[k++] = (struct edit){ OP_ADD, -1, head + j };
			j++;
		}
	}
#undef T
	for (i = 0; i < tail; i++)
		e[k++] = (struct edit){ OP_SAME, na - tail + i, nb - tail + i };
	free(t);
	*out = e;
	return k;
}

static void
row_open(struct buf *out, enum op op)
{
	if (op == OP_SAME)
		buf_lit(out, "<div class=\"diff-line diff-same\">");
	else if (op == OP_DEL)
		buf_lit(out, "<div class=\"diff-line diff-del\"><span class=\"visually-hidden\">Removed: </span>");
	else
		buf_lit(out, "<div class=\"diff-line diff-add\"><span class=\"visually-hidden\">Added: </span>");
}

static void
row_whole(struct buf *out, enum op op, const struct tok *line)
{
	row_open(out, op);
	if (op == OP_DEL)
		buf_lit(out, "<del>");
	else if (op == OP_ADD)
		buf_lit(out, "<ins>");
	buf_htmln(out, line->p, line->n);
	if (op == OP_DEL)
		buf_lit(out, "</del>");
	else if (op == OP_ADD)
		buf_lit(out, "</ins>");
	buf_lit(out, "</div>\n");
}

/* A changed line shown as two rows, the old with removed words marked and the new with added ones. */
static int
rows_words(struct buf *out, const struct tok *la, const struct tok *lb, size_t *budget)
{
	struct tok *wa = NULL, *wb = NULL;
	struct edit *e = NULL;
	int	 na, nb, k = -1;

	na = split_words(la->p, la->n, &wa);
	nb = split_words(lb->p, lb->n, &wb);
	if (na >= 0 && nb >= 0)
		k = lcs(wa, na, wb, nb, &e, budget);
	if (k < 0) {
		row_whole(out, OP_DEL, la);
		row_whole(out, OP_ADD, lb);
		goto out;
	}
	for (int side = 0; side < 2; side++) {
		enum op mine = side == 0 ? OP_DEL : OP_ADD;

		int	 marked = 0;	/* inside <del> or <ins> */

		row_open(out, mine);
		for (int i = 0; i < k; i++) {
			const struct tok *w;

			if (e[i].op != OP_SAME && e[i].op != mine)
				continue;
			w = side == 0 ? &wa[e[i].ai] : &wb[e[i].bi];
			if (e[i].op == mine && !marked) {
				if (side == 0)
					buf_lit(out, "<del>");
				else
					buf_lit(out, "<ins>");
				marked = 1;
			} else if (e[i].op == OP_SAME && marked) {
				if (side == 0)
					buf_lit(out, "</del>");
				else
					buf_lit(out, "</ins>");
				marked = 0;
			}
			buf_htmln(out, w->p, w->n);
		}
		if (marked) {
			if (side == 0)
				buf_lit(out, "</del>");
			else
				buf_lit(out, "</ins>");
		}
		buf_lit(out, "</div>\n");
	}
out:
	free(wa);
	free(wb);
	free(e);
	return k < 0 ? -1 : 0;
}

int
diff_html(struct buf *out, const char *a, const char *b, size_t *budget)
{
	struct tok *la = NULL, *lb = NULL;
	struct edit *e = NULL;
	int	 na, nb, k = -1, changed = 0, whole = 0;
	size_t	 own = DIFF_MAX_CELLS;

	if (budget == NULL)
		budget = &own;
	na = split_lines(a ? a : "", &la);
	nb = split_lines(b ? b : "", &lb);
	if (na >= 0 && nb >= 0)
		k = lcs(la, na, lb, nb, &e, budget);
	buf_lit(out, "<div class=\"diff\">\n");
	if (k < 0) {
		for (int i = 0; i < na; i++)
			row_whole(out, OP_DEL, &la[i]);
		for (int i = 0; i < nb; i++)
			row_whole(out, OP_ADD, &lb[i]);
		changed = -1;
	}
	for (int i = 0; i < k; ) {
		int	 d = 0, ad = 0;

		if (e[i].op == OP_SAME) {
			row_whole(out, OP_SAME, &la[e[i].ai]);
			i++;
			continue;
		}
		/* a run of changed lines: the k-th removed line is paired with the k-th added one */
		{
			int	 end = i, dp, ap;

			while (end < k && e[end].op != OP_SAME) {
				if (e[end].op == OP_DEL)
					d++;
				else
					ad++;
				end++;
			}
			changed += d > ad ? d : ad;
			dp = ap = i;
			for (int p = 0; p < d || p < ad; p++) {
				while (dp < end && e[dp].op != OP_DEL)
					dp++;
				while (ap < end && e[ap].op != OP_ADD)
					ap++;
				if (p < d && p < ad) {
					if (rows_words(out, &la[e[dp].ai], &lb[e[ap].bi], budget) == -1)
						whole = 1;
				}
				else if (p < d)
					row_whole(out, OP_DEL, &la[e[dp].ai]);
				else
					row_whole(out, OP_ADD, &lb[e[ap].bi]);
				if (p < d)
					dp++;
				if (p < ad)
					ap++;
			}
			i = end;
		}
	}
	buf_lit(out, "</div>\n");
	free(la);
	free(lb);
	free(e);
	return whole ? -1 : changed;
}
