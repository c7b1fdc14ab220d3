/* cli_references.c: evqa references check --db PATH --retractions FILE: retraction watch from the
 * command line (retract.h). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "retract.h"
#include "util.h"

const char cli_references_usage_text[] =
"       evqa references check --db PATH --retractions FILE.csv\n"
"\n"
"  references check  Read retraction, correction and expression-of-concern notices from FILE.csv\n"
"          (the Retraction Watch database's CSV layout: OriginalPaperDOI, OriginalPaperPubMedID,\n"
"          RetractionNature, RetractionDate, and Record ID and Title when present) and flag every\n"
"          article whose shown or newest revision cites a noticed paper (by DOI or PubMed id): the\n"
"          editors' dashboard lists it, readers see a notice beside the reference, and the finding\n"
"          is added to the article's audit trail. Running it again with the same file changes\n"
"          nothing. Prints what it found; exit status 1 when the file cannot be read.\n";

struct check_run {
	struct db	 db;
	char		 now[21];
	struct retract_stats st;
};

static void
print_found(long long article, long long revision, int ref, const struct retract_notice *n, void *arg)
{
	(void)arg;
	printf("article %lld (revision id %lld), reference %d: %s%s%s (%s%s)\n", article, revision, ref,
	    n->nature, n->date ? " of " : "", n->date ? n->date : "", n->doi ? "DOI " : "PubMed ",
	    n->doi ? n->doi : n->pmid);
}

static int
each_notice(const struct retract_notice *n, void *arg, char *err, size_t errsz)
{
	struct check_run *c = arg;

	return retract_apply(&c->db, n, c->now, &c->st, print_found, NULL, err, errsz);
}

int
cli_references(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "retractions", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dbp = NULL, *file = NULL;
	struct check_run c;
	char	 err[600];
	FILE	*f;
	int	 ch, rc;

	memset(&c, 0, sizeof(c));
	if (argc < 2 || strcmp(argv[1], "check") != 0)
		return cli_usage_error("references", "%s", "the only subcommand is check: evqa references check "
		    "--db PATH --retractions FILE.csv");
	argc--;
	argv++;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1)
		switch (ch) {
		case 'd':
			dbp = optarg;
			break;
		case 'r':
			file = optarg;
			break;
		case 'h':
			fputs(cli_references_usage_text, stdout);
			return 0;
		case ':':
			return cli_usage_error("references check", "%s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("references check", "unknown option %s", argv[optind - 1]);
		}
	if (optind != argc)
		return cli_usage_error("references check", "unexpected argument '%s'", argv[optind]);
	if (dbp == NULL || dbp[0] == '\0')
		return cli_usage_error("references check", "%s", "needs --db PATH");
	if (file == NULL || file[0] == '\0')
		return cli_usage_error("references check", "%s", "needs --retractions FILE.csv");
	if ((f = fopen(file, "r")) == NULL) {
		fprintf(stderr, "evqa references check: %s: %s\n", file, strerror(errno));
		return 1;
	}
	if (db_open(&c.db, dbp, 0, err, sizeof(err)) == -1) {
		fprintf(stderr, "evqa references check: %s\n", err);
		fclose(f);
		return 1;
	}
	time_now_iso(c.now);
	rc = db_begin(&c.db) == -1 ? -1 : retract_csv_read(f, each_notice, &c, &c.st, err, sizeof(err));
	if (rc == 0 && ferror(f)) {
		snprintf(err, sizeof(err), "read error: %s", strerror(errno));
		rc = -1;
	}
	fclose(f);
	if (rc == -1 || db_commit(&c.db) == -1) {
		db_rollback(&c.db);
		fprintf(stderr, "evqa references check: %s: %s; nothing was changed\n", file, err);
		db_close(&c.db);
		return 1;
	}
	printf("%s: %ld rows; %ld notices on papers (%ld new), %ld rows of other notices skipped, %ld rows "
	    "naming no DOI or PubMed id skipped\n", file, c.st.rows, c.st.notices, c.st.new_notices, c.st.other,
	    c.st.unnamed);
	printf("%ld cited references match a notice; %ld newly flagged for re-review\n", c.st.matches,
	    c.st.new_flags);
	db_close(&c.db);
	return 0;
}
