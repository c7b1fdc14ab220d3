/* page_article.c: the article page (and its versions and previews), with the worker's cache of
 * rendered pages. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "catalog.h"
#include "cite.h"
#include "content.h"
#include "db.h"
#include "guard.h"
#include "gzip.h"
#include "page.h"
#include "retract.h"
#include "route.h"
#include "tmpl.h"
#include "util.h"
#include "versions.h"

/* ---- /articles/{id}/{slug} ---- */

struct article_ctx {
	struct req	*r;
	struct article_view v;
	int		 i;		/* the step, audience or reference being written */
	int		 k;		/* the back link being written */
	const char	*link_href, *link_label;
	const char	*counts;	/* cursor in v.cite_counts */
	const char	*backref_counts;	/* the count of the reference being written */
	const struct article_view *current;	/* on a version page: what readers see now; else NULL */
};

/* The step readers see as current: changes requested takes the place of under review. */
static int
step_current(enum state st)
{
	return st == STATE_CHANGES_REQUESTED ? STATE_UNDER_REVIEW : st >= STATE_STEPS ? STATE_SUBMITTED : (int)st;
}

/* 1 when the shown revision was imported as approved and no person approved it. */
static int
imported_unreviewed(const struct article_view *v)
{
	return v->state == STATE_APPROVED && v->approver == NULL && v->imported_at != NULL;
}

static int
step_date_fill(struct buf *out, enum tmpl_step_date_hole hole, void *arg)
{
	struct article_ctx *a = arg;

	switch (hole) {
	case TH_STEP_DATE_ISO:
		page_write_time(out, a->link_href, 0);
		return 0;
	case TH_STEP_DATE_HUMAN:
		page_write_time(out, a->link_href, 1);
		return 0;
	}
	return -1;
}

static int
step_item_fill(struct buf *out, enum tmpl_step_item_hole hole, void *arg)
{
	struct article_ctx *a = arg;
	int	 cur = step_current(a->v.state);

	switch (hole) {
	case TH_STEP_ITEM_CLASS:
		buf_html(out, a->i < cur ? "step done" : a->i == cur ? "step current" : "step todo");
		return 0;
	case TH_STEP_ITEM_CURRENT:
		if (a->i == cur)
			buf_lit(out, " aria-current=\"step\"");
		return 0;
	case TH_STEP_ITEM_LABEL:
		buf_html(out, states[a->i == STATE_UNDER_REVIEW && a->v.state == STATE_CHANGES_REQUESTED ?
		    STATE_CHANGES_REQUESTED : a->i].label);
		return 0;
	case TH_STEP_ITEM_DATE: {
		/* when the shown revision reached this step, when known */
		const char *at = NULL;

		if (a->i == STATE_SUBMITTED)
			at = a->v.created_at;
		else if (a->i == STATE_UNDER_REVIEW && a->v.state == STATE_CHANGES_REQUESTED)
			at = a->v.state_at;	/* when the changes were asked for */
		else if (a->i == STATE_UNDER_REVIEW && a->i <= cur)
			at = a->v.review_started_at ? a->v.review_started_at :
			    a->v.state == STATE_UNDER_REVIEW ? a->v.state_at : NULL;
		else if (a->i == STATE_APPROVED && a->v.state == STATE_APPROVED)
			at = a->v.approved_at ? a->v.approved_at : a->v.state_at;
		a->link_href = at;
		if (at != NULL)
			return tmpl_render_step_date(out, step_date_fill, a);
		return 0;
	}
	case TH_STEP_ITEM_STATUS:
		buf_html(out, a->i < cur ? " (done)" : a->i == cur ? (imported_unreviewed(&a->v) ?
		    " (imported as approved, not reviewed here)" : " (current state)") : " (not yet)");
		return 0;
	}
	return -1;
}

static int
audience_option_fill(struct buf *out, enum tmpl_audience_option_hole hole, void *arg)
{
	struct article_ctx *a = arg;
	const struct audience *au = &audiences[a->i];

	switch (hole) {
	case TH_AUDIENCE_OPTION_CODE:
		buf_html(out, au->code);
		return 0;
	case TH_AUDIENCE_OPTION_CHECKED:
		if (au == a->v.audience)
			buf_lit(out, " checked");
		return 0;
	case TH_AUDIENCE_OPTION_LABEL:
		buf_html(out, au->label);
		return 0;
	}
	return -1;
}

static int
audience_note_fill(struct buf *out, enum tmpl_audience_note_hole hole, void *arg)
{
	struct article_ctx *a = arg;

	switch (hole) {
	case TH_AUDIENCE_NOTE_AUDIENCE:
		buf_html(out, a->v.audience->label);
		return 0;
	}
	return -1;
}

