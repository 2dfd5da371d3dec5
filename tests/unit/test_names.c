#include "testutil.h"

#include "pacc/names.h"

static bool id_ok(const char *s)
{
	return names_id_ok(s, strlen(s), NULL);
}

static bool file_ok(const char *s)
{
	return names_file_name_ok(s, strlen(s), NULL);
}

static void test_names_id_refuses_hidden_characters(void **state)
{
	(void)state;
	static const char *const hidden[] = {
		"a\tb", "a\nb", "a\x7f", "a\xc2\x85", "a\xd8\x9c" "b", "a\xe2\x80\x8b" "b",
		"a\xe2\x80\x8c" "b", "a\xe2\x80\x8d" "b", "a\xe2\x80\x8e" "b", "a\xe2\x80\x8f" "b",
		"a\xe2\x80\xa8" "b", "a\xe2\x80\xa9" "b", "a\xe2\x80\xaa" "b", "a\xe2\x80\xae" "b",
		"a\xe2\x81\xa0" "b", "a\xe2\x81\xa6" "b", "a\xe2\x81\xa9" "b", "a\xef\xbb\xbf" "b",
	};
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		if (id_ok(hidden[i]))
			fail_msg("id %zu passed", i);
		if (file_ok(hidden[i]))
			fail_msg("file name %zu passed", i);
	}
	struct names_problem why;
	assert_false(names_id_ok("x\xe2\x80\xaey", 5, &why));
	assert_string_equal(why.reason, "contains U+202E, a bidirectional control");
	assert_false(why.echo);
	/* visible neighbours of the refused ranges pass */
	assert_true(id_ok("it's a\xe2\x80\x94" "dash \xe2\x80\x99 caf\xc3\xa9 \xe2\x81\xb0 NS-2"));
}

static void test_names_file_rules(void **state)
{
	(void)state;
	static const char *const bad[] = { "", "a/b", "x/../../..", "..", ".hidden", "a:b", "a*b",
					   "<script>", "a|b", "a\\b", "ends.", "ends ", "con", "CON.txt",
					   "com1", "lpt9.md", "a\"b", "a%b", "a&b", "a+b", "a?b" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (file_ok(bad[i]))
			fail_msg("file name '%s' passed", bad[i]);
	assert_true(file_ok("azure-data-factory"));
	assert_true(file_ok("it's"));
	assert_true(file_ok("console"));
	assert_true(file_ok("com0"));
	char longest[NAMES_MAX_FILE_NAME + 2];
	memset(longest, 'a', sizeof(longest));
	longest[NAMES_MAX_FILE_NAME] = '\0';
	assert_true(file_ok(longest));
	longest[NAMES_MAX_FILE_NAME] = 'a';
	longest[NAMES_MAX_FILE_NAME + 1] = '\0';
	struct names_problem why;
	assert_false(names_file_name_ok(longest, strlen(longest), &why));
	assert_string_equal(why.reason, "is 65 characters long; the limit is 64");
	assert_true(why.echo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_id_refuses_hidden_characters),
		cmocka_unit_test(test_names_file_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
