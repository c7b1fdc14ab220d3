/* question_queue.c: the question queue: readers' questions for the editorial team.
 *
 * GET /editor/questions lists them (reviewers, editors, admins) with filters, sorting and pages;
 * GET /editor/questions/{id} shows one with its history. An editor links an article as the answer
 * (POST .../link), dismisses the question (POST .../dismiss, the reason optional), or starts a new
 * article from it (GET and POST .../article: the article editor, prefilled; saving links the new
 * article in the same transaction); the asker's view of the editors' answer. The same as JSON is
 * api_questions.c. Every change is written in one transaction with a row of question_history
 * (queue.c).
 *
 * Questions can hold patient details. Authors do not see the queue; lists and the JSON list name a
 * question by its internal id; only editors and admins see the private token (the reader's page). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "auth.h"
#include "content.h"
#include "links.h"
#include "log.h"
#include "page.h"
#include "queue.h"
#include "render.h"
#include "route.h"
#include "tmpl.h"
#include "util.h"
#include "workflow.h"

#define QUEUE_PER_PAGE	25

static const char *
qstate_label(const char *code)
{
	enum qstate st = qstate_find(code);

	return st != QSTATE__MAX ? qstates[st].label : code ? code : "";
}

/* ---- the pages ---- */

struct qctx {
	struct req	*r;
	const char	*csrf;
	const char	*filter, *sort;
	long long	 page, pages, total;
	struct qrow	 q;
	struct queue_list list;		/* the list page's rows (list_params) */
	int		 count, ci;
	const struct qhist *h;		/* a history row */
	const char	*message;	/* an empty list's sentence */
	const char	*link_error;	/* why linking an article failed, shown by the form, or NULL */
	long long	 pager_page;	/* the page a pager link goes to */
	const char	*pager_rel, *pager_label;
	struct buf	 rows;
	json_t		*given;		/* the answer the reader got, while it is written */
	json_t		*given_p;	/* the passage of it being written */
};

/* The fills of the question queue's templates, one per template (tmpl.h). */
static int editor_question_history_row_fill(struct buf *, enum tmpl_editor_question_history_row_hole, void *);
static int editor_question_history_fill(struct buf *, enum tmpl_editor_question_history_hole, void *);
static int editor_question_count_fill(struct buf *, enum tmpl_editor_question_count_hole, void *);
static int editor_question_row_fill(struct buf *, enum tmpl_editor_question_row_hole, void *);
static int editor_questions_table_fill(struct buf *, enum tmpl_editor_questions_table_hole, void *);
static int editor_question_given_fill(struct buf *, enum tmpl_editor_question_given_hole, void *);
static int editor_question_h_article_fill(struct buf *, enum tmpl_editor_question_h_article_hole, void *);
static int editor_question_h_reason_fill(struct buf *, enum tmpl_editor_question_h_reason_hole, void *);
static int editor_questions_pager_fill(struct buf *, enum tmpl_editor_questions_pager_hole, void *);
static int editor_questions_pager_link_fill(struct buf *, enum tmpl_editor_questions_pager_link_hole, void *);
static int editor_question_link_error_fill(struct buf *, enum tmpl_editor_question_link_error_hole, void *);
static int editor_question_from_fill(struct buf *, enum tmpl_editor_question_from_hole, void *);
static int editor_question_answer_fill(struct buf *, enum tmpl_editor_question_answer_hole, void *);
static int editor_question_reader_link_fill(struct buf *, enum tmpl_editor_question_reader_link_hole, void *);
static int editor_question_actions_fill(struct buf *, enum tmpl_editor_question_actions_hole, void *);
static int editor_question_given_item_fill(struct buf *, enum tmpl_editor_question_given_item_hole, void *);
static int editor_questions_fill(struct buf *, enum tmpl_editor_questions_hole, void *);
static int editor_question_fill(struct buf *, enum tmpl_editor_question_hole, void *);

/* The query of the list page with page p, as an href. */
static void
list_href(struct buf *out, const struct qctx *c, long long p)
{
	buf_lit(out, "/editor/questions?page=");
	buf_int(out, p);
	if (c->filter != NULL) {
		buf_lit(out, "&amp;state=");
		buf_html(out, c->filter);
	}
	if (c->sort != NULL) {
		buf_lit(out, "&amp;sort=");
		buf_html(out, c->sort);
	}
}

