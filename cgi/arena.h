/* arena.h: memory that lives as long as one piece of work (a request, a command) and is freed
 * at once at its end. Nothing allocated from an arena is freed alone. */
#ifndef EVQA_ARENA_H
#define EVQA_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
};

/* n bytes aligned for any type, or NULL when memory is short (logged). */
void	*arena_alloc(struct arena *a, size_t n);
/* A copy of s, or NULL for NULL; when memory is short, an empty string (logged), never NULL for
 * text: whoever owns the arena answers the work as failed (see req_alloc). */
char	*arena_strdup(struct arena *a, const char *s);
/* Makes room for one more element of size bytes in the array v of n elements with room for *cap:
 * returns v when n < *cap, else a copy twice as large (the first 16) in the arena, the old one left
 * to it, and sets *cap; NULL when memory is short. */
void	*arena_grow(struct arena *a, void *v, int n, int *cap, size_t size);
/* Frees every allocation; the arena can be used again. */
void	 arena_free(struct arena *a);

#endif
