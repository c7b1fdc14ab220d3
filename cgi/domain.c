/* domain.c: outcomes and their words (see domain.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "domain.h"
#include "util.h"

enum outcome
dom_fail(struct dom *d, enum outcome oc, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(d->why, sizeof(d->why), fmt, ap);
	va_end(ap);
	utf8_trim(d->why);
	return oc;
}

enum outcome
dom_field_error(struct dom *d, const char *field, const char *fmt, ...)
{
	va_list	 ap;
	struct dom_error *e;

	if (d->nerrors < DOM_ERRORS_MAX) {
		e = &d->errors[d->nerrors++];
		e->field = field;
		va_start(ap, fmt);
		vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
		va_end(ap);
		utf8_trim(e->detail);
	}
	return OUT_INVALID;
}

void
dom_clear(struct dom *d)
{
	d->why[0] = '\0';
	d->nerrors = 0;
}