static int
ref_link_fill(struct buf *out, enum tmpl_ref_link_hole hole, void *arg)
{
	struct article_ctx *a = arg;

	switch (hole) {
	case TH_REF_LINK_HREF:
		buf_html(out, a->link_href);
		return 0;
	case TH_REF_LINK_LABEL:
		buf_html(out, a->link_label);
		return 0;
	}
	return -1;
}

static int
article_import_link_fill(struct buf *out, enum tmpl_article_import_link_hole hole, void *arg)
{
	struct article_ctx *a = arg;

	switch (hole) {
	case TH_ARTICLE_IMPORT_LINK_HREF:
		buf_html(out, a->link_href);
		return 0;
	}
	return -1;
}

static int
backref_fill(struct buf *out, enum tmpl_backref_hole hole, void *arg)
{
	struct article_ctx *a = arg;

	switch (hole) {
	case TH_BACKREF_NUM:
		buf_int(out, a->v.refs[a->i].num);
		return 0;
	case TH_BACKREF_K:
		buf_int(out, a->k);
		return 0;
	}
	return -1;
}

static int
ref_links(struct buf *out, struct article_ctx *a, const struct reference *ref)
{
	struct buf url = BUF_INIT;
	int	 rc = 0;

	if (ref->pmid != NULL) {
		buf_lit(&url, "https://pubmed.ncbi.nlm.nih.gov/");
		buf_url(&url, ref->pmid);
		buf_lit(&url, "/");
		a->link_href = url.p;
		a->link_label = "PubMed";
		rc |= tmpl_render_ref_link(out, ref_link_fill, a);
		buf_reset(&url);
	}
	if (ref->doi != NULL) {
		buf_lit(&url, "https://doi.org/");
		buf_url_path(&url, ref->doi);
		a->link_href = url.p;
		a->link_label = "DOI";
		rc |= tmpl_render_ref_link(out, ref_link_fill, a);
		buf_reset(&url);
	}
	if (ref->url != NULL && (strncmp(ref->url, "https://", 8) == 0 || strncmp(ref->url, "http://", 7) == 0)) {
		a->link_href = ref->url;
		a->link_label = "Source";
		rc |= tmpl_render_ref_link(out, ref_link_fill, a);
	}
	buf_free(&url);
	return rc ? -1 : 0;
}

/* " on <time>" with the date of the notice on ref, if it has one. */
static void
notice_write_date(struct buf *out, const struct reference *ref)
{
	if (ref->notice_date != NULL) {
		buf_lit(out, " on <time datetime=\"");
		buf_html(out, ref->notice_date);
		buf_lit(out, "\">");
		page_write_time(out, ref->notice_date, 1);
		buf_lit(out, "</time>");
	}
}

/* A retraction watch notice on reference arg. */
static int
ref_notice_fill(struct buf *out, enum tmpl_ref_notice_hole hole, void *arg)
{
	const struct reference *ref = arg;

	switch (hole) {
	case TH_REF_NOTICE_LABEL:
		buf_html(out, ref->notice_nature);
		return 0;
	case TH_REF_NOTICE_VERB:
		buf_html(out, retract_verb(ref->notice_nature));
		return 0;
	case TH_REF_NOTICE_DATE:
		notice_write_date(out, ref);
		return 0;
	}
	return -1;
}

static int
article_retraction_note_fill(struct buf *out, enum tmpl_article_retraction_note_hole hole, void *arg)
{
	const struct reference *ref = arg;

	switch (hole) {
	case TH_ARTICLE_RETRACTION_NOTE_LABEL:
		buf_html(out, ref->notice_nature);
		return 0;
	case TH_ARTICLE_RETRACTION_NOTE_NUM:
		buf_int(out, ref->num);
		return 0;
	case TH_ARTICLE_RETRACTION_NOTE_VERB:
		buf_html(out, retract_verb(ref->notice_nature));
		return 0;
	case TH_ARTICLE_RETRACTION_NOTE_DATE:
		notice_write_date(out, ref);
		return 0;
	}
	return -1;
}

static int
ref_authors_fill(struct buf *out, enum tmpl_ref_authors_hole hole, void *arg)
{
	struct article_ctx *a = arg;

	switch (hole) {
	case TH_REF_AUTHORS_NAMES:
		buf_html(out, a->link_label);
		return 0;
	}
	return -1;
}

static int
backrefs_fill(struct buf *out, enum tmpl_backrefs_hole hole, void *arg)
{
	struct article_ctx *a = arg;

	switch (hole) {
	case TH_BACKREFS_LINKS_BACK: {
		char	*end;
		long	 n = strtol(a->backref_counts, &end, 10);

		for (a->k = 1; a->k <= n; a->k++)
			if (tmpl_render_backref(out, backref_fill, a) == -1)
				return -1;
		return 0;
	}
	}
	return -1;
}

