/* cite.h: citing an article and its references: RIS, BibTeX and CSL-JSON files (cite.c). The article
 * page's "Cite this article" text and the download route are page_cite.c's. */
#ifndef EVQA_CITE_H
#define EVQA_CITE_H

#include "buf.h"
#include "content.h"

/* Kinds of work, as the three formats name them. */
enum cite_type {
	WORK_JOURNAL,		/* a paper in a journal: RIS JOUR, BibTeX article, CSL article-journal */
	WORK_REPORT,		/* a report or guideline on its own: RPRT, misc, report */
	WORK_WEBPAGE,		/* a page: ELEC, misc, webpage (an evqa article) */
	WORK__MAX
};

/* One work to cite. Strings are the caller's; all are plain text (validated when saved). */
struct cite_work {
	enum cite_type	 type;
	const char	*key;		/* the BibTeX key and CSL id: "evqa2-ref3" */
	const char	*title;
	const char	*container;	/* the journal or the site, or NULL */
	const struct author *authors;
	int		 nauthors;
	int		 year, month, day;	/* 0 when unknown */
	const char	*doi, *pmid, *url;	/* or NULL */
	const char	*version;	/* "revision 3", or NULL */
	int		 accessed[3];	/* year, month, day the file was made (pages), or zeros */
};

/* Appends works w[0..n) to out in format f. Returns 0, or -1 when out of memory. */
int	 cite_write(struct buf *out, enum cite_format f, const struct cite_work *w, int n);

/* Fills w for reference ref of article id. key must hold 32 bytes. */
void	 cite_work_reference(struct cite_work *w, long long id, const struct reference *ref, char *key);

#endif
