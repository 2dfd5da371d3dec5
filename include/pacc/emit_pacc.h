/*
 * emit_pacc: pacc source text from a pack AST (the inverse of the parser).
 *
 * Used by `pacc import` to write what it read as a pack a person would
 * write: conditions as `type == "..."`, `field "..." != "..."`, `any { }`,
 * `count field "..." where { } > 0`; the effect sugar when the parameter is
 * exactly what the sugar makes; short JSON values on one line and longer
 * ones (deployment templates) formatted over several lines, indented under
 * their statement.  Strings use JSON escapes and are never text blocks, so
 * every value is reproduced byte for byte.  Output is deterministic and
 * ends with a newline.
 *
 * The pack must be a policy library (policies and initiatives, no service);
 * services and sections are not written.
 */
#ifndef PACC_EMIT_PACC_H
#define PACC_EMIT_PACC_H

#include "pacc/ast.h"
#include "pacc/sb.h"

#include <stdbool.h>

/* Appends the pacc source of pack to sb. */
void emit_pacc(const struct ast_pack *pack, struct sb *sb);

/* Appends s as a pacc string literal ("..." with JSON escapes). */
void emit_pacc_string(struct sb *sb, const char *s, size_t len);

/* True when s can be written as a bare word (identifier-like, see the
 * language reference) rather than a string. */
bool emit_pacc_is_word(const char *s);

#endif
