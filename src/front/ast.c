#include "pacc/ast.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

struct ast_str *ast_str_new(struct arena *a, const char *s, size_t len, struct src_span span)
{
	/* one block: the node, then its bytes */
	if (len > SIZE_MAX - sizeof(struct ast_str) - 1)
		die_oom();
	struct ast_str *str = arena_alloc_uninit(a, sizeof(*str) + len + 1);
	char *bytes = (char *)(str + 1);
	if (len)
		memcpy(bytes, s, len);
	bytes[len] = '\0';
	*str = (struct ast_str){ .s = bytes, .len = len, .span = span, .is_text_block = false };
	return str;
}

struct ast_json *ast_json_new(struct arena *a, enum ast_json_kind kind, struct src_span span)
{
	struct ast_json *j = ARENA_NEW(a, struct ast_json);
	j->kind = kind;
	j->span = span;
	return j;
}

bool ast_json_equal(const struct ast_json *a, const struct ast_json *b, bool fold_case)
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
	case AST_JSON_STRING: {
		const struct ast_str *x = a->u.string, *y = b->u.string;
		if (x->len != y->len)
			return false;
		return fold_case ? strncasecmp(x->s, y->s, x->len) == 0 : memcmp(x->s, y->s, x->len) == 0;
	}
	case AST_JSON_ARRAY: {
		if (a->u.array.count != b->u.array.count)
			return false;
		const struct ast_json_item *i = a->u.array.items, *k = b->u.array.items;
		for (; i && k; i = i->next, k = k->next)
			if (!ast_json_equal(i->value, k->value, fold_case))
				return false;
		return !i && !k;
	}
	case AST_JSON_OBJECT: {
		if (a->u.object.count != b->u.object.count)
			return false;
		for (const struct ast_json_member *m = a->u.object.members; m; m = m->next) {
			const struct ast_json_member *n = b->u.object.members;
			while (n && strcmp(n->key->s, m->key->s) != 0)
				n = n->next;
			if (!n || !ast_json_equal(m->value, n->value, fold_case))
				return false;
		}
		return true;
	}
	}
	return false;
}

struct ast_cond *ast_cond_new(struct arena *a, enum ast_cond_kind kind, struct src_span span)
{
	struct ast_cond *c = ARENA_NEW(a, struct ast_cond);
	c->kind = kind;
	c->span = span;
	return c;
}

static const char *const op_names[AST_OP_COUNT] = {
	[AST_OP_EQUALS] = "equals",
	[AST_OP_NOT_EQUALS] = "notEquals",
	[AST_OP_LIKE] = "like",
	[AST_OP_NOT_LIKE] = "notLike",
	[AST_OP_MATCH] = "match",
	[AST_OP_MATCH_INSENSITIVELY] = "matchInsensitively",
	[AST_OP_NOT_MATCH] = "notMatch",
	[AST_OP_NOT_MATCH_INSENSITIVELY] = "notMatchInsensitively",
	[AST_OP_CONTAINS] = "contains",
	[AST_OP_NOT_CONTAINS] = "notContains",
	[AST_OP_IN] = "in",
	[AST_OP_NOT_IN] = "notIn",
	[AST_OP_CONTAINS_KEY] = "containsKey",
	[AST_OP_NOT_CONTAINS_KEY] = "notContainsKey",
	[AST_OP_LESS] = "less",
	[AST_OP_LESS_OR_EQUALS] = "lessOrEquals",
	[AST_OP_GREATER] = "greater",
	[AST_OP_GREATER_OR_EQUALS] = "greaterOrEquals",
	[AST_OP_EXISTS] = "exists",
};

const char *ast_op_name(enum ast_op op)
{
	return op_names[op];
}

/* Can a and b be equal ignoring case?  A cheap test of one letter before strcasecmp. */
static bool same_letter(char a, char b)
{
	return (a | 0x20) == (b | 0x20);
}

bool ast_op_from_name(const char *name, enum ast_op *out)
{
	for (int i = 0; i < AST_OP_COUNT; i++) {
		if (same_letter(name[0], op_names[i][0]) && strcasecmp(name, op_names[i]) == 0) {
			*out = (enum ast_op)i;
			return true;
		}
	}
	return false;
}

/* Azure's effects with the casing its documentation uses. */
static const char *const effect_names[] = {
	"Append",     "Audit",	  "AuditIfNotExists", "Deny",	 "DenyAction", "DeployIfNotExists",
	"Disabled",   "Manual",	  "Modify",	      "Mutate",	 "AuditAction", "EnforceRegoPolicy",
	"enforceSetting",
};

const char *ast_effect_canonical(const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < sizeof(effect_names) / sizeof(effect_names[0]); i++)
		if (same_letter(name[0], effect_names[i][0]) && strlen(effect_names[i]) == len &&
		    strcasecmp(name, effect_names[i]) == 0)
			return effect_names[i];
	return NULL;
}

bool ast_policy_remediates(const struct ast_policy *p)
{
	switch (p->details_kind) {
	case AST_DETAILS_MODIFY:
		return true;
	case AST_DETAILS_RELATED:
		return p->details.related && p->details.related->deployment;
	case AST_DETAILS_NONE:
	case AST_DETAILS_APPEND:
	case AST_DETAILS_JSON:
		return false;
	}
	return false;
}
