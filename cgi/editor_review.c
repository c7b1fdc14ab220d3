/* editor_review.c: an article's review page (GET /editor/articles/{id}): its state, the transitions
 * the user may make now (or why there are none), its revisions and its audit trail; and making a
 * transition (POST /editor/articles/{id}/transitions). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "editor.h"
#include "page.h"
#include "route.h"
#include "tmpl.h"
#include "workflow.h"

static int editor_transition_fill(struct buf *, enum tmpl_editor_transition_hole, void *);
static int editor_no_action_fill(struct buf *, enum tmpl_editor_no_action_hole, void *);
static int editor_rev_row_fill(struct buf *, enum tmpl_editor_rev_row_hole, void *);
static int editor_history_row_fill(struct buf *, enum tmpl_editor_history_row_hole, void *);
static int editor_edit_link_fill(struct buf *, enum tmpl_editor_edit_link_hole, void *);
static int editor_reason_fill(struct buf *, enum tmpl_editor_reason_hole, void *);
static int editor_approved_link_fill(struct buf *, enum tmpl_editor_approved_link_hole, void *);
static int editor_history_reason_fill(struct buf *, enum tmpl_editor_history_reason_hole, void *);

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

static const char *
state_label(const char *code)
{
	enum state st = state_find(code);

	return st < STATE__MAX ? states[st].label : code;
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
