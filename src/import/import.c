#include "pacc/import.h"

#include "pacc/check.h"
#include "pacc/check_alias.h"
#include "pacc/emit_pacc.h"
#include "pacc/importdir.h"
#include "pacc/jsonloc.h"
#include "pacc/lex.h"
#include "pacc/names.h"
#include "pacc/parse.h"
#include "pacc/sb.h"

#include <cjson/cJSON.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- inputs ---- */

void import_inputs_release(struct import_inputs *in)
{
	for (size_t i = 0; i < in->count; i++)
		source_free(in->items[i]);
	free(in->items);
	in->items = NULL;
	in->count = in->alloc = 0;
}

void import_inputs_add(struct import_inputs *in, struct source *src)
{
	if (in->count == in->alloc) {
		in->alloc = in->alloc ? in->alloc * 2 : 16;
		in->items = xrealloc(in->items, in->alloc * sizeof(*in->items));
	}
	in->items[in->count++] = src;
}

struct ast_pack *import_pack_new(struct arena *arena, const char *name)
{
	struct ast_pack *pack = ARENA_NEW(arena, struct ast_pack);
	pack->arena = arena;
	pack->name = arena_strdup(arena, name);
	return pack;
}

/* ---- the import context: where we are in the JSON, for diagnostics ---- */

#define IMP_MAX_DEPTH 256

struct imp {
	struct arena *a;
	struct diag_engine *d;
	const struct source *src;
	struct jsonloc_seg path[IMP_MAX_DEPTH];
	size_t depth;
	bool failed;
	bool in_known; /* inside a condition whose names are all Azure's (see imp_cond) */
};

static void push_key(struct imp *im, const char *key)
{
	if (im->depth < IMP_MAX_DEPTH)
		im->path[im->depth] = (struct jsonloc_seg){ key, 0 };
	im->depth++;
}

static void push_index(struct imp *im, size_t index)
{
	if (im->depth < IMP_MAX_DEPTH)
		im->path[im->depth] = (struct jsonloc_seg){ NULL, index };
	im->depth++;
}

static void pop(struct imp *im)
{
	im->depth--;
}

/* The offset of the current path's value in the input (jsonloc.h). */
static size_t locate_path(const struct imp *im)
{
	size_t depth = im->depth < IMP_MAX_DEPTH ? im->depth : IMP_MAX_DEPTH;
	return jsonloc_find(im->src->text, im->src->len, im->path, depth);
}

static const char *path_string(struct imp *im)
{
	struct sb sb = SB_INIT;
	size_t depth = im->depth < IMP_MAX_DEPTH ? im->depth : IMP_MAX_DEPTH;
	for (size_t s = 0; s < depth; s++) {
		if (im->path[s].key)
			sb_addf(&sb, "%s%s", s ? "." : "", im->path[s].key);
		else
			sb_addf(&sb, "[%zu]", im->path[s].index);
	}
	if (sb.len == 0)
		sb_adds(&sb, "(top level)");
	char *out = arena_strdup(im->a, sb.buf);
	sb_release(&sb);
	return out;
}


/* Reports an unsupported shape at the current JSON path. */
__attribute__((format(printf, 3, 4))) static void imp_error(struct imp *im, const char *code,
							     const char *fmt, ...)
{
	struct sb msg = SB_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	size_t off = locate_path(im);
	diag_error(im->d, jsonloc_span_at(im->src, off), code, "%s at '%s'", msg.buf, path_string(im));
	sb_release(&msg);
	im->failed = true;
}

/* ---- JSON values ---- */

static struct src_span no_span(void)
{
	struct src_span sp;
	memset(&sp, 0, sizeof(sp));
	return sp;
}

static struct ast_str *mkstr(struct imp *im, const char *s)
{
	return ast_str_new(im->a, s, strlen(s), no_span());
}

/*
 * A name or id the build would refuse (the rules of names.h) is refused
 * here, E0908 at the JSON value that holds it, so import never writes a
 * pack that does not build.  key: a member of the current place to point
 * at, or NULL for the current place itself.
 */
static bool imp_name_ok(struct imp *im, const char *key, const char *what, const char *name,
			bool file_name)
{
	struct names_problem why;
	size_t len = strlen(name);
	if (file_name ? names_file_name_ok(name, len, &why) : names_id_ok(name, len, &why))
		return true;
	if (key)
		push_key(im, key);
	if (why.echo && len)
		imp_error(im, "E0908", "%s '%s' %s; pacc cannot build it", what, name, why.reason);
	else
		imp_error(im, "E0908", "%s %s; pacc cannot build it", what, why.reason);
	if (key)
		pop(im);
	return false;
}

/* The shortest decimal text that reads back as v. */
static const char *number_text(struct arena *a, double v)
{
	char buf[64];
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v) {
		snprintf(buf, sizeof(buf), "%.0f", v);
		return arena_strdup(a, buf);
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return arena_strdup(a, buf);
}

static struct ast_json *imp_json(struct imp *im, const cJSON *j)
{
	struct ast_json *out;
	if (cJSON_IsNull(j))
		return ast_json_new(im->a, AST_JSON_NULL, no_span());
	if (cJSON_IsBool(j)) {
		out = ast_json_new(im->a, AST_JSON_BOOL, no_span());
		out->u.boolean = cJSON_IsTrue(j);
		return out;
	}
	if (cJSON_IsNumber(j)) {
		out = ast_json_new(im->a, AST_JSON_NUMBER, no_span());
		out->u.number.value = j->valuedouble;
		out->u.number.text = number_text(im->a, j->valuedouble);
		return out;
	}
	if (cJSON_IsString(j)) {
		out = ast_json_new(im->a, AST_JSON_STRING, no_span());
		out->u.string = mkstr(im, j->valuestring);
		return out;
	}
	if (cJSON_IsArray(j)) {
		out = ast_json_new(im->a, AST_JSON_ARRAY, no_span());
		struct ast_json_item **tail = &out->u.array.items;
		for (const cJSON *c = j->child; c; c = c->next) {
			struct ast_json_item *it = ARENA_NEW(im->a, struct ast_json_item);
			it->value = imp_json(im, c);
			*tail = it;
			tail = &it->next;
			out->u.array.count++;
		}
		return out;
	}
	/* object (cJSON_IsRaw and invalid kinds do not come out of the parser) */
	out = ast_json_new(im->a, AST_JSON_OBJECT, no_span());
	struct ast_json_member **tail = &out->u.object.members;
	for (const cJSON *c = j->child; c; c = c->next) {
		struct ast_json_member *m = ARENA_NEW(im->a, struct ast_json_member);
		m->key = mkstr(im, c->string);
		m->value = imp_json(im, c);
		*tail = m;
		tail = &m->next;
		out->u.object.count++;
	}
	return out;
}

/* An object holding the members of obj not named in skip (case-sensitive);
 * NULL when there are none. */
static struct ast_json *imp_rest(struct imp *im, const cJSON *obj, const char *const *skip, size_t nskip)
{
	struct ast_json *out = NULL;
	struct ast_json_member **tail = NULL;
	for (const cJSON *c = obj->child; c; c = c->next) {
		bool skipped = false;
		for (size_t i = 0; i < nskip; i++)
			if (strcmp(c->string, skip[i]) == 0)
				skipped = true;
		if (skipped)
			continue;
		if (!out) {
			out = ast_json_new(im->a, AST_JSON_OBJECT, no_span());
			tail = &out->u.object.members;
		}
		struct ast_json_member *m = ARENA_NEW(im->a, struct ast_json_member);
		m->key = mkstr(im, c->string);
		m->value = imp_json(im, c);
		*tail = m;
		tail = &m->next;
		out->u.object.count++;
	}
	return out;
}

/* ---- conditions ---- */

static struct ast_cond *imp_cond(struct imp *im, const cJSON *j);

static bool key_is(const cJSON *c, const char *name)
{
	return strcasecmp(c->string, name) == 0;
}

static struct ast_cond *imp_logical(struct imp *im, const cJSON *member, enum ast_cond_kind kind)
{
	push_key(im, member->string);
	if (!cJSON_IsArray(member)) {
		imp_error(im, "E0903", "'%s' must be an array of conditions", member->string);
		pop(im);
		return NULL;
	}
	struct ast_cond *c = ast_cond_new(im->a, kind, no_span());
	struct ast_cond **tail = &c->u.logical.children;
	size_t i = 0;
	for (const cJSON *e = member->child; e; e = e->next, i++) {
		push_index(im, i);
		struct ast_cond *child = imp_cond(im, e);
		pop(im);
		if (!child)
			continue;
		*tail = child;
		tail = &child->next;
		c->u.logical.count++;
	}
	pop(im);
	return c;
}

