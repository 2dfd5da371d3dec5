/*
 * arena: bump allocation for everything that lives as long as one phase.
 *
 * An arena hands out blocks that are never freed one by one; arena_release()
 * frees them all at once.  Allocation failure aborts the process through
 * die_oom(), the one place pacc gives up on memory.
 *
 * Under the sanitizer build (PACC_ARENA_MALLOC defined) every allocation is
 * its own malloc() so AddressSanitizer sees overflows between objects.
 */
#ifndef PACC_ARENA_H
#define PACC_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head; /* newest chunk first; NULL when empty */
	size_t total;             /* bytes handed out, for statistics */
};

#define ARENA_INIT { NULL, 0 }

void arena_init(struct arena *a);
/* Frees every block the arena handed out; the arena may be used again. */
void arena_release(struct arena *a);

/* Zeroed memory of n bytes, aligned for any object type.  Never NULL. */
void *arena_alloc(struct arena *a, size_t n);
/* The same, not zeroed: for memory the caller fills at once (strings). */
void *arena_alloc_uninit(struct arena *a, size_t n);
/* Zeroed array of count objects of size bytes, overflow-checked. */
void *arena_calloc(struct arena *a, size_t count, size_t size);
/* A NUL-terminated copy of the n bytes at s (which need not be terminated). */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* printf into arena memory. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints "pacc: out of memory" and aborts.  Every allocation failure ends here. */
_Noreturn void die_oom(void);

/* malloc/realloc that die_oom() on failure; for code outside arenas. */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
void *xcalloc(size_t count, size_t size);

#define ARENA_NEW(a, type) ((type *)arena_alloc((a), sizeof(type)))
#define ARENA_NEW_ARRAY(a, type, n) ((type *)arena_calloc((a), (n), sizeof(type)))

#endif
