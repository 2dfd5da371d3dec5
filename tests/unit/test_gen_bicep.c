/*
 * Unit tests for gen_bicep: the guardrails deployment from hand-built packs.
 *
 * With PACC_BICEP_DUMP=<dir> set, every generated file is also written under
 * <dir>/<pack>/ so ../shared/tools/check-bicep can be run on it.
 */
#include "testutil.h"

#include "pacc/check.h"
#include "pacc/gen_bicep.h"
#include "pacc/gen_json.h"
#include "pacc/parse.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static const struct src_span none;

static struct ast_str *str(struct fixture *f, const char *s)
{
	return ast_str_new(&f->arena, s, strlen(s), none);
}

static struct ast_str *block(struct fixture *f, const char *s)
{
	struct ast_str *t = str(f, s);
	t->is_text_block = true;
	return t;
}

static struct ast_json *jstr(struct fixture *f, const char *s)
{
	struct ast_json *j = ast_json_new(&f->arena, AST_JSON_STRING, none);
	j->u.string = str(f, s);
	return j;
}

/* An array of the strings in the NULL-terminated list. */
static struct ast_json *jarr(struct fixture *f, const char *const *items)
{
	struct ast_json *j = ast_json_new(&f->arena, AST_JSON_ARRAY, none);
	struct ast_json_item **tail = &j->u.array.items;
	for (; *items; items++) {
		struct ast_json_item *it = ARENA_NEW(&f->arena, struct ast_json_item);
		it->value = jstr(f, *items);
		*tail = it;
		tail = &it->next;
		j->u.array.count++;
	}
	return j;
}

static struct ast_param *param(struct fixture *f, const char *name, const char *type)
{
	struct ast_param *p = ARENA_NEW(&f->arena, struct ast_param);
	p->name = str(f, name);
	p->type = str(f, type);
	return p;
}

/* An enforce policy with an effect parameter allowing `allowed`, default first. */
static struct ast_policy *policy(struct fixture *f, const char *name, const char *display,
				 const char *const *allowed)
{
	struct ast_policy *p = ARENA_NEW(&f->arena, struct ast_policy);
	p->resolved_name = name;
	p->display = str(f, display);
	p->mode = str(f, "Indexed");
	p->effect_form = AST_EFFECT_PARAM;
	struct ast_param *e = param(f, "effect", "String");
	e->allowed = jarr(f, allowed);
	e->default_value = jstr(f, allowed[0]);
	e->from_effect_sugar = true;
	p->effect_param = e;
	p->params = e;
	p->param_count = 1;
	return p;
}

static void append_param(struct ast_policy *p, struct ast_param *pa)
{
	struct ast_param **tail = &p->params;
	while (*tail)
		tail = &(*tail)->next;
	*tail = pa;
	p->param_count++;
}

static struct ast_recommendation *rec(struct fixture *f, struct ast_section *sec, const char *id,
				      struct ast_policy *policies)
{
	struct ast_recommendation *r = ARENA_NEW(&f->arena, struct ast_recommendation);
	r->id = str(f, id);
	r->title = str(f, id);
	r->policies = policies;
	r->section = sec;
	for (struct ast_policy *p = policies; p; p = p->next) {
		p->owner = r;
		r->policy_count++;
	}
	struct ast_recommendation **tail = &sec->recommendations;
	while (*tail)
		tail = &(*tail)->next;
	*tail = r;
	sec->recommendation_count++;
	return r;
}

static struct ast_section *section(struct fixture *f, struct ast_pack *pack, const char *id)
{
	struct ast_section *s = ARENA_NEW(&f->arena, struct ast_section);
	s->id = str(f, id);
	s->title = str(f, id);
	struct ast_section **tail = &pack->sections;
	while (*tail)
		tail = &(*tail)->next;
	*tail = s;
	pack->section_count++;
	return s;
}

static struct ast_pack *pack_new(struct fixture *f, const char *name, const char *service)
{
	struct ast_pack *pack = ARENA_NEW(&f->arena, struct ast_pack);
	pack->arena = &f->arena;
	pack->name = name;
	if (service) {
		pack->service = ARENA_NEW(&f->arena, struct ast_service);
		pack->service->name = str(f, service);
		pack->service->version = str(f, "1.0.0");
		pack->service->category = str(f, "Data Factory");
	}
	return pack;
}

