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
	/* modify: the type's narrowest role (Data Factory Contributor), audit on conflict,
	 * one guarded operation */
	assert_int_equal(p->details_kind, AST_DETAILS_MODIFY);
	const struct ast_modify *m = p->details.modify;
	assert_int_equal(m->count, 1);
	assert_string_equal(m->conflict_effect->s, "audit");
	assert_string_equal(m->operations->condition->s,
			    "[greaterOrEquals(requestContext().apiVersion, '2018-06-01')]");
	assert_non_null(strstr(m->role_ids->u.array.items->value->u.string->s, "673868aa-7521-48a0-acc6-0f60742d39f5"));
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

/* A service governing a type the type table does not know, and a child type. */
#define REMEDIATION_SERVICE                                                        \
	"service \"S\" {\n"                                                        \
	"  ms.service \"s\" author \"a\" ms.author \"a\" ms.date \"2026-11-29\"\n"   \
	"  category \"C\" version \"1.0.0\" intro \"Overview.\"\n"                  \
	"  governs \"Microsoft.Widgets/widgets\" at \"2023-05-01\"\n"               \
	"  governs \"Microsoft.Storage/storageAccounts/blobServices\" at \"2023-05-01\"\n" \
	"  input ws String \"Workspace\"\n"                                         \
	"  input uami String \"User-assigned identity\"\n"                          \
	"}\n"                                                                      \
	"section s \"S\" {\n"                                                      \
	"  \"\"\"Text.\"\"\"\n"                                                    \
	"  recommendation R-1 \"Do it\" {\n"                                       \
	"    \"\"\"Explanation.\"\"\"\n"
/* REMEDIATION_SERVICE is 12 lines: a recommendation's body starts on line 13. */
#define REMEDIATION_END "  }\n}\n"

static size_t count_code(const struct fixture *f, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < f->diag.count; i++)
		n += strcmp(f->diag.records[i]->code, code) == 0;
	return n;
}

static const struct diag_record *first_code(const struct fixture *f, const char *code)
{
	for (size_t i = 0; i < f->diag.count; i++)
		if (strcmp(f->diag.records[i]->code, code) == 0)
			return f->diag.records[i];
	fail_msg("no %s", code);
	return NULL;
}

static struct ast_pack *parse_checked(struct fixture *f, const char *text)
{
	struct ast_pack *pack = parse(f, text);
	assert_int_equal(f->diag.count, 0);
	check_pack(pack, &f->diag);
	return pack;
}

/* The twins of a child type: mode All, and the deployment names it by fullName. */
static void test_parse_harden_child_type_twins(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = parse_checked(f, REMEDIATION_SERVICE
		"    harden \"Microsoft.Storage/storageAccounts/blobServices\" {\n"
		"      set properties.deleteRetentionPolicy.enabled = true\n"
		"      set identity = { \"type\": \"SystemAssigned\" }\n"
		"      remediate { }\n"
		"      companion diagnostics { workspace = input.ws categories = [\"StorageRead\"] remediate { } }\n"
		"    }\n"
		"    harden \"Microsoft.Widgets/widgets\" { identity { user = input.uami } }\n" REMEDIATION_END);
	assert_int_equal(f->diag.errors, 0);
	const struct harden_block *hb = pack->sections->recommendations->harden;
	assert_string_equal(hb->remediate->mode->s, "All");
	const struct ast_policy *dine = hb->companions->remediate;
	assert_string_equal(dine->mode->s, "All");
	const struct ast_json *d = dine->details.related->deployment;
	/* properties.parameters.resourceName.value */
	const struct ast_json_member *m = d->u.object.members->value->u.object.members;
	while (m && strcmp(m->key->s, "parameters") != 0)
		m = m->next;
	assert_non_null(m);
	assert_string_equal(m->value->u.object.members->value->u.object.members->value->u.string->s,
			    "[field('fullName')]");
	/* the role of blob services comes from the table: no Contributor warning */
	assert_int_equal(count_code(f, "E0417"), 0);
}

/* A remediation of a type the table does not know falls back to Contributor, with a warning. */
static void test_parse_harden_contributor_fallback(void **state)
{
	struct fixture *f = *state;
	parse_checked(f, REMEDIATION_SERVICE
		"    harden \"Microsoft.Widgets/widgets\" {\n"
		"      set properties.tls = \"1.2\"\n"
		"      remediate { }\n"
		"    }\n"
		"    harden \"Microsoft.Widgets/widgets\" { companion diagnostics { workspace = input.ws } }\n"
		"    harden \"Microsoft.Widgets/widgets\" { identity { user = input.uami } }\n" REMEDIATION_END);
	assert_int_equal(f->diag.errors, 0);
	const struct diag_record *r = first_code(f, "E0417");
	assert_int_equal(r->severity, DIAG_WARNING);
	assert_int_equal(r->span.begin.line, 15);
	assert_int_equal(r->span.begin.col, 7);
	/* with roleDefinitionIds named, no warning */
	diag_release(&f->diag);
	diag_init(&f->diag);
	parse_checked(f, REMEDIATION_SERVICE
		"    harden \"Microsoft.Widgets/widgets\" {\n"
		"      set properties.tls = \"1.2\"\n"
		"      remediate { modify { roleDefinitionIds [\"/providers/Microsoft.Authorization/roleDefinitions/"
		"17d1049b-9a84-46fb-8f53-869881c3d3ab\"] conflictEffect audit } }\n"
		"    }\n"
		"    harden \"Microsoft.Widgets/widgets\" { companion diagnostics { workspace = input.ws } }\n"
		"    harden \"Microsoft.Widgets/widgets\" { identity { user = input.uami } }\n" REMEDIATION_END);
	assert_int_equal(f->diag.count, 0);
}

