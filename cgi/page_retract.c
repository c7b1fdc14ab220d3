/* page_retract.c: the editors' dashboard section of articles flagged by retraction watch (the list is
 * retract.h's). */
#include "config.h"

#include "page.h"
#include "retract.h"
#include "route.h"
#include "tmpl.h"

struct dash_ctx {
	const struct retract_flag *flag;	/* the row being written */
	const struct retract_flag *flags;
	int		 n;
};

static int
editor_flag_row_fill(struct buf *out, enum tmpl_editor_flag_row_hole hole, void *arg)
{
	const struct retract_flag *f = ((struct dash_ctx *)arg)->flag;

	switch (hole) {
	case TH_EDITOR_FLAG_ROW_ID:
		buf_int(out, f->article);
		return 0;
	case TH_EDITOR_FLAG_ROW_QUESTION:
		buf_html(out, f->question);
		return 0;
	case TH_EDITOR_FLAG_ROW_REVISION:
		buf_int(out, f->revision);
		return 0;
	case TH_EDITOR_FLAG_ROW_REF:
		buf_int(out, f->ref);
		return 0;
	case TH_EDITOR_FLAG_ROW_PAPER:
		if (f->doi != NULL) {
			buf_lit(out, "DOI ");
			buf_html(out, f->doi);
		} else {
			buf_lit(out, "PubMed ");
			buf_html(out, f->pmid);
		}
		return 0;
	case TH_EDITOR_FLAG_ROW_VERB:
		buf_html(out, retract_verb(f->nature));
		return 0;
	case TH_EDITOR_FLAG_ROW_DATE:
		if (f->notice_date != NULL) {
			buf_lit(out, " on ");
			buf_html(out, f->notice_date);
		}
		return 0;
	case TH_EDITOR_FLAG_ROW_FOUND_ISO:
		page_write_time(out, f->found_at, 0);
		return 0;
	case TH_EDITOR_FLAG_ROW_FOUND_HUMAN:
		page_write_time(out, f->found_at, 1);
		return 0;
	}
	return -1;
}

static int
editor_flags_fill(struct buf *out, enum tmpl_editor_flags_hole hole, void *arg)
{
	struct dash_ctx *d = arg;

	switch (hole) {
	case TH_EDITOR_FLAGS_ROWS:
		for (int i = 0; i < d->n; i++) {
			d->flag = &d->flags[i];
			if (tmpl_render_editor_flag_row(out, editor_flag_row_fill, d) == -1)
				return -1;
		}
		return 0;
	}
	return -1;
}

int
retract_write_dashboard(struct buf *out, struct req *r)
{
	struct retract_flag *flags;
	struct dash_ctx d = { NULL, NULL, 0 };

	if (req_outcome(r, retract_flags(&r->dom, &flags, &d.n)) != 200)
		return -1;
	if (d.n == 0)
		return 0;
	d.flags = flags;
	return tmpl_render_editor_flags(out, editor_flags_fill, &d);
}
