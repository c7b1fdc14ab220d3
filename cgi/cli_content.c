/* cli_content.c: evqa import, export, search, ask and bench-search (see cli.h). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <zlib.h>

#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "content.h"
#include "db.h"
#include "dict.h"
#include "lexicon.h"
#include "log.h"
#include "render.h"
#include "search.h"
#include "section.h"
#include "transfer.h"
#include "util.h"

#define IMPORT_BATCH	500		/* records per transaction */
#define LINE_MAX_BYTES	(4 * 1024 * 1024)	/* longest record line */
#define SECTIONS_MAX	200		/* sections of one imported page */
#define HEADING_MAX	300		/* bytes of one imported heading */
#define BAD_LINES_SHOWN	20

const char cli_usage_text[] =
"       evqa import --db PATH [--state submitted|under_review|approved] [--by NAME] FILE.jsonl[.gz]\n"
"       evqa export --db PATH [FILE]\n"
"       evqa search --db PATH [--json] [--audience CODE] [--state STATE] QUERY...\n"
"       evqa ask --db PATH [--json] [--audience CODE] [--article ID] QUESTION...\n"
"\n"
"  import  Load articles from JSON Lines (gzip-compressed when the name ends in .gz): MedQuAD pages\n"
"          (../shared/data/medquad/articles.jsonl.gz) or evqa's own export. Each page becomes an\n"
"          article with its sections; its address becomes a reference; its topic synonyms widen\n"
"          search. Records with a known source id (or, for exports without one, slug) update their\n"
"          article in place: a new revision only when the content changed. Records are written in\n"
"          transactions of 500. A bad record is reported with its line number and its whole batch\n"
"          is rolled back; import then goes on with the next batch, so one run lists every bad line,\n"
"          and exits with status 1. Fix the lines and import the file again: what was imported\n"
"          already is left as it is.\n"
"          --state S           review state of new revisions from MedQuAD (default submitted)\n"
"          --by NAME           who imports, as readers see it beside each imported revision\n"
"                              (default the login name)\n"
"  export  Write every article with its revisions, references and review states as JSON Lines to\n"
"          FILE (default standard output). Importing the export gives back the same content.\n"
"  search  Search the articles and print the matching sections, best first.\n"
"          --json              print JSON, as GET /api/v1/search does\n"
"          --plain             plain bm25: no synonyms, no column weights (for comparisons)\n"
"          --limit N           articles to list, 1 to 100 (default 10)\n"
"  ask     Print the answer a reader asking QUESTION would get, without storing anything.\n"
"          --article ID        the question is asked from article ID's page (its context)\n";


enum { O_DB = 1, O_STATE, O_JSON, O_PLAIN, O_AUDIENCE, O_LIMIT, O_ARTICLE, O_HELP, O_BY };

static const struct option cli_opts[] = {
	{ "db", required_argument, NULL, O_DB },
	{ "state", required_argument, NULL, O_STATE },
	{ "by", required_argument, NULL, O_BY },
	{ "json", no_argument, NULL, O_JSON },
	{ "plain", no_argument, NULL, O_PLAIN },
	{ "audience", required_argument, NULL, O_AUDIENCE },
	{ "limit", required_argument, NULL, O_LIMIT },
	{ "article", required_argument, NULL, O_ARTICLE },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 },
};

struct cli {
	const char	*cmd;
	const char	*db_path;
	const char	*state;
	const char	*by;		/* import: who imports, as readers see it */
	const char	*audience;
	int		 json, plain;
	long long	 limit;
	long long	 article;	/* --article, 0 when not given */
	char		*text;		/* the positional arguments joined by spaces */
	int		 nargs;
	char		**args;
};

/* Parses options allowed (a mask of 1 << O_x); positional arguments go to c->args.
 * Returns 0, 1 for --help, 2 for a usage error. */
static int
cli_parse(int argc, char **argv, const char *cmd, unsigned int allowed, struct cli *c)
{
	int	 o;

	memset(c, 0, sizeof(*c));
	c->cmd = cmd;
	c->limit = 10;
	opterr = 0;
	optind = 1;
	while ((o = getopt_long(argc, argv, ":", cli_opts, NULL)) != -1) {
		if (o == ':')
			return cli_usage_error(cmd, "option %s needs a value", argv[optind - 1]);
		if (o == '?')
			return cli_usage_error(cmd, "unknown option %s", argv[optind - 1]);
		if (o == O_HELP) {
			fputs(cli_usage_text, stdout);
			return 1;
		}
		if (!(allowed & (1u << o)))
			return cli_usage_error(cmd, "does not take the option %s", argv[optind - 1]);
		switch (o) {
		case O_DB:
			if (optarg[0] == '\0')
				return cli_usage_error(cmd, "--db needs a path");
			c->db_path = optarg;
			break;
		case O_BY:
			if (optarg[0] == '\0' || strlen(optarg) > 200 || !utf8_valid(optarg, strlen(optarg)) ||
			    strpbrk(optarg, "\t\r\n") != NULL)
				return cli_usage_error(cmd, "--by needs a name of 1 to 200 bytes on one line");
			c->by = optarg;
			break;
		case O_STATE:
			if (state_find(optarg) == STATE__MAX)
				return cli_usage_error(cmd, "--state must be submitted, under_review or approved, not '%s'",
				    optarg);
			c->state = optarg;
			break;
		case O_AUDIENCE:
			if (audience_find(optarg) == NULL) {
				char	 list[128];

				audience_list_codes(list, sizeof(list));
				return cli_usage_error(cmd, "--audience must be one of %s, not '%s'", list, optarg);
			}
			c->audience = optarg;
			break;
		case O_JSON:
			c->json = 1;
			break;
		case O_PLAIN:
			c->plain = 1;
			break;
		case O_LIMIT:
			if (parse_int(optarg, 1, 100, &c->limit) == -1)
				return cli_usage_error(cmd, "--limit must be a whole number from 1 to 100, not '%s'", optarg);
			break;
		case O_ARTICLE:
			if (parse_int(optarg, 1, 9007199254740991LL, &c->article) == -1)
				return cli_usage_error(cmd, "--article must be an article number, not '%s'", optarg);
			break;
		}
	}
	if (c->db_path == NULL)
		return cli_usage_error(cmd, "needs --db PATH");
	c->args = argv + optind;
	c->nargs = argc - optind;
	return 0;
}

/* Joins the positional arguments into c->text; 2 when there are none or the text is not UTF-8. */
static int
cli_text(struct cli *c, const char *what, size_t max)
{
	size_t	 n = 0;

	if (c->nargs == 0)
		return cli_usage_error(c->cmd, "needs a %s", what);
	for (int i = 0; i < c->nargs; i++)
		n += strlen(c->args[i]) + 1;
	if ((c->text = calloc(1, n + 1)) == NULL)
		return cli_usage_error(c->cmd, "out of memory");
	for (int i = 0; i < c->nargs; i++) {
		if (i)
			strcat(c->text, " ");
		strcat(c->text, c->args[i]);
	}
	if (strlen(c->text) > max || !utf8_valid(c->text, strlen(c->text)))
		return cli_usage_error(c->cmd, "the %s must be UTF-8 text of at most %zu bytes", what, max);
	return 0;
}

