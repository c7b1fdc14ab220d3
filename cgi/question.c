/* question.c: readers' questions: POST /questions, GET /questions/new, GET /questions/{token}, and
 * their JSON forms POST /api/v1/questions and GET /api/v1/questions/{token}.
 *
 * A question may carry details about a patient, so it is private: it is read only through its token
 * (128 random bits), never listed, and its pages are noindex and private, no-store. The answer is
 * computed when the question is asked (search.h) and stored with it as it was shown. The same open
 * question asked again from the same article and audience is counted on the first one, which keeps
 * its token. New questions are rate-limited per client address (--question-rate). */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "api.h"
#include "ask.h"
#include "content.h"
#include "db.h"
#include "guard.h"
#include "log.h"
#include "page.h"
#include "queue.h"
#include "render.h"
#include "route.h"
#include "search.h"
#include "server.h"
#include "tmpl.h"
#include "util.h"

/* ---- rate limit: a fixed one-minute window per client address ---- */

#define RATE_SLOTS	4096

static struct {
	char		 addr[48];
	time_t		 window;
	int		 count;
} rate_slot[RATE_SLOTS];
static pthread_mutex_t rate_lock = PTHREAD_MUTEX_INITIALIZER;

/* 0 when the client may ask another question now, else 429 with Retry-After set. */
static int
rate_check(struct req *r)
{
	const char *addr = r->in->remote_addr ? r->in->remote_addr : "";
	int	 limit = r->cfg ? r->cfg->question_rate : 0, wait = 0;
	time_t	 now = time_now(), win = now - now % 60;
	size_t	 i = (size_t)(hash64(addr, strlen(addr)) % RATE_SLOTS);
	char	 ra[16];

	if (limit <= 0)
		return 0;
	pthread_mutex_lock(&rate_lock);
	if (strcmp(rate_slot[i].addr, addr) != 0 || rate_slot[i].window != win) {
		snprintf(rate_slot[i].addr, sizeof(rate_slot[i].addr), "%s", addr);
		rate_slot[i].window = win;
		rate_slot[i].count = 0;
	}
	if (rate_slot[i].count >= limit)
		wait = (int)(win + 60 - now);
	else
		rate_slot[i].count++;
	pthread_mutex_unlock(&rate_lock);
	if (wait == 0)
		return 0;
	snprintf(ra, sizeof(ra), "%d", wait < 1 ? 1 : wait);
	r->retry_after = wait < 1 ? 1 : wait;
	return req_fail(r, 429, "You have asked %d questions in the last minute, the most we take from one "
	    "reader. Please wait %s seconds and ask again.", limit, ra);
}

/* ---- asking ---- */

static const char *
audience_of(struct req *r, const char *given)
{
	if (given != NULL)
		return given;
	return r->cookie_audience ? r->cookie_audience : "clinician";
}

int
page_question_post(struct req *r)
{
	const char *token, *text = r->fields[KEY_QUESTION].present ? r->fields[KEY_QUESTION].str : "";
	char	 loc[64];
	int	 rc;

	/* cross-origin protection: the dispatcher's guard_cross_origin(); readers' forms carry no token */
	if (text[0] == '\0')
		return req_field_error(r, "question", "is required: write your question.");
	if ((rc = rate_check(r)) != 0)
		return rc;
	rc = req_outcome(r, ask_store(&r->dom, text,
	    r->fields[KEY_ARTICLE].present ? r->fields[KEY_ARTICLE].num : 0,
	    audience_of(r, r->fields[KEY_AUDIENCE].present ? r->fields[KEY_AUDIENCE].str : NULL), &token));
	if (rc != 200 && rc != 201)
		return rc;
	snprintf(loc, sizeof(loc), "/questions/%s", token);
	req_location(r, loc);
	req_cache(r, CACHE_NO_STORE);
	return 303;
}

/* ---- GET /questions/new ---- */

struct new_ctx {
	struct req	*r;
	long long	 article;
	const char	*audience;
};

static int
question_article_field_fill(struct buf *out, enum tmpl_question_article_field_hole hole, void *arg)
{
	struct new_ctx *n = arg;

	switch (hole) {
	case TH_QUESTION_ARTICLE_FIELD_ARTICLE_ID:
		buf_int(out, n->article);
		return 0;
	}
	return -1;
}