/* `categories = []` is no shorthand for everything; a setting must send something. */
static void test_parse_harden_diagnostics_says_what(void **state)
{
	struct fixture *f = *state;
	parse_checked(f, REMEDIATION_SERVICE
		"    harden \"Microsoft.Widgets/widgets\" {\n"
		"      companion diagnostics { workspace = input.ws categories = [] }\n"
		"      companion diagnostics { workspace = input.ws logs = false categoryGroups = [\"audit\"] name = \"b\" }\n"
		"      companion diagnostics { workspace = input.ws logs = false metrics = false name = \"c\" }\n"
		"      companion diagnostics { workspace = input.ws categoryGroups = [\"everything\"] name = \"d\" }\n"
		"      identity { user = input.uami }\n"
		"    }\n" REMEDIATION_END);
	assert_int_equal(count_code(f, "E0419"), 3);
	assert_diag(f, 0, "E0419", 14, 65);
	assert_diag(f, 1, "E0419", 15, 59);
	assert_diag(f, 2, "E0419", 16, 7);
	assert_int_equal(count_code(f, "E0411"), 1);
}

static void test_parse_harden_diagnostics_plan(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = parse_checked(f, REMEDIATION_SERVICE
		"    harden \"Microsoft.Widgets/widgets\" {\n"
		"      companion diagnostics { workspace = input.ws }\n"
		"      companion diagnostics { workspace = input.ws logs = false name = \"b\" }\n"
		"      companion diagnostics { workspace = input.ws categories = [\"A\", \"B\"] categoryGroups = [\"audit\"]"
		" metrics = false name = \"c\" }\n"
		"      identity { user = input.uami }\n"
		"    }\n" REMEDIATION_END);
	assert_int_equal(f->diag.errors, 0);
	const char *want[] = {
		"all logs and all metrics",
		"only metrics (no logs)",
		"the log categories 'A' and 'B' and the log category group 'audit'",
	};
	size_t i = 0;
	for (const struct harden_companion *c = pack->sections->recommendations->harden->companions; c; c = c->next) {
		struct harden_diagnostics plan = harden_diagnostics_plan(c);
		struct sb text = SB_INIT;
		harden_diagnostics_describe(&plan, &text);
		assert_string_equal(text.buf, want[i++]);
		sb_release(&text);
	}
	assert_int_equal(i, 3);
}

/* identity { } and `since`: parsed, checked, lowered. */
static void test_parse_harden_identity_and_since(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = parse_checked(f, REMEDIATION_SERVICE
		"    harden \"Microsoft.Widgets/widgets\" {\n"
		"      set properties.tls = \"1.2\" since \"2019-04-01\"\n"
		"      set properties.other = \"x\"\n"
		"      identity { system = true user = input.uami }\n"
		"      remediate { modify { roleDefinitionIds [\"/providers/Microsoft.Authorization/roleDefinitions/"
		"17d1049b-9a84-46fb-8f53-869881c3d3ab\"] } }\n"
		"      companion diagnostics { workspace = input.ws }\n"
		"    }\n" REMEDIATION_END);
	assert_int_equal(f->diag.count, 0);
	const struct harden_block *hb = pack->sections->recommendations->harden;
	assert_non_null(hb->identities);
	assert_string_equal(hb->identities->args->key->s, "system");
	assert_string_equal(hb->identities->args->next->value.input_name->s, "uami");
	assert_string_equal(hb->settings->since->s, "2019-04-01");
	const struct ast_modify_operation *o = hb->remediate->details.modify->operations;
	assert_string_equal(o->condition->s, "[greaterOrEquals(requestContext().apiVersion, '2019-04-01')]");
	assert_string_equal(o->next->condition->s, "[greaterOrEquals(requestContext().apiVersion, '2023-05-01')]");
}

static void test_parse_harden_identity_and_since_errors(void **state)
{
	struct fixture *f = *state;
	parse_checked(f, REMEDIATION_SERVICE
		"    harden \"Microsoft.Widgets/widgets\" {\n"
		"      set properties.tls = \"1.2\" since \"2019-4-1\"\n"
		"      set properties.b = \"x\" since \"2024-01-01\"\n"
		"      set identity.type = \"SystemAssigned\"\n"
		"      identity { system = \"yes\" users = input.uami }\n"
		"      identity { }\n"
		"      companion diagnostics { workspace = input.ws }\n"
		"    }\n" REMEDIATION_END);
	assert_int_equal(count_code(f, "E0420"), 2);
	assert_int_equal(first_code(f, "E0420")->span.begin.line, 14);
	assert_int_equal(count_code(f, "E0405"), 1);
	assert_int_equal(first_code(f, "E0405")->span.begin.line, 16);
	assert_int_equal(count_code(f, "E0411"), 1);
	/* 'users' is unknown (did you mean 'user'?), and the empty statement says what it needs */
	assert_int_equal(count_code(f, "E0408"), 3);
	assert_string_equal(first_code(f, "E0408")->help, "did you mean 'user'?");
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
		cmocka_unit_test_setup_teardown(test_parse_harden_child_type_twins, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_harden_contributor_fallback, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_harden_diagnostics_says_what, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_harden_diagnostics_plan, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_harden_identity_and_since, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_harden_identity_and_since_errors, fixture_setup,
						fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
