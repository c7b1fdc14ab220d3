/* workflow.c: review transitions, the audit trail and saving revisions (see workflow.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "db.h"
#include "log.h"
#include "req.h"
#include "section.h"
#include "server.h"
#include "util.h"
#include "queue.h"
#include "workflow.h"

#define REVIEW_DAYS_DEFAULT	365

void
workflow_rev_row(struct req *r, void *stmt, struct rev_info *v)
{
	sqlite3_stmt *s = stmt;

	v->id = sqlite3_column_int64(s, 0);
	v->number = sqlite3_column_int(s, 1);
	v->question = req_strdup(r, db_text(s, 2));
	v->author = req_strdup(r, db_text(s, 3));
	v->created_at = req_strdup(r, db_text(s, 4));
	v->state = state_find(db_text(s, 5));
	v->state_at = req_strdup(r, db_text(s, 6));
	v->author_user_id = sqlite3_column_int64(s, 7);
	v->slug = req_strdup(r, db_text(s, 8));
	v->owner_user_id = 0;
	v->user_wrote = 0;
}

int
workflow_latest(struct req *r, long long id, struct rev_info *out)
{
	sqlite3_stmt *s = db_stmt(r->db, STMT_REVISION_LATEST);

	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return req_fail(r, 404, "There is no article with the number %lld.", id);
	}
	workflow_rev_row(r, s, out);
	sqlite3_reset(s);
	s = db_stmt(r->db, STMT_ARTICLE_OWNER);
	sqlite3_bind_int64(s, 1, id);
	out->owner_user_id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	out->user_wrote = 0;
	if (r->user != NULL) {
		s = db_stmt(r->db, STMT_REVISION_WRITTEN_SINCE_APPROVAL);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, r->user->id);
		if (sqlite3_step(s) == SQLITE_ROW)
			out->user_wrote = sqlite3_column_int(s, 0);
		sqlite3_reset(s);
	}
	return out->state == STATE__MAX || out->question == NULL ? 500 : 200;
}

/* 1 when the request's user wrote this revision. */
static int
wrote(const struct req *r, const struct rev_info *rev)
{
	return r->user != NULL && rev->author_user_id == r->user->id;
}

/* 1 when the request's user owns the article (wrote its first revision) or wrote this revision. */
static int
is_own(const struct req *r, const struct rev_info *rev)
{
	return r->user != NULL && (rev->owner_user_id == r->user->id || wrote(r, rev));
}

int
workflow_may_edit(const struct req *r, const struct rev_info *rev)
{
	if (r->user == NULL || (rev != NULL && rev->state == STATE_ARCHIVED))
		return 0;
	if (r->user->role >= ROLE_EDITOR)
		return 1;
	if (r->user->role == ROLE_AUTHOR)
		return rev == NULL || is_own(r, rev);
	return 0;
}

