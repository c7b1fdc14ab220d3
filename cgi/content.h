/* content.h: the content model as pages and the API read it: audiences, articles, references. */
#ifndef EVQA_CONTENT_H
#define EVQA_CONTENT_H

#include <stddef.h>

#include "codes.h"
#include "domain.h"

struct arena;
struct db;
struct dom;

/* One author of a reference: a person (family, and given names or initials) or a group (literal). */
struct author {
	const char	*family;	/* "Connolly", or NULL for a group */
	const char	*given;		/* "Stuart J.", or NULL */
	const char	*literal;	/* "American College of Cardiology", or NULL for a person */
};

#define AUTHORS_MAX	100	/* authors one reference may list */
#define AUTHOR_NAME_MAX	200	/* bytes of one name part */

struct reference {
	int		 num;
	const char	*kind;		/* guideline, systematic_review, research, review, other */
	const char	*title;
	const char	*source;	/* journal or body, or NULL */
	long long	 year;		/* 0 when unknown */
	const char	*pmid, *doi, *url;	/* NULL when absent */
	const char	*authors_json;	/* the authors as stored (a JSON array), or NULL */
	struct author	*authors;	/* the same, parsed; nauthors of them */
	int		 nauthors;
	const char	*notice_nature;	/* the latest retraction watch notice on the cited study, or NULL */
	const char	*notice_date;	/* its date ("YYYY-MM-DD"), or NULL */
};

/* The references of revision rev_id in number order, parsed (authors too), in d's arena: OUT_OK or
 * OUT_FAILED. The one reader of the reference_list statement. */
enum outcome content_references(struct dom *d, long long rev_id, struct reference **out, int *n);

/* One audience's wording of a revision, as written (Markdown). */
struct text_row {
	const char	*audience;	/* its code */
	const char	*bottom_line, *body;
};

/* The wording of revision rev_id for each audience it has, in audience order, in d's arena (at
 * most AUD__MAX rows): OUT_OK or OUT_FAILED. The one reader of the text_all statement. */
enum outcome content_texts(struct dom *d, long long rev_id, struct text_row **out, int *n);

/* Label shown for a reference kind ("Systematic review"). */
const char *reference_kind_label(const char *kind);

/* The authors as a reference list shows them: "Connolly SJ, Ezekowitz MD, Yusuf S, et al." (family
 * names and initials, the first six then "et al."), in arena ar; NULL when there are none. */
const char *reference_authors_line(struct arena *ar, const struct reference *ref);
/* 1 when the authors in_json (a JSON array as a request or import gives it, or NULL) are those stored
 * (a reference's authors column as content_save() wrote it, or NULL); 0 when they differ or in_json
 * is not a valid list of authors. */
int	 content_authors_same(const char *in_json, const char *stored);

/* The initials of given names into out: "Stuart J." gives "SJ", "Jean-Luc" gives "JL". */
void	 author_initials(const char *given, char *out, size_t outsz);

/* An article as readers see it: the shown revision in one audience's wording. All strings belong to
 * the request. */
struct article_view {
	long long	 id;
	const char	*slug;
	long long	 rev_id;
	int		 rev_number;
	const char	*question;
	const char	*author;
	const char	*created_at;	/* the revision's time: "Last updated" */
	enum state	 state;
	const char	*state_at;

	/* Filled by content_article() for pages: where the article stands beyond the shown revision. */
	int		 latest_number;	/* the newest revision's number (> rev_number: an update in review) */
	const char	*review_by;	/* next scheduled review, or NULL */
	const char	*approver;	/* who approved the shown revision, or NULL */
	const char	*approver_credential;
	const char	*approved_at;
	const char	*review_started_at;	/* when the shown revision went under review, or NULL */
	const char	*approver_conflicts;	/* the approver's conflict-of-interest statement, or NULL */
	/* Where the shown revision came from when it was imported (all NULL when it was written here). */
	const char	*imported_by, *import_source, *import_url, *import_state, *imported_at;

	const struct audience *audience;	/* asked for */
	const struct audience *wording;		/* whose wording is shown (asked for, else clinician) */
	unsigned int	 has_audience;		/* bit i set when audiences[i] has wording */

	/* Filled by content_article() only. */
	const char	*html;		/* rendered body */
	const char	*bottom_html;
	const char	*doc_json;	/* sections and blocks for the API */
	const char	*cite_counts;	/* "3,1,0": times each reference is cited, for back links */
	struct reference *refs;
	int		 nrefs;
};

