#include "pacc/efunc.h"

#include "pacc/eval_ctx.h"
#include "pacc/evalue.h"
#include "pacc/sb.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- values ---- */

static const cJSON *mk_str(struct ev_ctx *c, const char *s)
{
	cJSON *v = cJSON_CreateString(s);
	if (!v)
		die_oom();
	return ectx_keep(c, v);
}

static const cJSON *mk_strn(struct ev_ctx *c, const char *s, size_t n)
{
	char *t = arena_strndup(c->scratch, s, n);
	return mk_str(c, t);
}

/* A string value of s's text; releases s. */
static const cJSON *mk_sb(struct ev_ctx *c, struct sb *s)
{
	const cJSON *v = mk_str(c, s->buf);
	sb_release(s);
	return v;
}

static const cJSON *mk_num(struct ev_ctx *c, double d)
{
	cJSON *v = cJSON_CreateNumber(d);
	if (!v)
		die_oom();
	return ectx_keep(c, v);
}

static const cJSON *mk_bool(struct ev_ctx *c, bool b)
{
	cJSON *v = cJSON_CreateBool(b);
	if (!v)
		die_oom();
	return ectx_keep(c, v);
}

static cJSON *dup(const cJSON *v)
{
	cJSON *d = cJSON_Duplicate(v, true);
	if (!d)
		die_oom();
	return d;
}

static cJSON *new_array(void)
{
	cJSON *a = cJSON_CreateArray();
	if (!a)
		die_oom();
	return a;
}

static cJSON *new_object(void)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		die_oom();
	return o;
}

/* ---- the call frame ---- */

struct call {
	struct ev_ctx *c;
	const char *name;
	const struct armexpr *node;
	const cJSON *argv[128];
	size_t argc;
	const char *text;
};

__attribute__((format(printf, 2, 3))) static const cJSON *fail(struct call *k, const char *fmt,
								 ...)
{
	struct sb msg = SB_INIT;
	sb_addf(&msg, "%s(): ", k->name);
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	ectx_fail(k->c, "%s", msg.buf);
	sb_release(&msg);
	return NULL;
}

static bool want_args(struct call *k, size_t lo, size_t hi)
{
	if (k->argc < lo || k->argc > hi) {
		char buf[64];
		if (lo == hi)
			snprintf(buf, sizeof buf, "%zu", lo);
		else if (hi > 100)
			snprintf(buf, sizeof buf, "at least %zu", lo);
		else
			snprintf(buf, sizeof buf, "%zu to %zu", lo, hi);
		fail(k, "takes %s arguments", buf);
		return false;
	}
	return true;
}

static const char *arg_str(struct call *k, size_t i)
{
	const cJSON *v = k->argv[i];
	if (!cJSON_IsString(v)) {
		char what[32];
		snprintf(what, sizeof what, "%zu", i + 1);
		fail(k, "argument %s must be a string", what);
		return NULL;
	}
	return v->valuestring;
}

/*
 * The check most functions start with: k takes lo to hi arguments, and the
 * first nstr of them (nstr <= lo) are strings, stored in out.  False after
 * the failure is recorded.
 */
static bool want_strings(struct call *k, size_t lo, size_t hi, size_t nstr, const char **out)
{
	if (!want_args(k, lo, hi))
		return false;
	for (size_t i = 0; i < nstr; i++)
		if (!(out[i] = arg_str(k, i)))
			return false;
	return true;
}

static bool arg_int(struct call *k, size_t i, long long *out)
{
	const cJSON *v = k->argv[i];
	double d;
	if (cJSON_IsNumber(v))
		d = v->valuedouble;
	else if (cJSON_IsString(v) && *v->valuestring) {
		char *end;
		d = strtod(v->valuestring, &end);
		if (*end)
			goto bad;
	} else
		goto bad;
	if (!isfinite(d) || fabs(d) > 9e15)
		goto bad;
	*out = (long long)d;
	return true;
bad:;
	char what[32];
	snprintf(what, sizeof what, "%zu", i + 1);
	fail(k, "argument %s must be an integer", what);
	return false;
}

/* ---- the functions ---- */

typedef const cJSON *(*fn_impl)(struct call *k);

static const cJSON *f_parameters(struct call *k)
{
	const char *name;
	if (!want_strings(k, 1, 1, 1, &name))
		return NULL;
	bool known = false;
	const cJSON *v = ev_param(k->c, name, &known);
	if (!known)
		return fail(k, "the policy has no parameter '%s'", name);
	if (!v)
		return fail(k, "parameter '%s' has no value and no default", name);
	return v;
}

struct collect {
	cJSON *array;
	const cJSON *single;
	size_t n;
};

static bool collect_fn(void *ctx, const cJSON *value, const cJSON *const *chain, size_t depth)
{
	(void)chain;
	(void)depth;
	struct collect *col = ctx;
	if (value)
		cJSON_AddItemToArray(col->array, dup(value));
	col->single = value;
	col->n++;
	return true;
}

static const cJSON *f_field(struct call *k)
{
	const char *name;
	if (!want_strings(k, 1, 1, 1, &name))
		return NULL;
	struct ev_field f;
	const char *err;
	if (!ev_field_parse(k->c->scratch, k->c->ep, name, &f, &err))
		return fail(k, "%s", err);
	struct collect col = { new_array(), NULL, 0 };
	ectx_keep(k->c, col.array);
	bool empty_missing = false;
	ev_field_select(k->c, k->c->if_resource, &f, collect_fn, &col, &empty_missing);
	if (f.kind == EV_FIELD_PATH && f.path.wildcards > 0)
		return col.array;
	/* The documentation: field() of a missing property gives "". */
	return col.single ? col.single : mk_str(k->c, "");
}