static int
fill_history(struct buf *out, struct qctx *c)
{
	struct buf rows = BUF_INIT;
	struct qhist *steps;
	int	 n, rc = 0;

	if (queue_history(&c->r->dom, c->q.id, &steps, &n) != OUT_OK)
		return -1;
	for (int i = 0; i < n && rc == 0; i++) {
		c->h = &steps[i];
		rc = tmpl_render_editor_question_history_row(&rows, editor_question_history_row_fill, c);
	}
	c->h = NULL;
	if (rc == 0 && rows.len == 0) {
		c->message = "No editor has acted on this question yet.";
		rc = editor_empty_write(out, c->message);
	} else if (rc == 0) {
		c->rows = rows;
		rc = tmpl_render_editor_question_history(out, editor_question_history_fill, c);
		memset(&c->rows, 0, sizeof(c->rows));
	}
	buf_free(&rows);
	return rc == -1 ? -1 : 0;
}

static int
fill_options(struct buf *out, struct qctx *c, int which)
{
	if (which == 0) {
		if (editor_option_write(out, "", "All states", c->filter == NULL) == -1)
			return -1;
		for (size_t i = 0; i < QSTATE__MAX; i++)
			if (editor_option_write(out, qstates[i].code, qstates[i].label, c->filter != NULL &&
			    strcmp(c->filter, qstates[i].code) == 0) == -1)
				return -1;
		return 0;
	}
	for (size_t i = 0; i < QUEUE_SORTS; i++) {
		if (editor_option_write(out, queue_sorts[i].code, queue_sorts[i].label, c->sort != NULL ?
		    strcmp(c->sort, queue_sorts[i].code) == 0 : i == 0) == -1)
			return -1;
	}
	return 0;
}

static int
fill_counts(struct buf *out, struct qctx *c)
{
	int	 counts[QSTATE__MAX];

	if (queue_counts(&c->r->dom, counts) != OUT_OK)
		return -1;
	for (size_t i = 0; i < QSTATE__MAX; i++) {
		c->ci = (int)i;
		c->count = counts[i];
		if (tmpl_render_editor_question_count(out, editor_question_count_fill, c) == -1)
			return -1;
	}
	return 0;
}

static int
fill_table(struct buf *out, struct qctx *c)
{
	struct buf rows = BUF_INIT;
	int	 rc;

	for (int i = 0; i < c->list.n; i++) {
		c->q = c->list.rows[i];
		if (tmpl_render_editor_question_row(&rows, editor_question_row_fill, c) == -1) {
			buf_free(&rows);
			return -1;
		}
	}
	if (rows.len == 0) {
		buf_free(&rows);
		c->message = "No question matches.";
		return editor_empty_write(out, c->message);
	}
	c->rows = rows;
	rc = tmpl_render_editor_questions_table(out, editor_questions_table_fill, c);
	memset(&c->rows, 0, sizeof(c->rows));
	buf_free(&rows);
	return rc;
}

/* What the reader was given, from the stored answer: whether it was called answered, and each passage
 * (its article and section, linked, and its review state); a dash when there were none. */
static int
answer_given_write(struct buf *out, struct qctx *c)
{
	json_t	*a = c->q.answer_json ? json_loads(c->q.answer_json, 0, NULL) : NULL;
	int	 rc = 0;

	if (json_array_size(json_object_get(a, "passages")) == 0)
		buf_lit(out, "&ndash;");
	else {
		c->given = a;
		rc = tmpl_render_editor_question_given(out, editor_question_given_fill, c);
		c->given = NULL;
	}
	json_decref(a);
	return rc;
}

