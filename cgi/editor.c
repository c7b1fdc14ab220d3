/* editor.c: the editorial pages under /editor: login and logout, the dashboard, an article's review
 * page with its transitions, revisions and history, the article editor with its preview, and diffs.
 * Every page works without JavaScript; every form carries the form token and passes the Origin check. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "auth.h"
#include "content.h"
#include "dashboard.h"
#include "db.h"
#include "diff.h"
#include "guard.h"
#include "log.h"
#include "page.h"
#include "queue.h"
#include "render.h"
#include "retract.h"
#include "route.h"
#include "tmpl.h"
#include "util.h"
#include "workflow.h"

/* One context for every editor template: the request and what the hole being filled refers to. */
struct ed {
	struct req	*r;
	const char	*csrf;
	const char	*message;	/* error summary, empty-list message */

	/* login */
	const char	*next, *email;

	/* dashboard */
	const struct dash_row *drow;	/* the row being written */
	const char	*filter, *sort;
	int		 waiting;	/* rows: 1 for "waiting for me" */
	int		 nrows;
	const char	*caption;
	int		 count;
	enum state	 st;

	/* article */
	struct rev_info	 rev;		/* the newest revision */
	int		 approved;	/* number of the latest approved revision, or 0 */
	struct rev_info	 row;		/* a revision row */
	enum state	 to;		/* a transition */
	const char	*h_from, *h_to, *h_actor, *h_cred, *h_reason, *h_at;
	int		 h_number;

	/* editor form */
	const char	*heading, *action;
	int		 base;
	const char	*question, *references;
	const char	*bottom[AUD__MAX], *body[AUD__MAX];
	int		 aud;
	struct buf	 preview;
	int		 has_preview;
	struct buf	 conflict;
	int		 has_conflict, latest;
	const char	*latest_author;

	/* diff */
	int		 d_rev, d_against;
	const char	*d_title;
	struct buf	 d_html;
	struct buf	 d_sections;
	int		 too_large;
	size_t		 diff_budget;	/* LCS cells the diff page may still fill (diff.h) */
};

/* The fills of the editors' templates, one per template (tmpl.h). */
static int editor_row_fill(struct buf *, enum tmpl_editor_row_hole, void *);
static int editor_table_fill(struct buf *, enum tmpl_editor_table_hole, void *);
static int editor_count_fill(struct buf *, enum tmpl_editor_count_hole, void *);
static int editor_transition_fill(struct buf *, enum tmpl_editor_transition_hole, void *);
static int editor_no_action_fill(struct buf *, enum tmpl_editor_no_action_hole, void *);
static int editor_rev_row_fill(struct buf *, enum tmpl_editor_rev_row_hole, void *);
static int editor_history_row_fill(struct buf *, enum tmpl_editor_history_row_hole, void *);
static int editor_field_error_fill(struct buf *, enum tmpl_editor_field_error_hole, void *);
static int editor_error_fill(struct buf *, enum tmpl_editor_error_hole, void *);
static int editor_edit_link_fill(struct buf *, enum tmpl_editor_edit_link_hole, void *);
static int editor_reason_fill(struct buf *, enum tmpl_editor_reason_hole, void *);
static int editor_approved_link_fill(struct buf *, enum tmpl_editor_approved_link_hole, void *);
static int editor_history_reason_fill(struct buf *, enum tmpl_editor_history_reason_hole, void *);
static int editor_audience_fill(struct buf *, enum tmpl_editor_audience_hole, void *);
static int editor_preview_fill(struct buf *, enum tmpl_editor_preview_hole, void *);
static int editor_conflict_fill(struct buf *, enum tmpl_editor_conflict_hole, void *);
static int editor_diff_section_fill(struct buf *, enum tmpl_editor_diff_section_hole, void *);
static int editor_login_fill(struct buf *, enum tmpl_editor_login_hole, void *);
static int editor_dashboard_fill(struct buf *, enum tmpl_editor_dashboard_hole, void *);
static int editor_article_fill(struct buf *, enum tmpl_editor_article_hole, void *);
static int editor_edit_fill(struct buf *, enum tmpl_editor_edit_hole, void *);
static int editor_diff_fill(struct buf *, enum tmpl_editor_diff_hole, void *);

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

static int
overdue(const char *review_by)
{
	char	 now[21];

	time_now_iso(now);
	return review_by != NULL && strcmp(review_by, now) < 0;
}


/* Renders a page whose main part main(out, e) writes, marked not to be indexed or cached. */
static int
ed_page(struct ed *e, const char *title, int (*main)(struct buf *, void *))
{
	int	 rc;

	req_cache(e->r, CACHE_NO_STORE);	/* before page_render, whose default it replaces */
	e->r->noindex = 1;
	rc = page_render(e->r, title, main, e);
	return rc;
}

/* ---- the fills of the editor templates, one per template ---- */

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

/* The transitions the user may make now, or why there are none. */
static int
fill_transitions(struct buf *out, struct ed *e)
{
	static const enum state order[] = { STATE_UNDER_REVIEW, STATE_APPROVED, STATE_CHANGES_REQUESTED,
	    STATE_SUBMITTED, STATE_ARCHIVED };
	char	 why[300] = "", first[300] = "";
	int	 n = 0;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		e->to = order[i];
		if (!workflow_may(&e->r->dom, &e->rev, order[i], why, sizeof(why))) {
			if (strstr(why, "someone else") != NULL)
				snprintf(first, sizeof(first), "%s", why);
			continue;
		}
		n++;
		if (tmpl_render_editor_transition(out, editor_transition_fill, e) == -1)
			return -1;
	}
	if (first[0] != '\0' || n == 0) {
		e->message = first[0] ? first : "There is nothing for you to do on this revision now.";
		return tmpl_render_editor_no_action(out, editor_no_action_fill, e);
	}
	return 0;
}

static int
fill_revisions(struct buf *out, struct ed *e)
{
	struct rev_info *list;
	int	 n;

	if (workflow_revisions(&e->r->dom, e->r->id, &list, &n) != OUT_OK)
		return -1;
	for (int i = 0; i < n; i++) {
		e->row = list[i];
		if (tmpl_render_editor_rev_row(out, editor_rev_row_fill, e) == -1)
			return -1;
	}
	memset(&e->row, 0, sizeof(e->row));
	return 0;
}

