/* dashboard.h: the editors' overview of the articles: each article with its newest revision, which of
 * them wait for the actor, and how many are in each review state (dashboard.c; the page is
 * editor_dash.c). */
#ifndef EVQA_DASHBOARD_H
#define EVQA_DASHBOARD_H

#include "codes.h"
#include "domain.h"

/* One article as the dashboard_rows statement gives it: the article and its newest revision. Strings
 * belong to the arena. */
struct dash_row {
	long long	 id;
	const char	*slug;
	int		 number;	/* the newest revision's */
	const char	*question;
	const char	*state;		/* its state's code as stored */
	const char	*state_at;	/* when it entered that state */
	const char	*author;
	long long	 author_user_id;	/* 0: imported */
	const char	*review_by;	/* the article's next review date, or NULL */
};

/* Every article whose newest revision is in state (a states[] code, or NULL: any), in order sort
 * ("newest", "oldest": longest in its state first, "question", "review_by"; NULL: "newest"; the
 * caller validated it), into *out (n of them, in d's arena): OUT_OK or OUT_FAILED. */
enum outcome dashboard_list(struct dom *d, const char *state, const char *sort, struct dash_row **out,
	    int *n);
/* The articles that wait for the actor, longest-waiting first: for a reviewer and up, those submitted
 * or under review that someone else wrote; for an author, their own with changes requested. Into
 * *out as dashboard_list(): OUT_OK or OUT_FAILED. */
enum outcome dashboard_waiting(struct dom *d, struct dash_row **out, int *n);
/* The number of articles whose newest revision is in each state: OUT_OK or OUT_FAILED. */
enum outcome dashboard_counts(struct dom *d, int counts[STATE__MAX]);

#endif
