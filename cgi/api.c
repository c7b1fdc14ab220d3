/* api.c: the JSON interface under /api/v1 and its problem+json errors (RFC 9457). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "content.h"
#include "render.h"
#include "db.h"
#include "log.h"
#include "route.h"
#include "versions.h"

#define JSON_TYPE	"application/json"
#define PROBLEM_TYPE	"application/problem+json"
#define PER_PAGE_DEFAULT 20

int
api_reply_steal(struct req *r, json_t *j, int status, const char *cache_control)
{
	char	*s;

	if (j == NULL)
		return 500;
	s = json_dumps(j, RENDER_JSON_FLAGS);
	json_decref(j);
	if (s == NULL)
		return 500;
	r->content_type = JSON_TYPE;
	/* trusted: jansson's escaping writer made it */
	buf_trusted(&r->body, s, strlen(s));
	buf_lit(&r->body, "\n");
	free(s);
	req_header(r, "Cache-Control", cache_control);
	return r->body.err ? 500 : status;
}

/* A JSON string, or null for NULL. */
static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
article_summary_new(const struct article_view *v)
{
	char	 url[256], api[64];

	snprintf(url, sizeof(url), "/articles/%lld/%s", v->id, v->slug);
	snprintf(api, sizeof(api), "/api/v1/articles/%lld", v->id);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)v->id, "slug", v->slug,
	    "question", v->question, "state", states[v->state].code, "last_updated", v->created_at,
	    "url", url, "api_url", api);
}

void
api_link_header(struct req *r, const char *base, long long page, long long pages, long long per)
{
	struct buf b = BUF_INIT;
	struct { const char *rel; long long page; int on; } rels[] = {
		{ "first", 1, page > 1 },
		{ "prev", page - 1, page > 1 },
		{ "next", page + 1, page < pages },
		{ "last", pages, page < pages },
	};

	for (size_t i = 0; i < sizeof(rels) / sizeof(rels[0]); i++) {
		if (!rels[i].on)
			continue;
		if (b.len > 0)
			buf_lit(&b, ", ");
		buf_lit(&b, "<");
		/* trusted: the caller built base from literals and buf_url() */
		buf_trusted(&b, base, strlen(base));
		buf_printf(&b, "page=%lld&per_page=%lld>; rel=\"", rels[i].page, per);
		/* trusted: a rel name from the table above */
		buf_trusted(&b, rels[i].rel, strlen(rels[i].rel));
		buf_lit(&b, "\"");
	}
	if (b.len > 0 && !b.err)
		req_header(r, "Link", b.p);
	buf_free(&b);
}

int
api_articles(struct req *r)
{
	long long page = r->fields[KEY_PAGE].present ? r->fields[KEY_PAGE].num : 1;
	long long per = r->fields[KEY_PER_PAGE].present ? r->fields[KEY_PER_PAGE].num : PER_PAGE_DEFAULT;
	long long total, pages;
	sqlite3_stmt *s;
	json_t	*list;
	char	 num[24];
	int	 rc;

	s = db_stmt(r->db, STMT_ARTICLE_COUNT);
	if (sqlite3_step(s) != SQLITE_ROW)
		return 500;
	total = sqlite3_column_int64(s, 0);
	pages = total == 0 ? 1 : (total + per - 1) / per;
	if (page > pages && page > 1)
		return req_field_error(r, "page", "must be from 1 to %lld: there are %lld articles, %lld to a "
		    "page.", pages, total, per);
	if ((list = json_array()) == NULL)
		return 500;
	s = db_stmt(r->db, STMT_ARTICLE_PAGE);
	sqlite3_bind_int64(s, 1, per);
	sqlite3_bind_int64(s, 2, (page - 1) * per);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct article_view v;

		memset(&v, 0, sizeof(v));
		if (content_article_row(r, s, &v) != 200 ||
		    json_array_append_new(list, article_summary_new(&v)) == -1) {
			json_decref(list);
			return 500;
		}
	}
	if (rc != SQLITE_DONE) {
		json_decref(list);
		return 500;
	}
	snprintf(num, sizeof(num), "%lld", total);
	req_header(r, "X-Total-Count", num);
	api_link_header(r, "/api/v1/articles?", page, pages, per);
	return api_reply_steal(r, list, 200, "no-cache");
}

