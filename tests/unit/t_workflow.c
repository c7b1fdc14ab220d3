/* t_workflow.c: the review workflow as the domain answers it, with no request in sight: a database,
 * an arena, an actor and the settings in; typed outcomes and their words out. Also what the editors'
 * pages read from the domain: the dashboard's lists and counts (and whose turn an article waits for),
 * a revision by number and the approved one, and a reader's question's history and editors' answer;
 * and the editor's preview, which keeps nothing. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "arena.h"
#include "auth.h"
#include "content.h"
#include "dashboard.h"
#include "db.h"
#include "domain.h"
#include "queue.h"
#include "tap.h"
#include "tdb.h"
#include "workflow.h"

static struct db db;
static struct tdb tdb;	/* its file */

static void
account(long long id, const char *name, const char *role)
{
	char	 sql[300], err[300];

	snprintf(sql, sizeof(sql), "INSERT INTO account(id, email, name, role, password_hash, created_at) "
	    "VALUES (%lld, '%s@example.org', '%s', '%s', 'x', '2026-01-01T00:00:00Z')", id, name, name, role);
	if (db_exec(&db, sql, err, sizeof(err)) == -1)
		printf("Bail out! %s\n", err);
}

/* The number of articles waiting for d's actor, or -1. */
static int
waiting(struct dom *d)
{
	struct dash_row *rows;
	int	 n;

	return dashboard_waiting(d, &rows, &n) == OUT_OK ? n : -1;
}

/* The dashboard, the revision look-ups and the question queue's reads, on a new article of rev's
 * written by author and reviewed by reviewer. */
