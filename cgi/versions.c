/* versions.c: an article's approved versions and what changed between two of them, as the domain
 * reads them (versions.h): the statements version_list and version_text of sql/queries.sql. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "content.h"
#include "db.h"
#include "diff.h"
#include "log.h"
#include "versions.h"

const char *const versions_part_titles[PART__MAX] = {
	[PART_QUESTION] = "Question",
	[PART_BOTTOM] = "Bottom line",
	[PART_BODY] = "Body",
	[PART_REFERENCES] = "References",
};

enum outcome
versions_list(struct dom *d, long long id, struct version **out, int *nout)
{
	struct dbq *s = db_stmt(d->db, STMT_VERSION_LIST);
	struct version *v = NULL;
	int	 n = 0, cap = 0, rc;

	*out = NULL;
	*nout = 0;
	db_bind_int(s, 1, id);
	while ((rc = db_step(s)) == DB_ROW) {
		if ((v = arena_grow(d->arena, v, n, &cap, sizeof(*v))) == NULL) {
			db_reset(s);
			return OUT_FAILED;
		}
		v[n].rev_id = db_int64(s, 0);
		v[n].number = db_int(s, 1);
		v[n].approved_at = arena_strdup(d->arena, db_text(s, 2));
		v[n].approver = arena_strdup(d->arena, db_text(s, 3));
		v[n].credential = arena_strdup(d->arena, db_text(s, 4));
		n++;
	}
	db_reset(s);
	if (rc != DB_DONE) {
		log_warnx("versions of article %lld: %s", id, db_errmsg(d->db));
		return OUT_FAILED;
	}
	*out = v;
	*nout = n;
	return OUT_OK;
}

/* "3, 2 and 1": the numbers of the versions, for messages. */
static void
version_numbers(const struct version *vs, int n, char *out, size_t outsz)
{
	size_t	 l = 0;

	out[0] = '\0';
	for (int i = 0; i < n && l < outsz; i++)
		l += (size_t)snprintf(out + l, outsz - l, "%s%d", i == 0 ? "" : i == n - 1 ? " and " : ", ",
		    vs[i].number);
}

enum outcome
versions_find(struct dom *d, long long id, int n, long long *rev_id)
{
	struct version *vs;
	enum outcome oc;
	int	 nv;
	char	 nums[200];

	if ((oc = versions_list(d, id, &vs, &nv)) != OUT_OK)
		return oc;
	for (int i = 0; i < nv; i++)
		if (vs[i].number == n) {
			*rev_id = vs[i].rev_id;
			return OUT_OK;
		}
	if (nv == 0)
		return dom_fail(d, OUT_NOT_FOUND, "This article has no approved version yet, so it has no version "
		    "addresses.");
	version_numbers(vs, nv, nums, sizeof(nums));
	return dom_fail(d, OUT_NOT_FOUND, "Revision %d of this article is not an approved version. Approved "
	    "versions: %s %s.", n, nv == 1 ? "revision" : "revisions", nums);
}

/* The parts of one revision as text. */
struct version_text {
	const char	*part[PART__MAX];
};

/* The parts of revision rev_id in wording, in d's arena: OUT_OK, or an outcome of content_revision(),
 * or OUT_FAILED. */
