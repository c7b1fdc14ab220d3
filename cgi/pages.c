/* pages.c: the HTML pages: article list, article, editorial policy, health check, error page. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "db.h"
#include "guard.h"
#include "gzip.h"
#include "log.h"
#include "route.h"
#include "static_gen.h"
#include "tmpl.h"
#include "util.h"

#define HTML_TYPE	"text/html; charset=utf-8"
#define COOKIE_YEAR	31536000

struct layout_ctx {
	const char	*title;
	int		 tmpl;		/* the page template, or -1: fill writes "main" itself */
	int		(*fill)(struct buf *, const char *, void *);
	void		*arg;
	int		 noindex;
};

static int
layout_fill(struct buf *out, const char *hole, void *arg)
{
	struct layout_ctx *l = arg;

	if (strcmp(hole, "title") == 0)
		buf_html(out, l->title);
	else if (strcmp(hole, "css") == 0)
		buf_html(out, STATIC_EVQA_CSS);
	else if (strcmp(hole, "js") == 0)
		buf_html(out, STATIC_EVQA_JS);
	else if (strcmp(hole, "head") == 0) {
		if (l->noindex)
			buf_lit(out, "<meta name=\"robots\" content=\"noindex\">\n");
	} else if (strcmp(hole, "main") == 0)
		return l->tmpl < 0 ? l->fill(out, hole, l->arg) :
		    tmpl_render(out, (enum tmpl_id)l->tmpl, l->fill, l->arg);
	else
		return -1;
	return 0;
}

static int
render_in_layout(struct req *r, struct layout_ctx *l)
{
	r->content_type = HTML_TYPE;
	if (tmpl_render(&r->body, TMPL_LAYOUT, layout_fill, l) == -1)
		return r->body.err ? 500 : req_fail(r, 500, "This page could not be built.");
	return 200;
}

int
page_render(struct req *r, const char *title, int tmpl, int (*fill)(struct buf *, const char *, void *),
    void *arg)
{
	struct layout_ctx l = { title, tmpl, fill, arg, 0 };

	if (r->route == NULL || !(r->route->methods & ROUTE_PUBLIC))	/* else the dispatcher's */
		req_header(r, "Cache-Control", "no-cache");
	return render_in_layout(r, &l);
}

