/* site.c: the web's conventions: /robots.txt, /sitemap.xml (approved articles and their versions),
 * /feed.atom ("What's new": approved articles and versions, newest first) and /favicon.ico. The
 * templates sitemap-xml, sitemap-url, feed-atom, feed-entry and robots-txt hold XML and plain text;
 * buf_html() escapes for XML as it does for HTML. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "guard.h"
#include "page.h"
#include "route.h"
#include "tmpl.h"

#define SITEMAP_MAX	50000	/* URLs one sitemap file may hold */
#define FEED_MAX	50	/* entries in the feed */
#define FEED_TIME_MAX	32	/* bytes of the feed's updated time */

struct site_ctx {
	struct req	*r;
	const char	*origin;
	struct buf	*out;		/* where each() writes */
	const struct catalog_version *cv;	/* the version being written */
	int		 version;	/* sitemap: the row's /v/{n} address rather than the article's */
	char		 permalink[400];
	const char	*updated;
};

static int
sitemap_url_fill(struct buf *out, enum tmpl_sitemap_url_hole hole, void *arg)
{
	struct site_ctx *c = arg;
	const struct catalog_version *cv = c->cv;

	switch (hole) {
	case TH_SITEMAP_URL_LOC:
		buf_html(out, c->origin);
		buf_lit(out, "/articles/");
		buf_int(out, cv->id);
		buf_lit(out, "/");
		buf_html(out, cv->slug);
		if (c->version) {
			buf_lit(out, "/v/");
			buf_int(out, cv->number);
		}
		return 0;
	case TH_SITEMAP_URL_LASTMOD: {
		const char *t = cv->approved;

		if (t != NULL)
			buf_htmln(out, t, strlen(t) >= 10 ? 10 : strlen(t));
		return 0;
	}
	}
	return -1;
}

static int
feed_entry_fill(struct buf *out, enum tmpl_feed_entry_hole hole, void *arg)
{
	struct site_ctx *c = arg;
	const struct catalog_version *cv = c->cv;

	switch (hole) {
	case TH_FEED_ENTRY_QUESTION:
		buf_html(out, cv->question);
		return 0;
	case TH_FEED_ENTRY_PERMALINK:
		buf_html(out, c->permalink);
		return 0;
	case TH_FEED_ENTRY_APPROVED:
		buf_html(out, cv->approved);
		return 0;
	case TH_FEED_ENTRY_NUMBER:
		buf_int(out, cv->number);
		return 0;
	case TH_FEED_ENTRY_BY:
		if (cv->approver != NULL) {
			buf_lit(out, " by ");
			buf_html(out, cv->approver);
		} else
			buf_lit(out, " (imported as approved, not reviewed here)");
		return 0;
	case TH_FEED_ENTRY_APPROVED_HUMAN:
		page_write_time(out, cv->approved, 1);
		return 0;
	case TH_FEED_ENTRY_FIRST:
		if (cv->number > 1)
			buf_lit(out, " Earlier versions keep their own addresses.");
		return 0;
	}
	return -1;
}

/* catalog_versions(): the sitemap's URLs for cv, the article's own address for the version readers
 * see, and every version's. */
static int
sitemap_each(const struct catalog_version *cv, void *arg)
{
	struct site_ctx *c = arg;

	c->cv = cv;
	for (c->version = cv->shown ? 0 : 1; c->version < 2; c->version++)
		if (tmpl_render_sitemap_url(c->out, sitemap_url_fill, c) == -1)
			return -1;
	return 0;
}

/* catalog_versions(): the feed's entry for cv. */
static int
feed_each(const struct catalog_version *cv, void *arg)
{
	struct site_ctx *c = arg;

	c->cv = cv;
	snprintf(c->permalink, sizeof(c->permalink), "%s/articles/%lld/%s/v/%d", c->origin, cv->id, cv->slug,
	    cv->number);
	return tmpl_render_feed_entry(c->out, feed_entry_fill, c);
}

/* catalog_versions(): the newest approval, into the feed's updated. */
static int
feed_newest(const struct catalog_version *cv, void *arg)
{
	char	*newest = arg;	/* FEED_TIME_MAX bytes */

	if (cv->approved != NULL)
		snprintf(newest, FEED_TIME_MAX, "%s", cv->approved);
	return 0;
}

static int
robots_txt_fill(struct buf *out, enum tmpl_robots_txt_hole hole, void *arg)
{
	struct site_ctx *c = arg;

	switch (hole) {
	case TH_ROBOTS_TXT_ORIGIN:
		buf_html(out, c->origin);
		return 0;
	}
	return -1;
}

static int
sitemap_xml_fill(struct buf *out, enum tmpl_sitemap_xml_hole hole, void *arg)
{
	struct site_ctx *c = arg;

	switch (hole) {
	case TH_SITEMAP_XML_ORIGIN:
		buf_html(out, c->origin);
		return 0;
	case TH_SITEMAP_XML_URLS:
		/* each row is one or two URLs (the version, and the article's own address), besides the two
		 * fixed ones: never more than the protocol's 50,000 */
		c->out = out;
		return req_outcome(c->r, catalog_versions(&c->r->dom, (SITEMAP_MAX - 2) / 2, sitemap_each, c)) ==
		    200 ? 0 : -1;
	}
	return -1;
}

static int
feed_atom_fill(struct buf *out, enum tmpl_feed_atom_hole hole, void *arg)
{
	struct site_ctx *c = arg;

	switch (hole) {
	case TH_FEED_ATOM_ORIGIN:
		buf_html(out, c->origin);
		return 0;
	case TH_FEED_ATOM_UPDATED:
		buf_html(out, c->updated);
		return 0;
	case TH_FEED_ATOM_ENTRIES:
		c->out = out;
		return req_outcome(c->r, catalog_versions(&c->r->dom, FEED_MAX, feed_each, c)) == 200 ? 0 : -1;
	}
	return -1;
}

int
page_robots(struct req *r)
{
	struct site_ctx c = { .r = r, .origin = guard_site_origin(r) };

	r->content_type = "text/plain; charset=utf-8";
	req_cache(r, CACHE_PUBLIC_HOUR);
	return tmpl_render_robots_txt(&r->body, robots_txt_fill, &c) == -1 ? 500 : 200;
}

int
page_sitemap(struct req *r)
{
	struct site_ctx c = { .r = r, .origin = guard_site_origin(r) };

	r->content_type = "application/xml; charset=utf-8";
	req_cache(r, CACHE_NO_CACHE);
	return tmpl_render_sitemap_xml(&r->body, sitemap_xml_fill, &c) == -1 ? 500 : 200;
}

int
page_feed(struct req *r)
{
	struct site_ctx c = { .r = r, .origin = guard_site_origin(r) };
	char	 newest[FEED_TIME_MAX] = "1970-01-01T00:00:00Z";
	int	 rc;

	if ((rc = req_outcome(r, catalog_versions(&r->dom, 1, feed_newest, newest))) != 200)
		return rc;
	c.updated = newest;
	r->content_type = "application/atom+xml; charset=utf-8";
	req_cache(r, CACHE_NO_CACHE);
	return tmpl_render_feed_atom(&r->body, feed_atom_fill, &c) == -1 ? 500 : 200;
}

int
page_favicon(struct req *r)
{
	req_location(r, "/static/favicon.svg");
	req_cache(r, CACHE_PUBLIC_DAY);
	return 301;
}
