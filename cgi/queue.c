/* queue.c: what editors do with readers' questions, as the domain does it: reading a question,
 * linking the article that answers it, dismissing it, with their history rows (see queue.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "codes.h"
#include "db.h"
#include "domain.h"
#include "log.h"
#include "queue.h"
#include "util.h"
#include "workflow.h"

const struct queue_sort queue_sorts[QUEUE_SORTS] = {
	{ "queued", "Queued first, most asked" },
	{ "asked", "Most asked first" },
	{ "newest", "Newest first" },
	{ "oldest", "Oldest first" },
	{ "last_asked", "Asked most recently" },
};

enum outcome
queue_page(struct dom *d, const char *state, const char *sort, long long page, long long per,
    struct queue_list *out)
{
	struct dbq *s;
	int	 rc, cap = 0;

	memset(out, 0, sizeof(*out));
	out->state = state;
	out->page = page;
	if (sort != NULL) {
		int	 i;

		for (i = 0; i < QUEUE_SORTS && strcmp(sort, queue_sorts[i].code) != 0; i++)
			continue;
		if (i == QUEUE_SORTS)
			return dom_field_error(d, "sort", "must be queued, asked, newest, oldest or last_asked.");
		out->sort = queue_sorts[i].code;
	}
	s = db_stmt(d->db, STMT_QUEUE_COUNT);
	if (state != NULL)
		db_bind_text(s, 1, state);
	out->total = db_step(s) == DB_ROW ? db_int64(s, 0) : 0;
	db_reset(s);
	out->pages = out->total == 0 ? 1 : (out->total + per - 1) / per;
	if (page > out->pages)
		return dom_field_error(d, "page", "must be from 1 to %lld: %lld questions match, %lld to a page.",
		    out->pages, out->total, per);
	s = db_stmt(d->db, STMT_QUEUE_ROWS);
	if (state != NULL)
		db_bind_text(s, 1, state);
	if (out->sort != NULL)
		db_bind_text(s, 2, out->sort);
	db_bind_int(s, 3, per);
	db_bind_int(s, 4, (page - 1) * per);
	while ((rc = db_step(s)) == DB_ROW) {
		if ((out->rows = arena_grow(d->arena, out->rows, out->n, &cap, sizeof(out->rows[0]))) == NULL) {
			out->n = 0;
			db_reset(s);
			return OUT_FAILED;
		}
		memset(&out->rows[out->n], 0, sizeof(out->rows[0]));
		queue_row_read(d, s, &out->rows[out->n++]);
	}
	db_reset(s);
	return rc == DB_DONE ? OUT_OK : OUT_FAILED;
}

enum outcome
queue_counts(struct dom *d, int counts[QSTATE__MAX])
{
	struct dbq *s = db_stmt(d->db, STMT_QUEUE_COUNTS);
	int	 rc;

	for (int i = 0; i < QSTATE__MAX; i++)
		counts[i] = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		enum qstate st = qstate_find(db_text(s, 0));

		if (st != QSTATE__MAX)
			counts[st] = db_int(s, 1);
	}
	db_reset(s);
	return rc == DB_DONE ? OUT_OK : OUT_FAILED;
}

void
queue_row_read(struct dom *d, void *stmt, struct qrow *q)
{
	struct dbq *s = stmt;

	q->id = db_int64(s, 0);
	q->text = arena_strdup(d->arena, db_text(s, 1));
	q->state = arena_strdup(d->arena, db_text(s, 2));
	q->asked = db_int64(s, 3);
	q->audience = arena_strdup(d->arena, db_text(s, 4));
	q->created = arena_strdup(d->arena, db_text(s, 5));
	q->last = arena_strdup(d->arena, db_text(s, 6));
	q->from_id = db_int64(s, 7);
	q->from_slug = arena_strdup(d->arena, db_text(s, 8));
	q->from_question = arena_strdup(d->arena, db_text(s, 9));
	q->answer_id = db_int64(s, 10);
	q->token = arena_strdup(d->arena, db_text(s, 11));
}

enum outcome
queue_get(struct dom *d, long long id, struct qrow *q)
{
	struct dbq *s = db_stmt(d->db, STMT_QUEUE_GET);
	int	 rc;

	db_bind_int(s, 1, id);
	rc = db_step(s);
	if (rc == DB_ROW) {
		queue_row_read(d, s, q);
		q->answer_json = db_text(s, 12) ? arena_strdup(d->arena, db_text(s, 12)) : NULL;
	}
	db_reset(s);
	if (rc != DB_ROW)
		return rc == DB_DONE ? dom_fail(d, OUT_NOT_FOUND, "There is no question %lld.", id) :
		    OUT_FAILED;
	return q->text && q->state ? OUT_OK : OUT_FAILED;
}

/* ---- changes ---- */

static int
history_add(struct dom *d, long long qid, const char *action, const char *from, const char *to,
    long long article, const char *reason)
{
	struct dbq *s = db_stmt(d->db, STMT_QUEUE_HISTORY_ADD);
	char	 now[21];
	int	 rc;

	time_now_iso(now);
	db_bind_int(s, 1, qid);
	db_bind_text(s, 2, action);
	db_bind_text(s, 3, from);
	db_bind_text(s, 4, to);
	if (article)
		db_bind_int(s, 5, article);
	db_bind_int(s, 6, d->actor->id);
	if (reason != NULL && reason[0] != '\0')
		db_bind_text(s, 7, reason);
	db_bind_text(s, 8, now);
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		log_warnx("question history: %s", db_errmsg(d->db));
		return -1;
	}
	return 0;
}

