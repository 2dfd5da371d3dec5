/*
 * lex: the pacc lexer (grammar/lexer.re, compiled by re2c).
 *
 * A lexer walks one source, NUL sentinel included, and hands out tokens
 * whose kinds are the parser's token numbers (TOK_* in the generated
 * parser.h, e.g. TOK_SECTION, TOK_STRING, TOK_END).  Lexical errors
 * (E0001-E0011, E0102) go to the diagnostics engine; the lexer then
 * recovers by itself (skips the bad byte, ends the bad string at the end of
 * the line) so the parser sees a usable token stream.
 *
 * Positions: lines and columns are 1-based, columns count UTF-8 code points
 * and are computed incrementally, so lexing is linear even on one very long
 * line.  Byte offsets are kept in every position.
 */
#ifndef PACC_LEX_H
#define PACC_LEX_H

#include "pacc/arena.h"
#include "pacc/ast.h"
#include "pacc/diag.h"
#include "pacc/parse.h"
#include "pacc/source.h"
#include "parser.h"

#include <stdbool.h>
#include <stdint.h>

/* Longest line accepted without an E0008 diagnostic, in bytes. */
#define LEX_MAX_LINE_BYTES 65536

struct lex_token {
	int kind;             /* a TOK_* value from parser.h; TOK_END at the end */
	struct src_span span; /* the token's bytes (strings: quotes included) */
	struct ast_str *str;  /* words, keywords, operators, strings, text blocks */
	struct ast_json *num; /* TOK_NUMBER: an AST_JSON_NUMBER */
};

struct lexer {
	const struct source *src;
	struct arena *arena;        /* token values are allocated here */
	struct diag_engine *diag;
	const unsigned char *cur;   /* next byte to read */
	const unsigned char *tok;   /* start of the token being read */
	const unsigned char *lim;   /* the NUL sentinel: src->text + src->len */
	const unsigned char *line_start;
	uint32_t line;
	/* A place on the current line whose column is known (col_at >= line_start). */
	const unsigned char *col_at;
	uint32_t col;
	/* The first byte >= 0x80 at or after the start of the line it was
	 * looked up for (lim when none; NULL before the first lookup).  While
	 * it lies ahead, a column is the byte offset in the line plus one. */
	const unsigned char *high;
	uint32_t long_line_reported; /* last line that got E0008; 0 if none */
	int depth;                   /* open '{' and '[' */
	struct src_span open[PARSE_MAX_DEPTH]; /* where each open '{' or '[' is, outermost first */
	bool done;                   /* TOK_END was returned (or nesting stopped the scan) */
	bool token_had_error;        /* a diagnostic was reported while reading the last token */
};

/* Prepares lx to read src from the start; values go to arena, errors to d. */
void lex_init(struct lexer *lx, const struct source *src, struct arena *arena,
	      struct diag_engine *d);

/*
 * Reads the next token into *t and returns its kind.  After the end (or
 * after E0102 stopped the scan) every call returns TOK_END again.
 */
int lex_next(struct lexer *lx, struct lex_token *t);

/* The position of p, which must lie on the lexer's current line. */
struct src_pos lex_pos(struct lexer *lx, const unsigned char *p);

/*
 * Length of the valid UTF-8 sequence at p (1-4), or 0 when the bytes at p
 * are not valid UTF-8 (overlong forms, surrogates and values above
 * U+10FFFF are invalid).  Never reads past lim.
 */
int lex_utf8_len(const unsigned char *p, const unsigned char *lim);

#endif
