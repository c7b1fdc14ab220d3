/* page_home.c: the home page, the list of articles with its filters, A-Z index and pager. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "page.h"
#include "route.h"
#include "tmpl.h"
#include "versions.h"

/* ---- / ---- */

#define HOME_PER_PAGE	100

struct home_ctx {
	struct req	*r;
	const struct catalog_row *row;	/* the row being written */
	const char	*state, *letter, *source;	/* the filters, or NULL */
	int		 qtype;		/* index into catalog_qtypes[], or -1 */
	long long	 page, pages, total;
	struct catalog_list list;
	int		 counts[CATALOG_LETTERS];	/* articles by first letter */
	int		 i;		/* the letter, option or link being written */
	const char	*opt_value, *opt_label;
	int		 opt_selected;
	long long	 link_page;
};

/* Writes "/?..." for page (0: none) with the current filters, letter replaced by the one given
 * (NULL: none; keep: the current one). */
static void
home_url(struct buf *out, const struct home_ctx *h, long long page, const char *letter)
{
	char	 sep = '?';

	buf_lit(out, "/");
	if (h->state != NULL) {
		buf_putc(out, sep);
		buf_lit(out, "state=");
		buf_url(out, h->state);
		sep = '&';
	}
	if (h->source != NULL) {
		buf_putc(out, sep);
		buf_lit(out, "source=");
		buf_url(out, h->source);
		sep = '&';
	}
	if (h->qtype >= 0) {
		buf_putc(out, sep);
		buf_lit(out, "answers=");
		buf_url(out, catalog_qtypes[h->qtype].code);
		sep = '&';
	}
	if (letter != NULL) {
		buf_putc(out, sep);
		buf_lit(out, "letter=");
		buf_url(out, letter);
		sep = '&';
	}
	if (page > 1) {
		buf_putc(out, sep);
		buf_printf(out, "page=%lld", page);
	}
}

static int
home_row_source_fill(struct buf *out, enum tmpl_home_row_source_hole hole, void *arg)
{
	struct home_ctx *h = arg;

	switch (hole) {
	case TH_HOME_ROW_SOURCE_SOURCE_LABEL:
		buf_html(out, strcmp(h->row->source, "evqa") == 0 ? "written at evqa" : h->row->source);
		return 0;
	case TH_HOME_ROW_SOURCE_ID:
		buf_int(out, h->row->v.id);
		return 0;
	}
	return -1;
}

static int
home_row_fill(struct buf *out, enum tmpl_home_row_hole hole, void *arg)
{
	struct home_ctx *h = arg;

	switch (hole) {
	case TH_HOME_ROW_URL:
		buf_lit(out, "/articles/");
		buf_int(out, h->row->v.id);
		buf_lit(out, "/");
		buf_html(out, h->row->v.slug);
		return 0;
	case TH_HOME_ROW_QUESTION:
		buf_html(out, h->row->v.question);
		return 0;
	case TH_HOME_ROW_SOURCE:
		/* the same question asked by several articles: say where each comes from */
		if (h->row->same > 1)
			return tmpl_render_home_row_source(out, home_row_source_fill, h);
		return 0;
	case TH_HOME_ROW_STATE:
		buf_html(out, states[h->row->v.state].code);
		return 0;
	case TH_HOME_ROW_STATE_LABEL:
		buf_html(out, states[h->row->v.state].label);
		return 0;
	case TH_HOME_ROW_UPDATED_ISO:
		page_write_time(out, h->row->v.created_at, 0);
		return 0;
	case TH_HOME_ROW_UPDATED_HUMAN:
		page_write_time(out, h->row->v.created_at, 1);
		return 0;
	}
	return -1;
}

static int
home_option_fill(struct buf *out, enum tmpl_home_option_hole hole, void *arg)
{
	struct home_ctx *h = arg;

	switch (hole) {
	case TH_HOME_OPTION_VALUE:
		buf_html(out, h->opt_value);
		return 0;
	case TH_HOME_OPTION_SELECTED:
		if (h->opt_selected)
			buf_lit(out, " selected");
		return 0;
	case TH_HOME_OPTION_LABEL:
		buf_html(out, h->opt_label);
		return 0;
	}
	return -1;
}

static int
home_option(struct buf *out, struct home_ctx *h, const char *value, const char *label, int selected)
{
	h->opt_value = value;
	h->opt_label = label;
	h->opt_selected = selected;
	return tmpl_render_home_option(out, home_option_fill, h);
}

static int
home_letter_field_fill(struct buf *out, enum tmpl_home_letter_field_hole hole, void *arg)
{
	struct home_ctx *h = arg;

	switch (hole) {
	case TH_HOME_LETTER_FIELD_LETTER:
		buf_html(out, h->letter);
		return 0;
	}
	return -1;
}

