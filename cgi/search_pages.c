/* search_pages.c: GET /search (HTML) and GET /api/v1/search (JSON). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "content.h"
#include "db.h"
#include "page.h"
#include "render.h"
#include "route.h"
#include "search.h"
#include "tmpl.h"

#define PAGE_GROUPS	10	/* articles on one page of /search */
#define CACHE_SLOTS	64	/* replies each worker keeps */
#define CACHE_BODY_MAX	(256 * 1024)

/* Each worker keeps its latest search replies (body, extra headers and cache policy: a search sets no
 * other field of the reply) by address and audience until the database changes: the same searches
 * come again and again (a popular topic, a link), and a reply copied costs a hundredth of a search. */
static __thread struct reply_cache {
	unsigned long long version;
	unsigned int	 next;
	struct cached {
		char		*key;
		char		*body, *headers;
		size_t		 body_len, headers_len;
		const char	*content_type;
		enum cache_policy cache_control;
	} slot[CACHE_SLOTS];
} *rcache;

static char *
cache_key(struct req *r)
{
	const char *aud = r->cookie_audience ? r->cookie_audience : "";
	size_t	 n = strlen(r->path) + strlen(r->query) + strlen(aud) + 3;
	char	*k = req_alloc(r, n);

	if (k != NULL)
		snprintf(k, n, "%s?%s|%s", r->path, r->query, aud);
	return k;
}

/* 200 with the cached reply in r, or 0 when there is none. */
static int
cache_get(struct req *r, const char *key)
{
	unsigned long long v;

	if (key == NULL || rcache == NULL)
		return 0;
	v = db_version(r->db);
	if (v != rcache->version)
		return 0;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct cached *c = &rcache->slot[i];

		if (c->key == NULL || strcmp(c->key, key) != 0)
			continue;
		/* trusted: a reply evqa built for the same request before the database last changed */
		buf_trusted(&r->body, c->body, c->body_len);
		/* trusted: headers set through req_header() for that reply */
		buf_trusted(&r->headers, c->headers, c->headers_len);
		r->content_type = c->content_type;
		if (c->cache_control != CACHE_NONE)
			req_cache(r, c->cache_control);
		return r->body.err || r->headers.err ? 500 : 200;
	}
	return 0;
}

static void
cache_put(struct req *r, const char *key, unsigned long long version)
{
	struct cached *c;

	if (key == NULL || r->body.err || r->body.len > CACHE_BODY_MAX)
		return;
	if (rcache == NULL && (rcache = calloc(1, sizeof(*rcache))) == NULL)
		return;
	if (rcache->version != version) {
		for (int i = 0; i < CACHE_SLOTS; i++) {
			free(rcache->slot[i].key);
			free(rcache->slot[i].body);
			free(rcache->slot[i].headers);
		}
		memset(rcache, 0, sizeof(*rcache));
		rcache->version = version;
	}
	c = &rcache->slot[rcache->next++ % CACHE_SLOTS];
	free(c->key);
	free(c->body);
	free(c->headers);
	c->key = strdup(key);
	c->body = malloc(r->body.len + 1);
	c->headers = malloc(r->headers.len + 1);
	if (c->key == NULL || c->body == NULL || c->headers == NULL) {
		free(c->key);
		free(c->body);
		free(c->headers);
		memset(c, 0, sizeof(*c));
		return;
	}
	memcpy(c->body, r->body.p ? r->body.p : "", r->body.len);
	memcpy(c->headers, r->headers.p ? r->headers.p : "", r->headers.len);
	c->body_len = r->body.len;
	c->headers_len = r->headers.len;
	c->content_type = r->content_type;
	c->cache_control = r->cache_control;
}
#define PER_PAGE_DEFAULT 20

struct search_ctx {
	struct req	*r;
	const char	*q;
	struct search_query query;
	struct search_result res;
	int		 from, to;	/* groups shown */
	int		 g, k;		/* the group and hit being written */
	long long	 page;
};

static const char *
audience_of(struct req *r)
{
	if (r->fields[KEY_AUDIENCE].present)
		return r->fields[KEY_AUDIENCE].str;
	return r->cookie_audience ? r->cookie_audience : "clinician";
}

static const struct search_hit *
cur_hit(const struct search_ctx *c)
{
	return &c->res.hits[c->res.groups[c->g].hits[c->k]];
}

static int
search_section_fill(struct buf *out, enum tmpl_search_section_hole hole, void *arg)
{
	struct search_ctx *c = arg;
	const struct search_hit *h = cur_hit(c);

	switch (hole) {
	case TH_SEARCH_SECTION_HEADING:
		buf_html(out, h->heading[0] ? h->heading : "Introduction");
		return 0;
	case TH_SEARCH_SECTION_SNIPPET:
		search_snippet_html(out, h->snippet);
		return 0;
	}
	return -1;
}

