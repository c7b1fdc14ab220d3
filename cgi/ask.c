/* ask.c: readers' questions as the domain keeps them (ask.h): the statements question_find_open,
 * question_repeat, question_repeat_insert, question_insert and question_get of sql/queries.sql. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "ask.h"
#include "content.h"
#include "db.h"
#include "log.h"
#include "render.h"
#include "search.h"
#include "util.h"

/* The question folded for spotting repeats, in d's arena: lower case, runs of spaces as one. */
static char *
fold(struct dom *d, const char *s)
{
	char	*o = arena_alloc(d->arena, strlen(s) + 1), *w = o;
	int	 sp = 0;

	if (o == NULL)
		return NULL;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			sp = w > o;
			continue;
		}
		if (sp)
			*w++ = ' ';
		sp = 0;
		*w++ = (char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
	}
	*w = '\0';
	return o;
}

enum outcome
ask_store(struct dom *d, const char *text, long long article, const char *audience, const char **token)
{
	char	*norm, now[21], *tok;
	struct dbq *s;
	json_t	*ans = NULL;
	char	*ans_s = NULL;

	if (strlen(text) < QUESTION_MIN)
		return dom_field_error(d, "question", "is required: write your question (at least %d "
		    "characters).", QUESTION_MIN);
	if (strlen(text) > QUESTION_MAX_LEN)
		return dom_field_error(d, "question", "is %zu bytes long; at most %d are allowed.", strlen(text),
		    QUESTION_MAX_LEN);
	if (article != 0) {
		struct article_view v;

		if (content_article(d, article, NULL, 0, &v) != OUT_OK) {
			dom_clear(d);
			return dom_field_error(d, "article", "names no article: there is no article %lld.", article);
		}
	}
	if ((norm = fold(d, text)) == NULL || (tok = arena_alloc(d->arena, ASK_TOKEN_LEN + 1)) == NULL)
		return OUT_FAILED;
	time_now_iso(now);
	/* the answer is computed before the write transaction, which stays short */
	if ((ans = answer_compute(d->db, text, article, audience)) == NULL ||
	    (ans_s = json_dumps(ans, RENDER_JSON_FLAGS)) == NULL) {
		json_decref(ans);
		return dom_fail(d, OUT_FAILED, "Your question could not be answered just now. Please try again.");
	}
	if (db_begin(d->db) == -1)
		goto fail;
	s = db_stmt(d->db, STMT_QUESTION_FIND_OPEN);
	db_bind_text(s, 1, norm);
	if (article)
		db_bind_int(s, 2, article);
	db_bind_text(s, 3, audience);
	if (db_step(s) == DB_ROW) {
		char	 first[ASK_TOKEN_LEN + 1];
		long long id = db_int64(s, 1);

		/* a repeat: counted on the first question, with an address of its own and the answer
		 * given now (content or ranking may have changed since the first was asked) */
		snprintf(first, sizeof(first), "%s", db_text(s, 0));
		db_reset(s);
		s = db_stmt(d->db, STMT_QUESTION_REPEAT);
		db_bind_text(s, 1, first);
		db_bind_text(s, 2, now);
		if (db_step(s) != DB_DONE) {
			log_warnx("question: %s", db_errmsg(d->db));
			db_reset(s);
			goto fail;
		}
		db_reset(s);
		if (random_hex(tok, ASK_TOKEN_LEN / 2) == -1)
			goto fail;
		s = db_stmt(d->db, STMT_QUESTION_REPEAT_INSERT);
		db_bind_text(s, 1, tok);
		db_bind_int(s, 2, id);
		db_bind_text(s, 3, text);
		db_bind_text(s, 4, now);
		db_bind_text_copy(s, 5, json_string_value(json_object_get(ans, "state")));
		db_bind_text(s, 6, ans_s);
	} else {
		db_reset(s);
		if (random_hex(tok, ASK_TOKEN_LEN / 2) == -1)
			goto fail;
		s = db_stmt(d->db, STMT_QUESTION_INSERT);
		db_bind_text(s, 1, tok);
		db_bind_text(s, 2, text);
		db_bind_text(s, 3, norm);
		if (article)
			db_bind_int(s, 4, article);
		db_bind_text(s, 5, audience);
		db_bind_text(s, 6, now);
		db_bind_text_copy(s, 7, json_string_value(json_object_get(ans, "state")));
		db_bind_text(s, 8, ans_s);
	}
	if (db_step(s) != DB_DONE) {
		log_warnx("question: %s", db_errmsg(d->db));
		db_reset(s);
		goto fail;
	}
	db_reset(s);
	if (db_commit(d->db) == -1)
		goto fail;
	json_decref(ans);
	free(ans_s);
	*token = tok;
	return OUT_CREATED;
fail:
	db_rollback(d->db);
	json_decref(ans);
	free(ans_s);
	return dom_fail(d, OUT_FAILED, "Your question could not be stored just now. Please try again.");
}

enum outcome
ask_get(struct dom *d, const char *t, struct ask_row *q)
{
	struct dbq *s;

	memset(q, 0, sizeof(q[0]));
	if (t == NULL || strlen(t) != ASK_TOKEN_LEN || strspn(t, "0123456789abcdef") != ASK_TOKEN_LEN)
		goto none;
	s = db_stmt(d->db, STMT_QUESTION_GET);
	db_bind_text(s, 1, t);
	if (db_step(s) != DB_ROW) {
		db_reset(s);
		goto none;
	}
	q->text = arena_strdup(d->arena, db_text(s, 0));
	q->article = db_int64(s, 1);
	q->audience = arena_strdup(d->arena, db_text(s, 2));
	q->created_at = arena_strdup(d->arena, db_text(s, 3));
	q->state = arena_strdup(d->arena, db_text(s, 4));
	q->asked = db_int64(s, 5);
	q->answer = json_loads(db_text(s, 6), 0, NULL);
	q->slug = arena_strdup(d->arena, db_text(s, 7));
	q->first_token = arena_strdup(d->arena, db_text(s, 8));
	db_reset(s);
	if (q->text == NULL || q->answer == NULL || q->state == NULL || q->first_token == NULL) {
		json_decref(q->answer);
		q->answer = NULL;
		return OUT_FAILED;
	}
	return OUT_OK;
none:
	return dom_fail(d, OUT_NOT_FOUND, "There is no question at this address. Check that you have the whole "
	    "link.");
}