static bool imp_count(struct imp *im, const cJSON *member, struct ast_cond *c)
{
	push_key(im, member->string);
	bool ok = true;
	if (!cJSON_IsObject(member)) {
		imp_error(im, "E0903", "'count' must be an object");
		pop(im);
		return false;
	}
	const cJSON *field = NULL, *value = NULL, *name = NULL, *where = NULL;
	for (const cJSON *m = member->child; m; m = m->next) {
		if (key_is(m, "field") && !field && !value)
			field = m;
		else if (key_is(m, "value") && !field && !value)
			value = m;
		else if (key_is(m, "name") && !name)
			name = m;
		else if (key_is(m, "where") && !where)
			where = m;
		else {
			push_key(im, m->string);
			imp_error(im, "E0903", "unsupported member '%s' in 'count'", m->string);
			pop(im);
			ok = false;
		}
	}
	if (ok && !field && !value) {
		imp_error(im, "E0903", "'count' needs 'field' or 'value'");
		ok = false;
	}
	if (ok && field && !cJSON_IsString(field)) {
		push_key(im, field->string);
		imp_error(im, "E0903", "'count.field' must be a string");
		pop(im);
		ok = false;
	}
	if (ok && name && (!value || !cJSON_IsString(name))) {
		push_key(im, name->string);
		imp_error(im, "E0903", "'count.name' must be a string with 'count.value'");
		pop(im);
		ok = false;
	}
	if (ok) {
		if (field) {
			c->u.leaf.count.kind = AST_COUNT_FIELD;
			c->u.leaf.count.field = mkstr(im, field->valuestring);
		} else {
			c->u.leaf.count.kind = AST_COUNT_VALUE;
			c->u.leaf.count.value = imp_json(im, value);
			if (name)
				c->u.leaf.count.name = mkstr(im, name->valuestring);
		}
		if (where) {
			push_key(im, where->string);
			c->u.leaf.count.where = imp_cond(im, where);
			pop(im);
			if (!c->u.leaf.count.where)
				ok = false;
		}
	}
	pop(im);
	return ok;
}

static struct ast_cond *imp_cond_modelled(struct imp *im, const cJSON *j);

/*
 * Does the condition j use only names of Azure's policy language (logical
 * and comparison keys, operators, `source`, the members of `count`), down
 * through its nested conditions?  Operands are not looked into.
 */
static bool cond_names_known(const cJSON *j)
{
	if (!cJSON_IsObject(j))
		return false;
	size_t logical = 0, sides = 0, ops = 0;
	for (const cJSON *m = j->child; m; m = m->next) {
		enum ast_op op;
		if (key_is(m, "allOf") || key_is(m, "anyOf") || key_is(m, "not"))
			logical++;
		else if (key_is(m, "field") || key_is(m, "value") || key_is(m, "source") || key_is(m, "count"))
			sides++;
		else if (ast_op_from_name(m->string, &op))
			ops++;
	}
	/* a comparison needs something to compare and an operator */
	if (!logical && (!sides || !ops))
		return false;
	for (const cJSON *m = j->child; m; m = m->next) {
		enum ast_op op;
		if (key_is(m, "allOf") || key_is(m, "anyOf")) {
			if (!cJSON_IsArray(m))
				return false;
			for (const cJSON *e = m->child; e; e = e->next)
				if (!cond_names_known(e))
					return false;
		} else if (key_is(m, "not")) {
			if (!cond_names_known(m))
				return false;
		} else if (key_is(m, "count")) {
			if (!cJSON_IsObject(m))
				return false;
			for (const cJSON *c = m->child; c; c = c->next) {
				if (key_is(c, "where")) {
					if (!cond_names_known(c))
						return false;
				} else if (!key_is(c, "field") && !key_is(c, "value") && !key_is(c, "name")) {
					return false;
				}
			}
		} else if (!key_is(m, "field") && !key_is(m, "value") && !key_is(m, "source") &&
			   !ast_op_from_name(m->string, &op)) {
			return false;
		}
	}
	return true;
}

/*
 * A condition.  One in a form pacc does not model but written only with
 * names Azure's language has (`{"source": "action", "like": "..."}`, two
 * operators on one field) is kept verbatim, as `extra { ... }`, so the
 * round trip holds; one with a name Azure does not know is an error.
 */
static struct ast_cond *imp_cond(struct imp *im, const cJSON *j)
{
	if (!cJSON_IsObject(j)) {
		imp_error(im, "E0903", "a condition must be an object");
		return NULL;
	}
	/*
	 * Below a condition whose names are all known, every nested one is
	 * known too: one scratch engine then takes the errors of the whole
	 * subtree, and each level only watches im->failed.
	 */
	struct diag_engine scratch, *saved_d = im->d;
	bool top = !im->in_known;
	if (top) {
		if (!cond_names_known(j))
			return imp_cond_modelled(im, j);
		diag_init(&scratch);
		im->d = &scratch;
		im->in_known = true;
	}
	bool saved_failed = im->failed;
	im->failed = false;
	struct ast_cond *c = imp_cond_modelled(im, j);
	bool bad = im->failed || !c;
	im->failed = saved_failed;
	if (top) {
		im->d = saved_d;
		im->in_known = false;
		diag_release(&scratch);
	}
	if (!bad)
		return c;
	c = ast_cond_new(im->a, AST_COND_JSON, no_span());
	c->u.json = imp_json(im, j);
	return c;
}

static struct ast_cond *imp_cond_modelled(struct imp *im, const cJSON *j)
{
	int n = cJSON_GetArraySize(j);
	const cJSON *first = j->child;
	if (n == 1 && key_is(first, "allOf"))
		return imp_logical(im, first, AST_COND_ALL);
	if (n == 1 && key_is(first, "anyOf"))
		return imp_logical(im, first, AST_COND_ANY);
	if (n == 1 && key_is(first, "not")) {
		push_key(im, first->string);
		struct ast_cond *inner = imp_cond(im, first);
		pop(im);
		if (!inner)
			return NULL;
		struct ast_cond *c = ast_cond_new(im->a, AST_COND_NOT, no_span());
		c->u.negated = inner;
		return c;
	}
	if (n != 2) {
		imp_error(im, "E0903", "unsupported condition: expected 'allOf', 'anyOf', 'not', or one of "
				       "'field', 'value', 'count' with one operator");
		return NULL;
	}
	const cJSON *lhs = NULL, *opm = NULL;
	enum ast_op op = AST_OP_EQUALS;
	for (const cJSON *m = j->child; m; m = m->next) {
		enum ast_op o;
		if (!lhs && (key_is(m, "field") || key_is(m, "value") || key_is(m, "count")))
			lhs = m;
		else if (!opm && ast_op_from_name(m->string, &o)) {
			opm = m;
			op = o;
		}
	}
	if (!lhs || !opm) {
		imp_error(im, "E0903", "unsupported condition: expected one of 'field', 'value', 'count' "
				       "and one operator");
		return NULL;
	}
	struct ast_cond *c;
	if (key_is(lhs, "field")) {
		if (!cJSON_IsString(lhs)) {
			push_key(im, lhs->string);
			imp_error(im, "E0903", "'field' must be a string");
			pop(im);
			return NULL;
		}
		c = ast_cond_new(im->a, AST_COND_FIELD, no_span());
		c->u.leaf.field = mkstr(im, lhs->valuestring);
	} else if (key_is(lhs, "value")) {
		c = ast_cond_new(im->a, AST_COND_VALUE, no_span());
		c->u.leaf.value = imp_json(im, lhs);
	} else {
		c = ast_cond_new(im->a, AST_COND_COUNT, no_span());
		if (!imp_count(im, lhs, c))
			return NULL;
	}
	c->u.leaf.op = op;
	c->u.leaf.rhs = imp_json(im, opm);
	return c;
}

/* ---- parameters ---- */

