/* site.c: the web's conventions: /robots.txt, /sitemap.xml (approved articles and their versions),
 * /feed.atom ("What's new": approved articles and versions, newest first) and /favicon.ico. The
 * templates sitemap-xml, sitemap-url, feed-atom, feed-entry and robots-txt hold XML and plain text;
 * buf_html() escapes for XML as it does for HTML. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "guard.h"
#include "page.h"
#include "route.h"
#include "tmpl.h"

#define SITEMAP_MAX	50000	/* URLs one sitemap file may hold */
#define FEED_MAX	50	/* entries in the feed */

struct site_ctx {
	struct req	*r;
	const char	*origin;
	sqlite3_stmt	*s;
	int		 version;	/* sitemap: the row's /v/{n} address rather than the article's */
	char		 permalink[400];
	const char	*updated;
};

static int
sitemap_url_fill(struct buf *out, enum tmpl_sitemap_url_hole hole, void *arg)
{
	struct site_ctx *c = arg;
	sqlite3_stmt *s = c->s;

	switch (hole) {
	case TH_SITEMAP_URL_LOC:
		buf_html(out, c->origin);
		buf_lit(out, "/articles/");
		buf_int(out, sqlite3_column_int64(s, 0));
		buf_lit(out, "/");
		buf_html(out, db_text(s, 1));
		if (c->version) {
			buf_lit(out, "/v/");
			buf_int(out, sqlite3_column_int(s, 2));
		}
		return 0;
	case TH_SITEMAP_URL_LASTMOD: {
		const char *t = db_text(s, 4);

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
	sqlite3_stmt *s = c->s;

	switch (hole) {
	case TH_FEED_ENTRY_QUESTION:
		buf_html(out, db_text(s, 3));
		return 0;
	case TH_FEED_ENTRY_PERMALINK:
		buf_html(out, c->permalink);
		return 0;
	case TH_FEED_ENTRY_APPROVED:
		buf_html(out, db_text(s, 4));
		return 0;
	case TH_FEED_ENTRY_NUMBER:
		buf_int(out, sqlite3_column_int(s, 2));
		return 0;
	case TH_FEED_ENTRY_BY:
		if (db_text(s, 6) != NULL) {
			buf_lit(out, " by ");
			buf_html(out, db_text(s, 6));
		} else
			buf_lit(out, " (imported as approved, not reviewed here)");
		return 0;
	case TH_FEED_ENTRY_APPROVED_HUMAN:
		page_write_time(out, db_text(s, 4), 1);
		return 0;
	case TH_FEED_ENTRY_FIRST:
		if (sqlite3_column_int(s, 2) > 1)
			buf_lit(out, " Earlier versions keep their own addresses.");
		return 0;
	}
	return -1;
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
	sqlite3_stmt *s = c->s;
	int	 rc;

	switch (hole) {
	case TH_SITEMAP_XML_ORIGIN:
		buf_html(out, c->origin);
		return 0;
	case TH_SITEMAP_XML_URLS:
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			/* the article's own address for the version readers see, and every version's */
			for (c->version = sqlite3_column_int(s, 5) ? 0 : 1; c->version < 2; c->version++)
				if (tmpl_render_sitemap_url(out, sitemap_url_fill, c) == -1)
					return -1;
		}
		return rc == SQLITE_DONE ? 0 : -1;
	}
	return -1;
}

static int
feed_atom_fill(struct buf *out, enum tmpl_feed_atom_hole hole, void *arg)
{
	struct site_ctx *c = arg;
	sqlite3_stmt *s = c->s;
	int	 rc;

	switch (hole) {
	case TH_FEED_ATOM_ORIGIN:
		buf_html(out, c->origin);
		return 0;
	case TH_FEED_ATOM_UPDATED:
		buf_html(out, c->updated);
		return 0;
	case TH_FEED_ATOM_ENTRIES:
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			snprintf(c->permalink, sizeof(c->permalink), "%s/articles/%lld/%s/v/%d", c->origin,
			    (long long)sqlite3_column_int64(s, 0), db_text(s, 1), sqlite3_column_int(s, 2));
			if (tmpl_render_feed_entry(out, feed_entry_fill, c) == -1)
				return -1;
		}
		return rc == SQLITE_DONE ? 0 : -1;
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
	struct site_ctx c = { .r = r, .origin = guard_site_origin(r), .s = db_stmt(r->db, STMT_SITE_VERSIONS) };
	int	 rc;

	/* each row is one or two URLs (the version, and the article's own address), besides the two
	 * fixed ones: never more than the protocol's 50,000 */
	sqlite3_bind_int(c.s, 1, (SITEMAP_MAX - 2) / 2);
	r->content_type = "application/xml; charset=utf-8";
	req_cache(r, CACHE_NO_CACHE);
	rc = tmpl_render_sitemap_xml(&r->body, sitemap_xml_fill, &c) == -1 ? 500 : 200;
	sqlite3_reset(c.s);
	return rc;
}

int
page_feed(struct req *r)
{
	struct site_ctx c = { .r = r, .origin = guard_site_origin(r), .s = db_stmt(r->db, STMT_SITE_VERSIONS) };
	char	 newest[32] = "1970-01-01T00:00:00Z";
	int	 rc;

	sqlite3_bind_int(c.s, 1, FEED_MAX);
	if (sqlite3_step(c.s) == SQLITE_ROW && db_text(c.s, 4) != NULL)
		snprintf(newest, sizeof(newest), "%s", db_text(c.s, 4));
	sqlite3_reset(c.s);
	c.updated = newest;
	r->content_type = "application/atom+xml; charset=utf-8";
	req_cache(r, CACHE_NO_CACHE);
	rc = tmpl_render_feed_atom(&r->body, feed_atom_fill, &c) == -1 ? 500 : 200;
	sqlite3_reset(c.s);
	return rc;
}

int
page_favicon(struct req *r)
{
	req_location(r, "/static/favicon.svg");
	req_cache(r, CACHE_PUBLIC_DAY);
	return 301;
}
