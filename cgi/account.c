/* account.c: passwords, login sessions, API tokens and the login rate limit (see account.h). */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "account.h"
#include "arena.h"
#include "db.h"
#include "log.h"
#include "util.h"

#define SESSION_IDLE_DEFAULT	(30 * 60)	/* seconds */
#define SESSION_MAX_DEFAULT	(12 * 3600)	/* seconds */

/* Failed logins: at most LIMIT_ACCOUNT per account and LIMIT_CLIENT per client address in
 * LIMIT_WINDOW seconds; then refused until the window of the first failure has passed. */
#define LIMIT_WINDOW		(15 * 60)
#define LIMIT_ACCOUNT		5
#define LIMIT_CLIENT		20
#define LIMIT_SLOTS		512

/* One counter of recent failures, for an account ('a') or a client ('c'), found by hash. */
struct limit_slot {
	uint64_t	 key;
	time_t		 since;		/* first failure of the window */
	int		 fails;
};

static pthread_mutex_t hash_lock = PTHREAD_MUTEX_INITIALIZER;	/* one argon2id at a time */
static pthread_mutex_t limit_lock = PTHREAD_MUTEX_INITIALIZER;
static struct limit_slot limits[LIMIT_SLOTS];
/* A hash verified when the e-mail is unknown, so that the answer takes as long as for a known one. */
static char dummy_hash[crypto_pwhash_STRBYTES];

int
account_init(void)
{
	if (sodium_init() < 0) {
		log_warnx("libsodium cannot start");
		return -1;
	}
	return 0;
}

int
account_hash_password(const char *pw, char *out, size_t outsz)
{
	int	 rc;

	if (outsz < crypto_pwhash_STRBYTES)
		return -1;
	pthread_mutex_lock(&hash_lock);
	rc = crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE);
	pthread_mutex_unlock(&hash_lock);
	return rc == 0 ? 0 : -1;
}