static const char *const audit_deny[] = { "Audit", "Deny", "Disabled", NULL };
static const char *const modify_only[] = { "Modify", "Disabled", NULL };
static const char *const dine_only[] = { "DeployIfNotExists", "AuditIfNotExists", "Disabled", NULL };
static const char *const df_contributor[] = {
	"/providers/Microsoft.Authorization/roleDefinitions/673868aa-7521-48a0-acc6-0f60742d39f5", NULL
};
static const char *const dine_roles[] = {
	"/providers/Microsoft.Authorization/roleDefinitions/92aaf0da-9dab-42b6-94a3-d43ce8d16293",
	"/providers/microsoft.authorization/roleDefinitions/673868AA-7521-48A0-ACC6-0F60742D39F5",
	"[parameters('role')]", NULL
};

/* A Data Factory-like pack: deny, modify, deploy-if-not-exists, hostile text. */
static struct ast_pack *sample_pack(struct fixture *f)
{
	struct ast_pack *pack = pack_new(f, "azure-data-factory", "Azure Data Factory\n// ${x} '''");
	struct ast_section *net = section(f, pack, "network-security");

	struct ast_policy *ns2 = policy(f, "azure-data-factory-ns-2",
					"Azure Data Factory should disable public network access", audit_deny);
	ns2->description = str(f, "Audits factories.");
	ns2->message = str(f, "Don't allow ${public} access\n'''\\ \x01 caf\xc3\xa9");
	rec(f, net, "NS-2", ns2);

	struct ast_policy *mod = policy(f, "azure-data-factory-ns-2-modify",
					"Configure factories to disable public network access", modify_only);
	mod->details_kind = AST_DETAILS_MODIFY;
	mod->details.modify = ARENA_NEW(&f->arena, struct ast_modify);
	mod->details.modify->role_ids = jarr(f, df_contributor);
	rec(f, net, "NS-2M", mod);

	struct ast_section *log = section(f, pack, "logging");
	struct ast_policy *lt = policy(f, "azure-data-factory-lt-1", "Deploy diagnostic settings", dine_only);
	lt->details_kind = AST_DETAILS_RELATED;
	lt->details.related = ARENA_NEW(&f->arena, struct ast_related);
	lt->details.related->type = str(f, "Microsoft.Insights/diagnosticSettings");
	lt->details.related->role_ids = jarr(f, dine_roles);
	lt->details.related->deployment = ast_json_new(&f->arena, AST_JSON_OBJECT, none);
	lt->message = block(f, "  Send the factory's logs\n\n  to a workspace.\n");
	struct ast_param *ws = param(f, "workspaceId", "String");
	ws->description = block(f, "The Log Analytics workspace\n that receives logs.");
	append_param(lt, ws);
	struct ast_param *loc = param(f, "location", "String");
	loc->default_value = jstr(f, "westeurope");
	append_param(lt, loc);
	struct ast_param *ratio = param(f, "ratio", "Float");
	ratio->default_value = ast_json_new(&f->arena, AST_JSON_NUMBER, none);
	ratio->default_value->u.number.text = "0.5";
	append_param(lt, ratio);
	rec(f, log, "LT-1", lt);

	/* a second policy sharing workspaceId (other case): surfaced once */
	struct ast_policy *lt2 = policy(f, "azure-data-factory-lt-2", "Audit diagnostic settings", audit_deny);
	append_param(lt2, param(f, "WorkspaceID", "String"));
	rec(f, log, "LT-2", lt2);
	return pack;
}

