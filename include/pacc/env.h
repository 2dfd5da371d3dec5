/*
 * env: the manifest's environments resolved against the checked packs.
 *
 * env_resolve() turns each (environment, pack) pair into a struct
 * env_deploy: the effect every policy of the pack's initiative gets, the
 * value of every initiative parameter, the non-compliance messages, the
 * assignment's name at each scope it is made at, and the exemptions with
 * their names and the assignment they exempt from.  It reports, located in
 * the manifest (E1012-E1021, grammar/README.md): unknown policies,
 * recommendations, parameters and packs (with "did you mean"), effects a
 * policy does not allow, parameter values of the wrong type or outside the
 * allowed values, parameters without default that an environment leaves
 * out, expired exemptions (and, as a warning, ones that expire within
 * `warn-expiry-days`, naming the owner), explicit names too long for their
 * scope or with characters Azure refuses, names used twice at one scope,
 * and exemption scopes outside every assignment's scope.
 *
 * Safe defaults: an environment deploys with DoNotEnforce unless it says
 * `enforcement: Default`, and a policy that remediates (Modify,
 * DeployIfNotExists) gets Disabled unless the environment names its
 * effect.  A derived name is made to fit: `<pack>-<env>` lowercased, cut to
 * the limit with 8 hex digits of a hash when longer.
 *
 * Everything lives in the arena given; the manifest and packs must outlive it.
 */
#ifndef PACC_ENV_H
#define PACC_ENV_H

#include "pacc/arena.h"
#include "pacc/ast.h"
#include "pacc/diag.h"
#include "pacc/manifest.h"
#include "pacc/sb.h"

#include <stdbool.h>
#include <stddef.h>

/* Azure's limits on policy assignment names: 24 at management-group scope, 64 elsewhere. */
#define ENV_ASSIGNMENT_NAME_MAX_MG 24
#define ENV_NAME_MAX 64

/* One policy of the pack's initiative, in initiative order. */
struct env_policy {
	const struct ast_policy *policy;
	const char *ref_id;      /* policyDefinitionReferenceId */
	const char *effect;      /* the value of its effect parameter; NULL when the effect is fixed */
	bool effect_from_manifest; /* the environment named it (else the pack's or the safe default) */
	bool remediates;         /* Modify or DeployIfNotExists: needs the managed identity */
	const char *message;     /* non-compliance message, or NULL */
};

/* One parameter the initiative surfaces (first policy that declares the name). */
struct env_param {
	const struct ast_param *param;
	const struct ast_json *value; /* the environment's value, or NULL for the default */
	bool given;                   /* the environment names it (value NULL when it was wrong) */
};

/* An assignment of the initiative: at the environment's scope, or at each `assign` scope. */
struct env_target {
	const struct manifest_scope *scope;
	const char *name;
	struct src_span name_span; /* an explicit name's place, or the environment's */
};

struct env_exemption {
	const struct manifest_exemption *src;
	const char *name;
	const char *ref_id;     /* the exempted policy's reference id; NULL: the whole initiative */
	size_t target;          /* index of the assignment it exempts from */
	long days_left;         /* days from today to its expiry */
};

/* One pack deployed to one environment. */
struct env_deploy {
	const struct manifest_env *env;
	const struct ast_pack *pack;
	struct env_target *targets;
	size_t target_count;
	struct env_policy *policies;
	size_t policy_count;
	struct env_param *params;
	size_t param_count;
	struct env_exemption *exemptions;
	size_t exemption_count;
	const char *default_message; /* `messages: {default: ...}`, or NULL */
	bool enforce;                /* enforcementMode Default (else DoNotEnforce) */
	bool identity;               /* some remediating policy is on (not Disabled): the
				      * assignment needs a managed identity and its roles */
};

struct env_set {
	struct env_deploy *deploys; /* environment-major: every pack of env 1, then env 2, ... */
	size_t count;
};

/*
 * Resolves every environment of m for packs[0..n) (checked, with a
 * service).  today is days since 1970-01-01.  Returns true when no error
 * was reported; out is filled either way.
 */
bool env_resolve(const struct manifest *m, const struct ast_pack *const *packs, size_t n, long today,
		 struct arena *arena, struct diag_engine *d, struct env_set *out);

/* Today in days since 1970-01-01: from SOURCE_DATE_EPOCH when it is set to a
 * whole number of seconds, else from the clock. */
long env_today(void);

/*
 * Appends a name for text that fits max characters: text lowercased with
 * every character outside [a-z0-9-] turned into '-'; when longer than max,
 * its first max - 9 characters (trailing '-' dropped), '-', and 8 hex
 * digits of a hash of text.  Deterministic; never empty.
 */
void env_fit_name(struct sb *out, const char *text, size_t max);

#endif
