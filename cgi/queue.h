/* queue.h: the question queue: what editors do with readers' questions (question_queue.c). */
#ifndef EVQA_QUEUE_H
#define EVQA_QUEUE_H

struct req;
struct buf;

/* Inside the caller's write transaction: links article as the editors' answer to question qid
 * (state answered_by_editors) and appends the history row for action ("link" or "new_article").
 * Returns 200, or 400 (field "article"), 404 (no such question), 409 or 500 with r->detail set. */
int	 queue_link_locked(struct req *r, long long qid, long long article, const char *action);

/* The dashboard's link to the queue with the count of queued questions (reviewers and up). */
int	 queue_dashboard_link(struct buf *out, struct req *r);

/* The asker's view of the editors' answer to the question with token: writes the answer-editors
 * section (the article once approved, else that an answer is being written) into out, and returns
 * it as JSON in *json (new reference, or NULL when no article is linked). Returns 0 or -1. */
struct json_t;
int	 queue_editors_answer(struct req *r, const char *token, struct buf *out, struct json_t **json);

#endif
