#include "pacc/etmpl.h"

#include "pacc/arena.h"
#include "pacc/armexpr.h"
#include "pacc/eval_ctx.h"
#include "pacc/json.h"

#include <string.h>

static bool has_expression(const struct ast_json *j)
{
	switch (j->kind) {
	case AST_JSON_STRING:
		return armexpr_is_expression(j->u.string->s, j->u.string->len);
	case AST_JSON_ARRAY:
		for (const struct ast_json_item *it = j->u.array.items; it; it = it->next)
			if (has_expression(it->value))
				return true;
		return false;
	case AST_JSON_OBJECT:
		for (const struct ast_json_member *m = j->u.object.members; m; m = m->next)
			if (has_expression(m->value))
				return true;
		return false;
	case AST_JSON_NULL:
	case AST_JSON_BOOL:
	case AST_JSON_NUMBER:
		return false;
	}
	return false;
}

/* "[[x]" is the literal "[x]". */
static void unescape_literals(cJSON *v)
{
	if (cJSON_IsString(v) && v->valuestring[0] == '[' && v->valuestring[1] == '[')
		memmove(v->valuestring, v->valuestring + 1, strlen(v->valuestring));
	for (cJSON *e = v->child; e; e = e->next)
		unescape_literals(e);
}

struct ev_tmpl *ev_tmpl_string(struct arena *a, const char *s, const char **err,
			       size_t *err_offset)
{
	struct ev_tmpl *t = ARENA_NEW(a, struct ev_tmpl);
	size_t n = strlen(s);
	*err = NULL;
	if (armexpr_is_expression(s, n)) {
		struct armexpr_error e;
		t->expr = armexpr_parse(a, s, n, &e);
		if (!t->expr) {
			*err = e.message;
			*err_offset = e.offset;
			return NULL;
		}
		t->text = s;
		return t;
	}
	cJSON *v = cJSON_CreateString(s);
	if (!v)
		die_oom();
	unescape_literals(v);
	t->constant = v; /* the caller adopts it: see adopt() in eval.c */
	return t;
}

struct ev_tmpl *ev_tmpl_compile(struct arena *a, const struct ast_json *j, const char **err,
				size_t *err_offset)
{
	if (j->kind == AST_JSON_STRING && !j->u.string->is_text_block)
		return ev_tmpl_string(a, j->u.string->s, err, err_offset);
	struct ev_tmpl *t = ARENA_NEW(a, struct ev_tmpl);
	*err = NULL;
	t->constant = json_from_ast(j);
	t->nested = has_expression(j);
	if (!t->nested)
		unescape_literals(t->constant);
	return t;
}

static cJSON *expand(struct ev_ctx *c, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		size_t n = strlen(v->valuestring);
		if (armexpr_is_expression(v->valuestring, n)) {
			struct armexpr_error e;
			struct armexpr *x = armexpr_parse(c->scratch, v->valuestring, n, &e);
			if (!x) {
				ectx_fail(c, "expression '%s': %s", v->valuestring, e.message);
				return NULL;
			}
			const cJSON *r = efunc_eval(c, x, v->valuestring);
			if (!r)
				return NULL;
			cJSON *d = cJSON_Duplicate(r, true);
			if (!d)
				die_oom();
			return d;
		}
		cJSON *d = cJSON_CreateString(v->valuestring);
		if (!d)
			die_oom();
		unescape_literals(d);
		return d;
	}
	if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		cJSON *out = cJSON_IsArray(v) ? json_array() : json_object();
		for (const cJSON *e = v->child; e; e = e->next) {
			cJSON *x = expand(c, e);
			if (!x) {
				cJSON_Delete(out);
				return NULL;
			}
			if (cJSON_IsArray(v))
				cJSON_AddItemToArray(out, x);
			else
				cJSON_AddItemToObject(out, e->string, x);
		}
		return out;
	}
	cJSON *d = cJSON_Duplicate(v, true);
	if (!d)
		die_oom();
	return d;
}

const cJSON *ev_tmpl_eval(struct ev_ctx *c, const struct ev_tmpl *t)
{
	if (c->error)
		return NULL;
	if (t->expr)
		return efunc_eval(c, t->expr, t->text);
	if (!t->nested)
		return t->constant;
	cJSON *v = expand(c, t->constant);
	return v ? ectx_keep(c, v) : NULL;
}