static int
fill_history(struct buf *out, struct ed *e)
{
	struct audit_row *steps;
	int	 n;

	if (workflow_history(&e->r->dom, e->r->id, &steps, &n) != OUT_OK)
		return -1;
	for (int i = 0; i < n; i++) {
		e->h_number = steps[i].revision;
		e->h_from = steps[i].from;
		e->h_to = steps[i].to;
		e->h_actor = steps[i].actor;
		e->h_cred = steps[i].credential;
		e->h_reason = steps[i].reason;
		e->h_at = steps[i].at;
		if (tmpl_render_editor_history_row(out, editor_history_row_fill, e) == -1)
			return -1;
	}
	return 0;
}

/* The field error for field, when the request has one. */
static const char *
field_error(const struct ed *e, const char *field)
{
	for (int i = 0; i < e->r->nerrors; i++)
		if (strcmp(e->r->errors[i].field, field) == 0)
			return e->r->errors[i].detail;
	return NULL;
}

static int
fill_field_error(struct buf *out, struct ed *e, const char *field)
{
	const char *d = field_error(e, field), *save = e->message;
	int	 rc;

	if (d == NULL)
		return 0;
	e->message = d;
	rc = tmpl_render_editor_field_error(out, editor_field_error_fill, e);
	e->message = save;
	return rc;
}

/* The error of the audience's text field (what: "bottom" or "body") of audience e->aud, if any. */
static int
fill_aud_error(struct buf *out, struct ed *e, const char *what)
{
	char	 f[40];

	snprintf(f, sizeof(f), "%s_%s", what, audiences[e->aud].code);
	return fill_field_error(out, e, f);
}

static const char *
state_label(const char *code)
{
	enum state st = state_find(code);

	return st < STATE__MAX ? states[st].label : code;
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
editor_transition_fill(struct buf *out, enum tmpl_editor_transition_hole hole, void *arg)
{
	struct ed *e = arg;
	struct req *r = e->r;

	switch (hole) {
	case TH_EDITOR_TRANSITION_ID:
		buf_int(out, r->id);
		return 0;
	case TH_EDITOR_TRANSITION_CSRF:
		buf_html(out, e->csrf);
		return 0;
	case TH_EDITOR_TRANSITION_TO:
		buf_html(out, states[e->to].code);
		return 0;
	case TH_EDITOR_TRANSITION_REASON:
		if (e->to == STATE_CHANGES_REQUESTED || e->to == STATE_ARCHIVED)
			return tmpl_render_editor_reason(out, editor_reason_fill, e);
		return 0;
	case TH_EDITOR_TRANSITION_TO_LABEL: {
		static const char *const verbs[STATE__MAX] = {
			[STATE_SUBMITTED] = "Submit again as it is",
			[STATE_UNDER_REVIEW] = "Start review",
			[STATE_APPROVED] = "Approve this revision",
			[STATE_CHANGES_REQUESTED] = "Request changes",
			[STATE_ARCHIVED] = "Archive the article",
		};

		buf_html(out, verbs[e->to]);
		return 0;
	}
	}
	return -1;
}

static int
editor_no_action_fill(struct buf *out, enum tmpl_editor_no_action_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_NO_ACTION_MESSAGE:
		buf_html(out, e->message);
		return 0;
	}
	return -1;
}

static int
editor_rev_row_fill(struct buf *out, enum tmpl_editor_rev_row_hole hole, void *arg)
{
	struct ed *e = arg;
	struct req *r = e->r;

	switch (hole) {
	case TH_EDITOR_REV_ROW_NUMBER:
		buf_int(out, e->h_number ? e->h_number : e->row.number ? e->row.number : e->rev.number);
		return 0;
	case TH_EDITOR_REV_ROW_STATE:
		buf_html(out, states[e->row.number ? e->row.state : e->rev.state].code);
		return 0;
	case TH_EDITOR_REV_ROW_STATE_LABEL:
		buf_html(out, states[e->row.number ? e->row.state : e->rev.state].label);
		return 0;
	case TH_EDITOR_REV_ROW_CREATED_AT:
		page_write_time(out, e->row.created_at, 0);
		return 0;
	case TH_EDITOR_REV_ROW_CREATED_HUMAN:
		page_write_time(out, e->row.created_at, 1);
		return 0;
	case TH_EDITOR_REV_ROW_AUTHOR:
		buf_html(out, e->row.number ? e->row.author : e->rev.author);
		return 0;
	case TH_EDITOR_REV_ROW_ID:
		buf_int(out, r->id);
		return 0;
	case TH_EDITOR_REV_ROW_APPROVED_LINK:
		if (e->approved > 0 && e->approved != e->row.number)
			return tmpl_render_editor_approved_link(out, editor_approved_link_fill, e);
		return 0;
	}
	return -1;
}

static int
editor_history_row_fill(struct buf *out, enum tmpl_editor_history_row_hole hole, void *arg)
{
	struct ed *e = arg;
	int	 rc;

	switch (hole) {
	case TH_EDITOR_HISTORY_ROW_AT:
		page_write_time(out, e->h_at, 0);
		return 0;
	case TH_EDITOR_HISTORY_ROW_AT_HUMAN:
		page_write_time(out, e->h_at, 1);
		return 0;
	case TH_EDITOR_HISTORY_ROW_NUMBER:
		buf_int(out, e->h_number ? e->h_number : e->row.number ? e->row.number : e->rev.number);
		return 0;
	case TH_EDITOR_HISTORY_ROW_FROM:
		if (e->h_from != NULL) {
			buf_html(out, state_label(e->h_from));
			buf_lit(out, " ");
		} else
			buf_lit(out, "created ");
		return 0;
	case TH_EDITOR_HISTORY_ROW_H_TO:
		buf_html(out, state_label(e->h_to));
		return 0;
	case TH_EDITOR_HISTORY_ROW_ACTOR:
		/* a row without a change of state is a note evqa itself made (retraction watch) */
		buf_html(out, e->h_actor ? e->h_actor : e->h_from != NULL && strcmp(e->h_from, e->h_to) == 0 ?
		    "evqa's automatic check" : "an import");
		if (e->h_cred != NULL && e->h_cred[0] != '\0') {
			buf_lit(out, ", ");
			buf_html(out, e->h_cred);
		}
		return 0;
	case TH_EDITOR_HISTORY_ROW_REASON:
		if (e->h_reason != NULL) {
			const char *save = e->message;

			e->message = e->h_reason;
			rc = tmpl_render_editor_history_reason(out, editor_history_reason_fill, e);
			e->message = save;
			return rc;
		}
		return 0;
	}
	return -1;
}

