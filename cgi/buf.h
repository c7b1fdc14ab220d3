/* buf.h: a growable byte buffer whose error sticks, and the escaping writers that fill it.
 *
 * Every untrusted byte that reaches a reply goes through buf_html() (HTML text and attribute values),
 * buf_url() (one URL component) or jansson (JSON). buf_lit() takes string literals only; buf_trusted()
 * is for markup evqa generated itself (templates, Markdown rendered at save time) and nothing else.
 * After an allocation failure every writer is a no-op and buf->err is set: check it once at the end. */
#ifndef EVQA_BUF_H
#define EVQA_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*p;	/* bytes, always NUL-terminated when p != NULL */
	size_t	 len;	/* bytes used, not counting the NUL */
	size_t	 cap;	/* bytes allocated */
	int	 err;	/* nonzero once an allocation failed or a limit was passed */
	size_t	 max;	/* 0 for no limit, else the largest len allowed */
};

#define BUF_INIT { NULL, 0, 0, 0, 0 }

void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
/* Takes the bytes out of the buffer: the caller owns the result (free()), the buffer is empty again.
 * Returns NULL on error. */
char	*buf_steal(struct buf *);

/* Raw writers, for bytes evqa itself produced. */
#define buf_lit(b, s)	buf_trusted((b), "" s, sizeof(s) - 1)
void	 buf_trusted(struct buf *, const char *, size_t);
void	 buf_putc(struct buf *, char);
/* A whole number in decimal, without printf's cost (page templates write many). */
void	 buf_int(struct buf *, long long);
/* Numbers only: the format must not contain %s or %c (tests/unit/t_sinks.sh checks). */
void	 buf_printf(struct buf *, const char *, ...) __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list) __attribute__((format(printf, 2, 0)));

/* Escaping writers. */
void	 buf_html(struct buf *, const char *);		/* & < > " ' escaped; NULL writes nothing */
void	 buf_htmln(struct buf *, const char *, size_t);
void	 buf_url(struct buf *, const char *);		/* percent-encodes all but unreserved */
/* Percent-encodes for a URL path: keeps unreserved characters, sub-delimiters, ':', '@' and '/'
 * (RFC 3986 pchar), so that a DOI stays readable. The result still goes through buf_html() in markup. */
void	 buf_url_path(struct buf *, const char *);

#endif
