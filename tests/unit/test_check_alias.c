/*
 * Unit tests for check_alias: packs parsed from text, checked against a
 * small alias table; diagnostics as data (code, line, column, help).
 */
#include "testutil.h"

#include "pacc/alias.h"
#include "pacc/check.h"
#include "pacc/check_alias.h"
#include "pacc/harden.h"
#include "pacc/parse.h"

#include <stdio.h>
#include <stdlib.h>

/* Microsoft.Storage as the JSON export gives it (metadata known). */
static const char table_json[] =
	"[{\"namespace\": \"Microsoft.Storage\", \"resourceTypes\": [\n"
	" {\"resourceType\": \"storageAccounts\", \"capabilities\": \"SupportsTags, SupportsLocation\", \"aliases\": [\n"
	"  {\"name\": \"Microsoft.Storage/storageAccounts/minimumTlsVersion\", \"defaultPath\": \"properties.minimumTlsVersion\",\n"
	"   \"paths\": [{\"path\": \"properties.minimumTlsVersion\", \"apiVersions\": [\"2023-05-01\", \"2019-04-01\"]}],\n"
	"   \"defaultMetadata\": {\"attributes\": \"Modifiable\"}},\n"
	"  {\"name\": \"Microsoft.Storage/storageAccounts/publicNetworkAccess\", \"defaultPath\": \"properties.publicNetworkAccess\",\n"
	"   \"paths\": [{\"path\": \"properties.publicNetworkAccess\", \"apiVersions\": [\"2024-01-01\"]}],\n"
	"   \"defaultMetadata\": {\"attributes\": \"Modifiable\"}},\n"
	"  {\"name\": \"Microsoft.Storage/storageAccounts/primaryEndpoints.blob\", \"defaultPath\": \"properties.primaryEndpoints.blob\",\n"
	"   \"defaultMetadata\": {\"attributes\": \"None\"}},\n"
	"  {\"name\": \"Microsoft.Storage/storageAccounts/networkAcls\", \"defaultPath\": \"properties.networkAcls\",\n"
	"   \"defaultMetadata\": {\"attributes\": \"Modifiable\"}},\n"
	"  {\"name\": \"Microsoft.Storage/storageAccounts/networkAcls.ipRules\", \"defaultPath\": \"properties.networkAcls.ipRules\"},\n"
	"  {\"name\": \"Microsoft.Storage/storageAccounts/networkAcls.ipRules[*]\", \"defaultPath\": \"properties.networkAcls.ipRules[*]\"},\n"
	"  {\"name\": \"Microsoft.Storage/storageAccounts/networkAcls.ipRules[*].value\", \"defaultPath\": \"properties.networkAcls.ipRules[*].value\"},\n"
	"  {\"name\": \"Microsoft.Storage/storageAccounts/encryption\", \"defaultPath\": \"properties.encryption\"}\n"
	" ]},\n"
	" {\"resourceType\": \"storageAccounts/blobServices\", \"capabilities\": \"SupportsExtension\", \"aliases\": [\n"
	"  {\"name\": \"Microsoft.Storage/storageAccounts/blobServices/deleteRetentionPolicy.enabled\",\n"
	"   \"defaultPath\": \"properties.deleteRetentionPolicy.enabled\"}\n"
	" ]},\n"
	" {\"resourceType\": \"deletedAccounts\", \"capabilities\": \"None\", \"aliases\": [\n"
	"  {\"name\": \"Microsoft.Storage/deletedAccounts/restoreReference\", \"defaultPath\": \"properties.restoreReference\"}\n"
	" ]},\n"
	" {\"resourceType\": \"storageTasks\"}\n"
	"]}]\n";

/* Nine lines: a complete service, so sections start on line 10. */
#define SERVICE                                                               \
	"service \"Svc\" {\n"                                                 \
	"  ms.service \"svc\"\n"                                              \
	"  author \"a\"\n"                                                    \
	"  ms.author \"a\"\n"                                                 \
	"  ms.date \"2025-06-04\"\n"                                          \
	"  category \"C\"\n"                                                  \
	"  version \"1.0.0\" intro \"Overview.\"\n"                           \
	"  governs \"Microsoft.Storage/storageAccounts\" at \"2023-05-01\"\n" \
	"}\n"

