/* render.c: Markdown with citation markers to HTML and JSON (see render.h). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>
#include <jansson.h>

#include "buf.h"
#include "render.h"
#include "util.h"

#define MARKER_MAX	20	/* numbers one marker may name */
#define RANGE_MAX	30	/* widest range a marker may span */

/* What a custom inline node carries (cmark user data) starts with one of these. */
enum node_tag {
	NODE_CITE,
	NODE_GRADE
};

/* What one marker node carries (cmark user data). */
struct cite {
	enum node_tag	 tag;		/* NODE_CITE */
	int		 n;
	int		 nums[MARKER_MAX];
	char		 text[96];	/* the marker as plain text: "[1, 2]" */
	struct cite	*next;		/* all cites of a render, to free */
};

struct ctx {
	const unsigned char *has;
	int		 count[REF_MAX + 1];	/* occurrences so far, for cite-N-K ids */
	unsigned char	*cited;
	struct cite	*cites;
	struct grade_node *grade_nodes;		/* all grade nodes of a render, to free */
	struct render_grades *grades;		/* counts, in the result */
	enum render_words words;
	const char	*where;			/* "bottom line" or "body" */
	char		*err;
	size_t		 errsz;
	int		 failed;
};

static int
digits(const char *s, size_t n, size_t *i, int *out)
{
	int	 v = 0, nd = 0;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
		if (++nd > 3)
			return -1;
		v = v * 10 + (s[*i] - '0');
		(*i)++;
	}
	if (nd == 0)
		return -1;
	*out = v;
	return 0;
}

static void
spaces(const char *s, size_t n, size_t *i)
{
	while (*i < n && s[*i] == ' ')
		(*i)++;
}

int
render_marker(const char *s, size_t n, int *nums, int max, int *count)
{
	size_t	 i = 1;
	int	 a, b, k = 0;

	if (n < 3 || s[0] != '[')
		return 0;
	spaces(s, n, &i);
	if (digits(s, n, &i, &a) == -1)
		return 0;
	for (;;) {
		int	 range = 0;

		spaces(s, n, &i);
		if (i < n && s[i] == '-') {
			range = 1;
			i++;
		} else if (n - i >= 3 && memcmp(s + i, "\xe2\x80\x93", 3) == 0) {	/* en dash */
			range = 1;
			i += 3;
		}
		if (range) {
			spaces(s, n, &i);
			if (digits(s, n, &i, &b) == -1)
				return 0;
			if (b < a || b - a > RANGE_MAX)
				return -1;
		} else
			b = a;
		for (int v = a; v <= b; v++) {
			if (k >= max)
				return -1;
			nums[k++] = v;
		}
		spaces(s, n, &i);
		if (i < n && s[i] == ']') {
			*count = k;
			return (int)i + 1;
		}
		if (i >= n || s[i] != ',')
			return 0;
		i++;
		spaces(s, n, &i);
		if (digits(s, n, &i, &a) == -1)
			return 0;
	}
}

static int
block_line(cmark_node *n)
{
	while (n != NULL && cmark_node_get_start_line(n) == 0)
		n = cmark_node_parent(n);
	return n ? cmark_node_get_start_line(n) : 0;
}

/* A custom inline node whose HTML is b's bytes (freed here) and whose user data is data; NULL on
 * failure (ctx->failed set). */
static cmark_node *
inline_node(struct ctx *c, struct buf *b, void *data)
{
	cmark_node *node;

	if (b->err || (node = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)) == NULL) {
		buf_free(b);
		c->failed = 1;
		return NULL;
	}
	cmark_node_set_on_enter(node, b->p);
	cmark_node_set_on_exit(node, "");
	cmark_node_set_user_data(node, data);
	buf_free(b);
	return node;
}

/* Builds the custom inline node for one marker; NULL on failure (ctx->failed set). */
static cmark_node *
cite_node(struct ctx *c, const int *nums, int n, cmark_node *at)
{
	struct cite *ci;
	struct buf b = BUF_INIT;

	for (int i = 0; i < n; i++) {
		if (nums[i] < 1 || nums[i] > REF_MAX || !c->has[nums[i]]) {
			int hi = 0;

			for (int r = 1; r <= REF_MAX; r++)
				if (c->has[r])
					hi = r;
			snprintf(c->err, c->errsz, "%s, line %d: citation [%d] names no reference; %s",
			    c->where, block_line(at), nums[i], hi ? "" : "this revision has no references");
			if (hi) {
				size_t l = strlen(c->err);

				snprintf(c->err + l, c->errsz - l, "the reference list runs from 1 to %d", hi);
			}
			c->failed = 1;
			return NULL;
		}
	}
	if ((ci = calloc(1, sizeof(*ci))) == NULL) {
		c->failed = 1;
		return NULL;
	}
	ci->tag = NODE_CITE;
	ci->next = c->cites;
	c->cites = ci;
	ci->n = n;
	memcpy(ci->nums, nums, (size_t)n * sizeof(int));
	buf_lit(&b, "<sup class=\"cite\">[");
	for (int i = 0; i < n; i++) {
		int	 k = ++c->count[nums[i]];
		size_t	 l = strlen(ci->text);

		c->cited[nums[i]] = 1;
		if (i > 0)
			buf_lit(&b, ", ");
		buf_printf(&b, "<a href=\"#ref-%d\" id=\"cite-%d-%d\">%d</a>", nums[i], nums[i], k, nums[i]);
		snprintf(ci->text + l, sizeof(ci->text) - l, "%s%d", i ? ", " : "[", nums[i]);
	}
	buf_lit(&b, "]</sup>");
	strncat(ci->text, "]", sizeof(ci->text) - strlen(ci->text) - 1);
	return inline_node(c, &b, ci);
}

