/*
 * epack: the policies of a checked pack, as the evaluator sees them.
 *
 * A pack's policies are its top-level `policy` declarations and every
 * `enforce` block of its recommendations, including the remediation twins
 * the checker derived from `harden ... remediate` (check_harden.c), in the
 * order the generators write them.
 */
#ifndef PACC_EPACK_H
#define PACC_EPACK_H

#include "pacc/ast.h"

#include <stddef.h>

/* Every policy of pack in order, as a malloc'd array (free it); *count
 * receives the number. */
const struct ast_policy **epack_policies(const struct ast_pack *pack, size_t *count);

/* The resource type pol governs: the operand of its first `type ==` (or the
 * first element of `type in [...]`) condition at the top of `if`, or NULL. */
const char *epack_policy_type(const struct ast_policy *pol);

/* The `governs ... at` API version of the type pol governs, or NULL. */
const char *epack_api_version(const struct ast_pack *pack, const struct ast_policy *pol);

/* The policy of pack whose name is name, or whose name ends with "-name"
 * (ignoring case), or whose recommendation id is name when that
 * recommendation has one policy; NULL when none or several match. */
const struct ast_policy *epack_find(const struct ast_pack *pack, const char *name);

#endif
