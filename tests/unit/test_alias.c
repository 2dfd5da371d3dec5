/*
 * Unit tests for the alias table (alias.h): the JSON and CSV readers, their
 * diagnostics as data, lookups, suggestions and the lock file.
 */
#include "testutil.h"

#include "pacc/alias.h"
#include "pacc/text.h"

#include <stdio.h>
#include <stdlib.h>

/* A small `az provider list --expand "resourceTypes/aliases"` answer. */
static const char export_json[] =
	"[\n"
	"  {\n"
	"    \"id\": \"/subscriptions/0/providers/Microsoft.Storage\",\n"
	"    \"namespace\": \"Microsoft.Storage\",\n"
	"    \"registrationState\": \"Registered\",\n"
	"    \"resourceTypes\": [\n"
	"      {\n"
	"        \"resourceType\": \"storageAccounts\",\n"
	"        \"capabilities\": \"CrossResourceGroupResourceMove, SupportsTags, SupportsLocation\",\n"
	"        \"apiVersions\": [\"2023-05-01\", \"2019-04-01\"],\n"
	"        \"aliases\": [\n"
	"          {\"name\": \"Microsoft.Storage/storageAccounts/minimumTlsVersion\",\n"
	"           \"defaultPath\": \"properties.minimumTlsVersion\",\n"
	"           \"paths\": [{\"path\": \"properties.minimumTlsVersion\", \"apiVersions\": [\"2023-05-01\", \"2019-04-01\"]}],\n"
	"           \"defaultMetadata\": {\"type\": \"String\", \"attributes\": \"Modifiable\"}},\n"
	"          {\"name\": \"Microsoft.Storage/storageAccounts/primaryEndpoints.blob\",\n"
	"           \"defaultPath\": \"properties.primaryEndpoints.blob\",\n"
	"           \"paths\": [{\"path\": \"properties.old.blob\", \"apiVersions\": [\"2016-01-01\"]}],\n"
	"           \"defaultMetadata\": {\"type\": \"String\", \"attributes\": \"None\"}},\n"
	"          {\"name\": \"Microsoft.Storage/storageAccounts/networkAcls.ipRules[*].value\",\n"
	"           \"defaultPath\": \"properties.networkAcls.ipRules[*].value\", \"paths\": []}\n"
	"        ]\n"
	"      },\n"
	"      {\"resourceType\": \"storageAccounts/blobServices\", \"capabilities\": \"SupportsExtension\", \"aliases\": []},\n"
	"      {\"resourceType\": \"storageTasks\"}\n"
	"    ]\n"
	"  }\n"
	"]\n";

static bool load(struct fixture *f, struct alias_table *t, const char *name, const char *text)
{
	source_free(f->src);
	f->src = source_from_memory(name, text, strlen(text));
	alias_table_init(t);
	bool ok = alias_table_load(t, f->src, &f->diag);
	ok = alias_table_finish(t, &f->diag) && ok;
	if (getenv("CHECK_DUMP"))
		diag_render(&f->diag, stderr, DIAG_FORMAT_TEXT, false);
	return ok;
}

static void expect_diag(struct fixture *f, size_t i, const char *code, uint32_t line, uint32_t col)
{
	if (i >= f->diag.count) {
		diag_render(&f->diag, stderr, DIAG_FORMAT_TEXT, false);
		fail_msg("expected a diagnostic #%zu (%s), got %zu", i, code, f->diag.count);
	}
	const struct diag_record *r = f->diag.records[i];
	if (strcmp(r->code, code) != 0 || r->span.begin.line != line || r->span.begin.col != col) {
		diag_render(&f->diag, stderr, DIAG_FORMAT_TEXT, false);
		fail_msg("expected %s at %u:%u, got %s at %u:%u", code, line, col, r->code, r->span.begin.line,
			 r->span.begin.col);
	}
}