static int
editor_field_error_fill(struct buf *out, enum tmpl_editor_field_error_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_FIELD_ERROR_DETAIL:
		buf_html(out, e->message);
		return 0;
	}
	return -1;
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

static int
editor_edit_link_fill(struct buf *out, enum tmpl_editor_edit_link_hole hole, void *arg)
{
	struct ed *e = arg;
	struct req *r = e->r;

	switch (hole) {
	case TH_EDITOR_EDIT_LINK_ID:
		buf_int(out, r->id);
		return 0;
	case TH_EDITOR_EDIT_LINK_NEXT_NUMBER:
		buf_int(out, e->rev.number + 1);
		return 0;
	}
	return -1;
}

static int
editor_reason_fill(struct buf *out, enum tmpl_editor_reason_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_REASON_TO:
		buf_html(out, states[e->to].code);
		return 0;
	}
	return -1;
}

static int
editor_approved_link_fill(struct buf *out, enum tmpl_editor_approved_link_hole hole, void *arg)
{
	struct ed *e = arg;
	struct req *r = e->r;

	switch (hole) {
	case TH_EDITOR_APPROVED_LINK_ID:
		buf_int(out, r->id);
		return 0;
	case TH_EDITOR_APPROVED_LINK_NUMBER:
		buf_int(out, e->h_number ? e->h_number : e->row.number ? e->row.number : e->rev.number);
		return 0;
	case TH_EDITOR_APPROVED_LINK_APPROVED:
		buf_int(out, e->approved);
		return 0;
	}
	return -1;
}

static int
editor_history_reason_fill(struct buf *out, enum tmpl_editor_history_reason_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_HISTORY_REASON_REASON_TEXT:
		buf_html(out, e->message);
		return 0;
	}
	return -1;
}

static int
editor_audience_fill(struct buf *out, enum tmpl_editor_audience_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_AUDIENCE_AUD_LABEL:
		buf_html(out, audiences[e->aud].label);
		return 0;
	case TH_EDITOR_AUDIENCE_OPTIONAL:
		if (e->aud != AUD_CLINICIAN)
			buf_lit(out, " (optional: leave empty to show the clinician text)");
		return 0;
	case TH_EDITOR_AUDIENCE_CODE:
		buf_html(out, audiences[e->aud].code);
		return 0;
	case TH_EDITOR_AUDIENCE_BOTTOM_ERROR:
		return fill_aud_error(out, e, "bottom");
	case TH_EDITOR_AUDIENCE_BOTTOM:
		buf_html(out, e->bottom[e->aud]);
		return 0;
	case TH_EDITOR_AUDIENCE_BODY_ERROR:
		return fill_aud_error(out, e, "body");
	case TH_EDITOR_AUDIENCE_BODY:
		buf_html(out, e->body[e->aud]);
		return 0;
	}
	return -1;
}

static int
editor_preview_fill(struct buf *out, enum tmpl_editor_preview_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_PREVIEW_PAGE:
		/* trusted: the article template, rendered through the escaping writers */
		buf_trusted(out, e->preview.p, e->preview.len);
		return 0;
	}
	return -1;
}

static int
editor_conflict_fill(struct buf *out, enum tmpl_editor_conflict_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_CONFLICT_LATEST:
		buf_int(out, e->latest);
		return 0;
	case TH_EDITOR_CONFLICT_LATEST_AUTHOR:
		buf_html(out, e->latest_author);
		return 0;
	case TH_EDITOR_CONFLICT_AGAINST:
		buf_int(out, e->d_against);
		return 0;
	case TH_EDITOR_CONFLICT_DIFF:
		/* trusted: written by diff_html(), which escapes every byte of text */
		buf_trusted(out, e->has_conflict ? e->conflict.p : e->d_html.p,
		    e->has_conflict ? e->conflict.len : e->d_html.len);
		return 0;
	}
	return -1;
}

static int
editor_diff_section_fill(struct buf *out, enum tmpl_editor_diff_section_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_DIFF_SECTION_TITLE:
		buf_html(out, e->d_title);
		return 0;
	case TH_EDITOR_DIFF_SECTION_DIFF:
		/* trusted: written by diff_html(), which escapes every byte of text */
		buf_trusted(out, e->has_conflict ? e->conflict.p : e->d_html.p,
		    e->has_conflict ? e->conflict.len : e->d_html.len);
		return 0;
	}
	return -1;
}

static int
editor_login_fill(struct buf *out, enum tmpl_editor_login_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_LOGIN_ERROR:
		if (e->message != NULL)
			return tmpl_render_editor_error(out, editor_error_fill, e);
		return 0;
	case TH_EDITOR_LOGIN_CSRF:
		buf_html(out, e->csrf);
		return 0;
	case TH_EDITOR_LOGIN_NEXT:
		buf_html(out, e->next);
		return 0;
	case TH_EDITOR_LOGIN_EMAIL:
		buf_html(out, e->email);
		return 0;
	}
	return -1;
}

