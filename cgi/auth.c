/* auth.c: passwords, login sessions, API tokens and the login rate limit (see auth.h). */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "auth.h"
#include "db.h"
#include "guard.h"
#include "log.h"
#include "req.h"
#include "server.h"
#include "util.h"

#define SESSION_IDLE_DEFAULT	(30 * 60)	/* seconds */
#define SESSION_MAX_DEFAULT	(12 * 3600)	/* seconds */

/* Failed logins: at most LIMIT_ACCOUNT per account and LIMIT_CLIENT per client address in
 * LIMIT_WINDOW seconds; then 429 until the window of the first failure has passed. */
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
auth_init(void)
{
	if (sodium_init() < 0) {
		log_warnx("libsodium cannot start");
		return -1;
	}
	return 0;
}

int
auth_hash_password(const char *pw, char *out, size_t outsz)
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
auth_token_hash(const char *token, unsigned char hash[AUTH_HASH_BYTES])
{
	crypto_generichash(hash, AUTH_HASH_BYTES, (const unsigned char *)token, strlen(token), NULL, 0);
}

int
auth_new_token(char token[AUTH_TOKEN_HEX + 1], unsigned char hash[AUTH_HASH_BYTES])
{
	unsigned char raw[AUTH_TOKEN_HEX / 2];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, AUTH_TOKEN_HEX + 1, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	auth_token_hash(token, hash);
	return 0;
}

static int
idle_seconds(const struct req *r)
{
	return r->cfg != NULL && r->cfg->session_idle > 0 ? r->cfg->session_idle : SESSION_IDLE_DEFAULT;
}

static int
max_seconds(const struct req *r)
{
	return r->cfg != NULL && r->cfg->session_max > 0 ? r->cfg->session_max : SESSION_MAX_DEFAULT;
}

/* Reads the account columns of session_lookup / token_lookup into a request-owned user. */
static struct user *
user_from_row(struct req *r, sqlite3_stmt *s)
{
	struct user *u = req_alloc(r, sizeof(*u));

	if (u == NULL)
		return NULL;
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(s, 0);
	u->email = req_strdup(r, db_text(s, 1));
	u->name = req_strdup(r, db_text(s, 2));
	u->credential = req_strdup(r, db_text(s, 3));
	u->role = role_find(db_text(s, 4));
	if (u->email == NULL || u->name == NULL || u->credential == NULL || u->role == ROLE__MAX)
		return NULL;
	return u;
}

int
auth_identify(struct req *r)
{
	const char *a = r->in->authorization;
	unsigned char h[AUTH_HASH_BYTES];
	sqlite3_stmt *s;
	time_t	 now = time_now();

	if (r->user != NULL)
		return 0;
	if (a != NULL && a[0] != '\0') {
		if (strncasecmp(a, "Bearer ", 7) != 0 || strlen(a + 7) != AUTH_TOKEN_HEX ||
		    strspn(a + 7, "0123456789abcdef") != AUTH_TOKEN_HEX) {
			req_header(r, "WWW-Authenticate", "Bearer");
			return req_fail(r, 401, "The Authorization header must be 'Bearer' and an API token "
			    "made with evqa token add.");
		}
		char	 iso[21];

		auth_token_hash(a + 7, h);
		time_now_iso(iso);
		s = db_stmt(r->db, STMT_TOKEN_LOOKUP);
		sqlite3_bind_blob(s, 1, h, sizeof(h), SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, iso, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) != SQLITE_ROW) {
			sqlite3_reset(s);
			req_header(r, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
			return req_fail(r, 401, "This API token is not valid: it has expired or been revoked, or "
			    "its account is disabled. Ask for a new one (evqa token add).");
		}
		if ((r->user = user_from_row(r, s)) == NULL)
			return 500;
		r->dom.actor = r->user;
		((struct user *)r->user)->via_token = 1;
		sqlite3_reset(s);
		return 0;
	}
	if (r->cookie_session == NULL)
		return 0;
	auth_token_hash(r->cookie_session, h);
	s = db_stmt(r->db, STMT_SESSION_LOOKUP);
	sqlite3_bind_blob(s, 1, h, sizeof(h), SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)now);
	sqlite3_bind_int64(s, 3, idle_seconds(r));
	if (sqlite3_step(s) == SQLITE_ROW) {
		if ((r->user = user_from_row(r, s)) == NULL)
			return 500;
		r->dom.actor = r->user;
		sqlite3_reset(s);
		/* inside the read transaction of a GET: moved once it has ended */
		memcpy(r->touch_hash, h, sizeof(r->touch_hash));
		r->touch_pending = 1;
		if (sqlite3_get_autocommit(r->db->conn))
			auth_touch_session(r);
	} else
		sqlite3_reset(s);
	return 0;
}

void
auth_touch_session(struct req *r)
{
	sqlite3_stmt *s;

	if (!r->touch_pending)
		return;
	r->touch_pending = 0;
	/* last_seen moves at most once a minute: reading pages is not a write each time; while another
	 * writer holds the lock it waits for the next request rather than holding this one up */
	s = db_stmt(r->db, STMT_SESSION_TOUCH);
	sqlite3_bind_blob(s, 1, r->touch_hash, sizeof(r->touch_hash), SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)time_now());
	sqlite3_bind_int64(s, 3, idle_seconds(r) / 2 < 60 ? idle_seconds(r) / 2 : 60);
	db_busy_wait(r->db, 0);
	sqlite3_step(s);
	db_busy_wait(r->db, 1);
	sqlite3_reset(s);
}