static struct ast_param *imp_param(struct imp *im, const cJSON *p)
{
	push_key(im, p->string);
	if (!cJSON_IsObject(p)) {
		imp_error(im, "E0903", "a parameter must be an object");
		pop(im);
		return NULL;
	}
	struct ast_param *param = ARENA_NEW(im->a, struct ast_param);
	param->name = mkstr(im, p->string);
	imp_name_ok(im, NULL, "parameter name", p->string, false);
	static const char *const handled[] = { "type", "metadata", "allowedValues", "defaultValue",
					       "schema" };
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(p, "type");
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(p, "metadata");
	const cJSON *allowed = cJSON_GetObjectItemCaseSensitive(p, "allowedValues");
	const cJSON *def = cJSON_GetObjectItemCaseSensitive(p, "defaultValue");
	const cJSON *schema = cJSON_GetObjectItemCaseSensitive(p, "schema");
	if (!cJSON_IsString(type)) {
		imp_error(im, "E0903", "a parameter needs a string 'type'");
		pop(im);
		return NULL;
	}
	if (meta && !cJSON_IsObject(meta)) {
		push_key(im, "metadata");
		imp_error(im, "E0903", "parameter metadata must be an object");
		pop(im);
		pop(im);
		return NULL;
	}
	param->type = mkstr(im, type->valuestring);
	if (allowed)
		param->allowed = imp_json(im, allowed);
	if (def)
		param->default_value = imp_json(im, def);
	if (schema)
		param->schema = imp_json(im, schema);
	param->extra = imp_rest(im, p, handled, sizeof(handled) / sizeof(handled[0]));
	if (meta) {
		static const char *const known[] = { "displayName", "description", "strongType" };
		const cJSON *dn = cJSON_GetObjectItemCaseSensitive(meta, "displayName");
		const cJSON *ds = cJSON_GetObjectItemCaseSensitive(meta, "description");
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(meta, "strongType");
		/* a non-string displayName etc. stays among the further members */
		size_t nskip = 0;
		const char *skip[3];
		if (cJSON_IsString(dn)) {
			param->display = mkstr(im, dn->valuestring);
			skip[nskip++] = known[0];
		}
		if (cJSON_IsString(ds)) {
			param->description = mkstr(im, ds->valuestring);
			skip[nskip++] = known[1];
		}
		if (cJSON_IsString(st)) {
			param->strong_type = mkstr(im, st->valuestring);
			skip[nskip++] = known[2];
		}
		param->metadata = imp_rest(im, meta, skip, nskip);
	}
	pop(im);
	return param;
}

static struct ast_param *imp_params(struct imp *im, const cJSON *obj, size_t *count)
{
	struct ast_param *head = NULL, **tail = &head;
	push_key(im, "parameters");
	for (const cJSON *p = obj->child; p; p = p->next) {
		struct ast_param *param = imp_param(im, p);
		if (!param)
			continue;
		*tail = param;
		tail = &param->next;
		if (count)
			(*count)++;
	}
	pop(im);
	return head;
}

/* ---- effect and details ---- */

/* The texts the effect sugar gives its parameter (see check.c / the language reference). */
#define SUGAR_DISPLAY "Effect"
#define SUGAR_DESCRIPTION "Enable or disable the execution of the policy"

/* Is param exactly what `effect a|b = a` makes? */
static bool is_sugar_param(const struct ast_param *p)
{
	if (strcmp(p->name->s, "effect") != 0 || strcmp(p->type->s, "String") != 0)
		return false;
	if (!p->display || strcmp(p->display->s, SUGAR_DISPLAY) != 0)
		return false;
	if (!p->description || strcmp(p->description->s, SUGAR_DESCRIPTION) != 0)
		return false;
	if (p->strong_type || p->metadata || p->schema || p->extra)
		return false;
	if (!p->allowed || p->allowed->kind != AST_JSON_ARRAY || p->allowed->u.array.count == 0)
		return false;
	if (!p->default_value || p->default_value->kind != AST_JSON_STRING)
		return false;
	bool default_allowed = false;
	for (const struct ast_json_item *it = p->allowed->u.array.items; it; it = it->next) {
		if (it->value->kind != AST_JSON_STRING)
			return false;
		const char *canon = ast_effect_canonical(it->value->u.string->s);
		if (!canon || strcmp(canon, it->value->u.string->s) != 0)
			return false;
		for (const struct ast_json_item *o = p->allowed->u.array.items; o != it; o = o->next)
			if (strcasecmp(o->value->u.string->s, it->value->u.string->s) == 0)
				return false;
		if (strcmp(it->value->u.string->s, p->default_value->u.string->s) == 0)
			default_allowed = true;
	}
	return default_allowed;
}

/* Bit set of the effects a policy can take: the literal, or the allowed
 * values of the parameter its effect names; all bits when unknown. */
enum {
	EFF_RELATED = 1,
	EFF_MODIFY = 2,
	EFF_APPEND = 4,
	EFF_ALL = 7
};

static unsigned effect_families_of(const char *name)
{
	const char *c = ast_effect_canonical(name);
	if (!c)
		return 0;
	if (strcmp(c, "AuditIfNotExists") == 0 || strcmp(c, "DeployIfNotExists") == 0)
		return EFF_RELATED;
	if (strcmp(c, "Modify") == 0)
		return EFF_MODIFY;
	if (strcmp(c, "Append") == 0)
		return EFF_APPEND;
	return 0;
}

static unsigned effect_families(const struct ast_policy *pol)
{
	if (pol->effect_form == AST_EFFECT_LITERAL)
		return effect_families_of(pol->effect->s);
	const char *e = pol->effect_form == AST_EFFECT_PARAM ? "[parameters('effect')]" : pol->effect->s;
	const char *pre = "[parameters('";
	size_t plen = strlen(pre), elen = strlen(e);
	if (strncmp(e, pre, plen) != 0 || elen < plen + 3 || strcmp(e + elen - 3, "')]") != 0)
		return EFF_ALL;
	size_t nlen = elen - plen - 3;
	for (const struct ast_param *p = pol->params; p; p = p->next) {
		if (strlen(p->name->s) != nlen || strncmp(p->name->s, e + plen, nlen) != 0)
			continue;
		if (!p->allowed || p->allowed->kind != AST_JSON_ARRAY)
			return EFF_ALL;
		unsigned fam = 0;
		for (const struct ast_json_item *it = p->allowed->u.array.items; it; it = it->next)
			if (it->value->kind == AST_JSON_STRING)
				fam |= effect_families_of(it->value->u.string->s);
		return fam;
	}
	return EFF_ALL;
}

/* s in the casing of the first of names it equals ignoring case, else s:
 * the language's canonical spelling of a keyword value. */
static const char *canonical_of(const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(s, names[i]) == 0)
			return names[i];
	return s;
}

static const char *const scope_names[] = { "resourceGroup", "subscription" };
/* the schema of policy definitions spells these in lower camel case */
static const char *const conflict_names[] = { "audit", "deny", "disabled" };
static const char *const deploy_modes[] = { "Incremental", "Complete" };

/* deployment.properties.mode in ARM's casing (Incremental, Complete). */
static void canonical_deployment_mode(struct imp *im, struct ast_json *deployment)
{
	for (struct ast_json_member *m = deployment->u.object.members; m; m = m->next) {
		if (strcmp(m->key->s, "properties") != 0 || m->value->kind != AST_JSON_OBJECT)
			continue;
		for (struct ast_json_member *p = m->value->u.object.members; p; p = p->next)
			if (strcmp(p->key->s, "mode") == 0 && p->value->kind == AST_JSON_STRING)
				p->value->u.string = mkstr(im, canonical_of(p->value->u.string->s, deploy_modes, 2));
	}
}

/* Tries the `related` form; NULL when details does not fit it exactly. */
static struct ast_related *try_related(struct imp *im, const cJSON *det)
{
	const cJSON *type = NULL;
	for (const cJSON *m = det->child; m; m = m->next)
		if (key_is(m, "type"))
			type = m;
	if (!cJSON_IsString(type))
		return NULL;
	struct ast_related *r = ARENA_NEW(im->a, struct ast_related);
	r->type = mkstr(im, type->valuestring);
	for (const cJSON *m = det->child; m; m = m->next) {
		if (m == type)
			continue;
		if (key_is(m, "name") && !r->name)
			r->name = imp_json(im, m);
		else if (key_is(m, "resourceGroupName") && !r->resource_group)
			r->resource_group = imp_json(im, m);
		else if (key_is(m, "existenceScope") && cJSON_IsString(m) && !r->existence_scope)
			r->existence_scope = mkstr(im, canonical_of(m->valuestring, scope_names, 2));
		else if (key_is(m, "deploymentScope") && cJSON_IsString(m) && !r->deployment_scope)
			r->deployment_scope = mkstr(im, canonical_of(m->valuestring, scope_names, 2));
		else if (key_is(m, "evaluationDelay") && cJSON_IsString(m) && !r->evaluation_delay)
			r->evaluation_delay = mkstr(im, m->valuestring);
		else if (key_is(m, "roleDefinitionIds") && cJSON_IsArray(m) && !r->role_ids)
			r->role_ids = imp_json(im, m);
		else if (key_is(m, "deployment") && cJSON_IsObject(m) && !r->deployment) {
			r->deployment = imp_json(im, m);
			canonical_deployment_mode(im, r->deployment);
		}
		else if (key_is(m, "existenceCondition") && cJSON_IsObject(m) && !r->existence) {
			/* an existence condition we cannot hold makes the whole thing JSON */
			struct diag_engine scratch;
			diag_init(&scratch);
			struct diag_engine *saved = im->d;
			bool saved_failed = im->failed;
			im->d = &scratch;
			r->existence = imp_cond(im, m);
			bool bad = im->failed;
			im->d = saved;
			im->failed = saved_failed;
			diag_release(&scratch);
			if (bad || !r->existence)
				return NULL;
		} else
			return NULL;
	}
	return r;
}

