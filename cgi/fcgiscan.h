/* fcgiscan.h: checks the start of a FastCGI connection before libfcgi reads it.
 *
 * libfcgi trusts the name and value lengths in FCGI_PARAMS records and allocates what they announce
 * (a record announcing 2 GiB aborts the process). evqa therefore peeks at each new connection and
 * lets libfcgi read it only once the whole of FCGI_BEGIN_REQUEST and the FCGI_PARAMS stream is in
 * the socket and every length in it is consistent and within bounds. */
#ifndef EVQA_FCGISCAN_H
#define EVQA_FCGISCAN_H

#include <stddef.h>

#define FCGISCAN_PARAMS_MAX	(64 * 1024)	/* bytes of the params stream (nginx sends ~1-8 KB) */
#define FCGISCAN_PAIRS_MAX	256		/* name-value pairs */
#define FCGISCAN_RECORDS_MAX	64		/* records up to the end of the params stream */
/* The most bytes fcgiscan() needs to see: the params and each record's header and padding. */
#define FCGISCAN_PEEK_MAX	(FCGISCAN_PARAMS_MAX + FCGISCAN_RECORDS_MAX * (8 + 255) + 16)

/* Scans p[0..n), the first bytes a FastCGI client sent. Returns the number of bytes that make up a
 * complete, well-formed FCGI_BEGIN_REQUEST (role responder) followed by the FCGI_PARAMS stream up to
 * and including its empty closing record; 0 when the bytes so far are a valid prefix of that and more
 * are needed; -1 when they can never become valid, with *why set to a static reason. */
long	 fcgiscan(const unsigned char *p, size_t n, const char **why);

#endif