static int
open_db(struct db *db, const char *path, int flags)
{
	char	 err[512];

	if (db_open(db, path, flags, err, sizeof(err)) == -1) {
		fprintf(stderr, "evqa: %s\n", err);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ export */

#define EXPORT_REVISIONS_MAX	256	/* revisions of one article written */

/* The stored revisions of article id as export objects. */
static json_t *
revisions_json_new(struct db *db, long long id)
{
	json_t	*revs = json_array();
	struct arena ar = { NULL };
	struct dom d = { .db = db, .arena = &ar };
	struct transfer_revision *rv;
	int	 n;

	if (transfer_revisions(&d, id, EXPORT_REVISIONS_MAX, &rv, &n) != OUT_OK)
		n = 0;
	for (int i = 0; i < n; i++) {
		json_t	*refs = json_array(), *texts = json_array(), *o, *ids = NULL;
		struct reference *rf;
		struct transfer_text *tx;
		int	 nrf = 0, ntx = 0;

		if (rv[i].section_ids != NULL)
			ids = json_loads(rv[i].section_ids, 0, NULL);
		o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:o}", "number", rv[i].number, "question",
		    rv[i].question, "author", rv[i].author, "created_at", rv[i].created_at, "state", rv[i].state,
		    "section_ids", ids ? ids : json_null());
		if (content_references(&d, rv[i].id, &rf, &nrf) != OUT_OK)
			nrf = 0;
		for (int k = 0; k < nrf; k++) {
			json_t	*ref = json_pack("{s:s, s:s, s:s?, s:o, s:s?, s:s?, s:s?}",
			    "kind", rf[k].kind, "title", rf[k].title, "source", rf[k].source,
			    "year", rf[k].year == 0 ? json_null() : json_integer(rf[k].year), "pmid", rf[k].pmid,
			    "doi", rf[k].doi, "url", rf[k].url);

			/* the authors only when there are some: older exports have none */
			if (ref != NULL && rf[k].authors_json != NULL)
				json_object_set_new(ref, "authors", json_loads(rf[k].authors_json, 0, NULL));
			json_array_append_new(refs, ref);
		}
		if (transfer_texts(&d, rv[i].id, &tx, &ntx) != OUT_OK)
			ntx = 0;
		for (int k = 0; k < ntx; k++)
			json_array_append_new(texts, json_pack("{s:s, s:s, s:s}", "audience", tx[k].audience,
			    "bottom_line", tx[k].bottom_line, "body", tx[k].body));
		json_object_set_new(o, "references", refs);
		json_object_set_new(o, "texts", texts);
		json_array_append_new(revs, o);
	}
	arena_free(&ar);
	return revs;
}

/* What the export writes to, and how many articles it has written. */
struct exporter {
	struct db	*db;
	FILE		*out;
	int		 n;
};

/* Writes one article as a line of the export. Returns 0, or -1 when memory is short. */
static int
export_article(const struct transfer_article *a, void *arg)
{
	struct exporter *ex = arg;
	json_t	*o = json_pack("{s:s, s:I, s:s, s:s?, s:s, s:o}", "format", "evqa-article-1", "id",
	    (json_int_t)a->id, "slug", a->slug, "source_id", a->source_id, "created_at", a->created_at,
	    "revisions", revisions_json_new(ex->db, a->id));
	char	*line = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	if (line == NULL) {
		fprintf(stderr, "evqa export: out of memory\n");
		return -1;
	}
	fprintf(ex->out, "%s\n", line);
	free(line);
	ex->n++;
	return 0;
}

int
cli_export(int argc, char **argv)
{
	struct cli c;
	struct db db;
	struct arena ar = { NULL };
	struct dom d = { .db = &db, .arena = &ar };
	struct exporter ex = { .db = &db, .out = stdout };
	FILE	*out = stdout;
	enum outcome oc;
	int	 rc;

	if ((rc = cli_parse(argc, argv, "export", 1u << O_DB, &c)) != 0)
		return rc == 1 ? 0 : rc;
	if (c.nargs > 1)
		return cli_usage_error("export", "takes one output file at most");
	if (open_db(&db, c.db_path, DB_READONLY) == -1)
		return 1;
	if (c.nargs == 1 && (out = fopen(c.args[0], "w")) == NULL) {
		fprintf(stderr, "evqa export: cannot write %s: %s\n", c.args[0], strerror(errno));
		db_close(&db);
		return 1;
	}
	/* one snapshot, whatever the site commits meanwhile */
	db_read_begin(&db);
	ex.out = out;
	oc = transfer_articles(&d, export_article, &ex);
	arena_free(&ar);
	db_read_end(&db);
	db_close(&db);
	if (out != stdout ? fclose(out) != 0 : fflush(out) != 0) {
		fprintf(stderr, "evqa export: write failed: %s\n", strerror(errno));
		return 1;
	}
	if (oc != OUT_OK)
		return 1;
	if (c.nargs == 1)
		fprintf(stderr, "evqa export: %d articles written to %s\n", ex.n, c.args[0]);
	return 0;
}

/* ------------------------------------------------------------------------------------------ import */

struct importer {
	struct db	 db;
	struct arena	 arena;
	struct dom	 dom;		/* on db and arena */
	const char	*file;
	enum state	 state;
	long long	 line;
	int		 created, updated, unchanged, bad, failed_records;
	char		 err[600];
	const char	*by;		/* who imports (--by, else the login name) */
	char		 now[21];	/* when */
	char		 source[120];	/* where the record being imported comes from */
	const char	*source_url;	/* its address, or NULL */
};

