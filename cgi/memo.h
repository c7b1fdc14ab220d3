/* memo.h: a worker's memory of replies it built, so that a reply asked again is sent without being
 * built again. Each entry is the bytes of one reply under a key the caller chooses ("article 12
 * clinician"), kept while the database is at the version it was built at and, when the entry says
 * so, until a time (a reply that changes when a date passes). A handful of slots, reused oldest
 * first. One memo belongs to one worker: no locking.
 */
#ifndef EVQA_MEMO_H
#define EVQA_MEMO_H

#include <stddef.h>

struct memo;

/* A new, empty memo, or NULL when memory is short. */
struct memo *memo_new(void);
void	 memo_free(struct memo *);

/* The bytes kept under key (*len set) when they were kept at database version version and their
 * time has not come (now, 'YYYY-MM-DDTHH:MM:SSZ', is before their until); else NULL. A version other
 * than the memo's drops every entry first. The bytes stay valid until the next memo_put or
 * memo_get with another version. Version 0 (unknown) never matches. */
const char *memo_get(struct memo *, unsigned long long version, const char *key, const char *now,
	    size_t *len);

/* Keeps a copy of bytes[0..len) under key for version version, until until (an ISO time as above,
 * or NULL: until the version changes). Returns 0, or -1 when memory is short or version is 0 (the
 * memo is left as it was, without this entry). */
int	 memo_put(struct memo *, unsigned long long version, const char *key, const char *bytes,
	    size_t len, const char *until);

#endif
