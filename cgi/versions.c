/* versions.c: approved versions at their own addresses (/articles/{id}/{slug}/v/{n}), the list of them
 * on the article page, and what changed between two of them, as pages and JSON (see versions.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "content.h"
#include "db.h"
#include "diff.h"
#include "log.h"
#include "page.h"
#include "route.h"
#include "tmpl.h"
#include "versions.h"

int
versions_load(struct req *r, long long id, struct version **out)
{
	sqlite3_stmt *s = db_stmt(r->db, STMT_VERSION_LIST);
	struct version *v = NULL;
	int	 n = 0, cap = 0, rc;

	*out = NULL;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((v = arena_grow(&r->arena, v, n, &cap, sizeof(*v))) == NULL) {
			sqlite3_reset(s);
			return -1;
		}
		v[n].rev_id = sqlite3_column_int64(s, 0);
		v[n].number = sqlite3_column_int(s, 1);
		v[n].approved_at = req_strdup(r, db_text(s, 2));
		v[n].approver = req_strdup(r, db_text(s, 3));
		v[n].credential = req_strdup(r, db_text(s, 4));
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		log_warnx("versions of article %lld: %s", id, sqlite3_errmsg(r->db->conn));
		return -1;
	}
	*out = v;
	return n;
}

/* "3, 2 and 1": the numbers of the versions, for messages. */
static void
version_numbers(const struct version *vs, int n, char *out, size_t outsz)
{
	size_t	 l = 0;

	out[0] = '\0';
	for (int i = 0; i < n && l < outsz; i++)
		l += (size_t)snprintf(out + l, outsz - l, "%s%d", i == 0 ? "" : i == n - 1 ? " and " : ", ",
		    vs[i].number);
}

int
versions_find(struct req *r, const struct article_view *cur, int n, long long *rev_id)
{
	struct version *vs;
	int	 nv = versions_load(r, cur->id, &vs);
	char	 nums[200];

	if (nv < 0)
		return 500;
	for (int i = 0; i < nv; i++)
		if (vs[i].number == n) {
			*rev_id = vs[i].rev_id;
			return 200;
		}
	if (nv == 0)
		return req_fail(r, 404, "This article has no approved version yet, so it has no version "
		    "addresses.");
	version_numbers(vs, nv, nums, sizeof(nums));
	return req_fail(r, 404, "Revision %d of this article is not an approved version. Approved "
	    "versions: %s %s.", n, nv == 1 ? "revision" : "revisions", nums);
}

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

	if ((c.nv = versions_load(r, v->id, &c.vs)) < 0)
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
	int	 nv = versions_load(r, v->id, &vs);
	json_t	*a = nv < 0 ? NULL : json_array();
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
	    (rc = versions_find(r, &cur, r->num, &rev_id)) != 200)
		return rc;
	if (r->slug == NULL || strcmp(r->slug, cur.slug) != 0)
		return page_redirect_article(r, cur.id, cur.slug, "/v/", r->num);
	return page_version_render(r, &cur, rev_id);
}

/* ---- what changed between two approved versions ---- */

enum change_part {
	PART_QUESTION,
	PART_BOTTOM,
	PART_BODY,
	PART_REFERENCES,
	PART__MAX
};

static const char *const part_titles[PART__MAX] = {
	[PART_QUESTION] = "Question",
	[PART_BOTTOM] = "Bottom line",
	[PART_BODY] = "Body",
	[PART_REFERENCES] = "References",
};

struct changes {
	struct req	*r;
	struct article_view cur;		/* what readers see now */
	const struct version *newer, *older;
	const struct audience *wording;		/* whose wording is compared */
	struct buf	 html[PART__MAX];	/* the diff of each part that changed */
	int		 changed[PART__MAX];	/* lines changed, -1: too large, shown whole */
	int		 any, too_large, i;
};

/* The parts of one revision as text. */
struct version_text {
	const char	*part[PART__MAX];
};

