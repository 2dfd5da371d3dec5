/*
 * check_test: the rules of `test` blocks (grammar/README.md, "Tests").
 *
 * check_tests() reports, for every policy of pack: a test without a
 * resource (E0510) or without `expect` (E0511), an `expect` that names no
 * effect, `compliant` or `notApplicable` (E0512), a resource, related or
 * parameters value of the wrong JSON shape (E0513), and two tests of one
 * policy with the same name (E0514).  Fixture files are read by `pacc test`,
 * not here.
 */
#ifndef PACC_CHECK_TEST_H
#define PACC_CHECK_TEST_H

#include "pacc/ast.h"
#include "pacc/diag.h"

void check_tests(const struct ast_pack *pack, struct diag_engine *d);

/* What `expect w` asks for: the canonical effect name (NonCompliant with
 * that effect), "Compliant" or "NotApplicable"; NULL when w is none. */
const char *check_test_expectation(const char *w);

#endif
