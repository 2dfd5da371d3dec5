/*
 * check_proof: compliant by construction.
 *
 * check_proof() evaluates, for every resource type the pack hardens, the
 * hardening module's resource (a minimal resource of the type with every
 * `harden ... set` of that type applied; an `input.NAME` value stands in as
 * the input's default, or a placeholder of its type) against every policy
 * of the pack that governs the type (except *IfNotExists policies, whose
 * related resources are companions).  A non-compliant result whose
 * deciding conditions read a path some `set` writes is E0516 at that `set`,
 * with a note at the condition; a policy whose deciding conditions read no
 * `set` path is one the module makes no claim about, and is not reported.
 *
 * Then each Modify twin (`harden ... remediate modify`) is applied to a
 * minimal resource of its type that the recommendation's audit policies
 * find non-compliant, and the result must be compliant with them (E0516 at
 * the `remediate`, with a note at the audit's deciding condition).
 *
 * Policies are evaluated with aliases resolved through the pack's alias
 * table when there is one (NULL: paths guessed from alias names, see
 * eval_alias_fallback).
 *
 * Runs after every other check, only on a pack without errors.
 */
#ifndef PACC_CHECK_PROOF_H
#define PACC_CHECK_PROOF_H

#include "pacc/alias.h"
#include "pacc/ast.h"
#include "pacc/diag.h"

void check_proof(const struct ast_pack *pack, const struct alias_table *aliases, struct diag_engine *d);

#endif
