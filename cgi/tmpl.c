/* tmpl.c: page templates with named holes (see tmpl.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "tmpl.h"

/* A template is a list of segments: literal HTML, or a hole whose name is text[0..len). */
struct segment {
	int		 hole;
	const char	*text;
	size_t		 len;
	char		 name[32];
};

struct template {
	struct segment	*seg;
	size_t		 nseg;
};

static struct template templates[TMPL__MAX];

static int
tmpl_parse(enum tmpl_id id)
{
	const char *p = tmpl_src[id], *open, *close;
	struct template *t = &templates[id];
	size_t	 cap = 8;

	if ((t->seg = calloc(cap, sizeof(*t->seg))) == NULL)
		return -1;
	while (*p != '\0') {
		struct segment *s;

		if (t->nseg + 2 > cap) {
			struct segment *n = realloc(t->seg, 2 * cap * sizeof(*n));

			if (n == NULL)
				return -1;
			t->seg = n;
			cap *= 2;
		}
		open = strstr(p, "{{");
		s = &t->seg[t->nseg++];
		memset(s, 0, sizeof(*s));
		s->text = p;
		s->len = open ? (size_t)(open - p) : strlen(p);
		if (open == NULL)
			break;
		if ((close = strstr(open, "}}")) == NULL || (size_t)(close - open - 2) >= sizeof(s->name) ||
		    close == open + 2) {
			log_warnx("template %s: a '{{' without a matching '}}' or with a bad name",
			    tmpl_file[id]);
			return -1;
		}
		s = &t->seg[t->nseg++];
		memset(s, 0, sizeof(*s));
		s->hole = 1;
		memcpy(s->name, open + 2, (size_t)(close - open - 2));
		for (char *c = s->name; *c != '\0'; c++)
			if (!((*c >= 'a' && *c <= 'z') || *c == '_' || (*c >= '0' && *c <= '9'))) {
				log_warnx("template %s: bad hole name '%s'", tmpl_file[id], s->name);
				return -1;
			}
		p = close + 2;
	}
	return 0;
}

int
tmpl_init(void)
{
	for (int i = 0; i < TMPL__MAX; i++)
		if (templates[i].seg == NULL && tmpl_parse((enum tmpl_id)i) == -1)
			return -1;
	return 0;
}

int
tmpl_render(struct buf *out, enum tmpl_id id, tmpl_fill_fn fill, void *arg)
{
	const struct template *t = &templates[id];

	for (size_t i = 0; i < t->nseg; i++) {
		const struct segment *s = &t->seg[i];

		if (!s->hole) {
			/* trusted: the template's own markup */
			buf_trusted(out, s->text, s->len);
		} else if (fill(out, s->name, arg) == -1) {
			log_warnx("template %s: cannot fill {{%s}}", tmpl_file[id], s->name);
			return -1;
		}
	}
	return out->err ? -1 : 0;
}

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
