/* editor_dash.c: the editorial dashboard (GET /editor): how many articles are in each review state,
 * what waits for the signed-in user, and every article, filtered by state and sorted. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "dashboard.h"
#include "editor.h"
#include "page.h"
#include "queue.h"
#include "retract.h"
#include "route.h"
#include "tmpl.h"
#include "util.h"

static int editor_table_fill(struct buf *, enum tmpl_editor_table_hole, void *);
static int editor_count_fill(struct buf *, enum tmpl_editor_count_hole, void *);

/* Days from an ISO time to now (0 when malformed or in the future). */
static long
days_since(const char *iso)
{
	int	 y, mo, d;
	long	 days;
	time_t	 now = time_now();

	if (iso == NULL || sscanf(iso, "%4d-%2d-%2d", &y, &mo, &d) != 3 || mo < 1 || mo > 12)
		return 0;
	/* days from the civil date to 1970-01-01 (Howard Hinnant's days_from_civil) */
	y -= mo <= 2;
	{
		long	 era = (y >= 0 ? y : y - 399) / 400;
		long	 yoe = y - era * 400;
		long	 doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		long	 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = era * 146097 + doe - 719468;
	}
	days = (long)(now / 86400) - days;
	return days > 0 ? days : 0;
}

/* 1 when the review date review_by (an ISO time, or NULL: none) has passed. */
static int
overdue(const char *review_by)
{
	char	 now[21];

	time_now_iso(now);
	return review_by != NULL && strcmp(review_by, now) < 0;
}

static int
editor_row_fill(struct buf *out, enum tmpl_editor_row_hole hole, void *arg)
{
	struct ed *e = arg;
	const struct dash_row *v = e->drow;

	switch (hole) {
	case TH_EDITOR_ROW_ID:
		buf_int(out, v->id);
		return 0;
	case TH_EDITOR_ROW_QUESTION:
		buf_html(out, v->question);
		return 0;
	case TH_EDITOR_ROW_STATE:
		buf_html(out, v->state);
		return 0;
	case TH_EDITOR_ROW_STATE_LABEL: {
		enum state st = state_find(v->state);

		buf_html(out, st < STATE__MAX ? states[st].label : v->state);
		return 0;
	}
	case TH_EDITOR_ROW_DAYS:
		buf_int(out, days_since(v->state_at));
		return 0;
	case TH_EDITOR_ROW_NUMBER:
		buf_int(out, v->number);
		return 0;
	case TH_EDITOR_ROW_AUTHOR:
		buf_html(out, v->author);
		return 0;
	case TH_EDITOR_ROW_REVIEW_BY:
		if (v->review_by != NULL)
			page_write_time(out, v->review_by, 1);
		else
			buf_lit(out, "&ndash;");
		return 0;
	case TH_EDITOR_ROW_OVERDUE:
		if (overdue(v->review_by))
			return tmpl_render_editor_overdue(out);
		return 0;
	}
	return -1;
}

/* The rows of the table: what waits for the user (e->waiting), or every article e->filter and
 * e->sort select. */
static int
fill_rows(struct buf *out, struct ed *e)
{
	struct dash_row *rows;
	int	 n;
	enum outcome oc;

	oc = e->waiting ? dashboard_waiting(&e->r->dom, &rows, &n) :
	    dashboard_list(&e->r->dom, e->filter, e->sort, &rows, &n);
	if (oc != OUT_OK)
		return -1;
	for (int i = 0; i < n; i++) {
		e->drow = &rows[i];
		if (tmpl_render_editor_row(out, editor_row_fill, e) == -1)
			return -1;
	}
	e->drow = NULL;
	return 0;
}

/* A table of dashboard rows, or a sentence when there are none. */
static int
fill_table(struct buf *out, struct ed *e, int waiting)
{
	struct buf rows = BUF_INIT;
	int	 rc;

	e->waiting = waiting;
	if (fill_rows(&rows, e) == -1) {
		buf_free(&rows);
		return -1;
	}
	if (rows.len == 0) {
		e->message = waiting ? "Nothing is waiting for you." : "No article matches.";
		rc = editor_empty_write(out, e->message);
	} else {
		e->caption = waiting ? "Articles waiting for you" : "All articles";
		e->d_html = rows;
		rc = tmpl_render_editor_table(out, editor_table_fill, e);
		memset(&e->d_html, 0, sizeof(e->d_html));
	}
	buf_free(&rows);
	return rc;
}

