#include "testutil.h"

#include "pacc/check.h"
#include "pacc/gen_json.h"
#include "pacc/json.h"
#include "pacc/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * The tests build checked packs by hand (as the checker leaves them) and
 * compare whole generated files.  Expected documents are written compactly
 * with ` for ", parsed by cJSON (which keeps member order) and printed with
 * json_print, so the comparison is byte for byte, member order included.
 */

static const struct src_span nowhere;

static struct ast_str *S(struct fixture *f, const char *s)
{
	return ast_str_new(&f->arena, s, strlen(s), nowhere);
}

static struct ast_str *TB(struct fixture *f, const char *s)
{
	struct ast_str *str = S(f, s);
	str->is_text_block = true;
	return str;
}

static struct ast_json *js(struct fixture *f, const char *s)
{
	struct ast_json *j = ast_json_new(&f->arena, AST_JSON_STRING, nowhere);
	j->u.string = S(f, s);
	return j;
}

static struct ast_json *jn(struct fixture *f, double v)
{
	struct ast_json *j = ast_json_new(&f->arena, AST_JSON_NUMBER, nowhere);
	j->u.number.value = v;
	return j;
}

static struct ast_json *jb(struct fixture *f, bool v)
{
	struct ast_json *j = ast_json_new(&f->arena, AST_JSON_BOOL, nowhere);
	j->u.boolean = v;
	return j;
}

/* An array of the NULL-terminated strings given. */
static struct ast_json *jstrings(struct fixture *f, ...)
{
	struct ast_json *j = ast_json_new(&f->arena, AST_JSON_ARRAY, nowhere);
	struct ast_json_item **tail = &j->u.array.items;
	va_list ap;
	va_start(ap, f);
	for (const char *s; (s = va_arg(ap, const char *)) != NULL;) {
		struct ast_json_item *it = ARENA_NEW(&f->arena, struct ast_json_item);
		it->value = js(f, s);
		*tail = it;
		tail = &it->next;
		j->u.array.count++;
	}
	va_end(ap);
	return j;
}

static struct ast_json *jobj(struct fixture *f)
{
	return ast_json_new(&f->arena, AST_JSON_OBJECT, nowhere);
}

static struct ast_json *jput(struct fixture *f, struct ast_json *obj, const char *key,
			     struct ast_json *v)
{
	struct ast_json_member *m = ARENA_NEW(&f->arena, struct ast_json_member);
	m->key = S(f, key);
	m->value = v;
	struct ast_json_member **tail = &obj->u.object.members;
	while (*tail)
		tail = &(*tail)->next;
	*tail = m;
	obj->u.object.count++;
	return obj;
}

static struct ast_cond *field(struct fixture *f, const char *alias, enum ast_op op,
			      struct ast_json *rhs)
{
	struct ast_cond *c = ast_cond_new(&f->arena, AST_COND_FIELD, nowhere);
	c->u.leaf.field = S(f, alias);
	c->u.leaf.op = op;
	c->u.leaf.rhs = rhs;
	return c;
}

/* allOf/anyOf of the NULL-terminated conditions given. */
static struct ast_cond *logical(struct fixture *f, enum ast_cond_kind kind, ...)
{
	struct ast_cond *c = ast_cond_new(&f->arena, kind, nowhere);
	struct ast_cond **tail = &c->u.logical.children;
	va_list ap;
	va_start(ap, kind);
	for (struct ast_cond *k; (k = va_arg(ap, struct ast_cond *)) != NULL;) {
		*tail = k;
		tail = &k->next;
		c->u.logical.count++;
	}
	va_end(ap);
	return c;
}

/* `effect a|b|c = default` as the parser and checker leave it. */
static void effect_sugar(struct fixture *f, struct ast_policy *p, struct ast_json *allowed,
			 const char *def)
{
	struct ast_param *pa = ARENA_NEW(&f->arena, struct ast_param);
	pa->name = S(f, "effect");
	pa->type = S(f, "String");
	pa->allowed = allowed;
	pa->default_value = js(f, def);
	pa->from_effect_sugar = true;
	pa->used = true;
	pa->next = p->params;
	p->params = pa;
	p->param_count++;
	p->effect_form = AST_EFFECT_PARAM;
	p->effect_param = pa;
}

static struct ast_param *add_param(struct fixture *f, struct ast_policy *p, const char *name,
				   const char *type)
{
	struct ast_param *pa = ARENA_NEW(&f->arena, struct ast_param);
	pa->name = S(f, name);
	pa->type = S(f, type);
	struct ast_param **tail = &p->params;
	while (*tail)
		tail = &(*tail)->next;
	*tail = pa;
	p->param_count++;
	return pa;
}

/* A pack "azure-data-factory" with a service and one section. */
static struct ast_pack *df_pack(struct fixture *f, struct ast_section **sec_out)
{
	struct ast_pack *pack = ARENA_NEW(&f->arena, struct ast_pack);
	pack->arena = &f->arena;
	pack->name = "azure-data-factory";
	struct ast_service *svc = ARENA_NEW(&f->arena, struct ast_service);
	svc->name = S(f, "Azure Data Factory");
	svc->category = S(f, "Data Factory");
	svc->version = S(f, "1.0.0");
	pack->service = svc;
	struct ast_section *sec = ARENA_NEW(&f->arena, struct ast_section);
	sec->id = S(f, "network-security");
	sec->title = S(f, "Network security");
	sec->texts = ARENA_NEW(&f->arena, struct ast_text);
	sec->texts->str = TB(f, "Data Factory reaches your data\nstores over the network.\n\n"
				"A second paragraph.");
	pack->sections = sec;
	pack->section_count = 1;
	*sec_out = sec;
	return pack;
}

static struct ast_recommendation *add_rec(struct fixture *f, struct ast_section *sec,
					  const char *id)
{
	struct ast_recommendation *rec = ARENA_NEW(&f->arena, struct ast_recommendation);
	rec->id = S(f, id);
	rec->title = S(f, "A recommendation");
	rec->section = sec;
	struct ast_recommendation **tail = &sec->recommendations;
	while (*tail)
		tail = &(*tail)->next;
	*tail = rec;
	sec->recommendation_count++;
	return rec;
}

static struct ast_policy *add_enforce(struct fixture *f, struct ast_recommendation *rec,
				      const char *resolved, const char *display)
{
	struct ast_policy *p = ARENA_NEW(&f->arena, struct ast_policy);
	p->display = S(f, display);
	p->mode = S(f, "Indexed");
	p->resolved_name = resolved;
	p->owner = rec;
	struct ast_policy **tail = &rec->policies;
	while (*tail)
		tail = &(*tail)->next;
	*tail = p;
	rec->policy_count++;
	return p;
}

static struct ast_policy *add_policy(struct fixture *f, struct ast_pack *pack, const char *name)
{
	struct ast_policy *p = ARENA_NEW(&f->arena, struct ast_policy);
	p->name = S(f, name);
	p->resolved_name = p->name->s;
	struct ast_policy **tail = &pack->policies;
	while (*tail)
		tail = &(*tail)->next;
	*tail = p;
	return p;
}

/* The NS-2 policy of the default pack. */
static struct ast_policy *ns2(struct fixture *f, struct ast_section *sec)
{
	struct ast_recommendation *rec = add_rec(f, sec, "NS-2");
	struct ast_policy *p = add_enforce(f, rec, "azure-data-factory-ns-2",
					   "Azure Data Factory should disable public network access");
	p->description = TB(f, "Audits or denies factories\nthat accept public traffic.\n");
	effect_sugar(f, p, jstrings(f, "Audit", "Deny", "Disabled", NULL), "Audit");
	p->condition = logical(
		f, AST_COND_ALL,
		field(f, "type", AST_OP_EQUALS, js(f, "Microsoft.DataFactory/factories")),
		field(f, "Microsoft.DataFactory/factories/publicNetworkAccess", AST_OP_NOT_EQUALS,
		      js(f, "Disabled")),
		NULL);
	return p;
}

/* Runs the generator and returns the text of path (asserting it exists). */
static const char *generated(struct output_set *out, const char *path)
{
	const struct output_file *file = output_find(out, path);
	if (!file)
		fail_msg("no file %s", path);
	return file->data.buf;
}

/* The expected text of a document written compactly with ` for ". */
static char *expected(const char *compact)
{
	char *text = test_malloc(strlen(compact) + 1);
	strcpy(text, compact);
	for (char *c = text; *c; c++)
		if (*c == '`')
			*c = '"';
	cJSON *doc = cJSON_Parse(text);
	if (!doc)
		fail_msg("bad expected JSON near: %s", cJSON_GetErrorPtr());
	test_free(text);
	struct sb sb = SB_INIT;
	json_print(doc, &sb);
	cJSON_Delete(doc);
	return sb_detach(&sb, NULL);
}

