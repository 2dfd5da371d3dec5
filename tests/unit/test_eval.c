/*
 * test_eval: the evaluator against the documented examples of the Azure
 * Policy documentation (operators, missing versus null, [*], count with
 * current(), effects) and the choices grammar/README.md ("Evaluation")
 * states where the documentation is silent.
 */
#include "testutil.h"

#include "pacc/eval_ctx.h"
#include "pacc/alias.h"
#include "pacc/ealias.h"
#include "pacc/efunc.h"
#include "pacc/epack.h"
#include "pacc/eval.h"
#include "pacc/evalue.h"
#include "pacc/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One evaluation: a bare rule (or a definition), a resource, parameters. */
struct run {
	struct eval_result r;
	bool ok;
};

/* As eval_text, with fields resolved through aliases (may be NULL) and
 * api_version (may be NULL) as the policy's default API version. */
static void eval_text_aliases(struct fixture *f, const char *definition, const char *resource,
			      const char *params, const char *related,
			      const struct eval_aliases *aliases, const char *api_version,
			      struct run *out)
{
	char *env = eval_definition_envelope(definition, strlen(definition), "t");
	assert_non_null(env);
	source_free(f->src);
	f->src = source_from_memory("t.json", env, strlen(env));
	free(env);
	struct ast_pack *pack = import_pack_new(&f->arena, "t");
	assert_true(import_source(pack, f->src, "t", &f->diag));
	size_t n;
	const struct ast_policy **pols = epack_policies(pack, &n);
	assert_int_equal(n, 1);
	char *err = NULL;
	struct eval_policy *ep = eval_policy_compile(pols[0], aliases, api_version, &err);
	free(pols);
	if (!ep)
		fail_msg("compile: %s", err);
	cJSON *res = cJSON_Parse(resource);
	cJSON *par = params ? cJSON_Parse(params) : NULL;
	cJSON *rel = related ? cJSON_Parse(related) : NULL;
	assert_non_null(res);
	const cJSON *rels[8];
	size_t nrel = 0;
	for (const cJSON *e = rel ? rel->child : NULL; e && nrel < 8; e = e->next)
		rels[nrel++] = e;
	struct eval_input in = { .resource = res,
				 .parameters = par,
				 .related = rels,
				 .related_count = nrel,
				 .now = "2024-03-01T12:00:00.0000000Z",
				 .trace = true };
	eval_run(ep, &in, &out->r);
	out->ok = out->r.compliance != EVAL_ERROR;
	cJSON_Delete(res);
	cJSON_Delete(par);
	cJSON_Delete(rel);
	eval_policy_free(ep);
}

static void eval_text(struct fixture *f, const char *definition, const char *resource,
		      const char *params, const char *related, struct run *out)
{
	eval_text_aliases(f, definition, resource, params, related, NULL, NULL, out);
}

/* The value of `if` for condition over a resource with the given properties. */
static bool if_of(struct fixture *f, const char *condition, const char *properties)
{
	char rule[4096], res[4096];
	snprintf(rule, sizeof rule, "{\"if\": %s, \"then\": {\"effect\": \"audit\"}}", condition);
	snprintf(res, sizeof res,
		 "{\"id\": \"/subscriptions/s/resourceGroups/g/providers/Microsoft.Test/things/t1\","
		 " \"name\": \"t1\", \"type\": \"Microsoft.Test/things\", \"location\": \"West Europe\","
		 " \"tags\": {\"Environment\": \"Prod\"}, \"properties\": %s}",
		 properties);
	struct run run;
	eval_text(f, rule, res, NULL, NULL, &run);
	if (!run.ok)
		fail_msg("evaluation failed: %s", run.r.error);
	bool v = run.r.if_value;
	eval_result_release(&run.r);
	return v;
}

#define IF_TRUE(cond, props) assert_true(if_of(*state, cond, props))
#define IF_FALSE(cond, props) assert_false(if_of(*state, cond, props))

static void test_eval_equals_ignores_case_and_coerces(void **state)
{
	IF_TRUE("{\"field\": \"properties.a\", \"equals\": \"ENABLED\"}", "{\"a\": \"enabled\"}");
	IF_TRUE("{\"field\": \"properties.port\", \"equals\": \"443\"}", "{\"port\": 443}");
	IF_TRUE("{\"field\": \"properties.on\", \"equals\": \"true\"}", "{\"on\": true}");
	IF_FALSE("{\"field\": \"properties.on\", \"equals\": \"yes\"}", "{\"on\": true}");
	IF_TRUE("{\"field\": \"properties.a\", \"notEquals\": \"x\"}", "{\"a\": \"y\"}");
	IF_FALSE("{\"field\": \"properties.a\", \"notEquals\": \"Y\"}", "{\"a\": \"y\"}");
}

