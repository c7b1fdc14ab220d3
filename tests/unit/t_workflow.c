/* t_workflow.c: the review workflow as the domain answers it, with no request in sight: a database,
 * an arena, an actor and the settings in; typed outcomes and their words out. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "auth.h"
#include "content.h"
#include "db.h"
#include "domain.h"
#include "tap.h"
#include "workflow.h"

static struct db db;

static void
account(long long id, const char *name, const char *role)
{
	char	 sql[300], err[300];

	snprintf(sql, sizeof(sql), "INSERT INTO account(id, email, name, role, password_hash, created_at) "
	    "VALUES (%lld, '%s@example.org', '%s', '%s', 'x', '2026-01-01T00:00:00Z')", id, name, name, role);
	if (db_exec(&db, sql, err, sizeof(err)) == -1)
		printf("Bail out! %s\n", err);
}

int
main(void)
{
	char	 path[] = "/tmp/evqa-t-workflow-XXXXXX", dbp[64], err[300];
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

	if (mkdtemp(path) == NULL)
		return 1;
	snprintf(dbp, sizeof(dbp), "%s/t.db", path);
	if (db_open(&db, dbp, DB_CREATE, err, sizeof(err)) == -1 ||
	    content_sync_audiences(&db, err, sizeof(err)) == -1) {
		printf("Bail out! %s\n", err);
		return 1;
	}
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
		sqlite3_stmt *s = NULL;
		int	 days = -1;

		if (sqlite3_prepare_v2(db.conn, "SELECT CAST(julianday(review_by) - julianday('now') + 0.5 AS "
		    "INTEGER) FROM article WHERE id = ?1", -1, &s, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(s, 1, article);
			if (sqlite3_step(s) == SQLITE_ROW)
				days = sqlite3_column_int(s, 0);
		}
		sqlite3_finalize(s);
		ok(days == 30, "the next review is due after the settings' review days (%d)", days);
	}
	ok(workflow_latest(&d, article + 100, &latest) == OUT_NOT_FOUND && strstr(d.why, "no article") != NULL,
	    "a missing article is not found, in words (%s)", d.why);
	dom_clear(&d);
	ok(workflow_save(&d, article, 0, &rev, &article, &number) == OUT_FORBIDDEN,
	    "a reviewer may not edit an article");

	arena_free(&arena);
	db_close(&db);
	unlink(dbp);
	rmdir(path);
	return done_testing();
}
