/*
 * Unit tests for check_types: the resource type table and what the checker
 * makes of it, on parsed packs; diagnostics as data (code, line, column).
 */
#include "testutil.h"

#include "pacc/check.h"
#include "pacc/check_types.h"
#include "pacc/parse.h"

#include <stdio.h>
#include <stdlib.h>

/* Ten lines: a service governing four types, so sections start on line 11. */
#define SERVICE                                                                        \
	"service \"Svc\" {\n"                                                          \
	"  ms.service \"svc\" author \"a\" ms.author \"a\" ms.date \"2025-06-04\"\n"     \
	"  category \"C\" version \"1.0.0\" intro \"Overview.\"\n"                      \
	"  governs \"Microsoft.Storage/storageAccounts\" at \"2023-05-01\"\n"            \
	"  governs \"Microsoft.KeyVault/vaults\" at \"2023-07-01\"\n"                    \
	"  governs \"Microsoft.DataFactory/factories\" at \"2018-06-01\"\n"              \
	"  governs \"Microsoft.Storage/storageAccounts/blobServices\" at \"2023-05-01\"\n" \
	"  input tier String \"Tier\" { allowed [\"standard\", \"gold\"] }\n"           \
	"  input kind String \"Kind\"\n"                                               \
	"}\n"

/* Lines 11-13 open a section and a recommendation. */
#define REC_OPEN                                  \
	"section net \"Net\" { \"\"\"About.\"\"\"\n" \
	"  recommendation NS-1 \"Do it\" {\n"     \
	"    \"\"\"Why.\"\"\"\n"
#define REC_CLOSE "  }\n}\n"

static void run(struct fixture *f, const char *text)
{
	fixture_source(f, text);
	struct ast_pack *pack = parse_pack(f->src, "pk", &f->arena, &f->diag);
	if (f->diag.count) {
		diag_render(&f->diag, stderr, DIAG_FORMAT_TEXT, false);
		fail_msg("the test input does not parse");
	}
	check_pack(pack, &f->diag);
	if (getenv("CHECK_DUMP"))
		diag_render(&f->diag, stderr, DIAG_FORMAT_TEXT, false);
}

/* The index of the first record with code, or fails. */
static size_t find_code(struct fixture *f, const char *code, size_t from)
{
	for (size_t i = from; i < f->diag.count; i++)
		if (strcmp(f->diag.records[i]->code, code) == 0)
			return i;
	diag_render(&f->diag, stderr, DIAG_FORMAT_TEXT, false);
	fail_msg("no %s", code);
	return 0;
}

static size_t count_code(struct fixture *f, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < f->diag.count; i++)
		n += strcmp(f->diag.records[i]->code, code) == 0;
	return n;
}

static void test_check_types_table(void **state)
{
	(void)state;
	const struct check_type *t = check_types_find("microsoft.storage/STORAGEACCOUNTS");
	assert_non_null(t);
	assert_string_equal(t->noun, "storage account");
	assert_int_equal(t->name_min, 3);
	assert_int_equal(t->name_max, 24);
	assert_string_equal(check_types_need(t->type, 0), "sku.name");
	assert_string_equal(check_types_need(t->type, 1), "kind");
	assert_null(check_types_need(t->type, 2));
	assert_null(check_types_find("Microsoft.Nope/things"));
	assert_null(check_types_need("Microsoft.Nope/things", 0));
	assert_string_equal(check_types_allowed("Microsoft.KeyVault/vaults", "properties.sku.name"), "premium|standard");
	assert_null(check_types_allowed("Microsoft.KeyVault/vaults", "properties.sku.family"));
	assert_true(check_types_is_child("Microsoft.Storage/storageAccounts/blobServices"));
	assert_false(check_types_is_child("Microsoft.Storage/storageAccounts"));
	assert_false(check_types_is_child("type"));
}

/* Required properties may come from several blocks, objects or inputs. */
static void test_check_types_needs_met(void **state)
{
	struct fixture *f = *state;
	run(f, SERVICE REC_OPEN
	    "    harden \"Microsoft.Storage/storageAccounts\" { set sku = { \"name\": \"Standard_LRS\" } }\n"
	    "    harden \"Microsoft.KeyVault/vaults\" {\n"
	    "      set properties.tenantId = \"[subscription().tenantId]\"\n"
	    "      set properties.sku.family = \"A\"\n"
	    "      set properties.sku.name = \"premium\"\n"
	    "    }\n" REC_CLOSE
	    "section more \"More\" { \"\"\"About.\"\"\"\n"
	    "  recommendation NS-2 \"Do more\" {\n"
	    "    \"\"\"Why.\"\"\"\n"
	    "    harden \"Microsoft.Storage/storageAccounts\" { set kind = input.kind }\n"
	    "    harden \"Microsoft.DataFactory/factories\" {\n"
	    "      companion child \"integrationRuntimes\" { name = \"runtime\" properties = { \"type\": \"SelfHosted\" } }\n"
	    "    }\n" REC_CLOSE);
	assert_int_equal(count_code(f, "E0414"), 0);
	assert_int_equal(count_code(f, "E0415"), 0);
}