static const char *
given_str(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

static int
editor_question_history_row_fill(struct buf *out, enum tmpl_editor_question_history_row_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTION_HISTORY_ROW_AT:
		page_write_time(out, c->h->at, 0);
		return 0;
	case TH_EDITOR_QUESTION_HISTORY_ROW_AT_HUMAN:
		page_write_time(out, c->h->at, 1);
		return 0;
	case TH_EDITOR_QUESTION_HISTORY_ROW_H_ACTION: {
		const char *a = c->h->action;

		buf_html(out, strcmp(a, "link") == 0 ? "linked an article:" : strcmp(a, "new_article") == 0 ?
		    "started a new article:" : "dismissed:");
		return 0;
	}
	case TH_EDITOR_QUESTION_HISTORY_ROW_H_FROM:
		buf_html(out, qstate_label(c->h->from));
		return 0;
	case TH_EDITOR_QUESTION_HISTORY_ROW_H_TO:
		buf_html(out, qstate_label(c->h->to));
		return 0;
	case TH_EDITOR_QUESTION_HISTORY_ROW_ACTOR:
		buf_html(out, c->h->actor ? c->h->actor : "a removed account");
		return 0;
	case TH_EDITOR_QUESTION_HISTORY_ROW_H_ARTICLE:
		if (c->h->article != 0)
			return tmpl_render_editor_question_h_article(out, editor_question_h_article_fill, c);
		return 0;
	case TH_EDITOR_QUESTION_HISTORY_ROW_H_REASON:
		if (c->h->reason != NULL)
			return tmpl_render_editor_question_h_reason(out, editor_question_h_reason_fill, c);
		return 0;
	}
	return -1;
}

static int
editor_question_history_fill(struct buf *out, enum tmpl_editor_question_history_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTION_HISTORY_ROWS:
		/* trusted: rows rendered through their templates just before */
		buf_trusted(out, c->rows.p, c->rows.len);
		return 0;
	}
	return -1;
}

static int
editor_question_count_fill(struct buf *out, enum tmpl_editor_question_count_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTION_COUNT_COUNT_STATE:
		buf_html(out, qstates[c->ci].code);
		return 0;
	case TH_EDITOR_QUESTION_COUNT_COUNT_LABEL:
		buf_html(out, qstates[c->ci].label);
		return 0;
	case TH_EDITOR_QUESTION_COUNT_COUNT:
		buf_int(out, c->count);
		return 0;
	}
	return -1;
}

static int
editor_question_row_fill(struct buf *out, enum tmpl_editor_question_row_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTION_ROW_QID:
		buf_int(out, c->q.id);
		return 0;
	case TH_EDITOR_QUESTION_ROW_QTEXT:
		buf_html(out, c->q.text);
		return 0;
	case TH_EDITOR_QUESTION_ROW_QSTATE:
		buf_html(out, c->q.state);
		return 0;
	case TH_EDITOR_QUESTION_ROW_QSTATE_LABEL:
		buf_html(out, qstate_label(c->q.state));
		return 0;
	case TH_EDITOR_QUESTION_ROW_ASKED:
		buf_int(out, c->q.asked);
		return 0;
	case TH_EDITOR_QUESTION_ROW_AUDIENCE: {
		const struct audience *a = audience_find(c->q.audience);

		buf_html(out, a ? a->label : c->q.audience);
		return 0;
	}
	case TH_EDITOR_QUESTION_ROW_FROM:
		if (c->q.from_id && c->q.from_question)
			return tmpl_render_editor_question_from(out, editor_question_from_fill, c);
		buf_lit(out, "&ndash;");
		return 0;
	case TH_EDITOR_QUESTION_ROW_CREATED:
		page_write_time(out, c->q.created, 0);
		return 0;
	case TH_EDITOR_QUESTION_ROW_CREATED_HUMAN:
		page_write_time(out, c->q.created, 1);
		return 0;
	case TH_EDITOR_QUESTION_ROW_LAST:
		page_write_time(out, c->q.last, 0);
		return 0;
	case TH_EDITOR_QUESTION_ROW_LAST_HUMAN:
		page_write_time(out, c->q.last, 1);
		return 0;
	}
	return -1;
}

static int
editor_questions_table_fill(struct buf *out, enum tmpl_editor_questions_table_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTIONS_TABLE_ROWS:
		/* trusted: rows rendered through their templates just before */
		buf_trusted(out, c->rows.p, c->rows.len);
		return 0;
	}
	return -1;
}

static int
editor_question_given_fill(struct buf *out, enum tmpl_editor_question_given_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTION_GIVEN_GIVEN_STATE:
		buf_html(out, strcmp(given_str(c->given, "state"), "answered") == 0 ?
		    "Answered from these passages:" : "Not answered; the closest passages it was shown:");
		return 0;
	case TH_EDITOR_QUESTION_GIVEN_GIVEN_ITEMS: {
		size_t	 i;

		json_array_foreach(json_object_get(c->given, "passages"), i, c->given_p)
			if (tmpl_render_editor_question_given_item(out, editor_question_given_item_fill, c) == -1)
				return -1;
		return 0;
	}
	}
	return -1;
}

