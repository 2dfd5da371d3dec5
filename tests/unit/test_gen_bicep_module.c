/*
 * Unit tests for gen_bicep_module: hardening modules from hand-built packs.
 *
 * With PACC_BICEP_DUMP=<dir> set, every generated file is also written under
 * <dir>/<pack>/ so ../shared/tools/check-bicep can be run on it.
 */
#include "testutil.h"

#include "pacc/gen_bicep_module.h"
#include "pacc/harden.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static const struct src_span none;

static struct ast_str *str(struct fixture *f, const char *s)
{
	return ast_str_new(&f->arena, s, strlen(s), none);
}

static struct ast_json *jstr(struct fixture *f, const char *s)
{
	struct ast_json *j = ast_json_new(&f->arena, AST_JSON_STRING, none);
	j->u.string = str(f, s);
	return j;
}

static struct ast_json *jbool(struct fixture *f, bool b)
{
	struct ast_json *j = ast_json_new(&f->arena, AST_JSON_BOOL, none);
	j->u.boolean = b;
	return j;
}

/* {"key": "value"} */
static struct ast_json *jobj1(struct fixture *f, const char *key, struct ast_json *value)
{
	struct ast_json *j = ast_json_new(&f->arena, AST_JSON_OBJECT, none);
	struct ast_json_member *m = ARENA_NEW(&f->arena, struct ast_json_member);
	m->key = str(f, key);
	m->value = value;
	j->u.object.members = m;
	j->u.object.count = 1;
	return j;
}

static struct ast_json *jarr1(struct fixture *f, struct ast_json *value)
{
	struct ast_json *j = ast_json_new(&f->arena, AST_JSON_ARRAY, none);
	struct ast_json_item *it = ARENA_NEW(&f->arena, struct ast_json_item);
	it->value = value;
	j->u.array.items = it;
	j->u.array.count = 1;
	return j;
}

static struct harden_input *input(struct fixture *f, struct ast_service *svc, const char *name,
				  const char *type, const char *description)
{
	struct harden_input *in = ARENA_NEW(&f->arena, struct harden_input);
	in->name = str(f, name);
	in->type = str(f, type);
	in->description = str(f, description);
	struct harden_input **tail = &svc->inputs;
	while (*tail)
		tail = &(*tail)->next;
	*tail = in;
	return in;
}

static void set_json(struct fixture *f, struct harden_block *hb, const char *path, struct ast_json *v)
{
	struct harden_setting *s = ARENA_NEW(&f->arena, struct harden_setting);
	s->path = str(f, path);
	s->value.json = v;
	struct harden_setting **tail = &hb->settings;
	while (*tail)
		tail = &(*tail)->next;
	*tail = s;
}

static void set_input(struct fixture *f, struct harden_block *hb, const char *path, const char *input_name)
{
	struct harden_setting *s = ARENA_NEW(&f->arena, struct harden_setting);
	s->path = str(f, path);
	s->value.input_name = str(f, input_name);
	struct harden_setting **tail = &hb->settings;
	while (*tail)
		tail = &(*tail)->next;
	*tail = s;
}

static struct harden_companion *companion(struct fixture *f, struct harden_block *hb, const char *kind)
{
	struct harden_companion *c = ARENA_NEW(&f->arena, struct harden_companion);
	c->kind_word = str(f, kind);
	assert_true(harden_companion_from_name(kind, &c->kind));
	struct harden_companion **tail = &hb->companions;
	while (*tail)
		tail = &(*tail)->next;
	*tail = c;
	return c;
}

static void arg_json(struct fixture *f, struct harden_companion *c, const char *key, struct ast_json *v)
{
	struct harden_arg *a = ARENA_NEW(&f->arena, struct harden_arg);
	a->key = str(f, key);
	a->value.json = v;
	struct harden_arg **tail = &c->args;
	while (*tail)
		tail = &(*tail)->next;
	*tail = a;
}

static void arg_input(struct fixture *f, struct harden_companion *c, const char *key, const char *input_name)
{
	struct harden_arg *a = ARENA_NEW(&f->arena, struct harden_arg);
	a->key = str(f, key);
	a->value.input_name = str(f, input_name);
	struct harden_arg **tail = &c->args;
	while (*tail)
		tail = &(*tail)->next;
	*tail = a;
}

static struct ast_section *section(struct fixture *f, struct ast_pack *pack, const char *id)
{
	struct ast_section *s = ARENA_NEW(&f->arena, struct ast_section);
	s->id = str(f, id);
	struct ast_section **tail = &pack->sections;
	while (*tail)
		tail = &(*tail)->next;
	*tail = s;
	return s;
}

