/*
 * lexer.re: the pacc lexer, compiled by re2c (re2c -W -Werror).
 *
 * The source ends in a NUL sentinel, so the scanner needs no refill: the
 * `$` rule fires only at the sentinel, and a NUL byte inside the file falls
 * through to the default rule and is reported.  Strings, text blocks and
 * comments are read by small hand-written loops that validate UTF-8 and
 * keep the line count.  See include/pacc/lex.h.
 */
#include "pacc/lex.h"

#include "pacc/parse.h"
#include "pacc/sb.h"
#include "pacc/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

void lex_init(struct lexer *lx, const struct source *src, struct arena *arena,
	      struct diag_engine *d)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->arena = arena;
	lx->diag = d;
	lx->cur = src->text;
	lx->tok = src->text;
	lx->lim = src->text + src->len;
	lx->line_start = src->text;
	lx->line = 1;
	lx->col_at = src->text;
	lx->col = 1;
	/* A UTF-8 byte order mark is skipped and takes no column. */
	if (src->len >= 3 && src->text[0] == 0xEF && src->text[1] == 0xBB && src->text[2] == 0xBF) {
		lx->cur = src->text + 3;
		lx->line_start = lx->cur;
		lx->col_at = lx->cur;
	}
}

int lex_utf8_len(const unsigned char *p, const unsigned char *lim)
{
	unsigned c = p[0];
	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0;
	if (c < 0xE0) {
		if (lim - p < 2 || (p[1] & 0xC0) != 0x80)
			return 0;
		return 2;
	}
	if (c < 0xF0) {
		if (lim - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && p[1] < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && p[1] >= 0xA0)
			return 0; /* surrogate */
		return 3;
	}
	if (lim - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
	    (p[3] & 0xC0) != 0x80)
		return 0;
	if (c == 0xF0 && p[1] < 0x90)
		return 0; /* overlong */
	if (c == 0xF4 && p[1] >= 0x90)
		return 0; /* above U+10FFFF */
	return 4;
}

struct src_pos lex_pos(struct lexer *lx, const unsigned char *p)
{
	/* ASCII up to p: the column is the offset.  lx->high only moves
	 * forward, so finding it scans each byte of the source at most once. */
	if (!lx->high || lx->high < lx->line_start) {
		const unsigned char *h = lx->line_start;
#ifdef __SSE2__
		for (; lx->lim - h >= 16; h += 16) /* sixteen bytes at a time */
			if (_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)h)))
				break;
#endif
		for (uint64_t w; lx->lim - h >= 8; h += 8) { /* eight bytes at a time */
			memcpy(&w, h, sizeof(w));
			if (w & 0x8080808080808080u)
				break;
		}
		while (h < lx->lim && *h < 0x80)
			h++;
		lx->high = h;
	}
	if (p >= lx->line_start && p <= lx->high) {
		struct src_pos ascii = { (uint32_t)(p - lx->src->text), lx->line,
					 (uint32_t)(p - lx->line_start) + 1 };
		return ascii;
	}
	if (p < lx->col_at || lx->col_at < lx->line_start) {
		lx->col_at = lx->line_start;
		lx->col = 1;
	}
	const unsigned char *q = lx->col_at;
	uint32_t col = lx->col;
	for (; q < p; q++)
		if ((*q & 0xC0) != 0x80)
			col++;
	lx->col_at = p;
	lx->col = col;
	struct src_pos pos = { (uint32_t)(p - lx->src->text), lx->line, col };
	return pos;
}

static struct src_span lex_span(struct lexer *lx, const unsigned char *b, const unsigned char *e)
{
	struct src_span s;
	s.src = lx->src;
	s.begin = lex_pos(lx, b);
	if (e <= lx->high && b >= lx->line_start) {
		/* ASCII to the end on this line: the end column follows from the start */
		s.end = s.begin;
		s.end.offset += (uint32_t)(e - b);
		s.end.col += (uint32_t)(e - b);
	} else {
		s.end = lex_pos(lx, e);
	}
	return s;
}

static struct src_span span_of(const struct lexer *lx, struct src_pos b, struct src_pos e)
{
	struct src_span s = { lx->src, b, e };
	return s;
}

