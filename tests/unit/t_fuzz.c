/* t_fuzz.c: every parser survives random and mutated input: URIs, query strings, forms, cookies,
 * citation markers and Markdown. Deterministic (fixed seed), bounded in count, meant to run under
 * AddressSanitizer and UBSan in CI, where an out-of-bounds read fails it. */
#include "config.h"

#include <stdlib.h>

#include "render.h"
#include "req.h"
#include "route.h"
#include "tap.h"
#include "util.h"

#define ROUNDS	4000

static unsigned long long seed = 0x9e3779b97f4a7c15ULL;

static unsigned int
rnd(unsigned int n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned int)(seed % n);
}

/* Fills out with a mutation of one of the seeds: bytes flipped, inserted, deleted, or random. */
static size_t
mutate(char *out, size_t cap, const char *const *seeds, size_t nseeds)
{
	static const char alphabet[] = "/?&=%+;[]-,0123456789abcdefXYZ \t\n.#<>\"'\\\xc3\xa9\xe2\x80\x93\xff\x80";
	const char *s = seeds[rnd((unsigned int)nseeds)];
	size_t	 n = strlen(s) < cap - 1 ? strlen(s) : cap - 1;
	int	 edits = 1 + (int)rnd(8);

	memcpy(out, s, n);
	while (edits-- > 0 && n + 1 < cap) {
		size_t at = n ? rnd((unsigned int)n + 1) : 0;

		switch (rnd(4)) {
		case 0:	/* replace */
			if (at < n)
				out[at] = alphabet[rnd(sizeof(alphabet) - 1)];
			break;
		case 1:	/* insert */
			memmove(out + at + 1, out + at, n - at);
			out[at] = alphabet[rnd(sizeof(alphabet) - 1)];
			n++;
			break;
		case 2:	/* delete */
			if (at < n) {
				memmove(out + at, out + at + 1, n - at - 1);
				n--;
			}
			break;
		default:	/* random byte, NUL excluded */
			if (at < n)
				out[at] = (char)(1 + rnd(255));
		}
	}
	out[n] = '\0';
	return n;
}

static void
fuzz_requests(void)
{
	static const char *const uris[] = {
		"/articles/1/acupuncture?audience=patient", "/api/v1/articles?page=2&per_page=10",
		"/healthz?", "/%C3%A9/%zz?a=%00", "/articles/99999999999999999999/x",
	};
	static const char *const cookies[] = {
		"evqa_audience=patient; evqa_csrf=0123456789abcdef0123456789abcdef", "a=b;;c", "=;=;",
	};
	int	 bad = 0;

	for (int i = 0; i < ROUNDS; i++) {
		char	 uri[300], cookie[120], body[200];
		struct req_input in = { .method = rnd(5) ? "GET" : "POST", .uri = uri, .cookie = cookie,
		    .content_type = "application/x-www-form-urlencoded", .body = body };
		struct req r;
		unsigned int methods;
		int	 st;

		mutate(uri, sizeof(uri), uris, sizeof(uris) / sizeof(uris[0]));
		mutate(cookie, sizeof(cookie), cookies, sizeof(cookies) / sizeof(cookies[0]));
		in.body_len = mutate(body, sizeof(body), uris, sizeof(uris) / sizeof(uris[0]));
		req_init(&r, &in, NULL, NULL);
		st = req_parse(&r);
		if (st == 0 && (r.route = route_match(&r, r.path, r.method, &methods)) != NULL) {
			st = req_parse_params(&r, r.route->keys);
			if (st == 0)
				st = req_parse_form(&r, r.route->keys);
		}
		if (st != 0 && (st < 400 || st > 499))
			bad++;
		if (st == 0 && !utf8_valid(r.path, strlen(r.path)))
			bad++;
		req_free(&r);
	}
	ok(bad == 0, "%d mutated requests give a valid parse or a 4xx, never anything else", ROUNDS);
}

static void
fuzz_markdown(void)
{
	static const char *const docs[] = {
		"## Heading\n\n- item [1]\n  - nested [1, 2]\n\n1. first [2-3]\n",
		("Text with [1\xe2\x80\x93" "3] and `code [9]` and [link](https://x.org) <b>raw</b>\n"),
		"> quote [2]\n\n```\ncode\n```\n\n***\n\n[1]: https://example.org\n",
		"- claim [1]. {certainty: very low}\n- do it [2]. {recommendation: strong; certainty: high} {x}\n",
	};
	unsigned char has[REF_MAX + 1] = { 0, 1, 1, 1 };
	int	 bad = 0, rendered = 0;

	for (int i = 0; i < ROUNDS / 4; i++) {
		char	 body[400], err[300];
		struct render_result rr;

		mutate(body, sizeof(body), docs, sizeof(docs) / sizeof(docs[0]));
		if (render_text("Bottom [1].", body, has, &rr, err, sizeof(err)) == 0) {
			rendered++;
			if (strstr(rr.html, "<b>") != NULL || strstr(rr.html, "<script") != NULL)
				bad++;
			render_result_free(&rr);
		} else if (err[0] == '\0')
			bad++;
	}
	ok(bad == 0, "mutated Markdown renders without raw HTML, or fails with a message (%d of %d rendered)",
	    rendered, ROUNDS / 4);
}

int
main(void)
{
	fuzz_requests();
	fuzz_markdown();
	return done_testing();
}
