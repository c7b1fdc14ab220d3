/* fuzz_search.c: the search query builder and the search pages, through the dispatcher: the input
 * is the text of q (percent-encoded here), asked of /search, /api/v1/search and the question form. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "req.h"

#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	static const char *const paths[] = { "/search?q=", "/api/v1/search?q=", "/api/v1/search?per_page=3&q=" };
	char	*uri, *body, clen[24];
	size_t	 n = 0;
	struct req_input in;
	json_t	*j;

	if (size > 4096)
		return 0;
	uri = malloc(40 + size * 3 + 1);
	for (size_t k = 0; k < sizeof(paths) / sizeof(paths[0]); k++) {
		n = strlen(paths[k]);
		memcpy(uri, paths[k], n);
		for (size_t i = 0; i < size; i++) {
			uri[n++] = '%';
			uri[n++] = hex[data[i] >> 4];
			uri[n++] = hex[data[i] & 15];
		}
		uri[n] = '\0';
		memset(&in, 0, sizeof(in));
		in.method = "GET";
		in.uri = uri;
		in.host = "localhost";
		in.remote_addr = "127.0.0.1";
		fuzz_dispatch(&in);
	}
	/* the same text as a reader's question (its answer is built from a search) */
	if ((j = json_pack("{s:s%}", "question", (const char *)data, size)) != NULL &&
	    (body = json_dumps(j, JSON_COMPACT)) != NULL) {
		snprintf(clen, sizeof(clen), "%zu", strlen(body));
		memset(&in, 0, sizeof(in));
		in.method = "POST";
		in.uri = "/api/v1/questions";
		in.content_type = "application/json";
		in.content_length = clen;
		in.body = body;
		in.body_len = strlen(body);
		in.host = "localhost";
		in.remote_addr = "127.0.0.1";
		fuzz_dispatch(&in);
		free(body);
	}
	json_decref(j);
	free(uri);
	return 0;
}