/* Finds one inline marker at s[0..n) (s[0] is its opening character). Returns the bytes it spans and
 * the node that replaces it in *node, 0 when the text there is not a marker, or -1 with c->failed set. */
typedef int (*marker_fn)(struct ctx *c, const char *s, size_t n, cmark_node *text, cmark_node **node);

static int
cite_marker(struct ctx *c, const char *s, size_t n, cmark_node *text, cmark_node **node)
{
	int	 nums[MARKER_MAX], count, len;

	len = render_marker(s, n, nums, MARKER_MAX, &count);
	if (len == -1) {
		snprintf(c->err, c->errsz, "%s, line %d: a citation marker names too many references "
		    "or a reversed range", c->where, block_line(text));
		c->failed = 1;
		return -1;
	}
	if (len > 0 && (*node = cite_node(c, nums, count, text)) == NULL)
		return -1;
	return len;
}

/* Replaces the markers that find() recognises in one text node, each starting with open, by the
 * nodes it makes. */
static void
split_markers(struct ctx *c, cmark_node *text, char open, marker_fn find)
{
	const char *s = cmark_node_get_literal(text);
	size_t	 n = strlen(s), i, start = 0;
	int	 len, any = 0;
	char	*copy;

	if (memchr(s, open, n) == NULL)
		return;
	if ((copy = strdup(s)) == NULL) {
		c->failed = 1;
		return;
	}
	for (i = 0; i < n && !c->failed; i++) {
		cmark_node *seg, *node = NULL;

		if (copy[i] != open)
			continue;
		if ((len = find(c, copy + i, n - i, text, &node)) == -1)
			break;
		if (len == 0)
			continue;
		if (i > start) {
			copy[i] = '\0';
			seg = cmark_node_new(CMARK_NODE_TEXT);
			cmark_node_set_literal(seg, copy + start);
			copy[i] = open;
			cmark_node_insert_before(text, seg);
		}
		cmark_node_insert_before(text, node);
		any = 1;
		i += (size_t)len - 1;
		start = i + 1;
	}
	if (any && !c->failed) {
		if (start < n) {
			cmark_node *seg = cmark_node_new(CMARK_NODE_TEXT);

			cmark_node_set_literal(seg, copy + start);
			cmark_node_insert_before(text, seg);
		}
		cmark_node_free(text);
	}
	free(copy);
}

/* Appends node to the array *v of *n nodes (*cap allocated). Returns 0, or -1 when out of memory. */
static int
nodes_push(cmark_node ***v, size_t *n, size_t *cap, cmark_node *node)
{
	if (*n == *cap) {
		cmark_node **t = realloc(*v, (*cap ? *cap * 2 : 64) * sizeof(*t));

		if (t == NULL)
			return -1;
		*v = t;
		*cap = *cap ? *cap * 2 : 64;
	}
	(*v)[(*n)++] = node;
	return 0;
}

static void
resolve_markers(struct ctx *c, cmark_node *doc)
{
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node **texts = NULL, *node;
	size_t	 ntexts = 0, cap = 0;

	cmark_consolidate_text_nodes(doc);
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(node) == 1 && !c->failed) {
			snprintf(c->err, c->errsz, "%s, line %d: use '##' for section headings; the question "
			    "is the page's only top-level heading", c->where, cmark_node_get_start_line(node));
			c->failed = 1;
		}
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_TEXT)
			continue;
		if (nodes_push(&texts, &ntexts, &cap, node) == -1) {
			c->failed = 1;
			break;
		}
	}
	cmark_iter_free(it);
	for (size_t i = 0; i < ntexts && !c->failed; i++)
		split_markers(c, texts[i], '[', cite_marker);
	free(texts);
}

/* ---- evidence grades ---- */

