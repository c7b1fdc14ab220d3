/* api_questions.c: the question queue as JSON, for reviewers, editors and admins:
 * GET /api/v1/questions (filters, sort, pages), POST /api/v1/questions/{id}/link and /dismiss.
 * Questions can hold patient details: lists name a question by its internal id, only editors and
 * admins see its private token, and no reply is stored by caches. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "auth.h"
#include "queue.h"
#include "route.h"

/* Questions may hold patient details: their JSON is never stored by caches. */
static int
reply_json(struct req *r, json_t *j, int status)
{
	return api_reply_steal(r, j, status, CACHE_PRIVATE_NO_STORE);
}

static json_t *
qrow_json(const struct req *r, const struct qrow *q)
{
	char	 ed[64], url[64];
	json_t	*j;

	snprintf(ed, sizeof(ed), "/editor/questions/%lld", q->id);
	j = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:o, s:o, s:s}", "id", (json_int_t)q->id,
	    "question", q->text, "state", q->state, "asked", (json_int_t)q->asked, "audience", q->audience,
	    "asked_at", q->created, "last_asked_at", q->last, "article_id", q->from_id ?
	    json_integer(q->from_id) : json_null(), "answer_article_id", q->answer_id ?
	    json_integer(q->answer_id) : json_null(), "editor_url", ed);
	if (j != NULL && r->user->role >= ROLE_EDITOR && q->token != NULL) {
		snprintf(url, sizeof(url), "/questions/%s", q->token);
		json_object_set_new(j, "token", json_string(q->token));
		json_object_set_new(j, "url", json_string(url));
	}
	return j;
}

/* Link header for the list (RFC 8288), keeping the state filter and sort. */
static void
list_links(struct req *r, const struct queue_list *c, long long per)
{
	struct buf b = BUF_INIT;

	buf_lit(&b, "/api/v1/questions?");
	if (c->state != NULL) {
		buf_lit(&b, "state=");
		buf_url(&b, c->state);
		buf_lit(&b, "&");
	}
	if (c->sort != NULL) {
		buf_lit(&b, "sort=");
		buf_url(&b, c->sort);
		buf_lit(&b, "&");
	}
	if (!b.err)
		api_link_header(r, b.p, c->page, c->pages, per);
	buf_free(&b);
}

int
api_questions(struct req *r)
{
	struct queue_list c;
	long long per = r->fields[KEY_PER_PAGE].present ? r->fields[KEY_PER_PAGE].num : 20;
	json_t	*list;
	char	 num[24];
	int	 rc;

	if ((rc = auth_require(r, ROLE_REVIEWER)) != 0)
		return rc;
	if ((rc = req_outcome(r, queue_page(&r->dom, r->fields[KEY_QSTATE].present ? r->fields[KEY_QSTATE].str :
	    NULL, r->fields[KEY_SORT].present ? r->fields[KEY_SORT].str : NULL, r->fields[KEY_PAGE].present ?
	    r->fields[KEY_PAGE].num : 1, per, &c))) != 200)
		return rc;
	if ((list = json_array()) == NULL)
		return 500;
	for (int i = 0; i < c.n; i++)
		if (json_array_append_new(list, qrow_json(r, &c.rows[i])) == -1) {
			json_decref(list);
			return 500;
		}
	snprintf(num, sizeof(num), "%lld", c.total);
	req_header(r, "X-Total-Count", num);
	list_links(r, &c, per);
	return reply_json(r, list, 200);
}

/* POST /api/v1/questions/{id}/link {article} and /dismiss {reason}. */
static int
api_change(struct req *r, int dismiss)
{
	json_t	*j, *v;
	const char *key, *reason = NULL;
	long long article = 0;
	struct qrow q;
	int	 rc;

	if ((rc = auth_require(r, ROLE_EDITOR)) != 0)
		return rc;
	if ((j = api_body(r, &rc)) == NULL)
		return rc;
	json_object_foreach(j, key, v) {
		if (strcmp(key, dismiss ? "reason" : "article") != 0) {
			const char *k = req_strdup(r, key);

			json_decref(j);
			return req_field_error(r, k ? k : "", dismiss ? "is not a field here: send {\"reason\": "
			    "\"...\"} (reason optional)." : "is not a field here: send {\"article\": N}.");
		}
	}
	if (dismiss) {
		v = json_object_get(j, "reason");
		if (v != NULL && !json_is_null(v) && !json_is_string(v)) {
			json_decref(j);
			return req_field_error(r, "reason", "must be a string.");
		}
		reason = v && json_is_string(v) ? req_strdup(r, json_string_value(v)) : NULL;
		/* as the form's reason field: no control characters but tab and line breaks, no NUL */
		for (const unsigned char *p = (const unsigned char *)reason; p != NULL && *p != '\0'; p++)
			if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f) {
				json_decref(j);
				return req_field_error(r, "reason", "contains a control character.");
			}
	} else {
		v = json_object_get(j, "article");
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			json_decref(j);
			return req_field_error(r, "article", "is required: the number of the article that answers "
			    "the question.");
		}
		article = json_integer_value(v);
	}
	json_decref(j);
	if ((rc = req_outcome(r, queue_change(&r->dom, r->id, dismiss, article, reason))) != 200)
		return rc;
	if ((rc = req_outcome(r, queue_get(&r->dom, r->id, &q))) != 200)
		return rc;
	return reply_json(r, qrow_json(r, &q), 200);
}

int
api_question_link(struct req *r)
{
	return api_change(r, 0);
}

int
api_question_dismiss(struct req *r)
{
	return api_change(r, 1);
}
