#include "pacc/eval.h"

#include "pacc/eval_ctx.h"
#include "pacc/evalue.h"
#include "pacc/json.h"
#include "pacc/sb.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The API version of a compliance scan when nothing says otherwise: Azure
 * scans with the latest version, which compares above every real one. */
#define LATEST_API_VERSION "9999-12-31"

/* Applicability classes of a leaf condition (MS-docs policy-applicability). */
enum app_class {
	APP_TYPE,
	APP_NAME,
	APP_KIND,
	APP_OTHER,
};

struct ev_cond {
	enum ast_cond_kind kind;
	const struct ast_cond *ast;
	struct ev_cond *children, *next; /* logical: children linked through next */
	size_t child_count;
	enum ast_op op;
	struct ev_field field;           /* AST_COND_FIELD, field count */
	struct ev_tmpl *value;           /* AST_COND_VALUE, value count */
	struct ev_tmpl *rhs;
	enum ast_count_kind count_kind;
	const char *count_name;
	struct ev_cond *where;
	enum app_class cls;
	const char *path_text;           /* where it sits in a JSON definition, e.g. "if.allOf[1]" */
};

struct eval_policy {
	struct arena arena;
	const struct ast_policy *pol;
	const struct eval_aliases *aliases;
	const char *api_version;
	cJSON *owned;                    /* constants of the policy */
	struct ev_cond *cond;
	const struct ast_param **params;
	struct ev_tmpl **defaults;
	size_t param_count;
	struct ev_tmpl *effect_expr;     /* AST_EFFECT_EXPRESSION */
	/* *IfNotExists */
	struct ev_tmpl *related_name;
	struct ev_cond *existence;
	/* Modify / Append */
	size_t op_count;
	struct ev_field *op_fields;
	struct ev_tmpl **op_values;
	struct ev_tmpl **op_conditions;
	unsigned classes;                /* bit per enum app_class present in `if` */
	const cJSON *types;              /* a conjunct `type equals|in` constant of `if`, or NULL */
	enum ast_op types_op;
};

/* ---- run context ---- */

const cJSON *ectx_keep(struct ev_ctx *c, cJSON *v)
{
	if (c->kept_count == c->kept_alloc) {
		c->kept_alloc = c->kept_alloc ? c->kept_alloc * 2 : 32;
		c->kept = xrealloc(c->kept, c->kept_alloc * sizeof(*c->kept));
	}
	c->kept[c->kept_count++] = v;
	return v;
}

void ectx_fail(struct ev_ctx *c, const char *fmt, ...)
{
	if (c->error)
		return;
	struct sb s = SB_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&s, fmt, ap);
	va_end(ap);
	c->error = sb_detach(&s, NULL);
}

const struct ast_policy *eval_policy_ast(const struct eval_policy *ep)
{
	return ep->pol;
}

const char *eval_compliance_name(enum eval_compliance c)
{
	switch (c) {
	case EVAL_COMPLIANT:
		return "Compliant";
	case EVAL_NON_COMPLIANT:
		return "NonCompliant";
	case EVAL_NOT_APPLICABLE:
		return "NotApplicable";
	case EVAL_ERROR:
		return "Error";
	}
	return "Error";
}

/* ---- aliases and fields ---- */

static const char *const top_level[] = {
	"sku", "zones", "managedBy", "identity", "kind", "location", "tags", "plan", "extendedLocation",
};

const char *eval_alias_fallback(struct arena *a, const char *alias)
{
	const char *slash = strrchr(alias, '/');
	/* A '/' inside brackets (tags['a/b']) is no type separator. */
	const char *bracket = strchr(alias, '[');
	if (!slash || (bracket && bracket < slash && !strchr(bracket, ']')))
		return alias;
	if (bracket && bracket < slash) {
		const char *p = alias;
		slash = NULL;
		for (int depth = 0; *p; p++) {
			depth += *p == '[' ? 1 : *p == ']' ? -1 : 0;
			if (*p == '/' && depth == 0)
				slash = p;
		}
		if (!slash)
			return alias;
	}
	const char *rest = slash + 1;
	struct sb out = SB_INIT;
	/* Drop discriminator segments: a '.'-separated part starting upper-case. */
	const char *p = rest;
	while (*p) {
		const char *end = p;
		int depth = 0;
		while (*end && (depth > 0 || *end != '.')) {
			depth += *end == '[' ? 1 : *end == ']' ? -1 : 0;
			end++;
		}
		if (!isupper((unsigned char)*p)) {
			if (out.len)
				sb_addch(&out, '.');
			sb_add(&out, p, (size_t)(end - p));
		}
		p = *end ? end + 1 : end;
	}
	if (out.len == 0)
		sb_adds(&out, rest);
	size_t first = strcspn(out.buf, ".[");
	bool top = false;
	for (size_t i = 0; i < sizeof(top_level) / sizeof(top_level[0]); i++)
		if (strlen(top_level[i]) == first && strncasecmp(out.buf, top_level[i], first) == 0)
			top = true;
	const char *r = top ? arena_strdup(a, out.buf) : arena_printf(a, "properties.%s", out.buf);
	sb_release(&out);
	return r;
}

bool ev_field_parse(struct arena *a, const struct eval_policy *ep, const char *text,
		    struct ev_field *f, const char **err)
{
	memset(f, 0, sizeof(*f));
	f->text = text;
	*err = NULL;
	size_t n = strlen(text);
	if (armexpr_is_expression(text, n)) {
		size_t off;
		f->kind = EV_FIELD_EXPR;
		f->expr = ev_tmpl_string(a, text, err, &off);
		return f->expr != NULL;
	}
	f->kind = EV_FIELD_PATH;
	if (strcasecmp(text, "fullName") == 0) {
		f->kind = EV_FIELD_FULLNAME;
		f->resolved = "fullName";
		return true;
	}
	f->location = strcasecmp(text, "location") == 0;
	const char *path = text;
	if (strncasecmp(text, "tags", 4) == 0 && (text[4] == '\0' || text[4] == '.' || text[4] == '[')) {
		path = text;
	} else if (strchr(text, '/')) {
		bool table = ep && ep->aliases && ep->aliases->resolve;
		const char *r = table ? ep->aliases->resolve(ep->aliases->ctx, text, ep->api_version) : NULL;
		f->resolution = r ? EV_RESOLVED_TABLE : table ? EV_RESOLVED_NOT_LISTED : EV_RESOLVED_NO_TABLE;
		path = r ? r : eval_alias_fallback(a, text);
	}
	f->resolved = path;
	if (strncasecmp(path, "tags.", 5) == 0) {
		/* tags.<name>: the rest is one tag name, dots and all. */
		struct epath_seg *segs = ARENA_NEW_ARRAY(a, struct epath_seg, 2);
		segs[0].kind = segs[1].kind = EPATH_KEY;
		segs[0].key = "tags";
		segs[1].key = arena_strdup(a, path + 5);
		f->path.segs = segs;
		f->path.count = 2;
		return true;
	}
	return epath_parse(a, path, &f->path, err);
}

