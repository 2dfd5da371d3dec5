#include "pacc/bicep_str.h"

#include "pacc/arena.h"
#include "pacc/json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- string literals ---- */

/*
 * Length of the well-formed UTF-8 sequence at s (at most n bytes), storing
 * its code point in *cp; 0 when the bytes there are not valid UTF-8
 * (overlong forms, surrogates and values above U+10FFFF included).
 */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2, v = c & 0x1Fu, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, v = c & 0x0Fu, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, v = c & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3Fu);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

/* Appends the escaped body of a literal (no quotes). */
static void add_escaped(struct sb *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	sb_grow(out, len + 2);
	size_t i = 0;
	while (i < len) {
		unsigned char c = p[i];
		switch (c) {
		case '\\':
			sb_adds(out, "\\\\");
			i++;
			continue;
		case '\'':
			sb_adds(out, "\\'");
			i++;
			continue;
		case '\n':
			sb_adds(out, "\\n");
			i++;
			continue;
		case '\r':
			sb_adds(out, "\\r");
			i++;
			continue;
		case '\t':
			sb_adds(out, "\\t");
			i++;
			continue;
		case '$':
			/* "${" would open an interpolation; a lone '$' is literal. */
			if (i + 1 < len && p[i + 1] == '{')
				sb_addch(out, '\\');
			sb_addch(out, '$');
			i++;
			continue;
		default:
			break;
		}
		if (c < 0x20 || c == 0x7F) {
			sb_addf(out, "\\u{%X}", (unsigned)c);
			i++;
			continue;
		}
		if (c < 0x80) {
			sb_addch(out, c);
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			sb_adds(out, "\\u{FFFD}");
			i++;
		} else if (cp <= 0x9F) {
			/* C1 control characters are invisible and confuse terminals. */
			sb_addf(out, "\\u{%X}", (unsigned)cp);
			i += n;
		} else {
			sb_add(out, p + i, n);
			i += n;
		}
	}
}

void bicep_str_add(struct sb *out, const char *s, size_t len)
{
	sb_addch(out, '\'');
	add_escaped(out, s, len);
	sb_addch(out, '\'');
}

void bicep_str_body_add(struct sb *out, const char *s, size_t len)
{
	add_escaped(out, s, len);
}

void bicep_str_adds(struct sb *out, const char *s)
{
	bicep_str_add(out, s, strlen(s));
}

/* The prose form of a text block, as the JSON generator writes it. */
static void add_prose(struct sb *prose, const struct ast_str *s)
{
	json_prose(prose, s->s, s->len);
}

void bicep_str_add_text(struct sb *out, const struct ast_str *s)
{
	if (!s) {
		sb_adds(out, "''");
		return;
	}
	if (!s->is_text_block) {
		bicep_str_add(out, s->s, s->len);
		return;
	}
	struct sb prose = SB_INIT;
	add_prose(&prose, s);
	bicep_str_add(out, prose.buf, prose.len);
	sb_release(&prose);
}

void bicep_comment_add(struct sb *out, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			sb_adds(out, "\xef\xbf\xbd");
			i++;
		} else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029) {
			sb_addch(out, ' ');
			i += n;
		} else {
			sb_add(out, p + i, n);
			i += n;
		}
	}
}

void bicep_comment_add_text(struct sb *out, const struct ast_str *s)
{
	if (!s)
		return;
	if (!s->is_text_block) {
		bicep_comment_add(out, s->s, s->len);
		return;
	}
	struct sb prose = SB_INIT;
	add_prose(&prose, s);
	bicep_comment_add(out, prose.buf, prose.len);
	sb_release(&prose);
}

/* ---- identifiers ---- */

/*
 * Words pacc never declares: Bicep's keywords (including ones newer
 * versions added, so output stays valid as Bicep grows), its namespaces,
 * type names, and the functions generated files call (a declaration with a
 * function's name would hide the function in that file).
 */
