/* workflow.c: review transitions, the audit trail and saving revisions (see workflow.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "db.h"
#include "domain.h"
#include "log.h"
#include "section.h"
#include "util.h"
#include "queue.h"
#include "workflow.h"

#define REVIEW_DAYS_DEFAULT	365

void
workflow_rev_row(struct dom *d, void *stmt, struct rev_info *v)
{
	struct dbq *s = stmt;

	v->id = db_int64(s, 0);
	v->number = db_int(s, 1);
	v->question = arena_strdup(d->arena, db_text(s, 2));
	v->author = arena_strdup(d->arena, db_text(s, 3));
	v->created_at = arena_strdup(d->arena, db_text(s, 4));
	v->state = state_find(db_text(s, 5));
	v->state_at = arena_strdup(d->arena, db_text(s, 6));
	v->author_user_id = db_int64(s, 7);
	v->slug = arena_strdup(d->arena, db_text(s, 8));
	v->owner_user_id = 0;
	v->user_wrote = 0;
}

enum outcome
workflow_latest(struct dom *d, long long id, struct rev_info *out)
{
	struct dbq *s = db_stmt(d->db, STMT_REVISION_LATEST);

	db_bind_int(s, 1, id);
	if (db_step(s) != DB_ROW) {
		db_reset(s);
		return dom_fail(d, OUT_NOT_FOUND, "There is no article with the number %lld.", id);
	}
	workflow_rev_row(d, s, out);
	db_reset(s);
	s = db_stmt(d->db, STMT_ARTICLE_OWNER);
	db_bind_int(s, 1, id);
	out->owner_user_id = db_step(s) == DB_ROW ? db_int64(s, 0) : 0;
	db_reset(s);
	out->user_wrote = 0;
	if (d->actor != NULL) {
		s = db_stmt(d->db, STMT_REVISION_WRITTEN_SINCE_APPROVAL);
		db_bind_int(s, 1, id);
		db_bind_int(s, 2, d->actor->id);
		if (db_step(s) == DB_ROW)
			out->user_wrote = db_int(s, 0);
		db_reset(s);
	}
	return out->state == STATE__MAX || out->question == NULL ? OUT_FAILED : OUT_OK;
}

enum outcome
workflow_revisions(struct dom *d, long long article, struct rev_info **out, int *nout)
{
	struct dbq *s = db_stmt(d->db, STMT_REVISION_LIST);
	struct rev_info *list = NULL;
	int	 n = 0, cap = 0, rc;

	*out = NULL;
	*nout = 0;
	db_bind_int(s, 1, article);
	while ((rc = db_step(s)) == DB_ROW) {
		if ((list = arena_grow(d->arena, list, n, &cap, sizeof(*list))) == NULL) {
			db_reset(s);
			return OUT_FAILED;
		}
		workflow_rev_row(d, s, &list[n++]);
	}
	db_reset(s);
	if (rc != DB_DONE)
		return OUT_FAILED;
	*out = list;
	*nout = n;
	return OUT_OK;
}

enum outcome
workflow_history(struct dom *d, long long article, struct audit_row **out, int *nout)
{
	struct dbq *s = db_stmt(d->db, STMT_AUDIT_LIST);
	struct audit_row *list = NULL;
	int	 n = 0, cap = 0, rc;

	*out = NULL;
	*nout = 0;
	db_bind_int(s, 1, article);
	while ((rc = db_step(s)) == DB_ROW) {
		struct audit_row *a;

		if ((list = arena_grow(d->arena, list, n, &cap, sizeof(*list))) == NULL) {
			db_reset(s);
			return OUT_FAILED;
		}
		a = &list[n++];
		a->revision = db_int(s, 0);
		a->from = arena_strdup(d->arena, db_text(s, 1));
		a->to = arena_strdup(d->arena, db_text(s, 2));
		a->actor = arena_strdup(d->arena, db_text(s, 3));
		a->credential = arena_strdup(d->arena, db_text(s, 4));
		a->reason = arena_strdup(d->arena, db_text(s, 5));
		a->at = arena_strdup(d->arena, db_text(s, 6));
	}
	db_reset(s);
	if (rc != DB_DONE)
		return OUT_FAILED;
	*out = list;
	*nout = n;
	return OUT_OK;
}

/* 1 when the request's user wrote this revision. */
static int
wrote(const struct dom *d, const struct rev_info *rev)
{
	return d->actor != NULL && rev->author_user_id == d->actor->id;
}

