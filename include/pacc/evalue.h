/*
 * evalue: the value rules of Azure Policy conditions, over cJSON values.
 *
 * A value is a `const cJSON *`; NULL stands for a missing field (undefined),
 * which the operators tell apart from an explicit JSON null.  Strings
 * compare ignoring case (ASCII case folding: see grammar/README.md,
 * "Evaluation", for what this leaves out), numbers by value; a string that
 * reads as a number equals that number, "true"/"false" (any case) equal the
 * booleans.  Nothing here allocates except evalue_text().
 */
#ifndef PACC_EVALUE_H
#define PACC_EVALUE_H

#include "pacc/ast.h"
#include "pacc/sb.h"

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stddef.h>

/* The member key of object o: the exact spelling first, else the first
 * member whose name matches ignoring case (Azure reads property names
 * case-insensitively); NULL when none or o is no object. */
const cJSON *evalue_member(const cJSON *o, const char *key);

/* ASCII case-insensitive equality of two NUL-terminated strings. */
bool evalue_str_ieq(const char *a, const char *b);

/* Azure's `equals`: case-insensitive, coercing, deep for arrays and objects.
 * Missing equals only null (and null equals ""). */
bool evalue_equals(const cJSON *a, const cJSON *b);

/*
 * Ordering for less/greater: numbers (or strings that read as numbers) by
 * value, strings ignoring case, false < true.  Returns false when the two
 * have no ordering (missing, null, mismatched types); else sets *cmp to
 * <0, 0 or >0.
 */
bool evalue_order(const cJSON *a, const cJSON *b, int *cmp);

/* The string form of a scalar for like/match/contains: strings as they are,
 * numbers and booleans printed; NULL for anything else.  Uses buf (>= 64 bytes)
 * for numbers. */
const char *evalue_scalar_text(const cJSON *v, char *buf, size_t size);

/* `like`: the pattern's '*' matches any run of characters; case-insensitive. */
bool evalue_like(const char *s, const char *pattern);

/* `match`: '#' a digit, '?' an ASCII letter, '.' any character, any other
 * character itself; the whole string; icase for matchInsensitively. */
bool evalue_match(const char *s, const char *pattern, bool icase);

/* Applies op (not exists) to lhs (NULL: missing) and rhs (the operand).
 * *note is set to a static note when a documented-silence rule decided it. */
bool evalue_apply(enum ast_op op, const cJSON *lhs, const cJSON *rhs, const char **note);

/* Appends compact JSON of v, or "<missing>" for NULL, cut at max bytes with "...". */
void evalue_text(struct sb *out, const cJSON *v, size_t max);

/* True when v is a JSON truthy boolean, or a string "true" in any case. */
bool evalue_truthy(const cJSON *v);

#endif
