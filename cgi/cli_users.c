/* cli_users.c: evqa user add|list|disable|passwd and evqa token add|list|revoke: accounts from the
 * command line. */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "account.h"
#include "arena.h"
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

/* A command's database and the domain's context on it, with an arena of its own. */
struct cmd {
	struct db	 db;
	struct arena	 arena;
	struct settings	 set;
	struct dom	 dom;
};

/* Opens the database at path for c. Returns 0, or -1 after a message (nothing to close). */
static int
open_db(struct cmd *c, const char *path)
{
	char	 err[512];

	memset(c, 0, sizeof(*c));
	if (db_open(&c->db, path, 0, err, sizeof(err)) == -1) {
		fprintf(stderr, "evqa: %s\n", err);
		return -1;
	}
	c->dom.db = &c->db;
	c->dom.arena = &c->arena;
	c->dom.set = &c->set;
	return 0;
}

static void
close_db(struct cmd *c)
{
	arena_free(&c->arena);
	db_close(&c->db);
}

/* Stores the account's statement of interests ("" clears it). Returns 0 or 1. */
static int
set_conflicts(struct cmd *c, const char *email, const char *text)
{
	if (account_set_conflicts(&c->dom, email, text) == OUT_OK)
		return 0;
	fprintf(stderr, "evqa: cannot store the statement of interests: %s\n", c->dom.why);
	return 1;
}

static int
user_add(int argc, char **argv)
{
	struct cli_opts o;
	struct cmd c;
	char	 pw[PASSWORD_MAX + 2], hash[crypto_pwhash_STRBYTES];
	enum outcome oc;
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
	if (open_db(&c, o.db) == -1)
		return 1;
	if ((rc = read_password(pw, sizeof(pw))) != 0)
		goto out;
	if (account_hash_password(pw, hash, sizeof(hash)) == -1) {
		fprintf(stderr, "evqa: cannot hash the password: out of memory\n");
		rc = 1;
		goto out;
	}
	oc = account_create(&c.dom, o.email, o.name, o.credential, o.role, hash);
	if (oc == OUT_CONFLICT) {
		fprintf(stderr, "evqa: an account with the e-mail address %s exists already\n", o.email);
		rc = 2;
	} else if (oc != OUT_CREATED) {
		fprintf(stderr, "evqa: cannot add the account: %s\n", c.dom.why);
		rc = 1;
	} else {
		printf("evqa: added %s (%s) as %s\n", o.email, o.name, o.role);
		rc = 0;
	}
	if (rc == 0 && o.conflicts != NULL)
		rc = set_conflicts(&c, o.email, o.conflicts);
out:
	sodium_memzero(pw, sizeof(pw));
	close_db(&c);
	return rc;
}

static int
user_list(int argc, char **argv)
{
	struct cli_opts o;
	struct cmd c;
	struct account_row *a;
	enum outcome oc;
	int	 rc, n;

	if ((rc = cli_parse(argc, argv, 1u << C_DB, 1u << C_DB, &o)) != 0)
		return rc;
	if (open_db(&c, o.db) == -1)
		return 1;
	oc = account_list(&c.dom, &a, &n);
	printf("%-4s %-32s %-9s %-8s %s\n", "id", "email", "role", "status", "name, credential");
	for (int i = 0; i < n; i++)
		printf("%-4lld %-32s %-9s %-8s %s%s%s\n", a[i].id, a[i].email, a[i].role,
		    a[i].disabled ? "disabled" : "active", a[i].name, a[i].credential[0] ? ", " : "",
		    a[i].credential);
	close_db(&c);
	return oc == OUT_OK ? 0 : 1;
}

/* The account id for an e-mail address, or 0 after a message. */
static long long
account_id(struct cmd *c, const char *email)
{
	long long id;

	if (account_find(&c->dom, email, &id) != OUT_OK)
		fprintf(stderr, "evqa: there is no account with the e-mail address %s\n", email);
	return id;
}

/* disable and passwd: change one account and end its sessions. */
static int
user_change(int argc, char **argv, int passwd)
{
	struct cli_opts o;
	struct cmd c;
	char	 pw[PASSWORD_MAX + 2], hash[crypto_pwhash_STRBYTES];
	enum outcome oc;
	long long id;
	int	 rc;
	unsigned int opts = (1u << C_DB) | (1u << C_EMAIL);

	if ((rc = cli_parse(argc, argv, opts, opts, &o)) != 0)
		return rc;
	if (open_db(&c, o.db) == -1)
		return 1;
	if ((id = account_id(&c, o.email)) == 0) {
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
		oc = account_set_password(&c.dom, id, o.email, hash);
	} else
		oc = account_disable(&c.dom, id, o.email);
	rc = oc == OUT_OK ? 0 : 1;
	if (rc == 0)
		printf("evqa: %s: %s; its sessions were ended and its API tokens revoked\n", o.email,
		    passwd ? "password changed" : "account disabled");
	else
		fprintf(stderr, "evqa: %s\n", c.dom.why);
out:
	sodium_memzero(pw, sizeof(pw));
	close_db(&c);
	return rc;
}

