/* api_articles.c: the articles as the JSON interface gives them: the list, one article, one
 * approved version. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "catalog.h"
#include "content.h"
#include "db.h"
#include "render.h"
#include "links.h"
#include "memo.h"
#include "log.h"
#include "route.h"
#include "versions.h"
#include "util.h"

#define PER_PAGE_DEFAULT 20

static json_t *
article_summary_new(const struct article_view *v)
{
	char	 url[256], api[64];

	link_article(url, sizeof(url), v->id, v->slug, 0, NULL);
	snprintf(api, sizeof(api), "/api/v1/articles/%lld", v->id);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)v->id, "slug", v->slug,
	    "question", v->question, "state", states[v->state].code, "last_updated", v->created_at,
	    "url", url, "api_url", api);
}

/* Appends "name=value&" (value percent-encoded) to a Link base, when value is not NULL. name is a
 * literal. */
static void
query_keep(struct buf *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	/* trusted: a parameter name from a literal */
	buf_trusted(b, name, strlen(name));
	buf_lit(b, "=");
	buf_url(b, value);
	buf_lit(b, "&");
}

int
api_articles(struct req *r)
{
	long long page = r->fields[KEY_PAGE].present ? r->fields[KEY_PAGE].num : 1;
	long long per = r->fields[KEY_PER_PAGE].present ? r->fields[KEY_PER_PAGE].num : PER_PAGE_DEFAULT;
	const char *state = r->fields[KEY_STATE].present ? r->fields[KEY_STATE].str : NULL;
	const char *since = r->fields[KEY_UPDATED_SINCE].present ? r->fields[KEY_UPDATED_SINCE].str : NULL;
	const char *sort = r->fields[KEY_SORT].present ? r->fields[KEY_SORT].str : NULL;
	long long total, pages;
	struct catalog_list cl;
	struct buf base = BUF_INIT;
	json_t	*list;
	char	 num[24];
	int	 rc;

	if ((rc = req_outcome(r, catalog_api(&r->dom, state, since, sort, page, per, &cl))) != 200)
		return rc;
	total = cl.total;
	pages = cl.pages;
	if ((list = json_array()) == NULL)
		return 500;
	for (int i = 0; i < cl.n; i++) {
		json_t	*item;

		if ((item = article_summary_new(&cl.rows[i].v)) == NULL ||
		    json_object_set_new(item, "changed_at", json_str_or_null(cl.rows[i].changed_at)) == -1 ||
		    json_array_append_new(list, item) == -1) {
			json_decref(list);
			return 500;
		}
	}
	snprintf(num, sizeof(num), "%lld", total);
	req_header(r, "X-Total-Count", num);
	buf_lit(&base, "/api/v1/articles?");
	query_keep(&base, "state", state);
	query_keep(&base, "updated_since", since);
	query_keep(&base, "sort", sort);
	if (!base.err)
		api_link_header(r, base.p, page, pages, per);
	buf_free(&base);
	return api_reply_steal(r, list, 200, CACHE_NO_CACHE);
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
	    "type", ref->kind, "title", ref->title, "source", json_str_or_null(ref->source),
	    "year", ref->year ? json_integer(ref->year) : json_null(), "pmid", json_str_or_null(ref->pmid),
	    "doi", json_str_or_null(ref->doi), "url", json_str_or_null(ref->url), "authors", au,
	    "pubmed_url", ref->pmid ? json_string(pubmed) : json_null(),
	    "doi_url", ref->doi ? json_string(doi) : json_null());
}

/* Adds to article j what its page shows of its review: the author, the review steps readers see with
 * when the shown revision reached each (as the page's step list), who approved it, the review-by date,
 * whether that review is overdue, and whether a newer revision is in review. Returns 0 or -1. */