static void test_eval_like_and_match(void **state)
{
	IF_TRUE("{\"field\": \"name\", \"like\": \"T*\"}", "{}");
	IF_TRUE("{\"field\": \"properties.s\", \"like\": \"*-prod-*\"}", "{\"s\": \"app-PROD-01\"}");
	IF_FALSE("{\"field\": \"properties.s\", \"like\": \"prod*\"}", "{\"s\": \"app-prod\"}");
	IF_TRUE("{\"field\": \"properties.s\", \"notLike\": \"prod*\"}", "{\"s\": \"app-prod\"}");
	/* match: # a digit, ? a letter, . any character; case matters */
	IF_TRUE("{\"field\": \"properties.s\", \"match\": \"vm-##?.\"}", "{\"s\": \"vm-12a_\"}");
	IF_FALSE("{\"field\": \"properties.s\", \"match\": \"VM-##\"}", "{\"s\": \"vm-12\"}");
	IF_FALSE("{\"field\": \"properties.s\", \"match\": \"vm-#\"}", "{\"s\": \"vm-12\"}");
	IF_TRUE("{\"field\": \"properties.s\", \"matchInsensitively\": \"VM-##\"}", "{\"s\": \"vm-12\"}");
	IF_TRUE("{\"field\": \"properties.s\", \"notMatch\": \"VM-##\"}", "{\"s\": \"vm-12\"}");
	IF_FALSE("{\"field\": \"properties.s\", \"notMatchInsensitively\": \"VM-##\"}",
		 "{\"s\": \"vm-12\"}");
}

static void test_eval_contains_in_and_keys(void **state)
{
	IF_TRUE("{\"field\": \"properties.s\", \"contains\": \"KEY=\"}", "{\"s\": \"a;key=1\"}");
	IF_TRUE("{\"field\": \"properties.s\", \"notContains\": \"pwd\"}", "{\"s\": \"a;key=1\"}");
	IF_TRUE("{\"field\": \"properties.a\", \"contains\": \"B\"}", "{\"a\": [\"a\", \"b\"]}");
	IF_TRUE("{\"field\": \"location\", \"in\": [\"westeurope\", \"northeurope\"]}", "{}");
	IF_TRUE("{\"field\": \"properties.s\", \"notIn\": [\"a\", \"b\"]}", "{\"s\": \"c\"}");
	IF_TRUE("{\"field\": \"tags\", \"containsKey\": \"environment\"}", "{}");
	IF_TRUE("{\"field\": \"tags\", \"notContainsKey\": \"owner\"}", "{}");
	IF_TRUE("{\"field\": \"tags['environment']\", \"equals\": \"prod\"}", "{}");
	IF_TRUE("{\"field\": \"tags.Environment\", \"equals\": \"prod\"}", "{}");
}

static void test_eval_ordering(void **state)
{
	IF_TRUE("{\"field\": \"properties.n\", \"less\": 3}", "{\"n\": 2}");
	IF_TRUE("{\"field\": \"properties.n\", \"lessOrEquals\": 2}", "{\"n\": 2}");
	IF_TRUE("{\"field\": \"properties.n\", \"greater\": 1024}", "{\"n\": \"8080\"}");
	IF_TRUE("{\"field\": \"properties.n\", \"greaterOrEquals\": 0.5}", "{\"n\": 0.75}");
	IF_TRUE("{\"field\": \"properties.s\", \"greater\": \"ALPHA\"}", "{\"s\": \"beta\"}");
	IF_TRUE("{\"field\": \"properties.d\", \"less\": \"2024-01-01T00:00:00Z\"}",
		"{\"d\": \"2023-12-31T00:00:00Z\"}");
	/* no ordering: false */
	IF_FALSE("{\"field\": \"properties.n\", \"less\": 3}", "{}");
	IF_FALSE("{\"field\": \"properties.n\", \"greater\": 3}", "{\"n\": \"many\"}");
}

