/* fuzz_markdown.c: article Markdown with citation markers (render_text), big enough to nest deep:
 * the first line is the bottom line, the rest the body; references 1 to 30 exist. Rendered HTML
 * must never carry raw HTML through. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "render.h"

#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char has[REF_MAX + 1];
	const char *nl;
	char	*bottom, *body, err[300];
	size_t	 bl;
	struct render_result rr;

	if (size > BODY_MAX + BOTTOM_MAX)
		return 0;
	for (int i = 1; i <= 30; i++)
		has[i] = 1;
	nl = memchr(data, '\n', size);
	bl = nl ? (size_t)(nl - (const char *)data) : size;
	bottom = malloc(bl + 1);
	memcpy(bottom, data, bl);
	bottom[bl] = '\0';
	body = malloc(size - bl + 1);
	memcpy(body, data + bl, size - bl);
	body[size - bl] = '\0';
	if (render_text(bottom, body, has, &rr, err, sizeof(err)) == 0) {
		if (strstr(rr.html, "<script") != NULL || strstr(rr.bottom_html, "<script") != NULL)
			abort();
		render_result_free(&rr);
	} else if (err[0] == '\0')
		abort();	/* a refusal always says why */
	free(bottom);
	free(body);
	return 0;
}
