#include "pacc/check_harden.h"

#include "pacc/arena.h"
#include "pacc/armexpr.h"
#include "pacc/check_types.h"
#include "pacc/harden.h"
#include "pacc/names.h"
#include "pacc/sb.h"
#include "pacc/strmap.h"
#include "pacc/typename.h"

#include <cjson/cJSON.h>
#include <ctype.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Members a module writes itself; a `set` may not touch them. */
static const char *const owned_roots[] = {
	"name", "type", "location", "apiVersion", "parent", "scope", "dependsOn", "id",
};

static const char *const input_types[] = { "String", "Array", "Object", "Boolean", "Integer" };

struct companion_rules {
	const char *const *allowed; /* NULL-terminated */
	const char *const *required;
};

static const char *const diag_allowed[] = { "workspace", "name", "categories", "categoryGroups", "logs", "metrics", NULL };
static const char *const diag_required[] = { "workspace", NULL };
static const char *const pe_allowed[] = { "subnet", "groupId", "dnsZone", "name", NULL };
static const char *const pe_required[] = { "subnet", "groupId", NULL };
static const char *const lock_allowed[] = { "level", "notes", "name", NULL };
static const char *const none_required[] = { NULL };
static const char *const role_allowed[] = { "role", "principal", "principalType", NULL };
static const char *const role_required[] = { "role", "principal", NULL };
static const char *const child_allowed[] = { "name", "properties", NULL };

static struct companion_rules rules_for(enum harden_companion_kind kind)
{
	switch (kind) {
	case HARDEN_COMPANION_DIAGNOSTICS:
		return (struct companion_rules){ diag_allowed, diag_required };
	case HARDEN_COMPANION_PRIVATE_ENDPOINT:
		return (struct companion_rules){ pe_allowed, pe_required };
	case HARDEN_COMPANION_LOCK:
		return (struct companion_rules){ lock_allowed, none_required };
	case HARDEN_COMPANION_ROLE_ASSIGNMENT:
		return (struct companion_rules){ role_allowed, role_required };
	case HARDEN_COMPANION_CHILD:
		return (struct companion_rules){ child_allowed, none_required };
	}
	return (struct companion_rules){ none_required, none_required };
}

static size_t list_len(const char *const *list)
{
	size_t n = 0;
	while (list[n])
		n++;
	return n;
}

struct hchecker {
	struct ast_pack *pack;
	struct diag_engine *d;
	/* Inputs by exact name (first declaration wins): input.NAME resolves in O(1). */
	struct strmap inputs;
};

/* ---- inputs ---- */

static struct harden_input *find_input(struct hchecker *hc, const char *name)
{
	return strmap_get(&hc->inputs, NULL, name, strlen(name));
}

static void check_inputs(struct hchecker *hc)
{
	/* Inputs by name ignoring case: a duplicate finds the first one in O(1). */
	struct strmap folded = STRMAP_INIT(true);
	for (struct harden_input *in = hc->pack->service->inputs; in; in = in->next) {
		if (!in->name)
			continue;
		struct names_problem why;
		if (!names_id_ok(in->name->s, in->name->len, &why))
			diag_error(hc->d, in->name->span, "E0332", "input name %s; ids must not hide characters",
				   why.reason);
		void **exact = strmap_slot(&hc->inputs, NULL, in->name->s, in->name->len, NULL);
		if (!*exact)
			*exact = in;
		void **first = strmap_slot(&folded, NULL, in->name->s, in->name->len, NULL);
		if (!*first) {
			*first = in;
		} else {
			const struct harden_input *prev = *first;
			struct diag_record *r = diag_error(hc->d, in->name->span, "E0406",
							   "duplicate input '%s'", in->name->s);
			diag_note(hc->d, r, prev->name->span, "'%s' declared here", prev->name->s);
			/* Uses resolve to the first declaration; the duplicate is
			 * reported once, not again as never used. */
			in->used = true;
		}
		const char *type = in->type ? in->type->s : "";
		bool known = false;
		for (size_t i = 0; i < sizeof(input_types) / sizeof(input_types[0]); i++)
			known |= strcmp(type, input_types[i]) == 0;
		if (!known) {
			struct diag_record *r = diag_error(hc->d, in->type ? in->type->span : in->span, "E0410",
							   "unknown input type '%s'", type);
			const char *best = diag_closest(type, input_types,
							sizeof(input_types) / sizeof(input_types[0]));
			if (best)
				diag_help(hc->d, r, "did you mean '%s'?", best);
		} else if (in->secure && strcmp(type, "String") != 0 && strcmp(type, "Object") != 0) {
			diag_error(hc->d, in->span, "E0410", "a 'secure' input must be a String or an Object");
		}
	}
	strmap_release(&folded);
}

/* Resolves input.NAME; reports an unknown name. */
static void resolve_value(struct hchecker *hc, struct harden_value *v)
{
	if (!v->input_name)
		return;
	struct harden_input *in = find_input(hc, v->input_name->s);
	if (in) {
		in->used = true;
		v->input = in;
		return;
	}
	struct diag_record *r = diag_error(hc->d, v->span, "E0403", "no input named '%s'", v->input_name->s);
	size_t n = 0;
	for (struct harden_input *i = hc->pack->service->inputs; i; i = i->next)
		n++;
	const char **names = xcalloc(n ? n : 1, sizeof(*names));
	n = 0;
	for (struct harden_input *i = hc->pack->service->inputs; i; i = i->next)
		if (i->name)
			names[n++] = i->name->s;
	const char *best = diag_closest(v->input_name->s, names, n);
	if (best)
		diag_help(hc->d, r, "did you mean '%s'?", best);
	else
		diag_help(hc->d, r, "declare it in the service: input %s String \"...\"", v->input_name->s);
	free(names);
}

/* ---- types ---- */

