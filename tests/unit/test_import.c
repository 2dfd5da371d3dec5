#include "testutil.h"

#include "pacc/import.h"
#include "pacc/importdir.h"
#include "pacc/sb.h"

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

static const char *const rule_deny =
	"\"policyRule\": {\"if\": {\"field\": \"type\", \"equals\": \"a\"}, \"then\": {\"effect\": \"deny\"}}";

/* An absent policyType stays absent (the generator then writes none). */
static void test_import_absent_policy_type_stays_absent(void **state)
{
	struct fixture *f = *state;
	bool ok;
	char json[512];
	snprintf(json, sizeof(json), "{\"name\": \"p\", \"properties\": {\"displayName\": \"P\", %s}}", rule_deny);
	struct ast_pack *pack = import_text(f, json, &ok);
	assert_true(ok);
	assert_null(pack->policies->policy_type);
	assert_true(pack->policies->imported);
	assert_null(pack->policies->properties);
}

static void test_import_reference_without_reference_id(void **state)
{
	struct fixture *f = *state;
	bool ok;
	struct ast_pack *pack = import_text(
		f, "{\"name\": \"s\", \"properties\": {\"policyDefinitions\": [{\"policyDefinitionId\": \"/providers/x/d\"}]}}", &ok);
	assert_true(ok);
	assert_null(pack->initiatives->references->ref_id);
	assert_string_equal(pack->initiatives->references->target->s, "/providers/x/d");
	assert_null(pack->initiatives->references->extra);
	/* a reference id that is not a string is still an error, at the reference */
	import_text(f, "{\"name\": \"s\", \"properties\": {\"policyDefinitions\": [\n  {\"policyDefinitionReferenceId\": 1, \"policyDefinitionId\": \"/d\"}]}}", &ok);
	assert_false(ok);
	assert_diag(f, 0, "E0903", 2, 3);
}

/* Conditions in forms pacc does not model, written with Azure's names, stay verbatim. */
static void test_import_unmodelled_condition_is_verbatim(void **state)
{
	struct fixture *f = *state;
	bool ok;
	const char *json = "{\"name\": \"p\", \"properties\": {\"policyRule\": {\"if\": {\"anyOf\": ["
			   "{\"source\": \"action\", \"like\": \"Microsoft.Network/routeTables/*\"},"
			   "{\"field\": \"a\", \"equals\": \"b\", \"notEquals\": \"c\"},"
			   "{\"field\": \"type\", \"equals\": \"x\"}"
			   "]}, \"then\": {\"effect\": \"audit\"}}}}";
	struct ast_pack *pack = import_text(f, json, &ok);
	assert_true(ok);
	const struct ast_cond *c = pack->policies->condition->u.logical.children;
	assert_int_equal(c->kind, AST_COND_JSON);
	assert_int_equal(c->u.json->u.object.count, 2);
	assert_string_equal(c->u.json->u.object.members->key->s, "source");
	assert_int_equal(c->next->kind, AST_COND_JSON);
	assert_int_equal(c->next->next->kind, AST_COND_FIELD);
	/* a comparison with no operator is no Azure condition: an error */
	import_text(f, "{\"name\": \"p\", \"properties\": {\"policyRule\": {\"if\": {\"field\": \"a\"}, \"then\": {\"effect\": \"audit\"}}}}", &ok);
	assert_false(ok);
	assert_string_equal(f->diag.records[f->diag.count - 1]->code, "E0903");
}

/* name, policyRule and mode side by side: read as an envelope, with a remark at the name. */
static void test_import_flat_definition_is_recognised(void **state)
{
	struct fixture *f = *state;
	bool ok;
	char json[512];
	snprintf(json, sizeof(json), "{\"mode\": \"All\",\n  \"name\": \"flat\", \"displayName\": \"F\", %s}", rule_deny);
	struct ast_pack *pack = import_text(f, json, &ok);
	assert_true(ok);
	assert_string_equal(pack->policies->name->s, "flat");
	assert_null(pack->policies->properties); /* no stray properties.name */
	assert_string_equal(pack->policies->mode->s, "All");
	assert_int_equal(f->diag.count, 1);
	assert_int_equal(f->diag.records[0]->severity, DIAG_NOTE);
	assert_diag(f, 0, "E0913", 2, 11);
}

