/* editor_edit.c: the article editor: a new article (GET /editor/articles/new, POST /editor/articles),
 * a new revision of one (GET and POST /editor/articles/{id}/edit), and a new article started from a
 * reader's question (question_queue.c's routes call in). The form holds the question, the references
 * one a line, and a bottom line and body per audience; "Preview" shows the public page the text
 * would make, and saving on top of a revision someone else has replaced shows what changed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "auth.h"
#include "content.h"
#include "editor.h"
#include "page.h"
#include "render.h"
#include "route.h"
#include "tmpl.h"
#include "util.h"
#include "workflow.h"

static int editor_field_error_fill(struct buf *, enum tmpl_editor_field_error_hole, void *);

/* The field error for field, when the request has one. */
static const char *
field_error(const struct ed *e, const char *field)
{
	for (int i = 0; i < e->r->nerrors; i++)
		if (strcmp(e->r->errors[i].field, field) == 0)
			return e->r->errors[i].detail;
	return NULL;
}

static int
fill_field_error(struct buf *out, struct ed *e, const char *field)
{
	const char *d = field_error(e, field), *save = e->message;
	int	 rc;

	if (d == NULL)
		return 0;
	e->message = d;
	rc = tmpl_render_editor_field_error(out, editor_field_error_fill, e);
	e->message = save;
	return rc;
}

/* The error of the audience's text field (what: "bottom" or "body") of audience e->aud, if any. */
static int
fill_aud_error(struct buf *out, struct ed *e, const char *what)
{
	char	 f[40];

	snprintf(f, sizeof(f), "%s_%s", what, audiences[e->aud].code);
	return fill_field_error(out, e, f);
}

static int
editor_field_error_fill(struct buf *out, enum tmpl_editor_field_error_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_FIELD_ERROR_DETAIL:
		buf_html(out, e->message);
		return 0;
	}
	return -1;
}

static int
editor_audience_fill(struct buf *out, enum tmpl_editor_audience_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_AUDIENCE_AUD_LABEL:
		buf_html(out, audiences[e->aud].label);
		return 0;
	case TH_EDITOR_AUDIENCE_OPTIONAL:
		if (e->aud != AUD_CLINICIAN)
			buf_lit(out, " (optional: leave empty to show the clinician text)");
		return 0;
	case TH_EDITOR_AUDIENCE_CODE:
		buf_html(out, audiences[e->aud].code);
		return 0;
	case TH_EDITOR_AUDIENCE_BOTTOM_ERROR:
		return fill_aud_error(out, e, "bottom");
	case TH_EDITOR_AUDIENCE_BOTTOM:
		buf_html(out, e->bottom[e->aud]);
		return 0;
	case TH_EDITOR_AUDIENCE_BODY_ERROR:
		return fill_aud_error(out, e, "body");
	case TH_EDITOR_AUDIENCE_BODY:
		buf_html(out, e->body[e->aud]);
		return 0;
	}
	return -1;
}

static int
editor_preview_fill(struct buf *out, enum tmpl_editor_preview_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_PREVIEW_PAGE:
		/* trusted: the article template, rendered through the escaping writers */
		buf_trusted(out, e->preview.p, e->preview.len);
		return 0;
	}
	return -1;
}

static int
editor_conflict_fill(struct buf *out, enum tmpl_editor_conflict_hole hole, void *arg)
{
	struct ed *e = arg;

	switch (hole) {
	case TH_EDITOR_CONFLICT_LATEST:
		buf_int(out, e->latest);
		return 0;
	case TH_EDITOR_CONFLICT_LATEST_AUTHOR:
		buf_html(out, e->latest_author);
		return 0;
	case TH_EDITOR_CONFLICT_AGAINST:
		buf_int(out, e->d_against);
		return 0;
	case TH_EDITOR_CONFLICT_DIFF:
		/* trusted: written by diff_html(), which escapes every byte of text */
		buf_trusted(out, e->has_conflict ? e->conflict.p : e->d_html.p,
		    e->has_conflict ? e->conflict.len : e->d_html.len);
		return 0;
	}
	return -1;
}

