/* Unit tests for the parser (grammar/parser.y, src/front/parse.c). */
#include "testutil.h"

#include "pacc/ast.h"
#include "pacc/parse.h"
#include "pacc/sb.h"

#include <stdlib.h>

/* A pack using every construct of the language. */
static const char *const sample_lines[] = {
	"# A sample pack\n",
	"service \"Azure Data Factory\" {\n",
	"  ms.service \"azure-data-factory\"\n",
	"  author \"whhender\"\n",
	"  ms.author \"whhender\"\n",
	"  ms.date \"2025-06-04\"\n",
	"  category \"Data Factory\"\n",
	"  version \"1.0.0\"\n",
	"  governs \"Microsoft.DataFactory/factories\" at \"2018-06-01\"\n",
	"  title \"Secure your Azure Data Factory\"\n",
	"  intro \"\"\"\n",
	"    Azure Data Factory moves and transforms data.\n",
	"      Indented more.\n",
	"\n",
	"    Second paragraph.\n",
	"  \"\"\"\n",
	"  related \"Azure security baseline for Data Factory\" -> \"/security/benchmark/azure/baselines/data-factory-security-baseline\"\n",
	"}\n",
	"\n",
	"section network-security \"Network security\" {\n",
	"  \"\"\"\n",
	"  Data Factory reaches your data stores over the network.\n",
	"  \"\"\"\n",
	"\n",
	"  recommendation NS-2 \"Disable public network access\" {\n",
	"    \"\"\"\n",
	"    Private endpoints then become the only way in.\n",
	"    \"\"\"\n",
	"    see \"Azure Private Link for Data Factory\" -> \"/azure/data-factory/data-factory-private-link\"\n",
	"\n",
	"    enforce {\n",
	"      display \"Azure Data Factory should disable public network access\"\n",
	"      description \"Audits or denies factories.\"\n",
	"      mode Indexed\n",
	"      effect audit|deny|disabled = audit\n",
	"      message \"Disable public network access on this factory.\"\n",
	"      if {\n",
	"        type == \"Microsoft.DataFactory/factories\"\n",
	"        field \"Microsoft.DataFactory/factories/publicNetworkAccess\" != \"Disabled\"\n",
	"        any {\n",
	"          field \"location\" in [\"westeurope\", \"northeurope\"]\n",
	"          not field \"tags['env']\" exists true\n",
	"        }\n",
	"        all { value \"[parameters('mode')]\" equals \"strict\" }\n",
	"        count field \"Microsoft.Network/nsg/securityRules[*]\" where {\n",
	"          field \"Microsoft.Network/nsg/securityRules[*].access\" == \"Allow\"\n",
	"        } > 0\n",
	"        count value \"[parameters('names')]\" as \"n\" where { value \"[current('n')]\" like \"a*\" } == 0\n",
	"      }\n",
	"    }\n",
	"    enforce modify {\n",
	"      mode \"All\"\n",
	"      effect Modify\n",
	"      param tagName String = \"env\"\n",
	"      param workspaceId String {\n",
	"        display \"Log Analytics workspace\"\n",
	"        strongType \"omsWorkspace\"\n",
	"        allowed [\"a\", \"b\"]\n",
	"        default \"a\"\n",
	"        schema { \"type\": \"array\" }\n",
	"        metadata { \"assignPermissions\": true }\n",
	"      }\n",
	"      if type equals \"Microsoft.DataFactory/factories\"\n",
	"      modify {\n",
	"        roleDefinitionIds [\"/providers/Microsoft.Authorization/roleDefinitions/673868aa\"]\n",
	"        conflictEffect audit\n",
	"        set \"Microsoft.DataFactory/factories/publicNetworkAccess\" = \"Disabled\" when \"[greaterOrEquals(requestContext().apiVersion, '2018-06-01')]\"\n",
	"        add \"tags['owner']\" = \"[parameters('owner')]\"\n",
	"        remove \"tags['temp']\"\n",
	"      }\n",
	"    }\n",
	"  }\n",
	"  recommendation NS-3 \"Another\" {\n",
	"    enforce {\n",
	"      effect \"[parameters('policyEffect')]\"\n",
	"      if { field \"x\" exists false }\n",
	"      related \"Microsoft.Insights/diagnosticSettings\" {\n",
	"        name \"setByPolicy\"\n",
	"        resourceGroupName \"[resourceGroup().name]\"\n",
	"        existenceScope subscription\n",
	"        evaluationDelay AfterProvisioning\n",
	"        existenceCondition { field \"Microsoft.Insights/diagnosticSettings/workspaceId\" == \"[parameters('workspaceId')]\" }\n",
	"        roleDefinitionIds [\"/providers/Microsoft.Authorization/roleDefinitions/x\"]\n",
	"        deployment { \"properties\": { \"mode\": \"incremental\", \"n\": -1.5e3, \"z\": null } }\n",
	"      }\n",
	"    }\n",
	"  }\n",
	"}\n",
	"\n",
	"policy \"my-policy-name\" {\n",
	"  display \"x\"\n",
	"  effect deny\n",
	"  versions [\"1.0.0\", ]\n",
	"  property \"Key\" { \"a\": [1, 2, 3] }\n",
	"  if { field \"a\" == 1 }\n",
	"  append \"Microsoft.Storage/storageAccounts/networkAcls.defaultAction\" = \"Deny\"\n",
	"  append \"b\" = 2\n",
	"}\n",
	"\n",
	"initiative \"my-initiative\" {\n",
	"  id \"/providers/Microsoft.Authorization/policySetDefinitions/x\"\n",
	"  display \"Data Factory baseline\"\n",
	"  policyType Custom\n",
	"  version \"1.0.0\"\n",
	"  metadata { \"category\": \"Data Factory\" }\n",
	"  property \"Version\" \"1.0.0\"\n",
	"  param effect String { allowed [\"Audit\", \"Disabled\"] default \"Audit\" }\n",
	"  group network \"Network security\" {\n",
	"    category \"Network\"\n",
	"    description \"d\"\n",
	"    additionalMetadataId \"/providers/Microsoft.PolicyInsights/policyMetadata/x\"\n",
	"  }\n",
	"  group other\n",
	"  reference \"PublicNetworkAccess\" -> \"my-policy-name\" {\n",
	"    definitionVersion \"1.*.*\"\n",
	"    groups [\"network\"]\n",
	"    parameter effect = \"[parameters('effect')]\"\n",
	"  }\n",
	"  reference \"Builtin\" -> \"/providers/Microsoft.Authorization/policyDefinitions/0a2e\" { }\n",
	"}\n",
	"\n",
};

