/* route.c: the route table and the dispatcher (see route.h). */
#include "config.h"

#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "db.h"
#include "embed_gen.h"
#include "guard.h"
#include "gzip.h"
#include "log.h"
#include "route.h"
#include "server.h"
#include "static_gen.h"
#include "util.h"

/* The form fields of the article editor. */
#define EDIT_KEYS	(K(CSRF) | K(BASE) | K(QUESTION) | K(REFERENCES) | K(PREVIEW) | \
	K(BOTTOM_CLINICIAN) | K(BODY_CLINICIAN) | K(BOTTOM_NURSE) | K(BODY_NURSE) | \
	K(BOTTOM_PHARMACIST) | K(BODY_PHARMACIST) | K(BOTTOM_STUDENT) | K(BODY_STUDENT) | \
	K(BOTTOM_PATIENT) | K(BODY_PATIENT))

static int
api_session(struct req *r)
{
	return r->method == METHOD_DELETE ? api_session_delete(r) : api_session_create(r);
}

/* Every address evqa answers. Unknown path: 404. Known path, other method: 405 with Allow. */
static const struct route routes[] = {
	/* pattern			methods	parameters		body	handler */
	{ "/",				M(GET) | ROUTE_PUBLIC,	K(PAGE) | K(STATE) | K(LETTER) | K(SOURCE) | K(QTYPE), 0,
	    page_home },
	{ "/articles/{id}",		M(GET),	K(AUDIENCE),		0,	page_article_redirect },
	{ "/articles/{id}/{slug}",	M(GET) | ROUTE_PUBLIC,	K(AUDIENCE),		0,	page_article },
	{ "/articles/{id}/{slug}/v/{n}", M(GET), K(AUDIENCE),		0,	page_article_version },
	{ "/articles/{id}/{slug}/changes", M(GET), K(REV) | K(AGAINST) | K(AUDIENCE), 0, page_article_changes },
	{ "/articles/{id}/{slug}/citation", M(GET), K(FORMAT) | K(REF),	0,	page_citation },
	{ "/articles/{id}/{slug}/v/{n}/citation", M(GET), K(FORMAT) | K(REF), 0,	page_citation },
	{ "/editorial-policy",		M(GET) | ROUTE_PUBLIC,	0,			0,	page_policy },
	{ "/robots.txt",		M(GET),	0,			0,	page_robots },
	{ "/sitemap.xml",		M(GET),	0,			0,	page_sitemap },
	{ "/feed.atom",			M(GET),	0,			0,	page_feed },
	{ "/favicon.ico",		M(GET),	0,			0,	page_favicon },
	{ "/healthz",			M(GET),	0,			0,	page_healthz },
	{ "/api/v1/articles",		M(GET),	K(PAGE) | K(PER_PAGE) | K(STATE) | K(UPDATED_SINCE) | K(SORT), 0,
					    api_articles },
	{ "/api/v1/articles/{id}",	M(GET),	K(AUDIENCE),		0,	api_article },
	{ "/api/v1/articles/{id}/versions/{n}", M(GET), K(AUDIENCE),	0,	api_article_version },
	{ "/api/v1/articles/{id}/changes", M(GET), K(REV) | K(AGAINST) | K(AUDIENCE), 0, api_article_changes },
	{ "/api/v1/openapi.json",	M(GET),	0,			0,	api_openapi },
	{ "/api/v1/problems/{slug}",	M(GET),	0,			0,	api_problem_type },
	/* editorial workflow */
	{ "/editor",			M(GET),	K(STATE) | K(SORT),	0,	editor_dashboard },
	{ "/editor/login",		M(GET),	K(NEXT),		0,	editor_login_form },
	{ "/editor/login",		M(POST), K(CSRF) | K(EMAIL) | K(PASSWORD) | K(NEXT), BODY_FORM, editor_login },
	{ "/editor/logout",		M(POST), K(CSRF),		BODY_FORM, editor_logout },
	{ "/editor/articles/new",	M(GET),	0,			0,	editor_new },
	{ "/editor/articles",		M(POST), EDIT_KEYS,		BODY_FORM, editor_create },
	{ "/editor/articles/{id}",	M(GET),	0,			0,	editor_article },
	{ "/editor/articles/{id}/edit",	M(GET),	0,			0,	editor_edit_form },
	{ "/editor/articles/{id}/edit",	M(POST), EDIT_KEYS,		BODY_FORM, editor_edit },
	{ "/editor/articles/{id}/diff",	M(GET),	K(REV) | K(AGAINST),	0,	editor_diff },
	{ "/editor/articles/{id}/transitions", M(POST), K(CSRF) | K(TO) | K(REASON), BODY_FORM, editor_transition },
	{ "/api/v1/articles",		M(POST), 0,			BODY_JSON | BODY_IDEMPOTENT, api_article_create },
	{ "/api/v1/articles/{id}",	M(PUT),	0,			BODY_JSON, api_article_put },
	{ "/api/v1/articles/{id}/revisions", M(GET), 0,		0,	api_revisions },
	{ "/api/v1/articles/{id}/revisions/{slug}", M(GET), 0,		0,	api_revision },
	{ "/api/v1/articles/{id}/history", M(GET), 0,			0,	api_history },
	{ "/api/v1/articles/{id}/transitions", M(POST), 0,		BODY_JSON, api_transition },
	{ "/api/v1/session",		M(POST) | M(DELETE), 0,		BODY_JSON, api_session },
	/* search and readers' questions */
	{ "/search",			M(GET) | ROUTE_PUBLIC,	K(Q) | K(AUDIENCE) | K(STATE) | K(PAGE), 0, page_search },
	{ "/questions",			M(POST), K(QUESTION) | K(ARTICLE) | K(AUDIENCE) | K(CSRF), BODY_FORM,
					    page_question_post },
	{ "/questions/new",		M(GET) | ROUTE_PUBLIC,	K(ARTICLE) | K(AUDIENCE), 0,	page_question_new },
	{ "/questions/{slug}",		M(GET),	0,			0,	page_question },
	{ "/api/v1/search",		M(GET),	K(Q) | K(AUDIENCE) | K(STATE) | K(PAGE) | K(PER_PAGE), 0,
					    api_search },
	{ "/api/v1/questions",		M(POST), 0,			BODY_JSON | BODY_IDEMPOTENT, api_question_post },
	{ "/api/v1/questions/{slug}",	M(GET),	0,			0,	api_question },
	/* the question queue */
	{ "/editor/questions",		M(GET),	K(QSTATE) | K(SORT) | K(PAGE), 0,	editor_questions },
	{ "/editor/questions/{id}",	M(GET),	0,			0,	editor_question },
	{ "/editor/questions/{id}/link", M(POST), K(CSRF) | K(ARTICLE),	BODY_FORM, editor_question_link },
	{ "/editor/questions/{id}/dismiss", M(POST), K(CSRF) | K(REASON), BODY_FORM, editor_question_dismiss },
	{ "/editor/questions/{id}/article", M(GET), 0,			0,	editor_question_article_form },
	{ "/editor/questions/{id}/article", M(POST), EDIT_KEYS,	BODY_FORM, editor_question_article },
	{ "/api/v1/questions",		M(GET),	K(QSTATE) | K(SORT) | K(PAGE) | K(PER_PAGE), 0, api_questions },
	{ "/api/v1/questions/{id}/link", M(POST), 0,			BODY_JSON, api_question_link },
	{ "/api/v1/questions/{id}/dismiss", M(POST), 0,		BODY_JSON, api_question_dismiss },
};

