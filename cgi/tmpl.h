/* tmpl.h: page templates (the files in static/templates) compiled into typed renderers.
 *
 * A template is HTML with holes written {{name}}. build-aux/tmpl.awk compiles each template NAME.html
 * into tmpl_gen.c: an enum tmpl_NAME_hole with one TH_NAME_HOLE per distinct hole (TH_NAME__MAX of
 * them), and tmpl_render_NAME(out, fill, arg), which copies the markup into out and, at each hole in
 * order, calls fill(out, hole, arg). A fill is a switch over its template's enum with a case for every
 * hole and no default, so that -Wswitch-enum fails the build when a hole is left unfilled (a hole the
 * template does not have is not an enumerator, so it cannot be named). It writes only through the
 * escaping writers of buf.h (or renders a nested template) and returns 0, or -1 to fail the render.
 * tmpl_render_NAME() returns 0, or -1 when a fill failed (logged with the template and the hole) or
 * out->err is set. A template without holes gets tmpl_render_NAME(out) alone. */
#ifndef EVQA_TMPL_H
#define EVQA_TMPL_H

#include <stddef.h>

#include "buf.h"
#include "tmpl_gen.h"

/* Every file that fills templates treats an enumerator without a case as an error, whatever the flags:
 * -Wswitch (in -Wall) reports it for a switch without a default, -Wswitch-enum for any switch. */
#pragma GCC diagnostic error "-Wswitch"
#pragma GCC diagnostic error "-Wswitch-enum"

/* One piece of a compiled template: literal markup (hole -1, text[0..len)), a hole (hole >= 0, its
 * enumerator; text its name) or the end (text NULL). For tmpl_gen.c only. */
struct tmpl_seg {
	const char	*text;
	size_t		 len;
	int		 hole;
};
#define TMPL_TEXT(s)	{ "" s, sizeof(s) - 1, -1 }

/* Copies the literal segments from s on into out; returns the first hole segment, or NULL at the end. */
const struct tmpl_seg	*tmpl_text(struct buf *out, const struct tmpl_seg *s);
/* Logs that the fill of hole s of template file failed; returns -1. */
int	 tmpl_fail(const char *file, const struct tmpl_seg *s);
/* The result of a render that reached its end: 0, or -1 when out->err is set. */
int	 tmpl_end(const struct buf *out);

#endif