/* Lines 10-12 open a section and a recommendation. */
#define REC_OPEN                                     \
	"section net \"Net\" { \"\"\"About.\"\"\"\n" \
	"  recommendation NS-1 \"Do it\" {\n"        \
	"    \"\"\"Why.\"\"\"\n"
#define REC_CLOSE "  }\n}\n"
/* What a storage account module needs besides the settings under test (E0414). */
#define SKU_KIND "      set sku.name = \"Standard_LRS\"\n      set kind = \"StorageV2\"\n"

struct env {
	struct fixture f;
	struct source *table_src;
	struct alias_table table;
};

static int env_setup(void **state)
{
	struct env *e = test_calloc(1, sizeof(*e));
	arena_init(&e->f.arena);
	diag_init(&e->f.diag);
	e->table_src = source_from_memory("providers.json", table_json, strlen(table_json));
	alias_table_init(&e->table);
	bool ok = alias_table_load(&e->table, e->table_src, &e->f.diag);
	ok = alias_table_finish(&e->table, &e->f.diag) && ok;
	if (!ok) {
		diag_render(&e->f.diag, stderr, DIAG_FORMAT_TEXT, false);
		return -1;
	}
	*state = e;
	return 0;
}

static int env_teardown(void **state)
{
	struct env *e = *state;
	alias_table_release(&e->table);
	source_free(e->table_src);
	diag_release(&e->f.diag);
	arena_release(&e->f.arena);
	source_free(e->f.src);
	test_free(e);
	return 0;
}

static struct ast_pack *run(struct env *e, const char *text)
{
	fixture_source(&e->f, text);
	struct ast_pack *pack = parse_pack(e->f.src, "pk", &e->f.arena, &e->f.diag);
	if (e->f.diag.count) {
		diag_render(&e->f.diag, stderr, DIAG_FORMAT_TEXT, false);
		fail_msg("the test input does not parse");
	}
	check_pack_with_aliases(pack, &e->table, &e->f.diag);
	if (getenv("CHECK_DUMP"))
		diag_render(&e->f.diag, stderr, DIAG_FORMAT_TEXT, false);
	return pack;
}

static void expect_count(struct env *e, size_t n)
{
	if (e->f.diag.count != n) {
		diag_render(&e->f.diag, stderr, DIAG_FORMAT_TEXT, false);
		fail_msg("expected %zu diagnostics, got %zu", n, e->f.diag.count);
	}
}

static void expect(struct env *e, size_t i, const char *code, uint32_t line, uint32_t col, const char *help)
{
	const struct diag_record *r = e->f.diag.records[i];
	if (strcmp(r->code, code) != 0 || r->span.begin.line != line || r->span.begin.col != col ||
	    (help && (!r->help || strcmp(r->help, help) != 0))) {
		diag_render(&e->f.diag, stderr, DIAG_FORMAT_TEXT, false);
		fail_msg("expected %s at %u:%u (%s), got %s at %u:%u (%s)", code, line, col, help ? help : "-", r->code,
			 r->span.begin.line, r->span.begin.col, r->help ? r->help : "-");
	}
}

static void test_check_alias_misspelt_conditions(void **state)
{
	struct env *e = *state;
	run(e, "policy \"p\" {\n"
	       "  display \"P\"\n"
	       "  mode All\n"
	       "  effect audit\n"
	       "  if {\n"
	       "    type == \"Microsoft.Storage/storageAccounts\"\n"
	       "    field \"minimumTLSVersions\" != \"TLS1_2\"\n"
	       "    field \"Microsoft.Storage/storageAccount/publicNetAccess\" != \"Disabled\"\n"
	       "    count field \"Microsoft.Storage/storageAccounts/networkAcls.ipRule[*]\" where {\n"
	       "      field \"Microsoft.Storage/storageAccounts/networkAcls.ipRules[*].valu\" == \"1.2.3.4\"\n"
	       "    } > 0\n"
	       "  }\n"
	       "}\n");
	expect_count(e, 4);
	expect(e, 0, "E0501", 7, 11, "did you mean 'Microsoft.Storage/storageAccounts/minimumTlsVersion'?");
	expect(e, 1, "E0501", 8, 11, "did you mean 'Microsoft.Storage/storageAccounts/publicNetworkAccess'?");
	expect(e, 2, "E0501", 9, 17,
	       "did you mean 'Microsoft.Storage/storageAccounts/networkAcls.ipRules[*]' or "
	       "'Microsoft.Storage/storageAccounts/networkAcls.ipRules'?");
	expect(e, 3, "E0501", 10, 13, "did you mean 'Microsoft.Storage/storageAccounts/networkAcls.ipRules[*].value'?");
}