/* The page's main part (page_render()). */
static int
editor_login_main(struct buf *out, void *arg)
{
	return tmpl_render_editor_login(out, editor_login_fill, arg);
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

static int
editor_article_fill(struct buf *out, enum tmpl_editor_article_hole hole, void *arg)
{
	struct ed *e = arg;
	struct req *r = e->r;
	int	 rc;

	switch (hole) {
	case TH_EDITOR_ARTICLE_BAR:
		return editor_bar_write(out, r, e->csrf);
	case TH_EDITOR_ARTICLE_QUESTION:
		buf_html(out, e->question ? e->question : e->rev.question);
		return 0;
	case TH_EDITOR_ARTICLE_NUMBER:
		buf_int(out, e->h_number ? e->h_number : e->row.number ? e->row.number : e->rev.number);
		return 0;
	case TH_EDITOR_ARTICLE_STATE:
		buf_html(out, states[e->row.number ? e->row.state : e->rev.state].code);
		return 0;
	case TH_EDITOR_ARTICLE_STATE_LABEL:
		buf_html(out, states[e->row.number ? e->row.state : e->rev.state].label);
		return 0;
	case TH_EDITOR_ARTICLE_STATE_AT:
		page_write_time(out, e->rev.state_at, 0);
		return 0;
	case TH_EDITOR_ARTICLE_STATE_AT_HUMAN:
		page_write_time(out, e->rev.state_at, 1);
		return 0;
	case TH_EDITOR_ARTICLE_AUTHOR:
		buf_html(out, e->row.number ? e->row.author : e->rev.author);
		return 0;
	case TH_EDITOR_ARTICLE_EDIT_LINK:
		if (workflow_may_edit(&r->dom, &e->rev))
			return tmpl_render_editor_edit_link(out, editor_edit_link_fill, e);
		return 0;
	case TH_EDITOR_ARTICLE_PUBLIC_URL:
		buf_lit(out, "/articles/");
		buf_int(out, r->id);
		buf_lit(out, "/");
		buf_html(out, e->rev.slug);
		return 0;
	case TH_EDITOR_ARTICLE_ID:
		buf_int(out, r->id);
		return 0;
	case TH_EDITOR_ARTICLE_TRANSITIONS:
		return fill_transitions(out, e);
	case TH_EDITOR_ARTICLE_REVISIONS:
		return fill_revisions(out, e);
	case TH_EDITOR_ARTICLE_HISTORY:
		rc = fill_history(out, e);
		e->h_at = NULL;
		e->h_number = 0;
		return rc;
	}
	return -1;
}

/* The page's main part (page_render()). */
static int
editor_article_main(struct buf *out, void *arg)
{
	return tmpl_render_editor_article(out, editor_article_fill, arg);
}

static int
editor_edit_fill(struct buf *out, enum tmpl_editor_edit_hole hole, void *arg)
{
	struct ed *e = arg;
	struct req *r = e->r;

	switch (hole) {
	case TH_EDITOR_EDIT_BAR:
		return editor_bar_write(out, r, e->csrf);
	case TH_EDITOR_EDIT_HEADING:
		buf_html(out, e->heading);
		return 0;
	case TH_EDITOR_EDIT_ERROR:
		if (e->message != NULL)
			return tmpl_render_editor_error(out, editor_error_fill, e);
		return 0;
	case TH_EDITOR_EDIT_CONFLICT:
		if (e->has_conflict)
			return tmpl_render_editor_conflict(out, editor_conflict_fill, e);
		return 0;
	case TH_EDITOR_EDIT_ACTION:
		buf_html(out, e->action);
		return 0;
	case TH_EDITOR_EDIT_CSRF:
		buf_html(out, e->csrf);
		return 0;
	case TH_EDITOR_EDIT_BASE:
		buf_int(out, e->base);
		return 0;
	case TH_EDITOR_EDIT_QUESTION_ERROR:
		return fill_field_error(out, e, "question");
	case TH_EDITOR_EDIT_QUESTION:
		buf_html(out, e->question ? e->question : e->rev.question);
		return 0;
	case TH_EDITOR_EDIT_REFERENCES_ERROR:
		return fill_field_error(out, e, "references");
	case TH_EDITOR_EDIT_REFERENCES:
		buf_html(out, e->references);
		return 0;
	case TH_EDITOR_EDIT_AUDIENCES:
		for (e->aud = 0; e->aud < AUD__MAX; e->aud++)
			if (tmpl_render_editor_audience(out, editor_audience_fill, e) == -1)
				return -1;
		return 0;
	case TH_EDITOR_EDIT_PREVIEW:
		if (e->has_preview)
			return tmpl_render_editor_preview(out, editor_preview_fill, e);
		return 0;
	}
	return -1;
}

/* The page's main part (page_render()). */
static int
editor_edit_main(struct buf *out, void *arg)
{
	return tmpl_render_editor_edit(out, editor_edit_fill, arg);
}

static int
editor_diff_fill(struct buf *out, enum tmpl_editor_diff_hole hole, void *arg)
{
	struct ed *e = arg;
	struct req *r = e->r;

	switch (hole) {
	case TH_EDITOR_DIFF_BAR:
		return editor_bar_write(out, r, e->csrf);
	case TH_EDITOR_DIFF_ID:
		buf_int(out, r->id);
		return 0;
	case TH_EDITOR_DIFF_REV:
		buf_int(out, e->d_rev);
		return 0;
	case TH_EDITOR_DIFF_AGAINST_TEXT:
		if (e->d_against > 0) {
			buf_lit(out, "against revision ");
			buf_int(out, e->d_against);
		} else
			buf_lit(out, "(the first revision: all of its text is new)");
		return 0;
	case TH_EDITOR_DIFF_TOO_LARGE:
		if (e->too_large)
			buf_lit(out, " Some parts were too long to compare line by line and are shown whole.");
		return 0;
	case TH_EDITOR_DIFF_SECTIONS:
		/* trusted: sections rendered through the editor-diff-section template */
		buf_trusted(out, e->d_sections.p, e->d_sections.len);
		return 0;
	}
	return -1;
}

/* The page's main part (page_render()). */
static int
editor_diff_main(struct buf *out, void *arg)
{
	return tmpl_render_editor_diff(out, editor_diff_fill, arg);
}

static void
ed_init(struct ed *e, struct req *r)
{
	memset(e, 0, sizeof(*e));
	e->r = r;
	e->st = STATE__MAX;
	e->diff_budget = DIFF_PAGE_CELLS;
}

static void
ed_free(struct ed *e)
{
	buf_free(&e->preview);
	buf_free(&e->conflict);
	buf_free(&e->d_html);
	buf_free(&e->d_sections);
}

/* Fills e->csrf; returns 0 or 500. */
static int
ed_csrf(struct ed *e)
{
	return (e->csrf = auth_csrf(e->r)) == NULL ? 500 : 0;
}

/* ---- /editor/login, /editor/logout ---- */

int
editor_login_form(struct req *r)
{
	struct ed e;
	int	 rc;

	ed_init(&e, r);
	if ((rc = ed_csrf(&e)) != 0)
		return rc;
	e.next = r->fields[KEY_NEXT].present && auth_local_path(r->fields[KEY_NEXT].str) ?
	    r->fields[KEY_NEXT].str : "/editor";
	rc = ed_page(&e, "Editor login", editor_login_main);
	ed_free(&e);
	return rc;
}

int
editor_login(struct req *r)
{
	struct ed e;
	const char *next = r->fields[KEY_NEXT].present ? r->fields[KEY_NEXT].str : "/editor";
	int	 rc, st;

	if ((rc = guard_origin(r)) != 0 || (rc = guard_csrf(r)) != 0)
		return rc;
	if (!auth_local_path(next))
		next = "/editor";
	st = auth_login(r, r->fields[KEY_EMAIL].present ? r->fields[KEY_EMAIL].str : "",
	    r->fields[KEY_PASSWORD].present ? r->fields[KEY_PASSWORD].str : "");
	if (st == 0) {
		req_location(r, next);
		req_cache(r, CACHE_NO_STORE);
		return 303;
	}
	if (st != 401 && st != 429)
		return st;
	/* the form again, with the message and the e-mail address kept */
	ed_init(&e, r);
	if ((rc = ed_csrf(&e)) != 0)
		return rc;
	e.next = next;
	e.email = r->fields[KEY_EMAIL].present ? r->fields[KEY_EMAIL].str : "";
	e.message = req_strdup(r, r->detail);
	rc = ed_page(&e, "Editor login", editor_login_main);
	ed_free(&e);
	if (rc != 200)
		return rc;
	r->keep_body = 1;
	return st;
}

int
editor_logout(struct req *r)
{
	int	 rc;

	if ((rc = guard_origin(r)) != 0 || (rc = guard_csrf(r)) != 0)
		return rc;
	auth_logout(r);
	req_location(r, "/editor/login");
	return 303;
}

/* ---- /editor ---- */

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

/* ---- /editor/articles/{id} ---- */

int
editor_article(struct req *r)
{
	struct ed e;
	struct rev_info approved;
	int	 rc;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	ed_init(&e, r);
	if ((rc = req_outcome(r, workflow_latest(&r->dom, r->id, &e.rev))) != 200 ||
	    (rc = req_outcome(r, workflow_approved(&r->dom, r->id, &approved))) != 200)
		return rc;
	e.approved = approved.number;
	if ((rc = ed_csrf(&e)) != 0)
		return rc;
	rc = ed_page(&e, e.rev.question, editor_article_main);
	ed_free(&e);
	return rc;
}

int
editor_transition(struct req *r)
{
	int	 rc;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	if (!r->fields[KEY_TO].present)
		return req_field_error(r, "to", "is required.");
	rc = req_outcome(r, workflow_transition(&r->dom, r->id, (enum state)r->fields[KEY_TO].num,
	    r->fields[KEY_REASON].present ? r->fields[KEY_REASON].str : NULL));
	if (rc != 200)
		return rc;
	{
		char	 loc[64];

		snprintf(loc, sizeof(loc), "/editor/articles/%lld", r->id);
		req_location(r, loc);
	}
	return 303;
}

/* ---- the editor form ---- */

/* The authors of a reference as the form writes them: "Family, Given; Family, Given; Group" (a group
 * whose name has a comma in braces: "{Name, with comma}"). */
static void
authors_text(struct buf *b, const char *json)
{
	json_t	*a = json ? json_loads(json, 0, NULL) : NULL, *o;
	size_t	 i;

	json_array_foreach(a, i, o) {
		const char *family = json_string_value(json_object_get(o, "family"));
		const char *given = json_string_value(json_object_get(o, "given"));
		const char *literal = json_string_value(json_object_get(o, "literal"));

		if (i > 0)
			buf_lit(b, "; ");
		if (literal != NULL && strchr(literal, ',') == NULL)
			/* trusted: plain text into a buffer escaped when it is written to the page */
			buf_trusted(b, literal, strlen(literal));
		else if (literal != NULL) {
			buf_lit(b, "{");
			/* trusted: as above */
			buf_trusted(b, literal, strlen(literal));
			buf_lit(b, "}");
		} else if (family != NULL) {
			/* trusted: as above */
			buf_trusted(b, family, strlen(family));
			if (given != NULL) {
				buf_lit(b, ", ");
				/* trusted: as above */
				buf_trusted(b, given, strlen(given));
			}
		}
	}
	json_decref(a);
}

/* The authors written as authors_text() writes them, as the JSON content_save() takes (request
 * memory), or NULL when there are none. */
static const char *
authors_json(struct req *r, const char *text)
{
	json_t	*a;
	char	*s;
	const char *out = NULL;

	if (text == NULL || (a = json_array()) == NULL)
		return NULL;
	for (const char *p = text; *p != '\0';) {
		const char *e = strchr(p, ';'), *c;
		size_t	 n;
		char	*one, *name;

		if (*p == '{' && (c = strchr(p, '}')) != NULL) {	/* a group with a comma in its name */
			e = strchr(c, ';');
		}
		n = e ? (size_t)(e - p) : strlen(p);
		if ((one = req_alloc(r, n + 1)) == NULL)
			break;
		memcpy(one, p, n);
		one[n] = '\0';
		name = one + strspn(one, " \t");
		while (*name != '\0' && strchr(" \t", name[strlen(name) - 1]) != NULL)
			name[strlen(name) - 1] = '\0';
		if (name[0] == '{' && name[strlen(name) - 1] == '}') {
			name[strlen(name) - 1] = '\0';
			json_array_append_new(a, json_pack("{s:s}", "literal", name + 1));
		} else if ((c = strchr(name, ',')) != NULL) {
			const char *given = c + 1 + strspn(c + 1, " ");

			*(char *)c = '\0';
			json_array_append_new(a, given[0] ? json_pack("{s:s, s:s}", "family", name, "given",
			    given) : json_pack("{s:s}", "family", name));
		} else if (name[0] != '\0')
			json_array_append_new(a, json_pack("{s:s}", "literal", name));
		p = e ? e + 1 : p + n;
	}
	if (json_array_size(a) > 0 && (s = json_dumps(a, JSON_COMPACT)) != NULL) {
		out = req_strdup(r, s);
		free(s);
	}
	json_decref(a);
	return out;
}

/* The reference list of revision rev_id as the form's lines. */
static const char *
references_text(struct req *r, long long rev_id)
{
	struct buf b = BUF_INIT;
	struct reference *rf;
	const char *out;
	int	 n;

	if (content_references(&r->dom, rev_id, &rf, &n) != OUT_OK)
		return NULL;
	for (int k = 0; k < n; k++) {
		const char *parts[7] = { rf[k].kind, rf[k].title, rf[k].source, NULL, rf[k].pmid, rf[k].doi,
		    rf[k].url };

		for (int i = 0; i < 7; i++) {
			if (i > 0)
				buf_lit(&b, " | ");
			if (i == 3) {
				if (rf[k].year != 0)
					buf_int(&b, rf[k].year);
			} else if (parts[i] != NULL)
				/* trusted: plain text into a buffer escaped when it is written to the page */
				buf_trusted(&b, parts[i], strlen(parts[i]));
		}
		if (rf[k].authors_json != NULL) {
			buf_lit(&b, " | ");
			authors_text(&b, rf[k].authors_json);
		}
		buf_lit(&b, "\n");
	}
	out = b.err ? NULL : req_strdup(r, b.p ? b.p : "");
	buf_free(&b);
	return out;
}

/* Fills the form from revision rev_id. */
static int
form_from_revision(struct ed *e, long long rev_id)
{
	struct req *r = e->r;
	struct text_row *t;
	int	 n;

	if ((e->references = references_text(r, rev_id)) == NULL ||
	    content_texts(&r->dom, rev_id, &t, &n) != OUT_OK)
		return 500;
	for (int i = 0; i < n; i++) {
		const struct audience *a = audience_find(t[i].audience);

		if (a != NULL) {
			e->bottom[a - audiences] = t[i].bottom_line;
			e->body[a - audiences] = t[i].body;
		}
	}
	return 0;
}

static const enum key bottom_keys[AUD__MAX] = { KEY_BOTTOM_CLINICIAN, KEY_BOTTOM_NURSE,
    KEY_BOTTOM_PHARMACIST, KEY_BOTTOM_STUDENT, KEY_BOTTOM_PATIENT };
static const enum key body_keys[AUD__MAX] = { KEY_BODY_CLINICIAN, KEY_BODY_NURSE, KEY_BODY_PHARMACIST,
    KEY_BODY_STUDENT, KEY_BODY_PATIENT };

/* Fills the form from the request. */
static void
form_from_request(struct ed *e)
{
	struct req *r = e->r;

	e->question = r->fields[KEY_QUESTION].present ? r->fields[KEY_QUESTION].str : "";
	e->references = r->fields[KEY_REFERENCES].present ? r->fields[KEY_REFERENCES].str : "";
	e->base = r->fields[KEY_BASE].present ? (int)r->fields[KEY_BASE].num : 0;
	for (int i = 0; i < AUD__MAX; i++) {
		e->bottom[i] = r->fields[bottom_keys[i]].present ? r->fields[bottom_keys[i]].str : "";
		e->body[i] = r->fields[body_keys[i]].present ? r->fields[body_keys[i]].str : "";
	}
}

/* Trims spaces around s[0..n) into a request-owned string; NULL for an empty one. */
static const char *
part(struct req *r, const char *s, size_t n)
{
	char	*t;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n == 0 || (t = req_alloc(r, n + 1)) == NULL)
		return NULL;
	memcpy(t, s, n);
	t[n] = '\0';
	return t;
}

