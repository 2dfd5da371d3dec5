#include "testutil.h"

#include "pacc/armexpr.h"

#include <stdlib.h>

static struct armexpr *parse_ok(struct fixture *f, const char *s)
{
	struct armexpr_error err;
	struct armexpr *e = armexpr_parse(&f->arena, s, strlen(s), &err);
	if (!e)
		fail_msg("'%s' failed at %zu: %s", s, err.offset, err.message);
	return e;
}

/* Parses s expecting failure at offset; returns the message. */
static const char *parse_bad(struct fixture *f, const char *s, size_t offset)
{
	struct armexpr_error err;
	struct armexpr *e = armexpr_parse(&f->arena, s, strlen(s), &err);
	assert_null(e);
	assert_non_null(err.message);
	assert_int_equal(err.offset, offset);
	return err.message;
}

static void test_armexpr_classifies_strings(void **state)
{
	(void)state;
	assert_true(armexpr_is_expression("[parameters('x')]", 17));
	assert_false(armexpr_is_expression("[[literal]", 10));
	assert_false(armexpr_is_expression("[Preview]: x", 12));
	assert_false(armexpr_is_expression("plain", 5));
	assert_false(armexpr_is_expression("[", 1));
	assert_true(armexpr_is_expression("[]", 2));
}

static void test_armexpr_parses_call_with_string(void **state)
{
	struct fixture *f = *state;
	struct armexpr *e = parse_ok(f, "[parameters('x')]");
	assert_int_equal(e->kind, ARMEXPR_CALL);
	assert_string_equal(e->u.call.name, "parameters");
	assert_int_equal(e->u.call.argc, 1);
	assert_int_equal(e->u.call.args->kind, ARMEXPR_STRING);
	assert_string_equal(e->u.call.args->u.string.s, "x");
	assert_int_equal(e->begin, 1);
	assert_int_equal(e->end, 16);
}

static void test_armexpr_unescapes_doubled_quotes(void **state)
{
	struct fixture *f = *state;
	struct armexpr *e = parse_ok(f, "[concat('it''s', '')]");
	struct armexpr *a = e->u.call.args;
	assert_string_equal(a->u.string.s, "it's");
	assert_int_equal(a->u.string.len, 4);
	assert_string_equal(a->next->u.string.s, "");
	assert_int_equal(e->u.call.argc, 2);
}

static void test_armexpr_parses_property_access(void **state)
{
	struct fixture *f = *state;
	struct armexpr *e = parse_ok(f, "[requestContext().apiVersion]");
	assert_int_equal(e->kind, ARMEXPR_PROPERTY);
	assert_string_equal(e->u.property.name, "apiVersion");
	assert_int_equal(e->u.property.object->kind, ARMEXPR_CALL);
	assert_string_equal(e->u.property.object->u.call.name, "requestContext");
	assert_int_equal(e->u.property.object->u.call.argc, 0);
}

static void test_armexpr_parses_indexer_and_property(void **state)
{
	struct fixture *f = *state;
	struct armexpr *e = parse_ok(f, "[parameters('p')[0].name]");
	assert_int_equal(e->kind, ARMEXPR_PROPERTY);
	struct armexpr *ix = e->u.property.object;
	assert_int_equal(ix->kind, ARMEXPR_INDEX);
	assert_int_equal(ix->u.index.index->kind, ARMEXPR_NUMBER);
	assert_int_equal(ix->u.index.index->u.number.value, 0);
	assert_int_equal(ix->u.index.object->kind, ARMEXPR_CALL);
}

static void test_armexpr_parses_nested_calls_and_numbers(void **state)
{
	struct fixture *f = *state;
	struct armexpr *e = parse_ok(f, "[ if( equals(a(), b()) , 1 , -2 ) ]");
	assert_string_equal(e->u.call.name, "if");
	assert_int_equal(e->u.call.argc, 3);
	struct armexpr *third = e->u.call.args->next->next;
	assert_int_equal(third->kind, ARMEXPR_NUMBER);
	assert_int_equal(third->u.number.value, -2);
	assert_string_equal(third->u.number.text, "-2");
	e = parse_ok(f, "[first(split(field('name'), '/'))]");
	assert_string_equal(e->u.call.args->u.call.name, "split");
}