/* The innermost binding of a field count that f's path runs through. */
static const struct ev_binding *binding_for(const struct ev_ctx *c, const struct epath *p)
{
	const struct ev_binding *best = NULL;
	for (const struct ev_binding *b = c->bindings; b; b = b->up)
		if (b->prefix && (!best || b->prefix_len > best->prefix_len) &&
		    epath_prefix_equal(b->prefix, p, b->prefix_len))
			best = b;
	return best;
}

static const char *full_name(struct ev_ctx *c, const cJSON *res)
{
	const cJSON *id = evalue_member(res, "id");
	const cJSON *name = evalue_member(res, "name");
	if (!cJSON_IsString(id))
		return cJSON_IsString(name) ? name->valuestring : NULL;
	/* /subscriptions/s/resourceGroups/g/providers/NS/t1/n1/t2/n2 -> n1/n2 */
	const char *p = NULL;
	for (const char *q = id->valuestring; (q = strstr(q, "/providers/")); q++)
		p = q + strlen("/providers/");
	if (!p)
		return cJSON_IsString(name) ? name->valuestring : NULL;
	const char *ns_end = strchr(p, '/');
	if (!ns_end)
		return NULL;
	struct sb out = SB_INIT;
	int i = 0;
	for (const char *s = ns_end + 1; *s; i++) {
		const char *e = strchr(s, '/');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (i % 2 == 1) {
			if (out.len)
				sb_addch(&out, '/');
			sb_add(&out, s, len);
		}
		s = e ? e + 1 : s + len;
	}
	const char *r = arena_strdup(c->scratch, out.buf);
	sb_release(&out);
	return r;
}

const struct ev_field *ev_field_for_run(struct ev_ctx *c, const struct ev_field *f)
{
	if (f->kind != EV_FIELD_EXPR)
		return f;
	const cJSON *name = ev_tmpl_eval(c, f->expr);
	if (!name)
		return NULL;
	if (!cJSON_IsString(name)) {
		ectx_fail(c, "the computed field name '%s' is not a string", f->text);
		return NULL;
	}
	struct ev_field *g = ARENA_NEW(c->scratch, struct ev_field);
	const char *err;
	if (!ev_field_parse(c->scratch, c->ep, arena_strdup(c->scratch, name->valuestring), g,
			    &err) ||
	    g->kind == EV_FIELD_EXPR) {
		ectx_fail(c, "the computed field '%s' is not a valid field: %s", name->valuestring,
			  err ? err : "an expression");
		return NULL;
	}
	return g;
}

bool ev_field_select(struct ev_ctx *c, const cJSON *root, const struct ev_field *f,
		     epath_visit_fn fn, void *fctx, bool *empty_missing)
{
	f = ev_field_for_run(c, f);
	if (!f)
		return false;
	if (f->kind == EV_FIELD_FULLNAME) {
		const char *fn_s = full_name(c, root);
		const cJSON *v = NULL;
		if (fn_s) {
			cJSON *s = cJSON_CreateString(fn_s);
			if (!s)
				die_oom();
			v = ectx_keep(c, s);
		}
		return fn(fctx, v, NULL, 0);
	}
	const struct ev_binding *b = binding_for(c, &f->path);
	if (b)
		return epath_select(&f->path, b->prefix_len, b->value, fn, fctx, empty_missing);
	return epath_select(&f->path, 0, root, fn, fctx, empty_missing);
}

/* ---- parameters ---- */

const cJSON *ev_param(struct ev_ctx *c, const char *name, bool *known)
{
	const struct eval_policy *ep = c->ep;
	for (size_t i = 0; i < ep->param_count; i++)
		if (strcasecmp(ep->params[i]->name->s, name) == 0) {
			*known = true;
			return c->param_values[i];
		}
	*known = false;
	return NULL;
}

/* ---- compiling ---- */

struct compiler {
	struct eval_policy *ep;
	char *error;
};

static void adopt(struct eval_policy *ep, struct ev_tmpl *t)
{
	if (t && t->constant)
		cJSON_AddItemToArray(ep->owned, t->constant);
}

static struct ev_tmpl *compile_json(struct compiler *k, const struct ast_json *j)
{
	const char *err;
	size_t off = 0;
	struct ev_tmpl *t = ev_tmpl_compile(&k->ep->arena, j, &err, &off);
	if (!t) {
		if (!k->error) {
			struct sb s = SB_INIT;
			sb_addf(&s, "%s at byte %zu of the expression", err, off);
			k->error = sb_detach(&s, NULL);
		}
		return NULL;
	}
	adopt(k->ep, t);
	return t;
}

static struct ev_tmpl *compile_string(struct compiler *k, const char *s)
{
	const char *err;
	size_t off = 0;
	struct ev_tmpl *t = ev_tmpl_string(&k->ep->arena, s, &err, &off);
	if (!t) {
		if (!k->error) {
			struct sb m = SB_INIT;
			sb_addf(&m, "'%s': %s at byte %zu", s, err, off);
			k->error = sb_detach(&m, NULL);
		}
		return NULL;
	}
	adopt(k->ep, t);
	return t;
}

static bool compile_field(struct compiler *k, const char *text, struct ev_field *f)
{
	const char *err;
	if (ev_field_parse(&k->ep->arena, k->ep, text, f, &err)) {
		if (f->kind == EV_FIELD_EXPR)
			adopt(k->ep, f->expr);
		return true;
	}
	if (!k->error) {
		struct sb s = SB_INIT;
		sb_addf(&s, "field '%s': %s", text, err ? err : "invalid");
		k->error = sb_detach(&s, NULL);
	}
	return false;
}