static int
search_group_fill(struct buf *out, enum tmpl_search_group_hole hole, void *arg)
{
	struct search_ctx *c = arg;
	const struct search_hit *h;
	enum state st;

	c->k = 0;
	h = cur_hit(c);
	st = state_find(h->state);

	switch (hole) {
	case TH_SEARCH_GROUP_URL:
		buf_lit(out, "/articles/");
		buf_int(out, h->article_id);
		buf_lit(out, "/");
		buf_html(out, h->slug);
		return 0;
	case TH_SEARCH_GROUP_QUESTION:
		buf_html(out, h->question);
		return 0;
	case TH_SEARCH_GROUP_STATE:
		buf_html(out, h->state);
		return 0;
	case TH_SEARCH_GROUP_STATE_LABEL:
		buf_html(out, st < STATE__MAX ? states[st].label : h->state);
		return 0;
	case TH_SEARCH_GROUP_UNAPPROVED:
		if (st != STATE_APPROVED)
			return tmpl_render_unapproved_note(out);
		return 0;
	case TH_SEARCH_GROUP_SECTIONS:
		for (c->k = 0; c->k < c->res.groups[c->g].nhits; c->k++)
			if (tmpl_render_search_section(out, search_section_fill, c) == -1)
				return -1;
		return 0;
	}
	return -1;
}

static int
search_more_fill(struct buf *out, enum tmpl_search_more_hole hole, void *arg)
{
	struct search_ctx *c = arg;

	switch (hole) {
	case TH_SEARCH_MORE_Q:
		buf_url(out, c->q);
		return 0;
	case TH_SEARCH_MORE_NEXT:
		buf_int(out, c->page + 1);
		return 0;
	}
	return -1;
}

static int
search_results_fill(struct buf *out, enum tmpl_search_results_hole hole, void *arg)
{
	struct search_ctx *c = arg;

	switch (hole) {
	case TH_SEARCH_RESULTS_SUMMARY:
		buf_int(out, c->res.total);
		if (c->res.total == 1)
			buf_lit(out, " article matches ");
		else
			buf_lit(out, " articles match ");
		buf_lit(out, "\xe2\x80\x9c");
		buf_html(out, c->q);
		buf_lit(out, "\xe2\x80\x9d. Approved articles are listed first.");
		return 0;
	case TH_SEARCH_RESULTS_START:
		buf_int(out, c->from + 1);
		return 0;
	case TH_SEARCH_RESULTS_GROUPS:
		for (c->g = c->from; c->g < c->to; c->g++)
			if (tmpl_render_search_group(out, search_group_fill, c) == -1)
				return -1;
		return 0;
	case TH_SEARCH_RESULTS_MORE:
		if (c->to < c->res.ngroups)
			return tmpl_render_search_more(out, search_more_fill, c);
		return 0;
	}
	return -1;
}

static int
search_suggest_fill(struct buf *out, enum tmpl_search_suggest_hole hole, void *arg)
{
	struct search_ctx *c = arg;

	switch (hole) {
	case TH_SEARCH_SUGGEST_HREF:
		buf_lit(out, "/search?q=");
		buf_url(out, c->query.corrected);
		return 0;
	case TH_SEARCH_SUGGEST_CORRECTED:
		buf_html(out, c->query.corrected);
		return 0;
	}
	return -1;
}

/* "Did you mean ...?" when a word of the query was taken for another. */
static int
suggest_write(struct buf *out, struct search_ctx *c)
{
	if (c->query.corrected[0] == '\0')
		return 0;
	return tmpl_render_search_suggest(out, search_suggest_fill, c);
}

static int
search_empty_fill(struct buf *out, enum tmpl_search_empty_hole hole, void *arg)
{
	struct search_ctx *c = arg;

	switch (hole) {
	case TH_SEARCH_EMPTY_Q:
		buf_html(out, c->q);
		return 0;
	}
	return -1;
}

static int
search_fill(struct buf *out, enum tmpl_search_hole hole, void *arg)
{
	struct search_ctx *c = arg;

	switch (hole) {
	case TH_SEARCH_Q:
		buf_html(out, c->q);
		return 0;
	case TH_SEARCH_SUGGEST:
		return suggest_write(out, c);
	case TH_SEARCH_RESULTS:
		if (c->q[0] == '\0')
			return 0;
		if (c->res.ngroups == 0)
			return tmpl_render_search_empty(out, search_empty_fill, c);
		return tmpl_render_search_results(out, search_results_fill, c);
	}
	return -1;
}

/* The page's main part (page_render()). */
static int
search_main(struct buf *out, void *arg)
{
	return tmpl_render_search(out, search_fill, arg);
}

