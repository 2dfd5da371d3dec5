#include "pacc/check_alias.h"

#include "pacc/armexpr.h"
#include "pacc/check_types.h"
#include "pacc/harden.h"
#include "pacc/sb.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Suggestions shown in one "did you mean" line. */
#define SUGGEST_MAX 3
/* Namespaces and types reported as uncovered once each per pack. */
#define UNCOVERED_MAX 64

struct walk {
	const struct alias_table *t;
	struct diag_engine *d;        /* NULL: collecting types, reporting nothing */
	struct ast_pack *pack;
	struct check_alias_types *out;/* collecting: the types found */
	struct arena *a;              /* the pack's arena, for rewritten strings */
	/* Types a bare property name may belong to: the policy's `type` literals, else the governed ones. */
	const char *ctx[16];
	size_t ctx_count;
	/* Offsets of every `set` path: derived twins name them, and they are checked at the set. */
	uint32_t *set_offsets;
	size_t set_count;
	const char *uncovered[UNCOVERED_MAX];
	size_t uncovered_count;
};

/* ---- small helpers ---- */

static bool ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

static bool istarts(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static void add_type(struct walk *w, const struct alias_type *ty)
{
	if (!w->out || !ty)
		return;
	struct check_alias_types *o = w->out;
	if (o->count == o->alloc) {
		o->alloc = o->alloc ? o->alloc * 2 : 32;
		o->items = xrealloc(o->items, o->alloc * sizeof(*o->items));
	}
	o->items[o->count++] = ty;
}

/* A field that names no alias: Azure's special names and template expressions. */
static bool not_an_alias(const char *f)
{
	static const char *const names[] = { "name", "fullName", "type", "kind", "location", "id", "tags", "identity" };
	if (f[0] == '\0' || (f[0] == '[' && f[1] != '['))
		return true;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (ieq(f, names[i]))
			return true;
	return istarts(f, "tags[") || istarts(f, "tags.") || istarts(f, "identity.");
}

/* Resource Provider modes (Microsoft.KeyVault.Data ...) use data-plane aliases no export lists. */
static bool resource_manager_mode(const struct ast_policy *p)
{
	return !p->mode || ieq(p->mode->s, "All") || ieq(p->mode->s, "Indexed");
}

static bool is_set_path(const struct walk *w, const struct ast_str *s)
{
	size_t lo = 0, hi = w->set_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->set_offsets[mid] == s->span.begin.offset && s->span.src == w->pack->src)
			return true;
		if (w->set_offsets[mid] < s->span.begin.offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* "did you mean 'a'?", "did you mean 'a' or 'b'?" with prefix before each name. */
static void help_names(struct walk *w, struct diag_record *rec, const char *const *names, size_t n)
{
	if (n == 0)
		return;
	struct sb text = SB_INIT;
	for (size_t i = 0; i < n; i++)
		sb_addf(&text, "%s'%s'", i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
	diag_help(w->d, rec, "did you mean %s?", text.buf);
	sb_release(&text);
}

static void help_aliases(struct walk *w, struct diag_record *rec, const struct alias *const *found, size_t n,
			 bool by_path)
{
	const char *names[SUGGEST_MAX];
	for (size_t i = 0; i < n && i < SUGGEST_MAX; i++)
		names[i] = by_path ? found[i]->default_path : found[i]->name;
	help_names(w, rec, names, n < SUGGEST_MAX ? n : SUGGEST_MAX);
}

/* Reports, once per pack, a namespace or type the table does not cover. */
static void uncovered(struct walk *w, const struct ast_str *at, const char *what, const char *name,
		      const char *closest)
{
	for (size_t i = 0; i < w->uncovered_count; i++)
		if (ieq(w->uncovered[i], name))
			return;
	if (w->uncovered_count < UNCOVERED_MAX)
		w->uncovered[w->uncovered_count++] = name;
	struct diag_record *rec = diag_warning(w->d, at->span, "E0505",
					       "the alias table does not list the aliases of %s '%s', so they are not checked",
					       what, name);
	if (closest)
		diag_help(w->d, rec, "did you mean '%s'?", closest);
	else
		diag_help(w->d, rec, "regenerate the lock file with 'pacc aliases' from an export that covers it");
}

/* ---- one alias ---- */

/* The alias the field names, or NULL (after reporting, when it is unknown or not covered). */
static const struct alias *check_name(struct walk *w, const struct ast_str *field)
{
	if (not_an_alias(field->s) || is_set_path(w, field))
		return NULL;
	struct sb norm = SB_INIT;
	for (const char *p = field->s; *p; p++) {
		if (p[0] == '[' && p[1] == ']') {
			sb_adds(&norm, "[*]");
			p++;
		} else {
			sb_addch(&norm, *p);
		}
	}
	const struct alias *found = alias_find(w->t, norm.buf);
	if (found) {
		add_type(w, found->type);
		sb_release(&norm);
		return found;
	}
	const char *last = strrchr(norm.buf, '/');
	const char *first = strchr(norm.buf, '/');
	const struct alias *best[SUGGEST_MAX];
	size_t nbest = 0;

	if (!first || first == last) {
		/* No type in it: a property name of the policy's types, or a bare word. */
		const char *prop = first ? first + 1 : norm.buf;
		bool is_path = istarts(prop, "properties.");
		for (size_t i = 0; i < w->ctx_count && nbest == 0; i++) {
			const struct alias_type *ty = alias_type_find(w->t, w->ctx[i]);
			if (!ty)
				continue;
			const struct alias *exact = is_path ? alias_by_path(ty, prop) : NULL;
			if (exact) {
				best[nbest++] = exact;
				break;
			}
			nbest = alias_closest(ty, is_path ? prop : prop, is_path, best, SUGGEST_MAX);
		}
		if (w->d) {
			struct diag_record *rec = diag_error(
				w->d, field->span, "E0501",
				"'%s' is not an alias: a field names an alias (namespace/type/property) or one of "
				"name, fullName, type, kind, location, id, identity.type, tags",
				field->s);
			help_aliases(w, rec, best, nbest, false);
		}
		sb_release(&norm);
		return NULL;
	}

	char *type_name = arena_strndup(w->a, norm.buf, (size_t)(last - norm.buf));
	char *ns_name = arena_strndup(w->a, norm.buf, (size_t)(first - norm.buf));
	const char *prop = last + 1;
	const struct alias_namespace *ns = alias_namespace_find(w->t, ns_name);
	const struct alias_type *ty = alias_type_find(w->t, type_name);
	if (!ns) {
		if (w->d) {
			const struct alias_namespace *near = alias_closest_namespace(w->t, ns_name);
			uncovered(w, field, "namespace", ns_name, near ? near->name : NULL);
		}
		sb_release(&norm);
		return NULL;
	}
	if (ty && !ty->listed) {
		add_type(w, ty);
		if (w->d)
			uncovered(w, field, "type", ty->name, NULL);
		sb_release(&norm);
		return NULL;
	}
	const struct alias_type *near_type = ty ? ty : alias_closest_type(ns, type_name + strlen(ns_name) + 1);
	add_type(w, near_type);
	if (near_type)
		nbest = alias_closest(near_type, prop, false, best, SUGGEST_MAX);
	if (w->d) {
		struct diag_record *rec;
		if (ty)
			rec = diag_error(w->d, field->span, "E0501", "unknown alias '%s': type '%s' has no property '%s'",
					 field->s, ty->name, prop);
		else
			rec = diag_error(w->d, field->span, "E0501", "unknown alias '%s': namespace '%s' has no type '%s'",
					 field->s, ns->name, type_name + strlen(ns_name) + 1);
		if (nbest)
			help_aliases(w, rec, best, nbest, false);
		else if (!ty && near_type)
			diag_help(w->d, rec, "did you mean type '%s'?", near_type->name);
	}
	sb_release(&norm);
	return NULL;
}

static void check_type_name(struct walk *w, const struct ast_str *type)
{
	if (!type || (type->s[0] == '[' && type->s[1] != '['))
		return;
	add_type(w, alias_type_find(w->t, type->s));
}

/* ---- conditions ---- */

static void walk_cond(struct walk *w, const struct ast_cond *c)
{
	for (; c && !(w->d && diag_should_stop(w->d)); c = c->next) {
		switch (c->kind) {
		case AST_COND_ALL:
		case AST_COND_ANY:
			walk_cond(w, c->u.logical.children);
			break;
		case AST_COND_NOT:
			walk_cond(w, c->u.negated);
			break;
		case AST_COND_FIELD:
			if (c->u.leaf.field)
				check_name(w, c->u.leaf.field);
			break;
		case AST_COND_VALUE:
		case AST_COND_JSON: /* verbatim, in a form pacc does not model */
			break;
		case AST_COND_COUNT:
			if (c->u.leaf.count.kind == AST_COUNT_FIELD && c->u.leaf.count.field)
				check_name(w, c->u.leaf.count.field);
			walk_cond(w, c->u.leaf.count.where);
			break;
		}
	}
}

/* The literals of `type == "X"` and `type in [...]` anywhere in c, into w->ctx. */
static void collect_types(struct walk *w, const struct ast_cond *c)
{
	for (; c; c = c->next) {
		switch (c->kind) {
		case AST_COND_ALL:
		case AST_COND_ANY:
			collect_types(w, c->u.logical.children);
			break;
		case AST_COND_NOT:
		case AST_COND_VALUE:
		case AST_COND_COUNT:
		case AST_COND_JSON:
			break;
		case AST_COND_FIELD: {
			const struct ast_json *rhs = c->u.leaf.rhs;
			if (!c->u.leaf.field || !ieq(c->u.leaf.field->s, "type") || !rhs)
				break;
			if (c->u.leaf.op == AST_OP_EQUALS && rhs->kind == AST_JSON_STRING) {
				if (w->ctx_count < 16)
					w->ctx[w->ctx_count++] = rhs->u.string->s;
			} else if (c->u.leaf.op == AST_OP_IN && rhs->kind == AST_JSON_ARRAY) {
				for (const struct ast_json_item *it = rhs->u.array.items; it; it = it->next)
					if (it->value->kind == AST_JSON_STRING && w->ctx_count < 16)
						w->ctx[w->ctx_count++] = it->value->u.string->s;
			}
			break;
		}
		}
	}
}

static void context_of(struct walk *w, const struct ast_cond *c)
{
	w->ctx_count = 0;
	collect_types(w, c);
	if (w->ctx_count || !w->pack->service)
		return;
	for (const struct ast_governs *g = w->pack->service->governs; g && w->ctx_count < 16; g = g->next)
		if (g->type)
			w->ctx[w->ctx_count++] = g->type->s;
}

/* ---- policies ---- */

static void check_indexed(struct walk *w, const struct ast_policy *p)
{
	if (!w->d || !p->mode || !ieq(p->mode->s, "Indexed"))
		return;
	for (size_t i = 0; i < w->ctx_count; i++) {
		const struct alias_type *ty = alias_type_find(w->t, w->ctx[i]);
		/* child types are E0418's, whatever the table says */
		if (!ty || check_types_is_child(ty->name) ||
		    (ty->supports_tags != ALIAS_NO && ty->supports_location != ALIAS_NO))
			continue;
		struct diag_record *rec = diag_warning(
			w->d, p->mode->span, "E0504",
			"'mode Indexed' never evaluates '%s': the type supports no %s, and Indexed skips such types",
			ty->name, ty->supports_tags == ALIAS_NO ? "tags" : "location");
		diag_help(w->d, rec, "write 'mode All'");
	}
}

static void check_modify_field(struct walk *w, const struct ast_str *field)
{
	const struct alias *a = check_name(w, field);
	if (!a || !w->d || a->modifiable != ALIAS_NO)
		return;
	diag_error(w->d, field->span, "E0503",
		   "alias '%s' is not Modifiable: Azure rejects a Modify operation on it", a->name);
}

static void walk_policy(struct walk *w, const struct ast_policy *p)
{
	if (!resource_manager_mode(p))
		return;
	context_of(w, p->condition);
	for (size_t i = 0; i < w->ctx_count; i++)
		add_type(w, alias_type_find(w->t, w->ctx[i]));
	check_indexed(w, p);
	walk_cond(w, p->condition);
	switch (p->details_kind) {
	case AST_DETAILS_NONE:
	case AST_DETAILS_JSON:
		break;
	case AST_DETAILS_RELATED: {
		const struct ast_related *r = p->details.related;
		check_type_name(w, r->type);
		w->ctx_count = 0;
		if (r->type)
			w->ctx[w->ctx_count++] = r->type->s;
		walk_cond(w, r->existence);
		break;
	}
	case AST_DETAILS_MODIFY:
		for (const struct ast_modify_operation *o = p->details.modify->operations; o; o = o->next)
			if (o->field)
				check_modify_field(w, o->field);
		break;
	case AST_DETAILS_APPEND:
		for (const struct ast_append *e = p->details.append.entries; e; e = e->next)
			if (e->field)
				check_name(w, e->field);
		break;
	}
}

/* ---- harden ... set ---- */

/*
 * Does some alias of ty read path (a `set` path)?  Yes when an alias's
 * default path is path, lies under it (setting an object), or is an
 * ancestor of it whose own members have no aliases (inside an object the
 * table does not break down).
 */
static bool path_known(const struct alias_type *ty, const char *path)
{
	size_t plen = strlen(path);
	const char *ancestor = NULL;
	size_t alen = 0;
	for (size_t i = 0; i < ty->alias_count; i++) {
		const char *dp = ty->aliases[i]->default_path;
		if (!dp)
			continue;
		size_t n = strlen(dp);
		if (n == plen && strncasecmp(dp, path, n) == 0)
			return true;
		if (n > plen && strncasecmp(dp, path, plen) == 0 && (dp[plen] == '.' || dp[plen] == '['))
			return true;
		if (n < plen && n > alen && strncasecmp(dp, path, n) == 0 && path[n] == '.' &&
		    !ieq(dp, "properties")) {
			ancestor = dp;
			alen = n;
		}
	}
	if (!ancestor)
		return false;
	for (size_t i = 0; i < ty->alias_count; i++) {
		const char *dp = ty->aliases[i]->default_path;
		if (dp && strlen(dp) > alen && strncasecmp(dp, ancestor, alen) == 0 && dp[alen] == '.')
			return false;
	}
	return true;
}

/* Points derived condition leaves named like the set path at the table's alias. */
static void rename_leaves(struct ast_cond *c, uint32_t offset, struct ast_str *name)
{
	for (; c; c = c->next) {
		switch (c->kind) {
		case AST_COND_ALL:
		case AST_COND_ANY:
			rename_leaves(c->u.logical.children, offset, name);
			break;
		case AST_COND_NOT:
			rename_leaves(c->u.negated, offset, name);
			break;
		case AST_COND_FIELD:
			if (c->u.leaf.field && c->u.leaf.field->span.begin.offset == offset)
				c->u.leaf.field = name;
			break;
		case AST_COND_VALUE:
		case AST_COND_COUNT:
		case AST_COND_JSON:
			break;
		}
	}
}

/* The derived Modify operation of setting s in hb's twin, or NULL. */
static struct ast_modify_operation *derived_op(const struct harden_block *hb, const struct harden_setting *s)
{
	const struct ast_policy *p = hb->remediate;
	if (!p || p->details_kind != AST_DETAILS_MODIFY || !p->details.modify)
		return NULL;
	for (struct ast_modify_operation *o = p->details.modify->operations; o; o = o->next)
		if (o->field && o->field->span.begin.offset == s->path->span.begin.offset &&
		    o->field->span.src == s->path->span.src)
			return o;
	return NULL;
}

/* Lowers the derived API-version guard of o (no `since`) to the earliest version carrying a. */
static void lower_guard(struct walk *w, const struct harden_block *hb, const struct harden_setting *s,
			struct ast_modify_operation *o, const struct alias *a)
{
	const char *pinned = hb->governs && hb->governs->api_version ? hb->governs->api_version->s : NULL;
	if (!o || !o->condition || !pinned || !a->earliest_api || s->since)
		return;
	struct sb derived = SB_INIT;
	armexpr_add_api_guard(&derived, pinned);
	bool is_derived = strcmp(o->condition->s, derived.buf) == 0;
	sb_release(&derived);
	if (!is_derived)
		return;
	int c = strcasecmp(a->earliest_api, pinned);
	if (c < 0) {
		struct sb text = SB_INIT;
		armexpr_add_api_guard(&text, a->earliest_api);
		o->condition = ast_str_new(w->a, text.buf, text.len, o->condition->span);
		sb_release(&text);
	} else if (c > 0 && alias_path_at(a, pinned) == a->default_path) {
		bool listed = false;
		for (size_t i = 0; i < a->path_count && !listed; i++)
			for (size_t k = 0; k < a->paths[i].api_version_count; k++)
				listed |= ieq(a->paths[i].api_versions[k], pinned);
		if (!listed) {
			struct diag_record *rec = diag_warning(
				w->d, s->path->span, "E0506",
				"API version '%s' of '%s' does not carry '%s' yet: the alias table lists it from '%s'",
				pinned, hb->type->s, s->path->s, a->earliest_api);
			diag_note(w->d, rec, hb->governs->api_version->span, "pinned here");
		}
	}
}

static void check_setting(struct walk *w, struct harden_block *hb, const struct alias_type *ty,
			  const struct harden_setting *s)
{
	const char *path = s->path->s;
	if (!istarts(path, "properties.") || !path[11])
		return;
	if (!path_known(ty, path)) {
		const struct alias *best[SUGGEST_MAX];
		size_t n = alias_closest(ty, path, true, best, SUGGEST_MAX);
		struct diag_record *rec = diag_error(w->d, s->path->span, "E0502",
						     "'%s' is not a property of '%s' that any alias reads", path, ty->name);
		help_aliases(w, rec, best, n, true);
		return;
	}
	const struct alias *a = alias_by_path(ty, path);
	if (!a)
		return;
	struct ast_modify_operation *o = derived_op(hb, s);
	if (!o)
		return;
	if (!ieq(o->field->s, a->name)) {
		struct ast_str *name = ast_str_new(w->a, a->name, strlen(a->name), o->field->span);
		rename_leaves(hb->remediate->condition, s->path->span.begin.offset, name);
		o->field = name;
	}
	if (a->modifiable == ALIAS_NO) {
		struct diag_record *rec = diag_error(
			w->d, s->path->span, "E0503",
			"alias '%s' is not Modifiable: 'remediate' cannot derive a Modify operation for '%s'", a->name,
			path);
		diag_note(w->d, rec, hb->remediate->span, "the Modify twin is derived here");
	}
	lower_guard(w, hb, s, o, a);
}

static void walk_harden(struct walk *w, struct harden_block *hb)
{
	if (!hb->type)
		return;
	const struct alias_type *ty = alias_type_find(w->t, hb->type->s);
	add_type(w, ty);
	if (!w->d)
		return;
	if (!ty || !ty->listed) {
		bool any = false;
		for (const struct harden_setting *s = hb->settings; s && !any; s = s->next)
			any = s->path && istarts(s->path->s, "properties.");
		if (!any)
			return;
		const char *slash = strchr(hb->type->s, '/');
		char *ns_name = arena_strndup(w->a, hb->type->s, slash ? (size_t)(slash - hb->type->s) : 0);
		if (!alias_namespace_find(w->t, ns_name))
			uncovered(w, hb->type, "namespace", ns_name, NULL);
		else
			uncovered(w, hb->type, "type", hb->type->s, NULL);
		return;
	}
	for (const struct harden_setting *s = hb->settings; s && !diag_should_stop(w->d); s = s->next)
		if (s->path)
			check_setting(w, hb, ty, s);
}

/* ---- the pack ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void walk_pack(struct walk *w)
{
	struct ast_pack *pack = w->pack;
	size_t n = 0;
	for (const struct ast_section *sec = pack->sections; sec; sec = sec->next)
		for (const struct ast_recommendation *r = sec->recommendations; r; r = r->next)
			for (const struct harden_block *hb = r->harden; hb; hb = hb->next)
				for (const struct harden_setting *s = hb->settings; s; s = s->next)
					n += s->path != NULL;
	w->set_offsets = xcalloc(n ? n : 1, sizeof(*w->set_offsets));
	for (const struct ast_section *sec = pack->sections; sec; sec = sec->next)
		for (const struct ast_recommendation *r = sec->recommendations; r; r = r->next)
			for (const struct harden_block *hb = r->harden; hb; hb = hb->next)
				for (const struct harden_setting *s = hb->settings; s; s = s->next)
					if (s->path)
						w->set_offsets[w->set_count++] = s->path->span.begin.offset;
	qsort(w->set_offsets, w->set_count, sizeof(*w->set_offsets), cmp_u32);

	if (pack->service)
		for (const struct ast_governs *g = pack->service->governs; g; g = g->next)
			check_type_name(w, g->type);
	for (struct ast_section *sec = pack->sections; sec; sec = sec->next)
		for (struct ast_recommendation *r = sec->recommendations; r; r = r->next) {
			for (struct harden_block *hb = r->harden; hb; hb = hb->next)
				walk_harden(w, hb);
			for (const struct ast_policy *p = r->policies; p; p = p->next)
				walk_policy(w, p);
		}
	for (const struct ast_policy *p = pack->policies; p; p = p->next)
		walk_policy(w, p);
	free(w->set_offsets);
}

void check_alias(struct ast_pack *pack, const struct alias_table *t, struct diag_engine *d)
{
	struct walk w = { .t = t, .d = d, .pack = pack, .a = pack->arena };
	walk_pack(&w);
}

void check_alias_collect(struct ast_pack *pack, const struct alias_table *t, struct check_alias_types *out)
{
	/* Collecting reports nothing and rewrites nothing. */
	struct walk w = { .t = t, .pack = pack, .out = out, .a = pack->arena };
	walk_pack(&w);
}