static int
question_new_fill(struct buf *out, enum tmpl_question_new_hole hole, void *arg)
{
	struct new_ctx *n = arg;

	switch (hole) {
	case TH_QUESTION_NEW_ARTICLE_FIELD:
		if (n->article)
			return tmpl_render_question_article_field(out, question_article_field_fill, n);
		return 0;
	case TH_QUESTION_NEW_AUDIENCE_CODE:
		buf_html(out, n->audience);
		return 0;
	}
	return -1;
}

/* The page's main part (page_render()). */
static int
question_new_main(struct buf *out, void *arg)
{
	return tmpl_render_question_new(out, question_new_fill, arg);
}

int
page_question_new(struct req *r)
{
	struct new_ctx n = { r, 0, NULL };

	n.article = r->fields[KEY_ARTICLE].present ? r->fields[KEY_ARTICLE].num : 0;
	n.audience = audience_of(r, r->fields[KEY_AUDIENCE].present ? r->fields[KEY_AUDIENCE].str : NULL);
	return page_render(r, "Ask a clinical question", question_new_main, &n);
}

/* ---- reading a question ---- */

struct page_ctx {
	struct req	*r;
	struct ask_row q;
	const char	*article_question;	/* the context article's question, or NULL */
	json_t		*p;		/* the passage being written */
	json_t		*ref;		/* the reference being written */
};

