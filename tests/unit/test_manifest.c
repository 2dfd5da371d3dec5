/*
 * Unit tests for the project manifest: the reader (manifest.c) and the
 * resolution of environments against a checked pack (env.c).  Diagnostics
 * are asserted as data: code, line, column.
 */
#include "testutil.h"

#include "pacc/check.h"
#include "pacc/env.h"
#include "pacc/manifest.h"
#include "pacc/parse.h"

#include <stdio.h>
#include <stdlib.h>

static struct manifest *read_text(struct fixture *f, const char *text, size_t len)
{
	source_free(f->src);
	f->src = source_from_memory("pacc.yaml", text, len);
	return manifest_read(f->src, &f->arena, &f->diag);
}

static struct manifest *read_str(struct fixture *f, const char *text)
{
	return read_text(f, text, strlen(text));
}

static void expect_count(struct fixture *f, size_t n)
{
	if (f->diag.count != n || getenv("MANIFEST_DUMP")) {
		diag_render(&f->diag, stderr, DIAG_FORMAT_TEXT, false);
		if (f->diag.count != n)
			fail_msg("expected %zu diagnostics, got %zu", n, f->diag.count);
	}
}

static void expect_help(struct fixture *f, size_t i, const char *help)
{
	assert_non_null(f->diag.records[i]->help);
	assert_string_equal(f->diag.records[i]->help, help);
}

static const char good[] = "packs:\n"
			   "  - policies/a.pacc\n"
			   "output: out\n"
			   "warn-expiry-days: 14\n"
			   "environments:\n"
			   "  - name: dev\n"
			   "    scope: contoso-dev\n"
			   "    location: westeurope\n"
			   "  - name: prod\n"
			   "    scope: /subscriptions/00000000-0000-0000-0000-000000000001\n"
			   "    location: northeurope\n"
			   "    enforcement: default\n"
			   "    extends: dev\n"
			   "    not-scopes:\n"
			   "      - /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/sandbox\n"
			   "    effects:\n"
			   "      NS-2: Deny\n"
			   "    parameters:\n"
			   "      days: 30\n"
			   "      tags: [a, 'b']\n"
			   "      on: true\n"
			   "    exemptions:\n"
			   "      - policy: p-ns-2\n"
			   "        scope: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/old\n"
			   "        category: waiver\n"
			   "        expires: 2027-02-28\n"
			   "        justification: Retired soon.\n"
			   "        owner: alice\n";

static void test_manifest_reads_every_key(void **state)
{
	struct fixture *f = *state;
	struct manifest *m = read_str(f, good);
	expect_count(f, 0);
	assert_non_null(m);
	assert_int_equal(m->pack_count, 1);
	assert_string_equal(m->packs[0].s, "policies/a.pacc");
	assert_string_equal(m->output.s, "out");
	assert_int_equal(m->warn_expiry_days, 14);
	assert_int_equal(m->env_count, 2);
	const struct manifest_env *dev = &m->envs[0], *prod = &m->envs[1];
	assert_string_equal(dev->name.s, "dev");
	assert_int_equal(dev->scope.kind, MANIFEST_SCOPE_MANAGEMENT_GROUP);
	assert_string_equal(dev->scope.id, "/providers/Microsoft.Management/managementGroups/contoso-dev");
	/* The safe default: an environment that says nothing does not enforce. */
	assert_int_equal(dev->enforcement, MANIFEST_DO_NOT_ENFORCE);
	assert_int_equal(prod->enforcement, MANIFEST_ENFORCE);
	assert_string_equal(prod->enforcement_text.s, "Default");
	assert_ptr_equal(prod->base, dev);
	assert_int_equal(prod->scope.kind, MANIFEST_SCOPE_SUBSCRIPTION);
	assert_int_equal(prod->not_scope_count, 1);
	assert_int_equal(prod->not_scopes[0].kind, MANIFEST_SCOPE_RESOURCE_GROUP);
	assert_string_equal(prod->not_scopes[0].resource_group, "sandbox");
	assert_string_equal(prod->effects->key.s, "NS-2");
	assert_string_equal(prod->effects->value.s, "Deny");
	/* Parameter values are typed as JSON: plain numbers and booleans, quoted strings. */
	const struct manifest_entry *days = prod->parameters;
	assert_int_equal(days->json->kind, AST_JSON_NUMBER);
	assert_int_equal(days->next->json->kind, AST_JSON_ARRAY);
	assert_int_equal(days->next->json->u.array.count, 2);
	assert_int_equal(days->next->next->json->kind, AST_JSON_BOOL);
	const struct manifest_exemption *x = prod->exemptions;
	assert_non_null(x);
	assert_string_equal(x->category.s, "Waiver");
	long day;
	assert_true(manifest_parse_date("2027-02-28", &day));
	assert_int_equal(x->expires_day, day);
	assert_int_equal(x->scope.kind, MANIFEST_SCOPE_RESOURCE_GROUP);
}