static struct ast_modify *try_modify(struct imp *im, const cJSON *det)
{
	struct ast_modify *mod = ARENA_NEW(im->a, struct ast_modify);
	const cJSON *ops = NULL;
	for (const cJSON *m = det->child; m; m = m->next) {
		if (key_is(m, "roleDefinitionIds") && cJSON_IsArray(m) && !mod->role_ids)
			mod->role_ids = imp_json(im, m);
		else if (key_is(m, "conflictEffect") && cJSON_IsString(m) && !mod->conflict_effect)
			mod->conflict_effect = mkstr(im, canonical_of(m->valuestring, conflict_names, 3));
		else if (key_is(m, "operations") && cJSON_IsArray(m) && !ops)
			ops = m;
		else
			return NULL;
	}
	if (!ops)
		return NULL;
	struct ast_modify_operation **tail = &mod->operations;
	for (const cJSON *o = ops->child; o; o = o->next) {
		if (!cJSON_IsObject(o))
			return NULL;
		const cJSON *kind = NULL, *field = NULL, *value = NULL, *cond = NULL;
		for (const cJSON *m = o->child; m; m = m->next) {
			if (key_is(m, "operation") && !kind)
				kind = m;
			else if (key_is(m, "field") && !field)
				field = m;
			else if (key_is(m, "value") && !value)
				value = m;
			else if (key_is(m, "condition") && !cond)
				cond = m;
			else
				return NULL;
		}
		if (!cJSON_IsString(kind) || !cJSON_IsString(field) || (cond && !cJSON_IsString(cond)))
			return NULL;
		struct ast_modify_operation *op = ARENA_NEW(im->a, struct ast_modify_operation);
		if (strcasecmp(kind->valuestring, "addOrReplace") == 0)
			op->op = AST_MODIFY_ADD_OR_REPLACE;
		else if (strcasecmp(kind->valuestring, "add") == 0)
			op->op = AST_MODIFY_ADD;
		else if (strcasecmp(kind->valuestring, "remove") == 0)
			op->op = AST_MODIFY_REMOVE;
		else
			return NULL;
		if ((op->op == AST_MODIFY_REMOVE) != (value == NULL))
			return NULL;
		op->field = mkstr(im, field->valuestring);
		if (value)
			op->value = imp_json(im, value);
		if (cond)
			op->condition = mkstr(im, cond->valuestring);
		*tail = op;
		tail = &op->next;
		mod->count++;
	}
	return mod;
}

static bool try_append(struct imp *im, const cJSON *det, struct ast_policy *pol)
{
	if (cJSON_GetArraySize(det) == 0)
		return false;
	for (const cJSON *e = det->child; e; e = e->next) {
		if (!cJSON_IsObject(e) || cJSON_GetArraySize(e) != 2)
			return false;
		const cJSON *f = cJSON_GetObjectItem(e, "field");
		const cJSON *v = cJSON_GetObjectItem(e, "value");
		if (!cJSON_IsString(f) || !v)
			return false;
	}
	struct ast_append **tail = &pol->details.append.entries;
	for (const cJSON *e = det->child; e; e = e->next) {
		struct ast_append *ap = ARENA_NEW(im->a, struct ast_append);
		ap->field = mkstr(im, cJSON_GetObjectItem(e, "field")->valuestring);
		ap->value = imp_json(im, cJSON_GetObjectItem(e, "value"));
		*tail = ap;
		tail = &ap->next;
		pol->details.append.count++;
	}
	return true;
}

static void imp_details(struct imp *im, const cJSON *det, struct ast_policy *pol)
{
	unsigned fam = effect_families(pol);
	if (cJSON_IsObject(det) && (fam & EFF_RELATED)) {
		struct ast_related *r = try_related(im, det);
		if (r) {
			pol->details_kind = AST_DETAILS_RELATED;
			pol->details.related = r;
			return;
		}
	}
	if (cJSON_IsObject(det) && (fam & EFF_MODIFY)) {
		struct ast_modify *m = try_modify(im, det);
		if (m) {
			pol->details_kind = AST_DETAILS_MODIFY;
			pol->details.modify = m;
			return;
		}
	}
	if (cJSON_IsArray(det) && (fam & EFF_APPEND) && try_append(im, det, pol)) {
		pol->details_kind = AST_DETAILS_APPEND;
		return;
	}
	pol->details_kind = AST_DETAILS_JSON;
	pol->details.json = imp_json(im, det);
}

static void imp_effect(struct imp *im, const cJSON *then, struct ast_policy *pol)
{
	const cJSON *effect = NULL, *details = NULL;
	for (const cJSON *m = then->child; m; m = m->next) {
		if (key_is(m, "effect") && !effect)
			effect = m;
		else if (key_is(m, "details") && !details)
			details = m;
		else {
			push_key(im, m->string);
			imp_error(im, "E0903", "unsupported member '%s' in 'then'", m->string);
			pop(im);
		}
	}
	if (!cJSON_IsString(effect)) {
		imp_error(im, "E0903", "'then' needs a string 'effect'");
		return;
	}
	const char *e = effect->valuestring;
	if (e[0] != '[' && ast_effect_canonical(e)) {
		pol->effect_form = AST_EFFECT_LITERAL;
		pol->effect = mkstr(im, ast_effect_canonical(e));
		if (strcmp(e, pol->effect->s) != 0)
			pol->effect_spelling = mkstr(im, e);
	} else {
		pol->effect_form = AST_EFFECT_EXPRESSION;
		pol->effect = mkstr(im, e);
		if (strcmp(e, "[parameters('effect')]") == 0) {
			for (struct ast_param *p = pol->params; p; p = p->next) {
				if (is_sugar_param(p)) {
					p->from_effect_sugar = true;
					pol->effect_form = AST_EFFECT_PARAM;
					pol->effect_param = p;
				}
			}
		}
	}
	if (details) {
		push_key(im, details->string);
		imp_details(im, details, pol);
		pop(im);
	}
}

/* ---- definitions and set definitions ---- */

static void add_property(struct imp *im, struct ast_property ***tail, const cJSON *m)
{
	struct ast_property *p = ARENA_NEW(im->a, struct ast_property);
	p->key = mkstr(im, m->string);
	p->value = imp_json(im, m);
	**tail = p;
	*tail = &p->next;
}

static struct ast_str *opt_str(struct imp *im, const cJSON *m)
{
	return cJSON_IsString(m) ? mkstr(im, m->valuestring) : NULL;
}

/* A string that emit_pacc can write as a bare word (policyType, mode). */
static bool is_word_string(const cJSON *m)
{
	return emit_pacc_is_word(cJSON_GetStringValue(m) ? m->valuestring : "");
}

/* Where the members that definitions and set definitions share go. */
struct imp_header {
	struct ast_str **display;
	struct ast_str **description;
	struct ast_str **policy_type;
	struct ast_str **version;
	struct ast_json **versions;
	struct ast_json **metadata;
};

/*
 * Reads m into h when it is one of the shared members in a form the
 * language can hold: displayName, description and version strings, a
 * word policyType, any versions and metadata.  False otherwise: the
 * caller tries its own members, then keeps m as a property.
 */
static bool imp_header_member(struct imp *im, const cJSON *m, const struct imp_header *h)
{
	const char *k = m->string;
	if (strcmp(k, "displayName") == 0 && cJSON_IsString(m))
		*h->display = opt_str(im, m);
	else if (strcmp(k, "description") == 0 && cJSON_IsString(m))
		*h->description = opt_str(im, m);
	else if (strcmp(k, "policyType") == 0 && is_word_string(m))
		*h->policy_type = opt_str(im, m);
	else if (strcmp(k, "version") == 0 && cJSON_IsString(m))
		*h->version = opt_str(im, m);
	else if (strcmp(k, "versions") == 0)
		*h->versions = imp_json(im, m);
	else if (strcmp(k, "metadata") == 0)
		*h->metadata = imp_json(im, m);
	else
		return false;
	return true;
}

