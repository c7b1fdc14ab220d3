/* t_fcgiscan.c: the opening records of a FastCGI connection are complete and bounded, or refused. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fcgiscan.h"
#include "tap.h"

/* Appends one record (version 1) to b at *n. */
static void
rec(unsigned char *b, size_t *n, int type, int id, const void *content, size_t len)
{
	size_t	 pad = (8 - len % 8) % 8;

	b[(*n)++] = 1;
	b[(*n)++] = (unsigned char)type;
	b[(*n)++] = (unsigned char)(id >> 8);
	b[(*n)++] = (unsigned char)id;
	b[(*n)++] = (unsigned char)(len >> 8);
	b[(*n)++] = (unsigned char)len;
	b[(*n)++] = (unsigned char)pad;
	b[(*n)++] = 0;
	memcpy(b + *n, content, len);
	*n += len;
	memset(b + *n, 0, pad);
	*n += pad;
}

static const unsigned char begin_responder[8] = { 0, 1, 0 };

static void
test_valid(void)
{
	static unsigned char b[4096];
	size_t	 n = 0, whole;
	const char *why = NULL;
	int	 prefix_ok = 1;

	rec(b, &n, 1, 1, begin_responder, 8);
	rec(b, &n, 4, 1, "\x0e\x03REQUEST_METHODGET\x0b\x01REQUEST_URI/", 33);
	rec(b, &n, 4, 1, "", 0);
	whole = n;
	rec(b, &n, 5, 1, "", 0);	/* stdin follows; not part of the opening */
	ok(fcgiscan(b, n, &why) == (long)whole, "a begin record and params: the opening is complete");
	for (size_t k = 0; k < whole; k++)
		if (fcgiscan(b, k, &why) != 0)
			prefix_ok = 0;
	ok(prefix_ok, "every prefix of it asks for more bytes");
}

static void
test_refused(void)
{
	static const struct { const char *name; const char *pairs; size_t len; } cases[] = {
		{ "lengths 0xfffffff0 / 0x80000010", "\xff\xff\xff\xf0\x80\x00\x00\x10" "AAAAAAAA", 16 },
		{ "a value longer than the stream", "\x04\x7fNAMEvalue", 11 },
		{ "a four-byte length cut short", "\x80\x01", 2 },
		{ "an empty name", "\x00\x01x", 3 },
	};
	static unsigned char b[200000];
	const char *why;
	size_t	 n;
	long	 rc;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = 0;
		why = NULL;
		rec(b, &n, 1, 1, begin_responder, 8);
		rec(b, &n, 4, 1, cases[i].pairs, cases[i].len);
		rec(b, &n, 4, 1, "", 0);
		rc = fcgiscan(b, n, &why);
		ok(rc == -1 && why != NULL, "%s: refused (%s)", cases[i].name, why ? why : "");
	}
	n = 0;
	rec(b, &n, 5, 1, "x", 1);
	ok(fcgiscan(b, n, &why) == -1, "an opening that is not FCGI_BEGIN_REQUEST is refused");
	n = 0;
	rec(b, &n, 1, 1, "\x00\x02\x00\x00\x00\x00\x00\x00", 8);
	ok(fcgiscan(b, n, &why) == -1, "the authorizer role is refused");
	n = 0;
	rec(b, &n, 1, 1, begin_responder, 8);
	rec(b, &n, 4, 2, "\x01\x01" "ab", 4);
	ok(fcgiscan(b, n, &why) == -1, "params of another request are refused");
	n = 0;
	rec(b, &n, 1, 1, begin_responder, 8);
	for (int i = 0; i < 3; i++) {
		static char big[30000];

		memset(big, 'v', sizeof(big));
		big[0] = 1;
		big[1] = (char)0x80;
		big[2] = 0;
		big[3] = 0x74;
		big[4] = 0xf8;	/* value length 29944 */
		big[5] = 'N';
		rec(b, &n, 4, 1, big, sizeof(big));
	}
	ok(fcgiscan(b, n, &why) == -1, "params over 64 KB are refused before they end");
	n = 0;
	rec(b, &n, 1, 1, begin_responder, 8);
	for (int i = 0; i < FCGISCAN_RECORDS_MAX + 1; i++)
		rec(b, &n, 4, 1, "\x01\x00" "a", 3);
	ok(fcgiscan(b, n, &why) == -1, "params in more than %d records are refused", FCGISCAN_RECORDS_MAX);
}

int
main(void)
{
	test_valid();
	test_refused();
	return done_testing();
}