/* The sample as one string (built once: C caps the length of one literal). */
static char *sample_pack;
static size_t sample_len;

static int sample_setup(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	for (size_t i = 0; i < sizeof(sample_lines) / sizeof(sample_lines[0]); i++)
		sb_adds(&sb, sample_lines[i]);
	sample_pack = sb_detach(&sb, &sample_len);
	return 0;
}

static int sample_teardown(void **state)
{
	(void)state;
	free(sample_pack);
	return 0;
}

static struct ast_pack *parse_text(struct fixture *f, const char *text)
{
	fixture_source(f, text);
	return parse_pack(f->src, "sample", &f->arena, &f->diag);
}

static struct ast_pack *parse_bytes(struct fixture *f, const char *text, size_t len)
{
	source_free(f->src);
	f->src = source_from_memory("test.pacc", text, len);
	return parse_pack(f->src, "sample", &f->arena, &f->diag);
}

static void assert_str(const struct ast_str *s, const char *want)
{
	assert_non_null(s);
	assert_string_equal(s->s, want);
}

static void assert_json_str(const struct ast_json *j, const char *want)
{
	assert_non_null(j);
	assert_int_equal(j->kind, AST_JSON_STRING);
	assert_str(j->u.string, want);
}

static void test_parse_full_pack(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pk = parse_text(f, sample_pack);
	assert_int_equal(f->diag.count, 0);
	assert_string_equal(pk->name, "sample");

	const struct ast_service *svc = pk->service;
	assert_non_null(svc);
	assert_str(svc->name, "Azure Data Factory");
	assert_str(svc->slug, "azure-data-factory");
	assert_str(svc->ms_author, "whhender");
	assert_str(svc->date, "2025-06-04");
	assert_str(svc->governs->type, "Microsoft.DataFactory/factories");
	assert_str(svc->governs->api_version, "2018-06-01");
	assert_null(svc->governs->next);
	assert_str(svc->intro->str, "Azure Data Factory moves and transforms data.\n  Indented more.\n\nSecond paragraph.");
	assert_true(svc->intro->str->is_text_block);
	assert_str(svc->related->text, "Azure security baseline for Data Factory");
	assert_int_equal(svc->span.begin.line, 2);
	assert_int_equal(svc->span.end.line, 18);

	assert_int_equal(pk->section_count, 1);
	const struct ast_section *sec = pk->sections;
	assert_str(sec->id, "network-security");
	assert_str(sec->title, "Network security");
	assert_str(sec->texts->str, "Data Factory reaches your data stores over the network.");
	assert_int_equal(sec->recommendation_count, 2);

	const struct ast_recommendation *r = sec->recommendations;
	assert_str(r->id, "NS-2");
	assert_ptr_equal(r->section, sec);
	assert_ptr_equal(r->next->section, sec);
	assert_str(r->next->id, "NS-3");
	assert_str(r->texts->str, "Private endpoints then become the only way in.");
	assert_str(r->links->target, "/azure/data-factory/data-factory-private-link");
	assert_int_equal(r->policy_count, 2);
	assert_int_equal(r->span.begin.line, 25);
	assert_int_equal(r->span.begin.col, 3);

	const struct ast_policy *pol = r->policies;
	assert_null(pol->suffix);
	assert_str(pol->display, "Azure Data Factory should disable public network access");
	assert_str(pol->mode, "Indexed");
	assert_str(pol->message, "Disable public network access on this factory.");
	assert_int_equal(pol->span.begin.line, 31);
	assert_int_equal(pol->span.begin.col, 5);
	assert_int_equal(pol->effect_form, AST_EFFECT_PARAM);

	const struct ast_cond *c = pol->condition;
	assert_int_equal(c->kind, AST_COND_ALL);
	assert_int_equal(c->u.logical.count, 6);
	const struct ast_cond *k = c->u.logical.children;
	assert_int_equal(k->kind, AST_COND_FIELD);
	assert_str(k->u.leaf.field, "type");
	assert_int_equal(k->u.leaf.op, AST_OP_EQUALS);
	assert_json_str(k->u.leaf.rhs, "Microsoft.DataFactory/factories");
	k = k->next;
	assert_int_equal(k->u.leaf.op, AST_OP_NOT_EQUALS);
	k = k->next;
	assert_int_equal(k->kind, AST_COND_ANY);
	assert_int_equal(k->u.logical.count, 2);
	assert_int_equal(k->u.logical.children->u.leaf.op, AST_OP_IN);
	assert_int_equal(k->u.logical.children->u.leaf.rhs->u.array.count, 2);
	assert_int_equal(k->u.logical.children->next->kind, AST_COND_NOT);
	assert_int_equal(k->u.logical.children->next->u.negated->u.leaf.op, AST_OP_EXISTS);
	k = k->next;
	assert_int_equal(k->kind, AST_COND_ALL); /* a one-element all {} stays an allOf */
	assert_int_equal(k->u.logical.count, 1);
	assert_int_equal(k->u.logical.children->kind, AST_COND_VALUE);
	k = k->next;
	assert_int_equal(k->kind, AST_COND_COUNT);
	assert_int_equal(k->u.leaf.count.kind, AST_COUNT_FIELD);
	assert_str(k->u.leaf.count.field, "Microsoft.Network/nsg/securityRules[*]");
	assert_int_equal(k->u.leaf.count.where->kind, AST_COND_FIELD); /* one-element braces */
	assert_int_equal(k->u.leaf.op, AST_OP_GREATER);
	assert_string_equal(k->u.leaf.rhs->u.number.text, "0");
	k = k->next;
	assert_int_equal(k->u.leaf.count.kind, AST_COUNT_VALUE);
	assert_str(k->u.leaf.count.name, "n");
	assert_int_equal(k->u.leaf.count.value->kind, AST_JSON_STRING);
	assert_int_equal(k->u.leaf.count.where->u.leaf.op, AST_OP_LIKE);
	assert_null(k->next);

	const struct ast_policy *mod = pol->next;
	assert_str(mod->suffix, "modify");
	assert_str(mod->mode, "All");
	assert_int_equal(mod->effect_form, AST_EFFECT_LITERAL);
	assert_str(mod->effect, "Modify");
	assert_int_equal(mod->param_count, 2);
	assert_str(mod->params->name, "tagName");
	assert_json_str(mod->params->default_value, "env");
	const struct ast_param *ws = mod->params->next;
	assert_str(ws->name, "workspaceId");
	assert_str(ws->type, "String");
	assert_str(ws->strong_type, "omsWorkspace");
	assert_int_equal(ws->allowed->u.array.count, 2);
	assert_int_equal(ws->schema->kind, AST_JSON_OBJECT);
	assert_int_equal(ws->metadata->u.object.members->value->kind, AST_JSON_BOOL);
	assert_int_equal(mod->condition->kind, AST_COND_FIELD);
	assert_int_equal(mod->details_kind, AST_DETAILS_MODIFY);
	const struct ast_modify *m = mod->details.modify;
	assert_int_equal(m->count, 3);
	assert_str(m->conflict_effect, "audit");
	assert_int_equal(m->operations->op, AST_MODIFY_ADD_OR_REPLACE);
	assert_str(m->operations->condition, "[greaterOrEquals(requestContext().apiVersion, '2018-06-01')]");
	assert_int_equal(m->operations->next->op, AST_MODIFY_ADD);
	assert_int_equal(m->operations->next->next->op, AST_MODIFY_REMOVE);
	assert_null(m->operations->next->next->value);

	const struct ast_policy *rel = r->next->policies;
	assert_int_equal(rel->effect_form, AST_EFFECT_EXPRESSION);
	assert_str(rel->effect, "[parameters('policyEffect')]");
	assert_int_equal(rel->details_kind, AST_DETAILS_RELATED);
	const struct ast_related *rd = rel->details.related;
	assert_str(rd->type, "Microsoft.Insights/diagnosticSettings");
	assert_json_str(rd->name, "setByPolicy");
	assert_str(rd->existence_scope, "subscription");
	assert_str(rd->evaluation_delay, "AfterProvisioning");
	assert_int_equal(rd->existence->kind, AST_COND_FIELD);
	const struct ast_json *dep = rd->deployment->u.object.members->value;
	assert_int_equal(dep->u.object.count, 3);
	const struct ast_json_member *mem = dep->u.object.members->next;
	assert_str(mem->key, "n");
	assert_string_equal(mem->value->u.number.text, "-1.5e3");
	assert_true(mem->value->u.number.value == -1500.0);
	assert_int_equal(mem->next->value->kind, AST_JSON_NULL);

	const struct ast_policy *top = pk->policies;
	assert_str(top->name, "my-policy-name");
	assert_str(top->effect, "Deny");
	assert_int_equal(top->versions->u.array.count, 1); /* trailing comma */
	assert_str(top->properties->key, "Key");
	assert_int_equal(top->properties->value->u.object.members->value->u.array.count, 3);
	assert_int_equal(top->details_kind, AST_DETAILS_APPEND);
	assert_int_equal(top->details.append.count, 2);
	assert_str(top->details.append.entries->field, "Microsoft.Storage/storageAccounts/networkAcls.defaultAction");
	assert_str(top->details.append.entries->next->field, "b");
	assert_null(top->next);

	const struct ast_initiative *in = pk->initiatives;
	assert_str(in->name, "my-initiative");
	assert_str(in->policy_type, "Custom");
	assert_str(in->properties->key, "Version");
	assert_str(in->params->name, "effect");
	assert_json_str(in->params->default_value, "Audit");
	assert_str(in->groups->name, "network");
	assert_str(in->groups->display, "Network security");
	assert_str(in->groups->category, "Network");
	assert_str(in->groups->metadata_id, "/providers/Microsoft.PolicyInsights/policyMetadata/x");
	assert_str(in->groups->next->name, "other");
	assert_null(in->groups->next->display);
	const struct ast_reference *ref = in->references;
	assert_str(ref->ref_id, "PublicNetworkAccess");
	assert_str(ref->target, "my-policy-name");
	assert_str(ref->definition_version, "1.*.*");
	assert_str(ref->params->name, "effect");
	assert_json_str(ref->params->value, "[parameters('effect')]");
	assert_str(ref->next->ref_id, "Builtin");
	assert_null(ref->next->next);
}

