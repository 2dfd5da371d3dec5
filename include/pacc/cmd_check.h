/*
 * cmd_check: `pacc check FILE...`, which runs every check `pacc build` runs
 * on each pack ('-': standard input) and prints the diagnostics, writing
 * nothing.
 */
#ifndef PACC_CMD_CHECK_H
#define PACC_CMD_CHECK_H

#include "pacc/cli.h"

enum { CMD_CHECK_OPT_ALIASES, CMD_CHECK_OPTION_COUNT };
extern const struct cli_option cmd_check_options[CMD_CHECK_OPTION_COUNT];

/* `pacc check`: the run function of its table entry in cli.c. */
int cmd_check_run(const struct cli *cli, const struct cli_args *args);

#endif