/* Parses the reference lines into rev. Returns 0, or 400 with a field error on "references". */
static int
parse_references(struct req *r, const char *text, struct revision_in *rev)
{
	struct reference_in *refs;
	int	 n = 0, line = 0, cap = 0;
	const char *p = text;

	for (const char *q = text; *q != '\0'; q++)
		if (*q == '\n')
			cap++;
	cap++;
	if (cap > REF_MAX)
		return req_field_error(r, "references", "has %d lines; at most %d references are allowed.", cap,
		    REF_MAX);
	if ((refs = req_alloc(r, (size_t)cap * sizeof(*refs))) == NULL)
		return 500;
	while (*p != '\0') {
		const char *e = strchr(p, '\n'), *f[8] = { NULL };
		size_t	 len = e ? (size_t)(e - p) : strlen(p);
		int	 k = 0;
		const char *c = p, *end = p + len;

		line++;
		while (k < 8) {
			const char *bar = memchr(c, '|', (size_t)(end - c));
			size_t	 pl = bar ? (size_t)(bar - c) : (size_t)(end - c);

			f[k++] = part(r, c, pl);
			if (bar == NULL)
				break;
			c = bar + 1;
		}
		if (memchr(c, '|', (size_t)(end - c)) != NULL && k == 8)
			return req_field_error(r, "references", "line %d has more than 8 parts separated by '|'.",
			    line);
		if (f[0] != NULL || k > 1) {
			struct reference_in *ref = &refs[n++];
			long long year = 0;

			memset(ref, 0, sizeof(*ref));
			ref->kind = f[0] ? f[0] : "";
			ref->title = f[1];
			ref->source = f[2];
			if (f[3] != NULL && parse_int(f[3], 1800, 2200, &year) == -1)
				return req_field_error(r, "references", "line %d: the year must be a number from "
				    "1800 to 2200, not '%s'.", line, f[3]);
			ref->year = (int)year;
			ref->pmid = f[4];
			ref->doi = f[5];
			ref->url = f[6];
			ref->authors_json = authors_json(r, f[7]);
		}
		p = e ? e + 1 : end;
	}
	rev->refs = refs;
	rev->nrefs = n;
	return 0;
}

