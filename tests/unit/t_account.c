/* t_account.c: logins, sessions and API tokens as the domain keeps them, on a real SQLite file and
 * with no request in sight: a failed login changes nothing stored, a good one starts a session that
 * replaces the one before, and repeated failures are refused for a while, right password or not. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "db.h"
#include "domain.h"
#include "tap.h"
#include "tdb.h"
#include "util.h"

static struct db db;
static struct tdb tdb;	/* its file */

/* Adds an account with a real password hash; returns 0 or -1. */
static int
account_add(const char *email, const char *role, const char *pw)
{
	char	 hash[crypto_pwhash_STRBYTES];
	struct dbq *s;
	int	 rc;

	if (account_hash_password(pw, hash, sizeof(hash)) == -1)
		return -1;
	s = db_stmt(&db, STMT_ACCOUNT_INSERT);
	db_bind_text(s, 1, email);
	db_bind_text(s, 2, "A Name");
	db_bind_text(s, 3, "");
	db_bind_text(s, 4, role);
	db_bind_text(s, 5, hash);
	db_bind_text(s, 6, "2026-01-01T00:00:00Z");
	rc = db_step(s) == DB_DONE ? 0 : -1;
	db_reset(s);
	return rc;
}

/* The number of rows in the session table, or -1: read through the engine itself, on a connection
 * of its own (the test's writes are committed). */