#define SLUG_MAX	200

/* Matches one pattern against path; on success fills r->id and r->slug. */
static int
pattern_match(struct req *r, const char *pat, const char *path)
{
	long long id = 0, n = 0;
	const char *slug = NULL;

	while (*pat != '\0' && *path != '\0') {
		const char *pe = strchr(pat, '/'), *se = strchr(path, '/');
		size_t	 pl = pe ? (size_t)(pe - pat) : strlen(pat);
		size_t	 sl = se ? (size_t)(se - path) : strlen(path);

		if (pl == 4 && strncmp(pat, "{id}", 4) == 0) {
			char	 num[20];

			if (sl == 0 || sl >= sizeof(num) || strspn(path, "0123456789") < sl)
				return 0;
			memcpy(num, path, sl);
			num[sl] = '\0';
			if (parse_int(num, 1, INT64_MAX, &id) == -1)
				return 0;
		} else if (pl == 3 && strncmp(pat, "{n}", 3) == 0) {
			char	 num[20];

			if (sl == 0 || sl >= sizeof(num) || strspn(path, "0123456789") < sl)
				return 0;
			memcpy(num, path, sl);
			num[sl] = '\0';
			if (parse_int(num, 1, 1000000, &n) == -1)
				return 0;
		} else if (pl == 6 && strncmp(pat, "{slug}", 6) == 0) {
			if (sl == 0 || sl > SLUG_MAX)
				return 0;
			slug = path;
		} else if (pl != sl || strncmp(pat, path, pl) != 0)
			return 0;
		pat += pl;
		path += sl;
		if (*pat == '/' && *path == '/') {
			pat++;
			path++;
		} else if (*pat != *path)
			return 0;
	}
	if (*pat != '\0' || *path != '\0')
		return 0;
	r->id = id;
	r->num = (int)n;
	if (slug != NULL) {
		size_t	 sl = strcspn(slug, "/");
		char	*s = req_alloc(r, sl + 1);

		if (s == NULL)
			return 0;
		memcpy(s, slug, sl);
		s[sl] = '\0';
		r->slug = s;
	}
	return 1;
}