int
workflow_may(const struct req *r, const struct rev_info *rev, enum state to, char *why, size_t whysz)
{
	enum role role = r->user ? r->user->role : ROLE__MAX;
	enum state from = rev->state;
	int	 from_ok = 0, role_ok = 0;
	char	 dummy[8];

	if (why == NULL) {
		why = dummy;
		whysz = sizeof(dummy);
	}
	switch (to) {
	case STATE_SUBMITTED:		/* back from changes requested, as it is */
		from_ok = from == STATE_CHANGES_REQUESTED;
		role_ok = role >= ROLE_EDITOR || (role == ROLE_AUTHOR && is_own(r, rev));
		break;
	case STATE_UNDER_REVIEW:
		from_ok = from == STATE_SUBMITTED;
		role_ok = role >= ROLE_REVIEWER && role < ROLE__MAX;
		break;
	case STATE_CHANGES_REQUESTED:
		from_ok = from == STATE_SUBMITTED || from == STATE_UNDER_REVIEW;
		role_ok = role >= ROLE_REVIEWER && role < ROLE__MAX;
		break;
	case STATE_APPROVED:
		from_ok = from == STATE_UNDER_REVIEW;
		role_ok = role >= ROLE_REVIEWER && role < ROLE__MAX;
		break;
	case STATE_ARCHIVED:
		from_ok = from != STATE_ARCHIVED;
		role_ok = role >= ROLE_EDITOR && role < ROLE__MAX;
		break;
	default:
		snprintf(why, whysz, "That is not a review state.");
		return 0;
	}
	if (!role_ok) {
		snprintf(why, whysz, "Your role (%s) may not move an article to %s.",
		    role < ROLE__MAX ? role_names[role] : "none", states[to].label);
		return 0;
	}
	if (!from_ok) {
		snprintf(why, whysz, "Revision %d is %s; it cannot move to %s from there.", rev->number,
		    states[from].label, states[to].label);
		return 0;
	}
	if (to == STATE_APPROVED && wrote(r, rev)) {
		snprintf(why, whysz, "You wrote revision %d, so someone else must approve it.", rev->number);
		return 0;
	}
	if (to == STATE_APPROVED && rev->user_wrote > 0) {
		snprintf(why, whysz, "You wrote revision %d since this article was last approved, so someone "
		    "else must approve it.", rev->user_wrote);
		return 0;
	}
	return 1;
}

/* Appends an audit row. Returns 0 or -1. */
static int
audit_append(struct req *r, long long article, long long rev, const char *from, enum state to,
    const char *reason, const char *at)
{
	sqlite3_stmt *s = db_stmt(r->db, STMT_AUDIT_INSERT);
	int	 rc;

	sqlite3_bind_int64(s, 1, article);
	sqlite3_bind_int64(s, 2, rev);
	if (from != NULL)
		sqlite3_bind_text(s, 3, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, states[to].code, -1, SQLITE_STATIC);
	if (r->user != NULL)
		sqlite3_bind_int64(s, 5, r->user->id);
	if (reason != NULL && reason[0] != '\0')
		sqlite3_bind_text(s, 6, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, at, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_warnx("audit row: %s", sqlite3_errmsg(r->db->conn));
		return -1;
	}
	return 0;
}

int
workflow_transition(struct req *r, long long id, const char *to_code, const char *reason)
{
	struct rev_info rev;
	enum state to = state_find(to_code);
	char	 why[300], now[21], due[21];
	sqlite3_stmt *s;
	int	 rc;

	if (to == STATE__MAX)
		return req_field_error(r, "to", "must be one of submitted, under_review, changes_requested, "
		    "approved, archived.");
	if ((to == STATE_CHANGES_REQUESTED || to == STATE_ARCHIVED) && (reason == NULL || reason[0] == '\0'))
		return req_field_error(r, "reason", "is required to %s: say what needs to change or why.",
		    to == STATE_ARCHIVED ? "archive an article" : "request changes");
	if (reason != NULL && (strlen(reason) > 2000 || !utf8_valid(reason, strlen(reason))))
		return req_field_error(r, "reason", "must be text of at most 2000 bytes.");
	if (db_begin(r->db) == -1)
		return 500;
	if ((rc = workflow_latest(r, id, &rev)) != 200)
		goto fail;
	if (!workflow_may(r, &rev, to, why, sizeof(why))) {
		rc = req_fail(r, strstr(why, "cannot move") != NULL ? 409 : 403, "%s", why);
		goto fail;
	}
	if (to == STATE_APPROVED) {
		/* a clinical article rests on its sources: none, no approval (a draft may have none) */
		int	 refs;

		s = db_stmt(r->db, STMT_REFERENCE_NUMS);
		sqlite3_bind_int64(s, 1, rev.id);
		refs = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_reset(s);
		if (!refs) {
			rc = req_fail(r, 409, "Revision %d has no references; a clinical article needs at least one "
			    "before it can be approved. Add its sources and save a new revision.", rev.number);
			goto fail;
		}
	}
	time_now_iso(now);
	s = db_stmt(r->db, STMT_REVISION_SET_STATE);
	sqlite3_bind_int64(s, 1, rev.id);
	sqlite3_bind_text(s, 2, states[to].code, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE || audit_append(r, id, rev.id, states[rev.state].code, to, reason, now) == -1) {
		rc = 500;
		goto fail;
	}
	if (to == STATE_APPROVED) {
		int	 days = r->cfg && r->cfg->review_days > 0 ? r->cfg->review_days : REVIEW_DAYS_DEFAULT;
		time_t	 t = time_now() + (time_t)days * 86400;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(due, sizeof(due), "%Y-%m-%dT%H:%M:%SZ", &tm);
		s = db_stmt(r->db, STMT_ARTICLE_SET_REVIEW_BY);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, due, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			rc = 500;
			goto fail;
		}
	}
	/* the revision readers see may have changed: so have the searchable sections */
	if (section_refresh(r->db, id, why, sizeof(why)) == -1) {
		log_warnx("article %lld: %s", id, why);
		rc = 500;
		goto fail;
	}
	if (db_commit(r->db) == -1)
		return 500;
	return 200;