static void assert_file(struct output_set *out, const char *path, const char *compact)
{
	char *want = expected(compact);
	assert_string_equal(generated(out, path), want);
	free(want);
}

static void test_gen_json_enforce_policy(void **state)
{
	struct fixture *f = *state;
	struct ast_section *sec;
	struct ast_pack *pack = df_pack(f, &sec);
	ns2(f, sec);
	struct output_set out = OUTPUT_SET_INIT;
	gen_json_pack(pack, &out);
	assert_int_equal(out.count, 2);
	assert_string_equal(out.files[0].path, "policies/azure-data-factory-ns-2.json");
	assert_string_equal(out.files[1].path, "initiative.json");
	assert_file(&out, "policies/azure-data-factory-ns-2.json",
		    "{`name`: `azure-data-factory-ns-2`,"
		    " `type`: `Microsoft.Authorization/policyDefinitions`,"
		    " `properties`: {"
		    "  `displayName`: `Azure Data Factory should disable public network access`,"
		    "  `policyType`: `Custom`, `mode`: `Indexed`,"
		    "  `description`: `Audits or denies factories that accept public traffic.`,"
		    "  `metadata`: {`version`: `1.0.0`, `category`: `Data Factory`,"
		    "   `paccSource`: {`pack`: `azure-data-factory`, `section`: `network-security`,"
		    "    `recommendation`: `NS-2`}},"
		    "  `parameters`: {`effect`: {`type`: `String`,"
		    "   `metadata`: {`displayName`: `Effect`,"
		    "    `description`: `Enable or disable the execution of the policy`},"
		    "   `allowedValues`: [`Audit`, `Deny`, `Disabled`], `defaultValue`: `Audit`}},"
		    "  `policyRule`: {"
		    "   `if`: {`allOf`: ["
		    "    {`field`: `type`, `equals`: `Microsoft.DataFactory/factories`},"
		    "    {`field`: `Microsoft.DataFactory/factories/publicNetworkAccess`,"
		    "     `notEquals`: `Disabled`}]},"
		    "   `then`: {`effect`: `[parameters('effect')]`}}}}");
	/* The exact layout of the head of the file. */
	assert_memory_equal(generated(&out, "policies/azure-data-factory-ns-2.json"),
			    "{\n  \"name\": \"azure-data-factory-ns-2\",\n", 38);
	output_set_release(&out);
}