/* 1 when the request's user owns the article (wrote its first revision) or wrote this revision. */
static int
is_own(const struct dom *d, const struct rev_info *rev)
{
	return d->actor != NULL && (rev->owner_user_id == d->actor->id || wrote(d, rev));
}

int
workflow_may_edit(const struct dom *d, const struct rev_info *rev)
{
	if (d->actor == NULL || (rev != NULL && rev->state == STATE_ARCHIVED))
		return 0;
	if (d->actor->role >= ROLE_EDITOR)
		return 1;
	if (d->actor->role == ROLE_AUTHOR)
		return rev == NULL || is_own(d, rev);
	return 0;
}

/* workflow_may() as an outcome: OUT_OK; OUT_FORBIDDEN for the actor's role or the two-person rule,
 * OUT_CONFLICT when the revision's state does not lead to to; why says which. */
static enum outcome
may(const struct dom *d, const struct rev_info *rev, enum state to, char *why, size_t whysz)
{
	enum role role = d->actor ? d->actor->role : ROLE__MAX;
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
		role_ok = role >= ROLE_EDITOR || (role == ROLE_AUTHOR && is_own(d, rev));
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
	case STATE__MAX:
	default:			/* a value from outside, not a state */
		snprintf(why, whysz, "That is not a review state.");
		return OUT_INVALID;
	}
	if (!role_ok) {
		snprintf(why, whysz, "Your role (%s) may not move an article to %s.",
		    role < ROLE__MAX ? role_names[role] : "none", states[to].label);
		return OUT_FORBIDDEN;
	}
	if (!from_ok) {
		snprintf(why, whysz, "Revision %d is %s; it cannot move to %s from there.", rev->number,
		    states[from].label, states[to].label);
		return OUT_CONFLICT;
	}
	if (to == STATE_APPROVED && wrote(d, rev)) {
		snprintf(why, whysz, "You wrote revision %d, so someone else must approve it.", rev->number);
		return OUT_FORBIDDEN;
	}
	if (to == STATE_APPROVED && rev->user_wrote > 0) {
		snprintf(why, whysz, "You wrote revision %d since this article was last approved, so someone "
		    "else must approve it.", rev->user_wrote);
		return OUT_FORBIDDEN;
	}
	return OUT_OK;
}

int
workflow_may(const struct dom *d, const struct rev_info *rev, enum state to, char *why, size_t whysz)
{
	return may(d, rev, to, why, whysz) == OUT_OK;
}

/* Appends an audit row. Returns 0 or -1. */
static int
audit_append(struct dom *d, long long article, long long rev, const char *from, enum state to,
    const char *reason, const char *at)
{
	struct dbq *s = db_stmt(d->db, STMT_AUDIT_INSERT);
	int	 rc;

	db_bind_int(s, 1, article);
	db_bind_int(s, 2, rev);
	if (from != NULL)
		db_bind_text(s, 3, from);
	db_bind_text(s, 4, states[to].code);
	if (d->actor != NULL)
		db_bind_int(s, 5, d->actor->id);
	if (reason != NULL && reason[0] != '\0')
		db_bind_text(s, 6, reason);
	db_bind_text(s, 7, at);
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		log_warnx("audit row: %s", db_errmsg(d->db));
		return -1;
	}
	return 0;
}

