/* guard.c: same-origin and form-token checks, and the cookies they rely on (see guard.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "req.h"
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
	req_header(r, "Set-Cookie", c);
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
		req_header(r, "Set-Cookie", "evqa_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
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

int
guard_origin(struct req *r)
{
	const char *o = r->in->origin, *host = r->in->host, *scheme = req_tls(r) ? "https" : "http";
	size_t	 sl = strlen(scheme);

	if (o == NULL)
		return 0;
	if (host != NULL && strncmp(o, scheme, sl) == 0 && strncmp(o + sl, "://", 3) == 0 &&
	    strcmp(o + sl + 3, host) == 0)
		return 0;
	return req_fail(r, 403, "This form was sent from another site (%s). Send it from the page on this "
	    "site instead.", o);
}

int
guard_csrf(struct req *r)
{
	const char *t = r->fields[KEY_CSRF].present ? r->fields[KEY_CSRF].str : r->in->csrf_header;

	if (t == NULL || r->cookie_csrf == NULL || !str_equal_ct(t, r->cookie_csrf))
		return req_fail(r, 403, "The form's security token is missing or out of date. Reload the "
		    "page and send the form again.");
	return 0;
}
