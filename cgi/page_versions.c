/* page_versions.c: approved versions at their own addresses (/articles/{id}/{slug}/v/{n}), the list of
 * them on the article page, and what changed between two of them, as pages and JSON (declared in
 * route.h; the versions themselves are versions.h's). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "content.h"
#include "log.h"
#include "page.h"
#include "route.h"
#include "tmpl.h"
#include "versions.h"

/* An address of the article, in the request's memory: "/articles/{id}/{slug}", then suffix, then n
 * when n > 0 ("/v/", 3: a version's page). */
static const char *
article_url(struct req *r, const struct article_view *v, const char *suffix, int n)
{
	char	 u[300];

	if (n > 0)
		snprintf(u, sizeof(u), "/articles/%lld/%s%s%d", v->id, v->slug, suffix, n);
	else
		snprintf(u, sizeof(u), "/articles/%lld/%s%s", v->id, v->slug, suffix);
	return req_strdup(r, u);
}

static const char *
changes_url(struct req *r, const char *base, int rev, int against)
{
	char	 u[300];

	snprintf(u, sizeof(u), "%s?rev=%d&against=%d", base, rev, against);
	return req_strdup(r, u);
}

/* ---- the list on the article page, and the banner of a version page ---- */

struct list_ctx {
	struct req	*r;
	const struct article_view *v;
	const struct article_view *cur;	/* banner: what readers see now */
	struct version	*vs;
	int		 nv, i, reading;
	const char	*url;		/* the link being written */
	const char	*when;		/* the time being written */
};

static int article_version_changes_link_fill(struct buf *, enum tmpl_article_version_changes_link_hole, void *);

static int
article_version_row_fill(struct buf *out, enum tmpl_article_version_row_hole hole, void *arg)
{
	struct list_ctx *c = arg;
	const struct version *ver = c->vs ? &c->vs[c->i] : NULL;

	switch (hole) {
	case TH_ARTICLE_VERSION_ROW_CURRENT:
		if (ver->number == c->reading)
			buf_lit(out, " aria-current=\"page\"");
		return 0;
	case TH_ARTICLE_VERSION_ROW_URL:
		buf_html(out, c->url ? c->url : article_url(c->r, c->v, "/v/", ver->number));
		return 0;
	case TH_ARTICLE_VERSION_ROW_NUMBER:
		buf_int(out, ver->number);
		return 0;
	case TH_ARTICLE_VERSION_ROW_ISO:
		page_write_time(out, c->when ? c->when : ver->approved_at, 0);
		return 0;
	case TH_ARTICLE_VERSION_ROW_HUMAN:
		page_write_time(out, c->when ? c->when : ver->approved_at, 1);
		return 0;
	case TH_ARTICLE_VERSION_ROW_BY:
		if (ver->approver != NULL) {
			buf_lit(out, " by ");
			buf_html(out, ver->approver);
			if (ver->credential != NULL && ver->credential[0] != '\0') {
				buf_lit(out, ", ");
				buf_html(out, ver->credential);
			}
		}
		return 0;
	case TH_ARTICLE_VERSION_ROW_CHANGES:
		if (c->i + 1 < c->nv) {
			c->url = changes_url(c->r, article_url(c->r, c->v, "/changes", 0), ver->number,
			    c->vs[c->i + 1].number);
			if (tmpl_render_article_version_changes_link(out, article_version_changes_link_fill, c) == -1)
				return -1;
			c->url = NULL;
		}
		return 0;
	}
	return -1;
}

static int
article_version_changes_link_fill(struct buf *out, enum tmpl_article_version_changes_link_hole hole, void *arg)
{
	struct list_ctx *c = arg;
	const struct version *ver = c->vs ? &c->vs[c->i] : NULL;

	switch (hole) {
	case TH_ARTICLE_VERSION_CHANGES_LINK_URL:
		buf_html(out, c->url ? c->url : article_url(c->r, c->v, "/v/", ver->number));
		return 0;
	case TH_ARTICLE_VERSION_CHANGES_LINK_AGAINST:
		buf_int(out, c->vs[c->i + 1].number);
		return 0;
	}
	return -1;
}

