/* queue.h: the question queue: what editors do with readers' questions (the domain, queue.c; the
 * pages and the JSON, question_queue.c). */
#ifndef EVQA_QUEUE_H
#define EVQA_QUEUE_H

#include "codes.h"
#include "domain.h"

struct req;
struct buf;

/* One question, as the queue_rows / queue_get statements give it. Strings belong to the arena. */
struct qrow {
	long long	 id, asked, from_id, answer_id;
	const char	*text, *state, *audience, *created, *last, *from_slug, *from_question, *token;
	const char	*answer_json;	/* the answer the reader got (queue_get() only), or NULL */
};

/* Reads one row of the queue_rows / queue_get statements into q. */
void	 queue_row_read(struct dom *d, void *stmt, struct qrow *q);
/* Loads question id: OUT_OK, OUT_NOT_FOUND (d->why says so) or OUT_FAILED. */
enum outcome queue_get(struct dom *d, long long id, struct qrow *q);

/* The orders of the queue's list (?sort=); the first is the default. */
#define QUEUE_SORTS	5
struct queue_sort {
	const char	*code, *label;
};
extern const struct queue_sort queue_sorts[QUEUE_SORTS];

/* One page of the queue's list. */
struct queue_list {
	const char	*state, *sort;	/* the filter and the order (NULL: all, the default) */
	long long	 page, pages, total;	/* total: the questions matching state */
	struct qrow	*rows;		/* n of them, in d's arena */
	int		 n;
};

/* Page page (from 1) of per questions in state (a qstates[] code, or NULL: all), in order sort (a
 * queue_sorts[] code, or NULL: the default): OUT_OK; OUT_INVALID for an unknown sort (field "sort")
 * or a page after the last (field "page", saying how many match); OUT_FAILED. */
enum outcome queue_page(struct dom *d, const char *state, const char *sort, long long page, long long per,
	    struct queue_list *out);
/* The number of questions in each state: OUT_OK or OUT_FAILED. */
enum outcome queue_counts(struct dom *d, int counts[QSTATE__MAX]);

/* Inside the caller's write transaction: links article as the editors' answer to question qid
 * (state answered_by_editors) and appends the history row for action ("link" or "new_article"),
 * by the actor. Returns OUT_OK, or OUT_INVALID (field "article"), OUT_NOT_FOUND (no such question),
 * OUT_CONFLICT (already linked to it) or OUT_FAILED, with d->why or the field error set. */
enum outcome queue_link_locked(struct dom *d, long long qid, long long article, const char *action);
/* In its own transaction: links article to question qid, or (dismiss) dismisses it with reason
 * (at most TEXT_REASON_MAX bytes), by the actor. Outcomes as queue_link_locked(), and OUT_CONFLICT
 * for a question dismissed already. */
enum outcome queue_change(struct dom *d, long long qid, int dismiss, long long article, const char *reason);

/* The dashboard's link to the queue with the count of queued questions (reviewers and up). */
int	 queue_dashboard_link(struct buf *out, struct req *r);

/* The asker's view of the editors' answer to the question with token: writes the answer-editors
 * section (the article once approved, else that an answer is being written) into out, and returns
 * it as JSON in *json (new reference, or NULL when no article is linked). Returns 0 or -1. */
struct json_t;
int	 queue_editors_answer(struct req *r, const char *token, struct buf *out, struct json_t **json);

/* One row of a question's history, oldest first, as the queue_history statement gives it. Strings
 * belong to the arena. */
struct qhist {
	const char	*action;	/* "link", "new_article" or "dismiss" */
	const char	*from, *to;	/* qstates[] codes */
	long long	 article;	/* the article linked, or 0 */
	const char	*actor;		/* the editor's name, or NULL when the account is gone */
	const char	*reason;	/* or NULL */
	const char	*at;
};

/* The history of question qid, oldest first, into *out (n of them, in d's arena; none: *n 0): OUT_OK
 * or OUT_FAILED. The one reader of the queue_history statement. */
enum outcome queue_history(struct dom *d, long long qid, struct qhist **out, int *n);

/* The article the editors linked as the answer to the question with token. */
struct qanswer {
	long long	 article;
	const char	*slug;
	const char	*question;	/* the question of its newest approved revision, or NULL */
	int		 approved;	/* the number of its newest approved revision, 0: none */
	enum state	 latest;	/* its newest revision's state (STATE__MAX: unknown) */
};

/* The editors' answer to the question with token, into *out: OUT_OK, OUT_NOT_FOUND when no article is
 * linked to it (or there is no such question; why not set), or OUT_FAILED. The one reader of the
 * queue_answer statement. */
enum outcome queue_answer(struct dom *d, const char *token, struct qanswer *out);

#endif
