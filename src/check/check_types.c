#include "pacc/check_types.h"

#include "pacc/arena.h"
#include "pacc/harden.h"
#include "pacc/sb.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the table (resource_types.def) ---- */

enum rule_kind {
	RULE_NEEDS,  /* path must be set (when when_path is when_value) */
	RULE_ALLOWS, /* a literal at path is one of values */
};

struct type_rule {
	const char *type;
	enum rule_kind kind;
	const char *path;
	const char *arg;   /* RULE_NEEDS: when_path; RULE_ALLOWS: the values */
	const char *value; /* RULE_NEEDS: when_value */
};

static const struct check_type types[] = {
#define RESOURCE_TYPE(type, noun, min, max, role, role_name) { type, noun, min, max, role, role_name },
#define RESOURCE_NEEDS(type, path, when_path, when_value)
#define RESOURCE_ALLOWS(type, path, values)
#include "resource_types.def"
#undef RESOURCE_TYPE
#undef RESOURCE_NEEDS
#undef RESOURCE_ALLOWS
};

static const struct type_rule rules[] = {
#define RESOURCE_TYPE(type, noun, min, max, role, role_name)
#define RESOURCE_NEEDS(type, path, when_path, when_value) { type, RULE_NEEDS, path, when_path, when_value },
#define RESOURCE_ALLOWS(type, path, values) { type, RULE_ALLOWS, path, values, NULL },
#include "resource_types.def"
#undef RESOURCE_TYPE
#undef RESOURCE_NEEDS
#undef RESOURCE_ALLOWS
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const struct check_type *check_types_find(const char *type)
{
	for (size_t i = 0; type && i < COUNT(types); i++)
		if (strcasecmp(types[i].type, type) == 0)
			return &types[i];
	return NULL;
}

const char *check_types_need(const char *type, size_t i)
{
	for (size_t k = 0; type && k < COUNT(rules); k++)
		if (rules[k].kind == RULE_NEEDS && !rules[k].arg && strcasecmp(rules[k].type, type) == 0 && i-- == 0)
			return rules[k].path;
	return NULL;
}

const char *check_types_allowed(const char *type, const char *path)
{
	for (size_t k = 0; type && k < COUNT(rules); k++)
		if (rules[k].kind == RULE_ALLOWS && strcasecmp(rules[k].type, type) == 0 &&
		    strcmp(rules[k].path, path) == 0)
			return rules[k].arg;
	return NULL;
}

bool check_types_is_child(const char *type)
{
	const char *slash = type ? strchr(type, '/') : NULL;
	return slash && strchr(slash + 1, '/') != NULL;
}

const char *check_types_value(const char *v, size_t *len)
{
	const char *bar = strchr(v, '|');
	*len = bar ? (size_t)(bar - v) : strlen(v);
	return bar ? bar + 1 : NULL;
}

/* True when word is one of the '|'-separated values. */
static bool among(const char *values, const char *word)
{
	size_t len;
	for (const char *v = values, *next; v; v = next) {
		next = check_types_value(v, &len);
		if (len == strlen(word) && strncmp(v, word, len) == 0)
			return true;
	}
	return false;
}

/* Appends "'a' or 'b'" (from "a|b") to sb. */
static void add_alternatives(struct sb *sb, const char *values)
{
	size_t len;
	for (const char *v = values, *next; v; v = next) {
		next = check_types_value(v, &len);
		if (v != values)
			sb_adds(sb, next ? ", " : " or ");
		sb_addf(sb, "'%.*s'", (int)len, v);
	}
}

/* ---- what a resource is given: (path, value) pairs ---- */

struct entry {
	const char *path;               /* dotted, from the resource's root */
	const struct harden_value *value;
};

enum found_kind {
	FOUND_NONE,   /* nothing sets the path */
	FOUND_INPUT,  /* an input supplies it, or an object around it */
	FOUND_JSON,   /* a literal (json) */
	FOUND_INSIDE, /* settings below it: an object built from several paths */
};

struct found {
	enum found_kind kind;
	const struct ast_json *json;      /* FOUND_JSON */
	const struct harden_input *input; /* FOUND_INPUT: the input, when the value is it */
	struct src_span span;
};

/* Follows the dotted rest of a path into a JSON literal. */
static struct found descend(const struct ast_json *j, const char *rest)
{
	while (*rest) {
		if (!j || j->kind != AST_JSON_OBJECT)
			return (struct found){ .kind = FOUND_NONE };
		const char *dot = strchr(rest, '.');
		size_t n = dot ? (size_t)(dot - rest) : strlen(rest);
		const struct ast_json *next = NULL;
		for (const struct ast_json_member *m = j->u.object.members; m && !next; m = m->next)
			if (m->key && m->key->len == n && strncmp(m->key->s, rest, n) == 0)
				next = m->value;
		j = next;
		rest = dot ? dot + 1 : rest + n;
	}
	if (!j)
		return (struct found){ .kind = FOUND_NONE };
	return (struct found){ FOUND_JSON, j, NULL, j->span };
}

/* What the entries give at path: the first entry that reaches it decides. */
static struct found lookup(const struct entry *e, size_t n, const char *path)
{
	size_t plen = strlen(path);
	for (size_t i = 0; i < n; i++) {
		const char *ep = e[i].path;
		size_t elen = strlen(ep);
		const struct harden_value *v = e[i].value;
		if (elen <= plen && strncmp(ep, path, elen) == 0 && (path[elen] == '.' || !path[elen])) {
			if (v->input_name)
				return (struct found){ FOUND_INPUT, NULL, v->input, v->span };
			struct found f = descend(v->json, path[elen] ? path + elen + 1 : "");
			if (f.kind != FOUND_NONE)
				return f;
		} else if (elen > plen && strncmp(ep, path, plen) == 0 && ep[plen] == '.') {
			return (struct found){ FOUND_INSIDE, NULL, NULL, v->span };
		}
	}
	return (struct found){ .kind = FOUND_NONE };
}

static const char *literal(const struct found *f)
{
	return f->kind == FOUND_JSON && f->json->kind == AST_JSON_STRING ? f->json->u.string->s : NULL;
}

/* ---- the checks ---- */

/*
 * Reports the required paths of type that the entries leave out, once for
 * the resource, at span.
 */
static void check_needs(struct diag_engine *d, const char *type, const struct entry *e, size_t n,
			struct src_span span, const char *what)
{
	const char *missing[COUNT(rules)];
	size_t count = 0;
	for (size_t k = 0; k < COUNT(rules); k++) {
		const struct type_rule *r = &rules[k];
		if (r->kind != RULE_NEEDS || strcasecmp(r->type, type) != 0)
			continue;
		if (r->arg) {
			struct found w = lookup(e, n, r->arg);
			const char *lit = literal(&w);
			if (!lit || strcmp(lit, r->value) != 0)
				continue;
		}
		if (lookup(e, n, r->path).kind == FOUND_NONE)
			missing[count++] = r->path;
	}
	if (!count)
		return;
	struct sb list = SB_INIT;
	for (size_t i = 0; i < count; i++)
		sb_addf(&list, "%s'%s'", i == 0 ? "" : i + 1 == count ? " and " : ", ", missing[i]);
	struct diag_record *rec = diag_error(d, span, "E0414", "%s of '%s' lacks %s, which the type requires", what,
					     type, list.buf);
	if (strncmp(what, "the child", 9) == 0)
		diag_help(d, rec, "give %s in the companion's properties = { ... }", count > 1 ? "them" : "it");
	else
		diag_help(d, rec, "set %s, e.g. set %s = input.<name> (an input lets each deployment choose)",
			  count > 1 ? "them" : "it", missing[0]);
	sb_release(&list);
}

static void value_not_allowed(struct diag_engine *d, struct src_span span, const char *value, const char *type,
			      const char *path, const char *values)
{
	struct sb alts = SB_INIT;
	add_alternatives(&alts, values);
	struct diag_record *r = diag_error(d, span, "E0415", "'%s' is not a value of '%s' on '%s'", value, path, type);
	diag_help(d, r, "the type takes %s", alts.buf);
	sb_release(&alts);
}

/* Literals (and an input's allowed values) at closed-set paths of type. */
static void check_allowed(struct diag_engine *d, const char *type, const struct entry *e, size_t n)
{
	for (size_t k = 0; k < COUNT(rules); k++) {
		const struct type_rule *r = &rules[k];
		if (r->kind != RULE_ALLOWS || strcasecmp(r->type, type) != 0)
			continue;
		struct found f = lookup(e, n, r->path);
		const char *lit = literal(&f);
		if (lit && !among(r->arg, lit))
			value_not_allowed(d, f.json->span, lit, type, r->path, r->arg);
		if (f.kind != FOUND_INPUT || !f.input || !f.input->allowed ||
		    f.input->allowed->kind != AST_JSON_ARRAY)
			continue;
		for (const struct ast_json_item *it = f.input->allowed->u.array.items; it; it = it->next)
			if (it->value->kind == AST_JSON_STRING && !among(r->arg, it->value->u.string->s))
				value_not_allowed(d, it->value->span, it->value->u.string->s, type, r->path, r->arg);
	}
}

/* A user-assigned identity names its identities (Azure rejects it otherwise). */
static void check_identity(struct diag_engine *d, const char *type, const struct entry *e, size_t n)
{
	struct found t = lookup(e, n, "identity.type");
	const char *lit = literal(&t);
	if (!lit || !strstr(lit, "UserAssigned"))
		return;
	if (lookup(e, n, "identity.userAssignedIdentities").kind != FOUND_NONE)
		return;
	struct diag_record *r = diag_error(d, t.json->span, "E0416",
					   "identity '%s' on '%s' names no user-assigned identity", lit, type);
	diag_help(d, r, "write identity { user = input.<identityId> } (add system = true for both kinds)");
}

/* The name a child companion deploys: its literal `name`, "default" when it has none. */
static void check_child_name(struct diag_engine *d, const struct check_type *t, const struct harden_companion *c)
{
	const struct harden_arg *a = harden_arg_find(c, "name");
	if (a && (a->value.input_name || !a->value.json || a->value.json->kind != AST_JSON_STRING))
		return;
	const char *name = a ? a->value.json->u.string->s : "default";
	struct src_span span = a ? a->value.span : c->span;
	size_t len = strlen(name);
	if (t->name_max && (len < t->name_min || len > t->name_max))
		diag_error(d, span, "E0415", "the name '%s' of %s '%s' is %zu characters; it takes %u to %u", name,
			   t->noun, t->type, len, t->name_min, t->name_max);
}

static void check_child(struct diag_engine *d, const struct harden_block *hb, const struct harden_companion *c)
{
	if (!c->child_type || !hb->governs || !hb->governs->type)
		return;
	enum harden_companion_kind kind;
	if (!c->kind_word || !harden_companion_from_name(c->kind_word->s, &kind) || kind != HARDEN_COMPANION_CHILD)
		return;
	struct sb type = SB_INIT;
	sb_addf(&type, "%s/%s", hb->governs->type->s, c->child_type->s);
	struct entry e[2];
	size_t n = 0;
	const struct harden_arg *name = harden_arg_find(c, "name");
	const struct harden_arg *props = harden_arg_find(c, "properties");
	if (name)
		e[n++] = (struct entry){ "name", &name->value };
	if (props)
		e[n++] = (struct entry){ "properties", &props->value };
	const struct check_type *t = check_types_find(type.buf);
	if (t)
		check_child_name(d, t, c);
	check_needs(d, type.buf, e, n, c->span, "the child companion");
	check_allowed(d, type.buf, e, n);
	sb_release(&type);
}

/* YYYY-MM-DD, optionally with a suffix (-preview). */
static bool api_version_ok(const char *v)
{
	for (int i = 0; i < 10; i++) {
		bool dash = i == 4 || i == 7;
		if (dash ? v[i] != '-' : !(v[i] >= '0' && v[i] <= '9'))
			return false;
	}
	return v[10] == '\0' || (v[10] == '-' && v[11]);
}

/* `set ... since "V"`: a version, no later than the one the module deploys at. */
static void check_since(struct diag_engine *d, const struct ast_governs *g, const struct harden_setting *s)
{
	const char *v = s->since->s;
	if (!api_version_ok(v)) {
		diag_error(d, s->since->span, "E0420", "'since' takes an API version YYYY-MM-DD, not '%s'", v);
		return;
	}
	const char *pinned = g->api_version ? g->api_version->s : NULL;
	if (pinned && strncmp(v, pinned, 10) > 0) {
		struct diag_record *r = diag_error(d, s->since->span, "E0420",
						   "'%s' is later than '%s', the version the module deploys '%s' at", v,
						   pinned, g->type->s);
		diag_note(d, r, g->span, "pinned here");
	}
}

/* An `identity { }` statement writes the identity: no `set` may write it too. */
static void check_identity_owner(struct diag_engine *d, const struct harden_identity *id, const struct entry *e,
				 const struct harden_setting *const *settings, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *p = e[i].path;
		if (strncmp(p, "identity", 8) != 0 || (p[8] && p[8] != '.'))
			continue;
		struct diag_record *r = diag_error(d, settings[i]->span, "E0405",
						   "'%s' overlaps the identity statement", p);
		diag_note(d, r, id->span, "identity stated here");
		return;
	}
}

