/* arena.c: per-request memory (see arena.h). */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "log.h"
#include "util.h"

struct arena_block {
	struct arena_block *next;
	max_align_t	 data[];
};

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b;

	if (n > (size_t)-1 - sizeof(*b) || (b = evqa_malloc(sizeof(*b) + n)) == NULL) {
		log_warnx("request: out of memory (%zu bytes)", n);
		return NULL;
	}
	b->next = a->head;
	a->head = b;
	return b->data;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	size_t	 n;
	char	*p;

	static _Thread_local char empty[1];

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	if ((p = arena_alloc(a, n)) == NULL) {
		empty[0] = '\0';
		return empty;
	}
	memcpy(p, s, n);
	return p;
}

void *
arena_grow(struct arena *a, void *v, int n, int *cap, size_t size)
{
	int	 ncap = *cap > 0 ? *cap * 2 : 16;
	void	*nv;

	if (n < *cap)
		return v;
	if ((size_t)ncap > (size_t)-1 / size || (nv = arena_alloc(a, (size_t)ncap * size)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(nv, v, (size_t)n * size);
	*cap = ncap;
	return nv;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}