const struct route *
route_match(struct req *r, const char *path, enum method m, unsigned int *methods)
{
	const struct route *any = NULL, *ok = NULL;

	*methods = 0;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		unsigned int ms = routes[i].methods & ROUTE_METHODS;

		if (!pattern_match(r, routes[i].pattern, path))
			continue;
		if (ms & M(GET))
			ms |= M(HEAD);
		*methods |= ms;
		if (any == NULL)
			any = &routes[i];
		if (ok == NULL && m < METHOD__MAX && (ms & (1u << m)))
			ok = &routes[i];
	}
	return ok ? ok : any;	/* any: the path is known, for 405 */
}

/* Writes the names of the methods in mask as "GET, HEAD, OPTIONS". */
static void
method_list(char *out, size_t outsz, unsigned int methods)
{
	out[0] = '\0';
	for (int i = 0; i < METHOD__MAX; i++)
		if (methods & (1u << i)) {
			if (out[0] != '\0')
				strncat(out, ", ", outsz - strlen(out) - 1);
			strncat(out, http_method_name((enum method)i), outsz - strlen(out) - 1);
		}
}

static void
allow_header(struct req *r, unsigned int methods)
{
	char	 allow[80];

	method_list(allow, sizeof(allow), methods);
	r->allow = req_strdup(r, allow);
}

/* The configured origin that equals the request's Origin, or NULL. */
static const char *
cors_origin(const struct req *r)
{
	const char *o = r->in->origin;

	if (o == NULL || r->cfg == NULL)
		return NULL;
	for (int i = 0; i < r->cfg->ncors; i++)
		if (strcmp(r->cfg->cors[i], o) == 0)
			return r->cfg->cors[i];
	return NULL;
}

static void
cors_headers(struct req *r)
{
	const char *o = cors_origin(r);

	r->vary |= VARY_ORIGIN;
	if (o == NULL)
		return;
	req_header(r, "Access-Control-Allow-Origin", o);
	req_header(r, "Access-Control-Expose-Headers", "ETag, Link, X-Total-Count, Location, Content-Location, "
	    "Retry-After, Idempotent-Replayed");
}

