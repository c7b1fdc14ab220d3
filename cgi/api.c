/* api.c: the frame of the JSON interface under /api/v1 (see api.h): replies, bodies, pagination
 * links, problem+json errors (RFC 9457) and the two documents about the interface itself. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "render.h"
#include "embed_gen.h"
#include "route.h"

#define PROBLEM_TYPE	"application/problem+json"

int
api_reply_steal(struct req *r, json_t *j, int status, enum cache_policy cache)
{
	char	*s;

	if (j == NULL)
		return 500;
	s = json_dumps(j, RENDER_JSON_FLAGS);
	json_decref(j);
	if (s == NULL)
		return 500;
	r->content_type = API_JSON_TYPE;
	/* trusted: jansson's escaping writer made it */
	buf_trusted(&r->body, s, strlen(s));
	buf_lit(&r->body, "\n");
	free(s);
	req_cache(r, cache);
	return r->body.err ? 500 : status;
}

int
api_openapi(struct req *r)
{
	r->content_type = API_JSON_TYPE;
	/* trusted: docs/openapi.json, compiled in; the build and the tests check that it is JSON */
	buf_trusted(&r->body, openapi_json, strlen(openapi_json));
	req_cache(r, CACHE_NO_CACHE);
	return r->body.err ? 500 : 200;
}

json_t *
json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

void
api_link_header(struct req *r, const char *base, long long page, long long pages, long long per)
{
	struct buf b = BUF_INIT;
	struct { const char *rel; long long page; int on; } rels[] = {
		{ "first", 1, page > 1 },
		{ "prev", page - 1, page > 1 },
		{ "next", page + 1, page < pages },
		{ "last", pages, page < pages },
	};

	for (size_t i = 0; i < sizeof(rels) / sizeof(rels[0]); i++) {
		if (!rels[i].on)
			continue;
		if (b.len > 0)
			buf_lit(&b, ", ");
		buf_lit(&b, "<");
		/* trusted: the caller built base from literals and buf_url() */
		buf_trusted(&b, base, strlen(base));
		buf_printf(&b, "page=%lld&per_page=%lld>; rel=\"", rels[i].page, per);
		/* trusted: a rel name from the table above */
		buf_trusted(&b, rels[i].rel, strlen(rels[i].rel));
		buf_lit(&b, "\"");
	}
	if (b.len > 0 && !b.err)
		req_header(r, "Link", b.p);
	buf_free(&b);
}

/* The problem kinds of API errors: their stable "type" URIs, with what they mean and what a program
 * should do (the OpenAPI document's Problem schema lists the same words; t_contract checks it). A
 * handler names a kind in r->problem; else the status decides (the first kind of that status). */
#define PROBLEM_BASE	"/api/v1/problems/"
static const struct problem_kind {
	int		 status;
	const char	*kind;
	const char	*what;		/* what it means and what a program should do */
} problem_kinds[] = {
	{ 400, "invalid-request", "The request is malformed or a value is out of range: a query parameter, "
	    "the JSON body (not JSON, not an object, a duplicate key, an unknown member, a wrong type, a "
	    "control character) or a field the content rules refuse. errors names each field; fix them and "
	    "send the request again." },
	{ 401, "unauthenticated", "No valid credentials: send Authorization: Bearer with an API token "
	    "(evqa token add), or the session cookie from POST /api/v1/session. Also a wrong e-mail address "
	    "or password at login." },
	{ 403, "forbidden", "The account's role may not do this, or the review rules forbid it (such as "
	    "approving one's own revision): another account has to do it." },
	{ 403, "csrf-token", "A request with the session cookie changes state without X-CSRF-Token equal "
	    "to the evqa_csrf cookie. Send the header, or use a bearer token." },
	{ 403, "cross-origin", "The Origin header names a site that is neither this one nor an origin "
	    "allowed with --cors-origin." },
	{ 404, "not-found", "No such resource, or no such address under /api/." },
	{ 405, "method-not-allowed", "The address does not take this method; Allow lists those it takes." },
	{ 409, "conflict", "Not possible in the resource's current state: a transition from the wrong "
	    "state, editing an archived article, linking the article already linked, or a request with "
	    "the same Idempotency-Key still being handled." },
	{ 411, "length-required", "A body was sent without its length." },
	{ 412, "precondition-failed", "If-Match names a revision that is no longer the newest: get the "
	    "newest, merge, and send the change again with its ETag." },
	{ 413, "body-too-large", "The request body is over 64 KiB." },
	{ 414, "uri-too-long", "The request target is over 2048 bytes." },
	{ 415, "unsupported-media-type", "The body is not application/json, or the address takes no body." },
	{ 422, "idempotency-key-reused", "The Idempotency-Key was used in the last 24 hours with another "
	    "address or body. Make a new key for each new request." },
	{ 428, "precondition-required", "A PUT without If-Match, or with If-Match: *: name the ETag of the "
	    "revision the change was made on." },
	{ 429, "rate-limited", "Too many requests (failed logins, new questions): wait the Retry-After "
	    "seconds when given, else a minute." },
	{ 500, "server-error", "Something went wrong on the server; the request may be sent again." },
	{ 503, "unavailable", "The server cannot answer now; try again shortly." },
};

