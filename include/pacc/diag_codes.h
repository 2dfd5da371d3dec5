/*
 * diag_codes: what each diagnostic code means, in one table.
 *
 * Every code a phase passes to diag_error() or diag_warning() has an entry:
 * a short title, an explanation and an example that triggers it.  The same
 * words are the code's section in grammar/README.md ("### E0101: syntax
 * error", the explanation, "Example: ..."), and the SARIF writer turns each
 * entry into a rule.  tests/unit/test_diag_codes.c proves the three agree:
 * every code the sources use has an entry, and every entry its section.
 *
 * The table is static, sorted by code, and lives for the whole run.
 */
#ifndef PACC_DIAG_CODES_H
#define PACC_DIAG_CODES_H

#include "pacc/diag.h"

#include <stddef.h>

struct diag_code_info {
	const char *code;          /* "E0101" */
	enum diag_severity level;  /* its usual severity (some errors are warnings for
				    * Azure's own definitions; the record says which) */
	const char *title;         /* lowercase, a few words: "syntax error" */
	const char *explanation;   /* one or more sentences; Markdown `code` spans */
	const char *example;       /* what triggers it; Markdown `code` spans */
};

/* The entry of code ("E0101"), or NULL when there is none. */
const struct diag_code_info *diag_code_find(const char *code);
/* The whole table, sorted by code; *count receives its length. */
const struct diag_code_info *diag_code_table(size_t *count);

#endif