static enum app_class class_of(const struct ast_cond *c)
{
	if (c->kind != AST_COND_FIELD)
		return APP_OTHER;
	const char *f = c->u.leaf.field->s;
	if (strcasecmp(f, "type") == 0)
		return APP_TYPE;
	if (strcasecmp(f, "name") == 0)
		return APP_NAME;
	if (strcasecmp(f, "kind") == 0)
		return APP_KIND;
	return APP_OTHER;
}

static struct ev_cond *compile_cond(struct compiler *k, const struct ast_cond *a, int depth)
{
	struct ev_cond *c = ARENA_NEW(&k->ep->arena, struct ev_cond);
	c->kind = a->kind;
	c->ast = a;
	if (depth > 200) {
		if (!k->error)
			k->error = strdup("conditions nested too deeply");
		return c;
	}
	switch (a->kind) {
	case AST_COND_ALL:
	case AST_COND_ANY: {
		struct ev_cond **tail = &c->children;
		for (const struct ast_cond *x = a->u.logical.children; x; x = x->next) {
			*tail = compile_cond(k, x, depth + 1);
			tail = &(*tail)->next;
			c->child_count++;
		}
		return c;
	}
	case AST_COND_NOT:
		c->children = compile_cond(k, a->u.negated, depth + 1);
		c->child_count = 1;
		return c;
	case AST_COND_FIELD:
		compile_field(k, a->u.leaf.field->s, &c->field);
		break;
	case AST_COND_VALUE:
		c->value = compile_json(k, a->u.leaf.value);
		break;
	case AST_COND_COUNT:
		c->count_kind = a->u.leaf.count.kind;
		if (c->count_kind == AST_COUNT_FIELD)
			compile_field(k, a->u.leaf.count.field->s, &c->field);
		else
			c->value = compile_json(k, a->u.leaf.count.value);
		c->count_name = a->u.leaf.count.name ? a->u.leaf.count.name->s : NULL;
		if (a->u.leaf.count.where)
			c->where = compile_cond(k, a->u.leaf.count.where, depth + 1);
		break;
	case AST_COND_JSON:
		/* kept verbatim because pacc does not model it: nor does the evaluator */
		if (!k->error)
			k->error = strdup("a condition in a form pacc does not model ('extra { ... }') cannot be evaluated");
		return c;
	}
	c->op = a->u.leaf.op;
	c->rhs = compile_json(k, a->u.leaf.rhs);
	c->cls = class_of(a);
	k->ep->classes |= 1u << c->cls;
	return c;
}

/* Records the first `type equals X` / `type in [...]` that every true `if`
 * needs (a conjunct at the top, through nested allOf). */
static void find_type_conjunct(struct eval_policy *ep, const struct ev_cond *c)
{
	if (!c || ep->types)
		return;
	if (c->kind == AST_COND_ALL) {
		for (const struct ev_cond *x = c->children; x; x = x->next)
			find_type_conjunct(ep, x);
		return;
	}
	if (c->kind == AST_COND_FIELD && c->cls == APP_TYPE && c->rhs && !c->rhs->expr &&
	    !c->rhs->nested &&
	    ((c->op == AST_OP_EQUALS && cJSON_IsString(c->rhs->constant)) ||
	     (c->op == AST_OP_IN && cJSON_IsArray(c->rhs->constant)))) {
		ep->types = c->rhs->constant;
		ep->types_op = c->op;
	}
}

bool eval_policy_type_excluded(const struct eval_policy *ep, const char *type)
{
	if (!ep->types || !type)
		return false;
	cJSON t = { 0 };
	t.type = cJSON_String;
	t.valuestring = (char *)(uintptr_t)type;
	const char *note;
	return !evalue_apply(ep->types_op, &t, ep->types, &note);
}

struct eval_policy *eval_policy_compile(const struct ast_policy *pol,
					const struct eval_aliases *aliases,
					const char *default_api_version, char **error)
{
	struct eval_policy *ep = xcalloc(1, sizeof(*ep));
	arena_init(&ep->arena);
	ep->pol = pol;
	ep->aliases = aliases;
	ep->api_version = default_api_version ? arena_strdup(&ep->arena, default_api_version)
					      : LATEST_API_VERSION;
	ep->owned = json_array();
	struct compiler k = { ep, NULL };
	*error = NULL;

	ep->param_count = pol->param_count;
	ep->params = ARENA_NEW_ARRAY(&ep->arena, const struct ast_param *, pol->param_count + 1);
	ep->defaults = ARENA_NEW_ARRAY(&ep->arena, struct ev_tmpl *, pol->param_count + 1);
	size_t i = 0;
	for (const struct ast_param *p = pol->params; p && i < pol->param_count; p = p->next, i++) {
		ep->params[i] = p;
		if (p->default_value)
			ep->defaults[i] = compile_json(&k, p->default_value);
	}
	ep->param_count = i;
	if (pol->condition)
		ep->cond = compile_cond(&k, pol->condition, 0);
	find_type_conjunct(ep, ep->cond);
	if (pol->effect_form == AST_EFFECT_EXPRESSION && pol->effect)
		ep->effect_expr = compile_string(&k, pol->effect->s);
	switch (pol->details_kind) {
	case AST_DETAILS_RELATED: {
		const struct ast_related *r = pol->details.related;
		if (r->name)
			ep->related_name = compile_json(&k, r->name);
		if (r->existence)
			ep->existence = compile_cond(&k, r->existence, 0);
		break;
	}
	case AST_DETAILS_MODIFY: {
		const struct ast_modify *m = pol->details.modify;
		ep->op_count = m->count;
		ep->op_fields = ARENA_NEW_ARRAY(&ep->arena, struct ev_field, m->count + 1);
		ep->op_values = ARENA_NEW_ARRAY(&ep->arena, struct ev_tmpl *, m->count + 1);
		ep->op_conditions = ARENA_NEW_ARRAY(&ep->arena, struct ev_tmpl *, m->count + 1);
		size_t j = 0;
		for (const struct ast_modify_operation *o = m->operations; o && j < m->count;
		     o = o->next, j++) {
			compile_field(&k, o->field->s, &ep->op_fields[j]);
			if (o->value)
				ep->op_values[j] = compile_json(&k, o->value);
			if (o->condition)
				ep->op_conditions[j] = compile_string(&k, o->condition->s);
		}
		ep->op_count = j;
		break;
	}
	case AST_DETAILS_APPEND: {
		size_t n = pol->details.append.count;
		ep->op_fields = ARENA_NEW_ARRAY(&ep->arena, struct ev_field, n + 1);
		ep->op_values = ARENA_NEW_ARRAY(&ep->arena, struct ev_tmpl *, n + 1);
		ep->op_conditions = ARENA_NEW_ARRAY(&ep->arena, struct ev_tmpl *, n + 1);
		size_t j = 0;
		for (const struct ast_append *e = pol->details.append.entries; e && j < n;
		     e = e->next, j++) {
			compile_field(&k, e->field->s, &ep->op_fields[j]);
			ep->op_values[j] = compile_json(&k, e->value);
		}
		ep->op_count = j;
		break;
	}
	case AST_DETAILS_NONE:
	case AST_DETAILS_JSON:
		break;
	}
	if (k.error) {
		*error = k.error;
		eval_policy_free(ep);
		return NULL;
	}
	return ep;
}

