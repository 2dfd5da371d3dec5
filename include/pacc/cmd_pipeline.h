/*
 * cmd_pipeline: `pacc pipeline github|azure-devops [--manifest FILE] [-o FILE]`.
 *
 * Reads the project (project.h): the manifest, every pack, the environments,
 * and writes the CI definition gen_pipeline() makes to FILE (atomically:
 * a temporary file in the same directory, fsynced, renamed; an unchanged
 * file is not touched) or to standard output.  Exit status as cli.h says.
 */
#ifndef PACC_CMD_PIPELINE_H
#define PACC_CMD_PIPELINE_H

#include "pacc/cli.h"

enum { CMD_PIPELINE_OPT_OUTPUT, CMD_PIPELINE_OPT_MANIFEST, CMD_PIPELINE_OPTION_COUNT };
extern const struct cli_option cmd_pipeline_options[CMD_PIPELINE_OPTION_COUNT];

int cmd_pipeline_run(const struct cli *cli, const struct cli_args *args);

#endif
