/* api_editor.c: the editorial JSON interface under /api/v1: sessions, revisions, history, saving
 * articles (PUT with If-Match) and review transitions. Same rules as the editor pages (workflow.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "auth.h"
#include "content.h"
#include "db.h"
#include "guard.h"
#include "log.h"
#include "render.h"
#include "route.h"
#include "util.h"
#include "workflow.h"

/* The ETag of revision number n of article id: what PUT's If-Match must name. */
static const char *
revision_etag(struct req *r, long long id, int n)
{
	char	 t[64];

	snprintf(t, sizeof(t), "\"rev-%lld-%d\"", id, n);
	return req_strdup(r, t);
}

static json_t *
user_new(const struct user *u)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)u->id, "email", u->email,
	    "name", u->name, "credential", u->credential, "role", role_names[u->role]);
}

/* The members each JSON body takes; any other is refused (api_body_keys()). */
static const char *const session_keys[] = { "email", "password", NULL };
static const char *const transition_keys[] = { "to", "reason", NULL };
static const char *const revision_keys[] = { "question", "texts", "references", NULL };
static const char *const text_keys[] = { "audience", "bottom_line", "body", NULL };
static const char *const reference_keys[] = { "number", "type", "title", "source", "year", "pmid", "doi",
	"url", "authors", NULL };

static const char *opt_str(struct req *r, json_t *o, const char *key, const char *where);

/* ---- /api/v1/session ---- */

int
api_session_create(struct req *r)
{
	json_t	*j;
	const char *email, *pw;
	int	 rc;

	if ((rc = guard_origin(r)) != 0)
		return rc;
	if ((j = api_body(r, &rc)) == NULL)
		return rc;
	if ((rc = api_body_keys(r, j, "", session_keys)) != 0) {
		json_decref(j);
		return rc;
	}
	/* the e-mail address as the login form takes it; the password kept as sent */
	email = opt_str(r, j, "email", "");
	pw = json_string_value(json_object_get(j, "password"));
	if (email == NULL && r->nerrors == 0)
		req_field_error(r, "email", "is required, as a string.");
	if (pw == NULL)
		req_field_error(r, "password", "is required, as a string.");
	if (r->nerrors > 0) {
		json_decref(j);
		return 400;
	}
	rc = auth_login(r, email, pw);
	json_decref(j);
	if (rc != 0)
		return rc;
	return api_reply_steal(r, json_pack("{s:s, s:o}", "csrf_token", r->cookie_csrf, "user", user_new(r->user)),
	    201, CACHE_NO_STORE);
}

int
api_session_delete(struct req *r)
{
	int	 rc;

	if ((rc = auth_identify(r)) != 0)
		return rc;
	if (r->user == NULL || r->user->via_token)
		return req_fail(r, 401, "There is no login session to end.");
	if ((rc = guard_origin(r)) != 0 || (rc = guard_csrf(r)) != 0)
		return rc;
	auth_logout(r);
	return 204;
}

/* ---- revisions and history ---- */

static json_t *
revision_summary_new(const struct rev_info *v, long long id)
{
	char	 url[96];

	snprintf(url, sizeof(url), "/api/v1/articles/%lld/revisions/%d", id, v->number);
	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "number", v->number, "state",
	    states[v->state].code, "state_at", v->state_at, "question", v->question, "author", v->author,
	    "created_at", v->created_at, "api_url", url);
}

int
api_revisions(struct req *r)
{
	struct rev_info *revs;
	json_t	*list;
	int	 n, rc;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	if ((rc = req_outcome(r, workflow_revisions(&r->dom, r->id, &revs, &n))) != 200)
		return rc;
	if (n == 0)
		return req_fail(r, 404, "There is no article with the number %lld.", r->id);
	if ((list = json_array()) == NULL)
		return 500;
	for (int i = 0; i < n; i++)
		if (revs[i].state == STATE__MAX || json_array_append_new(list, revision_summary_new(&revs[i],
		    r->id)) == -1) {
			json_decref(list);
			return 500;
		}
	return api_reply_steal(r, list, 200, CACHE_NO_STORE);
}

