/*
 * Unit tests for diag_sarif: the log's shape, regions, URIs and levels,
 * read back with cJSON.
 */
#include "testutil.h"

#include "pacc/diag_codes.h"
#include "pacc/diag_sarif.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static struct src_span span_at(const struct source *src, uint32_t line, uint32_t col,
			       uint32_t end_line, uint32_t end_col)
{
	struct src_span s = { src, { 0, line, col }, { 0, end_line, end_col } };
	return s;
}

/* The log of f's records, parsed; the caller deletes it. */
static cJSON *sarif_of(struct fixture *f)
{
	struct sb out = SB_INIT;
	diag_sarif_write(&f->diag, &out);
	cJSON *log = cJSON_Parse(out.buf);
	assert_non_null(log);
	sb_release(&out);
	return log;
}

static cJSON *at_path(cJSON *v, const char *path)
{
	char key[64];
	while (*path && v) {
		size_t n = strcspn(path, ".");
		assert_true(n < sizeof(key));
		memcpy(key, path, n);
		key[n] = '\0';
		v = isdigit((unsigned char)key[0]) ? cJSON_GetArrayItem(v, atoi(key))
						   : cJSON_GetObjectItemCaseSensitive(v, key);
		path += n + (path[n] == '.');
	}
	assert_non_null(v);
	return v;
}

static int num(cJSON *v, const char *path) { return at_path(v, path)->valueint; }
static const char *str(cJSON *v, const char *path) { return at_path(v, path)->valuestring; }

static void test_diag_sarif_every_rule_and_the_run(void **state)
{
	struct fixture *f = *state;
	cJSON *log = sarif_of(f);
	assert_string_equal(str(log, "version"), "2.1.0");
	assert_int_equal(cJSON_GetArraySize(at_path(log, "runs")), 1);
	assert_string_equal(str(log, "runs.0.tool.driver.name"), "pacc");
	assert_string_equal(str(log, "runs.0.columnKind"), "unicodeCodePoints");
	assert_int_equal(cJSON_GetArraySize(at_path(log, "runs.0.results")), 0);
	size_t n;
	const struct diag_code_info *codes = diag_code_table(&n);
	cJSON *rules = at_path(log, "runs.0.tool.driver.rules");
	assert_int_equal((size_t)cJSON_GetArraySize(rules), n);
	const struct diag_code_info *e0101 = diag_code_find("E0101");
	cJSON *r = cJSON_GetArrayItem(rules, (int)(e0101 - codes));
	assert_string_equal(str(r, "id"), "E0101");
	assert_string_equal(str(r, "name"), "SyntaxError");
	assert_string_equal(str(r, "shortDescription.text"), "Syntax error");
	assert_string_equal(str(r, "fullDescription.text"), e0101->explanation);
	assert_non_null(strstr(str(r, "help.text"), e0101->example));
	assert_string_equal(str(r, "defaultConfiguration.level"), "error");
	cJSON *w = cJSON_GetArrayItem(rules, (int)(diag_code_find("E0328") - codes));
	assert_string_equal(str(w, "defaultConfiguration.level"), "warning");
	cJSON_Delete(log);
}

static void test_diag_sarif_results(void **state)
{
	struct fixture *f = *state;
	source_free(f->src);
	f->src = source_from_memory("./policies/my pack.pacc", "", 0);
	struct diag_record *r =
		diag_error(&f->diag, span_at(f->src, 3, 5, 3, 9), "E0305", "unknown effect 'denied'");
	diag_help(&f->diag, r, "did you mean 'deny'?");
	diag_note(&f->diag, r, span_at(f->src, 1, 2, 2, 1), "declared here");
	diag_warning(&f->diag, span_at(f->src, 4, 7, 4, 7), "E0328", "two stars");
	struct src_span nowhere = { 0 };
	diag_error(&f->diag, nowhere, "E0905", "cannot read 'x'");
	cJSON *log = sarif_of(f);
	cJSON *res = at_path(log, "runs.0.results");
	assert_int_equal(cJSON_GetArraySize(res), 3);

	cJSON *e = cJSON_GetArrayItem(res, 0);
	assert_string_equal(str(e, "ruleId"), "E0305");
	size_t n;
	const struct diag_code_info *codes = diag_code_table(&n);
	assert_int_equal(num(e, "ruleIndex"), diag_code_find("E0305") - codes);
	assert_string_equal(str(e, "level"), "error");
	assert_string_equal(str(e, "message.text"), "unknown effect 'denied'; did you mean 'deny'?");
	cJSON *loc = at_path(e, "locations.0.physicalLocation");
	assert_string_equal(str(loc, "artifactLocation.uri"), "policies/my%20pack.pacc");
	assert_string_equal(str(loc, "artifactLocation.uriBaseId"), "%SRCROOT%");
	assert_int_equal(num(loc, "region.startLine"), 3);
	assert_int_equal(num(loc, "region.startColumn"), 5);
	assert_int_equal(num(loc, "region.endLine"), 3);
	assert_int_equal(num(loc, "region.endColumn"), 9);
	assert_string_equal(str(e, "relatedLocations.0.message.text"), "declared here");
	assert_int_equal(num(e, "relatedLocations.0.physicalLocation.region.endLine"), 2);

	cJSON *w = cJSON_GetArrayItem(res, 1);
	assert_string_equal(str(w, "level"), "warning");
	/* An empty span covers one column; columns are never 0. */
	assert_int_equal(num(w, "locations.0.physicalLocation.region.startColumn"), 7);
	assert_int_equal(num(w, "locations.0.physicalLocation.region.endColumn"), 8);

	cJSON *placeless = cJSON_GetArrayItem(res, 2);
	assert_null(cJSON_GetObjectItemCaseSensitive(placeless, "locations"));
	assert_string_equal(str(placeless, "message.text"), "cannot read 'x'");
	cJSON_Delete(log);
}

static void test_diag_sarif_uris(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	diag_sarif_add_uri(&sb, "././a/b-c_d.e~f.pacc");
	assert_string_equal(sb.buf, "a/b-c_d.e~f.pacc");
	sb_reset(&sb);
	diag_sarif_add_uri(&sb, "/abs/<stdin> #1%.pacc");
	assert_string_equal(sb.buf, "file:///abs/%3Cstdin%3E%20%231%25.pacc");
	sb_reset(&sb);
	diag_sarif_add_uri(&sb, "caf\xC3\xA9.pacc");
	assert_string_equal(sb.buf, "caf%C3%A9.pacc");
	sb_release(&sb);
}

static void test_diag_sarif_absolute_path_has_no_base(void **state)
{
	struct fixture *f = *state;
	source_free(f->src);
	f->src = source_from_memory("/tmp/x.pacc", "", 0);
	diag_error(&f->diag, span_at(f->src, 1, 1, 1, 2), "E0001", "bad \xff");
	cJSON *log = sarif_of(f);
	cJSON *art = at_path(log, "runs.0.results.0.locations.0.physicalLocation.artifactLocation");
	assert_string_equal(str(art, "uri"), "file:///tmp/x.pacc");
	assert_null(cJSON_GetObjectItemCaseSensitive(art, "uriBaseId"));
	assert_string_equal(str(log, "runs.0.results.0.message.text"), "bad \xEF\xBF\xBD");
	cJSON_Delete(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_diag_sarif_every_rule_and_the_run, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_diag_sarif_results, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_diag_sarif_uris),
		cmocka_unit_test_setup_teardown(test_diag_sarif_absolute_path_has_no_base, fixture_setup,
						fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
