#include "pacc/armexpr.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

bool armexpr_is_expression(const char *s, size_t len)
{
	if (len < 2 || s[0] != '[' || s[len - 1] != ']')
		return false;
	return s[1] != '[';
}

/* A recursive-descent parser over s[pos..end); end is the closing ']'. */
struct parser {
	struct arena *a;
	const char *s;
	size_t pos, end;
	struct armexpr_error *err;
	bool failed;
};

static void fail(struct parser *p, size_t offset, const char *message)
{
	if (p->failed)
		return;
	p->failed = true;
	p->err->offset = offset;
	p->err->message = message;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || is_digit(c);
}

/*
 * Bytes of the Unicode space at s[pos] (0 if none).  Azure's built-ins put
 * a narrow no-break space (U+202F) between arguments, so spaces beyond
 * ASCII separate tokens too: U+0085, U+00A0, U+1680, U+2000-U+200A,
 * U+2028, U+2029, U+202F, U+205F, U+3000.
 */
static size_t unicode_space(const struct parser *p)
{
	const unsigned char *u = (const unsigned char *)p->s + p->pos;
	size_t left = p->end - p->pos;
	if (left >= 2 && u[0] == 0xC2 && (u[1] == 0x85 || u[1] == 0xA0))
		return 2;
	if (left < 3)
		return 0;
	if (u[0] == 0xE1 && u[1] == 0x9A && u[2] == 0x80)
		return 3;
	if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] <= 0x8A || u[2] == 0xA8 || u[2] == 0xA9 || u[2] == 0xAF))
		return 3;
	if (u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0x9F)
		return 3;
	if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

static void skip_space(struct parser *p)
{
	while (p->pos < p->end) {
		if (is_space(p->s[p->pos])) {
			p->pos++;
			continue;
		}
		size_t n = unicode_space(p);
		if (!n)
			break;
		p->pos += n;
	}
}

static char peek(struct parser *p)
{
	return p->pos < p->end ? p->s[p->pos] : '\0';
}

static struct armexpr *node_new(struct parser *p, enum armexpr_kind kind, size_t begin)
{
	struct armexpr *e = ARENA_NEW(p->a, struct armexpr);
	e->kind = kind;
	e->begin = begin;
	e->end = begin;
	return e;
}

static size_t scan_name(struct parser *p)
{
	size_t start = p->pos;
	while (p->pos < p->end && is_name_char(p->s[p->pos]))
		p->pos++;
	return p->pos - start;
}

static struct armexpr *parse_expr(struct parser *p, int depth);

static struct armexpr *parse_string(struct parser *p)
{
	size_t begin = p->pos;
	struct armexpr *e = node_new(p, ARMEXPR_STRING, begin);
	p->pos++; /* opening quote */
	/* Unescaping only shrinks, so the raw length bounds the value. */
	char *buf = arena_alloc(p->a, p->end - p->pos + 1);
	size_t n = 0;
	for (;;) {
		if (p->pos >= p->end) {
			fail(p, begin, "unterminated string literal");
			return NULL;
		}
		char c = p->s[p->pos++];
		if (c == '\'') {
			if (p->pos < p->end && p->s[p->pos] == '\'') {
				buf[n++] = '\'';
				p->pos++;
				continue;
			}
			break;
		}
		buf[n++] = c;
	}
	buf[n] = '\0';
	e->u.string.s = buf;
	e->u.string.len = n;
	e->end = p->pos;
	return e;
}

static struct armexpr *parse_number(struct parser *p)
{
	size_t begin = p->pos;
	struct armexpr *e = node_new(p, ARMEXPR_NUMBER, begin);
	bool negative = false;
	if (peek(p) == '-') {
		negative = true;
		p->pos++;
	}
	if (!is_digit(peek(p))) {
		fail(p, begin, "expected digits after '-'");
		return NULL;
	}
	long long v = 0;
	while (is_digit(peek(p))) {
		int dgt = p->s[p->pos++] - '0';
		if (v > (LLONG_MAX - dgt) / 10)
			v = LLONG_MAX;
		else
			v = v * 10 + dgt;
	}
	if (is_name_start(peek(p))) {
		fail(p, p->pos, "invalid number");
		return NULL;
	}
	e->u.number.value = negative ? -v : v;
	e->u.number.text = arena_strndup(p->a, p->s + begin, p->pos - begin);
	e->end = p->pos;
	return e;
}

