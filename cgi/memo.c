/* memo.c: see memo.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memo.h"

#define MEMO_SLOTS	64
#define MEMO_KEY	64	/* longer keys are refused: the caller's keys are short */
#define MEMO_TIME	21

struct memo_entry {
	char	 key[MEMO_KEY];		/* "" when the slot is free */
	char	 until[MEMO_TIME];	/* "" for no time limit */
	char	*bytes;
	size_t	 len;
};

struct memo {
	unsigned long long version;	/* of every entry; 0 when empty */
	unsigned int	 next;		/* slot to reuse next */
	struct memo_entry e[MEMO_SLOTS];
};

struct memo *
memo_new(void)
{
	return calloc(1, sizeof(struct memo));
}

static void
memo_clear(struct memo *m)
{
	for (int i = 0; i < MEMO_SLOTS; i++) {
		free(m->e[i].bytes);
		memset(&m->e[i], 0, sizeof(m->e[i]));
	}
	m->next = 0;
}

void
memo_free(struct memo *m)
{
	if (m == NULL)
		return;
	memo_clear(m);
	free(m);
}

const char *
memo_get(struct memo *m, unsigned long long version, const char *key, const char *now, size_t *len)
{
	if (m == NULL || version == 0)
		return NULL;
	if (version != m->version) {
		memo_clear(m);
		m->version = version;
		return NULL;
	}
	for (int i = 0; i < MEMO_SLOTS; i++) {
		const struct memo_entry *e = &m->e[i];

		if (e->key[0] == '\0' || strcmp(e->key, key) != 0)
			continue;
		if (e->until[0] != '\0' && strcmp(now, e->until) >= 0)
			return NULL;
		*len = e->len;
		return e->bytes;
	}
	return NULL;
}

int
memo_put(struct memo *m, unsigned long long version, const char *key, const char *bytes, size_t len,
    const char *until)
{
	struct memo_entry *e = NULL;
	char	*copy;

	if (m == NULL || version == 0 || strlen(key) >= MEMO_KEY || (until != NULL &&
	    strlen(until) >= MEMO_TIME))
		return -1;
	if (version != m->version) {
		memo_clear(m);
		m->version = version;
	}
	if ((copy = malloc(len + 1)) == NULL)
		return -1;
	memcpy(copy, bytes, len);
	copy[len] = '\0';
	for (int i = 0; i < MEMO_SLOTS && e == NULL; i++)	/* the key's own slot, when kept already */
		if (strcmp(m->e[i].key, key) == 0)
			e = &m->e[i];
	if (e == NULL) {
		e = &m->e[m->next];
		m->next = (m->next + 1) % MEMO_SLOTS;
	}
	free(e->bytes);
	snprintf(e->key, sizeof(e->key), "%s", key);
	snprintf(e->until, sizeof(e->until), "%s", until ? until : "");
	e->bytes = copy;
	e->len = len;
	return 0;
}