int
api_revision(struct req *r)
{
	struct rev_info v, latest;
	struct text_row *tr;
	struct reference *rf;
	long long n;
	json_t	*j, *texts, *refs;
	int	 ntr, nrf, rc;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	if (parse_int(r->slug, 1, 1000000, &n) == -1)
		return req_fail(r, 404, "Revisions are numbered 1, 2, 3 ...");
	if ((rc = req_outcome(r, workflow_latest(&r->dom, r->id, &latest))) != 200)
		return rc;
	if ((rc = req_outcome(r, workflow_revision(&r->dom, r->id, n, &v))) != 200 ||
	    (rc = req_outcome(r, content_texts(&r->dom, v.id, &tr, &ntr))) != 200 ||
	    (rc = req_outcome(r, content_references(&r->dom, v.id, &rf, &nrf))) != 200)
		return rc;
	texts = json_array();
	for (int i = 0; i < ntr; i++)
		json_array_append_new(texts, json_pack("{s:s, s:s, s:s}", "audience", tr[i].audience,
		    "bottom_line", tr[i].bottom_line, "body", tr[i].body));
	refs = json_array();
	for (int i = 0; i < nrf; i++) {
		json_t	*au = rf[i].authors_json ? json_loads(rf[i].authors_json, 0, NULL) : NULL;

		json_array_append_new(refs, json_pack("{s:i, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "number",
		    rf[i].num, "type", rf[i].kind, "title", rf[i].title, "source", json_str_or_null(rf[i].source),
		    "year", rf[i].year == 0 ? json_null() : json_integer(rf[i].year), "pmid",
		    json_str_or_null(rf[i].pmid), "doi", json_str_or_null(rf[i].doi), "url", json_str_or_null(rf[i].url),
		    "authors", au ? au : json_array()));
	}
	if ((j = revision_summary_new(&v, r->id)) == NULL) {
		json_decref(texts);
		json_decref(refs);
		return 500;
	}
	json_object_set_new(j, "latest", json_boolean(v.number == latest.number));
	json_object_set_new(j, "texts", texts);
	json_object_set_new(j, "references", refs);
	r->etag = revision_etag(r, r->id, v.number);
	return api_reply_steal(r, j, 200, CACHE_NO_STORE);
}

int
api_history(struct req *r)
{
	struct audit_row *steps;
	json_t	*list;
	int	 n, rc;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	{
		struct rev_info latest;

		if ((rc = req_outcome(r, workflow_latest(&r->dom, r->id, &latest))) != 200)
			return rc;
	}
	if ((rc = req_outcome(r, workflow_history(&r->dom, r->id, &steps, &n))) != 200)
		return rc;
	list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:i, s:o, s:s, s:o, s:o, s:o, s:s}", "revision",
		    steps[i].revision, "from", json_str_or_null(steps[i].from), "to", steps[i].to, "actor",
		    json_str_or_null(steps[i].actor), "actor_credential", json_str_or_null(steps[i].credential), "reason",
		    json_str_or_null(steps[i].reason), "at", steps[i].at));
	return api_reply_steal(r, list, 200, CACHE_NO_STORE);
}

/* ---- saving ---- */

/* An optional string member: NULL when absent or null; a field error when of another type or when
 * it holds a control character other than tab and line breaks (as the forms refuse them; NUL never
 * gets this far: api_body() parses without JSON_ALLOW_NUL). */
static const char *
opt_str(struct req *r, json_t *o, const char *key, const char *where)
{
	json_t	*v = json_object_get(o, key);
	const unsigned char *p;
	char	*f;

	if (v == NULL || json_is_null(v))
		return NULL;
	if ((f = req_alloc(r, 80)) != NULL)
		snprintf(f, 80, "%s%s", where, key);
	if (!json_is_string(v)) {
		req_field_error(r, f ? f : key, "must be a string.");
		return NULL;
	}
	for (p = (const unsigned char *)json_string_value(v); *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f) {
			req_field_error(r, f ? f : key, "contains a control character.");
			return NULL;
		}
	return req_strdup(r, json_string_value(v));
}

/* Reads {question, texts: [{audience, bottom_line, body}], references: [{type, title, source, year,
 * pmid, doi, url}]} into rev. Returns 0 or 400 with field errors. */