/* Writes the address of page h->link_page of the list, with its filters. */
static int
home_link_href(struct buf *out, struct home_ctx *h)
{
	struct buf u = BUF_INIT;

	home_url(&u, h, h->link_page, h->letter);
	buf_html(out, u.p);
	buf_free(&u);
	return 0;
}

static int
home_next_fill(struct buf *out, enum tmpl_home_next_hole hole, void *arg)
{
	switch (hole) {
	case TH_HOME_NEXT_HREF:
		return home_link_href(out, arg);
	}
	return -1;
}

static int
home_prev_fill(struct buf *out, enum tmpl_home_prev_hole hole, void *arg)
{
	switch (hole) {
	case TH_HOME_PREV_HREF:
		return home_link_href(out, arg);
	}
	return -1;
}

static int
home_head_next_fill(struct buf *out, enum tmpl_home_head_next_hole hole, void *arg)
{
	switch (hole) {
	case TH_HOME_HEAD_NEXT_HREF:
		return home_link_href(out, arg);
	}
	return -1;
}

static int
home_head_prev_fill(struct buf *out, enum tmpl_home_head_prev_hole hole, void *arg)
{
	switch (hole) {
	case TH_HOME_HEAD_PREV_HREF:
		return home_link_href(out, arg);
	}
	return -1;
}

static int
home_pager_fill(struct buf *out, enum tmpl_home_pager_hole hole, void *arg)
{
	struct home_ctx *h = arg;

	switch (hole) {
	case TH_HOME_PAGER_PREV:
		h->link_page = h->page - 1;
		if (h->link_page >= 1 && h->link_page <= h->pages)
			return tmpl_render_home_prev(out, home_prev_fill, h);
		return 0;
	case TH_HOME_PAGER_PAGE:
		buf_int(out, h->page);
		return 0;
	case TH_HOME_PAGER_PAGES:
		buf_int(out, h->pages);
		return 0;
	case TH_HOME_PAGER_NEXT:
		h->link_page = h->page + 1;
		if (h->link_page >= 1 && h->link_page <= h->pages)
			return tmpl_render_home_next(out, home_next_fill, h);
		return 0;
	}
	return -1;
}

/* The label of letter h->i of the index (-1: all). */
static void
home_letter_label(struct buf *out, const struct home_ctx *h)
{
	if (h->i < 0)
		buf_lit(out, "All");
	else if (h->i == 0)
		buf_lit(out, "0-9");
	else
		buf_putc(out, (char)(catalog_az[h->i] - 'a' + 'A'));
}

static int
home_letter_none_fill(struct buf *out, enum tmpl_home_letter_none_hole hole, void *arg)
{
	switch (hole) {
	case TH_HOME_LETTER_NONE_LETTER_LABEL:
		home_letter_label(out, arg);
		return 0;
	}
	return -1;
}

static int
home_letter_fill(struct buf *out, enum tmpl_home_letter_hole hole, void *arg)
{
	struct home_ctx *h = arg;

	switch (hole) {
	case TH_HOME_LETTER_LETTER_HREF: {
		struct buf u = BUF_INIT;
		char	 l[2] = { h->i >= 0 ? catalog_az[h->i] : '\0', '\0' };

		home_url(&u, h, 0, h->i >= 0 ? l : NULL);
		buf_html(out, u.p);
		buf_free(&u);
		return 0;
	}
	case TH_HOME_LETTER_LETTER_LABEL:
		home_letter_label(out, h);
		return 0;
	case TH_HOME_LETTER_LETTER_CURRENT:
		if ((h->i < 0 && h->letter == NULL) || (h->i >= 0 && h->letter != NULL && h->letter[0] == catalog_az[h->i]))
			buf_lit(out, " aria-current=\"page\"");
		return 0;
	}
	return -1;
}

