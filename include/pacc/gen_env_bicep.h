/*
 * gen_env_bicep: the Bicep one `az deployment mg|sub create` (or what-if)
 * needs to deploy one pack to one environment of the manifest (env.h).
 *
 * gen_env_bicep_pack() adds to out, for every environment of deploys that
 * concerns pack:
 *
 *   bicep/deploy-<env>.bicep       targetScope = the environment's scope kind:
 *                                  the definitions and the initiative (as in
 *                                  guardrails.bicep), one assignment per
 *                                  target scope with the environment's
 *                                  effects, parameters, enforcement mode,
 *                                  not-scopes, messages and, when a
 *                                  remediating policy is on, a managed
 *                                  identity with its role assignments; and
 *                                  the exemptions
 *   bicep/deploy-<env>.bicepparam  `using` that file: enforcementMode, location
 *
 * and, once, the modules those files call (only the kinds used):
 *
 *   bicep/modules/assignment-<mg|sub|rg>.bicep  an assignment and its roles
 *   bicep/modules/exemption-<mg|sub|rg>.bicep   one policy exemption
 *
 * Each module is its own file because a Bicep file's targetScope is a
 * literal and an assignment below the deployment's scope needs a module at
 * that scope.  Plain Bicep (see gen_bicep.h); deterministic.  The deploys
 * were resolved without errors; nothing is reported here.
 */
#ifndef PACC_GEN_ENV_BICEP_H
#define PACC_GEN_ENV_BICEP_H

#include "pacc/ast.h"
#include "pacc/env.h"
#include "pacc/output.h"

void gen_env_bicep_pack(const struct ast_pack *pack, const struct env_set *deploys,
			struct output_set *out);

#endif