static int
revision_from_json(struct req *r, json_t *j, struct revision_in *rev)
{
	json_t	*texts = json_object_get(j, "texts"), *refs = json_object_get(j, "references");
	struct text_in *t;
	struct reference_in *rf;
	size_t	 i;

	memset(rev, 0, sizeof(*rev));
	if (api_body_keys(r, j, "", revision_keys) != 0)
		return 400;
	rev->question = opt_str(r, j, "question", "");
	if (rev->question == NULL && r->nerrors == 0)
		req_field_error(r, "question", "is required.");
	if (!json_is_array(texts) || json_array_size(texts) == 0 || json_array_size(texts) > AUD__MAX)
		req_field_error(r, "texts", "must be an array of 1 to %d wordings, the clinician one first.",
		    AUD__MAX);
	if (refs != NULL && (!json_is_array(refs) || json_array_size(refs) > REF_MAX))
		req_field_error(r, "references", "must be an array of at most %d references.", REF_MAX);
	if (r->nerrors > 0)
		return 400;
	t = req_alloc(r, AUD__MAX * sizeof(*t));
	rf = req_alloc(r, (json_array_size(refs) + 1) * sizeof(*rf));
	if (t == NULL || rf == NULL)
		return 500;
	for (i = 0; i < json_array_size(texts); i++) {
		json_t	*o = json_array_get(texts, i);
		char	 w[48];

		snprintf(w, sizeof(w), "texts[%zu].", i);
		if (!json_is_object(o))
			return req_field_error(r, "texts", "entry %zu must be an object.", i);
		if (api_body_keys(r, o, w, text_keys) != 0)
			return 400;
		t[i].audience = opt_str(r, o, "audience", w);
		t[i].bottom_line = opt_str(r, o, "bottom_line", w);
		t[i].body = opt_str(r, o, "body", w);
		if (t[i].audience == NULL || t[i].bottom_line == NULL || t[i].body == NULL)
			return r->nerrors ? 400 : req_field_error(r, "texts", "entry %zu needs audience, "
			    "bottom_line and body.", i);
	}
	rev->texts = t;
	rev->ntexts = (int)i;
	for (i = 0; i < json_array_size(refs); i++) {
		json_t	*o = json_array_get(refs, i), *y, *au;
		char	 w[48];

		snprintf(w, sizeof(w), "references[%zu].", i + 1);
		if (!json_is_object(o))
			return req_field_error(r, "references", "entry %zu must be an object.", i + 1);
		if (api_body_keys(r, o, w, reference_keys) != 0)
			return 400;
		y = json_object_get(o, "number");
		if (y != NULL && (!json_is_integer(y) || json_integer_value(y) != (json_int_t)i + 1))
			return req_field_error(r, "references", "entry %zu: number, when given, must be %zu: "
			    "references are numbered by their place in the list.", i + 1, i + 1);
		memset(&rf[i], 0, sizeof(rf[i]));
		rf[i].kind = opt_str(r, o, "type", w);
		rf[i].title = opt_str(r, o, "title", w);
		rf[i].source = opt_str(r, o, "source", w);
		rf[i].pmid = opt_str(r, o, "pmid", w);
		rf[i].doi = opt_str(r, o, "doi", w);
		rf[i].url = opt_str(r, o, "url", w);
		if ((au = json_object_get(o, "authors")) != NULL && !json_is_null(au)) {
			char	*dump = json_dumps(au, JSON_COMPACT | JSON_ENCODE_ANY);

			/* content_save() checks them */
			rf[i].authors_json = dump ? req_strdup(r, dump) : NULL;
			free(dump);
			if (rf[i].authors_json == NULL)
				return 500;
		}
		y = json_object_get(o, "year");
		if (y != NULL && !json_is_null(y)) {
			if (!json_is_integer(y) || json_integer_value(y) < 1800 || json_integer_value(y) > 2200)
				return req_field_error(r, "references", "entry %zu: year must be a whole number "
				    "from 1800 to 2200.", i + 1);
			rf[i].year = (int)json_integer_value(y);
		}
		if (r->nerrors)
			return 400;
	}
	rev->refs = rf;
	rev->nrefs = (int)i;
	return 0;
}

/* 1 when a and b are the same optional text (NULL and "" are both "none", as content_save stores). */
static int
same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* 1 when rev says exactly what revision latest says: its question, every wording and every reference. */
static int
revision_same(struct req *r, const struct rev_info *latest, const struct revision_in *rev)
{
	struct text_row *tr;
	struct reference *rf;
	int	 ntr, nrf, same = same_text(latest->question, rev->question);

	if (!same || content_texts(&r->dom, latest->id, &tr, &ntr) != OUT_OK || ntr != rev->ntexts ||
	    content_references(&r->dom, latest->id, &rf, &nrf) != OUT_OK || nrf != rev->nrefs) {
		dom_clear(&r->dom);
		return 0;
	}
	for (int k = 0; k < ntr && same; k++) {
		int	 i;

		for (i = 0; i < rev->ntexts && !same_text(rev->texts[i].audience, tr[k].audience); i++)
			continue;
		same = i < rev->ntexts && same_text(rev->texts[i].bottom_line, tr[k].bottom_line) &&
		    same_text(rev->texts[i].body, tr[k].body);
	}
	for (int k = 0; k < nrf && same; k++) {
		const struct reference_in *f = &rev->refs[k];

		same = same_text(f->kind, rf[k].kind) && same_text(f->title, rf[k].title) &&
		    same_text(f->source, rf[k].source) && f->year == rf[k].year &&
		    same_text(f->pmid, rf[k].pmid) && same_text(f->doi, rf[k].doi) &&
		    same_text(f->url, rf[k].url) && content_authors_same(f->authors_json, rf[k].authors_json);
	}
	return same;
}

