#include "pacc/gen_json.h"

#include "pacc/arena.h"
#include "pacc/armexpr.h"
#include "pacc/json.h"
#include "pacc/sb.h"
#include "pacc/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Member order is fixed and follows Azure's built-in definitions, so a
 * generated file reads like one from Azure's own repository.  A member
 * whose AST field is NULL is left out, except where a default is named.
 * The layout of every file is json_print()'s.
 */

#define POLICY_TYPE "Microsoft.Authorization/policyDefinitions"
#define SET_TYPE "Microsoft.Authorization/policySetDefinitions"
#define DEFINITION_ID_PREFIX "/providers/Microsoft.Authorization/policyDefinitions/"

/* Azure's limit on a displayName, in characters. */
#define DISPLAY_NAME_MAX 128

/* What an `effect a|b|c = a` parameter says when the pack gives no metadata. */
#define EFFECT_DISPLAY "Effect"
#define EFFECT_DESCRIPTION "Enable or disable the execution of the policy"

/* ---- small helpers ---- */

static void add_str(cJSON *object, const char *key, const struct ast_str *s)
{
	if (s)
		json_add(object, key, json_from_str(s));
}

static void add_json(cJSON *object, const char *key, const struct ast_json *v)
{
	if (v)
		json_add(object, key, json_from_ast(v));
}

/*
 * "policyType" as written.  A declared policy or initiative without one
 * gets none (Azure takes an absent policyType as Custom, and an imported
 * definition must come back as it was); a policy pacc derives from an
 * `enforce` says "Custom", Azure's kind for user-made definitions.
 */
static void add_policy_type(cJSON *props, const struct ast_str *policy_type, bool derived)
{
	if (policy_type)
		add_str(props, "policyType", policy_type);
	else if (derived)
		json_add_string(props, "policyType", "Custom");
}

/* Appends the prose of s (exact text for a quoted string) to sb. */
static void add_text(struct sb *sb, const struct ast_str *s)
{
	if (!s)
		return;
	if (s->is_text_block)
		json_prose(sb, s->s, s->len);
	else
		sb_adds(sb, s->s);
}

/*
 * Shortens sb to at most max characters: when too long, cuts at a
 * character boundary (at the last space if one is near), and ends in "...".
 */
static void truncate_display(struct sb *sb, size_t max)
{
	if (text_utf8_chars(sb->buf, sb->len) <= max)
		return;
	size_t keep = max - 3, chars = 0, cut = 0;
	for (size_t i = 0; i < sb->len; i++) {
		if (((unsigned char)sb->buf[i] & 0xC0) != 0x80) {
			if (chars == keep) {
				cut = i;
				break;
			}
			chars++;
		}
	}
	size_t space = cut;
	while (space > 0 && sb->buf[space - 1] != ' ' && cut - space < 24)
		space--;
	if (space > 0 && sb->buf[space - 1] == ' ')
		cut = space - 1;
	sb_setlen(sb, cut);
	sb_rtrim(sb);
	sb_adds(sb, "...");
}

/* "[parameters('name')]", the name quoted */
static cJSON *param_ref(const char *name)
{
	struct sb sb = SB_INIT;
	armexpr_add_param_ref(&sb, name);
	cJSON *s = json_string(sb.buf);
	sb_release(&sb);
	return s;
}

/* {"value": "[parameters('name')]"} */
static cJSON *param_value_ref(const char *name)
{
	cJSON *o = json_object();
	json_add(o, "value", param_ref(name));
	return o;
}

/* The checker always sets resolved_name; the rest is a fallback. */
const char *gen_json_policy_name(const struct ast_policy *p)
{
	if (p->resolved_name)
		return p->resolved_name;
	return p->name ? p->name->s : "policy";
}

/* ---- a set of names, case-insensitive like ARM's parameter names ---- */

struct nameset {
	const char **slots;
	size_t cap, count;
};

static uint64_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 1099511628211u;
	}
	return h;
}

static void nameset_place(const char **slots, size_t cap, const char *name)
{
	size_t i = (size_t)(name_hash(name) & (cap - 1));
	while (slots[i])
		i = (i + 1) & (cap - 1);
	slots[i] = name;
}

/*
 * The name already in the set that equals name ignoring case, or NULL after
 * adding name (not copied: it must outlive the set).
 */