static void test_check_alias_accepts_names_that_are_no_aliases(void **state)
{
	struct env *e = *state;
	run(e, "policy \"p\" {\n"
	       "  display \"P\"\n"
	       "  mode All\n"
	       "  effect audit\n"
	       "  param tagName String = \"env\"\n"
	       "  if {\n"
	       "    type == \"Microsoft.Storage/storageAccounts\"\n"
	       "    field \"name\" like \"st*\"\n"
	       "    field \"fullName\" like \"st*\"\n"
	       "    field \"kind\" == \"StorageV2\"\n"
	       "    field \"location\" == \"westeurope\"\n"
	       "    field \"id\" exists true\n"
	       "    field \"identity.type\" == \"SystemAssigned\"\n"
	       "    field \"tags\" exists true\n"
	       "    field \"tags['env']\" exists true\n"
	       "    field \"tags.env\" exists true\n"
	       "    field \"[concat('tags[', parameters('tagName'), ']')]\" exists false\n"
	       "    field \"MICROSOFT.STORAGE/STORAGEACCOUNTS/MINIMUMTLSVERSION\" == \"TLS1_2\"\n"
	       "    field \"Microsoft.Storage/storageAccounts/networkAcls.ipRules[].value\" == \"1.2.3.4\"\n"
	       "  }\n"
	       "}\n");
	expect_count(e, 0);
}

static void test_check_alias_modify_and_append_fields(void **state)
{
	struct env *e = *state;
	run(e, "policy \"m\" {\n"
	       "  display \"M\"\n"
	       "  mode Indexed\n"
	       "  effect modify\n"
	       "  if { type == \"Microsoft.Storage/storageAccounts\" }\n"
	       "  modify {\n"
	       "    roleDefinitionIds [\"/providers/Microsoft.Authorization/roleDefinitions/1\"]\n"
	       "    set \"Microsoft.Storage/storageAccounts/minimumTlsVersoin\" = \"TLS1_2\"\n"
	       "    set \"Microsoft.Storage/storageAccounts/primaryEndpoints.blob\" = \"x\"\n"
	       "    set \"Microsoft.Storage/storageAccounts/minimumTlsVersion\" = \"TLS1_2\"\n"
	       "    add \"tags['owner']\" = \"me\"\n"
	       "  }\n"
	       "}\n"
	       "policy \"a\" {\n"
	       "  display \"A\"\n"
	       "  mode Indexed\n"
	       "  effect append\n"
	       "  if { type == \"Microsoft.Storage/storageAccounts\" }\n"
	       "  append \"Microsoft.Storage/storageAccounts/networkAcls.ipRule[*]\" = { \"value\": \"1.2.3.4\" }\n"
	       "}\n");
	expect_count(e, 3);
	expect(e, 0, "E0501", 8, 9, "did you mean 'Microsoft.Storage/storageAccounts/minimumTlsVersion'?");
	expect(e, 1, "E0503", 9, 9, NULL);
	expect(e, 2, "E0501", 19, 10,
	       "did you mean 'Microsoft.Storage/storageAccounts/networkAcls.ipRules[*]' or "
	       "'Microsoft.Storage/storageAccounts/networkAcls.ipRules'?");
}

static void test_check_alias_existence_condition(void **state)
{
	struct env *e = *state;
	run(e, "policy \"d\" {\n"
	       "  display \"D\"\n"
	       "  mode Indexed\n"
	       "  effect auditIfNotExists\n"
	       "  if { type == \"Microsoft.Storage/storageAccounts\" }\n"
	       "  related \"Microsoft.Storage/storageAccounts/blobServices\" {\n"
	       "    existenceCondition { field \"deleteRetentionPolicy.enable\" == true }\n"
	       "  }\n"
	       "}\n");
	expect_count(e, 1);
	expect(e, 0, "E0501", 7, 32,
	       "did you mean 'Microsoft.Storage/storageAccounts/blobServices/deleteRetentionPolicy.enabled'?");
}