static const char *const reserved[] = {
	"array", "as", "any", "assert", "az", "bool", "concat", "contains", "deployment",
	"empty", "existing", "extension", "false", "for", "format", "func", "guid", "if",
	"import", "in", "int", "json", "last", "loadJsonContent", "managementGroup",
	"managementGroupResourceId", "metadata", "module", "null", "object", "output",
	"param", "provider", "resource", "resourceGroup", "resourceId", "split", "string",
	"subscription", "subscriptionResourceId", "sys", "targetScope", "tenant",
	"tenantResourceId", "test", "toLower", "true", "type", "union", "uniqueString",
	"using", "var", "with",
};

static bool is_reserved(const char *s)
{
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcasecmp(s, reserved[i]) == 0)
			return true;
	return false;
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident_shape(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!(is_alpha(p[0]) || p[0] == '_'))
		return false;
	for (p++; *p; p++)
		if (!(is_alpha(*p) || is_digit(*p) || *p == '_'))
			return false;
	return true;
}

bool bicep_is_ident(const char *s)
{
	return is_ident_shape(s) && !is_reserved(s);
}

static char to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static char to_upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* Builds the identifier for s into id (reset first). */
static void make_ident(struct sb *id, const char *s)
{
	sb_reset(id);
	const unsigned char *p = (const unsigned char *)s;
	bool first_word = true;
	while (*p) {
		while (*p && !(is_alpha(*p) || is_digit(*p) || *p == '_'))
			p++;
		const unsigned char *w = p;
		while (*p && (is_alpha(*p) || is_digit(*p) || *p == '_'))
			p++;
		size_t n = (size_t)(p - w);
		if (n == 0)
			break;
		bool all_upper = true;
		for (size_t i = 0; i < n; i++)
			if (w[i] >= 'a' && w[i] <= 'z')
				all_upper = false;
		for (size_t i = 0; i < n; i++) {
			char c = (char)w[i];
			if (first_word)
				c = (i == 0 || all_upper) ? to_lower(c) : c;
			else if (i == 0)
				c = to_upper(c);
			sb_addch(id, c);
		}
		first_word = false;
	}
	if (id->len == 0 || is_digit((unsigned char)id->buf[0])) {
		struct sb tmp = SB_INIT;
		sb_addch(&tmp, '_');
		sb_add(&tmp, id->buf, id->len);
		sb_reset(id);
		sb_add(id, tmp.buf, tmp.len);
		sb_release(&tmp);
	}
	if (is_reserved(id->buf))
		sb_addch(id, '_');
}

void bicep_ident_add(struct sb *out, const char *s)
{
	struct sb id = SB_INIT;
	make_ident(&id, s);
	sb_add(out, id.buf, id.len);
	sb_release(&id);
}

void bicep_key_add(struct sb *out, const char *s)
{
	/* true/false/null as bare keys read like values; quote them. */
	if (is_ident_shape(s) && strcmp(s, "true") != 0 && strcmp(s, "false") != 0 &&
	    strcmp(s, "null") != 0)
		sb_adds(out, s);
	else
		bicep_str_adds(out, s);
}

/* ---- JSON values ---- */

const char *bicep_param_type(const struct ast_str *policy_type)
{
	const char *t = policy_type ? policy_type->s : "String";
	if (strcasecmp(t, "Array") == 0)
		return "array";
	if (strcasecmp(t, "Object") == 0)
		return "object";
	if (strcasecmp(t, "Boolean") == 0)
		return "bool";
	if (strcasecmp(t, "Integer") == 0)
		return "int";
	return "string";
}

void bicep_indent(struct sb *out, int level)
{
	if (level > 0)
		sb_addchars(out, ' ', (size_t)level * 2);
}

/* True when text is an integer literal Bicep reads exactly (64-bit). */
static bool is_int_literal(const char *text)
{
	const char *p = text;
	if (*p == '-')
		p++;
	if (!is_digit((unsigned char)*p))
		return false;
	if (*p == '0' && p[1])
		return false;
	size_t digits = 0;
	for (; *p; p++, digits++)
		if (!is_digit((unsigned char)*p))
			return false;
	/* 18 digits always fit in an int64; longer ones go through json(). */
	return digits <= 18;
}