static void test_parse_effect_sugar(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pk = parse_text(f, "policy \"p\" {\n"
					   "  param first String = \"a\"\n"
					   "  effect DENY|auditIfNotExists|disabled|custom = disabled\n"
					   "  param last Integer = 3\n"
					   "}\n");
	assert_int_equal(f->diag.count, 0);
	const struct ast_policy *pol = pk->policies;
	assert_int_equal(pol->effect_form, AST_EFFECT_PARAM);
	assert_int_equal(pol->param_count, 3);
	const struct ast_param *e = pol->params->next;
	assert_ptr_equal(pol->effect_param, e);
	assert_true(e->from_effect_sugar);
	assert_str(e->name, "effect");
	assert_str(e->type, "String");
	assert_str(e->display, "Effect");
	assert_str(e->description, "Enable or disable the execution of the policy");
	assert_int_equal(e->allowed->kind, AST_JSON_ARRAY);
	assert_int_equal(e->allowed->u.array.count, 4);
	const struct ast_json_item *it = e->allowed->u.array.items;
	assert_json_str(it->value, "Deny");
	assert_json_str(it->next->value, "AuditIfNotExists");
	assert_json_str(it->next->next->value, "Disabled");
	assert_json_str(it->next->next->next->value, "custom"); /* unknown: kept for check */
	assert_json_str(e->default_value, "Disabled");
	assert_int_equal(pol->effect_span.begin.line, 3);
	assert_int_equal(pol->effect_span.begin.col, 3);
	assert_str(pol->params->next->next->name, "last");
	assert_false(pol->params->from_effect_sugar);
}

