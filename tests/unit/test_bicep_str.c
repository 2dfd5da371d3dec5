/* Unit tests for bicep_str: literal escaping, identifiers, keys, values, name sets. */
#include "testutil.h"

#include "pacc/bicep_str.h"

#include <stdlib.h>

/* The literal bicep_str_add() makes of the n bytes at s (static buffer per call site). */
static char *lit(const char *s, size_t n)
{
	struct sb sb = SB_INIT;
	bicep_str_add(&sb, s, n);
	return sb_detach(&sb, NULL);
}

static char *ident(const char *s)
{
	struct sb sb = SB_INIT;
	bicep_ident_add(&sb, s);
	return sb_detach(&sb, NULL);
}

#define assert_lit(in, expected)                                 \
	do {                                                     \
		char *got_ = lit((in), sizeof(in) - 1);          \
		assert_string_equal(got_, (expected));           \
		free(got_);                                      \
	} while (0)

#define assert_ident(in, expected)                               \
	do {                                                     \
		char *got_ = ident(in);                          \
		assert_string_equal(got_, (expected));           \
		assert_true(bicep_is_ident(got_));               \
		free(got_);                                      \
	} while (0)

static void test_bicep_str_plain_and_empty(void **state)
{
	(void)state;
	assert_lit("", "''");
	assert_lit("Disabled", "'Disabled'");
}

static void test_bicep_str_quotes_and_backslashes(void **state)
{
	(void)state;
	assert_lit("it's", "'it\\'s'");
	assert_lit("a\\b", "'a\\\\b'");
	assert_lit("\\'", "'\\\\\\''");
	assert_lit("'''", "'\\'\\'\\''");
	assert_lit("\"x\"", "'\"x\"'");
}

static void test_bicep_str_interpolation_is_escaped(void **state)
{
	(void)state;
	assert_lit("${x}", "'\\${x}'");
	assert_lit("$x and $", "'$x and $'");
	assert_lit("$${a}", "'$\\${a}'");
	assert_lit("\\${", "'\\\\\\${'");
}

static void test_bicep_str_line_breaks_stay_on_one_line(void **state)
{
	(void)state;
	assert_lit("a\nb\r\nc\td", "'a\\nb\\r\\nc\\td'");
	char *got = lit("'''\nx\n'''", 9);
	assert_null(strchr(got, '\n'));
	assert_null(strstr(got, "'''"));
	free(got);
}

static void test_bicep_str_control_characters(void **state)
{
	(void)state;
	assert_lit("\x01\x1b[0m", "'\\u{1}\\u{1B}[0m'");
	assert_lit("a\x7f", "'a\\u{7F}'");
	/* a NUL inside the value (from \u0000) */
	assert_lit("a\0b", "'a\\u{0}b'");
	/* C1 control U+0085 */
	assert_lit("\xc2\x85", "'\\u{85}'");
}

static void test_bicep_str_non_ascii_passes_through(void **state)
{
	(void)state;
	assert_lit("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92", "'caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92'");
	/* invalid UTF-8: a lone continuation byte, a truncated sequence, an overlong slash,
	 * an encoded surrogate */
	assert_lit("\x80", "'\\u{FFFD}'");
	assert_lit("a\xe2\x82", "'a\\u{FFFD}\\u{FFFD}'");
	assert_lit("\xc0\xaf", "'\\u{FFFD}\\u{FFFD}'");
	assert_lit("\xed\xa0\x80", "'\\u{FFFD}\\u{FFFD}\\u{FFFD}'");
}

static void test_bicep_str_text_block_is_prose(void **state)
{
	(void)state;
	struct ast_str block = { "  First line\n\n  second 'line'  \n", 32, { 0 }, true };
	struct sb sb = SB_INIT;
	bicep_str_add_text(&sb, &block);
	assert_string_equal(sb.buf, "'First line second \\'line\\''");
	sb_reset(&sb);
	struct ast_str exact = { "  keep\n", 7, { 0 }, false };
	bicep_str_add_text(&sb, &exact);
	assert_string_equal(sb.buf, "'  keep\\n'");
	sb_release(&sb);
}

static void test_bicep_str_ident_camel_case(void **state)
{
	(void)state;
	assert_ident("ns-2-effect", "ns2Effect");
	assert_ident("azure-data-factory-ns-2", "azureDataFactoryNs2");
	assert_ident("NS-2", "ns2");
	assert_ident("publicNetworkAccess", "publicNetworkAccess");
	assert_ident("snake_case_ok", "snake_case_ok");
	assert_ident("Microsoft.DataFactory/factories", "microsoftDataFactoryFactories");
}

static void test_bicep_str_ident_hostile(void **state)
{
	(void)state;
	assert_ident("", "_");
	assert_ident("---", "_");
	assert_ident("2fa", "_2fa");
	assert_ident("9", "_9");
	assert_ident("it's ${x}", "itSX");
	assert_ident("caf\xc3\xa9", "caf");
	assert_ident("'''\n", "_");
}

