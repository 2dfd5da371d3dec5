#include "testutil.h"

#include "pacc/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct src_span nowhere;

static struct ast_str *str_of(struct fixture *f, const char *s, bool text_block)
{
	struct ast_str *str = ast_str_new(&f->arena, s, strlen(s), nowhere);
	str->is_text_block = text_block;
	return str;
}

static struct ast_json *jstr(struct fixture *f, const char *s)
{
	struct ast_json *j = ast_json_new(&f->arena, AST_JSON_STRING, nowhere);
	j->u.string = str_of(f, s, false);
	return j;
}

static struct ast_json *jnum(struct fixture *f, const char *text, double value)
{
	struct ast_json *j = ast_json_new(&f->arena, AST_JSON_NUMBER, nowhere);
	j->u.number.text = text;
	j->u.number.value = value;
	return j;
}

static struct ast_json *jobj(struct fixture *f)
{
	return ast_json_new(&f->arena, AST_JSON_OBJECT, nowhere);
}

static struct ast_json *jarr(struct fixture *f)
{
	return ast_json_new(&f->arena, AST_JSON_ARRAY, nowhere);
}

/* Appends a member in source order. */
static void jmember(struct fixture *f, struct ast_json *obj, const char *key, struct ast_json *v)
{
	struct ast_json_member *m = ARENA_NEW(&f->arena, struct ast_json_member);
	m->key = str_of(f, key, false);
	m->value = v;
	struct ast_json_member **tail = &obj->u.object.members;
	while (*tail)
		tail = &(*tail)->next;
	*tail = m;
	obj->u.object.count++;
}

static void jitem(struct fixture *f, struct ast_json *arr, struct ast_json *v)
{
	struct ast_json_item *it = ARENA_NEW(&f->arena, struct ast_json_item);
	it->value = v;
	struct ast_json_item **tail = &arr->u.array.items;
	while (*tail)
		tail = &(*tail)->next;
	*tail = it;
	arr->u.array.count++;
}

/* Prints value into a fresh buffer, compares with want, frees everything. */
static void assert_printed(cJSON *value, const char *want)
{
	struct sb sb = SB_INIT;
	json_print(value, &sb);
	cJSON_Delete(value);
	assert_string_equal(sb.buf, want);
	sb_release(&sb);
}

static void test_json_print_layout(void **state)
{
	struct fixture *f = *state;
	struct ast_json *root = jobj(f);
	jmember(f, root, "name", jstr(f, "x"));
	struct ast_json *list = jarr(f);
	jitem(f, list, jnum(f, "1", 1));
	jitem(f, list, ast_json_new(&f->arena, AST_JSON_NULL, nowhere));
	struct ast_json *b = ast_json_new(&f->arena, AST_JSON_BOOL, nowhere);
	b->u.boolean = true;
	jitem(f, list, b);
	struct ast_json *inner = jobj(f);
	jmember(f, inner, "a", jarr(f));
	jitem(f, list, inner);
	jmember(f, root, "list", list);
	jmember(f, root, "empty", jobj(f));
	assert_printed(json_from_ast(root), "{\n"
					    "  \"name\": \"x\",\n"
					    "  \"list\": [\n"
					    "    1,\n"
					    "    null,\n"
					    "    true,\n"
					    "    {\n"
					    "      \"a\": []\n"
					    "    }\n"
					    "  ],\n"
					    "  \"empty\": {}\n"
					    "}\n");
}

static void test_json_print_empty_and_scalar_roots(void **state)
{
	(void)state;
	assert_printed(json_object(), "{}\n");
	assert_printed(json_array(), "[]\n");
	assert_printed(json_string("a"), "\"a\"\n");
	assert_printed(json_bool(false), "false\n");
}

/*
 * Strings with tabs, line breaks, quotes, backslashes, control characters
 * and non-ASCII text survive printing: no raw control byte reaches the
 * output, and parsing it back yields the same bytes, in values and keys.
 */
