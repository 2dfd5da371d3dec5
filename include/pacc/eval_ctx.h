/*
 * eval_ctx: what the evaluator's modules share during one run — the
 * compiled forms of fields and values, and the run context that template
 * functions (efunc), conditions (eval) and Modify/Append (emodify) read.
 *
 * Ownership: compiled forms live in the compiled policy's arena; values a
 * run creates are cJSON trees registered with ectx_keep() and deleted when
 * the run ends, so every `const cJSON *` a function returns is borrowed.
 * A registered tree is never attached to another tree: containers that hold
 * it get a reference (cJSON_CreateObjectReference and friends) or a copy.
 */
#ifndef PACC_EVAL_CTX_H
#define PACC_EVAL_CTX_H

#include "pacc/arena.h"
#include "pacc/armexpr.h"
#include "pacc/ast.h"
#include "pacc/epath.h"
#include "pacc/etmpl.h"
#include "pacc/eval.h"

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stddef.h>

enum ev_field_kind {
	EV_FIELD_PATH,     /* an alias or a plain path, resolved to path */
	EV_FIELD_FULLNAME, /* fullName: from the id */
	EV_FIELD_EXPR,     /* a computed field name: "[concat('tags[', ...)]" */
};

/* How a field's path was found (the trace says it). */
enum ev_field_resolution {
	EV_RESOLVED_PLAIN,     /* a plain path or special name, read as written */
	EV_RESOLVED_TABLE,     /* an alias found in the alias table */
	EV_RESOLVED_NOT_LISTED, /* an alias the table given does not know: eval_alias_fallback */
	EV_RESOLVED_NO_TABLE,  /* an alias without a table: eval_alias_fallback */
};

struct ev_field {
	enum ev_field_kind kind;
	const char *text;        /* as written */
	const char *resolved;    /* the JSON path */
	struct epath path;
	bool location;           /* the special name location: values are normalised */
	enum ev_field_resolution resolution;
	struct ev_tmpl *expr;    /* EV_FIELD_EXPR */
};

/* A count or current() binding: inside `where`, path prefix -> element. */
struct ev_binding {
	struct ev_binding *up;
	const struct epath *prefix; /* field count: the counted path */
	size_t prefix_len;          /* segments of prefix that are bound */
	const char *name;           /* value count: the iteration name ("default" when none) */
	const cJSON *value;         /* the current element */
};

struct eval_policy;

struct ev_ctx {
	const struct eval_policy *ep;
	const cJSON *resource;        /* what field conditions read */
	const cJSON *if_resource;     /* what field() reads (the `if` resource) */
	const cJSON **param_values;   /* per parameter of the policy, NULL: no value */
	const char *api_version;
	const char *now;
	struct ev_binding *bindings;
	struct arena *scratch;        /* per run */
	cJSON **kept;
	size_t kept_count, kept_alloc;
	char *error;                  /* first failure (malloc'd), or NULL */
	struct eval_result *result;
	int depth;                    /* trace depth */
	int quiet;                    /* > 0: inside count.where, no trace steps */
};

/* Registers v (a fresh tree) to be deleted at the end of the run; returns v. */
const cJSON *ectx_keep(struct ev_ctx *c, cJSON *v);
/* Records the first error of the run (printf-style); later ones are dropped. */
void ectx_fail(struct ev_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Resolves f (a compiled field) for one run: the path to read.  For
 * EV_FIELD_EXPR the name is computed, so this may fail (NULL). */
const struct ev_field *ev_field_for_run(struct ev_ctx *c, const struct ev_field *f);

/* Parses a field as written into f (arena a), resolving aliases. */
bool ev_field_parse(struct arena *a, const struct eval_policy *ep, const char *text,
		    struct ev_field *f, const char **err);

/* The values a field selects for the current resource, honouring bindings:
 * calls fn per value (see epath_select). */
bool ev_field_select(struct ev_ctx *c, const cJSON *root, const struct ev_field *f,
		     epath_visit_fn fn, void *fctx, bool *empty_missing);

/* Evaluates a parsed expression; NULL after an error (ectx_fail was called). */
const cJSON *efunc_eval(struct ev_ctx *c, const struct armexpr *e, const char *text);

/* The value of parameter name for the run, or NULL (no such parameter or no value). */
const cJSON *ev_param(struct ev_ctx *c, const char *name, bool *known);

/* The ipRangeContains rule: true when target lies within range (both an IP,
 * a CIDR or "a-b"); false with *err when either is malformed or the address
 * families differ. */
bool efunc_ip_range_contains(const char *range, const char *target, const char **err);

/*
 * Applies the Modify operations or Append entries of pol to a copy of the
 * run's resource; returns the new resource (registered with the context),
 * or NULL after an error.  *conflict is set with a reason when Append would
 * overwrite a value (Azure then denies).
 */
const cJSON *emodify_apply(struct ev_ctx *c, const struct ast_policy *pol,
			   const struct ev_tmpl *const *values, const struct ev_field *fields,
			   const struct ev_tmpl *const *conditions, size_t count, const char **conflict);

#endif
