/* section.h: the searchable sections of each article, derived from its rendered wording.
 *
 * Every heading with text of the wording readers see (the shown revision of an article: its latest approved
 * revision, else its latest) becomes one row of the section table, for each audience that revision has
 * wording for: the heading, the section's plain text, the reference numbers it cites and, for imported
 * content, the section's external id. The full-text index (section_fts) follows the table through
 * triggers. content_render_pending() refreshes an article's sections whenever it renders one of its
 * revisions; whoever changes which revision is shown (a review state change) calls section_refresh(). */
#ifndef EVQA_SECTION_H
#define EVQA_SECTION_H

#include <stddef.h>

struct db;

/* Replaces the sections of article_id with those of its shown revision. Runs inside the caller's
 * transaction. Returns 0, or -1 with a message in err. */
int	 section_refresh(struct db *db, long long article_id, char *err, size_t errsz);

/* Builds the sections of every article that has none (after the migration to schema 2, which creates
 * the table empty). Runs inside the caller's transaction. Returns 0, or -1 with a message in err. */
int	 section_refresh_missing(struct db *db, char *err, size_t errsz);

/* The same for the article revision rev belongs to. */
int	 section_refresh_revision(struct db *db, long long rev, char *err, size_t errsz);

#endif
