/*
 * check_alias: the rules that need the alias table (alias.h).
 *
 * check_alias() verifies every alias a pack names — `field` conditions,
 * `count field`, `where`, existence conditions, Modify and Append fields —
 * and every `harden ... set properties.<path>` (a property path of the
 * hardened type, matched against the default paths of the type's aliases).
 * It reports, with located diagnostics listed in grammar/README.md:
 *
 *   E0501  an unknown alias, with the closest aliases of the same type
 *          (or of the closest type) as "did you mean" help
 *   E0502  a `set` path that no alias of the hardened type reads
 *   E0503  a Modify operation on an alias Azure does not mark Modifiable
 *   E0504  warning: `mode Indexed` on a top-level type without tags or
 *          location support (Indexed skips it; the fix is `mode All`);
 *          child types are check_types' E0418
 *   E0505  warning: a namespace or type the table does not cover, so its
 *          aliases go unchecked (the lock file is stale or partial)
 *   E0506  warning: a hardened property that the pinned API version does
 *          not carry yet
 *
 * Where the table knows the API versions of a hardened property, the
 * Modify twin's derived guard (`greaterOrEquals(requestContext()
 * .apiVersion, '<governs at>')`) is lowered to the earliest version that
 * carries it, and a derived operation or condition takes the alias the
 * table names for the set path.  E0503, E0504 and E0506 need metadata only
 * the JSON export carries (a CSV table never raises them).
 *
 * Special field names (name, fullName, type, kind, location, id, identity.*,
 * tags, tags['x'], tags.x), template expressions, and the policies of a
 * Resource Provider mode (Microsoft.KeyVault.Data ...: data-plane aliases,
 * which no export lists) are not aliases and are left alone.  `[]` in an
 * alias is read as `[*]`.
 */
#ifndef PACC_CHECK_ALIAS_H
#define PACC_CHECK_ALIAS_H

#include "pacc/alias.h"
#include "pacc/ast.h"
#include "pacc/diag.h"

#include <stddef.h>

/* Runs the checks above on a parsed pack (run after check_harden, which derives the twins). */
void check_alias(struct ast_pack *pack, const struct alias_table *t, struct diag_engine *d);

/* A growing list of types, for the lock file. */
struct check_alias_types {
	const struct alias_type **items;
	size_t count, alloc;
};

/*
 * Adds to out the types of t that pack uses: the type of every alias it
 * names (or, for an unknown alias, the closest type), the governed,
 * hardened and related types, and the literals of `type` conditions.
 * Reports nothing and changes nothing in pack.  The caller frees out->items.
 */
void check_alias_collect(struct ast_pack *pack, const struct alias_table *t, struct check_alias_types *out);

#endif
