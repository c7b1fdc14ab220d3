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
	sqlite3_stmt *s;
	enum idem_claim found;
	int	 rc;

	memset(out, 0, sizeof(*out));
	s = db_stmt(db, STMT_IDEM_PURGE);
	sqlite3_bind_text(s, 1, purge_before, -1, SQLITE_TRANSIENT);
	sqlite3_step(s);
	sqlite3_reset(s);
	s = db_stmt(db, STMT_IDEM_CLAIM);
	sqlite3_bind_text(s, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, request, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, now, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return IDEM_FAILED;
	if (sqlite3_changes(db->conn) == 1)
		return IDEM_CLAIMED;

	s = db_stmt(db, STMT_IDEM_GET);
	sqlite3_bind_text(s, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW)
		found = IDEM_RELEASED;		/* purged between the two statements */
	else if (strcmp(db_text(s, 0), request) != 0)
		found = IDEM_OTHER_REQUEST;
	else if (sqlite3_column_int(s, 1) == 0)
		found = IDEM_PENDING;
	else {
		found = IDEM_KEPT;
		out->status = sqlite3_column_int(s, 1);
		out->location = arena_strdup(ar, db_text(s, 2));
		out->etag = arena_strdup(ar, db_text(s, 3));
		out->cache = arena_strdup(ar, db_text(s, 4));
		out->body = arena_strdup(ar, db_text(s, 5) ? db_text(s, 5) : "");
	}
	sqlite3_reset(s);
	return found;
}

int
idem_keep(struct db *db, const char *scope, const char *key, const struct idem_reply *reply, size_t len)
{
	sqlite3_stmt *s = db_stmt(db, STMT_IDEM_STORE);
	int	 rc;

	sqlite3_bind_text(s, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, reply->status);
	sqlite3_bind_text(s, 4, reply->location, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, reply->etag, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 6, reply->cache, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, reply->body ? reply->body : "", (int)len, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

void
idem_release(struct db *db, const char *scope, const char *key)
{
	sqlite3_stmt *s = db_stmt(db, STMT_IDEM_RELEASE);

	sqlite3_bind_text(s, 1, scope, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	sqlite3_step(s);
	sqlite3_reset(s);
}
