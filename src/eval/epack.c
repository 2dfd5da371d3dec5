#include "pacc/epack.h"

#include "pacc/arena.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct ast_policy **epack_policies(const struct ast_pack *pack, size_t *count)
{
	size_t n = 0, cap = 8;
	const struct ast_policy **out = xmalloc(cap * sizeof(*out));
	for (const struct ast_section *s = pack->sections; s; s = s->next)
		for (const struct ast_recommendation *r = s->recommendations; r; r = r->next)
			for (const struct ast_policy *p = r->policies; p; p = p->next) {
				if (n == cap)
					out = xrealloc(out, (cap *= 2) * sizeof(*out));
				out[n++] = p;
			}
	for (const struct ast_policy *p = pack->policies; p; p = p->next) {
		if (n == cap)
			out = xrealloc(out, (cap *= 2) * sizeof(*out));
		out[n++] = p;
	}
	*count = n;
	return out;
}

static const char *type_of(const struct ast_cond *c)
{
	if (!c)
		return NULL;
	if (c->kind == AST_COND_ALL) {
		for (const struct ast_cond *x = c->u.logical.children; x; x = x->next) {
			const char *t = type_of(x);
			if (t)
				return t;
		}
		return NULL;
	}
	if (c->kind != AST_COND_FIELD || strcasecmp(c->u.leaf.field->s, "type") != 0)
		return NULL;
	const struct ast_json *v = c->u.leaf.rhs;
	if (c->u.leaf.op == AST_OP_EQUALS && v->kind == AST_JSON_STRING)
		return v->u.string->s;
	if (c->u.leaf.op == AST_OP_IN && v->kind == AST_JSON_ARRAY && v->u.array.items &&
	    v->u.array.items->value->kind == AST_JSON_STRING)
		return v->u.array.items->value->u.string->s;
	return NULL;
}

const char *epack_policy_type(const struct ast_policy *pol)
{
	return type_of(pol->condition);
}

const char *epack_api_version(const struct ast_pack *pack, const struct ast_policy *pol)
{
	const char *t = epack_policy_type(pol);
	if (!t || !pack->service)
		return NULL;
	for (const struct ast_governs *g = pack->service->governs; g; g = g->next)
		if (strcasecmp(g->type->s, t) == 0)
			return g->api_version ? g->api_version->s : NULL;
	return NULL;
}

static bool ends_with_name(const char *full, const char *name)
{
	size_t n = strlen(full), m = strlen(name);
	if (strcasecmp(full, name) == 0)
		return true;
	return n > m + 1 && full[n - m - 1] == '-' && strcasecmp(full + n - m, name) == 0;
}

const struct ast_policy *epack_find(const struct ast_pack *pack, const char *name)
{
	size_t n;
	const struct ast_policy **all = epack_policies(pack, &n);
	const struct ast_policy *hit = NULL;
	size_t hits = 0;
	for (size_t i = 0; i < n; i++) {
		const char *pn = all[i]->resolved_name;
		if (pn && strcasecmp(pn, name) == 0) {
			hit = all[i];
			hits = 1;
			break;
		}
		bool by_rec = all[i]->owner && all[i]->owner->id && all[i]->owner->policy_count == 1 &&
			      strcasecmp(all[i]->owner->id->s, name) == 0;
		if ((pn && ends_with_name(pn, name)) || by_rec) {
			hit = all[i];
			hits++;
		}
	}
	free(all);
	return hits == 1 ? hit : NULL;
}
