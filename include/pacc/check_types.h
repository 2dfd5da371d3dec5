/*
 * check_types: what Azure's resource type definitions require of the types
 * a pack hardens, and the checks that use it.
 *
 * The facts live in src/check/resource_types.def (one row per fact, taken
 * from what the Bicep compiler reports); this module reads them.  The
 * checker uses them so a hardening module that the compiler or Azure would
 * reject is a located error in the pack; the Bicep generator uses them for
 * the `name` parameter's length and the words that describe a resource.
 *
 * check_types() runs once per pack, after check_harden() has resolved the
 * harden blocks' types and inputs.  It reports, with located and coded
 * diagnostics (listed in grammar/README.md):
 *   E0414  a hardening module or child companion lacks a property its type requires
 *   E0415  a literal the type does not take (a closed set of values, a name's length)
 *   E0416  a user-assigned identity without the identities it names
 *   E0418  warning: `mode Indexed` on a policy whose `if` names a child type
 */
#ifndef PACC_CHECK_TYPES_H
#define PACC_CHECK_TYPES_H

#include "pacc/ast.h"
#include "pacc/diag.h"

#include <stdbool.h>
#include <stddef.h>

/* One resource type of the table; every string is static. */
struct check_type {
	const char *type;      /* Microsoft.Storage/storageAccounts */
	const char *noun;      /* storage account */
	unsigned name_min;     /* length limits of `name`; 0 when not known */
	unsigned name_max;
	const char *role_guid; /* the narrowest built-in role that writes it */
	const char *role_name; /* its display name */
};

/* The table's row for type (ignoring case), or NULL. */
const struct check_type *check_types_find(const char *type);

/*
 * The i-th property path type always requires ("sku.name", "kind"), in table
 * order, or NULL after the last (and for a type the table does not know).
 */
const char *check_types_need(const char *type, size_t i);

/*
 * The values a closed set allows at path of type, '|'-separated
 * ("premium|standard"), or NULL when the table states none.
 */
const char *check_types_allowed(const char *type, const char *path);

/*
 * Steps through a '|'-separated list of values: *len is the length of the
 * value at v; returns the next value, or NULL after the last.
 *   for (const char *v = values, *next; v; v = next) { next = check_types_value(v, &len); ... }
 */
const char *check_types_value(const char *v, size_t *len);

/*
 * True when a resource type has more than one segment (a child type such as
 * Microsoft.Storage/storageAccounts/blobServices): Azure Policy evaluates
 * those only in mode All, and their name in a policy is field('fullName').
 */
bool check_types_is_child(const char *type);

void check_types(struct ast_pack *pack, struct diag_engine *d);

#endif