static void test_gen_json_pack_initiative(void **state)
{
	struct fixture *f = *state;
	struct ast_section *sec;
	struct ast_pack *pack = df_pack(f, &sec);
	ns2(f, sec);
	struct ast_recommendation *rec = add_rec(f, sec, "NS-3");
	struct ast_policy *p = add_enforce(f, rec, "azure-data-factory-ns-3-modify", "Tags");
	struct ast_param *ws = add_param(f, p, "workspaceId", "String");
	ws->display = S(f, "Workspace");
	p->effect_form = AST_EFFECT_LITERAL;
	p->effect = S(f, "deny");
	p->condition = field(f, "type", AST_OP_EQUALS, js(f, "x"));
	/* A second policy declaring the same parameter shares the initiative's. */
	struct ast_policy *q = add_enforce(f, rec, "azure-data-factory-ns-3-audit", "Audit tags");
	add_param(f, q, "WorkspaceId", "String");
	effect_sugar(f, q, jstrings(f, "Audit", "Disabled", NULL), "Disabled");
	q->condition = field(f, "type", AST_OP_EQUALS, js(f, "x"));

	struct output_set out = OUTPUT_SET_INIT;
	gen_json_pack(pack, &out);
	assert_int_equal(out.count, 4);
	assert_file(
		&out, "initiative.json",
		"{`name`: `azure-data-factory`, `type`: `Microsoft.Authorization/policySetDefinitions`,"
		" `properties`: {"
		"  `displayName`: `Azure Data Factory security baseline`,"
		"  `policyType`: `Custom`,"
		"  `description`: `Enforces the security recommendations for Azure Data Factory"
		" (baseline version 1.0.0).`,"
		"  `metadata`: {`version`: `1.0.0`, `category`: `Data Factory`,"
		"   `paccSource`: {`pack`: `azure-data-factory`}},"
		"  `version`: `1.0.0`,"
		"  `parameters`: {"
		"   `ns-2-effect`: {`type`: `String`, `metadata`: {"
		"     `displayName`: `Effect for Azure Data Factory should disable public network access`,"
		"     `description`: `Enable or disable the execution of the policy`},"
		"    `allowedValues`: [`Audit`, `Deny`, `Disabled`], `defaultValue`: `Audit`},"
		"   `workspaceId`: {`type`: `String`, `metadata`: {`displayName`: `Workspace`}},"
		"   `ns-3-audit-effect`: {`type`: `String`, `metadata`: {"
		"     `displayName`: `Effect for Audit tags`,"
		"     `description`: `Enable or disable the execution of the policy`},"
		"    `allowedValues`: [`Audit`, `Disabled`], `defaultValue`: `Disabled`}},"
		"  `policyDefinitionGroups`: [{`name`: `network-security`,"
		"   `displayName`: `Network security`,"
		"   `description`: `Data Factory reaches your data stores over the network.`}],"
		"  `policyDefinitions`: ["
		"   {`policyDefinitionReferenceId`: `ns-2`,"
		"    `policyDefinitionId`: `/providers/Microsoft.Authorization/policyDefinitions/azure-data-factory-ns-2`,"
		"    `parameters`: {`effect`: {`value`: `[parameters('ns-2-effect')]`}},"
		"    `groupNames`: [`network-security`]},"
		"   {`policyDefinitionReferenceId`: `ns-3-modify`,"
		"    `policyDefinitionId`: `/providers/Microsoft.Authorization/policyDefinitions/azure-data-factory-ns-3-modify`,"
		"    `parameters`: {`workspaceId`: {`value`: `[parameters('workspaceId')]`}},"
		"    `groupNames`: [`network-security`]},"
		"   {`policyDefinitionReferenceId`: `ns-3-audit`,"
		"    `policyDefinitionId`: `/providers/Microsoft.Authorization/policyDefinitions/azure-data-factory-ns-3-audit`,"
		"    `parameters`: {`effect`: {`value`: `[parameters('ns-3-audit-effect')]`},"
		"     `WorkspaceId`: {`value`: `[parameters('workspaceId')]`}},"
		"    `groupNames`: [`network-security`]}]}}");
	/* A fixed effect comes out in the schema's spelling. */
	const char *modify = generated(&out, "policies/azure-data-factory-ns-3-modify.json");
	assert_non_null(strstr(modify, "\"effect\": \"deny\"\n"));
	output_set_release(&out);
}

static void test_gen_json_enforce_without_params_has_empty_parameters(void **state)
{
	struct fixture *f = *state;
	struct ast_section *sec;
	struct ast_pack *pack = df_pack(f, &sec);
	struct ast_policy *p = add_enforce(f, add_rec(f, sec, "DP-1"), "azure-data-factory-dp-1", "D");
	p->effect_form = AST_EFFECT_LITERAL;
	p->effect = S(f, "auditifnotexists");
	p->condition = field(f, "type", AST_OP_EQUALS, js(f, "x"));
	/* The user's metadata overrides the pack's category in place and adds members. */
	p->metadata = jput(f, jput(f, jobj(f), "category", js(f, "Custom")), "preview", jb(f, true));
	struct output_set out = OUTPUT_SET_INIT;
	gen_json_pack(pack, &out);
	assert_file(&out, "policies/azure-data-factory-dp-1.json",
		    "{`name`: `azure-data-factory-dp-1`,"
		    " `type`: `Microsoft.Authorization/policyDefinitions`,"
		    " `properties`: {`displayName`: `D`, `policyType`: `Custom`, `mode`: `Indexed`,"
		    "  `metadata`: {`version`: `1.0.0`, `category`: `Custom`,"
		    "   `paccSource`: {`pack`: `azure-data-factory`, `section`: `network-security`,"
		    "    `recommendation`: `DP-1`}, `preview`: true},"
		    "  `parameters`: {},"
		    "  `policyRule`: {`if`: {`field`: `type`, `equals`: `x`},"
		    "   `then`: {`effect`: `auditIfNotExists`}}}}");
	output_set_release(&out);
}