static void test_eval_missing_versus_null(void **state)
{
	/* missing */
	IF_FALSE("{\"field\": \"properties.x\", \"equals\": \"\"}", "{}");
	IF_TRUE("{\"field\": \"properties.x\", \"notEquals\": \"a\"}", "{}");
	IF_TRUE("{\"field\": \"properties.x\", \"notIn\": [\"a\"]}", "{}");
	IF_FALSE("{\"field\": \"properties.x\", \"in\": [\"a\"]}", "{}");
	IF_FALSE("{\"field\": \"properties.x\", \"like\": \"*\"}", "{}");
	IF_TRUE("{\"field\": \"properties.x\", \"notLike\": \"a*\"}", "{}");
	IF_FALSE("{\"field\": \"properties.x\", \"contains\": \"a\"}", "{}");
	IF_TRUE("{\"field\": \"properties.x\", \"notContains\": \"a\"}", "{}");
	IF_TRUE("{\"field\": \"properties.x\", \"exists\": false}", "{}");
	IF_TRUE("{\"field\": \"properties.x\", \"exists\": \"false\"}", "{}");
	/* explicit null */
	IF_TRUE("{\"field\": \"properties.x\", \"equals\": \"\"}", "{\"x\": null}");
	IF_FALSE("{\"field\": \"properties.x\", \"exists\": true}", "{\"x\": null}");
	IF_TRUE("{\"field\": \"properties.x.y\", \"exists\": false}", "{\"x\": null}");
	/* present but empty values exist */
	IF_TRUE("{\"field\": \"properties.x\", \"exists\": true}", "{\"x\": \"\"}");
	IF_TRUE("{\"field\": \"properties.x\", \"exists\": true}", "{\"x\": false}");
	IF_TRUE("{\"not\": {\"field\": \"properties.x\", \"exists\": false}}", "{\"x\": 0}");
}

/* The worked example of "Evaluating the [*] alias" (author-policies-for-arrays). */
static void test_eval_star_every_element(void **state)
{
	const char *p = "{\"ipRules\": [{\"value\": \"127.0.0.1\"}, {\"value\": \"192.168.1.1\"}]}";
	IF_FALSE("{\"field\": \"properties.ipRules[*].value\", \"notEquals\": \"127.0.0.1\"}", p);
	IF_TRUE("{\"field\": \"properties.ipRules[*].value\", \"notEquals\": \"10.0.4.1\"}", p);
	IF_TRUE("{\"not\": {\"field\": \"properties.ipRules[*].value\", \"equals\": \"127.0.0.1\"}}", p);
	IF_TRUE("{\"not\": {\"field\": \"properties.ipRules[*].value\", \"equals\": \"10.0.4.1\"}}", p);
	IF_TRUE("{\"not\": {\"field\": \"properties.ipRules[*].value\", \"notEquals\": \"127.0.0.1\"}}", p);
	IF_FALSE("{\"not\": {\"field\": \"properties.ipRules[*].value\", \"notEquals\": \"10.0.4.1\"}}", p);
	IF_FALSE("{\"field\": \"properties.ipRules[*].value\", \"equals\": \"127.0.0.1\"}", p);
	IF_FALSE("{\"field\": \"properties.ipRules[*].value\", \"equals\": \"10.0.4.1\"}", p);
	/* an empty array: every (no) element; a missing one: the documented empty collection */
	IF_TRUE("{\"field\": \"properties.ipRules[*].value\", \"equals\": \"x\"}", "{\"ipRules\": []}");
	IF_TRUE("{\"field\": \"properties.ipRules[*].value\", \"equals\": \"x\"}", "{}");
	/* nested arrays flatten */
	IF_TRUE("{\"field\": \"properties.o[*].n[*]\", \"less\": 5}",
		"{\"o\": [{\"n\": [1, 2]}, {\"n\": [3, 4]}]}");
	IF_FALSE("{\"field\": \"properties.o[*].n[*]\", \"less\": 4}",
		 "{\"o\": [{\"n\": [1, 2]}, {\"n\": [3, 4]}]}");
}

static void test_eval_logical(void **state)
{
	IF_TRUE("{\"allOf\": [{\"field\": \"type\", \"equals\": \"Microsoft.Test/things\"},"
		" {\"anyOf\": [{\"field\": \"properties.a\", \"equals\": 1}, {\"field\": \"properties.b\","
		" \"equals\": 2}]}]}",
		"{\"a\": 0, \"b\": 2}");
	IF_FALSE("{\"not\": {\"anyOf\": [{\"field\": \"properties.a\", \"equals\": 1}]}}", "{\"a\": 1}");
}

