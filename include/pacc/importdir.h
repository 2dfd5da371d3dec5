/*
 * importdir: what `pacc import` reads below a directory argument, what it
 * calls each file, and how a file's text is made ready for the JSON parser.
 *
 * The walk is bounded and does not wander: it descends real directories
 * only (a symbolic link to a directory is never followed, so `a -> .`
 * cannot loop), follows a link to a file only when the file lies inside
 * the argument's tree, skips names starting with '.', and stops with an
 * error past IMPORTDIR_MAX_FILES files or IMPORTDIR_MAX_DEPTH levels.
 * Entries it does not import are reported as warnings (E0910) located at
 * the entry (file:1:1, nothing of it read or shown); the limits are E0911.
 *
 * Files are `*.json` and `*.jsonc`.  In a folder holding `X.json`, the
 * files `X.rules.json` and `X.parameters.json` are the same definition
 * split into parts (a layout kept for portal upload): they are skipped,
 * and one remark (E0912) says how many were.
 */
#ifndef PACC_IMPORTDIR_H
#define PACC_IMPORTDIR_H

#include "pacc/arena.h"
#include "pacc/diag.h"
#include "pacc/import.h"
#include "pacc/source.h"

#include <stdbool.h>
#include <stddef.h>

/* Documented limits of one directory argument. */
#define IMPORTDIR_MAX_FILES 10000
#define IMPORTDIR_MAX_DEPTH 64

struct importdir_file {
	char *rel;    /* path below the root, '/'-separated (owned) */
	bool is_part; /* a split part of a folder-per-policy definition: not imported */
};

/* Files in byte order of rel. */
struct importdir_list {
	struct importdir_file *items;
	size_t count, alloc;
	size_t parts; /* how many items are split parts */
};

#define IMPORTDIR_LIST_INIT { NULL, 0, 0, 0 }

void importdir_list_release(struct importdir_list *l);

/*
 * Collects the JSON files below the directory root into out.  Warnings and
 * errors go to d; the stand-in sources they point into are added to in.
 * Returns false when a limit was hit or a directory could not be read
 * (then E0905 for the directory, without place).
 */
bool importdir_collect(const char *root, struct importdir_list *out, struct import_inputs *in,
		       struct diag_engine *d);

/*
 * The name a file gives the definition in it when the JSON names none: the
 * file name without `.json` / `.jsonc` and without an ALZ library suffix
 * (`.alz_policy_definition`, `.alz_policy_set_definition`); for a generic
 * file name (`azurepolicy`, `policy`, `policyset`, ...), the name of the
 * folder holding it.  Characters Azure names forbid become '-', leading
 * periods and trailing periods and spaces are dropped.  In arena.
 */
char *importdir_name_for(struct arena *a, const char *path);

/*
 * The text the JSON parser should read for src, or NULL when that is src's
 * own text: a UTF-8 byte-order mark is dropped, and in a source whose name
 * ends in `.jsonc` every code point of a line or block comment and every
 * trailing comma becomes one space (line breaks stay), so lines and columns
 * in the copy are those of the original.  The copy is named like src; the
 * caller owns it.
 */
struct source *importdir_prepare(const struct source *src);

#endif
