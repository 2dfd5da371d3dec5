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

#endif