static struct harden_block *harden(struct fixture *f, struct ast_section *sec, const char *rec_id,
				   const char *title, const char *type)
{
	struct ast_recommendation *r = ARENA_NEW(&f->arena, struct ast_recommendation);
	r->id = str(f, rec_id);
	r->title = str(f, title);
	r->section = sec;
	struct ast_recommendation **tail = &sec->recommendations;
	while (*tail)
		tail = &(*tail)->next;
	*tail = r;
	struct harden_block *hb = ARENA_NEW(&f->arena, struct harden_block);
	hb->type = str(f, type);
	r->harden = hb;
	return hb;
}

static void governs(struct fixture *f, struct ast_service *svc, const char *type, const char *version)
{
	struct ast_governs *g = ARENA_NEW(&f->arena, struct ast_governs);
	g->type = str(f, type);
	g->api_version = version ? str(f, version) : NULL;
	struct ast_governs **tail = &svc->governs;
	while (*tail)
		tail = &(*tail)->next;
	*tail = g;
}

static struct ast_pack *pack_new(struct fixture *f, const char *name, const char *service)
{
	struct ast_pack *pack = ARENA_NEW(&f->arena, struct ast_pack);
	pack->arena = &f->arena;
	pack->name = name;
	pack->service = ARENA_NEW(&f->arena, struct ast_service);
	pack->service->name = str(f, service);
	pack->service->version = str(f, "1.0.0");
	return pack;
}

/* Data Factory: settings, every companion kind, a child type, a secure input. */
static struct ast_pack *adf_pack(struct fixture *f)
{
	struct ast_pack *pack = pack_new(f, "azure-data-factory", "Azure Data Factory");
	struct ast_service *svc = pack->service;
	governs(f, svc, "Microsoft.DataFactory/factories", "2018-06-01");
	governs(f, svc, "Microsoft.DataFactory/factories/linkedservices", "2018-06-01");
	input(f, svc, "workspaceId", "String", "The Log Analytics workspace that receives the factory's logs");
	input(f, svc, "subnetId", "String", "Subnet of the private endpoints");
	input(f, svc, "dnsZoneId", "String", "Private DNS zone privatelink.datafactory.azure.net");
	input(f, svc, "keyVaultUrl", "String", "Key vault URL of the customer-managed key");
	struct harden_input *key = input(f, svc, "keyName", "String", "Name of the key");
	key->default_value = jstr(f, "adf-cmk");
	struct harden_input *pw = input(f, svc, "location", "String", "An input named like the region");
	pw->secure = true;
	input(f, svc, "unused", "String", "Never used by factories");

	struct ast_section *net = section(f, pack, "network-security");
	struct harden_block *ns2 = harden(f, net, "NS-2", "Disable public network access to the factory",
					  "Microsoft.DataFactory/factories");
	set_json(f, ns2, "properties.publicNetworkAccess", jstr(f, "Disabled"));
	struct harden_block *pe = harden(f, net, "NS-2b", "Connect through private endpoints",
					 "Microsoft.DataFactory/factories");
	struct harden_companion *c = companion(f, pe, "private-endpoint");
	arg_input(f, c, "subnet", "subnetId");
	arg_json(f, c, "groupId", jstr(f, "dataFactory"));
	arg_input(f, c, "dnsZone", "dnsZoneId");
	c = companion(f, pe, "private-endpoint");
	arg_input(f, c, "subnet", "subnetId");
	arg_json(f, c, "groupId", jstr(f, "portal"));
	struct harden_block *mvn = harden(f, net, "NS-2c", "Use a managed virtual network",
					  "Microsoft.DataFactory/factories");
	c = companion(f, mvn, "child");
	c->child_type = str(f, "managedVirtualNetworks");
	c = companion(f, mvn, "child");
	c->child_type = str(f, "integrationRuntimes");
	arg_json(f, c, "name", jstr(f, "ManagedRuntime"));
	arg_json(f, c, "properties", jobj1(f, "type", jstr(f, "Managed")));

	struct ast_section *id = section(f, pack, "identity");
	struct harden_block *im = harden(f, id, "IM-1", "Use a managed identity", "Microsoft.DataFactory/factories");
	set_json(f, im, "identity", jobj1(f, "type", jstr(f, "SystemAssigned")));
	struct harden_block *dp = harden(f, id, "DP-5", "Encrypt with a customer-managed key 'it''s ${x}'",
					 "Microsoft.DataFactory/factories");
	set_input(f, dp, "properties.encryption.vaultBaseUrl", "keyVaultUrl");
	set_input(f, dp, "properties.encryption.keyName", "keyName");
	set_input(f, dp, "tags.secret-ish", "location");
	c = companion(f, dp, "role-assignment");
	arg_json(f, c, "role", jstr(f, "e147488a-f6f5-4113-8e2d-b22465e65bf6"));
	arg_input(f, c, "principal", "keyName");

