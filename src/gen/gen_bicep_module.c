#include "pacc/gen_bicep_module.h"

#include "pacc/arena.h"
#include "pacc/bicep_str.h"
#include "pacc/check_types.h"
#include "pacc/harden.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Pinned API versions of the companion resource types, stated once here. */
#define API_DIAGNOSTIC_SETTINGS "2021-05-01-preview"
#define API_PRIVATE_ENDPOINTS "2023-04-01"
#define API_LOCKS "2020-05-01"
#define API_ROLE_ASSIGNMENTS "2022-04-01"

/* ---- slugs ---- */

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_lower_or_digit(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Appends the n bytes at s in kebab case: DataFactory -> data-factory. */
static void add_kebab(struct sb *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (is_upper(c)) {
			if (i > 0 && is_lower_or_digit(s[i - 1]))
				sb_addch(out, '-');
			sb_addch(out, (char)(c - 'A' + 'a'));
		} else if (is_lower_or_digit(c)) {
			sb_addch(out, c);
		} else if (out->len && out->buf[out->len - 1] != '-') {
			sb_addch(out, '-');
		}
	}
	while (out->len && out->buf[out->len - 1] == '-')
		sb_setlen(out, out->len - 1);
}

void gen_bicep_module_slug(struct sb *out, const char *type, bool long_form)
{
	const char *slash = strchr(type, '/');
	size_t ns_len = slash ? (size_t)(slash - type) : strlen(type);
	const char *ns = type;
	if (ns_len > 10 && strncasecmp(ns, "Microsoft.", 10) == 0) {
		ns += 10;
		ns_len -= 10;
	}
	size_t start = out->len;
	add_kebab(out, ns, ns_len);
	bool first = true;
	while (slash) {
		const char *seg = slash + 1;
		slash = strchr(seg, '/');
		size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
		if (!first || long_form) {
			sb_addch(out, '-');
			add_kebab(out, seg, n);
		}
		first = false;
	}
	if (out->len == start)
		sb_adds(out, "resource");
	/* never shadow the guardrails deployment */
	if (strncmp(out->buf + start, "guardrails", 10) == 0)
		sb_adds(out, "-resource");
}

/* ---- what one module holds ---- */

struct hardening {
	const struct ast_recommendation *rec;
	const struct harden_block *block;
};

struct module {
	const struct ast_governs *governs;
	const char *slug;
	struct hardening *items;
	size_t count;
};

/* A node of the property tree built from `set` paths. */
struct pnode {
	const char *key;
	size_t key_len;
	const struct harden_value *value; /* a leaf */
	struct pnode *children;           /* an object, in first-set order */
	struct pnode *next;
};

/* Everything one module file needs while it is written. */
struct writer {
	struct sb *b;
	struct arena *arena;
	const struct ast_pack *pack;
	const struct module *mod;
	struct bicep_names names;
	const struct harden_input **inputs;  /* used inputs, in declaration order */
	const char **input_idents;
	size_t input_count;
	const char *res;                     /* the hardened resource's identifier */
	bool top_level;                      /* the type has a single segment */
	bool needs_location;
	bool system_identity;
	size_t endpoints;                    /* private endpoints written so far */
	const char *last_child;              /* the child companion written last, or NULL */
};

static bool type_eq(const struct ast_str *a, const struct ast_str *b)
{
	return a && b && strcasecmp(a->s, b->s) == 0;
}

static bool block_targets(const struct harden_block *hb, const struct ast_governs *g)
{
	if (hb->governs)
		return hb->governs == g;
	return type_eq(hb->type, g->type);
}

/* ---- inputs ---- */

static const struct harden_input *find_input(const struct ast_pack *pack, const struct harden_value *v)
{
	if (v->input)
		return v->input;
	if (!v->input_name || !pack->service)
		return NULL;
	for (const struct harden_input *in = pack->service->inputs; in; in = in->next)
		if (in->name && strcmp(in->name->s, v->input_name->s) == 0)
			return in;
	return NULL;
}

static bool value_uses(const struct ast_pack *pack, const struct harden_value *v,
		       const struct harden_input *in)
{
	return v->input_name && find_input(pack, v) == in;
}

static bool module_uses(const struct ast_pack *pack, const struct module *m, const struct harden_input *in)
{
	for (size_t i = 0; i < m->count; i++) {
		const struct harden_block *hb = m->items[i].block;
		for (const struct harden_setting *s = hb->settings; s; s = s->next)
			if (value_uses(pack, &s->value, in))
				return true;
		for (const struct harden_companion *c = hb->companions; c; c = c->next)
			for (const struct harden_arg *a = c->args; a; a = a->next)
				if (value_uses(pack, &a->value, in))
					return true;
		for (const struct harden_identity *id = hb->identities; id; id = id->next)
			for (const struct harden_arg *a = id->args; a; a = a->next)
				if (value_uses(pack, &a->value, in))
					return true;
	}
	return false;
}

