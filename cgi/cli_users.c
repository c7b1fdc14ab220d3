/* cli_users.c: evqa user add|list|disable|passwd and evqa token add|list|revoke: accounts from the
 * command line. */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "account.h"
#include "cli.h"
#include "db.h"
#include "log.h"
#include "util.h"

struct cli_opts {
	const char	*db, *email, *name, *credential, *role, *conflicts, *days, *id;
};

enum { C_DB = 1, C_EMAIL, C_NAME, C_CREDENTIAL, C_ROLE, C_CONFLICTS, C_DAYS, C_ID };

#define TOKEN_DAYS_DEFAULT	90
#define TOKEN_DAYS_MAX		366

static const struct option cli_long[] = {
	{ "db", required_argument, NULL, C_DB },
	{ "email", required_argument, NULL, C_EMAIL },
	{ "name", required_argument, NULL, C_NAME },
	{ "credential", required_argument, NULL, C_CREDENTIAL },
	{ "role", required_argument, NULL, C_ROLE },
	{ "conflicts", required_argument, NULL, C_CONFLICTS },
	{ "days", required_argument, NULL, C_DAYS },
	{ "id", required_argument, NULL, C_ID },
	{ NULL, 0, NULL, 0 },
};


/* Parses the options in allowed (a bit per C_ value); every option in needed must be given. */
static int
cli_parse(int argc, char **argv, unsigned int allowed, unsigned int needed, struct cli_opts *o)
{
	int	 c;
	unsigned int seen = 0;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", cli_long, NULL)) != -1) {
		if (c == ':')
			return cli_usage_error(NULL, "option %s needs a value", argv[optind - 1]);
		if (c == '?' || !(allowed & (1u << c)))
			return cli_usage_error(NULL, "'%s' does not take the option %s", argv[0], argv[optind - 1]);
		if (seen & (1u << c))
			return cli_usage_error(NULL, "option %s is given twice", argv[optind - 1]);
		seen |= 1u << c;
		switch (c) {
		case C_DB: o->db = optarg; break;
		case C_EMAIL: o->email = optarg; break;
		case C_NAME: o->name = optarg; break;
		case C_CREDENTIAL: o->credential = optarg; break;
		case C_ROLE: o->role = optarg; break;
		case C_CONFLICTS: o->conflicts = optarg; break;
		case C_DAYS: o->days = optarg; break;
		case C_ID: o->id = optarg; break;
		}
	}
	if (optind < argc)
		return cli_usage_error(NULL, "unexpected argument '%s'", argv[optind]);
	for (int i = C_DB; i <= C_ID; i++)
		if ((needed & (1u << i)) && !(seen & (1u << i)))
			return cli_usage_error(NULL, "'%s' needs --%s", argv[0], cli_long[i - 1].name);
	if (o->db != NULL && o->db[0] == '\0')
		return cli_usage_error(NULL, "%s", "--db needs a path");
	return 0;
}