static const char *nameset_add(struct nameset *set, const char *name)
{
	if (set->cap) {
		size_t i = (size_t)(name_hash(name) & (set->cap - 1));
		for (; set->slots[i]; i = (i + 1) & (set->cap - 1))
			if (strcasecmp(set->slots[i], name) == 0)
				return set->slots[i];
	}
	if (2 * (set->count + 1) > set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 64;
		const char **slots = xcalloc(cap, sizeof(*slots));
		for (size_t i = 0; i < set->cap; i++)
			if (set->slots[i])
				nameset_place(slots, cap, set->slots[i]);
		free(set->slots);
		set->slots = slots;
		set->cap = cap;
	}
	nameset_place(set->slots, set->cap, name);
	set->count++;
	return NULL;
}

static void nameset_release(struct nameset *set)
{
	free(set->slots);
	set->slots = NULL;
	set->cap = set->count = 0;
}

/* ---- parameters ---- */

/* {"displayName", "description", "strongType", further members}, or NULL. */
static cJSON *param_metadata(const struct ast_param *pa)
{
	bool sugar_defaults = pa->from_effect_sugar && !pa->display && !pa->description &&
			      !pa->metadata;
	if (!pa->display && !pa->description && !pa->strong_type && !pa->metadata &&
	    !sugar_defaults)
		return NULL;
	cJSON *m = json_object();
	size_t fixed = 0;
	if (sugar_defaults) {
		json_add_string(m, "displayName", EFFECT_DISPLAY);
		json_add_string(m, "description", EFFECT_DESCRIPTION);
		fixed += 2;
	}
	if (pa->display) {
		add_str(m, "displayName", pa->display);
		fixed++;
	}
	if (pa->description) {
		add_str(m, "description", pa->description);
		fixed++;
	}
	if (pa->strong_type) {
		add_str(m, "strongType", pa->strong_type);
		fixed++;
	}
	json_merge(m, fixed, pa->metadata);
	return m;
}

static void add_param_type(cJSON *o, const struct ast_param *pa)
{
	if (pa->type)
		add_str(o, "type", pa->type);
	else if (pa->from_effect_sugar)
		json_add_string(o, "type", "String");
}

static cJSON *param_json(const struct ast_param *pa)
{
	cJSON *o = json_object();
	add_param_type(o, pa);
	cJSON *meta = param_metadata(pa);
	if (meta)
		json_add(o, "metadata", meta);
	add_json(o, "allowedValues", pa->allowed);
	add_json(o, "defaultValue", pa->default_value);
	add_json(o, "schema", pa->schema);
	json_merge(o, json_size(o), pa->extra);
	return o;
}

static cJSON *params_json(const struct ast_param *params)
{
	cJSON *o = json_object();
	for (const struct ast_param *pa = params; pa; pa = pa->next)
		json_add(o, pa->name->s, param_json(pa));
	return o;
}

/* ---- conditions ---- */

static cJSON *cond_json(const struct ast_cond *c);

static cJSON *cond_list(const struct ast_cond *children)
{
	cJSON *a = json_array();
	for (const struct ast_cond *k = children; k; k = k->next)
		json_push(a, cond_json(k));
	return a;
}

static void add_operand(cJSON *o, const struct ast_cond *c)
{
	add_json(o, ast_op_name(c->u.leaf.op), c->u.leaf.rhs);
}

static cJSON *count_json(const struct ast_cond *c)
{
	cJSON *count = json_object();
	switch (c->u.leaf.count.kind) {
	case AST_COUNT_FIELD:
		add_str(count, "field", c->u.leaf.count.field);
		break;
	case AST_COUNT_VALUE:
		add_json(count, "value", c->u.leaf.count.value);
		add_str(count, "name", c->u.leaf.count.name);
		break;
	}
	if (c->u.leaf.count.where)
		json_add(count, "where", cond_json(c->u.leaf.count.where));
	return count;
}

static cJSON *cond_json(const struct ast_cond *c)
{
	cJSON *o = json_object();
	switch (c->kind) {
	case AST_COND_ALL:
		json_add(o, "allOf", cond_list(c->u.logical.children));
		break;
	case AST_COND_ANY:
		json_add(o, "anyOf", cond_list(c->u.logical.children));
		break;
	case AST_COND_NOT:
		json_add(o, "not", c->u.negated ? cond_json(c->u.negated) : json_object());
		break;
	case AST_COND_FIELD:
		add_str(o, "field", c->u.leaf.field);
		add_operand(o, c);
		break;
	case AST_COND_VALUE:
		add_json(o, "value", c->u.leaf.value);
		add_operand(o, c);
		break;
	case AST_COND_COUNT:
		json_add(o, "count", count_json(c));
		add_operand(o, c);
		break;
	case AST_COND_JSON:
		cJSON_Delete(o);
		return json_from_ast(c->u.json);
	}
	return o;
}