void bicep_json_add(struct sb *out, const struct ast_json *v, int indent)
{
	if (!v) {
		sb_adds(out, "null");
		return;
	}
	switch (v->kind) {
	case AST_JSON_NULL:
		sb_adds(out, "null");
		break;
	case AST_JSON_BOOL:
		sb_adds(out, v->u.boolean ? "true" : "false");
		break;
	case AST_JSON_NUMBER: {
		const char *text = v->u.number.text ? v->u.number.text : "0";
		if (is_int_literal(text)) {
			sb_adds(out, text);
		} else {
			sb_adds(out, "json(");
			bicep_str_adds(out, text);
			sb_addch(out, ')');
		}
		break;
	}
	case AST_JSON_STRING:
		bicep_str_add_text(out, v->u.string);
		break;
	case AST_JSON_ARRAY:
		if (!v->u.array.items) {
			sb_adds(out, "[]");
			break;
		}
		sb_adds(out, "[\n");
		for (const struct ast_json_item *it = v->u.array.items; it; it = it->next) {
			bicep_indent(out, indent + 1);
			bicep_json_add(out, it->value, indent + 1);
			sb_addch(out, '\n');
		}
		bicep_indent(out, indent);
		sb_addch(out, ']');
		break;
	case AST_JSON_OBJECT:
		if (!v->u.object.members) {
			sb_adds(out, "{}");
			break;
		}
		sb_adds(out, "{\n");
		for (const struct ast_json_member *m = v->u.object.members; m; m = m->next) {
			bicep_indent(out, indent + 1);
			bicep_key_add(out, m->key ? m->key->s : "");
			sb_adds(out, ": ");
			bicep_json_add(out, m->value, indent + 1);
			sb_addch(out, '\n');
		}
		bicep_indent(out, indent);
		sb_addch(out, '}');
		break;
	}
}

/* ---- name sets ---- */

static uint64_t fold_hash(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++) {
		h ^= (unsigned char)to_lower(*s);
		h *= 1099511628211u;
	}
	return h;
}

static size_t find_slot(char *const *slots, size_t cap, const char *s)
{
	size_t i = (size_t)fold_hash(s) & (cap - 1);
	while (slots[i] && strcasecmp(slots[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

bool bicep_names_has(const struct bicep_names *names, const char *ident)
{
	if (!names->cap)
		return false;
	return names->slots[find_slot(names->slots, names->cap, ident)] != NULL;
}

static void names_grow(struct bicep_names *names)
{
	size_t cap = names->cap ? names->cap * 2 : 32;
	char **slots = xcalloc(cap, sizeof(*slots));
	for (size_t i = 0; i < names->cap; i++)
		if (names->slots[i])
			slots[find_slot(slots, cap, names->slots[i])] = names->slots[i];
	free(names->slots);
	names->slots = slots;
	names->cap = cap;
}

bool bicep_names_reserve(struct bicep_names *names, const char *ident)
{
	if (bicep_names_has(names, ident))
		return false;
	if ((names->count + 1) * 2 > names->cap)
		names_grow(names);
	size_t n = strlen(ident);
	char *copy = xmalloc(n + 1);
	memcpy(copy, ident, n + 1);
	names->slots[find_slot(names->slots, names->cap, ident)] = copy;
	names->count++;
	return true;
}

void bicep_names_add(struct bicep_names *names, struct sb *out, const char *s)
{
	struct sb id = SB_INIT;
	make_ident(&id, s);
	size_t base = id.len;
	for (unsigned long k = 2; !bicep_names_reserve(names, id.buf); k++) {
		sb_setlen(&id, base);
		sb_addf(&id, "%lu", k);
	}
	sb_add(out, id.buf, id.len);
	sb_release(&id);
}

void bicep_names_release(struct bicep_names *names)
{
	for (size_t i = 0; i < names->cap; i++)
		free(names->slots[i]);
	free(names->slots);
	names->slots = NULL;
	names->cap = names->count = 0;
}
