/*
 * cmd_build: `pacc build`, which checks packs and, when none has an error,
 * writes what the generators make of each into DIR/<pack>/.
 *
 * The packs come from the command line or from a project manifest
 * (--manifest FILE, else ./pacc.yaml when no pack is given), which adds
 * the deployment of each environment.  Every pack is generated, staged and
 * dropped before the next; the staged trees replace the old ones only
 * after the last pack (fsout.h), so a build is all or nothing, and an
 * interrupt waits until the trees are swapped in or removed.  With --check
 * nothing is written: the differences are listed and the exit status is 1
 * when there is one.
 */
#ifndef PACC_CMD_BUILD_H
#define PACC_CMD_BUILD_H

#include "pacc/cli.h"

/* Its options, in the order of cmd_build_options. */
enum {
	CMD_BUILD_OPT_OUTPUT,
	CMD_BUILD_OPT_CHECK,
	CMD_BUILD_OPT_SYNC,
	CMD_BUILD_OPT_ALIASES,
	CMD_BUILD_OPT_MANIFEST,
	CMD_BUILD_OPTION_COUNT
};
extern const struct cli_option cmd_build_options[CMD_BUILD_OPTION_COUNT];

/* `pacc build`: the run function of its table entry in cli.c. */
int cmd_build_run(const struct cli *cli, const struct cli_args *args);

#endif
