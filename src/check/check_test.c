#include "pacc/check_test.h"

#include "pacc/epack.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *check_test_expectation(const char *w)
{
	if (strcasecmp(w, "compliant") == 0)
		return "Compliant";
	if (strcasecmp(w, "notApplicable") == 0)
		return "NotApplicable";
	return ast_effect_canonical(w);
}

static void check_one(const struct ast_test *t, struct diag_engine *d)
{
	if (!t->resource && !t->resource_file)
		diag_error(d, t->name->span, "E0510", "test '%s' has no 'resource'", t->name->s);
	if (!t->expect) {
		diag_error(d, t->name->span, "E0511", "test '%s' has no 'expect'", t->name->s);
	} else if (!check_test_expectation(t->expect->s)) {
		static const char *const words[] = {
			"compliant", "notApplicable", "Audit", "Deny", "Modify", "Append",
			"AuditIfNotExists", "DeployIfNotExists", "Disabled", "DenyAction", "Manual",
		};
		struct diag_record *r = diag_error(d, t->expect->span, "E0512",
						   "'%s' is neither an effect nor 'compliant' or "
						   "'notApplicable'", t->expect->s);
		const char *near = diag_closest(t->expect->s, words, sizeof(words) / sizeof(words[0]));
		if (near)
			diag_help(d, r, "did you mean '%s'?", near);
	}
	if (t->resource && t->resource->kind != AST_JSON_OBJECT)
		diag_error(d, t->resource->span, "E0513", "a test's resource must be a JSON object");
	if (t->parameters && t->parameters->kind != AST_JSON_OBJECT)
		diag_error(d, t->parameters->span, "E0513", "a test's parameters must be a JSON object");
	if (t->related && t->related->kind != AST_JSON_OBJECT && t->related->kind != AST_JSON_ARRAY)
		diag_error(d, t->related->span, "E0513",
			   "a test's related resources must be an object or an array");
}

void check_tests(const struct ast_pack *pack, struct diag_engine *d)
{
	size_t n;
	const struct ast_policy **pols = epack_policies(pack, &n);
	for (size_t i = 0; i < n && !diag_should_stop(d); i++)
		for (const struct ast_test *t = pols[i]->tests; t; t = t->next) {
			check_one(t, d);
			for (const struct ast_test *u = pols[i]->tests; u != t; u = u->next)
				if (strcmp(u->name->s, t->name->s) == 0) {
					struct diag_record *r = diag_error(d, t->name->span, "E0514",
									   "a second test named '%s'",
									   t->name->s);
					diag_note(d, r, u->name->span, "first test of that name");
					break;
				}
		}
	free(pols);
}