static void test_gen_json_top_level_policy_conditions(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = ARENA_NEW(&f->arena, struct ast_pack);
	pack->name = "lib";
	struct ast_policy *p = add_policy(f, pack, "cond-policy");
	p->id = S(f, "/providers/Microsoft.Authorization/policyDefinitions/cond-policy");
	p->display = S(f, "Conditions");
	p->policy_type = S(f, "BuiltIn");
	p->version = S(f, "2.0.0");
	p->versions = jstrings(f, "2.0.0", "1.0.0", NULL);
	struct ast_property *prop = ARENA_NEW(&f->arena, struct ast_property);
	prop->key = S(f, "Extra");
	prop->value = jn(f, 3);
	p->properties = prop;
	p->effect_form = AST_EFFECT_EXPRESSION;
	p->effect = S(f, "[parameters('policyEffect')]");

	struct ast_cond *not_exists = ast_cond_new(&f->arena, AST_COND_NOT, nowhere);
	not_exists->u.negated = field(f, "tags['env']", AST_OP_EXISTS, jb(f, true));
	struct ast_cond *value = ast_cond_new(&f->arena, AST_COND_VALUE, nowhere);
	value->u.leaf.value = js(f, "[parameters('mode')]");
	value->u.leaf.op = AST_OP_IN;
	value->u.leaf.rhs = jstrings(f, "a", "b", NULL);
	struct ast_cond *count_field = ast_cond_new(&f->arena, AST_COND_COUNT, nowhere);
	count_field->u.leaf.count.kind = AST_COUNT_FIELD;
	count_field->u.leaf.count.field = S(f, "Microsoft.Network/nsg/securityRules[*]");
	count_field->u.leaf.count.where =
		field(f, "Microsoft.Network/nsg/securityRules[*].access", AST_OP_EQUALS, js(f, "Allow"));
	count_field->u.leaf.op = AST_OP_GREATER;
	count_field->u.leaf.rhs = jn(f, 0);
	struct ast_cond *count_value = ast_cond_new(&f->arena, AST_COND_COUNT, nowhere);
	count_value->u.leaf.count.kind = AST_COUNT_VALUE;
	count_value->u.leaf.count.value = js(f, "[parameters('names')]");
	count_value->u.leaf.count.name = S(f, "n");
	count_value->u.leaf.op = AST_OP_EQUALS;
	count_value->u.leaf.rhs = jn(f, 0);
	p->condition = logical(f, AST_COND_ANY, not_exists, value, count_field, count_value, NULL);

	struct output_set out = OUTPUT_SET_INIT;
	gen_json_pack(pack, &out);
	assert_int_equal(out.count, 1);
	assert_file(&out, "policies/cond-policy.json",
		    "{`name`: `cond-policy`,"
		    " `id`: `/providers/Microsoft.Authorization/policyDefinitions/cond-policy`,"
		    " `type`: `Microsoft.Authorization/policyDefinitions`,"
		    " `properties`: {`displayName`: `Conditions`, `policyType`: `BuiltIn`,"
		    "  `version`: `2.0.0`, `versions`: [`2.0.0`, `1.0.0`], `Extra`: 3,"
		    "  `policyRule`: {`if`: {`anyOf`: ["
		    "    {`not`: {`field`: `tags['env']`, `exists`: true}},"
		    "    {`value`: `[parameters('mode')]`, `in`: [`a`, `b`]},"
		    "    {`count`: {`field`: `Microsoft.Network/nsg/securityRules[*]`,"
		    "      `where`: {`field`: `Microsoft.Network/nsg/securityRules[*].access`,"
		    "       `equals`: `Allow`}}, `greater`: 0},"
		    "    {`count`: {`value`: `[parameters('names')]`, `name`: `n`}, `equals`: 0}]},"
		    "   `then`: {`effect`: `[parameters('policyEffect')]`}}}}");
	output_set_release(&out);
}

/* A policy whose rule is `type == "x"` and whose then-part is the second %s. */
#define RULE_DOC                                                                        \
	"{`name`: `%s`, `type`: `Microsoft.Authorization/policyDefinitions`,"           \
	" `properties`: {`policyRule`: {"                                               \
	" `if`: {`field`: `type`, `equals`: `x`}, `then`: %s}}}"