static struct ast_policy *imp_policy(struct imp *im, const cJSON *props)
{
	struct ast_policy *pol = ARENA_NEW(im->a, struct ast_policy);
	struct ast_property **ptail = &pol->properties;
	const cJSON *rule = NULL;
	const struct imp_header header = { &pol->display, &pol->description, &pol->policy_type,
					   &pol->version, &pol->versions, &pol->metadata };
	for (const cJSON *m = props->child; m; m = m->next) {
		const char *k = m->string;
		if (imp_header_member(im, m, &header))
			continue;
		if (strcmp(k, "mode") == 0 && is_word_string(m))
			pol->mode = opt_str(im, m);
		else if (strcmp(k, "parameters") == 0 && cJSON_IsObject(m) && m->child)
			pol->params = imp_params(im, m, &pol->param_count);
		else if (strcmp(k, "policyRule") == 0 && cJSON_IsObject(m))
			rule = m;
		else
			add_property(im, &ptail, m);
	}
	if (!rule) {
		imp_error(im, "E0902", "a policy definition needs an object 'policyRule'");
		return NULL;
	}
	push_key(im, "policyRule");
	const cJSON *cond = NULL, *then = NULL;
	for (const cJSON *m = rule->child; m; m = m->next) {
		if (strcmp(m->string, "if") == 0 && !cond)
			cond = m;
		else if (strcmp(m->string, "then") == 0 && !then)
			then = m;
		else {
			push_key(im, m->string);
			imp_error(im, "E0903", "unsupported member '%s' in 'policyRule'", m->string);
			pop(im);
		}
	}
	if (!cond || !cJSON_IsObject(then)) {
		imp_error(im, "E0903", "'policyRule' needs 'if' and an object 'then'");
		pop(im);
		return NULL;
	}
	push_key(im, "if");
	pol->condition = imp_cond(im, cond);
	pop(im);
	push_key(im, "then");
	imp_effect(im, then, pol);
	pop(im);
	pop(im);
	return pol;
}

static struct ast_group *imp_group(struct imp *im, const cJSON *g)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(g, "name");
	if (!cJSON_IsObject(g) || !cJSON_IsString(name)) {
		imp_error(im, "E0903", "a policy definition group needs a string 'name'");
		return NULL;
	}
	struct ast_group *grp = ARENA_NEW(im->a, struct ast_group);
	const char *skip[5];
	size_t nskip = 0;
	grp->name = mkstr(im, name->valuestring);
	imp_name_ok(im, "name", "group name", name->valuestring, false);
	skip[nskip++] = "name";
	const cJSON *m;
	if ((m = cJSON_GetObjectItemCaseSensitive(g, "displayName")) && cJSON_IsString(m)) {
		grp->display = mkstr(im, m->valuestring);
		skip[nskip++] = "displayName";
	}
	if ((m = cJSON_GetObjectItemCaseSensitive(g, "category")) && cJSON_IsString(m)) {
		grp->category = mkstr(im, m->valuestring);
		skip[nskip++] = "category";
	}
	if ((m = cJSON_GetObjectItemCaseSensitive(g, "description")) && cJSON_IsString(m)) {
		grp->description = mkstr(im, m->valuestring);
		skip[nskip++] = "description";
	}
	if ((m = cJSON_GetObjectItemCaseSensitive(g, "additionalMetadataId")) && cJSON_IsString(m)) {
		grp->metadata_id = mkstr(im, m->valuestring);
		skip[nskip++] = "additionalMetadataId";
	}
	grp->extra = imp_rest(im, g, skip, nskip);
	return grp;
}

static struct ast_reference *imp_reference(struct imp *im, const cJSON *r)
{
	const cJSON *refid = cJSON_GetObjectItemCaseSensitive(r, "policyDefinitionReferenceId");
	const cJSON *target = cJSON_GetObjectItemCaseSensitive(r, "policyDefinitionId");
	/* Azure makes the reference id optional; an absent one stays absent */
	if (!cJSON_IsObject(r) || (refid && !cJSON_IsString(refid)) || !cJSON_IsString(target)) {
		imp_error(im, "E0903", "a policy reference needs a string 'policyDefinitionId' (and "
				       "'policyDefinitionReferenceId', when given, a string)");
		return NULL;
	}
	struct ast_reference *ref = ARENA_NEW(im->a, struct ast_reference);
	const char *skip[6];
	size_t nskip = 0;
	if (refid) {
		ref->ref_id = mkstr(im, refid->valuestring);
		imp_name_ok(im, "policyDefinitionReferenceId", "reference id", refid->valuestring, false);
	}
	ref->target = mkstr(im, target->valuestring);
	skip[nskip++] = "policyDefinitionReferenceId";
	skip[nskip++] = "policyDefinitionId";
	const cJSON *m;
	if ((m = cJSON_GetObjectItemCaseSensitive(r, "definitionVersion")) && cJSON_IsString(m)) {
		ref->definition_version = mkstr(im, m->valuestring);
		skip[nskip++] = "definitionVersion";
	}
	if ((m = cJSON_GetObjectItemCaseSensitive(r, "groupNames"))) {
		ref->groups = imp_json(im, m);
		skip[nskip++] = "groupNames";
	}
	if ((m = cJSON_GetObjectItemCaseSensitive(r, "parameters")) && cJSON_IsObject(m)) {
		bool plain = true;
		for (const cJSON *p = m->child; p; p = p->next)
			if (!cJSON_IsObject(p) || cJSON_GetArraySize(p) != 1 ||
			    !cJSON_GetObjectItemCaseSensitive(p, "value"))
				plain = false;
		if (plain) {
			skip[nskip++] = "parameters";
			ref->params_present = true;
			struct ast_ref_param **tail = &ref->params;
			for (const cJSON *p = m->child; p; p = p->next) {
				struct ast_ref_param *rp = ARENA_NEW(im->a, struct ast_ref_param);
				rp->name = mkstr(im, p->string);
				push_key(im, "parameters");
				imp_name_ok(im, p->string, "parameter name", p->string, false);
				pop(im);
				rp->value = imp_json(im, cJSON_GetObjectItemCaseSensitive(p, "value"));
				*tail = rp;
				tail = &rp->next;
			}
		}
	}
	ref->extra = imp_rest(im, r, skip, nskip);
	return ref;
}

static struct ast_initiative *imp_initiative(struct imp *im, const cJSON *props)
{
	struct ast_initiative *ini = ARENA_NEW(im->a, struct ast_initiative);
	struct ast_property **ptail = &ini->properties;
	const cJSON *defs = NULL;
	const struct imp_header header = { &ini->display, &ini->description, &ini->policy_type,
					   &ini->version, &ini->versions, &ini->metadata };
	for (const cJSON *m = props->child; m; m = m->next) {
		const char *k = m->string;
		if (imp_header_member(im, m, &header))
			continue;
		if (strcmp(k, "parameters") == 0 && cJSON_IsObject(m) && m->child)
			ini->params = imp_params(im, m, NULL);
		else if (strcmp(k, "policyDefinitions") == 0 && cJSON_IsArray(m))
			defs = m;
		else if (strcmp(k, "policyDefinitionGroups") == 0 && cJSON_IsArray(m) && m->child) {
			struct ast_group **tail = &ini->groups;
			push_key(im, k);
			size_t i = 0;
			for (const cJSON *g = m->child; g; g = g->next, i++) {
				push_index(im, i);
				struct ast_group *grp = imp_group(im, g);
				pop(im);
				if (grp) {
					*tail = grp;
					tail = &grp->next;
				}
			}
			pop(im);
		} else
			add_property(im, &ptail, m);
	}
	if (!defs) {
		imp_error(im, "E0902", "a policy set definition needs an array 'policyDefinitions'");
		return NULL;
	}
	struct ast_reference **tail = &ini->references;
	push_key(im, "policyDefinitions");
	size_t i = 0;
	for (const cJSON *r = defs->child; r; r = r->next, i++) {
		push_index(im, i);
		struct ast_reference *ref = imp_reference(im, r);
		pop(im);
		if (ref) {
			*tail = ref;
			tail = &ref->next;
		}
	}
	pop(im);
	return ini;
}

#define TYPE_DEFINITION "Microsoft.Authorization/policyDefinitions"
#define TYPE_SET_DEFINITION "Microsoft.Authorization/policySetDefinitions"

static void imp_body(struct imp *im, struct ast_pack *pack, const cJSON *props, bool enveloped,
		     const cJSON *name, const cJSON *id, const cJSON *type, const char *fallback_name);
static struct src_span name_span(const struct source *src);