static int
ref_item_fill(struct buf *out, enum tmpl_ref_item_hole hole, void *arg)
{
	struct article_ctx *a = arg;
	const struct reference *ref = &a->v.refs[a->i];

	switch (hole) {
	case TH_REF_ITEM_NUM:
		buf_int(out, ref->num);
		return 0;
	case TH_REF_ITEM_KIND:
		buf_html(out, ref->kind);
		return 0;
	case TH_REF_ITEM_KIND_LABEL:
		buf_html(out, reference_kind_label(ref->kind));
		return 0;
	case TH_REF_ITEM_AUTHORS:
		a->link_label = reference_authors_line(&a->r->arena, ref);
		if (a->link_label != NULL)
			return tmpl_render_ref_authors(out, ref_authors_fill, a);
		return 0;
	case TH_REF_ITEM_TITLE:
		buf_html(out, ref->title);
		return 0;
	case TH_REF_ITEM_SOURCE: {
		size_t	 tl = strlen(ref->title);

		if (tl > 0 && strchr(".?!", ref->title[tl - 1]) == NULL)
			buf_lit(out, ".");
		if (ref->source != NULL) {
			buf_lit(out, " ");
			buf_html(out, ref->source);
			if (ref->year)
				buf_lit(out, ",");
			else
				buf_lit(out, ".");
		}
		if (ref->year)
			buf_printf(out, " %lld.", ref->year);
		return 0;
	}
	case TH_REF_ITEM_LINKS:
		return ref_links(out, a, ref);
	case TH_REF_ITEM_CITE_LINKS:
		return cite_write_ref_links(out, a->r, &a->v, ref->num);
	case TH_REF_ITEM_BACKREFS: {
		/* a->counts walks "3,1,0" in step with the references */
		char	*end;
		long	 n = strtol(a->counts, &end, 10);

		a->backref_counts = a->counts;

		if (end == a->counts || n < 0 || n > 1000)
			n = 0;
		a->counts = *end == ',' ? end + 1 : end;
		if (n > 0)
			return tmpl_render_backrefs(out, backrefs_fill, a);
		return 0;
	}
	case TH_REF_ITEM_NOTICE:
		if (ref->notice_nature != NULL)
			return tmpl_render_ref_notice(out, ref_notice_fill, (void *)(uintptr_t)ref);
		return 0;
	}
	return -1;
}

struct related_ctx {
	const struct related_row *rows, *row;	/* all of them, and the one being written */
	int		 n;
};

static int
article_related_row_fill(struct buf *out, enum tmpl_article_related_row_hole hole, void *arg)
{
	struct related_ctx *c = arg;
	const struct related_row *row = c->row;

	switch (hole) {
	case TH_ARTICLE_RELATED_ROW_ID:
		buf_int(out, row->id);
		return 0;
	case TH_ARTICLE_RELATED_ROW_SLUG:
		buf_html(out, row->slug);
		return 0;
	case TH_ARTICLE_RELATED_ROW_QUESTION:
		buf_html(out, row->question);
		return 0;
	case TH_ARTICLE_RELATED_ROW_WHY:
		switch (row->how) {
		case RELATED_REFERENCES:
			buf_lit(out, "cites ");
			buf_int(out, row->shared);
			if (row->shared == 1)
				buf_lit(out, " of the same reference");
			else
				buf_lit(out, " of the same references");
			break;
		case RELATED_TOPIC:
			buf_lit(out, "same topic: ");
			buf_html(out, row->name);
			break;
		case RELATED_SYNONYM:
		case RELATED_SHARED_SYNONYM:
		case RELATED__MAX:
			buf_lit(out, "both known as ");
			buf_html(out, row->name);
			break;
		}
		return 0;
	}
	return -1;
}

static int
article_related_fill(struct buf *out, enum tmpl_article_related_hole hole, void *arg)
{
	struct related_ctx *c = arg;

	switch (hole) {
	case TH_ARTICLE_RELATED_ROWS:
		for (int i = 0; i < c->n; i++) {
			c->row = &c->rows[i];
			if (tmpl_render_article_related_row(out, article_related_row_fill, c) == -1)
				return -1;
		}
		return 0;
	}
	return -1;
}

/* The "Related articles" section of v: articles citing the same studies, then those on the same topic or
 * known by a name its topic goes by (catalog_related()); nothing when there are none. */
static int
related_write(struct buf *out, struct req *r, const struct article_view *v)
{
	struct related_row *rows;
	struct related_ctx c;

	if (req_outcome(r, catalog_related(&r->dom, v->id, v->rev_id, &rows, &c.n)) != 200)
		return -1;
	if (c.n == 0)
		return 0;
	c.rows = rows;
	return tmpl_render_article_related(out, article_related_fill, &c);
}