static void test_armexpr_accepts_unicode_spaces(void **state)
{
	struct fixture *f = *state;
	/* a narrow no-break space after the comma, as in some built-ins */
	struct armexpr *e = parse_ok(f, "[concat('a',\xe2\x80\xaf uniqueString(deployment().name))]");
	assert_int_equal(e->u.call.argc, 2);
	assert_string_equal(e->u.call.args->next->u.call.name, "uniqueString");
	e = parse_ok(f, "[\xc2\xa0" "a()\xe3\x80\x80]");
	assert_string_equal(e->u.call.name, "a");
	/* other non-ASCII bytes are still errors */
	struct armexpr_error err;
	assert_null(armexpr_parse(&f->arena, "[a(\xc3\xa9)]", 7, &err));
	assert_int_equal(err.offset, 3);
}

static void test_armexpr_collects_parameter_refs(void **state)
{
	struct fixture *f = *state;
	const char *s = "[concat(field('a'), '-', Parameters('b'), parameters(concat('c')))]";
	struct armexpr *e = parse_ok(f, s);
	struct armexpr_param_ref *refs;
	size_t n = armexpr_param_refs(&f->arena, e, &refs);
	/* the computed parameters(concat(...)) names nothing verifiable */
	assert_int_equal(n, 1);
	assert_string_equal(refs[0].name, "b");
	assert_int_equal(refs[0].begin, 25);
	assert_int_equal(refs[0].end, 40);
	e = parse_ok(f, "[if(parameters('x'), parameters('y')[parameters('z')], 1)]");
	n = armexpr_param_refs(&f->arena, e, &refs);
	assert_int_equal(n, 3);
	assert_string_equal(refs[0].name, "x");
	assert_string_equal(refs[1].name, "y");
	assert_string_equal(refs[2].name, "z");
	assert_int_equal(refs[2].begin, 37);
}

static void test_armexpr_rejects_unbalanced(void **state)
{
	struct fixture *f = *state;
	parse_bad(f, "[concat('a'", 0); /* not an expression at all */
	assert_string_equal(parse_bad(f, "[concat('a']", 11), "unbalanced '(': expected ')'");
	assert_string_equal(parse_bad(f, "[concat('a'))]", 12), "unbalanced ')'");
	/* ends with ']' so it is an expression, whose indexer never closes */
	assert_string_equal(parse_bad(f, "[parameters('p')[0]", 16), "unbalanced '[': expected ']'");
	assert_string_equal(parse_bad(f, "[a()[0 b]", 7), "expected ']'");
}

static void test_armexpr_rejects_unterminated_literal(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(parse_bad(f, "[parameters('x)]", 12), "unterminated string literal");
	parse_bad(f, "[concat('a', 'b'')]", 13);
}

static void test_armexpr_rejects_trailing_garbage(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(parse_bad(f, "[parameters('x') foo]", 17),
			    "unexpected text after the expression");
	parse_bad(f, "[a(), b()]", 4);
	parse_bad(f, "[1x]", 2);
}

static void test_armexpr_rejects_bare_words_and_empties(void **state)
{
	struct fixture *f = *state;
	parse_bad(f, "[if(true, 1, 2)]", 4);
	assert_string_equal(parse_bad(f, "[]", 1), "empty expression");
	parse_bad(f, "[   ]", 4);
	parse_bad(f, "[concat(,)]", 8);
	parse_bad(f, "[concat('a',)]", 12);
	parse_bad(f, "[concat(\"a\")]", 8);
	parse_bad(f, "[a().]", 5);
	parse_bad(f, "[-]", 1);
	parse_bad(f, "[a() # b]", 5);
}