static void
editor_reads(struct dom *d, struct revision_in *rev, const struct user *author, const struct user *reviewer)
{
	struct user editor = { 3, "editor@example.org", "editor", "", ROLE_EDITOR, 0 };
	struct dash_row *rows;
	struct rev_info ri;
	struct qhist *steps;
	struct qanswer qa;
	const char *token = "0123456789abcdef0123456789abcdef";
	long long article = 0, before;
	int	 number = 0, n = -1, counts[STATE__MAX], submitted;

	account(3, "editor", "editor");
	d->actor = author;
	ok(dashboard_counts(d, counts) == OUT_OK, "the dashboard's counts");
	submitted = counts[STATE_SUBMITTED];
	ok(dashboard_list(d, NULL, NULL, &rows, &n) == OUT_OK, "and its list");
	before = n;
	if (workflow_save(d, 0, 0, rev, &article, &number) != OUT_CREATED)
		printf("Bail out! %s\n", d->why);
	ok(dashboard_list(d, NULL, NULL, &rows, &n) == OUT_OK && n == before + 1 && rows[0].id == article &&
	    rows[0].number == 1 && strcmp(rows[0].question, "Does it work?") == 0 &&
	    strcmp(rows[0].state, "submitted") == 0 && strcmp(rows[0].author, "author") == 0 &&
	    rows[0].author_user_id == author->id && rows[0].review_by == NULL,
	    "a new article heads the list (newest first) with its revision: number, question, state, author");
	ok(dashboard_list(d, "submitted", "question", &rows, &n) == OUT_OK && n == 1 && rows[0].id == article,
	    "filtered by its state: only it");
	ok(dashboard_counts(d, counts) == OUT_OK && counts[STATE_SUBMITTED] == submitted + 1,
	    "the counts: one more submitted");
	ok(waiting(d) == 0, "a submitted article does not wait for its author");
	d->actor = reviewer;
	ok(waiting(d) == 1, "it waits for a reviewer");
	d->actor = NULL;
	ok(waiting(d) == 0, "nothing waits for nobody");

	d->actor = reviewer;
	if (workflow_transition(d, article, STATE_UNDER_REVIEW, NULL) != OUT_OK ||
	    workflow_transition(d, article, STATE_CHANGES_REQUESTED, "Cite the trial.") != OUT_OK)
		printf("Bail out! %s\n", d->why);
	ok(waiting(d) == 0, "once changes are requested it no longer waits for the reviewer");
	d->actor = author;
	ok(waiting(d) == 1, "but for its author");
	d->actor = &editor;
	ok(waiting(d) == 0, "and not for an editor who did not write it");

	ok(workflow_approved(d, article, &ri) == OUT_OK && ri.number == 0 && ri.id == 0,
	    "before any approval the approved revision is none (number 0)");
	ok(workflow_revision(d, article, 1, &ri) == OUT_OK && ri.number == 1 &&
	    strcmp(ri.question, "Does it work?") == 0 && ri.state == STATE_CHANGES_REQUESTED,
	    "revision 1 by its number");
	ok(workflow_revision(d, article, 2, &ri) == OUT_NOT_FOUND && strstr(d->why, "has no revision 2") != NULL,
	    "a number it does not have: not found, in words (%s)", d->why);
	dom_clear(d);
	d->actor = author;
	if (workflow_save(d, article, 1, rev, &article, &number) != OUT_CREATED)
		printf("Bail out! %s\n", d->why);
	d->actor = reviewer;
	if (workflow_transition(d, article, STATE_UNDER_REVIEW, NULL) != OUT_OK ||
	    workflow_transition(d, article, STATE_APPROVED, NULL) != OUT_OK)
		printf("Bail out! %s\n", d->why);
	ok(workflow_approved(d, article, &ri) == OUT_OK && ri.number == 2, "after approval: revision 2");
	ok(dashboard_list(d, "approved", NULL, &rows, &n) == OUT_OK && n >= 1 && rows[0].id == article &&
	    rows[0].number == 2 && rows[0].review_by != NULL,
	    "the approved article lists its revision 2 and a review date");

	if (db_exec(&db, "INSERT INTO question(id, token, text, norm, audience, created_at, last_asked, state, "
	    "answer_json) VALUES (7, '0123456789abcdef0123456789abcdef', 'Does it work?', 'does it work', "
	    "'clinician', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'queued', '{}')", d->why,
	    sizeof(d->why)) == -1)
		printf("Bail out! %s\n", d->why);
	ok(queue_history(d, 7, &steps, &n) == OUT_OK && n == 0, "a question nobody acted on has no history");
	ok(queue_answer(d, token, &qa) == OUT_NOT_FOUND, "nor an editors' answer");
	d->actor = &editor;
	if (queue_change(d, 7, 0, article, NULL) != OUT_OK)
		printf("Bail out! %s\n", d->why);
	ok(queue_history(d, 7, &steps, &n) == OUT_OK && n == 1 && strcmp(steps[0].action, "link") == 0 &&
	    strcmp(steps[0].from, "queued") == 0 && strcmp(steps[0].to, "answered_by_editors") == 0 &&
	    steps[0].article == article && strcmp(steps[0].actor, "editor") == 0 && steps[0].reason == NULL,
	    "linking an article: one history row with the states, the article and who");
	ok(queue_answer(d, token, &qa) == OUT_OK && qa.article == article && qa.approved == 2 &&
	    qa.latest == STATE_APPROVED && strcmp(qa.question, "Does it work?") == 0 && qa.slug != NULL,
	    "the editors' answer: the article, its approved revision and its state");
	ok(queue_answer(d, "ffffffffffffffffffffffffffffffff", &qa) == OUT_NOT_FOUND,
	    "no such question: not found");
}

/* What a preview's show was given. */
struct shown {
	int		 calls;
	int		 fail;		/* 1: show answers -1 */
	int		 number;
	enum state	 state;
	int		 html, nrefs;	/* 1: the body has the form's bullet; its references */
	char		 question[64];
	int		 in_transaction;
};

static int
show(void *arg, const struct article_view *v)
{
	struct shown *sh = arg;

	sh->calls++;
	sh->number = v->rev_number;
	sh->state = v->state;
	sh->html = v->html != NULL && strstr(v->html, "A trial") != NULL;
	sh->nrefs = v->nrefs;
	snprintf(sh->question, sizeof(sh->question), "%s", v->question ? v->question : "");
	sh->in_transaction = db_in_transaction(&db);
	return sh->fail ? -1 : 0;
}

