/* links.h: the site's addresses for its things, the one place that spells them. The scheme is the
 * site's, not HTTP's: the domain names an article's address in the answers it gives (search.c) and
 * the handlers in pages, headers and JSON. */
#ifndef EVQA_LINKS_H
#define EVQA_LINKS_H

#include <stddef.h>

/* "/articles/ID/SLUG", then "/v/N" when version > 0, then "#ANCHOR" when anchor is neither NULL nor
 * empty, into out (cut to outsz; slugs and anchors are [a-z0-9-], made by content.c and render.c). */
void	 link_article(char *out, size_t outsz, long long id, const char *slug, int version, const char *anchor);

#endif