static int
article_versions_fill(struct buf *out, enum tmpl_article_versions_hole hole, void *arg)
{
	struct list_ctx *c = arg;

	switch (hole) {
	case TH_ARTICLE_VERSIONS_ROWS:
		for (c->i = 0; c->i < c->nv; c->i++)
			if (tmpl_render_article_version_row(out, article_version_row_fill, c) == -1)
				return -1;
		return 0;
	}
	return -1;
}

int
versions_write_list(struct buf *out, struct req *r, const struct article_view *v, int reading)
{
	struct list_ctx c = { .r = r, .v = v, .reading = reading };

	if (req_outcome(r, versions_list(&r->dom, v->id, &c.vs, &c.nv)) != 200)
		return -1;
	if (c.nv == 0)
		return 0;
	return tmpl_render_article_versions(out, article_versions_fill, &c);
}

static int
article_version_older_fill(struct buf *out, enum tmpl_article_version_older_hole hole, void *arg)
{
	struct list_ctx *c = arg;

	switch (hole) {
	case TH_ARTICLE_VERSION_OLDER_CURRENT:
		buf_int(out, c->cur->rev_number);
		return 0;
	case TH_ARTICLE_VERSION_OLDER_URL:
		buf_html(out, article_url(c->r, c->cur, "", 0));
		return 0;
	case TH_ARTICLE_VERSION_OLDER_ISO:
		page_write_time(out, c->when, 0);
		return 0;
	case TH_ARTICLE_VERSION_OLDER_HUMAN:
		page_write_time(out, c->when, 1);
		return 0;
	}
	return -1;
}

static int
article_version_current_fill(struct buf *out, enum tmpl_article_version_current_hole hole, void *arg)
{
	struct list_ctx *c = arg;

	switch (hole) {
	case TH_ARTICLE_VERSION_CURRENT_URL:
		buf_html(out, article_url(c->r, c->cur, "", 0));
		return 0;
	}
	return -1;
}

static int
article_version_banner_fill(struct buf *out, enum tmpl_article_version_banner_hole hole, void *arg)
{
	struct list_ctx *c = arg;

	switch (hole) {
	case TH_ARTICLE_VERSION_BANNER_REVISION:
		buf_int(out, c->v->rev_number);
		return 0;
	case TH_ARTICLE_VERSION_BANNER_ISO:
		page_write_time(out, c->when, 0);
		return 0;
	case TH_ARTICLE_VERSION_BANNER_HUMAN:
		page_write_time(out, c->when, 1);
		return 0;
	case TH_ARTICLE_VERSION_BANNER_NOTE: {
		int	 older = c->v->rev_id != c->cur->rev_id;

		c->when = c->cur->approved_at ? c->cur->approved_at : c->cur->state_at;
		if (older)
			return tmpl_render_article_version_older(out, article_version_older_fill, c);
		return tmpl_render_article_version_current(out, article_version_current_fill, c);
	}
	}
	return -1;
}

int
versions_write_banner(struct buf *out, struct req *r, const struct article_view *v,
    const struct article_view *cur)
{
	struct list_ctx c = { .r = r, .v = v, .cur = cur };

	c.when = v->approved_at ? v->approved_at : v->state_at;
	return tmpl_render_article_version_banner(out, article_version_banner_fill, &c);
}