static void test_manifest_unknown_key_suggests(void **state)
{
	struct fixture *f = *state;
	read_str(f, "environments:\n"
		    "  - name: dev\n"
		    "    scope: mg\n"
		    "    location: w\n"
		    "    enforcment: Default\n"
		    "envirnoments: []\n");
	expect_count(f, 2);
	assert_diag(f, 0, "E1006", 6, 1);
	expect_help(f, 0, "did you mean 'environments'?");
	assert_diag(f, 1, "E1006", 5, 5);
	expect_help(f, 1, "did you mean 'enforcement'?");
}

static void test_manifest_duplicate_key(void **state)
{
	struct fixture *f = *state;
	read_str(f, "output: a\noutput: b\nenvironments:\n  - {name: d, scope: m, location: w}\n");
	expect_count(f, 1);
	assert_diag(f, 0, "E1005", 2, 1);
	assert_non_null(f->diag.records[0]->notes);
	assert_int_equal(f->diag.records[0]->notes->span.begin.line, 1);
}

static void test_manifest_tabs_refused(void **state)
{
	struct fixture *f = *state;
	struct manifest *m = read_str(f, "environments:\n\t- name: dev\n");
	assert_null(m);
	expect_count(f, 1);
	assert_diag(f, 0, "E1002", 2, 1);
}

static void test_manifest_invalid_utf8_and_nul(void **state)
{
	struct fixture *f = *state;
	assert_null(read_str(f, "output: \"a\xc3\x28\"\n"));
	expect_count(f, 1);
	assert_diag(f, 0, "E0002", 1, 11);
	diag_release(&f->diag);
	diag_init(&f->diag);
	assert_null(read_text(f, "output: a\0b\n", 12));
	expect_count(f, 1);
	assert_diag(f, 0, "E0004", 1, 10);
}

static void test_manifest_anchors_and_aliases_refused(void **state)
{
	struct fixture *f = *state;
	read_str(f, "x: &big [1, 2]\ny: *big\n");
	assert_true(f->diag.count >= 2);
	assert_diag(f, 0, "E1004", 1, 4);
	assert_diag(f, 1, "E1004", 2, 4);
}

static void test_manifest_syntax_error_located(void **state)
{
	struct fixture *f = *state;
	assert_null(read_str(f, "environments: [\n  {name: dev\n"));
	expect_count(f, 1);
	assert_string_equal(f->diag.records[0]->code, "E1001");
}

static void test_manifest_deep_nesting_bounded(void **state)
{
	struct fixture *f = *state;
	struct sb text = SB_INIT;
	sb_adds(&text, "x: ");
	sb_addchars(&text, '[', 5000);
	sb_addchars(&text, ']', 5000);
	sb_addch(&text, '\n');
	read_str(f, text.buf);
	sb_release(&text);
	assert_true(f->diag.count >= 1);
	assert_string_equal(f->diag.records[0]->code, "E1022");
}

static void test_manifest_scopes_and_choices(void **state)
{
	struct fixture *f = *state;
	read_str(f, "environments:\n"
		    "  - name: dev\n"
		    "    scope: /subscriptions/not-a-guid\n"
		    "    location: w\n"
		    "  - name: rg\n"
		    "    scope: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/x\n"
		    "    location: w\n"
		    "  - name: test\n"
		    "    scope: mg\n"
		    "    location: w\n"
		    "    enforcement: DoNotEnfroce\n");
	expect_count(f, 3);
	assert_diag(f, 0, "E1009", 3, 12);
	assert_diag(f, 1, "E1009", 6, 12);
	assert_diag(f, 2, "E1010", 11, 18);
	expect_help(f, 2, "did you mean 'DoNotEnforce'?");
}