static int
editor_question_h_article_fill(struct buf *out, enum tmpl_editor_question_h_article_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTION_H_ARTICLE_H_ARTICLE_ID:
		buf_int(out, c->h->article);
		return 0;
	}
	return -1;
}

static int
editor_question_h_reason_fill(struct buf *out, enum tmpl_editor_question_h_reason_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTION_H_REASON_H_REASON_TEXT:
		buf_html(out, c->h->reason);
		return 0;
	}
	return -1;
}

static int
editor_questions_pager_fill(struct buf *out, enum tmpl_editor_questions_pager_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTIONS_PAGER_PAGE:
		buf_int(out, c->page);
		return 0;
	case TH_EDITOR_QUESTIONS_PAGER_PAGES:
		buf_int(out, c->pages);
		return 0;
	case TH_EDITOR_QUESTIONS_PAGER_PREV:
		if (c->page > 1) {
			c->pager_page = c->page - 1;
			c->pager_rel = "prev";
			c->pager_label = "Previous page";
			return tmpl_render_editor_questions_pager_link(out, editor_questions_pager_link_fill, c);
		}
		return 0;
	case TH_EDITOR_QUESTIONS_PAGER_NEXT:
		if (c->page < c->pages) {
			c->pager_page = c->page + 1;
			c->pager_rel = "next";
			c->pager_label = "Next page";
			return tmpl_render_editor_questions_pager_link(out, editor_questions_pager_link_fill, c);
		}
		return 0;
	}
	return -1;
}

static int
editor_questions_pager_link_fill(struct buf *out, enum tmpl_editor_questions_pager_link_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTIONS_PAGER_LINK_PAGER_HREF:
		list_href(out, c, c->pager_page);
		return 0;
	case TH_EDITOR_QUESTIONS_PAGER_LINK_PAGER_REL:
		buf_html(out, c->pager_rel);
		return 0;
	case TH_EDITOR_QUESTIONS_PAGER_LINK_PAGER_LABEL:
		buf_html(out, c->pager_label);
		return 0;
	}
	return -1;
}

static int
editor_question_link_error_fill(struct buf *out, enum tmpl_editor_question_link_error_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTION_LINK_ERROR_LINK_ERROR_TEXT:
		buf_html(out, c->link_error);
		return 0;
	}
	return -1;
}

static int
editor_question_from_fill(struct buf *out, enum tmpl_editor_question_from_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTION_FROM_FROM_ID:
		buf_int(out, c->q.from_id);
		return 0;
	case TH_EDITOR_QUESTION_FROM_FROM_QUESTION:
		buf_html(out, c->q.from_question);
		return 0;
	}
	return -1;
}

static int
editor_question_answer_fill(struct buf *out, enum tmpl_editor_question_answer_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTION_ANSWER_ANSWER_ID:
		buf_int(out, c->q.answer_id);
		return 0;
	}
	return -1;
}

static int
editor_question_reader_link_fill(struct buf *out, enum tmpl_editor_question_reader_link_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTION_READER_LINK_TOKEN:
		buf_html(out, c->q.token);
		return 0;
	}
	return -1;
}

static int
editor_question_actions_fill(struct buf *out, enum tmpl_editor_question_actions_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTION_ACTIONS_QID:
		buf_int(out, c->q.id);
		return 0;
	case TH_EDITOR_QUESTION_ACTIONS_CSRF:
		buf_html(out, c->csrf);
		return 0;
	case TH_EDITOR_QUESTION_ACTIONS_LINK_ERROR:
		if (c->link_error != NULL)
			return tmpl_render_editor_question_link_error(out, editor_question_link_error_fill, c);
		return 0;
	}
	return -1;
}