static int
review_new(const struct article_view *v, json_t *j)
{
	int	 cur = v->state == STATE_CHANGES_REQUESTED || v->state >= STATE_STEPS ? STATE_SUBMITTED :
	    (int)v->state;
	json_t	*steps = json_array();
	char	 now[21];
	int	 rc = 0;

	time_now_iso(now);
	for (int i = 0; steps != NULL && i < STATE_STEPS; i++) {
		const char *at = NULL;

		if (i == STATE_SUBMITTED)
			at = v->created_at;
		else if (i == STATE_UNDER_REVIEW && i <= cur)
			at = v->review_started_at ? v->review_started_at :
			    v->state == STATE_UNDER_REVIEW ? v->state_at : NULL;
		else if (i == STATE_APPROVED && v->state == STATE_APPROVED)
			at = v->approved_at ? v->approved_at : v->state_at;
		rc |= json_array_append_new(steps, json_pack("{s:s, s:s, s:s, s:o}", "state", states[i].code,
		    "label", states[i].label, "status", i < cur ? "done" : i == cur ? "current" : "todo",
		    "at", json_str_or_null(at)));
	}
	rc |= json_object_set_new(j, "author", json_str_or_null(v->author));
	rc |= json_object_set_new(j, "state_at", json_str_or_null(v->state_at));
	rc |= json_object_set_new(j, "review_steps", steps);
	rc |= json_object_set_new(j, "approved_by", v->state == STATE_APPROVED && v->approver != NULL ?
	    json_pack("{s:s, s:o, s:o}", "name", v->approver, "credential", v->approver_credential &&
	    v->approver_credential[0] ? json_string(v->approver_credential) : json_null(), "at",
	    json_str_or_null(v->approved_at)) : json_null());
	rc |= json_object_set_new(j, "review_by", json_str_or_null(v->review_by));
	rc |= json_object_set_new(j, "review_overdue", json_boolean(content_review_overdue(v, now)));
	rc |= json_object_set_new(j, "update_in_review", json_boolean(v->state == STATE_APPROVED &&
	    v->latest_number > v->rev_number));
	return rc ? -1 : 0;
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
	if (review_new(&v, j) == -1) {
		json_decref(extra);
		json_decref(j);
		return 500;
	}
	/* the approver's statement of interests goes with the approval */
	if (json_is_object(json_object_get(j, "approved_by")) &&
	    json_object_set_new(json_object_get(j, "approved_by"), "conflicts",
	    json_str_or_null(v.approver_conflicts)) == -1) {
		json_decref(extra);
		json_decref(j);
		return 500;
	}
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
	r->content_type = API_JSON_TYPE;
	/* trusted: jansson wrote both parts */
	buf_trusted(&r->body, head, hl - 1);
	buf_lit(&r->body, ",");
	/* trusted: jansson wrote the stored document */
	buf_trusted(&r->body, v.doc_json + 1, strlen(v.doc_json + 1));
	buf_lit(&r->body, "\n");
	free(head);
	req_cache(r, CACHE_NO_CACHE);
	return r->body.err ? 500 : 200;
}

/* Where v came from when it was imported: {"provenance"} (who approved it is review_new()'s). */
static json_t *
standing_new(const struct article_view *v)
{
	json_t	*prov = v->imported_at == NULL ? json_null() : json_pack("{s:s, s:s, s:s?, s:s, s:s, s:b}",
	    "imported_by", v->imported_by, "source", v->import_source, "source_url", v->import_url,
	    "imported_as", v->import_state, "imported_at", v->imported_at,
	    "reviewed_here", v->approver != NULL);

	return json_pack("{s:o}", "provenance", prov ? prov : json_null());
}

/* The articles related to v, as its page lists them (related_articles in sql/queries.sql): an array of
 * {"id", "slug", "question", "url", "api_url", "reason" ("references", "topic" or "synonym"),
 * "shared_references" (0 for a name), "shared_name" (the topic or synonym both go by; null for
 * references)}. A new reference, or NULL when the database or memory failed. */