static void test_manifest_environment_names(void **state)
{
	struct fixture *f = *state;
	struct manifest *m = read_str(f, "environments:\n"
					 "  - {name: dev, scope: m, location: w}\n"
					 "  - {name: dev, scope: m, location: w}\n"
					 "  - {name: Prod, scope: m, location: w}\n"
					 "  - {name: qa, scope: m, location: w, extends: deb}\n"
					 "  - {scope: m}\n");
	expect_count(f, 5);
	assert_diag(f, 0, "E1011", 3, 12);
	assert_diag(f, 1, "E1011", 4, 12);
	assert_diag(f, 2, "E1011", 5, 48);
	expect_help(f, 2, "did you mean 'dev'?");
	assert_diag(f, 3, "E1008", 6, 5);
	assert_diag(f, 4, "E1008", 6, 5);
	assert_int_equal(m->env_count, 2);
}

static void test_manifest_exemption_fields(void **state)
{
	struct fixture *f = *state;
	read_str(f, "environments:\n"
		    "  - name: dev\n"
		    "    scope: m\n"
		    "    location: w\n"
		    "    exemptions:\n"
		    "      - policy: p\n"
		    "        scope: m\n"
		    "        category: Waiverr\n"
		    "        expires: 2027-02-30\n"
		    "        justification: j\n"
		    "        owner: o\n"
		    "        tikcet: T-1\n");
	expect_count(f, 3);
	assert_diag(f, 0, "E1006", 12, 9);
	expect_help(f, 0, "did you mean 'ticket'?");
	assert_diag(f, 1, "E1010", 8, 19);
	assert_diag(f, 2, "E1015", 9, 18);
}

static void test_manifest_empty_and_wrong_shapes(void **state)
{
	struct fixture *f = *state;
	assert_null(read_str(f, ""));
	assert_diag(f, 0, "E1008", 1, 1);
	diag_release(&f->diag);
	diag_init(&f->diag);
	read_str(f, "- a\n");
	assert_diag(f, 0, "E1007", 1, 1);
	diag_release(&f->diag);
	diag_init(&f->diag);
	read_str(f, "environments: {name: dev}\nwarn-expiry-days: soon\n");
	expect_count(f, 2);
	assert_diag(f, 0, "E1007", 2, 19);
	assert_diag(f, 1, "E1007", 1, 15);
}

static void test_manifest_dates(void **state)
{
	(void)state;
	long d;
	assert_true(manifest_parse_date("1970-01-01", &d));
	assert_int_equal(d, 0);
	assert_true(manifest_parse_date("2024-02-29", &d));
	assert_int_equal(d, 19782);
	assert_false(manifest_parse_date("2023-02-29", &d));
	assert_false(manifest_parse_date("2027-13-01", &d));
	assert_false(manifest_parse_date("2027-1-01", &d));
	assert_false(manifest_parse_date("2027-01-01T00:00", &d));
}

/* ---- environments against a pack -------------------------------------------------- */

static const char pack_text[] =
	"service \"Vaults\" {\n"
	"  ms.service \"vaults\"\n  author \"a\"\n  ms.author \"a\"\n  ms.date \"2026-11-30\"\n"
	"  category \"C\"\n  version \"1.0.0\"\n  governs \"Microsoft.KeyVault/vaults\"\n"
	"  intro \"About.\"\n}\n"
	"section net \"Net\" {\n  \"\"\"About.\"\"\"\n"
	"  recommendation NS-2 \"Disable public access\" {\n    \"\"\"Why.\"\"\"\n"
	"    enforce {\n      display \"Audit public access\"\n      mode Indexed\n"
	"      effect audit|deny|disabled = audit\n"
	"      param retentionDays Integer { display \"Days\" allowed [30, 90] }\n"
	"      if { type == \"Microsoft.KeyVault/vaults\"\n"
	"           value \"[parameters('retentionDays')]\" > 0 }\n    }\n"
	"    enforce modify {\n      display \"Turn off public access\"\n      mode Indexed\n"
	"      effect modify|disabled = modify\n"
	"      if { type == \"Microsoft.KeyVault/vaults\" }\n"
	"      modify {\n        roleDefinitionIds [\"/providers/Microsoft.Authorization/roleDefinitions/"
	"f25e0fa2-a7c8-4377-a976-54943a77a395\"]\n"
	"        set \"Microsoft.KeyVault/vaults/publicNetworkAccess\" = \"Disabled\"\n      }\n"
	"    }\n  }\n}\n";

