/*
 * ealias: the alias table of alias.h as the evaluator's resolver.
 *
 * ealias_resolver() fills a struct eval_aliases whose resolve() looks an
 * alias up by name, ignoring case as Azure does ("[*]" aliases are names of
 * their own: "Microsoft.Network/networkSecurityGroups/securityRules[*].
 * access" reads "properties.securityRules[*].properties.access"), and
 * answers the path of the `paths` entry that lists the request's API
 * version, else the default path.  An alias the table does not know comes
 * back NULL, so the evaluator falls back to eval_alias_fallback() and says
 * so in the trace.
 *
 * The resolver borrows the table: the table must outlive every policy
 * compiled with it (the paths it answers point into the table's arena).
 */
#ifndef PACC_EALIAS_H
#define PACC_EALIAS_H

#include "pacc/alias.h"
#include "pacc/eval.h"

/* Sets *out to resolve through t (finished, see alias_table_finish). */
void ealias_resolver(struct eval_aliases *out, const struct alias_table *t);

#endif