#define TOC_MIN	3	/* sections an article needs for a table of contents */

/* The table of contents of body HTML (render_text()'s, trusted): a link to each "<h2 id=...>" with
 * the heading's text, its tags left out. Writes nothing for fewer than TOC_MIN headings. */
static int
toc_write(struct buf *out, const char *html)
{
	int	 n = 0;

	for (const char *p = html; (p = strstr(p, "<h2 id=\"")) != NULL; p++)
		n++;
	if (n < TOC_MIN)
		return 0;
	buf_lit(out, "<nav class=\"toc\" aria-labelledby=\"toc-h\">\n<h2 id=\"toc-h\">On this page</h2>\n"
	    "<ol>\n");
	for (const char *p = html; (p = strstr(p, "<h2 id=\"")) != NULL;) {
		const char *id = p + 8, *idend = strchr(id, '"'), *in, *end;

		if (idend == NULL || (in = strchr(idend, '>')) == NULL || (end = strstr(in, "</h2>")) == NULL)
			break;
		buf_lit(out, "<li><a href=\"#");
		/* trusted: an anchor render_text() wrote, already escaped */
		buf_trusted(out, id, (size_t)(idend - id));
		buf_lit(out, "\">");
		for (const char *c = in + 1; c < end;) {
			const char *tag = memchr(c, '<', (size_t)(end - c));
			const char *stop = tag ? tag : end;

			/* trusted: heading text render_text() escaped; its tags are left out */
			buf_trusted(out, c, (size_t)(stop - c));
			if (tag == NULL || (c = memchr(tag, '>', (size_t)(end - tag))) == NULL)
				break;
			c++;
		}
		buf_lit(out, "</a></li>\n");
		p = end;
	}
	buf_lit(out, "</ol>\n</nav>");
	return 0;
}

static int
article_approved_fill(struct buf *out, enum tmpl_article_approved_hole hole, void *arg)
{
	struct article_ctx *a = arg;
	struct article_view *v = &a->v;

	switch (hole) {
	case TH_ARTICLE_APPROVED_APPROVER:
		buf_html(out, v->approver);
		return 0;
	case TH_ARTICLE_APPROVED_CREDENTIAL:
		if (v->approver_credential != NULL && v->approver_credential[0] != '\0') {
			buf_lit(out, ", ");
			buf_html(out, v->approver_credential);
		}
		return 0;
	case TH_ARTICLE_APPROVED_APPROVED_AT:
		page_write_time(out, v->approved_at, 0);
		return 0;
	case TH_ARTICLE_APPROVED_APPROVED_HUMAN:
		page_write_time(out, v->approved_at, 1);
		return 0;
	case TH_ARTICLE_APPROVED_CONFLICTS:
		if (v->approver_conflicts != NULL && v->approver_conflicts[0] != '\0') {
			buf_lit(out, "Declared interests: ");
			buf_html(out, v->approver_conflicts);
		} else
			buf_lit(out, "No statement of interests is on record for this reviewer.");
		return 0;
	}
	return -1;
}

static int
article_imported_fill(struct buf *out, enum tmpl_article_imported_hole hole, void *arg)
{
	struct article_ctx *a = arg;
	struct article_view *v = &a->v;

	switch (hole) {
	case TH_ARTICLE_IMPORTED_HOW:
		if (v->import_state != NULL && strcmp(v->import_state, "approved") == 0)
			buf_lit(out, " as approved");
		return 0;
	case TH_ARTICLE_IMPORTED_SOURCE:
		buf_html(out, v->import_source);
		return 0;
	case TH_ARTICLE_IMPORTED_SOURCE_LINK:
		if (v->import_url != NULL && (strncmp(v->import_url, "https://", 8) == 0 ||
		    strncmp(v->import_url, "http://", 7) == 0)) {
			a->link_href = v->import_url;
			return tmpl_render_article_import_link(out, article_import_link_fill, a);
		}
		return 0;
	case TH_ARTICLE_IMPORTED_IMPORTED_BY:
		buf_html(out, v->imported_by);
		return 0;
	case TH_ARTICLE_IMPORTED_IMPORTED_AT:
		page_write_time(out, v->imported_at, 0);
		return 0;
	case TH_ARTICLE_IMPORTED_IMPORTED_HUMAN:
		page_write_time(out, v->imported_at, 1);
		return 0;
	case TH_ARTICLE_IMPORTED_NOBODY:
		if (imported_unreviewed(v))
			buf_lit(out, " No one at evqa has reviewed or approved it; the Medical Advisory Board "
			    "has not checked it.");
		return 0;
	}
	return -1;
}

