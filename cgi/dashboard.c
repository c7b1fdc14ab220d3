/* dashboard.c: the editors' overview of the articles, as the domain reads it (see dashboard.h). */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "codes.h"
#include "dashboard.h"
#include "db.h"
#include "domain.h"

/* Reads one row of the dashboard_rows statement into v. */
static void
row_read(struct dom *d, struct dbq *s, struct dash_row *v)
{
	v->id = db_int64(s, 0);
	v->slug = arena_strdup(d->arena, db_text(s, 1));
	v->number = db_int(s, 2);
	v->question = arena_strdup(d->arena, db_text(s, 3));
	v->state = arena_strdup(d->arena, db_text(s, 4));
	v->state_at = arena_strdup(d->arena, db_text(s, 5));
	v->author = arena_strdup(d->arena, db_text(s, 6));
	v->author_user_id = db_int64(s, 7);
	v->review_by = arena_strdup(d->arena, db_text(s, 8));
}

/* 1 when the article of row v waits for the actor (dashboard_waiting()). */
static int
waits_for(const struct dom *d, const struct dash_row *v)
{
	const struct user *u = d->actor;
	enum state st = state_find(v->state);

	if (u == NULL)
		return 0;
	if (u->role >= ROLE_REVIEWER)
		return (st == STATE_SUBMITTED || st == STATE_UNDER_REVIEW) && v->author_user_id != u->id;
	return st == STATE_CHANGES_REQUESTED && v->author_user_id == u->id;
}

/* The rows of dashboard_rows for state and sort, only those that wait for the actor when waiting. */
static enum outcome
list(struct dom *d, const char *state, const char *sort, int waiting, struct dash_row **out, int *nout)
{
	struct dbq *s = db_stmt(d->db, STMT_DASHBOARD_ROWS);
	struct dash_row *rows = NULL, v;
	int	 n = 0, cap = 0, rc;

	*out = NULL;
	*nout = 0;
	if (state != NULL)
		db_bind_text(s, 1, state);
	db_bind_text(s, 2, sort != NULL ? sort : "newest");
	while ((rc = db_step(s)) == DB_ROW) {
		row_read(d, s, &v);
		if (waiting && !waits_for(d, &v))
			continue;
		if ((rows = arena_grow(d->arena, rows, n, &cap, sizeof(*rows))) == NULL) {
			db_reset(s);
			return OUT_FAILED;
		}
		rows[n++] = v;
	}
	db_reset(s);
	if (rc != DB_DONE)
		return OUT_FAILED;
	*out = rows;
	*nout = n;
	return OUT_OK;
}

enum outcome
dashboard_list(struct dom *d, const char *state, const char *sort, struct dash_row **out, int *n)
{
	return list(d, state, sort, 0, out, n);
}

enum outcome
dashboard_waiting(struct dom *d, struct dash_row **out, int *n)
{
	return list(d, NULL, "oldest", 1, out, n);
}

enum outcome
dashboard_counts(struct dom *d, int counts[STATE__MAX])
{
	struct dbq *s = db_stmt(d->db, STMT_DASHBOARD_COUNTS);
	int	 rc;

	for (int i = 0; i < STATE__MAX; i++)
		counts[i] = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		enum state st = state_find(db_text(s, 0));

		if (st < STATE__MAX)
			counts[st] = db_int(s, 1);
	}
	db_reset(s);
	return rc == DB_DONE ? OUT_OK : OUT_FAILED;
}
