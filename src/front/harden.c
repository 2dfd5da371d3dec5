#include "pacc/harden.h"

#include <string.h>

static const char *const companion_names[HARDEN_COMPANION_KIND_COUNT] = {
	[HARDEN_COMPANION_DIAGNOSTICS] = "diagnostics",
	[HARDEN_COMPANION_PRIVATE_ENDPOINT] = "private-endpoint",
	[HARDEN_COMPANION_LOCK] = "lock",
	[HARDEN_COMPANION_ROLE_ASSIGNMENT] = "role-assignment",
	[HARDEN_COMPANION_CHILD] = "child",
};

const char *harden_companion_name(enum harden_companion_kind kind)
{
	return companion_names[kind];
}

bool harden_companion_from_name(const char *name, enum harden_companion_kind *out)
{
	for (int i = 0; i < HARDEN_COMPANION_KIND_COUNT; i++)
		if (strcmp(name, companion_names[i]) == 0) {
			*out = (enum harden_companion_kind)i;
			return true;
		}
	return false;
}

const struct harden_arg *harden_arg_find(const struct harden_companion *c, const char *key)
{
	for (const struct harden_arg *a = c->args; a; a = a->next)
		if (a->key && strcmp(a->key->s, key) == 0)
			return a;
	return NULL;
}

/* The argument's literal array when it holds at least one item, else NULL. */
static const struct ast_json *nonempty_array(const struct harden_companion *c, const char *key)
{
	const struct harden_arg *a = harden_arg_find(c, key);
	const struct ast_json *j = a && !a->value.input_name ? a->value.json : NULL;
	return j && j->kind == AST_JSON_ARRAY && j->u.array.items ? j : NULL;
}

static bool literal_false(const struct harden_companion *c, const char *key)
{
	const struct harden_arg *a = harden_arg_find(c, key);
	const struct ast_json *j = a && !a->value.input_name ? a->value.json : NULL;
	return j && j->kind == AST_JSON_BOOL && !j->u.boolean;
}

struct harden_diagnostics harden_diagnostics_plan(const struct harden_companion *c)
{
	struct harden_diagnostics plan = { 0 };
	plan.categories = nonempty_array(c, "categories");
	plan.groups = nonempty_array(c, "categoryGroups");
	plan.all_logs = !plan.categories && !plan.groups && !literal_false(c, "logs") &&
			!harden_arg_find(c, "categories") && !harden_arg_find(c, "categoryGroups");
	plan.metrics = !literal_false(c, "metrics");
	return plan;
}

static void add_list(struct sb *out, const struct ast_json *list)
{
	size_t i = 0, n = list->u.array.count;
	for (const struct ast_json_item *it = list->u.array.items; it; it = it->next, i++) {
		if (i)
			sb_adds(out, i + 1 == n ? " and " : ", ");
		if (it->value->kind == AST_JSON_STRING)
			sb_addf(out, "'%s'", it->value->u.string->s);
	}
}

void harden_diagnostics_describe(const struct harden_diagnostics *plan, struct sb *out)
{
	bool logs = plan->all_logs || plan->categories || plan->groups;
	if (!logs) {
		sb_adds(out, plan->metrics ? "only metrics (no logs)" : "nothing");
		return;
	}
	if (plan->all_logs)
		sb_adds(out, "all logs");
	if (plan->categories) {
		sb_adds(out, plan->categories->u.array.count > 1 ? "the log categories " : "the log category ");
		add_list(out, plan->categories);
	}
	if (plan->groups) {
		if (plan->categories)
			sb_adds(out, plan->metrics ? ", " : " and ");
		sb_adds(out, plan->groups->u.array.count > 1 ? "the log category groups " : "the log category group ");
		add_list(out, plan->groups);
	}
	if (plan->metrics)
		sb_adds(out, " and all metrics");
}
