/*
 * gen_bicep: Bicep from a checked pack.
 *
 * For a pack with a service, gen_bicep_pack() adds to out:
 *
 *   bicep/guardrails.bicep            targetScope = 'managementGroup'
 *   bicep/guardrails.sub.bicep        the same deployment, targetScope = 'subscription'
 *   bicep/guardrails.parameters.json  ARM parameters file that suits both
 *   bicep/<slug>.bicep                a hardening module per hardened type
 *                                     (gen_bicep_module.h)
 *
 * The guardrails deploy every `enforce` policy definition (read from the
 * JSON generator's policies/<name>.json with loadJsonContent), the pack's
 * initiative (groups and parameters from initiative.json; its references
 * point at the definitions this template deploys), one assignment of the
 * initiative, and one role assignment per role the Modify and
 * DeployIfNotExists policies name in roleDefinitionIds.  The subscription
 * variant is a second file rather than a switch because targetScope must
 * be a literal.  A pack without a service (a policy library) gets nothing.
 *
 * Output is plain Bicep accepted since 0.20: single-quoted escaped strings
 * (bicep_str.h), one declaration per line, @description on every param.
 * The generator reports no errors; it trusts the checker.
 */
#ifndef PACC_GEN_BICEP_H
#define PACC_GEN_BICEP_H

#include "pacc/ast.h"
#include "pacc/output.h"
#include "pacc/sb.h"

/* Longest policy assignment name Azure accepts at management-group scope. */
#define GEN_BICEP_ASSIGNMENT_NAME_MAX 24

void gen_bicep_pack(const struct ast_pack *pack, struct output_set *out);

/*
 * Appends the assignment name for a pack: the pack name lowercased, with
 * every character outside [a-z0-9-] turned into '-'; when that is longer
 * than GEN_BICEP_ASSIGNMENT_NAME_MAX, its first 15 characters, '-', and 8
 * hex digits of a hash of the whole pack name (so two long names that share
 * a prefix still differ).  Deterministic; never empty.
 */
void gen_bicep_assignment_name(struct sb *out, const char *pack_name);

#endif