/* Fails the current record with a message. */
static int __attribute__((format(printf, 2, 3)))
rec_fail(struct importer *im, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(im->err, sizeof(im->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* Appends Markdown-escaped plain text: every ASCII punctuation character that Markdown gives a meaning
 * (emphasis, links, raw HTML, entities) gets a backslash, so imported text is shown as the text it is.
 * Citation markers are found after Markdown is parsed, where a backslash no longer shows, so a '['
 * before a digit is followed by U+2060 WORD JOINER (invisible): "[2]" in imported text stays text and
 * never names a reference. */
static void
md_escape(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (strchr("\\`*_[]<>#!&|~", ch) != NULL && ch != '\0')
			buf_putc(b, '\\');
		buf_putc(b, (char)(ch < 0x20 ? ' ' : ch));
		if (ch == '[') {
			size_t	 k = i + 1;

			while (k < n && s[k] == ' ')
				k++;
			if (k < n && s[k] >= '0' && s[k] <= '9')
				buf_lit(b, "\xe2\x81\xa0");
		}
	}
}

/* One line of MedQuAD text as a Markdown paragraph or list item. */
static void
md_line(struct buf *b, const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n == 0)
		return;
	if (n >= 2 && s[0] == '-' && s[1] == ' ') {
		buf_lit(b, "- ");
		s += 2;
		n -= 2;
		while (n > 0 && *s == ' ') {
			s++;
			n--;
		}
	} else {
		/* a line that would start a list, a heading or a quote in Markdown */
		size_t	 d = 0;

		while (d < n && s[d] >= '0' && s[d] <= '9')
			d++;
		if (d > 0 && d < n && (s[d] == '.' || s[d] == ')')) {
			/* trusted: Markdown source, digits only */
			buf_trusted(b, s, d);
			buf_putc(b, '\\');
			s += d;
			n -= d;
		} else if (strchr("-+=", s[0]) != NULL)
			buf_putc(b, '\\');
	}
	md_escape(b, s, n);
	buf_lit(b, "\n");
}

/* The first sentence (or two) of text, for the bottom line: at least 80 bytes when there is more. */
static void
first_sentences(struct buf *b, const char *text)
{
	const char *p = text, *end = NULL;

	while (*p == '\n' || *p == ' ')
		p++;
	for (const char *q = p; *q != '\0' && q - p < 600; q++) {
		if (*q == '\n' && q - p >= 40) {
			end = q;
			break;
		}
		if ((*q == '.' || *q == '?' || *q == '!') && (q[1] == ' ' || q[1] == '\0' || q[1] == '\n') &&
		    q - p >= 80) {
			end = q + 1;
			break;
		}
	}
	if (end == NULL) {
		size_t	 l = strlen(p);

		if (l > 600) {
			l = 600;
			while (l > 0 && ((unsigned char)p[l] & 0xc0) == 0x80)
				l--;
		}
		end = p + l;
	}
	for (const char *q = p; q < end; q++)
		if (*q == '\n') {
			md_escape(b, p, (size_t)(q - p));
			buf_lit(b, " ");
			p = q + 1;
		}
	md_escape(b, p, (size_t)(end - p));
}

static const char *
jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Type check: key k of o is absent/null (when optional) or has the JSON type t. */
static int
want_type(struct importer *im, const json_t *o, const char *k, json_type t, int required)
{
	const json_t *v = json_object_get(o, k);
	static const char *const names[] = { "an object", "an array", "a string", "an integer", "a number",
	    "true or false", "true or false", "null" };

	if (v == NULL || json_is_null(v))
		return required ? rec_fail(im, "\"%s\" is missing", k) : 0;
	if (json_typeof(v) != t && !(t == JSON_TRUE && json_is_boolean(v)))
		return rec_fail(im, "\"%s\" must be %s", k, names[t]);
	return 0;
}

/* Adds the topic's synonyms to the synonym table. */
static void
add_synonyms(struct importer *im, const char *focus, const json_t *syns)
{
	size_t	 i;
	json_t	*v;

	if (focus == NULL)
		return;
	json_array_foreach(syns, i, v) {
		const char *t = json_string_value(v);
		char	 term[204] = "", exp[204] = "";

		if (t == NULL)
			continue;
		/* both sides written as the query builder writes words: lower case, single spaces */
		{
			const char *src[2] = { t, focus };
			char	*dst[2] = { term, exp };

			for (int k = 0; k < 2; k++) {
				size_t	 o = 0;
				int	 sp = 0;

				for (const unsigned char *p = (const unsigned char *)src[k]; *p && o + 2 < 200; p++) {
					int	 w = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p >= 0x80 ||
					    (*p >= 'A' && *p <= 'Z');

					if (!w) {
						sp = o > 0;
						continue;
					}
					if (sp)
						dst[k][o++] = ' ';
					sp = 0;
					dst[k][o++] = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
				}
				dst[k][o] = '\0';
			}
		}
		if (strlen(term) < 2 || exp[0] == '\0' || strcmp(term, exp) == 0 || !utf8_valid(term, strlen(term)) ||
		    !utf8_valid(exp, strlen(exp)))
			continue;
		transfer_synonym(&im->dom, term, exp);
	}
}

/* Finds the article for a record: by source id, else (exports without one) by slug; 0: none. */
static long long
find_article(struct importer *im, const char *source_id, const char *slug)
{
	long long id;

	transfer_find_article(&im->dom, source_id, slug, &id);
	return id;
}

/* The revision as the export writes it, without the fields that a save sets (number, time). */
static json_t *
rev_content(const json_t *rev)
{
	json_t	*c = json_deep_copy(rev);

	json_object_del(c, "number");
	json_object_del(c, "created_at");
	return c;
}

/* The audit row of an imported revision: created in its state, by no account, with the file and
 * line it came from as the reason. */
static int
audit_imported(struct importer *im, long long article, long long rev, enum state st)
{
	char	 reason[300];

	snprintf(reason, sizeof(reason), "imported from %s, line %lld", im->file, im->line);
	if (transfer_audit(&im->dom, article, rev, st, reason) != OUT_OK)
		return rec_fail(im, "cannot write the audit row: %s", im->dom.why);
	return 0;
}

/* Saves rev (an export-format revision object) as a new revision of article (0: new). */
static long long
save_revision(struct importer *im, long long article, const char *slug, const json_t *rev, long long *art_out)
{
	struct revision_in in;
	struct reference_in refs[REF_MAX];
	struct text_in texts[AUD__MAX];
	struct content_error cerr;
	const json_t *ra = json_object_get(rev, "references"), *ta = json_object_get(rev, "texts"), *v;
	size_t	 i;
	long long id;

	memset(&in, 0, sizeof(in));
	memset(refs, 0, sizeof(refs));
	if (want_type(im, rev, "question", JSON_STRING, 1) == -1 || want_type(im, rev, "author", JSON_STRING,
	    1) == -1 || want_type(im, rev, "state", JSON_STRING, 1) == -1 || want_type(im, rev,
	    "references", JSON_ARRAY, 0) == -1 || want_type(im, rev, "texts", JSON_ARRAY, 1) == -1 ||
	    want_type(im, rev, "created_at", JSON_STRING, 0) == -1 || want_type(im, rev, "section_ids",
	    JSON_ARRAY, 0) == -1)
		return -1;
	in.question = jstr(rev, "question");
	in.author = jstr(rev, "author");
	if ((in.state = state_find(jstr(rev, "state"))) == STATE__MAX)
		return rec_fail(im, "\"state\" must be submitted, under_review or approved");
	in.created_at = jstr(rev, "created_at");
	if (in.created_at != NULL && (strlen(in.created_at) != 20 || in.created_at[10] != 'T' ||
	    in.created_at[19] != 'Z'))
		return rec_fail(im, "\"created_at\" must be a time such as 2025-07-25T10:00:00Z");
	if (json_array_size(ra) > REF_MAX)
		return rec_fail(im, "\"references\" has more than %d entries", REF_MAX);
	json_array_foreach(ra, i, v) {
		if (!json_is_object(v) || want_type(im, v, "kind", JSON_STRING, 1) == -1 ||
		    want_type(im, v, "title", JSON_STRING, 1) == -1 || want_type(im, v, "source", JSON_STRING,
		    0) == -1 || want_type(im, v, "year", JSON_INTEGER, 0) == -1 || want_type(im, v, "pmid",
		    JSON_STRING, 0) == -1 || want_type(im, v, "doi", JSON_STRING, 0) == -1 ||
		    want_type(im, v, "url", JSON_STRING, 0) == -1) {
			if (!json_is_object(v))
				rec_fail(im, "references[%zu] must be an object", i + 1);
			return -1;
		}
		refs[i].kind = jstr(v, "kind");
		refs[i].title = jstr(v, "title");
		refs[i].source = jstr(v, "source");
		refs[i].year = (int)json_integer_value(json_object_get(v, "year"));
		if (json_integer_value(json_object_get(v, "year")) > 9999 ||
		    json_integer_value(json_object_get(v, "year")) < 0)
			return rec_fail(im, "references[%zu].year must be a year from 1800 to 2200", i + 1);
		refs[i].pmid = jstr(v, "pmid");
		refs[i].doi = jstr(v, "doi");
		refs[i].url = jstr(v, "url");
	}
	in.refs = refs;
	in.nrefs = (int)json_array_size(ra);
	if (json_array_size(ta) > AUD__MAX || json_array_size(ta) == 0)
		return rec_fail(im, "\"texts\" must hold 1 to %d wordings", AUD__MAX);
	json_array_foreach(ta, i, v) {
		if (!json_is_object(v) || want_type(im, v, "audience", JSON_STRING, 1) == -1 ||
		    want_type(im, v, "bottom_line", JSON_STRING, 1) == -1 || want_type(im, v, "body", JSON_STRING,
		    1) == -1) {
			if (!json_is_object(v))
				rec_fail(im, "texts[%zu] must be an object", i + 1);
			return -1;
		}
		texts[i].audience = jstr(v, "audience");
		texts[i].bottom_line = jstr(v, "bottom_line");
		texts[i].body = jstr(v, "body");
	}
	in.texts = texts;
	in.ntexts = (int)json_array_size(ta);
	/* the authors as JSON text, which content_save() checks; freed below */
	json_array_foreach(ra, i, v)
		if (json_object_get(v, "authors") != NULL && !json_is_null(json_object_get(v, "authors")))
			refs[i].authors_json = json_dumps(json_object_get(v, "authors"), JSON_COMPACT |
			    JSON_ENCODE_ANY);
	id = content_save(&im->db, article, slug, &in, art_out, &cerr);
	for (i = 0; i < json_array_size(ra); i++)
		free((char *)refs[i].authors_json);
	if (id == -1)
		return rec_fail(im, "%s%s%s", cerr.field, cerr.field[0] ? ": " : "", cerr.detail);
	/* provenance: who imported the revision, from where, when, and as what */
	if (transfer_provenance(&im->dom, id, im->by, im->source, im->source_url, in.state, im->now) != OUT_OK)
		return rec_fail(im, "cannot record where the revision came from: %s", im->dom.why);
	if (audit_imported(im, *art_out, id, in.state) == -1)
		return -1;
	return id;
}

/* Stores the revision's section ids and rebuilds the article's sections with them. */
static int
set_section_ids(struct importer *im, long long article, long long rev, const json_t *ids)
{
	char	*s = NULL;
	enum outcome oc;

	if (ids == NULL || json_is_null(ids))
		return 0;
	if ((s = json_dumps(ids, JSON_COMPACT)) == NULL)
		return rec_fail(im, "out of memory");
	oc = transfer_section_ids(&im->dom, rev, s);
	free(s);
	if (oc != OUT_OK)
		return rec_fail(im, "cannot store section ids: %s", im->dom.why);
	if (section_refresh(&im->db, article, im->err, sizeof(im->err)) == -1)
		return -1;
	return 0;
}

/* Brings article (0: new) up to date with the revisions of an export-format record. */
static int
import_revisions(struct importer *im, long long article, const char *slug, const char *source_id,
    const json_t *revs)
{
	json_t	*have = article ? revisions_json_new(&im->db, article) : json_array();
	size_t	 i;
	const json_t *rev;
	int	 changed = 0, rc = -1;

	json_array_foreach(revs, i, rev) {
		json_t	*mine = NULL, *theirs, *hv;
		long long rid;
		size_t	 k;
		int	 same = 0;

		if (!json_is_object(rev)) {
			rec_fail(im, "revisions[%zu] must be an object", i + 1);
			goto out;
		}
		/* a revision already stored with the same number and content is left alone */
		json_array_foreach(have, k, hv)
			if (json_integer_value(json_object_get(hv, "number")) ==
			    json_integer_value(json_object_get(rev, "number")) &&
			    json_object_get(rev, "number") != NULL)
				mine = hv;
		theirs = rev_content(rev);
		if (mine == NULL && json_array_size(revs) == 1 && json_array_size(have) > 0)
			mine = json_array_get(have, json_array_size(have) - 1);	/* MedQuAD: the latest */
		if (mine != NULL) {
			json_t *mc = rev_content(mine);

			if (json_object_get(theirs, "section_ids") == NULL)
				json_object_del(mc, "section_ids");
			same = json_equal(mc, theirs);
			json_decref(mc);
		}
		json_decref(theirs);
		if (same)
			continue;
		if ((rid = save_revision(im, article, slug, rev, &article)) == -1)
			goto out;
		if (set_section_ids(im, article, rid, json_object_get(rev, "section_ids")) == -1)
			goto out;
		changed++;
	}
	if (source_id != NULL && article != 0 && transfer_set_source(&im->dom, article, source_id) != OUT_OK) {
		rec_fail(im, "cannot store the source id: %s", im->dom.why);
		goto out;
	}
	rc = changed;
out:
	json_decref(have);
	return rc;
}

/* Turns a MedQuAD page into an export-format revision. */
static json_t *
medquad_revision_new(struct importer *im, const json_t *rec)
{
	const json_t *secs = json_object_get(rec, "sections"), *sec;
	struct buf body = BUF_INIT, bottom = BUF_INIT;
	json_t	*ids = json_array(), *refs = json_array(), *rev = NULL;
	const char *title, *url = jstr(rec, "url"), *source = jstr(rec, "source");
	char	 author[128], reftitle[1100];
	size_t	 i;

	if (want_type(im, rec, "title", JSON_STRING, 0) == -1 || want_type(im, rec, "url", JSON_STRING, 0) == -1 ||
	    want_type(im, rec, "source", JSON_STRING, 0) == -1 || want_type(im, rec, "sections", JSON_ARRAY,
	    1) == -1 || want_type(im, rec, "synonyms", JSON_ARRAY, 0) == -1 || want_type(im, rec, "focus",
	    JSON_STRING, 0) == -1)
		goto out;
	if (json_array_size(secs) == 0 || json_array_size(secs) > SECTIONS_MAX) {
		rec_fail(im, "\"sections\" must hold 1 to %d sections", SECTIONS_MAX);
		goto out;
	}
	/* the page's topic is the article's question; a page without a title uses its focus, else its
	 * first heading */
	title = jstr(rec, "title");
	if (title == NULL || title[0] == '\0')
		title = jstr(rec, "focus");
	if (title == NULL || title[0] == '\0')
		title = jstr(json_array_get(secs, 0), "heading");
	if (title == NULL || title[0] == '\0') {
		rec_fail(im, "\"title\" is empty and there is no \"focus\" or heading to use instead");
		goto out;
	}
	json_array_foreach(secs, i, sec) {
		const char *h, *t, *p;

		if (!json_is_object(sec) || want_type(im, sec, "heading", JSON_STRING, 1) == -1 ||
		    want_type(im, sec, "text", JSON_STRING, 1) == -1 || want_type(im, sec, "id", JSON_STRING,
		    0) == -1) {
			if (!json_is_object(sec))
				rec_fail(im, "sections[%zu] must be an object", i + 1);
			else {
				char	 e[700];

				snprintf(e, sizeof(e), "sections[%zu]: %.560s", i + 1, im->err);
				memcpy(im->err, e, sizeof(im->err));
				im->err[sizeof(im->err) - 1] = '\0';
			}
			goto out;
		}
		h = jstr(sec, "heading");
		t = jstr(sec, "text");
		if (strlen(h) == 0 || strlen(h) > HEADING_MAX) {
			rec_fail(im, "sections[%zu].heading must be 1 to %d bytes", i + 1, HEADING_MAX);
			goto out;
		}
		json_array_append_new(ids, jstr(sec, "id") ? json_string(jstr(sec, "id")) : json_null());
		buf_lit(&body, "## ");
		md_escape(&body, h, strlen(h));
		buf_lit(&body, "\n\n");
		for (p = t; *p != '\0';) {
			size_t	 n = strcspn(p, "\n");

			md_line(&body, p, n);
			/* a blank line between paragraphs; list items stay together */
			if (!(n >= 2 && p[0] == '-' && p[1] == ' ' && p[n] == '\n' && p[n + 1] == '-'))
				buf_lit(&body, "\n");
			p += n;
			if (*p == '\n')
				p++;
		}
		/* each section comes from the page: it cites it */
		if (url != NULL && url[0] != '\0') {
			while (body.len > 0 && body.p[body.len - 1] == '\n')
				body.p[--body.len] = '\0';
			buf_lit(&body, " [1]\n\n");
		}
		if (i == 0)
			first_sentences(&bottom, t);
	}
	if (bottom.len == 0)
		buf_lit(&bottom, "See the sections below.");
	if (url != NULL && url[0] != '\0')
		buf_lit(&bottom, " [1]");
	if (body.err || bottom.err) {
		rec_fail(im, "out of memory");
		goto out;
	}
	if (url != NULL && url[0] != '\0') {
		snprintf(reftitle, sizeof(reftitle), "%.900s%s%.60s%s", title, source ? " (" : "",
		    source ? source : "", source ? ")" : "");
		json_array_append_new(refs, json_pack("{s:s, s:s, s:n, s:n, s:n, s:n, s:s}", "kind", "other",
		    "title", reftitle, "source", "year", "pmid", "doi", "url", url));
	}
	snprintf(author, sizeof(author), "%.60s%sMedQuAD import", source ? source : "", source ? ", " : "");
	rev = json_pack("{s:s, s:s, s:s, s:o, s:[{s:s, s:s, s:s}], s:O}", "question", title, "author", author,
	    "state", states[im->state].code, "references", refs, "texts", "audience", "clinician",
	    "bottom_line", bottom.p, "body", body.p, "section_ids", ids);
	refs = NULL;
out:
	json_decref(refs);
	json_decref(ids);
	buf_free(&body);
	buf_free(&bottom);
	return rev;
}

/* Imports one record (one parsed line). Returns 0 or -1 with im->err. */
static int
import_record(struct importer *im, const json_t *rec)
{
	const char *source_id, *slug = NULL;
	long long article;
	int	 rc;

	if (!json_is_object(rec))
		return rec_fail(im, "a record must be a JSON object");
	if (json_object_get(rec, "revisions") != NULL) {	/* evqa export */
		if (want_type(im, rec, "revisions", JSON_ARRAY, 1) == -1 || want_type(im, rec, "source_id",
		    JSON_STRING, 0) == -1 || want_type(im, rec, "slug", JSON_STRING, 0) == -1)
			return -1;
		if (json_array_size(json_object_get(rec, "revisions")) == 0)
			return rec_fail(im, "\"revisions\" is empty");
		source_id = jstr(rec, "source_id");
		slug = jstr(rec, "slug");
		if (slug != NULL && (strlen(slug) == 0 || strlen(slug) > 120))
			return rec_fail(im, "\"slug\" must be 1 to 120 bytes");
		article = find_article(im, source_id, slug);
		snprintf(im->source, sizeof(im->source), "an evqa export");
		im->source_url = NULL;
		rc = import_revisions(im, article, slug, source_id, json_object_get(rec, "revisions"));
	} else {					/* MedQuAD page */
		json_t	*rev, *revs;

		if (want_type(im, rec, "id", JSON_STRING, 1) == -1)
			return -1;
		source_id = jstr(rec, "id");
		if (strlen(source_id) == 0 || strlen(source_id) > 200)
			return rec_fail(im, "\"id\" must be 1 to 200 bytes");
		if ((rev = medquad_revision_new(im, rec)) == NULL)
			return -1;
		article = find_article(im, source_id, NULL);
		snprintf(im->source, sizeof(im->source), "MedQuAD%s%.60s%s", jstr(rec, "source") ? " (" : "",
		    jstr(rec, "source") ? jstr(rec, "source") : "", jstr(rec, "source") ? ")" : "");
		im->source_url = jstr(rec, "url");
		revs = json_pack("[o]", rev);
		rc = import_revisions(im, article, NULL, source_id, revs);
		json_decref(revs);
		if (rc >= 0)
			add_synonyms(im, jstr(rec, "focus") ? jstr(rec, "focus") : jstr(rec, "title"),
			    json_object_get(rec, "synonyms"));
	}
	if (rc == -1)
		return -1;
	if (article == 0)
		im->created++;
	else if (rc > 0)
		im->updated++;
	else
		im->unchanged++;
	return 0;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Reads one line into *buf. Returns its length, -1 at the end, -2 for a line over LINE_MAX_BYTES
 * (skipped), -3 on a read error. */
static long
read_line(gzFile gz, char **buf, size_t *cap)
{
	size_t	 len = 0;
	int	 too_long = 0;

	for (;;) {
		if (*cap - len < 2) {
			size_t	 nc = *cap ? *cap * 2 : 65536;
			char	*n;

			if (nc > LINE_MAX_BYTES + 65536) {
				too_long = 1;
				len = 0;
				nc = *cap;
			} else {
				if ((n = realloc(*buf, nc)) == NULL)
					return -3;
				*buf = n;
				*cap = nc;
			}
		}
		if (gzgets(gz, *buf + len, (int)(*cap - len)) == NULL) {
			int	 e;

			gzerror(gz, &e);
			if (e != Z_OK && e != Z_BUF_ERROR)
				return -3;
			if (len == 0 && !too_long)
				return -1;
			break;
		}
		len += strlen(*buf + len);
		if (len > 0 && (*buf)[len - 1] == '\n')
			break;
		if (len > LINE_MAX_BYTES) {
			too_long = 1;
			len = 0;
		}
	}
	if (too_long)
		return -2;
	return (long)len;
}

static void
progress(long long done, long long total, double t0, int final)
{
	double	 el = now_s() - t0, rate = el > 0 ? done / el : 0;
	int	 w = 30, fill = total > 0 ? (int)(w * done / total) : 0;
	char	 bar[64];

	for (int i = 0; i < w; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[w] = '\0';
	if (total > 0 && rate > 0)
		fprintf(stderr, "\r[%s] %lld/%lld records  %.0f/s  %ds left ", bar, done, total, rate,
		    (int)((total - done) / rate + 0.5));
	else
		fprintf(stderr, "\r%lld records  %.0f/s ", done, rate);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

int
cli_import_line(struct db *db, const char *line, size_t n, char *err, size_t errsz)
{
	struct importer im;
	json_error_t jerr;
	json_t	*rec;
	int	 rc;

	memset(&im, 0, sizeof(im));
	im.db = *db;
	im.dom.db = &im.db;
	im.dom.arena = &im.arena;
	im.file = "(line)";
	im.state = STATE_SUBMITTED;
	im.line = 1;
	if (!utf8_valid(line, n))
		rc = rec_fail(&im, "the line is not valid UTF-8");
	else if ((rec = json_loadb(line, n, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
		rc = rec_fail(&im, "not valid JSON: %s (column %d)", jerr.text, jerr.column);
	else {
		rc = import_record(&im, rec);
		json_decref(rec);
	}
	arena_free(&im.arena);
	snprintf(err, errsz, "%s", im.err);
	return rc == -1 ? -1 : 0;
}

int
cli_import(int argc, char **argv)
{
	struct cli c;
	struct importer im;
	gzFile	 gz;
	char	*line = NULL;
	size_t	 cap = 0;
	long long total = 0, batch_first = 0, records = 0;
	int	 rc, in_batch = 0, batch_bad = 0, tty = isatty(2), status = 0, kept[3] = { 0, 0, 0 };
	double	 t0 = now_s(), last = 0;

	if ((rc = cli_parse(argc, argv, "import", (1u << O_DB) | (1u << O_STATE) | (1u << O_BY), &c)) != 0)
		return rc == 1 ? 0 : rc;
	if (c.nargs != 1)
		return cli_usage_error("import", "needs one FILE.jsonl or FILE.jsonl.gz");
	memset(&im, 0, sizeof(im));
	im.dom.db = &im.db;
	im.dom.arena = &im.arena;
	im.file = c.args[0];
	im.state = c.state ? state_find(c.state) : STATE_SUBMITTED;
	im.by = c.by;
	if (im.by == NULL) {
		struct passwd *pw = getpwuid(geteuid());

		im.by = pw != NULL && pw->pw_name != NULL ? pw->pw_name : "the site's operator";
	}
	time_now_iso(im.now);
	if ((gz = gzopen(im.file, "rb")) == NULL) {
		fprintf(stderr, "evqa import: cannot read %s: %s\n", im.file, strerror(errno));
		return 1;
	}
	gzbuffer(gz, 256 * 1024);
	if (open_db(&im.db, c.db_path, DB_CREATE) == -1) {
		gzclose(gz);
		return 1;
	}
	log_set_quiet(1);
	if (db_begin(&im.db) == -1 || content_sync_audiences(&im.db, im.err, sizeof(im.err)) == -1 ||
	    db_commit(&im.db) == -1) {
		fprintf(stderr, "evqa import: %s\n", im.err[0] ? im.err : "cannot write to the database");
		db_rollback(&im.db);
		db_close(&im.db);
		gzclose(gz);
		return 1;
	}
	if (tty) {	/* count the records first, for the progress bar */
		long	 n;

		while ((n = read_line(gz, &line, &cap)) != -1 && n != -3)
			total++;
		gzrewind(gz);
	}
	for (;;) {
		long	 n = read_line(gz, &line, &cap);
		json_t	*rec = NULL;
		json_error_t jerr;
		int	 ok;

		if (n == -3) {
			fprintf(stderr, "\nevqa import: %s: read error after line %lld (a damaged file?)\n", im.file,
			    im.line);
			status = 1;
			break;
		}
		if (n != -1) {
			im.line++;
			if (!in_batch) {
				if (db_begin(&im.db) == -1) {
					status = 1;
					break;
				}
				in_batch = 1;
				batch_first = im.line;
				batch_bad = 0;
				kept[0] = im.created;
				kept[1] = im.updated;
				kept[2] = im.unchanged;
			}
			if (n == -2)
				ok = rec_fail(&im, "the line is longer than %d bytes", LINE_MAX_BYTES);
			else if (n == 0 || (n == 1 && line[0] == '\n'))
				ok = rec_fail(&im, "empty line");
			else if (!utf8_valid(line, (size_t)n))
				ok = rec_fail(&im, "the line is not valid UTF-8");
			else if ((rec = json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
				ok = rec_fail(&im, "not valid JSON: %s (column %d)", jerr.text, jerr.column);
			else
				ok = import_record(&im, rec);
			json_decref(rec);
			if (ok == -1) {
				if (tty)
					fputc('\n', stderr);
				if (im.bad < BAD_LINES_SHOWN)
					fprintf(stderr, "evqa import: %s:%lld: %s\n", im.file, im.line, im.err);
				im.bad++;
				/* the batch is lost: roll it back, and go on with its other lines in a transaction
				 * that is rolled back too, only to report every bad line in one run */
				db_rollback(&im.db);
				if (db_begin(&im.db) == -1) {
					status = 1;
					in_batch = 0;
					break;
				}
				batch_bad = 1;
			}
			records++;
		}
		if (in_batch && (n == -1 || records % IMPORT_BATCH == 0)) {
			if (batch_bad) {
				db_rollback(&im.db);
				im.created = kept[0];
				im.updated = kept[1];
				im.unchanged = kept[2];
				fprintf(stderr, "evqa import: %s: lines %lld to %lld were not imported (their batch "
				    "had a bad line)\n", im.file, batch_first, im.line);
				im.failed_records += (int)(im.line - batch_first + 1);
			} else if (db_commit(&im.db) == -1) {
				fprintf(stderr, "evqa import: cannot commit lines %lld to %lld\n", batch_first, im.line);
				db_rollback(&im.db);
				status = 1;
				break;
			}
			in_batch = 0;
		}
		if (tty && (n == -1 || now_s() - last > 0.2)) {
			progress(records, total, t0, n == -1);
			last = now_s();
		}
		if (n == -1)
			break;
	}
	if (in_batch)
		db_rollback(&im.db);
	gzclose(gz);
	free(line);
	arena_free(&im.arena);
	db_close(&im.db);
	if (im.bad > BAD_LINES_SHOWN)
		fprintf(stderr, "evqa import: %d more bad lines not shown\n", im.bad - BAD_LINES_SHOWN);
	fprintf(stderr, "evqa import: %s: %lld records in %.1f s: %d new, %d updated, %d unchanged, "
	    "%d bad line%s, %d records not imported\n", im.file, records, now_s() - t0, im.created, im.updated,
	    im.unchanged, im.bad, im.bad == 1 ? "" : "s", im.failed_records);
	return status || im.bad ? 1 : 0;
}

/* ------------------------------------------------------------------------------------ search, ask */

static int
print_json(json_t *j)
{
	char	*s = j ? json_dumps(j, JSON_INDENT(2)) : NULL;

	json_decref(j);
	if (s == NULL) {
		fprintf(stderr, "evqa: out of memory\n");
		return 1;
	}
	puts(s);
	free(s);
	return 0;
}

int
cli_search(int argc, char **argv)
{
	struct cli c;
	struct db db;
	struct search_query q;
	struct search_result res;
	int	 rc, ng;

	if ((rc = cli_parse(argc, argv, "search", (1u << O_DB) | (1u << O_JSON) | (1u << O_PLAIN) |
	    (1u << O_AUDIENCE) | (1u << O_STATE) | (1u << O_LIMIT), &c)) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = cli_text(&c, "query", 2000)) != 0)
		return rc;
	if (open_db(&db, c.db_path, DB_READONLY) == -1)
		return 1;
	search_parse(&db, c.text, c.plain, &q);
	q.want_total = 1;
	if (search_run(&db, &q, c.audience, c.state, c.plain, &res) == -1) {
		db_close(&db);
		return 1;
	}
	ng = res.ngroups < c.limit ? res.ngroups : (int)c.limit;
	if (search_detail(&db, &q, &res, 0, ng) == -1) {
		search_free(&res);
		db_close(&db);
		return 1;
	}
	if (c.json)
		rc = print_json(json_pack("{s:s, s:s, s:I, s:s?, s:o}", "query", c.text, "fts", q.fts, "total",
		    (json_int_t)res.total, "did_you_mean", q.corrected[0] ? q.corrected : NULL, "results",
		    search_results_json_new(&res, 0, ng, 1)));
	else {
		if (ng == 0)
			printf("No matches for: %s\n", c.text);
		for (int g = 0; g < ng; g++) {
			const struct search_group *gr = &res.groups[g];
			const struct search_hit *h0 = &res.hits[gr->hits[0]];

			printf("%d. %s  [%s]  /articles/%lld/%s\n", g + 1, h0->question, h0->state, h0->article_id,
			    h0->slug);
			for (int k = 0; k < gr->nhits; k++) {
				const struct search_hit *h = &res.hits[gr->hits[k]];
				char	*p = search_snippet_plain(h->snippet);

				for (char *nl = p; nl != NULL && (nl = strchr(nl, '\n')) != NULL; )
					*nl = ' ';
				printf("   - %s%s%s%s\n     %s\n", h->heading, h->source_id ? " (" : "",
				    h->source_id ? h->source_id : "", h->source_id ? ")" : "", p ? p : "");
				free(p);
			}
		}
		rc = 0;
	}
	search_free(&res);
	db_close(&db);
	free(c.text);
	return rc;
}

int
cli_ask(int argc, char **argv)
{
	struct cli c;
	struct db db;
	json_t	*ans;
	int	 rc;

	if ((rc = cli_parse(argc, argv, "ask", (1u << O_DB) | (1u << O_JSON) | (1u << O_AUDIENCE) |
	    (1u << O_ARTICLE), &c)) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = cli_text(&c, "question", TEXT_QUESTION_MAX)) != 0)
		return rc;
	if (open_db(&db, c.db_path, DB_READONLY) == -1)
		return 1;
	ans = answer_compute(&db, c.text, c.article, c.audience);
	db_close(&db);
	if (ans == NULL) {
		fprintf(stderr, "evqa ask: the search failed\n");
		return 1;
	}
	json_object_set_new(ans, "question", json_string(c.text));
	if (c.json)
		rc = print_json(ans);
	else {
		size_t	 i;
		json_t	*p;

		json_t	*topic = json_object_get(ans, "topic");

		printf("Question: %s\n", c.text);
		if (jstr(ans, "corrected") != NULL)
			printf("Read as: %s\n", jstr(ans, "corrected"));
		printf("Topic: %s; asks: %s; confidence %.2f\n\n", json_is_object(topic) ? jstr(topic, "title") :
		    "none recognised", jstr(ans, "qtype") ? jstr(ans, "qtype") : "no particular type",
		    json_real_value(json_object_get(ans, "confidence")));
		if (qstate_find(jstr(ans, "state")) == QSTATE_ANSWERED) {
			printf("Short answer:\n");
			json_array_foreach(json_object_get(ans, "summary"), i, p)
				printf("   %s\n", jstr(p, "text"));
			printf("\nPassages that answer it:\n");
		} else {
			printf("We don't have a reviewed answer to this question yet. Asked on the site, it "
			    "would go to the editorial team.\n");
			if (json_array_size(json_object_get(ans, "passages")) > 0)
				printf("\nThe closest passages (they may not answer it):\n");
		}
		json_array_foreach(json_object_get(ans, "passages"), i, p) {
			size_t	 k;
			json_t	*r;

			printf("%zu. %s: %s  [%s]\n   %s\n", i + 1, jstr(p, "question"), jstr(p, "heading"),
			    jstr(p, "state"), jstr(p, "snippet"));
			json_array_foreach(json_object_get(p, "references"), k, r)
				printf("   [%d] %s%s%s\n", (int)json_integer_value(json_object_get(r, "number")),
				    jstr(r, "title"), jstr(r, "url") ? " " : "", jstr(r, "url") ? jstr(r, "url") : "");
		}
		json_decref(ans);
		rc = 0;
	}
	free(c.text);
	return rc;
}

/* ------------------------------------------------------------------------------------ bench-search */

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Hostile and expensive inputs: FTS5 syntax, very common words, long text, many synonyms. */
static const char *const pathological[] = {
	"\"", "NEAR(a b c d e f g h i j k, 1)", "* OR * AND NOT *", "title:cancer OR heading:cancer",
	"what is the treatment for the disease and what are the symptoms and causes of it",
	"disease disease disease disease disease disease disease disease disease disease",
	"symptoms treatment causes diagnosis prevention genetic inheritance risk outlook complications",
	"cancer tumor syndrome disease disorder deficiency infection treatment symptoms causes genes "
	"inherited therapy research outlook",
	"mi htn dm copd chf afib cad ckd dvt uti gerd ibd ra oa ms tia adhd ptsd hiv tb",
	"a an the of to in is it and or but if on at by for with about against between into through",
	"my mom has diabetes and high blood pressure and her kidneys are failing and she has swelling in "
	"her legs and feet and she is always tired what can she take and what should we ask her doctor "
	"about her medicines and diet and exercise and sleep please help us",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	"ü é ñ ß 漢字 — “quoted” ‘single’ … <script>alert(1)</script> &amp; [1] [2-4]",
	/* a long message of misspelled noise: every word is looked up for a correction */
	"qwertyuiop asdfghjkl zxcvbnmq poiuytrewq lkjhgfdsa mnbvcxzq qazwsxedc rfvtgbyhn ujmikolp "
	"plokijuhy gtrfedcws xzaqwsxcd vfrbgtnhy mjukiloqp aqswdefrg thyjukilo pmnbvcxza qwaszxerd "
	"fcvtgbyhn ujmkiolpq azsxdcfvg bhnjmkilo pqowieury tlaksjdhf gmznxbcvq wertyuiop sdfghjklq "
	"xcvbnmqwe rtyuiopas dfghjklzx cvbnmqwer tyuiopasd fghjklzxc vbnmqwert yuiopasdf ghjklzxcv "
	"bnmqwerty uiopasdfg hjklzxcvb nmqwertyu iopasdfgh jklzxcvbn mqwertyui opasdfghj klzxcvbnm "
	"qwertyuio pasdfghjk lzxcvbnmq wertyuiop asdfghjkl zxcvbnmqw ertyuiopa sdfghjklz xcvbnmqwe "
	"rtyuiopas dfghjklzx cvbnmqwer tyuiopasd fghjklzxc vbnmqwert yuiopasdf ghjklzxcv bnmqwerty "
	"uiopasdfg hjklzxcvb nmqwertyu iopasdfgh jklzxcvbn mqwertyui opasdfghj klzxcvbnm qwertyuio "
	"pasdfghjk lzxcvbnmq wertyuiop asdfghjkl zxcvbnmqw ertyuiopa sdfghjklz xcvbnmqwe rtyuiopas",
};

int
cli_bench_search(int argc, char **argv)
{
	struct cli c;
	struct db db;
	FILE	*f;
	char	 line[4096];
	double	*ts = NULL, *ta = NULL, worst = 0;
	size_t	 n = 0, cap = 0;
	const char *worst_q = "";
	int	 rc;

	if ((rc = cli_parse(argc, argv, "bench-search", 1u << O_DB, &c)) != 0)
		return rc == 1 ? 0 : rc;
	if (c.nargs != 1)
		return cli_usage_error("bench-search", "needs a file of queries, one per line");
	if ((f = fopen(c.args[0], "r")) == NULL) {
		fprintf(stderr, "evqa bench-search: %s: %s\n", c.args[0], strerror(errno));
		return 1;
	}
	if (open_db(&db, c.db_path, DB_READONLY) == -1) {
		fclose(f);
		return 1;
	}
	dict_open();		/* as the server does before it serves */
	lexicon_open();
	while (fgets(line, sizeof(line), f) != NULL) {
		struct search_query q;
		struct search_result res;
		double	 t;
		json_t	*a;

		line[strcspn(line, "\n")] = '\0';
		/* a two-character "\\n" in a line is a line break: a subject line and its message */
		for (char *p = line; (p = strstr(p, "\\n")) != NULL; p++) {
			*p = '\n';
			memmove(p + 1, p + 2, strlen(p + 2) + 1);
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			ts = realloc(ts, cap * sizeof(*ts));
			ta = realloc(ta, cap * sizeof(*ta));
			if (ts == NULL || ta == NULL)
				return 1;
		}
		t = now_s();
		search_parse(&db, line, 0, &q);
		q.want_total = 1;	/* as the search page counts */
		if (search_run(&db, &q, NULL, NULL, 0, &res) == 0) {
			search_detail(&db, &q, &res, 0, 10);
			search_free(&res);
		}
		ts[n] = (now_s() - t) * 1000;
		t = now_s();
		a = answer_compute(&db, line, 0, NULL);
		ta[n] = (now_s() - t) * 1000;
		json_decref(a);
		n++;
	}
	fclose(f);
	for (size_t i = 0; i < sizeof(pathological) / sizeof(pathological[0]); i++) {
		struct search_query q;
		struct search_result res;
		double	 t = now_s(), el;
		json_t	*a;

		search_parse(&db, pathological[i], 0, &q);
		if (search_run(&db, &q, NULL, NULL, 0, &res) == 0) {
			search_detail(&db, &q, &res, 0, 10);
			search_free(&res);
		}
		a = answer_compute(&db, pathological[i], 0, NULL);
		json_decref(a);
		el = (now_s() - t) * 1000;
		if (el > worst) {
			worst = el;
			worst_q = pathological[i];
		}
	}
	db_close(&db);
	if (n == 0) {
		fprintf(stderr, "evqa bench-search: no queries in %s\n", c.args[0]);
		return 1;
	}
	qsort(ts, n, sizeof(*ts), cmp_double);
	qsort(ta, n, sizeof(*ta), cmp_double);
	printf("queries %zu\nsearch p50 %.2f ms  p95 %.2f ms  max %.2f ms\n", n, ts[n / 2], ts[n * 95 / 100],
	    ts[n - 1]);
	printf("answer p50 %.2f ms  p95 %.2f ms  max %.2f ms\n", ta[n / 2], ta[n * 95 / 100], ta[n - 1]);
	printf("pathological slowest %.2f ms (search and answer): %.60s\n", worst, worst_q);
	free(ts);
	free(ta);
	return 0;
}