static enum outcome
version_text(struct dom *d, long long rev_id, const struct audience *wording, struct version_text *t)
{
	struct article_view v;
	struct dbq *s;
	struct buf refs = BUF_INIT;
	enum outcome oc;

	if ((oc = content_revision(d, rev_id, NULL, CONTENT_REFS, &v)) != OUT_OK)
		return oc;
	t->part[PART_QUESTION] = v.question;
	s = db_stmt(d->db, STMT_VERSION_TEXT);
	db_bind_int(s, 1, rev_id);
	db_bind_text(s, 2, wording->code);
	if (db_step(s) == DB_ROW) {
		t->part[PART_BOTTOM] = arena_strdup(d->arena, db_text(s, 1));
		t->part[PART_BODY] = arena_strdup(d->arena, db_text(s, 2));
	}
	db_reset(s);
	/* one line per reference, as the list shows it; the diff escapes it */
	for (int i = 0; i < v.nrefs; i++) {
		const struct reference *f = &v.refs[i];

		buf_printf(&refs, "%d. ", f->num);
		/* trusted: a label from content.c's table */
		buf_trusted(&refs, reference_kind_label(f->kind), strlen(reference_kind_label(f->kind)));
		buf_lit(&refs, ": ");
		/* trusted: plain text that diff_html() escapes */
		buf_trusted(&refs, f->title, strlen(f->title));
		if (f->source != NULL) {
			buf_lit(&refs, ". ");
			/* trusted: as above */
			buf_trusted(&refs, f->source, strlen(f->source));
		}
		if (f->year)
			buf_printf(&refs, ", %lld", f->year);
		if (f->pmid != NULL) {
			buf_lit(&refs, ". PubMed ");
			/* trusted: as above */
			buf_trusted(&refs, f->pmid, strlen(f->pmid));
		}
		if (f->doi != NULL) {
			buf_lit(&refs, ". DOI ");
			/* trusted: as above */
			buf_trusted(&refs, f->doi, strlen(f->doi));
		}
		if (f->url != NULL) {
			buf_lit(&refs, ". ");
			/* trusted: as above */
			buf_trusted(&refs, f->url, strlen(f->url));
		}
		buf_lit(&refs, "\n");
	}
	t->part[PART_REFERENCES] = refs.err ? NULL : arena_strdup(d->arena, refs.p ? refs.p : "");
	buf_free(&refs);
	for (int i = 0; i < PART__MAX; i++)
		if (t->part[i] == NULL)
			return dom_fail(d, OUT_FAILED, "A version of this article could not be read.");
	return OUT_OK;
}

enum outcome
versions_changes(struct dom *d, long long id, int rev, int against, const struct audience *want,
    struct changes *ch)
{
	struct version *vs;
	struct version_text ta, tb;
	struct article_view va, vb;
	size_t	 budget = DIFF_PAGE_CELLS;	/* for all the parts' comparisons together */
	enum outcome oc;
	int	 nv, ia = -1, ib = -1;
	char	 nums[200];

	memset(ch, 0, sizeof(*ch));
	if ((oc = content_article(d, id, NULL, 0, &ch->cur)) != OUT_OK ||
	    (oc = versions_list(d, ch->cur.id, &vs, &nv)) != OUT_OK)
		return oc;
	if (nv < 2)
		return dom_fail(d, OUT_NOT_FOUND, "This article has %s approved version; there is nothing to "
		    "compare yet.", nv == 0 ? "no" : "only one");
	version_numbers(vs, nv, nums, sizeof(nums));
	if (rev == 0)
		rev = vs[0].number;
	for (int i = 0; i < nv; i++)
		if (vs[i].number == rev)
			ib = i;
	if (ib < 0)
		return dom_field_error(d, "rev", "names no approved version of this article; its approved "
		    "versions are revisions %s.", nums);
	if (against != 0) {
		for (int i = 0; i < nv; i++)
			if (vs[i].number == against)
				ia = i;
		if (ia < 0)
			return dom_field_error(d, "against", "names no approved version of this article; its "
			    "approved versions are revisions %s.", nums);
	} else if ((ia = ib + 1) >= nv)
		return dom_field_error(d, "rev", "names the first approved version; give against= to compare "
		    "it with a later one.");
	if (ia == ib)
		return dom_field_error(d, "against", "names the same version as rev.");
	/* older against newer, whichever order they were asked in */
	ch->newer = &vs[ia < ib ? ia : ib];
	ch->older = &vs[ia < ib ? ib : ia];
	if ((oc = content_revision(d, ch->older->rev_id, NULL, 0, &va)) != OUT_OK ||
	    (oc = content_revision(d, ch->newer->rev_id, NULL, 0, &vb)) != OUT_OK)
		return oc;
	/* the asked wording when both versions have it, else the clinician wording of both */
	ch->wording = (va.has_audience & vb.has_audience & (1u << (want - audiences))) ? want :
	    &audiences[AUD_CLINICIAN];
	if ((oc = version_text(d, ch->older->rev_id, ch->wording, &ta)) != OUT_OK ||
	    (oc = version_text(d, ch->newer->rev_id, ch->wording, &tb)) != OUT_OK)
		return oc;
	for (int i = 0; i < PART__MAX; i++) {
		if (strcmp(ta.part[i], tb.part[i]) == 0)
			continue;
		ch->any = 1;
		if ((ch->changed[i] = diff_html(&ch->html[i], ta.part[i], tb.part[i], &budget)) < 0)
			ch->too_large = 1;
		if (ch->html[i].err)
			return OUT_FAILED;
	}
	return OUT_OK;
}

void
versions_changes_free(struct changes *ch)
{
	for (int i = 0; i < PART__MAX; i++)
		buf_free(&ch->html[i]);
}
