/*
 * bicep_str: the lexical side of generated Bicep — string literals,
 * identifiers, object keys and JSON values written as Bicep expressions.
 *
 * Owned by the Bicep generators (gen_bicep.c and the hardening modules);
 * nothing here knows about packs beyond struct ast_json / struct ast_str.
 *
 * Everything writes into a caller's struct sb and allocates nothing the
 * caller must free, except struct bicep_names (bicep_names_release).
 *
 * Strings are always single-line, single-quoted literals: pacc never emits
 * '''multi-line''' strings, because they take no escapes and cannot hold
 * every byte sequence.  The escapes are the ones every Bicep since 0.20
 * accepts: \\ \' \n \r \t, \$ in front of '{' (so "${" never starts an
 * interpolation), and \u{HEX} for the other control characters (C0, DEL,
 * C1).  Other UTF-8 passes through unchanged; a byte that is not part of
 * valid UTF-8 becomes \u{FFFD}, so the output is always valid UTF-8.
 */
#ifndef PACC_BICEP_STR_H
#define PACC_BICEP_STR_H

#include "pacc/ast.h"
#include "pacc/sb.h"

#include <stdbool.h>
#include <stddef.h>

/* Appends the len bytes at s as a quoted Bicep string literal 'like this'. */
void bicep_str_add(struct sb *out, const char *s, size_t len);
/* The escaped inside of a literal, without quotes: for literal text that a
 * generator places inside its own interpolated string ('${name}-<here>'). */
void bicep_str_body_add(struct sb *out, const char *s, size_t len);
/* bicep_str_add() of a NUL-terminated string. */
void bicep_str_adds(struct sb *out, const char *s);
/*
 * Appends s as a quoted literal: a "..." string byte for byte, a text block
 * as prose (each line trimmed, blank lines dropped, lines joined with one
 * space), the way the JSON generator writes text blocks.
 */
void bicep_str_add_text(struct sb *out, const struct ast_str *s);

/* True when s is a Bicep identifier, [A-Za-z_][A-Za-z0-9_]*, that pacc may
 * declare: not a keyword, namespace (az, sys) or function pacc calls. */
bool bicep_is_ident(const char *s);

/*
 * Appends a deterministic identifier made from the free text s
 * (lowerCamelCase of its ASCII letter/digit runs: "ns-2-effect" ->
 * "ns2Effect").  A result that would start with a digit gets a leading
 * '_'; an empty one is "_"; a reserved word gets a trailing '_'
 * ("resource" -> "resource_").  The result always satisfies
 * bicep_is_ident().
 */
void bicep_ident_add(struct sb *out, const char *s);

/*
 * Appends s as an object property key: bare when it is identifier-shaped
 * (keywords are fine as keys, `type:`), quoted otherwise ('ns-2-effect').
 */
void bicep_key_add(struct sb *out, const char *s);

/*
 * Appends value as a Bicep expression.  Objects and arrays span lines, one
 * member or element per line, indented by two spaces per level from
 * `indent` (the level of the line value starts on).  Integers are literals;
 * other numbers become json('1.5') because Bicep has no fraction literals.
 * Text-block strings are prose (see bicep_str_add_text).
 */
void bicep_json_add(struct sb *out, const struct ast_json *value, int indent);

/*
 * Appends text for use inside a `//` comment: line breaks, tabs and other
 * control characters become spaces, invalid UTF-8 becomes U+FFFD, so text
 * from a pack can never end the comment early.
 */
void bicep_comment_add(struct sb *out, const char *text, size_t len);
/* bicep_comment_add() of a string, text blocks flattened to prose. */
void bicep_comment_add_text(struct sb *out, const struct ast_str *s);

/* Appends 2 * level spaces. */
void bicep_indent(struct sb *out, int level);

/*
 * The Bicep parameter type for an Azure Policy parameter type (policy
 * parameters and hardening inputs use the same names): Array, Object,
 * Boolean and Integer, compared ignoring ASCII case, become array, object,
 * bool and int; anything else, and a missing type (NULL), is string.
 * The result is a static string.
 */
const char *bicep_param_type(const struct ast_str *policy_type);

/*
 * A set of identifiers declared in one Bicep file, so every name pacc makes
 * up is unique there.  Comparison ignores ASCII case: two names that
 * differ only in case would be legal but confusing.
 */
struct bicep_names {
	char **slots;   /* open addressing; each an owned string or NULL */
	size_t cap;     /* power of two, or 0 */
	size_t count;
};

#define BICEP_NAMES_INIT { NULL, 0, 0 }

/*
 * Makes an identifier from s as bicep_ident_add() does, adds a numeric
 * suffix when it is taken ("name", "name2", "name3", ...), records it and
 * appends it to out.  Deterministic: the same calls in the same order give
 * the same names.
 */
void bicep_names_add(struct bicep_names *names, struct sb *out, const char *s);
/* Records an identifier pacc declares itself (e.g. "location"); true when it
 * was free, false when it was already taken (the set is unchanged then). */
bool bicep_names_reserve(struct bicep_names *names, const char *ident);
/* True when ident is already taken in names. */
bool bicep_names_has(const struct bicep_names *names, const char *ident);
void bicep_names_release(struct bicep_names *names);

#endif
