/*
 * Unit tests for diag_github: the escaping GitHub's runner undoes, and the
 * shape of one workflow command per record.
 */
#include "testutil.h"

#include "pacc/diag_github.h"

static void test_diag_github_escape_message(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	diag_github_escape_message(&sb, "100% sure\r\nnext: a, b");
	/* '%' first, so an escape is never escaped twice; ':' and ',' stay. */
	assert_string_equal(sb.buf, "100%25 sure%0D%0Anext: a, b");
	sb_reset(&sb);
	diag_github_escape_message(&sb, "%0A");
	assert_string_equal(sb.buf, "%250A");
	sb_release(&sb);
}

static void test_diag_github_escape_property(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	diag_github_escape_property(&sb, "C:\\packs\\a,b%.pacc\n");
	assert_string_equal(sb.buf, "C%3A\\packs\\a%2Cb%25.pacc%0A");
	sb_reset(&sb);
	diag_github_escape_property(&sb, "");
	assert_string_equal(sb.buf, "");
	sb_release(&sb);
}

static struct src_span span_at(const struct source *src, uint32_t line, uint32_t col, uint32_t end_col)
{
	struct src_span s = { src, { 0, line, col }, { 0, line, end_col } };
	return s;
}

static void test_diag_github_one_command_per_record(void **state)
{
	struct fixture *f = *state;
	source_free(f->src);
	f->src = source_from_memory("./dir,x/a:b.pacc", "", 0);
	struct diag_record *r = diag_error(&f->diag, span_at(f->src, 3, 5, 9), "E0305",
					   "unknown effect 'denied'\nsecond line 50%%");
	diag_help(&f->diag, r, "did you mean '%s'?", "deny");
	diag_note(&f->diag, r, span_at(f->src, 1, 2, 3), "declared here");
	diag_warning(&f->diag, span_at(f->src, 4, 1, 1), "E0328", "two stars");
	struct src_span nowhere = { 0 };
	diag_error(&f->diag, nowhere, "E0905", "cannot read 'x'");
	struct sb out = SB_INIT;
	diag_github_write(&f->diag, &out);
	assert_string_equal(
		out.buf,
		"::error file=dir%2Cx/a%3Ab.pacc,line=3,col=5,endLine=3,endColumn=9,title=E0305::"
		"unknown effect 'denied'%0Asecond line 50%25%0Ahelp: did you mean 'deny'?"
		"%0Anote: ./dir,x/a:b.pacc:1:2: declared here\n"
		/* An empty span still covers one column. */
		"::warning file=dir%2Cx/a%3Ab.pacc,line=4,col=1,endLine=4,endColumn=2,title=E0328::"
		"two stars\n"
		"::error title=E0905::cannot read 'x'\n");
	sb_release(&out);
}

static void test_diag_github_invalid_utf8_replaced(void **state)
{
	struct fixture *f = *state;
	fixture_source(f, "");
	diag_error(&f->diag, span_at(f->src, 1, 1, 2), "E0002", "bad \xff byte");
	struct sb out = SB_INIT;
	diag_github_write(&f->diag, &out);
	assert_non_null(strstr(out.buf, "::bad \xEF\xBF\xBD byte\n"));
	sb_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diag_github_escape_message),
		cmocka_unit_test(test_diag_github_escape_property),
		cmocka_unit_test_setup_teardown(test_diag_github_one_command_per_record, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_diag_github_invalid_utf8_replaced, fixture_setup,
						fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
