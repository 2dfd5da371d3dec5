/*
 * epath: field paths into ARM resource JSON, the way Azure Policy reads them.
 *
 * A path is what an alias stands for ("properties.networkAcls.ipRules[*].value")
 * or what a policy writes directly ("tags['cost-center']", "sku.name"):
 * member names separated by '.', and brackets holding `*` (every element),
 * a number (one element) or a member name, quoted ('a.b', with '' for a
 * quote) or not (tags[tag.with.dots]).  Member names match ignoring case.
 *
 * Paths live in the arena they were parsed into.
 */
#ifndef PACC_EPATH_H
#define PACC_EPATH_H

#include "pacc/arena.h"

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stddef.h>

enum epath_kind {
	EPATH_KEY,   /* .name or ['name'] */
	EPATH_INDEX, /* [3] */
	EPATH_ALL,   /* [*] */
};

struct epath_seg {
	enum epath_kind kind;
	const char *key; /* EPATH_KEY */
	long index;      /* EPATH_INDEX */
};

struct epath {
	struct epath_seg *segs;
	size_t count;
	size_t wildcards; /* number of EPATH_ALL segments */
};

/* Parses text; false (with *err a static message) when it is malformed. */
bool epath_parse(struct arena *a, const char *text, struct epath *out, const char **err);

/* True when the first n segments of a and b are the same (keys ignoring case). */
bool epath_prefix_equal(const struct epath *a, const struct epath *b, size_t n);

/* Index just past the k-th (1-based) EPATH_ALL segment of p; 0 when none. */
size_t epath_wildcard_end(const struct epath *p, size_t k);

/*
 * Visits every value the segments [from, count) of p select below root, in
 * document order.  A missing member or an out-of-range index visits NULL
 * (missing) once, unless it lies below a `[*]` whose array is missing or not
 * an array, which selects nothing (an empty collection) and sets
 * *empty_missing.  `[*]` over an empty array selects nothing.  chain[i]
 * receives the element chosen at the i-th `[*]` of p counted from `from`.
 * fn returns false to stop early.  Returns false when stopped.
 */
typedef bool (*epath_visit_fn)(void *ctx, const cJSON *value, const cJSON *const *chain,
			       size_t depth);
bool epath_select(const struct epath *p, size_t from, const cJSON *root, epath_visit_fn fn,
		  void *ctx, bool *empty_missing);

/* The single value a path without `[*]` selects, or NULL when missing. */
const cJSON *epath_get(const struct epath *p, const cJSON *root);

#endif
