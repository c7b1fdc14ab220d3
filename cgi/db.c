/* db.c: SQLite connections, migrations and the named statements (see db.h). */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "log.h"
#include "util.h"

/* The engine's handles behind db.h's opaque ones: only this file looks inside them. */
#define CONN(db)	((sqlite3 *)(void *)(db)->conn)
#define Q(q)		((sqlite3_stmt *)(void *)(q))

static _Thread_local enum db_fault fault;
static _Thread_local char fault_msg[200];
static _Thread_local long long busy_since;	/* ms, when this thread's current wait began */

static pthread_mutex_t last_lock = PTHREAD_MUTEX_INITIALIZER;
static time_t	 last_at;		/* when a write last failed for want of storage (0: never) */
static char	 last_msg[200];

static enum db_fault
fault_kind(int code)
{
	switch (code & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_FAULT_BUSY;
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
		return DB_FAULT_READONLY;
	case SQLITE_FULL:
		return DB_FAULT_FULL;
	case SQLITE_IOERR:
		return DB_FAULT_IO;
	default:
		return DB_FAULT_NONE;
	}
}

/* Records code as this thread's fault when it is one (the first one since db_fault_clear wins). */
static void
fault_note(int code, const char *msg)
{
	enum db_fault k = fault_kind(code);

	if (k == DB_FAULT_NONE)
		return;
	if (fault == DB_FAULT_NONE) {
		fault = k;
		snprintf(fault_msg, sizeof(fault_msg), "%s", msg ? msg : sqlite3_errstr(code));
	}
	if (k != DB_FAULT_BUSY) {
		pthread_mutex_lock(&last_lock);
		last_at = time(NULL);
		snprintf(last_msg, sizeof(last_msg), "%s", msg ? msg : sqlite3_errstr(code));
		pthread_mutex_unlock(&last_lock);
	}
}

/* SQLite's error log (SQLITE_CONFIG_LOG): called in the thread that met the error. */
static void
error_log(void *arg, int code, const char *msg)
{
	(void)arg;
	fault_note(code, msg);
}

/* The busy handler: waits up to DB_BUSY_MS in all for another connection's lock, then gives up and
 * records the fault (SQLite logs no error for a busy lock). */
static int
busy_wait(void *arg, int n)
{
	(void)arg;
	if (n == 0)
		busy_since = time_mono_ms();
	if (time_mono_ms() - busy_since >= DB_BUSY_MS) {
		fault_note(SQLITE_BUSY, "another writer held the database lock for 5 s");
		return 0;
	}
	usleep(n < 5 ? 1000 * (useconds_t)(n + 1) : 10000);
	return 1;
}

/* After each commit (sqlite3_wal_hook, in place of SQLite's autocheckpoint): a passive checkpoint
 * once the WAL holds WAL_CHECKPOINT_PAGES, and past WAL_TRUNCATE_PAGES one that also cuts the file
 * back to nothing, without waiting for readers (it simply fails while one is behind; the next commit
 * tries again). So the WAL stays bounded however much one import writes. */
#define WAL_CHECKPOINT_PAGES	1000
#define WAL_TRUNCATE_PAGES	4096	/* 16 MB of 4 KB pages */

