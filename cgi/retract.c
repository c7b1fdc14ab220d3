/* retract.c: retraction watch: the Retraction Watch CSV reader, matching notices against cited
 * references, and the list of flagged articles (see retract.h; the editors' dashboard shows it,
 * page_retract.c).
 *
 * The CSV reader is written here: Debian's libcsv has no pkg-config file, and RFC 4180 records take
 * one small state machine; every field and record is bounded. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "buf.h"
#include "db.h"
#include "content.h"
#include "log.h"
#include "retract.h"

/* One CSV record: fields[0..n), each NUL-terminated in b. */
struct record {
	struct buf	 b;
	size_t		 at[RETRACT_FIELDS_MAX];
	int		 n;
};

/* Reads one record. Returns 1, 0 at the end of the file, or -1 with err. *line counts lines. */
static int
csv_record(FILE *f, struct record *rec, long *line, char *err, size_t errsz)
{
	int	 c, quoted = 0, any = 0;
	size_t	 flen = 0;

	buf_reset(&rec->b);
	rec->n = 0;
	rec->at[rec->n++] = 0;
	for (;;) {
		c = getc(f);
		if (c == EOF) {
			if (quoted) {
				snprintf(err, errsz, "line %ld: a quoted field is not closed", *line);
				return -1;
			}
			if (!any)
				return 0;
			break;
		}
		any = 1;
		if (quoted) {
			if (c == '"') {
				int	 d = getc(f);

				if (d == '"') {
					buf_putc(&rec->b, '"');
					flen++;
				} else {
					quoted = 0;
					if (d != EOF)
						ungetc(d, f);
				}
				continue;
			}
			if (c == '\n')
				(*line)++;
		} else if (c == '"' && flen == 0) {
			quoted = 1;
			continue;
		} else if (c == ',') {
			buf_putc(&rec->b, '\0');
			if (rec->n == RETRACT_FIELDS_MAX) {
				snprintf(err, errsz, "line %ld: more than %d fields", *line, RETRACT_FIELDS_MAX);
				return -1;
			}
			rec->at[rec->n++] = rec->b.len;
			flen = 0;
			continue;
		} else if (c == '\n') {
			(*line)++;
			break;
		} else if (c == '\r')
			continue;
		if (c == '\0') {
			snprintf(err, errsz, "line %ld: a NUL byte", *line);
			return -1;
		}
		if (++flen > RETRACT_FIELD_MAX) {
			snprintf(err, errsz, "line %ld: a field longer than %d bytes", *line, RETRACT_FIELD_MAX);
			return -1;
		}
		buf_putc(&rec->b, (char)c);
	}
	buf_putc(&rec->b, '\0');
	if (rec->b.err) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	return 1;
}

static const char *
field(const struct record *rec, int i)
{
	return i >= 0 && i < rec->n ? rec->b.p + rec->at[i] : "";
}

