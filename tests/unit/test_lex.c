/* Unit tests for the lexer (grammar/lexer.re) and text-block dedenting (src/base/text.c). */
#include "testutil.h"

#include "pacc/lex.h"
#include "pacc/parse.h"
#include "pacc/sb.h"
#include "pacc/text.h"

#include <stdlib.h>
#include <time.h>

#define MAX_TOKENS 64

/* Lexes text into toks (up to MAX_TOKENS, TOK_END included); returns the count. */
static size_t lex_all(struct fixture *f, const char *text, size_t len, struct lex_token *toks)
{
	source_free(f->src);
	f->src = source_from_memory("test.pacc", text, len);
	struct lexer lx;
	lex_init(&lx, f->src, &f->arena, &f->diag);
	size_t n = 0;
	for (;;) {
		struct lex_token t;
		int kind = lex_next(&lx, &t);
		if (n < MAX_TOKENS)
			toks[n++] = t;
		if (kind == TOK_END)
			break;
	}
	return n;
}

static size_t lex_str(struct fixture *f, const char *text, struct lex_token *toks)
{
	return lex_all(f, text, strlen(text), toks);
}

static void assert_tok(const struct lex_token *t, int kind, uint32_t line, uint32_t col)
{
	assert_int_equal(t->kind, kind);
	assert_int_equal(t->span.begin.line, line);
	assert_int_equal(t->span.begin.col, col);
}

static void test_lex_tokens_and_positions(void **state)
{
	struct fixture *f = *state;
	struct lex_token t[MAX_TOKENS];
	size_t n = lex_str(f, "section NS-2 \"Net\" {\n  x == 1.5 -> [a, b]\n}", t);
	assert_int_equal(f->diag.count, 0);
	assert_int_equal(n, 15);
	assert_tok(&t[0], TOK_SECTION, 1, 1);
	assert_tok(&t[1], TOK_IDENT, 1, 9);
	assert_string_equal(t[1].str->s, "NS-2");
	assert_tok(&t[2], TOK_STRING, 1, 14);
	assert_string_equal(t[2].str->s, "Net");
	assert_int_equal(t[2].span.end.col, 19); /* quotes included */
	assert_tok(&t[3], TOK_LBRACE, 1, 20);
	assert_tok(&t[4], TOK_IDENT, 2, 3);
	assert_tok(&t[5], TOK_EQ, 2, 5);
	assert_tok(&t[6], TOK_NUMBER, 2, 8);
	assert_string_equal(t[6].num->u.number.text, "1.5");
	assert_true(t[6].num->u.number.value == 1.5);
	assert_tok(&t[7], TOK_ARROW, 2, 12);
	assert_tok(&t[8], TOK_LBRACKET, 2, 15);
	assert_tok(&t[10], TOK_COMMA, 2, 17);
	assert_tok(&t[12], TOK_RBRACKET, 2, 20);
	assert_tok(&t[13], TOK_RBRACE, 3, 1);
	assert_tok(&t[14], TOK_END, 3, 2);
	assert_int_equal(t[13].span.begin.offset, 42);
}

static void test_lex_non_ascii_columns(void **state)
{
	struct fixture *f = *state;
	struct lex_token t[MAX_TOKENS];
	/* "é" is 2 bytes, "😀" 4: columns count code points, offsets bytes. */
	size_t n = lex_str(f, "\"é😀\" x\n  \"ü\" y", t);
	assert_int_equal(f->diag.count, 0);
	assert_int_equal(n, 5);
	assert_string_equal(t[0].str->s, "é😀");
	assert_int_equal(t[0].span.end.col, 5);
	assert_tok(&t[1], TOK_IDENT, 1, 6);
	assert_int_equal(t[1].span.begin.offset, 9);
	assert_tok(&t[2], TOK_STRING, 2, 3);
	assert_tok(&t[3], TOK_IDENT, 2, 7);
}

