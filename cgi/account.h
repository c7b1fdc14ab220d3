/* account.h: accounts, passwords, login sessions and API tokens, as the domain keeps them.
 *
 * Passwords are hashed with libsodium's crypto_pwhash_str (argon2id, interactive limits); hashing is
 * serialised by a mutex, so that several workers logging in at once cannot exhaust memory. Session and
 * API tokens are 256 random bits shown to their holder once; only their crypto_generichash is stored.
 * Nothing here knows how a token travels (a cookie, a header): auth.h reads the request and sets the
 * reply. */
#ifndef EVQA_ACCOUNT_H
#define EVQA_ACCOUNT_H

#include <stddef.h>

#include "domain.h"

#define ACCOUNT_TOKEN_HEX	64	/* a session or API token: 32 random bytes as hex */
#define ACCOUNT_HASH_BYTES	32
#define PASSWORD_MIN		10	/* bytes */
#define PASSWORD_MAX		1024

/* How long login sessions last, in seconds; 0 (or less) for either: the default (30 minutes unused,
 * 12 hours at most). */
struct account_times {
	int		 idle;
	int		 max;
};

/* The seconds a login session lasts at most, under t. */
int	 account_session_max(const struct account_times *t);

/* Starts libsodium. Returns 0 or -1. */
int	 account_init(void);
/* Hashes a password into out (crypto_pwhash_STRBYTES). Returns 0 or -1 (out of memory). */
int	 account_hash_password(const char *pw, char *out, size_t outsz);
/* Writes a new random token as ACCOUNT_TOKEN_HEX hex digits and its hash. Returns 0 or -1. */
int	 account_new_token(char token[ACCOUNT_TOKEN_HEX + 1], unsigned char hash[ACCOUNT_HASH_BYTES]);
/* The stored hash of a token. */
void	 account_token_hash(const char *token, unsigned char hash[ACCOUNT_HASH_BYTES]);

/* The account of an API token (ACCOUNT_TOKEN_HEX lowercase hex digits) that has not expired nor been
 * revoked, of an account not disabled: OUT_OK with *u in the arena (via_token set), OUT_NOT_FOUND
 * (*u NULL), or OUT_FAILED when memory is short. */
enum outcome account_by_token(struct dom *d, const char *token, struct user **u);
/* The account of a login session that has not ended (expired, unused longer than t's idle time,
 * logged out, or its account disabled): OUT_OK with *u in the arena and the session's hash in hash
 * (for account_session_touch), OUT_NOT_FOUND (*u NULL), or OUT_FAILED when memory is short. Reads
 * only. */
enum outcome account_by_session(struct dom *d, const char *token, const struct account_times *t,
	    unsigned char hash[ACCOUNT_HASH_BYTES], struct user **u);
/* Marks the session of hash used now, at most once a minute (or half t's idle time); when another
 * writer holds the database it does not wait: the next use marks it. */
void	 account_session_touch(struct dom *d, const unsigned char hash[ACCOUNT_HASH_BYTES],
	    const struct account_times *t);

/* Checks email and password against the accounts, failed attempts limited per account and per client
 * (any string naming where the attempt comes from), and on success starts a new login session:
 * OUT_CREATED, with its token in token (the only copy: the caller hands it on and wipes it), after
 * ending the session of old_session (a token, or NULL) and purging ended ones. Otherwise OUT_FORBIDDEN
 * with why: with *wait 0, wrong e-mail, password or a disabled account (the same words whichever);
 * with *wait > 0, too many failures, and the seconds until the next attempt may be made. A failed
 * attempt writes nothing to the database. OUT_FAILED (logged) when the session cannot be stored. */
enum outcome account_login(struct dom *d, const char *email, const char *password, const char *client,
	    const char *old_session, const struct account_times *t, char token[ACCOUNT_TOKEN_HEX + 1],
	    long *wait);
/* Ends the login session of token, if there is one. */
void	 account_session_end(struct dom *d, const char *token);

/* The accounts and API tokens, as the command line keeps them (evqa user, evqa token). Rows and
 * their strings belong to d's arena. A failure of storage is OUT_FAILED with the engine's words in
 * d->why. */

/* One account as listed: its columns in account_list. */
struct account_row {
	long long	 id;
	const char	*email, *name, *credential, *role;
	int		 disabled;
};

/* One API token as listed (token_list): its number, its account's e-mail, when it was made and
 * when it expires ("" for never). */
struct account_token_row {
	long long	 id;
	const char	*email, *created, *expires;
};

/* Adds an account with a password hash from account_hash_password() and role's code:
 * OUT_CREATED, OUT_CONFLICT when the e-mail address has an account already, or OUT_FAILED. */
enum outcome account_create(struct dom *d, const char *email, const char *name, const char *credential,
	    const char *role, const char *hash);
/* Every account, in the order they were made, into *rows (*n of them): OUT_OK, or OUT_FAILED with
 * the rows read before the failure. */
enum outcome account_list(struct dom *d, struct account_row **rows, int *n);
/* The id of email's account into *id: OUT_OK, or OUT_NOT_FOUND (*id 0). */
enum outcome account_find(struct dom *d, const char *email, long long *id);
/* Stores email's statement of interests, text ("" clears it): OUT_OK or OUT_FAILED. */
enum outcome account_set_conflicts(struct dom *d, const char *email, const char *text);
/* Disables the account id of email, or gives it the password hash, and in the same transaction ends
 * its login sessions and revokes its API tokens (whoever knew the old password may have made
 * either): OUT_OK, or OUT_FAILED with nothing changed. */
enum outcome account_disable(struct dom *d, long long id, const char *email);
enum outcome account_set_password(struct dom *d, long long id, const char *email, const char *hash);

/* A new API token for account id, valid for days from now: OUT_CREATED with the token in token (the
 * only copy: the caller shows it and wipes it), its number in *tid and its expiry time in until, or
 * OUT_FAILED. Only the token's hash is stored. */
enum outcome account_token_create(struct dom *d, long long id, long long days,
	    char token[ACCOUNT_TOKEN_HEX + 1], char until[21], long long *tid);
/* The API tokens, of email's account only unless email is NULL, in the order they were made, into
 * *rows (*n of them): OUT_OK, or OUT_FAILED with the rows read before the failure. */
enum outcome account_tokens(struct dom *d, const char *email, struct account_token_row **rows, int *n);
/* Revokes the API token numbered tid (account_token_revoke) or every token of the account id
 * (account_tokens_revoke), setting *revoked to how many went: OUT_OK (account_token_revoke:
 * OUT_NOT_FOUND when there is no such token), or OUT_FAILED. */
enum outcome account_token_revoke(struct dom *d, long long tid, int *revoked);
enum outcome account_tokens_revoke(struct dom *d, long long id, int *revoked);

#endif