static void test_eval_count(void **state)
{
	const char *rules = "{\"rules\": [{\"port\": 22, \"access\": \"Allow\"},"
			    " {\"port\": 443, \"access\": \"Allow\"}, {\"port\": 3389, \"access\": \"Deny\"}]}";
	IF_TRUE("{\"count\": {\"field\": \"properties.rules[*]\"}, \"equals\": 3}", rules);
	IF_TRUE("{\"count\": {\"field\": \"properties.rules[*]\", \"where\": {\"field\":"
		" \"properties.rules[*].access\", \"equals\": \"allow\"}}, \"equals\": 2}",
		rules);
	/* a missing array counts 0 */
	IF_TRUE("{\"count\": {\"field\": \"properties.disks[*]\"}, \"equals\": 0}", "{}");
	/* current() of a field count, and the "all members match" idiom */
	IF_TRUE("{\"count\": {\"field\": \"properties.rules[*]\", \"where\": {\"value\":"
		" \"[current('properties.rules[*].port')]\", \"greater\": 20}}, \"equals\":"
		" \"[length(field('properties.rules[*]'))]\"}",
		rules);
	/* value count with name and current(name) */
	IF_TRUE("{\"count\": {\"value\": [22, 3389], \"name\": \"p\", \"where\": {\"count\": {\"field\":"
		" \"properties.rules[*]\", \"where\": {\"allOf\": [{\"field\": \"properties.rules[*].port\","
		" \"equals\": \"[current('p')]\"}, {\"field\": \"properties.rules[*].access\", \"equals\":"
		" \"Allow\"}]}}, \"greater\": 0}}, \"equals\": 1}",
		rules);
	/* bare current() in an unnested value count */
	IF_TRUE("{\"count\": {\"value\": [\"10.0.0.0/8\", \"192.168.0.0/16\"], \"where\": {\"value\":"
		" \"[ipRangeContains(current(), '10.1.2.3')]\", \"equals\": true}}, \"equals\": 1}",
		"{}");
}

static void test_eval_template_functions(void **state)
{
	IF_TRUE("{\"value\": \"[concat(field('name'), '-', toLower('X'))]\", \"equals\": \"t1-x\"}", "{}");
	IF_TRUE("{\"value\": \"[first(split(field('id'), '/'))]\", \"equals\": \"\"}", "{}");
	IF_TRUE("{\"value\": \"[split(field('id'), '/')[2]]\", \"equals\": \"s\"}", "{}");
	IF_TRUE("{\"value\": \"[if(greaterOrEquals(length(field('name')), 3), substring(field('name'), 0, 3),"
		" 'short')]\", \"equals\": \"short\"}",
		"{}");
	IF_TRUE("{\"value\": \"[less(length(field('tags')), 3)]\", \"equals\": \"true\"}", "{}");
	IF_TRUE("{\"value\": \"[addDays(utcNow(), 30)]\", \"equals\": \"2024-03-31T12:00:00.0000000Z\"}",
		"{}");
	IF_TRUE("{\"field\": \"properties.expires\", \"less\": \"[addDays(utcNow(), 1)]\"}",
		"{\"expires\": \"2024-03-02T11:59:59.0000000Z\"}");
	IF_TRUE("{\"value\": \"[requestContext().apiVersion]\", \"equals\": \"9999-12-31\"}", "{}");
	IF_TRUE("{\"value\": \"[resourceGroup().name]\", \"equals\": \"g\"}", "{}");
	IF_TRUE("{\"value\": \"[subscription().subscriptionId]\", \"equals\": \"s\"}", "{}");
	IF_TRUE("{\"value\": \"[intersection(createArray('a', 'b'), createArray('b'))]\", \"equals\":"
		" [\"b\"]}",
		"{}");
	IF_TRUE("{\"value\": \"[ipRangeContains('10.0.0.0/24', '10.0.0.0/25')]\", \"equals\": true}", "{}");
	IF_TRUE("{\"value\": \"[empty(field('properties.none'))]\", \"equals\": true}", "{}");
	IF_TRUE("{\"value\": \"[coalesce(tryGet(createObject('a', 1), 'b'), 7)]\", \"equals\": 7}", "{}");
	IF_TRUE("{\"field\": \"[concat('tags[', 'Environment', ']')]\", \"equals\": \"prod\"}", "{}");
	IF_TRUE("{\"value\": \"[[literal]\", \"equals\": \"[[literal]\"}", "{}");
}

/* The error of the value expression expr, which must fail. */
static void assert_value_error(struct fixture *f, const char *expr, const char *want)
{
	char rule[512];
	snprintf(rule, sizeof rule,
		 "{\"if\": {\"value\": \"%s\", \"equals\": \"x\"}, \"then\": {\"effect\": \"deny\"}}", expr);
	struct run run;
	eval_text(f, rule, "{\"type\": \"a/b\"}", NULL, NULL, &run);
	assert_false(run.ok);
	if (!strstr(run.r.error, want))
		fail_msg("'%s' failed with '%s', not '%s'", expr, run.r.error, want);
	eval_result_release(&run.r);
}