/* Columns on ASCII lines are offsets; a line's non-ASCII byte counts from where it is. */
static void test_lex_columns_ascii_and_not(void **state)
{
	struct fixture *f = *state;
	struct lex_token t[MAX_TOKENS];
	size_t n = lex_str(f, "abcdefghij klmnopqrst\n  x \"ééé\" y\n\n   zzzzzzzzzzzz w", t);
	assert_int_equal(f->diag.count, 0);
	assert_int_equal(n, 8);
	assert_tok(&t[1], TOK_IDENT, 1, 12);
	assert_tok(&t[2], TOK_IDENT, 2, 3);
	assert_tok(&t[3], TOK_STRING, 2, 5);
	assert_int_equal(t[3].span.end.col, 10);
	assert_tok(&t[4], TOK_IDENT, 2, 11);
	assert_int_equal(t[4].span.begin.offset, 35);
	assert_tok(&t[5], TOK_IDENT, 4, 4);
	assert_tok(&t[6], TOK_IDENT, 4, 17);
}

static void test_lex_crlf(void **state)
{
	struct fixture *f = *state;
	struct lex_token t[MAX_TOKENS];
	size_t n = lex_str(f, "policy\r\n\"p\" # note\r\n{\r\n}\r\n", t);
	assert_int_equal(f->diag.count, 0);
	assert_int_equal(n, 5);
	assert_tok(&t[0], TOK_POLICY, 1, 1);
	assert_tok(&t[1], TOK_STRING, 2, 1);
	assert_tok(&t[2], TOK_LBRACE, 3, 1);
	assert_tok(&t[3], TOK_RBRACE, 4, 1);
	assert_tok(&t[4], TOK_END, 5, 1);
}

static void test_lex_byte_order_mark_skipped(void **state)
{
	struct fixture *f = *state;
	struct lex_token t[MAX_TOKENS];
	size_t n = lex_str(f, "\xEF\xBB\xBFpolicy x", t);
	assert_int_equal(f->diag.count, 0);
	assert_int_equal(n, 3);
	assert_tok(&t[0], TOK_POLICY, 1, 1);
	assert_int_equal(t[0].span.begin.offset, 3);
	assert_tok(&t[1], TOK_IDENT, 1, 8);
}

static void test_lex_keywords_and_words(void **state)
{
	struct fixture *f = *state;
	struct lex_token t[MAX_TOKENS];
	size_t n = lex_str(f, "ms.service ms.services in inside notEquals Equals "
			      "Microsoft.KeyVault.Data true nulls effect", t);
	assert_int_equal(f->diag.count, 0);
	assert_int_equal(n, 11);
	assert_int_equal(t[0].kind, TOK_MS_SERVICE);
	assert_int_equal(t[1].kind, TOK_IDENT);
	assert_int_equal(t[2].kind, TOK_OP);
	assert_int_equal(t[3].kind, TOK_IDENT);
	assert_int_equal(t[4].kind, TOK_OP);
	assert_int_equal(t[5].kind, TOK_IDENT); /* operators are case-sensitive */
	assert_int_equal(t[6].kind, TOK_IDENT);
	assert_string_equal(t[6].str->s, "Microsoft.KeyVault.Data");
	assert_int_equal(t[7].kind, TOK_JTRUE);
	assert_int_equal(t[8].kind, TOK_IDENT);
	assert_int_equal(t[9].kind, TOK_EFFECT);
	assert_string_equal(t[9].str->s, "effect");
}

static void test_lex_string_escapes(void **state)
{
	struct fixture *f = *state;
	struct lex_token t[MAX_TOKENS];
	lex_str(f, "\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00\\u0001z\"", t);
	assert_int_equal(f->diag.count, 0);
	assert_int_equal(t[0].kind, TOK_STRING);
	const char want[] = "a\"b\\c/d\n\té\xF0\x9F\x98\x80\x01z";
	assert_int_equal(t[0].str->len, sizeof(want) - 1);
	assert_memory_equal(t[0].str->s, want, sizeof(want) - 1);
}

static void test_lex_text_block(void **state)
{
	struct fixture *f = *state;
	struct lex_token t[MAX_TOKENS];
	size_t n = lex_str(f, "x \"\"\"\n    First line  \n      indented \\n\n\n    last\n  \"\"\" y", t);
	assert_int_equal(f->diag.count, 0);
	assert_int_equal(n, 4);
	assert_int_equal(t[1].kind, TOK_TEXT);
	assert_true(t[1].str->is_text_block);
	assert_string_equal(t[1].str->s, "First line\n  indented \\n\n\nlast");
	assert_tok(&t[2], TOK_IDENT, 6, 7);
}