static void test_parse_effect_single_and_string_forms(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pk = parse_text(f, "policy \"a\" { effect audit = audit }\n"
					   "policy \"b\" { effect \"audit\" }\n"
					   "policy \"c\" { effect auditifnotexists }\n");
	assert_int_equal(f->diag.count, 0);
	const struct ast_policy *a = pk->policies;
	assert_int_equal(a->effect_form, AST_EFFECT_PARAM);
	assert_int_equal(a->effect_param->allowed->u.array.count, 1);
	assert_int_equal(a->next->effect_form, AST_EFFECT_EXPRESSION);
	assert_str(a->next->effect, "audit");
	assert_int_equal(a->next->next->effect_form, AST_EFFECT_LITERAL);
	assert_str(a->next->next->effect, "AuditIfNotExists");
}

static const struct ast_cond *parse_cond(struct fixture *f, const char *cond)
{
	struct sb sb = SB_INIT;
	sb_addf(&sb, "policy \"p\" {\n  if %s\n}\n", cond);
	struct ast_pack *pk = parse_text(f, sb.buf);
	sb_release(&sb);
	assert_int_equal(f->diag.count, 0);
	assert_non_null(pk->policies);
	return pk->policies->condition;
}

static void test_parse_condition_shapes(void **state)
{
	struct fixture *f = *state;
	const struct ast_cond *c = parse_cond(f, "{ field \"a\" <= 1 }");
	assert_int_equal(c->kind, AST_COND_FIELD);
	assert_int_equal(c->u.leaf.op, AST_OP_LESS_OR_EQUALS);
	assert_int_equal(c->u.leaf.op_span.begin.col, 18);

	c = parse_cond(f, "all { field \"a\" >= 1 }");
	assert_int_equal(c->kind, AST_COND_ALL);
	assert_int_equal(c->u.logical.count, 1);
	assert_int_equal(c->u.logical.children->u.leaf.op, AST_OP_GREATER_OR_EQUALS);

	c = parse_cond(f, "{}");
	assert_int_equal(c->kind, AST_COND_ALL);
	assert_int_equal(c->u.logical.count, 0);

	c = parse_cond(f, "any { type notEquals \"x\" { value 1 < 2 value 3 matchInsensitively \"b\" } }");
	assert_int_equal(c->kind, AST_COND_ANY);
	assert_int_equal(c->u.logical.count, 2);
	assert_int_equal(c->u.logical.children->u.leaf.op, AST_OP_NOT_EQUALS);
	const struct ast_cond *inner = c->u.logical.children->next;
	assert_int_equal(inner->kind, AST_COND_ALL);
	assert_int_equal(inner->u.logical.count, 2);
	assert_int_equal(inner->u.logical.children->u.leaf.op, AST_OP_LESS);
	assert_int_equal(inner->u.logical.children->next->u.leaf.op, AST_OP_MATCH_INSENSITIVELY);

	c = parse_cond(f, "not not value { \"k\": [1, {}] } containsKey \"k\"");
	assert_int_equal(c->kind, AST_COND_NOT);
	assert_int_equal(c->u.negated->kind, AST_COND_NOT);
	const struct ast_cond *leaf = c->u.negated->u.negated;
	assert_int_equal(leaf->kind, AST_COND_VALUE);
	assert_int_equal(leaf->u.leaf.op, AST_OP_CONTAINS_KEY);
	assert_int_equal(leaf->u.leaf.value->kind, AST_JSON_OBJECT);
	assert_int_equal(leaf->u.leaf.value->u.object.count, 1);
	assert_int_equal(leaf->u.leaf.value->span.begin.col, 20);
	assert_int_equal(leaf->u.leaf.value->span.end.col, 36);

	c = parse_cond(f, "count value [1, 2] where value \"[current()]\" != 1 > 1");
	assert_int_equal(c->kind, AST_COND_COUNT);
	assert_null(c->u.leaf.count.name);
	assert_int_equal(c->u.leaf.count.value->u.array.count, 2);
	assert_int_equal(c->u.leaf.count.where->u.leaf.op, AST_OP_NOT_EQUALS);
	assert_int_equal(c->u.leaf.op, AST_OP_GREATER);

	c = parse_cond(f, "count field \"a[*]\" == 0");
	assert_null(c->u.leaf.count.where);
	assert_int_equal(c->span.begin.col, 6);
}