/* Checks the length of the line that ends at p (a line break or the sentinel). */
static void lex_check_line(struct lexer *lx, const unsigned char *p)
{
	if ((size_t)(p - lx->line_start) > LEX_MAX_LINE_BYTES &&
	    lx->long_line_reported != lx->line) {
		lx->long_line_reported = lx->line;
		const unsigned char *at = lx->line_start + LEX_MAX_LINE_BYTES;
		struct src_pos b = lex_pos(lx, at);
		diag_error(lx->diag, span_of(lx, b, b), "E0008",
			   "line longer than %d bytes", LEX_MAX_LINE_BYTES);
	}
}

/* Starts a new line after the '\n' at p. */
static void lex_newline(struct lexer *lx, const unsigned char *nl)
{
	lex_check_line(lx, nl);
	lx->line++;
	lx->line_start = nl + 1;
	lx->col_at = nl + 1;
	lx->col = 1;
}

static void lex_error_at(struct lexer *lx, const unsigned char *b, const unsigned char *e,
			 const char *code, const char *msg)
{
	lx->token_had_error = true;
	diag_error(lx->diag, lex_span(lx, b, e), code, "%s", msg);
}

/* Reports the byte at p, which is NUL or not valid UTF-8; returns bytes to skip. */
static int lex_bad_byte(struct lexer *lx, const unsigned char *p)
{
	if (*p == 0) {
		lex_error_at(lx, p, p + 1, "E0004", "NUL byte in source");
		return 1;
	}
	int n = lex_utf8_len(p, lx->lim);
	if (n == 0) {
		lx->token_had_error = true;
		diag_error(lx->diag, lex_span(lx, p, p + 1), "E0002", "invalid UTF-8 (byte 0x%02x)",
			   (unsigned)*p);
		/* One report per bad sequence: skip the continuation bytes after it. */
		n = 1;
		while (n < 4 && p + n < lx->lim && (p[n] & 0xC0) == 0x80)
			n++;
		return n;
	}
	return n;
}

static int lex_word(struct lexer *lx, struct lex_token *t, int kind)
{
	t->kind = kind;
	t->span = lex_span(lx, lx->tok, lx->cur);
	t->str = ast_str_new(lx->arena, (const char *)lx->tok, (size_t)(lx->cur - lx->tok), t->span);
	return kind;
}

static int lex_punct(struct lexer *lx, struct lex_token *t, int kind)
{
	t->kind = kind;
	t->span = lex_span(lx, lx->tok, lx->cur);
	return kind;
}

static int lex_end(struct lexer *lx, struct lex_token *t)
{
	if (!lx->done)
		lex_check_line(lx, lx->lim);
	lx->done = true;
	lx->cur = lx->lim;
	t->kind = TOK_END;
	t->span = lex_span(lx, lx->lim, lx->lim);
	return TOK_END;
}

static int lex_open(struct lexer *lx, struct lex_token *t, int kind)
{
	lex_punct(lx, t, kind);
	if (lx->depth < PARSE_MAX_DEPTH)
		lx->open[lx->depth] = t->span;
	if (++lx->depth > PARSE_MAX_DEPTH) {
		lx->token_had_error = true;
		diag_error(lx->diag, t->span, "E0102", "nesting too deep (more than %d levels)",
			   PARSE_MAX_DEPTH);
		/* Ending the input here bounds every later stack and recursion. */
		lx->done = true;
		return lex_end(lx, t);
	}
	return kind;
}

static int lex_close(struct lexer *lx, struct lex_token *t, int kind)
{
	if (lx->depth > 0)
		lx->depth--;
	return lex_punct(lx, t, kind);
}

static int hexval(unsigned c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (int)(c - 'A' + 10);
	return -1;
}

/* Reads 4 hex digits at p; -1 if they are not there. */
static long hex4(const unsigned char *p)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval(p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static void put_utf8(struct sb *sb, unsigned long cp)
{
	if (cp < 0x80) {
		sb_addch(sb, (int)cp);
	} else if (cp < 0x800) {
		sb_addch(sb, (int)(0xC0 | (cp >> 6)));
		sb_addch(sb, (int)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		sb_addch(sb, (int)(0xE0 | (cp >> 12)));
		sb_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3F)));
		sb_addch(sb, (int)(0x80 | (cp & 0x3F)));
	} else {
		sb_addch(sb, (int)(0xF0 | (cp >> 18)));
		sb_addch(sb, (int)(0x80 | ((cp >> 12) & 0x3F)));
		sb_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3F)));
		sb_addch(sb, (int)(0x80 | (cp & 0x3F)));
	}
}

