/*
 * import: Azure Policy JSON (definitions and set definitions) into a pack AST.
 *
 * The importer reads the `{name, id, type?, properties}` envelope Azure uses,
 * or a bare `properties` object, and appends one top-level `policy` or
 * `initiative` declaration to a policy-library pack (a pack without a
 * service).  emit_pacc then writes that pack as pacc source.
 *
 * The mapping keeps everything the generator needs to reproduce the input:
 * keys the language has a statement for become that statement; any other
 * member of `properties` becomes a verbatim `property`; details that the
 * structured forms (`related`, `modify`, `append`) cannot hold exactly stay
 * as `details <json>`.  Strings, JSON types and array order are preserved;
 * only the keyword casing the language canonicalises may change.
 *
 * Errors (invalid JSON, shapes the language cannot hold) are reported to the
 * diagnostics engine with the position in the JSON input: invalid JSON at the
 * byte where cJSON stopped, an unsupported shape at the start of the offending
 * JSON value (found by re-scanning the text along the JSON path, which the
 * message also names).  Codes: E0901 invalid JSON (also a duplicate member
 * name, at its second occurrence, and nesting past 1,000 levels), E0902 not
 * a policy definition or set definition, E0903 a shape pacc cannot express,
 * E0904 no .json file in a directory argument, E0913 (a note) a definition
 * whose name sits beside policyRule at the top level, read as envelope plus
 * properties, E0914 one name in two files of a directory argument, E0915 a
 * definition the written pack would not build (checked by reading the pack
 * back); and, as for packs, E0002 invalid UTF-8 and E0004 a NUL byte (at the
 * byte), E0009 a file over 16 MiB (at file:1:1).  The directory walk's
 * codes are in importdir.h.  A file that does not start like JSON gets its
 * E0901 without a source line, so no diagnostic shows its content.
 *
 * Declarations imported are marked `imported` (rules stricter than Azure
 * warn), keep an absent policyType absent, and keep conditions in forms the
 * language does not model as `extra` JSON.
 */
#ifndef PACC_IMPORT_H
#define PACC_IMPORT_H

#include "pacc/alias.h"
#include "pacc/arena.h"
#include "pacc/ast.h"
#include "pacc/diag.h"
#include "pacc/source.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Sources read by import_path(); diagnostics point into them, so they live
 * until the diagnostics are rendered.  import_inputs_release() frees them. */
struct import_inputs {
	struct source **items;
	size_t count, alloc;
	/* When set, import_run() checks every imported pack's aliases against
	 * it (check_alias.h); its errors fail the import. */
	const struct alias_table *aliases;
};

#define IMPORT_INPUTS_INIT { NULL, 0, 0, NULL }

void import_inputs_release(struct import_inputs *in);
/* Adds src to in, which then owns it. */
void import_inputs_add(struct import_inputs *in, struct source *src);

/* A new, empty policy-library pack named name (copied) in arena. */
struct ast_pack *import_pack_new(struct arena *arena, const char *name);

/*
 * Imports the JSON text of src (one definition or set definition) and
 * appends the declaration to pack.  fallback_name names a bare properties
 * object (which has no envelope name).  Returns false, with diagnostics in
 * d, when the input is invalid or unsupported; pack is then unchanged.
 * The AST keeps no pointers into src.
 */
bool import_source(struct ast_pack *pack, const struct source *src, const char *fallback_name,
		   struct diag_engine *d);

/*
 * Imports path: a .json file, or a directory whose *.json files (searched
 * recursively, in byte order of their relative paths) are imported in turn.
 * Sources read are added to in.  Returns false when any input failed (I/O
 * errors are reported as diagnostics with no place, code E0905).  Unlike
 * import_source(), it does not locate the declarations: their span names
 * the source with line 0 (finding the "name" member scans the whole file),
 * and import_run() locates one only for a diagnostic at it.
 */
bool import_path(struct ast_pack *pack, const char *path, struct import_inputs *in,
		 struct diag_engine *d);

/*
 * Points initiative references at the pack's own policies: a reference
 * whose target is the id of an imported policy is retargeted to that
 * policy's name.  Call once, after every input of the pack was imported.
 */
void import_link_references(struct ast_pack *pack);

/*
 * The work of `pacc import -o outdir PATH...`: one pack per path (a file
 * gives <stem>.pacc, a directory <dirname>.pacc) written into outdir.
 * Nothing is written when any input has errors.  Diagnostics go to d,
 * pointing into sources added to in: the caller renders them (with the
 * command line's format, colour and error cap) and then releases in.  Only
 * a failure to write outdir is printed, to err, as "pacc: error: ...".
 * Returns the exit status: 0 success, 1 input errors, 2 I/O failure
 * (including an input that cannot be read).
 */
struct import_summary {
	size_t policies, initiatives; /* declarations written */
	size_t packs;                 /* pack files written */
};

/* As above; when sum is not NULL, it is set to what was written (all zero
 * unless the status is 0), for the command's closing line. */
int import_run(const char *outdir, char *const *paths, size_t count, struct import_inputs *in,
	       struct diag_engine *d, FILE *err, struct import_summary *sum);

#endif
