/* section.c: sections of the shown wording, for search (see section.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "db.h"
#include "section.h"
#include "topic.h"

/* Appends s to b with every control character (the snippet markers among them) made a space. */
static void
plain_append(struct buf *b, const char *s)
{
	if (s == NULL)
		return;
	if (b->len > 0)
		buf_putc(b, '\n');
	for (; *s != '\0'; s++)
		buf_putc(b, (unsigned char)*s < 0x20 ? ' ' : *s);
}

static void
cites_add(unsigned char *seen, const json_t *arr)
{
	size_t	 i;
	json_t	*v;

	json_array_foreach(arr, i, v) {
		json_int_t n = json_integer_value(v);

		if (n >= 1 && n <= 500)
			seen[n] = 1;
	}
}

/* The plain text and citations of a list of items (nested lists included). */
static void
items_text(struct buf *b, unsigned char *seen, const json_t *items)
{
	size_t	 i;
	json_t	*it;

	json_array_foreach(items, i, it) {
		plain_append(b, json_string_value(json_object_get(it, "text")));
		cites_add(seen, json_object_get(it, "citations"));
		items_text(b, seen, json_object_get(it, "items"));
	}
}

static int
store_sections(struct db *db, long long article, long long rev, const char *question, const char *ids_json,
    const char *audience, const char *doc, char *err, size_t errsz)
{
	json_error_t jerr;
	json_t	*j = json_loads(doc, 0, &jerr), *secs, *sec, *ids = NULL;
	size_t	 i;
	int	 rc = -1;

	if (j == NULL) {
		snprintf(err, errsz, "revision %lld: stored document is not JSON: %s", rev, jerr.text);
		return -1;
	}
	if (ids_json != NULL)
		ids = json_loads(ids_json, 0, &jerr);
	secs = json_object_get(j, "sections");
	json_array_foreach(secs, i, sec) {
		struct buf text = BUF_INIT, cites = BUF_INIT;
		unsigned char seen[501] = { 0 };
		const json_t *blocks = json_object_get(sec, "blocks"), *bl;
		const char *heading = json_string_value(json_object_get(sec, "heading"));
		const char *sid = json_string_value(json_array_get(ids, i));
		size_t	 k;
		int	 src;
		struct dbq *s;

		json_array_foreach(blocks, k, bl) {
			plain_append(&text, json_string_value(json_object_get(bl, "text")));
			cites_add(seen, json_object_get(bl, "citations"));
			items_text(&text, seen, json_object_get(bl, "items"));
		}
		for (int n = 1; n <= 500; n++)
			if (seen[n]) {
				if (cites.len > 0)
					buf_putc(&cites, ',');
				buf_int(&cites, n);
			}
		if (text.err || cites.err) {
			buf_free(&text);
			buf_free(&cites);
			snprintf(err, errsz, "out of memory");
			goto out;
		}
		/* a heading with no text of its own (one over subsections) is no passage */
		if (text.len == 0) {
			buf_free(&text);
			buf_free(&cites);
			continue;
		}
		s = db_stmt(db, STMT_SECTION_INSERT);
		db_bind_int(s, 1, article);
		db_bind_int(s, 2, rev);
		db_bind_text(s, 3, audience);
		db_bind_int(s, 4, (long long)i);
		db_bind_text(s, 5, question);
		db_bind_text(s, 6, heading ? heading : "");
		db_bind_text(s, 7, text.p ? text.p : "");
		db_bind_text(s, 8, cites.p ? cites.p : "");
		if (sid != NULL)
			db_bind_text(s, 9, sid);
		db_bind_text(s, 10, qtype_name(qtype_of_heading(heading ? heading : "", question)));
		db_bind_text(s, 11, json_string_value(json_object_get(sec, "anchor")));
		src = db_step(s);
		db_reset(s);
		buf_free(&text);
		buf_free(&cites);
		if (src != DB_DONE) {
			snprintf(err, errsz, "cannot store a section: %s", db_errmsg(db));
			goto out;
		}
	}
	rc = 0;
out:
	json_decref(ids);
	json_decref(j);
	return rc;
}

int
section_refresh(struct db *db, long long article, char *err, size_t errsz)
{
	struct dbq *s;
	long long rev;
	char	*question = NULL, *ids = NULL;
	struct { char audience[33]; char *doc; } docs[8];
	int	 n = 0, rc = -1;

	s = db_stmt(db, STMT_SECTION_CLEAR);
	db_bind_int(s, 1, article);
	if (db_step(s) != DB_DONE) {
		snprintf(err, errsz, "cannot clear sections: %s", db_errmsg(db));
		db_reset(s);
		return -1;
	}
	db_reset(s);
	s = db_stmt(db, STMT_SHOWN_REVISION);
	db_bind_int(s, 1, article);
	if (db_step(s) != DB_ROW) {
		db_reset(s);
		return 0;	/* no revision: nothing to search */
	}
	rev = db_int64(s, 0);
	question = strdup(db_text(s, 1));
	if (db_text(s, 2) != NULL)
		ids = strdup(db_text(s, 2));
	db_reset(s);
	if (question == NULL)
		goto oom;
	if (topic_refresh(db, article, question, err, errsz) == -1)
		goto out;
	s = db_stmt(db, STMT_SECTION_SOURCES);
	db_bind_int(s, 1, rev);
	while (n < 8 && db_step(s) == DB_ROW) {
		snprintf(docs[n].audience, sizeof(docs[n].audience), "%s", db_text(s, 0));
		if ((docs[n].doc = strdup(db_text(s, 1))) == NULL) {
			db_reset(s);
			goto oom;
		}
		n++;
	}
	db_reset(s);
	for (int i = 0; i < n; i++)
		if (store_sections(db, article, rev, question, ids, docs[i].audience, docs[i].doc, err,
		    errsz) == -1)
			goto out;
	rc = 0;
	goto out;
oom:
	snprintf(err, errsz, "out of memory");
out:
	for (int i = 0; i < n; i++)
		free(docs[i].doc);
	free(question);
	free(ids);
	return rc;
}

int
section_refresh_revision(struct db *db, long long rev, char *err, size_t errsz)
{
	struct dbq *s = db_stmt(db, STMT_REVISION_ARTICLE);
	long long article;

	db_bind_int(s, 1, rev);
	if (db_step(s) != DB_ROW) {
		db_reset(s);
		return 0;
	}
	article = db_int64(s, 0);
	db_reset(s);
	return section_refresh(db, article, err, errsz);
}

int
section_refresh_missing(struct db *db, char *err, size_t errsz)
{
	struct dbq *s = db_stmt(db, STMT_ARTICLE_UNSECTIONED);
	long long *ids = NULL;
	size_t	 n = 0, cap = 0;
	int	 rc = 0;

	/* read the list first: refreshing writes to the tables being read */
	while (db_step(s) == DB_ROW) {
		if (n == cap) {
			long long *t = realloc(ids, (cap = cap ? cap * 2 : 64) * sizeof(*ids));

			if (t == NULL) {
				db_reset(s);
				free(ids);
				snprintf(err, errsz, "out of memory");
				return -1;
			}
			ids = t;
		}
		ids[n++] = db_int64(s, 0);
	}
	db_reset(s);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = section_refresh(db, ids[i], err, errsz);
	free(ids);
	return rc;
}