static void imp_document(struct imp *im, struct ast_pack *pack, const cJSON *root,
			 const char *fallback_name)
{
	if (!cJSON_IsObject(root)) {
		imp_error(im, "E0902", "expected a policy definition or set definition object");
		return;
	}
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(root, "properties");
	const cJSON *name = NULL, *id = NULL, *type = NULL;
	bool enveloped = cJSON_IsObject(props);
	if (enveloped) {
		for (const cJSON *m = root->child; m; m = m->next) {
			if (strcmp(m->string, "properties") == 0)
				continue;
			push_key(im, m->string);
			if (strcmp(m->string, "name") == 0 && cJSON_IsString(m)) {
				name = m;
				imp_name_ok(im, NULL, "name", m->valuestring, true);
			}
			else if (strcmp(m->string, "id") == 0 && cJSON_IsString(m))
				id = m;
			else if (strcmp(m->string, "type") == 0 && cJSON_IsString(m))
				type = m;
			else
				imp_error(im, "E0903", "unsupported envelope member '%s'", m->string);
			pop(im);
		}
		if (im->failed)
			return;
		push_key(im, "properties");
	} else {
		props = root;
	}
	/*
	 * `name` beside `policyRule` or `policyDefinitions` is no member of
	 * `properties`: the file holds the envelope and the properties in one
	 * object.  That shape is read as what it means, and a remark says so.
	 */
	cJSON *flat = NULL;
	const cJSON *flat_name = cJSON_GetObjectItemCaseSensitive(root, "name");
	if (!enveloped && cJSON_IsString(flat_name) &&
	    (cJSON_GetObjectItemCaseSensitive(root, "policyRule") ||
	     cJSON_GetObjectItemCaseSensitive(root, "policyDefinitions"))) {
		flat = cJSON_Duplicate(root, true);
		if (!flat)
			abort();
		static const char *const envelope[] = { "name", "id", "type" };
		for (size_t k = 0; k < 3; k++) {
			const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, envelope[k]);
			if (!cJSON_IsString(m))
				continue;
			if (k == 0)
				name = m;
			else if (k == 1)
				id = m;
			else
				type = m;
			cJSON_DeleteItemFromObjectCaseSensitive(flat, envelope[k]);
		}
		props = flat;
		push_key(im, "name");
		diag_remark(im->d, jsonloc_span_at(im->src, locate_path(im)), "E0913",
			    "'name' beside '%s' at the top level: read as a definition named '%s' whose "
			    "'properties' are the other members (Azure wraps them in 'properties')",
			    cJSON_GetObjectItemCaseSensitive(root, "policyRule") ? "policyRule" : "policyDefinitions",
			    name->valuestring);
		pop(im);
	}
	imp_body(im, pack, props, enveloped, name, id, type, fallback_name);
	cJSON_Delete(flat);
}

static void imp_body(struct imp *im, struct ast_pack *pack, const cJSON *props, bool enveloped,
		     const cJSON *name, const cJSON *id, const cJSON *type, const char *fallback_name)
{
	bool is_set = cJSON_GetObjectItemCaseSensitive(props, "policyDefinitions") != NULL;
	bool is_def = cJSON_GetObjectItemCaseSensitive(props, "policyRule") != NULL;
	if (type) {
		if (strcmp(type->valuestring, TYPE_DEFINITION) == 0 && !is_set)
			is_def = true;
		else if (strcmp(type->valuestring, TYPE_SET_DEFINITION) == 0 && !is_def)
			is_set = true;
		else {
			if (enveloped)
				pop(im);
			push_key(im, "type");
			imp_error(im, "E0902", "unsupported type '%s'", type->valuestring);
			pop(im);
			return;
		}
	}
	if (is_set == is_def) {
		imp_error(im, "E0902", "not a policy definition ('policyRule') or set definition "
				       "('policyDefinitions')");
		if (enveloped)
			pop(im);
		return;
	}
	if (!name)
		imp_name_ok(im, NULL, "name (from the file name)", fallback_name, true);
	struct ast_str *nm = mkstr(im, name ? name->valuestring : fallback_name);
	struct ast_str *idstr = id ? mkstr(im, id->valuestring) : NULL;
	if (is_def) {
		struct ast_policy *pol = imp_policy(im, props);
		if (pol && !im->failed) {
			pol->name = nm;
			pol->id = idstr;
			pol->imported = true;
			pol->span = name_span(im->src);
			/* the tail pointer keeps n appends linear (a walk from the
			 * head is at most the declarations added by other means) */
			struct ast_policy **tail = pack->policies_tail ? pack->policies_tail : &pack->policies;
			while (*tail)
				tail = &(*tail)->next;
			*tail = pol;
			pack->policies_tail = &pol->next;
		}
	} else {
		struct ast_initiative *ini = imp_initiative(im, props);
		if (ini && !im->failed) {
			ini->name = nm;
			ini->id = idstr;
			ini->imported = true;
			ini->span = name_span(im->src);
			struct ast_initiative **tail = pack->initiatives_tail ? pack->initiatives_tail
									      : &pack->initiatives;
			while (*tail)
				tail = &(*tail)->next;
			*tail = ini;
			pack->initiatives_tail = &ini->next;
		}
	}
	if (enveloped)
		pop(im);
}

static int cmp_member_names(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	return strcmp(x->string, y->string);
}

/* Offset of the second member named key in the object at the current path
 * (the object's start when the key is spelt with escapes). */
static size_t locate_second_key(const struct imp *im, const char *key)
{
	const unsigned char *t = im->src->text;
	size_t n = im->src->len;
	size_t start = locate_path(im), i = start;
	if (i >= n || t[i] != '{')
		return start;
	int seen = 0;
	i = jsonloc_skip_ws(t, n, i + 1);
	while (i < n && t[i] == '"') {
		if (jsonloc_key_is(t, n, i, key) && ++seen == 2)
			return i;
		i = jsonloc_skip_ws(t, n, jsonloc_string_end(t, n, i));
		if (i < n && t[i] == ':')
			i = jsonloc_skip_ws(t, n, i + 1);
		i = jsonloc_skip_ws(t, n, jsonloc_value_end(t, n, i));
		if (i < n && t[i] == ',')
			i = jsonloc_skip_ws(t, n, i + 1);
	}
	return start;
}

/*
 * JSON leaves duplicate member names undefined and cJSON keeps both, so
 * which one a reader takes depends on the reader: an import would then
 * silently pick one.  The first duplicate found is an error.  Each object's
 * names are sorted, so a huge object costs n log n, not n squared.  A
 * number too large for a double is refused on the same walk.
 */
static bool no_duplicate_keys(struct imp *im, const cJSON *j)
{
	/* 1e309 parses as infinity, which no pack (and no JSON) can write back */
	if (cJSON_IsNumber(j) && !isfinite(j->valuedouble)) {
		diag_error(im->d, jsonloc_span_at(im->src, locate_path(im)), "E0903",
			   "number out of range at '%s'; JSON numbers must fit a double", path_string(im));
		return false;
	}
	if (cJSON_IsObject(j)) {
		size_t n = 0;
		for (const cJSON *c = j->child; c; c = c->next)
			n++;
		if (n > 1) {
			const cJSON **names = xcalloc(n, sizeof(*names));
			size_t k = 0;
			for (const cJSON *c = j->child; c; c = c->next)
				names[k++] = c;
			qsort(names, n, sizeof(*names), cmp_member_names);
			const char *dup = NULL;
			for (k = 1; k < n && !dup; k++)
				if (strcmp(names[k - 1]->string, names[k]->string) == 0)
					dup = names[k]->string;
			free(names);
			if (dup) {
				diag_error(im->d, jsonloc_span_at(im->src, locate_second_key(im, dup)), "E0901",
					   "invalid JSON: duplicate member '%s' at '%s'", dup, path_string(im));
				return false;
			}
		}
		for (const cJSON *c = j->child; c; c = c->next) {
			push_key(im, c->string);
			bool ok = no_duplicate_keys(im, c);
			pop(im);
			if (!ok)
				return false;
		}
	} else if (cJSON_IsArray(j)) {
		size_t index = 0;
		for (const cJSON *c = j->child; c; c = c->next, index++) {
			push_index(im, index);
			bool ok = no_duplicate_keys(im, c);
			pop(im);
			if (!ok)
				return false;
		}
	}
	return true;
}

bool import_source(struct ast_pack *pack, const struct source *src, const char *fallback_name,
		   struct diag_engine *d)
{
	struct imp im;
	memset(&im, 0, sizeof(im));
	im.a = pack->arena;
	im.d = d;
	im.src = src;
	/*
	 * A policy file is a JSON object (or, wrongly, an array).  A file that
	 * starts with anything else is not JSON at all (a link to /etc/passwd,
	 * a binary): it is reported at its first byte with no source line, so
	 * no diagnostic shows its content.
	 */
	size_t first = jsonloc_skip_ws(src->text, src->len, 0);
	if (first < src->len && src->text[first] != '{' && src->text[first] != '[') {
		struct diag_record *r = diag_error(d, jsonloc_span_at(src, first), "E0901",
						   "invalid JSON: a policy file starts with '{'");
		r->hide_text = true;
		return false;
	}
	cJSON *root = jsonloc_parse(src, d);
	if (!root)
		return false;
	/* cJSON ends a string at \u0000, which would silently shorten it */
	for (size_t i = 0; i + 6 <= src->len; i++) {
		if (src->text[i] != '\\' || memcmp(src->text + i + 1, "u0000", 5) != 0)
			continue;
		size_t slashes = 0;
		while (slashes < i && src->text[i - 1 - slashes] == '\\')
			slashes++;
		if (slashes % 2 == 0) {
			diag_error(d, jsonloc_span_at(src, i), "E0903", "a string with \\u0000 cannot be imported");
			cJSON_Delete(root);
			return false;
		}
	}
	if (!no_duplicate_keys(&im, root)) {
		cJSON_Delete(root);
		return false;
	}
	imp_document(&im, pack, root, fallback_name);
	cJSON_Delete(root);
	return !im.failed;
}