/* Trims spaces in place. */
static char *
trim(char *s)
{
	size_t	 n;

	s += strspn(s, " \t");
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* A DOI as references store it, lowercase without a resolver prefix; NULL when s is not one. */
static char *
norm_doi(char *s)
{
	static const char *const prefixes[] = { "https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
	    "http://dx.doi.org/", "doi:" };

	s = trim(s);
	for (char *p = s; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			s += strlen(prefixes[i]);
	if (strncmp(s, "10.", 3) != 0 || strchr(s, '/') == NULL || strpbrk(s, " \"<>") != NULL || strlen(s) > 300)
		return NULL;
	return s;
}

static char *
norm_pmid(char *s)
{
	size_t	 n;

	s = trim(s);
	n = strlen(s);
	if (n == 0 || n > 10 || strspn(s, "0123456789") != n || strspn(s, "0") == n)
		return NULL;
	return s;
}

/* "M/D/YYYY[ H:MM]" or "YYYY-MM-DD[...]" into out as "YYYY-MM-DD"; NULL when it is neither. */
static const char *
norm_date(const char *s, char out[11])
{
	int	 y, m, d;

	if (sscanf(s, "%d/%d/%d", &m, &d, &y) == 3 || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3) {
		if (y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
			snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
			return out;
		}
	}
	return NULL;
}

static const struct { const char *match, *nature, *verb; } natures[] = {
	{ "retraction", "Retraction", "was retracted" },
	{ "correction", "Correction", "was corrected" },
	{ "expression of concern", "Expression of concern", "received an expression of concern" },
};

const char *
retract_verb(const char *nature)
{
	for (size_t i = 0; i < sizeof(natures) / sizeof(natures[0]); i++)
		if (nature != NULL && strcmp(nature, natures[i].nature) == 0)
			return natures[i].verb;
	return "received a notice";
}

int
retract_csv_read(FILE *f, int (*each)(const struct retract_notice *, void *, char *, size_t), void *arg,
    struct retract_stats *st, char *err, size_t errsz)
{
	static const char *const want[] = { "Record ID", "Title", "RetractionDate", "OriginalPaperDOI",
	    "OriginalPaperPubMedID", "RetractionNature" };
	enum { C_ID, C_TITLE, C_DATE, C_DOI, C_PMID, C_NATURE, C__MAX };
	int	 col[C__MAX], rc;
	struct record rec = { BUF_INIT, { 0 }, 0 };
	long	 line = 1, at;

	rec.b.max = (size_t)RETRACT_FIELD_MAX * 4;
	if ((rc = csv_record(f, &rec, &line, err, errsz)) <= 0) {
		if (rc == 0) {
			snprintf(err, errsz, "the file is empty; it needs a header row");
			rc = -1;
		}
		goto out;
	}
	for (int k = 0; k < C__MAX; k++) {
		col[k] = -1;
		for (int i = 0; i < rec.n; i++) {
			const char *h = field(&rec, i);

			if (i == 0 && (unsigned char)h[0] == 0xef && strncmp(h, "\xef\xbb\xbf", 3) == 0)
				h += 3;		/* a byte order mark */
			if (strcmp(h, want[k]) == 0)
				col[k] = i;
		}
		if (col[k] < 0 && k != C_ID && k != C_TITLE) {
			snprintf(err, errsz, "line 1: the header has no %s column; the file needs the Retraction "
			    "Watch columns RetractionDate, OriginalPaperDOI, OriginalPaperPubMedID and "
			    "RetractionNature", want[k]);
			rc = -1;
			goto out;
		}
	}
	for (;;) {
		struct retract_notice n;
		char	 date[11], *doi, *pmid;
		const char *nat;
		size_t	 i;

		at = line;
		if ((rc = csv_record(f, &rec, &line, err, errsz)) <= 0)
			break;
		if (rec.n == 1 && field(&rec, 0)[0] == '\0')
			continue;	/* an empty line */
		st->rows++;
		doi = norm_doi((char *)field(&rec, col[C_DOI]));
		pmid = norm_pmid((char *)field(&rec, col[C_PMID]));
		nat = trim((char *)field(&rec, col[C_NATURE]));
		for (i = 0; i < sizeof(natures) / sizeof(natures[0]) && strcasecmp(nat, natures[i].match) != 0; i++)
			;
		if (i == sizeof(natures) / sizeof(natures[0])) {
			st->other++;
			continue;
		}
		if (doi == NULL && pmid == NULL) {
			st->unnamed++;
			continue;
		}
		memset(&n, 0, sizeof(n));
		n.record_id = col[C_ID] >= 0 && trim((char *)field(&rec, col[C_ID]))[0] ? trim((char *)field(&rec,
		    col[C_ID])) : NULL;
		n.title = col[C_TITLE] >= 0 && field(&rec, col[C_TITLE])[0] ? field(&rec, col[C_TITLE]) : NULL;
		n.doi = doi;
		n.pmid = pmid;
		n.nature = natures[i].nature;
		n.date = norm_date(field(&rec, col[C_DATE]), date);
		st->notices++;
		if (each(&n, arg, err, errsz) == -1) {
			char	 m[300];

			snprintf(m, sizeof(m), "%s", err);
			snprintf(err, errsz, "line %ld: %s", at, m);
			rc = -1;
			break;
		}
	}
out:
	buf_free(&rec.b);
	return rc < 0 ? -1 : 0;
}

/* Records notice n; returns its id, or -1. *fresh is 1 when it was not there before. */
static long long
notice_put(struct db *db, const struct retract_notice *n, const char *now, int *fresh, char *err, size_t errsz)
{
	char	 key[800];
	struct dbq *s;
	long long id = -1;

	if (n->record_id != NULL)
		snprintf(key, sizeof(key), "rw:%s", n->record_id);
	else
		snprintf(key, sizeof(key), "%s|%s|%s|%s", n->doi ? n->doi : "", n->pmid ? n->pmid : "", n->nature,
		    n->date ? n->date : "");
	s = db_stmt(db, STMT_RETRACTION_NOTICE_PUT);
	db_bind_text_copy(s, 1, key);
	db_bind_text_copy(s, 2, n->record_id);
	db_bind_text_copy(s, 3, n->doi);
	db_bind_text_copy(s, 4, n->pmid);
	db_bind_text(s, 5, n->nature);
	db_bind_text_copy(s, 6, n->date);
	db_bind_text_copy(s, 7, n->title);
	db_bind_text(s, 8, now);
	if (db_step(s) != DB_DONE) {
		snprintf(err, errsz, "cannot store a notice: %s", db_errmsg(db));
		return -1;
	}
	*fresh = db_changes(db) > 0;
	s = db_stmt(db, STMT_RETRACTION_NOTICE_ID);
	db_bind_text_copy(s, 1, key);
	if (db_step(s) == DB_ROW)
		id = db_int64(s, 0);
	db_reset(s);
	if (id < 0)
		snprintf(err, errsz, "a stored notice cannot be read back");
	return id;
}

int
retract_apply(struct db *db, const struct retract_notice *n, const char *now, struct retract_stats *st,
    void (*found)(long long, long long, int, const struct retract_notice *, void *), void *arg,
    char *err, size_t errsz)
{
	struct hit { long long article, revision; int ref; char state[32]; } hits[64];
	int	 nh = 0, fresh = 0;
	long long nid;

	if ((nid = notice_put(db, n, now, &fresh, err, errsz)) < 0)
		return -1;
	st->new_notices += fresh;
	for (int pass = 0; pass < 2; pass++) {
		const char *v = pass == 0 ? n->doi : n->pmid;
		struct dbq *s;

		if (v == NULL)
			continue;
		s = db_stmt(db, pass == 0 ? STMT_RETRACTION_BY_DOI : STMT_RETRACTION_BY_PMID);
		db_bind_text_copy(s, 1, v);
		while (db_step(s) == DB_ROW && nh < (int)(sizeof(hits) / sizeof(hits[0]))) {
			hits[nh].article = db_int64(s, 0);
			hits[nh].revision = db_int64(s, 1);
			hits[nh].ref = db_int(s, 2);
			snprintf(hits[nh].state, sizeof(hits[nh].state), "%s", db_text(s, 3));
			nh++;
		}
		db_reset(s);
	}
	for (int i = 0; i < nh; i++) {
		struct dbq *s = db_stmt(db, STMT_REFERENCE_FLAG_PUT);
		char	 reason[900];

		db_bind_int(s, 1, hits[i].article);
		db_bind_int(s, 2, hits[i].revision);
		db_bind_int(s, 3, hits[i].ref);
		db_bind_int(s, 4, nid);
		db_bind_text(s, 5, now);
		if (db_step(s) != DB_DONE) {
			snprintf(err, errsz, "cannot flag article %lld: %s", hits[i].article, db_errmsg(db));
			return -1;
		}
		st->matches++;
		if (db_changes(db) == 0)
			continue;	/* found before (by DOI, or on an earlier run) */
		st->new_flags++;
		snprintf(reason, sizeof(reason), "Retraction check: the study cited as reference %d (%s%s%s%s%s) "
		    "%s%s%s, according to Retraction Watch%s%s; the article is flagged for re-review.", hits[i].ref,
		    n->doi ? "DOI " : "", n->doi ? n->doi : "", n->doi && n->pmid ? ", " : "", n->pmid ? "PubMed " : "",
		    n->pmid ? n->pmid : "", retract_verb(n->nature), n->date ? " on " : "", n->date ? n->date : "",
		    n->record_id ? " record " : "", n->record_id ? n->record_id : "");
		s = db_stmt(db, STMT_AUDIT_INSERT);
		db_bind_int(s, 1, hits[i].article);
		db_bind_int(s, 2, hits[i].revision);
		db_bind_text(s, 3, hits[i].state);
		db_bind_text(s, 4, hits[i].state);
		db_bind_text(s, 6, reason);
		db_bind_text(s, 7, now);
		if (db_step(s) != DB_DONE) {
			snprintf(err, errsz, "cannot write the audit trail: %s", db_errmsg(db));
			db_reset(s);
			return -1;
		}
		db_reset(s);
		if (found != NULL)
			found(hits[i].article, hits[i].revision, hits[i].ref, n, arg);
	}
	return 0;
}

/* ---- the editors' dashboard ---- */

enum outcome
retract_flags(struct dom *d, struct retract_flag **out, int *nout)
{
	struct dbq *s = db_stmt(d->db, STMT_FLAG_LIST);
	struct retract_flag *v = NULL;
	int	 rc, n = 0, cap = 0;

	*out = NULL;
	*nout = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if ((v = arena_grow(d->arena, v, n, &cap, sizeof(v[0]))) == NULL) {
			db_reset(s);
			return OUT_FAILED;
		}
		v[n].article = db_int64(s, 0);
		v[n].slug = arena_strdup(d->arena, db_text(s, 1));
		v[n].question = arena_strdup(d->arena, db_text(s, 2));
		v[n].revision = db_int(s, 3);
		v[n].ref = db_int(s, 4);
		v[n].nature = arena_strdup(d->arena, db_text(s, 5));
		v[n].notice_date = arena_strdup(d->arena, db_text(s, 6));
		v[n].found_at = arena_strdup(d->arena, db_text(s, 7));
		v[n].doi = arena_strdup(d->arena, db_text(s, 8));
		v[n].pmid = arena_strdup(d->arena, db_text(s, 9));
		n++;
	}
	db_reset(s);
	if (rc != DB_DONE) {
		log_warnx("flagged articles: %s", db_errmsg(d->db));
		return OUT_FAILED;
	}
	*out = v;
	*nout = n;
	return OUT_OK;
}