/* Answers a CORS preflight for an /api/ path whose methods are known. */
static int
cors_preflight(struct req *r, unsigned int methods)
{
	const char *want = r->in->acr_method;
	char	 list[80];

	if (cors_origin(r) == NULL)
		return req_fail(r, 403, "Requests from the origin %s are not allowed; the server's "
		    "--cors-origin list decides which are.", r->in->origin ? r->in->origin : "(none)");
	allow_header(r, methods | M(OPTIONS));
	if (want != NULL) {
		int ok = 0;

		for (int i = 0; i < METHOD__MAX; i++)
			if ((methods & (1u << i)) && strcmp(want, http_method_name((enum method)i)) == 0)
				ok = 1;
		if (!ok)
			return req_fail(r, 405, "This address does not accept %s requests.", want);
	}
	method_list(list, sizeof(list), methods);
	req_header(r, "Access-Control-Allow-Methods", list);
	req_header(r, "Access-Control-Allow-Headers",
	    "Content-Type, If-Match, If-None-Match, X-CSRF-Token, Authorization, Idempotency-Key");
	req_header(r, "Access-Control-Max-Age", "600");
	return 204;
}

/* Checks the request body against what the route takes, and parses a form into r->fields.
 * Returns 0 or an error status. */
static int
route_body(struct req *r, const struct route *rt)
{
	if (r->in->body_status != 0)
		return req_fail(r, r->in->body_status, r->in->body_status == 413 ?
		    "The request body is larger than the %d bytes evqa accepts." :
		    "The request body could not be read in full (%d bytes at most).", REQ_MAX_BODY);
	if (r->in->body_len == 0)
		return 0;
	if ((rt->accepts & BODY_FORM) && req_body_is(r, "application/x-www-form-urlencoded"))
		return req_parse_form(r, rt->keys);
	if ((rt->accepts & BODY_JSON) && req_body_is(r, "application/json"))
		return 0;
	if (rt->accepts == 0)
		return req_fail(r, 415, "This address takes no request body.");
	return req_fail(r, 415, "This address takes a body of type %s.",
	    (rt->accepts & BODY_FORM) && (rt->accepts & BODY_JSON) ?
	    "application/x-www-form-urlencoded or application/json" :
	    (rt->accepts & BODY_FORM) ? "application/x-www-form-urlencoded" : "application/json");
}

/* 1 when the If-None-Match list names etag (weak comparison, as RFC 9110 asks for GET). */
static int
etag_matches(const char *inm, const char *etag)
{
	const char *p = inm;
	size_t	 el = strlen(etag);

	if (inm == NULL)
		return 0;
	while (*p != '\0') {
		const char *end;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p != '"')
			return 0;
		if ((end = strchr(p + 1, '"')) == NULL)
			return 0;
		if ((size_t)(end - p + 1) == el && strncmp(p, etag, el) == 0)
			return 1;
		p = end + 1;
	}
	return 0;
}

/* A hash of everything built into this program that shapes a page: the templates, the names of the
 * static files, and the program itself (/proc/self/exe), whose code decides what a search or an
 * answer shows, so that a cached page revalidated after an upgrade is sent again, not answered 304.
 * Computed once: by route_prepare() before a server serves, else on first use. */
static uint64_t build_tag;
static pthread_once_t build_tag_once = PTHREAD_ONCE_INIT;

static void
build_tag_init(void)
{
	uint64_t h = hash64(PACKAGE_VERSION STATIC_EVQA_CSS STATIC_EVQA_JS,
	    sizeof(PACKAGE_VERSION STATIC_EVQA_CSS STATIC_EVQA_JS) - 1);
	static char buf[65536];
	ssize_t	 n;
	int	 fd;

	for (int i = 0; i < TMPL__MAX; i++)
		h = h * 1099511628211ull ^ hash64(tmpl_src[i], strlen(tmpl_src[i]));
	if ((fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)) != -1) {
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			h = h * 1099511628211ull ^ hash64(buf, (size_t)n);
		close(fd);
	}
	build_tag = h;
}

void
route_prepare(void)
{
	pthread_once(&build_tag_once, build_tag_init);
}

/* The ETag of a public page: the build, the content version, the day (UTC; what a page shows may
 * depend on it, such as an overdue review), a hash of the address (so that a tag from one page never
 * answers for another, such as a wrong slug that should redirect), the audience asked for (query,
 * else cookie) and "-gz" for the compressed form. NULL when the version cannot be read. */
