/*
 * cmd_aliases: `pacc aliases`, and the alias lock files other commands read.
 *
 * `pacc aliases [-o FILE] PACK.pacc... EXPORT...` reads alias exports (the
 * JSON of `az provider list --expand "resourceTypes/aliases"`, or the
 * `alias,defaultPath` CSV; see alias.h), parses the packs, and writes the
 * lock file: the namespaces the packs use, with the aliases of the types
 * they use (check_alias_collect).  FILE defaults to aliases.lock.json in
 * the directory of the first pack.  The file is written atomically and
 * left alone when unchanged.
 *
 * `check`, `build` and `import` take the same table through struct
 * cmd_aliases_locks: `--aliases FILE` for every pack, else the lock file
 * beside each pack (CMD_ALIASES_LOCK_NAME in its directory) when there is
 * one.  Each file is read once per run; its diagnostics point into it, so
 * the locks live until the diagnostics are rendered.
 */
#ifndef PACC_CMD_ALIASES_H
#define PACC_CMD_ALIASES_H

#include "pacc/alias.h"
#include "pacc/cli.h"
#include "pacc/diag.h"

#include <stdio.h>

#define CMD_ALIASES_LOCK_NAME "aliases.lock.json"

/* The help line of the --aliases option of `check` and `build`. */
#define CMD_ALIASES_OPTION_HELP \
	"check aliases against FILE (default: " CMD_ALIASES_LOCK_NAME " beside each pack)"

/* The options of `pacc aliases`, for its entry in the command table. */
#define CMD_ALIASES_OPTION_COUNT 1
extern const struct cli_option cmd_aliases_options[CMD_ALIASES_OPTION_COUNT];

/* Runs `pacc aliases`; returns the exit status. */
int cmd_aliases_run(const struct cli *cli, const struct cli_args *args);

struct cmd_aliases_lock;

/* The alias tables of a run, by file. */
struct cmd_aliases_locks {
	const char *explicit_path;      /* --aliases FILE, or NULL: look beside each pack */
	struct cmd_aliases_lock *items; /* every file tried, in order */
	size_t count, alloc;
};

void cmd_aliases_locks_init(struct cmd_aliases_locks *l, const char *explicit_path);
void cmd_aliases_locks_release(struct cmd_aliases_locks *l);

/*
 * The table for the pack read from pack_path ("-": only --aliases), or
 * NULL when there is none or it had errors (reported to d).  A file that
 * cannot be read is reported to err as "pacc: error: ..." and sets *status
 * to CLI_EXIT_USAGE; a lock file missing beside a pack is no error.
 */
const struct alias_table *cmd_aliases_locks_for(struct cmd_aliases_locks *l, const char *pack_path,
						struct diag_engine *d, FILE *err, int *status);

#endif
