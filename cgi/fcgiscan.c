/* fcgiscan.c: bounds on the FastCGI records that open a connection (see fcgiscan.h). */
#include "config.h"

#include <stdint.h>

#include "fcgiscan.h"

#define FCGI_VERSION_1		1
#define FCGI_BEGIN_REQUEST	1
#define FCGI_PARAMS		4
#define FCGI_RESPONDER		1

/* Reads one name or value length of the params stream at s[*i..n). Returns 1 and sets *len, 0 when
 * the stream ends inside it, or -1 when it cannot be read. */
static int
pair_len(const unsigned char *s, size_t n, size_t *i, size_t *len)
{
	if (*i >= n)
		return 0;
	if ((s[*i] & 0x80) == 0) {
		*len = s[(*i)++];
		return 1;
	}
	if (n - *i < 4)
		return -1;
	*len = ((size_t)(s[*i] & 0x7f) << 24) | ((size_t)s[*i + 1] << 16) | ((size_t)s[*i + 2] << 8) |
	    s[*i + 3];
	*i += 4;
	return 1;
}

/* Checks a whole params stream s[0..n): every pair's lengths fit what is there. */
static int
check_pairs(const unsigned char *s, size_t n, const char **why)
{
	size_t	 i = 0, pairs = 0, nl, vl;

	while (i < n) {
		if (pair_len(s, n, &i, &nl) != 1 || pair_len(s, n, &i, &vl) != 1) {
			*why = "a FastCGI parameter length is cut short";
			return -1;
		}
		if (nl == 0) {
			*why = "a FastCGI parameter has an empty name";
			return -1;
		}
		if (nl > n - i || vl > n - i - nl) {
			*why = "a FastCGI parameter is longer than the records that carry it";
			return -1;
		}
		if (++pairs > FCGISCAN_PAIRS_MAX) {
			*why = "too many FastCGI parameters";
			return -1;
		}
		i += nl + vl;
	}
	return 0;
}

long
fcgiscan(const unsigned char *p, size_t n, const char **why)
{
	unsigned char params[FCGISCAN_PARAMS_MAX];
	size_t	 off = 0, plen = 0;
	unsigned int id = 0;
	int	 records = 0;

	for (;;) {
		size_t	 clen, pad;
		const unsigned char *h = p + off;

		if (n - off < 8)
			return 0;
		if (h[0] != FCGI_VERSION_1) {
			*why = "not FastCGI version 1";
			return -1;
		}
		clen = ((size_t)h[4] << 8) | h[5];
		pad = h[6];
		if (records == 0) {
			id = ((unsigned int)h[2] << 8) | h[3];
			if (h[1] != FCGI_BEGIN_REQUEST || clen != 8 || id == 0) {
				*why = "a FastCGI connection must open with FCGI_BEGIN_REQUEST";
				return -1;
			}
		} else if (h[1] != FCGI_PARAMS || (((unsigned int)h[2] << 8) | h[3]) != id) {
			*why = "FCGI_BEGIN_REQUEST must be followed by its FCGI_PARAMS records";
			return -1;
		}
		if (++records > FCGISCAN_RECORDS_MAX) {
			*why = "the FastCGI parameters come in too many records";
			return -1;
		}
		if (n - off - 8 < clen + pad)
			return 0;
		if (records == 1) {
			if ((((unsigned int)h[8] << 8) | h[9]) != FCGI_RESPONDER) {
				*why = "evqa is a FastCGI responder only";
				return -1;
			}
		} else if (clen == 0) {
			if (check_pairs(params, plen, why) == -1)
				return -1;
			return (long)(off + 8 + pad);
		} else {
			if (clen > sizeof(params) - plen) {
				*why = "the FastCGI parameters are over 64 KB";
				return -1;
			}
			for (size_t k = 0; k < clen; k++)
				params[plen + k] = h[8 + k];
			plen += clen;
		}
		off += 8 + clen + pad;
	}
}