/* What content_article() loads besides the revision. */
#define CONTENT_HTML	0x01	/* html, bottom_html, cite_counts */
#define CONTENT_DOC	0x02	/* doc_json */
#define CONTENT_REFS	0x04	/* refs, nrefs */

/* Loads article id (its shown revision) with what the CONTENT_ flags ask for, in the wording for aud
 * (NULL: clinician). The wording strings point into SQLite's memory and stay valid until the end of
 * the request (db_idle() resets the statement); the rest belongs to d's arena.
 * Returns OUT_OK, OUT_NOT_FOUND (no such article) or OUT_FAILED, with d->why set on error. */
enum outcome content_article(struct dom *d, long long id, const struct audience *aud, int what,
	    struct article_view *out);

/* The same for one revision by its id, whatever its state (previews and the editor pages). */
enum outcome content_revision(struct dom *d, long long rev_id, const struct audience *aud, int what,
	    struct article_view *out);

/* Whether v's review is overdue at now ('YYYY-MM-DDTHH:MM:SSZ'): it is approved and its review-by
 * date has passed. What readers see of v changes when that date comes, with nothing written: the
 * review-by date while it is ahead (until then a page or reply built from v holds), else NULL. */
int	 content_review_overdue(const struct article_view *v, const char *now);
const char *content_review_due(const struct article_view *v, const char *now);

/* Reads one row of STMT_ARTICLE_SHOWN or STMT_ARTICLE_PAGE into v (no wording or references):
 * OUT_OK, or OUT_FAILED. */
enum outcome content_article_row(struct dom *d, void *stmt, struct article_view *v);

/* Renders every stored text that has not been rendered yet, checking citation markers against each
 * revision's references and that every audience's wording cites the same references as the clinician
 * wording. Runs inside the caller's transaction. Returns 0, or -1 with a message in err. */
int	 content_render_pending(struct db *db, char *err, size_t errsz);

/* Content to save: one revision with its references and its wording per audience. Strings are the
 * caller's; content_save() copies what it keeps. */
struct reference_in {
	const char	*kind;		/* guideline, systematic_review, research, review, other */
	const char	*title;
	const char	*source;	/* or NULL */
	int		 year;		/* 0: unknown */
	const char	*pmid, *doi, *url;	/* or NULL */
	const char	*authors_json;	/* a JSON array of {"family", "given"} or {"literal"}, or NULL */
};

struct text_in {
	const char	*audience;	/* an audience code; one of them must be "clinician" */
	const char	*bottom_line;	/* Markdown */
	const char	*body;		/* Markdown */
};

struct revision_in {
	const char	*question;
	const char	*author;	/* display name */
	enum state	 state;
	const char	*created_at;	/* 'YYYY-MM-DDTHH:MM:SSZ', or NULL for now */
	const struct reference_in *refs;	/* numbered 1..nrefs in this order */
	int		 nrefs;
	const struct text_in *texts;
	int		 ntexts;
	long long	 author_user_id;	/* the account that wrote it, or 0 (imported content) */
};

/* Limits on saved content. */
#define QUESTION_MAX	300
#define REF_TITLE_MAX	1000
#define REF_FIELD_MAX	300

/* Where content_save() found a problem: the field ("question", "references[2].pmid",
 * "texts.patient.body") and a message a person can act on. */
struct content_error {
	char	 field[64];
	char	 detail[400];
};

/* Validates rev and stores it as a new revision of article_id, or of a new article when article_id is
 * 0 (its slug made from the question, or slug when given). Markdown is rendered and citation markers
 * checked (content_render_pending()). Runs inside the caller's transaction, which the caller rolls back
 * on failure. Returns the new revision's id (and *article_out), or -1 with err filled. */
long long content_save(struct db *db, long long article_id, const char *slug, const struct revision_in *rev,
	    long long *article_out, struct content_error *err);

/* Writes a URL slug for text into out (lowercase ASCII letters, digits and '-', at most outsz - 1
 * bytes, never empty: "article" when nothing is left). */
void	 content_slugify(const char *text, char *out, size_t outsz);

/* Writes the audience rows (code, label, order) into the database. Returns 0 or -1. */
int	 content_sync_audiences(struct db *db, char *err, size_t errsz);

#endif
