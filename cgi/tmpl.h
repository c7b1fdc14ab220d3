/* tmpl.h: page templates (the files in static/templates) with named holes, parsed once at start-up.
 *
 * A template is HTML with holes written {{name}}. Rendering copies the HTML and, at each hole, calls the
 * fill function, which may write only through the escaping writers of buf.h (or render a nested
 * template). A fill function returns 0, or -1 for a hole it does not know, which fails the render. */
#ifndef EVQA_TMPL_H
#define EVQA_TMPL_H

#include "buf.h"
#include "embed_gen.h"

typedef int (*tmpl_fill_fn)(struct buf *out, const char *hole, void *arg);

/* Parses every embedded template. Returns 0, or -1 after logging a malformed template. */
int	 tmpl_init(void);
/* Renders template id into out. Returns 0, or -1 when a fill failed (logged with the hole's name). */
int	 tmpl_render(struct buf *out, enum tmpl_id id, tmpl_fill_fn fill, void *arg);

#endif
