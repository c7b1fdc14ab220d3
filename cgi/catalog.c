/* catalog.c: the lists of articles readers see (catalog.h): the statements home_*, api_article_*,
 * related_articles and site_versions of sql/queries.sql, each read by one function here. */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "catalog.h"
#include "db.h"
#include "log.h"

const char catalog_az[CATALOG_LETTERS + 1] = "0abcdefghijklmnopqrstuvwxyz";

/* MedQuAD's headings say "What are the symptoms of ...", "What are the treatments for ...", and so on. */
const struct catalog_qtype catalog_qtypes[CATALOG_QTYPES] = {
	{ "symptoms", "Symptoms", "%symptom%", "%signs%" },
	{ "causes", "Causes", "%cause%", "%risk factor%" },
	{ "diagnosis", "Diagnosis", "%diagnos%", "%test%" },
	{ "treatment", "Treatment", "%treat%", "%therap%" },
	{ "prevention", "Prevention", "%prevent%", "%prevent%" },
	{ "outlook", "Outlook", "%outlook%", "%prognos%" },
	{ "inheritance", "Inheritance and genetics", "%inherit%", "%genetic%" },
};

/* The orders of the JSON list, each with its statement; the first is the default. */
static const struct { const char *name; enum stmt_id stmt; } api_sorts[CATALOG_SORTS] = {
	{ "id", STMT_API_ARTICLE_PAGE },
	{ "question", STMT_API_ARTICLE_PAGE_QUESTION },
	{ "updated", STMT_API_ARTICLE_PAGE_UPDATED },
	{ "newest", STMT_API_ARTICLE_PAGE_NEWEST },
};

/* The statements a list's rows come from, and what each adds to article_shown's columns. */
enum list_kind {
	LIST_HOME,	/* home_page: source, same */
	LIST_API,	/* api_article_page*: changed_at */
};

/* Steps s (bound to page out->page of per rows) to its end, reading each row into out->rows, made
 * room for at once from out->total: OUT_OK or OUT_FAILED. */
static enum outcome
list_rows(struct dom *d, struct dbq *s, enum list_kind kind, long long per, struct catalog_list *out)
{
	enum outcome oc = OUT_OK;
	long long left = out->total - (out->page - 1) * per;
	int	 rc, cap = (int)(left < 1 ? 1 : left < per ? left : per);

	if ((out->rows = arena_alloc(d->arena, (size_t)cap * sizeof(out->rows[0]))) == NULL) {
		db_reset(s);
		return OUT_FAILED;
	}
	while ((rc = db_step(s)) == DB_ROW) {
		struct catalog_row *row;

		if ((out->rows = arena_grow(d->arena, out->rows, out->n, &cap, sizeof(out->rows[0]))) == NULL) {
			oc = OUT_FAILED;
			break;
		}
		row = &out->rows[out->n];
		memset(row, 0, sizeof(*row));
		if ((oc = content_article_row(d, s, &row->v)) != OUT_OK)
			break;
		switch (kind) {
		case LIST_HOME:
			row->source = arena_strdup(d->arena, db_text(s, 9));
			row->same = db_int(s, 10);
			break;
		case LIST_API:
			row->changed_at = arena_strdup(d->arena, db_text(s, 9));
			break;
		}
		out->n++;
	}
	if (oc == OUT_OK && rc != DB_DONE) {
		log_warnx("list of articles: %s", db_errmsg(d->db));
		oc = OUT_FAILED;
	}
	db_reset(s);
	if (oc != OUT_OK)
		out->n = 0;
	return oc;
}

/* The filters bound to a home statement (?1 state, ?2 letter, ?3 source, ?6 and ?7 the headings). */
static void
home_bind(const struct catalog_filter *f, int qtype, struct dbq *s)
{
	if (f->state != NULL)
		db_bind_text(s, 1, f->state);
	if (f->letter != NULL)
		db_bind_text(s, 2, f->letter);
	if (f->source != NULL)
		db_bind_text(s, 3, f->source);
	if (qtype >= 0) {
		db_bind_text(s, 6, catalog_qtypes[qtype].like1);
		db_bind_text(s, 7, catalog_qtypes[qtype].like2);
	}
}

