/* t_guard.c: cross-origin protection (guard_cross_origin): every combination of Sec-Fetch-Site,
 * Origin, the login session cookie and the kind of route, and when the audience cookie is set. */
#include "config.h"

#include <string.h>

#include "guard.h"
#include "req.h"
#include "server.h"
#include "tap.h"

#define SESSION	"evqa_session=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* The routes, one of each kind, in the order of the columns below. */
static const struct { const char *uri, *name; } kinds[] = {
	{ "/questions", "reader form" },
	{ "/api/v1/questions", "reader JSON" },
	{ "/editor/articles/1/transitions", "editor form" },
	{ "/editor/login", "editor login" },
	{ "/api/v1/articles/1/transitions", "editor JSON" },
};
#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

static const char *const origins[] = { NULL, "http://localhost", "https://evil.example",
	"http://client.example", "http://localhost:8080", "null" };
#define NORIGINS	(sizeof(origins) / sizeof(origins[0]))

/* One row per Sec-Fetch-Site and Origin: for each route kind, without and with a session cookie,
 * P (passes) or R (refused, 403). client.example is an allowed --cors-origin. */
static const struct {
	const char *site;
	int	 origin;	/* index into origins[] */
	const char *want;	/* 2 * NKINDS letters */
} cases[] = {
	/*				form  json  edit  login ejson */
	{ NULL,			0,	"PR"  "PR"  "PR"  "PR"  "PR" },	/* neither: a program, if no session */
	{ NULL,			1,	"PP"  "PP"  "PP"  "PP"  "PP" },	/* this site */
	{ NULL,			2,	"RR"  "RR"  "RR"  "RR"  "RR" },	/* another site */
	{ NULL,			3,	"RR"  "PR"  "RR"  "RR"  "PR" },	/* allowed origin: /api/ only, no credentials */
	{ NULL,			4,	"RR"  "RR"  "RR"  "RR"  "RR" },	/* another port is another origin */
	{ NULL,			5,	"RR"  "RR"  "RR"  "RR"  "RR" },	/* an opaque origin */
	{ "same-origin",	0,	"PP"  "PP"  "PP"  "PP"  "PP" },
	{ "same-origin",	1,	"PP"  "PP"  "PP"  "PP"  "PP" },
	{ "same-origin",	2,	"PP"  "PP"  "PP"  "PP"  "PP" },	/* Sec-Fetch-Site decides */
	{ "same-origin",	3,	"PP"  "PP"  "PP"  "PP"  "PP" },
	{ "none",		0,	"PP"  "PP"  "PP"  "PP"  "PP" },	/* typed by the user */
	{ "none",		2,	"PP"  "PP"  "PP"  "PP"  "PP" },
	{ "same-site",		0,	"RR"  "RR"  "RR"  "RR"  "RR" },
	{ "same-site",		1,	"RR"  "RR"  "RR"  "RR"  "RR" },	/* Sec-Fetch-Site decides */
	{ "same-site",		3,	"RR"  "PR"  "RR"  "RR"  "PR" },
	{ "cross-site",		0,	"RR"  "RR"  "RR"  "RR"  "RR" },
	{ "cross-site",		1,	"RR"  "RR"  "RR"  "RR"  "RR" },
	{ "cross-site",		2,	"RR"  "RR"  "RR"  "RR"  "RR" },
	{ "cross-site",		3,	"RR"  "PR"  "RR"  "RR"  "PR" },
	{ "cross-site",		5,	"RR"  "RR"  "RR"  "RR"  "RR" },
	{ "bogus",		1,	"RR"  "RR"  "RR"  "RR"  "RR" },	/* anything else is not same-origin */
};

/* Runs method uri with the headers through req_parse() and guard_cross_origin(). */
static int
decide(const struct config *cfg, const char *method, const char *uri, const char *site, const char *origin,
    const char *cookie)
{
	struct req_input in;
	struct req r;
	int	 st;

	memset(&in, 0, sizeof(in));
	in.method = method;
	in.uri = uri;
	in.host = "localhost";
	in.scheme = "http";
	in.sec_fetch_site = site;
	in.origin = origin;
	in.cookie = cookie;
	req_init(&r, &in, NULL, cfg);
	if ((st = req_parse(&r)) == 0)
		st = guard_cross_origin(&r);
	req_free(&r);
	return st;
}