static const cJSON *f_current(struct call *k)
{
	if (!want_args(k, 0, 1))
		return NULL;
	struct ev_binding *b = k->c->bindings;
	if (!b)
		return fail(k, "used outside a count's 'where'");
	if (k->argc == 0)
		return b->value;
	const char *name = arg_str(k, 0);
	if (!name)
		return NULL;
	for (; b; b = b->up)
		if (b->name && evalue_str_ieq(b->name, name))
			return b->value;
	/* A field count: current('<array alias>') or current('<alias of a member property>'). */
	struct ev_field f;
	const char *err;
	if (!ev_field_parse(k->c->scratch, k->c->ep, name, &f, &err))
		return fail(k, "no count iterates '%s'", name);
	for (b = k->c->bindings; b; b = b->up) {
		if (!b->prefix || !epath_prefix_equal(b->prefix, &f.path, b->prefix_len))
			continue;
		if (f.path.count == b->prefix_len)
			return b->value;
		struct epath rest = { f.path.segs + b->prefix_len, f.path.count - b->prefix_len, 0 };
		const cJSON *v = epath_get(&rest, b->value);
		return v ? v : mk_str(k->c, "");
	}
	return fail(k, "no count iterates '%s'", name);
}

static const cJSON *f_concat(struct call *k)
{
	if (k->argc == 0)
		return mk_str(k->c, "");
	if (cJSON_IsArray(k->argv[0])) {
		cJSON *out = new_array();
		ectx_keep(k->c, out);
		for (size_t i = 0; i < k->argc; i++) {
			if (!cJSON_IsArray(k->argv[i]))
				return fail(k, "mixes arrays and other values");
			for (const cJSON *e = k->argv[i]->child; e; e = e->next)
				cJSON_AddItemToArray(out, dup(e));
		}
		return out;
	}
	struct sb s = SB_INIT;
	char buf[64];
	for (size_t i = 0; i < k->argc; i++) {
		const cJSON *a = k->argv[i];
		const char *t = evalue_scalar_text(a, buf, sizeof buf);
		if (!t && cJSON_IsNull(a))
			t = "";
		if (!t) {
			sb_release(&s);
			return fail(k, "cannot join an array or object into a string");
		}
		sb_adds(&s, t);
	}
	return mk_sb(k->c, &s);
}

static bool want_bool(struct call *k, size_t i, bool *out)
{
	const cJSON *v = k->argv[i];
	if (cJSON_IsBool(v)) {
		*out = cJSON_IsTrue(v);
		return true;
	}
	if (cJSON_IsString(v) && (evalue_str_ieq(v->valuestring, "true") ||
				  evalue_str_ieq(v->valuestring, "false"))) {
		*out = evalue_str_ieq(v->valuestring, "true");
		return true;
	}
	char what[32];
	snprintf(what, sizeof what, "%zu", i + 1);
	fail(k, "argument %s must be a boolean", what);
	return false;
}

static const cJSON *f_and(struct call *k)
{
	if (!want_args(k, 1, 128))
		return NULL;
	bool all = true, b;
	for (size_t i = 0; i < k->argc; i++) {
		if (!want_bool(k, i, &b))
			return NULL;
		all = all && b;
	}
	return mk_bool(k->c, all);
}

static const cJSON *f_or(struct call *k)
{
	if (!want_args(k, 1, 128))
		return NULL;
	bool any = false, b;
	for (size_t i = 0; i < k->argc; i++) {
		if (!want_bool(k, i, &b))
			return NULL;
		any = any || b;
	}
	return mk_bool(k->c, any);
}

static const cJSON *f_not(struct call *k)
{
	bool b;
	if (!want_args(k, 1, 1) || !want_bool(k, 0, &b))
		return NULL;
	return mk_bool(k->c, !b);
}

static const cJSON *f_true(struct call *k)
{
	return want_args(k, 0, 0) ? mk_bool(k->c, true) : NULL;
}

static const cJSON *f_false(struct call *k)
{
	return want_args(k, 0, 0) ? mk_bool(k->c, false) : NULL;
}

static const cJSON *f_null(struct call *k)
{
	if (!want_args(k, 0, 0))
		return NULL;
	cJSON *v = cJSON_CreateNull();
	if (!v)
		die_oom();
	return ectx_keep(k->c, v);
}

/* ARM's equals(): exact for strings (case matters), deep for containers. */
static const cJSON *f_equals(struct call *k)
{
	if (!want_args(k, 2, 2))
		return NULL;
	return mk_bool(k->c, cJSON_Compare(k->argv[0], k->argv[1], true));
}

static const cJSON *order(struct call *k, int want_lo, int want_hi)
{
	if (!want_args(k, 2, 2))
		return NULL;
	const cJSON *a = k->argv[0], *b = k->argv[1];
	int cmp;
	if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
		cmp = a->valuedouble < b->valuedouble ? -1 : a->valuedouble > b->valuedouble;
	else if (cJSON_IsString(a) && cJSON_IsString(b)) {
		int r = strcmp(a->valuestring, b->valuestring);
		cmp = r < 0 ? -1 : r > 0;
	} else
		return fail(k, "compares two integers or two strings");
	return mk_bool(k->c, cmp >= want_lo && cmp <= want_hi);
}

static const cJSON *f_less(struct call *k) { return order(k, -1, -1); }
static const cJSON *f_less_eq(struct call *k) { return order(k, -1, 0); }
static const cJSON *f_greater(struct call *k) { return order(k, 1, 1); }
static const cJSON *f_greater_eq(struct call *k) { return order(k, 0, 1); }

