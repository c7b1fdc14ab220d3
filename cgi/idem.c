/* idem.c: the idempotency store (idem.h): the statements idem_* of sql/queries.sql. */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "db.h"
#include "idem.h"

enum idem_claim
idem_claim(struct db *db, struct arena *ar, const char *scope, const char *key, const char *request,
    const char *now, const char *purge_before, struct idem_reply *out)
{
	struct dbq *s;
	enum idem_claim found;
	int	 rc;

	memset(out, 0, sizeof(*out));
	s = db_stmt(db, STMT_IDEM_PURGE);
	db_bind_text_copy(s, 1, purge_before);
	db_step(s);
	db_reset(s);
	s = db_stmt(db, STMT_IDEM_CLAIM);
	db_bind_text(s, 1, scope);
	db_bind_text(s, 2, key);
	db_bind_text(s, 3, request);
	db_bind_text_copy(s, 4, now);
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE)
		return IDEM_FAILED;
	if (db_changes(db) == 1)
		return IDEM_CLAIMED;

	s = db_stmt(db, STMT_IDEM_GET);
	db_bind_text(s, 1, scope);
	db_bind_text(s, 2, key);
	if (db_step(s) != DB_ROW)
		found = IDEM_RELEASED;		/* purged between the two statements */
	else if (strcmp(db_text(s, 0), request) != 0)
		found = IDEM_OTHER_REQUEST;
	else if (db_int(s, 1) == 0)
		found = IDEM_PENDING;
	else {
		found = IDEM_KEPT;
		out->status = db_int(s, 1);
		out->location = arena_strdup(ar, db_text(s, 2));
		out->etag = arena_strdup(ar, db_text(s, 3));
		out->cache = arena_strdup(ar, db_text(s, 4));
		out->body = arena_strdup(ar, db_text(s, 5) ? db_text(s, 5) : "");
	}
	db_reset(s);
	return found;
}

int
idem_keep(struct db *db, const char *scope, const char *key, const struct idem_reply *reply, size_t len)
{
	struct dbq *s = db_stmt(db, STMT_IDEM_STORE);
	int	 rc;

	db_bind_text(s, 1, scope);
	db_bind_text(s, 2, key);
	db_bind_int(s, 3, reply->status);
	db_bind_text_copy(s, 4, reply->location);
	db_bind_text_copy(s, 5, reply->etag);
	db_bind_text(s, 6, reply->cache);
	db_bind_textn_copy(s, 7, reply->body ? reply->body : "", (int)len);
	rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? 0 : -1;
}

void
idem_release(struct db *db, const char *scope, const char *key)
{
	struct dbq *s = db_stmt(db, STMT_IDEM_RELEASE);

	db_bind_text(s, 1, scope);
	db_bind_text(s, 2, key);
	db_step(s);
	db_reset(s);
}
