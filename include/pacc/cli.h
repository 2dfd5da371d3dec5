/*
 * cli: the pacc command line.  main() is cli_main(); everything a user
 * types is parsed and dispatched here, so tests can drive the whole tool
 * with an argv and two memory streams.
 *
 * Commands live in one table (cli.c, `commands`): a name, the help text
 * and the options it takes, and a run function.  Adding a command is one
 * table entry and its own src/cli/cmd_<name>.c, which prints through the
 * helpers below (cli_error, cli_usage_error, cli_report ...).  Options every command accepts
 * (--diagnostics-format, --color, --max-errors, --max-file-size,
 * --time-passes, --help, --version) are
 * handled before the command runs and may appear anywhere before `--`.
 *
 * Exit status: CLI_EXIT_OK (0), CLI_EXIT_INPUT (1: an input had errors),
 * CLI_EXIT_USAGE (2: a usage error, or an I/O failure).
 */
#ifndef PACC_CLI_H
#define PACC_CLI_H

#include "pacc/diag.h"
#include "pacc/timing.h"
#include "pacc/version.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>


enum cli_exit {
	CLI_EXIT_OK = 0,    /* success */
	CLI_EXIT_INPUT = 1, /* an input had errors; nothing was written */
	CLI_EXIT_USAGE = 2, /* usage error or I/O failure; nothing was written */
};

/* The settings every command sees. */
struct cli {
	FILE *out;                 /* help, version, command results */
	FILE *err;                 /* diagnostics and error messages */
	enum diag_format format;   /* --diagnostics-format */
	bool color;                /* resolved from --color, the terminal and NO_COLOR */
	size_t max_errors;         /* --max-errors; 0: no cap */
	struct timing *timing;     /* --time-passes: on when set; never NULL */
};

/* One option a command takes, e.g. {"output", 'o', "DIR", "..."}. */
struct cli_option {
	const char *name;       /* long name without "--" */
	char short_name;        /* e.g. 'o', or 0 */
	const char *value_name; /* "DIR" when the option takes a value; NULL for a flag */
	const char *help;       /* one line for the help text */
};

/* Every value one option was given, in command-line order. */
struct cli_values {
	const char **items;
	size_t count;
};

/* What the parser hands a command. */
struct cli_args {
	/* Per option of the command, in table order: its value ("" for a flag),
	 * or NULL when not given.  A repeated option keeps its last value. */
	const char **values;
	char **operands; /* the remaining arguments, in order */
	size_t operand_count;
	/* Per option, in table order: every value it was given (for options
	 * that accumulate, such as `eval --related`); NULL when a caller
	 * builds the arguments by hand. */
	const struct cli_values *all;
};

struct cli_command {
	const char *name;
	const char *summary;     /* one line for `pacc --help` */
	const char *usage;       /* "pacc build [-o DIR] FILE..." */
	const char *description; /* what it does; paragraphs */
	const char *examples;    /* lines of examples, or NULL */
	const char *exit_status; /* what 0/1/2 mean for this command */
	const struct cli_option *options;
	size_t option_count;
	int (*run)(const struct cli *cli, const struct cli_args *args);
};

/* ---- for the run functions of the commands ---- */

/* Prints "pacc: error: " and the formatted message, then a newline, on cli->err. */
__attribute__((format(printf, 2, 3))) void cli_error(const struct cli *cli, const char *fmt, ...);

/*
 * Prints "pacc: error: msg", the usage line of the command called command
 * and where its help is, on cli->err; returns CLI_EXIT_USAGE.
 */
int cli_usage_error(const struct cli *cli, const char *command, const char *msg);

/* Initialises d with the settings of cli (--max-errors); diag_release() it. */
void cli_diag_init(const struct cli *cli, struct diag_engine *d);

/* Renders the diagnostics of d on cli->err in cli->format (colour: text only). */
void cli_render(const struct cli *cli, const struct diag_engine *d);

/* When d has errors, prints "pacc: N errors, N warnings" and outcome (e.g.
 * "; nothing was written"; NULL: nothing) on a line of cli->err. */
void cli_summary(const struct cli *cli, const struct diag_engine *d, const char *outcome);

/* cli_render(), then in the text and github formats cli_summary(). */
void cli_report(const struct cli *cli, const struct diag_engine *d, const char *outcome);

/* Runs pacc with argv, writing to out and err; returns the exit status. */
int cli_main(int argc, char **argv, FILE *out, FILE *err);

/*
 * The pack name of a file: its base name without a ".pacc" suffix
 * ("policies/azure-data-factory.pacc" -> "azure-data-factory"); "stdin" for
 * "-".  Returns a malloc'd string.
 */
char *cli_pack_name(const char *path);

#endif