static json_t *
reference_new(const struct reference *ref)
{
	char	 pubmed[64] = "", doi[600] = "";

	if (ref->pmid != NULL)
		snprintf(pubmed, sizeof(pubmed), "https://pubmed.ncbi.nlm.nih.gov/%s/", ref->pmid);
	if (ref->doi != NULL)
		snprintf(doi, sizeof(doi), "https://doi.org/%s", ref->doi);
	json_t	*au = json_array();

	for (int i = 0; au != NULL && i < ref->nauthors; i++)
		json_array_append_new(au, ref->authors[i].literal ? json_pack("{s:s}", "literal",
		    ref->authors[i].literal) : json_pack("{s:s, s:s?}", "family", ref->authors[i].family,
		    "given", ref->authors[i].given));
	return json_pack("{s:i, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "number", ref->num,
	    "type", ref->kind, "title", ref->title, "source", str_or_null(ref->source),
	    "year", ref->year ? json_integer(ref->year) : json_null(), "pmid", str_or_null(ref->pmid),
	    "doi", str_or_null(ref->doi), "url", str_or_null(ref->url), "authors", au,
	    "pubmed_url", ref->pmid ? json_string(pubmed) : json_null(),
	    "doi_url", ref->doi ? json_string(doi) : json_null());
}

/* Replies with the article v (loaded with CONTENT_DOC | CONTENT_REFS) as JSON, with the members of
 * the object extra added; takes the reference to extra (NULL: out of memory, 500). */
static int
article_reply_steal(struct req *r, const struct article_view *vp, json_t *extra)
{
	struct article_view v = *vp;
	json_t	*j, *auds, *refs;
	char	*head;
	size_t	 hl;

	if (extra == NULL)
		return 500;
	if (v.doc_json[0] != '{' || v.doc_json[strlen(v.doc_json) - 1] != '}') {
		log_warnx("article %lld: the stored document is not a JSON object", v.id);
		json_decref(extra);
		return 500;
	}
	auds = json_array();
	for (int i = 0; i < AUD__MAX; i++)
		if (v.has_audience & (1u << i))
			json_array_append_new(auds, json_string(audiences[i].code));
	refs = json_array();
	for (int i = 0; i < v.nrefs; i++)
		json_array_append_new(refs, reference_new(&v.refs[i]));
	if ((j = article_summary_new(&v)) == NULL) {
		json_decref(auds);
		json_decref(refs);
		json_decref(extra);
		return 500;
	}
	json_object_set_new(j, "revision", json_integer(v.rev_number));
	json_object_set_new(j, "audience", json_string(v.audience->code));
	json_object_set_new(j, "wording", json_string(v.wording->code));
	json_object_set_new(j, "audiences", auds);
	json_object_set_new(j, "references", refs);
	json_object_update(j, extra);
	json_decref(extra);
	/* The stored document (bottom_line, sections) was written by jansson when the text was saved;
	 * it is spliced in as it is rather than parsed and written again on every read. */
	head = json_dumps(j, RENDER_JSON_FLAGS);
	json_decref(j);
	if (head == NULL || (hl = strlen(head)) < 2 || head[hl - 1] != '}') {
		free(head);
		return 500;
	}
	r->content_type = JSON_TYPE;
	/* trusted: jansson wrote both parts */
	buf_trusted(&r->body, head, hl - 1);
	buf_lit(&r->body, ",");
	/* trusted: jansson wrote the stored document */
	buf_trusted(&r->body, v.doc_json + 1, strlen(v.doc_json + 1));
	buf_lit(&r->body, "\n");
	free(head);
	req_header(r, "Cache-Control", "no-cache");
	return r->body.err ? 500 : 200;
}