static int
article_update_note_fill(struct buf *out, enum tmpl_article_update_note_hole hole, void *arg)
{
	struct article_ctx *a = arg;
	struct article_view *v = &a->v;

	switch (hole) {
	case TH_ARTICLE_UPDATE_NOTE_LATEST:
		buf_int(out, v->latest_number);
		return 0;
	case TH_ARTICLE_UPDATE_NOTE_REVISION:
		buf_int(out, v->rev_number);
		return 0;
	}
	return -1;
}

static int
article_overdue_fill(struct buf *out, enum tmpl_article_overdue_hole hole, void *arg)
{
	struct article_ctx *a = arg;
	struct article_view *v = &a->v;

	switch (hole) {
	case TH_ARTICLE_OVERDUE_REVIEW_BY:
		page_write_time(out, v->review_by, 0);
		return 0;
	case TH_ARTICLE_OVERDUE_REVIEW_HUMAN:
		page_write_time(out, v->review_by, 1);
		return 0;
	}
	return -1;
}

static int
article_fill(struct buf *out, enum tmpl_article_hole hole, void *arg)
{
	struct article_ctx *a = arg;
	struct article_view *v = &a->v;

	switch (hole) {
	case TH_ARTICLE_QUESTION:
		buf_html(out, v->question);
		return 0;
	case TH_ARTICLE_VERSION_BANNER:
		if (a->current != NULL)
			return versions_write_banner(out, a->r, v, a->current);
		return 0;
	case TH_ARTICLE_ADVISORY:
		/* only where a person approved the revision shown */
		if (v->state == STATE_APPROVED && v->approver != NULL)
			return tmpl_render_article_advisory(out);
		return 0;
	case TH_ARTICLE_CAUTION:
		if (v->state != STATE_APPROVED)
			return tmpl_render_caution(out);
		return 0;
	case TH_ARTICLE_STANDING: {
		char	 now[21];

		time_now_iso(now);
		for (int i = 0; i < v->nrefs; i++)
			if (v->refs[i].notice_nature != NULL) {
				if (tmpl_render_article_retraction_note(out, article_retraction_note_fill, &v->refs[i]) == -1)
					return -1;
				break;
			}
		if (v->state == STATE_APPROVED && v->approver != NULL &&
		    tmpl_render_article_approved(out, article_approved_fill, a) == -1)
			return -1;
		if (v->imported_at != NULL && v->approver == NULL &&
		    tmpl_render_article_imported(out, article_imported_fill, a) == -1)
			return -1;
		if (a->current != NULL)	/* a version page: the banner says where it stands */
			return 0;
		if (v->state == STATE_APPROVED && v->latest_number > v->rev_number &&
		    tmpl_render_article_update_note(out, article_update_note_fill, a) == -1)
			return -1;
		/* a cached page is kept only until its review-by date (page_cache_get) */
		if (content_review_overdue(v, now))
			return tmpl_render_article_overdue(out, article_overdue_fill, a);
		return 0;
	}
	case TH_ARTICLE_STEPS:
		for (a->i = 0; a->i < STATE_STEPS; a->i++)
			if (tmpl_render_step_item(out, step_item_fill, a) == -1)
				return -1;
		return 0;
	case TH_ARTICLE_UPDATED_ISO:
		page_write_time(out, v->created_at, 0);
		return 0;
	case TH_ARTICLE_UPDATED_HUMAN:
		page_write_time(out, v->created_at, 1);
		return 0;
	case TH_ARTICLE_AUTHOR:
		buf_html(out, v->author);
		return 0;
	case TH_ARTICLE_REVISION:
		buf_int(out, v->rev_number);
		return 0;
	case TH_ARTICLE_ACTION:
		buf_lit(out, "/articles/");
		buf_int(out, v->id);
		buf_lit(out, "/");
		buf_html(out, v->slug);
		if (a->current != NULL) {
			buf_lit(out, "/v/");
			buf_int(out, v->rev_number);
		}
		return 0;
	case TH_ARTICLE_AUDIENCE_OPTIONS:
		for (a->i = 0; a->i < AUD__MAX; a->i++)
			if (tmpl_render_audience_option(out, audience_option_fill, a) == -1)
				return -1;
		return 0;
	case TH_ARTICLE_AUDIENCE_NOTE:
		if (v->wording != v->audience)
			return tmpl_render_audience_note(out, audience_note_fill, a);
		return 0;
	case TH_ARTICLE_BOTTOM_LINE:
		/* trusted: rendered by render_text() from Markdown in safe mode when it was saved */
		buf_trusted(out, v->bottom_html, strlen(v->bottom_html));
		return 0;
	case TH_ARTICLE_TOC:
		return toc_write(out, v->html);
	case TH_ARTICLE_BODY:
		/* trusted: rendered by render_text() from Markdown in safe mode when it was saved */
		buf_trusted(out, v->html, strlen(v->html));
		return 0;
	case TH_ARTICLE_REFERENCES:
		a->counts = v->cite_counts;
		for (a->i = 0; a->i < v->nrefs; a->i++)
			if (tmpl_render_ref_item(out, ref_item_fill, a) == -1)
				return -1;
		return 0;
	case TH_ARTICLE_CITE:
		return cite_write_block(out, a->r, v);
	case TH_ARTICLE_VERSIONS:
		return versions_write_list(out, a->r, v, a->current != NULL ? v->rev_number : 0);
	case TH_ARTICLE_RELATED:
		return related_write(out, a->r, v);
	case TH_ARTICLE_DISCLAIMER:
		/* the same limits in each reader's words */
		if (v->audience == &audiences[AUD_PATIENT])
			return tmpl_render_disclaimer_patient(out);
		return tmpl_render_disclaimer_professional(out);
	case TH_ARTICLE_ARTICLE_ID:
		buf_int(out, v->id);
		return 0;
	case TH_ARTICLE_AUDIENCE_CODE:
		buf_html(out, v->audience->code);
		return 0;
	}
	return -1;
}

