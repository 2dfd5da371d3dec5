#include "testutil.h"

#include "pacc/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Imports text (named test.json) into a fresh pack. */
static struct ast_pack *import_text(struct fixture *f, const char *text, bool *ok)
{
	source_free(f->src);
	f->src = source_from_memory("test.json", text, strlen(text));
	struct ast_pack *pack = import_pack_new(&f->arena, "test");
	*ok = import_source(pack, f->src, "fallback", &f->diag);
	return pack;
}

static const char *const policy_json =
	"{\n"
	"  \"name\": \"p1\",\n"
	"  \"id\": \"/providers/Microsoft.Authorization/policyDefinitions/p1\",\n"
	"  \"type\": \"Microsoft.Authorization/policyDefinitions\",\n"
	"  \"properties\": {\n"
	"    \"displayName\": \"Factories should disable public access\",\n"
	"    \"policyType\": \"BuiltIn\",\n"
	"    \"mode\": \"indexed\",\n"
	"    \"Version\": \"1.0.0\",\n"
	"    \"parameters\": {\n"
	"      \"effect\": {\n"
	"        \"type\": \"String\",\n"
	"        \"metadata\": {\"displayName\": \"Effect\", \"description\": \"Enable or disable the execution of the policy\"},\n"
	"        \"allowedValues\": [\"Audit\", \"Deny\", \"Disabled\"],\n"
	"        \"defaultValue\": \"Audit\"\n"
	"      }\n"
	"    },\n"
	"    \"policyRule\": {\n"
	"      \"if\": {\"allof\": [\n"
	"        {\"field\": \"type\", \"Equals\": \"Microsoft.DataFactory/factories\"},\n"
	"        {\"not\": {\"field\": \"x\", \"exists\": \"true\"}}\n"
	"      ]},\n"
	"      \"then\": {\"effect\": \"[parameters('effect')]\"}\n"
	"    }\n"
	"  }\n"
	"}\n";

static void test_import_envelope_policy(void **state)
{
	struct fixture *f = *state;
	bool ok;
	struct ast_pack *pack = import_text(f, policy_json, &ok);
	assert_true(ok);
	assert_int_equal(f->diag.count, 0);
	struct ast_policy *p = pack->policies;
	assert_non_null(p);
	assert_string_equal(p->name->s, "p1");
	assert_string_equal(p->id->s, "/providers/Microsoft.Authorization/policyDefinitions/p1");
	assert_string_equal(p->mode->s, "indexed");
	/* a member the language has no statement for stays a verbatim property */
	assert_non_null(p->properties);
	assert_string_equal(p->properties->key->s, "Version");
	assert_int_equal(p->condition->kind, AST_COND_ALL);
	assert_int_equal(p->condition->u.logical.count, 2);
	assert_int_equal(p->condition->u.logical.children->u.leaf.op, AST_OP_EQUALS);
	struct ast_cond *neg = p->condition->u.logical.children->next;
	assert_int_equal(neg->kind, AST_COND_NOT);
	/* the JSON type of an operand is kept: the string "true" is not true */
	assert_int_equal(neg->u.negated->u.leaf.rhs->kind, AST_JSON_STRING);
	assert_int_equal(p->effect_form, AST_EFFECT_PARAM);
	assert_true(p->effect_param->from_effect_sugar);
}

static void test_import_effect_sugar_only_when_exact(void **state)
{
	struct fixture *f = *state;
	bool ok;
	const char *json =
		"{\"name\": \"p\", \"properties\": {\"policyRule\": {\"if\": {\"field\": \"type\", \"equals\": \"a\"},"
		" \"then\": {\"effect\": \"[parameters('effect')]\"}}, \"parameters\": {\"effect\": {\"type\": \"String\","
		" \"metadata\": {\"displayName\": \"Effect\", \"description\": \"Something else\"},"
		" \"allowedValues\": [\"Audit\", \"Disabled\"], \"defaultValue\": \"Audit\"}}}}";
	struct ast_pack *pack = import_text(f, json, &ok);
	assert_true(ok);
	assert_int_equal(pack->policies->effect_form, AST_EFFECT_EXPRESSION);
	assert_false(pack->policies->params->from_effect_sugar);
}