/* Every harden block of one governed type makes one module: check it whole. */
static void check_module(struct ast_pack *pack, struct diag_engine *d, const struct ast_governs *g)
{
	size_t n = 0;
	const struct harden_block *first = NULL;
	for (const struct ast_section *sec = pack->sections; sec; sec = sec->next)
		for (const struct ast_recommendation *r = sec->recommendations; r; r = r->next)
			for (const struct harden_block *hb = r->harden; hb; hb = hb->next)
				if (hb->governs == g) {
					if (!first)
						first = hb;
					for (const struct harden_setting *s = hb->settings; s; s = s->next)
						n++;
				}
	if (!first)
		return;
	struct entry *e = xcalloc(n ? n : 1, sizeof(*e));
	const struct harden_setting **settings = xcalloc(n ? n : 1, sizeof(*settings));
	const struct harden_identity *identity = NULL;
	n = 0;
	for (const struct ast_section *sec = pack->sections; sec; sec = sec->next)
		for (const struct ast_recommendation *r = sec->recommendations; r; r = r->next)
			for (const struct harden_block *hb = r->harden; hb; hb = hb->next) {
				if (hb->governs != g)
					continue;
				for (const struct harden_setting *s = hb->settings; s; s = s->next) {
					if (s->since)
						check_since(d, g, s);
					if (s->path) {
						settings[n] = s;
						e[n++] = (struct entry){ s->path->s, &s->value };
					}
				}
				if (hb->identities && !identity)
					identity = hb->identities;
				for (const struct harden_companion *c = hb->companions; c; c = c->next)
					check_child(d, hb, c);
			}
	const char *type = g->type->s;
	check_needs(d, type, e, n, first->type->span, "the hardening module");
	check_allowed(d, type, e, n);
	if (identity)
		check_identity_owner(d, identity, e, settings, n);
	else
		check_identity(d, type, e, n);
	free(settings);
	free(e);
}

