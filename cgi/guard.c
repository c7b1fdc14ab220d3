/* guard.c: same-origin and form-token checks, and the cookies they rely on (see guard.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "req.h"
#include "server.h"
#include "util.h"

#define COOKIE_YEAR	31536000

/* Writes the Set-Cookie header; behind TLS with host_only, the name takes the __Host- prefix (which
 * browsers accept only with Secure, Path=/ and no Domain). */
static void
cookie_write(struct req *r, const char *name, const char *value, int max_age, int host_only)
{
	char	 c[256];
	int	 tls = req_tls(r);

	snprintf(c, sizeof(c), "%s%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s",
	    tls && host_only ? "__Host-" : "", name, value, max_age, tls ? "; Secure" : "");
	req_cookie(r, c);
}

void
guard_set_cookie(struct req *r, const char *name, const char *value, int max_age)
{
	cookie_write(r, name, value, max_age, 0);
}

void
guard_set_session_cookie(struct req *r, const char *token, int max_age)
{
	cookie_write(r, "evqa_session", token ? token : "", token ? max_age : 0, 1);
	/* logging out behind TLS: a plain evqa_session left from plain HTTP goes too */
	if (token == NULL && req_tls(r))
		req_cookie(r, "evqa_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
}

const char *
guard_csrf_token(struct req *r)
{
	char	*t;

	if (r->cookie_csrf != NULL)
		return r->cookie_csrf;
	if ((t = req_alloc(r, 33)) == NULL || random_hex(t, 16) == -1)
		return NULL;
	guard_set_cookie(r, "evqa_csrf", t, COOKIE_YEAR);
	r->cookie_csrf = t;
	return t;
}

static int origin_is_self(const struct req *, const char *);

int
guard_origin(struct req *r)
{
	const char *o = r->in->origin;

	if (o == NULL || origin_is_self(r, o))
		return 0;
	r->problem = "cross-origin";
	if (r->api)
		return req_fail(r, 403, "The Origin header names another site (%s). Send state-changing "
		    "requests from this site, or from an origin the server allows with --cors-origin.", o);
	return req_fail(r, 403, "This form was sent from another site (%s). Send it from the page on this "
	    "site instead.", o);
}

/* 1 when origin is scheme://Host of this request. */
static int
origin_is_self(const struct req *r, const char *o)
{
	const char *host = r->in->host, *scheme = req_tls(r) ? "https" : "http";
	size_t	 sl = strlen(scheme);

	return host != NULL && strncmp(o, scheme, sl) == 0 && strncmp(o + sl, "://", 3) == 0 &&
	    strcmp(o + sl + 3, host) == 0;
}

/* 1 when origin is one of --cors-origin, the path is under /api/ and no session cookie is sent. */
static int
origin_is_trusted(const struct req *r, const char *o)
{
	if (o == NULL || !r->api || r->cookie_session != NULL || r->cfg == NULL)
		return 0;
	for (int i = 0; i < r->cfg->ncors; i++)
		if (strcmp(r->cfg->cors[i], o) == 0)
			return 1;
	return 0;
}

int
guard_cross_origin(struct req *r)
{
	const char *site = r->in->sec_fetch_site, *o = r->in->origin;
	const char *fix = r->api ? "Call the API from this site, from an origin allowed with --cors-origin "
	    "(without the session cookie), or from a program with an API token." :
	    "Send the form from the page on this site instead.";

	if (r->method == METHOD_GET || r->method == METHOD_HEAD || r->method == METHOD_OPTIONS)
		return 0;
	if (site != NULL) {
		if (strcmp(site, "same-origin") == 0 || strcmp(site, "none") == 0 || origin_is_trusted(r, o))
			return 0;
		r->problem = "cross-origin";
		return req_fail(r, 403, "This request came from another site (Sec-Fetch-Site: %.40s), so it "
		    "was refused. %s", site, fix);
	}
	if (o != NULL) {
		if (origin_is_self(r, o) || origin_is_trusted(r, o))
			return 0;
		r->problem = "cross-origin";
		return req_fail(r, 403, "This request was sent from another site (%.100s), so it was refused. "
		    "%s", o, fix);
	}
	if (r->cookie_session != NULL) {
		r->problem = "cross-origin";
		return req_fail(r, 403, "This request carries a login session but neither an Origin nor a "
		    "Sec-Fetch-Site header, so evqa cannot tell that it comes from this site. Use a current "
		    "browser, or an API token without the session cookie.");
	}
	return 0;
}

int
guard_audience_changes(const struct req *r)
{
	const struct field *f = &r->fields[KEY_AUDIENCE];

	return f->present && (r->cookie_audience == NULL || strcmp(f->str, r->cookie_audience) != 0);
}

int
guard_csrf(struct req *r)
{
	const char *t = r->fields[KEY_CSRF].present ? r->fields[KEY_CSRF].str : r->in->csrf_header;

	if (t == NULL || r->cookie_csrf == NULL || !str_equal_ct(t, r->cookie_csrf)) {
		r->problem = "csrf-token";
		if (r->api)
			return req_fail(r, 403, "Send the X-CSRF-Token header equal to the evqa_csrf cookie (POST "
			    "/api/v1/session returns it as csrf_token), or authenticate with Authorization: "
			    "Bearer and an API token instead of the session cookie.");
		return req_fail(r, 403, "The form's security token is missing or out of date. Reload the "
		    "page and send the form again.");
	}
	return 0;
}

const char *
guard_site_origin(struct req *r)
{
	const char *host = r->in->host;
	char	 o[300];

	if (r->cfg != NULL && r->cfg->site_url != NULL)
		return r->cfg->site_url;
	if (host == NULL || host[0] == '\0' || strlen(host) > 255 ||
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != strlen(host))
		host = "localhost";
	snprintf(o, sizeof(o), "%s://%s", req_tls(r) ? "https" : "http", host);
	return req_strdup(r, o);
}