const struct grade_def grade_certs[GRADE_CERT__MAX] = {
	[GRADE_CERT_NONE] = { "", "", "", "" },
	[GRADE_CERT_HIGH] = { "high", "high", "High certainty", "Strong evidence" },
	[GRADE_CERT_MODERATE] = { "moderate", "moderate", "Moderate certainty", "Good evidence" },
	[GRADE_CERT_LOW] = { "low", "low", "Low certainty", "Limited evidence" },
	[GRADE_CERT_VERY_LOW] = { "very low", "very-low", "Very low certainty", "Very limited evidence" },
};

const struct grade_def grade_recs[GRADE_REC__MAX] = {
	[GRADE_REC_NONE] = { "", "", "", "" },
	[GRADE_REC_STRONG] = { "strong", "strong", "Strong recommendation", "Recommended for most people" },
	[GRADE_REC_CONDITIONAL] = { "conditional", "conditional", "Conditional recommendation",
	    "Right for some people: talk it over" },
};

#define GRADE_MARKER_MAX	100	/* bytes one grade marker may span */

/* What one grade node carries (cmark user data). */
struct grade_node {
	enum node_tag	 tag;		/* NODE_GRADE */
	struct grade	 g;
	struct grade_node *next;	/* all grade nodes of a render, to free */
};

/* Reads a word of letters, single spaces, '-' and '_' at s[*i], lowercased into w with '-' and '_' as
 * spaces and trailing spaces dropped. Returns its length, or -1 when it does not fit. */
