/* editor.h: the frame of the editors' pages under /editor (editor.c) and what their files share.
 *
 * One file per group of routes: editor_login.c (log in, log out), editor_dash.c (the dashboard),
 * editor_review.c (an article's review page and its transitions), editor_edit.c (the article editor:
 * new, edit, preview, save, and from a reader's question), editor_diff.c (what changed between two
 * revisions). Each page fills one struct ed and renders through ed_page(). */
#ifndef EVQA_EDITOR_H
#define EVQA_EDITOR_H

#include "buf.h"
#include "codes.h"
#include "workflow.h"

struct req;
struct dash_row;

/* One context for every editor template: the request and what the hole being filled refers to.
 * Strings belong to the request; the bufs to the context (ed_free()). */
struct ed {
	struct req	*r;
	const char	*csrf;
	const char	*message;	/* error summary, empty-list message */

	/* login */
	const char	*next, *email;

	/* dashboard */
	const struct dash_row *drow;	/* the row being written */
	const char	*filter, *sort;
	int		 waiting;	/* rows: 1 for "waiting for me" */
	int		 nrows;
	const char	*caption;
	int		 count;
	enum state	 st;

	/* article */
	struct rev_info	 rev;		/* the newest revision */
	int		 approved;	/* number of the latest approved revision, or 0 */
	struct rev_info	 row;		/* a revision row */
	enum state	 to;		/* a transition */
	const char	*h_from, *h_to, *h_actor, *h_cred, *h_reason, *h_at;
	int		 h_number;

	/* editor form */
	const char	*heading, *action;
	int		 base;
	const char	*question, *references;
	const char	*bottom[AUD__MAX], *body[AUD__MAX];
	int		 aud;
	struct buf	 preview;
	int		 has_preview;
	struct buf	 conflict;
	int		 has_conflict, latest;
	const char	*latest_author;

	/* diff */
	int		 d_rev, d_against;
	const char	*d_title;
	struct buf	 d_html;
	struct buf	 d_sections;
	int		 too_large;
	size_t		 diff_budget;	/* LCS cells the diff page may still fill (diff.h) */
};

/* Starts e for request r (nothing to free yet). */
void	 ed_init(struct ed *e, struct req *r);
/* Frees e's bufs; e itself is the caller's. */
void	 ed_free(struct ed *e);
/* Fills e->csrf with the request's form token: 0, or 500 when there is none to be had. */
int	 ed_csrf(struct ed *e);
/* Renders a page titled title whose main part main(out, e) writes, marked not to be indexed or
 * cached: the status page_render() answers. */
int	 ed_page(struct ed *e, const char *title, int (*main)(struct buf *, void *));
/* Writes the error summary saying e->message (editor-error.html): 0 or -1. */
int	 ed_error_write(struct buf *out, struct ed *e);

/* Fills e's form (references, and the wording of each audience; an audience without any stays
 * NULL) from revision rev_id (editor_edit.c): 0, or 500. */
int	 ed_form_from_revision(struct ed *e, long long rev_id);
/* Writes the differences between revisions a and b of article into e->d_sections, a section per
 * field that differs (editor_diff.c): 200, or 404 (r->detail says which revision is missing) or
 * 500. */
int	 ed_diff_revisions(struct ed *e, long long article, int a, int b);

#endif
