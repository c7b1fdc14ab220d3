/* content.c: audiences, states, and reading and rendering articles (see content.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "buf.h"
#include "content.h"
#include "db.h"
#include "domain.h"
#include "log.h"
#include "render.h"
#include "section.h"
#include "util.h"

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

enum outcome
content_article_row(struct dom *d, void *stmt, struct article_view *v)
{
	struct dbq *s = stmt;

	v->id = db_int64(s, 0);
	v->slug = arena_strdup(d->arena, db_text(s, 1));
	v->rev_id = db_int64(s, 2);
	v->rev_number = db_int(s, 3);
	v->question = arena_strdup(d->arena, db_text(s, 4));
	v->author = arena_strdup(d->arena, db_text(s, 5));
	v->created_at = arena_strdup(d->arena, db_text(s, 6));
	v->state = state_find(db_text(s, 7));
	v->state_at = arena_strdup(d->arena, db_text(s, 8));
	if (v->slug == NULL || v->question == NULL || v->author == NULL || v->created_at == NULL ||
	    v->state_at == NULL || v->state == STATE__MAX)
		return dom_fail(d, OUT_FAILED, "An article could not be read.");
	return OUT_OK;
}

/* Parses ref->authors_json into ref->authors (the request's memory). Returns 0 or -1. */
static int
authors_parse(struct dom *d, struct reference *ref)
{
	json_t	*a = json_loads(ref->authors_json, 0, NULL), *o;
	size_t	 i;

	ref->nauthors = 0;
	if (!json_is_array(a) || (ref->authors = arena_alloc(d->arena, (json_array_size(a) + 1) *
	    sizeof(*ref->authors))) == NULL) {
		json_decref(a);
		return -1;
	}
	json_array_foreach(a, i, o) {
		struct author *au = &ref->authors[ref->nauthors++];

		au->family = arena_strdup(d->arena, json_string_value(json_object_get(o, "family")));
		au->given = arena_strdup(d->arena, json_string_value(json_object_get(o, "given")));
		au->literal = arena_strdup(d->arena, json_string_value(json_object_get(o, "literal")));
		if (au->family == NULL && au->literal == NULL)
			ref->nauthors--;
	}
	json_decref(a);
	return 0;
}