static bool at_line_end(const struct lexer *lx, const unsigned char *p)
{
	return *p == '\n' || (*p == '\r' && p[1] == '\n') || (*p == 0 && p >= lx->lim);
}

/* Reads a "..." string; lx->cur is just past the opening quote. */
static int lex_string(struct lexer *lx, struct lex_token *t)
{
	struct src_pos begin = lex_pos(lx, lx->tok);
	struct sb sb = SB_INIT;
	const unsigned char *p = lx->cur;
	const unsigned char *plain = NULL; /* the whole value, when it is one run */
	for (bool first = true;; first = false) {
		/* A run of printable ASCII without quote or backslash is copied at
		 * once; most strings are one such run and need no buffer at all. */
		const unsigned char *run = p;
		p = text_ascii_run(p, lx->lim, '"', '\\');
		if (first && *p == '"') {
			plain = run;
			p++;
			break;
		}
		if (p > run)
			sb_add(&sb, run, (size_t)(p - run));
		unsigned c = *p;
		if (c == '"') {
			p++;
			break;
		}
		if (at_line_end(lx, p)) {
			struct src_pos e = lex_pos(lx, p);
			lx->token_had_error = true;
			diag_error(lx->diag, span_of(lx, begin, e), "E0005", "unterminated string");
			break;
		}
		if (c == '\\') {
			unsigned e = p[1];
			const char *simple = NULL;
			switch (e) {
			case '"': simple = "\""; break;
			case '\\': simple = "\\"; break;
			case '/': simple = "/"; break;
			case 'b': simple = "\b"; break;
			case 'f': simple = "\f"; break;
			case 'n': simple = "\n"; break;
			case 'r': simple = "\r"; break;
			case 't': simple = "\t"; break;
			default: break;
			}
			if (simple) {
				sb_addch(&sb, simple[0]);
				p += 2;
				continue;
			}
			if (e == 'u') {
				long cp = hex4(p + 2);
				if (cp < 0) {
					lex_error_at(lx, p, p + 2, "E0007",
						     "invalid escape: '\\u' needs 4 hex digits");
					p += 2;
					continue;
				}
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					long lo = (p[6] == '\\' && p[7] == 'u') ? hex4(p + 8) : -1;
					if (lo >= 0xDC00 && lo <= 0xDFFF) {
						put_utf8(&sb, 0x10000 + (((unsigned long)cp - 0xD800) << 10) +
								      ((unsigned long)lo - 0xDC00));
						p += 12;
						continue;
					}
					lex_error_at(lx, p, p + 6, "E0007", "invalid escape: lone surrogate");
					p += 6;
					continue;
				}
				if (cp >= 0xDC00 && cp <= 0xDFFF) {
					lex_error_at(lx, p, p + 6, "E0007", "invalid escape: lone surrogate");
					p += 6;
					continue;
				}
				if (cp == 0) {
					/* every later stage reads strings as C strings: a NUL
					 * would silently cut the value short */
					lex_error_at(lx, p, p + 6, "E0007",
						     "invalid escape: '\\u0000' (a NUL character) cannot be part of a string");
					p += 6;
					continue;
				}
				put_utf8(&sb, (unsigned long)cp);
				p += 6;
				continue;
			}
			if (at_line_end(lx, p + 1)) {
				p++;
				continue; /* the unterminated string is reported next */
			}
			int n = lex_utf8_len(p + 1, lx->lim);
			struct src_pos b = lex_pos(lx, p);
			struct src_pos en = lex_pos(lx, p + 1 + (n ? n : 1));
			lx->token_had_error = true;
			if (n && e >= 0x20 && e < 0x7F)
				diag_error(lx->diag, span_of(lx, b, en), "E0007",
					   "invalid escape '\\%c'", (char)e);
			else
				diag_error(lx->diag, span_of(lx, b, en), "E0007", "invalid escape");
			p += 1 + (n ? n : 1);
			continue;
		}
		if (c < 0x80 && c != 0) {
			sb_addch(&sb, (int)c);
			p++;
			continue;
		}
		int n = lex_utf8_len(p, lx->lim);
		if (n == 0 || c == 0) {
			p += lex_bad_byte(lx, p);
			continue;
		}
		sb_add(&sb, p, (size_t)n);
		p += n;
	}
	lx->cur = p;
	t->kind = TOK_STRING;
	t->span = span_of(lx, begin, lex_pos(lx, p));
	if (plain)
		t->str = ast_str_new(lx->arena, (const char *)plain, (size_t)(p - 1 - plain), t->span);
	else
		t->str = ast_str_new(lx->arena, sb.buf, sb.len, t->span);
	sb_release(&sb);
	return TOK_STRING;
}

