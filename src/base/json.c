#include "pacc/json.h"

#include "pacc/arena.h"

#include <limits.h>
#include <math.h>
#include <string.h>

/* ---- checked constructors ---- */

static cJSON *checked(cJSON *item)
{
	if (!item)
		die_oom();
	return item;
}

cJSON *json_object(void)
{
	return checked(cJSON_CreateObject());
}

cJSON *json_array(void)
{
	return checked(cJSON_CreateArray());
}

cJSON *json_string(const char *s)
{
	return checked(cJSON_CreateString(s));
}

cJSON *json_bool(bool b)
{
	return checked(cJSON_CreateBool(b));
}

void json_add(cJSON *object, const char *key, cJSON *item)
{
	if (!cJSON_AddItemToObject(object, key, item))
		die_oom();
}

void json_add_string(cJSON *object, const char *key, const char *s)
{
	json_add(object, key, json_string(s));
}

void json_push(cJSON *array, cJSON *item)
{
	if (!cJSON_AddItemToArray(array, item))
		die_oom();
}

size_t json_size(const cJSON *container)
{
	size_t n = 0;
	for (const cJSON *c = container ? container->child : NULL; c; c = c->next)
		n++;
	return n;
}

void json_merge(cJSON *object, size_t fixed, const struct ast_json *extra)
{
	if (!extra || extra->kind != AST_JSON_OBJECT)
		return;
	for (const struct ast_json_member *m = extra->u.object.members; m; m = m->next) {
		cJSON *old = NULL;
		size_t i = 0;
		for (cJSON *c = object->child; c && i < fixed; c = c->next, i++) {
			if (c->string && strcmp(c->string, m->key->s) == 0) {
				old = c;
				break;
			}
		}
		cJSON *item = json_from_ast(m->value);
		if (!old) {
			json_add(object, m->key->s, item);
			continue;
		}
		/* The replacement takes over the old member's key. */
		item->string = old->string;
		item->type |= old->type & cJSON_StringIsConst;
		old->string = NULL;
		old->type &= ~cJSON_StringIsConst;
		cJSON_ReplaceItemViaPointer(object, old, item);
	}
}

/* ---- prose ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Walks the lines of text; appends each non-blank one, trimmed, joined by
 * one space.  With first_only, stops at the first blank line that follows
 * a non-blank one.
 */
static void prose(struct sb *out, const char *text, size_t len, bool first_only)
{
	bool any = false;
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		while (i < len && text[i] != '\n')
			i++;
		size_t end = i;
		if (i < len)
			i++; /* the '\n' */
		while (start < end && is_blank(text[start]))
			start++;
		while (end > start && is_blank(text[end - 1]))
			end--;
		if (start == end) {
			if (first_only && any)
				return;
			continue;
		}
		if (any)
			sb_addch(out, ' ');
		sb_add(out, text + start, end - start);
		any = true;
	}
}

void json_prose(struct sb *out, const char *text, size_t len)
{
	prose(out, text, len, false);
}

void json_prose_first_paragraph(struct sb *out, const char *text, size_t len)
{
	prose(out, text, len, true);
}

/* ---- from the AST ---- */

cJSON *json_from_str(const struct ast_str *s)
{
	if (!s->is_text_block)
		return json_string(s->s);
	struct sb sb = SB_INIT;
	json_prose(&sb, s->s, s->len);
	cJSON *item = json_string(sb.buf);
	sb_release(&sb);
	return item;
}

/*
 * True when the number is better printed from its lexeme: an integer that
 * a double cannot print back exactly (cJSON prints integral doubles with up
 * to 15 significant digits as plain integers; longer ones would come out in
 * exponent form or rounded), or a value out of a double's range, which
 * cJSON would print as null.
 */
static bool needs_lexeme(const char *text, double value)
{
	if (!text)
		return false;
	if (!isfinite(value))
		return true;
	const char *p = text;
	if (*p == '-')
		p++;
	size_t digits = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		digits++;
	}
	return digits >= 15;
}

cJSON *json_from_ast(const struct ast_json *value)
{
	switch (value->kind) {
	case AST_JSON_NULL:
		return checked(cJSON_CreateNull());
	case AST_JSON_BOOL:
		return json_bool(value->u.boolean);
	case AST_JSON_NUMBER:
		if (needs_lexeme(value->u.number.text, value->u.number.value))
			return checked(cJSON_CreateRaw(value->u.number.text));
		return checked(cJSON_CreateNumber(value->u.number.value));
	case AST_JSON_STRING:
		return json_from_str(value->u.string);
	case AST_JSON_ARRAY: {
		cJSON *array = json_array();
		for (const struct ast_json_item *it = value->u.array.items; it; it = it->next)
			json_push(array, json_from_ast(it->value));
		return array;
	}
	case AST_JSON_OBJECT: {
		cJSON *object = json_object();
		for (const struct ast_json_member *m = value->u.object.members; m; m = m->next)
			json_add(object, m->key->s, json_from_ast(m->value));
		return object;
	}
	}
	return checked(cJSON_CreateNull());
}

/* ---- printing ---- */

/*
 * Appends a scalar as cJSON prints it.  cJSON writes straight into the
 * buffer's spare room, sized for the worst case: a string byte escapes to
 * at most six ("\u001f"), plus quotes and cJSON's NUL; numbers need under
 * 32 bytes.  The item is copied so cJSON sees a lone value, not a member.
 */
static void print_scalar(const cJSON *item, struct sb *out)
{
	cJSON lone = *item;
	lone.next = lone.prev = lone.child = NULL;
	lone.string = NULL;
	size_t need = 64;
	if (cJSON_IsString(item) && item->valuestring) {
		size_t n = strlen(item->valuestring);
		if (n > (INT_MAX - 64) / 6)
			die_oom();
		need += 6 * n;
	}
	sb_grow(out, need);
	if (!cJSON_PrintPreallocated(&lone, out->buf + out->len, (int)need, false))
		die_oom();
	out->len += strlen(out->buf + out->len);
}

/* Appends key as a JSON string, escaped by cJSON. */
static void print_key(char *key, struct sb *out)
{
	static char no_key[] = "";
	cJSON k;
	memset(&k, 0, sizeof(k));
	k.type = cJSON_String;
	k.valuestring = key ? key : no_key;
	print_scalar(&k, out);
}

static void newline(struct sb *out, size_t depth)
{
	sb_addch(out, '\n');
	sb_addchars(out, ' ', 2 * depth);
}

static void print_value(const cJSON *v, struct sb *out, size_t depth)
{
	bool object = cJSON_IsObject(v);
	if (!object && !cJSON_IsArray(v)) {
		if (cJSON_IsRaw(v))
			sb_adds(out, v->valuestring ? v->valuestring : "null");
		else if (cJSON_IsInvalid(v))
			sb_adds(out, "null");
		else
			print_scalar(v, out);
		return;
	}
	if (!v->child) {
		sb_adds(out, object ? "{}" : "[]");
		return;
	}
	sb_addch(out, object ? '{' : '[');
	for (const cJSON *c = v->child; c; c = c->next) {
		newline(out, depth + 1);
		if (object) {
			print_key(c->string, out);
			sb_adds(out, ": ");
		}
		print_value(c, out, depth + 1);
		if (c->next)
			sb_addch(out, ',');
	}
	newline(out, depth);
	sb_addch(out, object ? '}' : ']');
}

void json_print(const cJSON *value, struct sb *out)
{
	print_value(value, out, 0);
	sb_addch(out, '\n');
}