static int
editor_question_given_item_fill(struct buf *out, enum tmpl_editor_question_given_item_hole hole, void *arg)
{
	struct qctx *c = arg;

	switch (hole) {
	case TH_EDITOR_QUESTION_GIVEN_ITEM_GIVEN_URL:
		buf_html(out, given_str(c->given_p, "url")[0] == '/' ? given_str(c->given_p, "url") : "/");
		return 0;
	case TH_EDITOR_QUESTION_GIVEN_ITEM_GIVEN_QUESTION:
		buf_html(out, given_str(c->given_p, "question"));
		return 0;
	case TH_EDITOR_QUESTION_GIVEN_ITEM_GIVEN_HEADING:
		buf_html(out, given_str(c->given_p, "heading")[0] ? given_str(c->given_p, "heading") :
		    "Introduction");
		return 0;
	case TH_EDITOR_QUESTION_GIVEN_ITEM_GIVEN_PASSAGE_STATE:
		buf_html(out, given_str(c->given_p, "state"));
		return 0;
	}
	return -1;
}

static int
editor_questions_fill(struct buf *out, enum tmpl_editor_questions_hole hole, void *arg)
{
	struct qctx *c = arg;
	struct req *r = c->r;

	switch (hole) {
	case TH_EDITOR_QUESTIONS_BAR:
		return editor_bar_write(out, r, c->csrf);
	case TH_EDITOR_QUESTIONS_COUNTS:
		return fill_counts(out, c);
	case TH_EDITOR_QUESTIONS_LIST_HEADING:
		buf_html(out, c->filter ? qstate_label(c->filter) : "All questions");
		return 0;
	case TH_EDITOR_QUESTIONS_STATE_OPTIONS:
		return fill_options(out, c, 0);
	case TH_EDITOR_QUESTIONS_SORT_OPTIONS:
		return fill_options(out, c, 1);
	case TH_EDITOR_QUESTIONS_TABLE:
		return fill_table(out, c);
	case TH_EDITOR_QUESTIONS_PAGER:
		if (c->pages > 1)
			return tmpl_render_editor_questions_pager(out, editor_questions_pager_fill, c);
		return 0;
	}
	return -1;
}

/* The page's main part (page_render()). */
static int
editor_questions_main(struct buf *out, void *arg)
{
	return tmpl_render_editor_questions(out, editor_questions_fill, arg);
}

static int
editor_question_fill(struct buf *out, enum tmpl_editor_question_hole hole, void *arg)
{
	struct qctx *c = arg;
	struct req *r = c->r;

	switch (hole) {
	case TH_EDITOR_QUESTION_BAR:
		return editor_bar_write(out, r, c->csrf);
	case TH_EDITOR_QUESTION_QTEXT:
		buf_html(out, c->q.text);
		return 0;
	case TH_EDITOR_QUESTION_QSTATE:
		buf_html(out, c->q.state);
		return 0;
	case TH_EDITOR_QUESTION_QSTATE_LABEL:
		buf_html(out, qstate_label(c->q.state));
		return 0;
	case TH_EDITOR_QUESTION_ASKED:
		buf_int(out, c->q.asked);
		return 0;
	case TH_EDITOR_QUESTION_TIMES:
		buf_html(out, c->q.asked == 1 ? "time" : "times");
		return 0;
	case TH_EDITOR_QUESTION_AUDIENCE: {
		const struct audience *a = audience_find(c->q.audience);

		buf_html(out, a ? a->label : c->q.audience);
		return 0;
	}
	case TH_EDITOR_QUESTION_FROM:
		if (c->q.from_id && c->q.from_question)
			return tmpl_render_editor_question_from(out, editor_question_from_fill, c);
		buf_lit(out, "&ndash;");
		return 0;
	case TH_EDITOR_QUESTION_CREATED:
		page_write_time(out, c->q.created, 0);
		return 0;
	case TH_EDITOR_QUESTION_CREATED_HUMAN:
		page_write_time(out, c->q.created, 1);
		return 0;
	case TH_EDITOR_QUESTION_LAST:
		page_write_time(out, c->q.last, 0);
		return 0;
	case TH_EDITOR_QUESTION_LAST_HUMAN:
		page_write_time(out, c->q.last, 1);
		return 0;
	case TH_EDITOR_QUESTION_ANSWER:
		if (c->q.answer_id)
			return tmpl_render_editor_question_answer(out, editor_question_answer_fill, c);
		return answer_given_write(out, c);
	case TH_EDITOR_QUESTION_READER_LINK:
		if (r->user->role >= ROLE_EDITOR)
			return tmpl_render_editor_question_reader_link(out, editor_question_reader_link_fill, c);
		return 0;
	case TH_EDITOR_QUESTION_ACTIONS:
		if (r->user->role >= ROLE_EDITOR)
			return tmpl_render_editor_question_actions(out, editor_question_actions_fill, c);
		return 0;
	case TH_EDITOR_QUESTION_HISTORY:
		return fill_history(out, c);
	}
	return -1;
}

