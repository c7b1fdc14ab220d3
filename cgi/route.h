/* route.h: the route table and the dispatcher that runs one request through it. */
#ifndef EVQA_ROUTE_H
#define EVQA_ROUTE_H

#include "req.h"

/* One route: a path pattern, the methods it answers, the parameters it takes, its handler.
 * Pattern segments are literal, "{id}" (a positive whole number, in r->id) or "{slug}" (r->slug). */
struct route {
	const char	*pattern;
	unsigned int	 methods;	/* M() mask; GET implies HEAD; and ROUTE_PUBLIC */
	unsigned long long keys;	/* K() mask of query and form parameters */
	unsigned int	 accepts;	/* request bodies it takes: 0, BODY_FORM, BODY_JSON */
	int		(*handler)(struct req *);
};

/* The page is the same for every reader of one audience: no cookie, no token. The dispatcher gives it
 * the content-version ETag (and answers a matching If-None-Match with 304 before the handler runs),
 * the cache policy CACHE_PUBLIC_PAGE (req.h; its handler chooses none) and Vary: Cookie; a reply that
 * sets a cookie is private, no-store instead. nginx caches these pages (conf/evqa-site.conf.in). */
#define ROUTE_PUBLIC	(1u << 16)	/* in the methods column: M(GET) | ROUTE_PUBLIC */
#define ROUTE_METHODS	((1u << METHOD__MAX) - 1)

#define BODY_FORM	0x01	/* application/x-www-form-urlencoded, parsed into r->fields */
#define BODY_JSON	0x02	/* application/json, parsed by the handler with api_body() */
#define BODY_IDEMPOTENT	0x04	/* takes Idempotency-Key: a repeated request gets the first reply (api_idem.c) */

/* Validates the request, routes it, runs the handler and builds the whole reply in r (status,
 * headers, body): errors become the shared error page or problem+json, GETs get an ETag and may
 * become 304. Never fails: at worst the reply is a 500 page. */
void	 route_dispatch(struct req *r);
/* The dispatcher's work done once, before the first request: the build's part of public pages'
 * ETags (it reads the program file). Later calls do nothing. */
void	 route_prepare(void);

/* Finds the route for a path; fills r->id / r->slug. Returns NULL when no pattern matches, and sets
 * *methods to the union of methods of the routes whose pattern matches (for 405 / Allow). */
const struct route *route_match(struct req *r, const char *path, enum method m, unsigned int *methods);

/* Handlers (one file per group of routes). */
int	 page_home(struct req *);
int	 page_article(struct req *);
int	 page_article_redirect(struct req *);
int	 page_policy(struct req *);
int	 page_healthz(struct req *);
int	 api_articles(struct req *);
int	 api_article(struct req *);
/* Approved versions at their own addresses and what changed between them (versions.c). */
int	 page_article_version(struct req *);
/* RIS, BibTeX and CSL-JSON of an article, of one of its references or all of them (cite.c). */
int	 page_citation(struct req *);
/* robots.txt, sitemap.xml, the Atom feed of what is new, the favicon (site.c). */
int	 page_robots(struct req *);
int	 page_sitemap(struct req *);
int	 page_feed(struct req *);
int	 page_favicon(struct req *);
int	 page_article_changes(struct req *);
int	 api_article_version(struct req *);
int	 api_article_changes(struct req *);
/* The article page of approved revision rev_id (its version page), under a banner linking to cur, what
 * readers see now (page_article.c). */
struct article_view;
int	 page_version_render(struct req *r, const struct article_view *cur, long long rev_id);
/* A 301 to /articles/{id}/{slug}, then suffix (or NULL), then n when n > 0, keeping ?audience=. */
int	 page_redirect_article(struct req *r, long long id, const char *slug, const char *suffix, int n);
/* GET /api/v1/openapi.json: the OpenAPI document of the JSON interface (docs/openapi.json). */
int	 api_openapi(struct req *);
/* GET /api/v1/problems/{kind}: what a problem type of the API's errors means. */
int	 api_problem_type(struct req *);

/* Editorial pages under /editor, one file per group (editor.h): editor_login.c, editor_dash.c,
 * editor_review.c, editor_edit.c, editor_diff.c. */
int	 editor_login_form(struct req *);
int	 editor_login(struct req *);
int	 editor_logout(struct req *);
int	 editor_dashboard(struct req *);
int	 editor_new(struct req *);
int	 editor_create(struct req *);
int	 editor_article(struct req *);
int	 editor_edit_form(struct req *);
int	 editor_edit(struct req *);
int	 editor_diff(struct req *);
int	 editor_transition(struct req *);
/* The editorial JSON interface (api_editor.c). */
int	 api_revisions(struct req *);
int	 api_revision(struct req *);
int	 api_history(struct req *);
int	 api_article_create(struct req *);
int	 api_article_put(struct req *);
int	 api_transition(struct req *);
int	 api_session_create(struct req *);
int	 api_session_delete(struct req *);

