/*
 * cmd_import: `pacc import [-o DIR] FILE.json|DIR...`, which writes Azure
 * Policy JSON (definitions and initiatives) as packs through import.h:
 * one pack per argument, all or nothing, with a closing summary line in
 * a text run.  --aliases FILE checks the imported aliases against a table.
 */
#ifndef PACC_CMD_IMPORT_H
#define PACC_CMD_IMPORT_H

#include "pacc/cli.h"

enum { CMD_IMPORT_OPT_OUTPUT, CMD_IMPORT_OPT_ALIASES, CMD_IMPORT_OPTION_COUNT };
extern const struct cli_option cmd_import_options[CMD_IMPORT_OPTION_COUNT];

/* `pacc import`: the run function of its table entry in cli.c. */
int cmd_import_run(const struct cli *cli, const struct cli_args *args);

#endif