static const struct ast_governs *resolve_type(struct hchecker *hc, struct harden_block *hb)
{
	const struct ast_service *svc = hc->pack->service;
	for (const struct ast_governs *g = svc->governs; g; g = g->next)
		if (g->type && strcasecmp(g->type->s, hb->type->s) == 0)
			return g;
	struct diag_record *r = diag_error(hc->d, hb->type->span, "E0401",
					   "'%s' is not a type this pack governs", hb->type->s);
	size_t n = 0;
	for (const struct ast_governs *g = svc->governs; g; g = g->next)
		n++;
	const char **names = xcalloc(n ? n : 1, sizeof(*names));
	n = 0;
	for (const struct ast_governs *g = svc->governs; g; g = g->next)
		if (g->type)
			names[n++] = g->type->s;
	const char *best = diag_closest(hb->type->s, names, n);
	if (best)
		diag_help(hc->d, r, "did you mean '%s'?", best);
	else
		diag_help(hc->d, r, "add it to the service: governs \"%s\" at \"<api-version>\"", hb->type->s);
	free(names);
	return NULL;
}

/* ---- settings ---- */

static bool path_ok(struct hchecker *hc, const struct harden_setting *s)
{
	const char *p = s->path->s;
	size_t n = strlen(p);
	bool empty_segment = n == 0 || p[0] == '.' || p[n - 1] == '.' || strstr(p, "..") != NULL;
	if (empty_segment) {
		diag_error(hc->d, s->path->span, "E0409", "'%s' is not a property path (write a.b.c)", p);
		return false;
	}
	const char *dot = strchr(p, '.');
	size_t root = dot ? (size_t)(dot - p) : n;
	for (size_t i = 0; i < sizeof(owned_roots) / sizeof(owned_roots[0]); i++)
		if (strlen(owned_roots[i]) == root && strncmp(p, owned_roots[i], root) == 0) {
			diag_error(hc->d, s->path->span, "E0409",
				   "'%s' is written by the hardening module and cannot be set", owned_roots[i]);
			return false;
		}
	return true;
}

static bool value_equal(const struct harden_value *a, const struct harden_value *b)
{
	if (a->input_name || b->input_name)
		return a->input_name && b->input_name && strcmp(a->input_name->s, b->input_name->s) == 0;
	return ast_json_equal(a->json, b->json, false);
}

/* 1: a and b are one path; 2: one is a prefix of the other (a.b and a.b.c); 0: unrelated. */
static int path_relation(const char *a, const char *b)
{
	size_t i = 0;
	while (a[i] && b[i] && a[i] == b[i])
		i++;
	if (!a[i] && !b[i])
		return 1;
	if ((!a[i] && b[i] == '.') || (!b[i] && a[i] == '.'))
		return 2;
	return 0;
}

struct located_setting {
	const struct harden_setting *s;
	const struct ast_recommendation *rec;
	const struct ast_governs *g;
};

/* What the settings seen so far put at one path of one type (indices into all[]). */
struct path_entry {
	size_t first;      /* the first setting of exactly this path, or NONE */
	size_t first_diff; /* the first one of this path whose value differs from first's, or NONE */
	size_t first_below;/* the first setting of a path inside this one (this.x...), or NONE */
};

#define NONE ((size_t)-1)

static struct path_entry *path_entry_at(struct strmap *m, struct arena *a, const void *g, const char *path,
					size_t len)
{
	void **slot = strmap_slot(m, g, path, len, NULL);
	if (!*slot) {
		struct path_entry *e = ARENA_NEW(a, struct path_entry);
		*e = (struct path_entry){ NONE, NONE, NONE };
		*slot = e;
	}
	return *slot;
}

static size_t min_index(size_t a, size_t b)
{
	return a < b ? a : b;
}

/*
 * Two settings on one type conflict when they name the same path with
 * different values, or when one path lies inside the other's value
 * (`set identity = {...}` and `set identity.type = ...`).  The same value
 * set twice is no conflict: two recommendations may well agree.  Each
 * setting is reported once, against the first earlier setting it conflicts
 * with.
 *
 * Linear in the settings (times the depth of their paths): instead of
 * comparing every pair, an index keyed by (type, path) remembers, for each
 * path and each of its ancestors, the first settings that could conflict.
 * Setting j then asks its own path (first of the path, first with a value
 * other than that one's, first below it) and each ancestor (first of that
 * path), and is added afterwards, so only earlier settings are found.
 * Values are compared with an equality that is transitive, so when j equals
 * the first value of its path, the first earlier one that differs from j is
 * the first that differs from that first value.
 */
static void check_conflicts(struct hchecker *hc, struct located_setting *all, size_t n)
{
	struct strmap index = STRMAP_INIT(false);
	struct arena scratch = ARENA_INIT;
	for (size_t j = 0; j < n; j++) {
		const char *path = all[j].s->path->s;
		size_t len = strlen(path);
		const void *g = all[j].g;
		struct path_entry *self = path_entry_at(&index, &scratch, g, path, len);
		size_t i = self->first_below;
		if (self->first != NONE) {
			if (!value_equal(&all[self->first].s->value, &all[j].s->value))
				i = min_index(i, self->first);
			else
				i = min_index(i, self->first_diff);
		}
		for (size_t k = 0; k < len; k++) {
			if (path[k] != '.')
				continue;
			const struct path_entry *up = strmap_get(&index, g, path, k);
			if (up)
				i = min_index(i, up->first);
		}

		if (i != NONE) {
			int rel = path_relation(all[i].s->path->s, path);
			struct diag_record *r;
			if (rel == 1)
				r = diag_error(hc->d, all[j].s->span, "E0405",
					       "conflicting values for '%s' on '%s'", path, all[j].g->type->s);
			else
				r = diag_error(hc->d, all[j].s->span, "E0405",
					       "'%s' overlaps '%s' on '%s'", path, all[i].s->path->s,
					       all[j].g->type->s);
			if (all[i].rec && all[i].rec->id)
				diag_note(hc->d, r, all[i].s->span, "set by recommendation '%s' here",
					  all[i].rec->id->s);
			else
				diag_note(hc->d, r, all[i].s->span, "set here");
		}

		/* add j: to its own path, and as a setting below each ancestor */
		self = path_entry_at(&index, &scratch, g, path, len);
		if (self->first == NONE)
			self->first = j;
		else if (self->first_diff == NONE && !value_equal(&all[self->first].s->value, &all[j].s->value))
			self->first_diff = j;
		for (size_t k = 0; k < len; k++) {
			if (path[k] != '.')
				continue;
			struct path_entry *up = path_entry_at(&index, &scratch, g, path, k);
			if (up->first_below == NONE)
				up->first_below = j;
		}
	}
	strmap_release(&index);
	arena_release(&scratch);
}

