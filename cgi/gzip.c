/* gzip.c: gzip compression of public pages with zlib (see gzip.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "gzip.h"
#include "log.h"
#include "req.h"

int
gzip_wanted(const struct req *r)
{
	return r->in->gzip != NULL && strcmp(r->in->gzip, "gzip") == 0;
}

int
gzip_compress(const char *in, size_t len, char **out, size_t *outlen)
{
	z_stream z;
	unsigned char *o;
	uLong	 bound;
	int	 rc;

	memset(&z, 0, sizeof(z));
	/* windowBits 15 + 16: a gzip header and trailer around the deflate stream */
	if (len > UINT32_MAX / 2 ||
	    deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&z, (uLong)len);
	if ((o = malloc(bound)) == NULL) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = o;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		log_warnx("gzip: deflate returned %d", rc);
		free(o);
		return -1;
	}
	*out = (char *)o;
	*outlen = z.total_out;
	return 0;
}

int
gzip_body(struct req *r)
{
	char	*gz;
	size_t	 gzlen;

	if (gzip_compress(r->body.p, r->body.len, &gz, &gzlen) == -1)
		return -1;
	buf_reset(&r->body);
	/* trusted: bytes of the reply body, not markup (the body was built through the escaping writers) */
	buf_trusted(&r->body, gz, gzlen);
	free(gz);
	if (r->body.err)
		return -1;
	r->body_gzip = 1;
	return 0;
}
