#include "pacc/gen_bicep.h"

#include "pacc/arena.h"
#include "pacc/armexpr.h"
#include "pacc/bicep_str.h"
#include "pacc/gen_bicep_module.h"
#include "pacc/gen_json.h"
#include "pacc/json.h"
#include "pacc/text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define API_POLICY_DEFINITIONS "2021-06-01"
#define API_POLICY_SETS "2021-06-01"
#define API_POLICY_ASSIGNMENTS "2022-06-01"
#define API_ROLE_ASSIGNMENTS "2022-04-01"

/* ---- naming ---- */

void gen_bicep_assignment_name(struct sb *out, const char *pack_name)
{
	text_fit_name(out, pack_name, GEN_BICEP_ASSIGNMENT_NAME_MAX);
}

static bool is_effect_param(const struct ast_policy *p, const struct ast_param *pa)
{
	return p->effect_form == AST_EFFECT_PARAM && p->effect_param == pa;
}

static const struct ast_json *role_ids(const struct ast_policy *p)
{
	switch (p->details_kind) {
	case AST_DETAILS_MODIFY:
		return p->details.modify ? p->details.modify->role_ids : NULL;
	case AST_DETAILS_RELATED:
		return p->details.related ? p->details.related->role_ids : NULL;
	case AST_DETAILS_NONE:
	case AST_DETAILS_APPEND:
	case AST_DETAILS_JSON:
		return NULL;
	}
	return NULL;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The role GUID at the end of a role definition id, or NULL when id is not
 * "<...>/roleDefinitions/<guid>" (e.g. a template expression). */
static const char *role_guid(const char *id)
{
	const char *slash = strrchr(id, '/');
	const char *g = slash ? slash + 1 : id;
	if (strlen(g) != 36)
		return NULL;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? g[i] != '-' : !is_hex(g[i]))
			return NULL;
	}
	return g;
}

/* ---- the pack's policies, in initiative order ---- */

struct role {
	char guid[37];              /* lowercase */
	const struct ast_policy *first; /* the first policy that needs it */
	size_t users;               /* how many policies need it */
	const char *ident;          /* the role assignment resource */
};

struct definition {
	const struct ast_policy *policy;
	const struct ast_section *section;
	const char *ref_id;
	const char *json_var;       /* identifier of the loadJsonContent variable */
	const char *resource;       /* identifier of the definition resource */
	const char *effect_param;   /* identifier of the Bicep effect param, or NULL */
};

/* A policy parameter surfaced on the initiative under its own name. */
struct shared_param {
	const struct ast_param *param;
	const char *ident;          /* Bicep param, or NULL when not surfaced */
};

struct plan {
	struct arena arena;
	struct bicep_names names;
	struct definition *defs;
	size_t def_count;
	struct shared_param *shared;
	size_t shared_count;
	struct role *roles;
	size_t role_count;
	bool identity;
	const char *assignment_name;
};

static const char *new_ident(struct plan *pl, const char *text)
{
	struct sb sb = SB_INIT;
	bicep_names_add(&pl->names, &sb, text);
	const char *s = arena_strndup(&pl->arena, sb.buf, sb.len);
	sb_release(&sb);
	return s;
}

static bool shared_has(const struct plan *pl, const char *name)
{
	for (size_t i = 0; i < pl->shared_count; i++)
		if (strcasecmp(pl->shared[i].param->name->s, name) == 0)
			return true;
	return false;
}