json_t *
versions_json_new(struct req *r, const struct article_view *v)
{
	struct version *vs;
	int	 nv;
	json_t	*a = req_outcome(r, versions_list(&r->dom, v->id, &vs, &nv)) != 200 ? NULL : json_array();
	char	 api[80], changes[80];

	snprintf(changes, sizeof(changes), "/api/v1/articles/%lld/changes", v->id);
	for (int i = 0; a != NULL && i < nv; i++) {
		json_t	*by = vs[i].approver == NULL ? json_null() : json_pack("{s:s, s:s?}", "name",
		    vs[i].approver, "credential", vs[i].credential);

		snprintf(api, sizeof(api), "/api/v1/articles/%lld/versions/%d", v->id, vs[i].number);
		json_array_append_new(a, json_pack("{s:i, s:s, s:o, s:s, s:s, s:o}", "revision", vs[i].number,
		    "approved_at", vs[i].approved_at, "approved_by", by ? by : json_null(),
		    "url", article_url(r, v, "/v/", vs[i].number), "api_url", api,
		    "changes_api_url", i + 1 < nv ? json_string(changes_url(r, changes, vs[i].number,
		    vs[i + 1].number)) : json_null()));
	}
	return a;
}

/* ---- /articles/{id}/{slug}/v/{n} ---- */

int
page_article_version(struct req *r)
{
	struct article_view cur;
	long long rev_id;
	int	 rc;

	if ((rc = req_outcome(r, content_article(&r->dom, r->id, NULL, 0, &cur))) != 200 ||
	    (rc = req_outcome(r, versions_find(&r->dom, cur.id, r->num, &rev_id))) != 200)
		return rc;
	if (r->slug == NULL || strcmp(r->slug, cur.slug) != 0)
		return page_redirect_article(r, cur.id, cur.slug, "/v/", r->num);
	return page_version_render(r, &cur, rev_id);
}

/* ---- what changed between two approved versions ---- */

/* The changes of article r->id between two approved versions (?rev=, ?against=), and the part being
 * written. */
struct changes_ctx {
	struct req	*r;
	struct changes	 ch;
	int		 i;
};

/* The audience a request asks for: the query, else the cookie, else the clinician. */
static const struct audience *
asked(const struct req *r)
{
	const struct audience *a = r->fields[KEY_AUDIENCE].present ? audience_find(r->fields[KEY_AUDIENCE].str) :
	    audience_find(r->cookie_audience);

	return a ? a : &audiences[AUD_CLINICIAN];
}

/* Compares the versions rev and against (or the newest approved and the one before it) of article
 * r->id into c->ch (versions_changes()). Returns 200, or 301 (the slug), 400 (field rev or against),
 * 404, 500. */
static int
changes_compute(struct req *r, struct changes_ctx *c)
{
	int	 rc;

	c->r = r;
	c->i = 0;
	rc = req_outcome(r, versions_changes(&r->dom, r->id,
	    r->fields[KEY_REV].present ? (int)r->fields[KEY_REV].num : 0,
	    r->fields[KEY_AGAINST].present ? (int)r->fields[KEY_AGAINST].num : 0, asked(r), &c->ch));
	if (rc != 200)
		return rc;
	if (r->slug != NULL && strcmp(r->slug, c->ch.cur.slug) != 0)
		return 301;
	return 200;
}

static int
editor_diff_section_fill(struct buf *out, enum tmpl_editor_diff_section_hole hole, void *arg)
{
	struct changes_ctx *c = arg;

	switch (hole) {
	case TH_EDITOR_DIFF_SECTION_TITLE:
		buf_html(out, versions_part_titles[c->i]);
		return 0;
	case TH_EDITOR_DIFF_SECTION_DIFF:
		/* trusted: diff_html() escaped every byte of the texts it compared */
		buf_trusted(out, c->ch.html[c->i].p, c->ch.html[c->i].len);
		return 0;
	}
	return -1;
}

