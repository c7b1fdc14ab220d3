/* page_cite.c: the download route of citation files (/articles/{id}/{slug}/citation, and the same
 * under /v/{n}) and the article page's "Cite this article" block and citation links (route.h; the
 * formats are cite.h's). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cite.h"
#include "guard.h"
#include "links.h"
#include "page.h"
#include "route.h"
#include "tmpl.h"
#include "util.h"
#include "versions.h"

/* Year, month and day of an ISO time "2025-06-02T15:00:00Z" (zeros when it is not one). */
static void
iso_date(const char *iso, int *y, int *m, int *d)
{
	*y = *m = *d = 0;
	if (iso == NULL || sscanf(iso, "%4d-%2d-%2d", y, m, d) != 3 || *m < 1 || *m > 12)
		*y = *m = *d = 0;
}

/* What an article says of the version v readers cite. */
struct cite_ctx {
	struct req	*r;
	const struct article_view *v;
	const char	*permalink;	/* absolute */
	const char	*base;		/* the page's path, for the download links */
	const char	*when;		/* the approval (or, unapproved, the revision's) time */
	struct author	 team;		/* the article's author, as one name */
	char		 version[80];
	int		 approved;
	int		 ref;		/* the reference whose links are written, or 0 */
	int		 f;		/* the format whose link is written */
};

static void
cite_ctx_init(struct cite_ctx *c, struct req *r, const struct article_view *v)
{
	char	 u[400];

	memset(c, 0, sizeof(*c));
	c->r = r;
	c->v = v;
	c->approved = v->state == STATE_APPROVED;
	c->when = c->approved ? (v->approved_at ? v->approved_at : v->state_at) : v->created_at;
	link_article(u, sizeof(u), v->id, v->slug, c->approved ? v->rev_number : 0, NULL);
	c->base = req_strdup(r, u);
	snprintf(u, sizeof(u), "%s%s", guard_site_origin(r), c->base ? c->base : "");
	c->permalink = req_strdup(r, u);
	c->team.literal = v->author;
	snprintf(c->version, sizeof(c->version), "revision %d", v->rev_number);
}

/* The article itself as a work. */
static void
cite_work_article(struct cite_work *w, struct cite_ctx *c, char *key)
{
	time_t	 now = time_now();
	struct tm tm;

	memset(w, 0, sizeof(*w));
	snprintf(key, 32, "evqa%lld-r%d", c->v->id, c->v->rev_number);
	w->key = key;
	w->type = WORK_WEBPAGE;
	w->title = c->v->question;
	w->container = "evqa";
	w->authors = &c->team;
	w->nauthors = 1;
	iso_date(c->when, &w->year, &w->month, &w->day);
	w->version = c->version;
	w->url = c->permalink;
	gmtime_r(&now, &tm);
	w->accessed[0] = tm.tm_year + 1900;
	w->accessed[1] = tm.tm_mon + 1;
	w->accessed[2] = tm.tm_mday;
}

/* ---- GET /articles/{id}/{slug}[/v/{n}]/citation?format=F[&ref=N|all] ---- */

int
page_citation(struct req *r)
{
	struct article_view cur, v;
	struct cite_ctx c;
	struct cite_work *w;
	char	(*keys)[32], disp[120];
	long long rev_id;
	int	 rc, n = 0, ref = r->fields[KEY_REF].present ? (int)r->fields[KEY_REF].num : -1;
	enum cite_format f;

	if (!r->fields[KEY_FORMAT].present)
		return req_field_error(r, "format", "is required: ris, bibtex or csl-json.");
	f = (enum cite_format)r->fields[KEY_FORMAT].num;
	if ((rc = req_outcome(r, content_article(&r->dom, r->id, NULL, r->num > 0 ? 0 : CONTENT_REFS,
	    &cur))) != 200)
		return rc;
	if (r->num > 0) {
		if ((rc = req_outcome(r, versions_find(&r->dom, cur.id, r->num, &rev_id))) != 200 ||
		    (rc = req_outcome(r, content_revision(&r->dom, rev_id, NULL, CONTENT_REFS, &v))) != 200)
			return rc;
	} else
		v = cur;
	if (r->slug == NULL || strcmp(r->slug, v.slug) != 0)
		return req_fail(r, 404, "This article's address is /articles/%lld/%s.", v.id, v.slug);
	w = req_alloc(r, (size_t)(v.nrefs + 1) * sizeof(*w));
	keys = req_alloc(r, (size_t)(v.nrefs + 1) * sizeof(*keys));
	if (w == NULL || keys == NULL)
		return 500;
	cite_ctx_init(&c, r, &v);
	if (ref < 0)
		cite_work_article(&w[n++], &c, keys[0]);
	for (int i = 0; ref >= 0 && i < v.nrefs; i++)
		if (ref == 0 || v.refs[i].num == ref) {
			cite_work_reference(&w[n], v.id, &v.refs[i], keys[n]);
			n++;
		}
	if (n == 0)
		return req_field_error(r, "ref", "names no reference of this article; it has %d.", v.nrefs);
	if (cite_write(&r->body, f, w, n) == -1)
		return 500;
	r->content_type = cite_formats[f].media_type;
	if (ref < 0)
		snprintf(disp, sizeof(disp), "attachment; filename=\"evqa-%lld-r%d.%s\"", v.id, v.rev_number,
		    cite_formats[f].ext);
	else if (ref == 0)
		snprintf(disp, sizeof(disp), "attachment; filename=\"evqa-%lld-r%d-references.%s\"", v.id,
		    v.rev_number, cite_formats[f].ext);
	else
		snprintf(disp, sizeof(disp), "attachment; filename=\"evqa-%lld-r%d-ref%d.%s\"", v.id,
		    v.rev_number, ref, cite_formats[f].ext);
	req_header(r, "Content-Disposition", req_strdup(r, disp));
	req_cache(r, CACHE_NO_CACHE);
	return 200;
}