static int
grade_word(const char *s, size_t n, size_t *i, char *w, size_t wsz)
{
	size_t	 l = 0;

	while (*i < n) {
		char	 ch = s[*i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		else if (ch == '-' || ch == '_')
			ch = ' ';
		else if (!(ch >= 'a' && ch <= 'z') && ch != ' ')
			break;
		if (ch == ' ' && (l == 0 || w[l - 1] == ' ')) {
			(*i)++;
			continue;
		}
		if (l + 1 >= wsz)
			return -1;
		w[l++] = ch;
		(*i)++;
	}
	while (l > 0 && w[l - 1] == ' ')
		l--;
	w[l] = '\0';
	return (int)l;
}

/* Words that start a grade marker: the two keys, and others an editor may reach for. */
static int
grade_key_like(const char *k)
{
	static const char *const keys[] = { "certainty", "recommendation", "grade", "evidence", "strength",
	    "quality", "level", "certainty of evidence", "quality of evidence", "level of evidence" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(k, keys[i]) == 0)
			return 1;
	return 0;
}

/* The two keys of a grade marker, and where their values go (vals[] in render_grade()). */
static const struct grade_key {
	const char	*key;
	const struct grade_def *defs;
	int		 ndefs;
	const char	*what, *allowed;
} grade_keys[2] = {
	{ "certainty", grade_certs, GRADE_CERT__MAX, "a certainty of evidence", "high, moderate, low or very low" },
	{ "recommendation", grade_recs, GRADE_REC__MAX, "a strength of recommendation", "strong or conditional" },
};

int
render_grade(const char *s, size_t n, struct grade *g, char *err, size_t errsz)
{
	size_t	 i = 1;
	char	 key[32], val[32];
	int	 first = 1, kk, v, vals[2] = { 0, 0 };	/* vals: grade_keys' values */

	if (n > GRADE_MARKER_MAX)
		n = GRADE_MARKER_MAX;
	if (n < 2 || s[0] != '{')
		return 0;
	g->cert = GRADE_CERT_NONE;
	g->rec = GRADE_REC_NONE;
	for (;;) {
		int	 kl;

		spaces(s, n, &i);
		kl = grade_word(s, n, &i, key, sizeof(key));
		if (first && (kl <= 0 || i >= n || s[i] != ':' || !grade_key_like(key)))
			return 0;
		first = 0;
		if (kl <= 0 || i >= n || s[i] != ':') {
			snprintf(err, errsz, "an evidence grade has something other than 'certainty:' or "
			    "'recommendation:' in it; write {certainty: moderate} or "
			    "{recommendation: strong, certainty: moderate}");
			return -1;
		}
		i++;
		spaces(s, n, &i);
		if (grade_word(s, n, &i, val, sizeof(val)) <= 0) {
			snprintf(err, errsz, "the evidence grade's '%s:' has no value", key);
			return -1;
		}
		for (kk = 0; kk < 2 && strcmp(key, grade_keys[kk].key) != 0; kk++)
			;
		if (kk == 2) {
			snprintf(err, errsz, "'%s:' is not an evidence grade key; write {certainty: moderate} or "
			    "{recommendation: strong, certainty: moderate}", key);
			return -1;
		}
		for (v = 1; v < grade_keys[kk].ndefs && strcmp(val, grade_keys[kk].defs[v].code) != 0; v++)
			;
		if (v == grade_keys[kk].ndefs) {
			snprintf(err, errsz, "'%s' is not %s; use %s", val, grade_keys[kk].what,
			    grade_keys[kk].allowed);
			return -1;
		}
		if (vals[kk] != 0) {
			snprintf(err, errsz, "an evidence grade gives its %s twice", key);
			return -1;
		}
		vals[kk] = v;
		spaces(s, n, &i);
		if (i < n && s[i] == '}')
			break;
		if (i < n && (s[i] == ',' || s[i] == ';')) {
			i++;
			continue;
		}
		snprintf(err, errsz, "an evidence grade is not closed with '}'");
		return -1;
	}
	g->cert = (enum grade_cert)vals[0];
	g->rec = (enum grade_rec)vals[1];
	if (g->cert == GRADE_CERT_NONE) {
		snprintf(err, errsz, "a recommendation also needs the certainty of its evidence: "
		    "{recommendation: %s, certainty: moderate}", grade_recs[g->rec].code);
		return -1;
	}
	return (int)i + 1;
}

/* Writes a label with its first letter in lower case (the labels are ASCII). */
static void
label_lower(struct buf *b, const char *label)
{
	if (label[0] >= 'A' && label[0] <= 'Z') {
		buf_putc(b, (char)(label[0] - 'A' + 'a'));
		label++;
	}
	buf_html(b, label);
}

/* Builds the badge node for one grade; NULL on failure (ctx->failed set). */
static cmark_node *
grade_node_new(struct ctx *c, const struct grade *g)
{
	struct grade_node *gn;
	struct buf b = BUF_INIT;
	int	 plain_words = c->words == RENDER_WORDS_PLAIN;
	const struct grade_def *cert = &grade_certs[g->cert], *rec = &grade_recs[g->rec];
	const char *first = g->rec != GRADE_REC_NONE ? rec->slug : cert->slug;

	if ((gn = calloc(1, sizeof(*gn))) == NULL) {
		c->failed = 1;
		return NULL;
	}
	gn->tag = NODE_GRADE;
	gn->g = *g;
	gn->next = c->grade_nodes;
	c->grade_nodes = gn;
	c->grades->n[g->rec][g->cert]++;
	buf_lit(&b, "<a class=\"grade grade-");
	buf_html(&b, first);
	buf_lit(&b, "\" href=\"/editorial-policy#grade-");
	buf_html(&b, first);
	buf_lit(&b, "\"><span class=\"visually-hidden\">");
	buf_html(&b, plain_words ? "How sure we are: " : "Evidence grade: ");
	buf_lit(&b, "</span>");
	if (g->rec != GRADE_REC_NONE) {
		buf_html(&b, plain_words ? rec->plain : rec->label);
		buf_lit(&b, ", ");
		label_lower(&b, plain_words ? cert->plain : cert->label);
	} else
		buf_html(&b, plain_words ? cert->plain : cert->label);
	buf_lit(&b, "</a>");
	return inline_node(c, &b, gn);
}

/* marker_fn for grade markers. */
static int
grade_marker(struct ctx *c, const char *s, size_t n, cmark_node *text, cmark_node **node)
{
	struct grade g;
	char	 msg[240];
	int	 len = render_grade(s, n, &g, msg, sizeof(msg));

	if (len == -1) {
		snprintf(c->err, c->errsz, "%s, line %d: %s", c->where, block_line(text), msg);
		c->failed = 1;
		return -1;
	}
	if (len > 0 && (*node = grade_node_new(c, &g)) == NULL)
		return -1;
	return len;
}

/* Whether a subtree holds a citation marker. */
static int
has_citation(cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	int	 found = 0;

	while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		struct cite *ci;

		found = ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_CUSTOM_INLINE &&
		    (ci = cmark_node_get_user_data(n)) != NULL && ci->tag == NODE_CITE;
	}
	cmark_iter_free(it);
	return found;
}

/* Checks where one badge stands: in a paragraph or bullet, never a heading, and a recommendation
 * beside a citation. Returns 0, or -1 with the error in c. */
static int
grade_check(struct ctx *c, cmark_node *badge)
{
	const struct grade_node *gn = cmark_node_get_user_data(badge);
	cmark_node *p;

	for (p = cmark_node_parent(badge); p != NULL; p = cmark_node_parent(p)) {
		cmark_node_type t = cmark_node_get_type(p);

		if (t == CMARK_NODE_HEADING) {
			snprintf(c->err, c->errsz, "%s, line %d: an evidence grade marks a claim in a paragraph "
			    "or a bullet, not a heading", c->where, block_line(badge));
			return -1;
		}
		if (t == CMARK_NODE_PARAGRAPH)
			break;
	}
	if (gn->g.rec != GRADE_REC_NONE && (p == NULL || !has_citation(p))) {
		snprintf(c->err, c->errsz, "%s, line %d: a recommendation needs a citation marker such as [1] "
		    "in the same paragraph or bullet", c->where, block_line(badge));
		return -1;
	}
	return 0;
}