/* ---- companions ---- */

static bool is_string_value(const struct harden_value *v)
{
	return v->input_name || (v->json && v->json->kind == AST_JSON_STRING);
}

static void check_arg_value(struct hchecker *hc, const struct harden_companion *c, const struct harden_arg *a)
{
	const char *key = a->key->s;
	const struct harden_value *v = &a->value;
	const struct ast_json *j = v->input_name ? NULL : v->json;
	const char *want = NULL;
	if (strcmp(key, "metrics") == 0 || strcmp(key, "logs") == 0) {
		if (!j || j->kind != AST_JSON_BOOL)
			want = "true or false";
	} else if (strcmp(key, "categories") == 0 || strcmp(key, "categoryGroups") == 0) {
		/* literal only: the DeployIfNotExists twin states the same list */
		bool groups = key[8] == 'G';
		bool ok = j && j->kind == AST_JSON_ARRAY;
		for (const struct ast_json_item *it = ok ? j->u.array.items : NULL; it; it = it->next)
			ok &= it->value->kind == AST_JSON_STRING &&
			      (!groups || strcmp(it->value->u.string->s, "allLogs") == 0 ||
			       strcmp(it->value->u.string->s, "audit") == 0);
		if (!ok)
			want = groups ? "an array of category groups ('allLogs', 'audit')"
				      : "an array of log category names";
	} else if (strcmp(key, "properties") == 0) {
		if (!v->input_name && (!j || j->kind != AST_JSON_OBJECT))
			want = "an object";
	} else if (strcmp(key, "level") == 0) {
		bool ok = v->input_name ||
			  (j && j->kind == AST_JSON_STRING &&
			   (strcmp(j->u.string->s, "CanNotDelete") == 0 || strcmp(j->u.string->s, "ReadOnly") == 0));
		if (!ok)
			want = "'CanNotDelete' or 'ReadOnly'";
	} else if (!is_string_value(v)) {
		want = "a string or an input";
	}
	if (want)
		diag_error(hc->d, v->span, "E0411", "'%s' of '%s' must be %s", key, c->kind_word->s, want);
}

static bool child_type_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

/*
 * A diagnostics companion says what it sends: an empty list is no shorthand
 * for "everything", and a setting that sends nothing cannot be deployed.
 */
static void check_diagnostics_plan(struct hchecker *hc, const struct harden_companion *c)
{
	static const char *const lists[] = { "categories", "categoryGroups" };
	const struct harden_arg *logs = harden_arg_find(c, "logs");
	bool no_logs = logs && logs->value.json && logs->value.json->kind == AST_JSON_BOOL &&
		       !logs->value.json->u.boolean;
	bool listed = false;
	for (size_t i = 0; i < 2; i++) {
		const struct harden_arg *a = harden_arg_find(c, lists[i]);
		const struct ast_json *j = a ? a->value.json : NULL;
		if (!j || j->kind != AST_JSON_ARRAY)
			continue;
		listed = true;
		if (!j->u.array.items) {
			struct diag_record *r = diag_error(hc->d, a->value.span, "E0419",
							   "an empty '%s' sends no logs", lists[i]);
			diag_help(hc->d, r, "name the logs (categoryGroups = [\"allLogs\"] for all of them), "
					    "or write logs = false to send metrics only");
		} else if (no_logs) {
			diag_error(hc->d, logs->value.span, "E0419", "'logs = false' contradicts '%s'", lists[i]);
		}
	}
	struct harden_diagnostics plan = harden_diagnostics_plan(c);
	if (no_logs && !listed && !plan.metrics)
		diag_error(hc->d, c->span, "E0419", "this diagnostic setting sends nothing (logs = false, metrics = false)");
}

static void check_companion(struct hchecker *hc, struct harden_companion *c)
{
	static const char *const kinds[HARDEN_COMPANION_KIND_COUNT] = {
		"diagnostics", "private-endpoint", "lock", "role-assignment", "child",
	};
	for (struct harden_arg *a = c->args; a; a = a->next)
		resolve_value(hc, &a->value);
	if (!c->kind_word || !harden_companion_from_name(c->kind_word->s, &c->kind)) {
		const char *word = c->kind_word ? c->kind_word->s : "";
		struct diag_record *r = diag_error(hc->d, c->kind_word ? c->kind_word->span : c->span, "E0407",
						   "unknown companion '%s'", word);
		const char *best = diag_closest(word, kinds, HARDEN_COMPANION_KIND_COUNT);
		if (best)
			diag_help(hc->d, r, "did you mean '%s'?", best);
		else
			diag_help(hc->d, r, "companions are diagnostics, private-endpoint, lock, "
					    "role-assignment and child");
		return;
	}
	if (c->kind == HARDEN_COMPANION_CHILD && (!c->child_type || !child_type_ok(c->child_type->s))) {
		diag_error(hc->d, c->child_type ? c->child_type->span : c->span, "E0412",
			   "a child companion needs its type as one word of letters and digits, "
			   "e.g. child \"managedVirtualNetworks\"");
	} else if (c->kind != HARDEN_COMPANION_CHILD && c->child_type) {
		diag_error(hc->d, c->child_type->span, "E0412", "only a 'child' companion takes a type");
	}

	struct companion_rules rules = rules_for(c->kind);
	for (struct harden_arg *a = c->args; a; a = a->next) {
		bool known = false;
		for (size_t i = 0; rules.allowed[i]; i++)
			known |= strcmp(a->key->s, rules.allowed[i]) == 0;
		if (!known) {
			struct diag_record *r = diag_error(hc->d, a->key->span, "E0408",
							   "'%s' takes no argument '%s'", c->kind_word->s, a->key->s);
			const char *best = diag_closest(a->key->s, rules.allowed, list_len(rules.allowed));
			if (best)
				diag_help(hc->d, r, "did you mean '%s'?", best);
			continue;
		}
		for (struct harden_arg *prev = c->args; prev != a; prev = prev->next)
			if (strcmp(prev->key->s, a->key->s) == 0) {
				struct diag_record *r = diag_error(hc->d, a->key->span, "E0408",
								   "argument '%s' given twice", a->key->s);
				diag_note(hc->d, r, prev->key->span, "first given here");
				break;
			}
		check_arg_value(hc, c, a);
	}
	for (size_t i = 0; rules.required[i]; i++)
		if (!harden_arg_find(c, rules.required[i]))
			diag_error(hc->d, c->span, "E0408", "'%s' needs the argument '%s'", c->kind_word->s,
				   rules.required[i]);
	if (c->kind == HARDEN_COMPANION_DIAGNOSTICS)
		check_diagnostics_plan(hc, c);
}