	struct ast_section *lt = section(f, pack, "logging");
	struct harden_block *diag = harden(f, lt, "LT-4", "Send logs to Log Analytics", "Microsoft.DataFactory/factories");
	c = companion(f, diag, "diagnostics");
	arg_input(f, c, "workspace", "workspaceId");
	c = companion(f, diag, "lock");
	arg_json(f, c, "notes", jstr(f, "Protects the factory's \"logs\""));
	c = companion(f, diag, "diagnostics");
	arg_input(f, c, "workspace", "workspaceId");
	arg_json(f, c, "name", jstr(f, "audit-only"));
	arg_json(f, c, "categories", jarr1(f, jstr(f, "ActivityRuns")));
	arg_json(f, c, "metrics", jbool(f, false));

	struct harden_block *ls = harden(f, lt, "IM-8", "Keep linked service secrets in Key Vault",
					 "Microsoft.DataFactory/factories/linkedservices");
	set_json(f, ls, "properties.type", jstr(f, "AzureKeyVault"));
	return pack;
}

static void dump(const struct ast_pack *pack, const struct output_set *out)
{
	const char *dir = getenv("PACC_BICEP_DUMP");
	if (!dir || !*dir)
		return;
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, pack->name);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/%s/bicep", dir, pack->name);
	mkdir(path, 0777);
	for (size_t i = 0; i < out->count; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", dir, pack->name, out->files[i].path);
		FILE *fp = fopen(path, "wb");
		assert_non_null(fp);
		fwrite(out->files[i].data.buf, 1, out->files[i].data.len, fp);
		fclose(fp);
	}
}

static void test_gen_bicep_module_slugs(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	gen_bicep_module_slug(&sb, "Microsoft.DataFactory/factories", false);
	assert_string_equal(sb.buf, "data-factory");
	sb_reset(&sb);
	gen_bicep_module_slug(&sb, "Microsoft.KeyVault/vaults", true);
	assert_string_equal(sb.buf, "key-vault-vaults");
	sb_reset(&sb);
	gen_bicep_module_slug(&sb, "Microsoft.DataFactory/factories/integrationRuntimes", false);
	assert_string_equal(sb.buf, "data-factory-integration-runtimes");
	sb_reset(&sb);
	gen_bicep_module_slug(&sb, "Microsoft.Guardrails/things", false);
	assert_string_equal(sb.buf, "guardrails-resource");
	sb_reset(&sb);
	gen_bicep_module_slug(&sb, "Contoso.HTTPServer2/x", false);
	assert_string_equal(sb.buf, "contoso-httpserver2");
	sb_release(&sb);
}

static void test_gen_bicep_module_data_factory(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = adf_pack(f);
	struct output_set out = OUTPUT_SET_INIT;
	gen_bicep_module_pack(pack, &out);
	dump(pack, &out);
	assert_int_equal(out.count, 2);
	const char *m = find_output(&out, "bicep/data-factory.bicep");

	/* header names every recommendation once */
	assert_non_null(strstr(m, "//   NS-2: Disable public network access to the factory\n"));
	assert_int_equal(count_substr(m, "//   LT-4: "), 1);
	assert_null(strstr(m, "IM-8"));

	/* parameters: used inputs only, in declaration order, with the pack's metadata */
	assert_non_null(strstr(m, "param name string\n"));
	assert_non_null(strstr(m, "param location string = resourceGroup().location\n"));
	assert_non_null(strstr(m, "param keyName string = 'adf-cmk'\n"));
	assert_non_null(strstr(m, "@secure()\nparam location2 string\n"));
	assert_null(strstr(m, "param unused"));
	assert_true(strstr(m, "param workspaceId") < strstr(m, "param subnetId"));

	/* the resource, settings merged into nested objects */
	assert_non_null(strstr(m, "resource dataFactory 'Microsoft.DataFactory/factories@2018-06-01' = {\n"
				  "  name: name\n  location: location\n  properties: {\n"
				  "    publicNetworkAccess: 'Disabled'\n    encryption: {\n"
				  "      vaultBaseUrl: keyVaultUrl\n      keyName: keyName\n    }\n  }\n"
				  "  identity: {\n    type: 'SystemAssigned'\n  }\n"
				  "  tags: {\n    'secret-ish': location2\n  }\n}\n"));

	/* companions */
	assert_int_equal(count_substr(m, "'Microsoft.Network/privateEndpoints@2023-04-01'"), 2);
	assert_non_null(strstr(m, "name: '${name}-datafactory-pe'\n"));
	assert_non_null(strstr(m, "name: '${name}-portal-pe'\n"));
	assert_int_equal(count_substr(m, "'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-04-01'"), 1);
	assert_non_null(strstr(m, "privateDnsZoneId: dnsZoneId\n"));
	assert_non_null(strstr(m, "'Microsoft.DataFactory/factories/managedVirtualNetworks@2018-06-01' = {\n"
				  "  parent: dataFactory\n  name: 'default'\n  properties: {}\n}\n"));
	assert_non_null(strstr(m, "'Microsoft.DataFactory/factories/integrationRuntimes@2018-06-01' = {\n"
				  "  parent: dataFactory\n  name: 'ManagedRuntime'\n  properties: {\n"
				  "    type: 'Managed'\n  }\n  dependsOn: [\n    managedVirtualNetworks\n  ]\n}\n"));
	assert_int_equal(count_substr(m, "'Microsoft.Insights/diagnosticSettings@2021-05-01-preview'"), 2);
	assert_non_null(strstr(m, "resource diagnostics2 "));
	assert_non_null(strstr(m, "category: 'ActivityRuns'"));
	assert_int_equal(count_substr(m, "category: 'AllMetrics'"), 1);
	assert_non_null(strstr(m, "'Microsoft.Authorization/locks@2020-05-01'"));
	assert_non_null(strstr(m, "notes: 'Protects the factory\\'s \"logs\"'\n"));
	assert_non_null(strstr(m, "roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', "
				  "'e147488a-f6f5-4113-8e2d-b22465e65bf6')\n"));

	/* outputs */
	assert_non_null(strstr(m, "output id string = dataFactory.id\n"));
	assert_non_null(strstr(m, "output principalId string = dataFactory.identity.principalId\n"));

	/* the child type: parent by name, no location */
	const char *ls = find_output(&out, "bicep/data-factory-linkedservices.bicep");
	assert_non_null(strstr(ls, "param factoriesName string\n"));
	assert_non_null(strstr(ls, "resource factoriesParent 'Microsoft.DataFactory/factories@2018-06-01' existing = {\n"
				   "  name: factoriesName\n}\n"));
	assert_non_null(strstr(ls, "  parent: factoriesParent\n  name: name\n  properties: {\n"));
	assert_null(strstr(ls, "location"));
	assert_null(strstr(ls, "principalId"));
	output_set_release(&out);
}