static void test_import_bare_properties_uses_fallback_name(void **state)
{
	struct fixture *f = *state;
	bool ok;
	struct ast_pack *pack = import_text(
		f, "{\"displayName\": \"x\", \"policyRule\": {\"if\": {\"field\": \"type\", \"equals\": \"a\"}, \"then\": {\"effect\": \"deny\"}}}",
		&ok);
	assert_true(ok);
	assert_string_equal(pack->policies->name->s, "fallback");
	assert_null(pack->policies->id);
	assert_int_equal(pack->policies->effect_form, AST_EFFECT_LITERAL);
	assert_string_equal(pack->policies->effect->s, "Deny");
}

static void test_import_invalid_json_is_located(void **state)
{
	struct fixture *f = *state;
	bool ok;
	struct ast_pack *pack = import_text(f, "{\n  \"name\": \"p\",\n  \"properties\": ,\n}\n", &ok);
	assert_false(ok);
	assert_null(pack->policies);
	assert_diag(f, 0, "E0901", 3, 17);
}

static void test_import_unsupported_condition_is_located(void **state)
{
	struct fixture *f = *state;
	bool ok;
	const char *json = "{\"name\": \"p\", \"properties\": {\"policyRule\": {\n"
			   "  \"if\": {\"anyOf\": [\n"
			   "    {\"field\": \"a\", \"equals\": \"b\"},\n"
			   "    {\"field\": \"a\", \"frobnicates\": \"b\"}\n"
			   "  ]},\n"
			   "  \"then\": {\"effect\": \"audit\"}}}}\n";
	struct ast_pack *pack = import_text(f, json, &ok);
	assert_false(ok);
	assert_null(pack->policies);
	assert_diag(f, 0, "E0903", 4, 5);
	assert_non_null(strstr(f->diag.records[0]->message, "properties.policyRule.if.anyOf[1]"));
}

static void test_import_details_shapes(void **state)
{
	struct fixture *f = *state;
	bool ok;
	const char *json =
		"{\"name\": \"m\", \"properties\": {\"policyRule\": {\"if\": {\"field\": \"type\", \"equals\": \"a\"},"
		" \"then\": {\"effect\": \"manual\", \"details\": {\"defaultState\": \"Unknown\"}}}}}";
	struct ast_pack *pack = import_text(f, json, &ok);
	assert_true(ok);
	assert_int_equal(pack->policies->details_kind, AST_DETAILS_JSON);

	json = "{\"name\": \"d\", \"properties\": {\"policyRule\": {\"if\": {\"field\": \"type\", \"equals\": \"a\"},"
	       " \"then\": {\"effect\": \"modify\", \"details\": {\"roleDefinitionIds\": [\"/r\"], \"conflictEffect\": \"audit\","
	       " \"operations\": [{\"operation\": \"addOrReplace\", \"field\": \"f\", \"value\": true}]}}}}}";
	pack = import_text(f, json, &ok);
	assert_true(ok);
	assert_int_equal(pack->policies->details_kind, AST_DETAILS_MODIFY);
	assert_int_equal(pack->policies->details.modify->count, 1);
	assert_int_equal(pack->policies->details.modify->operations->value->kind, AST_JSON_BOOL);

	/* an operation member the modify form cannot hold keeps the whole details as JSON */
	json = "{\"name\": \"d\", \"properties\": {\"policyRule\": {\"if\": {\"field\": \"type\", \"equals\": \"a\"},"
	       " \"then\": {\"effect\": \"modify\", \"details\": {\"roleDefinitionIds\": [\"/r\"],"
	       " \"operations\": [{\"operation\": \"addOrReplace\", \"field\": \"f\", \"value\": 1, \"x\": 2}]}}}}}";
	pack = import_text(f, json, &ok);
	assert_true(ok);
	assert_int_equal(pack->policies->details_kind, AST_DETAILS_JSON);
}

