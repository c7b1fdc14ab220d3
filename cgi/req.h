/* req.h: one HTTP request and its reply, as evqa's handlers see them.
 *
 * A request is filled from the FastCGI parameters by req_parse(), which validates every input once
 * (method, path, query, form, cookies): handlers see only valid, typed values. A handler returns an HTTP
 * status; the dispatcher (route.c) turns any error status into the shared error page or problem+json.
 * The reply is a set of typed fields (status, content type, cache policy, Location, ETag, cookies, ...)
 * that req_reply_head() turns into header lines once, when serve.c sends it: no code appends a header
 * line that could be sent twice. Everything a request allocates hangs off it and is released by
 * req_free(). */
#ifndef EVQA_REQ_H
#define EVQA_REQ_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "codes.h"
#include "domain.h"

struct db;
struct config;
struct page_cache;
struct memo;

enum method {
	METHOD_GET,
	METHOD_HEAD,
	METHOD_POST,
	METHOD_PUT,
	METHOD_PATCH,
	METHOD_DELETE,
	METHOD_OPTIONS,
	METHOD__MAX
};
#define M(m)	(1u << METHOD_##m)

/* Every query or form parameter any route accepts. A route lists the ones it takes (route.c). */
enum key {
	KEY_AUDIENCE,	/* an audience code (content.h) */
	KEY_PAGE,	/* 1-based page number */
	KEY_PER_PAGE,	/* page size, 1..100 */
	KEY_Q,		/* a search query: text, at most 500 bytes */
	KEY_QUESTION,	/* a reader's question: text, at most 2000 bytes */
	KEY_ARTICLE,	/* an article id */
	KEY_CSRF,	/* the form token: 32 hex digits */
	KEY_EMAIL,	/* an account's e-mail address */
	KEY_PASSWORD,	/* a password: kept as sent, not trimmed */
	KEY_NEXT,	/* where to go after logging in: a local path */
	KEY_TO,		/* a review state to move to */
	KEY_REASON,	/* why: required to request changes or archive */
	KEY_BASE,	/* the revision number an edit was based on */
	KEY_REFERENCES,	/* the reference list, one typed entry per line */
	KEY_BOTTOM_CLINICIAN,	/* bottom line and body per audience (Markdown) */
	KEY_BODY_CLINICIAN,
	KEY_BOTTOM_NURSE,
	KEY_BODY_NURSE,
	KEY_BOTTOM_PHARMACIST,
	KEY_BODY_PHARMACIST,
	KEY_BOTTOM_STUDENT,
	KEY_BODY_STUDENT,
	KEY_BOTTOM_PATIENT,
	KEY_BODY_PATIENT,
	KEY_PREVIEW,	/* the editor's preview button */
	KEY_STATE,	/* a review state code (content.h) */
	KEY_SORT,	/* a dashboard sort order */
	KEY_REV,	/* a revision number */
	KEY_AGAINST,	/* a revision number to compare with */
	KEY_QSTATE,	/* "state" of the question queue: a reader's question's state */
	KEY_FORMAT,	/* a citation format (cite.h): num is its enum cite_format */
	KEY_REF,	/* a reference number, or "all" (num 0) */
	KEY_LETTER,	/* the home page's first letter: "a" to "z", or "0" for the rest */
	KEY_SOURCE,	/* the home page's source filter */
	KEY_QTYPE,	/* the home page's filter by the kind of question answered */
	KEY_UPDATED_SINCE,	/* an evqa time 'YYYY-MM-DDTHH:MM:SSZ' */
	KEY__MAX
};
#define K(k)	(1ull << KEY_##k)

/* A validated parameter: present, its text, and its number when the key is numeric. */
struct field {
	int		 present;
	const char	*str;
	long long	 num;
};

/* One message about one parameter, for the error page and problem+json "errors". */
struct field_error {
	const char	*field;
	char		 detail[200];
};
#define REQ_MAX_ERRORS	8

/* Limits on what a request may carry. */
#define REQ_MAX_URI	2048		/* the request target, bytes */
#define REQ_MAX_BODY	(64 * 1024)	/* a request body, bytes (nginx caps at the same) */
#define REQ_MAX_COOKIE	(64 * 1024)	/* the Cookie header, bytes (all the params fcgiscan.h lets in) */

