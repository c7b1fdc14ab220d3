/* main.c: the evqa command line: serve, init, --help, --version. */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "arena.h"
#include "catalog.h"
#include "cli.h"
#include "content.h"
#include "db.h"
#include "log.h"
#include "section.h"
#include "server.h"
#include "util.h"

#define THREADS_DEFAULT	8
#define THREADS_MAX	256

static const char usage_text[] =
"usage: evqa serve --db PATH [--socket PATH [--socket-group G]] [--threads N]\n"
"                  [--cors-origin ORIGIN]... [--question-rate N/min]\n"
"       evqa init --db PATH [--demo]\n"
"       evqa user add --db PATH --email E --name N [--credential C] [--conflicts TEXT] --role R\n"
"       evqa user list|disable|passwd --db PATH [--email E]\n"
"       evqa user conflicts --db PATH --email E --conflicts TEXT\n"
"       evqa token add --db PATH --email E [--days N]\n"
"       evqa token list --db PATH [--email E]\n"
"       evqa token revoke --db PATH --id N | --email E\n"
"       evqa backup --db PATH OUT\n"
"       evqa --help | --version\n"
"\n"
"  serve   Serve the site over FastCGI: on the Unix socket PATH, or on fd 0 when started\n"
"          by a FastCGI spawner. Stops cleanly on SIGTERM or SIGINT.\n"
"          --threads N         worker threads, 1 to 256 (default 8)\n"
"          --socket-group G    give the socket (mode 0660) to group G, the web server's\n"
"          --cors-origin O     let browser code from origin O (e.g. https://app.example.org)\n"
"                              call /api/; repeat for more origins (at most 16)\n"
"          --question-rate N   new questions one client may ask per minute, 0 to 1000\n"
"                              (default 10; 0 turns the limit off)\n"
"  init    Create the database, or bring an existing one up to this version's schema.\n"
"          --demo              load the demo articles when the database has no articles\n"
"  serve also takes: --session-idle SECONDS (default 1800), --session-max SECONDS (default\n"
"          43200): how long a login session lasts unused and at most; --review-days N (default\n"
"          365): days from an approval to the article's next scheduled review; --site-url URL\n"
"          (e.g. https://evidence.example.org): the site's address in citations, sitemaps and\n"
"          feeds (default: the address each request was sent to)\n"
"  user    Manage editorial accounts. R is author, reviewer, editor or admin. The password is\n"
"          read from the terminal without echo, or as one line of standard input. --conflicts:\n"
"          the statement of interests readers see beside the account's approvals (\"\" clears it).\n"
"  token   Make an API token for an account (Authorization: Bearer), printed once and valid for\n"
"          N days (default 90, at most 366); list tokens; revoke one, or all of an account's.\n"
"          Changing an account's password or disabling it revokes its tokens.\n"
"  backup  Copy the database to the new file OUT while it is being served (SQLite's online\n"
"          backup: one consistent snapshot, checked with integrity_check). To restore, stop\n"
"          evqa, replace the database with the copy (removing PATH-wal and PATH-shm), start.\n";


enum opt { OPT_DB = 1, OPT_SOCKET, OPT_THREADS, OPT_CORS, OPT_DEMO, OPT_HELP, OPT_IDLE, OPT_MAXAGE,
	OPT_REVIEW_DAYS, OPT_QRATE, OPT_SITE_URL, OPT_SOCKET_GROUP };

static const struct option long_opts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "cors-origin", required_argument, NULL, OPT_CORS },
	{ "demo", no_argument, NULL, OPT_DEMO },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "session-idle", required_argument, NULL, OPT_IDLE },
	{ "session-max", required_argument, NULL, OPT_MAXAGE },
	{ "review-days", required_argument, NULL, OPT_REVIEW_DAYS },
	{ "question-rate", required_argument, NULL, OPT_QRATE },
	{ "site-url", required_argument, NULL, OPT_SITE_URL },
	{ "socket-group", required_argument, NULL, OPT_SOCKET_GROUP },
	{ NULL, 0, NULL, 0 },
};

/* Options a subcommand accepts, as an OPT_ bit mask. */
#define O(x)	(1u << OPT_##x)

struct opts {
	struct config	 cfg;
	int		 demo;
};

/* Parses argv (after the subcommand) allowing only the options in allowed. Returns 0, 1 for --help,
 * or 2 after printing a message. */