/* A file that does not start like JSON: E0901 at its first byte, with no source line. */
static void test_import_not_json_shows_no_text(void **state)
{
	struct fixture *f = *state;
	bool ok;
	import_text(f, "\n  root:x:0:0:root:/root:/bin/bash\n", &ok);
	assert_false(ok);
	assert_diag(f, 0, "E0901", 2, 3);
	assert_true(f->diag.records[0]->hide_text);
	import_text(f, "{\"name\": x}", &ok);
	assert_false(ok);
	assert_false(f->diag.records[f->diag.count - 1]->hide_text);
}

/* BOM dropped; .jsonc comments and trailing commas blanked with lines and columns kept. */
static void test_import_prepare_keeps_positions(void **state)
{
	struct fixture *f = *state;
	struct source *plain = source_from_memory("a.json", "{}", 2);
	assert_null(importdir_prepare(plain));
	source_free(plain);
	struct source *bom = source_from_memory("a.json", "\xef\xbb\xbf{\"a\": 1}", 11);
	struct source *p = importdir_prepare(bom);
	assert_non_null(p);
	assert_int_equal(p->len, 8);
	assert_memory_equal(p->text, "{\"a\": 1}", 8);
	source_free(p);
	source_free(bom);

	const char *text = "// caf\xc3\xa9 \"quoted\"\n{\"a\": \"//x\", /* \xe2\x9c\x93 */ \"b\": [1,],\n \"c\": nope}";
	struct source *jsonc = source_from_memory("d.jsonc", text, strlen(text));
	p = importdir_prepare(jsonc);
	assert_non_null(p);
	assert_non_null(strstr((const char *)p->text, "\"//x\"")); /* not a comment inside a string */
	assert_null(strstr((const char *)p->text, "caf"));
	assert_null(strstr((const char *)p->text, "1,"));
	struct ast_pack *pack = import_pack_new(&f->arena, "t");
	assert_false(import_source(pack, p, "d", &f->diag));
	/* the error is where it is in the original: line 3, column 7 ("nope") */
	assert_diag(f, 0, "E0901", 3, 7);
	diag_release(&f->diag);
	diag_init(&f->diag);
	source_free(p);
	source_free(jsonc);
}

static void test_import_names_from_files_and_folders(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(importdir_name_for(&f->arena, "repo/Deny public IP/azurepolicy.json"), "Deny public IP");
	assert_string_equal(importdir_name_for(&f->arena, "repo/Net/AzurePolicy.jsonc"), "Net");
	assert_string_equal(importdir_name_for(&f->arena, "lib/Deny-RDP.alz_policy_definition.json"), "Deny-RDP");
	assert_string_equal(importdir_name_for(&f->arena, "Enforce.alz_policy_set_definition.json"), "Enforce");
	assert_string_equal(importdir_name_for(&f->arena, "x/caf\xc3\xa9 \xe2\x9c\x93.json"), "caf\xc3\xa9 \xe2\x9c\x93");
	assert_string_equal(importdir_name_for(&f->arena, "x/a:b*c.json"), "a-b-c");
	assert_string_equal(importdir_name_for(&f->arena, "x/..hidden. .json"), "hidden");
	assert_string_equal(importdir_name_for(&f->arena, "d/plain"), "plain");
}

/* The same name in two files of one directory: E0914 at the second, a note at the first. */
/* Objects small enough for the pairwise check and larger ones report the
 * same thing: the least duplicated name, at its second occurrence. */