static int
fill_options(struct buf *out, struct ed *e, int which)
{
	static const char *const sorts[][2] = {
		{ "newest", "Newest article first" },
		{ "oldest", "Longest in its state first" },
		{ "question", "Question, A to Z" },
		{ "review_by", "Review due soonest" },
	};

	if (which == 0) {
		if (editor_option_write(out, "", "All states", e->filter == NULL) == -1)
			return -1;
		for (int i = 0; i < STATE__MAX; i++)
			if (editor_option_write(out, states[i].code, states[i].label, e->filter != NULL &&
			    strcmp(e->filter, states[i].code) == 0) == -1)
				return -1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++) {
		if (editor_option_write(out, sorts[i][0], sorts[i][1], e->sort != NULL ?
		    strcmp(e->sort, sorts[i][0]) == 0 : i == 0) == -1)
			return -1;
	}
	return 0;
}

static int
fill_counts(struct buf *out, struct ed *e)
{
	int	 counts[STATE__MAX];

	if (dashboard_counts(&e->r->dom, counts) != OUT_OK)
		return -1;
	for (int i = 0; i < STATE__MAX; i++) {
		e->st = (enum state)i;
		e->count = counts[i];
		if (tmpl_render_editor_count(out, editor_count_fill, e) == -1)
			return -1;
	}
	return 0;
}

static int
editor_table_fill(struct buf *out, enum tmpl_editor_table_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_TABLE_CAPTION:
		buf_html(out, e->caption);
		return 0;
	case TH_EDITOR_TABLE_ROWS:
		/* trusted: rows rendered through the editor-row template just before */
		buf_trusted(out, e->d_html.p, e->d_html.len);
		return 0;
	}
	return -1;
}

static int
editor_count_fill(struct buf *out, enum tmpl_editor_count_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_COUNT_COUNT_STATE:
		buf_html(out, states[e->st].code);
		return 0;
	case TH_EDITOR_COUNT_COUNT_LABEL:
		buf_html(out, states[e->st].label);
		return 0;
	case TH_EDITOR_COUNT_COUNT:
		buf_int(out, e->count);
		return 0;
	}
	return -1;
}

static int
editor_dashboard_fill(struct buf *out, enum tmpl_editor_dashboard_hole hole, void *arg)
{
	struct ed *e = arg;
	struct req *r = e->r;

	switch (hole) {
	case TH_EDITOR_DASHBOARD_BAR:
		return editor_bar_write(out, r, e->csrf);
	case TH_EDITOR_DASHBOARD_QUESTIONS_LINK:
		return queue_dashboard_link(out, r);
	case TH_EDITOR_DASHBOARD_FLAGGED:
		return retract_write_dashboard(out, e->r);
	case TH_EDITOR_DASHBOARD_COUNTS:
		return fill_counts(out, e);
	case TH_EDITOR_DASHBOARD_WAITING:
		return fill_table(out, e, 1);
	case TH_EDITOR_DASHBOARD_STATE_OPTIONS:
		return fill_options(out, e, 0);
	case TH_EDITOR_DASHBOARD_SORT_OPTIONS:
		return fill_options(out, e, 1);
	case TH_EDITOR_DASHBOARD_ALL:
		return fill_table(out, e, 0);
	}
	return -1;
}

/* The page's main part (page_render()). */
static int
editor_dashboard_main(struct buf *out, void *arg)
{
	return tmpl_render_editor_dashboard(out, editor_dashboard_fill, arg);
}

int
editor_dashboard(struct req *r)
{
	struct ed e;
	int	 rc;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	ed_init(&e, r);
	if (r->fields[KEY_STATE].present) {
		if (state_find(r->fields[KEY_STATE].str) == STATE__MAX)
			return req_field_error(r, "state", "must be one of submitted, under_review, approved, "
			    "changes_requested, archived.");
		e.filter = r->fields[KEY_STATE].str;
	}
	if (r->fields[KEY_SORT].present) {
		const char *s = r->fields[KEY_SORT].str;

		if (strcmp(s, "newest") != 0 && strcmp(s, "oldest") != 0 && strcmp(s, "question") != 0 &&
		    strcmp(s, "review_by") != 0)
			return req_field_error(r, "sort", "must be newest, oldest, question or review_by.");
		e.sort = s;
	}
	if ((rc = ed_csrf(&e)) != 0)
		return rc;
	rc = ed_page(&e, "Editorial dashboard", editor_dashboard_main);
	ed_free(&e);
	return rc;
}