/* Reads a """...""" text block; lx->cur is just past the opening quotes. */
static int lex_text_block(struct lexer *lx, struct lex_token *t)
{
	struct src_pos begin = lex_pos(lx, lx->tok);
	struct sb raw = SB_INIT;
	const unsigned char *p = lx->cur;
	const unsigned char *run = p; /* start of bytes not yet copied */
	bool closed = false;
	for (;;) {
		p = text_ascii_run(p, lx->lim, '"', '"'); /* plain bytes: nothing to do but move on */
		unsigned c = *p;
		if (c == '"' && p[1] == '"' && p[2] == '"') {
			sb_add(&raw, run, (size_t)(p - run));
			p += 3;
			closed = true;
			break;
		}
		if (c == 0 && p >= lx->lim) {
			sb_add(&raw, run, (size_t)(p - run));
			break;
		}
		if (c == '\n') {
			p++;
			lex_newline(lx, p - 1);
			continue;
		}
		if (c == '\r' && p[1] == '\n') {
			/* CRLF becomes LF in the value. */
			sb_add(&raw, run, (size_t)(p - run));
			p++;
			run = p;
			continue;
		}
		if (c < 0x80 && c != 0) {
			p++;
			continue;
		}
		int n = c ? lex_utf8_len(p, lx->lim) : 0;
		if (n == 0) {
			sb_add(&raw, run, (size_t)(p - run));
			p += lex_bad_byte(lx, p);
			run = p;
			continue;
		}
		p += n;
	}
	lx->cur = p;
	struct src_pos end = lex_pos(lx, p);
	if (!closed) {
		lx->token_had_error = true;
		struct src_pos b3 = begin;
		b3.offset += 3;
		b3.col += 3;
		diag_error(lx->diag, span_of(lx, begin, b3), "E0006", "unterminated text block");
	}
	size_t len;
	char *value = text_dedent(lx->arena, raw.buf, raw.len, &len);
	sb_release(&raw);
	t->kind = TOK_TEXT;
	t->span = span_of(lx, begin, end);
	t->str = ast_str_new(lx->arena, value, len, t->span);
	t->str->is_text_block = true;
	return TOK_TEXT;
}

/* Skips a comment to the end of the line, checking its bytes. */
static void lex_line_comment(struct lexer *lx)
{
	const unsigned char *p = lx->cur;
	while (!at_line_end(lx, p)) {
		if (*p >= 0x80 || *p == 0)
			p += lex_bad_byte(lx, p);
		else
			p++;
	}
	lx->cur = p;
}

/* Skips a block comment; lx->cur is past the opening slash-star. */
static void lex_block_comment(struct lexer *lx)
{
	const unsigned char *p = lx->cur;
	struct src_pos begin = lex_pos(lx, lx->tok);
	for (;;) {
		if (*p == '*' && p[1] == '/') {
			p += 2;
			break;
		}
		if (*p == 0 && p >= lx->lim) {
			struct src_pos b2 = begin;
			b2.offset += 2;
			b2.col += 2;
			lx->token_had_error = true;
			diag_error(lx->diag, span_of(lx, begin, b2), "E0010", "unterminated comment");
			break;
		}
		if (*p == '\n') {
			p++;
			lex_newline(lx, p - 1);
			continue;
		}
		if (*p >= 0x80 || *p == 0)
			p += lex_bad_byte(lx, p);
		else
			p++;
	}
	lx->cur = p;
}