enum outcome
workflow_transition(struct dom *d, long long id, enum state to, const char *reason)
{
	struct rev_info rev;
	char	 why[300], now[21], due[21];
	struct dbq *s;
	enum outcome oc;
	int	 rc;

	if ((to == STATE_CHANGES_REQUESTED || to == STATE_ARCHIVED) && (reason == NULL || reason[0] == '\0'))
		return dom_field_error(d, "reason", "is required to %s: say what needs to change or why.",
		    to == STATE_ARCHIVED ? "archive an article" : "request changes");
	if (reason != NULL && (strlen(reason) > TEXT_REASON_MAX || !utf8_valid(reason, strlen(reason))))
		return dom_field_error(d, "reason", "must be text of at most %d bytes.", TEXT_REASON_MAX);
	if (db_begin(d->db) == -1)
		return OUT_FAILED;
	if ((oc = workflow_latest(d, id, &rev)) != OUT_OK)
		goto fail;
	if ((oc = may(d, &rev, to, why, sizeof(why))) != OUT_OK) {
		dom_fail(d, oc, "%s", why);
		goto fail;
	}
	if (to == STATE_APPROVED) {
		/* a clinical article rests on its sources: none, no approval (a draft may have none) */
		int	 refs;

		s = db_stmt(d->db, STMT_REFERENCE_NUMS);
		db_bind_int(s, 1, rev.id);
		refs = db_step(s) == DB_ROW;
		db_reset(s);
		if (!refs) {
			oc = dom_fail(d, OUT_CONFLICT, "Revision %d has no references; a clinical article needs at least one "
			    "before it can be approved. Add its sources and save a new revision.", rev.number);
			goto fail;
		}
	}
	time_now_iso(now);
	s = db_stmt(d->db, STMT_REVISION_SET_STATE);
	db_bind_int(s, 1, rev.id);
	db_bind_text(s, 2, states[to].code);
	db_bind_text(s, 3, now);
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE || audit_append(d, id, rev.id, states[rev.state].code, to, reason, now) == -1) {
		oc = OUT_FAILED;
		goto fail;
	}
	if (to == STATE_APPROVED) {
		int	 days = d->set != NULL && d->set->review_days > 0 ? d->set->review_days :
		    REVIEW_DAYS_DEFAULT;
		time_t	 t = time_now() + (time_t)days * 86400;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(due, sizeof(due), "%Y-%m-%dT%H:%M:%SZ", &tm);
		s = db_stmt(d->db, STMT_ARTICLE_SET_REVIEW_BY);
		db_bind_int(s, 1, id);
		db_bind_text(s, 2, due);
		rc = db_step(s);
		db_reset(s);
		if (rc != DB_DONE) {
			oc = OUT_FAILED;
			goto fail;
		}
	}
	/* the revision readers see may have changed: so have the searchable sections */
	if (section_refresh(d->db, id, why, sizeof(why)) == -1) {
		log_warnx("article %lld: %s", id, why);
		oc = OUT_FAILED;
		goto fail;
	}
	if (db_commit(d->db) == -1)
		return OUT_FAILED;
	return OUT_OK;
fail:
	db_rollback(d->db);
	return oc;
}

enum outcome
workflow_save(struct dom *d, long long id, int base, struct revision_in *rev, long long *article_out,
    int *number_out)
{
	return workflow_save_question(d, id, base, rev, 0, article_out, number_out);
}

/* Whether the actor may write a new revision of article id (0: a new article), inside the caller's
 * transaction; *latest is the article's newest revision (id != 0). OUT_OK, or OUT_CONFLICT (archived),
 * OUT_FORBIDDEN, OUT_NOT_FOUND or OUT_FAILED, with why. */
static enum outcome
may_write(struct dom *d, long long id, struct rev_info *latest)
{
	enum outcome oc;

	if (d->actor == NULL)
		return dom_fail(d, OUT_FORBIDDEN, "Log in to write articles.");
	if (id == 0)
		return workflow_may_edit(d, NULL) ? OUT_OK : dom_fail(d, OUT_FORBIDDEN,
		    "Your role (%s) may not write articles.", role_names[d->actor->role]);
	if ((oc = workflow_latest(d, id, latest)) != OUT_OK)
		return oc;
	if (latest->state == STATE_ARCHIVED)
		/* a new revision would bring the last approved text back to readers unreviewed */
		return dom_fail(d, OUT_CONFLICT, "Article %lld is archived; it can no longer be edited.", id);
	if (!workflow_may_edit(d, latest))
		return dom_fail(d, OUT_FORBIDDEN, "Your role (%s) may not edit this article.",
		    role_names[d->actor->role]);
	return OUT_OK;
}