static const char *
public_etag(struct req *r, int gz)
{
	long long v;
	const char *aud;
	char	 tag[112], day[9];
	uint64_t where;
	time_t	 now = time_now();
	struct tm tm;

	if (r->db == NULL)
		return NULL;
	v = db_content_version(r->db);
	if (v <= 0 || gmtime_r(&now, &tm) == NULL || strftime(day, sizeof(day), "%Y%m%d", &tm) == 0)
		return NULL;
	pthread_once(&build_tag_once, build_tag_init);
	aud = r->fields[KEY_AUDIENCE].present ? r->fields[KEY_AUDIENCE].str :
	    r->cookie_audience ? r->cookie_audience : "clinician";
	/* the address: the path and the validated parameters but the audience, which has its own part */
	where = hash64(r->path, strlen(r->path));
	for (int k = 0; k < KEY__MAX; k++)
		if (k != KEY_AUDIENCE && r->fields[k].present && r->fields[k].str != NULL)
			where = (where * 1099511628211ull) ^ ((uint64_t)k << 56) ^
			    hash64(r->fields[k].str, strlen(r->fields[k].str));
	snprintf(tag, sizeof(tag), "\"%016" PRIx64 "-%lld-%s-%08" PRIx32 "-%.20s%s\"", build_tag, v, day,
	    (uint32_t)(where >> 32), aud, gz ? "-gz" : "");
	return req_strdup(r, tag);
}

/* The cache policy of a public page's 200 or 304 reply, chosen here and nowhere else (the handler
 * of a public route chooses none): public, or private when the reply sets a cookie. */
static void
public_headers(struct req *r)
{
	req_cache(r, r->ncookies > 0 ? CACHE_PRIVATE_NO_STORE : CACHE_PUBLIC_PAGE);
	r->vary |= VARY_COOKIE | VARY_ACCEPT_ENCODING;
}

/* An error reply carries none of what the handler had set but Allow, Retry-After and
 * WWW-Authenticate (req_reply_head() writes those two for 429 or 503, and 401, only). */
static void
reply_for_error(struct req *r)
{
	buf_reset(&r->headers);
	r->cache_control = CACHE_NONE;
	r->location = NULL;
	r->etag = NULL;
	r->vary = 0;
	r->noindex = 0;
	r->ncookies = 0;
	r->body_gzip = 0;
}

/* When the database could not be written during the request (busy, read-only, full), the answer is
 * 503 with Retry-After, whatever the handler made of the failure; the reason goes to the log. */
static int
storage_fault(struct req *r, int status)
{
	char	 msg[200];
	enum db_fault f = db_fault(msg, sizeof(msg));

	if (f == DB_FAULT_NONE || status < 400)
		return status;
	log_warnx("%s %s: answered 503 (the handler said %d): %s", r->method_name, r->path, status, msg);
	r->keep_body = 0;
	r->nerrors = 0;
	if (f == DB_FAULT_BUSY) {
		r->retry_after = 5;
		return req_fail(r, 503, "The site is busy saving other changes. Nothing was saved; please try "
		    "again in a few seconds.");
	}
	r->retry_after = 120;
	return req_fail(r, 503, "The site cannot save changes at the moment (%s). Nothing was saved; "
	    "please try again later.", f == DB_FAULT_READONLY ? "its database is read-only" :
	    f == DB_FAULT_FULL ? "its disk is full" : "its storage reports an error");
}

