/* links.c: the site's addresses (see links.h). */
#include "config.h"

#include <stdio.h>

#include "links.h"

void
link_article(char *out, size_t outsz, long long id, const char *slug, int version, const char *anchor)
{
	int	 n = snprintf(out, outsz, "/articles/%lld/%s", id, slug != NULL ? slug : "");

	if (n >= 0 && (size_t)n < outsz && version > 0)
		n += snprintf(out + n, outsz - (size_t)n, "/v/%d", version);
	if (n >= 0 && (size_t)n < outsz && anchor != NULL && anchor[0] != '\0')
		snprintf(out + n, outsz - (size_t)n, "#%s", anchor);
}
