#include "pacc/evalue.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static unsigned char ascii_fold(unsigned char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch + ('a' - 'A')) : ch;
}

/* The hottest lookup of a bulk run: one pass over the members, a name
 * compared only when its first letter matches; an exact match anywhere wins
 * over an earlier one that differs in case (Azure compares names ignoring
 * case, and most policies spell them as the resource does). */
const cJSON *evalue_member(const cJSON *o, const char *key)
{
	if (!o || (o->type & 0xFF) != cJSON_Object)
		return NULL;
	unsigned char first = (unsigned char)key[0], folded_first = ascii_fold(first);
	const cJSON *folded = NULL;
	for (const cJSON *m = o->child; m; m = m->next) {
		const unsigned char *name = (const unsigned char *)m->string;
		if (!name)
			continue;
		if (name[0] == first && strcmp((const char *)name, key) == 0)
			return m;
		if (!folded && ascii_fold(name[0]) == folded_first &&
		    strcasecmp((const char *)name, key) == 0)
			folded = m;
	}
	return folded;
}

bool evalue_str_ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

/* A string that is a whole JSON-style number. */
static bool str_number(const char *s, double *out)
{
	if (!*s || isspace((unsigned char)*s))
		return false;
	char *end;
	double v = strtod(s, &end);
	if (*end != '\0' || !isfinite(v))
		return false;
	*out = v;
	return true;
}

static bool str_bool(const char *s, bool *out)
{
	if (strcasecmp(s, "true") == 0) {
		*out = true;
		return true;
	}
	if (strcasecmp(s, "false") == 0) {
		*out = false;
		return true;
	}
	return false;
}

bool evalue_truthy(const cJSON *v)
{
	bool b;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	return cJSON_IsString(v) && str_bool(v->valuestring, &b) && b;
}

bool evalue_equals(const cJSON *a, const cJSON *b)
{
	if (!a || !b)
		return (!a && !b) || cJSON_IsNull(a ? a : b);
	if (cJSON_IsNull(a) || cJSON_IsNull(b)) {
		const cJSON *o = cJSON_IsNull(a) ? b : a;
		return cJSON_IsNull(o) || (cJSON_IsString(o) && o->valuestring[0] == '\0');
	}
	if (cJSON_IsString(a) && cJSON_IsString(b))
		return strcasecmp(a->valuestring, b->valuestring) == 0;
	if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
		return a->valuedouble == b->valuedouble;
	if (cJSON_IsBool(a) && cJSON_IsBool(b))
		return cJSON_IsTrue(a) == cJSON_IsTrue(b);
	if (cJSON_IsString(a) || cJSON_IsString(b)) {
		const cJSON *s = cJSON_IsString(a) ? a : b, *o = s == a ? b : a;
		double d;
		bool bv;
		if (cJSON_IsNumber(o))
			return str_number(s->valuestring, &d) && d == o->valuedouble;
		if (cJSON_IsBool(o))
			return str_bool(s->valuestring, &bv) && bv == (bool)cJSON_IsTrue(o);
		return false;
	}
	if (cJSON_IsArray(a) && cJSON_IsArray(b)) {
		const cJSON *x = a->child, *y = b->child;
		for (; x && y; x = x->next, y = y->next)
			if (!evalue_equals(x, y))
				return false;
		return !x && !y;
	}
	if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
		int na = cJSON_GetArraySize(a), nb = cJSON_GetArraySize(b);
		if (na != nb)
			return false;
		for (const cJSON *m = a->child; m; m = m->next) {
			const cJSON *o = evalue_member(b, m->string);
			if (!o || !evalue_equals(m, o))
				return false;
		}
		return true;
	}
	return false;
}

static bool as_number(const cJSON *v, double *out)
{
	if (cJSON_IsNumber(v)) {
		*out = v->valuedouble;
		return true;
	}
	return cJSON_IsString(v) && str_number(v->valuestring, out);
}

bool evalue_order(const cJSON *a, const cJSON *b, int *cmp)
{
	if (!a || !b || cJSON_IsNull(a) || cJSON_IsNull(b))
		return false;
	double x, y;
	if ((cJSON_IsNumber(a) || cJSON_IsNumber(b)) && as_number(a, &x) && as_number(b, &y)) {
		*cmp = x < y ? -1 : x > y ? 1 : 0;
		return true;
	}
	if (cJSON_IsString(a) && cJSON_IsString(b)) {
		int c = strcasecmp(a->valuestring, b->valuestring);
		*cmp = c < 0 ? -1 : c > 0 ? 1 : 0;
		return true;
	}
	if (cJSON_IsBool(a) && cJSON_IsBool(b)) {
		*cmp = (int)cJSON_IsTrue(a) - (int)cJSON_IsTrue(b);
		return true;
	}
	return false;
}

const char *evalue_scalar_text(const cJSON *v, char *buf, size_t size)
{
	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "True" : "False";
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (d == floor(d) && fabs(d) < 1e15)
			snprintf(buf, size, "%.0f", d);
		else
			snprintf(buf, size, "%.17g", d);
		return buf;
	}
	return NULL;
}