static void test_eval_function_argument_checks(void **state)
{
	assert_value_error(*state, "[toLower(1)]", "toLower(): argument 1 must be a string");
	assert_value_error(*state, "[toLower('a', 'b')]", "toLower(): takes 1 arguments");
	assert_value_error(*state, "[replace('a', 'b', 3)]", "replace(): argument 3 must be a string");
	assert_value_error(*state, "[startsWith('a')]", "startsWith(): takes 2 arguments");
	assert_value_error(*state, "[startsWith('a', 2)]", "startsWith(): argument 2 must be a string");
	assert_value_error(*state, "[substring(1, 0)]", "substring(): argument 1 must be a string");
	assert_value_error(*state, "[substring('abc', 'x')]", "substring(): argument 2 must be an integer");
	assert_value_error(*state, "[addDays(5, 1)]", "addDays(): argument 1 must be a string");
}

static void test_eval_unsupported_function_names_it(void **state)
{
	struct run run;
	eval_text(*state,
		  "{\"if\": {\"value\": \"[uniqueString(field('id'))]\", \"equals\": \"x\"},"
		  " \"then\": {\"effect\": \"deny\"}}",
		  "{\"type\": \"a/b\"}", NULL, NULL, &run);
	assert_false(run.ok);
	assert_non_null(strstr(run.r.error, "'uniqueString'"));
	eval_result_release(&run.r);
	eval_text(*state,
		  "{\"if\": {\"value\": \"[frobnicate()]\", \"equals\": \"x\"}, \"then\": {\"effect\": \"deny\"}}",
		  "{\"type\": \"a/b\"}", NULL, NULL, &run);
	assert_false(run.ok);
	assert_non_null(strstr(run.r.error, "unsupported function 'frobnicate'"));
	eval_result_release(&run.r);
	/* a failing function fails the run even behind a false sibling */
	eval_text(*state,
		  "{\"if\": {\"allOf\": [{\"value\": \"[length(field('name'))]\", \"greaterOrEquals\": 30},"
		  " {\"value\": \"[substring(field('name'), 0, 30)]\", \"equals\": \"x\"}]},"
		  " \"then\": {\"effect\": \"deny\"}}",
		  "{\"type\": \"a/b\", \"name\": \"short\"}", NULL, NULL, &run);
	assert_false(run.ok);
	assert_int_equal(run.r.compliance, EVAL_ERROR);
	eval_result_release(&run.r);
}

static const char *const storage = "{\"id\": \"/subscriptions/s/resourceGroups/g/providers/"
				   "Microsoft.Storage/storageAccounts/sa\", \"name\": \"sa\", \"type\":"
				   " \"Microsoft.Storage/storageAccounts\", \"location\": \"westeurope\","
				   " \"properties\": {\"minimumTlsVersion\": \"TLS1_0\"}}";

/* A rule whose `if` holds for storage with the literal effect, reported as spelt. */
static void assert_literal_effect(struct fixture *f, const char *effect, enum eval_compliance want)
{
	char rule[256];
	snprintf(rule, sizeof rule,
		 "{\"if\": {\"field\": \"type\", \"equals\": \"Microsoft.Storage/storageAccounts\"},"
		 " \"then\": {\"effect\": \"%s\"}}",
		 effect);
	struct run run;
	eval_text(f, rule, storage, NULL, NULL, &run);
	assert_string_equal(run.r.effect, effect);
	assert_int_equal(run.r.compliance, want);
	eval_result_release(&run.r);
}

static void test_eval_effects_and_compliance(void **state)
{
	const char *def =
		"{\"properties\": {\"mode\": \"Indexed\", \"parameters\": {\"effect\": {\"type\":"
		" \"String\", \"defaultValue\": \"Audit\"}}, \"policyRule\": {\"if\": {\"allOf\": ["
		"{\"field\": \"type\", \"equals\": \"Microsoft.Storage/storageAccounts\"},"
		"{\"field\": \"Microsoft.Storage/storageAccounts/minimumTlsVersion\", \"notEquals\": \"TLS1_2\"}]},"
		" \"then\": {\"effect\": \"[parameters('effect')]\"}}}}";
	struct run run;
	eval_text(*state, def, storage, NULL, NULL, &run);
	assert_true(run.ok);
	assert_string_equal(run.r.effect, "Audit");
	assert_int_equal(run.r.compliance, EVAL_NON_COMPLIANT);
	assert_true(run.r.step_count >= 2);
	eval_result_release(&run.r);
	eval_text(*state, def, storage, "{\"effect\": {\"value\": \"Deny\"}}", NULL, &run);
	assert_string_equal(run.r.effect, "Deny");
	eval_result_release(&run.r);
	/* The effect is reported as the parameter value or the rule spells it. */
	eval_text(*state, def, storage, "{\"effect\": \"deny\"}", NULL, &run);
	assert_string_equal(run.r.effect, "deny");
	assert_int_equal(run.r.compliance, EVAL_NON_COMPLIANT);
	eval_result_release(&run.r);
	assert_literal_effect(*state, "audit", EVAL_NON_COMPLIANT);
	assert_literal_effect(*state, "DISABLED", EVAL_NOT_APPLICABLE);
	/* another type: not applicable */
	eval_text(*state, def, "{\"type\": \"Microsoft.Web/sites\", \"location\": \"x\"}", NULL, NULL, &run);
	assert_int_equal(run.r.compliance, EVAL_NOT_APPLICABLE);
	assert_false(run.r.applicable);
	eval_result_release(&run.r);
	/* Indexed: a resource without location is not in scope */
	eval_text(*state, def, "{\"type\": \"Microsoft.Storage/storageAccounts\"}", NULL, NULL, &run);
	assert_int_equal(run.r.compliance, EVAL_NOT_APPLICABLE);
	eval_result_release(&run.r);
}