/* 1 when s is printable UTF-8 text of min..max bytes without control characters. */
static int
text_ok(const char *s, size_t min, size_t max)
{
	size_t	 n = strlen(s);

	if (n < min || n > max || !utf8_valid(s, n))
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

static int
email_ok(const char *e)
{
	const char *at = strchr(e, '@');

	return text_ok(e, 3, 254) && at != NULL && at != e && at[1] != '\0' && strchr(at + 1, '@') == NULL &&
	    strpbrk(e, " <>\"',;") == NULL;
}

/* Reads a password: from the terminal without echo (asked twice), or one line of standard input. */
static int
read_password(char *out, size_t outsz)
{
	struct termios old, quiet;
	int	 tty = isatty(STDIN_FILENO);
	char	 again[PASSWORD_MAX + 2];
	size_t	 n;

	if (tty) {
		if (tcgetattr(STDIN_FILENO, &old) == -1)
			return cli_usage_error(NULL, "%s", "cannot read the terminal's settings");
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		fputs("Password: ", stderr);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (fgets(out, (int)outsz, stdin) == NULL)
		out[0] = '\0';
	if (tty) {
		fputs("Password again: ", stderr);
		if (fgets(again, sizeof(again), stdin) == NULL)
			again[0] = '\0';
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	}
	n = strcspn(out, "\n");
	if (out[n] != '\n' && strlen(out) == outsz - 1)
		return cli_usage_error(NULL, "the password is longer than %d bytes", PASSWORD_MAX);
	out[n] = '\0';
	if (n > 0 && out[n - 1] == '\r')
		out[--n] = '\0';
	if (tty) {
		again[strcspn(again, "\r\n")] = '\0';
		if (strcmp(out, again) != 0) {
			sodium_memzero(again, sizeof(again));
			return cli_usage_error(NULL, "%s", "the two passwords differ");
		}
		sodium_memzero(again, sizeof(again));
	}
	if (n < PASSWORD_MIN || n > PASSWORD_MAX || !utf8_valid(out, n))
		return cli_usage_error(NULL, "the password must be %d to %d bytes of UTF-8 text", PASSWORD_MIN, PASSWORD_MAX);
	return 0;
}

static int
open_db(struct db *db, const char *path)
{
	char	 err[512];

	if (db_open(db, path, 0, err, sizeof(err)) == -1) {
		fprintf(stderr, "evqa: %s\n", err);
		return -1;
	}
	return 0;
}

/* Stores the account's statement of interests ("" clears it). Returns 0 or 1. */
static int
set_conflicts(struct db *db, const char *email, const char *text)
{
	struct dbq *s = db_stmt(db, STMT_ACCOUNT_SET_CONFLICTS);
	int	 rc;

	db_bind_text(s, 1, email);
	if (text[0] != '\0')
		db_bind_text(s, 2, text);
	rc = db_step(s) == DB_DONE ? 0 : 1;
	db_reset(s);
	if (rc != 0)
		fprintf(stderr, "evqa: cannot store the statement of interests: %s\n", db_errmsg(db));
	return rc;
}

static int
user_add(int argc, char **argv)
{
	struct cli_opts o;
	struct db db;
	char	 pw[PASSWORD_MAX + 2], hash[crypto_pwhash_STRBYTES], now[21];
	struct dbq *s;
	int	 rc;
	unsigned int opts = (1u << C_DB) | (1u << C_EMAIL) | (1u << C_NAME) | (1u << C_CREDENTIAL) |
	    (1u << C_ROLE) | (1u << C_CONFLICTS);

	if ((rc = cli_parse(argc, argv, opts, opts & ~((1u << C_CREDENTIAL) | (1u << C_CONFLICTS)), &o)) != 0)
		return rc;
	if (o.conflicts != NULL && !text_ok(o.conflicts, 0, 1000))
		return cli_usage_error(NULL, "%s", "--conflicts must be at most 1000 bytes of text on one line");
	if (!email_ok(o.email))
		return cli_usage_error(NULL, "--email must be an e-mail address such as name@example.org, not '%s'", o.email);
	if (!text_ok(o.name, 1, 200))
		return cli_usage_error(NULL, "%s", "--name must be 1 to 200 bytes of text");
	if (o.credential != NULL && !text_ok(o.credential, 0, 200))
		return cli_usage_error(NULL, "%s", "--credential must be at most 200 bytes of text, such as \"MD, MPH\"");
	if (role_find(o.role) == ROLE__MAX)
		return cli_usage_error(NULL, "--role must be author, reviewer, editor or admin, not '%s'", o.role);
	if (open_db(&db, o.db) == -1)
		return 1;
	if ((rc = read_password(pw, sizeof(pw))) != 0)
		goto out;
	if (account_hash_password(pw, hash, sizeof(hash)) == -1) {
		fprintf(stderr, "evqa: cannot hash the password: out of memory\n");
		rc = 1;
		goto out;
	}
	time_now_iso(now);
	s = db_stmt(&db, STMT_ACCOUNT_INSERT);
	db_bind_text(s, 1, o.email);
	db_bind_text(s, 2, o.name);
	db_bind_text(s, 3, o.credential ? o.credential : "");
	db_bind_text(s, 4, o.role);
	db_bind_text(s, 5, hash);
	db_bind_text(s, 6, now);
	rc = db_step(s);
	if (rc == DB_UNIQUE) {
		fprintf(stderr, "evqa: an account with the e-mail address %s exists already\n", o.email);
		rc = 2;
	} else if (rc != DB_DONE) {
		fprintf(stderr, "evqa: cannot add the account: %s\n", db_errmsg(&db));
		rc = 1;
	} else {
		printf("evqa: added %s (%s) as %s\n", o.email, o.name, o.role);
		rc = 0;
	}
	db_reset(s);
	if (rc == 0 && o.conflicts != NULL)
		rc = set_conflicts(&db, o.email, o.conflicts);
out:
	sodium_memzero(pw, sizeof(pw));
	db_close(&db);
	return rc;
}

static int
user_list(int argc, char **argv)
{
	struct cli_opts o;
	struct db db;
	struct dbq *s;
	int	 rc;

	if ((rc = cli_parse(argc, argv, 1u << C_DB, 1u << C_DB, &o)) != 0)
		return rc;
	if (open_db(&db, o.db) == -1)
		return 1;
	s = db_stmt(&db, STMT_ACCOUNT_LIST);
	printf("%-4s %-32s %-9s %-8s %s\n", "id", "email", "role", "status", "name, credential");
	while ((rc = db_step(s)) == DB_ROW)
		printf("%-4lld %-32s %-9s %-8s %s%s%s\n", (long long)db_int64(s, 0), db_text(s, 1),
		    db_text(s, 4), db_int(s, 5) ? "disabled" : "active", db_text(s, 2),
		    db_text(s, 3)[0] ? ", " : "", db_text(s, 3));
	db_reset(s);
	db_close(&db);
	return rc == DB_DONE ? 0 : 1;
}

/* The account id for an e-mail address, or 0 after a message. */
static long long
account_id(struct db *db, const char *email)
{
	struct dbq *s = db_stmt(db, STMT_ACCOUNT_BY_EMAIL);
	long long id = 0;

	db_bind_text(s, 1, email);
	if (db_step(s) == DB_ROW)
		id = db_int64(s, 0);
	db_reset(s);
	if (id == 0)
		fprintf(stderr, "evqa: there is no account with the e-mail address %s\n", email);
	return id;
}

/* disable and passwd: change one account and end its sessions. */
static int
user_change(int argc, char **argv, int passwd)
{
	struct cli_opts o;
	struct db db;
	char	 pw[PASSWORD_MAX + 2], hash[crypto_pwhash_STRBYTES];
	struct dbq *s;
	long long id;
	int	 rc;
	unsigned int opts = (1u << C_DB) | (1u << C_EMAIL);

	if ((rc = cli_parse(argc, argv, opts, opts, &o)) != 0)
		return rc;
	if (open_db(&db, o.db) == -1)
		return 1;
	if ((id = account_id(&db, o.email)) == 0) {
		rc = 2;
		goto out;
	}
	if (passwd) {
		if ((rc = read_password(pw, sizeof(pw))) != 0)
			goto out;
		if (account_hash_password(pw, hash, sizeof(hash)) == -1) {
			rc = 1;
			goto out;
		}
		s = db_stmt(&db, STMT_ACCOUNT_SET_PASSWORD);
		db_bind_text(s, 2, hash);
	} else
		s = db_stmt(&db, STMT_ACCOUNT_DISABLE);
	db_bind_text(s, 1, o.email);
	if (db_begin(&db) == -1) {
		rc = 1;
		goto out;
	}
	rc = db_step(s) == DB_DONE ? 0 : 1;
	db_reset(s);
	/* whoever knew the old password may have made a session or a token with it: both go */
	for (int k = 0; k < 2 && rc == 0; k++) {
		s = db_stmt(&db, k == 0 ? STMT_SESSION_DELETE_ACCOUNT : STMT_TOKEN_REVOKE_ACCOUNT);
		db_bind_int(s, 1, id);
		if (db_step(s) != DB_DONE)
			rc = 1;
		db_reset(s);
	}
	if (rc == 0 && db_commit(&db) == -1)
		rc = 1;
	if (rc != 0)
		db_rollback(&db);
	if (rc == 0)
		printf("evqa: %s: %s; its sessions were ended and its API tokens revoked\n", o.email,
		    passwd ? "password changed" : "account disabled");
	else
		fprintf(stderr, "evqa: %s\n", db_errmsg(&db));
out:
	sodium_memzero(pw, sizeof(pw));
	db_close(&db);
	return rc;
}

/* user conflicts --db PATH --email E --conflicts TEXT: the statement readers see beside approvals. */
static int
user_conflicts(int argc, char **argv)
{
	struct cli_opts o;
	struct db db;
	int	 rc;
	unsigned int opts = (1u << C_DB) | (1u << C_EMAIL) | (1u << C_CONFLICTS);

	if ((rc = cli_parse(argc, argv, opts, opts, &o)) != 0)
		return rc;
	if (!text_ok(o.conflicts, 0, 1000))
		return cli_usage_error(NULL, "%s", "--conflicts must be at most 1000 bytes of text on one line");
	if (open_db(&db, o.db) == -1)
		return 1;
	if (account_id(&db, o.email) == 0)
		rc = 2;
	else if ((rc = set_conflicts(&db, o.email, o.conflicts)) == 0)
		printf("evqa: %s: statement of interests %s\n", o.email, o.conflicts[0] ? "stored" : "cleared");
	db_close(&db);
	return rc;
}

int
cli_user(int argc, char **argv)
{
	if (account_init() == -1)
		return 1;
	if (argc < 2)
		return cli_usage_error(NULL, "%s", "'user' needs add, list, disable or passwd");
	if (strcmp(argv[1], "add") == 0)
		return user_add(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return user_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "disable") == 0)
		return user_change(argc - 1, argv + 1, 0);
	if (strcmp(argv[1], "passwd") == 0)
		return user_change(argc - 1, argv + 1, 1);
	if (strcmp(argv[1], "conflicts") == 0)
		return user_conflicts(argc - 1, argv + 1);
	return cli_usage_error(NULL, "unknown command 'user %s' (add, list, disable or passwd)", argv[1]);
}

static int
token_add(int argc, char **argv)
{
	struct cli_opts o;
	struct db db;
	char	 token[ACCOUNT_TOKEN_HEX + 1], now[21], until[21];
	unsigned char h[ACCOUNT_HASH_BYTES];
	struct dbq *s;
	long long id, days = TOKEN_DAYS_DEFAULT;
	int	 rc;
	time_t	 t;
	struct tm tm;

	if ((rc = cli_parse(argc, argv, (1u << C_DB) | (1u << C_EMAIL) | (1u << C_DAYS),
	    (1u << C_DB) | (1u << C_EMAIL), &o)) != 0)
		return rc;
	if (o.days != NULL && parse_int(o.days, 1, TOKEN_DAYS_MAX, &days) == -1)
		return cli_usage_error(NULL, "--days must be a whole number from 1 to %d, not '%s'",
		    TOKEN_DAYS_MAX, o.days);
	if (open_db(&db, o.db) == -1)
		return 1;
	if ((id = account_id(&db, o.email)) == 0) {
		db_close(&db);
		return 2;
	}
	account_new_token(token, h);
	time_now_iso(now);
	t = time_now() + (time_t)days * 86400;
	gmtime_r(&t, &tm);
	strftime(until, sizeof(until), "%Y-%m-%dT%H:%M:%SZ", &tm);
	s = db_stmt(&db, STMT_TOKEN_INSERT);
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int(s, 2, id);
	db_bind_text(s, 3, now);
	db_bind_text(s, 4, until);
	rc = db_step(s) == DB_DONE ? 0 : 1;
	db_reset(s);
	if (rc == 0) {
		fprintf(stderr, "evqa: API token %lld for %s, valid until %s (shown once; only its hash is "
		    "stored):\n", (long long)db_last_id(&db), o.email, until);
		printf("%s\n", token);
	} else
		fprintf(stderr, "evqa: cannot store the token: %s\n", db_errmsg(&db));
	sodium_memzero(token, sizeof(token));
	db_close(&db);
	return rc;
}

/* evqa token list: one line per token, "ID EMAIL CREATED EXPIRES [expired]". */
static int
token_list(int argc, char **argv)
{
	struct cli_opts o;
	struct db db;
	struct dbq *s;
	char	 now[21];
	int	 rc;

	if ((rc = cli_parse(argc, argv, (1u << C_DB) | (1u << C_EMAIL), 1u << C_DB, &o)) != 0)
		return rc;
	if (open_db(&db, o.db) == -1)
		return 1;
	time_now_iso(now);
	s = db_stmt(&db, STMT_TOKEN_LIST);
	if (o.email != NULL)
		db_bind_text(s, 1, o.email);
	printf("%-6s %-32s %-20s %-20s\n", "id", "account", "created", "expires");
	while ((rc = db_step(s)) == DB_ROW)
		printf("%-6lld %-32s %-20s %-20s%s\n", (long long)db_int64(s, 0), db_text(s, 1),
		    db_text(s, 2), db_text(s, 3), strcmp(db_text(s, 3), now) <= 0 ? " expired" : "");
	db_reset(s);
	db_close(&db);
	return rc == DB_DONE ? 0 : 1;
}

/* evqa token revoke --id N | --email E: one token, or all of an account's. */
static int
token_revoke(int argc, char **argv)
{
	struct cli_opts o;
	struct db db;
	struct dbq *s;
	long long n = 0;
	int	 rc, changed;

	if ((rc = cli_parse(argc, argv, (1u << C_DB) | (1u << C_EMAIL) | (1u << C_ID), 1u << C_DB, &o)) != 0)
		return rc;
	if ((o.id == NULL) == (o.email == NULL))
		return cli_usage_error(NULL, "%s", "'token revoke' needs --id N (one token, from evqa token list) "
		    "or --email E (all of an account's tokens)");
	if (o.id != NULL && parse_int(o.id, 1, INT64_MAX, &n) == -1)
		return cli_usage_error(NULL, "--id takes a token number from evqa token list, not '%s'", o.id);
	if (open_db(&db, o.db) == -1)
		return 1;
	if (o.email != NULL && (n = account_id(&db, o.email)) == 0) {
		db_close(&db);
		return 2;
	}
	s = db_stmt(&db, o.id != NULL ? STMT_TOKEN_REVOKE : STMT_TOKEN_REVOKE_ACCOUNT);
	db_bind_int(s, 1, n);
	rc = db_step(s) == DB_DONE ? 0 : 1;
	db_reset(s);
	changed = db_changes(&db);
	if (rc != 0)
		fprintf(stderr, "evqa: %s\n", db_errmsg(&db));
	else if (o.id != NULL && changed == 0) {
		fprintf(stderr, "evqa: there is no API token %lld (see evqa token list)\n", n);
		rc = 2;
	} else
		printf("evqa: %d API token%s revoked\n", changed, changed == 1 ? "" : "s");
	db_close(&db);
	return rc;
}

int
cli_token(int argc, char **argv)
{
	if (account_init() == -1)
		return 1;
	if (argc < 2)
		return cli_usage_error(NULL, "%s", "'token' needs add, list or revoke");
	if (strcmp(argv[1], "add") == 0)
		return token_add(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return token_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "revoke") == 0)
		return token_revoke(argc - 1, argv + 1);
	return cli_usage_error(NULL, "unknown command 'token %s' (add, list or revoke)", argv[1]);
}