/* Runs the request's search; fills c. Returns 0 or an HTTP status. */
static int
run_search(struct req *r, struct search_ctx *c, long long per)
{
	c->r = r;
	c->q = r->fields[KEY_Q].present ? r->fields[KEY_Q].str : "";
	c->page = r->fields[KEY_PAGE].present ? r->fields[KEY_PAGE].num : 1;
	search_parse(r->db, c->q, 0, &c->query);
	c->query.want_total = 1;
	/* deeper pages read more sections, so that every matching article can be reached */
	if ((c->page * per) * 8 > SEARCH_ROWS_MAX)
		c->query.rows = (int)((c->page * per) * 8 < SEARCH_ROWS_LIMIT ? (c->page * per) * 8 :
		    SEARCH_ROWS_LIMIT);
	if (search_run(r->db, &c->query, audience_of(r), r->fields[KEY_STATE].present ?
	    r->fields[KEY_STATE].str : NULL, 0, &c->res) == -1)
		return req_fail(r, 500, "The search failed. Please try again in a moment.");
	c->from = (int)((c->page - 1) * per);
	if (c->page > 1 && c->from >= c->res.ngroups) {
		search_free(&c->res);
		return req_field_error(r, "page", "must be from 1 to %lld: there are %d matching articles we can "
		    "list, %lld to a page.", c->res.ngroups ? (c->res.ngroups + per - 1) / per : 1, c->res.ngroups,
		    per);
	}
	c->to = c->from + (int)per < c->res.ngroups ? c->from + (int)per : c->res.ngroups;
	if (search_detail(r->db, &c->query, &c->res, c->from, c->to) == -1) {
		search_free(&c->res);
		return req_fail(r, 500, "The search failed. Please try again in a moment.");
	}
	return 0;
}

void
search_pages_thread_end(void)
{
	if (rcache == NULL)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		free(rcache->slot[i].key);
		free(rcache->slot[i].body);
		free(rcache->slot[i].headers);
	}
	free(rcache);
	rcache = NULL;
	search_thread_end();
}

int
page_search(struct req *r)
{
	struct search_ctx c;
	int	 rc;
	char	*key = cache_key(r);
	unsigned long long v = db_version(r->db);

	if ((rc = cache_get(r, key)) != 0)
		return rc;
	memset(&c, 0, sizeof(c));
	if ((rc = run_search(r, &c, PAGE_GROUPS)) != 0)
		return rc;
	rc = page_render(r, c.q[0] ? "Search results" : "Search", search_main, &c);
	search_free(&c.res);
	if (rc == 200)
		cache_put(r, key, v);
	return rc;
}

/* Link header for the search (RFC 8288), the query percent-encoded. */
static void
search_links(struct req *r, const struct search_ctx *c, long long per)
{
	long long pages = c->res.total ? (c->res.total + per - 1) / per : 1;
	struct buf b = BUF_INIT;

	buf_lit(&b, "/api/v1/search?q=");
	buf_url(&b, c->q);
	if (r->fields[KEY_AUDIENCE].present) {
		buf_lit(&b, "&audience=");
		buf_url(&b, r->fields[KEY_AUDIENCE].str);
	}
	if (r->fields[KEY_STATE].present) {
		buf_lit(&b, "&state=");
		buf_url(&b, r->fields[KEY_STATE].str);
	}
	buf_lit(&b, "&");
	if (!b.err)
		api_link_header(r, b.p, c->page, pages, per);
	buf_free(&b);
}

int
api_search(struct req *r)
{
	struct search_ctx c;
	long long per = r->fields[KEY_PER_PAGE].present ? r->fields[KEY_PER_PAGE].num : PER_PAGE_DEFAULT;
	json_t	*top;
	char	 num[24], *key;
	int	 rc;
	unsigned long long v;

	if (!r->fields[KEY_Q].present || r->fields[KEY_Q].str[0] == '\0')
		return req_field_error(r, "q", "is required: the words to search for.");
	key = cache_key(r);
	v = db_version(r->db);
	if ((rc = cache_get(r, key)) != 0)
		return rc;
	memset(&c, 0, sizeof(c));
	if ((rc = run_search(r, &c, per)) != 0)
		return rc;
	top = search_results_json_new(&c.res, c.from, c.to, 0);
	snprintf(num, sizeof(num), "%lld", c.res.total);
	req_header(r, "X-Total-Count", num);
	if (c.query.corrected[0] != '\0') {
		struct buf dym = BUF_INIT;

		/* percent-encoded: any byte of the query is safe in a header */
		buf_url(&dym, c.query.corrected);
		if (!dym.err)
			req_header(r, "X-Did-You-Mean", dym.p);
		buf_free(&dym);
	}
	search_links(r, &c, per);
	search_free(&c.res);
	if ((rc = api_reply_steal(r, top, 200, CACHE_NO_CACHE)) != 200)
		return rc;
	cache_put(r, key, v);
	return 200;
}
