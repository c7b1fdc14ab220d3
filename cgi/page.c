/* page.c: the frame of the HTML pages (see page.h), and the pages every site has: the editorial
 * policy, the health check, the error page. */
#include "config.h"

#include <string.h>

#include "db.h"
#include "guard.h"
#include "log.h"
#include "page.h"
#include "route.h"
#include "static_gen.h"
#include "tmpl.h"
#include "util.h"

#define SITE_DESCRIPTION	"Clinical questions answered from published evidence, with numbered references " \
	"and the review state of every article shown as it is."

static int
layout_fill(struct buf *out, enum tmpl_layout_hole hole, void *arg)
{
	struct page_layout *l = arg;

	switch (hole) {
	case TH_LAYOUT_TITLE:
		buf_html(out, l->title);
		return 0;
	case TH_LAYOUT_DESCRIPTION:
		buf_html(out, l->description ? l->description : SITE_DESCRIPTION);
		return 0;
	case TH_LAYOUT_CANONICAL:
		buf_html(out, guard_site_origin(l->r));
		buf_html(out, l->canonical ? l->canonical : l->r->path);
		return 0;
	case TH_LAYOUT_CSS:
		buf_html(out, STATIC_EVQA_CSS);
		return 0;
	case TH_LAYOUT_JS:
		buf_html(out, STATIC_EVQA_JS);
		return 0;
	case TH_LAYOUT_HEAD:
		if (l->noindex)
			buf_lit(out, "<meta name=\"robots\" content=\"noindex\">\n");
		if (l->head != NULL)
			/* trusted: rendered from a template through the escaping writers */
			buf_trusted(out, l->head, strlen(l->head));
		return 0;
	case TH_LAYOUT_MAIN:
		return l->main(out, l->arg);
	}
	return -1;
}

int
page_render_layout(struct req *r, struct page_layout *l)
{
	l->r = r;
	r->content_type = PAGE_HTML_TYPE;
	if (tmpl_render_layout(&r->body, layout_fill, l) == -1)
		return r->body.err ? 500 : req_fail(r, 500, "This page could not be built.");
	return 200;
}

int
page_render(struct req *r, const char *title, int (*main)(struct buf *, void *), void *arg)
{
	struct page_layout l = { .title = title, .main = main, .arg = arg };

	if (r->route == NULL || !(r->route->methods & ROUTE_PUBLIC))	/* else the dispatcher's */
		req_cache_default(r, CACHE_NO_CACHE);
	return page_render_layout(r, &l);
}

int
page_render_private(struct req *r, const char *title, int (*main)(struct buf *, void *), void *arg)
{
	struct page_layout l = { .title = title, .main = main, .arg = arg, .noindex = 1 };

	req_cache(r, CACHE_PRIVATE_NO_STORE);
	r->noindex = 1;
	return page_render_layout(r, &l);
}

void
page_write_time(struct buf *out, const char *iso, int human)
{
	char	 h[40];

	if (iso == NULL)
		return;
	if (human) {
		time_human(iso, h, sizeof(h));
		buf_html(out, h);
	} else
		buf_html(out, iso);
}
/* ---- /editorial-policy ---- */

static int
policy_fill(struct buf *out, enum tmpl_policy_hole hole, void *arg)
{
	switch (hole) {
	case TH_POLICY_POLICY:
		return tmpl_render_editorial_policy(out);
	}
	return -1;
}

static int
policy_main(struct buf *out, void *arg)
{
	return tmpl_render_policy(out, policy_fill, arg);
}

int
page_policy(struct req *r)
{
	return page_render(r, "Editorial policy", policy_main, NULL);
}

/* ---- /healthz ---- */

#define HEALTH_FAULT_SECONDS	60	/* a failed write makes /healthz 503 for this long */

int
page_healthz(struct req *r)
{
	char	 msg[200];
	long	 age;

	if (db_health(r->db) == -1)
		return req_fail(r, 503, "The database does not answer.");
	if (r->db->readonly)
		return req_fail(r, 503, "The database %s can be read but not written: nothing can be saved.",
		    r->db->path);
	if ((age = db_fault_age(msg, sizeof(msg))) >= 0 && age < HEALTH_FAULT_SECONDS)
		return req_fail(r, 503, "A write to the database failed %ld seconds ago: %s.", age, msg);
	r->content_type = "text/plain; charset=utf-8";
	req_cache(r, CACHE_NO_STORE);
	buf_lit(&r->body, "ok\n");
	return 200;
}

/* ---- errors ---- */

struct error_ctx {
	struct req	*r;
	int		 i;
};

static int
error_item_fill(struct buf *out, enum tmpl_error_item_hole hole, void *arg)
{
	struct error_ctx *e = arg;

	switch (hole) {
	case TH_ERROR_ITEM_FIELD:
		buf_html(out, e->r->errors[e->i].field);
		return 0;
	case TH_ERROR_ITEM_DETAIL:
		buf_html(out, e->r->errors[e->i].detail);
		return 0;
	}
	return -1;
}

static int
error_list_fill(struct buf *out, enum tmpl_error_list_hole hole, void *arg)
{
	struct error_ctx *e = arg;

	switch (hole) {
	case TH_ERROR_LIST_ITEMS:
		for (e->i = 0; e->i < e->r->nerrors; e->i++)
			if (tmpl_render_error_item(out, error_item_fill, e) == -1)
				return -1;
		return 0;
	}
	return -1;
}

static int
error_fill(struct buf *out, enum tmpl_error_hole hole, void *arg)
{
	struct error_ctx *e = arg;

	switch (hole) {
	case TH_ERROR_TITLE:
		buf_html(out, http_status_text(e->r->status));
		return 0;
	case TH_ERROR_DETAIL:
		buf_html(out, e->r->detail);
		return 0;
	case TH_ERROR_ERRORS:
		if (e->r->nerrors > 1)
			return tmpl_render_error_list(out, error_list_fill, e);
		return 0;
	}
	return -1;
}

static int
error_main(struct buf *out, void *arg)
{
	return tmpl_render_error(out, error_fill, arg);
}

void
page_error(struct req *r)
{
	struct error_ctx e = { r, 0 };
	struct page_layout l = { .title = http_status_text(r->status), .main = error_main, .arg = &e, .noindex = 1 };

	if (r->detail[0] == '\0')
		req_fail(r, r->status, "%s.", http_status_text(r->status));
	req_cache(r, CACHE_NO_STORE);
	page_render_layout(r, &l);
}