static int
set_state(struct dom *d, long long qid, const char *state, long long article)
{
	struct dbq *s = db_stmt(d->db, STMT_QUEUE_SET_STATE);
	int	 rc;

	db_bind_int(s, 1, qid);
	db_bind_text(s, 2, state);
	if (article)
		db_bind_int(s, 3, article);
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		log_warnx("question state: %s", db_errmsg(d->db));
		return -1;
	}
	return 0;
}

enum outcome
queue_link_locked(struct dom *d, long long qid, long long article, const char *action)
{
	struct qrow q;
	struct rev_info rev;
	enum outcome oc;

	if ((oc = queue_get(d, qid, &q)) != OUT_OK)
		return oc;
	if (article < 1)
		return dom_field_error(d, "article", "is required: the number of the article that answers "
		    "the question.");
	if (workflow_latest(d, article, &rev) != OUT_OK) {
		dom_clear(d);
		return dom_field_error(d, "article", "names no article: there is no article %lld.", article);
	}
	if (rev.state == STATE_ARCHIVED)
		return dom_field_error(d, "article", "names article %lld, which is archived: readers no "
		    "longer see it.", article);
	if (qstate_find(q.state) == QSTATE_ANSWERED_BY_EDITORS && q.answer_id == article)
		return dom_fail(d, OUT_CONFLICT, "Article %lld is already linked as the answer to this "
		    "question.", article);
	if (set_state(d, qid, qstates[QSTATE_ANSWERED_BY_EDITORS].code, article) == -1 ||
	    history_add(d, qid, action, q.state, qstates[QSTATE_ANSWERED_BY_EDITORS].code, article, NULL) == -1)
		return OUT_FAILED;
	return OUT_OK;
}

enum outcome
queue_change(struct dom *d, long long qid, int dismiss, long long article, const char *reason)
{
	struct qrow q;
	enum outcome oc;

	if (dismiss && reason != NULL && strlen(reason) > TEXT_REASON_MAX)
		return dom_field_error(d, "reason", "is %zu bytes long; at most %d are allowed.",
		    strlen(reason), TEXT_REASON_MAX);
	if (db_begin(d->db) == -1)
		return OUT_FAILED;
	if (!dismiss)
		oc = queue_link_locked(d, qid, article, "link");
	else if ((oc = queue_get(d, qid, &q)) == OUT_OK) {
		if (qstate_find(q.state) == QSTATE_DISMISSED)
			oc = dom_fail(d, OUT_CONFLICT, "This question is already dismissed.");
		else if (set_state(d, qid, qstates[QSTATE_DISMISSED].code, 0) == -1 ||
		    history_add(d, qid, "dismiss", q.state, qstates[QSTATE_DISMISSED].code, 0, reason) == -1)
			oc = OUT_FAILED;
	}
	if (oc != OUT_OK) {
		db_rollback(d->db);
		return oc;
	}
	return db_commit(d->db) == -1 ? OUT_FAILED : OUT_OK;
}


enum outcome
queue_history(struct dom *d, long long qid, struct qhist **out, int *nout)
{
	struct dbq *s = db_stmt(d->db, STMT_QUEUE_HISTORY);
	struct qhist *list = NULL, *h;
	int	 n = 0, cap = 0, rc;

	*out = NULL;
	*nout = 0;
	db_bind_int(s, 1, qid);
	while ((rc = db_step(s)) == DB_ROW) {
		if ((list = arena_grow(d->arena, list, n, &cap, sizeof(*list))) == NULL) {
			db_reset(s);
			return OUT_FAILED;
		}
		h = &list[n++];
		h->action = arena_strdup(d->arena, db_text(s, 0));
		h->from = arena_strdup(d->arena, db_text(s, 1));
		h->to = arena_strdup(d->arena, db_text(s, 2));
		h->article = !db_is_null(s, 3) ? db_int64(s, 3) : 0;
		h->actor = arena_strdup(d->arena, db_text(s, 4));
		h->reason = arena_strdup(d->arena, db_text(s, 5));
		h->at = arena_strdup(d->arena, db_text(s, 6));
		if (h->action == NULL) {
			db_reset(s);
			return OUT_FAILED;
		}
	}
	db_reset(s);
	if (rc != DB_DONE)
		return OUT_FAILED;
	*out = list;
	*nout = n;
	return OUT_OK;
}

enum outcome
queue_answer(struct dom *d, const char *token, struct qanswer *out)
{
	struct dbq *s = db_stmt(d->db, STMT_QUEUE_ANSWER);
	int	 rc;

	memset(out, 0, sizeof(*out));
	out->latest = STATE__MAX;
	db_bind_text(s, 1, token);
	if ((rc = db_step(s)) == DB_ROW) {
		out->article = db_int64(s, 0);
		out->slug = arena_strdup(d->arena, db_text(s, 1));
		out->question = arena_strdup(d->arena, db_text(s, 2));
		out->approved = !db_is_null(s, 3) ? db_int(s, 3) : 0;
		out->latest = state_find(db_text(s, 4));
	}
	db_reset(s);
	return rc == DB_ROW ? OUT_OK : rc == DB_DONE ? OUT_NOT_FOUND : OUT_FAILED;
}