/* ---- the article page ---- */

static int
cite_link_fill(struct buf *out, enum tmpl_cite_link_hole hole, void *arg)
{
	struct cite_ctx *c = arg;

	switch (hole) {
	case TH_CITE_LINK_HREF:
		buf_html(out, c->base);
		buf_lit(out, "/citation?format=");
		buf_html(out, cite_formats[c->f].name);
		if (c->ref == -1)
			buf_lit(out, "&amp;ref=all");
		else if (c->ref > 0) {
			buf_lit(out, "&amp;ref=");
			buf_int(out, c->ref);
		}
		return 0;
	case TH_CITE_LINK_LABEL:
		buf_html(out, cite_formats[c->f].label);
		return 0;
	case TH_CITE_LINK_WHAT:
		if (c->ref == -1)
			buf_lit(out, " file of all references");
		else if (c->ref > 0) {
			buf_lit(out, " file of reference ");
			buf_int(out, c->ref);
		} else
			buf_lit(out, " file of this article");
		return 0;
	}
	return -1;
}

/* Writes one cite-link per format, for c->ref (0: the article, -1: all references, n: reference n). */
static int
cite_links(struct buf *out, struct cite_ctx *c)
{
	for (c->f = 0; c->f < CITE__MAX; c->f++)
		if (tmpl_render_cite_link(out, cite_link_fill, c) == -1)
			return -1;
	return 0;
}

static int
article_cite_fill(struct buf *out, enum tmpl_article_cite_hole hole, void *arg)
{
	struct cite_ctx *c = arg;

	switch (hole) {
	case TH_ARTICLE_CITE_AUTHOR:
		buf_html(out, c->v->author);
		return 0;
	case TH_ARTICLE_CITE_QUESTION:
		buf_html(out, c->v->question);
		return 0;
	case TH_ARTICLE_CITE_REVISION:
		buf_int(out, c->v->rev_number);
		return 0;
	case TH_ARTICLE_CITE_STATE:
		buf_html(out, c->approved ? "approved" : "not yet approved; last updated");
		return 0;
	case TH_ARTICLE_CITE_ISO:
		page_write_time(out, c->when, 0);
		return 0;
	case TH_ARTICLE_CITE_HUMAN:
		page_write_time(out, c->when, 1);
		return 0;
	case TH_ARTICLE_CITE_PERMALINK:
		buf_html(out, c->permalink);
		return 0;
	case TH_ARTICLE_CITE_LINKS:
		c->ref = 0;
		return cite_links(out, c);
	case TH_ARTICLE_CITE_ALL_LINKS:
		c->ref = -1;
		return cite_links(out, c);
	}
	return -1;
}

static int
ref_cite_fill(struct buf *out, enum tmpl_ref_cite_hole hole, void *arg)
{
	struct cite_ctx *c = arg;

	switch (hole) {
	case TH_REF_CITE_REF:
		buf_int(out, c->ref);
		return 0;
	case TH_REF_CITE_REF_LINKS:
		return cite_links(out, c);
	}
	return -1;
}

int
cite_write_block(struct buf *out, struct req *r, const struct article_view *v)
{
	struct cite_ctx c;

	cite_ctx_init(&c, r, v);
	return tmpl_render_article_cite(out, article_cite_fill, &c);
}

int
cite_write_ref_links(struct buf *out, struct req *r, const struct article_view *v, int num)
{
	struct cite_ctx c;

	cite_ctx_init(&c, r, v);
	c.ref = num;
	return tmpl_render_ref_cite(out, ref_cite_fill, &c);
}
