/* t_catalog.c: what the domain reads for the pages and the JSON, with no request in sight: the lists
 * of articles (catalog.h), approved versions and their changes (versions.h), readers' questions
 * (ask.h), a revision by its number (workflow.h), and what the export reads and the import stores
 * (transfer.h), on a real SQLite file. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "arena.h"
#include "ask.h"
#include "catalog.h"
#include "content.h"
#include "db.h"
#include "domain.h"
#include "retract.h"
#include "tap.h"
#include "tdb.h"
#include "transfer.h"
#include "versions.h"
#include "workflow.h"

static struct db db;
static struct tdb tdb;	/* its file */

static long long
save(long long article, const struct revision_in *rev)
{
	struct content_error err;
	long long id, art = 0;

	db_begin(&db);
	id = content_save(&db, article, NULL, rev, &art, &err);
	if (id == -1) {
		printf("# %s: %s\n", err.field, err.detail);
		db_rollback(&db);
		return -1;
	}
	db_commit(&db);
	return art;
}

/* catalog_versions(): counts the versions, and those the article's own address shows. */
struct seen {
	int	 n, shown;
};

static int
count_version(const struct catalog_version *cv, void *arg)
{
	struct seen *s = arg;

	s->n++;
	s->shown += cv->shown;
	return 0;
}

/* transfer_articles(): the ids and a slug of the articles listed; fails after stop_after (0: never). */
struct listed {
	int		 n, stop_after;
	long long	 ids[2];
	char		 slug[64];
};

static int
list_article(const struct transfer_article *ta, void *arg)
{
	struct listed *l = arg;

	if (l->n < 2)
		l->ids[l->n] = ta->id;
	snprintf(l->slug, sizeof(l->slug), "%s", ta->slug);
	l->n++;
	return l->stop_after != 0 && l->n >= l->stop_after ? -1 : 0;
}