/* The CGI variables a request is built from (pointers into the FastCGI parameters or test data). */
struct req_input {
	const char	*method;	/* REQUEST_METHOD */
	const char	*uri;		/* REQUEST_URI: raw path and query, as the client sent them */
	const char	*content_type;	/* CONTENT_TYPE */
	const char	*content_length;/* CONTENT_LENGTH */
	const char	*cookie;	/* HTTP_COOKIE */
	const char	*origin;	/* HTTP_ORIGIN */
	const char	*if_none_match;	/* HTTP_IF_NONE_MATCH */
	const char	*acr_method;	/* HTTP_ACCESS_CONTROL_REQUEST_METHOD */
	const char	*https;		/* HTTPS: "on" behind TLS */
	const char	*scheme;	/* REQUEST_SCHEME: http or https */
	const char	*host;		/* HTTP_HOST */
	const char	*csrf_header;	/* HTTP_X_CSRF_TOKEN */
	const char	*authorization;	/* HTTP_AUTHORIZATION */
	const char	*if_match;	/* HTTP_IF_MATCH */
	const char	*idempotency_key;	/* HTTP_IDEMPOTENCY_KEY */
	const char	*remote_addr;	/* REMOTE_ADDR */
	const char	*sec_fetch_site;/* HTTP_SEC_FETCH_SITE: same-origin, same-site, cross-site or none */
	const char	*gzip;		/* EVQA_GZIP: "gzip" when nginx lets evqa compress a public page */
	const char	*cookie_audience;/* EVQA_COOKIE_AUDIENCE: the evqa_audience cookie as nginx read it
					 * (an audience code or ""); when set, it replaces evqa's own reading */
	const char	*body;		/* the request body (read by the server), or NULL */
	size_t		 body_len;
	int		 body_status;	/* 0, or 400/411/413 when the body could not be read */
};

struct route;

/* How caches may keep a reply (its Cache-Control). A reply has one policy, chosen once with
 * req_cache(); CACHE_NONE sends no Cache-Control. Public pages' policy is the dispatcher's. */
enum cache_policy {
	CACHE_NONE,		/* not chosen: no Cache-Control */
	CACHE_NO_STORE,		/* "no-store": editors' pages, replies after a change, error replies */
	CACHE_PRIVATE_NO_STORE,	/* "private, no-store": a reader's own question, a page setting a cookie */
	CACHE_NO_CACHE,		/* "no-cache": kept, but asked again on every use */
	CACHE_PUBLIC_PAGE,	/* a public page (route.h, ROUTE_PUBLIC): shared for a few seconds */
	CACHE_PUBLIC_HOUR,	/* "public, max-age=3600" */
	CACHE_PUBLIC_DAY,	/* "public, max-age=86400" */
	CACHE__MAX
};

/* What a reply varies on besides its address: the bits of its Vary header, written in this order. */
#define VARY_COOKIE		0x01u	/* Cookie */
#define VARY_ACCEPT_ENCODING	0x02u	/* Accept-Encoding */
#define VARY_ORIGIN		0x04u	/* Origin */

#define REQ_MAX_COOKIES	8	/* Set-Cookie headers a reply may carry */

struct req {
	/* Input, valid after req_parse(). */
	enum method	 method;
	const char	*method_name;	/* as sent, for messages */
	char		*path;		/* decoded path, valid UTF-8, no NUL */
	char		*query;		/* raw query string without '?', or "" */
	const struct req_input *in;
	const struct route *route;	/* set by the dispatcher */
	long long	 id;		/* the {id} path segment, when the route has one */
	const char	*slug;		/* the {slug} path segment, when the route has one */
	int		 num;		/* the {n} path segment (1 to 1000000), when the route has one */
	struct field	 fields[KEY__MAX];
	const char	*cookie_audience;	/* evqa_audience cookie when valid, else NULL */
	const char	*cookie_csrf;		/* evqa_csrf cookie when well-formed, else NULL */
	const char	*cookie_session;	/* the login session cookie when well-formed, else NULL */
	const struct user *user;		/* the logged-in account (auth.h), or NULL */
	int		 keep_body;		/* 1: an error status keeps the page the handler built */
	int		 api;		/* 1 when the path is under /api/: errors as problem+json */
	const char	*problem;	/* the problem kind of an error reply ("csrf-token"), or NULL: by status */

	/* Context. */
	struct db	*db;		/* this worker's connection */
	struct page_cache *cache;	/* this worker's rendered pages, or NULL */
	struct memo	*memo;		/* this worker's kept JSON replies (memo.h), or NULL */
	const struct config *cfg;

	/* Errors: a plain message for the client, field errors for forms and problem+json. */
	char		 detail[300];
	struct field_error errors[REQ_MAX_ERRORS];
	int		 nerrors;

	/* Reply, built whole before it is sent, and written in one place (req_reply_head(), from
	 * serve.c's send_reply): each header once, from these fields. Values are checked for line
	 * breaks when written. The cache policy is chosen once (req_cache()); Location, ETag,
	 * Retry-After and WWW-Authenticate hold one value each, set where that decision is made (the
	 * last set stands); an error reply keeps only Allow, Retry-After and WWW-Authenticate (route.c). */
	int		 status;
	const char	*content_type;	/* Content-Type: a literal */
	struct buf	 body;
	int		 body_gzip;	/* 1: body is gzip-compressed (gzip.h): Content-Encoding: gzip */
	enum cache_policy cache_control;	/* Cache-Control: chosen once, with req_cache() */
	const char	*location;	/* Location of a redirect or a 201: set with req_location() */
	const char	*etag;		/* ETag: the handler's own (a GET's, or a write's new revision),
					 * else the dispatcher's for a 200 GET; request-owned or static;
					 * sent with a 2xx or 304 only, never a redirect's */
	const char	*allow;		/* Allow of a 405 or a preflight (the dispatcher's) */
	int		 retry_after;	/* Retry-After in seconds of a 429 or 503, else 0 */
	const char	*www_authenticate;	/* WWW-Authenticate of a 401: a literal */
	unsigned int	 vary;		/* Vary: VARY_* bits */
	int		 noindex;	/* 1: X-Robots-Tag: noindex */
	const char	*cookies[REQ_MAX_COOKIES];	/* Set-Cookie values, request-owned (req_cookie()) */
	int		 ncookies;
	struct buf	 headers;	/* every other header, "Name: value\r\n", one line per name,
					 * written by req_header() only */

