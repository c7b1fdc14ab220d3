/* page.h: the frame of the HTML pages (page.c): the site's layout around a page's main part, and
 * what every page handler writes the same way. */
#ifndef EVQA_PAGE_H
#define EVQA_PAGE_H

#include "buf.h"
#include "req.h"

#define PAGE_HTML_TYPE	"text/html; charset=utf-8"
#define PAGE_COOKIE_YEAR	31536000

/* The layout of one page: its title and main part, and what its head says. */
struct page_layout {
	const char	*title;
	int		(*main)(struct buf *, void *);	/* writes the page's main part, given arg */
	void		*arg;
	int		 noindex;
	const char	*head;		/* markup for the head, rendered from a template, or NULL */
	const char	*canonical;	/* the page's canonical path and query, or NULL: the request's path */
	const char	*description;	/* for <meta name="description">, or NULL: the site's */
	struct req	*r;		/* set by page_render_layout() */
};

/* Renders the site layout l into r->body (Content-Type PAGE_HTML_TYPE): 200, or 500. */
int	 page_render_layout(struct req *r, struct page_layout *l);

/* Shared by the page handlers: renders the site layout into r->body, its main part written by
 * main(out, arg) (which renders the page's template; 0, or -1 to fail the page with a 500). */
int	 page_render(struct req *r, const char *title, int (*main)(struct buf *, void *), void *arg);
/* page_render() for a private page: noindex (meta and X-Robots-Tag), Cache-Control: private, no-store. */
int	 page_render_private(struct req *r, const char *title, int (*main)(struct buf *, void *), void *arg);

/* Writes an evqa time (UTC 'YYYY-MM-DDTHH:MM:SSZ') escaped: as it is, for <time datetime>, or with
 * human set as people read it ("July 25, 2025"). NULL writes nothing. */
void	 page_write_time(struct buf *out, const char *iso, int human);

#endif