/* ---- identity { } ---- */

static void check_identity_stmt(struct hchecker *hc, struct harden_identity *id)
{
	static const char *const keys[] = { "system", "user" };
	bool system = false, user = false;
	for (struct harden_arg *a = id->args; a; a = a->next) {
		resolve_value(hc, &a->value);
		const struct ast_json *j = a->value.input_name ? NULL : a->value.json;
		if (strcmp(a->key->s, "system") == 0) {
			if (!j || j->kind != AST_JSON_BOOL)
				diag_error(hc->d, a->value.span, "E0411", "'system' of 'identity' must be true or false");
			system |= j && j->kind == AST_JSON_BOOL && j->u.boolean;
		} else if (strcmp(a->key->s, "user") == 0) {
			if (!is_string_value(&a->value))
				diag_error(hc->d, a->value.span, "E0411",
					   "'user' of 'identity' must be an input or the resource id of a user-assigned identity");
			user = true;
		} else {
			struct diag_record *r = diag_error(hc->d, a->key->span, "E0408", "'identity' takes no argument '%s'",
							   a->key->s);
			const char *best = diag_closest(a->key->s, keys, 2);
			if (best)
				diag_help(hc->d, r, "did you mean '%s'?", best);
		}
	}
	if (!system && !user)
		diag_error(hc->d, id->span, "E0408",
			   "'identity' needs system = true, user = input.<identityId>, or both");
}

/* ---- the remediation twin (`remediate { }`) ---- */

#define CONTRIBUTOR_ROLE "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"
#define DISPLAY_MAX 128
#define DESCRIPTION_MAX 512

/* A `set` Modify can carry: a literal scalar under properties. */
static bool modifiable(const struct harden_setting *s)
{
	if (!s->path || strncmp(s->path->s, "properties.", 11) != 0 || !s->path->s[11])
		return false;
	if (s->value.input_name || !s->value.json)
		return false;
	switch (s->value.json->kind) {
	case AST_JSON_STRING:
	case AST_JSON_NUMBER:
	case AST_JSON_BOOL:
		return true;
	case AST_JSON_NULL:
	case AST_JSON_ARRAY:
	case AST_JSON_OBJECT:
		return false;
	}
	return false;
}

static struct ast_str *new_str(struct arena *a, const char *text, struct src_span span)
{
	return ast_str_new(a, text, strlen(text), span);
}

/* The alias of a `properties.x.y` setting on type: "<type>/x.y". */
static struct ast_str *alias_of(struct arena *a, const struct ast_str *type, const struct harden_setting *s)
{
	return new_str(a, arena_printf(a, "%s/%s", type->s, s->path->s + 11), s->path->span);
}

static struct ast_json *json_str(struct arena *a, struct ast_str *s)
{
	struct ast_json *j = ast_json_new(a, AST_JSON_STRING, s->span);
	j->u.string = s;
	return j;
}

/*
 * Declares the `effect` parameter a twin gets when its pack wrote no
 * effect, as the `effect` sugar would: a String allowing effects[0..n-1],
 * effects[0] by default, first in p's parameter list.
 */
static void add_effect_param(struct arena *a, struct ast_policy *p, const char *const *effects, size_t n,
			     struct src_span at)
{
	struct ast_param *e = ARENA_NEW(a, struct ast_param);
	e->name = new_str(a, "effect", at);
	e->type = new_str(a, "String", at);
	e->display = new_str(a, "Effect", at);
	e->description = new_str(a, "Enable or disable the execution of the policy", at);
	struct ast_json *alts = ast_json_new(a, AST_JSON_ARRAY, at);
	struct ast_json_item **tail = &alts->u.array.items;
	for (size_t i = 0; i < n; i++) {
		struct ast_json_item *it = ARENA_NEW(a, struct ast_json_item);
		it->value = json_str(a, new_str(a, effects[i], at));
		*tail = it;
		tail = &it->next;
		alts->u.array.count++;
	}
	e->allowed = alts;
	e->default_value = json_str(a, new_str(a, effects[0], at));
	e->span = at;
	e->from_effect_sugar = true;
	e->next = p->params;
	p->params = e;
	p->param_count++;
	p->effect_form = AST_EFFECT_PARAM;
	p->effect_param = e;
	p->effect_span = at;
}

static struct ast_cond *field_leaf(struct arena *a, struct ast_str *field, enum ast_op op,
				   struct ast_json *rhs, struct src_span span)
{
	struct ast_cond *c = ast_cond_new(a, AST_COND_FIELD, span);
	c->u.leaf.field = field;
	c->u.leaf.op = op;
	c->u.leaf.op_span = span;
	c->u.leaf.rhs = rhs;
	return c;
}

/* Appends text to sb, cut at a word so sb stays within max bytes ("..." marks a cut). */
static void add_capped(struct sb *sb, const char *text, size_t max)
{
	size_t n = strlen(text);
	if (sb->len + n <= max) {
		sb_add(sb, text, n);
		return;
	}
	size_t room = max > sb->len + 3 ? max - sb->len - 3 : 0;
	while (room > 0 && text[room] != ' ')
		room--;
	sb_add(sb, text, room);
	sb_adds(sb, "...");
}

/*
 * The display name of a derived Modify twin whose pack wrote none, worded as
 * Azure's built-ins are: "Configure key vaults to disable public network
 * access", from the governed type and the recommendation's title (its first
 * letter lowercased unless it starts an acronym), within DISPLAY_MAX.
 */