static void test_parse_keywords_as_names(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pk = parse_text(f, "section type \"t\" {\n"
					   "  recommendation \"ID 1\" \"x\" { enforce effect { param if Boolean } }\n"
					   "}\n"
					   "initiative set { group effect reference \"r\" -> \"/x\" { parameter in = 1 } }\n");
	assert_int_equal(f->diag.count, 0);
	assert_str(pk->sections->id, "type");
	assert_str(pk->sections->recommendations->id, "ID 1");
	const struct ast_policy *pol = pk->sections->recommendations->policies;
	assert_str(pol->suffix, "effect");
	assert_str(pol->params->name, "if");
	assert_str(pol->params->type, "Boolean");
	assert_str(pk->initiatives->name, "set");
	assert_str(pk->initiatives->groups->name, "effect");
	assert_str(pk->initiatives->references->params->name, "in");
}

static void test_parse_initiative_forms(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pk = parse_text(f, "initiative \"i\" {\n"
					   "  group g { extra { \"x\": 1 } }\n"
					   "  group h \"H\" { display \"again\" }\n"
					   "  reference \"r\" -> \"p\" {\n"
					   "    parameters { \"a\": { \"value\": 1 }, \"b\": { \"value\": 2, \"k\": 3 } }\n"
					   "    extra { \"y\": true }\n"
					   "  }\n"
					   "  reference \"s\" -> \"p\"\n"
					   "}\n");
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, "E0103", 3, 3); /* a display given twice */
	const struct ast_initiative *in = pk->initiatives;
	assert_int_equal(in->groups->extra->kind, AST_JSON_OBJECT);
	assert_str(in->groups->next->display, "again");
	const struct ast_reference *r = in->references;
	assert_true(r->params_present);
	assert_str(r->params->name, "a");
	assert_string_equal(r->params->value->u.number.text, "1");
	assert_null(r->params->raw);
	assert_str(r->params->next->name, "b");
	assert_null(r->params->next->value);
	assert_int_equal(r->params->next->raw->u.object.count, 2);
	assert_int_equal(r->extra->u.object.count, 1);
	assert_false(r->next->params_present);
	assert_int_equal(r->next->span.end.line, 8);
}