fail:
	db_rollback(r->db);
	return rc;
}

int
workflow_save(struct req *r, long long id, int base, struct revision_in *rev, long long *article_out,
    int *number_out)
{
	return workflow_save_question(r, id, base, rev, 0, article_out, number_out);
}

int
workflow_save_question(struct req *r, long long id, int base, struct revision_in *rev, long long qid,
    long long *article_out, int *number_out)
{
	struct rev_info latest;
	struct content_error ce;
	long long rev_id, article = id;
	char	 now[21];
	sqlite3_stmt *s;
	int	 rc;

	if (db_begin(r->db) == -1)
		return 500;
	if (id != 0) {
		if ((rc = workflow_latest(r, id, &latest)) != 200)
			goto fail;
		if (latest.state == STATE_ARCHIVED) {
			/* a new revision would bring the last approved text back to readers unreviewed */
			rc = req_fail(r, 409, "Article %lld is archived; it can no longer be edited.", id);
			goto fail;
		}
		if (!workflow_may_edit(r, &latest)) {
			rc = req_fail(r, 403, "Your role (%s) may not edit this article.", role_names[r->user->role]);
			goto fail;
		}
		if (base != latest.number) {
			rc = req_fail(r, 409, "Revision %d was saved after the revision %d you started from; "
			    "your text is kept below, with what changed.", latest.number, base);
			goto fail;
		}
	} else if (!workflow_may_edit(r, NULL)) {
		rc = req_fail(r, 403, "Your role (%s) may not write articles.", role_names[r->user->role]);
		goto fail;
	}
	time_now_iso(now);
	rev->author = r->user->name;
	rev->state = STATE_SUBMITTED;
	rev->created_at = now;
	rev->author_user_id = r->user->id;
	if ((rev_id = content_save(r->db, id, NULL, rev, &article, &ce)) == -1) {
		rc = req_field_error(r, req_strdup(r, ce.field[0] ? ce.field : "texts"), "%s", ce.detail);
		goto fail;
	}
	if (audit_append(r, article, rev_id, NULL, STATE_SUBMITTED, NULL, now) == -1) {
		rc = 500;
		goto fail;
	}
	s = db_stmt(r->db, STMT_REVISION_LATEST);
	sqlite3_bind_int64(s, 1, article);
	*number_out = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 1) : 0;
	sqlite3_reset(s);
	if (qid != 0 && (rc = queue_link_locked(r, qid, article, "new_article")) != 200)
		goto fail;
	if (db_commit(r->db) == -1)
		return 500;
	*article_out = article;
	return 201;
fail:
	db_rollback(r->db);
	return rc;
}