static struct ast_str *twin_display(struct arena *a, const struct ast_recommendation *r,
				    const struct harden_block *hb, struct src_span at)
{
	struct sb text = SB_INIT, noun = SB_INIT;
	typename_plural(&noun, hb->type->s);
	sb_adds(&text, "Configure ");
	add_capped(&text, noun.buf, DISPLAY_MAX);
	if (r->title && r->title->s[0]) {
		const char *t = r->title->s;
		sb_adds(&text, " to ");
		struct sb lead = SB_INIT;
		sb_adds(&lead, t);
		if (isupper((unsigned char)t[0]) && !isupper((unsigned char)t[1]))
			lead.buf[0] = (char)tolower((unsigned char)t[0]);
		add_capped(&text, lead.buf, DISPLAY_MAX);
		sb_release(&lead);
	}
	struct ast_str *display = new_str(a, text.buf, at);
	sb_release(&noun);
	sb_release(&text);
	return display;
}

/* A literal setting value as a description states it: 'Disabled', true, 1.2. */
static void add_stated_value(struct sb *out, const struct ast_json *v)
{
	switch (v->kind) {
	case AST_JSON_STRING:
		sb_addf(out, "'%s'", v->u.string->s);
		break;
	case AST_JSON_BOOL:
		sb_adds(out, v->u.boolean ? "true" : "false");
		break;
	case AST_JSON_NUMBER:
		sb_adds(out, v->u.number.text);
		break;
	case AST_JSON_NULL:
	case AST_JSON_ARRAY:
	case AST_JSON_OBJECT:
		sb_adds(out, "the stated value");
		break;
	}
}

/* The description of a twin whose pack wrote none: body within DESCRIPTION_MAX. */
static struct ast_str *twin_description(struct arena *a, const char *body, struct src_span at)
{
	struct sb text = SB_INIT;
	add_capped(&text, body, DESCRIPTION_MAX);
	struct ast_str *description = new_str(a, text.buf, at);
	sb_release(&text);
	return description;
}

/* A twin's mode: All for a child type (Indexed never evaluates one), else Indexed. */
static struct ast_str *twin_mode(struct arena *a, const struct harden_block *hb, struct src_span at)
{
	return new_str(a, check_types_is_child(hb->type->s) ? "All" : "Indexed", at);
}

/*
 * A twin that could not be derived has been reported; it leaves the
 * recommendation so the policy checks do not report its missing parts again.
 */
static void drop_policy(struct ast_recommendation *r, const struct ast_policy *p)
{
	for (struct ast_policy **link = &r->policies; *link; link = &(*link)->next) {
		if (*link == p) {
			*link = p->next;
			r->policy_count--;
			return;
		}
	}
}

/*
 * The roles of a twin whose pack names none: the narrowest built-in role
 * for the type (check_types.h), else Contributor, with a warning that it
 * may write far more than the twin needs.
 */
static struct ast_json *remediation_role(struct hchecker *hc, const struct harden_block *hb, struct src_span at)
{
	struct arena *a = hc->pack->arena;
	const struct check_type *t = check_types_find(hb->type->s);
	const char *role = CONTRIBUTOR_ROLE;
	if (t) {
		role = arena_printf(a, "/providers/Microsoft.Authorization/roleDefinitions/%s", t->role_guid);
	} else {
		struct diag_record *r = diag_warning(hc->d, at, "E0417",
						     "the remediation of '%s' falls back to the Contributor role",
						     hb->type->s);
		diag_help(hc->d, r, "name a narrower role: modify { roleDefinitionIds [\"/providers/Microsoft."
				    "Authorization/roleDefinitions/<guid>\"] }");
	}
	struct ast_json *ids = ast_json_new(a, AST_JSON_ARRAY, at);
	struct ast_json_item *it = ARENA_NEW(a, struct ast_json_item);
	it->value = json_str(a, new_str(a, role, at));
	ids->u.array.items = it;
	ids->u.array.count = 1;
	return ids;
}

/*
 * Completes the `remediate` policy of hb from its settings: what the body
 * gives stays; what it leaves out is derived — `if` (the type, and any
 * setting not yet at its value), the Modify operations (addOrReplace each
 * alias, guarded by the pinned API version), roleDefinitionIds (the
 * type's narrowest role, else Contributor) when the pack names none, and
 * conflictEffect (audit) when there is no modify block,
 * effect modify|disabled = modify, mode Indexed (All for a child type),
 * display and description.
 */