/* Builds a revision from the form. Returns 0 or 400 with field errors. */
static int
revision_from_form(struct ed *e, struct revision_in *rev)
{
	struct req *r = e->r;
	struct text_in *texts;
	int	 rc;

	memset(rev, 0, sizeof(*rev));
	rev->question = e->question;
	if ((rc = parse_references(r, e->references, rev)) != 0)
		return rc;
	if ((texts = req_alloc(r, AUD__MAX * sizeof(*texts))) == NULL)
		return 500;
	for (int i = 0; i < AUD__MAX; i++) {
		if (i != AUD_CLINICIAN && e->bottom[i][0] == '\0' && e->body[i][0] == '\0')
			continue;
		if (e->bottom[i][0] == '\0') {
			char	*f = req_alloc(r, 40);

			snprintf(f, 40, "bottom_%s", audiences[i].code);
			return req_field_error(r, f, "is required%s.", i == AUD_CLINICIAN ? "" :
			    " when this audience has a body");
		}
		if (e->body[i][0] == '\0') {
			char	*f = req_alloc(r, 40);

			snprintf(f, 40, "body_%s", audiences[i].code);
			return req_field_error(r, f, "is required%s.", i == AUD_CLINICIAN ? "" :
			    " when this audience has a bottom line");
		}
		texts[rev->ntexts].audience = audiences[i].code;
		texts[rev->ntexts].bottom_line = e->bottom[i];
		texts[rev->ntexts].body = e->body[i];
		rev->ntexts++;
	}
	rev->texts = texts;
	return 0;
}

