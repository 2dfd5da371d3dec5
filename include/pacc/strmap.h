/*
 * strmap: a hash index from (namespace, string) to a pointer, so that
 * lookups by name cost O(1) instead of a walk of a list.
 *
 * The checker and the importer use it wherever a name is looked up among
 * items whose number grows with the input (parameters of one policy, inputs
 * of a service, paths of `set`), which keeps those passes linear.
 *
 * Keys are borrowed: the bytes must outlive the map.  The namespace is an
 * opaque pointer compared by address (NULL is a namespace like any other),
 * so one map can hold the names of many scopes.  With fold_case, keys that
 * differ only in ASCII case are the same key.  Iteration order is never
 * exposed, so nothing generated can depend on hash order.
 */
#ifndef PACC_STRMAP_H
#define PACC_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
	const void *ns;
	const char *key; /* NULL: an empty slot */
	size_t len;
	uint64_t hash;
	void *value;
};

struct strmap {
	struct strmap_slot *slots; /* cap slots, cap a power of two (or 0) */
	size_t cap, count;
	bool fold_case;
};

#define STRMAP_INIT(fold) { NULL, 0, 0, (fold) }

/*
 * The value slot of (ns, key[0..len)), added with value NULL when missing;
 * *added (when not NULL) tells which.  The pointer is valid until the next
 * call that adds a key.
 */
void **strmap_slot(struct strmap *m, const void *ns, const char *key, size_t len, bool *added);
/* The value of (ns, key[0..len)), or NULL when missing. */
void *strmap_get(const struct strmap *m, const void *ns, const char *key, size_t len);
/* Frees the table; the map may be used again. */
void strmap_release(struct strmap *m);

#endif