/* Turns grade markers into badges and checks them (after resolve_markers(), which the citation check
 * needs). Sets c->failed with a message on error. */
static void
resolve_grades(struct ctx *c, cmark_node *doc)
{
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node **nodes = NULL;
	size_t	 nn = 0, cap = 0;

	for (int pass = 0; pass < 2 && !c->failed; pass++) {
		nn = 0;
		it = cmark_iter_new(doc);
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			cmark_node *node = cmark_iter_get_node(it);
			const struct grade_node *gn;

			if (ev != CMARK_EVENT_ENTER)
				continue;
			if (pass == 0 ? cmark_node_get_type(node) != CMARK_NODE_TEXT :
			    cmark_node_get_type(node) != CMARK_NODE_CUSTOM_INLINE ||
			    (gn = cmark_node_get_user_data(node)) == NULL || gn->tag != NODE_GRADE)
				continue;
			if (nodes_push(&nodes, &nn, &cap, node) == -1) {
				c->failed = 1;
				break;
			}
		}
		cmark_iter_free(it);
		for (size_t i = 0; i < nn && !c->failed; i++) {
			if (pass == 0)
				split_markers(c, nodes[i], '{', grade_marker);
			else if (grade_check(c, nodes[i]) == -1)
				c->failed = 1;
		}
	}
	free(nodes);
}

/* The grades in a subtree, in order, as a JSON array of {"certainty"[,"recommendation"]}. */
static json_t *
grades_json(cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	json_t	*a = json_array();

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const struct grade_node *gn;
		json_t	*o;

		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_CUSTOM_INLINE ||
		    (gn = cmark_node_get_user_data(n)) == NULL || gn->tag != NODE_GRADE)
			continue;
		o = json_pack("{s:s}", "certainty", grade_certs[gn->g.cert].code);
		if (o != NULL && gn->g.rec != GRADE_REC_NONE)
			json_object_set_new(o, "recommendation", json_string(grade_recs[gn->g.rec].code));
		json_array_append_new(a, o);
	}
	cmark_iter_free(it);
	return a;
}

static void
grade_nodes_free(struct ctx *c)
{
	while (c->grade_nodes != NULL) {
		struct grade_node *next = c->grade_nodes->next;

		free(c->grade_nodes);
		c->grade_nodes = next;
	}
}

/* Plain text of a subtree: text, code, and markers as "[1, 2]". */
static void
plain(cmark_node *root, struct buf *b)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		struct cite *ci;

		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			/* trusted: plain text for JSON; jansson escapes it */
			buf_trusted(b, cmark_node_get_literal(n), strlen(cmark_node_get_literal(n)));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(b, ' ');
			break;
		case CMARK_NODE_CUSTOM_INLINE:
			if ((ci = cmark_node_get_user_data(n)) != NULL && ci->tag == NODE_CITE) {
				if (b->len > 0 && b->p[b->len - 1] != ' ')
					buf_putc(b, ' ');
				/* trusted: a marker evqa formatted from numbers */
				buf_trusted(b, ci->text, strlen(ci->text));
			}
			break;
		case CMARK_NODE_PARAGRAPH:
			if (b->len > 0 && n != root)
				buf_putc(b, ' ');
			break;
		case CMARK_NODE_NONE:
		case CMARK_NODE_DOCUMENT:
		case CMARK_NODE_BLOCK_QUOTE:
		case CMARK_NODE_LIST:
		case CMARK_NODE_ITEM:
		case CMARK_NODE_CODE_BLOCK:
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_CUSTOM_BLOCK:
		case CMARK_NODE_HEADING:
		case CMARK_NODE_THEMATIC_BREAK:
		case CMARK_NODE_HTML_INLINE:
		case CMARK_NODE_EMPH:
		case CMARK_NODE_STRONG:
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			break;	/* their words are in the text nodes inside them; raw HTML has none */
		}
	}
	cmark_iter_free(it);
}

/* The sorted, distinct reference numbers cited in a subtree, as a JSON array. */
static json_t *
citations(cmark_node *root)
{
	unsigned char seen[REF_MAX + 1] = { 0 };
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	json_t	*a = json_array();

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		struct cite *ci;

		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_CUSTOM_INLINE &&
		    (ci = cmark_node_get_user_data(n)) != NULL && ci->tag == NODE_CITE)
			for (int i = 0; i < ci->n; i++)
				seen[ci->nums[i]] = 1;
	}
	cmark_iter_free(it);
	for (int i = 1; i <= REF_MAX; i++)
		if (seen[i])
			json_array_append_new(a, json_integer(i));
	return a;
}