static int
version_text(struct req *r, long long rev_id, const struct audience *wording, struct version_text *t)
{
	struct article_view v;
	sqlite3_stmt *s;
	struct buf refs = BUF_INIT;
	int	 rc;

	if ((rc = req_outcome(r, content_revision(&r->dom, rev_id, NULL, CONTENT_REFS, &v))) != 200)
		return rc;
	t->part[PART_QUESTION] = v.question;
	s = db_stmt(r->db, STMT_VERSION_TEXT);
	sqlite3_bind_int64(s, 1, rev_id);
	sqlite3_bind_text(s, 2, wording->code, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		t->part[PART_BOTTOM] = req_strdup(r, db_text(s, 1));
		t->part[PART_BODY] = req_strdup(r, db_text(s, 2));
	}
	sqlite3_reset(s);
	/* one line per reference, as the list shows it; the diff escapes it */
	for (int i = 0; i < v.nrefs; i++) {
		const struct reference *f = &v.refs[i];

		buf_printf(&refs, "%d. ", f->num);
		/* trusted: a label from content.c's table */
		buf_trusted(&refs, reference_kind_label(f->kind), strlen(reference_kind_label(f->kind)));
		buf_lit(&refs, ": ");
		/* trusted: plain text that diff_html() escapes */
		buf_trusted(&refs, f->title, strlen(f->title));
		if (f->source != NULL) {
			buf_lit(&refs, ". ");
			/* trusted: as above */
			buf_trusted(&refs, f->source, strlen(f->source));
		}
		if (f->year)
			buf_printf(&refs, ", %lld", f->year);
		if (f->pmid != NULL) {
			buf_lit(&refs, ". PubMed ");
			/* trusted: as above */
			buf_trusted(&refs, f->pmid, strlen(f->pmid));
		}
		if (f->doi != NULL) {
			buf_lit(&refs, ". DOI ");
			/* trusted: as above */
			buf_trusted(&refs, f->doi, strlen(f->doi));
		}
		if (f->url != NULL) {
			buf_lit(&refs, ". ");
			/* trusted: as above */
			buf_trusted(&refs, f->url, strlen(f->url));
		}
		buf_lit(&refs, "\n");
	}
	t->part[PART_REFERENCES] = refs.err ? NULL : req_strdup(r, refs.p ? refs.p : "");
	buf_free(&refs);
	for (int i = 0; i < PART__MAX; i++)
		if (t->part[i] == NULL)
			return req_fail(r, 500, "A version of this article could not be read.");
	return 200;
}

/* The audience a request asks for: the query, else the cookie, else the clinician. */
static const struct audience *
asked(const struct req *r)
{
	const struct audience *a = r->fields[KEY_AUDIENCE].present ? audience_find(r->fields[KEY_AUDIENCE].str) :
	    audience_find(r->cookie_audience);

	return a ? a : &audiences[AUD_CLINICIAN];
}

/* Compares the versions rev and against (or the newest approved and the one before it) of article
 * r->id into ch. Returns 200, or 301 (the slug), 400 (field rev or against), 404, 500. */
static int
changes_compute(struct req *r, struct changes *ch)
{
	struct version *vs;
	struct version_text ta, tb;
	struct article_view va, vb;
	const struct audience *want = asked(r);
	size_t	 budget = DIFF_PAGE_CELLS;	/* for all the parts' comparisons together */
	int	 nv, rc, rev, against, ia = -1, ib = -1;
	char	 nums[200];

	memset(ch, 0, sizeof(*ch));
	ch->r = r;
	if ((rc = req_outcome(r, content_article(&r->dom, r->id, NULL, 0, &ch->cur))) != 200)
		return rc;
	if ((nv = versions_load(r, ch->cur.id, &vs)) < 0)
		return 500;
	if (nv < 2)
		return req_fail(r, 404, "This article has %s approved version; there is nothing to compare "
		    "yet.", nv == 0 ? "no" : "only one");
	version_numbers(vs, nv, nums, sizeof(nums));
	rev = r->fields[KEY_REV].present ? (int)r->fields[KEY_REV].num : vs[0].number;
	for (int i = 0; i < nv; i++)
		if (vs[i].number == rev)
			ib = i;
	if (ib < 0)
		return req_field_error(r, "rev", "names no approved version of this article; its approved "
		    "versions are revisions %s.", nums);
	if (r->fields[KEY_AGAINST].present) {
		against = (int)r->fields[KEY_AGAINST].num;
		for (int i = 0; i < nv; i++)
			if (vs[i].number == against)
				ia = i;
		if (ia < 0)
			return req_field_error(r, "against", "names no approved version of this article; its "
			    "approved versions are revisions %s.", nums);
	} else if ((ia = ib + 1) >= nv)
		return req_field_error(r, "rev", "names the first approved version; give against= to compare "
		    "it with a later one.");
	if (ia == ib)
		return req_field_error(r, "against", "names the same version as rev.");
	/* older against newer, whichever order they were asked in */
	ch->newer = &vs[ia < ib ? ia : ib];
	ch->older = &vs[ia < ib ? ib : ia];
	if ((rc = req_outcome(r, content_revision(&r->dom, ch->older->rev_id, NULL, 0, &va))) != 200 ||
	    (rc = req_outcome(r, content_revision(&r->dom, ch->newer->rev_id, NULL, 0, &vb))) != 200)
		return rc;
	/* the asked wording when both versions have it, else the clinician wording of both */
	ch->wording = (va.has_audience & vb.has_audience & (1u << (want - audiences))) ? want :
	    &audiences[AUD_CLINICIAN];
	if ((rc = version_text(r, ch->older->rev_id, ch->wording, &ta)) != 200 ||
	    (rc = version_text(r, ch->newer->rev_id, ch->wording, &tb)) != 200)
		return rc;
	for (int i = 0; i < PART__MAX; i++) {
		if (strcmp(ta.part[i], tb.part[i]) == 0)
			continue;
		ch->any = 1;
		if ((ch->changed[i] = diff_html(&ch->html[i], ta.part[i], tb.part[i], &budget)) < 0)
			ch->too_large = 1;
		if (ch->html[i].err)
			return 500;
	}
	if (r->slug != NULL && strcmp(r->slug, ch->cur.slug) != 0)
		return 301;
	return 200;
}