static int
wal_commit(void *arg, sqlite3 *conn, const char *schema, int pages)
{
	(void)arg;
	if (pages < WAL_CHECKPOINT_PAGES)
		return SQLITE_OK;
	if (pages < WAL_TRUNCATE_PAGES) {
		sqlite3_wal_checkpoint_v2(conn, schema, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		return SQLITE_OK;
	}
	sqlite3_busy_handler(conn, NULL, NULL);
	sqlite3_wal_checkpoint_v2(conn, schema, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	sqlite3_busy_handler(conn, busy_wait, NULL);
	return SQLITE_OK;
}

void
db_busy_wait(struct db *db, int on)
{
	sqlite3_busy_handler(CONN(db), on ? busy_wait : NULL, NULL);
}

int
db_global_init(void)
{
	return sqlite3_config(SQLITE_CONFIG_LOG, error_log, NULL) == SQLITE_OK ? 0 : -1;
}

void
db_fault_clear(void)
{
	fault = DB_FAULT_NONE;
	fault_msg[0] = '\0';
}

enum db_fault
db_fault(char *msg, size_t msgsz)
{
	if (msg != NULL)
		snprintf(msg, msgsz, "%s", fault_msg);
	return fault;
}

long
db_fault_age(char *msg, size_t msgsz)
{
	long	 age = -1;

	pthread_mutex_lock(&last_lock);
	if (last_at != 0) {
		age = (long)(time(NULL) - last_at);
		snprintf(msg, msgsz, "%s", last_msg);
	}
	pthread_mutex_unlock(&last_lock);
	return age;
}

int
db_schema_version(void)
{
	return migrations[migrations_count - 1].version;
}

const char *
db_text(struct dbq *q, int i)
{
	return (const char *)sqlite3_column_text(Q(q), i);
}

static int
pragma_int(struct db *db, const char *sql, int *out)
{
	sqlite3_stmt *s;
	int	 rc;

	if (sqlite3_prepare_v2(CONN(db), sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

int
db_exec(struct db *db, const char *sql, char *err, size_t errsz)
{
	char	*msg = NULL;

	if (sqlite3_exec(CONN(db), sql, NULL, NULL, &msg) != SQLITE_OK) {
		fault_note(sqlite3_extended_errcode(CONN(db)), msg ? msg : sqlite3_errmsg(CONN(db)));
		snprintf(err, errsz, "%s", msg ? msg : sqlite3_errmsg(CONN(db)));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* 1 when PRAGMA foreign_key_check finds no row breaking a foreign key; else 0, the first one in msg. */
static int
foreign_keys_hold(struct db *db, char *msg, size_t msgsz)
{
	sqlite3_stmt *s;
	int	 rc;

	if (sqlite3_prepare_v2(CONN(db), "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK) {
		snprintf(msg, msgsz, "%s", sqlite3_errmsg(CONN(db)));
		return 0;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(msg, msgsz, "a row of %s (rowid %lld) refers to a missing row of %s",
		    (const char *)sqlite3_column_text(s, 0), (long long)sqlite3_column_int64(s, 1),
		    (const char *)sqlite3_column_text(s, 2));
	else if (rc != SQLITE_DONE)
		snprintf(msg, msgsz, "%s", sqlite3_errmsg(CONN(db)));
	sqlite3_finalize(s);
	return rc == SQLITE_DONE;
}

/* Applies every migration newer than the database, each in its own transaction with its version.
 * Foreign keys are off while a migration runs (they cannot change inside a transaction), so that a
 * table rebuilt the way SQLite documents (create, copy, drop, rename) keeps the rows that refer to it;
 * PRAGMA foreign_key_check must then find nothing before the migration commits. */
static int
db_migrate(struct db *db, char *err, size_t errsz)
{
	int	 have, i;
	char	 sql[64], msg[512];

	if (pragma_int(db, "PRAGMA user_version", &have) == -1) {
		snprintf(err, errsz, "%s: cannot read the schema version: %s", db->path,
		    sqlite3_errmsg(CONN(db)));
		return -1;
	}
	if (have > db_schema_version()) {
		snprintf(err, errsz, "%s has schema version %d, newer than this evqa (%d): "
		    "use a newer evqa", db->path, have, db_schema_version());
		return -1;
	}
	for (i = 0; i < migrations_count; i++) {
		if (migrations[i].version <= have)
			continue;
		if (db_exec(db, "PRAGMA foreign_keys = OFF", msg, sizeof(msg)) == -1)
			goto fail;
		if (db_exec(db, "BEGIN IMMEDIATE", msg, sizeof(msg)) == -1)
			goto fail_fk;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", migrations[i].version);
		if (db_exec(db, migrations[i].sql, msg, sizeof(msg)) == -1 ||
		    db_exec(db, sql, msg, sizeof(msg)) == -1 || !foreign_keys_hold(db, msg, sizeof(msg)) ||
		    db_exec(db, "COMMIT", msg, sizeof(msg)) == -1) {
			db_exec(db, "ROLLBACK", sql, sizeof(sql));
			goto fail_fk;
		}
		if (db_exec(db, "PRAGMA foreign_keys = ON", msg, sizeof(msg)) == -1)
			goto fail;
		log_info("%s: applied %s (schema version %d)", db->path, migrations[i].file,
		    migrations[i].version);
	}
	return 0;
fail_fk:
	db_exec(db, "PRAGMA foreign_keys = ON", sql, sizeof(sql));
fail:
	snprintf(err, errsz, "%s: migration %s failed: %s", db->path, migrations[i].file, msg);
	return -1;
}

/* ---- ranking: evqa_bm25(section_fts, counts, weights...) ----
 *
 * FTS5's bm25() with one difference in how it is worked out, not in what it gives: bm25() counts the
 * rows that hold each phrase of the query by reading the phrase's whole index on every query, which
 * for a long message of common words costs as much as the search itself. evqa_bm25() takes those
 * counts as its second argument, the numbers in phrase order separated by spaces (search.c keeps them
 * per thread); a count written as -1, or a list that is not one number per phrase, or NULL, is
 * counted as bm25() counts it. The formula, its constants and the order of its arithmetic are
 * bm25()'s (SQLite's fts5_aux.c), so that the scores are the same to the last bit. */

struct rank_data {
	int	 nphrase;
	double	 avgdl;		/* tokens in a row, on average */
	double	*idf;		/* of each phrase */
	double	*freq;		/* of each phrase in the current row, by column weight */
};

static int
rank_count(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
	(void)api;
	(void)fts;
	(*(sqlite3_int64 *)arg)++;
	return SQLITE_OK;
}

/* Reads counts (text of nphrase numbers) into n[]; returns 0, or -1 when it is not that. */
static int
rank_counts(const char *counts, int nphrase, sqlite3_int64 *n)
{
	const char *p = counts;
	int	 i;

	if (p == NULL)
		return -1;
	for (i = 0; i < nphrase; i++) {
		char	*end;
		long long v = strtoll(p, &end, 10);

		if (end == p || v < -1 || (*end != ' ' && *end != '\0'))
			return -1;
		n[i] = v;
		p = end;
		while (*p == ' ')
			p++;
	}
	return *p == '\0' ? 0 : -1;
}

static int
rank_data_get(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_value *counts, struct rank_data **out)
{
	struct rank_data *p = api->xGetAuxdata(fts, 0);
	sqlite3_int64 nrow = 0, ntok = 0, *n;
	int	 rc, nphrase;

	if ((*out = p) != NULL)
		return SQLITE_OK;
	nphrase = api->xPhraseCount(fts);
	if ((p = sqlite3_malloc64(sizeof(*p) + (size_t)nphrase * 2 * sizeof(double) +
	    (size_t)nphrase * sizeof(*n))) == NULL)
		return SQLITE_NOMEM;
	memset(p, 0, sizeof(*p) + (size_t)nphrase * 2 * sizeof(double));
	p->nphrase = nphrase;
	p->idf = (double *)&p[1];
	p->freq = &p->idf[nphrase];
	n = (sqlite3_int64 *)&p->freq[nphrase];
	if (rank_counts((const char *)sqlite3_value_text(counts), nphrase, n) == -1)
		for (int i = 0; i < nphrase; i++)
			n[i] = -1;
	if ((rc = api->xRowCount(fts, &nrow)) == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &ntok);
	if (rc == SQLITE_OK)
		p->avgdl = (double)ntok / (double)nrow;
	for (int i = 0; rc == SQLITE_OK && i < nphrase; i++) {
		sqlite3_int64 hit = n[i];

		if (hit < 0) {
			hit = 0;
			rc = api->xQueryPhrase(fts, i, &hit, rank_count);
		}
		if (rc == SQLITE_OK) {
			double	 idf = log((nrow - hit + 0.5) / (hit + 0.5));

			p->idf[i] = idf <= 0.0 ? 1e-6 : idf;
		}
	}
	if (rc != SQLITE_OK) {
		sqlite3_free(p);
		return rc;
	}
	/* on failure xSetAuxdata has freed p itself */
	if ((rc = api->xSetAuxdata(fts, p, sqlite3_free)) == SQLITE_OK)
		*out = p;
	return rc;
}

static void
rank_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval, sqlite3_value **val)
{
	const double k1 = 1.2, b = 0.75;
	struct rank_data *d = NULL;
	double	 score = 0.0, len = 0.0;
	int	 rc, ninst = 0;

	if (nval < 1) {
		sqlite3_result_error(ctx, "evqa_bm25: the phrase counts are missing", -1);
		return;
	}
	if ((rc = rank_data_get(api, fts, val[0], &d)) == SQLITE_OK) {
		memset(d->freq, 0, sizeof(double) * (size_t)d->nphrase);
		rc = api->xInstCount(fts, &ninst);
	}
	for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
		int	 ip, ic, io;

		if ((rc = api->xInst(fts, i, &ip, &ic, &io)) == SQLITE_OK)
			d->freq[ip] += nval - 1 > ic ? sqlite3_value_double(val[1 + ic]) : 1.0;
	}
	if (rc == SQLITE_OK) {
		int	 ntok;

		rc = api->xColumnSize(fts, -1, &ntok);
		len = (double)ntok;
	}
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	for (int i = 0; i < d->nphrase; i++)
		score += d->idf[i] * ((d->freq[i] * (k1 + 1.0)) / (d->freq[i] + k1 * (1 - b + b * len / d->avgdl)));
	sqlite3_result_double(ctx, -1.0 * score);
}

/* Adds evqa_bm25() to the connection's FTS5. Returns 0, or -1 with a message in err. */
static int
rank_register(struct db *db, char *err, size_t errsz)
{
	sqlite3_stmt *s = NULL;
	fts5_api *api = NULL;
	int	 rc;

	/* the documented way to reach FTS5's API (https://sqlite.org/fts5.html, "Extending FTS5") */
	if ((rc = sqlite3_prepare_v2(CONN(db), "SELECT fts5(?1)", -1, &s, NULL)) == SQLITE_OK) {
		sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (api == NULL || api->iVersion < 2 || api->xCreateFunction(api, "evqa_bm25", NULL, rank_bm25, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errsz, "%s: this SQLite has no usable FTS5: %s", db->path, sqlite3_errmsg(CONN(db)));
		return -1;
	}
	return 0;
}

int
db_open(struct db *db, const char *path, int flags, char *err, size_t errsz)
{
	int	 oflags = SQLITE_OPEN_NOMUTEX, have, i, rc;
	sqlite3	*c = NULL;
	char	 msg[256];

	memset(db, 0, sizeof(*db));
	db->path = path;
	if (flags & DB_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE | ((flags & DB_CREATE) ? SQLITE_OPEN_CREATE : 0);
	rc = sqlite3_open_v2(path, &c, oflags, NULL);
	db->conn = (struct db_conn *)c;
	if (rc != SQLITE_OK) {
		snprintf(err, errsz, "cannot open the database %s: %s%s", path,
		    c ? sqlite3_errmsg(c) : "out of memory",
		    (flags & DB_CREATE) ? "" : " (create it with: evqa init --db PATH)");
		goto fail;
	}
	sqlite3_extended_result_codes(CONN(db), 1);
	sqlite3_busy_handler(CONN(db), busy_wait, NULL);
	if (!(flags & DB_READONLY) &&
	    db_exec(db, "PRAGMA journal_mode = WAL", msg, sizeof(msg)) == -1) {
		snprintf(err, errsz, "%s is not a usable SQLite database: %s", path, msg);
		goto fail;
	}
	/* mmap: readers share the operating system's page cache instead of each copying pages (search
	 * reads much of the full-text index) */
	/* journal_size_limit: when a checkpoint resets the WAL, the file is cut back to 16 MB */
	if (db_exec(db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA mmap_size = 1073741824; "
	    "PRAGMA journal_size_limit = 16777216;",
	    msg, sizeof(msg)) == -1) {
		snprintf(err, errsz, "%s: %s", path, msg);
		goto fail;
	}
	if (flags & DB_CREATE) {
		if (db_migrate(db, err, errsz) == -1)
			goto fail;
	} else {
		if (pragma_int(db, "PRAGMA user_version", &have) == -1) {
			snprintf(err, errsz, "%s is not a usable SQLite database: %s", path,
			    sqlite3_errmsg(CONN(db)));
			goto fail;
		}
		if (have != db_schema_version()) {
			snprintf(err, errsz, "%s has schema version %d but this evqa needs %d: "
			    "run evqa init --db %s", path, have, db_schema_version(), path);
			goto fail;
		}
	}
	db->readonly = sqlite3_db_readonly(CONN(db), "main") == 1;
	sqlite3_wal_hook(CONN(db), wal_commit, NULL);
	if (rank_register(db, err, errsz) == -1)
		goto fail;
	for (i = 0; i < STMT__MAX; i++) {
		sqlite3_stmt *ps = NULL;

		rc = sqlite3_prepare_v3(CONN(db), stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &ps, NULL);
		db->stmt[i] = (struct dbq *)ps;
		if (rc != SQLITE_OK) {
			snprintf(err, errsz, "statement %s in sql/queries.sql does not compile: %s",
			    stmt_name[i], sqlite3_errmsg(CONN(db)));
			goto fail;
		}
	}
	return 0;
fail:
	db_close(db);
	return -1;
}

void
db_close(struct db *db)
{
	for (int i = 0; i < STMT__MAX; i++) {
		sqlite3_finalize(Q(db->stmt[i]));
		db->stmt[i] = NULL;
	}
	if (db->conn != NULL)
		sqlite3_close(CONN(db));
	db->conn = NULL;
}

struct dbq *
db_stmt(struct db *db, enum stmt_id id)
{
	sqlite3_stmt *s = Q(db->stmt[id]);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return db->stmt[id];
}

int
db_begin(struct db *db)
{
	char	 msg[256];

	if (db_exec(db, "BEGIN IMMEDIATE", msg, sizeof(msg)) == -1) {
		log_warnx("%s: cannot start a transaction: %s", db->path, msg);
		return -1;
	}
	return 0;
}

int
db_read_begin(struct db *db)
{
	char	 msg[256];

	if (db_exec(db, "BEGIN DEFERRED", msg, sizeof(msg)) == -1) {
		log_warnx("%s: cannot start a read transaction: %s", db->path, msg);
		return -1;
	}
	return 0;
}

void
db_read_end(struct db *db)
{
	char	 msg[256];

	if (sqlite3_get_autocommit(CONN(db)) != 0)
		return;
	db_idle(db);	/* statements still mid-step would keep the transaction's read lock */
	if (db_exec(db, "COMMIT", msg, sizeof(msg)) == -1) {
		log_warnx("%s: ending a read transaction: %s", db->path, msg);
		db_rollback(db);
	}
}

int
db_commit(struct db *db)
{
	char	 msg[256];

	if (db_exec(db, "COMMIT", msg, sizeof(msg)) == -1) {
		log_warnx("%s: commit failed: %s", db->path, msg);
		db_rollback(db);
		return -1;
	}
	return 0;
}

unsigned long long
db_version(struct db *db)
{
	sqlite3_stmt *s = Q(db_stmt(db, STMT_DATA_VERSION));
	unsigned long long v = 0;

	if (sqlite3_step(s) == SQLITE_ROW)
		v = ((unsigned long long)sqlite3_column_int64(s, 0) << 32) +
		    (unsigned long long)sqlite3_total_changes(CONN(db)) + 1;
	sqlite3_reset(s);
	return v;
}

void
db_rollback(struct db *db)
{
	char	 msg[256];

	if (sqlite3_get_autocommit(CONN(db)) == 0)
		db_exec(db, "ROLLBACK", msg, sizeof(msg));
}

void
db_idle(struct db *db)
{
	sqlite3_stmt *s = NULL;

	while ((s = sqlite3_next_stmt(CONN(db), s)) != NULL)
		if (sqlite3_stmt_busy(s))
			sqlite3_reset(s);
}

int
db_health(struct db *db)
{
	sqlite3_stmt *s = Q(db_stmt(db, STMT_HEALTH));
	int	 rc = sqlite3_step(s);

	if (rc != SQLITE_ROW)
		log_warnx("health check: %s", sqlite3_errmsg(CONN(db)));
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

long long
db_content_version(struct db *db)
{
	sqlite3_stmt *s = Q(db_stmt(db, STMT_CONTENT_VERSION));
	long long v = 0;

	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return v;
}

/* ---- statements: binding, stepping, reading columns ---- */

void
db_bind_int(struct dbq *q, int i, long long v)
{
	sqlite3_bind_int64(Q(q), i, v);
}

void
db_bind_text(struct dbq *q, int i, const char *s)
{
	sqlite3_bind_text(Q(q), i, s, -1, SQLITE_STATIC);
}

void
db_bind_text_copy(struct dbq *q, int i, const char *s)
{
	sqlite3_bind_text(Q(q), i, s, -1, SQLITE_TRANSIENT);
}

void
db_bind_textn_copy(struct dbq *q, int i, const char *s, int n)
{
	sqlite3_bind_text(Q(q), i, s, n, SQLITE_TRANSIENT);
}

void
db_bind_text_owned(struct dbq *q, int i, char *s)
{
	sqlite3_bind_text(Q(q), i, s, -1, free);
}

void
db_bind_blob(struct dbq *q, int i, const void *p, int n)
{
	sqlite3_bind_blob(Q(q), i, p, n, SQLITE_TRANSIENT);
}

void
db_bind_null(struct dbq *q, int i)
{
	sqlite3_bind_null(Q(q), i);
}

int
db_step(struct dbq *q)
{
	int	 rc = sqlite3_step(Q(q));

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return DB_UNIQUE;
	return DB_ERROR;
}

void
db_reset(struct dbq *q)
{
	sqlite3_reset(Q(q));
}

long long
db_int64(struct dbq *q, int i)
{
	return sqlite3_column_int64(Q(q), i);
}

int
db_int(struct dbq *q, int i)
{
	return sqlite3_column_int(Q(q), i);
}

double
db_double(struct dbq *q, int i)
{
	return sqlite3_column_double(Q(q), i);
}

int
db_is_null(struct dbq *q, int i)
{
	return sqlite3_column_type(Q(q), i) == SQLITE_NULL;
}

/* ---- the connection ---- */

const char *
db_errmsg(struct db *db)
{
	return db->conn != NULL ? sqlite3_errmsg(CONN(db)) : "the database is not open";
}

long long
db_changes(struct db *db)
{
	return sqlite3_changes64(CONN(db));
}

long long
db_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(CONN(db));
}

int
db_in_transaction(struct db *db)
{
	return sqlite3_get_autocommit(CONN(db)) == 0;
}

const char *
db_engine_version(void)
{
	return sqlite3_libversion();
}

int
db_backup(struct db *db, const char *path, int *pages, char *err, size_t errsz)
{
	sqlite3	*out = NULL;
	sqlite3_backup *b;
	int	 rc;

	if (sqlite3_open_v2(path, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE,
	    NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot create %s: %s", path, out ? sqlite3_errmsg(out) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(out, DB_BUSY_MS);
	if ((b = sqlite3_backup_init(out, "main", CONN(db), "main")) == NULL) {
		snprintf(err, errsz, "%s", sqlite3_errmsg(out));
		goto fail;
	}
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
		sqlite3_sleep(50);
	*pages = sqlite3_backup_pagecount(b);
	if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE) {
		snprintf(err, errsz, "the copy failed: %s", sqlite3_errstr(rc));
		goto fail;
	}
	if (sqlite3_close(out) != SQLITE_OK) {
		snprintf(err, errsz, "cannot close %s", path);
		return -1;
	}
	return 0;
fail:
	sqlite3_close(out);
	return -1;
}

int
db_integrity_ok(struct db *db)
{
	sqlite3_stmt *s = Q(db_stmt(db, STMT_INTEGRITY_CHECK));
	const unsigned char *t;
	int	 ok;

	ok = sqlite3_step(s) == SQLITE_ROW && (t = sqlite3_column_text(s, 0)) != NULL &&
	    strcmp((const char *)t, "ok") == 0;
	sqlite3_reset(s);
	return ok;
}