static const char *input_ident(const struct writer *w, const struct harden_value *v)
{
	const struct harden_input *in = find_input(w->pack, v);
	for (size_t i = 0; i < w->input_count; i++)
		if (w->inputs[i] == in)
			return w->input_idents[i];
	return "null";
}

/* Appends a value: the input's parameter, or the JSON as Bicep. */
static void add_value(struct writer *w, const struct harden_value *v, int indent)
{
	if (v->input_name)
		sb_adds(w->b, input_ident(w, v));
	else
		bicep_json_add(w->b, v->json, indent);
}

/* ---- the property tree ---- */

static struct pnode *child_of(struct arena *a, struct pnode *parent, const char *key, size_t n)
{
	struct pnode **tail = &parent->children;
	for (struct pnode *c = parent->children; c; c = c->next) {
		if (c->key_len == n && memcmp(c->key, key, n) == 0)
			return c;
		tail = &c->next;
	}
	struct pnode *c = ARENA_NEW(a, struct pnode);
	c->key = key;
	c->key_len = n;
	*tail = c;
	return c;
}

/* Adds one setting; the first setting of a path wins (check reports conflicts). */
static void tree_add(struct arena *a, struct pnode *root, const struct harden_setting *s)
{
	struct pnode *node = root;
	const char *p = s->path->s;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (node->value)
			return;
		node = child_of(a, node, p, n);
		if (!dot)
			break;
		p = dot + 1;
	}
	if (node->value || node->children)
		return;
	node->value = &s->value;
}

static void add_tree_members(struct writer *w, const struct pnode *node, int indent)
{
	for (const struct pnode *c = node->children; c; c = c->next) {
		char *key = arena_strndup(w->arena, c->key, c->key_len);
		bicep_indent(w->b, indent);
		bicep_key_add(w->b, key);
		sb_adds(w->b, ": ");
		if (c->value) {
			add_value(w, c->value, indent);
		} else {
			sb_adds(w->b, "{\n");
			add_tree_members(w, c, indent + 1);
			bicep_indent(w->b, indent);
			sb_addch(w->b, '}');
		}
		sb_addch(w->b, '\n');
	}
}

static bool contains_system(const struct ast_json *j)
{
	return j && j->kind == AST_JSON_STRING && strstr(j->u.string->s, "SystemAssigned") != NULL;
}

/* True when the tree gives the resource a system-assigned identity. */
static bool has_system_identity(const struct pnode *root)
{
	for (const struct pnode *c = root->children; c; c = c->next) {
		if (c->key_len != 8 || memcmp(c->key, "identity", 8) != 0)
			continue;
		if (c->value && c->value->json && c->value->json->kind == AST_JSON_OBJECT) {
			for (const struct ast_json_member *m = c->value->json->u.object.members; m; m = m->next)
				if (m->key && strcmp(m->key->s, "type") == 0 && contains_system(m->value))
					return true;
		}
		for (const struct pnode *t = c->children; t; t = t->next)
			if (t->key_len == 4 && memcmp(t->key, "type", 4) == 0 && t->value &&
			    contains_system(t->value->json))
				return true;
	}
	return false;
}

/* ---- writing ---- */

static void add_description(struct sb *b, const char *text)
{
	sb_adds(b, "@description(");
	bicep_str_adds(b, text);
	sb_adds(b, ")\n");
}

static size_t segment_count(const char *type)
{
	size_t n = 0;
	for (const char *p = strchr(type, '/'); p; p = strchr(p + 1, '/'))
		n++;
	return n;
}

/*
 * How a sentence names one resource of the n bytes of type at t: the type
 * table's noun ("storage account"), else the last segment in words, made
 * singular ("dataFlows" -> "data flow", "factories" -> "factory").
 */
static void add_noun(struct sb *out, const char *t, size_t n)
{
	char *type = strndup(t, n);
	if (!type)
		die_oom();
	const struct check_type *known = check_types_find(type);
	free(type);
	if (known) {
		sb_adds(out, known->noun);
		return;
	}
	const char *seg = t + n;
	while (seg > t && seg[-1] != '/')
		seg--;
	size_t len = (size_t)(t + n - seg);
	size_t start = out->len;
	for (size_t i = 0; i < len; i++) {
		char c = seg[i];
		if (is_upper(c)) {
			if (i > 0 && !is_upper(seg[i - 1]))
				sb_addch(out, ' ');
			c = (char)(c - 'A' + 'a');
		}
		bicep_comment_add(out, &c, 1);
	}
	size_t words = out->len - start;
	if (words > 3 && strcmp(out->buf + out->len - 3, "ies") == 0) {
		sb_setlen(out, out->len - 3);
		sb_addch(out, 'y');
	} else if (words > 1 && out->buf[out->len - 1] == 's' && out->buf[out->len - 2] != 's') {
		sb_setlen(out, out->len - 1);
	}
}