static const cJSON *f_empty(struct call *k)
{
	if (!want_args(k, 1, 1))
		return NULL;
	const cJSON *v = k->argv[0];
	bool e = cJSON_IsNull(v) || (cJSON_IsString(v) && !*v->valuestring) ||
		 ((cJSON_IsArray(v) || cJSON_IsObject(v)) && !v->child);
	return mk_bool(k->c, e);
}

static const cJSON *f_length(struct call *k)
{
	if (!want_args(k, 1, 1))
		return NULL;
	const cJSON *v = k->argv[0];
	if (cJSON_IsString(v))
		return mk_num(k->c, (double)strlen(v->valuestring));
	if (cJSON_IsArray(v) || cJSON_IsObject(v))
		return mk_num(k->c, (double)cJSON_GetArraySize(v));
	return fail(k, "takes a string, an array or an object");
}

static const cJSON *f_first(struct call *k)
{
	if (!want_args(k, 1, 1))
		return NULL;
	const cJSON *v = k->argv[0];
	if (cJSON_IsString(v))
		return mk_strn(k->c, v->valuestring, *v->valuestring ? 1 : 0);
	if (cJSON_IsArray(v)) {
		if (!v->child)
			return f_null(&(struct call){ .c = k->c, .name = k->name });
		return v->child;
	}
	return fail(k, "takes a string or an array");
}

static const cJSON *f_last(struct call *k)
{
	if (!want_args(k, 1, 1))
		return NULL;
	const cJSON *v = k->argv[0];
	if (cJSON_IsString(v)) {
		size_t n = strlen(v->valuestring);
		return mk_strn(k->c, v->valuestring + (n ? n - 1 : 0), n ? 1 : 0);
	}
	if (cJSON_IsArray(v)) {
		const cJSON *e = v->child;
		if (!e)
			return f_null(&(struct call){ .c = k->c, .name = k->name });
		while (e->next)
			e = e->next;
		return e;
	}
	return fail(k, "takes a string or an array");
}

static const cJSON *skip_take(struct call *k, bool skip)
{
	long long n;
	if (!want_args(k, 2, 2) || !arg_int(k, 1, &n))
		return NULL;
	const cJSON *v = k->argv[0];
	if (n < 0)
		n = 0;
	if (cJSON_IsString(v)) {
		size_t len = strlen(v->valuestring), m = (size_t)n < len ? (size_t)n : len;
		return skip ? mk_str(k->c, v->valuestring + m) : mk_strn(k->c, v->valuestring, m);
	}
	if (!cJSON_IsArray(v))
		return fail(k, "takes a string or an array");
	cJSON *out = new_array();
	ectx_keep(k->c, out);
	long long i = 0;
	for (const cJSON *e = v->child; e; e = e->next, i++)
		if (skip ? i >= n : i < n)
			cJSON_AddItemToArray(out, dup(e));
	return out;
}

static const cJSON *f_skip(struct call *k) { return skip_take(k, true); }
static const cJSON *f_take(struct call *k) { return skip_take(k, false); }

static const cJSON *f_contains(struct call *k)
{
	if (!want_args(k, 2, 2))
		return NULL;
	const cJSON *v = k->argv[0], *x = k->argv[1];
	char buf[64];
	if (cJSON_IsString(v)) {
		const char *t = evalue_scalar_text(x, buf, sizeof buf);
		return mk_bool(k->c, t && strstr(v->valuestring, t) != NULL);
	}
	if (cJSON_IsArray(v)) {
		for (const cJSON *e = v->child; e; e = e->next)
			if (cJSON_Compare(e, x, true))
				return mk_bool(k->c, true);
		return mk_bool(k->c, false);
	}
	if (cJSON_IsObject(v)) {
		const char *t = evalue_scalar_text(x, buf, sizeof buf);
		return mk_bool(k->c, t && cJSON_GetObjectItemCaseSensitive(v, t) != NULL);
	}
	return fail(k, "takes a string, an array or an object");
}

static bool in_array(const cJSON *a, const cJSON *x)
{
	for (const cJSON *e = a->child; e; e = e->next)
		if (cJSON_Compare(e, x, true))
			return true;
	return false;
}

static const cJSON *set_op(struct call *k, bool intersect)
{
	if (!want_args(k, 1, 128))
		return NULL;
	bool arrays = cJSON_IsArray(k->argv[0]);
	for (size_t i = 0; i < k->argc; i++)
		if (arrays ? !cJSON_IsArray(k->argv[i]) : !cJSON_IsObject(k->argv[i]))
			return fail(k, "takes arrays or objects, all of one kind");
	cJSON *out = arrays ? new_array() : new_object();
	ectx_keep(k->c, out);
	if (arrays) {
		for (size_t i = 0; i < (intersect ? 1 : k->argc); i++)
			for (const cJSON *e = k->argv[i]->child; e; e = e->next) {
				if (in_array(out, e))
					continue;
				bool everywhere = true;
				for (size_t j = 1; intersect && j < k->argc; j++)
					everywhere = everywhere && in_array(k->argv[j], e);
				if (everywhere)
					cJSON_AddItemToArray(out, dup(e));
			}
		return out;
	}
	for (size_t i = 0; i < (intersect ? 1 : k->argc); i++)
		for (const cJSON *m = k->argv[i]->child; m; m = m->next) {
			bool everywhere = true;
			for (size_t j = 1; intersect && j < k->argc; j++) {
				const cJSON *o = cJSON_GetObjectItemCaseSensitive(k->argv[j], m->string);
				everywhere = everywhere && o && cJSON_Compare(o, m, true);
			}
			if (!everywhere)
				continue;
			cJSON_DeleteItemFromObjectCaseSensitive(out, m->string);
			cJSON_AddItemToObject(out, m->string, dup(m));
		}
	return out;
}

