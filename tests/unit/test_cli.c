/*
 * cli: argument parsing, help, usage errors and exit codes, driven through
 * cli_main with memory streams.  Builds of real packs are covered by
 * tests/cli/run.sh and the golden tests.
 */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

#include "pacc/cli.h"

#include <stdio.h>
#include <stdlib.h>

struct run {
	int status;
	char *out, *err;
	size_t out_len, err_len;
};

static void run_release(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* Runs pacc with the NULL-terminated arguments after argv[0]. */
static struct run run_pacc(const char *first, ...)
{
	char *argv[32];
	int argc = 0;
	argv[argc++] = (char *)(uintptr_t) "pacc";
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)(uintptr_t)a;
	va_end(ap);
	argv[argc] = NULL;

	struct run r = { 0 };
	FILE *out = open_memstream(&r.out, &r.out_len);
	FILE *err = open_memstream(&r.err, &r.err_len);
	assert_non_null(out);
	assert_non_null(err);
	r.status = cli_main(argc, argv, out, err);
	fclose(out);
	fclose(err);
	return r;
}

static void test_cli_version(void **state)
{
	(void)state;
	struct run r = run_pacc("--version", NULL);
	assert_int_equal(r.status, CLI_EXIT_OK);
	assert_string_equal(r.out, "pacc 0.1.0\n");
	assert_string_equal(r.err, "");
	run_release(&r);
}

static void test_cli_help_lists_every_command(void **state)
{
	(void)state;
	struct run r = run_pacc("--help", NULL);
	assert_int_equal(r.status, CLI_EXIT_OK);
	assert_non_null(strstr(r.out, "usage: pacc <command>"));
	assert_non_null(strstr(r.out, "\n  build "));
	assert_non_null(strstr(r.out, "\n  check "));
	assert_non_null(strstr(r.out, "Exit status"));
	run_release(&r);

	r = run_pacc("help", NULL);
	assert_int_equal(r.status, CLI_EXIT_OK);
	assert_non_null(strstr(r.out, "usage: pacc <command>"));
	run_release(&r);
}

static void test_cli_command_help_three_ways(void **state)
{
	(void)state;
	const char *forms[][3] = { { "help", "build", NULL }, { "build", "--help", NULL },
				   { "build", "-h", NULL } };
	for (size_t i = 0; i < 3; i++) {
		struct run r = run_pacc(forms[i][0], forms[i][1], NULL);
		assert_int_equal(r.status, CLI_EXIT_OK);
		assert_non_null(strstr(r.out, "usage: pacc build [-o DIR] [--check] FILE..."));
		assert_non_null(strstr(r.out, "--output=DIR"));
		assert_non_null(strstr(r.out, "Examples:"));
		assert_non_null(strstr(r.out, "Exit status:"));
		run_release(&r);
	}
}

static void test_cli_unknown_command_suggests(void **state)
{
	(void)state;
	struct run r = run_pacc("biuld", "x.pacc", NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "unknown command 'biuld'"));
	assert_non_null(strstr(r.err, "did you mean 'build'?"));
	assert_string_equal(r.out, "");
	run_release(&r);

	r = run_pacc("help", "chek", NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "did you mean 'check'?"));
	run_release(&r);
}

static void test_cli_unknown_option_suggests(void **state)
{
	(void)state;
	struct run r = run_pacc("build", "--outpt=x", "a.pacc", NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "unknown option '--outpt=x'"));
	assert_non_null(strstr(r.err, "did you mean '--output'?"));
	run_release(&r);

	r = run_pacc("check", "--max-erors=3", "a.pacc", NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "did you mean '--max-errors'?"));
	run_release(&r);
}

static void test_cli_bad_option_values(void **state)
{
	(void)state;
	struct run r = run_pacc("--color=sometimes", "check", "a.pacc", NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "'--color' takes 'auto', 'always' or 'never'"));
	run_release(&r);

	r = run_pacc("check", "--diagnostics-format=jsn", "a.pacc", NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "did you mean 'json'?"));
	run_release(&r);

	r = run_pacc("check", "--max-errors=-1", "a.pacc", NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	run_release(&r);

	r = run_pacc("build", "-o", NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "needs a value"));
	run_release(&r);

	r = run_pacc("--version=2", NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "takes no value"));
	run_release(&r);
}

static void test_cli_missing_command_or_files(void **state)
{
	(void)state;
	struct run r = run_pacc(NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "no command given"));
	run_release(&r);

	/* Without pack files and without ./pacc.yaml (so in an empty directory). */
	char cwd[4096], dir[] = "/tmp/pacc-cli-test.XXXXXX";
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chdir(dir), 0);
	r = run_pacc("build", NULL);
	assert_int_equal(chdir(cwd), 0);
	rmdir(dir);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "usage: pacc build"));
	run_release(&r);

	r = run_pacc("check", "-", "-", NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	run_release(&r);
}

static void test_cli_build_refuses_clashing_packs(void **state)
{
	(void)state;
	/* Refused before any file is read, so the files need not exist. */
	struct run r = run_pacc("build", "a/x.pacc", "b/x.pacc", NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "are both pack 'x'"));
	run_release(&r);

	r = run_pacc("build", "-", NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "cannot read standard input"));
	run_release(&r);

	r = run_pacc("build", "dir/.pacc", NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	run_release(&r);
}

static void test_cli_unreadable_file_is_io_failure(void **state)
{
	(void)state;
	struct run r = run_pacc("check", "/nonexistent/pacc/none.pacc", NULL);
	assert_int_equal(r.status, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "cannot read '/nonexistent/pacc/none.pacc'"));
	run_release(&r);
}

static void test_cli_pack_name(void **state)
{
	(void)state;
	const char *cases[][2] = {
		{ "policies/azure-data-factory.pacc", "azure-data-factory" },
		{ "lib.pacc", "lib" },
		{ "noext", "noext" },
		{ "a.b.pacc", "a.b" },
		{ ".pacc", ".pacc" },
		{ "-", "stdin" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *name = cli_pack_name(cases[i][0]);
		assert_string_equal(name, cases[i][1]);
		free(name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_version),
		cmocka_unit_test(test_cli_help_lists_every_command),
		cmocka_unit_test(test_cli_command_help_three_ways),
		cmocka_unit_test(test_cli_unknown_command_suggests),
		cmocka_unit_test(test_cli_unknown_option_suggests),
		cmocka_unit_test(test_cli_bad_option_values),
		cmocka_unit_test(test_cli_missing_command_or_files),
		cmocka_unit_test(test_cli_build_refuses_clashing_packs),
		cmocka_unit_test(test_cli_unreadable_file_is_io_failure),
		cmocka_unit_test(test_cli_pack_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