/* ---- effect and details ---- */

/*
 * A fixed effect in the spelling of Azure's policy rule schema, which
 * accepts only "append audit auditIfNotExists deny deployIfNotExists
 * manual modify disabled" or an expression; Azure's built-ins write fixed
 * effects that way too.  Effects the schema does not list keep Azure's
 * casing from ast_effect_canonical(); an unknown name stays as written.
 */
static cJSON *literal_effect(const struct ast_str *effect)
{
	static const char *const schema_names[] = {
		"append", "audit", "auditIfNotExists", "deny", "deployIfNotExists",
		"manual", "modify", "disabled",
	};
	for (size_t i = 0; i < sizeof(schema_names) / sizeof(schema_names[0]); i++)
		if (strcasecmp(effect->s, schema_names[i]) == 0)
			return json_string(schema_names[i]);
	const char *canonical = ast_effect_canonical(effect->s);
	return canonical ? json_string(canonical) : json_from_str(effect);
}

static cJSON *effect_json(const struct ast_policy *p)
{
	switch (p->effect_form) {
	case AST_EFFECT_NONE:
		return NULL;
	case AST_EFFECT_LITERAL:
		return literal_effect(p->effect);
	case AST_EFFECT_PARAM:
		return param_ref(p->effect_param->name->s);
	case AST_EFFECT_EXPRESSION:
		return json_from_str(p->effect);
	}
	return NULL;
}

static cJSON *related_json(const struct ast_related *r)
{
	cJSON *o = json_object();
	add_str(o, "type", r->type);
	add_json(o, "name", r->name);
	add_json(o, "resourceGroupName", r->resource_group);
	add_str(o, "existenceScope", r->existence_scope);
	add_str(o, "evaluationDelay", r->evaluation_delay);
	if (r->existence)
		json_add(o, "existenceCondition", cond_json(r->existence));
	add_json(o, "roleDefinitionIds", r->role_ids);
	add_str(o, "deploymentScope", r->deployment_scope);
	add_json(o, "deployment", r->deployment);
	json_merge(o, json_size(o), r->extra);
	return o;
}

static const char *modify_op_name(enum ast_modify_op op)
{
	switch (op) {
	case AST_MODIFY_ADD_OR_REPLACE:
		return "addOrReplace";
	case AST_MODIFY_ADD:
		return "add";
	case AST_MODIFY_REMOVE:
		return "remove";
	}
	return "addOrReplace";
}

static cJSON *modify_json(const struct ast_modify *m)
{
	cJSON *o = json_object();
	add_json(o, "roleDefinitionIds", m->role_ids);
	add_str(o, "conflictEffect", m->conflict_effect);
	cJSON *ops = json_array();
	for (const struct ast_modify_operation *op = m->operations; op; op = op->next) {
		cJSON *e = json_object();
		json_add_string(e, "operation", modify_op_name(op->op));
		add_str(e, "field", op->field);
		add_json(e, "value", op->value);
		add_str(e, "condition", op->condition);
		json_push(ops, e);
	}
	json_add(o, "operations", ops);
	json_merge(o, json_size(o), m->extra);
	return o;
}

static cJSON *details_json(const struct ast_policy *p)
{
	switch (p->details_kind) {
	case AST_DETAILS_NONE:
		return NULL;
	case AST_DETAILS_RELATED:
		return related_json(p->details.related);
	case AST_DETAILS_MODIFY:
		return modify_json(p->details.modify);
	case AST_DETAILS_APPEND: {
		cJSON *a = json_array();
		for (const struct ast_append *e = p->details.append.entries; e; e = e->next) {
			cJSON *o = json_object();
			add_str(o, "field", e->field);
			add_json(o, "value", e->value);
			json_push(a, o);
		}
		return a;
	}
	case AST_DETAILS_JSON:
		return p->details.json ? json_from_ast(p->details.json) : NULL;
	}
	return NULL;
}

/* ---- policy definitions ---- */

/* Where an `enforce` policy sits in the guide; both NULL for a top-level policy. */
struct placement {
	const struct ast_section *section;
	const struct ast_recommendation *rec;
};