static void test_eval_existence_check(void **state)
{
	const char *def =
		"{\"if\": {\"field\": \"type\", \"equals\": \"Microsoft.Storage/storageAccounts\"},"
		" \"then\": {\"effect\": \"auditIfNotExists\", \"details\": {\"type\":"
		" \"Microsoft.Insights/diagnosticSettings\", \"existenceCondition\": {\"allOf\": ["
		"{\"field\": \"Microsoft.Insights/diagnosticSettings/workspaceId\", \"exists\": true},"
		"{\"value\": \"[field('name')]\", \"equals\": \"sa\"}]}}}}";
	struct run run;
	eval_text(*state, def, storage, NULL, NULL, &run);
	assert_int_equal(run.r.compliance, EVAL_NON_COMPLIANT);
	eval_result_release(&run.r);
	eval_text(*state, def, storage, NULL,
		  "[{\"type\": \"Microsoft.Insights/diagnosticSettings\", \"name\": \"d\", \"properties\": {}},"
		  " {\"type\": \"Microsoft.Insights/diagnosticSettings\", \"name\": \"e\", \"properties\":"
		  " {\"workspaceId\": \"/w\"}}]",
		  &run);
	assert_int_equal(run.r.compliance, EVAL_COMPLIANT);
	assert_true(run.r.existence);
	eval_result_release(&run.r);
	/* `if` false: not applicable */
	eval_text(*state, def, "{\"type\": \"Microsoft.Web/sites\"}", NULL, NULL, &run);
	assert_int_equal(run.r.compliance, EVAL_NOT_APPLICABLE);
	eval_result_release(&run.r);
}

static void test_eval_modify_and_append(void **state)
{
	const char *def =
		"{\"if\": {\"field\": \"Microsoft.Storage/storageAccounts/minimumTlsVersion\", \"notEquals\":"
		" \"TLS1_2\"}, \"then\": {\"effect\": \"modify\", \"details\": {\"roleDefinitionIds\": [\"/r\"],"
		" \"operations\": [{\"operation\": \"addOrReplace\", \"field\":"
		" \"Microsoft.Storage/storageAccounts/minimumTlsVersion\", \"value\": \"TLS1_2\"},"
		" {\"operation\": \"addOrReplace\", \"field\": \"tags['owner']\", \"value\": \"[field('name')]\"},"
		" {\"operation\": \"add\", \"field\": \"properties.skipped.deep\", \"value\": 1}]}}}";
	struct run run;
	eval_text(*state, def, storage, NULL, NULL, &run);
	assert_true(run.ok);
	assert_int_equal(run.r.compliance, EVAL_NON_COMPLIANT);
	assert_non_null(run.r.modified);
	const cJSON *props = cJSON_GetObjectItem(run.r.modified, "properties");
	assert_string_equal(cJSON_GetObjectItem(props, "minimumTlsVersion")->valuestring, "TLS1_2");
	assert_null(cJSON_GetObjectItem(props, "skipped")); /* a parent absent from the payload */
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(run.r.modified, "tags"), "owner")
				    ->valuestring,
			    "sa");
	eval_result_release(&run.r);

	const char *app = "{\"if\": {\"field\": \"type\", \"equals\": \"Microsoft.Storage/storageAccounts\"},"
			  " \"then\": {\"effect\": \"append\", \"details\": [{\"field\":"
			  " \"properties.ipRules[*]\", \"value\": {\"value\": \"1.2.3.4\"}}]}}";
	eval_text(*state, app, storage, NULL, NULL, &run);
	assert_true(run.ok);
	const cJSON *rules = cJSON_GetObjectItem(cJSON_GetObjectItem(run.r.modified, "properties"), "ipRules");
	assert_int_equal(cJSON_GetArraySize(rules), 1);
	eval_result_release(&run.r);
}