/* ---- files and directories ---- */

static struct src_span nowhere(void)
{
	return no_span();
}

static bool import_file(struct ast_pack *pack, const char *path, struct import_inputs *in,
			struct diag_engine *d)
{
	struct source *src = NULL;
	enum source_read_status st = source_read(path, &src);
	switch (st) {
	case SOURCE_OK:
		break;
	case SOURCE_IO_ERROR:
		diag_error(d, nowhere(), "E0905", "cannot read '%s': %s", path, strerror(errno));
		return false;
	case SOURCE_TOO_LARGE: {
		/* an input error like any other, located at the file's start; the empty
		 * source stands in for the text, which was not read */
		src = source_from_memory(path, "", 0);
		import_inputs_add(in, src);
		struct src_pos start = { 0, 1, 1 };
		struct src_span span = { src, start, start };
		diag_error(d, span, "E0009", "file too large (more than %zu MiB)",
			   SOURCE_MAX_BYTES / (1024 * 1024));
		return false;
	}
	}
	import_inputs_add(in, src);
	struct source *prepared = importdir_prepare(src);
	if (prepared) {
		import_inputs_add(in, prepared);
		src = prepared;
	}
	return import_source(pack, src, importdir_name_for(pack->arena, path), d);
}

/* Where src names its definition: the top-level "name" value, else its first byte. */
static struct src_span name_span(const struct source *src)
{
	const unsigned char *t = src->text;
	size_t n = src->len, i = jsonloc_skip_ws(t, n, 0), start = i;
	if (i < n && t[i] == '{') {
		i = jsonloc_skip_ws(t, n, i + 1);
		while (i < n && t[i] == '"') {
			bool match = jsonloc_key_is(t, n, i, "name");
			i = jsonloc_skip_ws(t, n, jsonloc_string_end(t, n, i));
			if (i < n && t[i] == ':')
				i = jsonloc_skip_ws(t, n, i + 1);
			if (match)
				return jsonloc_span_at(src, i);
			i = jsonloc_skip_ws(t, n, jsonloc_value_end(t, n, i));
			if (i < n && t[i] == ',')
				i = jsonloc_skip_ws(t, n, i + 1);
		}
	}
	return jsonloc_span_at(src, start);
}

/* A declaration and the file it came from, for duplicate names. */
struct decl_origin {
	const char *name;
	const struct source *src;
	bool is_set;
	size_t order;
};

static int cmp_origins(const void *a, const void *b)
{
	const struct decl_origin *x = a, *y = b;
	if (x->is_set != y->is_set)
		return x->is_set ? 1 : -1;
	int r = strcasecmp(x->name, y->name);
	if (r != 0)
		return r;
	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * Two files of one directory that define the same name (ignoring case, as
 * the checker compares) would make a pack `pacc build` refuses: E0914 at
 * the second file's name, with a note at the first.  Sorting keeps it
 * n log n.
 */
static bool no_duplicate_names(struct decl_origin *o, size_t n, struct diag_engine *d)
{
	if (n > 1)
		qsort(o, n, sizeof(*o), cmp_origins);
	bool ok = true;
	size_t group = 0; /* the first of the run of equal names o[k] is in */
	for (size_t k = 1; k < n; k++) {
		if (o[k].is_set != o[group].is_set || strcasecmp(o[k].name, o[group].name) != 0) {
			group = k;
			continue;
		}
		const struct decl_origin *first = &o[group];
		struct diag_record *r =
			diag_error(d, name_span(o[k].src), "E0914",
				   "%s '%s' is defined twice in one import", o[k].is_set ? "initiative" : "policy",
				   o[k].name);
		diag_note(d, r, name_span(first->src), "'%s' first defined here", first->name);
		diag_help(d, r, "import the two files as separate packs (one argument each), or rename one");
		ok = false;
	}
	return ok;
}

bool import_path(struct ast_pack *pack, const char *path, struct import_inputs *in,
		 struct diag_engine *d)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		diag_error(d, nowhere(), "E0905", "cannot read '%s': %s", path, strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode))
		return import_file(pack, path, in, d);
	struct importdir_list list = IMPORTDIR_LIST_INIT;
	bool failed = false;
	bool ok = importdir_collect(path, &list, in, d);
	if (list.count == list.parts && ok) {
		diag_error(d, nowhere(), "E0904", "no .json file below '%s'", path);
		ok = false;
	}
	struct decl_origin *origins = xcalloc(list.count ? list.count : 1, sizeof(*origins));
	size_t norigins = 0;
	struct ast_policy *last_pol = pack->policies;
	struct ast_initiative *last_ini = pack->initiatives;
	while (last_pol && last_pol->next)
		last_pol = last_pol->next;
	while (last_ini && last_ini->next)
		last_ini = last_ini->next;
	for (size_t i = 0; ok && i < list.count; i++) {
		if (list.items[i].is_part)
			continue;
		struct sb full = SB_INIT;
		sb_addf(&full, "%s/%s", path, list.items[i].rel);
		if (!import_file(pack, full.buf, in, d))
			failed = true;
		sb_release(&full);
		/* each file adds at most one declaration, from the last source read */
		const struct source *src = in->count ? in->items[in->count - 1] : NULL;
		struct ast_policy *pol = last_pol ? last_pol->next : pack->policies;
		struct ast_initiative *ini = last_ini ? last_ini->next : pack->initiatives;
		if (pol) {
			origins[norigins] = (struct decl_origin){ pol->name->s, src, false, norigins };
			norigins++;
			last_pol = pol;
		} else if (ini) {
			origins[norigins] = (struct decl_origin){ ini->name->s, src, true, norigins };
			norigins++;
			last_ini = ini;
		}
	}
	if (!failed && !no_duplicate_names(origins, norigins, d))
		failed = true;
	free(origins);
	importdir_list_release(&list);
	ok = ok && !failed;
	return ok;
}

struct policy_by_id {
	const struct ast_policy *policy;
	size_t order; /* declaration order: the first of equal ids wins */
};

static int cmp_policy_ids(const void *a, const void *b)
{
	const struct policy_by_id *x = a, *y = b;
	int r = strcmp(x->policy->id->s, y->policy->id->s);
	if (r != 0)
		return r;
	return x->order < y->order ? -1 : x->order > y->order;
}

void import_link_references(struct ast_pack *pack)
{
	/* Policies sorted by id, so many definitions and references link in
	 * n log n rather than n times m. */
	size_t n = 0;
	for (const struct ast_policy *pol = pack->policies; pol; pol = pol->next)
		n += pol->id != NULL;
	if (n == 0 || !pack->initiatives)
		return;
	struct policy_by_id *by_id = xcalloc(n, sizeof(*by_id));
	size_t k = 0;
	for (const struct ast_policy *pol = pack->policies; pol; pol = pol->next)
		if (pol->id) {
			by_id[k] = (struct policy_by_id){ pol, k };
			k++;
		}
	qsort(by_id, n, sizeof(*by_id), cmp_policy_ids);
	for (struct ast_initiative *ini = pack->initiatives; ini; ini = ini->next) {
		for (struct ast_reference *ref = ini->references; ref; ref = ref->next) {
			size_t lo = 0, hi = n;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (strcmp(by_id[mid].policy->id->s, ref->target->s) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < n && strcmp(by_id[lo].policy->id->s, ref->target->s) == 0)
				ref->target = by_id[lo].policy->name;
		}
	}
	free(by_id);
}

/* ---- the `pacc import` command ---- */

/* The last component of path, without trailing slashes, with control
 * characters (a line break would end the pack's opening comment and turn
 * the rest of a file name into source) and invalid UTF-8 replaced by '?'. */
static char *last_component(struct arena *a, const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t start = n;
	while (start > 0 && path[start - 1] != '/')
		start--;
	char *out = arena_strndup(a, path + start, n - start);
	unsigned char *p = (unsigned char *)out, *lim = p + (n - start);
	while (p < lim) {
		int len = *p < 0x80 ? 1 : lex_utf8_len(p, lim);
		if (len == 0 || *p < 0x20 || *p == 0x7f) {
			*p++ = '?';
			continue;
		}
		p += len;
	}
	return out;
}

/*
 * The pack name for an argument: a file's stem, a directory's last
 * component, as a slug (lowercase letters, digits, single '-'), so
 * "Data Factory" gives data-factory.pacc.
 */
static char *pack_name_for(struct arena *a, const char *arg)
{
	struct stat st;
	bool is_dir = stat(arg, &st) == 0 && S_ISDIR(st.st_mode);
	char *stem = is_dir ? last_component(a, arg) : importdir_name_for(a, arg);
	char *slug = arena_strdup(a, stem);
	size_t k = 0;
	for (const char *s = stem; *s; s++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			slug[k++] = c;
		else if (k > 0 && slug[k - 1] != '-')
			slug[k++] = '-';
	}
	while (k > 0 && slug[k - 1] == '-')
		k--;
	slug[k] = '\0';
	return k ? slug : arena_strdup(a, "imported");
}

