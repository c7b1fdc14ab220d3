/* content.c: audiences, states, and reading and rendering articles (see content.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "db.h"
#include "log.h"
#include "render.h"
#include "req.h"

const struct audience audiences[AUD__MAX] = {
	[AUD_CLINICIAN] = { "clinician", "Physician or advanced practice clinician" },
	[AUD_NURSE] = { "nurse", "Nurse" },
	[AUD_PHARMACIST] = { "pharmacist", "Pharmacist" },
	[AUD_STUDENT] = { "student", "Student or trainee" },
	[AUD_PATIENT] = { "patient", "Patient or caregiver" },
};

const struct state_def states[STATE__MAX] = {
	[STATE_SUBMITTED] = { "submitted", "Submitted" },
	[STATE_UNDER_REVIEW] = { "under_review", "Under review" },
	[STATE_APPROVED] = { "approved", "Approved" },
};

const struct audience *
audience_findn(const char *code, size_t n)
{
	for (int i = 0; i < AUD__MAX; i++)
		if (strlen(audiences[i].code) == n && strncmp(audiences[i].code, code, n) == 0)
			return &audiences[i];
	return NULL;
}

const struct audience *
audience_find(const char *code)
{
	return code ? audience_findn(code, strlen(code)) : NULL;
}

void
audience_list_codes(char *out, size_t outsz)
{
	size_t	 l = 0;

	out[0] = '\0';
	for (int i = 0; i < AUD__MAX && l < outsz; i++)
		l += (size_t)snprintf(out + l, outsz - l, "%s%s", i ? ", " : "", audiences[i].code);
}

enum state
state_find(const char *code)
{
	for (int i = 0; i < STATE__MAX; i++)
		if (code != NULL && strcmp(states[i].code, code) == 0)
			return (enum state)i;
	return STATE__MAX;
}

const char *
reference_kind_label(const char *kind)
{
	static const struct { const char *kind, *label; } kinds[] = {
		{ "guideline", "Guideline" },
		{ "systematic_review", "Systematic review" },
		{ "research", "Research" },
		{ "review", "Review" },
		{ "other", "Other" },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kind != NULL && strcmp(kind, kinds[i].kind) == 0)
			return kinds[i].label;
	return "Other";
}

int
content_article_row(struct req *r, void *stmt, struct article_view *v)
{
	sqlite3_stmt *s = stmt;

	v->id = sqlite3_column_int64(s, 0);
	v->slug = req_strdup(r, db_text(s, 1));
	v->rev_id = sqlite3_column_int64(s, 2);
	v->rev_number = sqlite3_column_int(s, 3);
	v->question = req_strdup(r, db_text(s, 4));
	v->author = req_strdup(r, db_text(s, 5));
	v->created_at = req_strdup(r, db_text(s, 6));
	v->state = state_find(db_text(s, 7));
	v->state_at = req_strdup(r, db_text(s, 8));
	if (v->slug == NULL || v->question == NULL || v->author == NULL || v->created_at == NULL ||
	    v->state_at == NULL || v->state == STATE__MAX)
		return req_fail(r, 500, "An article could not be read.");
	return 200;
}

static int
load_references(struct req *r, struct article_view *v)
{
	sqlite3_stmt *s = db_stmt(r->db, STMT_REFERENCE_LIST);
	int	 cap = 8, rc;

	if ((v->refs = req_alloc(r, (size_t)cap * sizeof(*v->refs))) == NULL)
		return 500;
	sqlite3_bind_int64(s, 1, v->rev_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct reference *ref;

		if (v->nrefs == cap) {
			struct reference *n = req_alloc(r, (size_t)cap * 2 * sizeof(*n));

			if (n == NULL)
				return 500;
			memcpy(n, v->refs, (size_t)cap * sizeof(*n));
			v->refs = n;
			cap *= 2;
		}
		ref = &v->refs[v->nrefs++];
		ref->num = sqlite3_column_int(s, 0);
		ref->kind = req_strdup(r, db_text(s, 1));
		ref->title = req_strdup(r, db_text(s, 2));
		ref->source = req_strdup(r, db_text(s, 3));
		ref->year = sqlite3_column_int64(s, 4);
		ref->pmid = req_strdup(r, db_text(s, 5));
		ref->doi = req_strdup(r, db_text(s, 6));
		ref->url = req_strdup(r, db_text(s, 7));
	}
	if (rc != SQLITE_DONE) {
		log_warnx("references of revision %lld: %s", v->rev_id, sqlite3_errmsg(r->db->conn));
		return 500;
	}
	return 200;
}

int
content_article(struct req *r, long long id, const struct audience *aud, int what, struct article_view *v)
{
	sqlite3_stmt *s;
	int	 rc;

	memset(v, 0, sizeof(*v));
	s = db_stmt(r->db, STMT_ARTICLE_SHOWN);
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_DONE)
		return req_fail(r, 404, "There is no article with the number %lld.", id);
	if (rc != SQLITE_ROW) {
		log_warnx("article %lld: %s", id, sqlite3_errmsg(r->db->conn));
		return 500;
	}
	if ((rc = content_article_row(r, s, v)) != 200)
		return rc;

	s = db_stmt(r->db, STMT_TEXT_AUDIENCES);
	sqlite3_bind_int64(s, 1, v->rev_id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const struct audience *a = audience_find(db_text(s, 0));

		if (a != NULL)
			v->has_audience |= 1u << (a - audiences);
	}
	v->audience = aud ? aud : &audiences[AUD_CLINICIAN];
	v->wording = (v->has_audience & (1u << (v->audience - audiences))) ? v->audience :
	    &audiences[AUD_CLINICIAN];

	if (what & CONTENT_HTML) {
		/* the statement is not used again in this request: its columns stay valid */
		s = db_stmt(r->db, STMT_TEXT_HTML);
		sqlite3_bind_int64(s, 1, v->rev_id);
		sqlite3_bind_text(s, 2, v->wording->code, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_ROW || (v->html = db_text(s, 0)) == NULL ||
		    (v->bottom_html = db_text(s, 1)) == NULL || (v->cite_counts = db_text(s, 2)) == NULL)
			goto missing;
	}
	if (what & CONTENT_DOC) {
		s = db_stmt(r->db, STMT_TEXT_DOC);
		sqlite3_bind_int64(s, 1, v->rev_id);
		sqlite3_bind_text(s, 2, v->wording->code, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_ROW || (v->doc_json = db_text(s, 0)) == NULL)
			goto missing;
	}
	return (what & CONTENT_REFS) ? load_references(r, v) : 200;