static bool lower_remediation(struct hchecker *hc, const struct ast_recommendation *r, struct harden_block *hb)
{
	struct ast_policy *p = hb->remediate;
	struct arena *a = hc->pack->arena;
	struct src_span at = p->span;
	size_t n = 0;
	for (const struct harden_setting *s = hb->settings; s; s = s->next)
		n += modifiable(s);
	if (n == 0) {
		diag_error(hc->d, at, "E0413",
			   "nothing for 'remediate' to set: it needs a 'set properties.<path> = <value>' "
			   "with a literal string, number or boolean");
		return false;
	}
	if (p->details_kind != AST_DETAILS_NONE && p->details_kind != AST_DETAILS_MODIFY) {
		diag_error(hc->d, at, "E0413", "'remediate' makes a Modify policy; it takes only a 'modify' block");
		return false;
	}
	const char *api = hb->governs && hb->governs->api_version ? hb->governs->api_version->s : NULL;

	if (!p->condition) {
		struct ast_cond *type_is = field_leaf(a, new_str(a, "type", at), AST_OP_EQUALS,
						      json_str(a, new_str(a, hb->type->s, hb->type->span)), at);
		struct ast_cond *differs = NULL, **tail = &differs;
		for (const struct harden_setting *s = hb->settings; s; s = s->next) {
			if (!modifiable(s))
				continue;
			*tail = field_leaf(a, alias_of(a, hb->type, s), AST_OP_NOT_EQUALS, s->value.json, s->span);
			tail = &(*tail)->next;
		}
		if (n > 1) {
			struct ast_cond *any = ast_cond_new(a, AST_COND_ANY, at);
			any->u.logical.children = differs;
			any->u.logical.count = n;
			differs = any;
		}
		type_is->next = differs;
		struct ast_cond *all = ast_cond_new(a, AST_COND_ALL, at);
		all->u.logical.children = type_is;
		all->u.logical.count = 2;
		p->condition = all;
	}

	if (p->details_kind == AST_DETAILS_NONE) {
		p->details_kind = AST_DETAILS_MODIFY;
		struct ast_modify *m = ARENA_NEW(a, struct ast_modify);
		m->span = at;
		m->conflict_effect = new_str(a, "audit", at);
		p->details.modify = m;
	}
	struct ast_modify *m = p->details.modify;
	if (!m->role_ids)
		m->role_ids = remediation_role(hc, hb, at);
	if (!m->operations) {
		struct ast_modify_operation **tail = &m->operations;
		for (const struct harden_setting *s = hb->settings; s; s = s->next) {
			if (!modifiable(s))
				continue;
			struct ast_modify_operation *o = ARENA_NEW(a, struct ast_modify_operation);
			o->op = AST_MODIFY_ADD_OR_REPLACE;
			o->field = alias_of(a, hb->type, s);
			o->value = s->value.json;
			/* the earliest version with the property, where the pack states it */
			const char *since = s->since ? s->since->s : api;
			if (since) {
				struct sb cond = SB_INIT;
				armexpr_add_api_guard(&cond, since);
				o->condition = ast_str_new(a, cond.buf, cond.len, s->span);
				sb_release(&cond);
			}
			o->span = s->span;
			*tail = o;
			tail = &o->next;
			m->count++;
		}
	}

	if (p->effect_form == AST_EFFECT_NONE) {
		static const char *const effects[] = { "Modify", "Disabled" };
		add_effect_param(a, p, effects, sizeof(effects) / sizeof(effects[0]), at);
	}
	if (!p->mode)
		p->mode = twin_mode(a, hb, at);

	if (!p->display)
		p->display = twin_display(a, r, hb, at);
	if (!p->description) {
		struct sb body = SB_INIT;
		sb_adds(&body, "Sets ");
		size_t k = 0;
		for (const struct harden_setting *s = hb->settings; s; s = s->next) {
			if (!modifiable(s))
				continue;
			if (k++)
				sb_adds(&body, k == n ? " and " : ", ");
			sb_adds(&body, s->path->s + 11);
			sb_adds(&body, " to ");
			add_stated_value(&body, s->value.json);
		}
		sb_adds(&body, " on ");
		typename_plural(&body, hb->type->s);
		sb_adds(&body, " when they are created or updated, and on existing ones through remediation tasks.");
		p->description = twin_description(a, body.buf, at);
		sb_release(&body);
	}
	return true;
}

/* ---- the DeployIfNotExists twin of a diagnostics companion ---- */

/* "Deploy diagnostic settings for key vaults to a Log Analytics workspace",
 * as Azure's own diagnostic-settings policies are named. */
static struct ast_str *diagnostics_display(struct arena *a, const struct harden_block *hb, struct src_span at)
{
	struct sb text = SB_INIT;
	sb_adds(&text, "Deploy diagnostic settings for ");
	typename_plural(&text, hb->type->s);
	sb_adds(&text, " to a Log Analytics workspace");
	struct sb capped = SB_INIT;
	add_capped(&capped, text.buf, DISPLAY_MAX);
	struct ast_str *display = new_str(a, capped.buf, at);
	sb_release(&capped);
	sb_release(&text);
	return display;
}

/* Log Analytics Contributor and Monitoring Contributor, as Azure's own
 * diagnostic-settings policies use. */
#define LOG_ANALYTICS_CONTRIBUTOR "/providers/Microsoft.Authorization/roleDefinitions/92aaf0da-9dab-42b6-94a3-d43ce8d16293"
#define MONITORING_CONTRIBUTOR "/providers/Microsoft.Authorization/roleDefinitions/749f88d5-cbae-40b8-bcfc-e573ddc772fa"
#define API_DIAGNOSTIC_SETTINGS "2021-05-01-preview"
#define DEFAULT_DIAGNOSTICS_NAME "pacc-diagnostics"

static cJSON *cj(cJSON *item)
{
	if (!item)
		die_oom();
	return item;
}

static void cj_add(cJSON *object, const char *key, cJSON *item)
{
	cJSON_AddItemToObject(object, key, item);
}

static cJSON *cj_str(const char *s)
{
	return cj(cJSON_CreateString(s));
}

/* A pack value (same shapes) from a cJSON tree, allocated in a. */
static struct ast_json *from_cjson(struct arena *a, const cJSON *j, struct src_span at)
{
	if (cJSON_IsString(j)) {
		return json_str(a, new_str(a, j->valuestring, at));
	} else if (cJSON_IsBool(j)) {
		struct ast_json *v = ast_json_new(a, AST_JSON_BOOL, at);
		v->u.boolean = cJSON_IsTrue(j);
		return v;
	} else if (cJSON_IsNumber(j)) {
		struct ast_json *v = ast_json_new(a, AST_JSON_NUMBER, at);
		v->u.number.value = j->valuedouble;
		v->u.number.text = arena_printf(a, "%d", j->valueint);
		return v;
	} else if (cJSON_IsArray(j)) {
		struct ast_json *v = ast_json_new(a, AST_JSON_ARRAY, at);
		struct ast_json_item **tail = &v->u.array.items;
		for (const cJSON *e = j->child; e; e = e->next) {
			struct ast_json_item *it = ARENA_NEW(a, struct ast_json_item);
			it->value = from_cjson(a, e, at);
			*tail = it;
			tail = &it->next;
			v->u.array.count++;
		}
		return v;
	} else if (cJSON_IsObject(j)) {
		struct ast_json *v = ast_json_new(a, AST_JSON_OBJECT, at);
		struct ast_json_member **tail = &v->u.object.members;
		for (const cJSON *e = j->child; e; e = e->next) {
			struct ast_json_member *m = ARENA_NEW(a, struct ast_json_member);
			m->key = new_str(a, e->string, at);
			m->value = from_cjson(a, e, at);
			*tail = m;
			tail = &m->next;
			v->u.object.count++;
		}
		return v;
	}
	return ast_json_new(a, AST_JSON_NULL, at);
}