/* POST /api/v1/articles and PUT /api/v1/articles/{id}. */
static int
api_save(struct req *r, long long id)
{
	json_t	*j;
	struct revision_in rev;
	struct rev_info latest;
	long long article = 0;
	int	 rc, number = 0, base = 0;
	char	 loc[96];

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	if (id != 0) {
		const char *im = r->in->if_match;

		if ((rc = req_outcome(r, workflow_latest(&r->dom, id, &latest))) != 200)
			return rc;
		if (latest.state == STATE_ARCHIVED)
			return req_fail(r, 409, "Article %lld is archived; it can no longer be edited.", id);
		if (im == NULL || im[0] == '\0')
			return req_fail(r, 428, "Send If-Match with the ETag of the revision you edited (GET "
			    "/api/v1/articles/%lld/revisions/%d), so that nobody's changes are overwritten.", id,
			    latest.number);
		if (strcmp(im, "*") == 0)
			return req_fail(r, 428, "If-Match: * does not name a revision: send If-Match with the ETag "
			    "of the revision you edited (GET /api/v1/articles/%lld/revisions/%d gives %s), so that "
			    "nobody's changes are overwritten.", id, latest.number, revision_etag(r, id, latest.number));
		if (strcmp(im, revision_etag(r, id, latest.number)) != 0)
			return req_fail(r, 412, "The article has changed since that revision: the newest is "
			    "revision %d (ETag %s). Get it, merge your changes and send them again.",
			    latest.number, revision_etag(r, id, latest.number));
		base = latest.number;
	}
	if ((j = api_body(r, &rc)) == NULL)
		return rc;
	rc = revision_from_json(r, j, &rev);
	if (rc == 0 && id != 0 && !workflow_may_edit(&r->dom, &latest))
		rc = req_fail(r, 403, "Your role (%s) may not edit this article.", role_names[r->user->role]);
	if (rc == 0 && id != 0 && revision_same(r, &latest, &rev)) {
		/* the newest revision already says this: nothing to save */
		json_decref(j);
		snprintf(loc, sizeof(loc), "/api/v1/articles/%lld/revisions/%d", id, latest.number);
		req_header(r, "Content-Location", loc);
		r->etag = revision_etag(r, id, latest.number);
		return api_reply_steal(r, json_pack("{s:I, s:i, s:s, s:s}", "id", (json_int_t)id, "revision",
		    latest.number, "state", states[latest.state].code, "api_url", loc), 200, CACHE_NO_STORE);
	}
	if (rc == 0)
		rc = req_outcome(r, workflow_save(&r->dom, id, base, &rev, &article, &number));
	json_decref(j);
	if (rc == 409)		/* a save that slipped in between the check and the write */
		rc = req_fail(r, 412, "The article changed while this request was being handled; get the "
		    "newest revision and send your changes again.");
	if (rc != 201)
		return rc;
	snprintf(loc, sizeof(loc), "/api/v1/articles/%lld/revisions/%d", article, number);
	req_location(r, loc);
	r->etag = revision_etag(r, article, number);
	return api_reply_steal(r, json_pack("{s:I, s:i, s:s, s:s}", "id", (json_int_t)article, "revision", number,
	    "state", states[STATE_SUBMITTED].code, "api_url", loc), id ? 200 : 201, CACHE_NO_STORE);
}

int
api_article_create(struct req *r)
{
	return api_save(r, 0);
}

int
api_article_put(struct req *r)
{
	return api_save(r, r->id);
}

int
api_transition(struct req *r)
{
	json_t	*j;
	const char *to, *reason;
	struct rev_info latest;
	enum state target;
	int	 rc;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	if ((j = api_body(r, &rc)) == NULL)
		return rc;
	if ((rc = api_body_keys(r, j, "", transition_keys)) != 0) {
		json_decref(j);
		return rc;
	}
	to = opt_str(r, j, "to", "");
	reason = opt_str(r, j, "reason", "");
	json_decref(j);
	if (r->nerrors)
		return 400;
	if (to == NULL)
		return req_field_error(r, "to", "is required: submitted, under_review, changes_requested, "
		    "approved or archived.");
	if ((rc = req_check_target(r, "to", to, &target)) != 0 ||
	    (rc = req_outcome(r, workflow_transition(&r->dom, r->id, target, reason))) != 200)
		return rc;
	if ((rc = req_outcome(r, workflow_latest(&r->dom, r->id, &latest))) != 200)
		return rc;
	return api_reply_steal(r, json_pack("{s:I, s:i, s:s, s:s}", "id", (json_int_t)r->id, "revision",
	    latest.number, "state", states[latest.state].code, "state_at", latest.state_at), 200, CACHE_NO_STORE);
}