/* user conflicts --db PATH --email E --conflicts TEXT: the statement readers see beside approvals. */
static int
user_conflicts(int argc, char **argv)
{
	struct cli_opts o;
	struct cmd c;
	int	 rc;
	unsigned int opts = (1u << C_DB) | (1u << C_EMAIL) | (1u << C_CONFLICTS);

	if ((rc = cli_parse(argc, argv, opts, opts, &o)) != 0)
		return rc;
	if (!text_ok(o.conflicts, 0, 1000))
		return cli_usage_error(NULL, "%s", "--conflicts must be at most 1000 bytes of text on one line");
	if (open_db(&c, o.db) == -1)
		return 1;
	if (account_id(&c, o.email) == 0)
		rc = 2;
	else if ((rc = set_conflicts(&c, o.email, o.conflicts)) == 0)
		printf("evqa: %s: statement of interests %s\n", o.email, o.conflicts[0] ? "stored" : "cleared");
	close_db(&c);
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
	struct cmd c;
	char	 token[ACCOUNT_TOKEN_HEX + 1], until[21];
	long long id, tid, days = TOKEN_DAYS_DEFAULT;
	int	 rc;

	if ((rc = cli_parse(argc, argv, (1u << C_DB) | (1u << C_EMAIL) | (1u << C_DAYS),
	    (1u << C_DB) | (1u << C_EMAIL), &o)) != 0)
		return rc;
	if (o.days != NULL && parse_int(o.days, 1, TOKEN_DAYS_MAX, &days) == -1)
		return cli_usage_error(NULL, "--days must be a whole number from 1 to %d, not '%s'",
		    TOKEN_DAYS_MAX, o.days);
	if (open_db(&c, o.db) == -1)
		return 1;
	if ((id = account_id(&c, o.email)) == 0) {
		close_db(&c);
		return 2;
	}
	rc = account_token_create(&c.dom, id, days, token, until, &tid) == OUT_CREATED ? 0 : 1;
	if (rc == 0) {
		fprintf(stderr, "evqa: API token %lld for %s, valid until %s (shown once; only its hash is "
		    "stored):\n", tid, o.email, until);
		printf("%s\n", token);
	} else
		fprintf(stderr, "evqa: cannot store the token: %s\n", c.dom.why);
	sodium_memzero(token, sizeof(token));
	close_db(&c);
	return rc;
}

/* evqa token list: one line per token, "ID EMAIL CREATED EXPIRES [expired]". */
static int
token_list(int argc, char **argv)
{
	struct cli_opts o;
	struct cmd c;
	struct account_token_row *t;
	enum outcome oc;
	char	 now[21];
	int	 rc, n;

	if ((rc = cli_parse(argc, argv, (1u << C_DB) | (1u << C_EMAIL), 1u << C_DB, &o)) != 0)
		return rc;
	if (open_db(&c, o.db) == -1)
		return 1;
	time_now_iso(now);
	oc = account_tokens(&c.dom, o.email, &t, &n);
	printf("%-6s %-32s %-20s %-20s\n", "id", "account", "created", "expires");
	for (int i = 0; i < n; i++)
		printf("%-6lld %-32s %-20s %-20s%s\n", t[i].id, t[i].email, t[i].created, t[i].expires,
		    strcmp(t[i].expires, now) <= 0 ? " expired" : "");
	close_db(&c);
	return oc == OUT_OK ? 0 : 1;
}

/* evqa token revoke --id N | --email E: one token, or all of an account's. */
static int
token_revoke(int argc, char **argv)
{
	struct cli_opts o;
	struct cmd c;
	enum outcome oc;
	long long n = 0;
	int	 rc, changed;

	if ((rc = cli_parse(argc, argv, (1u << C_DB) | (1u << C_EMAIL) | (1u << C_ID), 1u << C_DB, &o)) != 0)
		return rc;
	if ((o.id == NULL) == (o.email == NULL))
		return cli_usage_error(NULL, "%s", "'token revoke' needs --id N (one token, from evqa token list) "
		    "or --email E (all of an account's tokens)");
	if (o.id != NULL && parse_int(o.id, 1, INT64_MAX, &n) == -1)
		return cli_usage_error(NULL, "--id takes a token number from evqa token list, not '%s'", o.id);
	if (open_db(&c, o.db) == -1)
		return 1;
	if (o.email != NULL && (n = account_id(&c, o.email)) == 0) {
		close_db(&c);
		return 2;
	}
	oc = o.id != NULL ? account_token_revoke(&c.dom, n, &changed) : account_tokens_revoke(&c.dom, n, &changed);
	rc = 0;
	if (oc == OUT_FAILED) {
		fprintf(stderr, "evqa: %s\n", c.dom.why);
		rc = 1;
	} else if (oc == OUT_NOT_FOUND) {
		fprintf(stderr, "evqa: there is no API token %lld (see evqa token list)\n", n);
		rc = 2;
	} else
		printf("evqa: %d API token%s revoked\n", changed, changed == 1 ? "" : "s");
	close_db(&c);
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