int
main(void)
{
	struct reference_in refs[1] = {
		{ "guideline", "A guideline", "A body", 2020, "12345678", NULL, NULL, NULL },
	};
	struct text_in t1[1] = { { "clinician", "It works [1].", "## Evidence\n\n- A trial [1]\n" } };
	struct text_in t2[1] = { { "clinician", "It works well [1].", "## Evidence\n\n- A trial [1]\n" } };
	struct revision_in a1 = { "Does aspirin work?", "Editor", STATE_APPROVED, NULL, refs, 1, t1, 1, 0 };
	struct revision_in a2 = { "Does aspirin work?", "Editor", STATE_APPROVED, NULL, refs, 1, t2, 1, 0 };
	struct revision_in b1 = { "Is zinc safe?", "Editor", STATE_SUBMITTED, NULL, refs, 1, t1, 1, 0 };
	struct settings set = { 30 };
	struct arena arena = { NULL };
	struct dom d;
	struct catalog_filter none = { NULL, NULL, NULL, NULL }, bad = { NULL, NULL, NULL, "colour" };
	struct catalog_filter ifilter = { NULL, "i", NULL, NULL };
	struct catalog_list cl;
	struct related_row *rel;
	struct version *vs;
	struct changes ch;
	struct rev_info ri;
	struct retract_flag *flags;
	struct ask_row q, q2;
	struct seen seen = { 0, 0 };
	const char **src, *tok = NULL, *tok2 = NULL;
	int	 counts[CATALOG_LETTERS], n;
	long long a, b, rev_id;

	if (tdb_open(&tdb, "catalog", &db) == -1)
		return 1;
	memset(&d, 0, sizeof(d));
	d.db = &db;
	d.arena = &arena;
	d.set = &set;
	ok(catalog_any(&d, &n) == OUT_OK && n == 0, "a new database has no articles");
	a = save(0, &a1);
	ok(a > 0 && save(a, &a2) == a, "article %lld is saved with two approved revisions", a);
	b = save(0, &b1);
	ok(b > a, "a second article, submitted, citing the same study");

	/* the home page's list */
	ok(catalog_home(&d, &none, 1, 100, &cl) == OUT_OK && cl.total == 2 && cl.pages == 1 && cl.n == 2 &&
	    cl.rows[0].v.id == a && cl.rows[1].v.id == b && cl.qtype == -1, "the home list has both articles, "
	    "by id");
	ok(cl.n == 2 && strcmp(cl.rows[0].source, "evqa") == 0 && cl.rows[0].same == 1 &&
	    cl.rows[0].v.rev_number == 2 && cl.rows[1].v.state == STATE_SUBMITTED, "each row says where it "
	    "comes from, and shows the newest approved revision or else the newest");
	ok(catalog_home(&d, &ifilter, 1, 100, &cl) == OUT_OK && cl.total == 1 && cl.n == 1 && cl.rows[0].v.id == b,
	    "the letter i finds the zinc question alone");
	ok(catalog_home(&d, &bad, 1, 100, &cl) == OUT_INVALID && d.nerrors == 1 &&
	    strcmp(d.errors[0].field, "answers") == 0, "an unknown kind of question is a field error on answers");
	dom_clear(&d);
	ok(catalog_home(&d, &none, 2, 100, &cl) == OUT_INVALID && d.nerrors == 1 &&
	    strcmp(d.errors[0].field, "page") == 0, "a page after the last is a field error on page");
	is_str(d.nerrors == 1 ? d.errors[0].detail : NULL, "must be from 1 to 1: these 2 articles fill 1 page of 100.",
	    "and says how many pages there are");
	dom_clear(&d);
	ok(catalog_letters(&d, counts) == OUT_OK && counts[strchr(catalog_az, 'd') - catalog_az] == 1 &&
	    counts[strchr(catalog_az, 'i') - catalog_az] == 1 && counts[0] == 0, "the A-Z index counts the first "
	    "letters");
	ok(catalog_sources(&d, &src, &n) == OUT_OK && n == 1 && strcmp(src[0], "evqa") == 0,
	    "the only source is evqa");

	/* the JSON list */
	ok(catalog_api(&d, NULL, NULL, "question", 1, 1, &cl) == OUT_OK && cl.total == 2 && cl.pages == 2 &&
	    cl.n == 1 && cl.rows[0].v.id == a && cl.rows[0].changed_at != NULL, "the JSON list pages by "
	    "question, with when each article changed");
	ok(catalog_api(&d, "submitted", NULL, NULL, 1, 20, &cl) == OUT_OK && cl.total == 1 && cl.rows[0].v.id == b,
	    "and filters by state");
	ok(catalog_api(&d, NULL, NULL, "colour", 1, 20, &cl) == OUT_INVALID && strcmp(d.errors[0].field, "sort") == 0,
	    "an unknown order is a field error on sort");
	dom_clear(&d);

	/* related articles, approved versions */
	ok(catalog_home(&d, &none, 1, 100, &cl) == OUT_OK &&
	    catalog_related(&d, a, cl.rows[0].v.rev_id, &rel, &n) == OUT_OK && n == 1 && rel[0].id == b &&
	    rel[0].how == RELATED_REFERENCES && rel[0].shared == 1 && rel[0].name == NULL,
	    "the article citing the same study is related to the first by one reference");
	ok(catalog_versions(&d, 10, count_version, &seen) == OUT_OK && seen.n == 2 && seen.shown == 1,
	    "two approved versions readers can reach, one of them at the article's own address");
	ok(versions_list(&d, a, &vs, &n) == OUT_OK && n == 2 && vs[0].number == 2 && vs[1].number == 1,
	    "the approved versions, newest first");
	ok(versions_find(&d, a, 1, &rev_id) == OUT_OK && rev_id == vs[1].rev_id, "version 1 is found");
	ok(versions_find(&d, a, 3, &rev_id) == OUT_NOT_FOUND && strstr(d.why, "revisions 2 and 1") != NULL,
	    "version 3 is not, and the answer names those there are (%s)", d.why);
	dom_clear(&d);
	ok(versions_find(&d, b, 1, &rev_id) == OUT_NOT_FOUND && strstr(d.why, "no approved version yet") != NULL,
	    "an article with no approved version has no version addresses");
	dom_clear(&d);
	ok(versions_changes(&d, a, 0, 0, &audiences[AUD_PATIENT], &ch) == OUT_OK && ch.newer->number == 2 &&
	    ch.older->number == 1 && ch.any && ch.html[PART_BOTTOM].len > 0 && ch.html[PART_BODY].len == 0 &&
	    ch.wording == &audiences[AUD_CLINICIAN], "the newest version against the one before: the bottom "
	    "line changed, in the clinician wording both have");
	versions_changes_free(&ch);
	ok(versions_changes(&d, a, 1, 0, &audiences[AUD_CLINICIAN], &ch) == OUT_INVALID &&
	    strcmp(d.errors[0].field, "rev") == 0, "the first version alone names nothing to compare it with");
	versions_changes_free(&ch);
	dom_clear(&d);
	ok(versions_changes(&d, b, 0, 0, &audiences[AUD_CLINICIAN], &ch) == OUT_NOT_FOUND &&
	    strstr(d.why, "no approved version") != NULL, "an article with no approved version has nothing to "
	    "compare");
	versions_changes_free(&ch);
	dom_clear(&d);
	ok(workflow_revision(&d, a, 2, &ri) == OUT_OK && ri.number == 2 && ri.state == STATE_APPROVED,
	    "a revision is read by its number");
	ok(workflow_revision(&d, a, 9, &ri) == OUT_NOT_FOUND && strstr(d.why, "has no revision 9") != NULL,
	    "and a number it does not have is not found (%s)", d.why);
	dom_clear(&d);
	ok(retract_flags(&d, &flags, &n) == OUT_OK && n == 0, "no notice, no flagged article");

	/* readers' questions */
	ok(ask_store(&d, "no", 0, "clinician", &tok) == OUT_INVALID && strcmp(d.errors[0].field, "question") == 0,
	    "a question of two letters is a field error on question");
	dom_clear(&d);
	ok(ask_store(&d, "Does aspirin work?", 999, "clinician", &tok) == OUT_INVALID &&
	    strcmp(d.errors[0].field, "article") == 0 && d.why[0] == '\0',
	    "asking from an article that does not exist is a field error on article, and only that");
	dom_clear(&d);
	ok(ask_store(&d, "Does aspirin  WORK?", a, "clinician", &tok) == OUT_CREATED && tok != NULL &&
	    strlen(tok) == ASK_TOKEN_LEN, "a question is stored, with a token of its own (%s)", d.why);
	ok(tok != NULL && ask_get(&d, tok, &q) == OUT_OK && strcmp(q.text, "Does aspirin  WORK?") == 0 &&
	    q.article == a && q.asked == 1 && strcmp(q.first_token, tok) == 0 && q.answer != NULL,
	    "and read back by it, with the answer it got");
	json_decref(q.answer);
	ok(ask_store(&d, "does aspirin work?", a, "clinician", &tok2) == OUT_CREATED && tok2 != NULL &&
	    strcmp(tok, tok2) != 0, "the same question asked again gets another token");
	ok(tok2 != NULL && ask_get(&d, tok2, &q2) == OUT_OK && strcmp(q2.first_token, tok) == 0 && q2.asked == 2 &&
	    strcmp(q2.text, "does aspirin work?") == 0, "which reads as a repeat counted on the first question");
	json_decref(q2.answer);
	ok(ask_get(&d, "0123456789abcdef0123456789abcdef", &q) == OUT_NOT_FOUND &&
	    strstr(d.why, "no question at this address") != NULL, "a token that names no question is not found");
	dom_clear(&d);
	ok(ask_get(&d, "not-a-token", &q) == OUT_NOT_FOUND, "nor is something that is not a token");

	/* what evqa export reads and evqa import stores */
	{
		struct transfer_revision *rv;
		struct transfer_text *tx;
		struct listed l = { 0, 0, { 0, 0 }, "" };
		struct dbq *s;
		long long found = -1;
		int	 nt, k, any = -1;

		ok(transfer_articles(&d, list_article, &l) == OUT_OK && l.n == 2 && l.ids[0] == a && l.ids[1] == b &&
		    l.slug[0] != '\0', "the export lists both articles in id order");
		l.stop_after = 1;
		l.n = 0;
		ok(transfer_articles(&d, list_article, &l) == OUT_FAILED && l.n == 1,
		    "and stops, failed, when the writer of a line fails");
		dom_clear(&d);
		ok(transfer_revisions(&d, a, 256, &rv, &n) == OUT_OK && n == 2 && rv[0].number == 1 &&
		    rv[1].number == 2 && strcmp(rv[1].question, "Does aspirin work?") == 0 &&
		    strcmp(rv[1].state, "approved") == 0 && strcmp(rv[1].author, "Editor") == 0 &&
		    rv[0].section_ids == NULL && rv[0].created_at != NULL, "the export reads an article's revisions, oldest first");
		ok(transfer_revisions(&d, a, 1, &rv, &n) == OUT_OK && n == 1 && rv[0].number == 1,
		    "at most as many as it asks for");
		rev_id = rv[0].id;
		ok(transfer_texts(&d, rev_id, &tx, &nt) == OUT_OK && nt == 1 && strcmp(tx[0].audience, "clinician") == 0 &&
		    strcmp(tx[0].bottom_line, "It works [1].") == 0 && strncmp(tx[0].body, "## Evidence", 11) == 0,
		    "and each revision's wordings");
		ok(transfer_find_article(&d, NULL, l.slug, &found) == OUT_OK && found == a,
		    "an imported record finds its article by slug");
		ok(transfer_find_article(&d, "medquad-1", NULL, &found) == OUT_NOT_FOUND && found == 0 &&
		    transfer_set_source(&d, a, "medquad-1") == OUT_OK &&
		    transfer_find_article(&d, "medquad-1", NULL, &found) == OUT_OK && found == a,
		    "and by its source id once that is stored");
		dom_clear(&d);
		ok(transfer_find_article(&d, NULL, NULL, &found) == OUT_NOT_FOUND && found == 0,
		    "a record with neither finds nothing");
		ok(transfer_section_ids(&d, rev_id, "[\"s1\",\"s2\"]") == OUT_OK &&
		    transfer_revisions(&d, a, 1, &rv, &n) == OUT_OK && n == 1 && rv[0].section_ids != NULL &&
		    strcmp(rv[0].section_ids, "[\"s1\",\"s2\"]") == 0, "a revision's section ids are stored");
		ok(transfer_provenance(&d, rev_id, "an importer", "MedQuAD", NULL, STATE_APPROVED,
		    "2026-01-02T03:04:05Z") == OUT_OK && transfer_provenance(&d, rev_id, "another", "elsewhere", NULL,
		    STATE_SUBMITTED, "2026-02-02T03:04:05Z") == OUT_OK, "where a revision came from is stored once");
		s = db_stmt(&db, STMT_REVISION_IMPORT_GET);
		db_bind_int(s, 1, rev_id);
		ok(db_step(s) == DB_ROW && strcmp(db_text(s, 0), "an importer") == 0 && strcmp(db_text(s, 1),
		    "MedQuAD") == 0 && db_text(s, 2) == NULL && strcmp(db_text(s, 3), "approved") == 0 &&
		    strcmp(db_text(s, 4), "2026-01-02T03:04:05Z") == 0, "and the first record is the one kept");
		db_reset(s);
		ok(transfer_audit(&d, a, rev_id, STATE_APPROVED, "imported from t.jsonl, line 7") == OUT_OK,
		    "an imported revision's audit row is written");
		s = db_stmt(&db, STMT_AUDIT_LIST);
		db_bind_int(s, 1, a);
		k = 0;
		while (db_step(s) == DB_ROW)
			k += db_text(s, 5) != NULL && strcmp(db_text(s, 5), "imported from t.jsonl, line 7") == 0 &&
			    db_text(s, 3) == NULL && strcmp(db_text(s, 2), "approved") == 0;
		db_reset(s);
		ok(k == 1, "by no account, in its state, with the file and line as its reason");
		ok(transfer_synonym(&d, "asa", "aspirin") == OUT_OK && transfer_synonym(&d, "asa", "aspirin") == OUT_OK,
		    "a synonym is stored, and storing it again is no error");
		s = db_stmt(&db, STMT_SYNONYM_GET);
		db_bind_text(s, 1, "asa");
		k = 0;
		while (db_step(s) == DB_ROW)
			k += strcmp(db_text(s, 0), "aspirin") == 0;
		db_reset(s);
		ok(k == 1, "and kept once");
		ok(catalog_any(&d, &any) == OUT_OK && any == 1, "there are articles now");
		ok(db_integrity_ok(&db) == 1, "and the database passes its integrity check");
	}

	arena_free(&arena);
	tdb_close(&tdb, &db);
	return done_testing();
}