void
author_initials(const char *given, char *out, size_t outsz)
{
	size_t	 n = 0;
	int	 start = 1;

	for (const unsigned char *p = (const unsigned char *)given; p && *p != '\0' && n + 5 < outsz; p++) {
		if (*p == ' ' || *p == '-' || *p == '.') {
			start = 1;
			continue;
		}
		if (!start || (*p & 0xc0) == 0x80)
			continue;
		start = 0;
		out[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
		/* the rest of a multi-byte letter */
		while ((p[1] & 0xc0) == 0x80 && n + 1 < outsz)
			out[n++] = (char)*++p;
	}
	out[n] = '\0';
}

const char *
reference_authors_line(struct arena *ar, const struct reference *ref)
{
	struct buf b = BUF_INIT;
	const char *out;

	if (ref->nauthors == 0)
		return NULL;
	for (int i = 0; i < ref->nauthors && i < 6; i++) {
		const struct author *a = &ref->authors[i];

		if (i > 0)
			buf_lit(&b, ", ");
		if (a->literal != NULL)
			/* trusted: plain text, escaped where it is written */
			buf_trusted(&b, a->literal, strlen(a->literal));
		else {
			char	 ini[32];

			/* trusted: as above */
			buf_trusted(&b, a->family, strlen(a->family));
			author_initials(a->given, ini, sizeof(ini));
			if (ini[0] != '\0') {
				buf_lit(&b, " ");
				/* trusted: as above */
				buf_trusted(&b, ini, strlen(ini));
			}
		}
	}
	if (ref->nauthors > 6)
		buf_lit(&b, ", et al");
	out = b.err ? NULL : arena_strdup(ar, b.p);
	buf_free(&b);
	return out;
}

enum outcome
content_references(struct dom *d, long long rev_id, struct reference **out, int *nout)
{
	struct dbq *s = db_stmt(d->db, STMT_REFERENCE_LIST);
	struct reference *refs = NULL;
	int	 cap = 0, n = 0, rc;

	*out = NULL;
	*nout = 0;
	db_bind_int(s, 1, rev_id);
	while ((rc = db_step(s)) == DB_ROW) {
		struct reference *ref;

		if ((refs = arena_grow(d->arena, refs, n, &cap, sizeof(*refs))) == NULL) {
			db_reset(s);
			return OUT_FAILED;
		}
		ref = &refs[n++];
		memset(ref, 0, sizeof(*ref));
		ref->num = db_int(s, 0);
		ref->kind = arena_strdup(d->arena, db_text(s, 1));
		ref->title = arena_strdup(d->arena, db_text(s, 2));
		ref->source = arena_strdup(d->arena, db_text(s, 3));
		ref->year = db_int64(s, 4);
		ref->pmid = arena_strdup(d->arena, db_text(s, 5));
		ref->doi = arena_strdup(d->arena, db_text(s, 6));
		ref->url = arena_strdup(d->arena, db_text(s, 7));
		ref->authors_json = arena_strdup(d->arena, db_text(s, 8));
		if (ref->authors_json != NULL && authors_parse(d, ref) == -1)
			log_warnx("revision %lld, reference %d: the stored authors cannot be read", rev_id,
			    ref->num);
	}
	db_reset(s);
	if (rc != DB_DONE) {
		log_warnx("references of revision %lld: %s", rev_id, db_errmsg(d->db));
		return OUT_FAILED;
	}
	*out = refs;
	*nout = n;
	return OUT_OK;
}

enum outcome
content_texts(struct dom *d, long long rev_id, struct text_row **out, int *nout)
{
	struct dbq *s = db_stmt(d->db, STMT_TEXT_ALL);
	struct text_row *t;
	int	 n = 0, rc;

	*nout = 0;
	if ((*out = t = arena_alloc(d->arena, AUD__MAX * sizeof(*t))) == NULL)
		return OUT_FAILED;
	db_bind_int(s, 1, rev_id);
	while ((rc = db_step(s)) == DB_ROW && n < AUD__MAX) {
		t[n].audience = arena_strdup(d->arena, db_text(s, 0));
		t[n].bottom_line = arena_strdup(d->arena, db_text(s, 1));
		t[n].body = arena_strdup(d->arena, db_text(s, 2));
		n++;
	}
	db_reset(s);
	if (rc != DB_DONE && rc != DB_ROW) {
		log_warnx("texts of revision %lld: %s", rev_id, db_errmsg(d->db));
		return OUT_FAILED;
	}
	*nout = n;
	return OUT_OK;
}

static enum outcome
load_references(struct dom *d, struct article_view *v)
{
	struct dbq *s;
	enum outcome oc;

	if ((oc = content_references(d, v->rev_id, &v->refs, &v->nrefs)) != OUT_OK)
		return oc;
	/* retraction watch: the latest notice on each cited study */
	s = db_stmt(d->db, STMT_REFERENCE_FLAGS);
	db_bind_int(s, 1, v->rev_id);
	while (db_step(s) == DB_ROW) {
		int	 num = db_int(s, 0);

		for (int i = 0; i < v->nrefs; i++)
			if (v->refs[i].num == num && v->refs[i].notice_nature == NULL) {
				v->refs[i].notice_nature = arena_strdup(d->arena, db_text(s, 1));
				v->refs[i].notice_date = arena_strdup(d->arena, db_text(s, 2));
			}
	}
	db_reset(s);
	return OUT_OK;
}

/* content_article() and content_revision(): which row stmt (bound to key) finds. */
static enum outcome
content_load(struct dom *d, enum stmt_id which, long long key, const struct audience *aud, int what,
    struct article_view *v)
{
	struct dbq *s;
	enum outcome oc;
	int	 rc;
	long long id = key;

	memset(v, 0, sizeof(*v));
	s = db_stmt(d->db, which);
	db_bind_int(s, 1, key);
	if ((rc = db_step(s)) == DB_DONE)
		return dom_fail(d, OUT_NOT_FOUND, "There is no article with the number %lld.", id);
	if (rc != DB_ROW) {
		log_warnx("article %lld: %s", id, db_errmsg(d->db));
		return OUT_FAILED;
	}
	if ((oc = content_article_row(d, s, v)) != OUT_OK)
		return oc;
	id = v->id;

	s = db_stmt(d->db, STMT_ARTICLE_STANDING);
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, v->rev_id);
	if (db_step(s) == DB_ROW) {
		v->latest_number = db_int(s, 0);
		v->review_by = arena_strdup(d->arena, db_text(s, 1));
		v->approver = arena_strdup(d->arena, db_text(s, 2));
		v->approver_credential = arena_strdup(d->arena, db_text(s, 3));
		v->approved_at = arena_strdup(d->arena, db_text(s, 4));
	}
	db_reset(s);
	s = db_stmt(d->db, STMT_REVISION_REVIEW_STARTED);
	db_bind_int(s, 1, v->rev_id);
	if (db_step(s) == DB_ROW)
		v->review_started_at = arena_strdup(d->arena, db_text(s, 0));
	db_reset(s);
	if (v->approver != NULL) {
		s = db_stmt(d->db, STMT_APPROVER_CONFLICTS);
		db_bind_int(s, 1, v->rev_id);
		if (db_step(s) == DB_ROW)
			v->approver_conflicts = arena_strdup(d->arena, db_text(s, 0));
		db_reset(s);
	}
	s = db_stmt(d->db, STMT_REVISION_IMPORT_GET);
	db_bind_int(s, 1, v->rev_id);
	if (db_step(s) == DB_ROW) {
		v->imported_by = arena_strdup(d->arena, db_text(s, 0));
		v->import_source = arena_strdup(d->arena, db_text(s, 1));
		v->import_url = arena_strdup(d->arena, db_text(s, 2));
		v->import_state = arena_strdup(d->arena, db_text(s, 3));
		v->imported_at = arena_strdup(d->arena, db_text(s, 4));
	}
	db_reset(s);

	s = db_stmt(d->db, STMT_TEXT_AUDIENCES);
	db_bind_int(s, 1, v->rev_id);
	while (db_step(s) == DB_ROW) {
		const struct audience *a = audience_find(db_text(s, 0));

		if (a != NULL)
			v->has_audience |= 1u << (a - audiences);
	}
	v->audience = aud ? aud : &audiences[AUD_CLINICIAN];
	v->wording = (v->has_audience & (1u << (v->audience - audiences))) ? v->audience :
	    &audiences[AUD_CLINICIAN];

	if (what & CONTENT_HTML) {
		/* the statement is not used again in this request: its columns stay valid */
		s = db_stmt(d->db, STMT_TEXT_HTML);
		db_bind_int(s, 1, v->rev_id);
		db_bind_text(s, 2, v->wording->code);
		if (db_step(s) != DB_ROW || (v->html = db_text(s, 0)) == NULL ||
		    (v->bottom_html = db_text(s, 1)) == NULL || (v->cite_counts = db_text(s, 2)) == NULL)
			goto missing;
	}
	if (what & CONTENT_DOC) {
		s = db_stmt(d->db, STMT_TEXT_DOC);
		db_bind_int(s, 1, v->rev_id);
		db_bind_text(s, 2, v->wording->code);
		if (db_step(s) != DB_ROW || (v->doc_json = db_text(s, 0)) == NULL)
			goto missing;
	}
	return (what & CONTENT_REFS) ? load_references(d, v) : OUT_OK;
missing:
	log_warnx("article %lld revision %lld has no rendered %s wording", id, v->rev_id, v->wording->code);
	return dom_fail(d, OUT_FAILED, "This article's text is not available.");
}