static cJSON *enforce_metadata(const struct ast_pack *pack, const struct ast_policy *p,
			       struct placement at)
{
	cJSON *m = json_object();
	if (pack->service) {
		add_str(m, "version", pack->service->version);
		add_str(m, "category", pack->service->category);
	}
	cJSON *source = json_object();
	json_add_string(source, "pack", pack->name);
	add_str(source, "section", at.section->id);
	add_str(source, "recommendation", at.rec->id);
	json_add(m, "paccSource", source);
	json_merge(m, json_size(m), p->metadata);
	return m;
}

static void add_properties(cJSON *o, const struct ast_property *props)
{
	size_t fixed = json_size(o);
	for (const struct ast_property *pr = props; pr; pr = pr->next) {
		/* json_merge works on an object; wrap the one member. */
		struct ast_json_member member = { NULL, pr->key, pr->value };
		struct ast_json one = { .kind = AST_JSON_OBJECT };
		one.u.object.members = &member;
		one.u.object.count = 1;
		json_merge(o, fixed, &one);
	}
}

static cJSON *policy_json(const struct ast_pack *pack, const struct ast_policy *p,
			  struct placement at)
{
	bool enforce = at.rec != NULL;
	cJSON *doc = json_object();
	json_add_string(doc, "name", gen_json_policy_name(p));
	add_str(doc, "id", p->id);
	json_add_string(doc, "type", POLICY_TYPE);

	cJSON *props = json_object();
	add_str(props, "displayName", p->display);
	add_policy_type(props, p->policy_type, enforce);
	add_str(props, "mode", p->mode);
	add_str(props, "description", p->description);
	if (enforce)
		json_add(props, "metadata", enforce_metadata(pack, p, at));
	else
		add_json(props, "metadata", p->metadata);
	add_str(props, "version", p->version);
	add_json(props, "versions", p->versions);
	add_properties(props, p->properties);
	if (enforce || p->params)
		json_add(props, "parameters", params_json(p->params));

	cJSON *rule = json_object();
	json_add(rule, "if", p->condition ? cond_json(p->condition) : json_object());
	cJSON *then = json_object();
	cJSON *effect = effect_json(p);
	if (effect)
		json_add(then, "effect", effect);
	cJSON *details = details_json(p);
	if (details)
		json_add(then, "details", details);
	json_add(rule, "then", then);
	json_add(props, "policyRule", rule);

	json_add(doc, "properties", props);
	return doc;
}

static void emit(struct output_set *out, const char *dir, const char *stem, cJSON *doc)
{
	struct sb path = SB_INIT;
	if (dir)
		sb_addf(&path, "%s/%s.json", dir, stem);
	else
		sb_addf(&path, "%s.json", stem);
	struct sb *data = output_add(out, path.buf);
	json_print(doc, data);
	cJSON_Delete(doc);
	sb_release(&path);
}

/* ---- the pack's initiative ---- */

const char *gen_json_reference_id(const struct ast_pack *pack, const struct ast_policy *p)
{
	const char *name = gen_json_policy_name(p);
	size_t n = strlen(pack->name);
	if (strncmp(name, pack->name, n) == 0 && name[n] == '-' && name[n + 1])
		return name + n + 1;
	return name;
}

/* The initiative parameter that carries the effect of policy p. */
static cJSON *effect_param_json(const struct ast_policy *p)
{
	const struct ast_param *pa = p->effect_param;
	cJSON *o = json_object();
	add_param_type(o, pa);

	cJSON *meta = json_object();
	struct sb display = SB_INIT;
	sb_adds(&display, "Effect for ");
	if (p->display)
		add_text(&display, p->display);
	else
		sb_adds(&display, gen_json_policy_name(p));
	truncate_display(&display, DISPLAY_NAME_MAX);
	json_add_string(meta, "displayName", display.buf);
	sb_release(&display);
	if (pa->description)
		add_str(meta, "description", pa->description);
	else if (pa->from_effect_sugar)
		json_add_string(meta, "description", EFFECT_DESCRIPTION);
	json_add(o, "metadata", meta);

	add_json(o, "allowedValues", pa->allowed);
	add_json(o, "defaultValue", pa->default_value);
	return o;
}

