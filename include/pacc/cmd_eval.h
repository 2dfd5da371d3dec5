/*
 * cmd_eval: `pacc eval`, and the loading of definitions it shares with
 * `pacc test`.
 *
 * A definition file is a pack (*.pacc, parsed and checked) or Azure Policy
 * JSON: the {name, id, properties} envelope, a bare properties object, or a
 * bare {"if", "then"} rule.  Loading reports diagnostics into d; the caller
 * renders them while the loaded definition is alive (they point into its
 * sources and its alias table), then calls eval_defs_release().
 *
 * The alias table is found as `pacc check` finds it (cmd_aliases.h): the
 * file given (--aliases: a lock file, an `az provider list --expand` export
 * or an alias,defaultPath CSV), else CMD_ALIASES_LOCK_NAME beside the
 * definition when there is one.  A pack is checked against it; every
 * policy is compiled with defs->aliases, so fields resolve through it.
 */
#ifndef PACC_CMD_EVAL_H
#define PACC_CMD_EVAL_H

#include "pacc/arena.h"
#include "pacc/ast.h"
#include "pacc/cli.h"
#include "pacc/cmd_aliases.h"
#include "pacc/diag.h"
#include "pacc/eval.h"
#include "pacc/source.h"

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct eval_defs {
	struct arena arena;
	struct source *src;          /* the file as read */
	struct source *wrapped;      /* a JSON definition rewritten into an envelope */
	struct ast_pack *pack;
	const struct ast_policy **policies;
	size_t count;
	bool is_pack;
	struct cmd_aliases_locks locks;
	struct eval_aliases resolver;
	const struct eval_aliases *aliases; /* &resolver when a table was found, else NULL */
};

/* Loads path with the alias table aliases_path (NULL: the lock file beside
 * path, if any); returns CLI_EXIT_OK, CLI_EXIT_INPUT (diagnostics in d) or
 * CLI_EXIT_USAGE (unreadable: a message was printed to cli->err). */
int eval_defs_load(const struct cli *cli, const char *path, const char *aliases_path,
		   struct eval_defs *defs, struct diag_engine *d);
void eval_defs_release(struct eval_defs *defs);

/*
 * Reads a JSON file into a cJSON tree (*out, caller frees).  Returns
 * CLI_EXIT_OK, or CLI_EXIT_USAGE after printing "pacc: error: ..." with the
 * file name and, for invalid JSON, the line and column.
 */
int eval_read_json(const struct cli *cli, const char *path, const char *what, cJSON **out);

/* Prints r as text: "policy 'p': Verdict" when verdict is set, the reason,
 * each trace step on a line (file:line:col first for a pack) and the
 * resource after Modify/Append, every line after the first behind indent. */
void eval_print_text(FILE *out, const char *policy, const struct eval_result *r, const char *indent,
		     bool verdict);

/* `pacc eval`: the run function of its table entry in cli.c. */
int cmd_eval_run(const struct cli *cli, const struct cli_args *args);

/* Its options, in the order of enum cmd_eval_opt. */
enum cmd_eval_opt {
	EVAL_OPT_DEFINITION,
	EVAL_OPT_POLICY,
	EVAL_OPT_RESOURCE,
	EVAL_OPT_RESOURCES,
	EVAL_OPT_PARAMETERS,
	EVAL_OPT_API_VERSION,
	EVAL_OPT_RELATED,
	EVAL_OPT_FORMAT,
	EVAL_OPT_NOW,
	EVAL_OPT_ALIASES,
	EVAL_OPT_COUNT
};
extern const struct cli_option cmd_eval_options[EVAL_OPT_COUNT];

#endif
