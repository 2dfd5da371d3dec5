/*
 * etmpl: the values a policy writes where Azure evaluates template
 * expressions (a condition's value, a parameter default, a Modify value):
 * compiled once per policy, evaluated once per run.
 *
 * A template is a constant, a whole-string expression ("[concat(...)]"),
 * or a container with expression strings below it; "[[x]" is the literal
 * "[x]" everywhere.  Compiled templates live in the policy's arena, except
 * `constant`, a cJSON tree the compiled policy adopts and deletes.  The
 * values ev_tmpl_eval() returns are borrowed: they belong to the policy or
 * to the run (ectx_keep, eval_ctx.h).  The names keep the ev_ prefix of
 * the evaluator's shared context.
 */
#ifndef PACC_ETMPL_H
#define PACC_ETMPL_H

#include "pacc/arena.h"
#include "pacc/armexpr.h"
#include "pacc/ast.h"

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stddef.h>

struct ev_ctx;

/* A value as written in the policy: a constant, or a template expression
 * (a whole "[...]" string), or a container with expressions inside. */
struct ev_tmpl {
	cJSON *constant;       /* the value with "[[" literals unescaped (owned by the policy) */
	struct armexpr *expr;  /* a whole-string expression, else NULL */
	const char *text;      /* the expression's source text */
	bool nested;           /* constant holds expression strings below it */
};

/* Compiles an ast_json into a template (arena a); NULL with *err (and
 * *err_offset) when an expression in it does not parse. */
struct ev_tmpl *ev_tmpl_compile(struct arena *a, const struct ast_json *j, const char **err,
				size_t *err_offset);

/* Compiles an expression string into a template. */
struct ev_tmpl *ev_tmpl_string(struct arena *a, const char *s, const char **err,
			       size_t *err_offset);

/* Evaluates a template (constant or expression) in the run c; NULL after
 * an error (ectx_fail was called). */
const cJSON *ev_tmpl_eval(struct ev_ctx *c, const struct ev_tmpl *t);

#endif
