/* transfer.c: the statements of evqa export and evqa import (see transfer.h). */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "db.h"
#include "transfer.h"
#include "util.h"

/* Steps s, a write, and resets it: OUT_OK, or OUT_FAILED with the engine's words. */
static enum outcome
write_done(struct dom *d, struct dbq *s)
{
	int	 rc = db_step(s);

	db_reset(s);
	return rc == DB_DONE ? OUT_OK : dom_fail(d, OUT_FAILED, "%s", db_errmsg(d->db));
}

enum outcome
transfer_articles(struct dom *d, int (*each)(const struct transfer_article *, void *), void *arg)
{
	struct dbq *s = db_stmt(d->db, STMT_EXPORT_ARTICLES);
	struct transfer_article a;
	int	 rc;

	while ((rc = db_step(s)) == DB_ROW) {
		a.id = db_int64(s, 0);
		a.slug = db_text(s, 1);
		a.source_id = db_text(s, 2);
		a.created_at = db_text(s, 3);
		if (each(&a, arg) == -1)
			break;
	}
	if (rc != DB_DONE)
		dom_fail(d, OUT_FAILED, "%s", rc == DB_ROW ? "stopped" : db_errmsg(d->db));
	db_reset(s);
	return rc == DB_DONE ? OUT_OK : OUT_FAILED;
}

/* Decodes a row of export_revisions (id, number, question, author, created_at, state, section_ids). */
static void
revision_read(struct dom *d, struct dbq *s, struct transfer_revision *r)
{
	r->id = db_int64(s, 0);
	r->number = db_int(s, 1);
	r->question = arena_strdup(d->arena, db_text(s, 2));
	r->author = arena_strdup(d->arena, db_text(s, 3));
	r->created_at = arena_strdup(d->arena, db_text(s, 4));
	r->state = arena_strdup(d->arena, db_text(s, 5));
	r->section_ids = arena_strdup(d->arena, db_text(s, 6));
}

enum outcome
transfer_revisions(struct dom *d, long long id, int max, struct transfer_revision **out, int *n)
{
	struct dbq *s = db_stmt(d->db, STMT_EXPORT_REVISIONS);
	int	 rc, cap = 0;

	*out = NULL;
	*n = 0;
	db_bind_int(s, 1, id);
	while ((rc = db_step(s)) == DB_ROW && *n < max) {
		if ((*out = arena_grow(d->arena, *out, *n, &cap, sizeof(**out))) == NULL) {
			*n = 0;
			break;
		}
		revision_read(d, s, &(*out)[(*n)++]);
	}
	db_reset(s);
	if (rc != DB_DONE && (rc != DB_ROW || *out == NULL))
		return dom_fail(d, OUT_FAILED, "%s", rc == DB_ROW ? "out of memory" : db_errmsg(d->db));
	return OUT_OK;
}

/* Decodes a row of export_texts (audience, bottom_line, body). */
static void
text_read(struct dom *d, struct dbq *s, struct transfer_text *t)
{
	t->audience = arena_strdup(d->arena, db_text(s, 0));
	t->bottom_line = arena_strdup(d->arena, db_text(s, 1));
	t->body = arena_strdup(d->arena, db_text(s, 2));
}

enum outcome
transfer_texts(struct dom *d, long long rev_id, struct transfer_text **out, int *n)
{
	struct dbq *s = db_stmt(d->db, STMT_EXPORT_TEXTS);
	int	 rc, cap = 0;

	*out = NULL;
	*n = 0;
	db_bind_int(s, 1, rev_id);
	while ((rc = db_step(s)) == DB_ROW) {
		if ((*out = arena_grow(d->arena, *out, *n, &cap, sizeof(**out))) == NULL) {
			*n = 0;
			break;
		}
		text_read(d, s, &(*out)[(*n)++]);
	}
	db_reset(s);
	if (rc != DB_DONE)
		return dom_fail(d, OUT_FAILED, "%s", rc == DB_ROW ? "out of memory" : db_errmsg(d->db));
	return OUT_OK;
}

enum outcome
transfer_find_article(struct dom *d, const char *source_id, const char *slug, long long *id)
{
	struct dbq *s = db_stmt(d->db, source_id ? STMT_ARTICLE_BY_SOURCE : STMT_ARTICLE_BY_SLUG);

	*id = 0;
	if (source_id == NULL && slug == NULL)
		return dom_fail(d, OUT_NOT_FOUND, "no source id and no slug");
	db_bind_text(s, 1, source_id ? source_id : slug);
	if (db_step(s) == DB_ROW)
		*id = db_int64(s, 0);
	db_reset(s);
	return *id != 0 ? OUT_OK : dom_fail(d, OUT_NOT_FOUND, "no such article");
}

enum outcome
transfer_provenance(struct dom *d, long long rev, const char *by, const char *source, const char *source_url,
    enum state st, const char *at)
{
	struct dbq *s = db_stmt(d->db, STMT_REVISION_IMPORT_PUT);

	db_bind_int(s, 1, rev);
	db_bind_text(s, 2, by);
	db_bind_text(s, 3, source);
	db_bind_text(s, 4, source_url);
	db_bind_text(s, 5, states[st].code);
	db_bind_text(s, 6, at);
	return write_done(d, s);
}

enum outcome
transfer_audit(struct dom *d, long long article, long long rev, enum state st, const char *reason)
{
	struct dbq *s = db_stmt(d->db, STMT_AUDIT_INSERT);
	char	 now[21];

	time_now_iso(now);
	db_bind_int(s, 1, article);
	db_bind_int(s, 2, rev);
	db_bind_text(s, 4, states[st].code);
	db_bind_text_copy(s, 6, reason);
	db_bind_text_copy(s, 7, now);
	return write_done(d, s);
}

/* Runs the write st that sets the text of row id (?1 the row, ?2 the text). */
static enum outcome
set_text(struct dom *d, enum stmt_id st, long long id, const char *text)
{
	struct dbq *s = db_stmt(d->db, st);

	db_bind_int(s, 1, id);
	db_bind_text(s, 2, text);
	return write_done(d, s);
}

enum outcome
transfer_section_ids(struct dom *d, long long rev, const char *ids)
{
	return set_text(d, STMT_REVISION_SET_SECTION_IDS, rev, ids);
}

enum outcome
transfer_set_source(struct dom *d, long long article, const char *source_id)
{
	return set_text(d, STMT_ARTICLE_SET_SOURCE, article, source_id);
}

enum outcome
transfer_synonym(struct dom *d, const char *term, const char *expansion)
{
	struct dbq *s = db_stmt(d->db, STMT_SYNONYM_PUT);

	db_bind_text(s, 1, term);
	db_bind_text(s, 2, expansion);
	return write_done(d, s);
}
