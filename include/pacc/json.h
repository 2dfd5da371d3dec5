/*
 * json: JSON values for the generators, built with cJSON.
 *
 * Converts the pack's JSON values (struct ast_json) and strings into cJSON
 * trees, and prints a cJSON tree the way every generated JSON file looks:
 * two-space indentation, `"key": value` with one space after the colon,
 * one member or element per line, `[]` and `{}` for empty containers, LF
 * line ends and a final newline.  cJSON does the string escaping and the
 * number formatting; this module only lays out the lines.
 *
 * Every function that returns a cJSON tree hands ownership to the caller
 * (free it with cJSON_Delete) and never returns NULL: allocation failure
 * inside cJSON ends in die_oom().
 *
 * Text blocks are prose (grammar/README.md, "Lexical structure"): wherever
 * a text block becomes a JSON string, json_prose() flattens it to one line.
 * Strings written with quotes are kept byte for byte.  cJSON strings are
 * NUL-terminated, so a string holding "\u0000" is cut at that character.
 */
#ifndef PACC_JSON_H
#define PACC_JSON_H

#include "pacc/ast.h"
#include "pacc/sb.h"

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stddef.h>

/*
 * A cJSON copy of value.  Numbers carry the parsed double, which cJSON
 * prints in its shortest exact form; an integer lexeme too long to print
 * exactly from a double (15 digits and more) and a number beyond a
 * double's range are kept as written (as cJSON raw values).
 */
cJSON *json_from_ast(const struct ast_json *value);

/* A cJSON string of s: exact for a "..." string, json_prose() of a text block. */
cJSON *json_from_str(const struct ast_str *s);

/*
 * Appends the prose form of the len bytes at text: every line is stripped
 * of leading and trailing blanks, blank lines are dropped, and the
 * remaining lines are joined with one space.  So a text block of several
 * paragraphs becomes one line; a one-line string comes back unchanged
 * apart from surrounding blanks.
 */
void json_prose(struct sb *out, const char *text, size_t len);

/* Like json_prose(), but only for the first paragraph of text (up to its
 * first blank line after some non-blank line). */
void json_prose_first_paragraph(struct sb *out, const char *text, size_t len);

/* Appends value pretty-printed (see the top of this file), ending in "\n". */
void json_print(const cJSON *value, struct sb *out);

/* Checked cJSON constructors: never NULL (die_oom() on failure). */
cJSON *json_object(void);
cJSON *json_array(void);
cJSON *json_string(const char *s);
cJSON *json_bool(bool b);

/* Appends item to object under key (copied); item becomes the object's. */
void json_add(cJSON *object, const char *key, cJSON *item);
/* json_add(object, key, json_string(s)). */
void json_add_string(cJSON *object, const char *key, const char *s);
/* Appends item to array; item becomes the array's. */
void json_push(cJSON *array, cJSON *item);

/*
 * Adds the members of extra (an object from the pack; ignored when NULL
 * or not an object) to object in their order.  A member whose key equals
 * one of the first `fixed` members of object replaces that member's value
 * in place instead, so a user's member overrides a generated one without
 * duplicating the key.  Cost: one pass over extra times `fixed`.
 */
void json_merge(cJSON *object, size_t fixed, const struct ast_json *extra);

/* Number of members (or elements) of a container; walks it, O(n). */
size_t json_size(const cJSON *container);

#endif