static void test_gen_json_details(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = ARENA_NEW(&f->arena, struct ast_pack);
	pack->name = "lib";

	struct ast_policy *m = add_policy(f, pack, "modify");
	m->condition = field(f, "type", AST_OP_EQUALS, js(f, "x"));
	m->effect_form = AST_EFFECT_LITERAL;
	m->effect = S(f, "modify");
	m->details_kind = AST_DETAILS_MODIFY;
	struct ast_modify *mod = ARENA_NEW(&f->arena, struct ast_modify);
	mod->role_ids = jstrings(f, "/providers/Microsoft.Authorization/roleDefinitions/r", NULL);
	mod->conflict_effect = S(f, "audit");
	struct ast_modify_operation *set = ARENA_NEW(&f->arena, struct ast_modify_operation);
	set->op = AST_MODIFY_ADD_OR_REPLACE;
	set->field = S(f, "a/b");
	set->value = js(f, "Disabled");
	set->condition = S(f, "[greaterOrEquals(requestContext().apiVersion, '2018-06-01')]");
	struct ast_modify_operation *rm = ARENA_NEW(&f->arena, struct ast_modify_operation);
	rm->op = AST_MODIFY_REMOVE;
	rm->field = S(f, "tags['temp']");
	set->next = rm;
	mod->operations = set;
	mod->count = 2;
	m->details.modify = mod;

	struct ast_policy *r = add_policy(f, pack, "related");
	r->condition = field(f, "type", AST_OP_EQUALS, js(f, "x"));
	r->effect_form = AST_EFFECT_LITERAL;
	r->effect = S(f, "DeployIfNotExists");
	r->details_kind = AST_DETAILS_RELATED;
	struct ast_related *rel = ARENA_NEW(&f->arena, struct ast_related);
	rel->type = S(f, "Microsoft.Insights/diagnosticSettings");
	rel->name = js(f, "setByPolicy");
	rel->existence_scope = S(f, "subscription");
	rel->evaluation_delay = S(f, "AfterProvisioning");
	rel->existence = field(f, "x/y", AST_OP_EQUALS, js(f, "z"));
	rel->role_ids = jstrings(f, "/r", NULL);
	rel->deployment_scope = S(f, "subscription");
	rel->deployment = jput(f, jobj(f), "properties", jput(f, jobj(f), "mode", js(f, "incremental")));
	rel->extra = jput(f, jobj(f), "custom", jn(f, 1.5));
	r->details.related = rel;

	struct ast_policy *a = add_policy(f, pack, "append");
	a->condition = field(f, "type", AST_OP_EQUALS, js(f, "x"));
	a->effect_form = AST_EFFECT_LITERAL;
	a->effect = S(f, "append");
	a->details_kind = AST_DETAILS_APPEND;
	struct ast_append *e = ARENA_NEW(&f->arena, struct ast_append);
	e->field = S(f, "n/a");
	e->value = js(f, "Deny");
	a->details.append.entries = e;
	a->details.append.count = 1;

	struct ast_policy *j = add_policy(f, pack, "json");
	j->condition = field(f, "type", AST_OP_EQUALS, js(f, "x"));
	j->effect_form = AST_EFFECT_LITERAL;
	j->effect = S(f, "Manual");
	j->details_kind = AST_DETAILS_JSON;
	j->details.json = jput(f, jobj(f), "defaultState", js(f, "Unknown"));

	struct output_set out = OUTPUT_SET_INIT;
	gen_json_pack(pack, &out);
	assert_int_equal(out.count, 4);
	struct sb doc = SB_INIT;
	sb_addf(&doc, RULE_DOC, "modify",
		"{`effect`: `modify`, `details`: {"
		" `roleDefinitionIds`: [`/providers/Microsoft.Authorization/roleDefinitions/r`],"
		" `conflictEffect`: `audit`, `operations`: ["
		"  {`operation`: `addOrReplace`, `field`: `a/b`, `value`: `Disabled`,"
		"   `condition`: `[greaterOrEquals(requestContext().apiVersion, '2018-06-01')]`},"
		"  {`operation`: `remove`, `field`: `tags['temp']`}]}}");
	assert_file(&out, "policies/modify.json", doc.buf);
	sb_reset(&doc);
	sb_addf(&doc, RULE_DOC, "related",
		"{`effect`: `deployIfNotExists`, `details`: {"
		" `type`: `Microsoft.Insights/diagnosticSettings`, `name`: `setByPolicy`,"
		" `existenceScope`: `subscription`, `evaluationDelay`: `AfterProvisioning`,"
		" `existenceCondition`: {`field`: `x/y`, `equals`: `z`},"
		" `roleDefinitionIds`: [`/r`], `deploymentScope`: `subscription`,"
		" `deployment`: {`properties`: {`mode`: `incremental`}}, `custom`: 1.5}}");
	assert_file(&out, "policies/related.json", doc.buf);
	sb_reset(&doc);
	sb_addf(&doc, RULE_DOC, "append",
		"{`effect`: `append`, `details`: [{`field`: `n/a`, `value`: `Deny`}]}");
	assert_file(&out, "policies/append.json", doc.buf);
	sb_reset(&doc);
	sb_addf(&doc, RULE_DOC, "json",
		"{`effect`: `manual`, `details`: {`defaultState`: `Unknown`}}");
	assert_file(&out, "policies/json.json", doc.buf);
	sb_release(&doc);
	output_set_release(&out);
}

static void test_gen_json_params(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = ARENA_NEW(&f->arena, struct ast_pack);
	pack->name = "lib";
	struct ast_policy *p = add_policy(f, pack, "params");
	p->condition = field(f, "type", AST_OP_EQUALS, js(f, "x"));
	p->effect_form = AST_EFFECT_LITERAL;
	p->effect = S(f, "audit");
	struct ast_param *full = add_param(f, p, "workspaceId", "String");
	full->display = S(f, "Workspace");
	full->description = TB(f, "The workspace\nthat receives logs.");
	full->strong_type = S(f, "omsWorkspace");
	full->metadata = jput(f, jobj(f), "assignPermissions", jb(f, true));
	full->allowed = jstrings(f, "a", "b", NULL);
	full->default_value = js(f, "a");
	full->schema = jput(f, jobj(f), "type", js(f, "string"));
	full->extra = jput(f, jobj(f), "nullable", jb(f, false));
	add_param(f, p, "bare", "Integer");
	struct output_set out = OUTPUT_SET_INIT;
	gen_json_pack(pack, &out);
	assert_file(&out, "policies/params.json",
		    "{`name`: `params`, `type`: `Microsoft.Authorization/policyDefinitions`,"
		    " `properties`: {"
		    "  `parameters`: {"
		    "   `workspaceId`: {`type`: `String`, `metadata`: {`displayName`: `Workspace`,"
		    "     `description`: `The workspace that receives logs.`,"
		    "     `strongType`: `omsWorkspace`, `assignPermissions`: true},"
		    "    `allowedValues`: [`a`, `b`], `defaultValue`: `a`,"
		    "    `schema`: {`type`: `string`}, `nullable`: false},"
		    "   `bare`: {`type`: `Integer`}},"
		    "  `policyRule`: {`if`: {`field`: `type`, `equals`: `x`},"
		    "   `then`: {`effect`: `audit`}}}}");
	output_set_release(&out);
}

