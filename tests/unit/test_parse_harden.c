/*
 * Unit tests for the remediation syntax: `input` in a service, `harden`
 * blocks in a recommendation, parsed and then checked (check_harden).
 */
#include "testutil.h"

#include "pacc/check_harden.h"
#include "pacc/harden.h"
#include "pacc/parse.h"

static const char pack_text[] =
	"service \"Azure Data Factory\" {\n"                                              /* 1 */
	"  governs \"Microsoft.DataFactory/factories\" at \"2018-06-01\"\n"               /* 2 */
	"  input workspaceId String \"The Log Analytics workspace that receives logs\"\n" /* 3 */
	"  input keyName String \"Name of the key\" { default \"adf-cmk\" }\n"            /* 4 */
	"  input token String \"A secret\" { secure allowed [\"a\", \"b\"] }\n"           /* 5 */
	"}\n"                                                                             /* 6 */
	"section network-security \"Network security\" {\n"                               /* 7 */
	"  recommendation NS-2 \"Disable public network access\" {\n"                     /* 8 */
	"    \"\"\"Text.\"\"\"\n"                                                          /* 9 */
	"    harden \"Microsoft.DataFactory/factories\" {\n"                             /* 10 */
	"      set properties.publicNetworkAccess = \"Disabled\"\n"                       /* 11 */
	"      set identity = { \"type\": \"SystemAssigned\" }\n"                         /* 12 */
	"      set \"properties.encryption.keyName\" = input.keyName\n"                   /* 13 */
	"      companion diagnostics { workspace = input.workspaceId }\n"                 /* 14 */
	"      companion child \"managedVirtualNetworks\" { name = \"default\" }\n"        /* 15 */
	"      companion lock { level = \"CanNotDelete\" notes = input.token }\n"         /* 16 */
	"    }\n"                                                                         /* 17 */
	"    harden \"Microsoft.DataFactory/factories\" { }\n"                            /* 18 */
	"  }\n"                                                                           /* 19 */
	"}\n";

static struct ast_pack *parse(struct fixture *f, const char *text)
{
	const struct source *src = fixture_source(f, text);
	return parse_pack(src, "test", &f->arena, &f->diag);
}

static void test_parse_harden_tree(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = parse(f, pack_text);
	assert_int_equal(f->diag.count, 0);

	const struct harden_input *in = pack->service->inputs;
	assert_string_equal(in->name->s, "workspaceId");
	assert_string_equal(in->type->s, "String");
	assert_string_equal(in->description->s, "The Log Analytics workspace that receives logs");
	in = in->next;
	assert_string_equal(in->default_value->u.string->s, "adf-cmk");
	in = in->next;
	assert_true(in->secure);
	assert_int_equal(in->allowed->u.array.count, 2);
	assert_null(in->next);

	const struct ast_recommendation *r = pack->sections->recommendations;
	const struct harden_block *hb = r->harden;
	assert_string_equal(hb->type->s, "Microsoft.DataFactory/factories");
	assert_int_equal(hb->span.begin.line, 10);
	const struct harden_setting *s = hb->settings;
	assert_string_equal(s->path->s, "properties.publicNetworkAccess");
	assert_string_equal(s->value.json->u.string->s, "Disabled");
	s = s->next;
	assert_string_equal(s->path->s, "identity");
	assert_int_equal(s->value.json->kind, AST_JSON_OBJECT);
	s = s->next;
	assert_string_equal(s->path->s, "properties.encryption.keyName");
	assert_string_equal(s->value.input_name->s, "keyName");
	assert_int_equal(s->value.input_name->span.begin.col, 51);
	assert_null(s->next);

	const struct harden_companion *c = hb->companions;
	assert_string_equal(c->kind_word->s, "diagnostics");
	assert_string_equal(c->args->key->s, "workspace");
	assert_string_equal(c->args->value.input_name->s, "workspaceId");
	c = c->next;
	assert_string_equal(c->child_type->s, "managedVirtualNetworks");
	c = c->next;
	assert_string_equal(c->args->next->key->s, "notes");
	assert_null(c->next);
	assert_non_null(hb->next);
	assert_null(hb->next->settings);

	check_harden(pack, &f->diag);
	assert_int_equal(f->diag.count, 0);
	assert_ptr_equal(hb->governs, pack->service->governs);
}

static void test_parse_harden_bad_value(void **state)
{
	struct fixture *f = *state;
	parse(f, "service \"S\" {\n"
		 "  governs \"A.B/c\" at \"2020-01-01\"\n"
		 "}\n"
		 "section s \"S\" {\n"
		 "  recommendation R \"R\" {\n"
		 "    harden \"A.B/c\" {\n"
		 "      set properties.x = Disabled\n"
		 "      set properties.y = \"ok\"\n"
		 "    }\n"
		 "  }\n"
		 "}\n");
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, "E0101", 7, 26);
}

static void test_parse_harden_recovers(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = parse(f, "service \"S\" {\n"
					 "  governs \"A.B/c\" at \"2020-01-01\"\n"
					 "  input x String\n"
					 "  input y String \"fine\"\n"
					 "}\n"
					 "section s \"S\" {\n"
					 "  recommendation R \"R\" {\n"
					 "    harden \"A.B/c\" {\n"
					 "      companion lock { level \"ReadOnly\" }\n"
					 "      set properties.z = input.y\n"
					 "    }\n"
					 "  }\n"
					 "}\n");
	assert_true(f->diag.count >= 2);
	assert_diag(f, 0, "E0101", 4, 3);
	/* the statements after the errors are still there */
	assert_string_equal(pack->service->inputs->name->s, "y");
	const struct harden_block *hb = pack->sections->recommendations->harden;
	assert_non_null(hb);
	assert_non_null(hb->settings);
	assert_string_equal(hb->settings->path->s, "properties.z");
}

static void test_parse_harden_checked_end_to_end(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = parse(f, "service \"S\" {\n"
					 "  governs \"A.B/c\" at \"2020-01-01\"\n"
					 "  input spare String \"never used\"\n"
					 "}\n"
					 "section s \"S\" {\n"
					 "  recommendation R1 \"R\" {\n"
					 "    harden \"A.B/d\" { set properties.x = 1 }\n"
					 "    harden \"A.B/c\" { set properties.x = 1 }\n"
					 "  }\n"
					 "  recommendation R2 \"R\" {\n"
					 "    harden \"A.B/c\" { set properties.x = 2 }\n"
					 "  }\n"
					 "}\n");
	assert_int_equal(f->diag.count, 0);
	check_harden(pack, &f->diag);
	assert_int_equal(f->diag.count, 3);
	assert_diag(f, 0, "E0401", 7, 12);
	assert_diag(f, 1, "E0405", 11, 22);
	assert_diag(f, 2, "E0404", 3, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_harden_tree, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_harden_bad_value, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_harden_recovers, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_harden_checked_end_to_end, fixture_setup,
						fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