void
route_dispatch(struct req *r)
{
	unsigned int methods = 0;
	int	 status;
	const struct route *rt;

	if ((status = req_parse(r)) != 0)
		goto done;
	rt = route_match(r, r->path, r->method, &methods);
	if (rt == NULL) {
		status = req_fail(r, 404, "There is no page at this address.");
		goto done;
	}
	r->route = rt;
	if (r->method == METHOD_OPTIONS && r->api) {
		status = cors_preflight(r, methods);
		goto done;
	}
	if (r->method == METHOD__MAX || !(methods & (1u << r->method))) {
		allow_header(r, r->api ? methods | M(OPTIONS) : methods);
		status = req_fail(r, 405, "This address does not accept %s requests.",
		    r->method_name[0] ? r->method_name : "such");
		goto done;
	}
	if ((status = guard_cross_origin(r)) != 0)
		goto done;
	if ((status = req_parse_params(r, rt->keys)) != 0)
		goto done;
	if ((status = route_body(r, rt)) != 0)
		goto done;
	if ((rt->methods & ROUTE_PUBLIC) && (r->method == METHOD_GET || r->method == METHOD_HEAD) &&
	    (r->etag = public_etag(r, gzip_wanted(r))) != NULL && !guard_audience_changes(r) &&
	    etag_matches(r->in->if_none_match, r->etag)) {
		/* revalidation (a browser or nginx): the content has not changed since */
		public_headers(r);
		r->status = 304;
		return;
	}
	db_fault_clear();
	if (r->method == METHOD_GET || r->method == METHOD_HEAD) {
		/* one snapshot for the whole request: a commit between two of its reads (an approval
		 * replacing an article's sections while a search looks them up) is not seen half */
		if (db_read_begin(r->db) == -1)
			status = 500;
		else {
			status = rt->handler(r);
			db_read_end(r->db);
		}
	} else if ((rt->accepts & BODY_IDEMPOTENT) && r->in->idempotency_key != NULL) {
		struct idem idem;

		if ((status = api_idem_begin(r, &idem)) == 0) {
			status = rt->handler(r);
			api_idem_end(r, &idem, status);
		}
	} else
		status = rt->handler(r);
	status = storage_fault(r, status);
	auth_touch_session(r);	/* after: its own failure is no fault of the request's */
done:
	if (alloc_failed() && status != 500 && status != 503) {
		/* what a handler made of a failed allocation (no route, bad JSON, a page with a field
		 * left empty) is not the answer */
		log_warnx("%s %s: out of memory (the handler said %d)", r->method_name, r->path, status);
		r->keep_body = 0;
		r->nerrors = 0;
		r->detail[0] = '\0';
		status = 500;
	}
	if (status == 500 && r->detail[0] == '\0')
		req_fail(r, 500, "Something went wrong on our side. Please try again in a moment.");
	r->status = status;
	if (status >= 400 && r->keep_body && !r->api && !r->body.err) {
		/* the handler built its own page for this error (a form shown again with its problems) */
		return;
	}
	if (status >= 400)
		reply_for_error(r);
	if (r->api)
		cors_headers(r);
	if (status >= 400) {
		buf_reset(&r->body);
		if (r->api)
			api_problem(r);
		else
			page_error(r);
		if (r->body.err) {	/* even the error page failed: a plain one */
			buf_reset(&r->body);
			r->content_type = "text/plain; charset=utf-8";
			buf_lit(&r->body, "The server could not build this page.\n");
		}
		return;
	}
	if (r->body.err) {
		log_warnx("%s %s: out of memory building the reply", r->method_name, r->path);
		r->status = 500;
		buf_reset(&r->body);
		r->content_type = "text/plain; charset=utf-8";
		buf_lit(&r->body, "The server ran out of memory building this page.\n");
		return;
	}
	if (status == 200 && r->route != NULL && (r->route->methods & ROUTE_PUBLIC)) {
		/* a public page holds no secret, so compressing it cannot leak one (BREACH) */
		if (gzip_wanted(r) && r->body.len > 0 && !r->body_gzip && gzip_body(r) == -1 && r->etag != NULL)
			r->etag = public_etag(r, 0);
		public_headers(r);
	}
	if (status == 200 && (r->method == METHOD_GET || r->method == METHOD_HEAD)) {
		if (r->etag == NULL) {	/* the handler has none of its own: a hash of the body */
			static const char hex[] = "0123456789abcdef";
			char	 etag[19];
			uint64_t h = hash64(r->body.p, r->body.len);

			etag[0] = etag[17] = '"';
			etag[18] = '\0';
			for (int i = 16; i >= 1; i--, h >>= 4)
				etag[i] = hex[h & 15];
			r->etag = req_strdup(r, etag);	/* "" when out of memory: not sent */
		}
		if (etag_matches(r->in->if_none_match, r->etag)) {
			r->status = 304;
			buf_reset(&r->body);
		}
	}
}