struct world {
	struct source *pack_src;
	struct ast_pack *pack;
	struct manifest *m;
	struct env_set envs;
	bool ok;
};

/* 2026-12-01 */
#define TODAY 20788L

static void resolve(struct fixture *f, struct world *w, const char *manifest)
{
	w->pack_src = source_from_memory("vaults.pacc", pack_text, strlen(pack_text));
	w->pack = parse_pack(w->pack_src, "vaults", &f->arena, &f->diag);
	assert_true(check_pack(w->pack, &f->diag));
	w->m = read_str(f, manifest);
	assert_non_null(w->m);
	const struct ast_pack *packs[] = { w->pack };
	w->ok = env_resolve(w->m, packs, 1, TODAY, &f->arena, &f->diag, &w->envs);
}

static void world_release(struct world *w) { source_free(w->pack_src); }

#define ENV(extra)                                  \
	"environments:\n"                           \
	"  - name: dev\n"                           \
	"    scope: contoso-dev\n"                  \
	"    location: westeurope\n"                \
	"    parameters: {retentionDays: 30}\n" extra

static void test_env_safe_defaults(void **state)
{
	struct fixture *f = *state;
	struct world w;
	resolve(f, &w, ENV(""));
	expect_count(f, 0);
	assert_true(w.ok);
	assert_int_equal(w.envs.count, 1);
	const struct env_deploy *dp = &w.envs.deploys[0];
	assert_false(dp->enforce);
	assert_int_equal(dp->policy_count, 2);
	assert_string_equal(dp->policies[0].effect, "Audit");
	/* The Modify twin's pack default is modify; an environment starts it Disabled. */
	assert_true(dp->policies[1].remediates);
	assert_string_equal(dp->policies[1].effect, "Disabled");
	assert_int_equal(dp->target_count, 1);
	assert_string_equal(dp->targets[0].name, "vaults-dev");
	world_release(&w);
}

static void test_env_effects_checked(void **state)
{
	struct fixture *f = *state;
	struct world w;
	resolve(f, &w, ENV("    effects:\n"
			   "      NS-2: Deny\n"
			   "      vaults-ns-2-modify: Modify\n"
			   "      vaults-ns-2: Denny\n"
			   "      vaults-ns-3: Audit\n"));
	expect_count(f, 2);
	assert_false(w.ok);
	assert_diag(f, 0, "E1013", 9, 20);
	expect_help(f, 0, "did you mean 'Deny'?");
	assert_diag(f, 1, "E1012", 10, 7);
	expect_help(f, 1, "did you mean 'vaults-ns-2'?");
	const struct env_deploy *dp = &w.envs.deploys[0];
	assert_string_equal(dp->policies[0].effect, "Deny");
	assert_string_equal(dp->policies[1].effect, "Modify");
	world_release(&w);
}

static void test_env_parameters_checked(void **state)
{
	struct fixture *f = *state;
	struct world w;
	resolve(f, &w, "environments:\n"
		       "  - name: dev\n    scope: m\n    location: w\n"
		       "  - name: qa\n    scope: m2\n    location: w\n"
		       "    parameters: {retentionDays: 45, retentionDayz: 30}\n"
		       "  - name: prod\n    scope: m3\n    location: w\n"
		       "    parameters: {retentionDays: thirty}\n");
	expect_count(f, 4);
	assert_diag(f, 0, "E1014", 2, 11);  /* dev gives no value; no default */
	assert_diag(f, 1, "E1014", 8, 33);  /* 45 is not allowed */
	assert_non_null(strstr(f->diag.records[1]->message, "'30' or '90'"));
	assert_diag(f, 2, "E1012", 8, 37);
	expect_help(f, 2, "did you mean 'retentionDays'?");
	assert_diag(f, 3, "E1014", 12, 33); /* not an Integer */
	world_release(&w);
}