static void test_parse_empty_file(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pk = parse_text(f, "");
	assert_int_equal(f->diag.count, 0);
	assert_null(pk->service);
	assert_null(pk->sections);
	assert_int_equal(pk->section_count, 0);
	pk = parse_text(f, "  # only a comment\n/* and this */\n");
	assert_int_equal(f->diag.count, 0);
	assert_null(pk->policies);
}

static void test_parse_syntax_error_did_you_mean(void **state)
{
	struct fixture *f = *state;
	parse_text(f, "section net \"Network\" {\n"
		      "  recommendation NS-1 \"a\" { }\n"
		      "  recomendation NS-2 \"x\" {\n"
		      "    enforce { display \"y\" }\n"
		      "  }\n"
		      "}\n");
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, "E0101", 3, 3);
	const struct diag_record *r = f->diag.records[0];
	assert_string_equal(r->message, "expected 'recommendation' or '}', found 'recomendation'");
	assert_non_null(r->help);
	assert_string_equal(r->help, "did you mean 'recommendation'?");
	assert_int_equal(r->span.end.col, 16);
}

static void test_parse_syntax_error_messages(void **state)
{
	struct fixture *f = *state;
	parse_text(f, "policy \"p\" {\n  disply \"x\"\n}\n");
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, "E0101", 2, 3);
	assert_string_equal(f->diag.records[0]->message, "expected a statement or '}', found 'disply'");
	assert_string_equal(f->diag.records[0]->help, "did you mean 'display'?");

	diag_release(&f->diag);
	diag_init(&f->diag);
	parse_text(f, "policy \"p\" { if { field \"a\" === 1 } }");
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, "E0101", 1, 31);
	assert_string_equal(f->diag.records[0]->message, "expected a value, found '='");
	assert_null(f->diag.records[0]->help);

	diag_release(&f->diag);
	diag_init(&f->diag);
	parse_text(f, "policy \"p\" { if field \"a\" notequals 12 }");
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, "E0101", 1, 27);
	assert_string_equal(f->diag.records[0]->message, "expected an operator, found 'notequals'");
	assert_string_equal(f->diag.records[0]->help, "did you mean 'notEquals'?");

	diag_release(&f->diag);
	diag_init(&f->diag);
	parse_text(f, "policy \"p\" { metadata { \"a\": 1 2 } }");
	assert_int_equal(f->diag.count, 1);
	assert_string_equal(f->diag.records[0]->message, "expected '}' or ',', found '2'");

	diag_release(&f->diag);
	diag_init(&f->diag);
	parse_text(f, "policy \"p\" {");
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, "E0101", 1, 13);
	assert_string_equal(f->diag.records[0]->message, "expected a statement or '}', found end of file");
	assert_non_null(f->diag.records[0]->notes);
	assert_int_equal(f->diag.records[0]->notes->span.begin.col, 12);
	assert_string_equal(f->diag.records[0]->notes->message, "'{' opened here");

	diag_release(&f->diag);
	diag_init(&f->diag);
	parse_text(f, "service { }");
	assert_diag(f, 0, "E0101", 1, 9);
	assert_string_equal(f->diag.records[0]->message, "expected <string> or <text block>, found '{'");
}

