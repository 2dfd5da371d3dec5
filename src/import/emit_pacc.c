#include "pacc/emit_pacc.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Lines longer than this (indent included) are broken over several lines. */
#define EMIT_WIDTH 100

struct em {
	struct sb *sb;
	int indent; /* in steps of two spaces */
};

static void indent(struct em *e)
{
	sb_addchars(e->sb, ' ', (size_t)e->indent * 2);
}

/* ---- words and strings ---- */

static bool is_alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_alnum(int c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

bool emit_pacc_is_word(const char *s)
{
	if (!is_alpha((unsigned char)s[0]))
		return false;
	size_t i = 1;
	for (;;) {
		while (is_alnum((unsigned char)s[i]))
			i++;
		if (s[i] == '\0')
			return true;
		if ((s[i] == '.' || s[i] == '-') && is_alnum((unsigned char)s[i + 1])) {
			i++;
			continue;
		}
		return false;
	}
}

void emit_pacc_string(struct sb *sb, const char *s, size_t len)
{
	sb_addch(sb, '"');
	sb_add_escaped(sb, s, len, true);
	sb_addch(sb, '"');
}

static void str(struct em *e, const struct ast_str *s)
{
	emit_pacc_string(e->sb, s->s, s->len);
}

/* A word when the language reads it as one, else a string. */
static void word_or_str(struct em *e, const struct ast_str *s)
{
	if (emit_pacc_is_word(s->s))
		sb_adds(e->sb, s->s);
	else
		str(e, s);
}

/* ---- JSON ---- */

/* Length of j written on one line, or more than limit (stops early). */
static size_t json_inline_len(const struct ast_json *j, size_t limit)
{
	size_t n = 0;
	switch (j->kind) {
	case AST_JSON_NULL: return 4;
	case AST_JSON_BOOL: return j->u.boolean ? 4 : 5;
	case AST_JSON_NUMBER: return strlen(j->u.number.text);
	case AST_JSON_STRING:
		/* escapes make it longer; len + quotes is a lower bound, good enough for layout */
		return j->u.string->len + 2;
	case AST_JSON_ARRAY:
		n = 2;
		for (const struct ast_json_item *it = j->u.array.items; it && n <= limit; it = it->next)
			n += json_inline_len(it->value, limit) + (it->next ? 2 : 0);
		return n;
	case AST_JSON_OBJECT:
		n = j->u.object.count ? 4 : 2;
		for (const struct ast_json_member *m = j->u.object.members; m && n <= limit; m = m->next)
			n += m->key->len + 4 + json_inline_len(m->value, limit) + (m->next ? 2 : 0);
		return n;
	}
	return n;
}

static void json_inline(struct em *e, const struct ast_json *j)
{
	switch (j->kind) {
	case AST_JSON_NULL: sb_adds(e->sb, "null"); return;
	case AST_JSON_BOOL: sb_adds(e->sb, j->u.boolean ? "true" : "false"); return;
	case AST_JSON_NUMBER: sb_adds(e->sb, j->u.number.text); return;
	case AST_JSON_STRING: str(e, j->u.string); return;
	case AST_JSON_ARRAY:
		sb_addch(e->sb, '[');
		for (const struct ast_json_item *it = j->u.array.items; it; it = it->next) {
			json_inline(e, it->value);
			if (it->next)
				sb_adds(e->sb, ", ");
		}
		sb_addch(e->sb, ']');
		return;
	case AST_JSON_OBJECT:
		if (!j->u.object.count) {
			sb_adds(e->sb, "{}");
			return;
		}
		sb_adds(e->sb, "{ ");
		for (const struct ast_json_member *m = j->u.object.members; m; m = m->next) {
			str(e, m->key);
			sb_adds(e->sb, ": ");
			json_inline(e, m->value);
			if (m->next)
				sb_adds(e->sb, ", ");
		}
		sb_adds(e->sb, " }");
		return;
	}
}

/* Writes j where the cursor is; column is the cursor's column.  Containers
 * that do not fit are broken over lines, indented one step deeper. */
static void json_value(struct em *e, const struct ast_json *j, size_t column)
{
	bool container = j->kind == AST_JSON_ARRAY || j->kind == AST_JSON_OBJECT;
	size_t room = column < EMIT_WIDTH ? EMIT_WIDTH - column : 0;
	if (!container || json_inline_len(j, room) <= room ||
	    (j->kind == AST_JSON_ARRAY && j->u.array.count == 0) ||
	    (j->kind == AST_JSON_OBJECT && j->u.object.count == 0)) {
		json_inline(e, j);
		return;
	}
	e->indent++;
	if (j->kind == AST_JSON_ARRAY) {
		sb_adds(e->sb, "[\n");
		for (const struct ast_json_item *it = j->u.array.items; it; it = it->next) {
			indent(e);
			json_value(e, it->value, (size_t)e->indent * 2);
			sb_adds(e->sb, it->next ? ",\n" : "\n");
		}
		e->indent--;
		indent(e);
		sb_addch(e->sb, ']');
	} else {
		sb_adds(e->sb, "{\n");
		for (const struct ast_json_member *m = j->u.object.members; m; m = m->next) {
			indent(e);
			size_t before = e->sb->len;
			str(e, m->key);
			sb_adds(e->sb, ": ");
			json_value(e, m->value, (size_t)e->indent * 2 + (e->sb->len - before));
			sb_adds(e->sb, m->next ? ",\n" : "\n");
		}
		e->indent--;
		indent(e);
		sb_addch(e->sb, '}');
	}
}

/* Column of the cursor (bytes since the last newline). */
static size_t column(const struct em *e)
{
	size_t i = e->sb->len;
	while (i > 0 && e->sb->buf[i - 1] != '\n')
		i--;
	return e->sb->len - i;
}

static void json_here(struct em *e, const struct ast_json *j)
{
	json_value(e, j, column(e));
}

/* `keyword <json>` on its own line. */
static void stmt_json(struct em *e, const char *kw, const struct ast_json *j)
{
	indent(e);
	sb_adds(e->sb, kw);
	sb_addch(e->sb, ' ');
	json_here(e, j);
	sb_addch(e->sb, '\n');
}

static void stmt_str(struct em *e, const char *kw, const struct ast_str *s)
{
	indent(e);
	sb_adds(e->sb, kw);
	sb_addch(e->sb, ' ');
	str(e, s);
	sb_addch(e->sb, '\n');
}

/* Prose wider than this is wrapped into a text block (see stmt_prose). */
#define PROSE_WIDTH 88

/*
 * Can s be written as a text block that reads back as exactly s?  A text
 * block's lines are trimmed and joined with one space where its prose
 * becomes JSON, so s must have no line breaks, tabs or surrounding blanks
 * and no `"""`; lines are then broken only at single spaces.
 */
static bool prose_safe(const struct ast_str *s)
{
	if (s->len == 0 || s->s[0] == ' ' || s->s[s->len - 1] == ' ' || strstr(s->s, "\"\"\""))
		return false;
	for (size_t i = 0; i < s->len; i++) {
		unsigned char c = (unsigned char)s->s[i];
		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

/* `kw "..."`, or for long prose a text block wrapped at single spaces. */
static void stmt_prose(struct em *e, const char *kw, const struct ast_str *s)
{
	size_t width = (size_t)(e->indent + 1) * 2 + s->len;
	if (width <= EMIT_WIDTH || !prose_safe(s)) {
		stmt_str(e, kw, s);
		return;
	}
	indent(e);
	sb_adds(e->sb, kw);
	sb_adds(e->sb, " \"\"\"\n");
	e->indent++;
	const char *t = s->s;
	size_t n = s->len, start = 0, last_break = 0;
	for (size_t i = 1; i < n; i++) {
		/* a break point: a single space between two non-spaces */
		bool brk = t[i] == ' ' && t[i - 1] != ' ' && i + 1 < n && t[i + 1] != ' ';
		if (!brk)
			continue;
		if (i - start > PROSE_WIDTH && last_break > start) {
			indent(e);
			sb_add(e->sb, t + start, last_break - start);
			sb_addch(e->sb, '\n');
			start = last_break + 1;
		}
		last_break = i;
	}
	if (n - start > PROSE_WIDTH && last_break > start) {
		indent(e);
		sb_add(e->sb, t + start, last_break - start);
		sb_addch(e->sb, '\n');
		start = last_break + 1;
	}
	indent(e);
	sb_add(e->sb, t + start, n - start);
	sb_addch(e->sb, '\n');
	e->indent--;
	indent(e);
	sb_adds(e->sb, "\"\"\"\n");
}

static void stmt_word(struct em *e, const char *kw, const struct ast_str *s)
{
	indent(e);
	sb_adds(e->sb, kw);
	sb_addch(e->sb, ' ');
	word_or_str(e, s);
	sb_addch(e->sb, '\n');
}

/* ---- conditions ---- */

static const char *op_text(enum ast_op op)
{
	switch (op) {
	case AST_OP_EQUALS: return "==";
	case AST_OP_NOT_EQUALS: return "!=";
	case AST_OP_LESS: return "<";
	case AST_OP_LESS_OR_EQUALS: return "<=";
	case AST_OP_GREATER: return ">";
	case AST_OP_GREATER_OR_EQUALS: return ">=";
	case AST_OP_LIKE:
	case AST_OP_NOT_LIKE:
	case AST_OP_MATCH:
	case AST_OP_MATCH_INSENSITIVELY:
	case AST_OP_NOT_MATCH:
	case AST_OP_NOT_MATCH_INSENSITIVELY:
	case AST_OP_CONTAINS:
	case AST_OP_NOT_CONTAINS:
	case AST_OP_IN:
	case AST_OP_NOT_IN:
	case AST_OP_CONTAINS_KEY:
	case AST_OP_NOT_CONTAINS_KEY:
	case AST_OP_EXISTS:
		break;
	}
	return ast_op_name(op);
}

static void cond_block(struct em *e, const struct ast_cond *c);

/* A brace block of conditions: `{`, one per line, `}` (no newline after).
 * A block of one short comparison stays on one line: `{ type == "x" }`. */
static void cond_list(struct em *e, const struct ast_cond *first)
{
	bool leaf = first && !first->next &&
		    (first->kind == AST_COND_FIELD || first->kind == AST_COND_VALUE ||
		     (first->kind == AST_COND_COUNT && !first->u.leaf.count.where));
	if (leaf) {
		size_t col = column(e);
		struct sb one = SB_INIT;
		struct em oe = { &one, e->indent };
		cond_block(&oe, first);
		if (!memchr(one.buf, '\n', one.len) && col + one.len + 6 <= EMIT_WIDTH) {
			sb_adds(e->sb, "{ ");
			sb_add(e->sb, one.buf, one.len);
			sb_adds(e->sb, " }");
			sb_release(&one);
			return;
		}
		sb_release(&one);
	}
	sb_adds(e->sb, "{\n");
	e->indent++;
	for (const struct ast_cond *c = first; c; c = c->next) {
		indent(e);
		cond_block(e, c);
		sb_addch(e->sb, '\n');
	}
	e->indent--;
	indent(e);
	sb_addch(e->sb, '}');
}

/* The body of `if`, `where`, `existenceCondition`: a block whose allOf is
 * implied when it holds two or more conditions. */
static void cond_body(struct em *e, const struct ast_cond *c)
{
	if (c->kind == AST_COND_ALL && c->u.logical.count >= 2) {
		cond_list(e, c->u.logical.children);
		return;
	}
	struct ast_cond one = *c;
	one.next = NULL;
	cond_list(e, &one);
}

static void cond_rhs(struct em *e, const struct ast_cond *c)
{
	sb_addch(e->sb, ' ');
	sb_adds(e->sb, op_text(c->u.leaf.op));
	sb_addch(e->sb, ' ');
	json_here(e, c->u.leaf.rhs);
}

/* One condition, starting at the cursor, without the final newline. */
static void cond_block(struct em *e, const struct ast_cond *c)
{
	switch (c->kind) {
	case AST_COND_ALL:
		sb_adds(e->sb, "all ");
		if (c->u.logical.count == 0)
			sb_adds(e->sb, "{ }");
		else
			cond_list(e, c->u.logical.children);
		return;
	case AST_COND_ANY:
		sb_adds(e->sb, "any ");
		if (c->u.logical.count == 0)
			sb_adds(e->sb, "{ }");
		else
			cond_list(e, c->u.logical.children);
		return;
	case AST_COND_NOT:
		sb_adds(e->sb, "not ");
		cond_block(e, c->u.negated);
		return;
	case AST_COND_FIELD:
		if (strcmp(c->u.leaf.field->s, "type") == 0) {
			sb_adds(e->sb, "type");
		} else {
			sb_adds(e->sb, "field ");
			str(e, c->u.leaf.field);
		}
		cond_rhs(e, c);
		return;
	case AST_COND_VALUE:
		sb_adds(e->sb, "value ");
		json_here(e, c->u.leaf.value);
		cond_rhs(e, c);
		return;
	case AST_COND_JSON:
		sb_adds(e->sb, "extra ");
		json_here(e, c->u.json);
		return;
	case AST_COND_COUNT:
		sb_adds(e->sb, "count ");
		switch (c->u.leaf.count.kind) {
		case AST_COUNT_FIELD:
			sb_adds(e->sb, "field ");
			str(e, c->u.leaf.count.field);
			break;
		case AST_COUNT_VALUE:
			sb_adds(e->sb, "value ");
			json_here(e, c->u.leaf.count.value);
			if (c->u.leaf.count.name) {
				sb_adds(e->sb, " as ");
				str(e, c->u.leaf.count.name);
			}
			break;
		}
		if (c->u.leaf.count.where) {
			sb_adds(e->sb, " where ");
			cond_body(e, c->u.leaf.count.where);
		}
		cond_rhs(e, c);
		return;
	}
}

static void stmt_cond(struct em *e, const char *kw, const struct ast_cond *c)
{
	indent(e);
	sb_adds(e->sb, kw);
	sb_addch(e->sb, ' ');
	cond_body(e, c);
	sb_addch(e->sb, '\n');
}

/* ---- parameters ---- */

static const char *const param_types[] = { "String", "Array",	"Object",  "Boolean",
					   "Integer", "Float", "DateTime" };

static void param_type(struct em *e, const struct ast_str *t)
{
	for (size_t i = 0; i < sizeof(param_types) / sizeof(param_types[0]); i++) {
		if (strcasecmp(t->s, param_types[i]) == 0) {
			sb_adds(e->sb, param_types[i]);
			return;
		}
	}
	word_or_str(e, t);
}

static void emit_param(struct em *e, const struct ast_param *p)
{
	indent(e);
	sb_adds(e->sb, "param ");
	word_or_str(e, p->name);
	sb_addch(e->sb, ' ');
	param_type(e, p->type);
	if (!p->display && !p->description && !p->strong_type && !p->metadata && !p->allowed &&
	    !p->schema && !p->extra) {
		if (p->default_value) {
			sb_adds(e->sb, " = ");
			json_here(e, p->default_value);
		} else {
			sb_adds(e->sb, " { }");
		}
		sb_addch(e->sb, '\n');
		return;
	}
	sb_adds(e->sb, " {\n");
	e->indent++;
	if (p->display)
		stmt_str(e, "display", p->display);
	if (p->description)
		stmt_prose(e, "description", p->description);
	if (p->strong_type)
		stmt_str(e, "strongType", p->strong_type);
	if (p->allowed)
		stmt_json(e, "allowed", p->allowed);
	if (p->default_value)
		stmt_json(e, "default", p->default_value);
	if (p->schema)
		stmt_json(e, "schema", p->schema);
	if (p->metadata)
		stmt_json(e, "metadata", p->metadata);
	if (p->extra)
		stmt_json(e, "extra", p->extra);
	e->indent--;
	indent(e);
	sb_adds(e->sb, "}\n");
}

/* ---- effects and details ---- */

/* Effect names as a pack author writes them: Azure's name with a lowercase
 * first letter (audit, deployIfNotExists). */
static void effect_word(struct em *e, const char *name)
{
	const char *canon = ast_effect_canonical(name);
	if (!canon)
		canon = name;
	if (!emit_pacc_is_word(canon)) {
		emit_pacc_string(e->sb, canon, strlen(canon));
		return;
	}
	char first = canon[0];
	if (first >= 'A' && first <= 'Z')
		first = (char)(first - 'A' + 'a');
	sb_addch(e->sb, first);
	sb_adds(e->sb, canon + 1);
}

static void emit_effect(struct em *e, const struct ast_policy *p)
{
	switch (p->effect_form) {
	case AST_EFFECT_NONE:
		return;
	case AST_EFFECT_LITERAL:
		indent(e);
		sb_adds(e->sb, "effect ");
		effect_word(e, p->effect->s);
		sb_addch(e->sb, '\n');
		return;
	case AST_EFFECT_PARAM: {
		const struct ast_param *ep = p->effect_param;
		indent(e);
		sb_adds(e->sb, "effect ");
		for (const struct ast_json_item *it = ep->allowed->u.array.items; it; it = it->next) {
			effect_word(e, it->value->u.string->s);
			if (it->next)
				sb_addch(e->sb, '|');
		}
		sb_adds(e->sb, " = ");
		effect_word(e, ep->default_value->u.string->s);
		sb_addch(e->sb, '\n');
		return;
	}
	case AST_EFFECT_EXPRESSION:
		stmt_str(e, "effect", p->effect);
		return;
	}
}

static void emit_related(struct em *e, const struct ast_related *r)
{
	indent(e);
	sb_adds(e->sb, "related ");
	str(e, r->type);
	sb_adds(e->sb, " {\n");
	e->indent++;
	if (r->name)
		stmt_json(e, "name", r->name);
	if (r->resource_group)
		stmt_json(e, "resourceGroupName", r->resource_group);
	if (r->existence_scope)
		stmt_word(e, "existenceScope", r->existence_scope);
	if (r->deployment_scope)
		stmt_word(e, "deploymentScope", r->deployment_scope);
	if (r->evaluation_delay)
		stmt_word(e, "evaluationDelay", r->evaluation_delay);
	if (r->existence)
		stmt_cond(e, "existenceCondition", r->existence);
	if (r->role_ids)
		stmt_json(e, "roleDefinitionIds", r->role_ids);
	if (r->deployment)
		stmt_json(e, "deployment", r->deployment);
	if (r->extra)
		stmt_json(e, "extra", r->extra);
	e->indent--;
	indent(e);
	sb_adds(e->sb, "}\n");
}

static void emit_modify(struct em *e, const struct ast_modify *m)
{
	indent(e);
	sb_adds(e->sb, "modify {\n");
	e->indent++;
	if (m->role_ids)
		stmt_json(e, "roleDefinitionIds", m->role_ids);
	if (m->conflict_effect)
		stmt_word(e, "conflictEffect", m->conflict_effect);
	for (const struct ast_modify_operation *op = m->operations; op; op = op->next) {
		indent(e);
		switch (op->op) {
		case AST_MODIFY_ADD_OR_REPLACE: sb_adds(e->sb, "set "); break;
		case AST_MODIFY_ADD: sb_adds(e->sb, "add "); break;
		case AST_MODIFY_REMOVE: sb_adds(e->sb, "remove "); break;
		}
		str(e, op->field);
		if (op->value) {
			sb_adds(e->sb, " = ");
			json_here(e, op->value);
		}
		if (op->condition) {
			sb_adds(e->sb, " when ");
			str(e, op->condition);
		}
		sb_addch(e->sb, '\n');
	}
	if (m->extra)
		stmt_json(e, "extra", m->extra);
	e->indent--;
	indent(e);
	sb_adds(e->sb, "}\n");
}

static void emit_details(struct em *e, const struct ast_policy *p)
{
	switch (p->details_kind) {
	case AST_DETAILS_NONE:
		return;
	case AST_DETAILS_RELATED:
		emit_related(e, p->details.related);
		return;
	case AST_DETAILS_MODIFY:
		emit_modify(e, p->details.modify);
		return;
	case AST_DETAILS_APPEND:
		for (const struct ast_append *a = p->details.append.entries; a; a = a->next) {
			indent(e);
			sb_adds(e->sb, "append ");
			str(e, a->field);
			sb_adds(e->sb, " = ");
			json_here(e, a->value);
			sb_addch(e->sb, '\n');
		}
		return;
	case AST_DETAILS_JSON:
		stmt_json(e, "details", p->details.json);
		return;
	}
}

/* ---- declarations ---- */

static void emit_properties(struct em *e, const struct ast_property *prop)
{
	for (; prop; prop = prop->next) {
		indent(e);
		sb_adds(e->sb, "property ");
		str(e, prop->key);
		sb_addch(e->sb, ' ');
		json_here(e, prop->value);
		sb_addch(e->sb, '\n');
	}
}

static void emit_mode(struct em *e, const struct ast_str *mode)
{
	static const char *const modes[] = { "All", "Indexed" };
	for (size_t i = 0; i < 2; i++) {
		if (strcasecmp(mode->s, modes[i]) == 0) {
			indent(e);
			sb_addf(e->sb, "mode %s\n", modes[i]);
			return;
		}
	}
	stmt_word(e, "mode", mode);
}

/* A statement that is one keyword. */
static void stmt_flag(struct em *e, const char *keyword)
{
	indent(e);
	sb_adds(e->sb, keyword);
	sb_addch(e->sb, '\n');
}

static void emit_policy(struct em *e, const struct ast_policy *p)
{
	sb_adds(e->sb, "policy ");
	str(e, p->name);
	sb_adds(e->sb, " {\n");
	e->indent++;
	if (p->imported)
		stmt_flag(e, "imported");
	if (p->id)
		stmt_str(e, "id", p->id);
	if (p->display)
		stmt_str(e, "display", p->display);
	if (p->description)
		stmt_prose(e, "description", p->description);
	if (p->policy_type)
		stmt_word(e, "policyType", p->policy_type);
	if (p->mode)
		emit_mode(e, p->mode);
	if (p->version)
		stmt_str(e, "version", p->version);
	if (p->versions)
		stmt_json(e, "versions", p->versions);
	if (p->metadata)
		stmt_json(e, "metadata", p->metadata);
	emit_properties(e, p->properties);
	bool any_param = false;
	for (const struct ast_param *prm = p->params; prm; prm = prm->next) {
		if (prm->from_effect_sugar)
			continue;
		if (!any_param)
			sb_addch(e->sb, '\n');
		any_param = true;
		emit_param(e, prm);
	}
	/* a blank line between the header statements and the rule */
	if (e->sb->len < 2 || e->sb->buf[e->sb->len - 2] != '{')
		sb_addch(e->sb, '\n');
	emit_effect(e, p);
	if (p->condition)
		stmt_cond(e, "if", p->condition);
	emit_details(e, p);
	e->indent--;
	sb_adds(e->sb, "}\n");
}

static void emit_group(struct em *e, const struct ast_group *g)
{
	indent(e);
	sb_adds(e->sb, "group ");
	word_or_str(e, g->name);
	if (g->display) {
		sb_addch(e->sb, ' ');
		str(e, g->display);
	}
	int n = (g->category != NULL) + (g->description != NULL) + (g->metadata_id != NULL) +
		(g->extra != NULL);
	if (n == 0) {
		sb_adds(e->sb, " { }\n");
		return;
	}
	if (n == 1 && g->metadata_id) {
		sb_adds(e->sb, " { additionalMetadataId ");
		str(e, g->metadata_id);
		sb_adds(e->sb, " }\n");
		return;
	}
	sb_adds(e->sb, " {\n");
	e->indent++;
	if (g->category)
		stmt_str(e, "category", g->category);
	if (g->description)
		stmt_prose(e, "description", g->description);
	if (g->metadata_id)
		stmt_str(e, "additionalMetadataId", g->metadata_id);
	if (g->extra)
		stmt_json(e, "extra", g->extra);
	e->indent--;
	indent(e);
	sb_adds(e->sb, "}\n");
}

static void emit_reference(struct em *e, const struct ast_reference *r)
{
	indent(e);
	sb_adds(e->sb, "reference ");
	if (r->ref_id) {
		str(e, r->ref_id);
		sb_addch(e->sb, ' ');
	}
	sb_adds(e->sb, "-> ");
	str(e, r->target);
	if (!r->definition_version && !r->groups && !r->params && !r->params_present && !r->extra) {
		sb_adds(e->sb, " { }\n");
		return;
	}
	sb_adds(e->sb, " {\n");
	e->indent++;
	if (r->definition_version)
		stmt_str(e, "definitionVersion", r->definition_version);
	if (r->groups)
		stmt_json(e, "groups", r->groups);
	if (r->params_present && !r->params) {
		indent(e);
		sb_adds(e->sb, "parameters {}\n");
	}
	for (const struct ast_ref_param *rp = r->params; rp; rp = rp->next) {
		indent(e);
		sb_adds(e->sb, "parameter ");
		word_or_str(e, rp->name);
		sb_adds(e->sb, " = ");
		json_here(e, rp->value);
		sb_addch(e->sb, '\n');
	}
	if (r->extra)
		stmt_json(e, "extra", r->extra);
	e->indent--;
	indent(e);
	sb_adds(e->sb, "}\n");
}

static void emit_initiative(struct em *e, const struct ast_initiative *ini)
{
	sb_adds(e->sb, "initiative ");
	str(e, ini->name);
	sb_adds(e->sb, " {\n");
	e->indent++;
	if (ini->imported)
		stmt_flag(e, "imported");
	if (ini->id)
		stmt_str(e, "id", ini->id);
	if (ini->display)
		stmt_str(e, "display", ini->display);
	if (ini->description)
		stmt_prose(e, "description", ini->description);
	if (ini->policy_type)
		stmt_word(e, "policyType", ini->policy_type);
	if (ini->version)
		stmt_str(e, "version", ini->version);
	if (ini->versions)
		stmt_json(e, "versions", ini->versions);
	if (ini->metadata)
		stmt_json(e, "metadata", ini->metadata);
	emit_properties(e, ini->properties);
	if (ini->params)
		sb_addch(e->sb, '\n');
	for (const struct ast_param *p = ini->params; p; p = p->next)
		emit_param(e, p);
	if (ini->groups)
		sb_addch(e->sb, '\n');
	for (const struct ast_group *g = ini->groups; g; g = g->next)
		emit_group(e, g);
	if (ini->references)
		sb_addch(e->sb, '\n');
	for (const struct ast_reference *r = ini->references; r; r = r->next)
		emit_reference(e, r);
	e->indent--;
	sb_adds(e->sb, "}\n");
}

void emit_pacc(const struct ast_pack *pack, struct sb *sb)
{
	struct em e = { sb, 0 };
	bool first = true;
	for (const struct ast_policy *p = pack->policies; p; p = p->next) {
		if (!first)
			sb_addch(sb, '\n');
		first = false;
		emit_policy(&e, p);
	}
	for (const struct ast_initiative *ini = pack->initiatives; ini; ini = ini->next) {
		if (!first)
			sb_addch(sb, '\n');
		first = false;
		emit_initiative(&e, ini);
	}
}
