/*
 * cmd_test: `pacc test [PACK...]`: runs every `test` block of the packs
 * (default: every .pacc file in policies/) through the evaluator.  Prints "ok" or "FAIL"
 * per test with pack:line, policy and test name, the evaluation trace of a
 * failure, and a closing "N passed, N failed".  Exit status 1 when a test
 * fails or a pack has errors, 2 on usage and I/O errors.
 */
#ifndef PACC_CMD_TEST_H
#define PACC_CMD_TEST_H

#include "pacc/cli.h"

int cmd_test_run(const struct cli *cli, const struct cli_args *args);

#endif
