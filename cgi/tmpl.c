/* tmpl.c: what the compiled templates of tmpl_gen.c share (see tmpl.h). */
#include "config.h"

#include "log.h"
#include "tmpl.h"

const struct tmpl_seg *
tmpl_text(struct buf *out, const struct tmpl_seg *s)
{
	for (; s->text != NULL; s++) {
		if (s->hole >= 0)
			return s;
		/* trusted: the template's own markup */
		buf_trusted(out, s->text, s->len);
	}
	return NULL;
}

int
tmpl_fail(const char *file, const struct tmpl_seg *s)
{
	log_warnx("template %s: cannot fill {{%s}}", file, s->text);
	return -1;
}

int
tmpl_end(const struct buf *out)
{
	return out->err ? -1 : 0;
}
