/*
 * armexpr: ARM template expressions, the `"[...]"` strings of Azure Policy.
 *
 * A JSON string is an expression when it starts with '[' and ends with ']'
 * and does not start with "[[" (which Azure reads as a literal string that
 * begins with one '[').  armexpr_parse() turns one such string into a small
 * tree so the checker can find parameter references and report malformed
 * expressions at the byte where they go wrong.
 *
 * The grammar accepted (whitespace allowed between tokens):
 *
 *   expression := primary postfix*
 *   primary    := NAME '(' [expression (',' expression)*] ')'   function call
 *               | '\'' chars '\''                               string, '' is a quote
 *               | ['-'] DIGITS                                  integer
 *   postfix    := '.' NAME                                      property access
 *               | '[' expression ']'                            indexer
 *
 * Bare words are not literals: `true()`, `false()` and `null()` are
 * functions in ARM.  Nesting (calls, indexers, property chains) is capped at
 * ARMEXPR_MAX_DEPTH levels so hostile input cannot exhaust the stack.
 *
 * Nodes live in the arena passed to armexpr_parse(); names and string
 * values are NUL-terminated arena copies.  Offsets count bytes from the
 * start of the whole string, opening '[' included.
 */
#ifndef PACC_ARMEXPR_H
#define PACC_ARMEXPR_H

#include "pacc/arena.h"
#include "pacc/sb.h"

#include <stdbool.h>
#include <stddef.h>

/* Deepest nesting armexpr_parse() accepts (a documented limit). */
#define ARMEXPR_MAX_DEPTH 64

enum armexpr_kind {
	ARMEXPR_CALL,     /* name(args...) */
	ARMEXPR_STRING,   /* 'text', value unescaped */
	ARMEXPR_NUMBER,   /* an integer literal, optionally negative */
	ARMEXPR_PROPERTY, /* object.name */
	ARMEXPR_INDEX,    /* object[index] */
};

struct armexpr {
	enum armexpr_kind kind;
	size_t begin, end;    /* byte range [begin, end) within the string */
	struct armexpr *next; /* next argument of the enclosing call */
	union {
		struct {
			const char *name;
			struct armexpr *args; /* linked through next */
			size_t argc;
		} call;                       /* ARMEXPR_CALL */
		struct {
			const char *s;
			size_t len;
		} string;                     /* ARMEXPR_STRING */
		struct {
			const char *text;     /* as written */
			long long value;      /* saturated on overflow */
		} number;                     /* ARMEXPR_NUMBER */
		struct {
			struct armexpr *object;
			const char *name;
		} property;                   /* ARMEXPR_PROPERTY */
		struct {
			struct armexpr *object;
			struct armexpr *index;
		} index;                      /* ARMEXPR_INDEX */
	} u;
};

/* Where and why a string failed to parse; message is static, lowercase. */
struct armexpr_error {
	size_t offset;
	const char *message;
};

/* True when s (len bytes) is an expression by the rule above. */
bool armexpr_is_expression(const char *s, size_t len);

/*
 * Parses the expression string s (len bytes, brackets included; the caller
 * has checked armexpr_is_expression).  Returns the root node, or NULL with
 * *err filled in.  Never reads past s + len.
 */
struct armexpr *armexpr_parse(struct arena *a, const char *s, size_t len,
			      struct armexpr_error *err);

/*
 * Calls fn on e and every node below it, parents before children,
 * arguments in order.  Iterative in depth only as far as the parser allowed
 * (ARMEXPR_MAX_DEPTH), so recursion is bounded.
 */
void armexpr_walk(const struct armexpr *e, void (*fn)(const struct armexpr *node, void *ctx),
		  void *ctx);

/* A `parameters('name')` reference found in an expression. */
struct armexpr_param_ref {
	const char *name;     /* the literal argument, unescaped */
	size_t begin, end;    /* the whole call: parameters('name') */
};

/*
 * Collects every call to parameters() (any case) whose argument is a string
 * literal, in source order, into an arena array; returns the count and sets
 * *out (NULL when none).  Calls with a computed argument are skipped: they
 * name no parameter the checker could verify.
 */
size_t armexpr_param_refs(struct arena *a, const struct armexpr *e,
			  struct armexpr_param_ref **out);

/*
 * Writing expressions.  Every string pacc places inside an expression it
 * makes (a parameter name in `[parameters('...')]`, a name in `concat(...)`,
 * a version in a comparison) goes through armexpr_add_string(), so a name
 * holding `'` stays one string literal and cannot close the literal early
 * or turn into another name (`a''` is not `a'`).
 */

/* Appends s as an expression string literal: between single quotes, each
 * `'` doubled. */
void armexpr_add_string(struct sb *out, const char *s);

/* Appends the whole expression string `[parameters('<name>')]`, the name
 * quoted by armexpr_add_string(). */
void armexpr_add_param_ref(struct sb *out, const char *name);

/* Appends the whole expression string
 * `[greaterOrEquals(requestContext().apiVersion, '<version>')]`: the guard of
 * a derived Modify operation.  check_harden writes it and check_alias
 * recognises it by these same bytes, so both call this one function. */
void armexpr_add_api_guard(struct sb *out, const char *version);

/* armexpr_add_param_ref() into a NUL-terminated copy in the arena a. */
char *armexpr_param_ref_dup(struct arena *a, const char *name);

#endif
