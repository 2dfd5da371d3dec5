#include "testutil.h"

#include "pacc/emit_pacc.h"
#include "pacc/import.h"

#include <string.h>

/* Imports json and returns the emitted pacc text (arena-owned). */
static const char *emit_json(struct fixture *f, const char *json)
{
	source_free(f->src);
	f->src = source_from_memory("test.json", json, strlen(json));
	struct ast_pack *pack = import_pack_new(&f->arena, "test");
	assert_true(import_source(pack, f->src, "fallback", &f->diag));
	struct sb sb = SB_INIT;
	emit_pacc(pack, &sb);
	char *out = arena_strdup(&f->arena, sb.buf);
	sb_release(&sb);
	return out;
}

static void test_emit_pacc_policy_reads_like_hand_written(void **state)
{
	struct fixture *f = *state;
	const char *out = emit_json(
		f, "{\"name\": \"adf-public\", \"properties\": {"
		   "\"displayName\": \"No \\\"public\\\" access\", \"policyType\": \"Custom\", \"mode\": \"indexed\","
		   "\"metadata\": {\"category\": \"Data Factory\"},"
		   "\"parameters\": {\"effect\": {\"type\": \"String\", \"metadata\": {\"displayName\": \"Effect\","
		   " \"description\": \"Enable or disable the execution of the policy\"},"
		   " \"allowedValues\": [\"Audit\", \"Deny\", \"Disabled\"], \"defaultValue\": \"Audit\"}},"
		   "\"policyRule\": {\"if\": {\"allOf\": ["
		   "{\"field\": \"type\", \"equals\": \"Microsoft.DataFactory/factories\"},"
		   "{\"anyOf\": [{\"field\": \"a\", \"notEquals\": \"Disabled\"}, {\"value\": \"[parameters('x')]\", \"greater\": 2}]},"
		   "{\"count\": {\"field\": \"b[*]\", \"where\": {\"field\": \"b[*].c\", \"like\": \"x*\"}}, \"greater\": 0}"
		   "]}, \"then\": {\"effect\": \"[parameters('effect')]\"}}}}");
	assert_string_equal(out, "policy \"adf-public\" {\n"
				 "  imported\n"
				 "  display \"No \\\"public\\\" access\"\n"
				 "  policyType Custom\n"
				 "  mode Indexed\n"
				 "  metadata { \"category\": \"Data Factory\" }\n"
				 "\n"
				 "  effect audit|deny|disabled = audit\n"
				 "  if {\n"
				 "    type == \"Microsoft.DataFactory/factories\"\n"
				 "    any {\n"
				 "      field \"a\" != \"Disabled\"\n"
				 "      value \"[parameters('x')]\" > 2\n"
				 "    }\n"
				 "    count field \"b[*]\" where { field \"b[*].c\" like \"x*\" } > 0\n"
				 "  }\n"
				 "}\n");
}

static void test_emit_pacc_string_escapes(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	emit_pacc_string(&sb, "a\"b\\c\nd\te\x01\xe2\x80\x93", 13);
	assert_string_equal(sb.buf, "\"a\\\"b\\\\c\\nd\\te\\u0001\xe2\x80\x93\"");
	sb_release(&sb);
}

static void test_emit_pacc_words(void **state)
{
	(void)state;
	assert_true(emit_pacc_is_word("Microsoft.MachineLearningServices.v2.Data"));
	assert_true(emit_pacc_is_word("NIST_SP_800-53_R4_AC-1"));
	assert_false(emit_pacc_is_word("FedRAMP_High_R4_SI-8(2)"));
	assert_false(emit_pacc_is_word("5752e6d6_minimumTLSVersion"));
	assert_false(emit_pacc_is_word("a."));
	assert_false(emit_pacc_is_word(""));
}

