/* api_idem.c: Idempotency-Key on the API routes that create things (route.c marks them BODY_IDEMPOTENT):
 * the first successful reply to a key is kept for IDEM_KEEP_SECONDS, and a request that comes again
 * with the same key, from the same client, gets that reply again instead of creating a second thing. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "account.h"
#include "auth.h"
#include "idem.h"
#include "log.h"
#include "route.h"
#include "util.h"

#define IDEM_KEEP_SECONDS	(24 * 60 * 60)
#define IDEM_KEY_MAX		255

/* 'YYYY-MM-DDTHH:MM:SSZ' of ago seconds before now. */
static void
time_ago_iso(char out[21], long ago)
{
	time_t	 t = time_now() - ago;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
api_idem_begin(struct req *r, struct idem *st)
{
	const char *key = r->in->idempotency_key, *a;
	size_t	 kl = strlen(key);
	struct buf req = BUF_INIT;
	struct idem_reply kept;
	char	 now[21], old[21];
	enum cache_policy cache;
	int	 rc;

	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < kl; i++)
		if (key[i] < 0x21 || key[i] > 0x7e)
			kl = 0;
	if (kl == 0 || kl > IDEM_KEY_MAX)
		return req_field_error(r, "Idempotency-Key", "must be 1 to %d visible ASCII characters, such "
		    "as a UUID made for this request.", IDEM_KEY_MAX);
	/* keys belong to the account when the credentials are good, else to the client's address: the
	 * handler refuses bad credentials itself where it needs them (a question needs none) */
	a = r->in->authorization;
	if (a == NULL || a[0] == '\0' || (strncasecmp(a, "Bearer ", 7) == 0 && strlen(a + 7) == ACCOUNT_TOKEN_HEX &&
	    strspn(a + 7, "0123456789abcdef") == ACCOUNT_TOKEN_HEX)) {
		if ((rc = auth_identify(r)) == 500)
			return rc;
		if (rc != 0)
			r->detail[0] = '\0';
	}
	/* an anonymous client is its address and, when it has one, its evqa_csrf cookie: two readers
	 * behind one address who happen to send the same key never get each other's question */
	if (r->user != NULL)
		snprintf(st->scope, sizeof(st->scope), "user:%lld", r->user->id);
	else
		snprintf(st->scope, sizeof(st->scope), "addr:%.45s %.32s", r->in->remote_addr ? r->in->remote_addr :
		    "", r->cookie_csrf ? r->cookie_csrf : "");
	st->key = key;
	/* what the key was used for: method, path and body */
	/* trusted: hashed, never sent */
	buf_trusted(&req, r->method_name, strlen(r->method_name));
	buf_lit(&req, "\n");
	/* trusted: hashed, never sent */
	buf_trusted(&req, r->path, strlen(r->path));
	buf_printf(&req, "\n%zu\n", r->in->body_len);
	if (r->in->body_len > 0)
		/* trusted: hashed, never sent */
		buf_trusted(&req, r->in->body, r->in->body_len);
	if (req.err) {
		buf_free(&req);
		return 500;
	}
	snprintf(st->request, sizeof(st->request), "%016" PRIx64, hash64(req.p, req.len));
	buf_free(&req);

	time_now_iso(now);
	time_ago_iso(old, IDEM_KEEP_SECONDS);
	switch (idem_claim(r->db, &r->arena, st->scope, key, st->request, now, old, &kept)) {
	case IDEM_CLAIMED:
		st->claimed = 1;
		return 0;
	case IDEM_FAILED:
		return 500;
	case IDEM_RELEASED:
		/* purged between claiming and reading: ask for a retry rather than act twice */
		return req_fail(r, 409, "This Idempotency-Key was just released; send the request again.");
	case IDEM_OTHER_REQUEST:
		r->problem = "idempotency-key-reused";
		return req_fail(r, 422, "This Idempotency-Key was used for another request (another address "
		    "or body) in the last %d hours. Make a new key for each new request.", IDEM_KEEP_SECONDS / 3600);
	case IDEM_PENDING:
		return req_fail(r, 409, "A request with this Idempotency-Key is still being handled; send it "
		    "again in a moment to get its reply.");
	case IDEM_KEPT:
		break;
	}
	/* the reply's fields as they were kept (api_idem_end); a cache policy this build does not
	 * know (kept by another version) is answered no-store */
	if (kept.location != NULL)
		req_location(r, kept.location);
	if (kept.etag != NULL)
		r->etag = kept.etag;
	cache = cache_policy_find(kept.cache);
	req_cache(r, cache == CACHE__MAX ? CACHE_NO_STORE : cache);
	req_header(r, "Idempotent-Replayed", "true");
	r->noindex = 1;
	r->content_type = "application/json";
	/* trusted: the body evqa wrote for the first request, stored as it was sent */
	buf_trusted(&r->body, kept.body, strlen(kept.body));
	return r->body.err ? 500 : kept.status;
}

void
api_idem_end(struct req *r, struct idem *st, int status)
{
	if (!st->claimed)
		return;
	if (status >= 200 && status < 300 && !r->body.err) {
		struct idem_reply keep = { status, r->location, r->etag, cache_policy_text(r->cache_control),
		    r->body.p };

		if (idem_keep(r->db, st->scope, st->key, &keep, r->body.len) == 0)
			return;
		log_warnx("%s %s: the reply for an Idempotency-Key could not be kept", r->method_name, r->path);
	}
	idem_release(r->db, st->scope, st->key);
}
