/*
 * Unit tests for the remediation syntax: `input` in a service, `harden`
 * blocks in a recommendation, parsed and then checked (check_harden).
 */
#include "testutil.h"

#include "pacc/check.h"
#include "pacc/check_harden.h"
#include "pacc/harden.h"
#include "pacc/parse.h"
#include "pacc/sb.h"

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

static const char remediate_text[] =
	"service \"Azure Data Factory\" {\n"
	"  ms.service \"azure-data-factory\"\n"
	"  author \"a\"\n"
	"  ms.author \"a\"\n"
	"  ms.date \"2026-11-29\"\n"
	"  category \"Data Factory\"\n"
	"  version \"1.0.0\"\n"
	"  intro \"Overview.\"\n"
	"  governs \"Microsoft.DataFactory/factories\" at \"2018-06-01\"\n"
	"}\n"
	"section network-security \"Network security\" {\n"
	"  \"\"\"Text.\"\"\"\n"
	"  recommendation NS-2 \"Disable public network access\" {\n"
	"    \"\"\"Explanation.\"\"\"\n"
	"    harden \"Microsoft.DataFactory/factories\" {\n"
	"      set properties.publicNetworkAccess = \"Disabled\"\n"
	"      set identity = { \"type\": \"SystemAssigned\" }\n"
	"      remediate { message \"Being set to Disabled.\" }\n"
	"    }\n"
	"  }\n"
	"}\n";

static void test_parse_harden_remediate_lowered(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = parse(f, remediate_text);
	assert_int_equal(f->diag.count, 0);
	const struct ast_recommendation *r = pack->sections->recommendations;
	assert_int_equal(r->policy_count, 1);
	const struct ast_policy *p = r->policies;
	assert_ptr_equal(p, r->harden->remediate);
	assert_string_equal(p->suffix->s, "remediate");

	assert_true(check_pack(pack, &f->diag));
	assert_int_equal(f->diag.count, 0);
	assert_string_equal(p->resolved_name, "test-ns-2-remediate");
	/* Worded as Azure's built-ins are: the resource named, the value stated. */
	assert_string_equal(p->display->s, "Configure data factories to disable public network access");
	assert_string_equal(p->description->s, "Sets publicNetworkAccess to 'Disabled' on data factories when "
					       "they are created or updated, and on existing ones through "
					       "remediation tasks.");
	assert_string_equal(p->mode->s, "Indexed");
	assert_int_equal(p->effect_form, AST_EFFECT_PARAM);
	assert_string_equal(p->effect_param->default_value->u.string->s, "Modify");
	/* if: the type, and the one modifiable setting (identity is not a property alias) */
	assert_int_equal(p->condition->kind, AST_COND_ALL);
	const struct ast_cond *differs = p->condition->u.logical.children->next;
	assert_int_equal(differs->kind, AST_COND_FIELD);
	assert_string_equal(differs->u.leaf.field->s, "Microsoft.DataFactory/factories/publicNetworkAccess");
	assert_int_equal(differs->u.leaf.op, AST_OP_NOT_EQUALS);
	/* modify: Contributor, audit on conflict, one guarded operation */
	assert_int_equal(p->details_kind, AST_DETAILS_MODIFY);
	const struct ast_modify *m = p->details.modify;
	assert_int_equal(m->count, 1);
	assert_string_equal(m->conflict_effect->s, "audit");
	assert_string_equal(m->operations->condition->s,
			    "[greaterOrEquals(requestContext().apiVersion, '2018-06-01')]");
	assert_non_null(strstr(m->role_ids->u.array.items->value->u.string->s, "b24988ac-6180-42a0-ab88-20f7382dd24c"));
}

static void test_parse_harden_remediate_needs_a_setting(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = parse(f, "service \"S\" {\n"
					 "  governs \"A.B/c\" at \"2020-01-01\"\n"
					 "  input v String \"v\"\n"
					 "}\n"
					 "section s \"S\" {\n"
					 "  recommendation R \"R\" {\n"
					 "    harden \"A.B/c\" {\n"
					 "      set properties.x = input.v\n"
					 "      remediate { }\n"
					 "    }\n"
					 "    harden \"A.B/c\" {\n"
					 "      set properties.y = 1\n"
					 "      remediate other { related \"A.B/d\" { } }\n"
					 "    }\n"
					 "  }\n"
					 "}\n");
	assert_int_equal(f->diag.count, 0);
	check_harden(pack, &f->diag);
	assert_int_equal(f->diag.count, 2);
	assert_diag(f, 0, "E0413", 9, 7);
	assert_diag(f, 1, "E0413", 13, 7);
	/* Twins that could not be derived leave the recommendation, so the policy
	 * checks do not report their missing display, condition and effect again. */
	assert_int_equal(pack->sections->recommendations->policy_count, 0);
	assert_null(pack->sections->recommendations->policies);
}

static void test_parse_harden_remediate_diagnostics(void **state)
{
	struct fixture *f = *state;
	struct sb text = SB_INIT;
	sb_adds(&text, remediate_text);
	/* the service gains an input, the block a diagnostics companion with its twin */
	char *svc_end = strstr(text.buf, "}\nsection");
	assert_non_null(svc_end);
	struct sb edited = SB_INIT;
	sb_add(&edited, text.buf, (size_t)(svc_end - text.buf));
	sb_adds(&edited, "  input workspaceId String \"The workspace\"\n");
	const char *rest = svc_end;
	const char *rem = strstr(rest, "      remediate {");
	sb_add(&edited, rest, (size_t)(rem - rest));
	sb_adds(&edited, "      companion diagnostics { workspace = input.workspaceId remediate { } }\n");
	sb_adds(&edited, rem);
	struct ast_pack *pack = parse(f, edited.buf);
	sb_release(&edited);
	sb_release(&text);
	assert_int_equal(f->diag.count, 0);
	const struct ast_recommendation *r = pack->sections->recommendations;
	assert_int_equal(r->policy_count, 2);
	assert_true(check_pack(pack, &f->diag));
	assert_int_equal(f->diag.count, 0);
	const struct ast_policy *p = r->policies->next;
	assert_string_equal(p->resolved_name, "test-ns-2-deploy-diagnostics");
	assert_int_equal(p->details_kind, AST_DETAILS_RELATED);
	assert_string_equal(p->details.related->type->s, "Microsoft.Insights/diagnosticSettings");
	assert_string_equal(p->details.related->existence->u.leaf.rhs->u.string->s, "[parameters('workspaceId')]");
	assert_int_equal(p->details.related->role_ids->u.array.count, 2);
	assert_string_equal(p->effect_param->default_value->u.string->s, "DeployIfNotExists");
	/* the workspace became a policy parameter that check found used */
	assert_string_equal(p->params->next->name->s, "workspaceId");
	assert_true(p->params->next->used);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_harden_tree, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_harden_bad_value, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_harden_recovers, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_harden_checked_end_to_end, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_harden_remediate_lowered, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_harden_remediate_needs_a_setting, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_harden_remediate_diagnostics, fixture_setup,
						fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