static int
parse_opts(int argc, char **argv, const char *cmd, unsigned int allowed, struct opts *o)
{
	int	 c;
	long long n;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", long_opts, NULL)) != -1) {
		if (c == ':')
			return cli_usage_error(NULL, "option %s needs a value", argv[optind - 1]);
		if (c == '?')
			return cli_usage_error(NULL, "unknown option %s", argv[optind - 1]);
		if (c == OPT_HELP) {
			fputs(usage_text, stdout);
			fputs(cli_usage_text, stdout);
			return 1;
		}
		if (!(allowed & (1u << c)))
			return cli_usage_error(NULL, "'%s' does not take that option", cmd);
		switch (c) {
		case OPT_DB:
			if (optarg[0] == '\0')
				return cli_usage_error(NULL, "%s", "--db needs a path");
			o->cfg.db_path = optarg;
			break;
		case OPT_SOCKET:
			if (optarg[0] == '\0')
				return cli_usage_error(NULL, "%s", "--socket needs a path");
			o->cfg.socket_path = optarg;
			break;
		case OPT_SOCKET_GROUP:
			if (optarg[0] == '\0')
				return cli_usage_error(NULL, "%s", "--socket-group needs a group name");
			o->cfg.socket_group = optarg;
			break;
		case OPT_THREADS:
			if (parse_int(optarg, 1, THREADS_MAX, &n) == -1)
				return cli_usage_error(NULL, "--threads must be a whole number from 1 to 256, not '%s'",
				    optarg);
			o->cfg.threads = (int)n;
			break;
		case OPT_CORS:
			if (o->cfg.ncors == CORS_MAX)
				return cli_usage_error(NULL, "%s", "at most 16 --cors-origin options");
			if ((strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0) ||
			    strpbrk(optarg, " \t\r\n,") != NULL ||
			    strchr(strchr(optarg, ':') + 3, '/') != NULL)
				return cli_usage_error(NULL, "--cors-origin takes an origin such as https://app.example.org "
				    "(scheme, host and port, no path), not '%s'", optarg);
			o->cfg.cors[o->cfg.ncors++] = optarg;
			break;
		case OPT_SITE_URL:
			if ((strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0) ||
			    strpbrk(optarg, " \t\r\n,\"'<>\\") != NULL || strlen(optarg) > 200 ||
			    strchr(strchr(optarg, ':') + 3, '/') != NULL || strchr(optarg, ':')[3] == '\0')
				return cli_usage_error(NULL, "--site-url takes the site's origin such as "
				    "https://evidence.example.org (scheme, host and port, no path), not '%s'", optarg);
			o->cfg.site_url = optarg;
			break;
		case OPT_DEMO:
			o->demo = 1;
			break;
		case OPT_IDLE:
		case OPT_MAXAGE:
			if (parse_int(optarg, 1, 31 * 86400, &n) == -1)
				return cli_usage_error(NULL, "%s must be a number of seconds from 1 to 2678400, not '%s'",
				    c == OPT_IDLE ? "--session-idle" : "--session-max", optarg);
			if (c == OPT_IDLE)
				o->cfg.session_idle = (int)n;
			else
				o->cfg.session_max = (int)n;
			break;
		case OPT_REVIEW_DAYS:
			if (parse_int(optarg, 1, 3650, &n) == -1)
				return cli_usage_error(NULL, "--review-days must be a whole number from 1 to 3650, not '%s'",
				    optarg);
			o->cfg.review_days = (int)n;
			break;
		case OPT_QRATE: {
			size_t	 l = strlen(optarg);
			char	 num[16];

			if (l > 4 && strcmp(optarg + l - 4, "/min") == 0)
				l -= 4;
			snprintf(num, sizeof(num), "%.*s", (int)(l < 15 ? l : 15), optarg);
			if (l >= 15 || parse_int(num, 0, 1000, &n) == -1)
				return cli_usage_error(NULL, "--question-rate must be a number of questions a minute from 0 "
				    "to 1000, such as 10/min, not '%s'", optarg);
			o->cfg.question_rate = (int)n;
			break;
		}
		}
	}
	if (optind < argc)
		return cli_usage_error(NULL, "unexpected argument '%s'", argv[optind]);
	if (o->cfg.db_path == NULL)
		return cli_usage_error(NULL, "'%s' needs --db PATH", cmd);
	return 0;
}