static void add_header(struct writer *w)
{
	struct sb *b = w->b;
	const struct ast_service *svc = w->pack->service;
	sb_adds(b, "// ");
	sb_adds(b, w->mod->slug);
	sb_adds(b, ".bicep: ");
	bicep_comment_add_text(b, w->mod->governs->type);
	sb_adds(b, " hardened by the pacc pack '");
	bicep_comment_add(b, w->pack->name, strlen(w->pack->name));
	sb_addch(b, '\'');
	if (svc && svc->version) {
		sb_adds(b, " version ");
		bicep_comment_add_text(b, svc->version);
	}
	sb_adds(b, ".\n// Generated by pacc: edit the pack, not this file. It implements these recommendations:\n");
	const struct ast_recommendation *last = NULL;
	for (size_t i = 0; i < w->mod->count; i++) {
		const struct ast_recommendation *r = w->mod->items[i].rec;
		if (r == last)
			continue;
		last = r;
		sb_adds(b, "//   ");
		bicep_comment_add_text(b, r->id);
		sb_adds(b, ": ");
		bicep_comment_add_text(b, r->title);
		sb_addch(b, '\n');
	}
	/* what Azure requires of the type, which the checker has made the pack give */
	const char *type = w->mod->governs->type->s;
	size_t needs = 0;
	while (check_types_need(type, needs))
		needs++;
	if (needs) {
		sb_adds(b, "// Azure requires ");
		for (size_t i = 0; i < needs; i++) {
			if (i)
				sb_adds(b, i + 1 == needs ? " and " : ", ");
			sb_adds(b, check_types_need(type, i));
		}
		sb_adds(b, " of a ");
		add_noun(b, type, strlen(type));
		sb_adds(b, "; the pack's settings give ");
		sb_adds(b, needs > 1 ? "them.\n" : "it.\n");
	}
}

static void add_usage(struct writer *w, const char **parent_params, size_t parents)
{
	struct sb *b = w->b;
	sb_adds(b, "// Use it from a workload template:\n");
	sb_adds(b, "//   module hardened '");
	sb_adds(b, w->mod->slug);
	sb_adds(b, ".bicep' = {\n//     name: 'hardened'\n//     params: {\n//       name: '<name>'\n");
	for (size_t i = 0; i < parents; i++)
		sb_addf(b, "//       %s: '<parent name>'\n", parent_params[i]);
	for (size_t i = 0; i < w->input_count; i++) {
		const struct harden_input *in = w->inputs[i];
		if (in->default_value)
			continue;
		sb_addf(b, "//       %s: <", w->input_idents[i]);
		bicep_comment_add(b, in->name->s, strlen(in->name->s));
		sb_adds(b, ">\n");
	}
	sb_adds(b, "//     }\n//   }\n");
}

/* The API version a type is pinned at in the pack, or NULL. */
static const char *pinned_version(const struct ast_pack *pack, const char *type, size_t n)
{
	for (const struct ast_governs *g = pack->service ? pack->service->governs : NULL; g; g = g->next)
		if (g->type && strlen(g->type->s) == n && strncasecmp(g->type->s, type, n) == 0 &&
		    g->api_version)
			return g->api_version->s;
	return NULL;
}

static const char *own_version(const struct writer *w)
{
	const struct ast_str *v = w->mod->governs->api_version;
	return v ? v->s : "2020-01-01";
}

/*
 * An input's default: a template expression made only of names, dots and
 * empty calls ("[subscription().tenantId]", "[resourceGroup().location]")
 * reads the same in Bicep and becomes that expression; anything else is a
 * value (a string that starts with '[' stays a literal string).
 */
static bool is_plain_expression(const struct ast_str *s, size_t *begin, size_t *len)
{
	if (s->is_text_block || s->len < 3 || s->s[0] != '[' || s->s[s->len - 1] != ']' || s->s[1] == '[')
		return false;
	for (size_t i = 1; i + 1 < s->len; i++) {
		char c = s->s[i];
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
			  c == '.' || (c == '(' && s->s[i + 1] == ')') || (c == ')' && s->s[i - 1] == '(');
		if (!ok)
			return false;
	}
	char first = s->s[1];
	if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z')))
		return false;
	*begin = 1;
	*len = s->len - 2;
	return true;
}

static void add_default(struct sb *b, const struct ast_json *v)
{
	size_t begin, len;
	if (v->kind == AST_JSON_STRING && is_plain_expression(v->u.string, &begin, &len))
		sb_add(b, v->u.string->s + begin, len);
	else
		bicep_json_add(b, v, 0);
}

/* `@minLength`/`@maxLength` (or `@allowed`) of the name, where the type table knows them. */
static void add_name_constraints(struct sb *b, const char *type)
{
	const struct check_type *t = check_types_find(type);
	const char *allowed = check_types_allowed(type, "name");
	if (allowed) {
		sb_adds(b, "@allowed([\n");
		size_t len;
		for (const char *v = allowed, *next; v; v = next) {
			next = check_types_value(v, &len);
			sb_adds(b, "  ");
			bicep_str_add(b, v, len);
			sb_addch(b, '\n');
		}
		sb_adds(b, "])\n");
	} else if (t && t->name_max) {
		sb_addf(b, "@minLength(%u)\n@maxLength(%u)\n", t->name_min, t->name_max);
	}
}