/* The number of revisions of article and of articles in all (the dashboard's list), on the
 * connection that previewed, into *revs and *articles. */
static void
counts(struct dom *d, long long article, int *revs, int *articles)
{
	struct rev_info *rows;
	struct dash_row *list;

	*revs = *articles = -1;
	if (workflow_revisions(d, article, &rows, revs) != OUT_OK)
		*revs = -1;
	if (dashboard_list(d, NULL, NULL, &list, articles) != OUT_OK)
		*articles = -1;
}

/* Previews of a new article and of a new revision of article (revision 1, approved, the author's):
 * shown as readers would see them, and nothing kept; a bad form gives field errors. */
static void
previews(struct dom *d, const struct revision_in *good, long long article, const struct user *author,
    const struct user *reviewer)
{
	struct revision_in rev = *good, bad = *good;
	struct shown sh = { 0 };
	enum outcome oc;
	int	 revs, arts, revs1, arts1;

	d->actor = author;
	counts(d, article, &revs, &arts);
	oc = workflow_preview(d, 0, &rev, show, &sh);
	ok(oc == OUT_OK && sh.calls == 1 && sh.number == 1 &&
	    sh.state == STATE_SUBMITTED && strcmp(sh.question, "Does it work?") == 0 && sh.html &&
	    sh.nrefs == 1 && sh.in_transaction, "a new article's preview is shown once, as revision 1, "
	    "submitted, with its question, body and references, inside a transaction (%s)", d->why);
	counts(d, article, &revs1, &arts1);
	ok(revs >= 1 && arts >= 1 && revs1 == revs && arts1 == arts && !db_in_transaction(&db),
	    "and nothing is kept: as many articles as before (%d, %d), no transaction left open", arts, arts1);
	memset(&sh, 0, sizeof(sh));
	rev = *good;
	oc = workflow_preview(d, article, &rev, show, &sh);
	ok(oc == OUT_OK && sh.calls == 1 && sh.number == revs + 1,
	    "a new revision's preview is shown as the next revision (%d) (%s)", sh.number, d->why);
	counts(d, article, &revs1, &arts1);
	ok(revs1 == revs && arts1 == arts && !db_in_transaction(&db),
	    "and the article keeps its %d revision(s) (%d)", revs, revs1);
	memset(&sh, 0, sizeof(sh));
	bad.question = "";
	oc = workflow_preview(d, article, &bad, show, &sh);
	ok(oc == OUT_INVALID && d->nerrors == 1 &&
	    strcmp(d->errors[0].field, "question") == 0 && d->errors[0].detail[0] != '\0' && sh.calls == 0,
	    "a form without a question is a field error on the question, and nothing is shown (%s)",
	    d->errors[0].detail);
	dom_clear(d);
	counts(d, article, &revs1, &arts1);
	ok(revs1 == revs && arts1 == arts && !db_in_transaction(&db), "and nothing is kept");
	memset(&sh, 0, sizeof(sh));
	sh.fail = 1;
	rev = *good;
	oc = workflow_preview(d, 0, &rev, show, &sh);
	ok(oc == OUT_FAILED && sh.calls == 1 && d->why[0] != '\0',
	    "a preview that could not be rendered fails, in words (%s)", d->why);
	dom_clear(d);
	counts(d, article, &revs1, &arts1);
	ok(revs1 == revs && arts1 == arts && !db_in_transaction(&db), "and keeps nothing either");
	memset(&sh, 0, sizeof(sh));
	d->actor = reviewer;
	rev = *good;
	oc = workflow_preview(d, article, &rev, show, &sh);
	ok(oc == OUT_FORBIDDEN && sh.calls == 0 &&
	    strstr(d->why, "may not edit") != NULL, "a reviewer may not preview an edit: forbidden (%s)", d->why);
	dom_clear(d);
	d->actor = NULL;
	oc = workflow_preview(d, 0, &rev, show, &sh);
	ok(oc == OUT_FORBIDDEN && sh.calls == 0 && !db_in_transaction(&db),
	    "nor may nobody (%s)", d->why);
	dom_clear(d);
}