static const char *
pstr(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

static int
passage_ref_link_fill(struct buf *out, enum tmpl_passage_ref_link_hole hole, void *arg)
{
	struct page_ctx *c = arg;

	switch (hole) {
	case TH_PASSAGE_REF_LINK_HREF:
		buf_html(out, pstr(c->ref, "url"));
		return 0;
	}
	return -1;
}

static int
passage_ref_fill(struct buf *out, enum tmpl_passage_ref_hole hole, void *arg)
{
	struct page_ctx *c = arg;

	switch (hole) {
	case TH_PASSAGE_REF_NUM:
		buf_int(out, json_integer_value(json_object_get(c->ref, json_object_get(c->ref, "number") ?
		    "number" : "num")));
		return 0;
	case TH_PASSAGE_REF_TITLE:
		buf_html(out, pstr(c->ref, "title"));
		return 0;
	case TH_PASSAGE_REF_LINK:
		if (pstr(c->ref, "url")[0] != '\0')
			return tmpl_render_passage_ref_link(out, passage_ref_link_fill, c);
		return 0;
	}
	return -1;
}

static int
passage_refs_fill(struct buf *out, enum tmpl_passage_refs_hole hole, void *arg)
{
	struct page_ctx *c = arg;
	size_t	 i;

	switch (hole) {
	case TH_PASSAGE_REFS_ITEMS:
		json_array_foreach(json_object_get(c->p, "references"), i, c->ref)
			if (tmpl_render_passage_ref(out, passage_ref_fill, c) == -1)
				return -1;
		return 0;
	}
	return -1;
}

static int
passage_fill(struct buf *out, enum tmpl_passage_hole hole, void *arg)
{
	struct page_ctx *c = arg;
	enum state st = state_find(pstr(c->p, "state"));

	switch (hole) {
	case TH_PASSAGE_URL:
		buf_html(out, pstr(c->p, "url"));
		return 0;
	case TH_PASSAGE_QUESTION:
		buf_html(out, pstr(c->p, "question"));
		return 0;
	case TH_PASSAGE_HEADING:
		buf_html(out, pstr(c->p, "heading")[0] ? pstr(c->p, "heading") : "Introduction");
		return 0;
	case TH_PASSAGE_STATE:
		buf_html(out, pstr(c->p, "state"));
		return 0;
	case TH_PASSAGE_STATE_LABEL:
		buf_html(out, st < STATE__MAX ? states[st].label : "");
		return 0;
	case TH_PASSAGE_UNAPPROVED:
		if (st != STATE_APPROVED)
			return tmpl_render_unapproved_note(out);
		return 0;
	case TH_PASSAGE_SNIPPET: {
		const char *h = pstr(c->p, "snippet_html");

		/* answers are written by evqa alone: search_snippet_html() escaped the text and added <mark> */
		/* trusted: escaped by search_snippet_html() when the answer was computed */
		buf_trusted(out, h, strlen(h));
		return 0;
	}
	case TH_PASSAGE_REFS:
		if (json_array_size(json_object_get(c->p, "references")) > 0)
			return tmpl_render_passage_refs(out, passage_refs_fill, c);
		return 0;
	}
	return -1;
}

static int
answer_queued_fill(struct buf *out, enum tmpl_answer_queued_hole hole, void *arg)
{
	struct page_ctx *c = arg;
	int	 editors = strcmp(c->q.state, "answered_by_editors") == 0;
	int	 dismissed = strcmp(c->q.state, "dismissed") == 0;
	const char *topic = pstr(json_object_get(c->q.answer, "topic"), "title");
	const char *unheld = json_string_value(json_object_get(c->q.answer, "no_article_for"));

	switch (hole) {
	case TH_ANSWER_QUEUED_HEADING:
		buf_html(out, editors ? "Answered by the editors" : dismissed ? "Closed" :
		    "We don't have a reviewed answer yet");
		return 0;
	case TH_ANSWER_QUEUED_MESSAGE:
		if (editors || dismissed) {
			buf_html(out, editors ? "The editorial team has answered this question in an article." :
			    "The editorial team has closed this question.");
			return 0;
		}
		/* name what we understood, so the reader can tell a gap from a misunderstanding */
		if (topic[0] != '\0') {
			buf_lit(out, "We recognised your question as being about \xe2\x80\x9c");
			buf_html(out, topic);
			buf_lit(out, "\xe2\x80\x9d, but no approved passage of ours answers it. ");
		} else if (unheld != NULL && unheld[0] != '\0') {
			buf_lit(out, "We recognised \xe2\x80\x9c");
			buf_html(out, unheld);
			buf_lit(out, "\xe2\x80\x9d in your question, but we have no article on it yet. ");
		} else
			buf_lit(out, "We have no approved article on the topic of your question yet. ");
		buf_lit(out, "Your question has gone to the editorial team, who decide which questions become "
		    "new articles.");
		return 0;
	}
	return -1;
}

static int
summary_sentence_fill(struct buf *out, enum tmpl_summary_sentence_hole hole, void *arg)
{
	struct page_ctx *c = arg;

	switch (hole) {
	case TH_SUMMARY_SENTENCE_TEXT:
		buf_html(out, pstr(c->p, "text"));
		return 0;
	case TH_SUMMARY_SENTENCE_URL:
		buf_html(out, pstr(c->p, "url"));
		return 0;
	case TH_SUMMARY_SENTENCE_HEADING:
		buf_html(out, pstr(c->p, "heading")[0] ? pstr(c->p, "heading") : "Introduction");
		return 0;
	}
	return -1;
}

/* The short answer: its sentences, then the references they cite (each once). */
static int
answer_summary_fill(struct buf *out, enum tmpl_answer_summary_hole hole, void *arg)
{
	struct page_ctx *c = arg;
	json_t	*sum = json_object_get(c->q.answer, "summary"), *saved = c->p;
	size_t	 i;
	int	 rc = 0;

	switch (hole) {
	case TH_ANSWER_SUMMARY_SENTENCES:
		json_array_foreach(sum, i, c->p)
			if ((rc = tmpl_render_summary_sentence(out, summary_sentence_fill, c)) == -1)
				break;
		break;
	case TH_ANSWER_SUMMARY_SOURCE: {
		json_t	*p0 = json_array_get(json_object_get(c->q.answer, "passages"), 0);

		buf_html(out, pstr(p0, "question")[0] ? pstr(p0, "question") : "our article");
		break;
	}
	case TH_ANSWER_SUMMARY_REFS: {
		json_t	*all = json_array(), *holder;
		unsigned char seen[501] = { 0 };

		json_array_foreach(sum, i, c->p) {
			size_t	 k;
			json_t	*ref;

			json_array_foreach(json_object_get(c->p, "references"), k, ref) {
				json_int_t n = json_integer_value(json_object_get(ref, "number"));

				if (n >= 1 && n <= 500 && !seen[n]) {
					seen[n] = 1;
					json_array_append(all, ref);
				}
			}
		}
		holder = json_pack("{s:o}", "references", all);
		c->p = holder;
		if (json_array_size(all) > 0)
			rc = tmpl_render_passage_refs(out, passage_refs_fill, c);
		json_decref(holder);
		break;
	}
	}
	c->p = saved;
	return rc;
}

static int
question_context_fill(struct buf *out, enum tmpl_question_context_hole hole, void *arg)
{
	struct page_ctx *c = arg;

	switch (hole) {
	case TH_QUESTION_CONTEXT_URL:
		buf_lit(out, "/articles/");
		buf_int(out, c->q.article);
		buf_lit(out, "/");
		buf_html(out, c->q.slug);
		return 0;
	case TH_QUESTION_CONTEXT_QUESTION:
		buf_html(out, c->article_question);
		return 0;
	}
	return -1;
}

static int
answer_passages_fill(struct buf *out, enum tmpl_answer_passages_hole hole, void *arg)
{
	struct page_ctx *c = arg;

	switch (hole) {
	case TH_ANSWER_PASSAGES_PASSAGES_HEADING:
		buf_html(out, strcmp(pstr(c->q.answer, "state"), "answered") == 0 ||
		    strcmp(c->q.state, "answered_by_editors") == 0 ? "Passages that answer it" :
		    "The closest passages we have: they may not answer your question");
		return 0;
	case TH_ANSWER_PASSAGES_PASSAGES: {
		size_t	 i;

		json_array_foreach(json_object_get(c->q.answer, "passages"), i, c->p)
			if (tmpl_render_passage(out, passage_fill, c) == -1)
				return -1;
		return 0;
	}
	}
	return -1;
}

static int
question_fill(struct buf *out, enum tmpl_question_hole hole, void *arg)
{
	struct page_ctx *c = arg;
	char	 h[40];

	switch (hole) {
	case TH_QUESTION_TEXT:
		buf_html(out, c->q.text);
		return 0;
	case TH_QUESTION_ASKED_ISO:
		buf_html(out, c->q.created_at);
		return 0;
	case TH_QUESTION_ASKED_HUMAN:
		time_human(c->q.created_at, h, sizeof(h));
		buf_html(out, h);
		return 0;
	case TH_QUESTION_CONTEXT:
		if (c->q.article && c->q.slug && c->article_question)
			return tmpl_render_question_context(out, question_context_fill, c);
		return 0;
	case TH_QUESTION_ANSWER: {
		json_t	*ps = json_object_get(c->q.answer, "passages");

		if (strcmp(c->q.state, "answered_by_editors") == 0) {
			json_t	*ea = NULL;
			int	 rc = queue_editors_answer(c->r, c->q.first_token, out, &ea);

			if (rc == -1)
				return -1;
			if (ea == NULL && json_array_size(ps) == 0)	/* the linked article was removed */
				return tmpl_render_answer_queued(out, answer_queued_fill, c);
			json_decref(ea);
			if (json_array_size(ps) == 0)
				return 0;
		} else if (strcmp(pstr(c->q.answer, "state"), "answered") != 0 || json_array_size(ps) == 0) {
			/* not answered: say so; the closest passages follow, labelled as such */
			if (tmpl_render_answer_queued(out, answer_queued_fill, c) == -1)
				return -1;
			if (json_array_size(ps) == 0)
				return 0;
		} else if (json_array_size(json_object_get(c->q.answer, "summary")) > 0 &&
		    tmpl_render_answer_summary(out, answer_summary_fill, c) == -1)
			return -1;
		return tmpl_render_answer_passages(out, answer_passages_fill, c);
	}
	}
	return -1;
}

/* The page's main part (page_render()). */
static int
question_main(struct buf *out, void *arg)
{
	return tmpl_render_question(out, question_fill, arg);
}

int
page_question(struct req *r)
{
	struct page_ctx c;
	int	 rc;

	memset(&c, 0, sizeof(c));
	c.r = r;
	if ((rc = req_outcome(r, ask_get(&r->dom, r->slug, &c.q))) != 200)
		return rc;
	if (c.q.article != 0) {
		struct article_view v;

		if (req_outcome(r, content_article(&r->dom, c.q.article, NULL, 0, &v)) == 200)
			c.article_question = v.question;
		r->detail[0] = '\0';
	}
	rc = page_render_private(r, "Your question", question_main, &c);
	json_decref(c.q.answer);
	return rc;
}

/* ---- JSON ---- */

/* A question's JSON: private to whoever holds its token. */
static int
reply_private_json(struct req *r, json_t *j, int status)
{
	r->noindex = 1;
	return api_reply_steal(r, j, status, CACHE_PRIVATE_NO_STORE);
}

static json_t *
question_json_new(const char *token, const struct ask_row *q)
{
	char	 url[64], api[80], art[64];

	snprintf(url, sizeof(url), "/questions/%s", token);
	snprintf(api, sizeof(api), "/api/v1/questions/%s", token);
	snprintf(art, sizeof(art), "/api/v1/articles/%lld", q->article);
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:I, s:O}", "token", token, "url", url,
	    "api_url", api, "question", q->text, "article_id", q->article ? json_integer(q->article) :
	    json_null(), "article_api_url", q->article ? json_string(art) : json_null(), "audience",
	    q->audience, "asked_at", q->created_at, "state", q->state, "asked", (json_int_t)q->asked,
	    "answer", q->answer);
}