static void test_gen_bicep_module_key_vault(void **state)
{
	struct fixture *f = *state;
	struct ast_pack *pack = pack_new(f, "azure-key-vault", "Azure Key Vault");
	struct ast_service *svc = pack->service;
	governs(f, svc, "Microsoft.KeyVault/vaults", "2023-07-01");
	governs(f, svc, "Microsoft.KeyVault/managedHSMs", "2023-07-01");
	governs(f, svc, "Microsoft.KeyVault/vaults/secrets", "2023-07-01");
	struct harden_input *tenant = input(f, svc, "tenantId", "String", "Tenant of the vault");
	tenant->default_value = jstr(f, "[subscription().tenantId]");
	struct harden_input *odd = input(f, svc, "odd", "String", "An expression Bicep reads differently");
	odd->default_value = jstr(f, "[concat('a', parameters('b'))]");
	struct ast_section *sec = section(f, pack, "data-protection");
	struct harden_block *hb = harden(f, sec, "DP-8", "Use RBAC", "Microsoft.KeyVault/vaults");
	set_json(f, hb, "properties.enableRbacAuthorization", jbool(f, true));
	set_json(f, hb, "properties.sku", jobj1(f, "name", jstr(f, "standard")));
	set_input(f, hb, "properties.tenantId", "tenantId");
	set_input(f, hb, "tags.odd", "odd");
	struct harden_block *hsm = harden(f, sec, "DP-9", "HSM", "Microsoft.KeyVault/managedHSMs");
	set_json(f, hsm, "properties.publicNetworkAccess", jstr(f, "Disabled"));
	struct output_set out = OUTPUT_SET_INIT;
	gen_bicep_module_pack(pack, &out);
	dump(pack, &out);
	assert_int_equal(out.count, 2);
	const char *m = find_output(&out, "bicep/key-vault-vaults.bicep");
	assert_non_null(strstr(m, "resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01'"));
	assert_non_null(strstr(m, "    enableRbacAuthorization: true\n"));
	assert_non_null(strstr(m, "    tenantId: tenantId\n"));
	assert_non_null(strstr(m, "param tenantId string = subscription().tenantId\n"));
	assert_non_null(strstr(m, "param odd string = '[concat(\\'a\\', parameters(\\'b\\'))]'\n"));
	assert_null(strstr(m, "principalId"));
	assert_non_null(output_find(&out, "bicep/key-vault-managed-hsms.bicep"));
	output_set_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen_bicep_module_slugs),
		cmocka_unit_test_setup_teardown(test_gen_bicep_module_data_factory, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_gen_bicep_module_key_vault, fixture_setup,
						fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