void eval_policy_free(struct eval_policy *ep)
{
	if (!ep)
		return;
	cJSON_Delete(ep->owned);
	arena_release(&ep->arena);
	free(ep);
}

/* ---- the trace ---- */

static void step_free(struct eval_step *s)
{
	free(s->what);
	free(s->actual);
	free(s->expected);
	free(s->note);
}

static struct eval_step *step_add(struct ev_ctx *c)
{
	struct eval_result *r = c->result;
	if (r->step_count == r->step_alloc) {
		r->step_alloc = r->step_alloc ? r->step_alloc * 2 : 8;
		r->steps = xrealloc(r->steps, r->step_alloc * sizeof(*r->steps));
	}
	struct eval_step *s = &r->steps[r->step_count++];
	memset(s, 0, sizeof(*s));
	s->depth = c->depth;
	return s;
}

static char *text_of(const cJSON *v)
{
	struct sb s = SB_INIT;
	evalue_text(&s, v, 200);
	return sb_detach(&s, NULL);
}

static bool tracing(const struct ev_ctx *c, const struct eval_input *in)
{
	return in->trace && c->quiet == 0;
}

static void note_step(struct ev_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_step(struct ev_ctx *c, const char *fmt, ...)
{
	if (c->quiet)
		return;
	struct eval_step *s = step_add(c);
	struct sb m = SB_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&m, fmt, ap);
	va_end(ap);
	s->what = strdup("note");
	s->note = sb_detach(&m, NULL);
	s->result = true;
}

/* Drops steps [from, r->step_count) of the children that did not decide. */
struct child_range {
	size_t begin, end;
	bool value;
};

static void prune(struct ev_ctx *c, struct child_range *ranges, size_t n, bool keep_value)
{
	struct eval_result *r = c->result;
	if (n == 0)
		return;
	size_t to = ranges[0].begin;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = ranges[i].begin; j < ranges[i].end; j++) {
			if (ranges[i].value == keep_value)
				r->steps[to++] = r->steps[j];
			else
				step_free(&r->steps[j]);
		}
	}
	r->step_count = to;
}

/* ---- conditions ---- */

static bool eval_cond(struct ev_ctx *c, const struct eval_input *in, const struct ev_cond *x);

struct leaf_acc {
	struct ev_ctx *c;
	const struct ev_cond *x;
	const cJSON *rhs;
	bool all;
	size_t n;
	const char *note;
	cJSON *seen;      /* values, for the trace (NULL when not tracing) */
	bool missing_seen;
};

static const cJSON *normalise_location(struct ev_ctx *c, const cJSON *v)
{
	if (!cJSON_IsString(v))
		return v;
	char *t = arena_strdup(c->scratch, v->valuestring), *o = t;
	for (const char *p = v->valuestring; *p; p++)
		if (*p != ' ')
			*o++ = (char)tolower((unsigned char)*p);
	*o = '\0';
	cJSON *s = cJSON_CreateString(t);
	if (!s)
		die_oom();
	return ectx_keep(c, s);
}

static bool leaf_visit(void *ctx, const cJSON *value, const cJSON *const *chain, size_t depth)
{
	(void)chain;
	(void)depth;
	struct leaf_acc *acc = ctx;
	if (acc->x->field.location)
		value = normalise_location(acc->c, value);
	const char *note = NULL;
	bool r = evalue_apply(acc->x->op, value, acc->rhs, &note);
	if (note && !acc->note)
		acc->note = note;
	acc->all = acc->all && r;
	acc->n++;
	if (acc->seen) {
		if (value)
			cJSON_AddItemToArray(acc->seen, cJSON_Duplicate(value, true));
		else
			acc->missing_seen = true;
	}
	return true;
}

static const char *resolution_note(enum ev_field_resolution r)
{
	switch (r) {
	case EV_RESOLVED_PLAIN:
		return "";
	case EV_RESOLVED_TABLE:
		return ", from the alias table";
	case EV_RESOLVED_NOT_LISTED:
		return ", not in the alias table: path guessed from the name";
	case EV_RESOLVED_NO_TABLE:
		return ", no alias table: path guessed from the name";
	}
	return "";
}

/* " (properties.x, from the alias table)" after a field whose path is not its name. */
static void add_resolution(struct sb *s, const struct ev_field *f)
{
	if (f->resolved && strcmp(f->resolved, f->text) != 0)
		sb_addf(s, " (%s%s)", f->resolved, resolution_note(f->resolution));
}

