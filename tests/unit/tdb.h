/* tdb.h: a real database file for a unit test, made as `evqa init` makes one (the schema and the
 * audiences), in a directory of its own under /tmp, removed with it afterwards. */
#ifndef EVQA_TDB_H
#define EVQA_TDB_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "content.h"
#include "db.h"

struct tdb {
	char	 dir[64];	/* /tmp/evqa-t-NAME-XXXXXX */
	char	 path[96];	/* DIR/t.db: for a connection of the test's own */
};

/* Makes t's directory and opens db on a new database in it. Returns 0, or -1 after printing
 * "Bail out!" with the reason (the test should stop). */
static int
tdb_open(struct tdb *t, const char *name, struct db *db)
{
	char	 err[300];

	snprintf(t->dir, sizeof(t->dir), "/tmp/evqa-t-%s-XXXXXX", name);
	if (mkdtemp(t->dir) == NULL) {
		printf("Bail out! cannot make a directory for the test database\n");
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s/t.db", t->dir);
	if (db_open(db, t->path, DB_CREATE, err, sizeof(err)) == -1 ||
	    content_sync_audiences(db, err, sizeof(err)) == -1) {
		printf("Bail out! %s\n", err);
		return -1;
	}
	return 0;
}

/* Closes db and removes the database and its directory. */
static void
tdb_close(struct tdb *t, struct db *db)
{
	char	 side[112];

	db_close(db);
	unlink(t->path);
	snprintf(side, sizeof(side), "%s-wal", t->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", t->path);
	unlink(side);
	rmdir(t->dir);
}

#endif