static void dump(const struct ast_pack *pack, const struct output_set *out)
{
	const char *dir = getenv("PACC_BICEP_DUMP");
	if (!dir || !*dir)
		return;
	for (size_t i = 0; i < out->count; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, pack->name);
		mkdir(path, 0777);
		snprintf(path, sizeof(path), "%s/%s/bicep", dir, pack->name);
		mkdir(path, 0777);
		snprintf(path, sizeof(path), "%s/%s/policies", dir, pack->name);
		mkdir(path, 0777);
		snprintf(path, sizeof(path), "%s/%s/%s", dir, pack->name, out->files[i].path);
		FILE *fp = fopen(path, "wb");
		assert_non_null(fp);
		fwrite(out->files[i].data.buf, 1, out->files[i].data.len, fp);
		fclose(fp);
	}
}

static void test_gen_bicep_assignment_name(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	gen_bicep_assignment_name(&sb, "azure-data-factory");
	assert_string_equal(sb.buf, "azure-data-factory");
	sb_reset(&sb);
	gen_bicep_assignment_name(&sb, "Azure_Key.Vault");
	assert_string_equal(sb.buf, "azure-key-vault");
	sb_reset(&sb);
	gen_bicep_assignment_name(&sb, "");
	assert_string_equal(sb.buf, "pacc");
	sb_reset(&sb);
	gen_bicep_assignment_name(&sb, "azure-kubernetes-service-hardening");
	assert_int_equal(sb.len, 24);
	assert_memory_equal(sb.buf, "azure-kubernete-", 16);
	struct sb other = SB_INIT;
	gen_bicep_assignment_name(&other, "azure-kubernetes-service-baseline");
	assert_int_equal(other.len, 24);
	assert_string_not_equal(sb.buf, other.buf);
	/* a cut that ends in '-' loses it before the hash */
	sb_reset(&sb);
	gen_bicep_assignment_name(&sb, "abcdefghijklmn-pqrstuvwxyz");
	assert_int_equal(sb.len, 23);
	assert_memory_equal(sb.buf, "abcdefghijklmn-", 15);
	sb_release(&other);
	sb_release(&sb);
}

static void test_gen_bicep_library_gets_nothing(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = pack_new(f, "library", NULL);
	struct output_set out = OUTPUT_SET_INIT;
	gen_bicep_pack(pack, &out);
	assert_int_equal(out.count, 0);
	output_set_release(&out);
}