enum outcome
content_article(struct dom *d, long long id, const struct audience *aud, int what, struct article_view *v)
{
	return content_load(d, STMT_ARTICLE_SHOWN, id, aud, what, v);
}

enum outcome
content_revision(struct dom *d, long long rev_id, const struct audience *aud, int what,
    struct article_view *v)
{
	return content_load(d, STMT_ARTICLE_REVISION, rev_id, aud, what, v);
}

int
content_sync_audiences(struct db *db, char *err, size_t errsz)
{
	for (int i = 0; i < AUD__MAX; i++) {
		struct dbq *s = db_stmt(db, STMT_AUDIENCE_PUT);

		db_bind_text(s, 1, audiences[i].code);
		db_bind_text(s, 2, audiences[i].label);
		db_bind_int(s, 3, i);
		if (db_step(s) != DB_DONE) {
			snprintf(err, errsz, "cannot write audiences: %s", db_errmsg(db));
			return -1;
		}
	}
	return 0;
}

/* The reference numbers of one revision, as a has[] table. */
static int
reference_table(struct db *db, long long rev, unsigned char has[REF_MAX + 1])
{
	struct dbq *s = db_stmt(db, STMT_REFERENCE_NUMS);
	int	 rc;

	memset(has, 0, REF_MAX + 1);
	db_bind_int(s, 1, rev);
	while ((rc = db_step(s)) == DB_ROW) {
		int n = db_int(s, 0);

		if (n >= 1 && n <= REF_MAX)
			has[n] = 1;
	}
	return rc == DB_DONE ? 0 : -1;
}

