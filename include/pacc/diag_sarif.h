/*
 * diag_sarif: the diagnostics of a run as one SARIF 2.1.0 log, for GitHub
 * code scanning and other SARIF viewers (--diagnostics-format=sarif).
 *
 * The log has one run.  Its tool lists every code of diag_codes as a rule
 * (title, explanation, example), whether or not it fired, so rule indexes
 * and ids stay stable between runs.  Each record is a result: its code and
 * level (`error` or `warning`), the message with the help line after it,
 * and a region with 1-based lines and columns in Unicode code points
 * (run.columnKind says so) and an exclusive end column; notes become
 * related locations.  A relative file name is a URI relative to the base id
 * %SRCROOT% (where pacc ran); an absolute one a file:// URI; a record about
 * no place has no location.  Every string is valid UTF-8 (a byte that is
 * not becomes U+FFFD).  Output is deterministic: records in report order.
 */
#ifndef PACC_DIAG_SARIF_H
#define PACC_DIAG_SARIF_H

#include "pacc/diag.h"
#include "pacc/sb.h"

/* Appends the log for every record of d to out. */
void diag_sarif_write(const struct diag_engine *d, struct sb *out);

/*
 * Appends path as a URI reference: bytes outside the unreserved set and
 * '/' are percent-encoded, a leading "./" is dropped; an absolute path
 * becomes "file://" followed by the encoded path.
 */
void diag_sarif_add_uri(struct sb *out, const char *path);

#endif
