/* api.h: the frame of the JSON interface (api.c): what every JSON handler reads and writes the
 * same way. */
#ifndef EVQA_API_H
#define EVQA_API_H

#include "req.h"

#define API_JSON_TYPE	"application/json"

/* The request's JSON body (BODY_JSON routes): an object, parsed with duplicate keys refused.
 * Returns a new reference, or NULL with *status set to 400 (r->detail says why) or 415. */
struct json_t;
struct json_t *api_body(struct req *r, int *status);
/* Refuses an object member whose name is not in keys (NULL-terminated): 400 with the field named
 * where + key ("texts[0].colour") and the members it takes. Returns 0, 400 or 500. */
int	 api_body_keys(struct req *r, struct json_t *o, const char *where, const char *const *keys);

/* Serialises j (taken, "steal") as the JSON reply with the cache policy cache. Returns status,
 * or 500 when j is NULL or cannot be written. */
int	 api_reply_steal(struct req *r, struct json_t *j, int status, enum cache_policy cache);

/* Sets the RFC 8288 Link header of a paginated list: first, prev, next and last, each where it applies.
 * base is the list's path and query up to where "page=N&per_page=M" follows ("/api/v1/articles?"),
 * built from literals and buf_url(). */
void	 api_link_header(struct req *r, const char *base, long long page, long long pages, long long per);

/* A JSON string, or null for NULL (a new reference). */
struct json_t *json_str_or_null(const char *s);

#endif