static struct armexpr *parse_call(struct parser *p, int depth)
{
	size_t begin = p->pos;
	scan_name(p);
	/* A user-defined function: namespace.name(...). */
	if (peek(p) == '.' && p->pos + 1 < p->end && is_name_start(p->s[p->pos + 1])) {
		p->pos++;
		scan_name(p);
	}
	size_t name_end = p->pos;
	skip_space(p);
	if (peek(p) != '(') {
		fail(p, begin, "expected '(' after a function name (bare words are not values)");
		return NULL;
	}
	struct armexpr *e = node_new(p, ARMEXPR_CALL, begin);
	e->u.call.name = arena_strndup(p->a, p->s + begin, name_end - begin);
	p->pos++;
	skip_space(p);
	struct armexpr **tail = &e->u.call.args;
	if (peek(p) == ')') {
		p->pos++;
		e->end = p->pos;
		return e;
	}
	for (;;) {
		struct armexpr *arg = parse_expr(p, depth + 1);
		if (!arg)
			return NULL;
		*tail = arg;
		tail = &arg->next;
		e->u.call.argc++;
		skip_space(p);
		char c = peek(p);
		if (c == ',') {
			p->pos++;
			continue;
		}
		if (c == ')') {
			p->pos++;
			break;
		}
		fail(p, p->pos, p->pos >= p->end ? "unbalanced '(': expected ')'" : "expected ',' or ')'");
		return NULL;
	}
	e->end = p->pos;
	return e;
}

static struct armexpr *parse_primary(struct parser *p, int depth)
{
	skip_space(p);
	char c = peek(p);
	if (p->pos >= p->end) {
		fail(p, p->pos, "expected an expression");
		return NULL;
	}
	if (c == '\'')
		return parse_string(p);
	if (c == '-' || is_digit(c))
		return parse_number(p);
	if (is_name_start(c))
		return parse_call(p, depth);
	if (c == ')' || c == ',' || c == ']')
		fail(p, p->pos, "expected an expression");
	else if (c == '"')
		fail(p, p->pos, "strings in expressions use single quotes");
	else
		fail(p, p->pos, "unexpected character in expression");
	return NULL;
}

static const char too_deep[] = "expression nested too deeply (more than 64 levels)";

static struct armexpr *parse_expr(struct parser *p, int depth)
{
	if (depth > ARMEXPR_MAX_DEPTH) {
		fail(p, p->pos, too_deep);
		return NULL;
	}
	struct armexpr *e = parse_primary(p, depth);
	if (!e)
		return NULL;
	int level = depth;
	for (;;) {
		skip_space(p);
		char c = peek(p);
		if (c != '.' && c != '[')
			return e;
		if (++level > ARMEXPR_MAX_DEPTH) {
			fail(p, p->pos, too_deep);
			return NULL;
		}
		size_t op = p->pos++;
		if (c == '.') {
			skip_space(p);
			size_t name_begin = p->pos;
			if (!is_name_start(peek(p))) {
				fail(p, p->pos, "expected a property name after '.'");
				return NULL;
			}
			size_t n = scan_name(p);
			struct armexpr *prop = node_new(p, ARMEXPR_PROPERTY, e->begin);
			prop->u.property.object = e;
			prop->u.property.name = arena_strndup(p->a, p->s + name_begin, n);
			prop->end = p->pos;
			e = prop;
			continue;
		}
		struct armexpr *index = parse_expr(p, level + 1);
		if (!index)
			return NULL;
		skip_space(p);
		if (peek(p) != ']') {
			fail(p, p->pos >= p->end ? op : p->pos,
			     p->pos >= p->end ? "unbalanced '[': expected ']'" : "expected ']'");
			return NULL;
		}
		p->pos++;
		struct armexpr *ix = node_new(p, ARMEXPR_INDEX, e->begin);
		ix->u.index.object = e;
		ix->u.index.index = index;
		ix->end = p->pos;
		e = ix;
	}
}