static void test_gen_json_declared_initiative(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = ARENA_NEW(&f->arena, struct ast_pack);
	pack->name = "lib";
	struct ast_policy *local = add_policy(f, pack, "local");
	local->condition = field(f, "type", AST_OP_EQUALS, js(f, "x"));
	local->effect_form = AST_EFFECT_LITERAL;
	local->effect = S(f, "audit");
	struct ast_policy *with_id = add_policy(f, pack, "imported");
	with_id->id = S(f, "/providers/Microsoft.Authorization/policyDefinitions/0a2e");
	with_id->condition = local->condition;
	with_id->effect_form = AST_EFFECT_LITERAL;
	with_id->effect = S(f, "audit");

	struct ast_initiative *ini = ARENA_NEW(&f->arena, struct ast_initiative);
	ini->name = S(f, "my-initiative");
	ini->display = S(f, "Baseline");
	ini->metadata = jput(f, jobj(f), "category", js(f, "Data Factory"));
	struct ast_param *pa = ARENA_NEW(&f->arena, struct ast_param);
	pa->name = S(f, "effect");
	pa->type = S(f, "String");
	pa->allowed = jstrings(f, "Audit", "Disabled", NULL);
	pa->default_value = js(f, "Audit");
	ini->params = pa;
	struct ast_group *g = ARENA_NEW(&f->arena, struct ast_group);
	g->name = S(f, "network");
	g->display = S(f, "Network security");
	g->category = S(f, "Network");
	ini->groups = g;

	struct ast_reference *r1 = ARENA_NEW(&f->arena, struct ast_reference);
	r1->ref_id = S(f, "Local");
	r1->target = S(f, "local");
	r1->resolved = local;
	r1->definition_version = S(f, "1.*.*");
	r1->groups = jstrings(f, "network", NULL);
	struct ast_ref_param *rp = ARENA_NEW(&f->arena, struct ast_ref_param);
	rp->name = S(f, "effect");
	rp->value = js(f, "[parameters('effect')]");
	r1->params = rp;
	struct ast_reference *r2 = ARENA_NEW(&f->arena, struct ast_reference);
	r2->ref_id = S(f, "Imported");
	r2->target = S(f, "imported");
	r2->resolved = with_id;
	r2->params_present = true;
	r2->extra = jput(f, jobj(f), "note", js(f, "kept"));
	struct ast_reference *r3 = ARENA_NEW(&f->arena, struct ast_reference);
	r3->ref_id = S(f, "Builtin");
	r3->target = S(f, "/providers/Microsoft.Authorization/policyDefinitions/abc");
	r1->next = r2;
	r2->next = r3;
	ini->references = r1;
	pack->initiatives = ini;

	struct output_set out = OUTPUT_SET_INIT;
	gen_json_pack(pack, &out);
	assert_int_equal(out.count, 3);
	assert_string_equal(out.files[2].path, "initiatives/my-initiative.json");
	assert_file(&out, "initiatives/my-initiative.json",
		    "{`name`: `my-initiative`, `type`: `Microsoft.Authorization/policySetDefinitions`,"
		    " `properties`: {`displayName`: `Baseline`,"
		    "  `metadata`: {`category`: `Data Factory`},"
		    "  `parameters`: {`effect`: {`type`: `String`,"
		    "   `allowedValues`: [`Audit`, `Disabled`], `defaultValue`: `Audit`}},"
		    "  `policyDefinitionGroups`: [{`name`: `network`,"
		    "   `displayName`: `Network security`, `category`: `Network`}],"
		    "  `policyDefinitions`: ["
		    "   {`policyDefinitionReferenceId`: `Local`,"
		    "    `policyDefinitionId`: `/providers/Microsoft.Authorization/policyDefinitions/local`,"
		    "    `definitionVersion`: `1.*.*`,"
		    "    `parameters`: {`effect`: {`value`: `[parameters('effect')]`}},"
		    "    `groupNames`: [`network`]},"
		    "   {`policyDefinitionReferenceId`: `Imported`,"
		    "    `policyDefinitionId`: `/providers/Microsoft.Authorization/policyDefinitions/0a2e`,"
		    "    `parameters`: {}, `note`: `kept`},"
		    "   {`policyDefinitionReferenceId`: `Builtin`,"
		    "    `policyDefinitionId`: `/providers/Microsoft.Authorization/policyDefinitions/abc`}]}}");
	output_set_release(&out);
}

/* An effect parameter's display name stays within Azure's 128 characters. */
static void test_gen_json_effect_display_truncated(void **state)
{
	struct fixture *f = *state;
	struct ast_section *sec;
	struct ast_pack *pack = df_pack(f, &sec);
	char display[200];
	memset(display, 0, sizeof(display));
	for (size_t i = 0; i < 30; i++)
		memcpy(display + 6 * i, "w\xc3\xa9rd ", 6); /* "wérd " is 5 characters, 6 bytes */
	struct ast_policy *p = add_enforce(f, add_rec(f, sec, "X-1"), "azure-data-factory-x-1", display);
	effect_sugar(f, p, jstrings(f, "Audit", "Disabled", NULL), "Audit");
	p->condition = field(f, "type", AST_OP_EQUALS, js(f, "x"));
	struct output_set out = OUTPUT_SET_INIT;
	gen_json_pack(pack, &out);
	cJSON *doc = cJSON_Parse(generated(&out, "initiative.json"));
	assert_non_null(doc);
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(
					cJSON_GetObjectItemCaseSensitive(doc, "properties"), "parameters"),
				"x-1-effect"),
			"metadata"),
		"displayName");
	assert_true(cJSON_IsString(name));
	const char *s = name->valuestring;
	size_t chars = 0;
	for (const char *c = s; *c; c++)
		if (((unsigned char)*c & 0xC0) != 0x80)
			chars++;
	assert_true(chars <= 128);
	assert_true(chars > 100);
	/* Cut after a whole word, then the ellipsis. */
	size_t n = strlen(s);
	assert_string_equal(s + n - 9, " w\xc3\xa9rd...");
	assert_memory_equal(s, "Effect for w\xc3\xa9rd", 16);
	cJSON_Delete(doc);
	output_set_release(&out);
}