static void add_params(struct writer *w, const char **parent_params, size_t parents)
{
	struct sb *b = w->b;
	const char *type = w->mod->governs->type->s;
	struct sb text = SB_INIT;

	sb_addch(b, '\n');
	sb_adds(&text, "Name of the ");
	add_noun(&text, type, strlen(type));
	add_description(b, text.buf);
	add_name_constraints(b, type);
	sb_adds(b, "param name string");
	/* a type that takes one name only (a blob service is 'default') gets it as the default */
	const char *only = check_types_allowed(type, "name");
	if (only && !strchr(only, '|')) {
		sb_adds(b, " = ");
		bicep_str_adds(b, only);
	}
	sb_addch(b, '\n');

	if (w->needs_location) {
		sb_addch(b, '\n');
		add_description(b, "Region of the resource and its regional companions");
		sb_adds(b, "param location string = resourceGroup().location\n");
	}

	/* one name per ancestor of a child type: factories/linkedservices -> factoriesName */
	const char *seg = strchr(type, '/');
	for (size_t i = 0; i < parents; i++) {
		const char *s = seg + 1;
		const char *end = strchr(s, '/');
		sb_reset(&text);
		sb_adds(&text, "Name of the parent ");
		add_noun(&text, type, (size_t)(end - type));
		sb_addch(b, '\n');
		add_description(b, text.buf);
		sb_addf(b, "param %s string\n", parent_params[i]);
		seg = end;
	}

	for (size_t i = 0; i < w->input_count; i++) {
		const struct harden_input *in = w->inputs[i];
		sb_addch(b, '\n');
		sb_reset(&text);
		if (in->description)
			bicep_comment_add_text(&text, in->description);
		else
			sb_addf(&text, "The input '%s'", in->name->s);
		add_description(b, text.buf);
		if (in->secure)
			sb_adds(b, "@secure()\n");
		if (in->allowed && in->allowed->kind == AST_JSON_ARRAY && in->allowed->u.array.items) {
			sb_adds(b, "@allowed(");
			bicep_json_add(b, in->allowed, 0);
			sb_adds(b, ")\n");
		}
		sb_addf(b, "param %s %s", w->input_idents[i], bicep_param_type(in->type));
		if (in->default_value) {
			sb_adds(b, " = ");
			add_default(b, in->default_value);
		}
		sb_addch(b, '\n');
	}
	sb_release(&text);
}

static void add_resource_head(struct writer *w, const char *ident, const char *type, size_t type_len,
			      const char *version, const char *suffix)
{
	sb_addf(w->b, "\nresource %s '", ident);
	sb_add(w->b, type, type_len);
	sb_addf(w->b, "@%s'%s = {\n", version, suffix);
}

static void add_parents(struct writer *w, const char **parent_params, const char **parent_idents,
			size_t parents)
{
	const char *type = w->mod->governs->type->s;
	const char *seg = strchr(type, '/');
	for (size_t i = 0; i < parents; i++) {
		const char *end = strchr(seg + 1, '/');
		size_t n = (size_t)(end - type);
		const char *version = pinned_version(w->pack, type, n);
		add_resource_head(w, parent_idents[i], type, n, version ? version : own_version(w), " existing");
		if (i > 0)
			sb_addf(w->b, "  parent: %s\n", parent_idents[i - 1]);
		sb_addf(w->b, "  name: %s\n}\n", parent_params[i]);
		seg = end;
	}
}

static bool identity_system(const struct harden_identity *id)
{
	for (const struct harden_arg *a = id->args; a; a = a->next)
		if (strcmp(a->key->s, "system") == 0 && a->value.json && a->value.json->kind == AST_JSON_BOOL &&
		    a->value.json->u.boolean)
			return true;
	return false;
}

/* The user identities of the module's `identity` statements, each once, in order. */
static size_t identity_users(const struct module *m, const struct harden_value **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < m->count; i++)
		for (const struct harden_identity *id = m->items[i].block->identities; id; id = id->next)
			for (const struct harden_arg *a = id->args; a; a = a->next) {
				if (strcmp(a->key->s, "user") != 0)
					continue;
				bool seen = false;
				for (size_t k = 0; k < n && !seen; k++)
					seen = out[k]->input_name && a->value.input_name
						       ? strcmp(out[k]->input_name->s, a->value.input_name->s) == 0
						       : ast_json_equal(out[k]->json, a->value.json, false);
				if (!seen && n < max)
					out[n++] = &a->value;
			}
	return n;
}

/*
 * identity: from the `identity` statements, SystemAssigned, UserAssigned
 * or both, with every user identity as a key of userAssignedIdentities
 * (an input's id through interpolation: keys cannot be bare expressions).
 */
