/*
 * Unit tests for fmt: the canonical layout, case by case, and its promises
 * (comments kept, idempotent, packs with errors refused).
 */
#include "testutil.h"

#include "pacc/fmt.h"

#include <stdlib.h>

/* Formats text; asserts FMT_OK and that formatting the result changes nothing. */
static char *formatted(struct fixture *f, const char *text)
{
	fixture_source(f, text);
	struct sb out = SB_INIT;
	enum fmt_status st = fmt_pack(f->src, "t", &f->diag, &out);
	if (st != FMT_OK) {
		diag_render(&f->diag, stderr, DIAG_FORMAT_TEXT, false);
		fail_msg("fmt_pack returned %d", (int)st);
	}
	struct source *again = source_from_memory("again.pacc", out.buf, out.len);
	struct sb twice = SB_INIT;
	assert_int_equal(fmt_pack(again, "t", &f->diag, &twice), FMT_OK);
	assert_string_equal(twice.buf, out.buf);
	sb_release(&twice);
	source_free(again);
	return sb_detach(&out, NULL);
}

static void expect_fmt(struct fixture *f, const char *in, const char *want)
{
	char *got = formatted(f, in);
	assert_string_equal(got, want);
	free(got);
}

static void test_fmt_indentation_and_spaces(void **state)
{
	expect_fmt(*state,
		   "policy  \"p\"   {\n"
		   "display \"P\"    \t\n"
		   "        effect audit|deny = audit\n"
		   "  if {\n"
		   "type == \"Microsoft.X/y\"\n"
		   "      }\n"
		   "}",
		   "policy \"p\" {\n"
		   "  display \"P\"\n"
		   "  effect audit|deny = audit\n"
		   "  if {\n"
		   "    type == \"Microsoft.X/y\"\n"
		   "  }\n"
		   "}\n");
}

static void test_fmt_blank_lines(void **state)
{
	expect_fmt(*state,
		   "\n\n# lead\n\n\n\npolicy \"p\" {\n\n  display \"P\"\n\n\n\n  effect audit\n"
		   "  if { type == \"Microsoft.X/y\" }\n\n}\n\n\n",
		   "# lead\n\npolicy \"p\" {\n  display \"P\"\n\n  effect audit\n"
		   "  if { type == \"Microsoft.X/y\" }\n}\n");
}

static void test_fmt_comments_kept(void **state)
{
	expect_fmt(*state,
		   "# one\r\n"
		   "policy \"p\" { // two   \r\n"
		   "      display \"P\" /* three\n"
		   "   still three */ effect audit\n"
		   "  if { type == \"Microsoft.X/y\" } # four\n"
		   "}\n",
		   "# one\n"
		   "policy \"p\" { // two\n"
		   "  display \"P\" /* three\n"
		   "   still three */ effect audit\n"
		   "  if { type == \"Microsoft.X/y\" } # four\n"
		   "}\n");
}

static void test_fmt_text_blocks(void **state)
{
	expect_fmt(*state,
		   "service \"S\" {\n"
		   "  intro \"\"\"\n"
		   "First line,\n"
		   "  indented more.\n"
		   "\n"
		   "Second paragraph.\n"
		   "        \"\"\"\n"
		   "  description \"\"\"One line.\"\"\"\n"
		   "}\n",
		   "service \"S\" {\n"
		   "  intro \"\"\"\n"
		   "    First line,\n"
		   "      indented more.\n"
		   "\n"
		   "    Second paragraph.\n"
		   "  \"\"\"\n"
		   "  description \"\"\"One line.\"\"\"\n"
		   "}\n");
}

/* A text block with text on its first or last line is kept as written. */
static void test_fmt_text_block_kept(void **state)
{
	expect_fmt(*state,
		   "service \"S\" {\n  intro \"\"\"Starts here\n        and ends here.\"\"\"\n}\n",
		   "service \"S\" {\n  intro \"\"\"Starts here\n        and ends here.\"\"\"\n}\n");
}

static void test_fmt_brackets(void **state)
{
	expect_fmt(*state,
		   "policy \"p\" {\n  display \"P\"\n  effect modify\n  if { type == \"Microsoft.X/y\" }\n"
		   "  modify {\n      roleDefinitionIds [\n\"/providers/x\",\n   \"/providers/y\"\n"
		   "          ]\n  add \"tags['a']\" = \"b\"\n  }\n}\n",
		   "policy \"p\" {\n  display \"P\"\n  effect modify\n  if { type == \"Microsoft.X/y\" }\n"
		   "  modify {\n    roleDefinitionIds [\n      \"/providers/x\",\n      \"/providers/y\"\n"
		   "    ]\n    add \"tags['a']\" = \"b\"\n  }\n}\n");
}

/* "[{" on one line opens one level, and "}]" closes it at the opening line's indentation. */
static void test_fmt_brackets_on_one_line(void **state)
{
	expect_fmt(*state,
		   "policy \"p\" {\n  display \"P\"\n  effect audit\n  if { type == \"Microsoft.X/y\" }\n"
		   "  details [{\n\"a\": 1,\n      \"b\": { \"c\": [\n2\n]}\n    }]\n}\n",
		   "policy \"p\" {\n  display \"P\"\n  effect audit\n  if { type == \"Microsoft.X/y\" }\n"
		   "  details [{\n    \"a\": 1,\n    \"b\": { \"c\": [\n      2\n    ]}\n  }]\n}\n");
}

static void test_fmt_refuses_errors(void **state)
{
	struct fixture *f = *state;
	fixture_source(f, "polcy \"p\" {\n}\n");
	struct sb out = SB_INIT;
	assert_int_equal(fmt_pack(f->src, "t", &f->diag, &out), FMT_ERRORS);
	assert_int_equal(out.len, 0);
	assert_true(diag_has_errors(&f->diag));
	assert_string_equal(f->diag.records[0]->code, "E0101");
	sb_release(&out);
}

static void test_fmt_empty(void **state)
{
	expect_fmt(*state, "", "");
	expect_fmt(*state, "\n\n  \n", "");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fmt_indentation_and_spaces),
		T(test_fmt_blank_lines),
		T(test_fmt_comments_kept),
		T(test_fmt_text_blocks),
		T(test_fmt_text_block_kept),
		T(test_fmt_brackets),
		T(test_fmt_brackets_on_one_line),
		T(test_fmt_refuses_errors),
		T(test_fmt_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