enum outcome
workflow_save_question(struct dom *d, long long id, int base, struct revision_in *rev, long long qid,
    long long *article_out, int *number_out)
{
	struct rev_info latest;
	struct content_error ce;
	long long rev_id, article = id;
	char	 now[21];
	struct dbq *s;
	enum outcome oc;

	if (db_begin(d->db) == -1)
		return OUT_FAILED;
	if ((oc = may_write(d, id, &latest)) != OUT_OK)
		goto fail;
	if (id != 0 && base != latest.number) {
		oc = dom_fail(d, OUT_CONFLICT, "Revision %d was saved after the revision %d you started from; "
		    "your text is kept below, with what changed.", latest.number, base);
		goto fail;
	}
	time_now_iso(now);
	rev->author = d->actor->name;
	rev->state = STATE_SUBMITTED;
	rev->created_at = now;
	rev->author_user_id = d->actor->id;
	if ((rev_id = content_save(d->db, id, NULL, rev, &article, &ce)) == -1) {
		oc = dom_field_error(d, arena_strdup(d->arena, ce.field[0] ? ce.field : "texts"), "%s",
		    ce.detail);
		goto fail;
	}
	if (audit_append(d, article, rev_id, NULL, STATE_SUBMITTED, NULL, now) == -1) {
		oc = OUT_FAILED;
		goto fail;
	}
	s = db_stmt(d->db, STMT_REVISION_LATEST);
	db_bind_int(s, 1, article);
	*number_out = db_step(s) == DB_ROW ? db_int(s, 1) : 0;
	db_reset(s);
	if (qid != 0 && (oc = queue_link_locked(d, qid, article, "new_article")) != OUT_OK)
		goto fail;
	if (db_commit(d->db) == -1)
		return OUT_FAILED;
	*article_out = article;
	return OUT_CREATED;
fail:
	db_rollback(d->db);
	return oc;
}

enum outcome
workflow_preview(struct dom *d, long long id, struct revision_in *rev,
    int (*show)(void *arg, const struct article_view *v), void *arg)
{
	struct rev_info latest;
	struct content_error ce;
	struct article_view v;
	long long rev_id;
	enum outcome oc;

	if (db_begin(d->db) == -1)
		return OUT_FAILED;
	if ((oc = may_write(d, id, &latest)) != OUT_OK)
		goto out;
	rev->author = d->actor->name;
	rev->state = STATE_SUBMITTED;
	rev->created_at = NULL;
	rev->author_user_id = d->actor->id;
	if ((rev_id = content_save(d->db, id, NULL, rev, NULL, &ce)) == -1) {
		oc = dom_field_error(d, arena_strdup(d->arena, ce.field[0] ? ce.field : "texts"), "%s",
		    ce.detail);
		goto out;
	}
	if ((oc = content_revision(d, rev_id, NULL, CONTENT_HTML | CONTENT_REFS, &v)) != OUT_OK)
		goto out;
	if (show(arg, &v) == -1)
		oc = dom_fail(d, OUT_FAILED, "The preview could not be built.");
out:
	/* the view's wording is read from statements the rollback must not find still stepping */
	db_idle(d->db);
	db_rollback(d->db);
	return oc;
}

/* Steps s (bound) for one revision into *out and resets it: OUT_OK, OUT_NOT_FOUND (no row; why not
 * set) or OUT_FAILED. */
static enum outcome
rev_one(struct dom *d, struct dbq *s, struct rev_info *out)
{
	int	 rc;

	if ((rc = db_step(s)) == DB_ROW)
		workflow_rev_row(d, s, out);
	db_reset(s);
	if (rc == DB_ROW)
		return out->question == NULL ? OUT_FAILED : OUT_OK;
	return rc == DB_DONE ? OUT_NOT_FOUND : OUT_FAILED;
}

enum outcome
workflow_revision(struct dom *d, long long article, int number, struct rev_info *out)
{
	struct dbq *s = db_stmt(d->db, STMT_REVISION_BY_NUMBER);
	enum outcome oc;

	db_bind_int(s, 1, article);
	db_bind_int(s, 2, number);
	if ((oc = rev_one(d, s, out)) == OUT_NOT_FOUND)
		return dom_fail(d, oc, "Article %lld has no revision %d.", article, number);
	return oc;
}

enum outcome
workflow_approved(struct dom *d, long long article, struct rev_info *out)
{
	struct dbq *s = db_stmt(d->db, STMT_REVISION_APPROVED);
	enum outcome oc;

	db_bind_int(s, 1, article);
	if ((oc = rev_one(d, s, out)) == OUT_NOT_FOUND) {
		memset(out, 0, sizeof(*out));
		oc = OUT_OK;
	}
	return oc;
}