/* The page's main part (page_render()). */
static int
editor_question_main(struct buf *out, void *arg)
{
	return tmpl_render_editor_question(out, editor_question_fill, arg);
}

static int
q_page(struct qctx *c, const char *title, int (*main)(struct buf *, void *))
{
	int	 rc;

	if ((c->csrf = auth_csrf(c->r)) == NULL)
		return 500;
	req_cache(c->r, CACHE_NO_STORE);	/* before page_render, whose default it replaces */
	c->r->noindex = 1;
	rc = page_render(c->r, title, main, c);
	buf_free(&c->rows);
	return rc;
}

/* Reads state, sort and page, and the page of the list they name. Returns 0, 400 or 500. */
static int
list_params(struct req *r, struct qctx *c, long long per)
{
	int	 rc;

	if ((rc = req_outcome(r, queue_page(&r->dom, r->fields[KEY_QSTATE].present ? r->fields[KEY_QSTATE].str :
	    NULL, r->fields[KEY_SORT].present ? r->fields[KEY_SORT].str : NULL, r->fields[KEY_PAGE].present ?
	    r->fields[KEY_PAGE].num : 1, per, &c->list))) != 200)
		return rc;
	c->filter = c->list.state;
	c->sort = c->list.sort;
	c->page = c->list.page;
	c->pages = c->list.pages;
	c->total = c->list.total;
	return 0;
}

int
editor_questions(struct req *r)
{
	struct qctx c;
	int	 rc;

	if ((rc = auth_require(r, ROLE_REVIEWER)) != 0)
		return rc;
	memset(&c, 0, sizeof(c));
	c.r = r;
	if ((rc = list_params(r, &c, QUEUE_PER_PAGE)) != 0)
		return rc;
	return q_page(&c, "Readers' questions", editor_questions_main);
}

int
editor_question(struct req *r)
{
	struct qctx c;
	int	 rc;

	if ((rc = auth_require(r, ROLE_REVIEWER)) != 0)
		return rc;
	memset(&c, 0, sizeof(c));
	c.r = r;
	if ((rc = req_outcome(r, queue_get(&r->dom, r->id, &c.q))) != 200)
		return rc;
	return q_page(&c, "A reader's question", editor_question_main);
}

static int
back_to_question(struct req *r)
{
	char	 loc[64];

	snprintf(loc, sizeof(loc), "/editor/questions/%lld", r->id);
	req_location(r, loc);
	req_cache(r, CACHE_NO_STORE);
	return 303;
}

int
editor_question_link(struct req *r)
{
	int	 rc;

	if ((rc = auth_require(r, ROLE_EDITOR)) != 0)
		return rc;
	if ((rc = req_outcome(r, queue_change(&r->dom, r->id, 0, r->fields[KEY_ARTICLE].present ?
	    r->fields[KEY_ARTICLE].num : 0, NULL))) == 400 || rc == 404) {
		/* the question page again, the message beside the form, not a bare error page */
		struct qctx c;
		char	 msg[300];
		int	 st = rc;

		snprintf(msg, sizeof(msg), "%s", r->nerrors > 0 ? r->errors[0].detail : r->detail);
		memset(&c, 0, sizeof(c));
		c.r = r;
		c.link_error = msg;
		if ((rc = req_outcome(r, queue_get(&r->dom, r->id, &c.q))) != 200)
			return rc;
		if ((rc = q_page(&c, "A reader's question", editor_question_main)) != 200)
			return rc;
		r->keep_body = 1;
		return st == 404 ? 400 : st;
	}
	if (rc != 200)
		return rc;
	return back_to_question(r);
}

int
editor_question_dismiss(struct req *r)
{
	int	 rc;

	if ((rc = auth_require(r, ROLE_EDITOR)) != 0)
		return rc;
	if ((rc = req_outcome(r, queue_change(&r->dom, r->id, 1, 0, r->fields[KEY_REASON].present ?
	    r->fields[KEY_REASON].str : NULL))) != 200)
		return rc;
	return back_to_question(r);
}

