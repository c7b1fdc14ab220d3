/* retract.h: retraction watch. Notices of retracted, corrected or questioned papers, read from a file
 * in the layout of the Retraction Watch database (CSV), are matched by DOI and PubMed id against the
 * references of the revisions readers see and editors work on; each article found is flagged for
 * re-review (the editors' dashboard), readers see a notice beside the reference, and each new finding
 * is a row in the article's audit trail. Reading the same file again changes nothing. */
#ifndef EVQA_RETRACT_H
#define EVQA_RETRACT_H

#include <stdio.h>

#include "buf.h"
#include "domain.h"

struct db;

#define RETRACT_FIELD_MAX	65536	/* bytes of one CSV field */
#define RETRACT_FIELDS_MAX	64	/* fields of one CSV record */

/* One notice, as read from one row; strings belong to the reader and last until the next row. */
struct retract_notice {
	const char	*record_id;	/* the file's "Record ID", or NULL */
	const char	*doi;		/* the original paper's DOI, lowercase, or NULL */
	const char	*pmid;		/* its PubMed id, or NULL */
	const char	*nature;	/* "Retraction", "Correction" or "Expression of concern" */
	const char	*date;		/* the notice's date, "YYYY-MM-DD", or NULL */
	const char	*title;		/* the paper's title, or NULL */
};

struct retract_stats {
	long		 rows;		/* data rows read */
	long		 notices;	/* rows naming a paper with a notice evqa flags */
	long		 unnamed;	/* rows with neither a DOI nor a PubMed id */
	long		 other;		/* rows of another nature (reinstatements, ...) */
	long		 new_notices;	/* notices not seen before */
	long		 matches;	/* references found citing a noticed paper */
	long		 new_flags;	/* of those, found for the first time (and audited) */
};

/* Reads CSV from f (RFC 4180: quoted fields with "" for a quote, line breaks inside quotes; a header
 * row naming the columns) and calls each() for every row that names a paper (OriginalPaperDOI or
 * OriginalPaperPubMedID) with a notice evqa flags (RetractionNature: Retraction, Correction,
 * Expression of concern). Returns 0, or -1 with a message in err ("line 12: ..."), also when each()
 * returns -1 (its message is in err). */
int	 retract_csv_read(FILE *f, int (*each)(const struct retract_notice *, void *, char *, size_t),
	    void *arg, struct retract_stats *st, char *err, size_t errsz);

/* Records notice n (seen at now) and flags every revision found citing its paper, appending an audit
 * row for each new flag. Runs inside the caller's transaction. When found is not NULL it is called for
 * each new flag. Returns 0, or -1 with a message in err. */
int	 retract_apply(struct db *db, const struct retract_notice *n, const char *now, struct retract_stats *st,
	    void (*found)(long long article, long long revision, int ref, const struct retract_notice *, void *),
	    void *arg, char *err, size_t errsz);

/* One article flagged for re-review: a reference of a revision readers see (or the newest) cites a
 * paper with a notice. Strings belong to the arena; doi or pmid may be NULL, not both. */
struct retract_flag {
	long long	 article;
	const char	*slug, *question;
	int		 revision, ref;		/* the revision's number, the reference's */
	const char	*nature, *notice_date;	/* the notice (its date may be NULL) */
	const char	*found_at;		/* when the match was first found */
	const char	*doi, *pmid;		/* the paper */
};

/* The flagged articles, newest finding first (at most 200), n of them in d's arena: OUT_OK or
 * OUT_FAILED. The one reader of the flag_list statement. */
enum outcome retract_flags(struct dom *d, struct retract_flag **out, int *n);

/* What a notice says of a cited study, for readers: "was retracted on". */
const char *retract_verb(const char *nature);

#endif