/* HTML of a paragraph's inline content, without the <p>. */
static char *
inline_html(cmark_node *para)
{
	struct buf b = BUF_INIT;

	for (cmark_node *n = cmark_node_first_child(para); n != NULL; n = cmark_node_next(n)) {
		char *h = cmark_render_html(n, CMARK_OPT_DEFAULT);

		if (h == NULL) {
			b.err = 1;
			break;
		}
		/* trusted: HTML cmark rendered in safe mode */
		buf_trusted(&b, h, strlen(h));
		free(h);
	}
	return buf_steal(&b);
}

/* {"text","html","citations"} for a node whose inline content is in paragraph children (or itself). */
static json_t *
text_json(cmark_node *node, int inline_only)
{
	struct buf t = BUF_INIT;
	char	*h;
	json_t	*o;

	plain(node, &t);
	while (t.len > 0 && t.p[t.len - 1] == ' ')	/* the space before a grade badge */
		t.p[--t.len] = '\0';
	h = inline_only ? inline_html(node) : cmark_render_html(node, CMARK_OPT_DEFAULT);
	o = json_pack("{s:s?, s:s?, s:o, s:o}", "text", t.err ? NULL : (t.p ? t.p : ""), "html", h,
	    "citations", citations(node), "grades", grades_json(node));
	buf_free(&t);
	free(h);
	return o;
}

static json_t *list_json(cmark_node *list);

/* A string member of o, or "" when it is missing or not a string. */
static const char *
jstr(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

static json_t *
item_json(cmark_node *item)
{
	json_t	*o = NULL, *nested = NULL;
	struct buf t = BUF_INIT, h = BUF_INIT;
	unsigned char seen[REF_MAX + 1] = { 0 };
	json_t	*cites = json_array(), *grades = json_array();

	for (cmark_node *c = cmark_node_first_child(item); c != NULL; c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_LIST) {
			if (nested == NULL)
				nested = list_json(c);
			continue;
		}
		json_t *tj = text_json(c, cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH);
		size_t i;
		json_t *v;

		if (tj == NULL)
			continue;
		if (t.len > 0) {
			buf_putc(&t, ' ');
			buf_putc(&h, ' ');
		}
		/* trusted: plain text and safe-mode HTML from text_json() */
		buf_trusted(&t, jstr(tj, "text"), strlen(jstr(tj, "text")));
		/* trusted: safe-mode HTML from text_json() */
		buf_trusted(&h, jstr(tj, "html"), strlen(jstr(tj, "html")));
		json_array_foreach(json_object_get(tj, "citations"), i, v)
			seen[json_integer_value(v)] = 1;
		json_array_extend(grades, json_object_get(tj, "grades"));
		json_decref(tj);
	}
	for (int i = 1; i <= REF_MAX; i++)
		if (seen[i])
			json_array_append_new(cites, json_integer(i));
	o = json_pack("{s:s, s:s, s:o, s:o}", "text", t.p ? t.p : "", "html", h.p ? h.p : "", "citations", cites,
	    "grades", grades);
	if (o != NULL && nested != NULL) {
		json_object_set(o, "ordered", json_object_get(nested, "ordered"));
		json_object_set(o, "items", json_object_get(nested, "items"));
	}
	json_decref(nested);
	buf_free(&t);
	buf_free(&h);
	return o;
}

static json_t *
list_json(cmark_node *list)
{
	json_t	*items = json_array();

	for (cmark_node *c = cmark_node_first_child(list); c != NULL; c = cmark_node_next(c))
		json_array_append_new(items, item_json(c));
	return json_pack("{s:s, s:b, s:o}", "type", "list",
	    "ordered", cmark_node_get_list_type(list) == CMARK_ORDERED_LIST, "items", items);
}

static json_t *
block_json(cmark_node *n)
{
	json_t	*o;

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		if ((o = text_json(n, 1)) != NULL)
			json_object_set_new(o, "type", json_string("paragraph"));
		return o;
	case CMARK_NODE_LIST:
		return list_json(n);
	case CMARK_NODE_BLOCK_QUOTE:
		if ((o = text_json(n, 0)) != NULL)
			json_object_set_new(o, "type", json_string("quote"));
		return o;
	case CMARK_NODE_CODE_BLOCK:
		return json_pack("{s:s, s:s, s:[], s:[]}", "type", "code", "text", cmark_node_get_literal(n),
		    "citations", "grades");
	/* no block of its own: thematic breaks, dropped raw HTML, and what is never a child of the
	 * document (headings start a section before they get here) */
	case CMARK_NODE_THEMATIC_BREAK:
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_NONE:
	case CMARK_NODE_DOCUMENT:
	case CMARK_NODE_ITEM:
	case CMARK_NODE_CUSTOM_BLOCK:
	case CMARK_NODE_HEADING:
	case CMARK_NODE_TEXT:
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_INLINE:
	case CMARK_NODE_CUSTOM_INLINE:
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG:
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		break;
	}
	return NULL;
}


#define ANCHOR_LEN	64	/* bytes of a heading's words in its anchor */