static const cJSON *f_intersection(struct call *k) { return set_op(k, true); }
static const cJSON *f_union(struct call *k) { return set_op(k, false); }

static const cJSON *f_create_array(struct call *k)
{
	cJSON *out = new_array();
	ectx_keep(k->c, out);
	for (size_t i = 0; i < k->argc; i++)
		cJSON_AddItemToArray(out, dup(k->argv[i]));
	return out;
}

static const cJSON *f_create_object(struct call *k)
{
	if (k->argc % 2)
		return fail(k, "takes key and value pairs");
	cJSON *out = new_object();
	ectx_keep(k->c, out);
	for (size_t i = 0; i < k->argc; i += 2) {
		const char *key = arg_str(k, i);
		if (!key)
			return NULL;
		cJSON_AddItemToObject(out, key, dup(k->argv[i + 1]));
	}
	return out;
}

static const cJSON *f_array(struct call *k)
{
	if (!want_args(k, 1, 1))
		return NULL;
	if (cJSON_IsArray(k->argv[0]))
		return k->argv[0];
	return f_create_array(k);
}

static const cJSON *f_split(struct call *k)
{
	const char *s;
	if (!want_strings(k, 2, 2, 1, &s))
		return NULL;
	const cJSON *d = k->argv[1];
	cJSON *out = new_array();
	ectx_keep(k->c, out);
	const char *start = s;
	for (const char *p = s;; p++) {
		size_t hit = 0;
		if (*p) {
			if (cJSON_IsString(d)) {
				size_t n = strlen(d->valuestring);
				if (n && strncmp(p, d->valuestring, n) == 0)
					hit = n;
			} else if (cJSON_IsArray(d)) {
				for (const cJSON *e = d->child; e && !hit; e = e->next)
					if (cJSON_IsString(e) && *e->valuestring &&
					    strncmp(p, e->valuestring, strlen(e->valuestring)) == 0)
						hit = strlen(e->valuestring);
			} else {
				return fail(k, "the delimiter must be a string or an array");
			}
		}
		if (hit || !*p) {
			char *part = arena_strndup(k->c->scratch, start, (size_t)(p - start));
			cJSON *ps = cJSON_CreateString(part);
			if (!ps)
				die_oom();
			cJSON_AddItemToArray(out, ps);
			if (!*p)
				break;
			p += hit - 1;
			start = p + 1;
		}
	}
	return out;
}

static const cJSON *f_replace(struct call *k)
{
	const char *str[3];
	if (!want_strings(k, 3, 3, 3, str))
		return NULL;
	const char *s = str[0], *from = str[1], *to = str[2];
	size_t n = strlen(from);
	if (n == 0)
		return k->argv[0];
	struct sb out = SB_INIT;
	for (const char *p = s; *p;) {
		if (strncmp(p, from, n) == 0) {
			sb_adds(&out, to);
			p += n;
		} else {
			sb_addch(&out, *p++);
		}
	}
	return mk_sb(k->c, &out);
}

static const cJSON *change_case(struct call *k, int (*f)(int))
{
	const char *s;
	if (!want_strings(k, 1, 1, 1, &s))
		return NULL;
	char *t = arena_strdup(k->c->scratch, s);
	for (char *p = t; *p; p++)
		*p = (char)f((unsigned char)*p);
	return mk_str(k->c, t);
}

static const cJSON *f_to_lower(struct call *k) { return change_case(k, tolower); }
static const cJSON *f_to_upper(struct call *k) { return change_case(k, toupper); }

static const cJSON *f_trim(struct call *k)
{
	const char *s;
	if (!want_strings(k, 1, 1, 1, &s))
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return mk_strn(k->c, s, n);
}

static const cJSON *f_substring(struct call *k)
{
	long long start, len = -1;
	const char *s;
	if (!want_strings(k, 2, 3, 1, &s) || !arg_int(k, 1, &start) ||
	    (k->argc == 3 && !arg_int(k, 2, &len)))
		return NULL;
	long long n = (long long)strlen(s);
	if (len < 0 && k->argc == 2)
		len = n - start;
	if (start < 0 || len < 0 || start > n || start + len > n)
		return fail(k, "the start index and length fall outside the string");
	return mk_strn(k->c, s + start, (size_t)len);
}

static const cJSON *affix(struct call *k, bool starts)
{
	const char *str[2];
	if (!want_strings(k, 2, 2, 2, str))
		return NULL;
	const char *s = str[0], *t = str[1];
	size_t n = strlen(s), m = strlen(t);
	if (m > n)
		return mk_bool(k->c, false);
	return mk_bool(k->c, strncasecmp(starts ? s : s + n - m, t, m) == 0);
}

static const cJSON *f_starts_with(struct call *k) { return affix(k, true); }
static const cJSON *f_ends_with(struct call *k) { return affix(k, false); }

static const cJSON *index_of(struct call *k, bool last)
{
	const char *str[2];
	if (!want_strings(k, 2, 2, 2, str))
		return NULL;
	const char *s = str[0], *t = str[1];
	size_t n = strlen(s), m = strlen(t);
	long long at = -1;
	for (size_t i = 0; i + m <= n; i++)
		if (strncasecmp(s + i, t, m) == 0) {
			at = (long long)i;
			if (!last)
				break;
		}
	return mk_num(k->c, (double)at);
}

static const cJSON *f_index_of(struct call *k) { return index_of(k, false); }
static const cJSON *f_last_index_of(struct call *k) { return index_of(k, true); }

