/*
 * gen_json: Azure Policy JSON from a checked pack.
 *
 * Writes, into out, one "policies/<name>.json" per policy definition, and
 * "initiative.json" for a pack with a service (its sections become
 * policyDefinitionGroups) or "initiatives/<name>.json" per declared
 * initiative.  JSON is built with cJSON and printed with two-space
 * indentation, LF line ends and a final newline; member order is fixed.
 */
#ifndef PACC_GEN_JSON_H
#define PACC_GEN_JSON_H

#include "pacc/ast.h"
#include "pacc/output.h"

void gen_json_pack(const struct ast_pack *pack, struct output_set *out);

/*
 * The names the JSON files give a policy, for the generators that refer to
 * them (the Bicep files point at the same definitions).  Both return
 * strings the caller does not free: the pack's (arena) or static.
 *
 * gen_json_policy_name: the definition's name and file stem
 * ("policies/<name>.json"): the checker's resolved name.
 * gen_json_reference_id: the policyDefinitionReferenceId of an `enforce`
 * policy in the pack's initiative: its name without the "<pack>-" prefix.
 */
const char *gen_json_policy_name(const struct ast_policy *p);
const char *gen_json_reference_id(const struct ast_pack *pack, const struct ast_policy *p);

#endif
