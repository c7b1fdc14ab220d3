/* site.c: the web's conventions: /robots.txt, /sitemap.xml (approved articles and their versions),
 * /feed.atom ("What's new": approved articles and versions, newest first) and /favicon.ico. The
 * templates sitemap-xml, sitemap-url, feed-atom, feed-entry and robots-txt hold XML and plain text;
 * buf_html() escapes for XML as it does for HTML. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "guard.h"
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
site_fill(struct buf *out, const char *hole, void *arg)
{
	struct site_ctx *c = arg;
	sqlite3_stmt *s = c->s;
	int	 rc;

	if (strcmp(hole, "origin") == 0)
		buf_html(out, c->origin);
	else if (strcmp(hole, "urls") == 0) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			/* the article's own address for the version readers see, and every version's */
			for (c->version = sqlite3_column_int(s, 5) ? 0 : 1; c->version < 2; c->version++)
				if (tmpl_render(out, TMPL_SITEMAP_URL, site_fill, c) == -1)
					return -1;
		}
		return rc == SQLITE_DONE ? 0 : -1;
	} else if (strcmp(hole, "loc") == 0) {
		buf_html(out, c->origin);
		buf_lit(out, "/articles/");
		buf_int(out, sqlite3_column_int64(s, 0));
		buf_lit(out, "/");
		buf_html(out, db_text(s, 1));
		if (c->version) {
			buf_lit(out, "/v/");
			buf_int(out, sqlite3_column_int(s, 2));
		}
	} else if (strcmp(hole, "lastmod") == 0) {
		const char *t = db_text(s, 4);

		if (t != NULL)
			buf_htmln(out, t, strlen(t) >= 10 ? 10 : strlen(t));
	} else if (strcmp(hole, "updated") == 0)
		buf_html(out, c->updated);
	else if (strcmp(hole, "entries") == 0) {
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			snprintf(c->permalink, sizeof(c->permalink), "%s/articles/%lld/%s/v/%d", c->origin,
			    (long long)sqlite3_column_int64(s, 0), db_text(s, 1), sqlite3_column_int(s, 2));
			if (tmpl_render(out, TMPL_FEED_ENTRY, site_fill, c) == -1)
				return -1;
		}
		return rc == SQLITE_DONE ? 0 : -1;
	} else if (strcmp(hole, "question") == 0)
		buf_html(out, db_text(s, 3));
	else if (strcmp(hole, "permalink") == 0)
		buf_html(out, c->permalink);
	else if (strcmp(hole, "approved") == 0)
		buf_html(out, db_text(s, 4));
	else if (strcmp(hole, "approved_human") == 0)
		page_write_time(out, db_text(s, 4), 1);
	else if (strcmp(hole, "number") == 0)
		buf_int(out, sqlite3_column_int(s, 2));
	else if (strcmp(hole, "by") == 0) {
		if (db_text(s, 6) != NULL) {
			buf_lit(out, " by ");
			buf_html(out, db_text(s, 6));
		} else
			buf_lit(out, " (imported as approved, not reviewed here)");
	} else if (strcmp(hole, "first") == 0) {
		if (sqlite3_column_int(s, 2) > 1)
			buf_lit(out, " Earlier versions keep their own addresses.");
	} else
		return -1;
	return 0;
}

int
page_robots(struct req *r)
{
	struct site_ctx c = { .r = r, .origin = guard_site_origin(r) };

	r->content_type = "text/plain; charset=utf-8";
	req_cache(r, CACHE_PUBLIC_HOUR);
	return tmpl_render(&r->body, TMPL_ROBOTS_TXT, site_fill, &c) == -1 ? 500 : 200;
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
	rc = tmpl_render(&r->body, TMPL_SITEMAP_XML, site_fill, &c) == -1 ? 500 : 200;
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
	rc = tmpl_render(&r->body, TMPL_FEED_ATOM, site_fill, &c) == -1 ? 500 : 200;
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