/* 1 when pw matches hash. Serialised like hashing. */
static int
password_ok(const char *hash, const char *pw)
{
	int	 rc;

	pthread_mutex_lock(&hash_lock);
	if (dummy_hash[0] == '\0' && crypto_pwhash_str(dummy_hash, "evqa-no-such-account", 20,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
	if (hash == NULL)
		hash = dummy_hash;
	rc = hash[0] != '\0' && crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
	pthread_mutex_unlock(&hash_lock);
	return rc;
}

void
account_token_hash(const char *token, unsigned char hash[ACCOUNT_HASH_BYTES])
{
	crypto_generichash(hash, ACCOUNT_HASH_BYTES, (const unsigned char *)token, strlen(token), NULL, 0);
}

int
account_new_token(char token[ACCOUNT_TOKEN_HEX + 1], unsigned char hash[ACCOUNT_HASH_BYTES])
{
	unsigned char raw[ACCOUNT_TOKEN_HEX / 2];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, ACCOUNT_TOKEN_HEX + 1, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	account_token_hash(token, hash);
	return 0;
}

static int
idle_seconds(const struct account_times *t)
{
	return t != NULL && t->idle > 0 ? t->idle : SESSION_IDLE_DEFAULT;
}

int
account_session_max(const struct account_times *t)
{
	return t != NULL && t->max > 0 ? t->max : SESSION_MAX_DEFAULT;
}

/* Reads the account columns of session_lookup / token_lookup into an arena-owned user; NULL when
 * memory is short (or the role is not one we know). */
static struct user *
user_from_row(struct dom *d, struct dbq *s)
{
	struct user *u = arena_alloc(d->arena, sizeof(*u));

	if (u == NULL)
		return NULL;
	memset(u, 0, sizeof(*u));
	u->id = db_int64(s, 0);
	u->email = arena_strdup(d->arena, db_text(s, 1));
	u->name = arena_strdup(d->arena, db_text(s, 2));
	u->credential = arena_strdup(d->arena, db_text(s, 3));
	u->role = role_find(db_text(s, 4));
	if (u->email == NULL || u->name == NULL || u->credential == NULL || u->role == ROLE__MAX)
		return NULL;
	return u;
}

enum outcome
account_by_token(struct dom *d, const char *token, struct user **u)
{
	unsigned char h[ACCOUNT_HASH_BYTES];
	char	 iso[21];
	struct dbq *s;
	enum outcome oc = OUT_NOT_FOUND;

	*u = NULL;
	account_token_hash(token, h);
	time_now_iso(iso);
	s = db_stmt(d->db, STMT_TOKEN_LOOKUP);
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_text_copy(s, 2, iso);
	if (db_step(s) == DB_ROW) {
		if ((*u = user_from_row(d, s)) == NULL)
			oc = OUT_FAILED;
		else {
			(*u)->via_token = 1;
			oc = OUT_OK;
		}
	}
	db_reset(s);
	return oc;
}

enum outcome
account_by_session(struct dom *d, const char *token, const struct account_times *t,
    unsigned char hash[ACCOUNT_HASH_BYTES], struct user **u)
{
	struct dbq *s;
	enum outcome oc = OUT_NOT_FOUND;

	*u = NULL;
	account_token_hash(token, hash);
	s = db_stmt(d->db, STMT_SESSION_LOOKUP);
	db_bind_blob(s, 1, hash, ACCOUNT_HASH_BYTES);
	db_bind_int(s, 2, (long long)time_now());
	db_bind_int(s, 3, idle_seconds(t));
	if (db_step(s) == DB_ROW)
		oc = (*u = user_from_row(d, s)) == NULL ? OUT_FAILED : OUT_OK;
	db_reset(s);
	return oc;
}

void
account_session_touch(struct dom *d, const unsigned char hash[ACCOUNT_HASH_BYTES], const struct account_times *t)
{
	struct dbq *s;
	int	 idle = idle_seconds(t);

	/* last_seen moves at most once a minute: reading pages is not a write each time; while another
	 * writer holds the lock it waits for the next request rather than holding this one up */
	s = db_stmt(d->db, STMT_SESSION_TOUCH);
	db_bind_blob(s, 1, hash, ACCOUNT_HASH_BYTES);
	db_bind_int(s, 2, (long long)time_now());
	db_bind_int(s, 3, idle / 2 < 60 ? idle / 2 : 60);
	db_busy_wait(d->db, 0);
	db_step(s);
	db_busy_wait(d->db, 1);
	db_reset(s);
}

/* The slot counting failures for key; with create, a free one, else the one with the oldest window
 * (so that flooding the table with other names cannot wipe out a count for long). */
static struct limit_slot *
limit_slot(uint64_t key, time_t now, int create)
{
	struct limit_slot *free_slot = NULL, *oldest = &limits[0];

	for (int i = 0; i < LIMIT_SLOTS; i++) {
		struct limit_slot *l = &limits[i];

		if (l->fails > 0 && now - l->since >= LIMIT_WINDOW)
			l->fails = 0;
		if (l->fails > 0 && l->key == key)
			return l;
		if (l->fails == 0 && free_slot == NULL)
			free_slot = l;
		if (l->since < oldest->since)
			oldest = l;
	}
	if (!create)
		return NULL;
	if (free_slot == NULL)
		free_slot = oldest;
	free_slot->key = key;
	free_slot->since = now;
	free_slot->fails = 0;
	return free_slot;
}

static uint64_t
limit_key(char kind, const char *s)
{
	char	 k[300];
	size_t	 n;

	snprintf(k, sizeof(k), "%c:%s", kind, s ? s : "");
	for (n = 0; k[n] != '\0'; n++)
		if (k[n] >= 'A' && k[n] <= 'Z')
			k[n] = (char)(k[n] - 'A' + 'a');
	return hash64(k, n);
}

/* Seconds until key may try again (0: now). */
static long
limit_wait(uint64_t key, int max, time_t now)
{
	struct limit_slot *l = limit_slot(key, now, 0);

	return l != NULL && l->fails >= max ? (long)(l->since + LIMIT_WINDOW - now) : 0;
}

static void
limit_fail(uint64_t key, time_t now)
{
	struct limit_slot *l = limit_slot(key, now, 1);

	if (l != NULL) {
		if (l->fails == 0)
			l->since = now;
		l->fails++;
	}
}

/* Gives back one failure counted for key in advance (the attempt succeeded). */
static void
limit_refund(uint64_t key, time_t now)
{
	struct limit_slot *l = limit_slot(key, now, 0);

	if (l != NULL && l->fails > 0)
		l->fails--;
}

static void
limit_clear(uint64_t key, time_t now)
{
	struct limit_slot *l = limit_slot(key, now, 0);

	if (l != NULL)
		l->fails = 0;
}

void
account_session_end(struct dom *d, const char *token)
{
	unsigned char h[ACCOUNT_HASH_BYTES];
	struct dbq *s;

	if (token == NULL)
		return;
	account_token_hash(token, h);
	s = db_stmt(d->db, STMT_SESSION_DELETE);
	db_bind_blob(s, 1, h, sizeof(h));
	db_step(s);
	db_reset(s);
}

enum outcome
account_login(struct dom *d, const char *email, const char *password, const char *client,
    const char *old_session, const struct account_times *t, char token[ACCOUNT_TOKEN_HEX + 1], long *wait)
{
	uint64_t ka = limit_key('a', email), kc = limit_key('c', client);
	time_t	 now = time_now();
	struct dbq *s;
	char	*hash = NULL;
	unsigned char h[ACCOUNT_HASH_BYTES];
	long long id = 0;
	int	 disabled = 1, ok;

	/* Check and count in one step, before the slow password check: every attempt counts as a failure
	 * until it has succeeded, so that concurrent attempts cannot all pass the check first. */
	pthread_mutex_lock(&limit_lock);
	*wait = limit_wait(ka, LIMIT_ACCOUNT, now);
	if (*wait == 0)
		*wait = limit_wait(kc, LIMIT_CLIENT, now);
	if (*wait == 0) {
		limit_fail(ka, now);
		limit_fail(kc, now);
	}
	pthread_mutex_unlock(&limit_lock);
	if (*wait > 0)
		return dom_fail(d, OUT_FORBIDDEN, "Too many failed logins. Try again in %ld minutes.",
		    (*wait + 59) / 60);
	s = db_stmt(d->db, STMT_ACCOUNT_BY_EMAIL);
	db_bind_text_copy(s, 1, email ? email : "");
	if (db_step(s) == DB_ROW) {
		id = db_int64(s, 0);
		hash = arena_strdup(d->arena, db_text(s, 5));
		disabled = db_int(s, 6);
	}
	db_reset(s);
	ok = password_ok(hash, password ? password : "") && id > 0 && !disabled;
	if (!ok)
		return dom_fail(d, OUT_FORBIDDEN, "The e-mail address or the password is not right, or the "
		    "account is disabled.");
	pthread_mutex_lock(&limit_lock);
	limit_clear(ka, now);
	limit_refund(kc, now);
	pthread_mutex_unlock(&limit_lock);
	/* a new session on every login: a token set before (session fixation) is never reused */
	account_session_end(d, old_session);
	s = db_stmt(d->db, STMT_SESSION_PURGE);
	db_bind_int(s, 1, (long long)now);
	db_bind_int(s, 2, idle_seconds(t));
	db_step(s);
	db_reset(s);
	account_new_token(token, h);
	s = db_stmt(d->db, STMT_SESSION_INSERT);
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int(s, 2, id);
	db_bind_int(s, 3, (long long)now);
	db_bind_int(s, 4, (long long)now + account_session_max(t));
	if (db_step(s) != DB_DONE) {
		log_warnx("cannot store a session: %s", db_errmsg(d->db));
		db_reset(s);
		sodium_memzero(token, ACCOUNT_TOKEN_HEX + 1);
		return OUT_FAILED;
	}
	db_reset(s);
	return OUT_CREATED;
}

/* -------------------------------------------------------------------- accounts and API tokens */

enum outcome
account_create(struct dom *d, const char *email, const char *name, const char *credential, const char *role,
    const char *hash)
{
	struct dbq *s = db_stmt(d->db, STMT_ACCOUNT_INSERT);
	char	 now[21];
	int	 rc;

	time_now_iso(now);
	db_bind_text(s, 1, email);
	db_bind_text(s, 2, name);
	db_bind_text(s, 3, credential ? credential : "");
	db_bind_text(s, 4, role);
	db_bind_text(s, 5, hash);
	db_bind_text(s, 6, now);
	rc = db_step(s);
	db_reset(s);
	if (rc == DB_UNIQUE)
		return dom_fail(d, OUT_CONFLICT, "an account with the e-mail address %s exists already", email);
	if (rc != DB_DONE)
		return dom_fail(d, OUT_FAILED, "%s", db_errmsg(d->db));
	return OUT_CREATED;
}

/* Decodes a row of account_list (id, email, name, credential, role, disabled) into r. */
static void
account_row_read(struct dom *d, struct dbq *s, struct account_row *r)
{
	r->id = db_int64(s, 0);
	r->email = arena_strdup(d->arena, db_text(s, 1));
	r->name = arena_strdup(d->arena, db_text(s, 2));
	r->credential = arena_strdup(d->arena, db_text(s, 3));
	r->role = arena_strdup(d->arena, db_text(s, 4));
	r->disabled = db_int(s, 5);
}

/* Decodes a row of token_list (rowid, email, created_at, expires_at or '') into r. */
static void
token_row_read(struct dom *d, struct dbq *s, struct account_token_row *r)
{
	r->id = db_int64(s, 0);
	r->email = arena_strdup(d->arena, db_text(s, 1));
	r->created = arena_strdup(d->arena, db_text(s, 2));
	r->expires = arena_strdup(d->arena, db_text(s, 3));
}

enum outcome
account_list(struct dom *d, struct account_row **rows, int *n)
{
	struct dbq *s = db_stmt(d->db, STMT_ACCOUNT_LIST);
	int	 rc, cap = 0;

	*rows = NULL;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if ((*rows = arena_grow(d->arena, *rows, *n, &cap, sizeof(**rows))) == NULL)
			break;
		account_row_read(d, s, &(*rows)[(*n)++]);
	}
	db_reset(s);
	if (rc != DB_DONE)
		return dom_fail(d, OUT_FAILED, "%s", *rows == NULL && rc == DB_ROW ? "out of memory" :
		    db_errmsg(d->db));
	return OUT_OK;
}

enum outcome
account_find(struct dom *d, const char *email, long long *id)
{
	struct dbq *s = db_stmt(d->db, STMT_ACCOUNT_BY_EMAIL);

	*id = 0;
	db_bind_text(s, 1, email);
	if (db_step(s) == DB_ROW)
		*id = db_int64(s, 0);
	db_reset(s);
	if (*id == 0)
		return dom_fail(d, OUT_NOT_FOUND, "there is no account with the e-mail address %s", email);
	return OUT_OK;
}

enum outcome
account_set_conflicts(struct dom *d, const char *email, const char *text)
{
	struct dbq *s = db_stmt(d->db, STMT_ACCOUNT_SET_CONFLICTS);
	int	 rc;

	db_bind_text(s, 1, email);
	if (text[0] != '\0')
		db_bind_text(s, 2, text);
	rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? OUT_OK : dom_fail(d, OUT_FAILED, "%s", db_errmsg(d->db));
}

/* Runs the prepared change s of account id's row, then ends the account's sessions and revokes its
 * tokens, all in one transaction. */
static enum outcome
account_change(struct dom *d, long long id, struct dbq *s)
{
	int	 ok;

	if (db_begin(d->db) == -1)
		return dom_fail(d, OUT_FAILED, "%s", db_errmsg(d->db));
	ok = db_step(s) == DB_DONE;
	db_reset(s);
	for (int k = 0; k < 2 && ok; k++) {
		s = db_stmt(d->db, k == 0 ? STMT_SESSION_DELETE_ACCOUNT : STMT_TOKEN_REVOKE_ACCOUNT);
		db_bind_int(s, 1, id);
		ok = db_step(s) == DB_DONE;
		db_reset(s);
	}
	if (ok && db_commit(d->db) == 0)
		return OUT_OK;
	dom_fail(d, OUT_FAILED, "%s", db_errmsg(d->db));
	db_rollback(d->db);
	return OUT_FAILED;
}

enum outcome
account_disable(struct dom *d, long long id, const char *email)
{
	struct dbq *s = db_stmt(d->db, STMT_ACCOUNT_DISABLE);

	db_bind_text(s, 1, email);
	return account_change(d, id, s);
}

enum outcome
account_set_password(struct dom *d, long long id, const char *email, const char *hash)
{
	struct dbq *s = db_stmt(d->db, STMT_ACCOUNT_SET_PASSWORD);

	db_bind_text(s, 1, email);
	db_bind_text(s, 2, hash);
	return account_change(d, id, s);
}

enum outcome
account_token_create(struct dom *d, long long id, long long days, char token[ACCOUNT_TOKEN_HEX + 1],
    char until[21], long long *tid)
{
	unsigned char h[ACCOUNT_HASH_BYTES];
	char	 now[21];
	struct dbq *s;
	struct tm tm;
	time_t	 t;
	int	 rc;

	*tid = 0;
	account_new_token(token, h);
	time_now_iso(now);
	t = time_now() + (time_t)days * 86400;
	gmtime_r(&t, &tm);
	strftime(until, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
	s = db_stmt(d->db, STMT_TOKEN_INSERT);
	db_bind_blob(s, 1, h, sizeof(h));
	db_bind_int(s, 2, id);
	db_bind_text(s, 3, now);
	db_bind_text(s, 4, until);
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE) {
		sodium_memzero(token, ACCOUNT_TOKEN_HEX + 1);
		return dom_fail(d, OUT_FAILED, "%s", db_errmsg(d->db));
	}
	*tid = db_last_id(d->db);
	return OUT_CREATED;
}

enum outcome
account_tokens(struct dom *d, const char *email, struct account_token_row **rows, int *n)
{
	struct dbq *s = db_stmt(d->db, STMT_TOKEN_LIST);
	int	 rc, cap = 0;

	*rows = NULL;
	*n = 0;
	if (email != NULL)
		db_bind_text(s, 1, email);
	while ((rc = db_step(s)) == DB_ROW) {
		if ((*rows = arena_grow(d->arena, *rows, *n, &cap, sizeof(**rows))) == NULL)
			break;
		token_row_read(d, s, &(*rows)[(*n)++]);
	}
	db_reset(s);
	if (rc != DB_DONE)
		return dom_fail(d, OUT_FAILED, "%s", *rows == NULL && rc == DB_ROW ? "out of memory" :
		    db_errmsg(d->db));
	return OUT_OK;
}

/* Runs a token_revoke or token_revoke_account statement for key. */
static enum outcome
token_delete(struct dom *d, enum stmt_id id, long long key, int *revoked)
{
	struct dbq *s = db_stmt(d->db, id);
	int	 rc;

	db_bind_int(s, 1, key);
	rc = db_step(s);
	db_reset(s);
	*revoked = (int)db_changes(d->db);
	if (rc != DB_DONE) {
		*revoked = 0;
		return dom_fail(d, OUT_FAILED, "%s", db_errmsg(d->db));
	}
	return OUT_OK;
}

enum outcome
account_token_revoke(struct dom *d, long long tid, int *revoked)
{
	enum outcome oc = token_delete(d, STMT_TOKEN_REVOKE, tid, revoked);

	if (oc == OUT_OK && *revoked == 0)
		return dom_fail(d, OUT_NOT_FOUND, "there is no API token %lld (see evqa token list)", tid);
	return oc;
}

enum outcome
account_tokens_revoke(struct dom *d, long long id, int *revoked)
{
	return token_delete(d, STMT_TOKEN_REVOKE_ACCOUNT, id, revoked);
}