static void test_json_print_strings_round_trip(void **state)
{
	(void)state;
	static const char *const samples[] = {
		"tab\there",
		"line\nbreak\r\n",
		"quote \" and backslash \\ and slash /",
		"ctl \x01\x02\x1f\x7f end",
		"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92 \xe6\x97\xa5\xe6\x9c\xac",
		"\t\t\t",
		"",
	};
	size_t n = sizeof(samples) / sizeof(samples[0]);
	cJSON *root = json_object();
	cJSON *values = json_array();
	for (size_t i = 0; i < n; i++) {
		json_push(values, json_string(samples[i]));
		json_add_string(root, samples[i][0] ? samples[i] : "empty", samples[i]);
	}
	json_add(root, "values", values);

	struct sb sb = SB_INIT;
	json_print(root, &sb);
	cJSON_Delete(root);
	for (size_t i = 0; i < sb.len; i++) {
		unsigned char c = (unsigned char)sb.buf[i];
		assert_true(c >= 0x20 || c == '\n');
	}
	assert_null(strchr(sb.buf, '\t'));

	cJSON *back = cJSON_Parse(sb.buf);
	assert_non_null(back);
	cJSON *vals = cJSON_GetObjectItemCaseSensitive(back, "values");
	assert_int_equal(cJSON_GetArraySize(vals), (int)n);
	for (size_t i = 0; i < n; i++) {
		const cJSON *v = cJSON_GetArrayItem(vals, (int)i);
		assert_string_equal(v->valuestring, samples[i]);
		const char *key = samples[i][0] ? samples[i] : "empty";
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(back, key);
		assert_non_null(m);
		assert_string_equal(m->string, key);
		assert_string_equal(m->valuestring, samples[i]);
	}
	cJSON_Delete(back);
	sb_release(&sb);
}

static void test_json_numbers(void **state)
{
	struct fixture *f = *state;
	struct ast_json *list = jarr(f);
	jitem(f, list, jnum(f, "0", 0));
	jitem(f, list, jnum(f, "-12", -12));
	jitem(f, list, jnum(f, "1.50", 1.5));
	jitem(f, list, jnum(f, "1e3", 1000));
	jitem(f, list, jnum(f, "0.1", 0.1));
	jitem(f, list, jnum(f, "4294967296", 4294967296.0));
	jitem(f, list, jnum(f, "12345678901234567890", 12345678901234567890.0));
	jitem(f, list, jnum(f, NULL, 2.5));
	jitem(f, list, jnum(f, "1e999", HUGE_VAL));
	assert_printed(json_from_ast(list), "[\n"
					    "  0,\n"
					    "  -12,\n"
					    "  1.5,\n"
					    "  1000,\n"
					    "  0.1,\n"
					    "  4294967296,\n"
					    "  12345678901234567890,\n"
					    "  2.5,\n"
					    "  1e999\n"
					    "]\n");
}

static void test_json_prose(void **state)
{
	(void)state;
	const char *text = "  First line\t\nsecond line  \n\n\n  Next paragraph\nends here.\n";
	struct sb sb = SB_INIT;
	json_prose(&sb, text, strlen(text));
	assert_string_equal(sb.buf, "First line second line Next paragraph ends here.");
	sb_reset(&sb);
	json_prose_first_paragraph(&sb, text, strlen(text));
	assert_string_equal(sb.buf, "First line second line");
	sb_reset(&sb);
	json_prose_first_paragraph(&sb, "\n\n  only\n", 9);
	assert_string_equal(sb.buf, "only");
	sb_reset(&sb);
	json_prose(&sb, "", 0);
	assert_int_equal(sb.len, 0);
	sb_release(&sb);
}