static void test_lex_text_block_crlf(void **state)
{
	struct fixture *f = *state;
	struct lex_token t[MAX_TOKENS];
	lex_str(f, "\"\"\"\r\n  a\r\n   b\r\n  \"\"\"", t);
	assert_int_equal(f->diag.count, 0);
	assert_string_equal(t[0].str->s, "a\n b");
}

static void test_text_dedent_rules(void **state)
{
	struct fixture *f = *state;
	size_t len;
	/* First line kept when not blank; it counts for the common indent. */
	assert_string_equal(text_dedent(&f->arena, "abc\n  def", 9, &len), "abc\n  def");
	assert_string_equal(text_dedent(&f->arena, "  \n\tx\n\t\ty\n\t", 10, &len), "x\n\ty");
	assert_string_equal(text_dedent(&f->arena, "", 0, &len), "");
	assert_int_equal(len, 0);
	assert_string_equal(text_dedent(&f->arena, "\n\n", 2, &len), "");
	assert_string_equal(text_dedent(&f->arena, "\n  a  \n\n  b\n", 12, &len), "a\n\nb");
	assert_true(text_is_blank(" \t ", 3));
	assert_false(text_is_blank(" x", 2));
}

static void test_lex_number_forms(void **state)
{
	struct fixture *f = *state;
	struct lex_token t[MAX_TOKENS];
	lex_str(f, "0 -12 1e3 2.5E-2 -0.0", t);
	assert_int_equal(f->diag.count, 0);
	assert_string_equal(t[1].num->u.number.text, "-12");
	assert_true(t[1].num->u.number.value == -12.0);
	assert_true(t[2].num->u.number.value == 1000.0);
	assert_true(t[3].num->u.number.value == 0.025);
}

/* Lexes text and asserts exactly one diagnostic with this code at line:col. */
static void lex_expect_error(struct fixture *f, const char *text, size_t len, const char *code,
			     uint32_t line, uint32_t col)
{
	struct lex_token t[MAX_TOKENS];
	diag_release(&f->diag);
	diag_init(&f->diag);
	lex_all(f, text, len, t);
	if (f->diag.count != 1)
		print_error("input %.*s: %zu diagnostics\n", (int)len, text, f->diag.count);
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, code, line, col);
}

#define EXPECT_ERROR(f, lit, code, line, col) lex_expect_error(f, lit, sizeof(lit) - 1, code, line, col)

static void test_lex_errors(void **state)
{
	struct fixture *f = *state;
	EXPECT_ERROR(f, "service @", "E0001", 1, 9);
	EXPECT_ERROR(f, "a\n \"é\" §", "E0001", 2, 6);
	EXPECT_ERROR(f, "x \"ab\xff\"", "E0002", 1, 6);
	EXPECT_ERROR(f, "# c\xc3\n", "E0002", 1, 4);
	EXPECT_ERROR(f, "/* \xed\xa0\x80 */", "E0002", 1, 4);
	EXPECT_ERROR(f, "\"\"\"\n  ok\n  \xc0\xaf\n\"\"\"", "E0002", 3, 3);
	EXPECT_ERROR(f, "a \xf8 b", "E0002", 1, 3);
	EXPECT_ERROR(f, "a\0b", "E0004", 1, 2);
	EXPECT_ERROR(f, "\"a\0b\"", "E0004", 1, 3);
	EXPECT_ERROR(f, "display \"abc\nx", "E0005", 1, 9);
	EXPECT_ERROR(f, "display \"abc", "E0005", 1, 9);
	EXPECT_ERROR(f, "x\n  \"\"\"\n never closed", "E0006", 2, 3);
	EXPECT_ERROR(f, "\"a\\qb\"", "E0007", 1, 3);
	EXPECT_ERROR(f, "\"\\ud800x\"", "E0007", 1, 2);
	EXPECT_ERROR(f, "\"\\udc00\"", "E0007", 1, 2);
	EXPECT_ERROR(f, "\"ab\\u0000\"", "E0007", 1, 4);
	EXPECT_ERROR(f, "x 1e309", "E0011", 1, 3);
	EXPECT_ERROR(f, "\"\\u12g4\"", "E0007", 1, 2);
	EXPECT_ERROR(f, "x\n  /* never\n closed", "E0010", 2, 3);
	EXPECT_ERROR(f, "version 1.", "E0011", 1, 9);
	EXPECT_ERROR(f, "x 01", "E0011", 1, 3);
	EXPECT_ERROR(f, "x 1e+", "E0011", 1, 3);
}