/* Moves a field error of content_save onto the form field it is about: "references[3].doi" onto the
 * reference list (saying which line), "revision 9, patient wording: ..." onto that audience's body. */
static void
errors_to_fields(struct req *r)
{
	for (int i = 0; i < r->nerrors; i++) {
		struct field_error *fe = &r->errors[i];
		int	 n;

		if (sscanf(fe->field, "references[%d]", &n) == 1) {
			char	 d[sizeof(fe->detail)];
			const char *dot = strchr(fe->field, '.');

			snprintf(d, sizeof(d), "line %d, %s: %s", n, dot ? dot + 1 : "entry", fe->detail);
			memcpy(fe->detail, d, sizeof(d));
			utf8_trim(fe->detail);
			fe->field = "references";
		} else if (strncmp(fe->field, "texts", 5) == 0) {
			const char *f = "body_clinician";

			for (int a = 0; a < AUD__MAX; a++) {
				char	 w[40];

				snprintf(w, sizeof(w), "the %s wording:", audiences[a].code);
				if (strstr(fe->detail, w) != NULL) {
					char	*t = req_alloc(r, 40);

					if (t != NULL) {
						snprintf(t, 40, "%s_%s", strstr(fe->detail, "bottom line") ?
						    "bottom" : "body", audiences[a].code);
						f = t;
					}
					break;
				}
			}
			fe->field = f;
		}
	}
}

/* Renders the form page (after a problem, with status and the problems beside their fields). */
static int
form_page(struct ed *e, int status)
{
	int	 rc;

	if (e->csrf == NULL && (rc = ed_csrf(e)) != 0)
		return rc;
	if (status >= 400 && e->message == NULL)
		e->message = req_strdup(e->r, e->r->detail);
	rc = ed_page(e, e->heading, editor_edit_main);
	if (rc != 200)
		return rc;
	if (status >= 400)
		e->r->keep_body = 1;
	return status;
}

/* The line diff of one field, as a section of the diff page (or the conflict notice). */
static void
diff_section(struct ed *e, const char *title, const char *a, const char *b, int always)
{
	if (!always && strcmp(a ? a : "", b ? b : "") == 0)
		return;
	buf_reset(&e->d_html);
	if (diff_html(&e->d_html, a, b, &e->diff_budget) < 0)
		e->too_large = 1;
	e->d_title = title;
	tmpl_render_editor_diff_section(&e->d_sections, editor_diff_section_fill, e);
}

/* The text of revision number n of the article: question, references, and wording per audience. */
struct rev_text {
	int		 ok;
	const char	*question, *references;
	const char	*bottom[AUD__MAX], *body[AUD__MAX];
};

static int
rev_text(struct req *r, long long article, int number, struct rev_text *t)
{
	struct ed tmp;
	struct rev_info ri;
	int	 rc;

	memset(t, 0, sizeof(*t));
	if ((rc = req_outcome(r, workflow_revision(&r->dom, article, number, &ri))) != 200)
		return rc;
	ed_init(&tmp, r);
	if (form_from_revision(&tmp, ri.id) != 0)
		return 500;
	t->ok = 1;
	t->question = ri.question;
	t->references = tmp.references;
	memcpy(t->bottom, tmp.bottom, sizeof(t->bottom));
	memcpy(t->body, tmp.body, sizeof(t->body));
	return 200;
}

/* Every section of the diff from a to b into e->d_sections. */
static void
diff_all(struct ed *e, const struct rev_text *a, const struct rev_text *b)
{
	diff_section(e, "Question", a->question, b->question, 0);
	for (int i = 0; i < AUD__MAX; i++) {
		char	*t1 = req_alloc(e->r, 200), *t2 = req_alloc(e->r, 200);

		if (t1 == NULL || t2 == NULL)
			return;
		snprintf(t1, 200, "Bottom line: %s", audiences[i].label);
		snprintf(t2, 200, "Body: %s", audiences[i].label);
		diff_section(e, t1, a->bottom[i], b->bottom[i], 0);
		diff_section(e, t2, a->body[i], b->body[i], 0);
	}
	diff_section(e, "References", a->references, b->references, 0);
	if (e->d_sections.len == 0) {
		e->d_title = "No changes";
		buf_reset(&e->d_html);
		buf_lit(&e->d_html, "<p>The two revisions have the same text.</p>\n");
		tmpl_render_editor_diff_section(&e->d_sections, editor_diff_section_fill, e);
	}
}

