/*
 * check_harden: the semantic rules of remediation statements (harden.h).
 *
 * check_harden() is called once by check_pack(), before the policy checks:
 * it completes each `remediate` policy from its harden block's settings
 * (if, Modify operations, effect, mode, display, description), so the
 * policy checks then see it like any `enforce`.  It reports, with located
 * and coded diagnostics (E0401-E0413, listed in
 * grammar/README.md), hardening of types the pack does not govern or does
 * not pin an API version for, unknown, duplicate, unused or ill-typed
 * inputs, unknown companions and arguments, settings the module owns, and
 * conflicting settings between recommendations; and it fills in the
 * fields harden.h marks "set by check" (governs, input, used, kind).
 */
#ifndef PACC_CHECK_HARDEN_H
#define PACC_CHECK_HARDEN_H

#include "pacc/ast.h"
#include "pacc/diag.h"

void check_harden(struct ast_pack *pack, struct diag_engine *d);

#endif
