/* cite.c: RIS, BibTeX and CSL-JSON files for an article and its references, the download route
 * (/articles/{id}/{slug}/citation, and the same under /v/{n}), and the article page's "Cite this
 * article" block and citation links (see cite.h).
 *
 * Written here: the three formats are line-based text (RIS, BibTeX) and JSON (CSL, through jansson);
 * no Debian library writes them from C. Every field was checked as plain text (no control characters)
 * when it was saved, so no field can break a RIS line; BibTeX's special characters are escaped. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cite.h"
#include "db.h"
#include "guard.h"
#include "links.h"
#include "log.h"
#include "page.h"
#include "render.h"
#include "route.h"
#include "tmpl.h"
#include "util.h"
#include "versions.h"

static const struct { const char *ris, *bibtex, *csl; } work_types[WORK__MAX] = {
	[WORK_JOURNAL] = { "JOUR", "article", "article-journal" },
	[WORK_REPORT] = { "RPRT", "misc", "report" },
	[WORK_WEBPAGE] = { "ELEC", "misc", "webpage" },
};

static const char *const months[12] = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
	"oct", "nov", "dec" };

/* ---- RIS ---- */

static void
ris_line(struct buf *b, const char *tag, const char *v)
{
	if (v == NULL || v[0] == '\0')
		return;
	/* trusted: a tag from the calls below; a RIS file is not markup */
	buf_trusted(b, tag, strlen(tag));
	buf_lit(b, "  - ");
	/* trusted: plain text without line breaks (checked when saved) in a RIS file, not markup */
	buf_trusted(b, v, strlen(v));
	buf_lit(b, "\r\n");
}

static void
ris_work(struct buf *b, const struct cite_work *w)
{
	char	 t[400];

	ris_line(b, "TY", work_types[w->type].ris);
	for (int i = 0; i < w->nauthors; i++) {
		const struct author *a = &w->authors[i];

		if (a->literal != NULL)
			ris_line(b, "AU", a->literal);
		else {
			snprintf(t, sizeof(t), "%s%s%s", a->family, a->given ? ", " : "", a->given ? a->given : "");
			ris_line(b, "AU", t);
		}
	}
	ris_line(b, "TI", w->title);
	ris_line(b, w->type == WORK_JOURNAL ? "JF" : "T2", w->container);
	if (w->year) {
		snprintf(t, sizeof(t), "%d", w->year);
		ris_line(b, "PY", t);
	}
	if (w->year && w->month) {
		snprintf(t, sizeof(t), "%04d/%02d/%02d/", w->year, w->month, w->day);
		ris_line(b, "DA", t);
	}
	ris_line(b, "ET", w->version);
	ris_line(b, "DO", w->doi);
	if (w->pmid != NULL) {
		snprintf(t, sizeof(t), "PMID: %s", w->pmid);
		ris_line(b, "N1", t);
	}
	ris_line(b, "UR", w->url);
	if (w->accessed[0]) {
		snprintf(t, sizeof(t), "%04d/%02d/%02d/", w->accessed[0], w->accessed[1], w->accessed[2]);
		ris_line(b, "Y2", t);
	}
	buf_lit(b, "ER  - \r\n\r\n");
}

/* ---- BibTeX ---- */

/* Text in a braced field: the characters TeX treats specially are escaped. */
static void
bib_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '{': buf_lit(b, "\\{"); break;
		case '}': buf_lit(b, "\\}"); break;
		case '\\': buf_lit(b, "\\textbackslash{}"); break;
		case '~': buf_lit(b, "\\textasciitilde{}"); break;
		case '^': buf_lit(b, "\\textasciicircum{}"); break;
		case '&': case '%': case '$': case '#': case '_':
			buf_putc(b, '\\');
			buf_putc(b, *s);
			break;
		default:
			buf_putc(b, *s);
		}
}

/* An address or a DOI: only what would end the field or start a comment is escaped. */
static void
bib_verbatim(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("{}\\%#", *s) != NULL)
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

static void
bib_field(struct buf *b, const char *name, const char *v, int verbatim)
{
	if (v == NULL || v[0] == '\0')
		return;
	buf_lit(b, "  ");
	/* trusted: a field name from the calls below */
	buf_trusted(b, name, strlen(name));
	buf_lit(b, " = {");
	if (verbatim)
		bib_verbatim(b, v);
	else
		bib_text(b, v);
	buf_lit(b, "},\n");
}