static void test_check_alias_set_paths(void **state)
{
	struct env *e = *state;
	run(e, SERVICE REC_OPEN
	    "    harden \"Microsoft.Storage/storageAccounts\" {\n"
	    "      set properties.minimumTlsVersoin = \"TLS1_2\"\n"
	    "      set properties.networkAcls.defaultAction = \"Deny\"\n"
	    "      set properties.encryption.keySource = \"Microsoft.Storage\"\n"
	    "      set identity = { \"type\": \"SystemAssigned\" }\n"
	    "      set properties.networkAcls.ipRule = []\n"
	    SKU_KIND
	    "    }\n"
	    REC_CLOSE);
	/* networkAcls has aliases below it, so a misspelt member of it is caught;
	 * encryption has none, so members of it are taken on trust */
	expect_count(e, 3);
	expect(e, 0, "E0502", 14, 11, "did you mean 'properties.minimumTlsVersion'?");
	expect(e, 1, "E0502", 15, 11, NULL);
	expect(e, 2, "E0502", 18, 11, "did you mean 'properties.networkAcls.ipRules'?");
}

/* The Modify twin's guard comes from the earliest API version that carries the property. */
static void test_check_alias_guard_uses_earliest_api_version(void **state)
{
	struct env *e = *state;
	struct ast_pack *pack = run(e, SERVICE REC_OPEN
				    "    harden \"Microsoft.Storage/storageAccounts\" {\n"
				    "      set properties.minimumTlsVersion = \"TLS1_2\"\n"
				    "      set properties.publicNetworkAccess = \"Disabled\"\n"
				    "      remediate { }\n"
				    SKU_KIND
				    "    }\n"
				    REC_CLOSE);
	expect_count(e, 1);
	expect(e, 0, "E0506", 15, 11, NULL);
	const struct ast_policy *twin = pack->sections->recommendations->harden->remediate;
	const struct ast_modify_operation *o = twin->details.modify->operations;
	assert_string_equal(o->field->s, "Microsoft.Storage/storageAccounts/minimumTlsVersion");
	assert_string_equal(o->condition->s, "[greaterOrEquals(requestContext().apiVersion, '2019-04-01')]");
	/* the table lists publicNetworkAccess from 2024 only: the pinned guard stays */
	assert_string_equal(o->next->condition->s, "[greaterOrEquals(requestContext().apiVersion, '2023-05-01')]");
}

/* A `since` the pack states wins over the table. */
static void test_check_alias_guard_keeps_since(void **state)
{
	struct env *e = *state;
	struct ast_pack *pack = run(e, SERVICE REC_OPEN
				    "    harden \"Microsoft.Storage/storageAccounts\" {\n"
				    "      set properties.minimumTlsVersion = \"TLS1_2\" since \"2021-01-01\"\n"
				    "      remediate { }\n"
				    SKU_KIND
				    "    }\n"
				    REC_CLOSE);
	expect_count(e, 0);
	const struct ast_policy *twin = pack->sections->recommendations->harden->remediate;
	assert_string_equal(twin->details.modify->operations->condition->s,
			    "[greaterOrEquals(requestContext().apiVersion, '2021-01-01')]");
}

static void test_check_alias_remediate_on_unmodifiable(void **state)
{
	struct env *e = *state;
	run(e, SERVICE REC_OPEN
	    "    harden \"Microsoft.Storage/storageAccounts\" {\n"
	    "      set properties.primaryEndpoints.blob = \"x\"\n"
	    "      remediate { }\n"
	    SKU_KIND
	    "    }\n"
	    REC_CLOSE);
	expect_count(e, 1);
	expect(e, 0, "E0503", 14, 11, NULL);
}