struct armexpr *armexpr_parse(struct arena *a, const char *s, size_t len,
			      struct armexpr_error *err)
{
	err->offset = 0;
	err->message = NULL;
	if (!armexpr_is_expression(s, len)) {
		err->message = "not an expression: expected '[' ... ']'";
		return NULL;
	}
	struct parser p = { .a = a, .s = s, .pos = 1, .end = len - 1, .err = err, .failed = false };
	skip_space(&p);
	if (p.pos >= p.end) {
		fail(&p, p.pos, "empty expression");
		return NULL;
	}
	struct armexpr *e = parse_expr(&p, 1);
	if (!e)
		return NULL;
	skip_space(&p);
	if (p.pos < p.end) {
		fail(&p, p.pos,
		     p.s[p.pos] == ')' ? "unbalanced ')'" : "unexpected text after the expression");
		return NULL;
	}
	return e;
}

void armexpr_walk(const struct armexpr *e, void (*fn)(const struct armexpr *node, void *ctx),
		  void *ctx)
{
	if (!e)
		return;
	fn(e, ctx);
	switch (e->kind) {
	case ARMEXPR_CALL:
		for (const struct armexpr *arg = e->u.call.args; arg; arg = arg->next)
			armexpr_walk(arg, fn, ctx);
		break;
	case ARMEXPR_STRING:
	case ARMEXPR_NUMBER:
		break;
	case ARMEXPR_PROPERTY:
		armexpr_walk(e->u.property.object, fn, ctx);
		break;
	case ARMEXPR_INDEX:
		armexpr_walk(e->u.index.object, fn, ctx);
		armexpr_walk(e->u.index.index, fn, ctx);
		break;
	}
}

struct ref_collector {
	struct arena *a;
	struct armexpr_param_ref *items;
	size_t count, alloc;
};

static void collect_ref(const struct armexpr *e, void *ctx)
{
	struct ref_collector *c = ctx;
	if (e->kind != ARMEXPR_CALL || strcasecmp(e->u.call.name, "parameters") != 0)
		return;
	const struct armexpr *arg = e->u.call.args;
	if (e->u.call.argc != 1 || arg->kind != ARMEXPR_STRING)
		return;
	if (c->count == c->alloc) {
		size_t alloc = c->alloc ? c->alloc * 2 : 4;
		struct armexpr_param_ref *items = ARENA_NEW_ARRAY(c->a, struct armexpr_param_ref, alloc);
		if (c->count)
			memcpy(items, c->items, c->count * sizeof(*items));
		c->items = items;
		c->alloc = alloc;
	}
	struct armexpr_param_ref *r = &c->items[c->count++];
	r->name = arg->u.string.s;
	r->begin = e->begin;
	r->end = e->end;
}

size_t armexpr_param_refs(struct arena *a, const struct armexpr *e,
			  struct armexpr_param_ref **out)
{
	struct ref_collector c = { .a = a, .items = NULL, .count = 0, .alloc = 0 };
	armexpr_walk(e, collect_ref, &c);
	*out = c.items;
	return c.count;
}

/* ---- writing ---- */

void armexpr_add_string(struct sb *out, const char *s)
{
	sb_addch(out, '\'');
	for (const char *q = s; *q; q++) {
		if (*q == '\'')
			sb_addch(out, '\'');
		sb_addch(out, *q);
	}
	sb_addch(out, '\'');
}

void armexpr_add_param_ref(struct sb *out, const char *name)
{
	sb_adds(out, "[parameters(");
	armexpr_add_string(out, name);
	sb_adds(out, ")]");
}

void armexpr_add_api_guard(struct sb *out, const char *version)
{
	sb_adds(out, "[greaterOrEquals(requestContext().apiVersion, ");
	armexpr_add_string(out, version);
	sb_adds(out, ")]");
}

char *armexpr_param_ref_dup(struct arena *a, const char *name)
{
	struct sb ref = SB_INIT;
	armexpr_add_param_ref(&ref, name);
	char *copy = arena_strndup(a, ref.buf, ref.len);
	sb_release(&ref);
	return copy;
}
