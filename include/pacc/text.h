/*
 * text: helpers for the text of string literals and text blocks.
 */
#ifndef PACC_TEXT_H
#define PACC_TEXT_H

#include "pacc/arena.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Dedents the raw body of a text block (the bytes between the opening and
 * the closing triple quotes, line breaks already normalised to "\n"), as
 * grammar/README.md describes: the first line is dropped when blank, the
 * last line is dropped when blank, trailing spaces and tabs are removed from
 * every line, and the longest run of leading whitespace that every non-blank
 * line starts with is removed.  Lines are joined with "\n"; the result has
 * no final line break.  Returns a NUL-terminated string in arena and sets
 * *out_len.  Runs in time linear in len.
 */
char *text_dedent(struct arena *arena, const char *raw, size_t len, size_t *out_len);

/*
 * Number of characters in the n bytes at s, counted as UTF-8: every byte
 * that is not a continuation byte (10xxxxxx) starts one.  The checker's
 * length limits and the generators' truncation count with this, so they
 * agree.
 */
size_t text_utf8_chars(const char *s, size_t n);

/*
 * Levenshtein distance between a and b ignoring ASCII case, when it is at
 * most cap; otherwise cap + 1 (the scan stops early).  O(len(a) * len(b)),
 * and nothing when the lengths alone differ by more than cap.  The "did you
 * mean" suggestions of diag and alias use it.
 */
size_t text_edit_distance(const char *a, const char *b, size_t cap);

/*
 * Appends a resource name for text that fits max characters (max > 9):
 * text lowercased with every character outside [a-z0-9-] turned into '-'
 * ("pacc" when text is empty); when longer than max, its first max - 9
 * characters (trailing '-' dropped), '-', and 8 hex digits of an FNV-1a
 * hash of text, so two long names that share a prefix still differ.
 * Deterministic.  The assignment and exemption names use it.
 */
struct sb;
void text_fit_name(struct sb *out, const char *text, size_t max);

/* True when the n bytes at s are only spaces and tabs (or n is 0). */
bool text_is_blank(const char *s, size_t n);

/*
 * The first byte at or after p, and before lim, that is not printable
 * ASCII (0x20-0x7e) or is stop1 or stop2; lim when there is none.  Sixteen
 * bytes at a time where SSE2 is there: the scanners of strings spend most
 * of their time here.  It reads nothing at or past lim.
 */
const unsigned char *text_ascii_run(const unsigned char *p, const unsigned char *lim, unsigned char stop1,
				    unsigned char stop2);

#endif
