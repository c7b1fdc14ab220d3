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

/* Evidence grades, in GRADE's terms. A claim is marked {certainty: moderate}; a recommendation
 * {recommendation: strong, certainty: low} (keys in any order, ',' or ';' between them, case ignored).
 * A recommendation needs the certainty of its evidence and a citation in the same paragraph or bullet.
 * Readers see a badge linking to /editorial-policy#grade-...; patients' wording gets plain words. */
enum grade_cert {
	GRADE_CERT_NONE,
	GRADE_CERT_HIGH,
	GRADE_CERT_MODERATE,
	GRADE_CERT_LOW,
	GRADE_CERT_VERY_LOW,
	GRADE_CERT__MAX
};

enum grade_rec {
	GRADE_REC_NONE,		/* a graded claim, not a recommendation */
	GRADE_REC_STRONG,
	GRADE_REC_CONDITIONAL,
	GRADE_REC__MAX
};

struct grade {
	enum grade_cert	 cert;
	enum grade_rec	 rec;
};

struct grade_def {
	const char	*code;		/* as written and in JSON: "very low" */
	const char	*slug;		/* in anchors and classes: "very-low" */
	const char	*label;		/* for professionals: "Very low certainty" */
	const char	*plain;		/* for patients: "Very limited evidence" */
};

extern const struct grade_def grade_certs[GRADE_CERT__MAX];
extern const struct grade_def grade_recs[GRADE_REC__MAX];

/* How many claims a text grades each way: grades[rec][cert]. Every audience's wording of a revision
 * must grade the same claims the same way. */
struct render_grades {
	unsigned short	 n[GRADE_REC__MAX][GRADE_CERT__MAX];
};

/* Whose words the badges use. */
enum render_words {
	RENDER_WORDS_CLINICAL,
	RENDER_WORDS_PLAIN	/* the patient wording */
};

struct render_result {
	char		*html;		/* body HTML (malloc'd) */
	char		*bottom_html;	/* bottom-line HTML (malloc'd) */
	char		*doc_json;	/* {"bottom_line":{...},"sections":[...]} */
	char		*cite_counts;	/* "3,1,0": times references 1, 2, 3 are cited */
	unsigned char	 cited[REF_MAX + 1];	/* cited[n] is 1 when reference n is cited */
	struct render_grades grades;	/* the grades the text gives */
};

/* Renders one audience's wording. has[n] is nonzero for each reference number n the revision has.
 * Returns 0 and fills out (free with render_result_free), or -1 with a message in err. */
int	 render_text(const char *bottom, const char *body, const unsigned char has[REF_MAX + 1],
	    struct render_result *out, char *err, size_t errsz);
void	 render_result_free(struct render_result *);

/* render_text() with the badges in the given words. */
int	 render_text_words(const char *bottom, const char *body, const unsigned char has[REF_MAX + 1],
	    enum render_words words, struct render_result *out, char *err, size_t errsz);

/* Parses one grade marker at s[0..n) (s[0] == '{'). Returns the bytes it spans and fills g, or 0 when
 * the text there is not a grade marker (other braces stay text), or -1 when it names a grade key but
 * is malformed, with a message a person can act on in err. */
int	 render_grade(const char *s, size_t n, struct grade *g, char *err, size_t errsz);

/* Parses one citation marker at s[0..n) (s[0] == '['). Returns the bytes it spans and fills nums
 * (at most max numbers, ranges expanded), or 0 when the text there is not a marker, or -1 when it
 * looks like a marker but is malformed (a reversed or too long range, too many numbers). */
int	 render_marker(const char *s, size_t n, int *nums, int max, int *count);

#endif