/* GET /api/v1/problems/{kind}: what a problem type means, for whoever follows a problem's type. */
int
api_problem_type(struct req *r)
{
	for (size_t i = 0; i < sizeof(problem_kinds) / sizeof(problem_kinds[0]); i++) {
		char	 type[80];

		if (strcmp(problem_kinds[i].kind, r->slug) != 0)
			continue;
		snprintf(type, sizeof(type), PROBLEM_BASE "%s", problem_kinds[i].kind);
		return api_reply_steal(r, json_pack("{s:s, s:i, s:s, s:s}", "type", type, "status",
		    problem_kinds[i].status, "title", http_status_text(problem_kinds[i].status), "description",
		    problem_kinds[i].what), 200, CACHE_PUBLIC_DAY);
	}
	return req_fail(r, 404, "There is no problem type %s; GET /api/v1/openapi.json lists them (the "
	    "Problem schema).", r->slug);
}

void
api_problem(struct req *r)
{
	json_t	*j, *errs;
	char	*s, type[80];
	const char *kind = r->problem;

	if (r->detail[0] == '\0')
		req_fail(r, r->status, "%s.", http_status_text(r->status));
	for (size_t i = 0; kind == NULL && i < sizeof(problem_kinds) / sizeof(problem_kinds[0]); i++)
		if (problem_kinds[i].status == r->status)
			kind = problem_kinds[i].kind;
	if (kind == NULL)
		kind = r->status >= 500 ? "server-error" : "invalid-request";
	snprintf(type, sizeof(type), PROBLEM_BASE "%s", kind);
	j = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", http_status_text(r->status),
	    "status", r->status, "detail", r->detail);
	if (j != NULL && r->nerrors > 0) {
		errs = json_array();
		for (int i = 0; i < r->nerrors; i++)
			json_array_append_new(errs, json_pack("{s:s, s:s}", "field", r->errors[i].field,
			    "detail", r->errors[i].detail));
		json_object_set_new(j, "errors", errs);
	}
	s = j ? json_dumps(j, RENDER_JSON_FLAGS) : NULL;
	json_decref(j);
	r->content_type = PROBLEM_TYPE;
	req_cache(r, CACHE_NO_STORE);
	if (s == NULL) {
		r->body.err = 1;
		return;
	}
	/* trusted: jansson's escaping writer made it */
	buf_trusted(&r->body, s, strlen(s));
	buf_lit(&r->body, "\n");
	free(s);
}

int
api_body_keys(struct req *r, json_t *o, const char *where, const char *const *keys)
{
	const char *key;
	json_t	*v;
	char	 list[200] = "";

	json_object_foreach(o, key, v) {
		size_t	 i;

		for (i = 0; keys[i] != NULL && strcmp(keys[i], key) != 0; i++)
			continue;
		if (keys[i] != NULL)
			continue;
		for (i = 0; keys[i] != NULL; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "", keys[i]);
		{
			size_t	 n = strlen(where) + strlen(key) + 1;
			char	*f = req_alloc(r, n);

			if (f == NULL)
				return 500;
			snprintf(f, n, "%s%s", where, key);
			return req_field_error(r, f, "is not a member of this object; it takes %s.", list);
		}
	}
	return 0;
}

json_t *
api_body(struct req *r, int *status)
{
	json_t	*j;
	json_error_t e;

	if (!req_body_is(r, "application/json")) {
		*status = req_fail(r, 415, "Send the request body as application/json.");
		return NULL;
	}
	if (r->in->body_len == 0) {
		*status = req_fail(r, 400, "The request needs a JSON object as its body.");
		return NULL;
	}
	j = json_loadb(r->in->body, r->in->body_len, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL) {
		*status = req_fail(r, 400, "The body is not valid JSON: %s (line %d, column %d).", e.text,
		    e.line, e.column);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		*status = req_fail(r, 400, "The body must be a JSON object.");
		return NULL;
	}
	return j;
}