static int
sessions(void)
{
	sqlite3	*c = NULL;
	sqlite3_stmt *s = NULL;
	int	 n = -1;

	if (sqlite3_open_v2(tdb.path, &c, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(c, "SELECT count(*) FROM session", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(c);
	return n;
}

/* The number in the first column of sql's first row, or -1: on a connection of its own, like
 * sessions(). */
static int
count_of(const char *sql)
{
	sqlite3	*c = NULL;
	sqlite3_stmt *s = NULL;
	int	 n = -1;

	if (sqlite3_open_v2(tdb.path, &c, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(c, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(c);
	return n;
}

/* 1 when token names a live session of email. */
static int
live(struct dom *d, const char *token, const char *email)
{
	unsigned char h[ACCOUNT_HASH_BYTES];
	struct user *u;

	return account_by_session(d, token, NULL, h, &u) == OUT_OK && strcmp(u->email, email) == 0;
}

int
main(void)
{
	char	 token[ACCOUNT_TOKEN_HEX + 1], first[ACCOUNT_TOKEN_HEX + 1];
	struct settings set = { 0 };
	struct account_times t = { 0, 0 };
	struct arena arena = { NULL };
	struct dom d;
	struct user *u;
	enum outcome oc;
	long	 wait;
	unsigned long long before;	/* db_version(): moves with any row this connection changes */
	int	 n;

	if (account_init() == -1 || tdb_open(&tdb, "account", &db) == -1)
		return 1;
	if (account_add("ed@example.org", "editor", "a good password") == -1 ||
	    account_add("off@example.org", "editor", "a good password") == -1) {
		printf("Bail out! cannot add the accounts: %s\n", db_errmsg(&db));
		return 1;
	}
	struct dbq *s = db_stmt(&db, STMT_ACCOUNT_DISABLE);
	db_bind_text(s, 1, "off@example.org");
	db_step(s);
	db_reset(s);
	memset(&d, 0, sizeof(d));
	d.db = &db;
	d.arena = &arena;
	d.set = &set;

	/* a good login starts a session */
	dom_clear(&d);
	oc = account_login(&d, "ed@example.org", "a good password", "client-good", NULL, &t, first, &wait);
	ok(oc == OUT_CREATED && strlen(first) == ACCOUNT_TOKEN_HEX && sessions() == 1,
	    "the right password starts one session (%s)", d.why);
	ok(live(&d, first, "ed@example.org"), "its token finds the account");
	/* a failed login, from the browser of that session: the same words whatever was wrong, and nothing
	 * written: the session it was sent from stays as it was */
	static const struct { const char *email, *pw, *what; } bad[] = {
		{ "ed@example.org", "the wrong password", "a wrong password" },
		{ "nobody@example.org", "a good password", "an unknown e-mail address" },
		{ "off@example.org", "a good password", "a disabled account" },
		{ "ed@example.org", "", "an empty password" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		before = db_version(&db);
		dom_clear(&d);
		oc = account_login(&d, bad[i].email, bad[i].pw, "client-bad", first, &t, token, &wait);
		ok(oc == OUT_FORBIDDEN && wait == 0 && strstr(d.why, "not right") != NULL,
		    "a login with %s is refused with the one message (%s)", bad[i].what, d.why);
		ok(db_version(&db) == before && sessions() == 1 && live(&d, first, "ed@example.org"),
		    "and a login with %s writes nothing: the session it came from is still live", bad[i].what);
	}

	/* the next good login ends the session it was made from */
	oc = account_login(&d, "ed@example.org", "a good password", "client-good", first, &t, token, &wait);
	ok(oc == OUT_CREATED && strcmp(token, first) != 0 && sessions() == 1,
	    "logging in again gives a new token and keeps one session");
	ok(!live(&d, first, "ed@example.org") && live(&d, token, "ed@example.org"),
	    "the session the login was made from has ended; the new one is live");
	account_session_end(&d, token);
	ok(account_by_session(&d, token, NULL, (unsigned char[ACCOUNT_HASH_BYTES]){ 0 }, &u) == OUT_NOT_FOUND &&
	    u == NULL && sessions() == 0, "logging out ends the session");

	/* five failures for an account: refused for a while, even with the right password */
	for (n = 0; n < 5; n++)
		account_login(&d, "ed@example.org", "the wrong password", "client-limit", NULL, &t, token, &wait);
	before = db_version(&db);
	dom_clear(&d);
	oc = account_login(&d, "ED@example.org", "a good password", "client-other", NULL, &t, token, &wait);
	ok(oc == OUT_FORBIDDEN && wait > 0 && wait <= 15 * 60 && strstr(d.why, "Too many failed logins") != NULL,
	    "after five failures the account is refused for %ld seconds, whatever the case of the address "
	    "(%s)", wait, d.why);
	ok(db_version(&db) == before && sessions() == 0, "and the refusal writes nothing");

	/* API tokens: one that was never made finds nobody */
	memset(token, 'a', ACCOUNT_TOKEN_HEX);
	token[ACCOUNT_TOKEN_HEX] = '\0';
	ok(account_by_token(&d, token, &u) == OUT_NOT_FOUND && u == NULL, "an unknown API token finds nobody");

	/* the accounts and tokens of the command line */
	{
		char	 hash[crypto_pwhash_STRBYTES], tok[ACCOUNT_TOKEN_HEX + 1], tok2[ACCOUNT_TOKEN_HEX + 1];
		char	 until[21], now[21];
		struct account_row *ar;
		struct account_token_row *tr;
		long long id = -1, id2, tid, tid2;
		int	 na, nt, revoked = -1;

		if (account_hash_password("first password", hash, sizeof(hash)) == -1)
			return 1;
		dom_clear(&d);
		ok(account_create(&d, "new@example.org", "New Name", "MD", "reviewer", hash) == OUT_CREATED &&
		    count_of("SELECT count(*) FROM account") == 3, "a new account is stored");
		dom_clear(&d);
		ok(account_create(&d, "new@example.org", "Other", NULL, "author", hash) == OUT_CONFLICT &&
		    count_of("SELECT count(*) FROM account") == 3,
		    "a second account with the same e-mail address is refused and not stored (%s)", d.why);
		ok(account_list(&d, &ar, &na) == OUT_OK && na == 3 && strcmp(ar[0].email, "ed@example.org") == 0 &&
		    ar[0].id < ar[1].id && ar[1].id < ar[2].id && ar[1].disabled && !ar[0].disabled &&
		    strcmp(ar[2].email, "new@example.org") == 0 && strcmp(ar[2].name, "New Name") == 0 &&
		    strcmp(ar[2].credential, "MD") == 0 && strcmp(ar[2].role, "reviewer") == 0 && !ar[2].disabled,
		    "the list has every account in the order made, with its name, credential, role and state");
		ok(account_find(&d, "new@example.org", &id) == OUT_OK && id == ar[2].id,
		    "an account is found by its e-mail address");
		ok(account_find(&d, "nobody@example.org", &id2) == OUT_NOT_FOUND && id2 == 0,
		    "an unknown e-mail address finds no account");
		ok(account_set_conflicts(&d, "new@example.org", "Consults for a maker of inhalers") == OUT_OK &&
		    count_of("SELECT count(*) FROM account WHERE email = 'new@example.org' AND "
		    "conflicts = 'Consults for a maker of inhalers'") == 1, "a statement of interests is stored");
		ok(account_set_conflicts(&d, "new@example.org", "") == OUT_OK &&
		    count_of("SELECT count(*) FROM account WHERE conflicts IS NOT NULL") == 0,
		    "an empty statement of interests clears it");

		/* API tokens: made, listed, found, revoked */
		time_now_iso(now);
		ok(account_token_create(&d, id, 30, tok, until, &tid) == OUT_CREATED && strlen(tok) == ACCOUNT_TOKEN_HEX &&
		    tid > 0 && strcmp(until, now) > 0 && account_by_token(&d, tok, &u) == OUT_OK &&
		    strcmp(u->email, "new@example.org") == 0 && u->via_token,
		    "a new API token finds its account until %s", until);
		ok(account_token_create(&d, id, 1, tok2, until, &tid2) == OUT_CREATED && tid2 > tid &&
		    strcmp(tok, tok2) != 0, "a second token is another one");
		ok(account_tokens(&d, NULL, &tr, &nt) == OUT_OK && nt == 2 && tr[0].id == tid && tr[1].id == tid2 &&
		    strcmp(tr[0].email, "new@example.org") == 0 && strcmp(tr[1].expires, until) == 0 &&
		    strcmp(tr[0].created, now) >= 0, "the token list has both, in the order made, with their expiry");
		ok(account_tokens(&d, "ed@example.org", &tr, &nt) == OUT_OK && nt == 0,
		    "the list of another account's tokens is empty");
		dom_clear(&d);
		ok(account_token_revoke(&d, tid2 + 100, &revoked) == OUT_NOT_FOUND && revoked == 0 &&
		    count_of("SELECT count(*) FROM api_token") == 2, "revoking a token that does not exist "
		    "revokes nothing (%s)", d.why);
		ok(account_token_revoke(&d, tid2, &revoked) == OUT_OK && revoked == 1 &&
		    account_by_token(&d, tok2, &u) == OUT_NOT_FOUND && account_by_token(&d, tok, &u) == OUT_OK,
		    "revoking one token ends that one only");
		ok(account_token_create(&d, id, 1, tok2, until, &tid2) == OUT_CREATED &&
		    account_tokens_revoke(&d, id, &revoked) == OUT_OK && revoked == 2 &&
		    account_by_token(&d, tok, &u) == OUT_NOT_FOUND && count_of("SELECT count(*) FROM api_token") == 0,
		    "revoking an account's tokens ends both of them");

		/* a new password, and disabling: sessions and tokens end with the old password */
		oc = account_login(&d, "new@example.org", "first password", "client-new", NULL, &t, first, &wait);
		account_token_create(&d, id, 1, tok, until, &tid);
		if (account_hash_password("second password", hash, sizeof(hash)) == -1)
			return 1;
		ok(oc == OUT_CREATED && account_set_password(&d, id, "new@example.org", hash) == OUT_OK &&
		    !live(&d, first, "new@example.org") && account_by_token(&d, tok, &u) == OUT_NOT_FOUND,
		    "a new password ends the account's sessions and revokes its tokens");
		dom_clear(&d);
		ok(account_login(&d, "new@example.org", "first password", "client-new", NULL, &t, token, &wait) ==
		    OUT_FORBIDDEN && account_login(&d, "new@example.org", "second password", "client-new", NULL,
		    &t, first, &wait) == OUT_CREATED, "the old password no longer logs in; the new one does");
		account_token_create(&d, id, 1, tok, until, &tid);
		ok(account_disable(&d, id, "new@example.org") == OUT_OK && !live(&d, first, "new@example.org") &&
		    account_by_token(&d, tok, &u) == OUT_NOT_FOUND && account_list(&d, &ar, &na) == OUT_OK &&
		    na == 3 && ar[2].disabled, "disabling an account ends its sessions and tokens and shows it disabled");
		dom_clear(&d);
		ok(account_login(&d, "new@example.org", "second password", "client-new", NULL, &t, token, &wait) ==
		    OUT_FORBIDDEN, "a disabled account cannot log in (%s)", d.why);
	}

	arena_free(&arena);
	tdb_close(&tdb, &db);
	return done_testing();
}
