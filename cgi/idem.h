/* idem.h: the idempotency store (idem.c): the first reply to a request that carried an
 * Idempotency-Key, kept in the idempotency table under the client's scope and the key. It stores
 * plain values (a status, some header values, a body); what they mean is api_idem.c's. */
#ifndef EVQA_IDEM_H
#define EVQA_IDEM_H

struct arena;
struct db;

/* A kept reply. Strings belong to the arena; any may be NULL but body, which may be "". */
struct idem_reply {
	int		 status;
	const char	*location, *etag, *cache, *body;
};

/* What idem_claim() found. */
enum idem_claim {
	IDEM_CLAIMED,		/* the key was new: it is claimed for this request */
	IDEM_RELEASED,		/* it was released meanwhile: the request may be sent again */
	IDEM_OTHER_REQUEST,	/* it was claimed for another request (request differs) */
	IDEM_PENDING,		/* the first request with it is still being handled */
	IDEM_KEPT,		/* the reply to the same request is in *out */
	IDEM_FAILED,		/* the database failed */
};

/* Forgets keys claimed before purge_before (ISO time), then claims key in scope for request (a hash of
 * it) at now, or finds who holds it. */
enum idem_claim idem_claim(struct db *db, struct arena *ar, const char *scope, const char *key,
	    const char *request, const char *now, const char *purge_before, struct idem_reply *out);

/* Keeps the reply to a claimed key (body: len bytes). Returns 0, or -1 (the key stays claimed). */
int	 idem_keep(struct db *db, const char *scope, const char *key, const struct idem_reply *reply, size_t len);

/* Releases a claimed key that keeps no reply. */
void	 idem_release(struct db *db, const char *scope, const char *key);

#endif
