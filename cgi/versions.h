/* versions.h: an article's approved versions, each at its own address, and what changed between two
 * of them (versions.c). The pages and the JSON that show them are page_versions.c's. */
#ifndef EVQA_VERSIONS_H
#define EVQA_VERSIONS_H

#include "buf.h"
#include "content.h"
#include "domain.h"

/* One approved revision. Strings belong to the arena. */
struct version {
	long long	 rev_id;
	int		 number;		/* the revision number: its address is .../v/{number} */
	const char	*approved_at;
	const char	*approver;		/* NULL when no person's approval is recorded (imported) */
	const char	*credential;		/* or NULL */
};

/* The approved versions of article id, newest first, n of them in d's arena: OUT_OK or OUT_FAILED
 * (logged). The one reader of the version_list statement. */
enum outcome versions_list(struct dom *d, long long id, struct version **out, int *n);

/* Finds the approved version number n of article id: OUT_OK with *rev_id set, OUT_NOT_FOUND with a
 * sentence naming the versions there are, or OUT_FAILED. */
enum outcome versions_find(struct dom *d, long long id, int n, long long *rev_id);

/* The parts of a version that are compared, each with its title. */
enum change_part {
	PART_QUESTION,
	PART_BOTTOM,
	PART_BODY,
	PART_REFERENCES,
	PART__MAX
};
extern const char *const versions_part_titles[PART__MAX];

/* What changed between two approved versions. */
struct changes {
	struct article_view cur;		/* what readers see now */
	const struct version *newer, *older;
	const struct audience *wording;		/* whose wording is compared */
	struct buf	 html[PART__MAX];	/* the diff of each part that changed (diff_html()) */
	int		 changed[PART__MAX];	/* lines changed, -1: too large, shown whole */
	int		 any, too_large;
};

/* Compares the approved versions rev and against of article id (0: the newest approved, and the one
 * before rev) in want's wording when both have it, else the clinician's, into ch, which the caller
 * frees with versions_changes_free() whatever the outcome. Returns OUT_OK; OUT_NOT_FOUND (no such
 * article, or fewer than two approved versions); OUT_INVALID (field "rev" or "against": no approved
 * version of that number, the first one without against, or the same one twice); OUT_FAILED. */
enum outcome versions_changes(struct dom *d, long long id, int rev, int against, const struct audience *want,
	    struct changes *ch);
void	 versions_changes_free(struct changes *ch);

#endif
