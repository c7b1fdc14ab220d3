/* log.c: diagnostics on standard error (see log.h). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "util.h"

static int quiet;

void
log_set_quiet(int q)
{
	quiet = q;
}

static void __attribute__((format(printf, 2, 0)))
vlog(const char *level, const char *fmt, va_list ap, const char *suffix)
{
	char	 msg[1024], now[21];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Control characters from requests must not forge log lines. */
	for (char *p = msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20)
			*p = '?';
	time_now_iso(now);
	fprintf(stderr, "%s evqa %s: %s%s%s\n", now, level, msg, suffix ? ": " : "", suffix ? suffix : "");
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vlog("info", fmt, ap, NULL);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog("warning", fmt, ap, NULL);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 e = errno;

	va_start(ap, fmt);
	vlog("warning", fmt, ap, strerror(e));
	va_end(ap);
}