	struct arena	 arena;		/* the request's memory (req_alloc) */

	/* What handlers give the domain: the connection, the arena, the actor (set with user) and
	 * the settings; its outcome's words become the reply's through req_outcome(). */
	struct settings	 settings;
	struct dom	 dom;

	/* A login session's last_seen to move once the request's read transaction has ended
	 * (auth_touch_session), so that reading a page never waits for the write lock. */
	unsigned char	 touch_hash[32];
	int		 touch_pending;
};

/* 1 when the request came over TLS (nginx's HTTPS=on or REQUEST_SCHEME=https). */
int	 req_tls(const struct req *r);

/* Prepares r for one request; in must outlive the request. */
void	 req_init(struct req *r, const struct req_input *in, struct db *db, const struct config *cfg);
/* Releases all the request owns. */
void	 req_free(struct req *r);

/* Request-owned memory: freed by req_free(). On allocation failure req_alloc returns NULL after
 * logging (callers treat NULL as a 500), and req_strdup returns an empty string (NULL only for NULL),
 * so that text fields are never NULL by accident; either way the dispatcher answers the request 500
 * (alloc_failed(), util.h). */
void	*req_alloc(struct req *r, size_t n);
char	*req_strdup(struct req *r, const char *s);

/* Validates the method, URI, query and cookies. Returns 0, or an HTTP error status with r->detail set. */
int	 req_parse(struct req *r);
/* Parses r->query against the keys the route takes (a K() mask). Returns 0 or 400 with errors. */
int	 req_parse_params(struct req *r, unsigned long long allowed_keys);
/* Parses an application/x-www-form-urlencoded body the same way; a key given in both the query and
 * the body counts as repeated. Returns 0 or 400 with errors. */
int	 req_parse_form(struct req *r, unsigned long long allowed_keys);

/* 1 when the body's Content-Type is type (parameters such as charset ignored). */
int	 req_body_is(const struct req *r, const char *type);

/* The review state v names, into *out: 0, or 400 with a field error on field listing the states.
 * The one check of a transition's target, for forms and JSON alike. */
int	 req_check_target(struct req *r, const char *field, const char *v, enum state *out);

/* Adds a reply header that has no field of its own (Link, X-Total-Count, Content-Disposition, the
 * CORS headers...). name is a literal; value is copied. Refused (-1) and logged as a programming
 * error: a name that has a field in struct req (Cache-Control, Location, ETag, Set-Cookie, ...) or
 * that the reply already carries. A value with CR or LF is refused (-1) too. */
int	 req_header(struct req *r, const char *name, const char *value);
/* Chooses the reply's cache policy. Choosing twice is a programming error: logged, and the first
 * choice stays (so that the decision is made in one place and a second one shows in the log). */
void	 req_cache(struct req *r, enum cache_policy p);
/* The policy of a shared frame (page_render): p unless the handler chose one already. */
void	 req_cache_default(struct req *r, enum cache_policy p);
/* The Cache-Control value of p, or NULL for CACHE_NONE; and the policy whose value is s (CACHE__MAX
 * for none): the idempotency store keeps the value as text (api_idem.c). */
const char *cache_policy_text(enum cache_policy p);
enum cache_policy cache_policy_find(const char *s);
/* Sets Location to a copy of url. */
void	 req_location(struct req *r, const char *url);
/* Adds a Set-Cookie header with a copy of cookie ("name=value; attributes"); more than
 * REQ_MAX_COOKIES is a programming error, logged, and the cookie is not sent (-1). */
int	 req_cookie(struct req *r, const char *cookie);
/* Writes the reply head (the CGI "Status:" line, every header from the fields above, Content-Type
 * and Content-Length, and the blank line) to out. Returns 0, or -1 when out ran out of memory. */
int	 req_reply_head(const struct req *r, struct buf *out);
/* Records a field error and the overall detail; returns 400 for convenience. */
int	 req_field_error(struct req *r, const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The status for a domain outcome: its words (r->dom.why, field errors) become the reply's, and
 * r->dom is cleared for the next call. OUT_OK 200, OUT_CREATED 201, OUT_INVALID 400, OUT_FORBIDDEN
 * 403, OUT_NOT_FOUND 404, OUT_CONFLICT 409, OUT_FAILED 500. */
int	 req_outcome(struct req *r, enum outcome oc);

/* Sets r->detail; returns status for convenience. */
int	 req_fail(struct req *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The reason phrase for an HTTP status. */
const char *http_status_text(int status);
/* The method's name for a method enum. */
const char *http_method_name(enum method);

#endif
