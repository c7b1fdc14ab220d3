/* gzip.h: gzip compression of a reply body (zlib). */
#ifndef EVQA_GZIP_H
#define EVQA_GZIP_H

#include <stddef.h>

struct req;

/* Replaces r->body with its gzip compression (one RFC 1952 member, zlib's default level). The
 * compressed bytes live in request memory until copied back into r->body. Returns 0, or -1 (r->body
 * unchanged) when zlib or an allocation fails. */
int	 gzip_body(struct req *r);

#endif
