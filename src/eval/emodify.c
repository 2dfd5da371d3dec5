/*
 * emodify: the resource after a Modify's operations or an Append's entries
 * (MS-docs effect-modify.md, effect-append.md, author-policies-for-arrays.md
 * "Modifying arrays").  Declared in eval_ctx.h.
 */
#include "pacc/eval_ctx.h"

#include "pacc/evalue.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static cJSON *dup(const cJSON *v)
{
	cJSON *d = cJSON_Duplicate(v, true);
	if (!d)
		die_oom();
	return d;
}

/* The member of o named key (ignoring case), created as an object when
 * create is set and it is missing. */
static cJSON *child(cJSON *o, const char *key, bool create)
{
	if (!cJSON_IsObject(o))
		return NULL;
	cJSON *v = cJSON_GetObjectItem(o, key);
	if (!v && create) {
		v = cJSON_CreateObject();
		if (!v)
			die_oom();
		cJSON_AddItemToObject(o, key, v);
	}
	return v;
}

/* Replaces (or adds) member key of o with v. */
static void put(cJSON *o, const char *key, cJSON *v)
{
	cJSON *old = cJSON_GetObjectItem(o, key);
	if (old) {
		/* Keep the resource's spelling of the key. */
		v->string = strdup(old->string);
		if (!v->string)
			die_oom();
		cJSON_ReplaceItemViaPointer(o, old, v);
	} else
		cJSON_AddItemToObject(o, key, v);
}

enum mod_op { MOD_SET, MOD_ADD, MOD_REMOVE, MOD_APPEND };

struct mod {
	struct ev_ctx *c;
	enum mod_op op;
	const cJSON *value;
	const char *conflict;
	bool skipped;
};

/* Applies m at segs[i..n) below parent (an object or array), creating only
 * the first level (properties, tags) when missing. */
static void apply_at(struct mod *m, cJSON *parent, const struct epath *p, size_t i)
{
	const struct epath_seg *s = &p->segs[i];
	bool last = i + 1 == p->count;
	if (s->kind == EPATH_ALL) {
		if (!cJSON_IsArray(parent)) {
			m->skipped = true;
			return;
		}
		for (cJSON *e = parent->child; e; e = e->next)
			apply_at(m, e, p, i + 1);
		return;
	}
	if (s->kind == EPATH_INDEX) {
		cJSON *e = cJSON_IsArray(parent) ? cJSON_GetArrayItem(parent, (int)s->index) : NULL;
		if (!e) {
			m->skipped = true;
			return;
		}
		if (!last)
			apply_at(m, e, p, i + 1);
		else if (m->op == MOD_SET)
			cJSON_ReplaceItemInArray(parent, (int)s->index, dup(m->value));
		return;
	}
	if (!cJSON_IsObject(parent)) {
		m->skipped = true;
		return;
	}
	bool next_all = !last && p->segs[i + 1].kind == EPATH_ALL && i + 2 == p->count;
	if (next_all) {
		/* X[*]: the array itself. */
		cJSON *arr = cJSON_GetObjectItem(parent, s->key);
		switch (m->op) {
		case MOD_SET: { /* addOrReplace on X[*]: remove every member, append one */
			cJSON *a = cJSON_CreateArray();
			if (!a)
				die_oom();
			cJSON_AddItemToArray(a, dup(m->value));
			put(parent, s->key, a);
			return;
		}
		case MOD_ADD:
		case MOD_APPEND:
			if (!cJSON_IsArray(arr)) {
				arr = cJSON_CreateArray();
				if (!arr)
					die_oom();
				put(parent, s->key, arr);
			}
			if (cJSON_IsArray(m->value) && m->op == MOD_APPEND)
				for (const cJSON *e = m->value->child; e; e = e->next)
					cJSON_AddItemToArray(arr, dup(e));
			else
				cJSON_AddItemToArray(arr, dup(m->value));
			return;
		case MOD_REMOVE:
			cJSON_DeleteItemFromObject(parent, s->key);
			return;
		}
		return;
	}
	if (!last) {
		cJSON *next = child(parent, s->key, i == 0);
		if (!next) {
			/* Azure skips an operation whose parent is absent from the payload. */
			m->skipped = true;
			return;
		}
		apply_at(m, next, p, i + 1);
		return;
	}
	cJSON *old = cJSON_GetObjectItem(parent, s->key);
	switch (m->op) {
	case MOD_SET:
		put(parent, s->key, dup(m->value));
		return;
	case MOD_ADD:
		if (!old)
			put(parent, s->key, dup(m->value));
		return;
	case MOD_APPEND:
		if (!old)
			put(parent, s->key, dup(m->value));
		else if (!evalue_equals(old, m->value))
			m->conflict = "append would change a value the request already sets: Azure "
				      "denies such a request";
		return;
	case MOD_REMOVE:
		cJSON_DeleteItemFromObject(parent, s->key);
		return;
	}
}

const cJSON *emodify_apply(struct ev_ctx *c, const struct ast_policy *pol,
			   const struct ev_tmpl *const *values, const struct ev_field *fields,
			   const struct ev_tmpl *const *conditions, size_t count, const char **conflict)
{
	cJSON *res = dup(c->resource);
	ectx_keep(c, res);
	*conflict = NULL;
	const struct ast_modify_operation *op =
		pol->details_kind == AST_DETAILS_MODIFY ? pol->details.modify->operations : NULL;
	for (size_t i = 0; i < count; i++, op = op ? op->next : NULL) {
		struct mod m = { c, MOD_APPEND, NULL, NULL, false };
		if (op)
			m.op = op->op == AST_MODIFY_ADD_OR_REPLACE ? MOD_SET
			       : op->op == AST_MODIFY_ADD	    ? MOD_ADD
							    : MOD_REMOVE;
		if (conditions[i]) {
			const cJSON *cond = ev_tmpl_eval(c, conditions[i]);
			if (!cond)
				return NULL;
			if (!evalue_truthy(cond))
				continue;
		}
		if (values[i]) {
			m.value = ev_tmpl_eval(c, values[i]);
			if (!m.value)
				return NULL;
		}
		if (m.op != MOD_REMOVE && !m.value) {
			ectx_fail(c, "operation on '%s' has no value", fields[i].text);
			return NULL;
		}
		const struct ev_field *f = ev_field_for_run(c, &fields[i]);
		if (!f)
			return NULL;
		if (f->kind != EV_FIELD_PATH) {
			ectx_fail(c, "cannot modify '%s'", f->text);
			return NULL;
		}
		apply_at(&m, res, &f->path, 0);
		if (m.conflict && !*conflict)
			*conflict = m.conflict;
	}
	return res;
}