/* The citation set and the grades of the clinician wording of rev, rendering it on the way. */
static int
clinician_cited(struct db *db, long long rev, const unsigned char has[REF_MAX + 1],
    unsigned char cited[REF_MAX + 1], struct render_grades *grades, char *err, size_t errsz)
{
	struct dbq *s = db_stmt(db, STMT_TEXT_SOURCE);
	struct render_result rr;
	int	 rc;

	db_bind_int(s, 1, rev);
	db_bind_text(s, 2, "clinician");
	if (db_step(s) != DB_ROW) {
		(void)rev;
		snprintf(err, errsz, "there is no clinician wording; every revision needs one");
		return -1;
	}
	rc = render_text(db_text(s, 0), db_text(s, 1), has, &rr, err, errsz);
	db_reset(s);
	if (rc == -1)
		return -1;
	memcpy(cited, rr.cited, REF_MAX + 1);
	*grades = rr.grades;
	render_result_free(&rr);
	return 0;
}

/* Whether a wording grades its claims otherwise than the clinician wording, with the first difference
 * in msg. */
static int
grades_differ(const struct render_grades *got, const struct render_grades *want, const char *audience,
    char *msg, size_t msgsz)
{
	for (int r = 0; r < GRADE_REC__MAX; r++)
		for (int k = 1; k < GRADE_CERT__MAX; k++) {
			char	 what[80];

			if (got->n[r][k] == want->n[r][k])
				continue;
			snprintf(what, sizeof(what), "%s%s%s certainty", r ? grade_recs[r].code : "",
			    r ? " recommendation, " : "", grade_certs[k].code);
			snprintf(msg, msgsz, "%s wording: it grades %d %s as %s, the clinician wording %d; every "
			    "audience's wording must grade the same claims the same way", audience, got->n[r][k],
			    got->n[r][k] == 1 ? "claim" : "claims", what, want->n[r][k]);
			return 1;
		}
	return 0;
}

