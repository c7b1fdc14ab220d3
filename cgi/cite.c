/* cite.c: RIS, BibTeX and CSL-JSON files for an article and its references (see cite.h; the download
 * route and the article page's "Cite this article" block are page_cite.c's).
 *
 * Written here: the three formats are line-based text (RIS, BibTeX) and JSON (CSL, through jansson);
 * no Debian library writes them from C. Every field was checked as plain text (no control characters)
 * when it was saved, so no field can break a RIS line; BibTeX's special characters are escaped. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cite.h"
#include "log.h"
#include "render.h"
#include "util.h"

static const struct { const char *ris, *bibtex, *csl; } work_types[WORK__MAX] = {
	[WORK_JOURNAL] = { "JOUR", "article", "article-journal" },
	[WORK_REPORT] = { "RPRT", "misc", "report" },
	[WORK_WEBPAGE] = { "ELEC", "misc", "webpage" },
};

static const char *const months[12] = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
	"oct", "nov", "dec" };

/* ---- RIS ---- */

static void
ris_line(struct buf *b, const char *tag, const char *v)
{
	if (v == NULL || v[0] == '\0')
		return;
	/* trusted: a tag from the calls below; a RIS file is not markup */
	buf_trusted(b, tag, strlen(tag));
	buf_lit(b, "  - ");
	/* trusted: plain text without line breaks (checked when saved) in a RIS file, not markup */
	buf_trusted(b, v, strlen(v));
	buf_lit(b, "\r\n");
}

static void
ris_work(struct buf *b, const struct cite_work *w)
{
	char	 t[400];

	ris_line(b, "TY", work_types[w->type].ris);
	for (int i = 0; i < w->nauthors; i++) {
		const struct author *a = &w->authors[i];

		if (a->literal != NULL)
			ris_line(b, "AU", a->literal);
		else {
			snprintf(t, sizeof(t), "%s%s%s", a->family, a->given ? ", " : "", a->given ? a->given : "");
			ris_line(b, "AU", t);
		}
	}
	ris_line(b, "TI", w->title);
	ris_line(b, w->type == WORK_JOURNAL ? "JF" : "T2", w->container);
	if (w->year) {
		snprintf(t, sizeof(t), "%d", w->year);
		ris_line(b, "PY", t);
	}
	if (w->year && w->month) {
		snprintf(t, sizeof(t), "%04d/%02d/%02d/", w->year, w->month, w->day);
		ris_line(b, "DA", t);
	}
	ris_line(b, "ET", w->version);
	ris_line(b, "DO", w->doi);
	if (w->pmid != NULL) {
		snprintf(t, sizeof(t), "PMID: %s", w->pmid);
		ris_line(b, "N1", t);
	}
	ris_line(b, "UR", w->url);
	if (w->accessed[0]) {
		snprintf(t, sizeof(t), "%04d/%02d/%02d/", w->accessed[0], w->accessed[1], w->accessed[2]);
		ris_line(b, "Y2", t);
	}
	buf_lit(b, "ER  - \r\n\r\n");
}

/* ---- BibTeX ---- */

/* Text in a braced field: the characters TeX treats specially are escaped. */
static void
bib_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '{': buf_lit(b, "\\{"); break;
		case '}': buf_lit(b, "\\}"); break;
		case '\\': buf_lit(b, "\\textbackslash{}"); break;
		case '~': buf_lit(b, "\\textasciitilde{}"); break;
		case '^': buf_lit(b, "\\textasciicircum{}"); break;
		case '&': case '%': case '$': case '#': case '_':
			buf_putc(b, '\\');
			buf_putc(b, *s);
			break;
		default:
			buf_putc(b, *s);
		}
}

/* An address or a DOI: only what would end the field or start a comment is escaped. */
static void
bib_verbatim(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("{}\\%#", *s) != NULL)
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

static void
bib_field(struct buf *b, const char *name, const char *v, int verbatim)
{
	if (v == NULL || v[0] == '\0')
		return;
	buf_lit(b, "  ");
	/* trusted: a field name from the calls below */
	buf_trusted(b, name, strlen(name));
	buf_lit(b, " = {");
	if (verbatim)
		bib_verbatim(b, v);
	else
		bib_text(b, v);
	buf_lit(b, "},\n");
}