static void add_role(struct plan *pl, const char *guid, const struct ast_policy *p)
{
	for (size_t i = 0; i < pl->role_count; i++)
		if (strcasecmp(pl->roles[i].guid, guid) == 0) {
			pl->roles[i].users++;
			return;
		}
	struct role *r = &pl->roles[pl->role_count++];
	for (size_t i = 0; i < 36; i++) {
		char c = guid[i];
		r->guid[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	r->guid[36] = '\0';
	r->first = p;
	r->users = 1;
}

/* Float has no Bicep type: such a parameter goes through a string. */
static bool is_float(const struct ast_param *pa)
{
	return pa->type && strcasecmp(pa->type->s, "Float") == 0;
}

static void plan_build(struct plan *pl, const struct ast_pack *pack)
{
	arena_init(&pl->arena);
	static const char *const fixed[] = { "enforcementMode", "location", "assignmentName",
					     "initiativeJson", "initiative", "assignment" };
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		bicep_names_reserve(&pl->names, fixed[i]);

	size_t policies = 0, params = 0, roles = 0;
	for (const struct ast_section *sec = pack->sections; sec; sec = sec->next)
		for (const struct ast_recommendation *rec = sec->recommendations; rec; rec = rec->next)
			for (const struct ast_policy *p = rec->policies; p; p = p->next) {
				policies++;
				for (const struct ast_param *pa = p->params; pa; pa = pa->next)
					params++;
				const struct ast_json *ids = role_ids(p);
				if (ids && ids->kind == AST_JSON_ARRAY)
					roles += ids->u.array.count;
			}
	pl->defs = ARENA_NEW_ARRAY(&pl->arena, struct definition, policies ? policies : 1);
	pl->shared = ARENA_NEW_ARRAY(&pl->arena, struct shared_param, params ? params : 1);
	pl->roles = ARENA_NEW_ARRAY(&pl->arena, struct role, roles ? roles : 1);

	struct sb text = SB_INIT;
	for (const struct ast_section *sec = pack->sections; sec; sec = sec->next) {
		for (const struct ast_recommendation *rec = sec->recommendations; rec; rec = rec->next) {
			for (const struct ast_policy *p = rec->policies; p; p = p->next) {
				struct definition *d = &pl->defs[pl->def_count++];
				d->policy = p;
				d->section = sec;
				d->ref_id = gen_json_reference_id(pack, p);
				sb_reset(&text);
				sb_addf(&text, "%s-policy", d->ref_id);
				d->json_var = new_ident(pl, text.buf);
				sb_reset(&text);
				sb_addf(&text, "%s-definition", d->ref_id);
				d->resource = new_ident(pl, text.buf);
				for (const struct ast_param *pa = p->params; pa; pa = pa->next) {
					if (is_effect_param(p, pa)) {
						sb_reset(&text);
						sb_addf(&text, "%s-effect", d->ref_id);
						d->effect_param = new_ident(pl, text.buf);
					} else if (pa->name && !shared_has(pl, pa->name->s)) {
						struct shared_param *sp = &pl->shared[pl->shared_count++];
						sp->param = pa;
					}
				}
				if (ast_policy_remediates(p)) {
					pl->identity = true;
					const struct ast_json *ids = role_ids(p);
					if (ids && ids->kind == AST_JSON_ARRAY)
						for (const struct ast_json_item *it = ids->u.array.items; it;
						     it = it->next) {
							if (it->value->kind != AST_JSON_STRING)
								continue;
							const char *g = role_guid(it->value->u.string->s);
							if (g)
								add_role(pl, g, p);
						}
				}
			}
		}
	}
	/* Role assignments and shared parameters are named after the
	 * definitions, so the fixed suffixes (-policy, -definition, -effect)
	 * keep every name readable and a parameter can only ever get a number. */
	for (size_t i = 0; i < pl->role_count; i++) {
		sb_reset(&text);
		sb_addf(&text, "role-assignment-%zu", i + 1);
		pl->roles[i].ident = new_ident(pl, text.buf);
	}
	for (size_t i = 0; i < pl->shared_count; i++)
		pl->shared[i].ident = new_ident(pl, pl->shared[i].param->name->s);
	sb_reset(&text);
	gen_bicep_assignment_name(&text, pack->name);
	pl->assignment_name = arena_strndup(&pl->arena, text.buf, text.len);
	sb_release(&text);
}

static void plan_release(struct plan *pl)
{
	bicep_names_release(&pl->names);
	arena_release(&pl->arena);
}

/* ---- writing ---- */

enum scope {
	SCOPE_MANAGEMENT_GROUP, /* guardrails.bicep */
	SCOPE_SUBSCRIPTION,     /* guardrails.sub.bicep */
};

static void add_description(struct sb *b, const char *text)
{
	sb_adds(b, "@description(");
	bicep_str_adds(b, text);
	sb_adds(b, ")\n");
}

static void add_allowed(struct sb *b, const struct ast_json *allowed)
{
	if (!allowed || allowed->kind != AST_JSON_ARRAY || !allowed->u.array.items)
		return;
	sb_adds(b, "@allowed(");
	bicep_json_add(b, allowed, 0);
	sb_adds(b, ")\n");
}

static void add_header(struct sb *b, const struct ast_pack *pack, const struct plan *pl,
		       enum scope scope)
{
	const struct ast_service *svc = pack->service;
	sb_adds(b, "// Guardrails for ");
	bicep_comment_add_text(b, svc->name);
	sb_adds(b, ", from the pacc pack '");
	bicep_comment_add(b, pack->name, strlen(pack->name));
	sb_addch(b, '\'');
	if (svc->version) {
		sb_adds(b, " version ");
		bicep_comment_add_text(b, svc->version);
	}
	sb_adds(b, ". Generated by pacc: edit the pack, not this file.\n");
	sb_addf(b, "// Deploys %zu policy definition%s, the initiative", pl->def_count,
		pl->def_count == 1 ? "" : "s");
	if (pl->role_count)
		sb_addf(b, ", its assignment '%s' and %zu role assignment%s for remediation.\n",
			pl->assignment_name, pl->role_count, pl->role_count == 1 ? "" : "s");
	else
		sb_addf(b, " and its assignment '%s'.\n", pl->assignment_name);
	switch (scope) {
	case SCOPE_MANAGEMENT_GROUP:
		sb_adds(b, "// az deployment mg create --management-group-id <mg> --location <region> "
			   "--template-file guardrails.bicep --parameters @guardrails.parameters.json\n");
		sb_adds(b, "// guardrails.sub.bicep is the same deployment at subscription scope.\n");
		break;
	case SCOPE_SUBSCRIPTION:
		sb_adds(b, "// az deployment sub create --location <region> "
			   "--template-file guardrails.sub.bicep --parameters @guardrails.parameters.json\n");
		sb_adds(b, "// guardrails.bicep is the same deployment at management-group scope.\n");
		break;
	}
	sb_addch(b, '\n');
	switch (scope) {
	case SCOPE_MANAGEMENT_GROUP:
		sb_adds(b, "targetScope = 'managementGroup'\n");
		break;
	case SCOPE_SUBSCRIPTION:
		sb_adds(b, "targetScope = 'subscription'\n");
		break;
	}
}

static void add_params(struct sb *b, const struct plan *pl)
{
	sb_addch(b, '\n');
	add_description(b, "Enforcement mode of the assignment: Default applies the effects, "
			   "DoNotEnforce only reports compliance");
	sb_adds(b, "@allowed([\n  'Default'\n  'DoNotEnforce'\n])\n");
	sb_adds(b, "param enforcementMode string = 'Default'\n");

	if (pl->identity) {
		sb_addch(b, '\n');
		add_description(b, "Region of the assignment's managed identity, which Modify and "
				   "DeployIfNotExists remediation runs as");
		sb_adds(b, "param location string = deployment().location\n");
	}

	struct sb text = SB_INIT;
	for (size_t i = 0; i < pl->def_count; i++) {
		const struct definition *d = &pl->defs[i];
		if (!d->effect_param)
			continue;
		const struct ast_param *pa = d->policy->effect_param;
		sb_addch(b, '\n');
		sb_reset(&text);
		sb_adds(&text, "Effect of the policy '");
		if (d->policy->display)
			bicep_comment_add_text(&text, d->policy->display);
		else
			sb_adds(&text, gen_json_policy_name(d->policy));
		sb_addf(&text, "' (%s)", d->ref_id);
		add_description(b, text.buf);
		add_allowed(b, pa->allowed);
		sb_addf(b, "param %s %s", d->effect_param, bicep_param_type(pa->type));
		if (pa->default_value) {
			sb_adds(b, " = ");
			bicep_json_add(b, pa->default_value, 0);
		}
		sb_addch(b, '\n');
	}

	for (size_t i = 0; i < pl->shared_count; i++) {
		const struct shared_param *sp = &pl->shared[i];
		const struct ast_param *pa = sp->param;
		sb_addch(b, '\n');
		sb_reset(&text);
		if (pa->description)
			bicep_comment_add_text(&text, pa->description);
		else if (pa->display)
			bicep_comment_add_text(&text, pa->display);
		else
			sb_addf(&text, "Value of the initiative parameter '%s'", pa->name->s);
		if (is_float(pa))
			sb_adds(&text, " (a number, written as a string)");
		add_description(b, text.buf);
		if (!is_float(pa))
			add_allowed(b, pa->allowed);
		sb_addf(b, "param %s %s", sp->ident, bicep_param_type(pa->type));
		if (pa->default_value) {
			sb_adds(b, " = ");
			if (is_float(pa) && pa->default_value->kind == AST_JSON_NUMBER)
				bicep_str_adds(b, pa->default_value->u.number.text);
			else
				bicep_json_add(b, pa->default_value, 0);
		}
		sb_addch(b, '\n');
	}
	sb_release(&text);
}

/* The loadJsonContent variables of the initiative and every definition. */
static void add_json_vars(struct sb *b, const struct plan *pl)
{
	sb_adds(b, "var initiativeJson = loadJsonContent('../initiative.json')\n");
	struct sb path = SB_INIT;
	for (size_t i = 0; i < pl->def_count; i++) {
		const struct definition *d = &pl->defs[i];
		sb_reset(&path);
		sb_addf(&path, "../policies/%s.json", gen_json_policy_name(d->policy));
		sb_addf(b, "var %s = loadJsonContent(", d->json_var);
		bicep_str_adds(b, path.buf);
		sb_adds(b, ")\n");
	}
	sb_release(&path);
}

static void add_vars(struct sb *b, const struct plan *pl)
{
	sb_addch(b, '\n');
	sb_adds(b, "var assignmentName = ");
	bicep_str_adds(b, pl->assignment_name);
	sb_addch(b, '\n');
	add_json_vars(b, pl);
}

/* `  key: <var>.properties.key` */
static void add_prop_ref(struct sb *b, const char *var, const char *key)
{
	sb_addf(b, "    %s: %s.properties.%s\n", key, var, key);
}

static void add_definitions(struct sb *b, const struct plan *pl)
{
	for (size_t i = 0; i < pl->def_count; i++) {
		const struct definition *d = &pl->defs[i];
		const struct ast_policy *p = d->policy;
		sb_addch(b, '\n');
		sb_addf(b, "resource %s 'Microsoft.Authorization/policyDefinitions@" API_POLICY_DEFINITIONS
			   "' = {\n",
			d->resource);
		sb_adds(b, "  name: ");
		bicep_str_adds(b, gen_json_policy_name(p));
		sb_adds(b, "\n  properties: {\n");
		/* Only the members the JSON generator always writes for this policy. */
		if (p->display)
			add_prop_ref(b, d->json_var, "displayName");
		add_prop_ref(b, d->json_var, "policyType");
		if (p->mode)
			add_prop_ref(b, d->json_var, "mode");
		if (p->description)
			add_prop_ref(b, d->json_var, "description");
		add_prop_ref(b, d->json_var, "metadata");
		add_prop_ref(b, d->json_var, "parameters");
		add_prop_ref(b, d->json_var, "policyRule");
		sb_adds(b, "  }\n}\n");
	}
}

/* `'[parameters(''name'')]'`, the value an initiative passes to a policy. */
static void add_param_passing(struct sb *b, const char *policy_param, const char *set_param,
			      int indent)
{
	struct sb expr = SB_INIT;
	armexpr_add_param_ref(&expr, set_param);
	bicep_indent(b, indent);
	bicep_key_add(b, policy_param);
	sb_adds(b, ": {\n");
	bicep_indent(b, indent + 1);
	sb_adds(b, "value: ");
	bicep_str_add(b, expr.buf, expr.len);
	sb_addch(b, '\n');
	bicep_indent(b, indent);
	sb_adds(b, "}\n");
	sb_release(&expr);
}

static void add_initiative(struct sb *b, const struct ast_pack *pack, const struct plan *pl)
{
	sb_adds(b, "\nresource initiative 'Microsoft.Authorization/policySetDefinitions@" API_POLICY_SETS
		   "' = {\n");
	sb_adds(b, "  name: ");
	bicep_str_adds(b, pack->name);
	sb_adds(b, "\n  properties: {\n");
	add_prop_ref(b, "initiativeJson", "displayName");
	sb_adds(b, "    policyType: 'Custom'\n");
	add_prop_ref(b, "initiativeJson", "description");
	add_prop_ref(b, "initiativeJson", "metadata");
	add_prop_ref(b, "initiativeJson", "parameters");
	add_prop_ref(b, "initiativeJson", "policyDefinitionGroups");
	/* The references point at the definitions deployed above, at this scope. */
	if (!pl->def_count) {
		sb_adds(b, "    policyDefinitions: []\n");
	} else {
		sb_adds(b, "    policyDefinitions: [\n");
		struct sb text = SB_INIT;
		for (size_t i = 0; i < pl->def_count; i++) {
			const struct definition *d = &pl->defs[i];
			const struct ast_policy *p = d->policy;
			sb_adds(b, "      {\n        policyDefinitionReferenceId: ");
			bicep_str_adds(b, d->ref_id);
			sb_addf(b, "\n        policyDefinitionId: %s.id\n", d->resource);
			if (!p->params) {
				sb_adds(b, "        parameters: {}\n");
			} else {
				sb_adds(b, "        parameters: {\n");
				for (const struct ast_param *pa = p->params; pa; pa = pa->next) {
					sb_reset(&text);
					if (is_effect_param(p, pa))
						sb_addf(&text, "%s-effect", d->ref_id);
					else
						sb_adds(&text, pa->name->s);
					add_param_passing(b, pa->name->s, text.buf, 5);
				}
				sb_adds(b, "        }\n");
			}
			sb_adds(b, "        groupNames: [\n          ");
			bicep_str_add_text(b, d->section->id);
			sb_adds(b, "\n        ]\n      }\n");
		}
		sb_release(&text);
		sb_adds(b, "    ]\n");
	}
	sb_adds(b, "  }\n}\n");
}

static void add_assignment(struct sb *b, const struct plan *pl)
{
	sb_adds(b, "\nresource assignment 'Microsoft.Authorization/policyAssignments@" API_POLICY_ASSIGNMENTS
		   "' = {\n");
	sb_adds(b, "  name: assignmentName\n");
	if (pl->identity)
		sb_adds(b, "  location: location\n  identity: {\n    type: 'SystemAssigned'\n  }\n");
	sb_adds(b, "  properties: {\n");
	add_prop_ref(b, "initiativeJson", "displayName");
	add_prop_ref(b, "initiativeJson", "description");
	sb_adds(b, "    policyDefinitionId: initiative.id\n");
	sb_adds(b, "    enforcementMode: enforcementMode\n");

	bool any_param = false;
	for (size_t i = 0; i < pl->def_count && !any_param; i++)
		any_param = pl->defs[i].effect_param != NULL;
	if (!any_param && !pl->shared_count) {
		sb_adds(b, "    parameters: {}\n");
	} else {
		sb_adds(b, "    parameters: {\n");
		struct sb key = SB_INIT;
		for (size_t i = 0; i < pl->def_count; i++) {
			const struct definition *d = &pl->defs[i];
			if (!d->effect_param)
				continue;
			sb_reset(&key);
			sb_addf(&key, "%s-effect", d->ref_id);
			sb_adds(b, "      ");
			bicep_key_add(b, key.buf);
			sb_addf(b, ": {\n        value: %s\n      }\n", d->effect_param);
		}
		for (size_t i = 0; i < pl->shared_count; i++) {
			const struct shared_param *sp = &pl->shared[i];
			sb_adds(b, "      ");
			bicep_key_add(b, sp->param->name->s);
			if (is_float(sp->param))
				sb_addf(b, ": {\n        value: json(%s)\n      }\n", sp->ident);
			else
				sb_addf(b, ": {\n        value: %s\n      }\n", sp->ident);
		}
		sb_release(&key);
		sb_adds(b, "    }\n");
	}

	bool any_message = false;
	for (size_t i = 0; i < pl->def_count && !any_message; i++)
		any_message = pl->defs[i].policy->message != NULL;
	if (any_message) {
		sb_adds(b, "    nonComplianceMessages: [\n");
		for (size_t i = 0; i < pl->def_count; i++) {
			const struct definition *d = &pl->defs[i];
			if (!d->policy->message)
				continue;
			sb_adds(b, "      {\n        message: ");
			bicep_str_add_text(b, d->policy->message);
			sb_adds(b, "\n        policyDefinitionReferenceId: ");
			bicep_str_adds(b, d->ref_id);
			sb_adds(b, "\n      }\n");
		}
		sb_adds(b, "    ]\n");
	}
	sb_adds(b, "  }\n}\n");
}

static void add_role_assignments(struct sb *b, const struct plan *pl, enum scope scope)
{
	for (size_t i = 0; i < pl->role_count; i++) {
		const struct role *r = &pl->roles[i];
		sb_adds(b, "\n// Role ");
		sb_adds(b, r->guid);
		sb_adds(b, " for remediation by ");
		bicep_comment_add(b, gen_json_policy_name(r->first), strlen(gen_json_policy_name(r->first)));
		if (r->users > 1)
			sb_addf(b, " and %zu more polic%s", r->users - 1, r->users == 2 ? "y" : "ies");
		sb_addch(b, '\n');
		sb_addf(b, "resource %s 'Microsoft.Authorization/roleAssignments@" API_ROLE_ASSIGNMENTS "' = {\n",
			r->ident);
		switch (scope) {
		case SCOPE_MANAGEMENT_GROUP:
			sb_addf(b, "  name: guid(managementGroup().id, assignmentName, '%s')\n", r->guid);
			sb_adds(b, "  properties: {\n");
			sb_addf(b, "    roleDefinitionId: tenantResourceId('Microsoft.Authorization/roleDefinitions', '%s')\n",
				r->guid);
			break;
		case SCOPE_SUBSCRIPTION:
			sb_addf(b, "  name: guid(subscription().id, assignmentName, '%s')\n", r->guid);
			sb_adds(b, "  properties: {\n");
			sb_addf(b, "    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '%s')\n",
				r->guid);
			break;
		}
		sb_adds(b, "    principalId: assignment.identity.principalId\n");
		sb_adds(b, "    principalType: 'ServicePrincipal'\n");
		sb_adds(b, "  }\n}\n");
	}
}

static void add_outputs(struct sb *b, const struct plan *pl)
{
	sb_addch(b, '\n');
	sb_adds(b, "output initiativeId string = initiative.id\n");
	sb_adds(b, "output assignmentId string = assignment.id\n");
	if (pl->identity)
		sb_adds(b, "output assignmentPrincipalId string = assignment.identity.principalId\n");
}

static void write_guardrails(struct sb *b, const struct ast_pack *pack, const struct plan *pl,
			     enum scope scope)
{
	add_header(b, pack, pl, scope);
	add_params(b, pl);
	add_vars(b, pl);
	add_definitions(b, pl);
	add_initiative(b, pack, pl);
	add_assignment(b, pl);
	add_role_assignments(b, pl, scope);
	add_outputs(b, pl);
}

/* ---- the parameters file ---- */

static void add_param_value(cJSON *params, const char *ident, cJSON *value)
{
	cJSON *o = json_object();
	json_add(o, "value", value);
	json_add(params, ident, o);
}

/*
 * guardrails.parameters.json: a value for every parameter that has a
 * default, so a pipeline edits values rather than writing the file.
 * Parameters without a default are left out on purpose: a deployment that
 * misses one fails with Azure's "missing parameter" error instead of
 * assigning a placeholder.  `location` defaults to the deployment's region.
 */
static void write_parameters(struct sb *b, const struct plan *pl)
{
	cJSON *doc = json_object();
	json_add_string(doc, "$schema",
			"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#");
	json_add_string(doc, "contentVersion", "1.0.0.0");
	cJSON *params = json_object();
	add_param_value(params, "enforcementMode", json_string("Default"));
	for (size_t i = 0; i < pl->def_count; i++) {
		const struct definition *d = &pl->defs[i];
		if (d->effect_param && d->policy->effect_param->default_value)
			add_param_value(params, d->effect_param,
					json_from_ast(d->policy->effect_param->default_value));
	}
	for (size_t i = 0; i < pl->shared_count; i++) {
		const struct shared_param *sp = &pl->shared[i];
		const struct ast_json *def = sp->param->default_value;
		if (!def)
			continue;
		if (is_float(sp->param) && def->kind == AST_JSON_NUMBER)
			add_param_value(params, sp->ident, json_string(def->u.number.text));
		else
			add_param_value(params, sp->ident, json_from_ast(def));
	}
	json_add(doc, "parameters", params);
	json_print(doc, b);
	cJSON_Delete(doc);
}

void gen_bicep_pack(const struct ast_pack *pack, struct output_set *out)
{
	if (!pack->service)
		return;
	struct plan pl = { 0 };
	plan_build(&pl, pack);
	write_guardrails(output_add(out, "bicep/guardrails.bicep"), pack, &pl, SCOPE_MANAGEMENT_GROUP);
	write_guardrails(output_add(out, "bicep/guardrails.sub.bicep"), pack, &pl, SCOPE_SUBSCRIPTION);
	write_parameters(output_add(out, "bicep/guardrails.parameters.json"), &pl);
	plan_release(&pl);
	gen_bicep_module_pack(pack, out);
}

/* ---- pieces the environment deployments share (gen_env_bicep.c) ---- */

struct gen_bicep_plan {
	struct plan pl;
};

struct gen_bicep_plan *gen_bicep_plan_new(const struct ast_pack *pack)
{
	struct gen_bicep_plan *p = xcalloc(1, sizeof(*p));
	plan_build(&p->pl, pack);
	return p;
}

void gen_bicep_plan_free(struct gen_bicep_plan *p)
{
	if (!p)
		return;
	plan_release(&p->pl);
	free(p);
}

void gen_bicep_add_definitions(struct sb *b, const struct ast_pack *pack,
			       const struct gen_bicep_plan *p)
{
	sb_addch(b, '\n');
	add_json_vars(b, &p->pl);
	add_definitions(b, &p->pl);
	add_initiative(b, pack, &p->pl);
}

size_t gen_bicep_plan_role_count(const struct gen_bicep_plan *p) { return p->pl.role_count; }

const char *gen_bicep_plan_role(const struct gen_bicep_plan *p, size_t i)
{
	return p->pl.roles[i].guid;
}

void gen_bicep_plan_ident(struct gen_bicep_plan *p, struct sb *out, const char *text)
{
	bicep_names_add(&p->pl.names, out, text);
}