static void test_import_initiative_references_link_to_local_policies(void **state)
{
	struct fixture *f = *state;
	bool ok;
	struct ast_pack *pack = import_pack_new(&f->arena, "lib");
	f->src = source_from_memory("a.json", policy_json, strlen(policy_json));
	ok = import_source(pack, f->src, "a", &f->diag);
	assert_true(ok);
	const char *set =
		"{\"name\": \"s\", \"properties\": {\"policyDefinitionGroups\": [{\"name\": \"g(1)\"}],"
		" \"policyDefinitions\": ["
		"{\"policyDefinitionReferenceId\": \"r1\", \"policyDefinitionId\": \"/providers/Microsoft.Authorization/policyDefinitions/p1\", \"parameters\": {}},"
		"{\"policyDefinitionReferenceId\": \"r2\", \"policyDefinitionId\": \"/providers/x/other\", \"parameters\": {\"e\": {\"value\": 1}}}"
		"]}}";
	struct source *src2 = source_from_memory("b.json", set, strlen(set));
	ok = import_source(pack, src2, "b", &f->diag);
	assert_true(ok);
	import_link_references(pack);
	struct ast_reference *r = pack->initiatives->references;
	assert_string_equal(r->target->s, "p1");
	assert_true(r->params_present);
	assert_null(r->params);
	assert_string_equal(r->next->target->s, "/providers/x/other");
	assert_string_equal(r->next->params->name->s, "e");
	assert_string_equal(pack->initiatives->groups->name->s, "g(1)");
	source_free(src2);
}

static void test_import_rejects_unknown_type(void **state)
{
	struct fixture *f = *state;
	bool ok;
	import_text(f, "{\"name\": \"p\",\n \"type\": \"Microsoft.Foo/bars\", \"properties\": {}}", &ok);
	assert_false(ok);
	assert_diag(f, 0, "E0902", 2, 10);
}

static void test_import_rejects_nul_in_strings(void **state)
{
	struct fixture *f = *state;
	bool ok;
	/* an escaped backslash before u0000 is text, not a NUL */
	import_text(f, "{\"name\": \"p\", \"properties\": {\"displayName\": \"a\\\\u0000\", \"policyRule\": {\"if\": {\"field\": \"type\", \"equals\": \"a\"}, \"then\": {\"effect\": \"deny\"}}}}", &ok);
	assert_true(ok);
	import_text(f, "{\"name\": \"p\",\n \"properties\": {\"displayName\": \"a\\u0000b\"}}", &ok);
	assert_false(ok);
	assert_diag(f, 0, "E0903", 2, 34);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The command's work: one pack per argument, and nothing written when any
 * input is bad; the diagnostics are left to the caller, as data. */
static void test_import_run_writes_all_or_nothing(void **state)
{
	(void)state;
	char dir[] = "/tmp/pacc-import-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char good[256], bad[256], out[256], pack[300];
	snprintf(good, sizeof(good), "%s/Good Policy.json", dir);
	snprintf(bad, sizeof(bad), "%s/bad.json", dir);
	snprintf(out, sizeof(out), "%s/out/sub", dir);
	write_text(good, policy_json);
	write_text(bad, "{\"name\": ");
	FILE *err = fopen("/dev/null", "w");
	assert_non_null(err);

	char *paths_bad[] = { good, bad };
	struct import_inputs in = IMPORT_INPUTS_INIT;
	struct diag_engine d;
	diag_init(&d);
	int status_bad = import_run(out, paths_bad, 2, &in, &d, err);
	struct stat st;
	assert_int_equal(status_bad, 1);
	assert_false(stat(out, &st) == 0);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.records[0]->code, "E0901");
	assert_int_equal(d.records[0]->span.begin.line, 1);
	assert_int_equal(d.records[0]->span.begin.col, 9);
	diag_release(&d);
	import_inputs_release(&in);

	char *paths_good[] = { good };
	diag_init(&d);
	int status_good = import_run(out, paths_good, 1, &in, &d, err);
	assert_int_equal(status_good, 0);
	assert_int_equal(d.count, 0);
	diag_release(&d);
	import_inputs_release(&in);
	fclose(err);

	snprintf(pack, sizeof(pack), "%s/good-policy.pacc", out);
	FILE *f = fopen(pack, "rb");
	assert_non_null(f);
	char line[128] = "";
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	assert_string_equal(line, "# Imported by `pacc import` from 'Good Policy.json': 1 policy definition, 0 initiatives.\n");

	unlink(pack);
	rmdir(out);
	snprintf(pack, sizeof(pack), "%s/out", dir);
	rmdir(pack);
	unlink(good);
	unlink(bad);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_import_envelope_policy, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_effect_sugar_only_when_exact, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_bare_properties_uses_fallback_name, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_invalid_json_is_located, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_unsupported_condition_is_located, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_details_shapes, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_initiative_references_link_to_local_policies, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_rejects_unknown_type, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_rejects_nul_in_strings, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_import_run_writes_all_or_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