/* Fixed effects the rule schema does not list keep Azure's casing; unknown ones stay. */
static void test_gen_json_effect_spelling(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = ARENA_NEW(&f->arena, struct ast_pack);
	pack->name = "lib";
	static const char *const written[] = { "AUDITIFNOTEXISTS", "denyaction", "Whatever" };
	static const char *const want[] = { "\"auditIfNotExists\"", "\"DenyAction\"", "\"Whatever\"" };
	char name[16];
	for (size_t i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "p%zu", i);
		struct ast_policy *p = add_policy(f, pack, name);
		p->condition = field(f, "type", AST_OP_EQUALS, js(f, "x"));
		p->effect_form = AST_EFFECT_LITERAL;
		p->effect = S(f, written[i]);
	}
	struct output_set out = OUTPUT_SET_INIT;
	gen_json_pack(pack, &out);
	assert_int_equal(out.count, 3);
	for (size_t i = 0; i < 3; i++) {
		const char *text = out.files[i].data.buf;
		const char *effect = strstr(text, "\"effect\": ");
		assert_non_null(effect);
		assert_memory_equal(effect + 10, want[i], strlen(want[i]));
	}
	output_set_release(&out);
}

/* Many policies: one effect parameter each, one shared parameter for all. */
static void test_gen_json_initiative_parameters_scale(void **state)
{
	struct fixture *f = *state;
	struct ast_section *sec;
	struct ast_pack *pack = df_pack(f, &sec);
	sec->texts = NULL;
	struct ast_recommendation *rec = add_rec(f, sec, "NS-9");
	for (int i = 0; i < 100; i++) {
		char *name = arena_printf(&f->arena, "azure-data-factory-ns-9-p%d", i);
		struct ast_policy *p = add_enforce(f, rec, name, "P");
		add_param(f, p, i % 2 ? "shared" : "SHARED", "String");
		effect_sugar(f, p, jstrings(f, "Audit", "Disabled", NULL), "Audit");
		p->condition = field(f, "type", AST_OP_EQUALS, js(f, "x"));
	}
	struct output_set out = OUTPUT_SET_INIT;
	gen_json_pack(pack, &out);
	assert_int_equal(out.count, 101);
	cJSON *doc = cJSON_Parse(generated(&out, "initiative.json"));
	assert_non_null(doc);
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(doc, "properties");
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(props, "parameters");
	assert_int_equal(cJSON_GetArraySize(params), 101);
	assert_non_null(cJSON_GetObjectItemCaseSensitive(params, "SHARED"));
	assert_null(cJSON_GetObjectItemCaseSensitive(params, "shared"));
	assert_non_null(cJSON_GetObjectItemCaseSensitive(params, "ns-9-p99-effect"));
	const cJSON *groups = cJSON_GetObjectItemCaseSensitive(props, "policyDefinitionGroups");
	assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(groups, 0), "description"));
	const cJSON *defs = cJSON_GetObjectItemCaseSensitive(props, "policyDefinitions");
	assert_int_equal(cJSON_GetArraySize(defs), 100);
	const cJSON *last = cJSON_GetArrayItem(defs, 99);
	const cJSON *passed = cJSON_GetObjectItemCaseSensitive(last, "parameters");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(
				    cJSON_GetObjectItemCaseSensitive(passed, "shared"), "value")
				    ->valuestring,
			    "[parameters('SHARED')]");
	cJSON_Delete(doc);
	output_set_release(&out);
}

/* Writes every file of out under dir, making its subdirectories. */
static void write_tree(const struct output_set *out, const char *dir)
{
	for (size_t i = 0; i < out->count; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, out->files[i].path);
		char *slash = strrchr(path, '/');
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
		FILE *fp = fopen(path, "wb");
		assert_non_null(fp);
		assert_int_equal(fwrite(out->files[i].data.buf, 1, out->files[i].data.len, fp),
				 out->files[i].data.len);
		assert_int_equal(fclose(fp), 0);
	}
}

/*
 * The generated files pass the ARM schemas of ../shared/tools/validate-policy
 * (or $PACC_VALIDATOR).  Skipped, saying why, when the validator is absent or
 * cannot run (it needs node and npm).
 */