enum outcome
catalog_home(struct dom *d, const struct catalog_filter *f, long long page, long long per,
    struct catalog_list *out)
{
	struct dbq *s;

	memset(out, 0, sizeof(*out));
	out->page = page;
	out->qtype = -1;
	if (f->qtype != NULL) {
		for (int i = 0; i < CATALOG_QTYPES; i++)
			if (strcmp(f->qtype, catalog_qtypes[i].code) == 0)
				out->qtype = i;
		if (out->qtype < 0)
			return dom_field_error(d, "answers", "must be symptoms, causes, diagnosis, treatment, "
			    "prevention, outlook or inheritance.");
	}
	s = db_stmt(d->db, STMT_HOME_COUNT);
	home_bind(f, out->qtype, s);
	if (db_step(s) != DB_ROW) {
		log_warnx("home count: %s", db_errmsg(d->db));
		db_reset(s);
		return OUT_FAILED;
	}
	out->total = db_int64(s, 0);
	db_reset(s);
	out->pages = out->total == 0 ? 1 : (out->total + per - 1) / per;
	if (page > out->pages)
		return dom_field_error(d, "page", "must be from 1 to %lld: these %lld articles fill %lld %s of %lld.",
		    out->pages, out->total, out->pages, out->pages == 1 ? "page" : "pages", per);
	s = db_stmt(d->db, STMT_HOME_PAGE);
	home_bind(f, out->qtype, s);
	db_bind_int(s, 4, per);
	db_bind_int(s, 5, (page - 1) * per);
	return list_rows(d, s, LIST_HOME, per, out);
}

enum outcome
catalog_letters(struct dom *d, int counts[CATALOG_LETTERS])
{
	struct dbq *s = db_stmt(d->db, STMT_HOME_LETTERS);
	int	 rc;

	memset(counts, 0, CATALOG_LETTERS * sizeof(counts[0]));
	while ((rc = db_step(s)) == DB_ROW) {
		const char *c = db_text(s, 0), *p = c && c[0] ? strchr(catalog_az, c[0]) : NULL;

		if (p != NULL)
			counts[p - catalog_az] = db_int(s, 1);
	}
	db_reset(s);
	if (rc != DB_DONE) {
		log_warnx("home letters: %s", db_errmsg(d->db));
		return OUT_FAILED;
	}
	return OUT_OK;
}

enum outcome
catalog_sources(struct dom *d, const char ***out, int *nout)
{
	struct dbq *s = db_stmt(d->db, STMT_HOME_SOURCES);
	const char **v = NULL;
	int	 rc, n = 0, cap = 0;

	*out = NULL;
	*nout = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if ((v = arena_grow(d->arena, v, n, &cap, sizeof(v[0]))) == NULL) {
			db_reset(s);
			return OUT_FAILED;
		}
		if ((v[n] = arena_strdup(d->arena, db_text(s, 0))) != NULL)
			n++;
	}
	db_reset(s);
	if (rc != DB_DONE) {
		log_warnx("home sources: %s", db_errmsg(d->db));
		return OUT_FAILED;
	}
	*out = v;
	*nout = n;
	return OUT_OK;
}

