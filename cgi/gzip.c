/* gzip.c: gzip compression of a reply body with zlib (see gzip.h). */
#include "config.h"

#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "gzip.h"
#include "log.h"
#include "req.h"

int
gzip_body(struct req *r)
{
	z_stream z;
	unsigned char *out;
	uLong	 bound;
	int	 rc;

	memset(&z, 0, sizeof(z));
	/* windowBits 15 + 16: a gzip header and trailer around the deflate stream */
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&z, (uLong)r->body.len);
	if ((out = req_alloc(r, bound)) == NULL) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (unsigned char *)r->body.p;
	z.avail_in = (uInt)r->body.len;
	z.next_out = out;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		log_warnx("gzip: deflate returned %d", rc);
		return -1;
	}
	buf_reset(&r->body);
	/* trusted: bytes of the reply body, not markup (the body was built through the escaping writers) */
	buf_trusted(&r->body, (const char *)out, z.total_out);
	return r->body.err ? -1 : 0;
}