static void add_identity(struct writer *w)
{
	bool system = false;
	size_t max = 0;
	for (size_t i = 0; i < w->mod->count; i++)
		for (const struct harden_identity *id = w->mod->items[i].block->identities; id; id = id->next) {
			system |= identity_system(id);
			for (const struct harden_arg *a = id->args; a; a = a->next)
				max++;
		}
	if (!max)
		return;
	const struct harden_value **users = ARENA_NEW_ARRAY(w->arena, const struct harden_value *, max);
	size_t n = identity_users(w->mod, users, max);
	struct sb *b = w->b;
	sb_addf(b, "  identity: {\n    type: '%s'\n", system && n ? "SystemAssigned, UserAssigned"
						: system    ? "SystemAssigned"
							    : "UserAssigned");
	if (n) {
		sb_adds(b, "    userAssignedIdentities: {\n");
		for (size_t i = 0; i < n; i++) {
			sb_adds(b, "      ");
			if (users[i]->input_name)
				sb_addf(b, "'${%s}'", input_ident(w, users[i]));
			else
				bicep_json_add(b, users[i]->json, 3);
			sb_adds(b, ": {}\n");
		}
		sb_adds(b, "    }\n");
	}
	sb_adds(b, "  }\n");
}

static void add_main_resource(struct writer *w, const struct pnode *root, const char *parent)
{
	const char *type = w->mod->governs->type->s;
	add_resource_head(w, w->res, type, strlen(type), own_version(w), "");
	if (parent)
		sb_addf(w->b, "  parent: %s\n", parent);
	sb_adds(w->b, "  name: name\n");
	if (w->top_level)
		sb_adds(w->b, "  location: location\n");
	add_tree_members(w, root, 1);
	add_identity(w);
	sb_adds(w->b, "}\n");
}

static const struct harden_value *arg(const struct harden_companion *c, const char *key)
{
	const struct harden_arg *a = harden_arg_find(c, key);
	return a ? &a->value : NULL;
}

/* The literal string of a value, or NULL when it is an input or not a string. */
static const struct ast_str *literal_str(const struct harden_value *v)
{
	if (!v || v->input_name || !v->json || v->json->kind != AST_JSON_STRING)
		return NULL;
	return v->json->u.string;
}

static void add_name_or(struct writer *w, const struct harden_companion *c, const char *fallback)
{
	const struct harden_value *n = arg(c, "name");
	sb_adds(w->b, "  name: ");
	if (n)
		add_value(w, n, 1);
	else
		sb_adds(w->b, fallback);
	sb_addch(w->b, '\n');
}

static void add_diagnostics(struct writer *w, const struct harden_companion *c)
{
	struct sb *b = w->b;
	struct sb id = SB_INIT;
	bicep_names_add(&w->names, &id, "diagnostics");
	struct sb what = SB_INIT;
	struct harden_diagnostics sent = harden_diagnostics_plan(c);
	harden_diagnostics_describe(&sent, &what);
	sb_adds(b, "\n// Sends ");
	bicep_comment_add(b, what.buf, what.len);
	sb_adds(b, " to the workspace.");
	sb_release(&what);
	sb_addf(b, "\nresource %s 'Microsoft.Insights/diagnosticSettings@" API_DIAGNOSTIC_SETTINGS "' = {\n",
		id.buf);
	add_name_or(w, c, "'pacc-diagnostics'");
	sb_addf(b, "  scope: %s\n  properties: {\n    workspaceId: ", w->res);
	const struct harden_value *ws = arg(c, "workspace");
	if (ws)
		add_value(w, ws, 2);
	else
		sb_adds(b, "null");
	sb_addch(b, '\n');
	struct harden_diagnostics plan = harden_diagnostics_plan(c);
	const struct ast_json *lists[2] = { plan.categories, plan.groups };
	static const char *const keys[2] = { "category", "categoryGroup" };
	if (plan.categories || plan.groups || plan.all_logs) {
		sb_adds(b, "    logs: [\n");
		for (size_t k = 0; k < 2; k++)
			for (const struct ast_json_item *it = lists[k] ? lists[k]->u.array.items : NULL; it;
			     it = it->next) {
				sb_addf(b, "      {\n        %s: ", keys[k]);
				bicep_json_add(b, it->value, 4);
				sb_adds(b, "\n        enabled: true\n      }\n");
			}
		if (plan.all_logs)
			sb_adds(b, "      {\n        categoryGroup: 'allLogs'\n        enabled: true\n      }\n");
		sb_adds(b, "    ]\n");
	}
	if (plan.metrics)
		sb_adds(b, "    metrics: [\n      {\n        category: 'AllMetrics'\n        enabled: true\n"
			   "      }\n    ]\n");
	sb_adds(b, "  }\n}\n");
	sb_release(&id);
}