static int
editor_edit_fill(struct buf *out, enum tmpl_editor_edit_hole hole, void *arg)
{
	struct ed *e = arg;
	struct req *r = e->r;

	switch (hole) {
	case TH_EDITOR_EDIT_BAR:
		return editor_bar_write(out, r, e->csrf);
	case TH_EDITOR_EDIT_HEADING:
		buf_html(out, e->heading);
		return 0;
	case TH_EDITOR_EDIT_ERROR:
		if (e->message != NULL)
			return ed_error_write(out, e);
		return 0;
	case TH_EDITOR_EDIT_CONFLICT:
		if (e->has_conflict)
			return tmpl_render_editor_conflict(out, editor_conflict_fill, e);
		return 0;
	case TH_EDITOR_EDIT_ACTION:
		buf_html(out, e->action);
		return 0;
	case TH_EDITOR_EDIT_CSRF:
		buf_html(out, e->csrf);
		return 0;
	case TH_EDITOR_EDIT_BASE:
		buf_int(out, e->base);
		return 0;
	case TH_EDITOR_EDIT_QUESTION_ERROR:
		return fill_field_error(out, e, "question");
	case TH_EDITOR_EDIT_QUESTION:
		buf_html(out, e->question ? e->question : e->rev.question);
		return 0;
	case TH_EDITOR_EDIT_REFERENCES_ERROR:
		return fill_field_error(out, e, "references");
	case TH_EDITOR_EDIT_REFERENCES:
		buf_html(out, e->references);
		return 0;
	case TH_EDITOR_EDIT_AUDIENCES:
		for (e->aud = 0; e->aud < AUD__MAX; e->aud++)
			if (tmpl_render_editor_audience(out, editor_audience_fill, e) == -1)
				return -1;
		return 0;
	case TH_EDITOR_EDIT_PREVIEW:
		if (e->has_preview)
			return tmpl_render_editor_preview(out, editor_preview_fill, e);
		return 0;
	}
	return -1;
}

/* The page's main part (page_render()). */
static int
editor_edit_main(struct buf *out, void *arg)
{
	return tmpl_render_editor_edit(out, editor_edit_fill, arg);
}

/* The authors of a reference as the form writes them: "Family, Given; Family, Given; Group" (a group
 * whose name has a comma in braces: "{Name, with comma}"). */
static void
authors_text(struct buf *b, const char *json)
{
	json_t	*a = json ? json_loads(json, 0, NULL) : NULL, *o;
	size_t	 i;

	json_array_foreach(a, i, o) {
		const char *family = json_string_value(json_object_get(o, "family"));
		const char *given = json_string_value(json_object_get(o, "given"));
		const char *literal = json_string_value(json_object_get(o, "literal"));

		if (i > 0)
			buf_lit(b, "; ");
		if (literal != NULL && strchr(literal, ',') == NULL)
			/* trusted: plain text into a buffer escaped when it is written to the page */
			buf_trusted(b, literal, strlen(literal));
		else if (literal != NULL) {
			buf_lit(b, "{");
			/* trusted: as above */
			buf_trusted(b, literal, strlen(literal));
			buf_lit(b, "}");
		} else if (family != NULL) {
			/* trusted: as above */
			buf_trusted(b, family, strlen(family));
			if (given != NULL) {
				buf_lit(b, ", ");
				/* trusted: as above */
				buf_trusted(b, given, strlen(given));
			}
		}
	}
	json_decref(a);
}

/* The authors written as authors_text() writes them, as the JSON content_save() takes (request
 * memory), or NULL when there are none. */
