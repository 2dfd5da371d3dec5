#include "pacc/fmt.h"

#include "pacc/arena.h"
#include "pacc/lex.h"
#include "pacc/parse.h"

#include <stdlib.h>
#include <string.h>

/* Spaces per level of indentation. */
#define FMT_INDENT 2

struct fmt {
	struct sb *out;
	struct sb line;       /* the current line's text, without its indentation */
	/* Per open '{', '[' or '(': whether it added a level (the first opener
	 * of its line does; "[{" opens one level, not two). */
	bool levels[PARSE_MAX_DEPTH + 1];
	int open;             /* entries in levels */
	int depth;            /* levels added by the open brackets */
	int line_depth;       /* indentation level of the current line */
	bool opened_on_line;  /* an opener on the current line added a level */
	bool only_closers;    /* the current line holds closers only, so far */
	bool line_open;       /* the current line has text */
	bool ends_in_opener;  /* the last item of the current line opens a level */
	bool prev_opens;      /* the last written line ended in an opener */
	bool wrote_any;       /* a line has been written */
	/* Trivia since the last item: line breaks and white space. */
	int breaks;
	bool space;
};

static bool is_opener(int kind)
{
	return kind == TOK_LBRACE || kind == TOK_LBRACKET || kind == TOK_LPAREN;
}

static bool is_closer(int kind)
{
	return kind == TOK_RBRACE || kind == TOK_RBRACKET || kind == TOK_RPAREN;
}

static void add_indent(struct sb *out, int depth)
{
	if (depth > 0)
		sb_addchars(out, ' ', (size_t)depth * FMT_INDENT);
}

/* Writes the current line, without trailing white space. */
static void flush_line(struct fmt *f)
{
	if (!f->line_open)
		return;
	sb_rtrim(&f->line);
	add_indent(f->out, f->line_depth);
	sb_add(f->out, f->line.buf, f->line.len);
	sb_addch(f->out, '\n');
	sb_reset(&f->line);
	f->line_open = false;
	f->prev_opens = f->ends_in_opener;
	f->wrote_any = true;
}

/*
 * Places the next item: on the current line (after one space when the
 * source had white space) or, after a line break, on a new line, with one
 * blank line where the source had any and the rules allow one.
 */
static void place(struct fmt *f, bool closer)
{
	if (f->line_open && f->breaks == 0) {
		if (f->space)
			sb_addch(&f->line, ' ');
	} else {
		bool blank = f->breaks >= 2;
		flush_line(f);
		if (blank && f->wrote_any && !f->prev_opens && !closer)
			sb_addch(f->out, '\n');
		f->line_depth = f->depth;
		f->line_open = true;
		f->opened_on_line = false;
		f->only_closers = true;
	}
	f->breaks = 0;
	f->space = false;
}

/* Appends n bytes at p with CRLF made LF. */
static void add_lf(struct sb *sb, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(p[i] == '\r' && i + 1 < n && p[i + 1] == '\n'))
			sb_addch(sb, p[i]);
}

/* Reads the white space and comments in [p, end). */
static void trivia(struct fmt *f, const unsigned char *p, const unsigned char *end)
{
	while (p < end) {
		if (*p == '\n') {
			f->breaks++;
			p++;
		} else if (*p == ' ' || *p == '\t' || *p == '\r') {
			f->space = true;
			p++;
		} else if (*p == '#' || (*p == '/' && p + 1 < end && p[1] == '/')) {
			const unsigned char *e = p;
			while (e < end && *e != '\n')
				e++;
			place(f, false);
			add_lf(&f->line, p, (size_t)(e - p));
			f->ends_in_opener = false;
			f->only_closers = false;
			p = e;
		} else if (*p == '/' && p + 1 < end && p[1] == '*') {
			const unsigned char *e = p + 2;
			while (e + 1 < end && !(e[0] == '*' && e[1] == '/'))
				e++;
			e = e + 1 < end ? e + 2 : end;
			place(f, false);
			add_lf(&f->line, p, (size_t)(e - p));
			f->ends_in_opener = false;
			f->only_closers = false;
			p = e;
		} else {
			/* Not trivia: cannot happen between the tokens of a clean lex. */
			p++;
		}
	}
}

static bool blank_bytes(const unsigned char *p, const unsigned char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return false;
	return true;
}

/*
 * A text block: re-indented when it spans lines and its first and last
 * lines are blank, else kept as written.
 */