static const cJSON *f_string(struct call *k)
{
	if (!want_args(k, 1, 1))
		return NULL;
	const cJSON *v = k->argv[0];
	char buf[64];
	const char *t = evalue_scalar_text(v, buf, sizeof buf);
	if (t)
		return cJSON_IsString(v) ? v : mk_str(k->c, t);
	if (cJSON_IsNull(v))
		return mk_str(k->c, "");
	char *j = cJSON_PrintUnformatted(v);
	if (!j)
		die_oom();
	const cJSON *r = mk_str(k->c, j);
	free(j);
	return r;
}

static const cJSON *f_int(struct call *k)
{
	long long n;
	if (!want_args(k, 1, 1) || !arg_int(k, 0, &n))
		return NULL;
	return mk_num(k->c, (double)n);
}

static const cJSON *f_float(struct call *k)
{
	if (!want_args(k, 1, 1))
		return NULL;
	const cJSON *v = k->argv[0];
	if (cJSON_IsNumber(v))
		return v;
	char *end;
	if (cJSON_IsString(v)) {
		double d = strtod(v->valuestring, &end);
		if (*v->valuestring && !*end)
			return mk_num(k->c, d);
	}
	return fail(k, "takes a number or a string holding one");
}

static const cJSON *f_bool(struct call *k)
{
	if (!want_args(k, 1, 1))
		return NULL;
	const cJSON *v = k->argv[0];
	if (cJSON_IsNumber(v))
		return mk_bool(k->c, v->valuedouble != 0);
	bool b;
	if (!want_bool(k, 0, &b))
		return NULL;
	return mk_bool(k->c, b);
}

static const cJSON *f_json(struct call *k)
{
	const char *s;
	if (!want_strings(k, 1, 1, 1, &s))
		return NULL;
	cJSON *v = cJSON_Parse(s);
	if (!v)
		return fail(k, "the argument is not JSON");
	return ectx_keep(k->c, v);
}

static const cJSON *f_join(struct call *k)
{
	if (!want_args(k, 2, 2))
		return NULL;
	const char *sep = arg_str(k, 1);
	if (!sep)
		return NULL;
	if (!cJSON_IsArray(k->argv[0]))
		return fail(k, "argument 1 must be an array");
	struct sb out = SB_INIT;
	char buf[64];
	for (const cJSON *e = k->argv[0]->child; e; e = e->next) {
		const char *t = evalue_scalar_text(e, buf, sizeof buf);
		if (!t) {
			sb_release(&out);
			return fail(k, "the array holds a value that is not a string");
		}
		if (e != k->argv[0]->child)
			sb_adds(&out, sep);
		sb_adds(&out, t);
	}
	return mk_sb(k->c, &out);
}

static const cJSON *f_format(struct call *k)
{
	const char *f;
	if (!want_strings(k, 1, 128, 1, &f))
		return NULL;
	struct sb out = SB_INIT;
	char buf[64];
	for (const char *p = f; *p; p++) {
		if (p[0] == '{' && p[1] == '{') {
			sb_addch(&out, '{');
			p++;
		} else if (p[0] == '}' && p[1] == '}') {
			sb_addch(&out, '}');
			p++;
		} else if (*p == '{' && isdigit((unsigned char)p[1])) {
			char *end;
			unsigned long i = strtoul(p + 1, &end, 10);
			if (*end != '}' || i + 1 >= k->argc) {
				sb_release(&out);
				return fail(k, "a placeholder names no argument");
			}
			const char *t = evalue_scalar_text(k->argv[i + 1], buf, sizeof buf);
			sb_adds(&out, t ? t : "");
			p = end;
		} else {
			sb_addch(&out, *p);
		}
	}
	return mk_sb(k->c, &out);
}

static const cJSON *f_pad_left(struct call *k)
{
	long long width;
	if (!want_args(k, 2, 3) || !arg_int(k, 1, &width))
		return NULL;
	char buf[64];
	const char *s = evalue_scalar_text(k->argv[0], buf, sizeof buf);
	const char *pad = k->argc == 3 ? arg_str(k, 2) : " ";
	if (!s || !pad || strlen(pad) != 1 || width > 16384)
		return fail(k, "takes a value, a width and one padding character");
	size_t n = strlen(s);
	struct sb out = SB_INIT;
	if ((long long)n < width)
		sb_addchars(&out, pad[0], (size_t)width - n);
	sb_adds(&out, s);
	return mk_sb(k->c, &out);
}

static const cJSON *f_coalesce(struct call *k)
{
	for (size_t i = 0; i < k->argc; i++)
		if (!cJSON_IsNull(k->argv[i]))
			return k->argv[i];
	return f_null(&(struct call){ .c = k->c, .name = k->name });
}

static const cJSON *f_try_get(struct call *k)
{
	if (!want_args(k, 2, 128))
		return NULL;
	const cJSON *v = k->argv[0];
	char buf[64];
	for (size_t i = 1; i < k->argc && v; i++) {
		const cJSON *key = k->argv[i];
		if (cJSON_IsArray(v) && cJSON_IsNumber(key))
			v = key->valuedouble >= 0 ? cJSON_GetArrayItem(v, (int)key->valuedouble) : NULL;
		else if (cJSON_IsObject(v)) {
			const char *t = evalue_scalar_text(key, buf, sizeof buf);
			v = t ? evalue_member(v, t) : NULL;
		} else
			v = NULL;
	}
	return v ? v : f_null(&(struct call){ .c = k->c, .name = k->name });
}