/* The literal string of a companion argument, or NULL. */
static const char *arg_literal(const struct harden_companion *c, const char *key)
{
	const struct harden_arg *a = harden_arg_find(c, key);
	if (!a || a->value.input_name || !a->value.json || a->value.json->kind != AST_JSON_STRING)
		return NULL;
	return a->value.json->u.string->s;
}

/* The log entries the module and the template both write (harden_diagnostics_plan). */
static cJSON *diagnostics_logs(const struct harden_diagnostics *plan)
{
	cJSON *logs = cj(cJSON_CreateArray());
	const struct ast_json *lists[2] = { plan->categories, plan->groups };
	static const char *const keys[2] = { "category", "categoryGroup" };
	for (size_t k = 0; k < 2; k++)
		for (const struct ast_json_item *it = lists[k] ? lists[k]->u.array.items : NULL; it; it = it->next) {
			cJSON *e = cj(cJSON_CreateObject());
			cj_add(e, keys[k], cj_str(it->value->kind == AST_JSON_STRING ? it->value->u.string->s : ""));
			cj_add(e, "enabled", cj(cJSON_CreateTrue()));
			cJSON_AddItemToArray(logs, e);
		}
	if (plan->all_logs) {
		cJSON *e = cj(cJSON_CreateObject());
		cj_add(e, "categoryGroup", cj_str("allLogs"));
		cj_add(e, "enabled", cj(cJSON_CreateTrue()));
		cJSON_AddItemToArray(logs, e);
	}
	return logs;
}

/*
 * Completes the `remediate` policy of a diagnostics companion: if = the
 * type; related diagnosticSettings named like the module's, existing when
 * it sends to the workspace; a deployment whose template creates the same
 * setting the hardening module deploys.  The workspace is a policy
 * parameter named after its input (or fixed, when written literally).
 */
static bool lower_diagnostics(struct hchecker *hc, const struct harden_block *hb, struct harden_companion *c)
{
	struct ast_policy *p = c->remediate;
	struct arena *a = hc->pack->arena;
	struct src_span at = p->span;
	if (c->kind != HARDEN_COMPANION_DIAGNOSTICS) {
		diag_error(hc->d, at, "E0413", "'remediate' in a companion is supported for 'diagnostics' only");
		return false;
	}
	if (p->details_kind != AST_DETAILS_NONE || p->condition) {
		diag_error(hc->d, at, "E0413",
			   "the DeployIfNotExists twin is derived from the companion; leave out 'if' and details");
		return false;
	}
	const struct harden_arg *ws = harden_arg_find(c, "workspace");
	if (!ws)
		return false; /* E0408 already */
	const char *setting = arg_literal(c, "name");
	if (!setting)
		setting = DEFAULT_DIAGNOSTICS_NAME;

	/* the workspace: "[parameters('<input>')]", or the literal id */
	const char *ws_expr;
	if (ws->value.input_name) {
		const struct harden_input *in = ws->value.input;
		const char *pname = ws->value.input_name->s;
		ws_expr = armexpr_param_ref_dup(a, pname);
		bool declared = false;
		for (const struct ast_param *pa = p->params; pa; pa = pa->next)
			declared |= pa->name && strcasecmp(pa->name->s, pname) == 0;
		if (!declared) {
			struct ast_param *pa = ARENA_NEW(a, struct ast_param);
			pa->name = new_str(a, pname, at);
			pa->type = new_str(a, "String", at);
			pa->display = new_str(a, "Log Analytics workspace", at);
			if (in && in->description)
				pa->description = in->description;
			pa->strong_type = new_str(a, "omsWorkspace", at);
			cJSON *meta = cj(cJSON_CreateObject());
			cj_add(meta, "assignPermissions", cj(cJSON_CreateTrue()));
			pa->metadata = from_cjson(a, meta, at);
			cJSON_Delete(meta);
			pa->span = at;
			struct ast_param **tail = &p->params;
			while (*tail)
				tail = &(*tail)->next;
			*tail = pa;
			p->param_count++;
		}
	} else if (ws->value.json && ws->value.json->kind == AST_JSON_STRING) {
		ws_expr = ws->value.json->u.string->s;
	} else {
		return false; /* E0411 already */
	}

	/* if: the type */
	p->condition = field_leaf(a, new_str(a, "type", at), AST_OP_EQUALS,
				  json_str(a, new_str(a, hb->type->s, hb->type->span)), at);

	/* details */
	struct ast_related *rel = ARENA_NEW(a, struct ast_related);
	rel->span = at;
	rel->type = new_str(a, "Microsoft.Insights/diagnosticSettings", at);
	rel->name = json_str(a, new_str(a, setting, at));
	rel->existence = field_leaf(a, new_str(a, "Microsoft.Insights/diagnosticSettings/workspaceId", at),
				    AST_OP_EQUALS, json_str(a, new_str(a, ws_expr, at)), at);
	cJSON *roles = cj(cJSON_CreateArray());
	cJSON_AddItemToArray(roles, cj_str(LOG_ANALYTICS_CONTRIBUTOR));
	cJSON_AddItemToArray(roles, cj_str(MONITORING_CONTRIBUTOR));
	rel->role_ids = from_cjson(a, roles, at);
	cJSON_Delete(roles);

	/* the deployment: the template creates what the module's companion creates */
	cJSON *dep = cj(cJSON_CreateObject());
	cJSON *props = cj(cJSON_CreateObject());
	cj_add(props, "mode", cj_str("Incremental"));
	cJSON *tpl = cj(cJSON_CreateObject());
	cj_add(tpl, "$schema", cj_str("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"));
	cj_add(tpl, "contentVersion", cj_str("1.0.0.0"));
	cJSON *tparams = cj(cJSON_CreateObject());
	cJSON *rn = cj(cJSON_CreateObject());
	cj_add(rn, "type", cj_str("string"));
	cj_add(tparams, "resourceName", rn);
	cJSON *wsp = cj(cJSON_CreateObject());
	cj_add(wsp, "type", cj_str("string"));
	cj_add(tparams, "workspaceId", wsp);
	cj_add(tpl, "parameters", tparams);
	cJSON *res = cj(cJSON_CreateObject());
	cj_add(res, "type", cj_str(arena_printf(a, "%s/providers/diagnosticSettings", hb->type->s)));
	cj_add(res, "apiVersion", cj_str(API_DIAGNOSTIC_SETTINGS));
	/* the setting's name is a template string literal */
	struct sb name = SB_INIT;
	sb_adds(&name, "[concat(parameters('resourceName'), ");
	armexpr_add_string(&name, arena_printf(a, "/Microsoft.Insights/%s", setting));
	sb_adds(&name, ")]");
	cj_add(res, "name", cj_str(name.buf));
	sb_release(&name);
	cJSON *rprops = cj(cJSON_CreateObject());
	cj_add(rprops, "workspaceId", cj_str("[parameters('workspaceId')]"));
	struct harden_diagnostics plan = harden_diagnostics_plan(c);
	cJSON *logs = diagnostics_logs(&plan);
	if (cJSON_GetArraySize(logs))
		cj_add(rprops, "logs", logs);
	else
		cJSON_Delete(logs);
	if (plan.metrics) {
		cJSON *metrics = cj(cJSON_CreateArray());
		cJSON *m = cj(cJSON_CreateObject());
		cj_add(m, "category", cj_str("AllMetrics"));
		cj_add(m, "enabled", cj(cJSON_CreateTrue()));
		cJSON_AddItemToArray(metrics, m);
		cj_add(rprops, "metrics", metrics);
	}
	cj_add(res, "properties", rprops);
	cJSON *resources = cj(cJSON_CreateArray());
	cJSON_AddItemToArray(resources, res);
	cj_add(tpl, "resources", resources);
	cj_add(props, "template", tpl);
	cJSON *dparams = cj(cJSON_CreateObject());
	cJSON *v1 = cj(cJSON_CreateObject());
	/* a child's name is its parent's and its own ("account/default"), as the built-ins pass it */
	cj_add(v1, "value", cj_str(check_types_is_child(hb->type->s) ? "[field('fullName')]" : "[field('name')]"));
	cj_add(dparams, "resourceName", v1);
	cJSON *v2 = cj(cJSON_CreateObject());
	cj_add(v2, "value", cj_str(ws_expr));
	cj_add(dparams, "workspaceId", v2);
	cj_add(props, "parameters", dparams);
	cj_add(dep, "properties", props);
	rel->deployment = from_cjson(a, dep, at);
	cJSON_Delete(dep);

	p->details_kind = AST_DETAILS_RELATED;
	p->details.related = rel;

	if (p->effect_form == AST_EFFECT_NONE) {
		static const char *const effects[] = { "DeployIfNotExists", "AuditIfNotExists", "Disabled" };
		add_effect_param(a, p, effects, sizeof(effects) / sizeof(effects[0]), at);
	}
	if (!p->mode)
		p->mode = twin_mode(a, hb, at);
	if (!p->display)
		p->display = diagnostics_display(a, hb, at);
	if (!p->description) {
		struct sb body = SB_INIT;
		sb_addf(&body, "Deploys the diagnostic setting '%s' on ", setting);
		typename_plural(&body, hb->type->s);
		sb_adds(&body, " that lack one, sending ");
		harden_diagnostics_describe(&plan, &body);
		sb_adds(&body, " to a Log Analytics workspace.");
		p->description = twin_description(a, body.buf, at);
		sb_release(&body);
	}
	return true;
}

