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

/*
 * The pieces of the guardrails that the environment deployments
 * (gen_env_bicep.h) share: a plan of one pack's definitions, initiative
 * parameters, roles and Bicep identifiers, made once per pack.
 *
 * gen_bicep_plan_new: the plan of a checked pack with a service (free with
 * gen_bicep_plan_free).  gen_bicep_add_definitions: appends the
 * loadJsonContent variables (`initiativeJson`, one per definition), every
 * definition resource and the `initiative` resource, as guardrails.bicep
 * has them; the file must live in bicep/ next to guardrails.bicep.
 * gen_bicep_plan_role: the i-th distinct role GUID (lowercase) the
 * remediating policies name.  gen_bicep_plan_ident: appends a Bicep
 * identifier made from text that no other name of the file uses.
 */
struct gen_bicep_plan;
struct gen_bicep_plan *gen_bicep_plan_new(const struct ast_pack *pack);
void gen_bicep_plan_free(struct gen_bicep_plan *p);
void gen_bicep_add_definitions(struct sb *b, const struct ast_pack *pack,
			       const struct gen_bicep_plan *p);
size_t gen_bicep_plan_role_count(const struct gen_bicep_plan *p);
const char *gen_bicep_plan_role(const struct gen_bicep_plan *p, size_t i);
void gen_bicep_plan_ident(struct gen_bicep_plan *p, struct sb *out, const char *text);

#endif