/* Builds "[" + n x "f(" + "1" + n x ")" + "]". */
static char *nested(size_t n)
{
	char *s = malloc(3 * n + 4);
	size_t k = 0;
	s[k++] = '[';
	for (size_t i = 0; i < n; i++) {
		s[k++] = 'f';
		s[k++] = '(';
	}
	s[k++] = '1';
	for (size_t i = 0; i < n; i++)
		s[k++] = ')';
	s[k++] = ']';
	s[k] = '\0';
	return s;
}

static void test_armexpr_bounds_nesting(void **state)
{
	struct fixture *f = *state;
	char *ok = nested(ARMEXPR_MAX_DEPTH - 1);
	parse_ok(f, ok);
	free(ok);
	char *deep = nested(100000);
	struct armexpr_error err;
	assert_null(armexpr_parse(&f->arena, deep, strlen(deep), &err));
	assert_string_equal(err.message, "expression nested too deeply (more than 64 levels)");
	assert_int_equal(err.offset, 1 + 2 * ARMEXPR_MAX_DEPTH);
	free(deep);

	/* a long property chain counts as nesting too */
	size_t n = 100000;
	char *chain = malloc(2 * n + 8);
	strcpy(chain, "[a()");
	size_t k = 4;
	for (size_t i = 0; i < n; i++) {
		chain[k++] = '.';
		chain[k++] = 'b';
	}
	chain[k++] = ']';
	chain[k] = '\0';
	assert_null(armexpr_parse(&f->arena, chain, k, &err));
	assert_string_equal(err.message, "expression nested too deeply (more than 64 levels)");
	free(chain);

	/* and so do indexers: [a()[a()[...1...]]] */
	char *idx = malloc(5 * n + 8);
	k = 0;
	idx[k++] = '[';
	for (size_t i = 0; i < n; i++) {
		memcpy(idx + k, "a()[", 4);
		k += 4;
	}
	idx[k++] = '1';
	for (size_t i = 0; i < n; i++)
		idx[k++] = ']';
	idx[k++] = ']';
	idx[k] = '\0';
	assert_null(armexpr_parse(&f->arena, idx, k, &err));
	assert_string_equal(err.message, "expression nested too deeply (more than 64 levels)");
	free(idx);
}

/* Whatever a name holds, the reference pacc writes names exactly it. */
static void test_armexpr_param_ref_round_trips(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = { "plain", "it's", "a''", "a'", "'", "x')]",
					     "'); concat('y", "", "[x]" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *ref = armexpr_param_ref_dup(&f->arena, names[i]);
		struct armexpr *e = parse_ok(f, ref);
		struct armexpr_param_ref *refs = NULL;
		assert_int_equal(armexpr_param_refs(&f->arena, e, &refs), 1);
		assert_string_equal(refs[0].name, names[i]);
	}
	assert_string_equal(armexpr_param_ref_dup(&f->arena, "a''"), "[parameters('a''''')]");
	struct sb lit = SB_INIT;
	armexpr_add_string(&lit, "it's");
	assert_string_equal(lit.buf, "'it''s'");
	sb_release(&lit);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_armexpr_classifies_strings),
		cmocka_unit_test_setup_teardown(test_armexpr_parses_call_with_string, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_armexpr_unescapes_doubled_quotes, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_armexpr_parses_property_access, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_armexpr_parses_indexer_and_property, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_armexpr_parses_nested_calls_and_numbers, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_armexpr_accepts_unicode_spaces, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_armexpr_collects_parameter_refs, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_armexpr_rejects_unbalanced, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_armexpr_rejects_unterminated_literal, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_armexpr_rejects_trailing_garbage, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_armexpr_rejects_bare_words_and_empties, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_armexpr_bounds_nesting, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_armexpr_param_ref_round_trips, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