static json_t *
related_json_new(struct req *r, const struct article_view *v)
{
	static const char *const reasons[RELATED__MAX] = {
		[RELATED_REFERENCES] = "references", [RELATED_TOPIC] = "topic",
		[RELATED_SYNONYM] = "synonym", [RELATED_SHARED_SYNONYM] = "synonym",
	};
	struct related_row *rows;
	json_t	*a;
	int	 n;

	if (req_outcome(r, catalog_related(&r->dom, v->id, v->rev_id, &rows, &n)) != 200 ||
	    (a = json_array()) == NULL)
		return NULL;
	for (int i = 0; i < n; i++) {
		char	 url[256], api[64];

		link_article(url, sizeof(url), rows[i].id, rows[i].slug, 0, NULL);
		snprintf(api, sizeof(api), "/api/v1/articles/%lld", rows[i].id);
		if (json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:o}", "id",
		    (json_int_t)rows[i].id, "slug", rows[i].slug, "question", rows[i].question, "url", url,
		    "api_url", api, "reason", reasons[rows[i].how], "shared_references", rows[i].shared,
		    "shared_name", json_str_or_null(rows[i].name))) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* GET /api/v1/articles/{id}: the article as JSON. The reply is kept in the worker's memo (memo.h)
 * until the content changes, or until its review falls due when it has a review-by date ahead (the
 * reply says whether the review is overdue), so that an article asked again is not built again. */
int
api_article(struct req *r)
{
	struct article_view v;
	const struct audience *aud = NULL;
	unsigned long long version = r->memo != NULL ? db_version(r->db) : 0;
	const char *kept;
	char	 key[64], now[21];
	size_t	 len;
	int	 rc;

	if (r->fields[KEY_AUDIENCE].present)
		aud = audience_find(r->fields[KEY_AUDIENCE].str);
	snprintf(key, sizeof(key), "article %lld %s", r->id, aud != NULL ? aud->code : "-");
	time_now_iso(now);
	if ((kept = memo_get(r->memo, version, key, now, &len)) != NULL) {
		r->content_type = API_JSON_TYPE;
		/* trusted: the reply below, as it was built */
		buf_trusted(&r->body, kept, len);
		req_cache(r, CACHE_NO_CACHE);
		return r->body.err ? 500 : 200;
	}
	if ((rc = req_outcome(r, content_article(&r->dom, r->id, aud, CONTENT_DOC | CONTENT_REFS,
	    &v))) != 200)
		return rc;
	json_t	*extra = standing_new(&v);

	if (extra != NULL) {
		json_t	*rel = related_json_new(r, &v);

		json_object_set_new(extra, "versions", versions_json_new(r, &v));
		if (rel == NULL || json_object_set_new(extra, "related", rel) == -1) {
			json_decref(extra);
			return 500;
		}
	}
	if ((rc = article_reply_steal(r, &v, extra)) == 200 && !r->body.err)
		memo_put(r->memo, version, key, r->body.p, r->body.len, content_review_due(&v, now));
	return rc;
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
	if ((rc = req_outcome(r, content_article(&r->dom, r->id, NULL, 0, &cur))) != 200 ||
	    (rc = req_outcome(r, versions_find(&r->dom, cur.id, r->num, &rev_id))) != 200 ||
	    (rc = req_outcome(r, content_revision(&r->dom, rev_id, aud, CONTENT_DOC | CONTENT_REFS,
	    &v))) != 200)
		return rc;
	link_article(url, sizeof(url), v.id, v.slug, v.rev_number, NULL);
	/* the version's own address, and the revision readers see now */
	extra = standing_new(&v);
	if (extra != NULL)
		json_object_update_new(extra, json_pack("{s:s, s:i, s:b}", "permalink", url,
		    "current_revision", cur.rev_number, "current", cur.rev_id == v.rev_id));
	return article_reply_steal(r, &v, extra);
}