static void test_check_alias_indexed_on_type_without_tags(void **state)
{
	struct env *e = *state;
	run(e, "policy \"b\" {\n"
	       "  display \"B\"\n"
	       "  mode Indexed\n"
	       "  effect audit\n"
	       "  if {\n"
	       "    type == \"Microsoft.Storage/deletedAccounts\"\n"
	       "    field \"Microsoft.Storage/deletedAccounts/restoreReference\" exists true\n"
	       "  }\n"
	       "}\n"
	       "policy \"c\" {\n"
	       "  display \"C\"\n"
	       "  mode Indexed\n"
	       "  effect audit\n"
	       "  if {\n"
	       "    type == \"Microsoft.Storage/storageAccounts/blobServices\"\n"
	       "    field \"Microsoft.Storage/storageAccounts/blobServices/deleteRetentionPolicy.enabled\" == false\n"
	       "  }\n"
	       "}\n");
	/* the child type is check_types' E0418 alone */
	expect_count(e, 2);
	expect(e, 0, "E0418", 12, 8, NULL);
	expect(e, 1, "E0504", 3, 8, "write 'mode All'");
	assert_int_equal(e->f.diag.errors, 0);
}

static void test_check_alias_uncovered_namespaces_and_types(void **state)
{
	struct env *e = *state;
	run(e, "policy \"u\" {\n"
	       "  display \"U\"\n"
	       "  mode All\n"
	       "  effect audit\n"
	       "  if {\n"
	       "    field \"Microsoft.Storag/storageAccounts/minimumTlsVersion\" == \"x\"\n"
	       "    field \"Microsoft.Storag/storageAccounts/publicNetworkAccess\" == \"x\"\n"
	       "    field \"Microsoft.Storage/storageTasks/enabled\" == true\n"
	       "    field \"Microsoft.Storage/storageAcounts/minimumTlsVersion\" == \"x\"\n"
	       "  }\n"
	       "}\n"
	       "policy \"kv\" {\n"
	       "  display \"K\"\n"
	       "  mode Microsoft.KeyVault.Data\n"
	       "  effect audit\n"
	       "  if { field \"Microsoft.KeyVault.Data/vaults/keys/keyType\" == \"RSA\" }\n"
	       "}\n");
	expect_count(e, 3);
	expect(e, 0, "E0505", 6, 11, "did you mean 'Microsoft.Storage'?");
	expect(e, 1, "E0505", 8, 11, NULL);
	expect(e, 2, "E0501", 9, 11, "did you mean 'Microsoft.Storage/storageAccounts/minimumTlsVersion'?");
}

static void test_check_alias_collects_used_types(void **state)
{
	struct env *e = *state;
	fixture_source(&e->f, SERVICE REC_OPEN
			      "    enforce {\n"
			      "      display \"D\"\n"
			      "      mode All\n"
			      "      effect audit\n"
			      "      if { field \"Microsoft.Storage/storageAccount/blobServices/x\" exists true }\n"
			      "    }\n"
			      REC_CLOSE);
	struct ast_pack *pack = parse_pack(e->f.src, "pk", &e->f.arena, &e->f.diag);
	struct check_alias_types used = { 0 };
	check_alias_collect(pack, &e->table, &used);
	assert_int_equal(e->f.diag.count, 0);
	bool accounts = false, blobs = false;
	for (size_t i = 0; i < used.count; i++) {
		accounts |= strcmp(used.items[i]->name, "Microsoft.Storage/storageAccounts") == 0;
		blobs |= strcmp(used.items[i]->name, "Microsoft.Storage/storageAccounts/blobServices") == 0;
	}
	assert_true(accounts); /* governed */
	assert_true(blobs);    /* the closest type of a misspelt one */
	free(used.items);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, env_setup, env_teardown)
	const struct CMUnitTest tests[] = {
		T(test_check_alias_misspelt_conditions),
		T(test_check_alias_accepts_names_that_are_no_aliases),
		T(test_check_alias_modify_and_append_fields),
		T(test_check_alias_existence_condition),
		T(test_check_alias_set_paths),
		T(test_check_alias_guard_uses_earliest_api_version),
		T(test_check_alias_guard_keeps_since),
		T(test_check_alias_remediate_on_unmodifiable),
		T(test_check_alias_indexed_on_type_without_tags),
		T(test_check_alias_uncovered_namespaces_and_types),
		T(test_check_alias_collects_used_types),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
