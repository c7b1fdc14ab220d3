/* editor_diff.c: what changed between two revisions of an article, a line diff per field: the page
 * GET /editor/articles/{id}/diff (?rev, ?against), and the same sections for the editor's notice
 * that someone saved a revision meanwhile (ed_diff_revisions()). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "diff.h"
#include "editor.h"
#include "route.h"
#include "tmpl.h"
#include "workflow.h"

static int
editor_diff_section_fill(struct buf *out, enum tmpl_editor_diff_section_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_DIFF_SECTION_TITLE:
		buf_html(out, e->d_title);
		return 0;
	case TH_EDITOR_DIFF_SECTION_DIFF:
		/* trusted: written by diff_html(), which escapes every byte of text */
		buf_trusted(out, e->has_conflict ? e->conflict.p : e->d_html.p,
		    e->has_conflict ? e->conflict.len : e->d_html.len);
		return 0;
	}
	return -1;
}

static int
editor_diff_fill(struct buf *out, enum tmpl_editor_diff_hole hole, void *arg)
{
	struct ed *e = arg;
	struct req *r = e->r;

	switch (hole) {
	case TH_EDITOR_DIFF_BAR:
		return editor_bar_write(out, r, e->csrf);
	case TH_EDITOR_DIFF_ID:
		buf_int(out, r->id);
		return 0;
	case TH_EDITOR_DIFF_REV:
		buf_int(out, e->d_rev);
		return 0;
	case TH_EDITOR_DIFF_AGAINST_TEXT:
		if (e->d_against > 0) {
			buf_lit(out, "against revision ");
			buf_int(out, e->d_against);
		} else
			buf_lit(out, "(the first revision: all of its text is new)");
		return 0;
	case TH_EDITOR_DIFF_TOO_LARGE:
		if (e->too_large)
			buf_lit(out, " Some parts were too long to compare line by line and are shown whole.");
		return 0;
	case TH_EDITOR_DIFF_SECTIONS:
		/* trusted: sections rendered through the editor-diff-section template */
		buf_trusted(out, e->d_sections.p, e->d_sections.len);
		return 0;
	}
	return -1;
}

/* The page's main part (page_render()). */
static int
editor_diff_main(struct buf *out, void *arg)
{
	return tmpl_render_editor_diff(out, editor_diff_fill, arg);
}

/* The line diff of one field, as a section of the diff page (or the conflict notice). */
static void
diff_section(struct ed *e, const char *title, const char *a, const char *b, int always)
{
	if (!always && strcmp(a ? a : "", b ? b : "") == 0)
		return;
	buf_reset(&e->d_html);
	if (diff_html(&e->d_html, a, b, &e->diff_budget) < 0)
		e->too_large = 1;
	e->d_title = title;
	tmpl_render_editor_diff_section(&e->d_sections, editor_diff_section_fill, e);
}

/* The text of revision number n of the article: question, references, and wording per audience. */
struct rev_text {
	int		 ok;
	const char	*question, *references;
	const char	*bottom[AUD__MAX], *body[AUD__MAX];
};

static int
rev_text(struct req *r, long long article, int number, struct rev_text *t)
{
	struct ed tmp;
	struct rev_info ri;
	int	 rc;

	memset(t, 0, sizeof(*t));
	if ((rc = req_outcome(r, workflow_revision(&r->dom, article, number, &ri))) != 200)
		return rc;
	ed_init(&tmp, r);
	if (ed_form_from_revision(&tmp, ri.id) != 0)
		return 500;
	t->ok = 1;
	t->question = ri.question;
	t->references = tmp.references;
	memcpy(t->bottom, tmp.bottom, sizeof(t->bottom));
	memcpy(t->body, tmp.body, sizeof(t->body));
	return 200;
}

/* Every section of the diff from a to b into e->d_sections. */
static void
diff_all(struct ed *e, const struct rev_text *a, const struct rev_text *b)
{
	diff_section(e, "Question", a->question, b->question, 0);
	for (int i = 0; i < AUD__MAX; i++) {
		char	*t1 = req_alloc(e->r, 200), *t2 = req_alloc(e->r, 200);

		if (t1 == NULL || t2 == NULL)
			return;
		snprintf(t1, 200, "Bottom line: %s", audiences[i].label);
		snprintf(t2, 200, "Body: %s", audiences[i].label);
		diff_section(e, t1, a->bottom[i], b->bottom[i], 0);
		diff_section(e, t2, a->body[i], b->body[i], 0);
	}
	diff_section(e, "References", a->references, b->references, 0);
	if (e->d_sections.len == 0) {
		e->d_title = "No changes";
		buf_reset(&e->d_html);
		buf_lit(&e->d_html, "<p>The two revisions have the same text.</p>\n");
		tmpl_render_editor_diff_section(&e->d_sections, editor_diff_section_fill, e);
	}
}

int
ed_diff_revisions(struct ed *e, long long article, int a, int b)
{
	struct rev_text ta, tb;
	int	 rc;

	if ((rc = rev_text(e->r, article, a, &ta)) != 200 || (rc = rev_text(e->r, article, b, &tb)) != 200)
		return rc;
	diff_all(e, &ta, &tb);
	return 200;
}

int
editor_diff(struct req *r)
{
	struct ed e;
	struct rev_text a, b;
	struct rev_info latest;
	int	 rc, rev, against;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	ed_init(&e, r);
	if ((rc = req_outcome(r, workflow_latest(&r->dom, r->id, &latest))) != 200)
		return rc;
	rev = r->fields[KEY_REV].present ? (int)r->fields[KEY_REV].num : latest.number;
	if (r->fields[KEY_AGAINST].present)
		against = (int)r->fields[KEY_AGAINST].num;
	else {
		/* the approved revision when it is older; else the one before */
		struct rev_info approved;

		if ((rc = req_outcome(r, workflow_approved(&r->dom, r->id, &approved))) != 200)
			return rc;
		against = approved.number > 0 && approved.number < rev ? approved.number : rev - 1;
	}
	if ((rc = rev_text(r, r->id, rev, &b)) != 200)
		return rc == 404 ? req_field_error(r, "rev", "names no revision of this article.") : rc;
	if (against < 1) {
		memset(&a, 0, sizeof(a));
		against = 0;
	} else if ((rc = rev_text(r, r->id, against, &a)) != 200)
		return rc == 404 ? req_field_error(r, "against", "names no revision of this article.") : rc;
	e.rev = latest;
	e.d_rev = rev;
	e.d_against = against;
	diff_all(&e, &a, &b);
	if ((rc = ed_csrf(&e)) != 0)
		return rc;
	rc = ed_page(&e, "What changed", editor_diff_main);
	ed_free(&e);
	return rc;
}