/* The child type a policy's `if` is about (`type == "A/b/c"`, alone or in the top allOf), or NULL. */
static const char *child_type_of(const struct ast_cond *c)
{
	if (!c)
		return NULL;
	if (c->kind == AST_COND_ALL) {
		for (const struct ast_cond *k = c->u.logical.children; k; k = k->next) {
			const char *t = child_type_of(k->kind == AST_COND_FIELD ? k : NULL);
			if (t)
				return t;
		}
		return NULL;
	}
	if (c->kind != AST_COND_FIELD || !c->u.leaf.field || strcasecmp(c->u.leaf.field->s, "type") != 0 ||
	    c->u.leaf.op != AST_OP_EQUALS || !c->u.leaf.rhs || c->u.leaf.rhs->kind != AST_JSON_STRING)
		return NULL;
	const char *t = c->u.leaf.rhs->u.string->s;
	return check_types_is_child(t) ? t : NULL;
}

static void check_policy_mode(struct diag_engine *d, const struct ast_policy *p)
{
	if (!p->mode || strcasecmp(p->mode->s, "Indexed") != 0)
		return;
	const char *child = child_type_of(p->condition);
	if (!child)
		return;
	struct diag_record *r = diag_warning(d, p->mode->span, "E0418",
					     "mode Indexed never evaluates the child type '%s'", child);
	diag_help(d, r, "write mode All: Azure Policy evaluates child resource types in mode All only");
}

void check_types(struct ast_pack *pack, struct diag_engine *d)
{
	if (pack->service)
		for (const struct ast_governs *g = pack->service->governs; g; g = g->next)
			if (g->type)
				check_module(pack, d, g);
	for (const struct ast_section *sec = pack->sections; sec; sec = sec->next)
		for (const struct ast_recommendation *r = sec->recommendations; r; r = r->next)
			for (const struct ast_policy *p = r->policies; p; p = p->next)
				check_policy_mode(d, p);
	for (const struct ast_policy *p = pack->policies; p; p = p->next)
		check_policy_mode(d, p);
}
