/* render.h: article Markdown to HTML and structured JSON, with citation markers resolved.
 *
 * Runs when content is saved or imported, never when a page is read. Markdown is rendered by cmark in
 * safe mode (raw HTML dropped, javascript: and similar links emptied). Citation markers [1], [1, 2] and
 * [1-3] (digits only) become links to the reference list; a marker naming a reference the revision does
 * not have is an error, reported with where it is. */
#ifndef EVQA_RENDER_H
#define EVQA_RENDER_H

#include <stddef.h>

/* How stored JSON is written; the API splices it into its replies as it is. */
#define RENDER_JSON_FLAGS	(JSON_COMPACT | JSON_ESCAPE_SLASH)

#define REF_MAX		500		/* highest reference number */
#define BOTTOM_MAX	4000		/* bytes of bottom-line Markdown */
#define BODY_MAX	(100 * 1024)	/* bytes of body Markdown */
#define RENDER_NEST_MAX	16		/* lists and block quotes inside one another */

struct render_result {
	char		*html;		/* body HTML (malloc'd) */
	char		*bottom_html;	/* bottom-line HTML (malloc'd) */
	char		*doc_json;	/* {"bottom_line":{...},"sections":[...]} */
	char		*cite_counts;	/* "3,1,0": times references 1, 2, 3 are cited */
	unsigned char	 cited[REF_MAX + 1];	/* cited[n] is 1 when reference n is cited */
};

/* Renders one audience's wording. has[n] is nonzero for each reference number n the revision has.
 * Returns 0 and fills out (free with render_result_free), or -1 with a message in err. */
int	 render_text(const char *bottom, const char *body, const unsigned char has[REF_MAX + 1],
	    struct render_result *out, char *err, size_t errsz);
void	 render_result_free(struct render_result *);

/* Parses one citation marker at s[0..n) (s[0] == '['). Returns the bytes it spans and fills nums
 * (at most max numbers, ranges expanded), or 0 when the text there is not a marker, or -1 when it
 * looks like a marker but is malformed (a reversed or too long range, too many numbers). */
int	 render_marker(const char *s, size_t n, int *nums, int max, int *count);

#endif
