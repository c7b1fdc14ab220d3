/* auth.c: who is asking: the session cookie or the bearer token of a request, the login and logout
 * replies, and the role a route needs (see auth.h). The accounts themselves are account.c's. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "account.h"
#include "auth.h"
#include "db.h"
#include "guard.h"
#include "req.h"
#include "server.h"

_Static_assert(sizeof(((struct req *)0)->touch_hash) == ACCOUNT_HASH_BYTES, "a session's hash fits");

/* The session lifetimes of the site's settings (0: account.c's defaults). */
static struct account_times
times(const struct req *r)
{
	struct account_times t = { 0, 0 };

	if (r->cfg != NULL) {
		t.idle = r->cfg->session_idle;
		t.max = r->cfg->session_max;
	}
	return t;
}

/* Makes u the request's account after a lookup that found it (OUT_OK): 0; any other outcome: 500. */
static int
identified(struct req *r, enum outcome oc, struct user *u)
{
	switch (oc) {
	case OUT_OK:
		r->user = r->dom.actor = u;
		return 0;
	case OUT_CREATED:
	case OUT_INVALID:
	case OUT_FORBIDDEN:
	case OUT_NOT_FOUND:
	case OUT_CONFLICT:
	case OUT_FAILED:
	case OUT__MAX:
		break;
	}
	return 500;
}

int
auth_identify(struct req *r)
{
	const char *a = r->in->authorization;
	struct account_times t = times(r);
	struct user *u;
	enum outcome oc;
	int	 rc;

	if (r->user != NULL)
		return 0;
	if (a != NULL && a[0] != '\0') {
		if (strncasecmp(a, "Bearer ", 7) != 0 || strlen(a + 7) != ACCOUNT_TOKEN_HEX ||
		    strspn(a + 7, "0123456789abcdef") != ACCOUNT_TOKEN_HEX) {
			r->www_authenticate = "Bearer";
			return req_fail(r, 401, "The Authorization header must be 'Bearer' and an API token "
			    "made with evqa token add.");
		}
		if ((oc = account_by_token(&r->dom, a + 7, &u)) == OUT_NOT_FOUND) {
			r->www_authenticate = "Bearer error=\"invalid_token\"";
			return req_fail(r, 401, "This API token is not valid: it has expired or been revoked, or "
			    "its account is disabled. Ask for a new one (evqa token add).");
		}
		return identified(r, oc, u);
	}
	if (r->cookie_session == NULL)
		return 0;
	if ((oc = account_by_session(&r->dom, r->cookie_session, &t, r->touch_hash, &u)) == OUT_NOT_FOUND)
		return 0;
	if ((rc = identified(r, oc, u)) != 0)
		return rc;
	/* inside the read transaction of a GET: moved once it has ended */
	r->touch_pending = 1;
	if (!db_in_transaction(r->db))
		auth_touch_session(r);
	return 0;
}

void
auth_touch_session(struct req *r)
{
	struct account_times t;

	if (!r->touch_pending)
		return;
	r->touch_pending = 0;
	t = times(r);
	account_session_touch(&r->dom, r->touch_hash, &t);
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
				req_location(r, loc.p);
			buf_free(&loc);
			return rc;
		}
		if (r->api)
			r->www_authenticate = "Bearer";
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

int
auth_login(struct req *r, const char *email, const char *password)
{
	struct account_times t = times(r);
	char	 token[ACCOUNT_TOKEN_HEX + 1];
	long	 wait = 0;
	enum outcome oc;

	oc = account_login(&r->dom, email, password, r->in->remote_addr, r->cookie_session, &t, token, &wait);
	switch (oc) {
	case OUT_CREATED:
		break;
	case OUT_FORBIDDEN:
		req_outcome(r, oc);
		if (wait > 0) {
			r->retry_after = (int)wait;
			return 429;
		}
		return 401;
	case OUT_OK:
	case OUT_INVALID:
	case OUT_NOT_FOUND:
	case OUT_CONFLICT:
	case OUT_FAILED:
	case OUT__MAX:
		dom_clear(&r->dom);
		return 500;
	}
	guard_set_session_cookie(r, token, account_session_max(&t));
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
	account_session_end(&r->dom, r->cookie_session);
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