/* The audience a request asks for: the query, else the cookie, else none (clinician). */
static const struct audience *
asked_audience(const struct req *r)
{
	if (r->fields[KEY_AUDIENCE].present)
		return audience_find(r->fields[KEY_AUDIENCE].str);
	return audience_find(r->cookie_audience);
}

/* A redirect to the article's canonical address, keeping the validated query. */
static int
redirect_canonical(struct req *r, long long id, const char *slug)
{
	return page_redirect_article(r, id, slug, NULL, 0);
}

int
page_redirect_article(struct req *r, long long id, const char *slug, const char *suffix, int n)
{
	struct buf loc = BUF_INIT;
	int	 rc;

	buf_lit(&loc, "/articles/");
	buf_int(&loc, id);
	buf_lit(&loc, "/");
	buf_url(&loc, slug);
	if (suffix != NULL)
		buf_url_path(&loc, suffix);
	if (n > 0)
		buf_int(&loc, n);
	if (r->fields[KEY_AUDIENCE].present) {
		buf_lit(&loc, "?audience=");
		buf_url(&loc, r->fields[KEY_AUDIENCE].str);
	}
	rc = loc.err ? 500 : 301;
	if (rc == 301)
		req_location(r, loc.p);
	buf_free(&loc);
	return rc;
}

/* One rendered article, the same for every reader of its audience: the page's main part, and once
 * a request has needed them, the whole page (in the layout) and its gzip compression. */
struct cached_page {
	long long	 id;		/* 0: empty slot */
	int		 audience;	/* index into audiences[] of the audience asked for */
	char		*origin;	/* the site origin its absolute addresses use */
	char		*description;	/* for the head: the bottom line, shortened */
	char		*head;		/* for the head: the JSON-LD */
	char		*slug;
	char		*title;
	char		*html;		/* main part */
	size_t		 len;
	char		*page;		/* the whole reply body, or NULL */
	size_t		 page_len;
	char		*gz;		/* page, gzip-compressed, or NULL */
	size_t		 gz_len;
	char		 until[21];	/* its review-by date when that is ahead (the page then changes), or "" */
};

#define PAGE_CACHE_SLOTS	64

struct page_cache {
	unsigned long long version;	/* db_version() the pages were rendered at */
	struct cached_page page[PAGE_CACHE_SLOTS];
	unsigned int	 next;		/* slot to reuse next */
};

struct page_cache *
page_cache_new(void)
{
	return calloc(1, sizeof(struct page_cache));
}

static void
cached_page_clear(struct cached_page *p)
{
	free(p->origin);
	free(p->description);
	free(p->head);
	free(p->slug);
	free(p->title);
	free(p->html);
	free(p->page);
	free(p->gz);
	memset(p, 0, sizeof(*p));
}

void
page_cache_free(struct page_cache *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < PAGE_CACHE_SLOTS; i++)
		cached_page_clear(&c->page[i]);
	free(c);
}

/* The cached page for (id, audience), after dropping every page when the database changed; none once
 * the page's review-by date has passed (the page now says the review is overdue). */