static void add_private_endpoint(struct writer *w, const struct harden_companion *c)
{
	struct sb *b = w->b;
	struct sb pe = SB_INIT, name = SB_INIT;
	bicep_names_add(&w->names, &pe, "private-endpoint");
	w->endpoints++;

	const struct harden_value *group = arg(c, "groupId");
	const struct ast_str *group_lit = literal_str(group);
	const struct harden_value *given = arg(c, "name");
	if (given) {
		struct sb tmp = SB_INIT;
		struct sb *saved = w->b;
		w->b = &tmp;
		add_value(w, given, 1);
		w->b = saved;
		sb_add(&name, tmp.buf, tmp.len);
		sb_release(&tmp);
	} else {
		/* '${name}-<group>-pe': the group's text is escaped, the hole is ours */
		sb_adds(&name, "'${name}-");
		if (group_lit) {
			struct sb lower = SB_INIT;
			for (size_t i = 0; i < group_lit->len; i++) {
				char ch = group_lit->s[i];
				sb_addch(&lower, is_upper(ch) ? (char)(ch - 'A' + 'a') : ch);
			}
			bicep_str_body_add(&name, lower.buf, lower.len);
			sb_release(&lower);
			sb_addch(&name, '-');
		}
		sb_adds(&name, "pe");
		if (!group_lit && w->endpoints > 1)
			sb_addf(&name, "%zu", w->endpoints);
		sb_addch(&name, '\'');
	}

	sb_addf(b, "\nresource %s 'Microsoft.Network/privateEndpoints@" API_PRIVATE_ENDPOINTS "' = {\n",
		pe.buf);
	sb_addf(b, "  name: %s\n  location: location\n  properties: {\n    subnet: {\n      id: ", name.buf);
	const struct harden_value *subnet = arg(c, "subnet");
	if (subnet)
		add_value(w, subnet, 3);
	else
		sb_adds(b, "null");
	sb_addf(b, "\n    }\n    privateLinkServiceConnections: [\n      {\n        name: %s\n", name.buf);
	sb_addf(b, "        properties: {\n          privateLinkServiceId: %s.id\n          groupIds: [\n"
		   "            ",
		w->res);
	if (group)
		add_value(w, group, 6);
	else
		sb_adds(b, "null");
	sb_adds(b, "\n          ]\n        }\n      }\n    ]\n  }\n}\n");

	const struct harden_value *zone = arg(c, "dnsZone");
	if (zone) {
		struct sb zg = SB_INIT;
		bicep_names_add(&w->names, &zg, "private-dns-zone-group");
		sb_addf(b, "\nresource %s 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@"
			   API_PRIVATE_ENDPOINTS "' = {\n",
			zg.buf);
		sb_addf(b, "  parent: %s\n  name: 'default'\n  properties: {\n    privateDnsZoneConfigs: [\n"
			   "      {\n        name: 'zone'\n        properties: {\n          privateDnsZoneId: ",
			pe.buf);
		add_value(w, zone, 5);
		sb_adds(b, "\n        }\n      }\n    ]\n  }\n}\n");
		sb_release(&zg);
	}
	sb_release(&pe);
	sb_release(&name);
}

static void add_lock(struct writer *w, const struct harden_companion *c)
{
	struct sb *b = w->b;
	struct sb id = SB_INIT;
	bicep_names_add(&w->names, &id, "lock");
	sb_addf(b, "\nresource %s 'Microsoft.Authorization/locks@" API_LOCKS "' = {\n", id.buf);
	add_name_or(w, c, "'${name}-lock'");
	sb_addf(b, "  scope: %s\n  properties: {\n    level: ", w->res);
	const struct harden_value *level = arg(c, "level");
	if (level)
		add_value(w, level, 2);
	else
		sb_adds(b, "'CanNotDelete'");
	sb_addch(b, '\n');
	const struct harden_value *notes = arg(c, "notes");
	if (notes) {
		sb_adds(b, "    notes: ");
		add_value(w, notes, 2);
		sb_addch(b, '\n');
	}
	sb_adds(b, "  }\n}\n");
	sb_release(&id);
}

static void add_role_assignment(struct writer *w, const struct harden_companion *c)
{
	struct sb *b = w->b;
	struct sb id = SB_INIT, role = SB_INIT, principal = SB_INIT;
	bicep_names_add(&w->names, &id, "role-assignment");
	struct sb *saved = w->b;

	/* the role definition id: a literal full id as is, else a GUID in this subscription */
	const struct harden_value *r = arg(c, "role");
	const struct ast_str *r_lit = literal_str(r);
	w->b = &role;
	if (!r) {
		sb_adds(&role, "null");
	} else if (r_lit && r_lit->s[0] == '/') {
		add_value(w, r, 2);
	} else {
		sb_adds(&role, "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ");
		add_value(w, r, 2);
		sb_addch(&role, ')');
	}
	w->b = &principal;
	const struct harden_value *p = arg(c, "principal");
	if (p)
		add_value(w, p, 2);
	else
		sb_adds(&principal, "null");
	w->b = saved;

	sb_addf(b, "\nresource %s 'Microsoft.Authorization/roleAssignments@" API_ROLE_ASSIGNMENTS "' = {\n",
		id.buf);
	sb_addf(b, "  name: guid(%s.id, %s, %s)\n", w->res, principal.buf, role.buf);
	sb_addf(b, "  scope: %s\n  properties: {\n    roleDefinitionId: %s\n    principalId: %s\n", w->res,
		role.buf, principal.buf);
	sb_adds(b, "    principalType: ");
	const struct harden_value *pt = arg(c, "principalType");
	if (pt)
		add_value(w, pt, 2);
	else
		sb_adds(b, "'ServicePrincipal'");
	sb_adds(b, "\n  }\n}\n");
	sb_release(&id);
	sb_release(&role);
	sb_release(&principal);
}

