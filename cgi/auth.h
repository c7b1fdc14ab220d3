/* auth.h: who is asking. Reads a request's session cookie or bearer token, answers the login and
 * logout with their cookies, and checks the role a route needs; the accounts, passwords, sessions and
 * tokens themselves are the domain's (account.h). */
#ifndef EVQA_AUTH_H
#define EVQA_AUTH_H

#include "codes.h"

struct req;

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