static void test_gen_bicep_guardrails_structure(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = sample_pack(f);
	struct output_set out = OUTPUT_SET_INIT;
	gen_bicep_pack(pack, &out);
	dump(pack, &out);
	const char *mg = find_output(&out, "bicep/guardrails.bicep");
	const char *sub = find_output(&out, "bicep/guardrails.sub.bicep");

	assert_non_null(strstr(mg, "\ntargetScope = 'managementGroup'\n"));
	assert_non_null(strstr(sub, "\ntargetScope = 'subscription'\n"));
	assert_int_equal(count_substr(mg, "'Microsoft.Authorization/policyDefinitions@2021-06-01'"), 4);
	assert_int_equal(count_substr(mg, "'Microsoft.Authorization/policySetDefinitions@2021-06-01'"), 1);
	assert_int_equal(count_substr(mg, "'Microsoft.Authorization/policyAssignments@2022-06-01'"), 1);
	assert_non_null(strstr(mg, "var ns2Policy = loadJsonContent('../policies/azure-data-factory-ns-2.json')\n"));
	assert_non_null(strstr(mg, "        policyDefinitionId: ns2Definition.id\n"));
	assert_non_null(strstr(mg, "var assignmentName = 'azure-data-factory'\n"));

	/* effect parameters, passed by the initiative and set by the assignment */
	assert_non_null(strstr(mg, "param ns2Effect string = 'Audit'\n"));
	assert_non_null(strstr(mg, "value: '[parameters(\\'ns-2-effect\\')]'\n"));
	assert_non_null(strstr(mg, "      'ns-2-effect': {\n        value: ns2Effect\n      }\n"));
	/* shared parameters: surfaced once; `location` is taken by the identity's region */
	assert_int_equal(count_substr(mg, "param workspaceId string\n"), 1);
	assert_null(strstr(mg, "param workspaceId2"));
	assert_non_null(strstr(mg, "param location2 string = 'westeurope'\n"));
	assert_non_null(strstr(mg, "param ratio string = '0.5'\n"));
	assert_non_null(strstr(mg, "value: json(ratio)\n"));
	assert_non_null(strstr(mg, "@description('The Log Analytics workspace that receives logs.')\n"));

	/* identity, roles deduplicated ignoring case, expressions skipped */
	assert_non_null(strstr(mg, "  identity: {\n    type: 'SystemAssigned'\n  }\n"));
	assert_non_null(strstr(mg, "param location string = deployment().location\n"));
	assert_int_equal(count_substr(mg, "'Microsoft.Authorization/roleAssignments@2022-04-01'"), 2);
	assert_non_null(strstr(mg, "name: guid(managementGroup().id, assignmentName, "
				   "'673868aa-7521-48a0-acc6-0f60742d39f5')\n"));
	assert_non_null(strstr(mg, "tenantResourceId('Microsoft.Authorization/roleDefinitions', "
				   "'92aaf0da-9dab-42b6-94a3-d43ce8d16293')"));
	assert_non_null(strstr(sub, "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', "
				    "'92aaf0da-9dab-42b6-94a3-d43ce8d16293')"));
	assert_int_equal(count_substr(mg, "principalType: 'ServicePrincipal'"), 2);

	/* non-compliance messages, escaped; text blocks as prose */
	assert_non_null(strstr(mg, "message: 'Don\\'t allow \\${public} access\\n\\'\\'\\'\\\\ \\u{1} caf\xc3\xa9'\n"));
	assert_non_null(strstr(mg, "message: 'Send the factory\\'s logs to a workspace.'\n"));
	assert_int_equal(count_substr(mg, "policyDefinitionReferenceId: 'lt-2'"), 1);
	/* the service name cannot break out of its comment */
	assert_non_null(strstr(mg, "// Guardrails for Azure Data Factory // ${x} ''', from"));
	assert_null(strstr(mg, "'''\n"));

	/* the parameters file: defaults only, under the Bicep names */
	const char *params = find_output(&out, "bicep/guardrails.parameters.json");
	assert_non_null(strstr(params, "deploymentParameters.json#"));
	assert_non_null(strstr(params, "\"ns2Effect\""));
	assert_non_null(strstr(params, "\"location2\""));
	assert_null(strstr(params, "workspaceId"));
	assert_null(strstr(params, "\"location\""));
	output_set_release(&out);
}

static void test_gen_bicep_no_remediation_no_identity(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = pack_new(f, "azure-key-vault", "Azure Key Vault");
	struct ast_section *sec = section(f, pack, "data-protection");
	struct ast_policy *p = policy(f, "azure-key-vault-dp-1", "Key vaults should use RBAC", audit_deny);
	p->effect_form = AST_EFFECT_LITERAL;
	p->effect = str(f, "Deny");
	p->effect_param = NULL;
	p->params = NULL;
	rec(f, sec, "DP-1", p);
	struct output_set out = OUTPUT_SET_INIT;
	gen_bicep_pack(pack, &out);
	dump(pack, &out);
	const char *mg = find_output(&out, "bicep/guardrails.bicep");
	assert_null(strstr(mg, "identity"));
	assert_null(strstr(mg, "param location"));
	assert_null(strstr(mg, "roleAssignments"));
	assert_null(strstr(mg, "nonComplianceMessages"));
	assert_non_null(strstr(mg, "    parameters: {}\n"));
	assert_non_null(strstr(mg, "        parameters: {}\n"));
	output_set_release(&out);
}

static void test_gen_bicep_deterministic(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = sample_pack(f);
	struct output_set a = OUTPUT_SET_INIT, b = OUTPUT_SET_INIT;
	gen_bicep_pack(pack, &a);
	gen_bicep_pack(pack, &b);
	assert_int_equal(a.count, b.count);
	for (size_t i = 0; i < a.count; i++) {
		assert_string_equal(a.files[i].path, b.files[i].path);
		assert_int_equal(a.files[i].data.len, b.files[i].data.len);
		assert_memory_equal(a.files[i].data.buf, b.files[i].data.buf, a.files[i].data.len);
	}
	output_set_release(&a);
	output_set_release(&b);
}