/* A policy parameter surfaced on the initiative under its own name. */
static cJSON *shared_param_json(const struct ast_param *pa)
{
	cJSON *o = json_object();
	add_param_type(o, pa);
	cJSON *meta = param_metadata(pa);
	if (meta)
		json_add(o, "metadata", meta);
	add_json(o, "allowedValues", pa->allowed);
	add_json(o, "defaultValue", pa->default_value);
	add_json(o, "schema", pa->schema);
	return o;
}

static bool is_effect_param(const struct ast_policy *p, const struct ast_param *pa)
{
	return p->effect_form == AST_EFFECT_PARAM && p->effect_param == pa;
}

/* The parts of the pack's initiative that grow policy by policy. */
struct pack_set {
	const struct ast_pack *pack;
	struct arena *scratch;   /* names made here live until the set is printed */
	struct nameset surfaced; /* initiative parameter names so far */
	cJSON *params;           /* properties.parameters */
	cJSON *defs;             /* properties.policyDefinitions */
};

/* Adds the reference to `enforce` policy p of section sec, surfacing its parameters. */
static void pack_set_add(struct pack_set *set, const struct ast_section *sec,
			 const struct ast_policy *p)
{
	const char *ref_id = gen_json_reference_id(set->pack, p);
	cJSON *ref = json_object();
	json_add_string(ref, "policyDefinitionReferenceId", ref_id);
	struct sb id = SB_INIT;
	sb_addf(&id, "%s%s", DEFINITION_ID_PREFIX, gen_json_policy_name(p));
	json_add_string(ref, "policyDefinitionId", id.buf);
	sb_release(&id);

	cJSON *passed = json_object();
	for (const struct ast_param *pa = p->params; pa; pa = pa->next) {
		bool effect = is_effect_param(p, pa);
		const char *name =
			effect ? arena_printf(set->scratch, "%s-effect", ref_id) : pa->name->s;
		/* One initiative parameter per name, as first declared. */
		const char *surfaced = nameset_add(&set->surfaced, name);
		if (!surfaced) {
			surfaced = name;
			json_add(set->params, name,
				 effect ? effect_param_json(p) : shared_param_json(pa));
		}
		json_add(passed, pa->name->s, param_value_ref(surfaced));
	}
	json_add(ref, "parameters", passed);
	cJSON *names = json_array();
	json_push(names, json_from_str(sec->id));
	json_add(ref, "groupNames", names);
	json_push(set->defs, ref);
}

static cJSON *section_group_json(const struct ast_section *sec)
{
	cJSON *g = json_object();
	add_str(g, "name", sec->id);
	add_str(g, "displayName", sec->title);
	if (sec->texts && sec->texts->str) {
		struct sb para = SB_INIT;
		json_prose_first_paragraph(&para, sec->texts->str->s, sec->texts->str->len);
		json_add_string(g, "description", para.buf);
		sb_release(&para);
	}
	return g;
}

static cJSON *pack_initiative_json(const struct ast_pack *pack, struct arena *scratch)
{
	const struct ast_service *svc = pack->service;
	struct sb text = SB_INIT;

	cJSON *doc = json_object();
	json_add_string(doc, "name", pack->name);
	json_add_string(doc, "type", SET_TYPE);
	cJSON *props = json_object();

	add_text(&text, svc->name);
	sb_adds(&text, " security baseline");
	truncate_display(&text, DISPLAY_NAME_MAX);
	json_add_string(props, "displayName", text.buf);
	json_add_string(props, "policyType", "Custom");

	sb_reset(&text);
	sb_adds(&text, "Enforces the security recommendations for ");
	add_text(&text, svc->name);
	if (svc->version) {
		sb_adds(&text, " (baseline version ");
		add_text(&text, svc->version);
		sb_addch(&text, ')');
	}
	sb_addch(&text, '.');
	json_add_string(props, "description", text.buf);
	sb_release(&text);

	cJSON *meta = json_object();
	add_str(meta, "version", svc->version);
	add_str(meta, "category", svc->category);
	cJSON *source = json_object();
	json_add_string(source, "pack", pack->name);
	json_add(meta, "paccSource", source);
	json_add(props, "metadata", meta);
	add_str(props, "version", svc->version);

	struct pack_set set = { pack, scratch, { NULL, 0, 0 }, json_object(), json_array() };
	cJSON *groups = json_array();
	for (const struct ast_section *sec = pack->sections; sec; sec = sec->next) {
		json_push(groups, section_group_json(sec));
		for (const struct ast_recommendation *rec = sec->recommendations; rec; rec = rec->next)
			for (const struct ast_policy *p = rec->policies; p; p = p->next)
				pack_set_add(&set, sec, p);
	}
	nameset_release(&set.surfaced);

	json_add(props, "parameters", set.params);
	json_add(props, "policyDefinitionGroups", groups);
	json_add(props, "policyDefinitions", set.defs);
	json_add(doc, "properties", props);
	return doc;
}