static const cJSON *minmax(struct call *k, bool want_max)
{
	if (!want_args(k, 1, 128))
		return NULL;
	const cJSON *const *items = k->argv;
	size_t n = k->argc;
	const cJSON *one[1];
	(void)one;
	double best = 0;
	bool have = false;
	for (size_t i = 0; i < n; i++) {
		const cJSON *v = items[i];
		const cJSON *e = cJSON_IsArray(v) ? v->child : v;
		for (; e; e = cJSON_IsArray(v) ? e->next : NULL) {
			if (!cJSON_IsNumber(e))
				return fail(k, "takes integers or arrays of integers");
			if (!have || (want_max ? e->valuedouble > best : e->valuedouble < best))
				best = e->valuedouble;
			have = true;
		}
	}
	if (!have)
		return fail(k, "has nothing to compare");
	return mk_num(k->c, best);
}

static const cJSON *f_min(struct call *k) { return minmax(k, false); }
static const cJSON *f_max(struct call *k) { return minmax(k, true); }

static const cJSON *arith(struct call *k, char op)
{
	long long a, b;
	if (!want_args(k, 2, 2) || !arg_int(k, 0, &a) || !arg_int(k, 1, &b))
		return NULL;
	if ((op == '/' || op == '%') && b == 0)
		return fail(k, "divides by zero");
	double r = op == '+' ? (double)a + (double)b
		   : op == '-' ? (double)a - (double)b
		   : op == '*' ? (double)a * (double)b
		   : op == '/' ? (double)(a / b)
			       : (double)(a % b);
	return mk_num(k->c, r);
}

static const cJSON *f_add(struct call *k) { return arith(k, '+'); }
static const cJSON *f_sub(struct call *k) { return arith(k, '-'); }
static const cJSON *f_mul(struct call *k) { return arith(k, '*'); }
static const cJSON *f_div(struct call *k) { return arith(k, '/'); }
static const cJSON *f_mod(struct call *k) { return arith(k, '%'); }

static const cJSON *f_range(struct call *k)
{
	long long start, count;
	if (!want_args(k, 2, 2) || !arg_int(k, 0, &start) || !arg_int(k, 1, &count))
		return NULL;
	if (count < 0 || count > 10000)
		return fail(k, "the count must be between 0 and 10000");
	cJSON *out = new_array();
	ectx_keep(k->c, out);
	for (long long i = 0; i < count; i++) {
		cJSON *n = cJSON_CreateNumber((double)(start + i));
		if (!n)
			die_oom();
		cJSON_AddItemToArray(out, n);
	}
	return out;
}

/* ---- dates ---- */

static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

static bool digits(const char *s, int n, long *out)
{
	long v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool efunc_parse_datetime(const char *s, long long *days, long *secs, long *ticks)
{
	long y, mo, d, h = 0, mi = 0, se = 0, t = 0;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	const char *p = s + 10;
	long offset = 0;
	if (*p == 'T' || *p == ' ') {
		if (!digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi))
			return false;
		p += 6;
		if (*p == ':') {
			if (!digits(p + 1, 2, &se))
				return false;
			p += 3;
		}
		if (*p == '.') {
			int n = 0;
			p++;
			while (isdigit((unsigned char)*p)) {
				if (n < 7)
					t = t * 10 + (*p - '0');
				n++;
				p++;
			}
			for (; n < 7; n++)
				t *= 10;
		}
		if (*p == 'Z' || *p == 'z')
			p++;
		else if (*p == '+' || *p == '-') {
			long oh, om;
			if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om))
				return false;
			offset = (oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
			p += 6;
		}
	}
	if (*p || h > 23 || mi > 59 || se > 60)
		return false;
	long long total = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
			  mi * 60 + se - offset;
	*days = total >= 0 ? total / 86400 : -((-total + 86399) / 86400);
	*secs = (long)(total - *days * 86400);
	*ticks = t;
	return true;
}

void efunc_format_datetime(char *buf, size_t size, long long days, long secs, long ticks)
{
	long long y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, size, "%04lld-%02u-%02uT%02ld:%02ld:%02ld.%07ldZ", y, m, d, secs / 3600,
		 secs / 60 % 60, secs % 60, ticks);
}

static const cJSON *f_utc_now(struct call *k)
{
	if (!want_args(k, 0, 1))
		return NULL;
	return mk_str(k->c, k->c->now);
}

static const cJSON *f_add_days(struct call *k)
{
	long long n, days;
	long secs, ticks;
	const char *s;
	if (!want_strings(k, 2, 2, 1, &s) || !arg_int(k, 1, &n))
		return NULL;
	if (!efunc_parse_datetime(s, &days, &secs, &ticks))
		return fail(k, "'%s' is not an ISO 8601 date-time", s);
	char buf[48];
	efunc_format_datetime(buf, sizeof buf, days + n, secs, ticks);
	return mk_str(k->c, buf);
}

/* ---- context functions ---- */

static const char *id_part(struct ev_ctx *c, const char *after)
{
	const cJSON *id = evalue_member(c->if_resource, "id");
	if (!cJSON_IsString(id))
		return "";
	size_t n = strlen(after);
	for (const char *p = id->valuestring; *p; p++)
		if (strncasecmp(p, after, n) == 0) {
			const char *s = p + n, *e = strchr(s, '/');
			return arena_strndup(c->scratch, s, e ? (size_t)(e - s) : strlen(s));
		}
	return "";
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (!cJSON_AddStringToObject(o, k, v))
		die_oom();
}

static const cJSON *f_resource_group(struct call *k)
{
	if (!want_args(k, 0, 0))
		return NULL;
	cJSON *o = new_object();
	ectx_keep(k->c, o);
	const char *sub = id_part(k->c, "/subscriptions/");
	const char *rg = id_part(k->c, "/resourceGroups/");
	add_str(o, "id", arena_printf(k->c->scratch, "/subscriptions/%s/resourceGroups/%s", sub, rg));
	add_str(o, "name", rg);
	add_str(o, "type", "Microsoft.Resources/resourceGroups");
	const cJSON *loc = evalue_member(k->c->if_resource, "location");
	add_str(o, "location", cJSON_IsString(loc) ? loc->valuestring : "");
	add_str(o, "managedBy", "");
	cJSON_AddItemToObject(o, "tags", new_object());
	cJSON_AddItemToObject(o, "properties", new_object());
	return o;
}

