/* cli_backup.c: evqa backup --db PATH OUT: a consistent copy of the database while it is served,
 * with the database's online backup (db_backup). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"

/* Copies db into the new file tmp as one consistent snapshot (db_backup: writers do not disturb
 * it), then opens the copy as evqa would and checks it with integrity_check. Returns 0, or -1 with a
 * message in err. */
static int
copy_db(struct db *db, const char *tmp, int *pages, char *err, size_t errsz)
{
	struct db copy;
	int	 ok;

	if (db_backup(db, tmp, pages, err, errsz) == -1)
		return -1;
	if (db_open(&copy, tmp, 0, err, errsz) == -1)
		return -1;
	ok = db_integrity_ok(&copy);
	db_close(&copy);
	if (!ok) {
		snprintf(err, errsz, "the copy does not pass PRAGMA integrity_check");
		return -1;
	}
	return 0;
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