static void
bib_work(struct buf *b, const struct cite_work *w)
{
	char	 t[64];

	buf_lit(b, "@");
	/* trusted: a type from work_types[] and a key evqa made from numbers */
	buf_trusted(b, work_types[w->type].bibtex, strlen(work_types[w->type].bibtex));
	buf_lit(b, "{");
	/* trusted: as above */
	buf_trusted(b, w->key, strlen(w->key));
	buf_lit(b, ",\n");
	if (w->nauthors > 0) {
		buf_lit(b, "  author = {");
		for (int i = 0; i < w->nauthors; i++) {
			const struct author *a = &w->authors[i];

			if (i > 0)
				buf_lit(b, " and ");
			if (a->literal != NULL) {	/* braced: one name, not family and given */
				buf_lit(b, "{");
				bib_text(b, a->literal);
				buf_lit(b, "}");
			} else {
				bib_text(b, a->family);
				if (a->given != NULL) {
					buf_lit(b, ", ");
					bib_text(b, a->given);
				}
			}
		}
		buf_lit(b, "},\n");
	}
	bib_field(b, "title", w->title, 0);
	bib_field(b, w->type == WORK_JOURNAL ? "journal" : "howpublished", w->container, 0);
	if (w->year) {
		snprintf(t, sizeof(t), "%d", w->year);
		bib_field(b, "year", t, 0);
	}
	if (w->month)
		bib_field(b, "month", months[w->month - 1], 0);
	bib_field(b, "edition", w->version, 0);
	bib_field(b, "doi", w->doi, 1);
	bib_field(b, "pmid", w->pmid, 1);
	bib_field(b, "url", w->url, 1);
	if (w->accessed[0]) {
		snprintf(t, sizeof(t), "%04d-%02d-%02d", w->accessed[0], w->accessed[1], w->accessed[2]);
		bib_field(b, "urldate", t, 0);
	}
	buf_lit(b, "}\n\n");
}

/* ---- CSL-JSON ---- */

static json_t *
date_parts(int y, int m, int d)
{
	json_t	*p = json_array();

	json_array_append_new(p, json_integer(y));
	if (m) {
		json_array_append_new(p, json_integer(m));
		if (d)
			json_array_append_new(p, json_integer(d));
	}
	return json_pack("{s:[o]}", "date-parts", p);
}

static json_t *
csl_work(const struct cite_work *w)
{
	json_t	*o = json_pack("{s:s, s:s, s:s}", "id", w->key, "type", work_types[w->type].csl, "title", w->title);
	json_t	*au = json_array();

	if (o == NULL || au == NULL) {
		json_decref(o);
		json_decref(au);
		return NULL;
	}
	for (int i = 0; i < w->nauthors; i++)
		json_array_append_new(au, w->authors[i].literal ? json_pack("{s:s}", "literal", w->authors[i].literal) :
		    json_pack("{s:s, s:s?}", "family", w->authors[i].family, "given", w->authors[i].given));
	if (w->nauthors > 0)
		json_object_set_new(o, "author", au);
	else
		json_decref(au);
	if (w->container)
		json_object_set_new(o, "container-title", json_string(w->container));
	if (w->year)
		json_object_set_new(o, "issued", date_parts(w->year, w->month, w->day));
	if (w->version)
		json_object_set_new(o, "version", json_string(w->version));
	if (w->doi)
		json_object_set_new(o, "DOI", json_string(w->doi));
	if (w->pmid)
		json_object_set_new(o, "PMID", json_string(w->pmid));
	if (w->url)
		json_object_set_new(o, "URL", json_string(w->url));
	if (w->accessed[0])
		json_object_set_new(o, "accessed", date_parts(w->accessed[0], w->accessed[1], w->accessed[2]));
	return o;
}

int
cite_write(struct buf *out, enum cite_format f, const struct cite_work *w, int n)
{
	json_t	*a;
	char	*s;

	switch (f) {
	case CITE_RIS:
		for (int i = 0; i < n; i++)
			ris_work(out, &w[i]);
		break;
	case CITE_BIBTEX:
		for (int i = 0; i < n; i++)
			bib_work(out, &w[i]);
		break;
	case CITE_CSL:
		if ((a = json_array()) == NULL)
			return -1;
		for (int i = 0; i < n; i++)
			json_array_append_new(a, csl_work(&w[i]));
		s = json_dumps(a, JSON_INDENT(2));
		json_decref(a);
		if (s == NULL)
			return -1;
		/* trusted: jansson wrote it */
		buf_trusted(out, s, strlen(s));
		buf_lit(out, "\n");
		free(s);
		break;
	case CITE__MAX:
		return -1;
	}
	return out->err ? -1 : 0;
}

void
cite_work_reference(struct cite_work *w, long long id, const struct reference *ref, char *key)
{
	memset(w, 0, sizeof(*w));
	snprintf(key, 32, "evqa%lld-ref%d", id, ref->num);
	w->key = key;
	w->type = ref->source != NULL ? WORK_JOURNAL : ref->url != NULL && ref->doi == NULL ? WORK_WEBPAGE :
	    WORK_REPORT;
	w->title = ref->title;
	w->container = ref->source;
	w->authors = ref->authors;
	w->nauthors = ref->nauthors;
	w->year = (int)ref->year;
	w->doi = ref->doi;
	w->pmid = ref->pmid;
	w->url = ref->url;
}

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