static void
changes_free(struct changes *ch)
{
	for (int i = 0; i < PART__MAX; i++)
		buf_free(&ch->html[i]);
}

static int
editor_diff_section_fill(struct buf *out, enum tmpl_editor_diff_section_hole hole, void *arg)
{
	struct changes *ch = arg;

	switch (hole) {
	case TH_EDITOR_DIFF_SECTION_TITLE:
		buf_html(out, part_titles[ch->i]);
		return 0;
	case TH_EDITOR_DIFF_SECTION_DIFF:
		/* trusted: diff_html() escaped every byte of the texts it compared */
		buf_trusted(out, ch->html[ch->i].p, ch->html[ch->i].len);
		return 0;
	}
	return -1;
}

static int
article_changes_fill(struct buf *out, enum tmpl_article_changes_hole hole, void *arg)
{
	struct changes *ch = arg;
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
		buf_html(out, article_url(ch->r, cur, "/v/", ch->newer->number));
		return 0;
	case TH_ARTICLE_CHANGES_AGAINST_URL:
		buf_html(out, article_url(ch->r, cur, "/v/", ch->older->number));
		return 0;
	case TH_ARTICLE_CHANGES_ARTICLE_URL:
		buf_html(out, article_url(ch->r, cur, "", 0));
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
		for (ch->i = 0; ch->i < PART__MAX; ch->i++)
			if (ch->html[ch->i].len > 0 &&
			    tmpl_render_editor_diff_section(out, editor_diff_section_fill, ch) == -1)
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
	struct changes ch;
	char	 title[400];
	int	 rc = changes_compute(r, &ch);

	if (rc == 301)
		rc = page_redirect_article(r, ch.cur.id, ch.cur.slug, "/changes", 0);
	else if (rc == 200) {
		snprintf(title, sizeof(title), "What changed: %s", ch.cur.question);
		rc = page_render(r, req_strdup(r, title), changes_main, &ch);
	}
	changes_free(&ch);
	return rc;
}

int
api_article_changes(struct req *r)
{
	struct changes ch;
	json_t	*j = NULL, *parts;
	int	 rc = changes_compute(r, &ch);

	if (rc != 200)
		goto out;
	parts = json_array();
	for (int i = 0; i < PART__MAX; i++)
		if (ch.html[i].len > 0)
			json_array_append_new(parts, json_pack("{s:s, s:i, s:s}", "part", part_titles[i],
			    "changed_lines", ch.changed[i], "html", ch.html[i].p));
	j = json_pack("{s:I, s:i, s:i, s:s, s:b, s:s, s:o}", "id", (json_int_t)ch.cur.id,
	    "revision", ch.newer->number, "against", ch.older->number, "wording", ch.wording->code,
	    "too_large", ch.too_large, "url", changes_url(r, article_url(r, &ch.cur, "/changes", 0),
	    ch.newer->number, ch.older->number), "parts", parts);
	rc = api_reply_steal(r, j, 200, CACHE_NO_CACHE);
out:
	changes_free(&ch);
	return rc;
}