/* ---- the pack ---- */

void check_harden(struct ast_pack *pack, struct diag_engine *d)
{
	if (!pack->service)
		return;
	struct hchecker hc = { pack, d, STRMAP_INIT(false) };
	check_inputs(&hc);

	size_t settings = 0;
	for (struct ast_section *sec = pack->sections; sec; sec = sec->next)
		for (struct ast_recommendation *r = sec->recommendations; r; r = r->next)
			for (struct harden_block *hb = r->harden; hb; hb = hb->next)
				for (struct harden_setting *s = hb->settings; s; s = s->next)
					settings++;
	struct located_setting *all = xcalloc(settings ? settings : 1, sizeof(*all));
	size_t n = 0;

	for (struct ast_section *sec = pack->sections; sec && !diag_should_stop(d); sec = sec->next) {
		for (struct ast_recommendation *r = sec->recommendations; r; r = r->next) {
			for (struct harden_block *hb = r->harden; hb; hb = hb->next) {
				if (hb->type)
					hb->governs = resolve_type(&hc, hb);
				if (hb->governs && !hb->governs->api_version) {
					struct diag_record *rec = diag_error(
						d, hb->type->span, "E0402",
						"'%s' has no pinned API version for its hardening module", hb->type->s);
					diag_note(d, rec, hb->governs->span, "governed here");
					diag_help(d, rec, "write governs \"%s\" at \"<api-version>\"", hb->type->s);
				}
				for (struct harden_setting *s = hb->settings; s; s = s->next) {
					resolve_value(&hc, &s->value);
					if (s->path && path_ok(&hc, s) && hb->governs)
						all[n++] = (struct located_setting){ s, r, hb->governs };
				}
				for (struct harden_identity *id = hb->identities; id; id = id->next)
					check_identity_stmt(&hc, id);
				for (struct harden_companion *c = hb->companions; c; c = c->next)
					check_companion(&hc, c);
				if (hb->remediate && !lower_remediation(&hc, r, hb))
					drop_policy(r, hb->remediate);
				for (struct harden_companion *c = hb->companions; c; c = c->next)
					if (c->remediate && c->kind_word &&
					    harden_companion_from_name(c->kind_word->s, &c->kind) &&
					    !lower_diagnostics(&hc, hb, c))
						drop_policy(r, c->remediate);
			}
		}
	}
	check_conflicts(&hc, all, n);
	free(all);

	for (struct harden_input *in = pack->service->inputs; in; in = in->next)
		if (in->name && !in->used) {
			struct diag_record *r = diag_error(d, in->name->span, "E0404",
							   "input '%s' is never used", in->name->s);
			diag_help(d, r,
				  "an input is a value of a 'harden' block: write 'set properties.<path> = "
				  "input.%s' or a companion argument such as 'workspace = input.%s', or "
				  "remove the declaration",
				  in->name->s, in->name->s);
		}
	strmap_release(&hc.inputs);
}
