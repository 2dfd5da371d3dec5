/*
 * fmt: the canonical layout of a pack (`pacc fmt`).
 *
 * The formatter works on the token stream and the trivia between tokens
 * (white space and comments), not on the tree, so it keeps every comment,
 * the order of everything, and the author's line breaks, and it knows no
 * construct in particular.  What it makes canonical:
 *
 *   - indentation: two spaces per level, and a line that opens '{', '['
 *     or '(' (one or more: "[{" is one level) indents what follows by one
 *     level; a line that starts with closers is indented as the line that
 *     opened them;
 *   - white space inside a line: one space where there was any, none where
 *     there was none; no trailing white space; LF line ends; one final LF;
 *   - blank lines: at most one in a row, none at the start of the file,
 *     after a line that ends in an opener or before one that starts with a
 *     closer;
 *   - text blocks over several lines whose first and last lines are blank:
 *     the opening quotes stay where they are, the lines of the dedented
 *     value are indented one level deeper than the line that opens the
 *     block, and the closing quotes get a line of their own at that line's
 *     indentation.  Other text blocks are kept as written.
 *
 * Comments are kept as written (a line comment loses trailing white space;
 * lines inside a block comment are not re-indented).  The result is
 * idempotent, and the formatter proves each result: the formatted text
 * must lex to the same tokens with the same values as the input, or
 * fmt_pack fails rather than return it.
 */
#ifndef PACC_FMT_H
#define PACC_FMT_H

#include "pacc/diag.h"
#include "pacc/sb.h"
#include "pacc/source.h"

enum fmt_status {
	FMT_OK,         /* out holds the formatted text */
	FMT_ERRORS,     /* src has lexical or syntax errors (in d); out is empty */
	FMT_INTERNAL,   /* the result would not have the same tokens; out is empty */
};

/*
 * Formats src (parsed as pack pack_name, to refuse a pack with errors)
 * into out.  Diagnostics go to d.
 */
enum fmt_status fmt_pack(const struct source *src, const char *pack_name, struct diag_engine *d,
			 struct sb *out);

#endif
