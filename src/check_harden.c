#include "pacc/check_harden.h"

#include "pacc/arena.h"
#include "pacc/harden.h"

#include <stdbool.h>
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

static const char *const diag_allowed[] = { "workspace", "name", "categories", "metrics", NULL };
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
};

/* ---- inputs ---- */

static struct harden_input *find_input(struct ast_pack *pack, const char *name)
{
	for (struct harden_input *in = pack->service->inputs; in; in = in->next)
		if (in->name && strcmp(in->name->s, name) == 0)
			return in;
	return NULL;
}

static void check_inputs(struct hchecker *hc)
{
	for (struct harden_input *in = hc->pack->service->inputs; in; in = in->next) {
		if (!in->name)
			continue;
		for (struct harden_input *prev = hc->pack->service->inputs; prev != in; prev = prev->next)
			if (prev->name && strcasecmp(prev->name->s, in->name->s) == 0) {
				struct diag_record *r = diag_error(hc->d, in->name->span, "E0406",
								   "duplicate input '%s'", in->name->s);
				diag_note(hc->d, r, prev->name->span, "'%s' declared here", prev->name->s);
				break;
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
}

/* Resolves input.NAME; reports an unknown name. */
static void resolve_value(struct hchecker *hc, struct harden_value *v)
{
	if (!v->input_name)
		return;
	struct harden_input *in = find_input(hc->pack, v->input_name->s);
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

static bool json_equal(const struct ast_json *a, const struct ast_json *b)
{
	if (!a || !b)
		return a == b;
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case AST_JSON_NULL:
		return true;
	case AST_JSON_BOOL:
		return a->u.boolean == b->u.boolean;
	case AST_JSON_NUMBER:
		return a->u.number.value == b->u.number.value;
	case AST_JSON_STRING:
		return a->u.string->len == b->u.string->len &&
		       memcmp(a->u.string->s, b->u.string->s, a->u.string->len) == 0;
	case AST_JSON_ARRAY: {
		const struct ast_json_item *x = a->u.array.items, *y = b->u.array.items;
		for (; x && y; x = x->next, y = y->next)
			if (!json_equal(x->value, y->value))
				return false;
		return !x && !y;
	}
	case AST_JSON_OBJECT: {
		if (a->u.object.count != b->u.object.count)
			return false;
		for (const struct ast_json_member *m = a->u.object.members; m; m = m->next) {
			const struct ast_json_member *o = b->u.object.members;
			while (o && strcmp(o->key->s, m->key->s) != 0)
				o = o->next;
			if (!o || !json_equal(m->value, o->value))
				return false;
		}
		return true;
	}
	}
	return false;
}

static bool value_equal(const struct harden_value *a, const struct harden_value *b)
{
	if (a->input_name || b->input_name)
		return a->input_name && b->input_name && strcmp(a->input_name->s, b->input_name->s) == 0;
	return json_equal(a->json, b->json);
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

/*
 * Two settings on one type conflict when they name the same path with
 * different values, or when one path lies inside the other's value
 * (`set identity = {...}` and `set identity.type = ...`).  The same value
 * set twice is no conflict: two recommendations may well agree.
 */
static void check_conflicts(struct hchecker *hc, struct located_setting *all, size_t n)
{
	for (size_t j = 1; j < n; j++) {
		for (size_t i = 0; i < j; i++) {
			if (all[i].g != all[j].g)
				continue;
			int rel = path_relation(all[i].s->path->s, all[j].s->path->s);
			if (rel == 0 || (rel == 1 && value_equal(&all[i].s->value, &all[j].s->value)))
				continue;
			struct diag_record *r;
			if (rel == 1)
				r = diag_error(hc->d, all[j].s->span, "E0405",
					       "conflicting values for '%s' on '%s'", all[j].s->path->s,
					       all[j].g->type->s);
			else
				r = diag_error(hc->d, all[j].s->span, "E0405",
					       "'%s' overlaps '%s' on '%s'", all[j].s->path->s,
					       all[i].s->path->s, all[j].g->type->s);
			if (all[i].rec && all[i].rec->id)
				diag_note(hc->d, r, all[i].s->span, "set by recommendation '%s' here",
					  all[i].rec->id->s);
			else
				diag_note(hc->d, r, all[i].s->span, "set here");
			break;
		}
	}
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
	if (strcmp(key, "metrics") == 0) {
		if (!j || j->kind != AST_JSON_BOOL)
			want = "true or false";
	} else if (strcmp(key, "categories") == 0) {
		bool ok = v->input_name || (j && j->kind == AST_JSON_ARRAY);
		for (const struct ast_json_item *it = j && j->kind == AST_JSON_ARRAY ? j->u.array.items : NULL;
		     it; it = it->next)
			ok &= it->value->kind == AST_JSON_STRING;
		if (!ok)
			want = "an array of log category names";
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
}

/* ---- the pack ---- */

void check_harden(struct ast_pack *pack, struct diag_engine *d)
{
	if (!pack->service)
		return;
	struct hchecker hc = { pack, d };
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
				for (struct harden_companion *c = hb->companions; c; c = c->next)
					check_companion(&hc, c);
			}
		}
	}
	check_conflicts(&hc, all, n);
	free(all);

	for (struct harden_input *in = pack->service->inputs; in; in = in->next)
		if (in->name && !in->used)
			diag_error(d, in->name->span, "E0404", "input '%s' is never used", in->name->s);
}
