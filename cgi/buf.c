/* buf.c: growable buffer with a sticky error, and the escaping writers (see buf.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->err = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

char *
buf_steal(struct buf *b)
{
	char	*p;

	if (b->err) {
		buf_free(b);
		return NULL;
	}
	if (b->p == NULL)
		return strdup("");
	p = b->p;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

/* Makes room for n more bytes and the NUL; returns 0, or -1 with b->err set. */
static int
buf_grow(struct buf *b, size_t n)
{
	size_t	 need, cap;
	char	*p;

	if (b->err)
		return -1;
	if (n > (size_t)-1 / 2 - b->len - 1 || (b->max != 0 && b->len + n > b->max)) {
		b->err = 1;
		return -1;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	if ((p = evqa_realloc(b->p, cap)) == NULL) {
		b->err = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void
buf_trusted(struct buf *b, const char *s, size_t n)
{
	if (n == 0 && b->p != NULL)
		return;
	if (buf_grow(b, n) == -1)
		return;
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_putc(struct buf *b, char c)
{
	buf_trusted(b, &c, 1);
}

void
buf_int(struct buf *b, long long v)
{
	char	 d[24], *p = d + sizeof(d);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		*--p = '-';
	buf_trusted(b, p, (size_t)(d + sizeof(d) - p));
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	if (b->err)
		return;
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->err = 1;
		return;
	}
	if (buf_grow(b, (size_t)n) == -1)
		return;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_htmln(struct buf *b, const char *s, size_t n)
{
	size_t	 i, start;

	for (i = start = 0; i < n; i++) {
		const char *rep;

		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_trusted(b, s + start, i - start);
		buf_trusted(b, rep, strlen(rep));
		start = i + 1;
	}
	buf_trusted(b, s + start, n - start);
}

void
buf_html(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_htmln(b, s, strlen(s));
}

/* Percent-encodes s, keeping unreserved characters and those in keep. */
static void
url_encode(struct buf *b, const char *s, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~' || (*keep && strchr(keep, *p) != NULL)) {
			buf_putc(b, (char)*p);
		} else {
			char enc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
			buf_trusted(b, enc, 3);
		}
	}
}

void
buf_url(struct buf *b, const char *s)
{
	url_encode(b, s, "");
}

void
buf_url_path(struct buf *b, const char *s)
{
	url_encode(b, s, "!$&'()*+,;=:@/");
}