static void test_emit_pacc_long_json_is_broken_over_lines(void **state)
{
	struct fixture *f = *state;
	const char *out = emit_json(
		f, "{\"name\": \"p\", \"properties\": {\"policyRule\": {\"if\": {\"field\": \"location\", \"in\": "
		   "[\"westeurope-long-region-name-one\", \"northeurope-long-region-name-two\", \"eastus-long-region-name-three\"]},"
		   " \"then\": {\"effect\": \"manual\", \"details\": {\"defaultState\": \"Unknown\"}}}}}");
	assert_string_equal(out, "policy \"p\" {\n"
				 "  imported\n"
				 "\n"
				 "  effect manual\n"
				 "  if {\n"
				 "    field \"location\" in [\n"
				 "      \"westeurope-long-region-name-one\",\n"
				 "      \"northeurope-long-region-name-two\",\n"
				 "      \"eastus-long-region-name-three\"\n"
				 "    ]\n"
				 "  }\n"
				 "  details { \"defaultState\": \"Unknown\" }\n"
				 "}\n");
}

static void test_emit_pacc_initiative(void **state)
{
	struct fixture *f = *state;
	const char *out = emit_json(
		f, "{\"name\": \"s\", \"properties\": {\"displayName\": \"Set\", \"parameters\": {},"
		   "\"policyDefinitionGroups\": [{\"name\": \"g(1)\", \"additionalMetadataId\": \"/m\"}],"
		   "\"policyDefinitions\": [{\"policyDefinitionReferenceId\": \"r\", \"policyDefinitionId\": \"/p\","
		   " \"definitionVersion\": \"1.*.*\", \"groupNames\": [\"g(1)\"], \"parameters\": {\"1x\": {\"value\": true}}}]}}");
	assert_string_equal(out, "initiative \"s\" {\n"
				 "  imported\n"
				 "  display \"Set\"\n"
				 "  property \"parameters\" {}\n"
				 "\n"
				 "  group \"g(1)\" { additionalMetadataId \"/m\" }\n"
				 "\n"
				 "  reference \"r\" -> \"/p\" {\n"
				 "    definitionVersion \"1.*.*\"\n"
				 "    groups [\"g(1)\"]\n"
				 "    parameter \"1x\" = true\n"
				 "  }\n"
				 "}\n");
}

static void test_emit_pacc_long_description_is_a_text_block(void **state)
{
	struct fixture *f = *state;
	const char *out = emit_json(
		f, "{\"name\": \"p\", \"properties\": {\"description\": \"Alpha beta gamma delta epsilon zeta eta theta "
		   "iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega,  twice.\","
		   " \"policyRule\": {\"if\": {\"field\": \"type\", \"equals\": \"a\"}, \"then\": {\"effect\": \"deny\"}}}}");
	assert_string_equal(out, "policy \"p\" {\n"
				 "  imported\n"
				 "  description \"\"\"\n"
				 "    Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho\n"
				 "    sigma tau upsilon phi chi psi omega,  twice.\n"
				 "  \"\"\"\n"
				 "\n"
				 "  effect deny\n"
				 "  if { type == \"a\" }\n"
				 "}\n");
	/* a line break would not survive a text block: it stays a string */
	out = emit_json(f, "{\"name\": \"p\", \"properties\": {\"description\": \"Alpha beta gamma delta epsilon zeta "
			   "eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi\\nomega.\","
			   " \"policyRule\": {\"if\": {\"field\": \"type\", \"equals\": \"a\"}, \"then\": {\"effect\": \"deny\"}}}}");
	assert_non_null(strstr(out, "psi\\nomega.\"\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_emit_pacc_policy_reads_like_hand_written, fixture_setup, fixture_teardown),
		cmocka_unit_test(test_emit_pacc_string_escapes),
		cmocka_unit_test(test_emit_pacc_words),
		cmocka_unit_test_setup_teardown(test_emit_pacc_long_json_is_broken_over_lines, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_emit_pacc_initiative, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_emit_pacc_long_description_is_a_text_block, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
