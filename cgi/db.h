/* db.h: one SQLite connection with every named statement of sql/queries.sql prepared on it. */
#ifndef EVQA_DB_H
#define EVQA_DB_H

#include <sqlite3.h>

#include "embed_gen.h"

struct db {
	sqlite3		*conn;
	sqlite3_stmt	*stmt[STMT__MAX];
	const char	*path;
	int		 readonly;	/* the file could only be opened for reading */
};

/* Storage faults: SQLite errors that mean the database cannot be written just now, whichever
 * statement met them. Recorded per thread as they happen (an error-log hook, the busy handler and
 * db_exec), so that the dispatcher can answer 503 with Retry-After instead of what a handler made of
 * the failure. */
enum db_fault {
	DB_FAULT_NONE = 0,
	DB_FAULT_BUSY,		/* a writer waited DB_BUSY_MS for the lock */
	DB_FAULT_READONLY,	/* the file or its directory is read-only */
	DB_FAULT_FULL,		/* disk full or a file size limit */
	DB_FAULT_IO,		/* another I/O error */
};

#define DB_BUSY_MS	5000	/* how long a writer waits for another's lock */

/* Turns the busy handler off (0) or back on (1): a write that may as well be skipped (a session's
 * last_seen) does not wait for another writer. */
void	 db_busy_wait(struct db *db, int on);

/* Installs the error-log hook. Call once, before any connection is opened. Returns 0 or -1. */
int	 db_global_init(void);
/* Forgets this thread's fault (start of each request). */
void	 db_fault_clear(void);
/* This thread's first fault since db_fault_clear(), and SQLite's words for it in msg. */
enum db_fault db_fault(char *msg, size_t msgsz);
/* Seconds since any thread last met a read-only, full or I/O fault (-1: never), with its words. */
long	 db_fault_age(char *msg, size_t msgsz);

/* A number that changes whenever the database may have changed since it was last read through db:
 * another connection committed (PRAGMA data_version) or this one changed a row, in a transaction or
 * not (sqlite3_total_changes). Returns 0 on error. */
unsigned long long db_version(struct db *db);

/* Flags for db_open(). */
#define DB_CREATE	0x01	/* create the file when it is missing, and migrate the schema */
#define DB_READONLY	0x02	/* open read-only (tools that only read) */

/* Opens path with WAL, synchronous=NORMAL, foreign keys and a busy timeout, checks (or with DB_CREATE
 * brings up to date) the schema version, and prepares every statement. Returns 0, or -1 after writing a
 * message a person can act on into err. On failure db is closed. */
int	 db_open(struct db *db, const char *path, int flags, char *err, size_t errsz);
void	 db_close(struct db *db);

/* The statement, reset and with its bindings cleared, ready to bind and step. Owned by db. */
sqlite3_stmt *db_stmt(struct db *db, enum stmt_id id);

/* A read transaction (BEGIN DEFERRED) around a whole GET or HEAD request, so that every statement of
 * the request reads one snapshot of the database, whatever commits meanwhile. db_read_end ends it
 * (if the handler has not). Return 0 or -1 (logged). */
int	 db_read_begin(struct db *db);
void	 db_read_end(struct db *db);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Return 0 or -1 (logged). */
int	 db_begin(struct db *db);
int	 db_commit(struct db *db);
void	 db_rollback(struct db *db);

/* Runs a script of statements (migrations, demo content). Returns 0, or -1 with the message in err. */
int	 db_exec(struct db *db, const char *sql, char *err, size_t errsz);

/* The schema version this evqa writes and expects. */
int	 db_schema_version(void);

/* Text of column i of a stepped statement, or NULL when the column is NULL. */
const char *db_text(sqlite3_stmt *, int i);



/* Resets every statement left mid-step, ending the read transaction it holds (end of each request). */
void	 db_idle(struct db *db);
/* 0 when the database answers a query (the health statement), else -1 (logged). */
int	 db_health(struct db *db);
/* The content version, a number that every change of what readers see raises (the content_version
 * statement), or 0 when it cannot be read. */
long long db_content_version(struct db *db);

#endif