static char *describe(const struct ev_cond *x)
{
	struct sb s = SB_INIT;
	const char *op = ast_op_name(x->op);
	switch (x->kind) {
	case AST_COND_FIELD:
		sb_addf(&s, "field '%s'", x->field.text);
		add_resolution(&s, &x->field);
		break;
	case AST_COND_VALUE:
		sb_adds(&s, "value");
		if (x->value->text)
			sb_addf(&s, " '%s'", x->value->text);
		break;
	case AST_COND_COUNT:
		if (x->count_kind == AST_COUNT_FIELD) {
			sb_addf(&s, "count of field '%s'", x->field.text);
			add_resolution(&s, &x->field);
		} else
			sb_addf(&s, "count of value%s%s%s", x->value->text ? " '" : "",
				x->value->text ? x->value->text : "", x->value->text ? "'" : "");
		if (x->where)
			sb_adds(&s, " where ...");
		break;
	case AST_COND_JSON:
		sb_adds(&s, "extra condition");
		break;
	case AST_COND_ALL:
	case AST_COND_ANY:
	case AST_COND_NOT:
		break;
	}
	sb_addf(&s, " %s", op);
	return sb_detach(&s, NULL);
}

static void leaf_step(struct ev_ctx *c, const struct eval_input *in, const struct ev_cond *x,
		      char *actual, const cJSON *rhs, bool result, const char *note)
{
	if (!tracing(c, in)) {
		free(actual);
		return;
	}
	struct eval_step *s = step_add(c);
	s->what = describe(x);
	s->actual = actual;
	s->expected = text_of(rhs);
	s->result = result;
	s->note = note ? strdup(note) : NULL;
	s->span = x->ast->span;
}

static bool eval_field_leaf(struct ev_ctx *c, const struct eval_input *in, const struct ev_cond *x)
{
	const cJSON *rhs = ev_tmpl_eval(c, x->rhs);
	if (!rhs)
		return false;
	if (x->field.location)
		rhs = normalise_location(c, rhs);
	struct leaf_acc acc = { c, x, rhs, true, 0, NULL, NULL, false };
	if (tracing(c, in))
		acc.seen = json_array();
	bool empty_missing = false;
	ev_field_select(c, c->resource, &x->field, leaf_visit, &acc, &empty_missing);
	if (c->error) {
		cJSON_Delete(acc.seen);
		return false;
	}
	const struct ev_field *f = &x->field;
	bool wild = f->kind == EV_FIELD_PATH && f->path.wildcards > 0;
	const char *note = acc.note;
	if (acc.n == 0 && wild) {
		note = empty_missing
			       ? "the array is missing: an empty collection, so the condition holds "
				 "for every (no) element (the documented reading; Regorus says false)"
			       : "the array is empty: the condition holds for every (no) element";
	}
	char *actual = NULL;
	if (acc.seen) {
		if (wild)
			actual = text_of(acc.seen);
		else if (acc.missing_seen || !acc.seen->child)
			actual = strdup("<missing>");
		else
			actual = text_of(acc.seen->child);
		cJSON_Delete(acc.seen);
	}
	leaf_step(c, in, x, actual, rhs, acc.all, note);
	return acc.all;
}

static bool eval_value_leaf(struct ev_ctx *c, const struct eval_input *in, const struct ev_cond *x)
{
	const cJSON *lhs = ev_tmpl_eval(c, x->value);
	const cJSON *rhs = lhs ? ev_tmpl_eval(c, x->rhs) : NULL;
	if (!rhs)
		return false;
	const char *note;
	bool r = evalue_apply(x->op, lhs, rhs, &note);
	leaf_step(c, in, x, tracing(c, in) ? text_of(lhs) : NULL, rhs, r, note);
	return r;
}

struct count_acc {
	struct ev_ctx *c;
	const struct eval_input *in;
	const struct ev_cond *x;
	const struct epath *path;
	size_t from_wild; /* wildcards of path before the first one this count walks */
	size_t n;
};

static bool count_visit(void *ctx, const cJSON *value, const cJSON *const *chain, size_t depth)
{
	struct count_acc *acc = ctx;
	struct ev_ctx *c = acc->c;
	if (depth == 0) /* a value outside any array: not a member */
		return true;
	(void)value;
	if (!acc->x->where) {
		acc->n++;
		return true;
	}
	struct ev_binding *saved = c->bindings;
	struct ev_binding b[16]; /* epath caps [*] nesting at 16 */
	if (depth > 16)
		depth = 16;
	for (size_t i = 0; i < depth; i++) {
		b[i].up = i ? &b[i - 1] : saved;
		b[i].prefix = acc->path;
		b[i].prefix_len = epath_wildcard_end(acc->path, acc->from_wild + i + 1);
		b[i].value = chain[i];
		b[i].name = NULL;
	}
	c->bindings = &b[depth - 1];
	c->quiet++;
	bool r = eval_cond(c, acc->in, acc->x->where);
	c->quiet--;
	c->bindings = saved;
	if (r)
		acc->n++;
	return !c->error;
}

static bool eval_count(struct ev_ctx *c, const struct eval_input *in, const struct ev_cond *x)
{
	struct count_acc acc = { c, in, x, NULL, 0, 0 };
	if (x->count_kind == AST_COUNT_FIELD) {
		const struct ev_field *f = ev_field_for_run(c, &x->field);
		if (!f)
			return false;
		if (f->kind != EV_FIELD_PATH || f->path.wildcards == 0) {
			ectx_fail(c, "count field '%s' is not an array alias with [*]", f->text);
			return false;
		}
		acc.path = &f->path;
		const struct ev_binding *b = binding_for(c, &f->path);
		size_t from = b ? b->prefix_len : 0;
		for (size_t i = 0; i < from; i++)
			if (f->path.segs[i].kind == EPATH_ALL)
				acc.from_wild++;
		bool empty_missing = false;
		epath_select(&f->path, from, b ? b->value : c->resource, count_visit, &acc,
			     &empty_missing);
	} else {
		const cJSON *arr = ev_tmpl_eval(c, x->value);
		if (!arr)
			return false;
		if (!cJSON_IsArray(arr)) {
			ectx_fail(c, "count value must be an array");
			return false;
		}
		struct ev_binding *saved = c->bindings;
		for (const cJSON *e = arr->child; e && !c->error; e = e->next) {
			if (!x->where) {
				acc.n++;
				continue;
			}
			struct ev_binding b = { saved, NULL, 0, x->count_name ? x->count_name : "default", e };
			c->bindings = &b;
			c->quiet++;
			bool r = eval_cond(c, in, x->where);
			c->quiet--;
			c->bindings = saved;
			if (r)
				acc.n++;
		}
	}
	if (c->error)
		return false;
	const cJSON *rhs = ev_tmpl_eval(c, x->rhs);
	if (!rhs)
		return false;
	cJSON *n = cJSON_CreateNumber((double)acc.n);
	if (!n)
		die_oom();
	ectx_keep(c, n);
	const char *note;
	bool r = evalue_apply(x->op, n, rhs, &note);
	leaf_step(c, in, x, tracing(c, in) ? text_of(n) : NULL, rhs, r, note);
	return r;
}