/* Gives every heading of doc, in document order, an anchor "section-<words>" (ASCII letters and digits
 * of its text, '-' between; "-2", "-3" on repeats), kept as the node's user data. The anchors are
 * malloc'd into anchors[0..*n), which the caller frees. Returns 0 or -1 (out of memory). */
static int
heading_anchors(cmark_node *doc, char ***anchors, int *n)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	int	 cap = 0, rc = 0;

	*anchors = NULL;
	*n = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		struct buf t = BUF_INIT;
		char	 a[sizeof("section-") + ANCHOR_LEN + 8];
		size_t	 o = strlen("section-");
		int	 dash = 0, rep = 1;

		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_HEADING)
			continue;
		plain(node, &t);
		memcpy(a, "section-", o);
		for (const char *p = t.p ? t.p : ""; *p != '\0' && o < sizeof("section-") - 1 + ANCHOR_LEN; p++) {
			char	 c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;

			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
				if (dash && o > strlen("section-"))
					a[o++] = '-';
				a[o++] = c;
				dash = 0;
			} else
				dash = 1;
		}
		buf_free(&t);
		if (o == strlen("section-")) {
			memcpy(a + o, "untitled", 8);
			o += 8;
		}
		a[o] = '\0';
		/* a repeated heading: the first free "-2", "-3", ... */
		for (int taken = 1; taken;) {
			taken = 0;
			for (int i = 0; i < *n && !taken; i++)
				taken = strcmp((*anchors)[i], a) == 0;
			if (taken)
				snprintf(a + o, sizeof(a) - o, "-%d", ++rep);
		}
		if (*n == cap) {
			char	**na = realloc(*anchors, (size_t)(cap = cap ? cap * 2 : 16) * sizeof(*na));

			if (na == NULL) {
				rc = -1;
				break;
			}
			*anchors = na;
		}
		if (((*anchors)[*n] = strdup(a)) == NULL) {
			rc = -1;
			break;
		}
		cmark_node_set_user_data(node, (*anchors)[*n]);
		(*n)++;
	}
	cmark_iter_free(it);
	return rc;
}

/* Writes the anchors into the opening tags of the headings of html, which cmark wrote as "<hN>" in
 * document order (raw HTML is never passed through, so no other "<hN>" exists). Returns the new
 * HTML (malloc'd; html is freed), or NULL. */
static char *
heading_ids(char *html, char **anchors, int n)
{
	struct buf b = BUF_INIT;
	const char *p = html;
	int	 k = 0;

	while (*p != '\0') {
		const char *h = strstr(p, "<h");

		if (h == NULL || k == n) {
			/* trusted: HTML cmark rendered in safe mode */
			buf_trusted(&b, p, strlen(p));
			break;
		}
		if (h[2] >= '1' && h[2] <= '6' && h[3] == '>') {
			/* trusted: HTML cmark rendered in safe mode */
			buf_trusted(&b, p, (size_t)(h - p) + 3);
			buf_lit(&b, " id=\"");
			buf_html(&b, anchors[k++]);
			buf_lit(&b, "\">");
			p = h + 4;
		} else {
			/* trusted: HTML cmark rendered in safe mode */
			buf_trusted(&b, p, (size_t)(h - p) + 2);
			p = h + 2;
		}
	}
	free(html);
	return buf_steal(&b);
}

static json_t *
sections_json(cmark_node *doc)
{
	json_t	*sections = json_array(), *cur = NULL;

	for (cmark_node *n = cmark_node_first_child(doc); n != NULL; n = cmark_node_next(n)) {
		json_t	*b;

		if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
			struct buf t = BUF_INIT;

			plain(n, &t);
			cur = json_pack("{s:s, s:s?, s:i, s:[]}", "heading", t.p ? t.p : "", "anchor",
			    (const char *)cmark_node_get_user_data(n), "level", cmark_node_get_heading_level(n),
			    "blocks");
			json_array_append_new(sections, cur);
			buf_free(&t);
			continue;
		}
		if ((b = block_json(n)) == NULL)
			continue;
		if (cur == NULL) {
			cur = json_pack("{s:n, s:n, s:i, s:[]}", "heading", "anchor", "level", 0, "blocks");
			json_array_append_new(sections, cur);
		}
		json_array_append_new(json_object_get(cur, "blocks"), b);
	}
	return sections;
}

/* Refuses a document whose lists and quotes nest deeper than RENDER_NEST_MAX. The walk is cmark's
 * iterator (no recursion); it runs before anything that recurses over the tree (list_json and
 * item_json, and later section.c's items_text over the stored JSON), so that their depth is bounded
 * by RENDER_NEST_MAX. Returns 0, or -1 with a message naming the line. */