static const char *
authors_json(struct req *r, const char *text)
{
	json_t	*a;
	char	*s;
	const char *out = NULL;

	if (text == NULL || (a = json_array()) == NULL)
		return NULL;
	for (const char *p = text; *p != '\0';) {
		const char *e = strchr(p, ';'), *c;
		size_t	 n;
		char	*one, *name;

		if (*p == '{' && (c = strchr(p, '}')) != NULL) {	/* a group with a comma in its name */
			e = strchr(c, ';');
		}
		n = e ? (size_t)(e - p) : strlen(p);
		if ((one = req_alloc(r, n + 1)) == NULL)
			break;
		memcpy(one, p, n);
		one[n] = '\0';
		name = one + strspn(one, " \t");
		while (*name != '\0' && strchr(" \t", name[strlen(name) - 1]) != NULL)
			name[strlen(name) - 1] = '\0';
		if (name[0] == '{' && name[strlen(name) - 1] == '}') {
			name[strlen(name) - 1] = '\0';
			json_array_append_new(a, json_pack("{s:s}", "literal", name + 1));
		} else if ((c = strchr(name, ',')) != NULL) {
			const char *given = c + 1 + strspn(c + 1, " ");

			*(char *)c = '\0';
			json_array_append_new(a, given[0] ? json_pack("{s:s, s:s}", "family", name, "given",
			    given) : json_pack("{s:s}", "family", name));
		} else if (name[0] != '\0')
			json_array_append_new(a, json_pack("{s:s}", "literal", name));
		p = e ? e + 1 : p + n;
	}
	if (json_array_size(a) > 0 && (s = json_dumps(a, JSON_COMPACT)) != NULL) {
		out = req_strdup(r, s);
		free(s);
	}
	json_decref(a);
	return out;
}

/* The reference list of revision rev_id as the form's lines. */
static const char *
references_text(struct req *r, long long rev_id)
{
	struct buf b = BUF_INIT;
	struct reference *rf;
	const char *out;
	int	 n;

	if (content_references(&r->dom, rev_id, &rf, &n) != OUT_OK)
		return NULL;
	for (int k = 0; k < n; k++) {
		const char *parts[7] = { rf[k].kind, rf[k].title, rf[k].source, NULL, rf[k].pmid, rf[k].doi,
		    rf[k].url };

		for (int i = 0; i < 7; i++) {
			if (i > 0)
				buf_lit(&b, " | ");
			if (i == 3) {
				if (rf[k].year != 0)
					buf_int(&b, rf[k].year);
			} else if (parts[i] != NULL)
				/* trusted: plain text into a buffer escaped when it is written to the page */
				buf_trusted(&b, parts[i], strlen(parts[i]));
		}
		if (rf[k].authors_json != NULL) {
			buf_lit(&b, " | ");
			authors_text(&b, rf[k].authors_json);
		}
		buf_lit(&b, "\n");
	}
	out = b.err ? NULL : req_strdup(r, b.p ? b.p : "");
	buf_free(&b);
	return out;
}

int
ed_form_from_revision(struct ed *e, long long rev_id)
{
	struct req *r = e->r;
	struct text_row *t;
	int	 n;

	if ((e->references = references_text(r, rev_id)) == NULL ||
	    content_texts(&r->dom, rev_id, &t, &n) != OUT_OK)
		return 500;
	for (int i = 0; i < n; i++) {
		const struct audience *a = audience_find(t[i].audience);

		if (a != NULL) {
			e->bottom[a - audiences] = t[i].bottom_line;
			e->body[a - audiences] = t[i].body;
		}
	}
	return 0;
}

static const enum key bottom_keys[AUD__MAX] = { KEY_BOTTOM_CLINICIAN, KEY_BOTTOM_NURSE,
    KEY_BOTTOM_PHARMACIST, KEY_BOTTOM_STUDENT, KEY_BOTTOM_PATIENT };
static const enum key body_keys[AUD__MAX] = { KEY_BODY_CLINICIAN, KEY_BODY_NURSE, KEY_BODY_PHARMACIST,
    KEY_BODY_STUDENT, KEY_BODY_PATIENT };

/* Fills the form from the request. */
static void
form_from_request(struct ed *e)
{
	struct req *r = e->r;

	e->question = r->fields[KEY_QUESTION].present ? r->fields[KEY_QUESTION].str : "";
	e->references = r->fields[KEY_REFERENCES].present ? r->fields[KEY_REFERENCES].str : "";
	e->base = r->fields[KEY_BASE].present ? (int)r->fields[KEY_BASE].num : 0;
	for (int i = 0; i < AUD__MAX; i++) {
		e->bottom[i] = r->fields[bottom_keys[i]].present ? r->fields[bottom_keys[i]].str : "";
		e->body[i] = r->fields[body_keys[i]].present ? r->fields[body_keys[i]].str : "";
	}
}