/*
 * Every child is evaluated, not only up to the first that decides: Azure
 * resolves template functions before it combines conditions, so a failing
 * function fails the run even behind a false allOf sibling.
 */
static bool eval_logical(struct ev_ctx *c, const struct eval_input *in, const struct ev_cond *x)
{
	bool all = x->kind == AST_COND_ALL;
	bool acc = all;
	struct child_range stack[64];
	struct child_range *ranges = x->child_count <= 64
					     ? stack
					     : ARENA_NEW_ARRAY(c->scratch, struct child_range, x->child_count);
	size_t i = 0;
	for (const struct ev_cond *ch = x->children; ch; ch = ch->next, i++) {
		ranges[i].begin = c->result->step_count;
		ranges[i].value = eval_cond(c, in, ch);
		ranges[i].end = c->result->step_count;
		acc = all ? acc && ranges[i].value : acc || ranges[i].value;
	}
	if (c->error)
		return false;
	/* allOf false: the false children decided; anyOf true: the true ones. */
	if (all && !acc)
		prune(c, ranges, i, false);
	else if (!all && acc)
		prune(c, ranges, i, true);
	return acc;
}

static bool eval_cond(struct ev_ctx *c, const struct eval_input *in, const struct ev_cond *x)
{
	if (c->error)
		return false;
	switch (x->kind) {
	case AST_COND_ALL:
	case AST_COND_ANY:
		return eval_logical(c, in, x);
	case AST_COND_NOT:
		return !eval_cond(c, in, x->children);
	case AST_COND_FIELD:
		return eval_field_leaf(c, in, x);
	case AST_COND_VALUE:
		return eval_value_leaf(c, in, x);
	case AST_COND_COUNT:
		return eval_count(c, in, x);
	case AST_COND_JSON:
		return false; /* compiling it was an error */
	}
	return false;
}

/* ---- applicability ---- */

enum tri { T_FALSE, T_TRUE, T_UNKNOWN };

static enum tri app_cond(struct ev_ctx *c, const struct eval_input *in, const struct ev_cond *x,
			 unsigned counted)
{
	switch (x->kind) {
	case AST_COND_ALL: {
		enum tri r = T_TRUE;
		for (const struct ev_cond *ch = x->children; ch; ch = ch->next) {
			enum tri t = app_cond(c, in, ch, counted);
			if (t == T_FALSE)
				return T_FALSE;
			if (t == T_UNKNOWN)
				r = T_UNKNOWN;
		}
		return r;
	}
	case AST_COND_ANY: {
		enum tri r = T_FALSE;
		for (const struct ev_cond *ch = x->children; ch; ch = ch->next) {
			enum tri t = app_cond(c, in, ch, counted);
			if (t == T_TRUE)
				return T_TRUE;
			if (t == T_UNKNOWN)
				r = T_UNKNOWN;
		}
		return r;
	}
	case AST_COND_NOT: {
		enum tri t = app_cond(c, in, x->children, counted);
		return t == T_UNKNOWN ? T_UNKNOWN : t == T_TRUE ? T_FALSE : T_TRUE;
	}
	case AST_COND_JSON:
		return T_UNKNOWN;
	case AST_COND_FIELD:
	case AST_COND_VALUE:
	case AST_COND_COUNT:
		if (!(counted & (1u << x->cls)))
			return T_UNKNOWN;
		c->quiet++;
		bool r = eval_cond(c, in, x);
		c->quiet--;
		return r ? T_TRUE : T_FALSE;
	}
	return T_UNKNOWN;
}