int
content_render_pending(struct db *db, char *err, size_t errsz)
{
	struct todo { long long rev; char audience[33]; char *bottom, *body; } *todo = NULL;
	size_t	 n = 0, cap = 0, i;
	struct dbq *s = db_stmt(db, STMT_TEXT_UNRENDERED);
	unsigned char has[REF_MAX + 1], want[REF_MAX + 1];
	struct render_grades want_grades;
	long long cur = -1;
	int	 rc = -1;
	char	 msg[300];

	/* Read the list first: rendering writes to the table being read. */
	while ((rc = db_step(s)) == DB_ROW) {
		if (n == cap) {
			struct todo *t = realloc(todo, (cap = cap ? cap * 2 : 16) * sizeof(*t));

			if (t == NULL)
				goto oom;
			todo = t;
		}
		todo[n].rev = db_int64(s, 0);
		snprintf(todo[n].audience, sizeof(todo[n].audience), "%s", db_text(s, 1));
		todo[n].bottom = strdup(db_text(s, 2));
		todo[n].body = strdup(db_text(s, 3));
		n++;
		if (todo[n - 1].bottom == NULL || todo[n - 1].body == NULL)
			goto oom;
	}
	db_reset(s);
	rc = -1;
	for (i = 0; i < n; i++) {
		struct render_result rr;
		const char *where = todo[i].audience;

		if (todo[i].rev != cur) {
			cur = todo[i].rev;
			if (reference_table(db, cur, has) == -1 ||
			    clinician_cited(db, cur, has, want, &want_grades, msg, sizeof(msg)) == -1) {
				/* for a person: which wording and where, never evqa's own numbers */
				snprintf(err, errsz, "the clinician wording: %s", msg);
				goto out;
			}
		}
		if (render_text_words(todo[i].bottom, todo[i].body, has, strcmp(where, "patient") == 0 ?
		    RENDER_WORDS_PLAIN : RENDER_WORDS_CLINICAL, &rr, msg, sizeof(msg)) == -1) {
			snprintf(err, errsz, "the %s wording: %s", where, msg);
			goto out;
		}
		if (memcmp(rr.cited, want, sizeof(want)) != 0) {
			int k;

			for (k = 1; k <= REF_MAX && rr.cited[k] == want[k]; k++)
				;
			snprintf(err, errsz, "the %s wording: it %s reference %d, which the clinician "
			    "wording %s; every audience's wording must cite the same references", where,
			    rr.cited[k] ? "cites" : "does not cite", k, want[k] ? "cites" : "does not");
			render_result_free(&rr);
			goto out;
		}
		if (grades_differ(&rr.grades, &want_grades, where, msg, sizeof(msg))) {
			snprintf(err, errsz, "the %s", msg);
			render_result_free(&rr);
			goto out;
		}
		s = db_stmt(db, STMT_TEXT_STORE);
		db_bind_int(s, 1, cur);
		db_bind_text(s, 2, todo[i].audience);
		db_bind_text(s, 3, rr.html);
		db_bind_text(s, 4, rr.bottom_html);
		db_bind_text(s, 5, rr.doc_json);
		db_bind_text(s, 6, rr.cite_counts);
		if (db_step(s) != DB_DONE) {
			snprintf(err, errsz, "cannot store rendered text: %s", db_errmsg(db));
			render_result_free(&rr);
			goto out;
		}
		db_reset(s);
		render_result_free(&rr);
	}
	/* the search sections follow the shown wording */
	for (i = 0; i < n; i++)
		if ((i == 0 || todo[i].rev != todo[i - 1].rev) &&
		    section_refresh_revision(db, todo[i].rev, err, errsz) == -1)
			goto out;
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

void
content_slugify(const char *text, char *out, size_t outsz)
{
	size_t	 n = 0;
	int	 dash = 0;

	for (const unsigned char *p = (const unsigned char *)text; *p != '\0' && n + 1 < outsz; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
			if (dash && n > 0 && n + 2 < outsz)
				out[n++] = '-';
			out[n++] = (char)*p;
			dash = 0;
		} else if (*p >= 'A' && *p <= 'Z') {
			if (dash && n > 0 && n + 2 < outsz)
				out[n++] = '-';
			out[n++] = (char)(*p - 'A' + 'a');
			dash = 0;
		} else
			dash = 1;
		if (n >= 80) {
			/* cut at the last whole word: "...-type-2-diabet" reads as a typo */
			int	 more = p[1] != '\0' && ((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z') ||
			    (p[1] >= '0' && p[1] <= '9'));
			size_t	 k = n;

			while (more && k > 40 && out[k - 1] != '-')
				k--;
			if (more && k > 40)
				n = k;
			break;
		}
	}
	while (n > 0 && out[n - 1] == '-')
		n--;
	if (n == 0)
		snprintf(out, outsz, "article");
	else
		out[n] = '\0';
}

static int
field_fail(struct content_error *err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
field_fail(struct content_error *err, const char *field, const char *fmt, ...)
{
	va_list	 ap;

	snprintf(err->field, sizeof(err->field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
	return -1;
}

/* Checks one optional text field: valid UTF-8, no control characters, at most max bytes. */
static int
check_plain(struct content_error *err, const char *field, const char *s, size_t max, int required)
{
	size_t	 n;

	if (s == NULL || s[0] == '\0')
		return required ? field_fail(err, field, "is required.") : 0;
	n = strlen(s);
	if (n > max)
		return field_fail(err, field, "is %zu bytes long; at most %zu are allowed.", n, max);
	if (!utf8_valid(s, n))
		return field_fail(err, field, "is not valid UTF-8 text.");
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return field_fail(err, field, "contains a control character or a line break.");
	return 0;
}

/* Checks the authors (a JSON array) of reference num; with canon, writes them as they are stored
 * (malloc'd; NULL when there are none). Returns 0 or -1 with err filled. */
static int
authors_check(const char *json, int num, struct content_error *err, char **canon)
{
	json_error_t je;
	json_t	*a, *o, *out = NULL;
	size_t	 i;
	char	 f[64];
	int	 rc = -1;

	if (canon != NULL)
		*canon = NULL;
	if (json == NULL || json[0] == '\0')
		return 0;
	snprintf(f, sizeof(f), "references[%d].authors", num);
	if ((a = json_loads(json, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return field_fail(err, f, "is not a list of authors: %s.", je.text);
	if (!json_is_array(a) || json_array_size(a) > AUTHORS_MAX) {
		field_fail(err, f, "must be a list of at most %d authors.", AUTHORS_MAX);
		goto out;
	}
	if ((out = json_array()) == NULL)
		goto out;
	json_array_foreach(a, i, o) {
		const char *k;
		json_t	*v;
		const char *family = json_string_value(json_object_get(o, "family"));
		const char *given = json_string_value(json_object_get(o, "given"));
		const char *literal = json_string_value(json_object_get(o, "literal"));

		snprintf(f, sizeof(f), "references[%d].authors[%zu]", num, i + 1);
		if (!json_is_object(o)) {
			field_fail(err, f, "must be a person {\"family\", \"given\"} or a group {\"literal\"}.");
			goto out;
		}
		json_object_foreach(o, k, v)
			if ((strcmp(k, "family") != 0 && strcmp(k, "given") != 0 && strcmp(k, "literal") != 0) ||
			    !json_is_string(v)) {
				field_fail(err, f, "has '%.40s': an author has only the names family, given (a "
				    "person) or literal (a group), as text.", k);
				goto out;
			}
		if ((family == NULL) == (literal == NULL) || (literal != NULL && given != NULL)) {
			field_fail(err, f, "needs a family name (and given names) for a person, or one literal "
			    "name for a group.");
			goto out;
		}
		if (check_plain(err, f, family, AUTHOR_NAME_MAX, 0) == -1 ||
		    check_plain(err, f, given, AUTHOR_NAME_MAX, 0) == -1 ||
		    check_plain(err, f, literal, AUTHOR_NAME_MAX, 0) == -1)
			goto out;
		if ((family != NULL && family[0] == '\0') || (literal != NULL && literal[0] == '\0')) {
			field_fail(err, f, "has an empty name.");
			goto out;
		}
		json_array_append_new(out, literal ? json_pack("{s:s}", "literal", literal) :
		    json_pack("{s:s, s:s?}", "family", family, "given", given && given[0] ? given : NULL));
	}
	rc = 0;
	if (canon != NULL && json_array_size(out) > 0 && (*canon = json_dumps(out, JSON_COMPACT)) == NULL)
		rc = field_fail(err, "", "out of memory");
out:
	json_decref(a);
	json_decref(out);
	return rc;
}

int
content_authors_same(const char *in_json, const char *stored)
{
	struct content_error err;
	char	*canon;
	int	 same;

	if (authors_check(in_json, 1, &err, &canon) == -1)
		return 0;
	same = canon == NULL ? stored == NULL || stored[0] == '\0' || strcmp(stored, "[]") == 0 :
	    stored != NULL && strcmp(canon, stored) == 0;
	free(canon);
	return same;
}

static int
check_reference(const struct reference_in *ref, int num, struct content_error *err)
{
	char	 f[64];
	static const char *const kinds[] = { "guideline", "systematic_review", "research", "review", "other" };
	int	 kind_ok = 0;

	snprintf(f, sizeof(f), "references[%d].kind", num);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (ref->kind != NULL && strcmp(ref->kind, kinds[i]) == 0)
			kind_ok = 1;
	if (!kind_ok)
		return field_fail(err, f, "must be one of guideline, systematic_review, research, review, other.");
	snprintf(f, sizeof(f), "references[%d].title", num);
	if (check_plain(err, f, ref->title, REF_TITLE_MAX, 1) == -1)
		return -1;
	snprintf(f, sizeof(f), "references[%d].source", num);
	if (check_plain(err, f, ref->source, REF_FIELD_MAX, 0) == -1)
		return -1;
	snprintf(f, sizeof(f), "references[%d].year", num);
	if (ref->year != 0 && (ref->year < 1800 || ref->year > 2200))
		return field_fail(err, f, "must be a year from 1800 to 2200.");
	snprintf(f, sizeof(f), "references[%d].pmid", num);
	if (ref->pmid != NULL && ref->pmid[0] != '\0' && (strlen(ref->pmid) > 10 ||
	    strspn(ref->pmid, "0123456789") != strlen(ref->pmid)))
		return field_fail(err, f, "must be a PubMed id: up to 10 digits.");
	snprintf(f, sizeof(f), "references[%d].doi", num);
	if (check_plain(err, f, ref->doi, REF_FIELD_MAX, 0) == -1)
		return -1;
	if (ref->doi != NULL && ref->doi[0] != '\0' && (strncmp(ref->doi, "10.", 3) != 0 ||
	    strchr(ref->doi, '/') == NULL || strpbrk(ref->doi, " \"<>") != NULL))
		return field_fail(err, f, "must be a DOI such as 10.1056/NEJMoa0905561.");
	snprintf(f, sizeof(f), "references[%d].url", num);
	if (check_plain(err, f, ref->url, REF_TITLE_MAX, 0) == -1)
		return -1;
	if (ref->url != NULL && ref->url[0] != '\0' && ((strncmp(ref->url, "https://", 8) != 0 &&
	    strncmp(ref->url, "http://", 7) != 0) || strpbrk(ref->url, " \"<>") != NULL))
		return field_fail(err, f, "must be an http:// or https:// address.");
	return authors_check(ref->authors_json, num, err, NULL);
}

static void
bind_opt(struct dbq *s, int i, const char *v)
{
	if (v == NULL || v[0] == '\0')
		db_bind_null(s, i);
	else
		db_bind_text(s, i, v);
}

static int
step_done(struct db *db, struct dbq *s, struct content_error *err)
{
	int	 rc = db_step(s);

	db_reset(s);
	if (rc != DB_DONE)
		return field_fail(err, "", "the database refused the change: %s", db_errmsg(db));
	return 0;
}

long long
content_save(struct db *db, long long article_id, const char *slug, const struct revision_in *rev,
    long long *article_out, struct content_error *err)
{
	struct dbq *s;
	char	 now[21], sl[128], msg[400];
	long long rev_id;
	int	 number, has_clinician = 0;
	const char *created = rev->created_at;

	memset(err, 0, sizeof(*err));
	if (check_plain(err, "question", rev->question, QUESTION_MAX, 1) == -1 ||
	    check_plain(err, "author", rev->author, REF_FIELD_MAX, 1) == -1)
		return -1;
	if (rev->state >= STATE__MAX)
		return field_fail(err, "state", "is not a review state.");
	if (rev->nrefs > REF_MAX)
		return field_fail(err, "references", "has %d entries; at most %d are allowed.", rev->nrefs, REF_MAX);
	for (int i = 0; i < rev->nrefs; i++)
		if (check_reference(&rev->refs[i], i + 1, err) == -1)
			return -1;
	for (int i = 0; i < rev->ntexts; i++) {
		char	 f[64];

		snprintf(f, sizeof(f), "texts[%d].audience", i);
		if (audience_find(rev->texts[i].audience) == NULL)
			return field_fail(err, f, "must be one of the audience codes.");
		for (int k = 0; k < i; k++)
			if (strcmp(rev->texts[k].audience, rev->texts[i].audience) == 0)
				return field_fail(err, f, "names the audience %s twice.", rev->texts[i].audience);
		if (strcmp(rev->texts[i].audience, "clinician") == 0)
			has_clinician = 1;
		if (rev->texts[i].bottom_line == NULL || rev->texts[i].body == NULL)
			return field_fail(err, f, "needs a bottom line and a body.");
	}
	if (!has_clinician)
		return field_fail(err, "texts", "needs the clinician wording; other audiences are optional.");
	if (created == NULL) {
		time_now_iso(now);
		created = now;
	}
	if (article_id == 0) {
		content_slugify(slug ? slug : rev->question, sl, sizeof(sl));
		/* the same question asked twice keeps both articles, at distinct addresses */
		for (int k = 2, taken = 1; taken && k < 1000; k++) {
			s = db_stmt(db, STMT_ARTICLE_SLUG_TAKEN);
			db_bind_text_copy(s, 1, sl);
			db_bind_int(s, 2, 0);
			taken = db_step(s) == DB_ROW && db_int(s, 0);
			db_reset(s);
			if (taken) {
				char	 base[100];

				content_slugify(slug ? slug : rev->question, base, sizeof(base));
				snprintf(sl, sizeof(sl), "%.99s-%d", base, k);
			}
		}
		s = db_stmt(db, STMT_ARTICLE_INSERT);
		db_bind_text(s, 1, sl);
		db_bind_text(s, 2, created);
		if (step_done(db, s, err) == -1)
			return -1;
		article_id = db_last_id(db);
	}
	s = db_stmt(db, STMT_REVISION_NEXT_NUMBER);
	db_bind_int(s, 1, article_id);
	number = db_step(s) == DB_ROW ? db_int(s, 0) : 1;
	db_reset(s);
	s = db_stmt(db, STMT_REVISION_INSERT);
	db_bind_int(s, 1, article_id);
	db_bind_int(s, 2, number);
	db_bind_text(s, 3, rev->question);
	db_bind_text(s, 4, rev->author);
	db_bind_text(s, 5, created);
	db_bind_text(s, 6, states[rev->state].code);
	if (rev->author_user_id > 0)
		db_bind_int(s, 7, rev->author_user_id);
	if (step_done(db, s, err) == -1)
		return -1;
	rev_id = db_last_id(db);
	for (int i = 0; i < rev->nrefs; i++) {
		const struct reference_in *ref = &rev->refs[i];
		char	*authors;

		s = db_stmt(db, STMT_REFERENCE_INSERT);
		db_bind_int(s, 1, rev_id);
		db_bind_int(s, 2, i + 1);
		db_bind_text(s, 3, ref->kind);
		db_bind_text(s, 4, ref->title);
		bind_opt(s, 5, ref->source);
		if (ref->year)
			db_bind_int(s, 6, ref->year);
		bind_opt(s, 7, ref->pmid);
		bind_opt(s, 8, ref->doi);
		bind_opt(s, 9, ref->url);
		if (authors_check(ref->authors_json, i + 1, err, &authors) == -1) {
			db_reset(s);
			return -1;
		}
		if (authors != NULL)
			db_bind_text_owned(s, 10, authors);
		if (step_done(db, s, err) == -1)
			return -1;
	}
	for (int i = 0; i < rev->ntexts; i++) {
		s = db_stmt(db, STMT_TEXT_INSERT);
		db_bind_int(s, 1, rev_id);
		db_bind_text(s, 2, rev->texts[i].audience);
		db_bind_text(s, 3, rev->texts[i].bottom_line);
		db_bind_text(s, 4, rev->texts[i].body);
		if (step_done(db, s, err) == -1)
			return -1;
	}
	if (content_render_pending(db, msg, sizeof(msg)) == -1)
		return field_fail(err, "texts", "%s", msg);
	if (article_out != NULL)
		*article_out = article_id;
	return rev_id;
}

int
content_review_overdue(const struct article_view *v, const char *now)
{
	return v->state == STATE_APPROVED && v->review_by != NULL && strcmp(v->review_by, now) < 0;
}

const char *
content_review_due(const struct article_view *v, const char *now)
{
	return v->state == STATE_APPROVED && v->review_by != NULL && strcmp(now, v->review_by) < 0 ?
	    v->review_by : NULL;
}