static void add_child(struct writer *w, const struct harden_companion *c)
{
	struct sb *b = w->b;
	const char *child = c->child_type ? c->child_type->s : "children";
	struct sb id = SB_INIT, type = SB_INIT;
	bicep_names_add(&w->names, &id, child);
	sb_adds(&type, w->mod->governs->type->s);
	sb_addch(&type, '/');
	sb_adds(&type, child);
	add_resource_head(w, id.buf, type.buf, type.len, own_version(w), "");
	sb_addf(b, "  parent: %s\n", w->res);
	add_name_or(w, c, "'default'");
	sb_adds(b, "  properties: ");
	const struct harden_value *props = arg(c, "properties");
	if (props)
		add_value(w, props, 1);
	else
		sb_adds(b, "{}");
	sb_addch(b, '\n');
	/* Children deploy in the order written: a later one may refer to an
	 * earlier one by name (an integration runtime in a managed network). */
	if (w->last_child)
		sb_addf(b, "  dependsOn: [\n    %s\n  ]\n", w->last_child);
	sb_adds(b, "}\n");
	w->last_child = arena_strdup(w->arena, id.buf);
	sb_release(&id);
	sb_release(&type);
}

static void add_companions(struct writer *w)
{
	for (size_t i = 0; i < w->mod->count; i++) {
		for (const struct harden_companion *c = w->mod->items[i].block->companions; c; c = c->next) {
			enum harden_companion_kind kind = c->kind;
			if (c->kind_word && !harden_companion_from_name(c->kind_word->s, &kind))
				continue;
			switch (kind) {
			case HARDEN_COMPANION_DIAGNOSTICS:
				add_diagnostics(w, c);
				break;
			case HARDEN_COMPANION_PRIVATE_ENDPOINT:
				add_private_endpoint(w, c);
				break;
			case HARDEN_COMPANION_LOCK:
				add_lock(w, c);
				break;
			case HARDEN_COMPANION_ROLE_ASSIGNMENT:
				add_role_assignment(w, c);
				break;
			case HARDEN_COMPANION_CHILD:
				add_child(w, c);
				break;
			}
		}
	}
}

static bool module_has_companion(const struct module *m, enum harden_companion_kind want)
{
	for (size_t i = 0; i < m->count; i++)
		for (const struct harden_companion *c = m->items[i].block->companions; c; c = c->next) {
			enum harden_companion_kind kind = c->kind;
			if (c->kind_word && !harden_companion_from_name(c->kind_word->s, &kind))
				continue;
			if (kind == want)
				return true;
		}
	return false;
}