/* Renders the view v's public article markup (the article template, as readers get it) into out,
 * for the editor's preview (workflow_preview() loads v). Returns 0, or -1 when it could not. */
int	 page_article_preview(struct req *r, const struct article_view *v, struct buf *out);

/* Search and readers' questions (search_pages.c, question.c). */
int	 page_search(struct req *);
/* Frees this worker thread's search caches (search_pages.c); called when a worker ends. */
void	 search_pages_thread_end(void);
int	 api_search(struct req *);
int	 page_question_post(struct req *);
int	 page_question_new(struct req *);
int	 page_question(struct req *);
int	 api_question_post(struct req *);
int	 api_question(struct req *);

/* A worker's cache of rendered article pages (page_article.c): articles are read far more often than they
 * change, so a page is rendered once per database version and audience, then copied. */
struct page_cache *page_cache_new(void);
void	 page_cache_free(struct page_cache *);


/* Renders the editors' bar (editor-bar.html) for the signed-in r->user, its log-out form carrying the
 * form token csrf. Returns 0, or -1 when the render failed. */
int	 editor_bar_write(struct buf *out, const struct req *r, const char *csrf);
/* Renders one <option> of a filter (editor-option.html): value, its label, selected if selected is
 * set. Returns 0, or -1 when the render failed. */
int	 editor_option_write(struct buf *out, const char *value, const char *label, int selected);
/* Renders the editors' "nothing to list" line (editor-empty.html) saying message. Returns 0 or -1. */
int	 editor_empty_write(struct buf *out, const char *message);

/* The question queue (question_queue.c). */
int	 editor_questions(struct req *);
int	 editor_question(struct req *);
int	 editor_question_link(struct req *);
int	 editor_question_dismiss(struct req *);
int	 editor_question_article_form(struct req *);
int	 editor_question_article(struct req *);
int	 api_questions(struct req *);
int	 api_question_link(struct req *);
int	 api_question_dismiss(struct req *);
/* The article editor started from reader's question qid (editor_edit.c): the new-article form with the
 * question as the article's question, and saving it (the question is linked to the new article in
 * the same transaction). The caller has checked the role and that the question exists. */
int	 editor_form_for_question(struct req *r, long long qid, const char *question);
int	 editor_save_for_question(struct req *r, long long qid);

/* Idempotency-Key (api_idem.c). api_idem_begin() runs before the handler of a BODY_IDEMPOTENT route
 * when the request has the header: it returns 0 when the key is new (claimed in *st: run the handler,
 * then call api_idem_end() with its status, which keeps a successful reply or releases the key), or
 * the status of the reply it built: the kept reply to the same request, 422 for a key used with
 * another request, 409 while the first is still being handled, 400 for a malformed key. */
struct idem {
	char		 scope[96];	/* "user:ID", or "addr:ADDRESS CSRF-COOKIE" for anonymous clients */
	const char	*key;
	char		 request[17];	/* hash of method, path and body */
	int		 claimed;
};
int	 api_idem_begin(struct req *r, struct idem *st);
void	 api_idem_end(struct req *r, struct idem *st, int status);

/* Renders the error page (HTML) or problem+json for r->status into r->body. */
void	 page_error(struct req *r);
void	 api_problem(struct req *r);

/* Writes the editors' dashboard section of articles flagged by retraction watch (nothing when there
 * are none) (page_retract.c). Returns 0 or -1. */
int	 retract_write_dashboard(struct buf *out, struct req *r);

/* Approved versions on the article page and in its JSON (page_versions.c; the versions are versions.h's).
 * versions_write_list() writes the "Approved versions" section of the article page of v, marking
 * version reading (0: the article's own page), nothing when there is no approved version;
 * versions_write_banner() the banner of the version page of v, linking to cur, what readers see now.
 * Both return 0 or -1. versions_json_new() gives the versions of v's article as JSON: [{"revision",
 * "approved_at", "approved_by", "url", "api_url", "changes_api_url"}], newest first: a new reference,
 * or NULL. */
struct json_t;
int	 versions_write_list(struct buf *out, struct req *r, const struct article_view *v, int reading);
int	 versions_write_banner(struct buf *out, struct req *r, const struct article_view *v,
	    const struct article_view *cur);
struct json_t *versions_json_new(struct req *r, const struct article_view *v);

/* Citing an article on its page (page_cite.c; the formats are cite.h's). cite_write_block() writes
 * the "Cite this article" block for v (the version shown); cite_write_ref_links() the download links
 * of reference num of v's list. Both return 0 or -1. */
int	 cite_write_block(struct buf *out, struct req *r, const struct article_view *v);
int	 cite_write_ref_links(struct buf *out, struct req *r, const struct article_view *v, int num);

#endif