int
main(void)
{
	struct reference_in refs[1] = {
		{ "guideline", "A guideline", "A body", 2020, "12345678", NULL, NULL, NULL },
	};
	struct text_in texts[1] = { { "clinician", "It works [1].", "## Evidence\n\n- A trial [1]\n" } };
	struct revision_in rev = { "Does it work?", NULL, STATE_SUBMITTED, NULL, refs, 1, texts, 1, 0 };
	struct user author = { 1, "author@example.org", "author", "", ROLE_AUTHOR, 0 };
	struct user reviewer = { 2, "reviewer@example.org", "reviewer", "", ROLE_REVIEWER, 0 };
	struct settings set = { 30 };
	struct arena arena = { NULL };
	struct dom d;
	struct rev_info latest;
	long long article = 0;
	int	 number = 0;

	if (tdb_open(&tdb, "workflow", &db) == -1)
		return 1;
	account(1, "author", "author");
	account(2, "reviewer", "reviewer");
	memset(&d, 0, sizeof(d));
	d.db = &db;
	d.arena = &arena;
	d.set = &set;

	d.actor = &author;
	ok(workflow_save(&d, 0, 0, &rev, &article, &number) == OUT_CREATED && article > 0 && number == 1,
	    "an author's new article is created as revision 1 (%s)", d.why);
	ok(workflow_transition(&d, article, STATE_APPROVED, NULL) == OUT_FORBIDDEN &&
	    strstr(d.why, "may not move") != NULL, "an author may not approve: forbidden, and says so (%s)", d.why);
	dom_clear(&d);
	d.actor = &reviewer;
	ok(workflow_transition(&d, article, STATE_APPROVED, NULL) == OUT_CONFLICT &&
	    strstr(d.why, "cannot move") != NULL, "a submitted revision cannot be approved before review: a "
	    "conflict with the state (%s)", d.why);
	dom_clear(&d);
	ok(workflow_transition(&d, article, STATE_CHANGES_REQUESTED, "") == OUT_INVALID && d.nerrors == 1 &&
	    strcmp(d.errors[0].field, "reason") == 0, "asking for changes without a reason is a field error");
	dom_clear(&d);
	ok(workflow_transition(&d, article, STATE_UNDER_REVIEW, NULL) == OUT_OK, "a reviewer starts the review");
	ok(workflow_transition(&d, article, STATE_APPROVED, NULL) == OUT_OK, "and approves it");
	ok(workflow_latest(&d, article, &latest) == OUT_OK && latest.state == STATE_APPROVED,
	    "the newest revision is approved");
	{
		/* read back through the engine itself, not the interface under test */
		sqlite3	*c = NULL;
		sqlite3_stmt *s = NULL;
		int	 days = -1;

		if (sqlite3_open_v2(tdb.path, &c, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
		    sqlite3_prepare_v2(c, "SELECT CAST(julianday(review_by) - julianday('now') + 0.5 AS "
		    "INTEGER) FROM article WHERE id = ?1", -1, &s, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(s, 1, article);
			if (sqlite3_step(s) == SQLITE_ROW)
				days = sqlite3_column_int(s, 0);
		}
		sqlite3_finalize(s);
		sqlite3_close(c);
		ok(days == 30, "the next review is due after the settings' review days (%d)", days);
	}
	ok(workflow_latest(&d, article + 100, &latest) == OUT_NOT_FOUND && strstr(d.why, "no article") != NULL,
	    "a missing article is not found, in words (%s)", d.why);
	dom_clear(&d);
	ok(workflow_save(&d, article, 0, &rev, &article, &number) == OUT_FORBIDDEN,
	    "a reviewer may not edit an article");

	dom_clear(&d);
	rev.created_at = NULL;
	previews(&d, &rev, article, &author, &reviewer);
	editor_reads(&d, &rev, &author, &reviewer);

	arena_free(&arena);
	tdb_close(&tdb, &db);
	return done_testing();
}