static int
check_nesting(const char *where, cmark_node *doc, char *err, size_t errsz)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	int	 depth = 0, rc = 0;

	if (it == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);

		if (t != CMARK_NODE_LIST && t != CMARK_NODE_BLOCK_QUOTE)
			continue;
		if (ev == CMARK_EVENT_EXIT) {
			depth--;
			continue;
		}
		if (++depth > RENDER_NEST_MAX) {
			snprintf(err, errsz, "%s, line %d: lists and quotes are nested more than %d levels "
			    "deep; flatten them", where, cmark_node_get_start_line(n), RENDER_NEST_MAX);
			rc = -1;
			break;
		}
	}
	cmark_iter_free(it);
	return rc;
}

static int
check_source(const char *what, const char *s, size_t max, char *err, size_t errsz)
{
	size_t	 n = strlen(s);

	if (n > max) {
		snprintf(err, errsz, "the %s is %zu bytes long; at most %zu are allowed", what, n, max);
		return -1;
	}
	if (!utf8_valid(s, n)) {
		snprintf(err, errsz, "the %s is not valid UTF-8 text", what);
		return -1;
	}
	return 0;
}

int
render_text(const char *bottom, const char *body, const unsigned char has[REF_MAX + 1],
    struct render_result *out, char *err, size_t errsz)
{
	return render_text_words(bottom, body, has, RENDER_WORDS_CLINICAL, out, err, errsz);
}

int
render_text_words(const char *bottom, const char *body, const unsigned char has[REF_MAX + 1],
    enum render_words words, struct render_result *out, char *err, size_t errsz)
{
	struct ctx c;
	cmark_node *bdoc = NULL, *doc = NULL;
	json_t	*j = NULL;
	struct buf counts = BUF_INIT;
	int	 rc = -1, hi = 0, nanchors = 0;
	char	**anchors = NULL;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.has = has;
	c.cited = out->cited;
	c.err = err;
	c.errsz = errsz;
	c.words = words;
	c.grades = &out->grades;
	if (check_source("bottom line", bottom, BOTTOM_MAX, err, errsz) == -1 ||
	    check_source("body", body, BODY_MAX, err, errsz) == -1)
		return -1;
	if (strspn(bottom, " \t\r\n") == strlen(bottom)) {
		snprintf(err, errsz, "the bottom line is empty");
		return -1;
	}
	bdoc = cmark_parse_document(bottom, strlen(bottom), CMARK_OPT_DEFAULT);
	doc = cmark_parse_document(body, strlen(body), CMARK_OPT_DEFAULT);
	if (bdoc == NULL || doc == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	if (check_nesting("bottom line", bdoc, err, errsz) == -1 || check_nesting("body", doc, err, errsz) == -1)
		goto out;
	c.where = "bottom line";
	resolve_markers(&c, bdoc);
	if (!c.failed)
		resolve_grades(&c, bdoc);
	if (!c.failed) {
		c.where = "body";
		resolve_markers(&c, doc);
	}
	if (!c.failed)
		resolve_grades(&c, doc);
	if (c.failed)
		goto out;
	if (heading_anchors(doc, &anchors, &nanchors) == -1) {
		snprintf(err, errsz, "out of memory while rendering");
		goto out;
	}
	if ((out->html = cmark_render_html(doc, CMARK_OPT_DEFAULT)) != NULL)
		out->html = heading_ids(out->html, anchors, nanchors);
	out->bottom_html = cmark_render_html(bdoc, CMARK_OPT_DEFAULT);
	for (int i = 1; i <= REF_MAX; i++)
		if (has[i])
			hi = i;
	for (int i = 1; i <= hi; i++) {
		if (i > 1)
			buf_lit(&counts, ",");
		buf_printf(&counts, "%d", c.count[i]);
	}
	out->cite_counts = buf_steal(&counts);
	j = json_pack("{s:o, s:o}", "bottom_line", text_json(bdoc, 0), "sections", sections_json(doc));
	if (j == NULL || out->html == NULL || out->bottom_html == NULL || out->cite_counts == NULL ||
	    (out->doc_json = json_dumps(j, RENDER_JSON_FLAGS)) == NULL) {
		snprintf(err, errsz, "out of memory while rendering");
		goto out;
	}
	rc = 0;
out:
	json_decref(j);
	for (int i = 0; i < nanchors; i++)
		free(anchors[i]);
	free(anchors);
	if (bdoc)
		cmark_node_free(bdoc);
	if (doc)
		cmark_node_free(doc);
	while (c.cites != NULL) {
		struct cite *next = c.cites->next;

		free(c.cites);
		c.cites = next;
	}
	grade_nodes_free(&c);
	if (rc == -1)
		render_result_free(out);
	return rc;
}

void
render_result_free(struct render_result *r)
{
	free(r->html);
	free(r->bottom_html);
	free(r->doc_json);
	free(r->cite_counts);
	r->html = r->bottom_html = r->doc_json = r->cite_counts = NULL;
}