static void test_check_types_needs_missing(void **state)
{
	struct fixture *f = *state;
	run(f, SERVICE REC_OPEN
	    "    harden \"Microsoft.KeyVault/vaults\" { set properties.sku = { \"name\": \"standard\" } }\n"
	    "    harden \"Microsoft.DataFactory/factories\" {\n"
	    "      companion child \"integrationRuntimes\" { name = \"runtime\" properties = { \"type\": \"Managed\" } }\n"
	    "    }\n" REC_CLOSE);
	size_t i = find_code(f, "E0414", 0);
	assert_diag(f, i, "E0414", 14, 12);
	assert_non_null(strstr(f->diag.records[i]->message, "'properties.tenantId' and 'properties.sku.family'"));
	i = find_code(f, "E0414", i + 1);
	assert_diag(f, i, "E0414", 16, 7);
	assert_non_null(strstr(f->diag.records[i]->message, "'properties.typeProperties'"));
}

/* Closed sets: a literal, an input's allowed values, a child's name. */
static void test_check_types_allowed(void **state)
{
	struct fixture *f = *state;
	run(f, SERVICE REC_OPEN
	    "    harden \"Microsoft.KeyVault/vaults\" {\n"
	    "      set properties.tenantId = \"t\"\n"
	    "      set properties.sku = { \"family\": \"A\", \"name\": \"gold\" }\n"
	    "    }\n"
	    "    harden \"Microsoft.KeyVault/vaults\" { set properties.sku.name = input.tier }\n"
	    "    harden \"Microsoft.DataFactory/factories\" {\n"
	    "      companion child \"integrationRuntimes\" { name = \"ir\" properties = { \"type\": \"Other\" } }\n"
	    "    }\n" REC_CLOSE);
	size_t i = find_code(f, "E0415", 0);
	assert_diag(f, i, "E0415", 16, 53);  /* 'gold' */
	assert_string_equal(f->diag.records[i]->help, "the type takes 'premium' or 'standard'");
	i = find_code(f, "E0415", i + 1);
	assert_diag(f, i, "E0415", 20, 54);  /* the name 'ir' is too short */
	i = find_code(f, "E0415", i + 1);
	assert_diag(f, i, "E0415", 20, 82);  /* 'Other' */
	/* the two blocks overlap (E0405): the first setting wins, so the input's
	 * allowed 'gold' is not reported a second time */
	assert_int_equal(count_code(f, "E0415"), 3);
}

static void test_check_types_input_allowed(void **state)
{
	struct fixture *f = *state;
	run(f, SERVICE REC_OPEN
	    "    harden \"Microsoft.KeyVault/vaults\" {\n"
	    "      set properties.tenantId = \"t\"\n"
	    "      set properties.sku.family = \"A\"\n"
	    "      set properties.sku.name = input.tier\n"
	    "    }\n" REC_CLOSE);
	size_t i = find_code(f, "E0415", 0);
	assert_diag(f, i, "E0415", 8, 51); /* "gold" in the input's allowed list */
	assert_int_equal(count_code(f, "E0415"), 1);
}

static void test_check_types_identity(void **state)
{
	struct fixture *f = *state;
	run(f, SERVICE REC_OPEN
	    "    harden \"Microsoft.DataFactory/factories\" { set identity.type = \"SystemAssigned,UserAssigned\" }\n"
	    REC_CLOSE);
	size_t i = find_code(f, "E0416", 0);
	assert_diag(f, i, "E0416", 14, 68);
}

static void test_check_types_child_mode(void **state)
{
	struct fixture *f = *state;
	run(f, SERVICE REC_OPEN
	    "    enforce {\n"
	    "      display \"Blob services should keep deleted blobs\"\n"
	    "      mode Indexed\n"
	    "      effect audit\n"
	    "      if {\n"
	    "        type == \"Microsoft.Storage/storageAccounts/blobServices\"\n"
	    "        field \"Microsoft.Storage/storageAccounts/blobServices/deleteRetentionPolicy.enabled\" != true\n"
	    "      }\n"
	    "    }\n" REC_CLOSE);
	size_t i = find_code(f, "E0418", 0);
	assert_diag(f, i, "E0418", 16, 12);
	assert_int_equal(f->diag.records[i]->severity, DIAG_WARNING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_types_table),
		cmocka_unit_test_setup_teardown(test_check_types_needs_met, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_types_needs_missing, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_types_allowed, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_types_input_allowed, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_types_identity, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_check_types_child_mode, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
