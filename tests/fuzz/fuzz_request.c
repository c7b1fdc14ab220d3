/* fuzz_request.c: whole requests through the dispatcher: method, target (path and query), cookies,
 * content type, an optional API token and a body (forms and JSON). Input: one byte of flags (bits 0-2
 * the method, bit 3 the Authorization header, bit 4 HTTPS), then the target, the Cookie header and
 * the content type, one per line, then the body. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "req.h"

#include "fuzz_common.h"

static const char *const methods[8] = { "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "BREW" };

/* The next line of *p (up to '\n' or the end) as a new string; advances *p. */
static char *
line(const char **p, const char *end)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t	 n = (size_t)((nl ? nl : end) - *p);
	char	*s = malloc(n + 1);

	memcpy(s, *p, n);
	s[n] = '\0';
	*p = nl ? nl + 1 : end;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data + (size > 0), *end = (const char *)data + size;
	unsigned int flags = size > 0 ? data[0] : 0;
	char	*uri, *cookie, *ctype, *body, clen[24], auth[80];
	struct req_input in;
	size_t	 blen;

	if (size > REQ_MAX_BODY + 8192)
		return 0;
	uri = line(&p, end);
	cookie = line(&p, end);
	ctype = line(&p, end);
	blen = (size_t)(end - p);
	body = malloc(blen + 1);
	memcpy(body, p, blen);
	body[blen] = '\0';
	snprintf(clen, sizeof(clen), "%zu", blen);
	snprintf(auth, sizeof(auth), "Bearer %s", fuzz_token);
	memset(&in, 0, sizeof(in));
	in.method = methods[flags & 7];
	in.uri = uri;
	in.cookie = cookie[0] ? cookie : NULL;
	in.content_type = ctype[0] ? ctype : NULL;
	in.content_length = clen;
	in.authorization = (flags & 8) ? auth : NULL;
	in.https = (flags & 16) ? "on" : NULL;
	in.host = "localhost";
	in.remote_addr = "127.0.0.1";
	if (blen > 0 && blen <= REQ_MAX_BODY) {
		in.body = body;
		in.body_len = blen;
	} else if (blen > REQ_MAX_BODY)
		in.body_status = 413;
	fuzz_dispatch(&in);
	free(uri);
	free(cookie);
	free(ctype);
	free(body);
	return 0;
}