static void test_alias_json_export(void **state)
{
	struct fixture *f = *state;
	struct alias_table t;
	assert_true(load(f, &t, "providers.json", export_json));
	assert_int_equal(f->diag.count, 0);
	assert_true(t.has_metadata);
	assert_int_equal(t.alias_count, 3);

	const struct alias *tls = alias_find(&t, "microsoft.storage/STORAGEACCOUNTS/minimumtlsversion");
	assert_non_null(tls);
	assert_string_equal(tls->name, "Microsoft.Storage/storageAccounts/minimumTlsVersion");
	assert_string_equal(tls->property, "minimumTlsVersion");
	assert_string_equal(tls->default_path, "properties.minimumTlsVersion");
	assert_int_equal(tls->modifiable, ALIAS_YES);
	assert_string_equal(tls->earliest_api, "2019-04-01");
	assert_string_equal(tls->type->name, "Microsoft.Storage/storageAccounts");
	assert_string_equal(tls->type->ns->name, "Microsoft.Storage");

	const struct alias *blob = alias_find(&t, "Microsoft.Storage/storageAccounts/primaryEndpoints.blob");
	assert_int_equal(blob->modifiable, ALIAS_NO);
	assert_string_equal(alias_path_at(blob, "2016-01-01"), "properties.old.blob");
	assert_string_equal(alias_path_at(blob, "2023-05-01"), "properties.primaryEndpoints.blob");
	assert_string_equal(alias_path_at(blob, NULL), "properties.primaryEndpoints.blob");
	const struct alias *ip = alias_find(&t, "Microsoft.Storage/storageAccounts/networkAcls.ipRules[*].value");
	assert_non_null(ip);
	assert_int_equal(ip->modifiable, ALIAS_UNKNOWN);
	assert_null(ip->earliest_api);
	assert_null(alias_find(&t, "Microsoft.Storage/storageAccounts/minimumTlsVersio"));

	const struct alias_type *sa = alias_type_find(&t, "Microsoft.Storage/storageaccounts");
	assert_non_null(sa);
	assert_true(sa->listed);
	assert_int_equal(sa->alias_count, 3);
	assert_int_equal(sa->supports_tags, ALIAS_YES);
	assert_int_equal(sa->supports_location, ALIAS_YES);
	assert_ptr_equal(alias_by_path(sa, "PROPERTIES.minimumTlsVersion"), tls);
	const struct alias_type *blobs = alias_type_find(&t, "Microsoft.Storage/storageAccounts/blobServices");
	assert_true(blobs->listed);
	assert_int_equal(blobs->alias_count, 0);
	assert_int_equal(blobs->supports_tags, ALIAS_NO);
	const struct alias_type *tasks = alias_type_find(&t, "Microsoft.Storage/storageTasks");
	assert_false(tasks->listed);
	assert_int_equal(tasks->supports_tags, ALIAS_UNKNOWN);
	const struct alias_namespace *ns = alias_namespace_find(&t, "microsoft.storage");
	assert_int_equal(ns->type_count, 3);
	alias_table_release(&t);
}

static void test_alias_csv(void **state)
{
	struct fixture *f = *state;
	struct alias_table t;
	assert_true(load(f, &t, "aliases.csv",
			 "alias,defaultPath\r\n"
			 "Microsoft.Sql/servers/publicNetworkAccess,properties.publicNetworkAccess\r\n"
			 "\"Microsoft.Sql/servers/a\"\"b\",\"properties.x,y\"\n"
			 "Microsoft.Sql/auditingSettings.state,properties.state\n"
			 "\n"
			 "microsoft.sql/SERVERS/publicNetworkAccess,PROPERTIES.publicNetworkAccess\n"));
	assert_int_equal(f->diag.count, 0);
	assert_false(t.has_metadata);
	assert_int_equal(t.alias_count, 3);
	const struct alias *pna = alias_find(&t, "Microsoft.Sql/servers/publicnetworkaccess");
	assert_string_equal(pna->name, "Microsoft.Sql/servers/publicNetworkAccess");
	assert_int_equal(pna->modifiable, ALIAS_UNKNOWN);
	assert_int_equal(pna->type->supports_tags, ALIAS_UNKNOWN);
	assert_string_equal(alias_find(&t, "Microsoft.Sql/servers/a\"b")->default_path, "properties.x,y");
	/* a legacy namespace/property alias belongs to the namespace's own entry */
	const struct alias *legacy = alias_find(&t, "Microsoft.Sql/auditingSettings.state");
	assert_string_equal(legacy->type->name, "Microsoft.Sql");
	assert_string_equal(legacy->property, "auditingSettings.state");
	assert_int_equal(alias_namespace_find(&t, "Microsoft.Sql")->type_count, 2);
	alias_table_release(&t);
}