static void test_lex_unterminated_string_keeps_going(void **state)
{
	struct fixture *f = *state;
	struct lex_token t[MAX_TOKENS];
	size_t n = lex_str(f, "display \"abc\r\nmode", t);
	assert_int_equal(f->diag.count, 1);
	assert_int_equal(n, 4);
	assert_string_equal(t[1].str->s, "abc");
	assert_tok(&t[2], TOK_MODE, 2, 1);
}

static void test_lex_long_line_reported_once(void **state)
{
	struct fixture *f = *state;
	size_t n = 200000;
	char *text = malloc(n + 8);
	memset(text, 'a', n);
	memcpy(text + 10, " ", 1);
	memcpy(text + n, "\nb\n", 4);
	struct lex_token t[MAX_TOKENS];
	lex_all(f, text, n + 3, t);
	free(text);
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, "E0008", 1, LEX_MAX_LINE_BYTES + 1);
	assert_tok(&t[2], TOK_IDENT, 2, 1);
}

/* A 1 MB line of short tokens with multi-byte characters lexes in linear time. */
static void test_lex_long_line_linear(void **state)
{
	struct fixture *f = *state;
	struct sb sb = SB_INIT;
	while (sb.len < 1024 * 1024)
		sb_adds(&sb, "\"é\", ");
	sb_adds(&sb, "last");
	struct lexer lx;
	source_free(f->src);
	f->src = source_from_memory("test.pacc", sb.buf, sb.len);
	lex_init(&lx, f->src, &f->arena, &f->diag);
	clock_t start = clock();
	struct lex_token t, last = { 0 };
	size_t count = 0;
	while (lex_next(&lx, &t) != TOK_END) {
		last = t;
		count++;
	}
	double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
	assert_int_equal(last.kind, TOK_IDENT);
	/* Every 6-byte "\"é\", " is 5 columns. */
	assert_int_equal(last.span.begin.col, (sb.len - 4) / 6 * 5 + 1);
	assert_true(secs < 2.0);
	assert_int_equal(f->diag.count, 1); /* E0008 */
	sb_release(&sb);
}

static void test_lex_nesting_limit(void **state)
{
	struct fixture *f = *state;
	struct sb sb = SB_INIT;
	sb_addchars(&sb, '[', 100000);
	struct lexer lx;
	f->src = source_from_memory("test.pacc", sb.buf, sb.len);
	lex_init(&lx, f->src, &f->arena, &f->diag);
	struct lex_token t;
	size_t count = 0;
	while (lex_next(&lx, &t) != TOK_END)
		count++;
	assert_int_equal(count, PARSE_MAX_DEPTH);
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, "E0102", 1, PARSE_MAX_DEPTH + 1);
	sb_release(&sb);
}

static void test_lex_utf8_len(void **state)
{
	(void)state;
	const unsigned char ok3[] = { 0xe2, 0x82, 0xac, 0 };
	const unsigned char overlong[] = { 0xe0, 0x80, 0x80, 0 };
	const unsigned char big[] = { 0xf4, 0x90, 0x80, 0x80, 0 };
	const unsigned char cut[] = { 0xe2, 0x82, 0 };
	assert_int_equal(lex_utf8_len(ok3, ok3 + 3), 3);
	assert_int_equal(lex_utf8_len(overlong, overlong + 3), 0);
	assert_int_equal(lex_utf8_len(big, big + 4), 0);
	assert_int_equal(lex_utf8_len(cut, cut + 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lex_tokens_and_positions, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lex_non_ascii_columns, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lex_columns_ascii_and_not, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lex_crlf, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lex_byte_order_mark_skipped, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lex_keywords_and_words, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lex_string_escapes, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lex_text_block, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lex_text_block_crlf, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_text_dedent_rules, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lex_number_forms, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lex_errors, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lex_unterminated_string_keeps_going, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lex_long_line_reported_once, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lex_long_line_linear, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_lex_nesting_limit, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_lex_utf8_len),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