static void test_bicep_str_ident_avoids_reserved(void **state)
{
	(void)state;
	assert_ident("az", "az_");
	assert_ident("sys", "sys_");
	assert_ident("resource", "resource_");
	assert_ident("param", "param_");
	assert_ident("targetScope", "targetScope_");
	assert_ident("target-scope", "targetScope_");
	assert_ident("TRUE", "true_");
	assert_ident("existing", "existing_");
	assert_ident("resourceGroup", "resourceGroup_");
	assert_false(bicep_is_ident("var"));
	assert_false(bicep_is_ident("Extension"));
	assert_false(bicep_is_ident("a-b"));
	assert_false(bicep_is_ident("1a"));
	assert_true(bicep_is_ident("location"));
}

static void test_bicep_str_keys(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	bicep_key_add(&sb, "type");
	sb_addch(&sb, ' ');
	bicep_key_add(&sb, "ns-2-effect");
	sb_addch(&sb, ' ');
	bicep_key_add(&sb, "null");
	sb_addch(&sb, ' ');
	bicep_key_add(&sb, "");
	assert_string_equal(sb.buf, "type 'ns-2-effect' 'null' ''");
	sb_release(&sb);
}

static void test_bicep_str_names_are_unique(void **state)
{
	struct fixture *f = *state;
	(void)f;
	struct bicep_names names = BICEP_NAMES_INIT;
	struct sb sb = SB_INIT;
	assert_true(bicep_names_reserve(&names, "location"));
	assert_false(bicep_names_reserve(&names, "Location"));
	const char *inputs[] = { "ns-2", "NS 2", "ns2", "location", "az", "az", "" , "" };
	const char *want = "ns2 ns22 ns23 location2 az_ az_2 _ _2 ";
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		bicep_names_add(&names, &sb, inputs[i]);
		sb_addch(&sb, ' ');
	}
	assert_string_equal(sb.buf, want);
	/* many names force rehashing; all stay distinct and findable */
	for (int i = 0; i < 200; i++) {
		sb_reset(&sb);
		bicep_names_add(&names, &sb, "x");
	}
	assert_string_equal(sb.buf, "x200");
	assert_true(bicep_names_has(&names, "X17"));
	assert_int_equal(names.count, 1 + 8 + 200);
	sb_release(&sb);
	bicep_names_release(&names);
}

static void test_bicep_str_json_values(void **state)
{
	struct fixture *f = *state;
	struct src_span none = { 0 };
	struct ast_json *obj = ast_json_new(&f->arena, AST_JSON_OBJECT, none);
	struct ast_json_member *m1 = ARENA_NEW(&f->arena, struct ast_json_member);
	struct ast_json_member *m2 = ARENA_NEW(&f->arena, struct ast_json_member);
	m1->key = ast_str_new(&f->arena, "type", 4, none);
	m1->value = ast_json_new(&f->arena, AST_JSON_STRING, none);
	m1->value->u.string = ast_str_new(&f->arena, "${x}", 4, none);
	m1->next = m2;
	m2->key = ast_str_new(&f->arena, "a-b", 3, none);
	m2->value = ast_json_new(&f->arena, AST_JSON_ARRAY, none);
	struct ast_json_item *i1 = ARENA_NEW(&f->arena, struct ast_json_item);
	struct ast_json_item *i2 = ARENA_NEW(&f->arena, struct ast_json_item);
	i1->value = ast_json_new(&f->arena, AST_JSON_NUMBER, none);
	i1->value->u.number.text = "-12";
	i1->next = i2;
	i2->value = ast_json_new(&f->arena, AST_JSON_NUMBER, none);
	i2->value->u.number.text = "1.5";
	m2->value->u.array.items = i1;
	m2->value->u.array.count = 2;
	obj->u.object.members = m1;
	obj->u.object.count = 2;

	struct sb sb = SB_INIT;
	bicep_json_add(&sb, obj, 1);
	assert_string_equal(sb.buf, "{\n"
				    "    type: '\\${x}'\n"
				    "    'a-b': [\n"
				    "      -12\n"
				    "      json('1.5')\n"
				    "    ]\n"
				    "  }");
	sb_reset(&sb);
	struct ast_json *empty = ast_json_new(&f->arena, AST_JSON_ARRAY, none);
	bicep_json_add(&sb, empty, 0);
	sb_addch(&sb, ' ');
	struct ast_json *big = ast_json_new(&f->arena, AST_JSON_NUMBER, none);
	big->u.number.text = "12345678901234567890";
	bicep_json_add(&sb, big, 0);
	assert_string_equal(sb.buf, "[] json('12345678901234567890')");
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bicep_str_plain_and_empty),
		cmocka_unit_test(test_bicep_str_quotes_and_backslashes),
		cmocka_unit_test(test_bicep_str_interpolation_is_escaped),
		cmocka_unit_test(test_bicep_str_line_breaks_stay_on_one_line),
		cmocka_unit_test(test_bicep_str_control_characters),
		cmocka_unit_test(test_bicep_str_non_ascii_passes_through),
		cmocka_unit_test(test_bicep_str_text_block_is_prose),
		cmocka_unit_test(test_bicep_str_ident_camel_case),
		cmocka_unit_test(test_bicep_str_ident_hostile),
		cmocka_unit_test(test_bicep_str_ident_avoids_reserved),
		cmocka_unit_test(test_bicep_str_keys),
		cmocka_unit_test_setup_teardown(test_bicep_str_names_are_unique, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bicep_str_json_values, fixture_setup,
						fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