/* ---- declared initiatives ---- */

static cJSON *group_json(const struct ast_group *g)
{
	cJSON *o = json_object();
	add_str(o, "name", g->name);
	add_str(o, "displayName", g->display);
	add_str(o, "category", g->category);
	add_str(o, "description", g->description);
	add_str(o, "additionalMetadataId", g->metadata_id);
	json_merge(o, json_size(o), g->extra);
	return o;
}

static cJSON *definition_id(const struct ast_reference *r)
{
	const char *target = r->target ? r->target->s : "";
	if (target[0] == '/')
		return json_string(target);
	if (r->resolved && r->resolved->id)
		return json_from_str(r->resolved->id);
	struct sb sb = SB_INIT;
	sb_addf(&sb, "%s%s", DEFINITION_ID_PREFIX, r->resolved ? gen_json_policy_name(r->resolved) : target);
	cJSON *s = json_string(sb.buf);
	sb_release(&sb);
	return s;
}

static cJSON *reference_json(const struct ast_reference *r)
{
	cJSON *o = json_object();
	add_str(o, "policyDefinitionReferenceId", r->ref_id);
	json_add(o, "policyDefinitionId", definition_id(r));
	add_str(o, "definitionVersion", r->definition_version);
	if (r->params_present || r->params) {
		cJSON *params = json_object();
		for (const struct ast_ref_param *rp = r->params; rp; rp = rp->next) {
			if (rp->raw) {
				add_json(params, rp->name->s, rp->raw);
				continue;
			}
			cJSON *v = json_object();
			add_json(v, "value", rp->value);
			json_add(params, rp->name->s, v);
		}
		json_add(o, "parameters", params);
	}
	add_json(o, "groupNames", r->groups);
	json_merge(o, json_size(o), r->extra);
	return o;
}

static cJSON *initiative_json(const struct ast_initiative *ini)
{
	cJSON *doc = json_object();
	add_str(doc, "name", ini->name);
	add_str(doc, "id", ini->id);
	json_add_string(doc, "type", SET_TYPE);

	cJSON *props = json_object();
	add_str(props, "displayName", ini->display);
	add_policy_type(props, ini->policy_type, false);
	add_str(props, "description", ini->description);
	add_json(props, "metadata", ini->metadata);
	add_str(props, "version", ini->version);
	add_json(props, "versions", ini->versions);
	add_properties(props, ini->properties);
	if (ini->params)
		json_add(props, "parameters", params_json(ini->params));
	if (ini->groups) {
		cJSON *groups = json_array();
		for (const struct ast_group *g = ini->groups; g; g = g->next)
			json_push(groups, group_json(g));
		json_add(props, "policyDefinitionGroups", groups);
	}
	cJSON *defs = json_array();
	for (const struct ast_reference *r = ini->references; r; r = r->next)
		json_push(defs, reference_json(r));
	json_add(props, "policyDefinitions", defs);
	json_add(doc, "properties", props);
	return doc;
}

/* ---- the pack ---- */

void gen_json_pack(const struct ast_pack *pack, struct output_set *out)
{
	struct arena scratch = ARENA_INIT;

	for (const struct ast_section *sec = pack->sections; sec; sec = sec->next)
		for (const struct ast_recommendation *rec = sec->recommendations; rec; rec = rec->next)
			for (const struct ast_policy *p = rec->policies; p; p = p->next) {
				struct placement at = { sec, rec };
				emit(out, "policies", gen_json_policy_name(p), policy_json(pack, p, at));
			}
	for (const struct ast_policy *p = pack->policies; p; p = p->next) {
		struct placement none = { NULL, NULL };
		emit(out, "policies", gen_json_policy_name(p), policy_json(pack, p, none));
	}
	if (pack->service)
		emit(out, NULL, "initiative", pack_initiative_json(pack, &scratch));
	for (const struct ast_initiative *ini = pack->initiatives; ini; ini = ini->next)
		emit(out, "initiatives", ini->name->s, initiative_json(ini));

	arena_release(&scratch);
}
