/* ask.h: readers' questions as the domain keeps them: asking one (a repeat of an open one counted on
 * it) and reading one by its token. The pages and JSON are question.c's; what editors do with
 * questions is queue.h's. */
#ifndef EVQA_ASK_H
#define EVQA_ASK_H

#include "domain.h"

struct json_t;

#define QUESTION_MIN	3	/* bytes: shorter is not a question */
#define QUESTION_MAX_LEN 1000	/* bytes kept of a question (the form's maxlength) */
#define ASK_TOKEN_LEN	32	/* a question's token: 128 random bits as hex */

/* One question as its asker reads it. Strings belong to d's arena. */
struct ask_row {
	const char	*text, *audience, *created_at, *state;
	const char	*slug;		/* the slug of the article it was asked from, or NULL */
	const char	*first_token;	/* the token of the question itself (a repeat has its own) */
	long long	 article, asked;
	struct json_t	*answer;	/* the answer as it was shown: a new reference, the caller's */
};

/* Answers text (asked from article, 0: none, for audience, a code), then stores it, or counts it on
 * an open question with the same folded text and context and gives the repeat a token of its own.
 * Returns OUT_CREATED with *token (in d's arena); OUT_INVALID for a question too short or too long
 * (field "question") or an article that does not exist (field "article"); OUT_FAILED with d->why. */
enum outcome ask_store(struct dom *d, const char *text, long long article, const char *audience,
	    const char **token);

/* Loads the question (or repeat) with token: OUT_OK, OUT_NOT_FOUND for any token that names none (with
 * d->why), or OUT_FAILED. */
enum outcome ask_get(struct dom *d, const char *token, struct ask_row *q);

#endif
