/* gzip.h: gzip compression of public pages (zlib). */
#ifndef EVQA_GZIP_H
#define EVQA_GZIP_H

#include <stddef.h>

struct req;

/* 1 when nginx passed EVQA_GZIP=gzip: the client takes gzip, and nginx keys its cache on that. */
int	 gzip_wanted(const struct req *r);

/* Compresses len bytes at in into one gzip member (RFC 1952, zlib's default level). On success
 * returns 0 and *out, *outlen: memory the caller frees with free(). Returns -1 on failure. */
int	 gzip_compress(const char *in, size_t len, char **out, size_t *outlen);

/* Replaces r->body with its gzip compression and sets r->body_gzip. Returns 0, or -1 (r->body
 * unchanged) when zlib or an allocation fails. */
int	 gzip_body(struct req *r);

#endif