static const char *str_member(const cJSON *o, const char *k)
{
	const cJSON *v = evalue_member(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The mode's verdict: NULL when the resource is in scope, else why not. */
static const char *mode_excludes(const struct ast_policy *pol, const cJSON *res)
{
	const char *type = str_member(res, "type");
	const char *mode = pol->mode ? pol->mode->s : "Indexed";
	if (type && strncasecmp(type, "Microsoft.Resources/", 20) == 0 &&
	    strcasecmp(type, "Microsoft.Resources/subscriptions") != 0 &&
	    strcasecmp(type, "Microsoft.Resources/subscriptions/resourceGroups") != 0 &&
	    strcasecmp(type, "Microsoft.Resources/resourceGroups") != 0)
		return "Azure Policy does not evaluate Microsoft.Resources types other than "
		       "subscriptions and resource groups";
	if (strcasecmp(mode, "All") == 0)
		return NULL;
	if (strcasecmp(mode, "Indexed") == 0) {
		if (type && strncasecmp(type, "Microsoft.Resources/", 20) == 0)
			return "mode Indexed does not evaluate subscriptions and resource groups";
		if (!evalue_member(res, "location"))
			return "mode Indexed evaluates only types that support tags and location, "
			       "and the resource has no location";
		return NULL;
	}
	/* A Resource Provider mode (Microsoft.KeyVault.Data ...): its own types only. */
	size_t n = strlen(mode);
	if (n > 5 && strcasecmp(mode + n - 5, ".Data") == 0 && type &&
	    strncasecmp(type, mode, n) == 0 && type[n] == '/')
		return NULL;
	return "the mode is a Resource Provider mode and the resource is not of its namespace";
}

/* ---- effects ---- */

static const char *resolve_effect(struct ev_ctx *c, const struct eval_policy *ep)
{
	const struct ast_policy *pol = ep->pol;
	const cJSON *v = NULL;
	switch (pol->effect_form) {
	case AST_EFFECT_NONE:
		ectx_fail(c, "the policy has no effect");
		return NULL;
	case AST_EFFECT_LITERAL:
		/* The rule's own spelling: what Azure reports for it. */
		return pol->effect_spelling ? pol->effect_spelling->s : pol->effect->s;
	case AST_EFFECT_PARAM: {
		bool known;
		v = ev_param(c, pol->effect_param->name->s, &known);
		if (!v)
			ectx_fail(c, "the effect parameter '%s' has no value", pol->effect_param->name->s);
		break;
	}
	case AST_EFFECT_EXPRESSION:
		v = ev_tmpl_eval(c, ep->effect_expr);
		break;
	}
	if (!v)
		return NULL;
	if (!cJSON_IsString(v)) {
		ectx_fail(c, "the effect is not a string");
		return NULL;
	}
	const char *s = v->valuestring;
	return s[0] == '[' && s[1] == '[' ? s + 1 : s;
}

static bool related_matches(const struct ast_related *r, const cJSON *rel, const cJSON *want_name)
{
	const char *type = str_member(rel, "type");
	if (!type || !r->type || strcasecmp(type, r->type->s) != 0)
		return false;
	if (!want_name || !cJSON_IsString(want_name))
		return true;
	const char *name = str_member(rel, "name");
	if (!name)
		return false;
	const char *w = want_name->valuestring, *last = strrchr(name, '/');
	const char *wl = strrchr(w, '/');
	if (wl && strcmp(wl, "/?") == 0) /* parent/?: any child of that parent */
		return strncasecmp(name, w, (size_t)(wl - w)) == 0 || !strchr(name, '/');
	return strcasecmp(name, w) == 0 || (last && strcasecmp(last + 1, w) == 0) ||
	       (wl && strcasecmp(wl + 1, name) == 0);
}

static void existence_check(struct ev_ctx *c, const struct eval_input *in,
			    const struct eval_policy *ep, struct eval_result *out)
{
	const struct ast_related *r = ep->pol->details.related;
	const cJSON *want_name = ep->related_name ? ev_tmpl_eval(c, ep->related_name) : NULL;
	if (c->error)
		return;
	out->existence_checked = true;
	size_t candidates = 0;
	const cJSON *saved = c->resource;
	for (size_t i = 0; i < in->related_count && !c->error; i++) {
		const cJSON *rel = in->related[i];
		if (!related_matches(r, rel, want_name))
			continue;
		candidates++;
		const char *id = str_member(rel, "id");
		const char *name = str_member(rel, "name");
		if (tracing(c, in))
			note_step(c, "related resource '%s' of type '%s'", id ? id : name ? name : "?",
				  r->type->s);
		if (!ep->existence) {
			out->existence = true;
			break;
		}
		c->resource = rel;
		c->depth++;
		bool ok = eval_cond(c, in, ep->existence);
		c->depth--;
		c->resource = saved;
		if (ok) {
			out->existence = true;
			break;
		}
	}
	if (!candidates && tracing(c, in))
		note_step(c, "no related resource of type '%s'%s%s%s was supplied (--related): "
			     "no related resources match the effect details",
			  r->type->s, want_name && cJSON_IsString(want_name) ? " named '" : "",
			  want_name && cJSON_IsString(want_name) ? want_name->valuestring : "",
			  want_name && cJSON_IsString(want_name) ? "'" : "");
}

/* ---- the run ---- */

/* After a type/name/kind verdict only those conditions explain it. */
static void keep_class_steps(struct eval_result *r, size_t from)
{
	static const char *const heads[] = { "field 'type'", "field 'name'", "field 'kind'" };
	size_t to = from;
	for (size_t i = from; i < r->step_count; i++) {
		bool keep = false;
		for (size_t k = 0; k < 3; k++)
			keep = keep || (r->steps[i].what &&
					strncasecmp(r->steps[i].what, heads[k], strlen(heads[k])) == 0);
		if (keep)
			r->steps[to++] = r->steps[i];
		else
			step_free(&r->steps[i]);
	}
	r->step_count = to;
}

static void set_reason(const struct ev_ctx *c, struct eval_result *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_reason(const struct ev_ctx *c, struct eval_result *r, const char *fmt, ...)
{
	if (c->quiet)
		return;
	struct sb s = SB_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&s, fmt, ap);
	va_end(ap);
	free(r->reason);
	r->reason = sb_detach(&s, NULL);
}

static const cJSON *unwrap_param(const cJSON *v)
{
	if (cJSON_IsObject(v) && v->child && !v->child->next &&
	    strcmp(v->child->string, "value") == 0)
		return v->child;
	return v;
}

static void now_string(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.0000000Z", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static bool is_ifnotexists(const char *canon)
{
	return canon && (strcmp(canon, "AuditIfNotExists") == 0 ||
			 strcmp(canon, "DeployIfNotExists") == 0);
}

static void decide(struct ev_ctx *c, const struct eval_policy *ep, const struct eval_input *in,
		   struct eval_result *out)
{
	const cJSON *res = in->resource;
	const char *type = str_member(res, "type");
	out->applicable = true;

	/* Parameters first: the effect and every condition may read them. */
	for (size_t i = 0; i < ep->param_count; i++) {
		const cJSON *given = NULL;
		if (cJSON_IsObject(in->parameters))
			given = evalue_member(in->parameters, ep->params[i]->name->s);
		if (given)
			c->param_values[i] = unwrap_param(given);
		else if (ep->defaults[i])
			c->param_values[i] = ev_tmpl_eval(c, ep->defaults[i]);
	}
	const char *effect = resolve_effect(c, ep);
	if (!effect)
		return;
	const char *canon = ast_effect_canonical(effect);
	if (!canon) {
		ectx_fail(c, "'%s' is not an effect Azure Policy knows", effect);
		return;
	}
	out->effect = strdup(effect);
	if (!out->effect)
		die_oom();
	if (!cJSON_IsObject(res)) {
		ectx_fail(c, "the resource is not a JSON object");
		return;
	}
	const char *excluded = mode_excludes(ep->pol, res);
	if (excluded) {
		out->applicable = false;
		out->compliance = EVAL_NOT_APPLICABLE;
		note_step(c, "%s", excluded);
		set_reason(c, out, "The policy does not apply: %s.", excluded);
		return;
	}
	if (!ep->cond) {
		ectx_fail(c, "the policy has no 'if' condition");
		return;
	}
	size_t cond_steps = out->step_count;
	bool v = eval_cond(c, in, ep->cond);
	if (c->error)
		return;
	out->if_value = v;
	if (strcmp(canon, "Disabled") == 0) {
		out->compliance = EVAL_NOT_APPLICABLE;
		set_reason(c, out, "The effect is %s, so Azure does not evaluate the policy.", effect);
		return;
	}
	if (is_ifnotexists(canon)) {
		if (!v) {
			out->applicable = false;
			out->compliance = EVAL_NOT_APPLICABLE;
			set_reason(c, out, "The 'if' condition is false, so this %s policy does not apply to "
					"the resource.", effect);
			return;
		}
		if (ep->pol->details_kind != AST_DETAILS_RELATED) {
			ectx_fail(c, "the %s details are not a 'related' block pacc can evaluate", effect);
			return;
		}
		existence_check(c, in, ep, out);
		if (c->error)
			return;
		out->compliance = out->existence ? EVAL_COMPLIANT : EVAL_NON_COMPLIANT;
		if (out->existence)
			set_reason(c, out, "A related resource of type '%s' satisfies the existence "
					"condition, so the resource is compliant.",
				   ep->pol->details.related->type->s);
		else
			set_reason(c, out, "No related resource of type '%s' satisfies the existence "
					"condition, so %s reports the resource as non-compliant.",
				   ep->pol->details.related->type->s, effect);
		return;
	}
	/* Other effects: applicability looks only at type, name and kind conditions. */
	unsigned counted = 0;
	if (ep->classes & (1u << APP_TYPE)) {
		counted = 1u << APP_TYPE;
		if (ep->classes & (1u << APP_OTHER))
			counted |= (1u << APP_NAME) | (1u << APP_KIND);
	}
	if (counted && app_cond(c, in, ep->cond, counted) == T_FALSE) {
		keep_class_steps(out, cond_steps);
		out->applicable = false;
		out->compliance = EVAL_NOT_APPLICABLE;
		set_reason(c, out, "The policy's type conditions exclude resources of type '%s', so it "
				"does not apply.", type ? type : "?");
		return;
	}
	if (c->error)
		return;
	if (strcmp(canon, "Manual") == 0) {
		out->compliance = EVAL_NOT_APPLICABLE;
		set_reason(c, out, "The effect is Manual: compliance is attested by hand, not evaluated.");
		return;
	}
	if (!v) {
		out->compliance = EVAL_COMPLIANT;
		set_reason(c, out, "The 'if' condition is false, so %s does not fire: the resource is "
				"compliant.", effect);
		return;
	}
	out->compliance = EVAL_NON_COMPLIANT;
	if ((strcmp(canon, "Modify") == 0 || strcmp(canon, "Append") == 0) && ep->op_count) {
		const char *conflict = NULL;
		const cJSON *m = emodify_apply(c, ep->pol, (const struct ev_tmpl *const *)ep->op_values,
					       ep->op_fields,
					       (const struct ev_tmpl *const *)ep->op_conditions,
					       ep->op_count, &conflict);
		if (!m)
			return;
		out->modified = cJSON_Duplicate(m, true);
		if (conflict)
			note_step(c, "%s", conflict);
	}
	set_reason(c, out, "The 'if' condition is true, so %s applies: the resource is non-compliant.",
		   effect);
}

void eval_run(const struct eval_policy *ep, const struct eval_input *in, struct eval_result *out)
{
	memset(out, 0, sizeof(*out));
	struct arena scratch;
	arena_init(&scratch);
	char now[48];
	if (!in->now)
		now_string(now, sizeof now);
	struct ev_ctx c = {
		.ep = ep,
		.resource = in->resource,
		.if_resource = in->resource,
		.api_version = in->api_version ? in->api_version : ep->api_version,
		.now = in->now ? in->now : now,
		.scratch = &scratch,
		.result = out,
	};
	/* The common case stays off the arena, so a bulk run allocates nothing. */
	const cJSON *few[16] = { NULL };
	if (!in->trace)
		c.quiet = 1; /* no steps, no sentences: a bulk run */
	c.param_values = ep->param_count < 16 ? few
					      : ARENA_NEW_ARRAY(&scratch, const cJSON *, ep->param_count + 1);
	if (!in->api_version && in->trace)
		note_step(&c, "no API version given: a compliance scan, which uses the latest (%s)",
			  c.api_version);
	decide(&c, ep, in, out);
	if (c.error) {
		out->compliance = EVAL_ERROR;
		out->error = c.error;
		set_reason(&c, out, "The evaluation failed (%s); Azure treats a failed evaluation as a "
				"deny.", c.error);
	}
	for (size_t i = 0; i < c.kept_count; i++)
		cJSON_Delete(c.kept[i]);
	free(c.kept);
	arena_release(&scratch);
}

void eval_result_release(struct eval_result *r)
{
	for (size_t i = 0; i < r->step_count; i++)
		step_free(&r->steps[i]);
	free(r->steps);
	free(r->reason);
	free(r->error);
	free(r->effect);
	cJSON_Delete(r->modified);
	memset(r, 0, sizeof(*r));
}

/* ---- definitions as JSON ---- */

char *eval_definition_envelope(const char *text, size_t len, const char *name)
{
	cJSON *root = cJSON_ParseWithLength(text, len);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return NULL;
	}
	cJSON *env = NULL;
	if (cJSON_GetObjectItemCaseSensitive(root, "properties")) {
		env = root;
	} else if (cJSON_GetObjectItemCaseSensitive(root, "policyRule")) {
		env = json_object();
		json_add_string(env, "name", name);
		json_add(env, "properties", root);
	} else if (cJSON_GetObjectItemCaseSensitive(root, "if") &&
		   cJSON_GetObjectItemCaseSensitive(root, "then")) {
		env = json_object();
		json_add_string(env, "name", name);
		cJSON *props = json_object();
		json_add_string(props, "mode", "All");
		json_add(props, "policyRule", root);
		json_add(env, "properties", props);
	} else {
		cJSON_Delete(root);
		return NULL;
	}
	char *out = cJSON_PrintUnformatted(env);
	cJSON_Delete(env);
	if (!out)
		die_oom();
	return out;
}