/* Trims spaces around s[0..n) into a request-owned string; NULL for an empty one. */
static const char *
part(struct req *r, const char *s, size_t n)
{
	char	*t;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n == 0 || (t = req_alloc(r, n + 1)) == NULL)
		return NULL;
	memcpy(t, s, n);
	t[n] = '\0';
	return t;
}

/* Parses the reference lines into rev. Returns 0, or 400 with a field error on "references". */
static int
parse_references(struct req *r, const char *text, struct revision_in *rev)
{
	struct reference_in *refs;
	int	 n = 0, line = 0, cap = 0;
	const char *p = text;

	for (const char *q = text; *q != '\0'; q++)
		if (*q == '\n')
			cap++;
	cap++;
	if (cap > REF_MAX)
		return req_field_error(r, "references", "has %d lines; at most %d references are allowed.", cap,
		    REF_MAX);
	if ((refs = req_alloc(r, (size_t)cap * sizeof(*refs))) == NULL)
		return 500;
	while (*p != '\0') {
		const char *e = strchr(p, '\n'), *f[8] = { NULL };
		size_t	 len = e ? (size_t)(e - p) : strlen(p);
		int	 k = 0;
		const char *c = p, *end = p + len;

		line++;
		while (k < 8) {
			const char *bar = memchr(c, '|', (size_t)(end - c));
			size_t	 pl = bar ? (size_t)(bar - c) : (size_t)(end - c);

			f[k++] = part(r, c, pl);
			if (bar == NULL)
				break;
			c = bar + 1;
		}
		if (memchr(c, '|', (size_t)(end - c)) != NULL && k == 8)
			return req_field_error(r, "references", "line %d has more than 8 parts separated by '|'.",
			    line);
		if (f[0] != NULL || k > 1) {
			struct reference_in *ref = &refs[n++];
			long long year = 0;

			memset(ref, 0, sizeof(*ref));
			ref->kind = f[0] ? f[0] : "";
			ref->title = f[1];
			ref->source = f[2];
			if (f[3] != NULL && parse_int(f[3], 1800, 2200, &year) == -1)
				return req_field_error(r, "references", "line %d: the year must be a number from "
				    "1800 to 2200, not '%s'.", line, f[3]);
			ref->year = (int)year;
			ref->pmid = f[4];
			ref->doi = f[5];
			ref->url = f[6];
			ref->authors_json = authors_json(r, f[7]);
		}
		p = e ? e + 1 : end;
	}
	rev->refs = refs;
	rev->nrefs = n;
	return 0;
}

/* Builds a revision from the form. Returns 0 or 400 with field errors. */
static int
revision_from_form(struct ed *e, struct revision_in *rev)
{
	struct req *r = e->r;
	struct text_in *texts;
	int	 rc;

	memset(rev, 0, sizeof(*rev));
	rev->question = e->question;
	if ((rc = parse_references(r, e->references, rev)) != 0)
		return rc;
	if ((texts = req_alloc(r, AUD__MAX * sizeof(*texts))) == NULL)
		return 500;
	for (int i = 0; i < AUD__MAX; i++) {
		if (i != AUD_CLINICIAN && e->bottom[i][0] == '\0' && e->body[i][0] == '\0')
			continue;
		if (e->bottom[i][0] == '\0') {
			char	*f = req_alloc(r, 40);

			snprintf(f, 40, "bottom_%s", audiences[i].code);
			return req_field_error(r, f, "is required%s.", i == AUD_CLINICIAN ? "" :
			    " when this audience has a body");
		}
		if (e->body[i][0] == '\0') {
			char	*f = req_alloc(r, 40);

			snprintf(f, 40, "body_%s", audiences[i].code);
			return req_field_error(r, f, "is required%s.", i == AUD_CLINICIAN ? "" :
			    " when this audience has a bottom line");
		}
		texts[rev->ntexts].audience = audiences[i].code;
		texts[rev->ntexts].bottom_line = e->bottom[i];
		texts[rev->ntexts].body = e->body[i];
		rev->ntexts++;
	}
	rev->texts = texts;
	return 0;
}