static void test_json_text_blocks_become_prose(void **state)
{
	struct fixture *f = *state;
	cJSON *block = json_from_str(str_of(f, "Audits factories\nthat are public.\n\nSee docs.", true));
	assert_string_equal(block->valuestring, "Audits factories that are public. See docs.");
	cJSON_Delete(block);
	cJSON *exact = json_from_str(str_of(f, "  kept\nas is ", false));
	assert_string_equal(exact->valuestring, "  kept\nas is ");
	cJSON_Delete(exact);
}

static void test_json_merge_overrides_fixed_members(void **state)
{
	struct fixture *f = *state;
	cJSON *obj = json_object();
	json_add_string(obj, "version", "1.0.0");
	json_add_string(obj, "category", "Data Factory");
	json_add_string(obj, "late", "x");
	struct ast_json *extra = jobj(f);
	jmember(f, extra, "category", jstr(f, "Custom category"));
	jmember(f, extra, "preview", jnum(f, "1", 1));
	jmember(f, extra, "late", jstr(f, "y"));
	json_merge(obj, 2, extra);
	json_merge(obj, 2, NULL);
	assert_printed(obj, "{\n"
			    "  \"version\": \"1.0.0\",\n"
			    "  \"category\": \"Custom category\",\n"
			    "  \"late\": \"x\",\n"
			    "  \"preview\": 1,\n"
			    "  \"late\": \"y\"\n"
			    "}\n");
}

static void test_json_merge_replaces_first_and_last(void **state)
{
	struct fixture *f = *state;
	cJSON *obj = json_object();
	json_add_string(obj, "a", "1");
	json_add_string(obj, "b", "2");
	struct ast_json *extra = jobj(f);
	jmember(f, extra, "b", jstr(f, "B"));
	jmember(f, extra, "a", jstr(f, "A"));
	jmember(f, extra, "c", jstr(f, "C"));
	json_merge(obj, 2, extra);
	assert_int_equal(json_size(obj), 3);
	assert_printed(obj, "{\n  \"a\": \"A\",\n  \"b\": \"B\",\n  \"c\": \"C\"\n}\n");
}

/* A large array prints in one pass; a quadratic printer would take minutes. */
static void test_json_print_large(void **state)
{
	(void)state;
	cJSON *arr = json_array();
	for (int i = 0; i < 200000; i++)
		json_push(arr, json_string("value\t\"x\""));
	struct sb sb = SB_INIT;
	json_print(arr, &sb);
	cJSON_Delete(arr);
	/* "[" LF, then per item: 2 spaces + 14-byte string + "," + LF (last: no comma), "]" LF */
	assert_int_equal(sb.len, 2 + 200000 * 18 - 1 + 2);
	sb_release(&sb);
}

/* sb_add_escaped without escape_del writes what cJSON writes between the
 * quotes, byte for byte over all of ASCII; with it, DEL becomes \u007f. */
static void test_sb_add_escaped_is_cjson_escaping(void **state)
{
	(void)state;
	char all[127];
	for (int c = 1; c < 128; c++)
		all[c - 1] = (char)c;
	char text[sizeof(all) + 1];
	memcpy(text, all, sizeof(all));
	text[sizeof(all)] = '\0';
	cJSON *str = cJSON_CreateString(text);
	char *printed = cJSON_PrintUnformatted(str);
	struct sb sb = SB_INIT;
	sb_addch(&sb, '"');
	sb_add_escaped(&sb, all, sizeof(all), false);
	sb_addch(&sb, '"');
	assert_string_equal(sb.buf, printed);
	sb_reset(&sb);
	sb_add_escaped(&sb, "a\x7f\x1f", 3, true);
	assert_string_equal(sb.buf, "a\\u007f\\u001f");
	sb_release(&sb);
	cJSON_free(printed);
	cJSON_Delete(str);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json_print_layout, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_json_print_empty_and_scalar_roots, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_json_print_strings_round_trip, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_json_numbers, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_json_prose, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_json_text_blocks_become_prose, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_json_merge_overrides_fixed_members, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_json_merge_replaces_first_and_last, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_json_print_large, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_sb_add_escaped_is_cjson_escaping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
