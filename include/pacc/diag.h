/*
 * diag: the diagnostics engine every phase reports to.
 *
 * A phase calls diag_error() (and diag_note() to attach related places to
 * the error just made); records are kept in order as data, so tests inspect
 * code, line and column, and the driver renders them at the end as text
 * (file:line:col: error[E0101]: message, source line, caret) or as JSON.
 *
 * Messages follow house style: lowercase, no final period, subjects in
 * single quotes.  Every code is listed in grammar/README.md.
 *
 * After max_errors errors the engine records one E0003 "too many errors"
 * and sets `stop`; phases check diag_should_stop() and end early.
 */
#ifndef PACC_DIAG_H
#define PACC_DIAG_H

#include "pacc/arena.h"
#include "pacc/sb.h"
#include "pacc/source.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Default cap on errors in one run (a documented limit). */
#define DIAG_DEFAULT_MAX_ERRORS 50

enum diag_severity {
	DIAG_ERROR,   /* the input is wrong; exit status 1 */
	DIAG_WARNING, /* worth a look; does not change the exit status */
	DIAG_NOTE,    /* a related place attached to a record, or a remark of its own */
};

struct diag_note {
	struct diag_note *next;
	struct src_span span;
	const char *message;
};

struct diag_record {
	enum diag_severity severity;
	const char *code;        /* "E0101"; static storage */
	struct src_span span;    /* span.src may be NULL: a record about no place */
	const char *message;     /* arena-owned */
	const char *help;        /* optional "did you mean 'x'?" style hint, or NULL */
	struct diag_note *notes; /* in the order added */
	struct diag_note **notes_tail;
	bool hide_text;          /* render no source line: the file is not what it claims to be */
};

enum diag_format {
	DIAG_FORMAT_TEXT,   /* file:line:col: error[E0101]: message, line, caret */
	DIAG_FORMAT_JSON,   /* one JSON array of records */
	DIAG_FORMAT_SARIF,  /* a SARIF 2.1.0 log (diag_sarif.h) */
	DIAG_FORMAT_GITHUB, /* GitHub Actions workflow commands (diag_github.h) */
};

struct diag_engine {
	struct arena arena;            /* owns messages and records */
	struct diag_record **records;  /* in the order reported */
	size_t count, alloc;
	size_t errors, warnings;
	size_t max_errors;             /* 0: no cap */
	bool stop;                     /* set once max_errors is reached */
};

void diag_init(struct diag_engine *d);
void diag_release(struct diag_engine *d);

/* Reports an error at span; returns the record (notes may be added). */
struct diag_record *diag_error(struct diag_engine *d, struct src_span span, const char *code,
			       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
struct diag_record *diag_warning(struct diag_engine *d, struct src_span span, const char *code,
				 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Reports a remark at span (severity note): what a phase did that the user
 * should know of, which is neither wrong nor doubtful.  Counts as neither an
 * error nor a warning. */
struct diag_record *diag_remark(struct diag_engine *d, struct src_span span, const char *code,
				const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Attaches a note to rec (the record returned by diag_error). */
void diag_note(struct diag_engine *d, struct diag_record *rec, struct src_span span,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Sets rec's help line ("did you mean 'x'?"). */
void diag_help(struct diag_engine *d, struct diag_record *rec, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline bool diag_should_stop(const struct diag_engine *d) { return d->stop; }
static inline bool diag_has_errors(const struct diag_engine *d) { return d->errors > 0; }

/*
 * Renders every record to out.  Text: one block per record with the source
 * line and a ^~~~ marker; colour when `color` is true.  JSON: one array of
 * objects {file, line, column, endLine, endColumn, severity, code, message,
 * help?, notes: [{file, line, column, message}]}.  SARIF and github: see
 * diag_sarif.h and diag_github.h.
 */
void diag_render(const struct diag_engine *d, FILE *out, enum diag_format format, bool color);

/* "error", "warning" or "note". */
const char *diag_severity_name(enum diag_severity s);

/*
 * The place of span for a machine format: 1-based line and column, and an
 * exclusive end (end_col is the column after the last character).  Never 0;
 * an empty span covers one column, and an end before the start is moved to
 * it, so every region is one a SARIF or GitHub consumer accepts.
 */
struct diag_region {
	uint32_t line, col, end_line, end_col;
};
struct diag_region diag_span_region(const struct src_span *span);

/* Appends s, with every byte that is not part of valid UTF-8 replaced by U+FFFD. */
void diag_add_utf8(struct sb *out, const char *s);

/*
 * Edit distance helper for "did you mean": returns the candidate closest to
 * word (case-insensitive Levenshtein), or NULL when none is within a third
 * of the word's length (at least 1, at most 3 edits).  Failing that, a
 * verb or plural form finds its word: "denied" and "denies" find "Deny",
 * "audits" "Audit" (the word less -ing, -ed, -es, -d or -s, keeping at
 * least four letters, within one edit).
 */
const char *diag_closest(const char *word, const char *const *candidates, size_t n);

#endif