static void test_gen_json_schema_valid(void **state)
{
	struct fixture *f = *state;
	const char *validator = getenv("PACC_VALIDATOR");
	if (!validator)
		validator = "../shared/tools/validate-policy";
	if (access(validator, X_OK) != 0) {
		print_message("skipped: no schema validator at %s\n", validator);
		skip();
	}

	struct ast_section *sec;
	struct ast_pack *pack = df_pack(f, &sec);
	ns2(f, sec);
	struct ast_policy *m = add_enforce(f, add_rec(f, sec, "NS-3"), "azure-data-factory-ns-3",
					   "Configure public network access");
	effect_sugar(f, m, jstrings(f, "Modify", "Disabled", NULL), "Modify");
	m->condition = field(f, "type", AST_OP_EQUALS, js(f, "Microsoft.DataFactory/factories"));
	m->details_kind = AST_DETAILS_MODIFY;
	struct ast_modify *mod = ARENA_NEW(&f->arena, struct ast_modify);
	mod->role_ids = jstrings(f, "/providers/Microsoft.Authorization/roleDefinitions/r", NULL);
	mod->conflict_effect = S(f, "audit");
	mod->operations = ARENA_NEW(&f->arena, struct ast_modify_operation);
	mod->operations->field = S(f, "Microsoft.DataFactory/factories/publicNetworkAccess");
	mod->operations->value = js(f, "Disabled");
	mod->count = 1;
	m->details.modify = mod;
	struct ast_policy *top = add_policy(f, pack, "top");
	top->display = S(f, "Top");
	top->mode = S(f, "All");
	top->effect_form = AST_EFFECT_LITERAL;
	top->effect = S(f, "deny");
	top->condition = logical(f, AST_COND_ANY, field(f, "location", AST_OP_NOT_IN,
							 jstrings(f, "westeurope", NULL)),
				 field(f, "tags['env']", AST_OP_EXISTS, jb(f, false)), NULL);
	struct ast_initiative *ini = ARENA_NEW(&f->arena, struct ast_initiative);
	ini->name = S(f, "set");
	ini->display = S(f, "Set");
	ini->references = ARENA_NEW(&f->arena, struct ast_reference);
	ini->references->ref_id = S(f, "Top");
	ini->references->target = S(f, "top");
	ini->references->resolved = top;
	pack->initiatives = ini;

	struct output_set out = OUTPUT_SET_INIT;
	gen_json_pack(pack, &out);
	char dir[] = "/tmp/pacc-test-gen-json-XXXXXX";
	assert_non_null(mkdtemp(dir));
	write_tree(&out, dir);
	output_set_release(&out);
	char cmd[8192];
	snprintf(cmd, sizeof(cmd), "'%s' '%s'", validator, dir);
	int status = system(cmd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
		print_message("skipped: %s could not run (node/npm missing?)\n", validator);
		skip();
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Parses and checks text as pack "pk", asserting it has no errors. */
static struct ast_pack *checked_pack(struct fixture *f, const char *text)
{
	fixture_source(f, text);
	struct ast_pack *pack = parse_pack(f->src, "pk", &f->arena, &f->diag);
	bool ok = !diag_has_errors(&f->diag) && check_pack(pack, &f->diag);
	if (!ok) {
		diag_render(&f->diag, stderr, DIAG_FORMAT_TEXT, false);
		fail_msg("the pack has errors");
	}
	return pack;
}

/* From source text through parser and checker to the files. */
static void test_gen_json_from_source(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = checked_pack(f,
		"service \"Svc\" {\n"
		"  ms.service \"svc\"\n  author \"a\"\n  ms.author \"a\"\n"
		"  ms.date \"2026-01-02\"\n  category \"Cat\"\n  version \"2.0.0\"\n"
		"  governs \"Microsoft.Svc/things\" at \"2024-01-01\"\n"
		"  intro \"\"\"\n    Svc does things.\n  \"\"\"\n"
		"}\n"
		"section net \"Network\" {\n"
		"  \"\"\"\n    Keep it\n    private.\n\n    Second.\n  \"\"\"\n"
		"  recommendation NS-1 \"Disable public access\" {\n"
		"    \"\"\"\n    Because.\n    \"\"\"\n"
		"    enforce {\n"
		"      display \"Things should disable public access\"\n"
		"      description \"\"\"\n        Audits things\n        that are public.\n      \"\"\"\n"
		"      mode Indexed\n"
		"      effect audit|deny|disabled = audit\n"
		"      if {\n"
		"        type == \"Microsoft.Svc/things\"\n"
		"        field \"Microsoft.Svc/things/publicNetworkAccess\" != \"Disabled\"\n"
		"      }\n"
		"    }\n"
		"  }\n"
		"}\n");
	struct output_set out = OUTPUT_SET_INIT;
	gen_json_pack(pack, &out);
	assert_int_equal(out.count, 2);
	assert_file(&out, "policies/pk-ns-1.json",
		    "{`name`: `pk-ns-1`, `type`: `Microsoft.Authorization/policyDefinitions`,"
		    " `properties`: {`displayName`: `Things should disable public access`,"
		    "  `policyType`: `Custom`, `mode`: `Indexed`,"
		    "  `description`: `Audits things that are public.`,"
		    "  `metadata`: {`version`: `2.0.0`, `category`: `Cat`,"
		    "   `paccSource`: {`pack`: `pk`, `section`: `net`, `recommendation`: `NS-1`}},"
		    "  `parameters`: {`effect`: {`type`: `String`, `metadata`: {"
		    "    `displayName`: `Effect`,"
		    "    `description`: `Enable or disable the execution of the policy`},"
		    "   `allowedValues`: [`Audit`, `Deny`, `Disabled`], `defaultValue`: `Audit`}},"
		    "  `policyRule`: {`if`: {`allOf`: ["
		    "    {`field`: `type`, `equals`: `Microsoft.Svc/things`},"
		    "    {`field`: `Microsoft.Svc/things/publicNetworkAccess`, `notEquals`: `Disabled`}]},"
		    "   `then`: {`effect`: `[parameters('effect')]`}}}}");
	cJSON *ini = cJSON_Parse(generated(&out, "initiative.json"));
	assert_non_null(ini);
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(ini, "properties");
	const cJSON *group = cJSON_GetArrayItem(
		cJSON_GetObjectItemCaseSensitive(props, "policyDefinitionGroups"), 0);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(group, "description")->valuestring,
			    "Keep it private.");
	const cJSON *ref = cJSON_GetArrayItem(
		cJSON_GetObjectItemCaseSensitive(props, "policyDefinitions"), 0);
	assert_string_equal(
		cJSON_GetObjectItemCaseSensitive(ref, "policyDefinitionReferenceId")->valuestring,
		"ns-1");
	cJSON_Delete(ini);
	output_set_release(&out);
}

/* The same pack generates the same bytes twice. */
static void test_gen_json_deterministic(void **state)
{
	struct fixture *f = *state;
	struct ast_section *sec;
	struct ast_pack *pack = df_pack(f, &sec);
	ns2(f, sec);
	struct output_set a = OUTPUT_SET_INIT, b = OUTPUT_SET_INIT;
	gen_json_pack(pack, &a);
	gen_json_pack(pack, &b);
	assert_int_equal(a.count, b.count);
	for (size_t i = 0; i < a.count; i++) {
		assert_string_equal(a.files[i].path, b.files[i].path);
		assert_string_equal(a.files[i].data.buf, b.files[i].data.buf);
		assert_int_equal(a.files[i].data.buf[a.files[i].data.len - 1], '\n');
	}
	output_set_release(&a);
	output_set_release(&b);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_gen_json_enforce_policy),
		T(test_gen_json_pack_initiative),
		T(test_gen_json_enforce_without_params_has_empty_parameters),
		T(test_gen_json_top_level_policy_conditions),
		T(test_gen_json_details),
		T(test_gen_json_params),
		T(test_gen_json_declared_initiative),
		T(test_gen_json_effect_display_truncated),
		T(test_gen_json_effect_spelling),
		T(test_gen_json_initiative_parameters_scale),
		T(test_gen_json_schema_valid),
		T(test_gen_json_from_source),
		T(test_gen_json_deterministic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
