/* fuzz_common.c: a database in memory with the demo content and an editor account, and one request
 * at a time through route_dispatch(), for the harnesses in tests/fuzz/. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "content.h"
#include "db.h"
#include "req.h"
#include "route.h"
#include "section.h"
#include "server.h"
#include "util.h"

#include "fuzz_common.h"

const char fuzz_token[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static struct db db;
static struct config cfg;
static int ready;

static void
die(const char *what, const char *err)
{
	fprintf(stderr, "fuzz setup: %s: %s\n", what, err);
	abort();
}

void
fuzz_setup(void)
{
	char	 err[512];
	unsigned char h[ACCOUNT_HASH_BYTES];
	struct dbq *s;

	if (ready)
		return;
	if (db_global_init() == -1 || account_init() == -1)
		die("init", "libraries");
	if (db_open(&db, ":memory:", DB_CREATE, err, sizeof(err)) == -1)
		die("db_open", err);
	if (db_begin(&db) == -1 || content_sync_audiences(&db, err, sizeof(err)) == -1 ||
	    db_exec(&db, demo_sql, err, sizeof(err)) == -1 || content_render_pending(&db, err, sizeof(err)) == -1 ||
	    section_refresh_missing(&db, err, sizeof(err)) == -1 ||
	    db_exec(&db, "INSERT INTO account(email, name, role, password_hash, created_at) VALUES "
	    "('fuzz@x.org', 'Fuzz Editor', 'editor', 'x', '2026-01-01T00:00:00Z')", err, sizeof(err)) == -1)
		die("demo content", err);
	account_token_hash(fuzz_token, h);
	s = db_stmt(&db, STMT_TOKEN_INSERT);
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int(s, 2, db_last_id(&db));
	db_bind_text(s, 3, "2026-01-01T00:00:00Z");
	db_bind_text(s, 4, "2999-01-01T00:00:00Z");
	if (db_step(s) != DB_DONE)
		die("token", db_errmsg(&db));
	db_reset(s);
	if (db_commit(&db) == -1)
		die("commit", "demo content");
	cfg.db_path = ":memory:";
	cfg.threads = 1;
	cfg.question_rate = 0;
	ready = 1;
}

struct db *
fuzz_db(void)
{
	fuzz_setup();
	return &db;
}

int
fuzz_dispatch(const struct req_input *in)
{
	struct req r;
	int	 status;

	fuzz_setup();
	alloc_hook_request();
	req_init(&r, in, &db, &cfg);
	route_dispatch(&r);
	status = r.status;
	db_idle(&db);
	db_rollback(&db);	/* a handler that failed halfway must not leave a transaction open */
	if (status >= 500) {
		fprintf(stderr, "%s %s: %d %s\n", in->method ? in->method : "-", in->uri ? in->uri : "-", status,
		    r.detail);
		abort();
	}
	req_free(&r);
	return status;
}
