/* cli.c: what every evqa subcommand shares. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "evqa%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nRun 'evqa --help' for usage.\n");
	return 2;
}
