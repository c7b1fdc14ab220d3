/* guard.h: the checks every state-changing request passes: same origin and the form token. */
#ifndef EVQA_GUARD_H
#define EVQA_GUARD_H

struct req;

/* Cross-origin protection for every state-changing request (any method but GET, HEAD and OPTIONS),
 * run by the dispatcher before the handler, the way Go's net/http.CrossOriginProtection decides, with
 * no token (see README, "Cross-origin protection"). In order:
 *   1. Sec-Fetch-Site: same-origin or none passes; same-site or cross-site is refused, except from an
 *      allowed --cors-origin Origin on an /api/ path;
 *   2. without Sec-Fetch-Site, an Origin naming this site (scheme and Host) passes, an allowed
 *      --cors-origin Origin on an /api/ path passes, any other Origin is refused;
 *   3. with neither header, the request passes only when it carries no login session cookie: a
 *      program, not a page in a browser (every browser in use sends one of the two headers).
 * An allowed --cors-origin never passes with a session cookie: evqa's CORS never allows credentials.
 * Returns 0, or 403 with r->detail set. Editor forms check their form token besides (guard_csrf). */
int	 guard_cross_origin(struct req *r);

/* 1 when the request changes the reader's audience: ?audience= is given and differs from the
 * evqa_audience cookie. Only then does the article page set the cookie (and is not shared). */
int	 guard_audience_changes(const struct req *r);

/* Refuses (403) a request whose Origin header names another site than the one it was sent to
 * (scheme and Host). A request without Origin passes this check; it still needs its token. */
int	 guard_origin(struct req *r);

/* Refuses (403) a request whose form token (the csrf field, or the X-CSRF-Token header) is missing
 * or differs from the reader's evqa_csrf cookie. Compared in constant time. */
int	 guard_csrf(struct req *r);

/* The reader's form token: the evqa_csrf cookie, created (Set-Cookie) when missing. NULL on failure. */
const char *guard_csrf_token(struct req *r);

/* Sets a cookie on the reply: Path=/, HttpOnly, SameSite=Lax, and Secure behind TLS. value must be a
 * token evqa made or validated (letters, digits, '-', '_'). */
void	 guard_set_cookie(struct req *r, const char *name, const char *value, int max_age);

/* Sets (token) or clears (NULL) the login session cookie evqa_session, named __Host-evqa_session
 * behind TLS. */
void	 guard_set_session_cookie(struct req *r, const char *token, int max_age);

/* The site's origin for absolute addresses ("https://evidence.example.org"): --site-url when given,
 * else the scheme and Host the request came with (a Host that is not a plain host name and port gives
 * "localhost"). In the request's memory, or a literal. */
const char *guard_site_origin(struct req *r);

#endif
