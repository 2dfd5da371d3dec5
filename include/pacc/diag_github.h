/*
 * diag_github: the diagnostics of a run as GitHub Actions workflow
 * commands (--diagnostics-format=github), one line per record, which the
 * runner turns into annotations on the file and line:
 *
 *   ::error file=policies/x.pacc,line=3,col=5,endLine=3,endColumn=9,title=E0101::message
 *
 * Warnings are ::warning.  The help line and the notes (with their place)
 * follow the message as further lines, so one record is one annotation.  A
 * record about no place has only a title.  Columns are 1-based and count
 * code points, as in the text format; endColumn is exclusive.
 */
#ifndef PACC_DIAG_GITHUB_H
#define PACC_DIAG_GITHUB_H

#include "pacc/diag.h"
#include "pacc/sb.h"

/* Appends one workflow command per record of d to out. */
void diag_github_write(const struct diag_engine *d, struct sb *out);

/* Appends s escaped for a command's message: '%' -> %25, CR -> %0D, LF -> %0A. */
void diag_github_escape_message(struct sb *out, const char *s);
/* Appends s escaped for a property value: as a message, and ':' -> %3A, ',' -> %2C. */
void diag_github_escape_property(struct sb *out, const char *s);

#endif