static void test_env_exemption_expiry(void **state)
{
	struct fixture *f = *state;
	struct world w;
	resolve(f, &w, ENV("    exemptions:\n"
			   "      - {policy: vaults-ns-2, scope: contoso-dev, category: Waiver,"
			   " expires: 2026-11-30, justification: j, owner: alice}\n"
			   "      - {policy: vaults, scope: contoso-dev, category: Mitigated,"
			   " expires: 2026-12-20, justification: j, owner: bob}\n"
			   "      - {policy: vaults-ns-2-modify, scope: contoso-dev, category: Waiver,"
			   " expires: 2027-12-01, justification: j, owner: carol}\n"));
	expect_count(f, 2);
	assert_diag(f, 0, "E1016", 7, 78);
	assert_int_equal(f->diag.records[0]->severity, DIAG_ERROR);
	assert_non_null(strstr(f->diag.records[0]->message, "alice"));
	assert_diag(f, 1, "E1017", 8, 76);
	assert_int_equal(f->diag.records[1]->severity, DIAG_WARNING);
	assert_non_null(strstr(f->diag.records[1]->message, "bob"));
	const struct env_deploy *dp = &w.envs.deploys[0];
	assert_int_equal(dp->exemption_count, 3);
	assert_null(dp->exemptions[1].ref_id); /* the whole initiative */
	assert_string_equal(dp->exemptions[2].ref_id, "ns-2-modify");
	assert_string_equal(dp->exemptions[2].name, "vaults-dev-ns-2-modify");
	world_release(&w);
}

static void test_env_names_fit_and_clash(void **state)
{
	struct fixture *f = *state;
	struct world w;
	resolve(f, &w, "environments:\n"
		       "  - name: development-environment\n    scope: m\n    location: w\n"
		       "    parameters: {retentionDays: 30}\n"
		       "  - name: dev\n    scope: m\n    location: w\n"
		       "    parameters: {retentionDays: 30}\n"
		       "    assignment: vaults-development-envir\n"
		       "  - name: prod\n    scope: m2\n    location: w\n"
		       "    parameters: {retentionDays: 30}\n"
		       "    assignment: guardrails-key-vault-prod\n");
	/* A derived name is cut to 24 with a hash; an explicit one is checked. */
	const struct env_deploy *dp = &w.envs.deploys[0];
	assert_int_equal(strlen(dp->targets[0].name), 24);
	assert_memory_equal(dp->targets[0].name, "vaults-developme", 15);
	expect_count(f, 1);
	assert_diag(f, 0, "E1018", 15, 17);
	assert_non_null(strstr(f->diag.records[0]->message, "25 characters"));
	assert_non_null(strstr(f->diag.records[0]->message, "24"));
	world_release(&w);
	/* Two environments at one scope with one name clash. */
	diag_release(&f->diag);
	diag_init(&f->diag);
	resolve(f, &w, "environments:\n"
		       "  - {name: a, scope: m, location: w, assignment: same,"
		       " parameters: {retentionDays: 30}}\n"
		       "  - {name: b, scope: m, location: w, assignment: same,"
		       " parameters: {retentionDays: 30}}\n");
	expect_count(f, 1);
	assert_diag(f, 0, "E1019", 3, 50);
	world_release(&w);
}

static void test_env_fit_name(void **state)
{
	(void)state;
	struct sb a = SB_INIT, b = SB_INIT;
	env_fit_name(&a, "Azure Data Factory-production", 24);
	env_fit_name(&b, "Azure Data Factory-production", 24);
	assert_string_equal(a.buf, b.buf);
	assert_int_equal(a.len, 24);
	assert_memory_equal(a.buf, "azure-data-fact-", 16);
	sb_reset(&a);
	env_fit_name(&a, "short", 24);
	assert_string_equal(a.buf, "short");
	sb_release(&a);
	sb_release(&b);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_manifest_reads_every_key),
		T(test_manifest_unknown_key_suggests),
		T(test_manifest_duplicate_key),
		T(test_manifest_tabs_refused),
		T(test_manifest_invalid_utf8_and_nul),
		T(test_manifest_anchors_and_aliases_refused),
		T(test_manifest_syntax_error_located),
		T(test_manifest_deep_nesting_bounded),
		T(test_manifest_scopes_and_choices),
		T(test_manifest_environment_names),
		T(test_manifest_exemption_fields),
		T(test_manifest_empty_and_wrong_shapes),
		T(test_manifest_dates),
		T(test_env_safe_defaults),
		T(test_env_effects_checked),
		T(test_env_parameters_checked),
		T(test_env_exemption_expiry),
		T(test_env_names_fit_and_clash),
		T(test_env_fit_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