/* Saves the form as a new revision of r->id (0: a new article), or shows the preview. */
static int
save_form(struct req *r, long long id, long long qid)
{
	struct ed e;
	struct revision_in rev;
	struct content_error ce;
	long long article = 0;
	int	 number = 0, rc;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	ed_init(&e, r);
	form_from_request(&e);
	e.heading = id ? "Edit article" : "New article";
	e.action = id ? req_strdup(r, "") : "/editor/articles";
	if (qid) {
		char	 a[64];

		snprintf(a, sizeof(a), "/editor/questions/%lld/article", qid);
		e.action = req_strdup(r, a);
	}
	if (id) {
		char	 a[64];

		snprintf(a, sizeof(a), "/editor/articles/%lld/edit", id);
		e.action = req_strdup(r, a);
		if ((rc = req_outcome(r, workflow_latest(&r->dom, id, &e.rev))) != 200)
			return rc;
		if (!workflow_may_edit(&r->dom, &e.rev))
			return req_fail(r, 403, "Your role (%s) may not edit this article.",
			    role_names[r->user->role]);
	} else if (!workflow_may_edit(&r->dom, NULL))
		return req_fail(r, 403, "Your role (%s) may not write articles.", role_names[r->user->role]);
	if ((rc = revision_from_form(&e, &rev)) != 0) {
		rc = rc == 400 ? form_page(&e, 400) : rc;
		goto out;
	}
	if (r->fields[KEY_PREVIEW].present) {
		long long rev_id;

		/* saved in a transaction that is rolled back: the preview is the public page itself */
		rev.author = r->user->name;
		rev.state = STATE_SUBMITTED;
		if (db_begin(r->db) == -1) {
			rc = 500;
			goto out;
		}
		if ((rev_id = content_save(r->db, id, NULL, &rev, NULL, &ce)) == -1) {
			db_rollback(r->db);
			req_field_error(r, req_strdup(r, ce.field[0] ? ce.field : "texts"), "%s", ce.detail);
			errors_to_fields(r);
			rc = form_page(&e, 400);
			goto out;
		}
		rc = page_article_preview(r, rev_id, &e.preview);
		db_idle(r->db);
		db_rollback(r->db);
		if (rc != 200)
			goto out;
		e.has_preview = 1;
		rc = form_page(&e, 200);
		goto out;
	}
	rc = req_outcome(r, workflow_save_question(&r->dom, id, e.base, &rev, qid, &article, &number));
	if (rc == 201) {
		char	 loc[64];

		snprintf(loc, sizeof(loc), "/editor/articles/%lld", article);
		req_location(r, loc);
		rc = 303;
	} else if (rc == 400) {
		errors_to_fields(r);
		rc = form_page(&e, 400);
	} else if (rc == 409) {
		struct rev_text a, b;
		struct rev_info latest;
		int	 base = e.base;

		if (req_outcome(r, workflow_latest(&r->dom, id, &latest)) != 200 ||
		    rev_text(r, id, base, &a) != 200 || rev_text(r, id, latest.number, &b) != 200) {
			rc = 500;
			goto out;
		}
		diff_all(&e, &a, &b);
		/* the conflict notice shows the sections; the form keeps the user's text */
		e.conflict = e.d_sections;
		memset(&e.d_sections, 0, sizeof(e.d_sections));
		e.has_conflict = 1;
		e.latest = latest.number;
		e.latest_author = latest.author;
		e.d_rev = latest.number;
		e.d_against = base;
		e.message = req_strdup(r, r->detail);
		e.base = latest.number;
		rc = form_page(&e, 409);
	}
out:
	ed_free(&e);
	return rc;
}

int
editor_create(struct req *r)
{
	return save_form(r, 0, 0);
}

int
editor_save_for_question(struct req *r, long long qid)
{
	return save_form(r, 0, qid);
}

int
editor_form_for_question(struct req *r, long long qid, const char *question)
{
	struct ed e;
	char	 a[64];
	int	 rc;

	if (!workflow_may_edit(&r->dom, NULL))
		return req_fail(r, 403, "Your role (%s) may not write articles.", role_names[r->user->role]);
	ed_init(&e, r);
	e.heading = "New article from a reader's question";
	snprintf(a, sizeof(a), "/editor/questions/%lld/article", qid);
	e.action = req_strdup(r, a);
	e.question = question;
	e.references = "";
	for (int i = 0; i < AUD__MAX; i++)
		e.bottom[i] = e.body[i] = "";
	rc = form_page(&e, 200);
	ed_free(&e);
	return rc;
}

int
editor_edit(struct req *r)
{
	return save_form(r, r->id, 0);
}

int
editor_new(struct req *r)
{
	struct ed e;
	int	 rc;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	if (!workflow_may_edit(&r->dom, NULL))
		return req_fail(r, 403, "Your role (%s) may not write articles.", role_names[r->user->role]);
	ed_init(&e, r);
	e.heading = "New article";
	e.action = "/editor/articles";
	e.question = e.references = "";
	for (int i = 0; i < AUD__MAX; i++)
		e.bottom[i] = e.body[i] = "";
	rc = form_page(&e, 200);
	ed_free(&e);
	return rc;
}

int
editor_edit_form(struct req *r)
{
	struct ed e;
	char	 a[64];
	int	 rc;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	ed_init(&e, r);
	if ((rc = req_outcome(r, workflow_latest(&r->dom, r->id, &e.rev))) != 200)
		return rc;
	if (!workflow_may_edit(&r->dom, &e.rev))
		return req_fail(r, 403, "Your role (%s) may not edit this article.", role_names[r->user->role]);
	for (int i = 0; i < AUD__MAX; i++)
		e.bottom[i] = e.body[i] = "";
	if (form_from_revision(&e, e.rev.id) != 0)
		return 500;
	for (int i = 0; i < AUD__MAX; i++) {
		if (e.bottom[i] == NULL)
			e.bottom[i] = "";
		if (e.body[i] == NULL)
			e.body[i] = "";
	}
	e.question = e.rev.question;
	e.base = e.rev.number;
	e.heading = "Edit article";
	snprintf(a, sizeof(a), "/editor/articles/%lld/edit", r->id);
	e.action = req_strdup(r, a);
	rc = form_page(&e, 200);
	ed_free(&e);
	return rc;
}

/* ---- /editor/articles/{id}/diff ---- */

int
editor_diff(struct req *r)
{
	struct ed e;
	struct rev_text a, b;
	struct rev_info latest;
	int	 rc, rev, against;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	ed_init(&e, r);
	if ((rc = req_outcome(r, workflow_latest(&r->dom, r->id, &latest))) != 200)
		return rc;
	rev = r->fields[KEY_REV].present ? (int)r->fields[KEY_REV].num : latest.number;
	if (r->fields[KEY_AGAINST].present)
		against = (int)r->fields[KEY_AGAINST].num;
	else {
		/* the approved revision when it is older; else the one before */
		struct rev_info approved;

		if ((rc = req_outcome(r, workflow_approved(&r->dom, r->id, &approved))) != 200)
			return rc;
		against = approved.number > 0 && approved.number < rev ? approved.number : rev - 1;
	}
	if ((rc = rev_text(r, r->id, rev, &b)) != 200)
		return rc == 404 ? req_field_error(r, "rev", "names no revision of this article.") : rc;
	if (against < 1) {
		memset(&a, 0, sizeof(a));
		against = 0;
	} else if ((rc = rev_text(r, r->id, against, &a)) != 200)
		return rc == 404 ? req_field_error(r, "against", "names no revision of this article.") : rc;
	e.rev = latest;
	e.d_rev = rev;
	e.d_against = against;
	diff_all(&e, &a, &b);
	if ((rc = ed_csrf(&e)) != 0)
		return rc;
	rc = ed_page(&e, "What changed", editor_diff_main);
	ed_free(&e);
	return rc;
}
