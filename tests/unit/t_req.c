/* t_req.c: request validation, query parameters and routing, table-driven. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "req.h"
#include "route.h"
#include "tap.h"

/* Parses method+uri and the query against the route's keys; returns the status (0 = valid). */
static int
run(const char *method, const char *uri, struct req *r, struct req_input *in)
{
	unsigned int methods;
	int	 st;

	memset(in, 0, sizeof(*in));
	in->method = method;
	in->uri = uri;
	req_init(r, in, NULL, NULL);
	if ((st = req_parse(r)) != 0)
		return st;
	if ((r->route = route_match(r, r->path, r->method, &methods)) == NULL)
		return 404;
	if (r->method == METHOD__MAX || !(methods & (1u << r->method)))
		return 405;
	return req_parse_params(r, r->route->keys);
}

static void
test_table(void)
{
	static const struct {
		const char *method, *uri;
		int	 status;
		const char *pattern;	/* route expected when status is 0 */
	} cases[] = {
		{ "GET", "/", 0, "/" },
		{ "GET", "/articles/1/acupuncture", 0, "/articles/{id}/{slug}" },
		{ "GET", "/articles/12", 0, "/articles/{id}" },
		{ "HEAD", "/articles/12", 0, "/articles/{id}" },
		{ "GET", "/articles/1/x?audience=patient", 0, "/articles/{id}/{slug}" },
		{ "GET", "/articles/abc", 404, NULL },
		{ "GET", "/articles/0", 404, NULL },
		{ "GET", "/articles/-1", 404, NULL },
		{ "GET", "/articles/99999999999999999999", 404, NULL },
		{ "GET", "/articles/1/x/y", 404, NULL },
		{ "GET", "/articles/", 404, NULL },
		{ "GET", "/nope", 404, NULL },
		{ "POST", "/articles/1/x", 405, NULL },
		{ "BREW", "/", 405, NULL },
		{ "GET", "/api/v1/articles?page=2&per_page=10", 0, "/api/v1/articles" },
		{ "GET", "/api/v1/articles?per_page=101", 400, NULL },
		{ "GET", "/api/v1/articles?per_page=0", 400, NULL },
		{ "GET", "/api/v1/articles?page=0", 400, NULL },
		{ "GET", "/api/v1/articles?page=abc", 400, NULL },
		{ "GET", "/api/v1/articles?page=1e3", 400, NULL },
		{ "GET", "/api/v1/articles?page=1&page=2", 400, NULL },
		{ "GET", "/api/v1/articles?foo=1", 400, NULL },
		{ "GET", "/api/v1/articles?audience=patient", 400, NULL },
		{ "GET", "/api/v1/articles?updated_since=2025-07-25T09:00:00Z", 0, "/api/v1/articles" },
		{ "GET", "/api/v1/articles?updated_since=2025-07-25T09:00:00", 400, NULL },
		{ "GET", "/api/v1/articles?updated_since=2025-07-25T09:00:00Z1", 400, NULL },
		{ "GET", "/api/v1/articles?updated_since=2025-13-25T09:00:00Z", 400, NULL },
		{ "GET", "/api/v1/articles?updated_since=2025-07-25T24:00:00Z", 400, NULL },
		{ "GET", "/api/v1/articles?updated_since=2025-07-25", 400, NULL },
		{ "GET", "/api/v1/articles?updated_since=", 400, NULL },
		{ "GET", "/api/v1/articles?state=approved&sort=updated", 0, "/api/v1/articles" },
		{ "GET", "/api/v1/articles?state=lost", 400, NULL },
		{ "GET", "/articles/1/x?audience=martian", 400, NULL },
		{ "GET", "/articles/1/x?audience=patient&audience=nurse", 400, NULL },
		{ "GET", "/articles/1/x?audience=%zz", 400, NULL },
		{ "GET", "/articles/1/x?audience=%00", 400, NULL },
		{ "GET", "/articles/1/x?%ff=1", 400, NULL },
		{ "GET", "/articles/%ff%fe", 400, NULL },
		{ "GET", "/articles/1/a%00b", 400, NULL },
		{ "GET", "/static/../sql/schema.sql", 400, NULL },
		{ "GET", "/articles/..%2f..%2fetc%2fpasswd", 400, NULL },
		{ "GET", "relative", 400, NULL },
		{ "GET", "/healthz?", 0, "/healthz" },
		{ "GET", "/healthz?&", 0, "/healthz" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req r;
		struct req_input in;
		int	 st = run(cases[i].method, cases[i].uri, &r, &in);

		if (cases[i].status == 0)
			ok(st == 0 && r.route != NULL && strcmp(r.route->pattern, cases[i].pattern) == 0,
			    "%s %s routes to %s", cases[i].method, cases[i].uri, cases[i].pattern);
		else
			ok(st == cases[i].status, "%s %s is refused with %d (got %d: %s)", cases[i].method,
			    cases[i].uri, cases[i].status, st, r.detail);
		req_free(&r);
	}
}

static void
test_values(void)
{
	struct req r;
	struct req_input in;
	char	 longuri[3000];

	ok(run("GET", "/articles/42/some-slug?audience=patient", &r, &in) == 0 && r.id == 42 &&
	    r.slug != NULL && strcmp(r.slug, "some-slug") == 0 && r.fields[KEY_AUDIENCE].present &&
	    strcmp(r.fields[KEY_AUDIENCE].str, "patient") == 0, "id, slug and audience are captured");
	req_free(&r);

	ok(run("GET", "/api/v1/articles?per_page=5", &r, &in) == 0 && r.fields[KEY_PER_PAGE].num == 5 &&
	    !r.fields[KEY_PAGE].present, "per_page is converted to a number; page stays absent");
	req_free(&r);

	ok(run("GET", "/api/v1/articles?per_page=500&page=x", &r, &in) == 400 && r.nerrors == 2 &&
	    strcmp(r.errors[0].field, "per_page") == 0 && strcmp(r.errors[1].field, "page") == 0,
	    "every bad parameter gets its own field error");
	req_free(&r);

	memset(longuri, 'a', sizeof(longuri) - 1);
	longuri[0] = '/';
	longuri[sizeof(longuri) - 1] = '\0';
	ok(run("GET", longuri, &r, &in) == 414, "a 3000-byte address is refused with 414");
	req_free(&r);

	memset(&in, 0, sizeof(in));
	in.method = "GET";
	in.uri = "/";
	in.cookie = "other=1; evqa_audience=patient; evqa_csrf=0123456789abcdef0123456789abcdef";
	req_init(&r, &in, NULL, NULL);
	ok(req_parse(&r) == 0 && r.cookie_audience != NULL && strcmp(r.cookie_audience, "patient") == 0 &&
	    r.cookie_csrf != NULL, "the audience and form-token cookies are read");
	req_free(&r);

	in.cookie = "evqa_audience=martian; evqa_csrf=<script>";
	req_init(&r, &in, NULL, NULL);
	ok(req_parse(&r) == 0 && r.cookie_audience == NULL && r.cookie_csrf == NULL,
	    "bad cookie values are ignored, not an error");
	req_free(&r);
}

static void
test_form(void)
{
	static const struct { const char *body; int status; const char *question; } cases[] = {
		{ "question=Does+it+help%3F&article=2", 0, "Does it help?" },
		{ "question=%20%20spaced%0A%20", 0, "spaced" },
		{ "question=a%01b", 400, NULL },
		{ "question=x&question=y", 400, NULL },
		{ "question=x&bogus=1", 400, NULL },
		{ "article=0", 400, NULL },
		{ "csrf=abc", 400, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct req r;
		struct req_input in = { .method = "POST", .uri = "/x",
		    .content_type = "application/x-www-form-urlencoded", .body = cases[i].body,
		    .body_len = strlen(cases[i].body) };
		int	 st;

		req_init(&r, &in, NULL, NULL);
		st = req_parse(&r);
		if (st == 0)
			st = req_parse_form(&r, K(QUESTION) | K(ARTICLE) | K(CSRF));
		if (cases[i].status == 0)
			ok(st == 0 && strcmp(r.fields[KEY_QUESTION].str, cases[i].question) == 0,
			    "form '%s' gives question '%s'", cases[i].body, cases[i].question);
		else
			ok(st == cases[i].status, "form '%s' is refused with %d (got %d)", cases[i].body,
			    cases[i].status, st);
		req_free(&r);
	}
}

/* How often line appears in the reply head of r (each line "Name: value"). */
static int
head_count(const struct req *r, const char *line)
{
	struct buf head = BUF_INIT;
	int	 n = 0;
	size_t	 len = strlen(line);

	if (req_reply_head(r, &head) == 0)
		for (const char *p = head.p; (p = strstr(p, line)) != NULL; p += len)
			if ((p == head.p || p[-1] == '\n') && strncmp(p + len, "\r\n", 2) == 0)
				n++;
	buf_free(&head);
	return n;
}

static void
test_header_injection(void)
{
	struct req r;
	struct req_input in = { .method = "GET", .uri = "/" };

	req_init(&r, &in, NULL, NULL);
	ok(req_header(&r, "Link", "/a\r\nSet-Cookie: x=1") == -1 && r.headers.len == 0,
	    "a header value with a line break is refused");
	ok(req_header(&r, "Link", "/a") == 0 && strcmp(r.headers.p, "Link: /a\r\n") == 0,
	    "a clean header value is written");
	req_location(&r, "/a\r\nSet-Cookie: x=1");
	r.status = 303;
	ok(head_count(&r, "Set-Cookie: x=1") == 0 && head_count(&r, "Location: /a") == 0,
	    "a Location with a line break is left out of the reply head");
	req_location(&r, "/b");
	ok(head_count(&r, "Location: /b") == 1, "a clean Location is written");
	req_free(&r);
}

static void
test_reply_once(void)
{
	struct req r;
	struct req_input in = { .method = "GET", .uri = "/" };

	req_init(&r, &in, NULL, NULL);
	ok(req_header(&r, "X-Total-Count", "1") == 0 && req_header(&r, "x-total-count", "2") == -1 &&
	    head_count(&r, "X-Total-Count: 1") == 1 && head_count(&r, "x-total-count: 2") == 0,
	    "a second header of one name is refused");
	ok(req_header(&r, "Cache-Control", "no-store") == -1 && req_header(&r, "Set-Cookie", "a=b") == -1 &&
	    req_header(&r, "Retry-After", "5") == -1 && head_count(&r, "Cache-Control: no-store") == 0,
	    "a header that is a field of the reply is refused by req_header()");
	req_cache(&r, CACHE_NO_STORE);
	req_cache(&r, CACHE_NO_CACHE);
	req_cache_default(&r, CACHE_PUBLIC_PAGE);
	ok(r.cache_control == CACHE_NO_STORE && head_count(&r, "Cache-Control: no-store") == 1 &&
	    head_count(&r, "Cache-Control: no-cache") == 0, "the cache policy is chosen once: the first stays");
	req_cookie(&r, "a=1; Path=/");
	req_cookie(&r, "b=2; Path=/");
	ok(head_count(&r, "Set-Cookie: a=1; Path=/") == 1 && head_count(&r, "Set-Cookie: b=2; Path=/") == 1,
	    "each cookie has its own Set-Cookie");
	r.vary = VARY_COOKIE | VARY_ORIGIN | VARY_ACCEPT_ENCODING;
	ok(head_count(&r, "Vary: Cookie, Accept-Encoding, Origin") == 1, "what a reply varies on is one Vary");
	r.retry_after = 5;
	r.www_authenticate = "Bearer";
	ok(head_count(&r, "Retry-After: 5") == 0 && head_count(&r, "WWW-Authenticate: Bearer") == 0,
	    "a 200 carries neither Retry-After nor WWW-Authenticate");
	r.status = 429;
	ok(head_count(&r, "Retry-After: 5") == 1, "a 429 carries Retry-After in seconds");
	r.status = 401;
	ok(head_count(&r, "WWW-Authenticate: Bearer") == 1, "a 401 carries WWW-Authenticate");
	req_free(&r);
	for (int p = CACHE_NO_STORE; p < CACHE__MAX; p++)
		ok((int)cache_policy_find(cache_policy_text((enum cache_policy)p)) == p, "cache policy %d is found by "
		    "its text %s", p, cache_policy_text((enum cache_policy)p));
	ok(cache_policy_find("max-age=5") == CACHE__MAX && cache_policy_find(NULL) == CACHE__MAX,
	    "a Cache-Control evqa never sends is no policy");
}

int
main(void)
{
	test_table();
	test_values();
	test_form();
	test_header_injection();
	test_reply_once();
	return done_testing();
}