int
auth_require(struct req *r, enum role min)
{
	int	 rc;

	if ((rc = auth_identify(r)) != 0)
		return rc;
	if (r->user == NULL) {
		if (!r->api && (r->method == METHOD_GET || r->method == METHOD_HEAD)) {
			struct buf loc = BUF_INIT;

			buf_lit(&loc, "/editor/login?next=");
			buf_url(&loc, r->in->uri);
			rc = loc.err ? 500 : 303;
			if (rc == 303)
				req_header(r, "Location", loc.p);
			buf_free(&loc);
			return rc;
		}
		if (r->api)
			req_header(r, "WWW-Authenticate", "Bearer");
		return req_fail(r, 401, r->api ? "This needs an editorial account: send Authorization: Bearer "
		    "with an API token (evqa token add), or log in with POST /api/v1/session and send its "
		    "cookie." : "Log in first: this needs an editorial account.");
	}
	if (r->method != METHOD_GET && r->method != METHOD_HEAD && !r->user->via_token) {
		if ((rc = guard_origin(r)) != 0 || (rc = guard_csrf(r)) != 0)
			return rc;
	}
	if (r->user->role < min)
		return req_fail(r, 403, "Your role (%s) may not do this; it needs the %s role or higher.",
		    role_names[r->user->role], role_names[min]);
	return 0;
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

/* Deletes the session whose token the request's cookie holds, if any. */
static void
session_delete(struct req *r)
{
	unsigned char h[AUTH_HASH_BYTES];
	sqlite3_stmt *s;

	if (r->cookie_session == NULL)
		return;
	auth_token_hash(r->cookie_session, h);
	s = db_stmt(r->db, STMT_SESSION_DELETE);
	sqlite3_bind_blob(s, 1, h, sizeof(h), SQLITE_TRANSIENT);
	sqlite3_step(s);
	sqlite3_reset(s);
}

int
auth_login(struct req *r, const char *email, const char *password)
{
	uint64_t ka = limit_key('a', email), kc = limit_key('c', r->in->remote_addr);
	time_t	 now = time_now();
	long	 wait;
	sqlite3_stmt *s;
	char	*hash = NULL, token[AUTH_TOKEN_HEX + 1], retry[24];
	unsigned char h[AUTH_HASH_BYTES];
	long long id = 0;
	int	 disabled = 1, ok;

	/* Check and count in one step, before the slow password check: every attempt counts as a failure
	 * until it has succeeded, so that concurrent attempts cannot all pass the check first. */
	pthread_mutex_lock(&limit_lock);
	wait = limit_wait(ka, LIMIT_ACCOUNT, now);
	if (wait == 0)
		wait = limit_wait(kc, LIMIT_CLIENT, now);
	if (wait == 0) {
		limit_fail(ka, now);
		limit_fail(kc, now);
	}
	pthread_mutex_unlock(&limit_lock);
	if (wait > 0) {
		snprintf(retry, sizeof(retry), "%ld", wait);
		req_header(r, "Retry-After", retry);
		return req_fail(r, 429, "Too many failed logins. Try again in %ld minutes.", (wait + 59) / 60);
	}
	s = db_stmt(r->db, STMT_ACCOUNT_BY_EMAIL);
	sqlite3_bind_text(s, 1, email ? email : "", -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		hash = req_strdup(r, db_text(s, 5));
		disabled = sqlite3_column_int(s, 6);
	}
	sqlite3_reset(s);
	ok = password_ok(hash, password ? password : "") && id > 0 && !disabled;
	if (ok) {
		pthread_mutex_lock(&limit_lock);
		limit_clear(ka, now);
		limit_refund(kc, now);
		pthread_mutex_unlock(&limit_lock);
	}
	if (!ok)
		return req_fail(r, 401, "The e-mail address or the password is not right, or the account is "
		    "disabled.");
	/* a new session on every login: a token set before (session fixation) is never reused */
	session_delete(r);
	s = db_stmt(r->db, STMT_SESSION_PURGE);
	sqlite3_bind_int64(s, 1, (sqlite3_int64)now);
	sqlite3_bind_int64(s, 2, idle_seconds(r));
	sqlite3_step(s);
	sqlite3_reset(s);
	auth_new_token(token, h);
	s = db_stmt(r->db, STMT_SESSION_INSERT);
	sqlite3_bind_blob(s, 1, h, sizeof(h), SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, id);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)now);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)now + max_seconds(r));
	if (sqlite3_step(s) != SQLITE_DONE) {
		log_warnx("cannot store a session: %s", sqlite3_errmsg(r->db->conn));
		sqlite3_reset(s);
		return 500;
	}
	sqlite3_reset(s);
	guard_set_session_cookie(r, token, max_seconds(r));
	r->cookie_session = req_strdup(r, token);
	/* a new form token too, so that one known before the login is worth nothing after it */
	r->cookie_csrf = NULL;
	if (guard_csrf_token(r) == NULL)
		return 500;
	sodium_memzero(token, sizeof(token));
	return auth_identify(r);
}

void
auth_logout(struct req *r)
{
	session_delete(r);
	guard_set_session_cookie(r, NULL, 0);
	r->user = r->dom.actor = NULL;
	r->cookie_session = NULL;
}

int
auth_local_path(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return 0;
	for (const unsigned char *p = (const unsigned char *)next; *p != '\0'; p++)
		if (*p < 0x21 || *p == 0x7f || *p == '\\')
			return 0;
	return strstr(next, "//") == NULL;
}

const char *
auth_csrf(struct req *r)
{
	return guard_csrf_token(r);
}