/* A pack through the real front end, checker and JSON generator. */
static const char consistency_pack[] =
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
	"    \"\"\"Text.\"\"\"\n"
	"    enforce {\n"
	"      display \"Factories should disable public network access\"\n"
	"      description \"Audits factories.\"\n"
	"      mode Indexed\n"
	"      effect audit|deny|disabled = audit\n"
	"      message \"Disable it.\"\n"
	"      if {\n"
	"        type == \"Microsoft.DataFactory/factories\"\n"
	"        field \"Microsoft.DataFactory/factories/publicNetworkAccess\" != \"Disabled\"\n"
	"      }\n"
	"    }\n"
	"    enforce fixed {\n"
	"      display \"Factories should not be in a bad place\"\n"
	"      param tagName String = \"env\"\n"
	"      effect deny\n"
	"      if { field \"[concat('tags[', parameters('tagName'), ']')]\" exists false }\n"
	"    }\n"
	"  }\n"
	"}\n";

/* The object at a dotted path in j, or NULL. */
static const cJSON *at_path(const cJSON *j, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *part = strtok(buf, "."); part && j; part = strtok(NULL, "."))
		j = cJSON_GetObjectItemCaseSensitive(j, part);
	return j;
}

static void test_gen_bicep_matches_generated_json(void **state)
{
	struct fixture *f = *state;
	const struct source *src = fixture_source(f, consistency_pack);
	struct ast_pack *pack = parse_pack(src, "azure-data-factory", &f->arena, &f->diag);
	assert_true(check_pack(pack, &f->diag));
	struct output_set out = OUTPUT_SET_INIT;
	gen_json_pack(pack, &out);
	gen_bicep_pack(pack, &out);
	dump(pack, &out);
	const char *mg = find_output(&out, "bicep/guardrails.bicep");

	/* every `<var>.properties.<key>` the template reads exists in the file it loads */
	size_t checked = 0;
	for (const char *line = mg; *line; line = strchr(line, '\n') + 1) {
		char var[128], path[512];
		if (sscanf(line, "var %127s = loadJsonContent('../%511[^']')", var, path) == 2) {
			const struct output_file *json = output_find(&out, path);
			assert_non_null(json);
			cJSON *doc = cJSON_Parse(json->data.buf);
			assert_non_null(doc);
			char needle[160];
			snprintf(needle, sizeof(needle), ": %s.properties.", var);
			for (const char *use = strstr(mg, needle); use; use = strstr(use + 1, needle)) {
				char key[128];
				assert_int_equal(sscanf(use + strlen(needle), "%127[A-Za-z]", key), 1);
				char full[160];
				snprintf(full, sizeof(full), "properties.%s", key);
				assert_non_null(at_path(doc, full));
				checked++;
			}
			cJSON_Delete(doc);
		}
		if (!strchr(line, '\n'))
			break;
	}
	assert_true(checked >= 12);

	/* the assignment sets only parameters the initiative declares */
	cJSON *ini = cJSON_Parse(find_output(&out, "initiative.json"));
	const cJSON *params = at_path(ini, "properties.parameters");
	assert_non_null(params);
	assert_non_null(cJSON_GetObjectItemCaseSensitive(params, "ns-2-effect"));
	assert_non_null(strstr(mg, "      'ns-2-effect': {\n"));
	assert_non_null(cJSON_GetObjectItemCaseSensitive(params, "tagName"));
	assert_non_null(strstr(mg, "      tagName: {\n        value: tagName\n"));
	/* and references pass what the JSON initiative passes */
	const cJSON *refs = at_path(ini, "properties.policyDefinitions");
	const cJSON *first = cJSON_GetArrayItem(refs, 0);
	const cJSON *value = at_path(first, "parameters.effect.value");
	assert_string_equal(value->valuestring, "[parameters('ns-2-effect')]");
	cJSON_Delete(ini);
	output_set_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen_bicep_assignment_name),
		cmocka_unit_test_setup_teardown(test_gen_bicep_library_gets_nothing, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_gen_bicep_guardrails_structure, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_gen_bicep_no_remediation_no_identity, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_gen_bicep_deterministic, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_gen_bicep_matches_generated_json, fixture_setup,
						fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