static void test_alias_csv_errors_are_located(void **state)
{
	struct fixture *f = *state;
	struct alias_table t;
	assert_false(load(f, &t, "bad.csv",
			  "Microsoft.Sql/servers/a\n"
			  "Microsoft.Sql/servers/b,properties.b,extra\n"
			  "Sql/b,properties.b\n"
			  "\"Microsoft.Sql/servers/c,properties.c\n"
			  "Microsoft.Sql/servers/d,prop\"erty\n"
			  "Microsoft.Sql/servers/e,\n"
			  "Microsoft.Sql/servers/ok,properties.ok\n"));
	assert_int_equal(f->diag.count, 6);
	expect_diag(f, 0, "E0951", 1, 1);
	expect_diag(f, 1, "E0951", 2, 37);
	expect_diag(f, 2, "E0951", 3, 1);
	expect_diag(f, 3, "E0951", 4, 1);
	expect_diag(f, 4, "E0951", 5, 29);
	expect_diag(f, 5, "E0951", 6, 25);
	/* the good line is still read */
	assert_non_null(alias_find(&t, "Microsoft.Sql/servers/ok"));
	alias_table_release(&t);
}

static void test_alias_json_errors_are_located(void **state)
{
	struct fixture *f = *state;
	struct alias_table t;
	assert_false(load(f, &t, "bad.json", "[{\"namespace\": \"N.S\",\n \"resourceTypes\": [tru]}]"));
	expect_diag(f, 0, "E0901", 2, 20);
	alias_table_release(&t);

	diag_release(&f->diag);
	diag_init(&f->diag);
	assert_false(load(f, &t, "shape.json",
			  "[\n"
			  "  {\"namespace\": \"N.S\", \"resourceTypes\": [\n"
			  "    {\"resourceType\": \"t\", \"aliases\": [\n"
			  "      {\"name\": \"N.S/t/a\", \"defaultPath\": 5},\n"
			  "      {\"name\": \"nonsense\"},\n"
			  "      {\"name\": \"N.S/t/b\", \"paths\": [{\"path\": \"properties.b\", \"apiVersions\": [1]}]}\n"
			  "    ]},\n"
			  "    {\"capabilities\": \"SupportsTags\"}\n"
			  "  ]},\n"
			  "  7\n"
			  "]\n"));
	assert_int_equal(f->diag.count, 5);
	expect_diag(f, 0, "E0952", 4, 42);
	expect_diag(f, 1, "E0952", 5, 16);
	expect_diag(f, 2, "E0952", 6, 78);
	expect_diag(f, 3, "E0952", 8, 5);
	expect_diag(f, 4, "E0952", 10, 3);
	assert_non_null(strstr(f->diag.records[0]->message, "at '[0].resourceTypes[0].aliases[0].defaultPath'"));
	alias_table_release(&t);

	diag_release(&f->diag);
	diag_init(&f->diag);
	assert_false(load(f, &t, "top.json", "{\"providers\": []}"));
	expect_diag(f, 0, "E0952", 1, 1);
	alias_table_release(&t);
}

static void test_alias_duplicates(void **state)
{
	struct fixture *f = *state;
	struct alias_table t;
	assert_false(load(f, &t, "dup.csv",
			  "Microsoft.Sql/servers/a,properties.a\n"
			  "Microsoft.Sql/servers/b,properties.b\n"
			  "microsoft.sql/servers/A,properties.A\n"
			  "Microsoft.Sql/servers/a,properties.other\n"));
	assert_int_equal(f->diag.count, 1);
	expect_diag(f, 0, "E0953", 4, 1);
	assert_non_null(f->diag.records[0]->notes);
	assert_int_equal(f->diag.records[0]->notes->span.begin.line, 1);
	assert_int_equal(t.alias_count, 2);
	alias_table_release(&t);
}

static void test_alias_closest(void **state)
{
	struct fixture *f = *state;
	struct alias_table t;
	assert_true(load(f, &t, "providers.json", export_json));
	const struct alias_type *sa = alias_type_find(&t, "Microsoft.Storage/storageAccounts");
	const struct alias *best[3];
	assert_int_equal(alias_closest(sa, "minimumTLSVersions", false, best, 3), 1);
	assert_string_equal(best[0]->property, "minimumTlsVersion");
	assert_int_equal(alias_closest(sa, "properties.minimumTlsVersoin", true, best, 3), 1);
	assert_string_equal(best[0]->default_path, "properties.minimumTlsVersion");
	/* an abbreviation, too far for edits */
	assert_int_equal(alias_closest(sa, "primEndpoints.blob", false, best, 3), 1);
	assert_string_equal(best[0]->property, "primaryEndpoints.blob");
	assert_int_equal(alias_closest(sa, "somethingElseEntirely", false, best, 3), 0);
	const struct alias_namespace *ns = alias_namespace_find(&t, "Microsoft.Storage");
	assert_string_equal(alias_closest_type(ns, "storageAccount")->name, "Microsoft.Storage/storageAccounts");
	assert_string_equal(alias_closest_namespace(&t, "Microsoft.Storag")->name, "Microsoft.Storage");
	assert_int_equal(text_edit_distance("abc", "abd", 3), 1);
	assert_int_equal(text_edit_distance("abc", "ABC", 3), 0);
	assert_int_equal(text_edit_distance("abcdefgh", "a", 3), 4);
	alias_table_release(&t);
}

