/* page_versions.h: approved versions as the article page, the version pages and the JSON show them
 * (page_versions.c); the versions themselves, and what changed between two, are versions.h's. */
#ifndef EVQA_PAGE_VERSIONS_H
#define EVQA_PAGE_VERSIONS_H

#include <jansson.h>

#include "buf.h"
#include "content.h"
#include "versions.h"

struct req;

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

#endif