static void write_module(struct sb *b, const struct ast_pack *pack, const struct module *m)
{
	struct arena arena = ARENA_INIT;
	struct writer w = { 0 };
	w.b = b;
	w.arena = &arena;
	w.pack = pack;
	w.mod = m;
	const char *type = m->governs->type->s;
	size_t parents = segment_count(type);
	parents = parents ? parents - 1 : 0;
	w.top_level = parents == 0;
	w.needs_location = w.top_level || module_has_companion(m, HARDEN_COMPANION_PRIVATE_ENDPOINT);

	bicep_names_reserve(&w.names, "name");
	if (w.needs_location)
		bicep_names_reserve(&w.names, "location");
	struct sb tmp = SB_INIT;
	gen_bicep_module_slug(&tmp, type, false);
	{
		struct sb id = SB_INIT;
		bicep_names_add(&w.names, &id, tmp.buf);
		w.res = arena_strdup(&arena, id.buf);
		sb_release(&id);
	}

	/* ancestors of a child type: a name parameter and an `existing` resource each */
	const char **parent_params = ARENA_NEW_ARRAY(&arena, const char *, parents + 1);
	const char **parent_idents = ARENA_NEW_ARRAY(&arena, const char *, parents + 1);
	const char *seg = strchr(type, '/');
	for (size_t i = 0; i < parents; i++) {
		const char *s = seg + 1;
		const char *end = strchr(s, '/');
		struct sb word = SB_INIT, id = SB_INIT;
		sb_add(&word, s, (size_t)(end - s));
		sb_adds(&word, "-name");
		bicep_names_add(&w.names, &id, word.buf);
		parent_params[i] = arena_strdup(&arena, id.buf);
		sb_setlen(&word, (size_t)(end - s));
		sb_adds(&word, "-parent");
		sb_reset(&id);
		bicep_names_add(&w.names, &id, word.buf);
		parent_idents[i] = arena_strdup(&arena, id.buf);
		sb_release(&word);
		sb_release(&id);
		seg = end;
	}

	/* inputs this module uses, in the order the service declares them */
	size_t total = 0;
	for (const struct harden_input *in = pack->service->inputs; in; in = in->next)
		total++;
	w.inputs = ARENA_NEW_ARRAY(&arena, const struct harden_input *, total + 1);
	w.input_idents = ARENA_NEW_ARRAY(&arena, const char *, total + 1);
	for (const struct harden_input *in = pack->service->inputs; in; in = in->next) {
		if (!in->name || !module_uses(pack, m, in))
			continue;
		struct sb id = SB_INIT;
		bicep_names_add(&w.names, &id, in->name->s);
		w.inputs[w.input_count] = in;
		w.input_idents[w.input_count++] = arena_strdup(&arena, id.buf);
		sb_release(&id);
	}

	struct pnode root = { 0 };
	for (size_t i = 0; i < m->count; i++)
		for (const struct harden_setting *s = m->items[i].block->settings; s; s = s->next)
			if (s->path)
				tree_add(&arena, &root, s);
	w.system_identity = has_system_identity(&root);
	for (size_t i = 0; i < m->count; i++)
		for (const struct harden_identity *id = m->items[i].block->identities; id; id = id->next)
			w.system_identity |= identity_system(id);

	add_header(&w);
	add_usage(&w, parent_params, parents);
	add_params(&w, parent_params, parents);
	add_parents(&w, parent_params, parent_idents, parents);
	add_main_resource(&w, &root, parents ? parent_idents[parents - 1] : NULL);
	add_companions(&w);

	sb_addch(b, '\n');
	sb_addf(b, "output id string = %s.id\n", w.res);
	sb_addf(b, "output name string = %s.name\n", w.res);
	if (w.system_identity)
		sb_addf(b, "output principalId string = %s.identity.principalId\n", w.res);

	sb_release(&tmp);
	bicep_names_release(&w.names);
	arena_release(&arena);
}

void gen_bicep_module_pack(const struct ast_pack *pack, struct output_set *out)
{
	if (!pack->service)
		return;
	struct arena arena = ARENA_INIT;
	size_t governed = 0;
	for (const struct ast_governs *g = pack->service->governs; g; g = g->next)
		governed++;
	struct module *mods = ARENA_NEW_ARRAY(&arena, struct module, governed + 1);
	size_t count = 0;

	for (const struct ast_governs *g = pack->service->governs; g; g = g->next) {
		if (!g->type)
			continue;
		size_t n = 0;
		for (const struct ast_section *sec = pack->sections; sec; sec = sec->next)
			for (const struct ast_recommendation *r = sec->recommendations; r; r = r->next)
				for (const struct harden_block *hb = r->harden; hb; hb = hb->next)
					n += block_targets(hb, g);
		if (!n)
			continue;
		struct module *m = &mods[count++];
		m->governs = g;
		m->items = ARENA_NEW_ARRAY(&arena, struct hardening, n);
		for (const struct ast_section *sec = pack->sections; sec; sec = sec->next)
			for (const struct ast_recommendation *r = sec->recommendations; r; r = r->next)
				for (const struct harden_block *hb = r->harden; hb; hb = hb->next)
					if (block_targets(hb, g)) {
						m->items[m->count].rec = r;
						m->items[m->count++].block = hb;
					}
	}

	/* slugs: short, unless two modules would share one */
	struct sb slug = SB_INIT;
	for (size_t i = 0; i < count; i++) {
		sb_reset(&slug);
		gen_bicep_module_slug(&slug, mods[i].governs->type->s, false);
		bool clash = false;
		struct sb other = SB_INIT;
		for (size_t j = 0; j < count && !clash; j++) {
			if (j == i)
				continue;
			sb_reset(&other);
			gen_bicep_module_slug(&other, mods[j].governs->type->s, false);
			clash = strcmp(slug.buf, other.buf) == 0;
		}
		sb_release(&other);
		if (clash) {
			sb_reset(&slug);
			gen_bicep_module_slug(&slug, mods[i].governs->type->s, true);
		}
		mods[i].slug = arena_strdup(&arena, slug.buf);
	}

	struct sb path = SB_INIT;
	for (size_t i = 0; i < count; i++) {
		sb_reset(&path);
		sb_addf(&path, "bicep/%s.bicep", mods[i].slug);
		write_module(output_add(out, path.buf), pack, &mods[i]);
	}
	sb_release(&path);
	sb_release(&slug);
	arena_release(&arena);
}