static void
test_table(void)
{
	struct config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.cors[0] = "http://client.example";
	cfg.ncors = 1;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (size_t k = 0; k < NKINDS; k++)
			for (int s = 0; s < 2; s++) {
				char	 want = cases[i].want[2 * k + s];
				int	 st = decide(&cfg, "POST", kinds[k].uri, cases[i].site,
				    origins[cases[i].origin], s ? SESSION : NULL);

				ok(st == (want == 'P' ? 0 : 403), "POST %s (%s), Sec-Fetch-Site %s, Origin %s, %s: %s",
				    kinds[k].uri, kinds[k].name, cases[i].site ? cases[i].site : "absent",
				    origins[cases[i].origin] ? origins[cases[i].origin] : "absent",
				    s ? "session cookie" : "no cookie", want == 'P' ? "passes" : "refused");
			}
}

/* Reading never needs a header, from anywhere; every unsafe method is checked. */
static void
test_methods(void)
{
	static const char *const safe[] = { "GET", "HEAD", "OPTIONS" };
	static const char *const unsafe[] = { "POST", "PUT", "PATCH", "DELETE" };

	for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
		ok(decide(NULL, safe[i], "/api/v1/articles/1", "cross-site", "https://evil.example", SESSION) == 0,
		    "%s passes from another site with a session", safe[i]);
	for (size_t i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++)
		ok(decide(NULL, unsafe[i], "/api/v1/articles/1", "cross-site", NULL, NULL) == 403,
		    "%s with Sec-Fetch-Site: cross-site is refused", unsafe[i]);
}

/* Behind TLS, this site's origin is https://HOST; http://HOST is another one. */
static void
test_tls(void)
{
	static const struct { const char *origin; int want; } cases_tls[] = {
		{ "https://localhost", 0 }, { "http://localhost", 403 }, { "https://localhost.evil", 403 },
	};

	for (size_t i = 0; i < sizeof(cases_tls) / sizeof(cases_tls[0]); i++) {
		struct req_input in;
		struct req r;
		int	 st;

		memset(&in, 0, sizeof(in));
		in.method = "POST";
		in.uri = "/questions";
		in.host = "localhost";
		in.https = "on";
		in.scheme = "https";
		in.origin = cases_tls[i].origin;
		req_init(&r, &in, NULL, NULL);
		st = req_parse(&r) ? -1 : guard_cross_origin(&r);
		ok(st == cases_tls[i].want, "behind TLS, Origin %s: %d", cases_tls[i].origin, cases_tls[i].want);
		req_free(&r);
	}
}

/* The audience cookie is set only when ?audience= differs from it (guard_audience_changes). */
static void
test_audience_change(void)
{
	static const struct { const char *cookie, *audience; int want; } cases_aud[] = {
		{ NULL, NULL, 0 },
		{ NULL, "nurse", 1 },
		{ "evqa_audience=nurse", "nurse", 0 },
		{ "evqa_audience=nurse", "patient", 1 },
		{ "evqa_audience=nurse", NULL, 0 },
		{ "evqa_audience=martian", "nurse", 1 },	/* a junk cookie counts as none */
	};

	for (size_t i = 0; i < sizeof(cases_aud) / sizeof(cases_aud[0]); i++) {
		struct req_input in;
		struct req r;

		memset(&in, 0, sizeof(in));
		in.method = "GET";
		in.uri = "/x";
		in.cookie = cases_aud[i].cookie;
		req_init(&r, &in, NULL, NULL);
		ok(req_parse(&r) == 0, "parses (%zu)", i);
		if (cases_aud[i].audience != NULL) {
			r.fields[KEY_AUDIENCE].present = 1;
			r.fields[KEY_AUDIENCE].str = cases_aud[i].audience;
		}
		ok(guard_audience_changes(&r) == cases_aud[i].want, "cookie %s, ?audience=%s: %s",
		    cases_aud[i].cookie ? cases_aud[i].cookie : "none",
		    cases_aud[i].audience ? cases_aud[i].audience : "(none)",
		    cases_aud[i].want ? "changes the audience" : "no change");
		req_free(&r);
	}
}

int
main(void)
{
	test_table();
	test_methods();
	test_tls();
	test_audience_change();
	return done_testing();
}