/* evqa init: create or migrate; with --demo, load the demo content into an empty database. */
static int
cmd_init(const struct opts *o)
{
	struct db db;
	char	 err[512];
	struct arena ar = { NULL };
	struct dom d = { .db = &db, .arena = &ar };
	int	 any = 1, empty;

	if (db_open(&db, o->cfg.db_path, DB_CREATE, err, sizeof(err)) == -1) {
		fprintf(stderr, "evqa: %s\n", err);
		return 1;
	}
	if (db_begin(&db) == -1)
		goto fail_closed;
	if (content_sync_audiences(&db, err, sizeof(err)) == -1)
		goto fail;
	empty = catalog_any(&d, &any) == OUT_OK && !any;
	arena_free(&ar);
	if (o->demo && empty) {
		if (db_exec(&db, demo_sql, err, sizeof(err)) == -1) {
			char e2[600];

			snprintf(e2, sizeof(e2), "demo content: %s", err);
			memcpy(err, e2, sizeof(err) - 1);
			err[sizeof(err) - 1] = '\0';
			goto fail;
		}
	}
	if (content_render_pending(&db, err, sizeof(err)) == -1 ||
	    section_refresh_missing(&db, err, sizeof(err)) == -1)
		goto fail;
	if (db_commit(&db) == -1)
		goto fail_closed;
	printf("evqa: %s is ready (schema version %d)%s\n", o->cfg.db_path, db_schema_version(),
	    o->demo ? (empty ? ", demo content loaded" : "; it already has articles, so no demo content "
	    "was added") : "");
	db_close(&db);
	return 0;
fail:
	fprintf(stderr, "evqa: %s\n", err);
	db_rollback(&db);
fail_closed:
	db_close(&db);
	return 1;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	int	 rc;
	const char *cmd, *test_clock;

	/* Over a file size limit, a write fails with EFBIG (SQLite reports an I/O error, answered 503)
	 * instead of the signal ending the process. */
	signal(SIGXFSZ, SIG_IGN);
	if (db_global_init() == -1) {
		fprintf(stderr, "evqa: cannot set up SQLite\n");
		return 1;
	}
	memset(&o, 0, sizeof(o));
	o.cfg.threads = THREADS_DEFAULT;
	o.cfg.question_rate = QUESTION_RATE_DEFAULT;
	if (argc < 2)
		return cli_usage_error(NULL, "%s", "a command is needed: serve or init");
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		/* every synopsis first, then every description */
		const char *const parts[] = { usage_text, cli_usage_text, cli_references_usage_text };

		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
				const char *cut = strstr(parts[i], "\n\n");
				size_t	 n = cut ? (size_t)(cut - parts[i]) + 1 : strlen(parts[i]);

				if (pass == 0)
					fwrite(parts[i], 1, n, stdout);
				else if (cut != NULL)
					fputs(cut + 1, stdout);
			}
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("evqa %s (schema version %d, SQLite %s)\n", PACKAGE_VERSION, db_schema_version(),
		    db_engine_version());
		return 0;
	}
	/* For tests only (README, "The test clock"): the clock moved by the offset in the file this
	 * names. Taken from the environment evqa is started in, before any request is read. */
	if ((test_clock = getenv("EVQA_TEST_CLOCK")) != NULL && test_clock[0] != '\0') {
		if (time_test_clock(test_clock) == -1) {
			fprintf(stderr, "evqa: EVQA_TEST_CLOCK (for tests only) names %s, which cannot be read or "
			    "does not hold a number of seconds\n", test_clock);
			return 2;
		}
		log_warnx("the clock is moved by the offset in %s (EVQA_TEST_CLOCK): for tests only", test_clock);
	}
	if (strcmp(cmd, "serve") == 0) {
		if ((rc = parse_opts(argc - 1, argv + 1, cmd, O(DB) | O(SOCKET) | O(SOCKET_GROUP) | O(THREADS) |
		    O(CORS) | O(IDLE) | O(MAXAGE) | O(REVIEW_DAYS) | O(QRATE) | O(SITE_URL), &o)) != 0)
			return rc == 1 ? 0 : rc;
		if (account_init() == -1)
			return 1;
		return serve(&o.cfg);
	}
	if (strcmp(cmd, "init") == 0) {
		if ((rc = parse_opts(argc - 1, argv + 1, cmd, O(DB) | O(DEMO), &o)) != 0)
			return rc == 1 ? 0 : rc;
		log_set_quiet(0);
		return cmd_init(&o);
	}
	if (strcmp(cmd, "user") == 0) {
		log_set_quiet(1);
		return cli_user(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "token") == 0) {
		log_set_quiet(1);
		return cli_token(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "references") == 0)
		return cli_references(argc - 1, argv + 1);
	if (strcmp(cmd, "import") == 0)
		return cli_import(argc - 1, argv + 1);
	if (strcmp(cmd, "backup") == 0)
		return cli_backup(argc - 1, argv + 1);
	if (strcmp(cmd, "export") == 0)
		return cli_export(argc - 1, argv + 1);
	if (strcmp(cmd, "search") == 0)
		return cli_search(argc - 1, argv + 1);
	if (strcmp(cmd, "ask") == 0)
		return cli_ask(argc - 1, argv + 1);
	if (strcmp(cmd, "bench-search") == 0)	/* measuring only: see tests/bench/ */
		return cli_bench_search(argc - 1, argv + 1);
	return cli_usage_error(NULL, "unknown command '%s' (try serve, init, user, token, import, export, search or "
	    "ask)", cmd);
}
