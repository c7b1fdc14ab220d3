/* cli_backup.c: evqa backup --db PATH OUT: a consistent copy of the database while it is served,
 * with SQLite's online backup. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"

/* Copies db's main database into the new file tmp in one step of sqlite3_backup (one read
 * transaction: a snapshot, which writers do not disturb in WAL mode), then opens the copy as evqa
 * would and checks it with integrity_check. Returns 0, or -1 with a message in err. */
static int
copy_db(struct db *db, const char *tmp, int *pages, char *err, size_t errsz)
{
	sqlite3 *out = NULL;
	sqlite3_backup *b;
	sqlite3_stmt *s;
	struct db copy;
	int	 rc, ok;

	if (sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errsz, "cannot create %s: %s", tmp, out ? sqlite3_errmsg(out) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(out, DB_BUSY_MS);
	if ((b = sqlite3_backup_init(out, "main", db->conn, "main")) == NULL) {
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
		snprintf(err, errsz, "cannot close %s", tmp);
		return -1;
	}
	if (db_open(&copy, tmp, 0, err, errsz) == -1)
		return -1;
	s = db_stmt(&copy, STMT_INTEGRITY_CHECK);
	ok = sqlite3_step(s) == SQLITE_ROW && db_text(s, 0) != NULL && strcmp(db_text(s, 0), "ok") == 0;
	sqlite3_reset(s);
	db_close(&copy);
	if (!ok) {
		snprintf(err, errsz, "the copy does not pass PRAGMA integrity_check");
		return -1;
	}
	return 0;
fail:
	sqlite3_close(out);
	return -1;
}

int
cli_backup(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL, *outp;
	char	 err[512], *tmp = NULL;
	struct db db;
	int	 c, pages = 0, rc = 1;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == ':')
			return cli_usage_error("backup", "option %s needs a value", argv[optind - 1]);
		if (c != 'd')
			return cli_usage_error("backup", "unknown option %s", argv[optind - 1]);
		path = optarg;
	}
	if (path == NULL || path[0] == '\0')
		return cli_usage_error("backup", "%s", "needs --db PATH");
	if (argc - optind != 1 || argv[optind][0] == '\0')
		return cli_usage_error("backup", "%s", "needs one file to write the copy to");
	outp = argv[optind];
	if (access(outp, F_OK) == 0)
		return cli_usage_error("backup", "%s exists; evqa backup never overwrites a file", outp);
	if (db_open(&db, path, DB_READONLY, err, sizeof(err)) == -1) {
		fprintf(stderr, "evqa backup: %s\n", err);
		return 1;
	}
	if ((tmp = malloc(strlen(outp) + 16)) == NULL)
		goto out;
	snprintf(tmp, strlen(outp) + 16, "%s.tmp-%ld", outp, (long)getpid());
	if (copy_db(&db, tmp, &pages, err, sizeof(err)) == -1) {
		fprintf(stderr, "evqa backup: %s\n", err);
		unlink(tmp);
		goto out;
	}
	/* the copy appears under its name whole, or not at all */
	if (link(tmp, outp) == -1) {
		fprintf(stderr, "evqa backup: cannot create %s: %s\n", outp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	unlink(tmp);
	printf("evqa: %s copied to %s (%d pages, schema version %d, integrity ok)\n", path, outp, pages,
	    db_schema_version());
	rc = 0;
out:
	free(tmp);
	db_close(&db);
	return rc;
}