static void test_eval_alias_fallback(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(eval_alias_fallback(&f->arena, "Microsoft.Storage/storageAccounts/minimumTlsVersion"),
			    "properties.minimumTlsVersion");
	assert_string_equal(eval_alias_fallback(&f->arena, "Microsoft.DataFactory/factories/integrationRuntimes/"
							   "Managed.typeProperties.ssisProperties"),
			    "properties.typeProperties.ssisProperties");
	assert_string_equal(eval_alias_fallback(&f->arena, "Microsoft.Compute/virtualMachines/sku.name"),
			    "sku.name");
	assert_string_equal(eval_alias_fallback(&f->arena, "Microsoft.Network/nsg/securityRules[*].name"),
			    "properties.securityRules[*].name");
	assert_string_equal(eval_alias_fallback(&f->arena, "properties.x"), "properties.x");
}

/* An alias table loaded from text (CSV or JSON) and its resolver. */
struct table {
	struct alias_table t;
	struct source *src;
	struct eval_aliases ea;
};

static void table_load(struct table *tb, const char *text)
{
	tb->src = source_from_memory("aliases", text, strlen(text));
	struct diag_engine d;
	diag_init(&d);
	alias_table_init(&tb->t);
	assert_true(alias_table_load(&tb->t, tb->src, &d));
	assert_true(alias_table_finish(&tb->t, &d));
	diag_release(&d);
	ealias_resolver(&tb->ea, &tb->t);
}

static void table_release(struct table *tb)
{
	alias_table_release(&tb->t);
	source_free(tb->src);
}

/* The `if` of condition over a Microsoft.Test/things resource with the given
 * properties, fields resolved through aliases; *what gets the first step that
 * names field (malloc'd, or NULL). */
static bool if_with(struct fixture *f, const struct eval_aliases *aliases, const char *api,
		    const char *condition, const char *properties, const char *field, char **what)
{
	char rule[4096], res[4096];
	snprintf(rule, sizeof rule, "{\"if\": %s, \"then\": {\"effect\": \"audit\"}}", condition);
	snprintf(res, sizeof res,
		 "{\"id\": \"/subscriptions/s/resourceGroups/g/providers/Microsoft.Test/things/t1\","
		 " \"name\": \"t1\", \"type\": \"Microsoft.Test/things\", \"properties\": %s}",
		 properties);
	struct run run;
	eval_text_aliases(f, rule, res, NULL, NULL, aliases, api, &run);
	if (!run.ok)
		fail_msg("evaluation failed: %s", run.r.error);
	*what = NULL;
	for (size_t i = 0; i < run.r.step_count && !*what; i++)
		if (strstr(run.r.steps[i].what, field))
			*what = strdup(run.r.steps[i].what);
	bool v = run.r.if_value;
	eval_result_release(&run.r);
	return v;
}

static void test_eval_alias_table_resolves_paths(void **state)
{
	struct fixture *f = *state;
	struct table tb;
	table_load(&tb,
		   "alias,defaultPath\n"
		   "Microsoft.Test/things/weird,properties.deep.inner\n"
		   "Microsoft.Test/things/rules[*],properties.securityRules[*]\n"
		   "Microsoft.Test/things/rules[*].port,properties.securityRules[*].properties.port\n");
	const char *props = "{\"deep\": {\"inner\": \"x\"}, \"weird\": \"y\", \"rules\": [{\"port\": 23}], \"securityRules\": "
			    "[{\"properties\": {\"port\": 22}}, {\"properties\": {\"port\": 22}}]}";
	char *what;
	/* The table's path, not the one the name suggests; names ignore case. */
	assert_true(if_with(f, &tb.ea, NULL, "{\"field\": \"microsoft.test/THINGS/Weird\", \"equals\": \"x\"}",
			    props, "Weird", &what));
	assert_non_null(what);
	assert_non_null(strstr(what, "(properties.deep.inner, from the alias table)"));
	free(what);
	/* Without a table the path is guessed from the name, and the trace says so. */
	assert_true(if_with(f, NULL, NULL, "{\"field\": \"Microsoft.Test/things/weird\", \"equals\": \"y\"}",
			    props, "weird", &what));
	assert_non_null(strstr(what, "(properties.weird, no alias table: path guessed from the name)"));
	free(what);
	/* An alias the table does not know falls back too, said differently. */
	assert_false(if_with(f, &tb.ea, NULL, "{\"field\": \"Microsoft.Test/things/other\", \"exists\": true}",
			     props, "other", &what));
	assert_non_null(strstr(what, "(properties.other, not in the alias table: path guessed from the name)"));
	free(what);
	/* [*] aliases: every element, and count over the array with where. */
	assert_true(if_with(f, &tb.ea, NULL, "{\"field\": \"Microsoft.Test/things/rules[*].port\", \"equals\": 22}",
			    props, "port", &what));
	free(what);
	assert_false(if_with(f, NULL, NULL, "{\"field\": \"Microsoft.Test/things/rules[*].port\", \"equals\": 22}",
			     props, "port", &what));
	free(what);
	assert_true(if_with(f, &tb.ea, NULL,
			    "{\"count\": {\"field\": \"Microsoft.Test/things/rules[*]\", \"where\": "
			    "{\"field\": \"Microsoft.Test/things/rules[*].port\", \"equals\": 22}}, \"equals\": 2}",
			    props, "count", &what));
	assert_non_null(strstr(what, "(properties.securityRules[*], from the alias table)"));
	free(what);
	table_release(&tb);
}