/*
 * Skips a comment.  A bad byte inside it is reported but does not count
 * against the next token, whose syntax errors are still worth reporting;
 * an unterminated comment runs to the end, so it does.
 */
static void lex_comment(struct lexer *lx, void (*skip)(struct lexer *))
{
	bool before = lx->token_had_error;
	skip(lx);
	if (lx->cur < lx->lim)
		lx->token_had_error = before;
}

/* True when the lexeme [b, e) is a number as JSON writes them. */
static bool json_number_ok(const unsigned char *b, const unsigned char *e)
{
	const unsigned char *p = b;
	if (p < e && *p == '-')
		p++;
	if (p >= e)
		return false;
	if (*p == '0') {
		p++;
	} else if (*p >= '1' && *p <= '9') {
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	} else {
		return false;
	}
	if (p < e && *p == '.') {
		p++;
		if (p >= e || *p < '0' || *p > '9')
			return false;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || *p < '0' || *p > '9')
			return false;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	return p == e;
}

static int lex_number(struct lexer *lx, struct lex_token *t)
{
	t->kind = TOK_NUMBER;
	t->span = lex_span(lx, lx->tok, lx->cur);
	size_t n = (size_t)(lx->cur - lx->tok);
	char *text = arena_strndup(lx->arena, (const char *)lx->tok, n);
	bool well_formed = json_number_ok(lx->tok, lx->cur);
	if (!well_formed) {
		lx->token_had_error = true;
		diag_error(lx->diag, t->span, "E0011", "invalid number '%s'", text);
	}
	t->num = ast_json_new(lx->arena, AST_JSON_NUMBER, t->span);
	t->num->u.number.text = text;
	t->num->u.number.value = strtod(text, NULL);
	/* 1e309 overflows to infinity, which every JSON reader would see */
	if (well_formed && !isfinite(t->num->u.number.value)) {
		lx->token_had_error = true;
		diag_error(lx->diag, t->span, "E0011", "number '%s' is out of range", text);
	}
	return TOK_NUMBER;
}

/* The default rule: a byte that starts no token. */
static void lex_unexpected(struct lexer *lx)
{
	const unsigned char *p = lx->tok;
	if (*p == 0 || *p >= 0x80) {
		int n = lex_bad_byte(lx, p);
		if (*p != 0 && lex_utf8_len(p, lx->lim) > 0) {
			lx->token_had_error = true;
			diag_error(lx->diag, lex_span(lx, p, p + n), "E0001",
				   "unexpected character '%.*s'", n, (const char *)p);
		}
		lx->cur = p + n;
		return;
	}
	lx->token_had_error = true;
	struct src_span s = lex_span(lx, p, p + 1);
	if (*p >= 0x20 && *p < 0x7F)
		diag_error(lx->diag, s, "E0001", "unexpected character '%c'", (char)*p);
	else
		diag_error(lx->diag, s, "E0001", "unexpected character (byte 0x%02x)", (unsigned)*p);
}

