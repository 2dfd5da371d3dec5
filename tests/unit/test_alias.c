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

/*
 * An alias whose name spells its namespace otherwise than the lock file
 * does (Azure's own "Microsoft.Keyvault/vaults/..." beside
 * "Microsoft.KeyVault/managedHSMs/...") keeps its full name there: a short
 * form would come back spelt after the namespace.
 */
static void test_alias_lock_keeps_alias_spelling(void **state)
{
	struct fixture *f = *state;
	struct alias_table t;
	assert_true(load(f, &t, "aliases.csv",
			 "alias,defaultPath\n"
			 "Microsoft.KeyVault/managedHSMs/sku.name,sku.name\n"
			 "Microsoft.Keyvault/vaults/accessPolicies,properties.accessPolicies\n"
			 "Microsoft.KeyVault/vaults/enableSoftDelete,properties.enableSoftDelete\n"));
	const struct alias_type *sel[] = { alias_type_find(&t, "Microsoft.KeyVault/vaults") };
	struct sb lock = SB_INIT, again = SB_INIT;
	alias_lock_write(&t, sel, 1, &lock);
	assert_non_null(strstr(lock.buf, "\"enableSoftDelete\""));
	assert_non_null(strstr(lock.buf, "{\"name\":\"Microsoft.Keyvault/vaults/accessPolicies\""));

	struct fixture g = { 0 };
	diag_init(&g.diag);
	struct alias_table back;
	assert_true(load(&g, &back, "aliases.lock.json", lock.buf));
	assert_string_equal(alias_find(&back, "microsoft.keyvault/vaults/accesspolicies")->name,
			    "Microsoft.Keyvault/vaults/accessPolicies");
	const struct alias_type *again_sel[] = { alias_type_find(&back, "Microsoft.KeyVault/vaults") };
	alias_lock_write(&back, again_sel, 1, &again);
	assert_string_equal(lock.buf, again.buf);
	sb_release(&lock);
	sb_release(&again);
	alias_table_release(&back);
	alias_table_release(&t);
	diag_release(&g.diag);
	source_free(g.src);
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

/* The same text read by the general JSON reader: the lock file's reader
 * takes only a file whose first member is "comment". */
static char *as_general(const char *lock)
{
	const char *c = strstr(lock, "\"comment\"");
	assert_non_null(c);
	char *copy = strdup(lock);
	memcpy(copy + (c - lock), "\"remark\" ", 9);
	return copy;
}

static void expect_same_string(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Everything a table holds, compared field by field. */
static void expect_same_table(const struct alias_table *a, const struct alias_table *b)
{
	assert_int_equal(a->alias_count, b->alias_count);
	assert_int_equal(a->type_count, b->type_count);
	assert_int_equal(a->namespace_count, b->namespace_count);
	assert_int_equal(a->has_metadata, b->has_metadata);
	for (size_t i = 0; i < a->alias_count; i++) {
		const struct alias *x = a->aliases[i], *y = b->aliases[i];
		assert_string_equal(x->name, y->name);
		assert_string_equal(x->property, y->property);
		expect_same_string(x->default_path, y->default_path);
		expect_same_string(x->earliest_api, y->earliest_api);
		assert_int_equal(x->modifiable, y->modifiable);
		assert_string_equal(x->type->name, y->type->name);
		assert_int_equal(x->path_count, y->path_count);
		for (size_t k = 0; k < x->path_count; k++) {
			assert_string_equal(x->paths[k].path, y->paths[k].path);
			assert_int_equal(x->paths[k].api_version_count, y->paths[k].api_version_count);
			for (size_t v = 0; v < x->paths[k].api_version_count; v++)
				assert_string_equal(x->paths[k].api_versions[v], y->paths[k].api_versions[v]);
		}
	}
	for (size_t i = 0; i < a->type_count; i++) {
		const struct alias_type *x = a->types[i], *y = b->types[i];
		assert_string_equal(x->name, y->name);
		assert_string_equal(x->local, y->local);
		assert_string_equal(x->ns->name, y->ns->name);
		assert_int_equal(x->listed, y->listed);
		expect_same_string(x->capabilities, y->capabilities);
		assert_int_equal(x->supports_tags, y->supports_tags);
		assert_int_equal(x->supports_location, y->supports_location);
		assert_int_equal(x->alias_count, y->alias_count);
		for (size_t k = 0; k < x->alias_count; k++)
			assert_string_equal(x->aliases[k]->name, y->aliases[k]->name);
	}
	for (size_t i = 0; i < a->namespace_count; i++) {
		assert_string_equal(a->namespaces[i]->name, b->namespaces[i]->name);
		assert_int_equal(a->namespaces[i]->type_count, b->namespaces[i]->type_count);
	}
}

/* The shipped lock file read directly gives the table the general reader gives. */
static void test_alias_lock_reader_same_table(void **state)
{
	struct fixture *f = *state;
	struct source *file = NULL;
	assert_int_equal(source_read_limit("policies/aliases.lock.json", ALIAS_SOURCE_MAX_BYTES, &file), SOURCE_OK);
	char *general = as_general((const char *)file->text);
	struct alias_table direct, slow;
	assert_true(load(f, &direct, "aliases.lock.json", (const char *)file->text));
	struct fixture g = { 0 };
	diag_init(&g.diag);
	assert_true(load(&g, &slow, "aliases.lock.json", general));
	assert_true(direct.alias_count > 1000);
	expect_same_table(&direct, &slow);

	/* and writes it back byte for byte */
	const struct alias_type **all = calloc(direct.type_count, sizeof(*all));
	for (size_t i = 0; i < direct.type_count; i++)
		all[i] = direct.types[i]->listed ? direct.types[i] : direct.types[0];
	struct sb a = SB_INIT, b = SB_INIT;
	alias_lock_write(&direct, all, direct.type_count, &a);
	for (size_t i = 0; i < slow.type_count; i++)
		all[i] = slow.types[i]->listed ? slow.types[i] : slow.types[0];
	alias_lock_write(&slow, all, slow.type_count, &b);
	assert_string_equal(a.buf, b.buf);
	sb_release(&a);
	sb_release(&b);
	free(all);
	free(general);
	alias_table_release(&direct);
	alias_table_release(&slow);
	diag_release(&g.diag);
	source_free(g.src);
	source_free(file);
}

/* A lock file that is not as pacc writes it is read (and reported on) as any JSON. */
static void test_alias_lock_reader_hands_over(void **state)
{
	struct fixture *f = *state;
	static const char *const cases[] = {
		/* the same alias twice: E0953 at the second, note at the first */
		"{\n  \"comment\": \"c\",\n  \"value\": [\n    {\"namespace\": \"N.S\", \"resourceTypes\": [\n"
		"      {\"resourceType\": \"t\", \"aliases\": [\n        \"a\",\n        [\"a\", \"properties.b\"]\n"
		"      ]}]}]}\n",
		/* a blank in a property: E0952 */
		"{\"comment\": \"c\", \"value\": [{\"namespace\": \"N.S\", \"resourceTypes\": [\n"
		"  {\"resourceType\": \"t\", \"aliases\": [\"a\", \"b c\"]}]}]}",
		/* a namespace without a dot: E0952 */
		"{\"comment\": \"c\", \"value\": [{\"namespace\": \"NS\", \"resourceTypes\": [\n"
		"  {\"resourceType\": \"t\", \"aliases\": [\"a\"]}]}]}",
		/* an escape, a member of its own, trailing text */
		"{\"comment\": \"c\", \"value\": [{\"namespace\": \"N.S\", \"resourceTypes\": [\n"
		"  {\"resourceType\": \"t\", \"aliases\": [\"a\\u0062\"]}]}]}",
		"{\"comment\": \"c\", \"value\": [{\"namespace\": \"N.S\", \"extra\": 1, \"resourceTypes\": []}]}",
		"{\"comment\": \"c\", \"value\": []} x",
		/* a type that ends in '/' */
		"{\"comment\": \"c\", \"value\": [{\"namespace\": \"N.S\", \"resourceTypes\": [\n"
		"  {\"resourceType\": \"t/\", \"aliases\": [\"a\"]}]}]}",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *general = as_general(cases[i]);
		struct alias_table direct, slow;
		struct fixture g = { 0 };
		diag_init(&g.diag);
		size_t before = f->diag.count;
		bool ok_direct = load(f, &direct, "lock.json", cases[i]);
		bool ok_slow = load(&g, &slow, "lock.json", general);
		assert_int_equal(ok_direct, ok_slow);
		assert_int_equal(f->diag.count - before, g.diag.count);
		for (size_t k = 0; k < g.diag.count; k++) {
			const struct diag_record *x = f->diag.records[before + k], *y = g.diag.records[k];
			assert_string_equal(x->code, y->code);
			assert_int_equal(x->span.begin.line, y->span.begin.line);
			assert_int_equal(x->span.begin.col, y->span.begin.col);
			assert_string_equal(x->message, y->message);
			assert_int_equal(x->span.end.col, y->span.end.col);
			const struct diag_note *nx = x->notes, *ny = y->notes;
			for (; nx && ny; nx = nx->next, ny = ny->next) {
				assert_int_equal(nx->span.begin.line, ny->span.begin.line);
				assert_int_equal(nx->span.begin.col, ny->span.begin.col);
			}
			assert_ptr_equal(nx, ny);
		}
		if (ok_direct)
			expect_same_table(&direct, &slow);
		free(general);
		alias_table_release(&direct);
		alias_table_release(&slow);
		diag_release(&g.diag);
		source_free(g.src);
	}
	/* the duplicate is reported with its note */
	assert_string_equal(f->diag.records[0]->code, "E0953");
	assert_non_null(f->diag.records[0]->notes);
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
	T(test_alias_lock_keeps_alias_spelling),
		T(test_alias_single_provider),
		T(test_alias_lock_reader_same_table),
		T(test_alias_lock_reader_hands_over),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