int
page_render_private(struct req *r, const char *title, int tmpl, int (*fill)(struct buf *, const char *,
    void *), void *arg)
{
	struct layout_ctx l = { title, tmpl, fill, arg, 1 };

	req_header(r, "Cache-Control", "private, no-store");
	req_header(r, "X-Robots-Tag", "noindex");
	return render_in_layout(r, &l);
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

/* ---- / ---- */

struct home_ctx {
	struct req	*r;
	struct article_view v;
	sqlite3_stmt	*s;
};

static int
home_row_fill(struct buf *out, const char *hole, void *arg)
{
	struct home_ctx *h = arg;

	if (strcmp(hole, "url") == 0) {
		buf_lit(out, "/articles/");
		buf_int(out, h->v.id);
		buf_lit(out, "/");
		buf_html(out, h->v.slug);
	} else if (strcmp(hole, "question") == 0)
		buf_html(out, h->v.question);
	else if (strcmp(hole, "state") == 0)
		buf_html(out, states[h->v.state].code);
	else if (strcmp(hole, "state_label") == 0)
		buf_html(out, states[h->v.state].label);
	else if (strcmp(hole, "updated_iso") == 0)
		page_write_time(out, h->v.created_at, 0);
	else if (strcmp(hole, "updated_human") == 0)
		page_write_time(out, h->v.created_at, 1);
	else
		return -1;
	return 0;
}

static int
home_fill(struct buf *out, const char *hole, void *arg)
{
	struct home_ctx *h = arg;
	int	 rc;

	if (strcmp(hole, "rows") != 0)
		return -1;
	h->s = db_stmt(h->r->db, STMT_ARTICLE_PAGE);
	sqlite3_bind_int(h->s, 1, 1000);
	sqlite3_bind_int(h->s, 2, 0);
	while ((rc = sqlite3_step(h->s)) == SQLITE_ROW) {
		if (content_article_row(h->r, h->s, &h->v) != 200 ||
		    tmpl_render(out, TMPL_HOME_ROW, home_row_fill, h) == -1)
			return -1;
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

int
page_home(struct req *r)
{
	struct home_ctx h = { .r = r };

	return page_render(r, "Clinical questions", TMPL_HOME, home_fill, &h);
}

/* ---- /articles/{id}/{slug} ---- */

struct article_ctx {
	struct req	*r;
	struct article_view v;
	int		 i;		/* the step, audience or reference being written */
	int		 k;		/* the back link being written */
	const char	*link_href, *link_label;
	const char	*counts;	/* cursor in v.cite_counts */
	const char	*backref_counts;	/* the count of the reference being written */
};

/* The step readers see as current: changes requested is back at submitted. */
static int
step_current(enum state st)
{
	return st == STATE_CHANGES_REQUESTED || st >= STATE_STEPS ? STATE_SUBMITTED : (int)st;
}

static int
step_fill(struct buf *out, const char *hole, void *arg)
{
	struct article_ctx *a = arg;
	int	 cur = step_current(a->v.state);

	if (strcmp(hole, "class") == 0)
		buf_html(out, a->i < cur ? "step done" : a->i == cur ? "step current" : "step todo");
	else if (strcmp(hole, "current") == 0) {
		if (a->i == cur)
			buf_lit(out, " aria-current=\"step\"");
	} else if (strcmp(hole, "label") == 0)
		buf_html(out, states[a->i].label);
	else if (strcmp(hole, "status") == 0)
		buf_html(out, a->i < cur ? " (done)" : a->i == cur ? " (current state)" : " (not yet)");
	else if (strcmp(hole, "date") == 0) {
		/* when the shown revision reached this step, when known */
		const char *at = NULL;

		if (a->i == STATE_SUBMITTED)
			at = a->v.created_at;
		else if (a->i == STATE_UNDER_REVIEW && a->i <= cur)
			at = a->v.review_started_at ? a->v.review_started_at :
			    a->v.state == STATE_UNDER_REVIEW ? a->v.state_at : NULL;
		else if (a->i == STATE_APPROVED && a->v.state == STATE_APPROVED)
			at = a->v.approved_at ? a->v.approved_at : a->v.state_at;
		a->link_href = at;
		if (at != NULL)
			return tmpl_render(out, TMPL_STEP_DATE, step_fill, a);
	} else if (strcmp(hole, "iso") == 0)
		page_write_time(out, a->link_href, 0);
	else if (strcmp(hole, "human") == 0)
		page_write_time(out, a->link_href, 1);
	else
		return -1;
	return 0;
}

static int
audience_fill(struct buf *out, const char *hole, void *arg)
{
	struct article_ctx *a = arg;
	const struct audience *au = &audiences[a->i];

	if (strcmp(hole, "code") == 0)
		buf_html(out, au->code);
	else if (strcmp(hole, "label") == 0)
		buf_html(out, au->label);
	else if (strcmp(hole, "checked") == 0) {
		if (au == a->v.audience)
			buf_lit(out, " checked");
	} else if (strcmp(hole, "audience") == 0)
		buf_html(out, a->v.audience->label);
	else
		return -1;
	return 0;
}

static int
link_fill(struct buf *out, const char *hole, void *arg)
{
	struct article_ctx *a = arg;

	if (strcmp(hole, "href") == 0)
		buf_html(out, a->link_href);
	else if (strcmp(hole, "label") == 0)
		buf_html(out, a->link_label);
	else
		return -1;
	return 0;
}

static int
backref_fill(struct buf *out, const char *hole, void *arg)
{
	struct article_ctx *a = arg;

	if (strcmp(hole, "num") == 0)
		buf_int(out, a->v.refs[a->i].num);
	else if (strcmp(hole, "k") == 0)
		buf_int(out, a->k);
	else
		return -1;
	return 0;
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
		rc |= tmpl_render(out, TMPL_REF_LINK, link_fill, a);
		buf_reset(&url);
	}
	if (ref->doi != NULL) {
		buf_lit(&url, "https://doi.org/");
		buf_url_path(&url, ref->doi);
		a->link_href = url.p;
		a->link_label = "DOI";
		rc |= tmpl_render(out, TMPL_REF_LINK, link_fill, a);
		buf_reset(&url);
	}
	if (ref->url != NULL && (strncmp(ref->url, "https://", 8) == 0 || strncmp(ref->url, "http://", 7) == 0)) {
		a->link_href = ref->url;
		a->link_label = "Source";
		rc |= tmpl_render(out, TMPL_REF_LINK, link_fill, a);
	}
	buf_free(&url);
	return rc ? -1 : 0;
}

static int
ref_fill(struct buf *out, const char *hole, void *arg)
{
	struct article_ctx *a = arg;
	const struct reference *ref = &a->v.refs[a->i];

	if (strcmp(hole, "num") == 0)
		buf_int(out, ref->num);
	else if (strcmp(hole, "kind") == 0)
		buf_html(out, ref->kind);
	else if (strcmp(hole, "kind_label") == 0)
		buf_html(out, reference_kind_label(ref->kind));
	else if (strcmp(hole, "title") == 0)
		buf_html(out, ref->title);
	else if (strcmp(hole, "source") == 0) {
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
	} else if (strcmp(hole, "links") == 0)
		return ref_links(out, a, ref);
	else if (strcmp(hole, "backrefs") == 0) {
		/* a->counts walks "3,1,0" in step with the references */
		char	*end;
		long	 n = strtol(a->counts, &end, 10);

		a->backref_counts = a->counts;

		if (end == a->counts || n < 0 || n > 1000)
			n = 0;
		a->counts = *end == ',' ? end + 1 : end;
		if (n > 0)
			return tmpl_render(out, TMPL_BACKREFS, ref_fill, a);
	} else if (strcmp(hole, "links_back") == 0) {
		char	*end;
		long	 n = strtol(a->backref_counts, &end, 10);

		for (a->k = 1; a->k <= n; a->k++)
			if (tmpl_render(out, TMPL_BACKREF, backref_fill, a) == -1)
				return -1;
	} else
		return -1;
	return 0;
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
article_fill(struct buf *out, const char *hole, void *arg)
{
	struct article_ctx *a = arg;
	struct article_view *v = &a->v;

	if (strcmp(hole, "question") == 0)
		buf_html(out, v->question);
	else if (strcmp(hole, "caution") == 0) {
		if (v->state != STATE_APPROVED)
			return tmpl_render(out, TMPL_CAUTION, article_fill, a);
	} else if (strcmp(hole, "standing") == 0) {
		char	 now[21];

		time_now_iso(now);
		if (v->state == STATE_APPROVED && v->approver != NULL &&
		    tmpl_render(out, TMPL_ARTICLE_APPROVED, article_fill, a) == -1)
			return -1;
		if (v->state == STATE_APPROVED && v->latest_number > v->rev_number &&
		    tmpl_render(out, TMPL_ARTICLE_UPDATE_NOTE, article_fill, a) == -1)
			return -1;
		/* the page cache keys on the database version: a review falling due between two writes
		 * shows once the next write renders the page again (at most a day late) */
		if (v->state == STATE_APPROVED && v->review_by != NULL && strcmp(v->review_by, now) < 0)
			return tmpl_render(out, TMPL_ARTICLE_OVERDUE, article_fill, a);
	} else if (strcmp(hole, "approver") == 0)
		buf_html(out, v->approver);
	else if (strcmp(hole, "credential") == 0) {
		if (v->approver_credential != NULL && v->approver_credential[0] != '\0') {
			buf_lit(out, ", ");
			buf_html(out, v->approver_credential);
		}
	} else if (strcmp(hole, "approved_at") == 0)
		page_write_time(out, v->approved_at, 0);
	else if (strcmp(hole, "approved_human") == 0)
		page_write_time(out, v->approved_at, 1);
	else if (strcmp(hole, "latest") == 0)
		buf_int(out, v->latest_number);
	else if (strcmp(hole, "review_by") == 0)
		page_write_time(out, v->review_by, 0);
	else if (strcmp(hole, "review_human") == 0)
		page_write_time(out, v->review_by, 1);
	else if (strcmp(hole, "steps") == 0) {
		for (a->i = 0; a->i < STATE_STEPS; a->i++)
			if (tmpl_render(out, TMPL_STEP_ITEM, step_fill, a) == -1)
				return -1;
	} else if (strcmp(hole, "updated_iso") == 0)
		page_write_time(out, v->created_at, 0);
	else if (strcmp(hole, "updated_human") == 0)
		page_write_time(out, v->created_at, 1);
	else if (strcmp(hole, "author") == 0)
		buf_html(out, v->author);
	else if (strcmp(hole, "revision") == 0)
		buf_int(out, v->rev_number);
	else if (strcmp(hole, "action") == 0) {
		buf_lit(out, "/articles/");
		buf_int(out, v->id);
		buf_lit(out, "/");
		buf_html(out, v->slug);
	} else if (strcmp(hole, "audience_options") == 0) {
		for (a->i = 0; a->i < AUD__MAX; a->i++)
			if (tmpl_render(out, TMPL_AUDIENCE_OPTION, audience_fill, a) == -1)
				return -1;
	} else if (strcmp(hole, "audience_note") == 0) {
		if (v->wording != v->audience)
			return tmpl_render(out, TMPL_AUDIENCE_NOTE, audience_fill, a);
	} else if (strcmp(hole, "bottom_line") == 0) {
		/* trusted: rendered by render_text() from Markdown in safe mode when it was saved */
		buf_trusted(out, v->bottom_html, strlen(v->bottom_html));
	} else if (strcmp(hole, "body") == 0) {
		/* trusted: rendered by render_text() from Markdown in safe mode when it was saved */
		buf_trusted(out, v->html, strlen(v->html));
	} else if (strcmp(hole, "toc") == 0) {
		return toc_write(out, v->html);
	} else if (strcmp(hole, "references") == 0) {
		a->counts = v->cite_counts;
		for (a->i = 0; a->i < v->nrefs; a->i++)
			if (tmpl_render(out, TMPL_REF_ITEM, ref_fill, a) == -1)
				return -1;
	} else if (strcmp(hole, "article_id") == 0)
		buf_int(out, v->id);
	else if (strcmp(hole, "audience_code") == 0)
		buf_html(out, v->audience->code);
	else
		return -1;
	return 0;
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
	struct buf loc = BUF_INIT;
	int	 rc;

	buf_lit(&loc, "/articles/");
	buf_int(&loc, id);
	buf_lit(&loc, "/");
	buf_url(&loc, slug);
	if (r->fields[KEY_AUDIENCE].present) {
		buf_lit(&loc, "?audience=");
		buf_url(&loc, r->fields[KEY_AUDIENCE].str);
	}
	rc = loc.err ? 500 : 301;
	if (rc == 301)
		req_header(r, "Location", loc.p);
	buf_free(&loc);
	return rc;
}

/* One rendered article, the same for every reader of its audience: the page's main part, and once
 * a request has needed them, the whole page (in the layout) and its gzip compression. */
struct cached_page {
	long long	 id;		/* 0: empty slot */
	int		 audience;	/* index into audiences[] of the audience asked for */
	char		*slug;
	char		*title;
	char		*html;		/* main part */
	size_t		 len;
	char		*page;		/* the whole reply body, or NULL */
	size_t		 page_len;
	char		*gz;		/* page, gzip-compressed, or NULL */
	size_t		 gz_len;
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

/* The cached page for (id, audience), after dropping every page when the database changed. */
static struct cached_page *
page_cache_get(struct req *r, long long id, int audience)
{
	struct page_cache *c = r->cache;
	unsigned long long v;

	if (c == NULL)
		return NULL;
	if ((v = db_version(r->db)) == 0 || v != c->version) {
		for (int i = 0; i < PAGE_CACHE_SLOTS; i++)
			cached_page_clear(&c->page[i]);
		c->version = v;
		return NULL;
	}
	for (int i = 0; i < PAGE_CACHE_SLOTS; i++)
		if (c->page[i].id == id && c->page[i].audience == audience)
			return &c->page[i];
	return NULL;
}

/* Renders article id for the asked audience into a cache slot (or, without a cache, into tmp). */
static int
page_article_render(struct req *r, const struct audience *asked, struct cached_page *tmp,
    struct cached_page **out)
{
	struct article_ctx a = { .r = r };
	struct buf b = BUF_INIT;
	struct cached_page *p = tmp;
	int	 rc;

	if ((rc = content_article(r, r->id, asked, CONTENT_HTML | CONTENT_REFS, &a.v)) != 200)
		return rc;
	if (tmpl_render(&b, TMPL_ARTICLE, article_fill, &a) == -1) {
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
	p->slug = strdup(a.v.slug);
	p->title = strdup(a.v.question);
	p->len = b.len;
	p->html = buf_steal(&b);
	if (p->slug == NULL || p->title == NULL || p->html == NULL) {
		cached_page_clear(p);
		return 500;
	}
	*out = p;
	return 200;
}

static int
cached_fill(struct buf *out, const char *hole, void *arg)
{
	const struct cached_page *p = arg;

	if (strcmp(hole, "main") != 0)
		return -1;
	/* trusted: the article template, filled through the escaping writers when it was cached */
	buf_trusted(out, p->html, p->len);
	return 0;
}

int
page_article(struct req *r)
{
	const struct audience *asked = asked_audience(r);
	struct cached_page tmp = { 0 }, *p;
	struct layout_ctx l = { NULL, -1, cached_fill, NULL, 0 };
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
		guard_set_cookie(r, "evqa_audience", asked->code, COOKIE_YEAR);
	if (p->page == NULL) {
		l.arg = p;
		l.title = p->title;
		if ((rc = render_in_layout(r, &l)) != 200 || r->body.err)
			goto out;
		if (p != &tmp && (p->page = malloc(r->body.len)) != NULL) {
			memcpy(p->page, r->body.p, r->body.len);
			p->page_len = r->body.len;
		}
	} else {
		r->content_type = HTML_TYPE;
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
page_article_preview(struct req *r, long long rev_id, struct buf *out)
{
	struct article_ctx a = { .r = r };
	int	 rc;

	if ((rc = content_revision(r, rev_id, NULL, CONTENT_HTML | CONTENT_REFS, &a.v)) != 200)
		return rc;
	if (tmpl_render(out, TMPL_ARTICLE, article_fill, &a) == -1)
		return req_fail(r, 500, "The preview could not be built.");
	return 200;
}

int
page_article_redirect(struct req *r)
{
	struct article_view v;
	int	 rc;

	if ((rc = content_article(r, r->id, NULL, 0, &v)) != 200)
		return rc;
	return redirect_canonical(r, v.id, v.slug);
}

/* ---- /editorial-policy ---- */

static int
policy_fill(struct buf *out, const char *hole, void *arg)
{
	if (strcmp(hole, "policy") == 0)
		return tmpl_render(out, TMPL_EDITORIAL_POLICY, policy_fill, arg);
	return -1;
}

int
page_policy(struct req *r)
{
	return page_render(r, "Editorial policy", TMPL_POLICY, policy_fill, NULL);
}

/* ---- /healthz ---- */

#define HEALTH_FAULT_SECONDS	60	/* a failed write makes /healthz 503 for this long */

int
page_healthz(struct req *r)
{
	sqlite3_stmt *s = db_stmt(r->db, STMT_HEALTH);

	char	 msg[200];
	long	 age;

	if (sqlite3_step(s) != SQLITE_ROW) {
		log_warnx("health check: %s", sqlite3_errmsg(r->db->conn));
		return req_fail(r, 503, "The database does not answer.");
	}
	sqlite3_reset(s);
	if (r->db->readonly)
		return req_fail(r, 503, "The database %s can be read but not written: nothing can be saved.",
		    r->db->path);
	if ((age = db_fault_age(msg, sizeof(msg))) >= 0 && age < HEALTH_FAULT_SECONDS)
		return req_fail(r, 503, "A write to the database failed %ld seconds ago: %s.", age, msg);
	r->content_type = "text/plain; charset=utf-8";
	req_header(r, "Cache-Control", "no-store");
	buf_lit(&r->body, "ok\n");
	return 200;
}

/* ---- errors ---- */

struct error_ctx {
	struct req	*r;
	int		 i;
};

static int
error_item_fill(struct buf *out, const char *hole, void *arg)
{
	struct error_ctx *e = arg;

	if (strcmp(hole, "field") == 0)
		buf_html(out, e->r->errors[e->i].field);
	else if (strcmp(hole, "detail") == 0)
		buf_html(out, e->r->errors[e->i].detail);
	else
		return -1;
	return 0;
}

static int
error_fill(struct buf *out, const char *hole, void *arg)
{
	struct error_ctx *e = arg;

	if (strcmp(hole, "title") == 0)
		buf_html(out, http_status_text(e->r->status));
	else if (strcmp(hole, "detail") == 0)
		buf_html(out, e->r->detail);
	else if (strcmp(hole, "errors") == 0) {
		if (e->r->nerrors > 1)
			return tmpl_render(out, TMPL_ERROR_LIST, error_fill, e);
	} else if (strcmp(hole, "items") == 0) {
		for (e->i = 0; e->i < e->r->nerrors; e->i++)
			if (tmpl_render(out, TMPL_ERROR_ITEM, error_item_fill, e) == -1)
				return -1;
	} else
		return -1;
	return 0;
}

void
page_error(struct req *r)
{
	struct error_ctx e = { r, 0 };
	struct layout_ctx l = { http_status_text(r->status), TMPL_ERROR, error_fill, &e, 1 };

	if (r->detail[0] == '\0')
		req_fail(r, r->status, "%s.", http_status_text(r->status));
	req_header(r, "Cache-Control", "no-store");
	render_in_layout(r, &l);
}
