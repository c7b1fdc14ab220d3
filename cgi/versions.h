/* versions.h: an article's approved versions, each at its own address, for the article page, the
 * version pages, what changed between two versions, and the JSON of each. */
#ifndef EVQA_VERSIONS_H
#define EVQA_VERSIONS_H

#include <jansson.h>

#include "buf.h"
#include "content.h"

struct req;

/* One approved revision. Strings belong to the request. */
struct version {
	long long	 rev_id;
	int		 number;		/* the revision number: its address is .../v/{number} */
	const char	*approved_at;
	const char	*approver;		/* NULL when no person's approval is recorded (imported) */
	const char	*credential;		/* or NULL */
};

/* The approved versions of article id, newest first, into *out (the request's memory). Returns how
 * many, or -1 (out of memory or a database error, logged). */
int	 versions_load(struct req *r, long long id, struct version **out);

/* Writes the "Approved versions" section of the article page of v, marking version reading (0: the
 * article's own page). Writes nothing when the article has no approved version. Returns 0 or -1. */
int	 versions_write_list(struct buf *out, struct req *r, const struct article_view *v, int reading);

/* Writes the banner of the version page of v: which version it is, and a link to cur, what readers
 * see now. Returns 0 or -1. */
int	 versions_write_banner(struct buf *out, struct req *r, const struct article_view *v,
	    const struct article_view *cur);

/* The versions of the article v belongs to, as JSON: [{"revision", "approved_at", "approved_by",
 * "url", "api_url", "changes_api_url"}], newest first. A new reference, or NULL. */
json_t	*versions_json_new(struct req *r, const struct article_view *v);

/* Finds the approved version number n of the article cur shows. Returns 200 with *rev_id set, or
 * 404 with a message naming the versions there are. */
int	 versions_find(struct req *r, const struct article_view *cur, int n, long long *rev_id);

#endif