/* The declaration of pack (in order, policies then initiatives) whose text
 * in back holds offset; its span (the JSON it came from), or no place. */
static struct src_span origin_of(const struct ast_pack *pack, const struct ast_pack *back, size_t offset)
{
	const struct ast_policy *p = pack->policies;
	for (const struct ast_policy *b = back->policies; b && p; b = b->next, p = p->next)
		if (offset >= b->span.begin.offset && offset <= b->span.end.offset)
			return p->span;
	const struct ast_initiative *i = pack->initiatives;
	for (const struct ast_initiative *b = back->initiatives; b && i; b = b->next, i = i->next)
		if (offset >= b->span.begin.offset && offset <= b->span.end.offset)
			return i->span;
	return no_span();
}

/*
 * `pacc import` must not write a pack `pacc build` refuses.  The rules on
 * which pacc is stricter than Azure are warnings for `imported`
 * declarations; what is still an error (a parameter used but not declared,
 * an invalid template expression, a name Azure refuses) Azure refuses too.
 * So the written text is read back and checked, and each error becomes
 * E0915 at the JSON it came from, with the checker's message.
 */
static bool emitted_pack_builds(const struct ast_pack *pack, const struct sb *text,
				struct diag_engine *d)
{
	struct source *src = source_from_memory("imported.pacc", text->buf, text->len);
	struct arena arena;
	arena_init(&arena);
	struct diag_engine scratch;
	diag_init(&scratch);
	struct ast_pack *back = parse_pack(src, pack->name, &arena, &scratch);
	if (!diag_has_errors(&scratch))
		check_pack(back, &scratch);
	bool ok = true;
	for (size_t r = 0; r < scratch.count && !diag_should_stop(d); r++) {
		const struct diag_record *rec = scratch.records[r];
		if (rec->severity != DIAG_ERROR)
			continue;
		diag_error(d, origin_of(pack, back, rec->span.begin.offset), "E0915",
			   "this definition would not build: %s [%s]", rec->message, rec->code);
		ok = false;
	}
	diag_release(&scratch);
	arena_release(&arena);
	source_free(src);
	return ok;
}

/* mkdir -p: creates dir and any missing parents. */
static bool make_dirs(const char *dir)
{
	struct sb path = SB_INIT;
	sb_adds(&path, dir);
	bool ok = true;
	for (size_t i = 1; ok && i <= path.len; i++) {
		if (i < path.len && path.buf[i] != '/')
			continue;
		char saved = path.buf[i];
		path.buf[i] = '\0';
		struct stat st;
		if (stat(path.buf, &st) != 0 && mkdir(path.buf, 0777) != 0 && errno != EEXIST)
			ok = false;
		path.buf[i] = saved;
	}
	sb_release(&path);
	return ok;
}

/* Writes all of data to fd, through short writes; false on an error. */
static bool write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * Writes each pack to DIR/<name>.pacc, all or nothing as far as the file
 * system allows: every text first goes to a hidden temporary file beside
 * its destination, created with O_EXCL | O_NOFOLLOW (so an existing file or
 * symbolic link of that name is never written through) and synced; only
 * when all are written are they renamed into place (rename replaces a
 * symbolic link at the destination instead of following it).  On a failure
 * before the renames, every temporary file is removed and nothing changed;
 * no temporary file survives in any case.  Sets *failed_path for the
 * message.
 */
static bool write_packs(const char *outdir, char *const *names, const struct sb *texts, size_t n,
			struct sb *failed_path)
{
	struct sb *tmp = xcalloc(n, sizeof(*tmp));
	bool ok = true;
	size_t made = 0;
	for (size_t k = 0; ok && k < n; k++) {
		sb_init(&tmp[k], 0);
		sb_addf(&tmp[k], "%s/.%s.pacc.tmp.%ld", outdir, names[k], (long)getpid());
		int fd = open(tmp[k].buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd < 0) {
			ok = false;
			sb_adds(failed_path, tmp[k].buf);
			break;
		}
		made = k + 1;
		ok = write_all(fd, texts[k].buf, texts[k].len) && fsync(fd) == 0;
		int saved = errno;
		if (close(fd) != 0 && ok) {
			ok = false;
			saved = errno;
		}
		errno = saved;
		if (!ok)
			sb_adds(failed_path, tmp[k].buf);
	}
	for (size_t k = 0; ok && k < n; k++) {
		struct sb path = SB_INIT;
		sb_addf(&path, "%s/%s.pacc", outdir, names[k]);
		if (rename(tmp[k].buf, path.buf) != 0) {
			ok = false;
			sb_adds(failed_path, path.buf);
		} else {
			sb_reset(&tmp[k]); /* nothing left to remove */
		}
		sb_release(&path);
	}
	int saved = errno;
	for (size_t k = 0; k < made; k++)
		if (tmp[k].len)
			unlink(tmp[k].buf);
	for (size_t k = 0; k < n; k++)
		sb_release(&tmp[k]);
	free(tmp);
	errno = saved;
	return ok;
}

int import_run(const char *outdir, char *const *paths, size_t nargs, struct import_inputs *in,
	       struct diag_engine *d, FILE *err, struct import_summary *sum)
{
	struct import_summary counted = { 0, 0, 0 };
	struct arena arena;
	arena_init(&arena);
	struct sb *texts = xcalloc(nargs, sizeof(*texts));
	char **names = xcalloc((size_t)nargs, sizeof(*names));
	bool ok = true;
	for (size_t k = 0; k < nargs; k++) {
		const char *arg = paths[k];
		names[k] = pack_name_for(&arena, arg);
		struct ast_pack *pack = import_pack_new(&arena, names[k]);
		if (!import_path(pack, arg, in, d)) {
			ok = false;
			continue;
		}
		import_link_references(pack);
		if (in->aliases)
			check_alias(pack, in->aliases, d);
		sb_init(&texts[k], 0);
		size_t npol = 0, nini = 0;
		for (const struct ast_policy *p = pack->policies; p; p = p->next)
			npol++;
		for (const struct ast_initiative *n = pack->initiatives; n; n = n->next)
			nini++;
		counted.policies += npol;
		counted.initiatives += nini;
		counted.packs++;
		/* the argument's last component only: no absolute paths in output */
		sb_addf(&texts[k], "# Imported by `pacc import` from '%s': %zu policy definition%s, %zu initiative%s.\n\n",
			last_component(&arena, arg), npol, npol == 1 ? "" : "s", nini, nini == 1 ? "" : "s");
		emit_pacc(pack, &texts[k]);
		if (!emitted_pack_builds(pack, &texts[k], d))
			ok = false;
		if (texts[k].len > SOURCE_MAX_BYTES) {
			diag_error(d, nowhere(), "E0907",
				   "'%s' would make a pack of %zu bytes, more than pacc reads (%zu); "
				   "import its subdirectories one by one",
				   arg, texts[k].len, (size_t)SOURCE_MAX_BYTES);
			ok = false;
		}
	}
	/* two arguments must not write the same file */
	for (size_t k = 0; ok && k < nargs; k++)
		for (size_t l = 0; l < k; l++)
			if (strcmp(names[k], names[l]) == 0) {
				diag_error(d, nowhere(), "E0906",
					   "'%s' and '%s' would both be written to '%s.pacc'", paths[l],
					   paths[k], names[k]);
				ok = false;
			}
	int status = 0;
	if (!ok || diag_has_errors(d)) {
		status = 1;
		if (!diag_has_errors(d))
			status = 2;
	} else {
		if (!make_dirs(outdir)) {
			fprintf(err, "pacc: error: cannot create '%s': %s\n", outdir, strerror(errno));
			status = 2;
		}
		struct sb failed = SB_INIT;
		if (status == 0 && !write_packs(outdir, names, texts, nargs, &failed)) {
			fprintf(err, "pacc: error: cannot write '%s': %s\n", failed.buf,
				strerror(errno));
			status = 2;
		}
		sb_release(&failed);
	}
	/* an I/O failure reading an input is a usage/I/O error, not an input error */
	if (status == 1) {
		bool only_io = true;
		for (size_t r = 0; r < d->count; r++)
			if (strcmp(d->records[r]->code, "E0905") != 0)
				only_io = false;
		if (only_io)
			status = 2;
	}
	if (sum)
		*sum = status == 0 ? counted : (struct import_summary){ 0, 0, 0 };
	for (size_t k = 0; k < nargs; k++)
		sb_release(&texts[k]);
	free(texts);
	free(names);
	arena_release(&arena);
	return status;
}
