/*
 * units: the packs named on a command line, from their files to their
 * checked trees, as `pacc check` and `pacc build` read them.
 *
 * A run makes one array of units (units_new), reads every file
 * (units_read), then parses and checks each pack (units_parse_and_check);
 * `build` goes on to generate each unit's output set.  Diagnostics point
 * into the units' sources, so the units live until they are rendered;
 * units_free() drops them all.
 */
#ifndef PACC_UNITS_H
#define PACC_UNITS_H

#include "pacc/arena.h"
#include "pacc/ast.h"
#include "pacc/cli.h"
#include "pacc/cmd_aliases.h"
#include "pacc/diag.h"
#include "pacc/output.h"
#include "pacc/source.h"

#include <stdbool.h>
#include <stddef.h>

/* One pack on the command line, from its file to its output files. */
struct unit {
	const char *path;       /* as given */
	char *pack_name;        /* owned */
	struct source *src;     /* owned */
	struct arena arena;     /* the pack's tree */
	struct ast_pack *pack;  /* NULL until parsed */
	struct output_set out;  /* the generated files */
	bool too_large;         /* over SOURCE_MAX_BYTES: reported, not parsed */
};

/* The units of the n files at paths (not copied: they must outlive the
 * units), each with its pack name (cli_pack_name) and nothing read yet. */
struct unit *units_new(char **paths, size_t n);

/* Releases every unit, its source, tree and output set, and the array. */
void units_free(struct unit *units, size_t n);

/*
 * Reads every file.  A file that cannot be read is a usage/I-O failure,
 * reported at once on cli->err (CLI_EXIT_USAGE); a file over the size limit
 * is an input error, E0009 at its first line in d, and is not parsed.
 */
int units_read(const struct cli *cli, struct unit *units, size_t n, struct diag_engine *d);

/*
 * Parses and checks every pack into d, each against the alias table locks
 * gives for it.  A pack with syntax errors is not checked: its tree is
 * partial and would only add noise.  Returns CLI_EXIT_USAGE when an alias
 * file cannot be read, else CLI_EXIT_OK (the errors are in d).
 */
int units_parse_and_check(const struct cli *cli, struct unit *units, size_t n,
			  struct cmd_aliases_locks *locks, struct diag_engine *d);

#endif