static void text_block(struct fmt *f, const struct lex_token *t, const unsigned char *p,
		       const unsigned char *end)
{
	const unsigned char *body = p + 3, *body_end = end - 3;
	const unsigned char *first_nl = memchr(body, '\n', (size_t)(body_end - body));
	const unsigned char *last_nl = NULL;
	for (const unsigned char *q = body_end; q > body; q--)
		if (q[-1] == '\n') {
			last_nl = q - 1;
			break;
		}
	if (!first_nl || !blank_bytes(body, first_nl) || !blank_bytes(last_nl + 1, body_end)) {
		add_lf(&f->line, p, (size_t)(end - p));
		return;
	}
	sb_adds(&f->line, "\"\"\"\n");
	const char *v = t->str->s, *vend = t->str->s + t->str->len;
	while (v < vend) {
		const char *nl = memchr(v, '\n', (size_t)(vend - v));
		const char *e = nl ? nl : vend;
		if (e > v) {
			add_indent(&f->line, f->line_depth + 1);
			sb_add(&f->line, v, (size_t)(e - v));
		}
		sb_addch(&f->line, '\n');
		v = nl ? nl + 1 : vend;
	}
	add_indent(&f->line, f->line_depth);
	sb_adds(&f->line, "\"\"\"");
}

/* The tokens of src, or NULL when the lexer reported an error.  *n: their number. */
static struct lex_token *tokens_of(const struct source *src, struct arena *a, size_t *n)
{
	struct diag_engine d;
	diag_init(&d);
	d.max_errors = 1;
	struct lexer lx;
	lex_init(&lx, src, a, &d);
	size_t alloc = 256;
	struct lex_token *toks = xmalloc(alloc * sizeof(*toks));
	*n = 0;
	for (;;) {
		if (*n == alloc) {
			alloc *= 2;
			toks = xrealloc(toks, alloc * sizeof(*toks));
		}
		int kind = lex_next(&lx, &toks[*n]);
		if (kind == TOK_END)
			break;
		++*n;
	}
	bool bad = diag_has_errors(&d);
	diag_release(&d);
	if (bad) {
		free(toks);
		return NULL;
	}
	return toks;
}

static bool same_token(const struct lex_token *a, const struct lex_token *b)
{
	if (a->kind != b->kind || !a->str != !b->str || !a->num != !b->num)
		return false;
	if (a->str && (a->str->len != b->str->len || a->str->is_text_block != b->str->is_text_block ||
		       memcmp(a->str->s, b->str->s, a->str->len) != 0))
		return false;
	if (a->num && (a->num->u.number.value != b->num->u.number.value ||
		       !a->num->u.number.text != !b->num->u.number.text ||
		       (a->num->u.number.text &&
			strcmp(a->num->u.number.text, b->num->u.number.text) != 0)))
		return false;
	return true;
}

enum fmt_status fmt_pack(const struct source *src, const char *pack_name, struct diag_engine *d,
			 struct sb *out)
{
	struct arena arena;
	arena_init(&arena);
	size_t before = d->errors;
	parse_pack(src, pack_name, &arena, d);
	if (d->errors != before) {
		arena_release(&arena);
		return FMT_ERRORS;
	}
	size_t n;
	struct lex_token *toks = tokens_of(src, &arena, &n);
	if (!toks) {
		arena_release(&arena);
		return FMT_ERRORS;
	}
	struct fmt f = { .out = out, .line = SB_INIT };
	const unsigned char *at = src->text;
	for (size_t i = 0; i < n; i++) {
		const struct lex_token *t = &toks[i];
		const unsigned char *p = src->text + t->span.begin.offset;
		const unsigned char *end = src->text + t->span.end.offset;
		trivia(&f, at, p);
		bool closer = is_closer(t->kind);
		bool popped_level = false;
		if (closer && f.open > 0) {
			popped_level = f.levels[--f.open];
			f.depth -= popped_level;
		}
		bool same_line = f.line_open && f.breaks == 0;
		place(&f, closer);
		/* "}]" at the start of a line lines up with the line that opened "[{". */
		if (closer && same_line && f.only_closers && popped_level)
			f.line_depth--;
		if (!closer)
			f.only_closers = false;
		if (t->kind == TOK_TEXT && t->str)
			text_block(&f, t, p, end);
		else
			sb_add(&f.line, p, (size_t)(end - p));
		f.ends_in_opener = is_opener(t->kind);
		if (f.ends_in_opener && f.open <= PARSE_MAX_DEPTH) {
			bool adds = !f.opened_on_line;
			f.levels[f.open++] = adds;
			f.depth += adds;
			f.opened_on_line = true;
		}
		at = end;
	}
	trivia(&f, at, src->text + src->len);
	flush_line(&f);
	sb_release(&f.line);

	/* The proof: the result lexes to the same tokens. */
	struct source *again = source_from_memory(src->name, out->buf, out->len);
	size_t m;
	struct lex_token *toks2 = tokens_of(again, &arena, &m);
	bool same = toks2 && m == n;
	for (size_t i = 0; same && i < n; i++)
		same = same_token(&toks[i], &toks2[i]);
	free(toks2);
	source_free(again);
	free(toks);
	arena_release(&arena);
	if (!same) {
		sb_reset(out);
		return FMT_INTERNAL;
	}
	return FMT_OK;
}
