/*
 * eval: an offline Azure Policy evaluator.
 *
 * Given one checked policy (a pack's `enforce`/`policy`, or an imported
 * Azure Policy JSON definition), parameter values, a request context and the
 * ARM JSON of a resource, eval_policy() decides what Azure would: whether
 * the policy applies (mode, type/name/kind conditions), the value of `if`,
 * the effect, the existence check of AuditIfNotExists/DeployIfNotExists
 * against the related resources supplied, and for Modify/Append the
 * resource after the operations.  grammar/README.md ("Evaluation") lists the
 * semantics chosen where the documentation is silent; each such choice is
 * named in the trace when it decides a result.
 *
 * Usage: eval_policy_compile() once per policy (it parses every expression
 * and field path), then eval_run() per resource.  A compiled policy borrows
 * the policy's AST and must not outlive its pack's arena.  Results own their
 * memory: eval_result_release().
 *
 * Errors: a template function pacc does not implement, an expression that
 * fails (a wrong argument type, a parameter without value) or a malformed
 * field make the run an EVAL_ERROR with a message naming the cause; Azure
 * treats a failed evaluation as an implicit deny.
 */
#ifndef PACC_EVAL_H
#define PACC_EVAL_H

#include "pacc/ast.h"
#include "pacc/source.h"

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stddef.h>

/*
 * Alias resolution: the JSON path (e.g. "properties.minimumTlsVersion") of
 * alias for the request's API version, or NULL when the table does not know
 * it.  Without a resolver, or when it returns NULL, eval_alias_fallback()
 * is used; the trace says which.  The returned string must live as long as
 * the compiled policy.  ealias.h makes one from an alias table.
 */
struct eval_aliases {
	const char *(*resolve)(const void *ctx, const char *alias, const char *api_version);
	const void *ctx;
};

/*
 * The path an alias stands for when no table knows it, appended to out as
 * a NUL-terminated arena string: the resource type before the last '/' is
 * dropped, path segments that start with an upper-case letter (polymorphic
 * discriminators such as "Managed." in
 * "Microsoft.DataFactory/factories/integrationRuntimes/Managed.state") are
 * dropped, and the rest goes under "properties." unless it starts with a
 * top-level ARM property (sku, zones, managedBy, identity, kind, location,
 * tags, plan, extendedLocation).  A field
 * without a '/' is a plain path and comes back as written.
 */
const char *eval_alias_fallback(struct arena *a, const char *alias);

enum eval_compliance {
	EVAL_COMPLIANT,      /* evaluated; no finding */
	EVAL_NON_COMPLIANT,  /* evaluated; the effect fires */
	EVAL_NOT_APPLICABLE, /* mode, type or a false `if` of an *IfNotExists policy */
	EVAL_ERROR,          /* evaluation failed (message in the result) */
};

/* "Compliant", "NonCompliant", "NotApplicable", "Error". */
const char *eval_compliance_name(enum eval_compliance c);

/* One step of the trace: a condition that decided the result, or a note. */
struct eval_step {
	char *what;            /* e.g. "field 'Microsoft.X/y/z' (properties.z) notEquals" */
	char *actual;          /* JSON text of the value found; "<missing>" when absent */
	char *expected;        /* JSON text of the operand, or NULL */
	char *note;            /* a semantic choice that decided it, or NULL */
	bool result;           /* the condition's value */
	int depth;             /* nesting: 0 for the `if`, +1 per count/existence level */
	struct src_span span;  /* the condition in the pack; span.src NULL for JSON input */
};

struct eval_result {
	bool applicable;
	bool if_value;
	char *effect;                /* the effect as resolved, in the rule's spelling; NULL on error */
	enum eval_compliance compliance;
	struct eval_step *steps;     /* in evaluation order, only the deciding ones */
	size_t step_count, step_alloc;
	char *reason;                /* one sentence a user can act on */
	char *error;                 /* EVAL_ERROR: what failed */
	cJSON *modified;             /* Modify/Append: the resource after the operations, or NULL */
	bool existence_checked;      /* *IfNotExists: the related resources were looked at */
	bool existence;              /* *IfNotExists: some related resource satisfied the check */
};

void eval_result_release(struct eval_result *r);

/* What one run is given.  Every pointer is borrowed for the run only. */
struct eval_input {
	const cJSON *resource;        /* the ARM JSON of the resource */
	const cJSON *parameters;      /* {"p": v} or {"p": {"value": v}}; NULL: defaults only */
	const char *api_version;      /* requestContext().apiVersion; NULL: see eval_run */
	const cJSON *const *related;  /* candidate related resources for *IfNotExists */
	size_t related_count;
	const char *now;              /* utcNow(), "yyyy-MM-ddTHH:mm:ss.fffffffZ"; NULL: the clock */
	bool trace;                   /* record steps (bulk runs turn it off) */
};

struct eval_policy;

/*
 * Compiles pol (checked) for evaluation: parses field paths through aliases
 * (may be NULL) and every expression.  default_api_version (may be NULL) is
 * the request API version when a run gives none (a pack passes the
 * `governs ... at` version of the type).  Returns NULL with *error set (a
 * malloc'd message) when an expression does not parse.
 */
struct eval_policy *eval_policy_compile(const struct ast_policy *pol,
					const struct eval_aliases *aliases,
					const char *default_api_version, char **error);
void eval_policy_free(struct eval_policy *ep);

/*
 * True when a resource of type cannot make ep's `if` true because a
 * conjunct of `if` (at its top, or inside nested allOf) is `type equals X`
 * or `type in [...]` with a constant that type fails.  Such a resource is
 * NotApplicable under every effect, so a bulk run may skip eval_run().
 */
bool eval_policy_type_excluded(const struct eval_policy *ep, const char *type);

/* The policy ep was compiled from. */
const struct ast_policy *eval_policy_ast(const struct eval_policy *ep);

/*
 * Evaluates ep against in->resource into *out (initialised here).  Without
 * an API version the request is taken as a compliance scan, which Azure runs
 * with the latest API version: the compile-time default, else "9999-12-31"
 * (said in the trace).  Never fails hard: errors become EVAL_ERROR.
 */
void eval_run(const struct eval_policy *ep, const struct eval_input *in, struct eval_result *out);

/*
 * Wraps JSON text holding a policy definition in any of the accepted forms
 * (the {name, id, properties} envelope, a bare properties object, or a bare
 * {"if", "then"} rule) into the envelope `pacc import` reads.  Returns a
 * malloc'd JSON text, or NULL when text is not JSON or none of those forms.
 */
char *eval_definition_envelope(const char *text, size_t len, const char *name);

#endif