static bool like_at(const char *s, const char *p)
{
	/* Iterative glob with one backtrack point: linear in practice. */
	const char *star = NULL, *mark = NULL;
	while (*s) {
		if (*p == '*') {
			star = p++;
			mark = s;
		} else if (*p && tolower((unsigned char)*p) == tolower((unsigned char)*s)) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++mark;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

bool evalue_like(const char *s, const char *pattern)
{
	return like_at(s, pattern);
}

bool evalue_match(const char *s, const char *pattern, bool icase)
{
	for (; *pattern; pattern++, s++) {
		unsigned char c = (unsigned char)*s, p = (unsigned char)*pattern;
		if (!c)
			return false;
		if (p == '#') {
			if (!isdigit(c))
				return false;
		} else if (p == '?') {
			if (!isalpha(c))
				return false;
		} else if (p != '.') {
			if (icase ? tolower(c) != tolower(p) : c != p)
				return false;
		}
	}
	return *s == '\0';
}

static bool contains_value(const cJSON *lhs, const cJSON *rhs)
{
	char b1[64], b2[64];
	if (cJSON_IsArray(lhs)) {
		for (const cJSON *e = lhs->child; e; e = e->next)
			if (evalue_equals(e, rhs))
				return true;
		return false;
	}
	if (cJSON_IsObject(lhs)) {
		const char *k = evalue_scalar_text(rhs, b2, sizeof b2);
		return k && evalue_member(lhs, k) != NULL;
	}
	const char *s = evalue_scalar_text(lhs, b1, sizeof b1);
	const char *t = evalue_scalar_text(rhs, b2, sizeof b2);
	if (!s || !t)
		return false;
	size_t n = strlen(t);
	if (n == 0)
		return true;
	for (; *s; s++)
		if (strncasecmp(s, t, n) == 0)
			return true;
	return false;
}

static bool in_list(const cJSON *lhs, const cJSON *list, const char **note)
{
	if (!cJSON_IsArray(list)) {
		*note = "the operand of 'in' is not an array: no match";
		return false;
	}
	for (const cJSON *e = list->child; e; e = e->next) {
		if (!lhs || cJSON_IsNull(lhs)) {
			if (!lhs && cJSON_IsNull(e))
				return true;
			continue;
		}
		if (cJSON_IsNull(e))
			continue;
		if (evalue_equals(lhs, e))
			return true;
	}
	return false;
}

static const char *const note_missing =
	"the field is missing: only a missing-aware operator (notEquals, notIn, notLike, "
	"notMatch*, notContains*, exists false) holds";

bool evalue_apply(enum ast_op op, const cJSON *lhs, const cJSON *rhs, const char **note)
{
	char b1[64], b2[64];
	int cmp = 0;
	*note = NULL;
	switch (op) {
	case AST_OP_EQUALS:
		return evalue_equals(lhs, rhs);
	case AST_OP_NOT_EQUALS:
		return !evalue_equals(lhs, rhs);
	case AST_OP_IN:
		return in_list(lhs, rhs, note);
	case AST_OP_NOT_IN:
		return !in_list(lhs, rhs, note);
	case AST_OP_LIKE:
	case AST_OP_NOT_LIKE:
	case AST_OP_MATCH:
	case AST_OP_NOT_MATCH:
	case AST_OP_MATCH_INSENSITIVELY:
	case AST_OP_NOT_MATCH_INSENSITIVELY: {
		bool negated = op == AST_OP_NOT_LIKE || op == AST_OP_NOT_MATCH ||
			       op == AST_OP_NOT_MATCH_INSENSITIVELY;
		const char *s = lhs ? evalue_scalar_text(lhs, b1, sizeof b1) : NULL;
		const char *p = evalue_scalar_text(rhs, b2, sizeof b2);
		if (!lhs)
			*note = note_missing;
		if (!s || !p)
			return negated;
		bool m = op == AST_OP_LIKE || op == AST_OP_NOT_LIKE ? evalue_like(s, p)
			 : evalue_match(s, p, op == AST_OP_MATCH_INSENSITIVELY ||
						      op == AST_OP_NOT_MATCH_INSENSITIVELY);
		return negated ? !m : m;
	}
	case AST_OP_CONTAINS:
	case AST_OP_NOT_CONTAINS: {
		if (!lhs) {
			*note = note_missing;
			return op == AST_OP_NOT_CONTAINS;
		}
		bool c = contains_value(lhs, rhs);
		return op == AST_OP_CONTAINS ? c : !c;
	}
	case AST_OP_CONTAINS_KEY:
	case AST_OP_NOT_CONTAINS_KEY: {
		const char *k = evalue_scalar_text(rhs, b2, sizeof b2);
		bool c = cJSON_IsObject(lhs) && k && evalue_member(lhs, k) != NULL;
		if (!lhs)
			*note = note_missing;
		return op == AST_OP_CONTAINS_KEY ? c : !c;
	}
	case AST_OP_LESS:
	case AST_OP_LESS_OR_EQUALS:
	case AST_OP_GREATER:
	case AST_OP_GREATER_OR_EQUALS:
		if (!evalue_order(lhs, rhs, &cmp)) {
			*note = "no ordering between these values (missing, null or different "
				"types): false, as Regorus does; the documentation says the "
				"engine throws";
			return false;
		}
		return op == AST_OP_LESS ? cmp < 0
		       : op == AST_OP_LESS_OR_EQUALS ? cmp <= 0
		       : op == AST_OP_GREATER ? cmp > 0
					      : cmp >= 0;
	case AST_OP_EXISTS: {
		bool want = evalue_truthy(rhs);
		bool there = lhs && !cJSON_IsNull(lhs);
		if (lhs && cJSON_IsNull(lhs))
			*note = "an explicit null counts as not existing";
		return want ? there : !there;
	}
	}
	return false;
}

void evalue_text(struct sb *out, const cJSON *v, size_t max)
{
	if (!v) {
		sb_adds(out, "<missing>");
		return;
	}
	char *s = cJSON_PrintUnformatted(v);
	if (!s) {
		sb_adds(out, "<unprintable>");
		return;
	}
	size_t n = strlen(s);
	if (n > max) {
		sb_add(out, s, max);
		sb_adds(out, "...");
	} else {
		sb_add(out, s, n);
	}
	free(s);
}