static const cJSON *f_subscription(struct call *k)
{
	if (!want_args(k, 0, 0))
		return NULL;
	cJSON *o = new_object();
	ectx_keep(k->c, o);
	const char *sub = id_part(k->c, "/subscriptions/");
	add_str(o, "id", arena_printf(k->c->scratch, "/subscriptions/%s", sub));
	add_str(o, "subscriptionId", sub);
	add_str(o, "tenantId", "");
	add_str(o, "displayName", "");
	cJSON_AddItemToObject(o, "tags", new_object());
	return o;
}

static const cJSON *f_policy(struct call *k)
{
	if (!want_args(k, 0, 0))
		return NULL;
	cJSON *o = new_object();
	ectx_keep(k->c, o);
	add_str(o, "assignmentId", "");
	add_str(o, "definitionId", "");
	add_str(o, "setDefinitionId", "");
	add_str(o, "definitionReferenceId", "");
	return o;
}

static const cJSON *f_request_context(struct call *k)
{
	if (!want_args(k, 0, 0))
		return NULL;
	cJSON *o = new_object();
	ectx_keep(k->c, o);
	add_str(o, "apiVersion", k->c->api_version);
	/* Offline there is no caller: its claims are empty. */
	cJSON *id = new_object();
	add_str(id, "idtyp", "");
	add_str(id, "appid", "");
	add_str(id, "acrs", "");
	cJSON_AddItemToObject(o, "identity", id);
	return o;
}

/* ---- ipRangeContains ---- */

struct ip_range {
	unsigned char lo[16], hi[16];
	int family;
};

static bool parse_ip(const char *s, unsigned char out[16], int *family)
{
	struct in_addr v4;
	if (inet_pton(AF_INET, s, &v4) == 1) {
		memset(out, 0, 16);
		memcpy(out + 12, &v4, 4);
		*family = 4;
		return true;
	}
	if (inet_pton(AF_INET6, s, out) == 1) {
		*family = 6;
		return true;
	}
	return false;
}

static bool parse_range(const char *s, struct ip_range *r)
{
	char buf[128];
	if (strlen(s) >= sizeof buf)
		return false;
	strcpy(buf, s);
	char *dash = strchr(buf, '-'), *slash = strchr(buf, '/');
	int f2;
	if (dash) {
		*dash = '\0';
		return parse_ip(buf, r->lo, &r->family) && parse_ip(dash + 1, r->hi, &f2) &&
		       f2 == r->family && memcmp(r->lo, r->hi, 16) <= 0;
	}
	long bits = -1;
	if (slash) {
		*slash = '\0';
		char *end;
		bits = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end)
			return false;
	}
	if (!parse_ip(buf, r->lo, &r->family))
		return false;
	memcpy(r->hi, r->lo, 16);
	if (bits < 0)
		return true;
	long width = r->family == 4 ? 32 : 128;
	if (bits > width)
		return false;
	long keep = 128 - width + bits;
	for (long i = keep; i < 128; i++) {
		r->lo[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
		r->hi[i / 8] |= (unsigned char)(0x80u >> (i % 8));
	}
	return true;
}

bool efunc_ip_range_contains(const char *range, const char *target, const char **err)
{
	struct ip_range r, t;
	*err = NULL;
	if (!parse_range(range, &r)) {
		*err = "the range is not an IP address, a CIDR block or an 'a-b' range";
		return false;
	}
	if (!parse_range(target, &t)) {
		*err = "the target is not an IP address, a CIDR block or an 'a-b' range";
		return false;
	}
	if (r.family != t.family) {
		*err = "the range and the target are of different address families";
		return false;
	}
	return memcmp(t.lo, r.lo, 16) >= 0 && memcmp(t.hi, r.hi, 16) <= 0;
}

static const cJSON *f_ip_range_contains(struct call *k)
{
	const char *str[2];
	if (!want_strings(k, 2, 2, 2, str))
		return NULL;
	const char *r = str[0], *t = str[1];
	const char *err;
	bool in = efunc_ip_range_contains(r, t, &err);
	if (err)
		return fail(k, "%s", err);
	return mk_bool(k->c, in);
}

/* ---- the table ---- */

struct fn_entry {
	const char *name;
	fn_impl impl;
};