static void test_eval_alias_lock_and_api_versions(void **state)
{
	struct fixture *f = *state;
	struct table tb;
	/* The lock file's short form, and a path that an API version selects. */
	table_load(&tb,
		   "{\"value\": [{\"namespace\": \"Microsoft.Test\", \"resourceTypes\": [{\"resourceType\": "
		   "\"things\", \"aliases\": [[\"managedVirtualNetworks.alias\", \"properties.alias\"], "
		   "{\"name\": \"Microsoft.Test/things/mode\", \"defaultPath\": \"properties.mode\", "
		   "\"paths\": [{\"path\": \"properties.legacyMode\", \"apiVersions\": [\"2019-01-01\"]}]}]}]}]}");
	const char *props = "{\"alias\": \"a\", \"mode\": \"new\", \"legacyMode\": \"old\"}";
	char *what;
	assert_true(if_with(f, &tb.ea, NULL,
			    "{\"field\": \"Microsoft.Test/things/managedVirtualNetworks.alias\", \"equals\": \"a\"}",
			    props, "alias", &what));
	free(what);
	assert_false(if_with(f, NULL, NULL,
			     "{\"field\": \"Microsoft.Test/things/managedVirtualNetworks.alias\", \"equals\": \"a\"}",
			     props, "alias", &what));
	free(what);
	assert_true(if_with(f, &tb.ea, NULL, "{\"field\": \"Microsoft.Test/things/mode\", \"equals\": \"new\"}",
			    props, "mode", &what));
	free(what);
	assert_true(if_with(f, &tb.ea, "2019-01-01",
			    "{\"field\": \"Microsoft.Test/things/mode\", \"equals\": \"old\"}", props, "mode",
			    &what));
	assert_non_null(strstr(what, "(properties.legacyMode, from the alias table)"));
	free(what);
	table_release(&tb);
}

static void test_eval_value_helpers(void **state)
{
	(void)state;
	assert_true(evalue_like("abcdef", "a*c*f"));
	assert_false(evalue_like("abcdef", "a*c*g"));
	assert_true(evalue_match("ab1", "??#", false));
	assert_false(evalue_match("ab", "??#", false));
	const char *err;
	assert_true(efunc_ip_range_contains("10.0.0.0-10.0.0.255", "10.0.0.7", &err));
	assert_false(efunc_ip_range_contains("10.0.0.0/24", "10.0.1.1", &err));
	assert_null(err);
	assert_false(efunc_ip_range_contains("10.0.0.0/24", "::1", &err));
	assert_non_null(err);
	long long days;
	long secs, ticks;
	assert_true(efunc_parse_datetime("2024-02-28T23:00:00+01:00", &days, &secs, &ticks));
	char buf[48];
	efunc_format_datetime(buf, sizeof buf, days + 1, secs, ticks);
	assert_string_equal(buf, "2024-02-29T22:00:00.0000000Z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_eval_equals_ignores_case_and_coerces, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_like_and_match, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_contains_in_and_keys, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_ordering, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_missing_versus_null, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_star_every_element, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_logical, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_count, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_template_functions, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_unsupported_function_names_it, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_function_argument_checks, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_effects_and_compliance, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_existence_check, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_modify_and_append, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_alias_fallback, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_alias_table_resolves_paths, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_alias_lock_and_api_versions, fixture_setup,
						fixture_teardown),
		cmocka_unit_test_setup_teardown(test_eval_value_helpers, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
