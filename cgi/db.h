/* db.h: one database connection with every named statement of sql/queries.sql prepared on it, and
 * the calls that bind, step and read those statements. This is the whole interface to the database
 * engine: only db.c knows it is SQLite (its handles are opaque here), so that a second engine would
 * be a second implementation of this file's functions. */
#ifndef EVQA_DB_H
#define EVQA_DB_H

#include <stddef.h>

#include "embed_gen.h"

struct db_conn;		/* the engine's connection (db.c) */
struct dbq;		/* one prepared statement (db.c) */

struct db {
	struct db_conn	*conn;
	struct dbq	*stmt[STMT__MAX];
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
 * not (the count of rows it changed). Returns 0 on error. */
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
struct dbq *db_stmt(struct db *db, enum stmt_id id);

/* Binding parameter i (from 1) of a statement from db_stmt(). db_bind_text's s (NULL: SQL NULL)
 * must stay as it is until the statement is reset or handed out again; the _copy forms copy it
 * (n bytes for textn); db_bind_text_owned takes s (malloc'd) and frees it; a blob is copied. */
void	 db_bind_int(struct dbq *, int i, long long v);
void	 db_bind_text(struct dbq *, int i, const char *s);
void	 db_bind_text_copy(struct dbq *, int i, const char *s);
void	 db_bind_textn_copy(struct dbq *, int i, const char *s, int n);
void	 db_bind_text_owned(struct dbq *, int i, char *s);
void	 db_bind_blob(struct dbq *, int i, const void *p, int n);
void	 db_bind_null(struct dbq *, int i);

/* What db_step() found. */
enum db_step {
	DB_ROW = 1,		/* a row: read its columns */
	DB_DONE,		/* no more rows; a write is done */
	DB_UNIQUE,		/* the write would repeat a unique key: nothing was written */
	DB_ERROR,		/* any other failure (db_errmsg() has the words; db_fault() the kind) */
};

/* Runs the statement to its next row. Returns an enum db_step. */
int	 db_step(struct dbq *);
/* Puts the statement back to its start (its bindings stay), ending what it read. */
void	 db_reset(struct dbq *);

/* Column i (from 0) of the row db_step() found: as a number (0 for NULL), whether it is NULL. */
long long db_int64(struct dbq *, int i);
int	 db_int(struct dbq *, int i);
double	 db_double(struct dbq *, int i);
int	 db_is_null(struct dbq *, int i);

/* The engine's words for the connection's last failure. */
const char *db_errmsg(struct db *);
/* Rows the last write changed; the id of the row the last insert made. */
long long db_changes(struct db *);
long long db_last_id(struct db *);
/* 1 inside a transaction (db_begin, db_read_begin), else 0. */
int	 db_in_transaction(struct db *);
/* The engine and its version, for evqa --version. */
const char *db_engine_version(void);

/* Copies db whole, as one consistent snapshot taken while others read and write it, into the new
 * file path (which must not exist) and sets *pages. Returns 0, or -1 with a message in err. */
int	 db_backup(struct db *db, const char *path, int *pages, char *err, size_t errsz);

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
const char *db_text(struct dbq *, int i);



/* Resets every statement left mid-step, ending the read transaction it holds (end of each request). */
void	 db_idle(struct db *db);
/* 0 when the database answers a query (the health statement), else -1 (logged). */
int	 db_health(struct db *db);
/* 1 when the database passes PRAGMA integrity_check (the integrity_check statement), else 0. */
int	 db_integrity_ok(struct db *db);
/* The content version, a number that every change of what readers see raises (the content_version
 * statement), or 0 when it cannot be read. */
long long db_content_version(struct db *db);

#endif
