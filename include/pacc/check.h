/*
 * check: every semantic rule of the language, and the only pass besides
 * the front end that reports user errors.
 *
 * check_pack() validates one parsed pack, reports each problem to d with a
 * located, coded diagnostic, and fills in the fields ast.h marks "set by
 * check" (resolved policy names, parameter use, reference targets).  A pack
 * that passes is safe to hand to any generator.
 */
#ifndef PACC_CHECK_H
#define PACC_CHECK_H

#include "pacc/alias.h"
#include "pacc/ast.h"
#include "pacc/diag.h"

#include <stdbool.h>

/* Returns true when the pack has no errors (warnings allowed). */
bool check_pack(struct ast_pack *pack, struct diag_engine *d);

/* check_pack(), then the alias checks of check_alias.h against aliases (NULL: none). */
bool check_pack_with_aliases(struct ast_pack *pack, const struct alias_table *aliases, struct diag_engine *d);

#endif