/* Moves a field error of content_save onto the form field it is about: "references[3].doi" onto the
 * reference list (saying which line), "revision 9, patient wording: ..." onto that audience's body. */
static void
errors_to_fields(struct req *r)
{
	for (int i = 0; i < r->nerrors; i++) {
		struct field_error *fe = &r->errors[i];
		int	 n;

		if (sscanf(fe->field, "references[%d]", &n) == 1) {
			char	 d[sizeof(fe->detail)];
			const char *dot = strchr(fe->field, '.');

			snprintf(d, sizeof(d), "line %d, %s: %s", n, dot ? dot + 1 : "entry", fe->detail);
			memcpy(fe->detail, d, sizeof(d));
			utf8_trim(fe->detail);
			fe->field = "references";
		} else if (strncmp(fe->field, "texts", 5) == 0) {
			const char *f = "body_clinician";

			for (int a = 0; a < AUD__MAX; a++) {
				char	 w[40];

				snprintf(w, sizeof(w), "the %s wording:", audiences[a].code);
				if (strstr(fe->detail, w) != NULL) {
					char	*t = req_alloc(r, 40);

					if (t != NULL) {
						snprintf(t, 40, "%s_%s", strstr(fe->detail, "bottom line") ?
						    "bottom" : "body", audiences[a].code);
						f = t;
					}
					break;
				}
			}
			fe->field = f;
		}
	}
}

/* Renders the form page (after a problem, with status and the problems beside their fields). */
static int
form_page(struct ed *e, int status)
{
	int	 rc;

	if (e->csrf == NULL && (rc = ed_csrf(e)) != 0)
		return rc;
	if (status >= 400 && e->message == NULL)
		e->message = req_strdup(e->r, e->r->detail);
	rc = ed_page(e, e->heading, editor_edit_main);
	if (rc != 200)
		return rc;
	if (status >= 400)
		e->r->keep_body = 1;
	return status;
}

/* workflow_preview()'s show: the article as readers would see it, into the editor's e->preview. */
static int
show_preview(void *arg, const struct article_view *v)
{
	struct ed *e = arg;

	return page_article_preview(e->r, v, &e->preview);
}

/* Saves the form as a new revision of r->id (0: a new article), or shows the preview. */
static int
save_form(struct req *r, long long id, long long qid)
{
	struct ed e;
	struct revision_in rev;
	long long article = 0;
	int	 number = 0, rc;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	ed_init(&e, r);
	form_from_request(&e);
	e.heading = id ? "Edit article" : "New article";
	e.action = id ? req_strdup(r, "") : "/editor/articles";
	if (qid) {
		char	 a[64];

		snprintf(a, sizeof(a), "/editor/questions/%lld/article", qid);
		e.action = req_strdup(r, a);
	}
	if (id) {
		char	 a[64];

		snprintf(a, sizeof(a), "/editor/articles/%lld/edit", id);
		e.action = req_strdup(r, a);
		if ((rc = req_outcome(r, workflow_latest(&r->dom, id, &e.rev))) != 200)
			return rc;
		if (!workflow_may_edit(&r->dom, &e.rev))
			return req_fail(r, 403, "Your role (%s) may not edit this article.",
			    role_names[r->user->role]);
	} else if (!workflow_may_edit(&r->dom, NULL))
		return req_fail(r, 403, "Your role (%s) may not write articles.", role_names[r->user->role]);
	if ((rc = revision_from_form(&e, &rev)) != 0) {
		rc = rc == 400 ? form_page(&e, 400) : rc;
		goto out;
	}
	if (r->fields[KEY_PREVIEW].present) {
		/* the preview is the public page itself, of the form saved and not kept */
		rc = req_outcome(r, workflow_preview(&r->dom, id, &rev, show_preview, &e));
		if (rc == 400) {
			errors_to_fields(r);
			rc = form_page(&e, 400);
		} else if (rc == 200) {
			e.has_preview = 1;
			rc = form_page(&e, 200);
		}
		goto out;
	}
	rc = req_outcome(r, workflow_save_question(&r->dom, id, e.base, &rev, qid, &article, &number));
	if (rc == 201) {
		char	 loc[64];

		snprintf(loc, sizeof(loc), "/editor/articles/%lld", article);
		req_location(r, loc);
		rc = 303;
	} else if (rc == 400) {
		errors_to_fields(r);
		rc = form_page(&e, 400);
	} else if (rc == 409) {
		struct rev_info latest;
		int	 base = e.base;

		if (req_outcome(r, workflow_latest(&r->dom, id, &latest)) != 200 ||
		    ed_diff_revisions(&e, id, base, latest.number) != 200) {
			rc = 500;
			goto out;
		}
		/* the conflict notice shows the sections; the form keeps the user's text */
		e.conflict = e.d_sections;
		memset(&e.d_sections, 0, sizeof(e.d_sections));
		e.has_conflict = 1;
		e.latest = latest.number;
		e.latest_author = latest.author;
		e.d_rev = latest.number;
		e.d_against = base;
		e.message = req_strdup(r, r->detail);
		e.base = latest.number;
		rc = form_page(&e, 409);
	}
out:
	ed_free(&e);
	return rc;
}

