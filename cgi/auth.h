/* auth.h: accounts, passwords, login sessions and API tokens for the editorial pages and the API.
 *
 * Passwords are hashed with libsodium's crypto_pwhash_str (argon2id, interactive limits); hashing is
 * serialised by a mutex, so that several workers logging in at once cannot exhaust memory. Session and
 * API tokens are 256 random bits shown to the client once; only their crypto_generichash is stored. */
#ifndef EVQA_AUTH_H
#define EVQA_AUTH_H

#include <stddef.h>

#include "codes.h"
#include "domain.h"

struct req;
struct db;

#define AUTH_TOKEN_HEX		64	/* a session or API token: 32 random bytes as hex */
#define AUTH_HASH_BYTES		32
#define PASSWORD_MIN		10	/* bytes */
#define PASSWORD_MAX		1024

/* Starts libsodium. Returns 0 or -1. */
int	 auth_init(void);
/* Hashes a password into out (crypto_pwhash_STRBYTES). Returns 0 or -1 (out of memory). */
int	 auth_hash_password(const char *pw, char *out, size_t outsz);
/* Writes a new random token as AUTH_TOKEN_HEX hex digits and its hash. Returns 0 or -1. */
int	 auth_new_token(char token[AUTH_TOKEN_HEX + 1], unsigned char hash[AUTH_HASH_BYTES]);
/* The stored hash of a token. */
void	 auth_token_hash(const char *token, unsigned char hash[AUTH_HASH_BYTES]);

/* Finds the request's account from its session cookie or its bearer token and sets r->user (NULL
 * when there is none or it ended). Returns 0, or 401 for a bearer token that is not valid. */
int	 auth_identify(struct req *r);
/* Moves the login session's last_seen when auth_identify left that for later (it was called in a
 * read transaction). The dispatcher calls it after every request. */
void	 auth_touch_session(struct req *r);

/* Requires a logged-in account with at least role min. Pages: a GET without a session is redirected
 * to the login page (303); API: 401. A weaker role: 403. State-changing requests also pass the
 * Origin and form-token checks (not needed with a bearer token). Returns 0 or an HTTP status. */
int	 auth_require(struct req *r, enum role min);

/* Checks email and password, limited per account and per client (429 with Retry-After), and on
 * success starts a new session: Set-Cookie for the session and a new form token. Returns 0, 401 (the
 * same message whatever was wrong) or 429. */
int	 auth_login(struct req *r, const char *email, const char *password);
/* Ends the request's session (deletes it, clears the cookie). */
void	 auth_logout(struct req *r);

/* 1 when next is a path on this site: starts with one '/', no "//", no '\\', no control characters. */
int	 auth_local_path(const char *next);

/* The form token of the logged-in page request (the evqa_csrf cookie), creating one when missing. */
const char *auth_csrf(struct req *r);

#endif