static void test_parse_recovery_reports_several(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pk = parse_text(f, "section s \"S\" {\n"
					   "  recommendation A-1 \"a\" {\n"
					   "    enforce {\n"
					   "      mode 12\n"
					   "      display \"ok\"\n"
					   "    }\n"
					   "  }\n"
					   "  recommendation A-2 \"b\" {\n"
					   "    enforse { display \"z\" }\n"
					   "    enforce { display \"kept\" }\n"
					   "  }\n"
					   "}\n"
					   "policy \"after\" { effect deny }\n");
	assert_int_equal(f->diag.count, 2);
	assert_diag(f, 0, "E0101", 4, 12);
	assert_diag(f, 1, "E0101", 9, 5);
	assert_string_equal(f->diag.records[1]->help, "did you mean 'enforce'?");
	/* Everything around the mistakes is still in the tree. */
	const struct ast_recommendation *r = pk->sections->recommendations;
	assert_str(r->policies->display, "ok");
	assert_int_equal(r->next->policy_count, 1);
	assert_str(r->next->policies->display, "kept");
	assert_str(pk->policies->name, "after");
}

static void test_parse_stops_after_too_many_errors(void **state)
{
	struct fixture *f = *state;
	struct sb sb = SB_INIT;
	for (int i = 0; i < 200; i++)
		sb_addf(&sb, "policy \"p%d\" { mode = }\n", i);
	parse_text(f, sb.buf);
	sb_release(&sb);
	assert_int_equal(f->diag.errors, DIAG_DEFAULT_MAX_ERRORS + 1);
	assert_diag(f, 0, "E0101", 1, 20);
	assert_diag(f, 49, "E0101", 50, 21);
	assert_string_equal(f->diag.records[DIAG_DEFAULT_MAX_ERRORS]->code, "E0003");
	assert_true(diag_should_stop(&f->diag));
}

static void test_parse_duplicate_statement(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pk = parse_text(f, "policy \"p\" {\n  display \"a\"\n  display \"b\"\n"
					   "  effect deny\n  effect audit\n  details {}\n  modify { }\n}\n");
	assert_int_equal(f->diag.count, 3);
	assert_diag(f, 0, "E0103", 3, 3);
	assert_string_equal(f->diag.records[0]->message, "'display' given more than once");
	assert_non_null(f->diag.records[0]->notes);
	assert_int_equal(f->diag.records[0]->notes->span.begin.line, 2);
	assert_diag(f, 1, "E0103", 5, 3);
	assert_diag(f, 2, "E0103", 7, 3);
	assert_str(pk->policies->display, "a");
	assert_str(pk->policies->effect, "Deny");
}

static void test_parse_policy_named_twice(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pk = parse_text(f, "policy \"p\" {\n  name \"other\"\n  effect deny\n}\n");
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, "E0103", 2, 8);
	assert_int_equal(f->diag.records[0]->notes->span.begin.line, 1);
	assert_int_equal(f->diag.records[0]->notes->span.begin.col, 8);
	assert_str(pk->policies->name, "p");
}