static int
home_fill(struct buf *out, enum tmpl_home_hole hole, void *arg)
{
	struct home_ctx *h = arg;

	switch (hole) {
	case TH_HOME_LETTERS:
		for (h->i = -1; h->i < CATALOG_LETTERS; h->i++)
			if ((h->i >= 0 && h->counts[h->i] == 0 ?
			    tmpl_render_home_letter_none(out, home_letter_none_fill, h) :
			    tmpl_render_home_letter(out, home_letter_fill, h)) == -1)
				return -1;
		return 0;
	case TH_HOME_STATE_OPTIONS: {
		static const enum state shown[] = { STATE_APPROVED, STATE_UNDER_REVIEW, STATE_SUBMITTED,
		    STATE_CHANGES_REQUESTED };

		if (home_option(out, h, "", "Any state", h->state == NULL) == -1)
			return -1;
		for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
			if (home_option(out, h, states[shown[i]].code, states[shown[i]].label, h->state != NULL &&
			    strcmp(h->state, states[shown[i]].code) == 0) == -1)
				return -1;
		return 0;
	}
	case TH_HOME_QTYPE_OPTIONS:
		if (home_option(out, h, "", "Any question", h->qtype < 0) == -1)
			return -1;
		for (int i = 0; i < CATALOG_QTYPES; i++)
			if (home_option(out, h, catalog_qtypes[i].code, catalog_qtypes[i].label, h->qtype == i) == -1)
				return -1;
		return 0;
	case TH_HOME_SOURCE_OPTIONS: {
		const char **src;
		int	 n;

		if (home_option(out, h, "", "Any source", h->source == NULL) == -1 ||
		    req_outcome(h->r, catalog_sources(&h->r->dom, &src, &n)) != 200)
			return -1;
		for (int i = 0; i < n; i++)
			if (home_option(out, h, src[i], strcmp(src[i], "evqa") == 0 ? "Written at evqa" : src[i],
			    h->source != NULL && strcmp(h->source, src[i]) == 0) == -1)
				return -1;
		return 0;
	}
	case TH_HOME_LETTER_FIELD:
		if (h->letter != NULL)
			return tmpl_render_home_letter_field(out, home_letter_field_fill, h);
		return 0;
	case TH_HOME_TOTAL:
		buf_int(out, h->total);
		return 0;
	case TH_HOME_ARTICLES:
		buf_html(out, h->total == 1 ? "article" : "articles");
		return 0;
	case TH_HOME_PAGE:
		buf_int(out, h->page);
		return 0;
	case TH_HOME_PAGES:
		buf_int(out, h->pages);
		return 0;
	case TH_HOME_ROWS:
		for (int i = 0; i < h->list.n; i++) {
			h->row = &h->list.rows[i];
			if (tmpl_render_home_row(out, home_row_fill, h) == -1)
				return -1;
		}
		return 0;
	case TH_HOME_PAGER:
		if (h->pages > 1)
			return tmpl_render_home_pager(out, home_pager_fill, h);
		return 0;
	}
	return -1;
}

static int
home_main(struct buf *out, void *arg)
{
	return tmpl_render_home(out, home_fill, arg);
}

int
page_home(struct req *r)
{
	struct home_ctx h = { .r = r };
	struct page_layout l = { .title = "Clinical questions", .main = home_main, .arg = &h };
	struct catalog_filter f;
	struct buf head = BUF_INIT;
	char	 canon[40];
	int	 rc;

	h.state = r->fields[KEY_STATE].present ? r->fields[KEY_STATE].str : NULL;
	h.letter = r->fields[KEY_LETTER].present ? r->fields[KEY_LETTER].str : NULL;
	h.source = r->fields[KEY_SOURCE].present && r->fields[KEY_SOURCE].str[0] ? r->fields[KEY_SOURCE].str : NULL;
	h.page = r->fields[KEY_PAGE].present ? r->fields[KEY_PAGE].num : 1;
	f.state = h.state;
	f.letter = h.letter;
	f.source = h.source;
	f.qtype = r->fields[KEY_QTYPE].present ? r->fields[KEY_QTYPE].str : NULL;
	if ((rc = req_outcome(r, catalog_home(&r->dom, &f, h.page, HOME_PER_PAGE, &h.list))) != 200 ||
	    (rc = req_outcome(r, catalog_letters(&r->dom, h.counts))) != 200)
		return rc;
	h.qtype = h.list.qtype;
	h.total = h.list.total;
	h.pages = h.list.pages;
	/* rel="prev" and rel="next" for the pages around this one */
	for (int k = 0; k < 2; k++) {
		h.link_page = h.page + (k ? 1 : -1);
		if (h.link_page < 1 || h.link_page > h.pages)
			continue;
		if ((k ? tmpl_render_home_head_next(&head, home_head_next_fill, &h) :
		    tmpl_render_home_head_prev(&head, home_head_prev_fill, &h)) == -1) {
			buf_free(&head);
			return 500;
		}
	}
	l.head = head.p;
	/* the canonical list is the unfiltered one, page by page */
	snprintf(canon, sizeof(canon), h.page > 1 ? "/?page=%lld" : "/", h.page);
	l.canonical = canon;
	if (r->route == NULL || !(r->route->methods & ROUTE_PUBLIC))	/* else the dispatcher's */
		req_cache(r, CACHE_NO_CACHE);
	rc = page_render_layout(r, &l);
	buf_free(&head);
	return rc;
}

