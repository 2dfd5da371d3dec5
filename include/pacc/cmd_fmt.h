/*
 * cmd_fmt: `pacc fmt [--check] [FILE...]`, which rewrites packs in the
 * canonical layout of fmt.h.
 *
 * Each FILE is formatted in place (a temporary file beside it, renamed
 * over it; a file already formatted is not touched).  With --check
 * nothing is written: the name of each FILE that is not formatted is
 * printed on standard output and the exit status is 1.  Without FILE, or
 * with '-', the pack on standard input is written formatted to standard
 * output.  A pack with errors is reported and left alone (exit status 1).
 */
#ifndef PACC_CMD_FMT_H
#define PACC_CMD_FMT_H

#include "pacc/cli.h"

enum { CMD_FMT_OPT_CHECK, CMD_FMT_OPTION_COUNT };
extern const struct cli_option cmd_fmt_options[CMD_FMT_OPTION_COUNT];

int cmd_fmt_run(const struct cli *cli, const struct cli_args *args);

#endif