static struct cached_page *
page_cache_get(struct req *r, long long id, int audience)
{
	struct page_cache *c = r->cache;
	unsigned long long v;
	const char *origin;
	char	 now[21];

	if (c == NULL)
		return NULL;
	if ((v = db_version(r->db)) == 0 || v != c->version) {
		for (int i = 0; i < PAGE_CACHE_SLOTS; i++)
			cached_page_clear(&c->page[i]);
		c->version = v;
		return NULL;
	}
	origin = guard_site_origin(r);
	time_now_iso(now);
	for (int i = 0; i < PAGE_CACHE_SLOTS; i++)
		if (c->page[i].id == id && c->page[i].audience == audience && strcmp(c->page[i].origin, origin) == 0) {
			if (c->page[i].until[0] == '\0' || strcmp(now, c->page[i].until) < 0)
				return &c->page[i];
			cached_page_clear(&c->page[i]);	/* its review fell due: the page is built again */
			return NULL;
		}
	return NULL;
}

/* The bottom line as plain text, at most about 160 bytes, cut at a word (malloc'd; NULL when out of
 * memory). */
static char *
article_description(const struct article_view *v)
{
	json_t	*doc = v->doc_json ? json_loads(v->doc_json, 0, NULL) : NULL;
	const char *t = json_string_value(json_object_get(json_object_get(doc, "bottom_line"), "text"));
	char	 d[200];
	size_t	 n;

	snprintf(d, sizeof(d), "%s", t ? t : v->question);
	json_decref(doc);
	if ((n = strlen(d)) > 160) {
		n = 157;
		while (n > 100 && d[n] != ' ')
			n--;
		while (n > 0 && ((unsigned char)d[n] & 0xc0) == 0x80)	/* never inside a UTF-8 character */
			n--;
		snprintf(d + n, sizeof(d) - n, "...");
	}
	return strdup(d);
}

static int
article_jsonld_fill(struct buf *out, enum tmpl_article_jsonld_hole hole, void *arg)
{
	switch (hole) {
	case TH_ARTICLE_JSONLD_JSON:
		/* '<', '>' and '&' only occur inside JSON strings: as \u escapes no markup can start in the
		 * script element (no "<script" or "</script>", whatever the text) */
		for (const char *p = arg; *p != '\0'; p++)
			if (*p == '<')
				buf_lit(out, "\\u003c");
			else if (*p == '>')
				buf_lit(out, "\\u003e");
			else if (*p == '&')
				buf_lit(out, "\\u0026");
			else
				buf_putc(out, *p);
		return 0;
	}
	return -1;
}

/* The article's JSON-LD (schema.org MedicalWebPage): lastReviewed and reviewedBy only where a person
 * approved the revision shown. malloc'd, or NULL when out of memory. */
static char *
article_head(struct req *r, const struct article_view *v)
{
	char	 url[400], *js;
	json_t	*j;
	struct buf b = BUF_INIT;

	snprintf(url, sizeof(url), "%s/articles/%lld/%s", guard_site_origin(r), v->id, v->slug);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "@context", "https://schema.org",
	    "@type", "MedicalWebPage", "name", v->question, "url", url, "dateModified", v->created_at,
	    "inLanguage", "en", "isPartOf", "@type", "WebSite", "name", "evqa");
	if (j != NULL && v->state == STATE_APPROVED && v->approver != NULL) {
		json_object_set_new(j, "lastReviewed", json_string(v->approved_at ? v->approved_at : v->state_at));
		json_object_set_new(j, "reviewedBy", json_pack("{s:s, s:s, s:s?}", "@type", "Person", "name",
		    v->approver, "honorificSuffix", v->approver_credential && v->approver_credential[0] ?
		    v->approver_credential : NULL));
	}
	js = j ? json_dumps(j, JSON_COMPACT | JSON_ESCAPE_SLASH) : NULL;
	json_decref(j);
	if (js == NULL || tmpl_render_article_jsonld(&b, article_jsonld_fill, js) == -1) {
		free(js);
		buf_free(&b);
		return NULL;
	}
	free(js);
	return buf_steal(&b);
}

/* Renders article id for the asked audience into a cache slot (or, without a cache, into tmp). */
static int
page_article_render(struct req *r, const struct audience *asked, struct cached_page *tmp,
    struct cached_page **out)
{
	struct article_ctx a = { .r = r };
	struct buf b = BUF_INIT;
	struct cached_page *p = tmp;
	const char *due;
	char	 now[21];
	int	 rc;

	if ((rc = req_outcome(r, content_article(&r->dom, r->id, asked,
	    CONTENT_HTML | CONTENT_REFS | CONTENT_DOC, &a.v))) != 200)
		return rc;
	if (tmpl_render_article(&b, article_fill, &a) == -1) {
		buf_free(&b);
		return req_fail(r, 500, "This article could not be shown.");
	}
	if (r->cache != NULL && r->cache->version != 0) {
		p = &r->cache->page[r->cache->next];
		r->cache->next = (r->cache->next + 1) % PAGE_CACHE_SLOTS;
		cached_page_clear(p);
	}
	p->id = a.v.id;
	p->audience = (int)(a.v.audience - audiences);
	time_now_iso(now);
	due = content_review_due(&a.v, now);
	snprintf(p->until, sizeof(p->until), "%s", due != NULL ? due : "");
	p->slug = strdup(a.v.slug);
	p->origin = strdup(guard_site_origin(r));
	p->title = strdup(a.v.question);
	p->description = article_description(&a.v);
	p->head = article_head(r, &a.v);
	p->len = b.len;
	p->html = buf_steal(&b);
	if (p->slug == NULL || p->origin == NULL || p->title == NULL || p->html == NULL || p->description == NULL ||
	    p->head == NULL) {
		cached_page_clear(p);
		return 500;
	}
	*out = p;
	return 200;
}