/* Who approved v, and where it came from when it was imported: {"approved_by", "provenance"}. */
static json_t *
standing_new(const struct article_view *v)
{
	json_t	*by = v->approver == NULL ? json_null() : json_pack("{s:s, s:s?, s:s?, s:s?}", "name", v->approver,
	    "credential", v->approver_credential && v->approver_credential[0] ? v->approver_credential : NULL,
	    "conflicts", v->approver_conflicts, "approved_at", v->approved_at);
	json_t	*prov = v->imported_at == NULL ? json_null() : json_pack("{s:s, s:s, s:s?, s:s, s:s, s:b}",
	    "imported_by", v->imported_by, "source", v->import_source, "source_url", v->import_url,
	    "imported_as", v->import_state, "imported_at", v->imported_at,
	    "reviewed_here", v->approver != NULL);

	return json_pack("{s:o, s:o}", "approved_by", by ? by : json_null(), "provenance", prov ? prov : json_null());
}

int
api_article(struct req *r)
{
	struct article_view v;
	const struct audience *aud = NULL;
	int	 rc;

	if (r->fields[KEY_AUDIENCE].present)
		aud = audience_find(r->fields[KEY_AUDIENCE].str);
	if ((rc = content_article(r, r->id, aud, CONTENT_DOC | CONTENT_REFS, &v)) != 200)
		return rc;
	json_t	*extra = standing_new(&v);

	if (extra != NULL)
		json_object_set_new(extra, "versions", versions_json_new(r, &v));
	return article_reply_steal(r, &v, extra);
}

int
api_article_version(struct req *r)
{
	struct article_view cur, v;
	const struct audience *aud = NULL;
	long long rev_id;
	json_t	*extra;
	char	 url[300];
	int	 rc;

	if (r->fields[KEY_AUDIENCE].present)
		aud = audience_find(r->fields[KEY_AUDIENCE].str);
	if ((rc = content_article(r, r->id, NULL, 0, &cur)) != 200 ||
	    (rc = versions_find(r, &cur, r->num, &rev_id)) != 200 ||
	    (rc = content_revision(r, rev_id, aud, CONTENT_DOC | CONTENT_REFS, &v)) != 200)
		return rc;
	snprintf(url, sizeof(url), "/articles/%lld/%s/v/%d", v.id, v.slug, v.rev_number);
	/* the version's own address, and the revision readers see now */
	extra = standing_new(&v);
	if (extra != NULL)
		json_object_update_new(extra, json_pack("{s:s, s:i, s:b}", "permalink", url,
		    "current_revision", cur.rev_number, "current", cur.rev_id == v.rev_id));
	return article_reply_steal(r, &v, extra);
}

void
api_problem(struct req *r)
{
	json_t	*j, *errs;
	char	*s;

	if (r->detail[0] == '\0')
		req_fail(r, r->status, "%s.", http_status_text(r->status));
	j = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank", "title", http_status_text(r->status),
	    "status", r->status, "detail", r->detail);
	if (j != NULL && r->nerrors > 0) {
		errs = json_array();
		for (int i = 0; i < r->nerrors; i++)
			json_array_append_new(errs, json_pack("{s:s, s:s}", "field", r->errors[i].field,
			    "detail", r->errors[i].detail));
		json_object_set_new(j, "errors", errs);
	}
	s = j ? json_dumps(j, RENDER_JSON_FLAGS) : NULL;
	json_decref(j);
	r->content_type = PROBLEM_TYPE;
	req_header(r, "Cache-Control", "no-store");
	if (s == NULL) {
		r->body.err = 1;
		return;
	}
	/* trusted: jansson's escaping writer made it */
	buf_trusted(&r->body, s, strlen(s));
	buf_lit(&r->body, "\n");
	free(s);
}

json_t *
api_body(struct req *r, int *status)
{
	json_t	*j;
	json_error_t e;

	if (!req_body_is(r, "application/json")) {
		*status = req_fail(r, 415, "Send the request body as application/json.");
		return NULL;
	}
	if (r->in->body_len == 0) {
		*status = req_fail(r, 400, "The request needs a JSON object as its body.");
		return NULL;
	}
	j = json_loadb(r->in->body, r->in->body_len, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL) {
		*status = req_fail(r, 400, "The body is not valid JSON: %s (line %d, column %d).", e.text,
		    e.line, e.column);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		*status = req_fail(r, 400, "The body must be a JSON object.");
		return NULL;
	}
	return j;
}