static void test_import_duplicate_keys_least_name(void **state)
{
	struct fixture *f = *state;
	bool ok = true;
	import_text(f, "{\"properties\": {\"b\": 1, \"a\": 2, \"b\": 3,\n \"a\": 4}}", &ok);
	assert_false(ok);
	assert_int_equal(f->diag.count, 1);
	const struct diag_record *r = f->diag.records[0];
	assert_string_equal(r->code, "E0901");
	assert_non_null(strstr(r->message, "duplicate member 'a' at 'properties'"));
	assert_int_equal(r->span.begin.line, 2);
	assert_int_equal(r->span.begin.col, 2);
	diag_release(&f->diag);
	diag_init(&f->diag);

	struct sb big = SB_INIT;
	sb_adds(&big, "{\"properties\": {\"z\": 0");
	for (int k = 0; k < 20; k++)
		sb_addf(&big, ", \"m%02d\": %d", k, k);
	sb_adds(&big, ",\n\"z\": 1, \"m07\": 2}}");
	import_text(f, big.buf, &ok);
	sb_release(&big);
	assert_false(ok);
	assert_int_equal(f->diag.count, 1);
	r = f->diag.records[0];
	assert_non_null(strstr(r->message, "duplicate member 'm07' at 'properties'"));
	assert_int_equal(r->span.begin.line, 2);
	assert_int_equal(r->span.begin.col, 9);
}

/* import_source locates its declaration at once (import_path leaves that
 * for a diagnostic): the span is the top-level "name" value. */
static void test_import_source_locates_the_name(void **state)
{
	struct fixture *f = *state;
	bool ok = false;
	char json[512];
	snprintf(json, sizeof(json), "{\"properties\": {\"displayName\": \"P\", %s},\n  \"name\": \"p\"}",
		 rule_deny);
	struct ast_pack *pack = import_text(f, json, &ok);
	assert_true(ok);
	assert_non_null(pack->policies);
	assert_int_equal(pack->policies->span.begin.line, 2);
	assert_int_equal(pack->policies->span.begin.col, 11);
	assert_int_equal(pack->policies->span.end.col, 12);
}

static void test_import_duplicate_names_in_a_directory(void **state)
{
	struct fixture *f = *state;
	char dir[] = "/tmp/pacc-import-dup-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char a[256], b[256];
	snprintf(a, sizeof(a), "%s/a.json", dir);
	snprintf(b, sizeof(b), "%s/b.json", dir);
	char json[512];
	snprintf(json, sizeof(json), "{\"name\": \"Same\", \"properties\": {\"displayName\": \"P\", %s}}", rule_deny);
	write_text(a, json);
	snprintf(json, sizeof(json), "{\n  \"name\": \"same\", \"properties\": {\"displayName\": \"P\", %s}}", rule_deny);
	write_text(b, json);
	struct import_inputs in = IMPORT_INPUTS_INIT;
	struct ast_pack *pack = import_pack_new(&f->arena, "d");
	assert_false(import_path(pack, dir, &in, &f->diag));
	assert_int_equal(f->diag.errors, 1);
	const struct diag_record *r = f->diag.records[0];
	assert_string_equal(r->code, "E0914");
	assert_non_null(strstr(r->span.src->name, "b.json"));
	assert_int_equal(r->span.begin.line, 2);
	assert_int_equal(r->span.begin.col, 11);
	assert_non_null(r->notes);
	assert_non_null(strstr(r->notes->span.src->name, "a.json"));
	assert_int_equal(r->notes->span.begin.col, 10);
	diag_release(&f->diag);
	diag_init(&f->diag);
	import_inputs_release(&in);
	unlink(a);
	unlink(b);
	rmdir(dir);
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
	int status_bad = import_run(out, paths_bad, 2, &in, &d, err, NULL);
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
	struct import_summary sum;
	diag_init(&d);
	int status_good = import_run(out, paths_good, 1, &in, &d, err, &sum);
	assert_int_equal(sum.policies, 1);
	assert_int_equal(sum.initiatives, 0);
	assert_int_equal(sum.packs, 1);
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
		cmocka_unit_test_setup_teardown(test_import_absent_policy_type_stays_absent, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_reference_without_reference_id, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_unmodelled_condition_is_verbatim, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_flat_definition_is_recognised, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_not_json_shows_no_text, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_prepare_keeps_positions, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_names_from_files_and_folders, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_duplicate_keys_least_name, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_source_locates_the_name, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_import_duplicate_names_in_a_directory, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