missing:
	log_warnx("article %lld revision %lld has no rendered %s wording", id, v->rev_id, v->wording->code);
	return req_fail(r, 500, "This article's text is not available.");
}

int
content_sync_audiences(struct db *db, char *err, size_t errsz)
{
	for (int i = 0; i < AUD__MAX; i++) {
		sqlite3_stmt *s = db_stmt(db, STMT_AUDIENCE_PUT);

		sqlite3_bind_text(s, 1, audiences[i].code, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, audiences[i].label, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 3, i);
		if (sqlite3_step(s) != SQLITE_DONE) {
			snprintf(err, errsz, "cannot write audiences: %s", sqlite3_errmsg(db->conn));
			return -1;
		}
	}
	return 0;
}

/* The reference numbers of one revision, as a has[] table. */
static int
reference_table(struct db *db, long long rev, unsigned char has[REF_MAX + 1])
{
	sqlite3_stmt *s = db_stmt(db, STMT_REFERENCE_NUMS);
	int	 rc;

	memset(has, 0, REF_MAX + 1);
	sqlite3_bind_int64(s, 1, rev);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int n = sqlite3_column_int(s, 0);

		if (n >= 1 && n <= REF_MAX)
			has[n] = 1;
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The citation set of the clinician wording of rev, rendering it on the way. */
static int
clinician_cited(struct db *db, long long rev, const unsigned char has[REF_MAX + 1],
    unsigned char cited[REF_MAX + 1], char *err, size_t errsz)
{
	sqlite3_stmt *s = db_stmt(db, STMT_TEXT_SOURCE);
	struct render_result rr;
	int	 rc;

	sqlite3_bind_int64(s, 1, rev);
	sqlite3_bind_text(s, 2, "clinician", -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		snprintf(err, errsz, "revision %lld has no clinician wording; every revision needs one", rev);
		return -1;
	}
	rc = render_text(db_text(s, 0), db_text(s, 1), has, &rr, err, errsz);
	sqlite3_reset(s);
	if (rc == -1)
		return -1;
	memcpy(cited, rr.cited, REF_MAX + 1);
	render_result_free(&rr);
	return 0;
}

int
content_render_pending(struct db *db, char *err, size_t errsz)
{
	struct todo { long long rev; char audience[33]; char *bottom, *body; } *todo = NULL;
	size_t	 n = 0, cap = 0, i;
	sqlite3_stmt *s = db_stmt(db, STMT_TEXT_UNRENDERED);
	unsigned char has[REF_MAX + 1], want[REF_MAX + 1];
	long long cur = -1;
	int	 rc = -1;
	char	 msg[300];

	/* Read the list first: rendering writes to the table being read. */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			struct todo *t = realloc(todo, (cap = cap ? cap * 2 : 16) * sizeof(*t));

			if (t == NULL)
				goto oom;
			todo = t;
		}
		todo[n].rev = sqlite3_column_int64(s, 0);
		snprintf(todo[n].audience, sizeof(todo[n].audience), "%s", db_text(s, 1));
		todo[n].bottom = strdup(db_text(s, 2));
		todo[n].body = strdup(db_text(s, 3));
		n++;
		if (todo[n - 1].bottom == NULL || todo[n - 1].body == NULL)
			goto oom;
	}
	sqlite3_reset(s);
	rc = -1;
	for (i = 0; i < n; i++) {
		struct render_result rr;
		const char *where = todo[i].audience;

		if (todo[i].rev != cur) {
			cur = todo[i].rev;
			if (reference_table(db, cur, has) == -1 ||
			    clinician_cited(db, cur, has, want, msg, sizeof(msg)) == -1) {
				snprintf(err, errsz, "revision %lld, clinician wording: %s", cur, msg);
				goto out;
			}
		}
		if (render_text(todo[i].bottom, todo[i].body, has, &rr, msg, sizeof(msg)) == -1) {
			snprintf(err, errsz, "revision %lld, %s wording: %s", cur, where, msg);
			goto out;
		}
		if (memcmp(rr.cited, want, sizeof(want)) != 0) {
			int k;

			for (k = 1; k <= REF_MAX && rr.cited[k] == want[k]; k++)
				;
			snprintf(err, errsz, "revision %lld, %s wording: it %s reference %d, which the clinician "
			    "wording %s; every audience's wording must cite the same references", cur, where,
			    rr.cited[k] ? "cites" : "does not cite", k, want[k] ? "cites" : "does not");
			render_result_free(&rr);
			goto out;
		}
		s = db_stmt(db, STMT_TEXT_STORE);
		sqlite3_bind_int64(s, 1, cur);
		sqlite3_bind_text(s, 2, todo[i].audience, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, rr.html, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, rr.bottom_html, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, rr.doc_json, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, rr.cite_counts, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE) {
			snprintf(err, errsz, "cannot store rendered text: %s", sqlite3_errmsg(db->conn));
			render_result_free(&rr);
			goto out;
		}
		sqlite3_reset(s);
		render_result_free(&rr);
	}
	rc = 0;
	goto out;
oom:
	snprintf(err, errsz, "out of memory");
	rc = -1;
out:
	for (i = 0; i < n; i++) {
		free(todo[i].bottom);
		free(todo[i].body);
	}
	free(todo);
	return rc;
}