int
editor_question_article_form(struct req *r)
{
	struct qrow q;
	int	 rc;

	if ((rc = auth_require(r, ROLE_EDITOR)) != 0)
		return rc;
	if ((rc = req_outcome(r, queue_get(&r->dom, r->id, &q))) != 200)
		return rc;
	return editor_form_for_question(r, r->id, q.text);
}

int
editor_question_article(struct req *r)
{
	struct qrow q;
	int	 rc;

	if ((rc = auth_require(r, ROLE_EDITOR)) != 0)
		return rc;
	if ((rc = req_outcome(r, queue_get(&r->dom, r->id, &q))) != 200)
		return rc;
	return editor_save_for_question(r, r->id);
}

static int
editor_questions_link_fill(struct buf *out, enum tmpl_editor_questions_link_hole hole, void *arg)
{
	switch (hole) {
	case TH_EDITOR_QUESTIONS_LINK_QUEUED:
		buf_int(out, *(int *)arg);
		return 0;
	}
	return -1;
}

int
queue_dashboard_link(struct buf *out, struct req *r)
{
	int	 counts[QSTATE__MAX], n;

	if (r->user == NULL || r->user->role < ROLE_REVIEWER)
		return 0;
	n = queue_counts(&r->dom, counts) == OUT_OK ? counts[QSTATE_QUEUED] : 0;
	return tmpl_render_editor_questions_link(out, editor_questions_link_fill, &n);
}

/* ---- the asker's page ---- */

struct ans_ctx {
	const char	*heading, *message, *href, *title;
};

static int
answer_editors_link_fill(struct buf *out, enum tmpl_answer_editors_link_hole hole, void *arg)
{
	struct ans_ctx *a = arg;

	switch (hole) {
	case TH_ANSWER_EDITORS_LINK_HREF:
		buf_html(out, a->href);
		return 0;
	case TH_ANSWER_EDITORS_LINK_TITLE:
		buf_html(out, a->title);
		return 0;
	}
	return -1;
}

static int
answer_editors_fill(struct buf *out, enum tmpl_answer_editors_hole hole, void *arg)
{
	struct ans_ctx *a = arg;

	switch (hole) {
	case TH_ANSWER_EDITORS_HEADING:
		buf_html(out, a->heading);
		return 0;
	case TH_ANSWER_EDITORS_MESSAGE:
		buf_html(out, a->message);
		return 0;
	case TH_ANSWER_EDITORS_ARTICLE_LINK:
		if (a->href != NULL)
			return tmpl_render_answer_editors_link(out, answer_editors_link_fill, a);
		return 0;
	}
	return -1;
}

int
queue_editors_answer(struct req *r, const char *token, struct buf *out, json_t **json)
{
	struct qanswer qa;
	enum outcome oc;
	struct ans_ctx a = { "An answer is being written", "The editorial team has started an article that "
	    "answers this question. It is not reviewed yet: this page will link to it once it has been "
	    "approved.", NULL, NULL };
	char	 url[256], api[64];
	int	 approved;
	long long id;

	*json = NULL;
	if ((oc = queue_answer(&r->dom, token, &qa)) != OUT_OK)
		return oc == OUT_NOT_FOUND ? 0 : -1;
	id = qa.article;
	/* an approved revision implies a newest one: archived hides the answer again */
	approved = qa.approved != 0 && qa.latest != STATE_ARCHIVED;
	link_article(url, sizeof(url), id, qa.slug, 0, NULL);
	snprintf(api, sizeof(api), "/api/v1/articles/%lld", id);
	if (approved) {
		a.heading = "Answered by the editors";
		a.message = "The editorial team has answered this question in a reviewed article:";
		a.href = req_strdup(r, url);
		a.title = qa.question;
	}
	if (approved)
		*json = json_pack("{s:s, s:I, s:s, s:s, s:s}", "status", "approved", "article_id", (json_int_t)id,
		    "question", a.title ? a.title : "", "url", url, "api_url", api);
	else
		*json = json_pack("{s:s}", "status", "being_written");
	if (*json == NULL)
		return -1;
	return out ? tmpl_render_answer_editors(out, answer_editors_fill, &a) : 0;
}
