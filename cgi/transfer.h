/* transfer.h: what evqa export reads and what evqa import stores beside content_save(): every
 * article with its revisions and wordings as the export lists them; an imported revision's
 * provenance, audit row and section ids; an article's source id; a topic's synonyms. */
#ifndef EVQA_TRANSFER_H
#define EVQA_TRANSFER_H

#include "codes.h"
#include "domain.h"

/* One article as exported (export_articles). Its strings are valid only during the call of each(). */
struct transfer_article {
	long long	 id;
	const char	*slug;
	const char	*source_id;	/* NULL: not imported */
	const char	*created_at;
};

/* One stored revision as exported (export_revisions), in d's arena. */
struct transfer_revision {
	long long	 id;
	int		 number;
	const char	*question, *author, *created_at, *state;
	const char	*section_ids;	/* JSON text, or NULL */
};

/* One wording of a revision as exported (export_texts), in d's arena. */
struct transfer_text {
	const char	*audience, *bottom_line, *body;
};

/* Calls each() for every article in id order, stopping when it returns -1: OUT_OK, or OUT_FAILED
 * (each() failed, or the database did, with its words in d->why). each() may run other statements
 * (transfer_revisions, content_references) meanwhile. */
enum outcome transfer_articles(struct dom *d, int (*each)(const struct transfer_article *, void *), void *arg);
/* The revisions of article id, oldest first, at most max of them, into *out (*n): OUT_OK or
 * OUT_FAILED. */
enum outcome transfer_revisions(struct dom *d, long long id, int max, struct transfer_revision **out, int *n);
/* The wordings of revision rev_id in the audiences' order into *out (*n): OUT_OK or OUT_FAILED. */
enum outcome transfer_texts(struct dom *d, long long rev_id, struct transfer_text **out, int *n);

/* The article whose source id is source_id, else (source_id NULL) whose slug is slug, into *id:
 * OUT_OK, or OUT_NOT_FOUND (*id 0; also when both are NULL). */
enum outcome transfer_find_article(struct dom *d, const char *source_id, const char *slug, long long *id);
/* Records where revision rev came from: imported by by, from source (and source_url, or NULL), in
 * state st, at the time at; a revision that has a record keeps it. OUT_OK or OUT_FAILED. */
enum outcome transfer_provenance(struct dom *d, long long rev, const char *by, const char *source,
	    const char *source_url, enum state st, const char *at);
/* The audit row of an imported revision rev of article: created in state st by no account, with
 * reason (copied). OUT_OK or OUT_FAILED. */
enum outcome transfer_audit(struct dom *d, long long article, long long rev, enum state st, const char *reason);
/* Stores revision rev's section ids (JSON text): OUT_OK or OUT_FAILED. */
enum outcome transfer_section_ids(struct dom *d, long long rev, const char *ids);
/* Stores article's source id: OUT_OK or OUT_FAILED. */
enum outcome transfer_set_source(struct dom *d, long long article, const char *source_id);
/* Adds term as a synonym of expansion unless it is one already: OUT_OK or OUT_FAILED. */
enum outcome transfer_synonym(struct dom *d, const char *term, const char *expansion);

#endif
