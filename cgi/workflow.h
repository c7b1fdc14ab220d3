/* workflow.h: who may do what to an article, review transitions with their audit rows, and saving
 * new revisions on top of the one an editor started from. Shared by the editor pages and the API. */
#ifndef EVQA_WORKFLOW_H
#define EVQA_WORKFLOW_H

#include "content.h"

struct dom;

/* An article's newest revision (the one that moves through review). Strings belong to the arena. */
struct rev_info {
	long long	 id;
	int		 number;
	const char	*question;
	const char	*author;
	const char	*created_at;
	enum state	 state;
	const char	*state_at;
	long long	 author_user_id;	/* 0: imported */
	const char	*slug;
	long long	 owner_user_id;		/* who wrote the first revision (workflow_latest only) */
	int		 user_wrote;		/* the newest revision the request's user wrote since the
						 * last approval, 0: none (workflow_latest only) */
};

/* Reads one row of the revision_* statements. */
void	 workflow_rev_row(struct dom *d, void *stmt, struct rev_info *out);
/* The newest revision of article id: OUT_OK, OUT_NOT_FOUND (d->why says so) or OUT_FAILED. */
enum outcome workflow_latest(struct dom *d, long long id, struct rev_info *out);

/* Every revision of article, newest first, in d's arena (none: *n 0): OUT_OK or OUT_FAILED. The one
 * reader of the revision_list statement. */
enum outcome workflow_revisions(struct dom *d, long long article, struct rev_info **out, int *n);

/* One step of an article's audit trail. */
struct audit_row {
	int		 revision;	/* its number */
	const char	*from;		/* a state code, or NULL for the first */
	const char	*to;
	const char	*actor, *credential;	/* NULL when imported or the account is gone */
	const char	*reason;	/* or NULL */
	const char	*at;
};

/* The audit trail of article, oldest first, in d's arena: OUT_OK or OUT_FAILED. The one reader of
 * the audit_list statement. */
enum outcome workflow_history(struct dom *d, long long article, struct audit_row **out, int *n);

/* 1 when the actor may move rev to state to (role, state and self-approval rules). When
 * not, and why is given, it says why in a sentence.
 *
 * The two-person rule: nobody approves a revision whose text they wrote any part of since the last
 * approval. Precisely: the "last approval" is the article's newest revision that is approved or that
 * an audit row shows was approved; a user may not approve when they wrote (were the author of) any
 * revision numbered after it, up to the one under review; with no approval yet, that is any
 * revision of the article. Imported revisions have no author account and bar nobody. */
int	 workflow_may(const struct dom *d, const struct rev_info *rev, enum state to, char *why, size_t whysz);
/* 1 when the actor may edit the article whose newest revision is rev (NULL: a new one).
 * Archived articles are not edited. */
int	 workflow_may_edit(const struct dom *d, const struct rev_info *rev);

/* Moves article id's newest revision to state to, with reason (required to request changes or
 * archive), appending the audit row; approval sets the review-by date. to is validated before
 * (req_check_target). Returns OUT_OK, or OUT_INVALID (field "reason"), OUT_FORBIDDEN (role, the
 * two-person rule), OUT_NOT_FOUND, OUT_CONFLICT (not possible from the current state, or no
 * references to approve), OUT_FAILED; d->why says why. */
enum outcome workflow_transition(struct dom *d, long long id, enum state to, const char *reason);

/* Saves rev as a new, submitted revision of article id (0: a new article), written by the actor,
 * when base is the number of the newest revision (ignored for a new article). Returns OUT_CREATED
 * (and *article_out, *number_out); OUT_CONFLICT when another revision was saved since base or the
 * article is archived; OUT_INVALID with content_save's field errors; OUT_FORBIDDEN, OUT_NOT_FOUND
 * or OUT_FAILED. */
enum outcome workflow_save(struct dom *d, long long id, int base, struct revision_in *rev,
	    long long *article_out, int *number_out);
/* workflow_save of a new article (id 0) started from reader's question qid (0: none): in the same
 * transaction the question is linked to the new article (queue.h). */
enum outcome workflow_save_question(struct dom *d, long long id, int base, struct revision_in *rev,
	    long long qid, long long *article_out, int *number_out);

/* Shows rev as readers would get it, without keeping it. In one transaction that is always rolled
 * back, rev is saved as workflow_save() saves it (a new, submitted revision of article id, 0: a new
 * article, written now by the actor, who must be allowed to write it; rev's author, state, time and
 * account are set), its view is loaded as content_revision() loads it (clinician wording,
 * CONTENT_HTML | CONTENT_REFS), and show(arg, view) is called once to render it: the view is valid
 * only during that call, and show returns 0, or -1 when it could not render. Afterwards the database
 * holds what it held before. Returns OUT_OK once show returned 0; OUT_INVALID with content_save's
 * field errors (show not called); OUT_FAILED when show or storage failed; or OUT_FORBIDDEN,
 * OUT_NOT_FOUND or OUT_CONFLICT (archived) as workflow_save(). */
enum outcome workflow_preview(struct dom *d, long long id, struct revision_in *rev,
	    int (*show)(void *arg, const struct article_view *v), void *arg);

/* Revision number of article, into *out: OUT_OK, OUT_NOT_FOUND (d->why says so) or OUT_FAILED. The
 * one reader of the revision_by_number statement outside the API. */
enum outcome workflow_revision(struct dom *d, long long article, int number, struct rev_info *out);
/* The newest approved revision of article, into *out (all zero, number 0, when none is approved):
 * OUT_OK or OUT_FAILED. The one reader of the revision_approved statement. */
enum outcome workflow_approved(struct dom *d, long long article, struct rev_info *out);

#endif