static void
bib_work(struct buf *b, const struct cite_work *w)
{
	char	 t[64];

	buf_lit(b, "@");
	/* trusted: a type from work_types[] and a key evqa made from numbers */
	buf_trusted(b, work_types[w->type].bibtex, strlen(work_types[w->type].bibtex));
	buf_lit(b, "{");
	/* trusted: as above */
	buf_trusted(b, w->key, strlen(w->key));
	buf_lit(b, ",\n");
	if (w->nauthors > 0) {
		buf_lit(b, "  author = {");
		for (int i = 0; i < w->nauthors; i++) {
			const struct author *a = &w->authors[i];

			if (i > 0)
				buf_lit(b, " and ");
			if (a->literal != NULL) {	/* braced: one name, not family and given */
				buf_lit(b, "{");
				bib_text(b, a->literal);
				buf_lit(b, "}");
			} else {
				bib_text(b, a->family);
				if (a->given != NULL) {
					buf_lit(b, ", ");
					bib_text(b, a->given);
				}
			}
		}
		buf_lit(b, "},\n");
	}
	bib_field(b, "title", w->title, 0);
	bib_field(b, w->type == WORK_JOURNAL ? "journal" : "howpublished", w->container, 0);
	if (w->year) {
		snprintf(t, sizeof(t), "%d", w->year);
		bib_field(b, "year", t, 0);
	}
	if (w->month)
		bib_field(b, "month", months[w->month - 1], 0);
	bib_field(b, "edition", w->version, 0);
	bib_field(b, "doi", w->doi, 1);
	bib_field(b, "pmid", w->pmid, 1);
	bib_field(b, "url", w->url, 1);
	if (w->accessed[0]) {
		snprintf(t, sizeof(t), "%04d-%02d-%02d", w->accessed[0], w->accessed[1], w->accessed[2]);
		bib_field(b, "urldate", t, 0);
	}
	buf_lit(b, "}\n\n");
}

/* ---- CSL-JSON ---- */

static json_t *
date_parts(int y, int m, int d)
{
	json_t	*p = json_array();

	json_array_append_new(p, json_integer(y));
	if (m) {
		json_array_append_new(p, json_integer(m));
		if (d)
			json_array_append_new(p, json_integer(d));
	}
	return json_pack("{s:[o]}", "date-parts", p);
}

static json_t *
csl_work(const struct cite_work *w)
{
	json_t	*o = json_pack("{s:s, s:s, s:s}", "id", w->key, "type", work_types[w->type].csl, "title", w->title);
	json_t	*au = json_array();

	if (o == NULL || au == NULL) {
		json_decref(o);
		json_decref(au);
		return NULL;
	}
	for (int i = 0; i < w->nauthors; i++)
		json_array_append_new(au, w->authors[i].literal ? json_pack("{s:s}", "literal", w->authors[i].literal) :
		    json_pack("{s:s, s:s?}", "family", w->authors[i].family, "given", w->authors[i].given));
	if (w->nauthors > 0)
		json_object_set_new(o, "author", au);
	else
		json_decref(au);
	if (w->container)
		json_object_set_new(o, "container-title", json_string(w->container));
	if (w->year)
		json_object_set_new(o, "issued", date_parts(w->year, w->month, w->day));
	if (w->version)
		json_object_set_new(o, "version", json_string(w->version));
	if (w->doi)
		json_object_set_new(o, "DOI", json_string(w->doi));
	if (w->pmid)
		json_object_set_new(o, "PMID", json_string(w->pmid));
	if (w->url)
		json_object_set_new(o, "URL", json_string(w->url));
	if (w->accessed[0])
		json_object_set_new(o, "accessed", date_parts(w->accessed[0], w->accessed[1], w->accessed[2]));
	return o;
}

int
cite_write(struct buf *out, enum cite_format f, const struct cite_work *w, int n)
{
	json_t	*a;
	char	*s;

	switch (f) {
	case CITE_RIS:
		for (int i = 0; i < n; i++)
			ris_work(out, &w[i]);
		break;
	case CITE_BIBTEX:
		for (int i = 0; i < n; i++)
			bib_work(out, &w[i]);
		break;
	case CITE_CSL:
		if ((a = json_array()) == NULL)
			return -1;
		for (int i = 0; i < n; i++)
			json_array_append_new(a, csl_work(&w[i]));
		s = json_dumps(a, JSON_INDENT(2));
		json_decref(a);
		if (s == NULL)
			return -1;
		/* trusted: jansson wrote it */
		buf_trusted(out, s, strlen(s));
		buf_lit(out, "\n");
		free(s);
		break;
	case CITE__MAX:
		return -1;
	}
	return out->err ? -1 : 0;
}

void
cite_work_reference(struct cite_work *w, long long id, const struct reference *ref, char *key)
{
	memset(w, 0, sizeof(*w));
	snprintf(key, 32, "evqa%lld-ref%d", id, ref->num);
	w->key = key;
	w->type = ref->source != NULL ? WORK_JOURNAL : ref->url != NULL && ref->doi == NULL ? WORK_WEBPAGE :
	    WORK_REPORT;
	w->title = ref->title;
	w->container = ref->source;
	w->authors = ref->authors;
	w->nauthors = ref->nauthors;
	w->year = (int)ref->year;
	w->doi = ref->doi;
	w->pmid = ref->pmid;
	w->url = ref->url;
}