static const struct fn_entry table[] = {
	{ "add", f_add },
	{ "addDays", f_add_days },
	{ "and", f_and },
	{ "array", f_array },
	{ "bool", f_bool },
	{ "coalesce", f_coalesce },
	{ "concat", f_concat },
	{ "contains", f_contains },
	{ "createArray", f_create_array },
	{ "createObject", f_create_object },
	{ "current", f_current },
	{ "div", f_div },
	{ "empty", f_empty },
	{ "endsWith", f_ends_with },
	{ "equals", f_equals },
	{ "false", f_false },
	{ "field", f_field },
	{ "first", f_first },
	{ "float", f_float },
	{ "format", f_format },
	{ "greater", f_greater },
	{ "greaterOrEquals", f_greater_eq },
	{ "if", NULL }, /* lazy: handled in efunc_eval */
	{ "indexOf", f_index_of },
	{ "int", f_int },
	{ "intersection", f_intersection },
	{ "ipRangeContains", f_ip_range_contains },
	{ "join", f_join },
	{ "json", f_json },
	{ "last", f_last },
	{ "lastIndexOf", f_last_index_of },
	{ "length", f_length },
	{ "less", f_less },
	{ "lessOrEquals", f_less_eq },
	{ "max", f_max },
	{ "min", f_min },
	{ "mod", f_mod },
	{ "mul", f_mul },
	{ "not", f_not },
	{ "null", f_null },
	{ "or", f_or },
	{ "padLeft", f_pad_left },
	{ "parameters", f_parameters },
	{ "policy", f_policy },
	{ "range", f_range },
	{ "replace", f_replace },
	{ "requestContext", f_request_context },
	{ "resourceGroup", f_resource_group },
	{ "skip", f_skip },
	{ "split", f_split },
	{ "startsWith", f_starts_with },
	{ "string", f_string },
	{ "sub", f_sub },
	{ "subscription", f_subscription },
	{ "substring", f_substring },
	{ "take", f_take },
	{ "toLower", f_to_lower },
	{ "toUpper", f_to_upper },
	{ "trim", f_trim },
	{ "true", f_true },
	{ "tryGet", f_try_get },
	{ "union", f_union },
	{ "utcNow", f_utc_now },
};
#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

static const struct fn_entry *lookup(const char *name)
{
	size_t lo = 0, hi = TABLE_SIZE;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcasecmp(name, table[mid].name);
		if (c == 0)
			return &table[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

bool efunc_known(const char *name)
{
	return lookup(name) != NULL;
}

const char *const *efunc_names(size_t *count)
{
	static const char *names[TABLE_SIZE];
	for (size_t i = 0; i < TABLE_SIZE; i++)
		names[i] = table[i].name;
	*count = TABLE_SIZE;
	return names;
}

/* Functions Azure Policy itself never evaluates (ARM deployment functions). */
static const char *const template_only[] = {
	"copyIndex",  "dateTimeAdd", "dateTimeFromEpoch", "dateTimeToEpoch", "deployment",
	"environment", "extensionResourceId", "guid", "listKeys", "listSecrets",
	"managementGroup", "newGuid", "pickZones", "providers", "reference", "resourceId",
	"subscriptionResourceId", "tenant", "tenantResourceId", "uniqueString", "variables",
};

static const cJSON *call_fn(struct ev_ctx *c, const struct armexpr *e, const char *text)
{
	const char *name = e->u.call.name;
	const struct fn_entry *fe = lookup(name);
	if (!fe) {
		for (size_t i = 0; i < sizeof(template_only) / sizeof(template_only[0]); i++)
			if (strcasecmp(name, template_only[i]) == 0) {
				ectx_fail(c, "unsupported function '%s': Azure Policy does not "
					  "evaluate it outside a deployment template", name);
				return NULL;
			}
		ectx_fail(c, "unsupported function '%s'", name);
		return NULL;
	}
	struct call k = { .c = c, .name = fe->name, .node = e, .text = text };
	if (!fe->impl) { /* if(condition, then, else): only the branch taken is evaluated */
		if (e->u.call.argc != 3) {
			ectx_fail(c, "if(): takes 3 arguments");
			return NULL;
		}
		const cJSON *cond = efunc_eval(c, e->u.call.args, text);
		if (!cond)
			return NULL;
		k.argv[0] = cond;
		k.argc = 1;
		bool b;
		if (!want_bool(&k, 0, &b))
			return NULL;
		const struct armexpr *branch = e->u.call.args->next;
		return efunc_eval(c, b ? branch : branch->next, text);
	}
	for (const struct armexpr *a = e->u.call.args; a; a = a->next) {
		if (k.argc == sizeof(k.argv) / sizeof(k.argv[0])) {
			ectx_fail(c, "%s(): more than 128 arguments", fe->name);
			return NULL;
		}
		const cJSON *v = efunc_eval(c, a, text);
		if (!v)
			return NULL;
		k.argv[k.argc++] = v;
	}
	return fe->impl(&k);
}

const cJSON *efunc_eval(struct ev_ctx *c, const struct armexpr *e, const char *text)
{
	if (c->error)
		return NULL;
	switch (e->kind) {
	case ARMEXPR_STRING:
		return mk_strn(c, e->u.string.s, e->u.string.len);
	case ARMEXPR_NUMBER:
		return mk_num(c, (double)e->u.number.value);
	case ARMEXPR_CALL:
		return call_fn(c, e, text);
	case ARMEXPR_PROPERTY: {
		const cJSON *o = efunc_eval(c, e->u.property.object, text);
		if (!o)
			return NULL;
		const cJSON *v = cJSON_IsObject(o) ? evalue_member(o, e->u.property.name) : NULL;
		if (!v) {
			ectx_fail(c, "the value has no property '%s'", e->u.property.name);
			return NULL;
		}
		return v;
	}
	case ARMEXPR_INDEX: {
		const cJSON *o = efunc_eval(c, e->u.index.object, text);
		const cJSON *i = o ? efunc_eval(c, e->u.index.index, text) : NULL;
		if (!i)
			return NULL;
		const cJSON *v = NULL;
		char buf[64];
		if (cJSON_IsArray(o) && cJSON_IsNumber(i)) {
			if (i->valuedouble >= 0 && i->valuedouble < (double)cJSON_GetArraySize(o))
				v = cJSON_GetArrayItem(o, (int)i->valuedouble);
		} else if (cJSON_IsObject(o)) {
			const char *key = evalue_scalar_text(i, buf, sizeof buf);
			v = key ? evalue_member(o, key) : NULL;
		}
		if (!v) {
			ectx_fail(c, "index out of range or no such property");
			return NULL;
		}
		return v;
	}
	}
	return NULL;
}
