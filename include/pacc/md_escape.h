/*
 * md_escape: pack text made safe for the Markdown guide and its YAML front
 * matter.
 *
 * Pack strings are prose, never markup.  These functions write them so that
 * no byte of pack text can open a Markdown block (heading, list, blockquote,
 * code fence, thematic break, HTML block, table, Learn ":::" extension) or an
 * inline construct (emphasis, code span, link, image, autolink, raw HTML,
 * entity) that the generator did not write itself, and so that no YAML value
 * can end the front matter or add a key.
 *
 * Prose is normalised first: every run of whitespace or control characters
 * (including newlines, tabs and Unicode line separators) becomes one space,
 * and leading and trailing spaces are dropped, so one paragraph is always one
 * output line.
 *
 * Inline escaping, by character (the backslash escapes are CommonMark's, so a
 * renderer shows the bare character):
 *   \ ` * _ [ ] | ~ { }    always backslash-escaped (` * [ ] as numeric
 *                           character references under MD_ESCAPE_CHAR_REFS)
 *   <                       always "&lt;"
 *   &                       "&amp;" only where it would start an entity
 *   #                       escaped at the start of a line, and anywhere in a
 *                           heading (a trailing "#" run would close it)
 *   - + > : =               escaped at the start of a line (list, quote,
 *                           Learn ":::" block, setext underline)
 *   1. 1)                   the "." or ")" after leading digits is escaped
 *   (                       escaped right after "]", so "[x](y)" never reads
 *                           as a link even to a naive scanner
 *   :// www. @x :::         ":" before "//", "." after a word "www", "@"
 *                           before a letter, digit or '"', and the first ":"
 *                           of ":::" are escaped, so no renderer autolinks a
 *                           bare URL or e-mail address, and DocFX (Learn)
 *                           reads no "@uid" cross-reference or ":::image:::"
 *
 * All output is appended to the caller's struct sb (inline text and code
 * spans also use a short-lived scratch buffer); every function is linear in
 * its input and keeps no state.
 */
#ifndef PACC_MD_ESCAPE_H
#define PACC_MD_ESCAPE_H

#include "pacc/sb.h"

#include <stdbool.h>
#include <stddef.h>

/* Flags for md_escape_inline. */
enum md_escape_flags {
	MD_ESCAPE_LINE_START = 1u << 0, /* the text starts an output line */
	MD_ESCAPE_HEADING = 1u << 1,    /* the text is inside an ATX heading */
	/* Write ` * [ ] as &#96; &#42; &#91; &#93; instead of backslash escapes, for
	 * text that simple line scanners read: headings, bold titles, link text. */
	MD_ESCAPE_CHAR_REFS = 1u << 2,
};

/*
 * Appends s[0..len) normalised: runs of whitespace and control characters
 * (bytes < 0x20, 0x7f, the C1 controls U+0080..U+009F, and the separators
 * U+2028 and U+2029) become one space, with no space at either end.  Other
 * UTF-8 is copied as is.
 */
void md_escape_normalize(struct sb *out, const char *s, size_t len);

/* Appends s[0..len), normalised, as Markdown inline text (see above). */
void md_escape_inline(struct sb *out, const char *s, size_t len, unsigned flags);

/*
 * Appends s[0..len) as a link destination for "[text](dest)": leading and
 * trailing whitespace dropped; spaces, control characters, bytes >= 0x80,
 * "(", ")", "<", ">", "\" and "`" percent-encoded; a "&" that would start
 * an entity is backslash-escaped.  The result never leaves the parentheses.
 */
void md_escape_link_target(struct sb *out, const char *s, size_t len);

/*
 * Appends s[0..len), normalised, as a code span: a backtick fence one longer
 * than the longest backtick run inside, padded with a space when the text
 * starts or ends with a backtick.
 */
void md_escape_code_span(struct sb *out, const char *s, size_t len);

/*
 * Appends s[0..len) as a YAML scalar on one line.  The value is written
 * plain only when it is certainly a plain string: it starts with a letter or
 * digit, holds only letters, digits, spaces and ". , / _ - ( ) '", does not
 * end with a space, contains a letter or "/", and is not a YAML 1.1 boolean
 * or null word.  Anything else is double-quoted with "\" and '"' escaped and
 * every C0 and C1 control character, DEL, U+2028, U+2029, U+FEFF, U+FFFE
 * and U+FFFF written as an escape, so the value can never end the line, the
 * front matter or the scalar, and libyaml accepts every byte.
 */
void md_escape_yaml(struct sb *out, const char *s, size_t len);

/* Appends s[0..len) as a double-quoted YAML scalar (the quoting above). */
void md_escape_yaml_quoted(struct sb *out, const char *s, size_t len);

/*
 * Paragraph iteration over a pack string.  A text block (is_text_block)
 * holds paragraphs separated by blank lines; any other string is one
 * paragraph.  Start with *pos = 0; each call stores the next paragraph's
 * raw bytes (not yet normalised, never blank) in *para / *para_len and
 * returns true, or returns false when none is left.
 */
bool md_escape_next_paragraph(const char *s, size_t len, bool is_text_block, size_t *pos,
			      const char **para, size_t *para_len);

#endif