/* Adds editors_answer (queue.h): the linked article once approved, {status: being_written} before,
 * null when the editors linked none. */
static json_t *
question_json_editors(struct req *r, const struct ask_row *q, json_t *j)
{
	json_t	*ea = NULL;

	if (j == NULL)
		return NULL;
	if (queue_editors_answer(r, q->first_token, NULL, &ea) == -1) {
		json_decref(j);
		return NULL;
	}
	json_object_set_new(j, "editors_answer", ea ? ea : json_null());
	return j;
}

int
api_question(struct req *r)
{
	struct ask_row q;
	int	 rc;

	if ((rc = req_outcome(r, ask_get(&r->dom, r->slug, &q))) != 200)
		return rc;
	rc = reply_private_json(r, question_json_editors(r, &q, question_json_new(r->slug, &q)), 200);
	json_decref(q.answer);
	return rc;
}

int
api_question_post(struct req *r)
{
	json_t	*body, *v;
	const char *text, *aud = NULL, *key, *token;
	long long article = 0;
	int	 st, rc;
	struct ask_row q;
	char	 loc[80];

	/* cross-origin protection: the dispatcher's guard_cross_origin(), no token */
	if ((body = api_body(r, &st)) == NULL)
		return st;
	json_object_foreach(body, key, v)
		if (strcmp(key, "question") != 0 && strcmp(key, "article") != 0 && strcmp(key, "audience") != 0) {
			const char *k = req_strdup(r, key);

			json_decref(body);
			return req_field_error(r, k ? k : "", "is not a field of a question: send question, and "
			    "optionally article and audience.");
		}
	v = json_object_get(body, "question");
	if (!json_is_string(v) || (text = json_string_value(v))[0] == '\0') {
		json_decref(body);
		return req_field_error(r, "question", "is required: a string with the question.");
	}
	text = req_strdup(r, text);
	v = json_object_get(body, "article");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			json_decref(body);
			return req_field_error(r, "article", "must be an article number.");
		}
		article = json_integer_value(v);
	}
	v = json_object_get(body, "audience");
	if (v != NULL && !json_is_null(v)) {
		const struct audience *a = json_is_string(v) ? audience_find(json_string_value(v)) : NULL;
		char	 list[200];

		if (a == NULL) {
			json_decref(body);
			audience_list_codes(list, sizeof(list));
			return req_field_error(r, "audience", "must be one of: %s.", list);
		}
		aud = a->code;
	}
	json_decref(body);
	for (const unsigned char *p = (const unsigned char *)text; p && *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f)
			return req_field_error(r, "question", "contains a control character.");
	if ((rc = rate_check(r)) != 0)
		return rc;
	rc = req_outcome(r, ask_store(&r->dom, text, article, audience_of(r, aud), &token));
	if (rc != 200 && rc != 201)
		return rc;
	r->slug = token;
	if ((st = req_outcome(r, ask_get(&r->dom, r->slug, &q))) != 200)
		return st;
	snprintf(loc, sizeof(loc), "/api/v1/questions/%s", token);
	req_location(r, loc);
	st = reply_private_json(r, question_json_new(token, &q), rc);
	json_decref(q.answer);
	return st;
}
