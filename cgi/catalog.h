/* catalog.h: the lists of articles readers see: the home page's (with its filters, A-Z index and
 * sources), the JSON list, the articles related to one, and every approved version (the sitemap and
 * the feed). */
#ifndef EVQA_CATALOG_H
#define EVQA_CATALOG_H

#include "content.h"
#include "domain.h"

/* The first letters of the A-Z index: "0" (anything but a letter), then "a" to "z". */
#define CATALOG_LETTERS	27
extern const char catalog_az[CATALOG_LETTERS + 1];

/* The kinds of question an article's sections answer, told by their headings (?answers=). */
#define CATALOG_QTYPES	7
struct catalog_qtype {
	const char	*code, *label;
	const char	*like1, *like2;		/* LIKE patterns a heading of such a section matches */
};
extern const struct catalog_qtype catalog_qtypes[CATALOG_QTYPES];

/* One article of a list: its shown revision (no wording or references), and what the statement of
 * the list adds. Strings belong to d's arena. */
struct catalog_row {
	struct article_view v;
	const char	*source;	/* home list: "evqa" or where it was imported from */
	int		 same;		/* home list: how many articles readers see ask the same question */
	const char	*changed_at;	/* JSON list: when the article last changed, or NULL */
};

/* One page of a list. */
struct catalog_list {
	long long	 page, pages, total;	/* total: the articles matching the filters */
	int		 qtype;		/* home list: the catalog_qtypes[] index of ?answers=, or -1 */
	struct catalog_row *rows;	/* n of them, in d's arena */
	int		 n;
};

/* The home page's filters: each NULL for none. letter is a catalog_az character as a string, qtype
 * a catalog_qtypes[] code. */
struct catalog_filter {
	const char	*state, *letter, *source, *qtype;
};

/* Page page (from 1) of per articles readers see, by id, filtered by f: OUT_OK; OUT_INVALID for an
 * unknown qtype (field "answers") or a page after the last (field "page"); OUT_FAILED. */
enum outcome catalog_home(struct dom *d, const struct catalog_filter *f, long long page, long long per,
	    struct catalog_list *out);

/* How many articles readers see start with each letter of catalog_az: OUT_OK or OUT_FAILED. */
enum outcome catalog_letters(struct dom *d, int counts[CATALOG_LETTERS]);

/* The sources of the articles readers see ("evqa" first, then by name), n of them in d's arena:
 * OUT_OK or OUT_FAILED. */
enum outcome catalog_sources(struct dom *d, const char ***out, int *n);

/* The orders the JSON list takes (?sort=). */
#define CATALOG_SORTS	4

/* Page page (from 1) of per articles readers see, in state (a states[] code, or NULL: any), changed
 * since since (ISO time, or NULL), in order sort (id, question, updated, newest; NULL: id): OUT_OK;
 * OUT_INVALID for an unknown sort (field "sort") or a page after the last (field "page"); OUT_FAILED. */
enum outcome catalog_api(struct dom *d, const char *state, const char *since, const char *sort, long long page,
	    long long per, struct catalog_list *out);

/* How an article is related to another. */
enum related_how {
	RELATED_REFERENCES,	/* it cites some of the same studies: shared says how many */
	RELATED_TOPIC,		/* the same topic: name is the term as its title writes it */
	RELATED_SYNONYM,	/* one's topic is another name of the other's: name is that name */
	RELATED_SHARED_SYNONYM,	/* their topics go by the same other name: name is that name */
	RELATED__MAX
};

/* One related article. Strings belong to d's arena. */
struct related_row {
	long long	 id;
	const char	*slug, *question;
	int		 shared;	/* references in common (0 for a name) */
	enum related_how how;
	const char	*name;		/* the shared name, or NULL for references */
};

/* The articles related to article id through its shown revision rev_id (related_articles in
 * sql/queries.sql: at most 8, most related first), n of them in d's arena: OUT_OK or OUT_FAILED. The
 * one reader of the related_articles statement. */
enum outcome catalog_related(struct dom *d, long long id, long long rev_id, struct related_row **out, int *n);

/* One approved version readers can reach. Strings point into SQLite's memory and last until each()
 * returns. */
struct catalog_version {
	long long	 id;		/* the article */
	const char	*slug;
	int		 number;	/* the revision number: its address is .../v/{number} */
	const char	*question;
	const char	*approved;	/* when it was approved, or NULL */
	int		 shown;		/* 1: the revision the article's own address shows */
	const char	*approver;	/* NULL when no person's approval is recorded (imported) */
};

/* Calls each() for at most limit approved versions, newest approval first, stopping when it returns
 * -1: OUT_OK, or OUT_FAILED (each() failed or the database did, logged). The one reader of the
 * site_versions statement. */
enum outcome catalog_versions(struct dom *d, int limit, int (*each)(const struct catalog_version *, void *),
	    void *arg);

/* Whether there is any article at all (archived ones too) into *any: OUT_OK, or OUT_FAILED. */
enum outcome catalog_any(struct dom *d, int *any);

#endif