static void test_alias_lock_round_trip(void **state)
{
	struct fixture *f = *state;
	struct alias_table t;
	assert_true(load(f, &t, "providers.json", export_json));
	const struct alias_type *sel[] = { alias_type_find(&t, "Microsoft.Storage/storageAccounts"),
					   alias_type_find(&t, "Microsoft.Storage/storageAccounts") };
	struct sb lock = SB_INIT;
	alias_lock_write(&t, sel, 2, &lock);
	assert_non_null(strstr(lock.buf, "\"capabilities\": \"CrossResourceGroupResourceMove, SupportsTags, SupportsLocation\""));
	assert_non_null(strstr(lock.buf, "{\"resourceType\": \"storageAccounts/blobServices\"}"));
	assert_non_null(strstr(lock.buf, "\"attributes\":\"Modifiable\""));
	/* no metadata: the short form */
	assert_non_null(strstr(lock.buf, "\n          \"networkAcls.ipRules[*].value\",\n"));

	struct fixture g = { 0 };
	diag_init(&g.diag);
	struct alias_table back;
	assert_true(load(&g, &back, "aliases.lock.json", lock.buf));
	assert_int_equal(back.alias_count, 3);
	const struct alias *tls = alias_find(&back, "Microsoft.Storage/storageAccounts/minimumTlsVersion");
	assert_int_equal(tls->modifiable, ALIAS_YES);
	assert_string_equal(tls->earliest_api, "2019-04-01");
	assert_string_equal(alias_find(&back, "Microsoft.Storage/storageAccounts/networkAcls.ipRules[*].value")->default_path,
			    "properties.networkAcls.ipRules[*].value");
	/* an unselected type is known by name, its aliases not listed */
	assert_false(alias_type_find(&back, "Microsoft.Storage/storageAccounts/blobServices")->listed);
	const struct alias_type *again_sel[] = { alias_type_find(&back, "Microsoft.Storage/storageAccounts") };
	struct sb again = SB_INIT;
	alias_lock_write(&back, again_sel, 1, &again);
	assert_string_equal(lock.buf, again.buf);

	/* an empty selection is an empty list */
	sb_reset(&again);
	alias_lock_write(&back, NULL, 0, &again);
	assert_non_null(strstr(again.buf, "\"value\": []"));
	sb_release(&lock);
	sb_release(&again);
	alias_table_release(&back);
	alias_table_release(&t);
	diag_release(&g.diag);
	source_free(g.src);
}

static void test_alias_short_forms(void **state)
{
	struct fixture *f = *state;
	struct alias_table t;
	assert_true(load(f, &t, "lock.json",
			 "{\"value\": [{\"namespace\": \"N.S\", \"resourceTypes\": [{\"resourceType\": \"t\", "
			 "\"aliases\": [\"a.b\", [\"K.c\", \"properties.c\"]]}]}]}"));
	assert_string_equal(alias_find(&t, "N.S/t/a.b")->default_path, "properties.a.b");
	assert_string_equal(alias_find(&t, "N.S/t/K.c")->default_path, "properties.c");
	alias_table_release(&t);
	assert_false(load(f, &t, "lock.json",
			  "{\"value\": [{\"namespace\": \"N.S\", \"resourceTypes\": [{\"resourceType\": \"t\", "
			  "\"aliases\": [\"a/b\", [\"c\"]]}]}]}"));
	assert_int_equal(f->diag.count, 2);
	alias_table_release(&t);
}

/* One provider, as `az provider show` prints it. */
static void test_alias_single_provider(void **state)
{
	struct fixture *f = *state;
	struct alias_table t;
	assert_true(load(f, &t, "one.json",
			 "{\"namespace\": \"N.S\", \"resourceTypes\": [{\"resourceType\": \"t\", \"aliases\": "
			 "[{\"name\": \"N.S/t/p\", \"defaultPath\": \"properties.p\"}]}]}"));
	assert_non_null(alias_find(&t, "n.s/T/P"));
	alias_table_release(&t);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_alias_json_export),
		T(test_alias_csv),
		T(test_alias_csv_errors_are_located),
		T(test_alias_json_errors_are_located),
		T(test_alias_duplicates),
		T(test_alias_closest),
		T(test_alias_lock_round_trip),
		T(test_alias_short_forms),
		T(test_alias_single_provider),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