enum outcome
catalog_api(struct dom *d, const char *state, const char *since, const char *sort, long long page,
    long long per, struct catalog_list *out)
{
	enum stmt_id which = api_sorts[0].stmt;
	struct dbq *s;

	memset(out, 0, sizeof(*out));
	out->page = page;
	out->qtype = -1;
	if (sort != NULL) {
		int	 i;

		for (i = 0; i < CATALOG_SORTS && strcmp(api_sorts[i].name, sort) != 0; i++)
			continue;
		if (i == CATALOG_SORTS)
			return dom_field_error(d, "sort", "must be one of: id, question, updated (least recently "
			    "changed first), newest (most recently changed first).");
		which = api_sorts[i].stmt;
	}
	s = db_stmt(d->db, STMT_API_ARTICLE_COUNT);
	db_bind_text(s, 1, state);
	db_bind_text(s, 2, since);
	if (db_step(s) != DB_ROW) {
		log_warnx("article count: %s", db_errmsg(d->db));
		db_reset(s);
		return OUT_FAILED;
	}
	out->total = db_int64(s, 0);
	db_reset(s);
	out->pages = out->total == 0 ? 1 : (out->total + per - 1) / per;
	if (page > out->pages && page > 1)
		return dom_field_error(d, "page", "must be from 1 to %lld: there are %lld articles, %lld to a "
		    "page.", out->pages, out->total, per);
	s = db_stmt(d->db, which);
	db_bind_text(s, 1, state);
	db_bind_text(s, 2, since);
	db_bind_int(s, 3, per);
	db_bind_int(s, 4, (page - 1) * per);
	return list_rows(d, s, LIST_API, per, out);
}

enum outcome
catalog_related(struct dom *d, long long id, long long rev_id, struct related_row **out, int *nout)
{
	struct dbq *s = db_stmt(d->db, STMT_RELATED_ARTICLES);
	struct related_row *v = NULL;
	int	 rc, n = 0, cap = 0;

	*out = NULL;
	*nout = 0;
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, rev_id);
	while ((rc = db_step(s)) == DB_ROW) {
		int	 how = db_int(s, 4);

		if ((v = arena_grow(d->arena, v, n, &cap, sizeof(v[0]))) == NULL) {
			db_reset(s);
			return OUT_FAILED;
		}
		v[n].id = db_int64(s, 0);
		v[n].slug = arena_strdup(d->arena, db_text(s, 1));
		v[n].question = arena_strdup(d->arena, db_text(s, 2));
		v[n].shared = db_int(s, 3);
		v[n].how = how >= 0 && how < RELATED__MAX ? (enum related_how)how : RELATED_SHARED_SYNONYM;
		v[n].name = arena_strdup(d->arena, db_text(s, 5));
		n++;
	}
	db_reset(s);
	if (rc != DB_DONE) {
		log_warnx("articles related to %lld: %s", id, db_errmsg(d->db));
		return OUT_FAILED;
	}
	*out = v;
	*nout = n;
	return OUT_OK;
}

enum outcome
catalog_versions(struct dom *d, int limit, int (*each)(const struct catalog_version *, void *), void *arg)
{
	struct dbq *s = db_stmt(d->db, STMT_SITE_VERSIONS);
	struct catalog_version cv;
	int	 rc;

	db_bind_int(s, 1, limit);
	while ((rc = db_step(s)) == DB_ROW) {
		cv.id = db_int64(s, 0);
		cv.slug = db_text(s, 1);
		cv.number = db_int(s, 2);
		cv.question = db_text(s, 3);
		cv.approved = db_text(s, 4);
		cv.shown = db_int(s, 5) != 0;
		cv.approver = db_text(s, 6);
		if (each(&cv, arg) == -1)
			break;
	}
	db_reset(s);
	if (rc == DB_ROW)
		return OUT_FAILED;
	if (rc != DB_DONE) {
		log_warnx("approved versions: %s", db_errmsg(d->db));
		return OUT_FAILED;
	}
	return OUT_OK;
}

enum outcome
catalog_any(struct dom *d, int *any)
{
	struct dbq *s = db_stmt(d->db, STMT_ARTICLE_EXISTS_ANY);
	int	 rc = db_step(s);

	*any = rc == DB_ROW && db_int(s, 0) != 0;
	db_reset(s);
	return rc == DB_ROW ? OUT_OK : dom_fail(d, OUT_FAILED, "%s", db_errmsg(d->db));
}