static int
article_changes_fill(struct buf *out, enum tmpl_article_changes_hole hole, void *arg)
{
	struct changes_ctx *c = arg;
	const struct changes *ch = &c->ch;
	const struct article_view *cur = &ch->cur;

	switch (hole) {
	case TH_ARTICLE_CHANGES_QUESTION:
		buf_html(out, cur->question);
		return 0;
	case TH_ARTICLE_CHANGES_REV:
		buf_int(out, ch->newer->number);
		return 0;
	case TH_ARTICLE_CHANGES_AGAINST:
		buf_int(out, ch->older->number);
		return 0;
	case TH_ARTICLE_CHANGES_REV_URL:
		buf_html(out, article_url(c->r, cur, "/v/", ch->newer->number));
		return 0;
	case TH_ARTICLE_CHANGES_AGAINST_URL:
		buf_html(out, article_url(c->r, cur, "/v/", ch->older->number));
		return 0;
	case TH_ARTICLE_CHANGES_ARTICLE_URL:
		buf_html(out, article_url(c->r, cur, "", 0));
		return 0;
	case TH_ARTICLE_CHANGES_REV_ISO:
	case TH_ARTICLE_CHANGES_REV_HUMAN:
		page_write_time(out, ch->newer->approved_at, hole == TH_ARTICLE_CHANGES_REV_HUMAN);
		return 0;
	case TH_ARTICLE_CHANGES_AGAINST_ISO:
	case TH_ARTICLE_CHANGES_AGAINST_HUMAN:
		page_write_time(out, ch->older->approved_at, hole == TH_ARTICLE_CHANGES_AGAINST_HUMAN);
		return 0;
	case TH_ARTICLE_CHANGES_WORDING:
		buf_html(out, ch->wording->label);
		return 0;
	case TH_ARTICLE_CHANGES_TOO_LARGE:
		if (ch->too_large)
			buf_lit(out, " Some parts changed too much to compare line by line: they are shown "
			    "removed and added whole.");
		return 0;
	case TH_ARTICLE_CHANGES_SECTIONS:
		if (!ch->any)
			return tmpl_render_article_changes_none(out);
		for (c->i = 0; c->i < PART__MAX; c->i++)
			if (ch->html[c->i].len > 0 &&
			    tmpl_render_editor_diff_section(out, editor_diff_section_fill, c) == -1)
				return -1;
		return 0;
	}
	return -1;
}

/* The changes page's main part (page_render()). */
static int
changes_main(struct buf *out, void *arg)
{
	return tmpl_render_article_changes(out, article_changes_fill, arg);
}

int
page_article_changes(struct req *r)
{
	struct changes_ctx c;
	char	 title[400];
	int	 rc = changes_compute(r, &c);

	if (rc == 301)
		rc = page_redirect_article(r, c.ch.cur.id, c.ch.cur.slug, "/changes", 0);
	else if (rc == 200) {
		snprintf(title, sizeof(title), "What changed: %s", c.ch.cur.question);
		rc = page_render(r, req_strdup(r, title), changes_main, &c);
	}
	versions_changes_free(&c.ch);
	return rc;
}

int
api_article_changes(struct req *r)
{
	struct changes_ctx c;
	const struct changes *ch = &c.ch;
	json_t	*j = NULL, *parts;
	int	 rc = changes_compute(r, &c);

	if (rc != 200)
		goto out;
	parts = json_array();
	for (int i = 0; i < PART__MAX; i++)
		if (ch->html[i].len > 0)
			json_array_append_new(parts, json_pack("{s:s, s:i, s:s}", "part", versions_part_titles[i],
			    "changed_lines", ch->changed[i], "html", ch->html[i].p));
	j = json_pack("{s:I, s:i, s:i, s:s, s:b, s:s, s:o}", "id", (json_int_t)ch->cur.id,
	    "revision", ch->newer->number, "against", ch->older->number, "wording", ch->wording->code,
	    "too_large", ch->too_large, "url", changes_url(r, article_url(r, &ch->cur, "/changes", 0),
	    ch->newer->number, ch->older->number), "parts", parts);
	rc = api_reply_steal(r, j, 200, CACHE_NO_CACHE);
out:
	versions_changes_free(&c.ch);
	return rc;
}