/* The layout's main part from a cached page (arg). */
static int
cached_main(struct buf *out, void *arg)
{
	const struct cached_page *p = arg;

	/* trusted: the article template, filled through the escaping writers when it was cached */
	buf_trusted(out, p->html, p->len);
	return 0;
}

int
page_article(struct req *r)
{
	const struct audience *asked = asked_audience(r);
	struct cached_page tmp = { 0 }, *p;
	struct page_layout l = { .main = cached_main };
	int	 rc = 200;

	if (asked == NULL)
		asked = &audiences[AUD_CLINICIAN];
	if ((p = page_cache_get(r, r->id, (int)(asked - audiences))) == NULL &&
	    (rc = page_article_render(r, asked, &tmp, &p)) != 200)
		goto out;
	if (r->slug == NULL || strcmp(r->slug, p->slug) != 0) {
		rc = redirect_canonical(r, p->id, p->slug);
		goto out;
	}
	/* the cookie only when the reader changes audience: every other reply is shared (ROUTE_PUBLIC) */
	if (guard_audience_changes(r))
		guard_set_cookie(r, "evqa_audience", asked->code, PAGE_COOKIE_YEAR);
	if (p->page == NULL) {
		l.arg = p;
		l.title = p->title;
		l.description = p->description;
		l.head = p->head;
		if ((rc = page_render_layout(r, &l)) != 200 || r->body.err)
			goto out;
		if (p != &tmp && (p->page = malloc(r->body.len)) != NULL) {
			memcpy(p->page, r->body.p, r->body.len);
			p->page_len = r->body.len;
		}
	} else {
		r->content_type = PAGE_HTML_TYPE;
		/* trusted: the whole page, built through the escaping writers when it was cached */
		buf_trusted(&r->body, p->page, p->page_len);
	}
	/* compressed once per cached page, not per request */
	if (gzip_wanted(r) && p != &tmp && p->page != NULL) {
		if (p->gz == NULL && gzip_compress(p->page, p->page_len, &p->gz, &p->gz_len) == -1)
			p->gz = NULL;
		if (p->gz != NULL) {
			buf_reset(&r->body);
			/* trusted: the cached page's gzip bytes */
			buf_trusted(&r->body, p->gz, p->gz_len);
			r->body_gzip = 1;
		}
	}
out:
	cached_page_clear(&tmp);
	return rc;
}

int
page_version_render(struct req *r, const struct article_view *cur, long long rev_id)
{
	const struct audience *aud = asked_audience(r);
	struct article_ctx a = { .r = r, .current = cur };
	struct buf b = BUF_INIT;
	struct cached_page p = { 0 };
	struct page_layout l = { .main = cached_main, .arg = &p };
	int	 rc;

	if ((rc = req_outcome(r, content_revision(&r->dom, rev_id, aud, CONTENT_HTML | CONTENT_REFS,
	    &a.v))) != 200)
		return rc;
	if (tmpl_render_article(&b, article_fill, &a) == -1 || b.err) {
		buf_free(&b);
		return req_fail(r, 500, "This version could not be shown.");
	}
	if (r->fields[KEY_AUDIENCE].present && aud != NULL)
		guard_set_cookie(r, "evqa_audience", aud->code, PAGE_COOKIE_YEAR);
	p.len = b.len;
	p.html = buf_steal(&b);
	if (p.html == NULL)
		return 500;
	l.title = a.v.question;
	r->vary |= VARY_COOKIE;
	req_cache(r, CACHE_NO_CACHE);
	rc = page_render_layout(r, &l);
	free(p.html);
	return rc;
}

int
page_article_preview(struct req *r, const struct article_view *v, struct buf *out)
{
	struct article_ctx a = { .r = r, .v = *v };

	return tmpl_render_article(out, article_fill, &a);
}

int
page_article_redirect(struct req *r)
{
	struct article_view v;
	int	 rc;

	if ((rc = req_outcome(r, content_article(&r->dom, r->id, NULL, 0, &v))) != 200)
		return rc;
	return redirect_canonical(r, v.id, v.slug);
}