static void test_parse_lexer_error_not_echoed(void **state)
{
	struct fixture *f = *state;
	parse_text(f, "policy \"p\" {\n  display @ \"x\"\n  mode \"abc\n}\n");
	assert_int_equal(f->diag.count, 2);
	assert_diag(f, 0, "E0001", 2, 11);
	assert_diag(f, 1, "E0005", 3, 8);

	/* A bad byte in a comment does not hide the next token's syntax error. */
	diag_release(&f->diag);
	diag_init(&f->diag);
	parse_text(f, "policy \"p\" { # caf\xe9\n  mode = }");
	assert_int_equal(f->diag.count, 2);
	assert_diag(f, 0, "E0002", 1, 19);
	assert_diag(f, 1, "E0101", 2, 8);

	diag_release(&f->diag);
	diag_init(&f->diag);
	parse_text(f, "policy \"p\" { versions [1.] }");
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, "E0011", 1, 24);
}

static void test_parse_nesting_limit(void **state)
{
	struct fixture *f = *state;
	struct sb sb = SB_INIT;
	sb_adds(&sb, "policy \"p\" { metadata ");
	sb_addchars(&sb, '[', 100000);
	parse_text(f, sb.buf);
	assert_int_equal(f->diag.count, 1);
	assert_diag(f, 0, "E0102", 1, 23 + PARSE_MAX_DEPTH - 1);

	/* Exactly the limit is fine. */
	diag_release(&f->diag);
	diag_init(&f->diag);
	sb_reset(&sb);
	sb_adds(&sb, "policy \"p\" { metadata ");
	sb_addchars(&sb, '[', PARSE_MAX_DEPTH - 1);
	sb_addchars(&sb, ']', PARSE_MAX_DEPTH - 1);
	sb_adds(&sb, " }");
	struct ast_pack *pk = parse_text(f, sb.buf);
	assert_int_equal(f->diag.count, 0);
	assert_int_equal(pk->policies->metadata->kind, AST_JSON_ARRAY);

	/* Chains without brackets are bounded too. */
	diag_release(&f->diag);
	diag_init(&f->diag);
	sb_reset(&sb);
	sb_adds(&sb, "policy \"p\" { if ");
	for (int i = 0; i < 100000; i++)
		sb_adds(&sb, "not ");
	sb_adds(&sb, "type == \"x\" }");
	parse_text(f, sb.buf);
	assert_int_equal(f->diag.count, 1);
	assert_string_equal(f->diag.records[0]->code, "E0102");

	diag_release(&f->diag);
	diag_init(&f->diag);
	sb_reset(&sb);
	sb_addchars(&sb, '{', 100000);
	parse_text(f, sb.buf);
	assert_true(f->diag.count >= 1);
	assert_string_equal(f->diag.records[f->diag.count - 1]->code, "E0102");
	sb_release(&sb);
}

static void test_parse_truncation_never_crashes(void **state)
{
	struct fixture *f = *state;
	size_t n = sample_len, with_errors = 0;
	for (size_t i = 0; i <= n; i++) {
		diag_release(&f->diag);
		diag_init(&f->diag);
		struct ast_pack *pk = parse_bytes(f, sample_pack, i);
		assert_non_null(pk);
		if (f->diag.count > 0)
			with_errors++;
	}
	/* Nearly every prefix stops inside a declaration, which is an error. */
	assert_true(with_errors > n * 9 / 10);
}

static void test_parse_mutations_never_crash(void **state)
{
	struct fixture *f = *state;
	static const char noise[] = "{}[]\"\\\n:=|,#/*-0e.\xff\xc3 \0";
	size_t n = sample_len;
	char *buf = malloc(n);
	unsigned seed = 12345;
	for (int round = 0; round < 1500; round++) {
		memcpy(buf, sample_pack, n);
		for (int j = 0; j < 3; j++) {
			seed = seed * 1103515245u + 12345u;
			size_t pos = (seed >> 8) % n;
			seed = seed * 1103515245u + 12345u;
			buf[pos] = noise[(seed >> 8) % (sizeof(noise) - 1)];
		}
		diag_release(&f->diag);
		diag_init(&f->diag);
		assert_non_null(parse_bytes(f, buf, n));
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_full_pack, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_effect_sugar, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_effect_single_and_string_forms, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_condition_shapes, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_keywords_as_names, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_initiative_forms, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_empty_file, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_syntax_error_did_you_mean, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_syntax_error_messages, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_recovery_reports_several, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_stops_after_too_many_errors, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_duplicate_statement, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_policy_named_twice, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_lexer_error_not_echoed, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_nesting_limit, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_truncation_never_crashes, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_parse_mutations_never_crash, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, sample_setup, sample_teardown);
}