/* Renders the form for a new article, empty but for e->question, and frees e. */
static int
empty_form_page(struct ed *e)
{
	int	 rc;

	e->references = "";
	for (int i = 0; i < AUD__MAX; i++)
		e->bottom[i] = e->body[i] = "";
	rc = form_page(e, 200);
	ed_free(e);
	return rc;
}

int
editor_create(struct req *r)
{
	return save_form(r, 0, 0);
}

int
editor_save_for_question(struct req *r, long long qid)
{
	return save_form(r, 0, qid);
}

int
editor_form_for_question(struct req *r, long long qid, const char *question)
{
	struct ed e;
	char	 a[64];

	if (!workflow_may_edit(&r->dom, NULL))
		return req_fail(r, 403, "Your role (%s) may not write articles.", role_names[r->user->role]);
	ed_init(&e, r);
	e.heading = "New article from a reader's question";
	snprintf(a, sizeof(a), "/editor/questions/%lld/article", qid);
	e.action = req_strdup(r, a);
	e.question = question;
	return empty_form_page(&e);
}

int
editor_edit(struct req *r)
{
	return save_form(r, r->id, 0);
}

int
editor_new(struct req *r)
{
	struct ed e;
	int	 rc;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	if (!workflow_may_edit(&r->dom, NULL))
		return req_fail(r, 403, "Your role (%s) may not write articles.", role_names[r->user->role]);
	ed_init(&e, r);
	e.heading = "New article";
	e.action = "/editor/articles";
	e.question = "";
	return empty_form_page(&e);
}

int
editor_edit_form(struct req *r)
{
	struct ed e;
	char	 a[64];
	int	 rc;

	if ((rc = auth_require(r, ROLE_AUTHOR)) != 0)
		return rc;
	ed_init(&e, r);
	if ((rc = req_outcome(r, workflow_latest(&r->dom, r->id, &e.rev))) != 200)
		return rc;
	if (!workflow_may_edit(&r->dom, &e.rev))
		return req_fail(r, 403, "Your role (%s) may not edit this article.", role_names[r->user->role]);
	for (int i = 0; i < AUD__MAX; i++)
		e.bottom[i] = e.body[i] = "";
	if (ed_form_from_revision(&e, e.rev.id) != 0)
		return 500;
	for (int i = 0; i < AUD__MAX; i++) {
		if (e.bottom[i] == NULL)
			e.bottom[i] = "";
		if (e.body[i] == NULL)
			e.body[i] = "";
	}
	e.question = e.rev.question;
	e.base = e.rev.number;
	e.heading = "Edit article";
	snprintf(a, sizeof(a), "/editor/articles/%lld/edit", r->id);
	e.action = req_strdup(r, a);
	rc = form_page(&e, 200);
	ed_free(&e);
	return rc;
}
