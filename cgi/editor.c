/* editor.c: the frame of the editors' pages (editor.h): the context every editor template is filled
 * from, the page around them, and the pieces several of them show (the editors' bar, an option of a
 * filter, an empty list's line, an error summary). The pages themselves are editor_*.c. */
#include "config.h"

#include <string.h>

#include "auth.h"
#include "diff.h"
#include "editor.h"
#include "page.h"
#include "route.h"
#include "tmpl.h"

int
ed_page(struct ed *e, const char *title, int (*main)(struct buf *, void *))
{
	int	 rc;

	req_cache(e->r, CACHE_NO_STORE);	/* before page_render, whose default it replaces */
	e->r->noindex = 1;
	rc = page_render(e->r, title, main, e);
	return rc;
}

struct bar_ctx {
	const struct req	*r;
	const char		*csrf;
};

static int
editor_bar_fill(struct buf *out, enum tmpl_editor_bar_hole hole, void *arg)
{
	const struct bar_ctx *b = arg;

	switch (hole) {
	case TH_EDITOR_BAR_USER_NAME:
		buf_html(out, b->r->user->name);
		return 0;
	case TH_EDITOR_BAR_USER_ROLE:
		buf_html(out, role_names[b->r->user->role]);
		return 0;
	case TH_EDITOR_BAR_CSRF:
		buf_html(out, b->csrf);
		return 0;
	}
	return -1;
}

int
editor_bar_write(struct buf *out, const struct req *r, const char *csrf)
{
	struct bar_ctx b = { r, csrf };

	return tmpl_render_editor_bar(out, editor_bar_fill, &b);
}

static int
editor_empty_fill(struct buf *out, enum tmpl_editor_empty_hole hole, void *arg)
{
	const char *const *message = arg;

	switch (hole) {
	case TH_EDITOR_EMPTY_MESSAGE:
		buf_html(out, *message);
		return 0;
	}
	return -1;
}

int
editor_empty_write(struct buf *out, const char *message)
{
	return tmpl_render_editor_empty(out, editor_empty_fill, &message);
}

struct option_ctx {
	const char	*value, *label;
	int		 selected;
};

static int
editor_option_fill(struct buf *out, enum tmpl_editor_option_hole hole, void *arg)
{
	const struct option_ctx *o = arg;

	switch (hole) {
	case TH_EDITOR_OPTION_VALUE:
		buf_html(out, o->value);
		return 0;
	case TH_EDITOR_OPTION_SELECTED:
		if (o->selected)
			buf_lit(out, " selected");
		return 0;
	case TH_EDITOR_OPTION_OPTION_LABEL:
		buf_html(out, o->label);
		return 0;
	}
	return -1;
}

int
editor_option_write(struct buf *out, const char *value, const char *label, int selected)
{
	struct option_ctx o = { value, label, selected };

	return tmpl_render_editor_option(out, editor_option_fill, &o);
}

static int
editor_error_fill(struct buf *out, enum tmpl_editor_error_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_ERROR_DETAIL:
		buf_html(out, e->message);
		return 0;
	}
	return -1;
}

int
ed_error_write(struct buf *out, struct ed *e)
{
	return tmpl_render_editor_error(out, editor_error_fill, e);
}

void
ed_init(struct ed *e, struct req *r)
{
	memset(e, 0, sizeof(*e));
	e->r = r;
	e->st = STATE__MAX;
	e->diff_budget = DIFF_PAGE_CELLS;
}

void
ed_free(struct ed *e)
{
	buf_free(&e->preview);
	buf_free(&e->conflict);
	buf_free(&e->d_html);
	buf_free(&e->d_sections);
}

int
ed_csrf(struct ed *e)
{
	return (e->csrf = auth_csrf(e->r)) == NULL ? 500 : 0;
}