int lex_next(struct lexer *lx, struct lex_token *t)
{
	memset(t, 0, sizeof(*t));
	lx->token_had_error = false;
	if (lx->done)
		return lex_end(lx, t);
	for (;;) {
		/* After too many errors nothing more is worth reading. */
		if (diag_should_stop(lx->diag)) {
			lx->done = true;
			return lex_end(lx, t);
		}
		lx->tok = lx->cur;
		const unsigned char *YYMARKER = NULL;
		(void)YYMARKER;
/*!re2c
	re2c:define:YYCTYPE = "unsigned char";
	re2c:define:YYCURSOR = "lx->cur";
	re2c:define:YYLIMIT = "lx->lim";
	re2c:yyfill:enable = 0;
	re2c:eof = 0;

	word_char = [A-Za-z0-9_];
	word = [A-Za-z_] word_char* ([.-] word_char+)*;
	number = "-"? [0-9]+ ("." [0-9]*)? ([eE] [+-]? [0-9]*)?;

	$ { return lex_end(lx, t); }
	* { lex_unexpected(lx); continue; }

	[ \t]+ { continue; }
	"\r"? "\n" { lex_newline(lx, lx->cur - 1); continue; }
	"#" | "//" { lex_comment(lx, lex_line_comment); continue; }
	"/*" { lex_comment(lx, lex_block_comment); continue; }

	["]["]["] { return lex_text_block(lx, t); }
	["] { return lex_string(lx, t); }
	number { return lex_number(lx, t); }

	"{" { return lex_open(lx, t, TOK_LBRACE); }
	"[" { return lex_open(lx, t, TOK_LBRACKET); }
	"}" { return lex_close(lx, t, TOK_RBRACE); }
	"]" { return lex_close(lx, t, TOK_RBRACKET); }
	"(" { return lex_punct(lx, t, TOK_LPAREN); }
	")" { return lex_punct(lx, t, TOK_RPAREN); }
	"," { return lex_punct(lx, t, TOK_COMMA); }
	":" { return lex_punct(lx, t, TOK_COLON); }
	"=" { return lex_punct(lx, t, TOK_ASSIGN); }
	"|" { return lex_punct(lx, t, TOK_BAR); }
	"->" { return lex_punct(lx, t, TOK_ARROW); }
	"==" { return lex_punct(lx, t, TOK_EQ); }
	"!=" { return lex_punct(lx, t, TOK_NE); }
	"<" { return lex_punct(lx, t, TOK_LT); }
	"<=" { return lex_punct(lx, t, TOK_LE); }
	">" { return lex_punct(lx, t, TOK_GT); }
	">=" { return lex_punct(lx, t, TOK_GE); }

	"equals" | "notEquals" | "like" | "notLike" | "match" | "matchInsensitively"
	| "notMatch" | "notMatchInsensitively" | "contains" | "notContains" | "in"
	| "notIn" | "containsKey" | "notContainsKey" | "less" | "lessOrEquals"
	| "greater" | "greaterOrEquals" | "exists" { return lex_word(lx, t, TOK_OP); }
	"service" { return lex_word(lx, t, TOK_SERVICE); }
	"section" { return lex_word(lx, t, TOK_SECTION); }
	"recommendation" { return lex_word(lx, t, TOK_RECOMMENDATION); }
	"see" { return lex_word(lx, t, TOK_SEE); }
	"enforce" { return lex_word(lx, t, TOK_ENFORCE); }
	"policy" { return lex_word(lx, t, TOK_POLICY); }
	"initiative" { return lex_word(lx, t, TOK_INITIATIVE); }
	"ms.service" { return lex_word(lx, t, TOK_MS_SERVICE); }
	"author" { return lex_word(lx, t, TOK_AUTHOR); }
	"ms.author" { return lex_word(lx, t, TOK_MS_AUTHOR); }
	"ms.date" { return lex_word(lx, t, TOK_MS_DATE); }
	"category" { return lex_word(lx, t, TOK_CATEGORY); }
	"version" { return lex_word(lx, t, TOK_VERSION); }
	"governs" { return lex_word(lx, t, TOK_GOVERNS); }
	"at" { return lex_word(lx, t, TOK_AT); }
	"title" { return lex_word(lx, t, TOK_TITLE); }
	"heading" { return lex_word(lx, t, TOK_HEADING); }
	"description" { return lex_word(lx, t, TOK_DESCRIPTION); }
	"intro" { return lex_word(lx, t, TOK_INTRO); }
	"related" { return lex_word(lx, t, TOK_RELATED); }
	"display" { return lex_word(lx, t, TOK_DISPLAY); }
	"mode" { return lex_word(lx, t, TOK_MODE); }
	"policyType" { return lex_word(lx, t, TOK_POLICY_TYPE); }
	"versions" { return lex_word(lx, t, TOK_VERSIONS); }
	"metadata" { return lex_word(lx, t, TOK_METADATA); }
	"message" { return lex_word(lx, t, TOK_MESSAGE); }
	"id" { return lex_word(lx, t, TOK_ID); }
	"property" { return lex_word(lx, t, TOK_PROPERTY); }
	"param" { return lex_word(lx, t, TOK_PARAM); }
	"effect" { return lex_word(lx, t, TOK_EFFECT); }
	"if" { return lex_word(lx, t, TOK_IF); }
	"modify" { return lex_word(lx, t, TOK_MODIFY); }
	"append" { return lex_word(lx, t, TOK_APPEND); }
	"details" { return lex_word(lx, t, TOK_DETAILS); }
	"name" { return lex_word(lx, t, TOK_NAME); }
	"strongType" { return lex_word(lx, t, TOK_STRONG_TYPE); }
	"allowed" { return lex_word(lx, t, TOK_ALLOWED); }
	"default" { return lex_word(lx, t, TOK_DEFAULT); }
	"schema" { return lex_word(lx, t, TOK_SCHEMA); }
	"extra" { return lex_word(lx, t, TOK_EXTRA); }
	"imported" { return lex_word(lx, t, TOK_IMPORTED); }
	"all" { return lex_word(lx, t, TOK_ALL); }
	"any" { return lex_word(lx, t, TOK_ANY); }
	"not" { return lex_word(lx, t, TOK_NOT); }
	"type" { return lex_word(lx, t, TOK_TYPE); }
	"field" { return lex_word(lx, t, TOK_FIELD); }
	"value" { return lex_word(lx, t, TOK_VALUE); }
	"count" { return lex_word(lx, t, TOK_COUNT); }
	"where" { return lex_word(lx, t, TOK_WHERE); }
	"as" { return lex_word(lx, t, TOK_AS); }
	"true" { return lex_word(lx, t, TOK_JTRUE); }
	"false" { return lex_word(lx, t, TOK_JFALSE); }
	"null" { return lex_word(lx, t, TOK_JNULL); }
	"resourceGroupName" { return lex_word(lx, t, TOK_RESOURCE_GROUP_NAME); }
	"existenceScope" { return lex_word(lx, t, TOK_EXISTENCE_SCOPE); }
	"deploymentScope" { return lex_word(lx, t, TOK_DEPLOYMENT_SCOPE); }
	"evaluationDelay" { return lex_word(lx, t, TOK_EVALUATION_DELAY); }
	"existenceCondition" { return lex_word(lx, t, TOK_EXISTENCE_CONDITION); }
	"roleDefinitionIds" { return lex_word(lx, t, TOK_ROLE_DEFINITION_IDS); }
	"deployment" { return lex_word(lx, t, TOK_DEPLOYMENT); }
	"conflictEffect" { return lex_word(lx, t, TOK_CONFLICT_EFFECT); }
	"set" { return lex_word(lx, t, TOK_SET); }
	"add" { return lex_word(lx, t, TOK_ADD); }
	"remove" { return lex_word(lx, t, TOK_REMOVE); }
	"when" { return lex_word(lx, t, TOK_WHEN); }
	"group" { return lex_word(lx, t, TOK_GROUP); }
	"reference" { return lex_word(lx, t, TOK_REFERENCE); }
	"parameter" { return lex_word(lx, t, TOK_PARAMETER); }
	"parameters" { return lex_word(lx, t, TOK_PARAMETERS); }
	"definitionVersion" { return lex_word(lx, t, TOK_DEFINITION_VERSION); }
	"groups" { return lex_word(lx, t, TOK_GROUPS); }
	"additionalMetadataId" { return lex_word(lx, t, TOK_ADDITIONAL_METADATA_ID); }
	"harden" { return lex_word(lx, t, TOK_HARDEN); }
	"input" { return lex_word(lx, t, TOK_INPUT); }
	"companion" { return lex_word(lx, t, TOK_COMPANION); }
	"secure" { return lex_word(lx, t, TOK_SECURE); }
	"remediate" { return lex_word(lx, t, TOK_REMEDIATE); }
	"test" { return lex_word(lx, t, TOK_TEST); }
	"resource" { return lex_word(lx, t, TOK_RESOURCE); }
	"expect" { return lex_word(lx, t, TOK_EXPECT); }
	"apiVersion" { return lex_word(lx, t, TOK_API_VERSION); }
	"identity" { return lex_word(lx, t, TOK_IDENTITY); }
	"since" { return lex_word(lx, t, TOK_SINCE); }
	word { return lex_word(lx, t, TOK_IDENT); }
*/
	}
}
