#include "pacc/manifest.h"

#include "pacc/sb.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* ---- the YAML tree ------------------------------------------------------------------- */

/*
 * libyaml's events become this small tree first, so every key check can see
 * the whole mapping (duplicates, unknown keys) and every value its place.
 */
enum node_kind {
	NODE_SCALAR,
	NODE_SEQUENCE,
	NODE_MAPPING,
};

struct node;

struct pair {
	struct pair *next;
	struct node *key;
	struct node *value;
	bool dup; /* set by check_keys: an earlier pair has the same key */
};

struct node {
	enum node_kind kind;
	struct src_span span;
	struct node *next;  /* next item of the parent sequence */
	/* NODE_SCALAR */
	const char *text;
	size_t len;
	bool plain;         /* written without quotes: true, 12 and null are typed */
	/* NODE_SEQUENCE */
	struct node *items;
	size_t count;
	/* NODE_MAPPING */
	struct pair *pairs;
};

struct reader {
	const struct source *src;
	struct arena *arena;
	struct diag_engine *d;
	uint32_t *line_starts; /* byte offset of each line's first byte */
	size_t lines;
	/* The last mark mark_pos() resolved. */
	size_t cursor_line, cursor_col, cursor_offset;
};

static struct src_span span_at(const struct reader *r, size_t offset, size_t end)
{
	struct src_span s = { r->src, source_pos_at(r->src, offset), source_pos_at(r->src, end) };
	return s;
}

/*
 * The position of a libyaml mark: its line, then `column` characters into
 * it (libyaml counts characters, as src_pos does).  Marks arrive mostly in
 * order, so the walk resumes from the last one on the same line: a long line
 * of many tokens costs linear time, not quadratic, and no mark is found by
 * scanning from the start of the file.
 */
static struct src_pos mark_pos(struct reader *r, yaml_mark_t m)
{
	if (m.line >= r->lines)
		return source_pos_at(r->src, r->src->len);
	size_t off = r->line_starts[m.line], c = 0;
	if (r->cursor_line == m.line && r->cursor_col <= m.column) {
		off = r->cursor_offset;
		c = r->cursor_col;
	}
	for (; c < m.column && off < r->src->len && r->src->text[off] != '\n'; c++) {
		off++;
		while (off < r->src->len && (r->src->text[off] & 0xC0) == 0x80)
			off++;
	}
	r->cursor_line = m.line;
	r->cursor_col = c;
	r->cursor_offset = off;
	struct src_pos pos = { (uint32_t)off, (uint32_t)m.line + 1, (uint32_t)c + 1 };
	return pos;
}

/* A span from mark a to mark b; one that runs over lines ends with a's line
 * (a block collection ends at the next token, which is noise in a caret). */
static struct src_span mark_span(struct reader *r, yaml_mark_t a, yaml_mark_t b)
{
	struct src_span s = { r->src, mark_pos(r, a), { 0, 0, 0 } };
	if (b.line == a.line && b.column >= a.column) {
		s.end = mark_pos(r, b);
		return s;
	}
	s.end = s.begin;
	const unsigned char *t = r->src->text;
	for (size_t off = s.begin.offset; off < r->src->len && t[off] != '\n' && t[off] != '\r';) {
		off++;
		while (off < r->src->len && (t[off] & 0xC0) == 0x80)
			off++;
		s.end.offset = (uint32_t)off;
		s.end.col++;
	}
	return s;
}

/* Length of the valid UTF-8 sequence at s (of n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	uint32_t cp;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1Fu;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0Fu;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07u;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3Fu);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return len;
}

/*
 * What libyaml would report badly or not at all, before it runs: invalid
 * UTF-8, NUL bytes, and tabs in indentation (YAML forbids them; a tab
 * there is the classic "the file looks right" mistake).  Also builds the
 * line table.  False when the file must not be parsed.
 */
static bool prescan(struct reader *r)
{
	const unsigned char *t = r->src->text;
	size_t n = r->src->len, lines = 1;
	for (size_t i = 0; i < n; i++)
		lines += t[i] == '\n';
	r->line_starts = ARENA_NEW_ARRAY(r->arena, uint32_t, lines);
	r->lines = 0;
	r->line_starts[r->lines++] = 0;
	bool ok = true, line_start = true;
	size_t bad_utf8 = 0, tabs = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = t[i];
		if (c == '\n') {
			r->line_starts[r->lines++] = (uint32_t)(i + 1);
			line_start = true;
			i++;
			continue;
		}
		if (c == '\t' && line_start) {
			if (tabs++ < 5)
				diag_error(r->d, span_at(r, i, i + 1), "E1002",
					   "tab in indentation (YAML indents with spaces only)");
			ok = false;
		} else if (c != ' ') {
			line_start = false;
		}
		if (c == 0) {
			diag_error(r->d, span_at(r, i, i + 1), "E0004", "NUL byte in the manifest");
			return false;
		}
		size_t len = utf8_seq(t + i, n - i);
		if (len == 0) {
			if (bad_utf8++ == 0)
				diag_error(r->d, span_at(r, i, i + 1), "E0002",
					   "invalid UTF-8 (byte 0x%02x)", c);
			ok = false;
			i++;
			continue;
		}
		i += len;
	}
	return ok;
}

static struct node *node_new(struct reader *r, enum node_kind kind, struct src_span span)
{
	struct node *nd = ARENA_NEW(r->arena, struct node);
	nd->kind = kind;
	nd->span = span;
	return nd;
}

/* One open collection while events arrive. */
struct frame {
	struct node *node;
	struct node **items_tail;
	struct pair **pairs_tail;
	struct node *pending_key; /* mapping: a key waiting for its value */
};

/* Adds child to the open collection: a sequence item, a mapping key, or the value of the key before. */
static void attach(struct reader *r, struct frame *f, struct node *child)
{
	if (f->node->kind == NODE_SEQUENCE) {
		*f->items_tail = child;
		f->items_tail = &child->next;
		f->node->count++;
		return;
	}
	if (!f->pending_key) {
		f->pending_key = child;
		return;
	}
	struct pair *p = ARENA_NEW(r->arena, struct pair);
	p->key = f->pending_key;
	p->value = child;
	*f->pairs_tail = p;
	f->pairs_tail = &p->next;
	f->node->count++;
	f->pending_key = NULL;
}

static void refuse_anchor(struct reader *r, const yaml_char_t *anchor, struct src_span span)
{
	if (anchor)
		diag_error(r->d, span, "E1004",
			   "YAML anchors are not allowed in a manifest ('&%s'): write the value out",
			   (const char *)anchor);
}

/*
 * Reads the YAML stream into a tree.  NULL after a syntax error (reported
 * as E1001 at libyaml's problem mark) or an empty stream.
 */
static struct node *load(struct reader *r)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		die_oom();
	yaml_parser_set_input_string(&parser, r->src->text, r->src->len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

	struct frame stack[MANIFEST_MAX_DEPTH + 1];
	size_t depth = 0, documents = 0;
	struct node *root = NULL;
	bool done = false, failed = false;
	while (!done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			struct diag_record *rec = diag_error(
				r->d, mark_span(r, parser.problem_mark, parser.problem_mark), "E1001",
				"invalid YAML: %s", parser.problem ? parser.problem : "unreadable");
			if (parser.context)
				diag_note(r->d, rec, mark_span(r, parser.context_mark, parser.context_mark),
					  "%s", parser.context);
			failed = true;
			break;
		}
		struct src_span sp = mark_span(r, ev.start_mark, ev.end_mark);
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++documents == 2)
				diag_error(r->d, sp, "E1001",
					   "a manifest is one YAML document; this starts a second");
			break;
		case YAML_NO_EVENT:
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_ALIAS_EVENT:
		case YAML_SCALAR_EVENT: {
			struct node *nd = node_new(r, NODE_SCALAR, sp);
			if (ev.type == YAML_ALIAS_EVENT) {
				diag_error(r->d, sp, "E1004",
					   "YAML aliases are not allowed in a manifest ('*%s'): write the value out",
					   (const char *)ev.data.alias.anchor);
				nd->text = "";
				nd->plain = true;
			} else {
				refuse_anchor(r, ev.data.scalar.anchor, sp);
				nd->len = ev.data.scalar.length;
				nd->text = arena_strndup(r->arena, (const char *)ev.data.scalar.value, nd->len);
				nd->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			}
			if (depth == 0) {
				if (!root)
					root = nd;
			} else {
				attach(r, &stack[depth - 1], nd);
			}
			break;
		}
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
			refuse_anchor(r, seq ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor,
				      sp);
			if (depth == MANIFEST_MAX_DEPTH) {
				/* Stop here: libyaml's scanner slows down with every open flow
				 * level, and the tree is of no use any more. */
				diag_error(r->d, sp, "E1022", "nesting too deep (more than %d levels)",
					   MANIFEST_MAX_DEPTH);
				failed = true;
				done = true;
				break;
			}
			struct node *nd = node_new(r, seq ? NODE_SEQUENCE : NODE_MAPPING, sp);
			if (depth == 0) {
				if (!root)
					root = nd;
			} else {
				attach(r, &stack[depth - 1], nd);
			}
			struct frame *f = &stack[depth++];
			f->node = nd;
			f->items_tail = &nd->items;
			f->pairs_tail = &nd->pairs;
			f->pending_key = NULL;
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth)
				depth--;
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return failed ? NULL : root;
}

/* ---- reading the tree ---------------------------------------------------------------- */

static const char *kind_name(enum node_kind k)
{
	switch (k) {
	case NODE_SCALAR:
		return "a scalar";
	case NODE_SEQUENCE:
		return "a list";
	case NODE_MAPPING:
		return "a mapping";
	}
	return "a value";
}

static bool expect_kind(struct reader *r, const struct node *nd, enum node_kind k, const char *what)
{
	if (nd->kind == k)
		return true;
	diag_error(r->d, nd->span, "E1007", "'%s' must be %s, not %s", what, kind_name(k),
		   kind_name(nd->kind));
	return false;
}

/* A scalar that names text: plain nulls and NUL bytes refused. */
static bool scalar_value(struct reader *r, const struct node *nd, const char *what,
			 struct manifest_value *out)
{
	if (!expect_kind(r, nd, NODE_SCALAR, what))
		return false;
	if (nd->plain && (nd->len == 0 || strcmp(nd->text, "~") == 0 || strcasecmp(nd->text, "null") == 0)) {
		diag_error(r->d, nd->span, "E1007", "'%s' is empty", what);
		return false;
	}
	if (strlen(nd->text) != nd->len) {
		diag_error(r->d, nd->span, "E1007", "'%s' holds a NUL character", what);
		return false;
	}
	out->s = nd->text;
	out->span = nd->span;
	return true;
}

/*
 * Checks a mapping's keys against the allowed ones: each key a scalar, no
 * key twice (E1005, noting the first), none unknown (E1006 with a
 * suggestion).  `where` names the mapping in messages.
 */
static int cmp_pairs(const void *a, const void *b)
{
	const struct pair *const *x = a, *const *y = b;
	int c = strcmp((*x)->key->text, (*y)->key->text);
	if (c)
		return c;
	return (*x)->key->span.begin.offset < (*y)->key->span.begin.offset ? -1 : 1;
}

static void check_keys(struct reader *r, const struct node *map, const char *const *keys, size_t n,
		       const char *where)
{
	/* Duplicates by sorting, so a mapping of many keys costs n log n. */
	struct pair **sorted = ARENA_NEW_ARRAY(r->arena, struct pair *, map->count ? map->count : 1);
	size_t scalars = 0;
	for (struct pair *p = map->pairs; p; p = p->next) {
		if (p->key->kind != NODE_SCALAR) {
			diag_error(r->d, p->key->span, "E1007", "a key in %s must be a scalar", where);
			continue;
		}
		sorted[scalars++] = p;
	}
	qsort(sorted, scalars, sizeof(*sorted), cmp_pairs);
	for (size_t i = 1, first = 0; i < scalars && !diag_should_stop(r->d); i++) {
		if (strcmp(sorted[i]->key->text, sorted[first]->key->text) != 0) {
			first = i;
			continue;
		}
		sorted[i]->dup = true;
		struct diag_record *rec = diag_error(r->d, sorted[i]->key->span, "E1005",
						     "duplicate key '%s' in %s", sorted[i]->key->text,
						     where);
		diag_note(r->d, rec, sorted[first]->key->span, "'%s' first given here",
			  sorted[first]->key->text);
	}
	for (const struct pair *p = map->pairs; keys && p && !diag_should_stop(r->d); p = p->next) {
		if (p->key->kind != NODE_SCALAR || p->dup)
			continue;
		bool known = false;
		for (size_t i = 0; i < n && !known; i++)
			known = strcmp(keys[i], p->key->text) == 0;
		if (!known) {
			struct diag_record *rec = diag_error(r->d, p->key->span, "E1006",
							     "unknown key '%s' in %s", p->key->text, where);
			const char *best = diag_closest(p->key->text, keys, n);
			if (best)
				diag_help(r->d, rec, "did you mean '%s'?", best);
		}
	}
}

/* The value of key in map (its first occurrence), or NULL. */
static const struct node *get(const struct node *map, const char *key)
{
	for (const struct pair *p = map->pairs; p; p = p->next)
		if (p->key->kind == NODE_SCALAR && strcmp(p->key->text, key) == 0)
			return p->value;
	return NULL;
}

static bool require(struct reader *r, const struct node *map, const char *key, const char *where)
{
	if (get(map, key))
		return true;
	diag_error(r->d, map->span, "E1008", "%s has no '%s'", where, key);
	return false;
}

static void text_key(struct reader *r, const struct node *map, const char *key,
		     struct manifest_value *out)
{
	const struct node *v = get(map, key);
	out->s = NULL;
	out->span = map->span;
	if (v)
		scalar_value(r, v, key, out);
}

/* `value` among choices (case-insensitive); stores the canonical spelling. */
static bool choice(struct reader *r, struct manifest_value *v, const char *key,
		   const char *const *choices, size_t n)
{
	if (!v->s)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(v->s, choices[i]) == 0) {
			v->s = choices[i];
			return true;
		}
	struct sb list = SB_INIT;
	for (size_t i = 0; i < n; i++)
		sb_addf(&list, "%s'%s'", i == 0 ? "" : i + 1 == n ? " or " : ", ", choices[i]);
	struct diag_record *rec = diag_error(r->d, v->span, "E1010", "'%s' is %s, not '%s'", key,
					     list.buf, v->s);
	sb_release(&list);
	const char *best = diag_closest(v->s, choices, n);
	if (best)
		diag_help(r->d, rec, "did you mean '%s'?", best);
	v->s = NULL;
	return false;
}

/* ---- values: dates, scopes, JSON ----------------------------------------------------- */

static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool manifest_parse_date(const char *s, long *day)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	long y = strtol(s, NULL, 10), m = strtol(s + 5, NULL, 10), d = strtol(s + 8, NULL, 10);
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1970 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	long max = mdays[m - 1] + (m == 2 && leap);
	if (d > max)
		return false;
	*day = days_from_civil(y, m, d);
	return true;
}

static bool is_guid(const char *s, size_t n)
{
	if (n != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		char c = s[i];
		bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
		if (dash ? c != '-' : !hex)
			return false;
	}
	return true;
}

/* A management group id: 1-90 of [A-Za-z0-9-_().], not ending in '.'. */
static bool is_group_id(const char *s, size_t n)
{
	if (n == 0 || n > 90 || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '(' || c == ')' || c == '.'))
			return false;
	}
	return true;
}

/* A resource group name: 1-90 of letters, digits, -_.() not ending in '.'. */
static bool is_rg_name(const char *s, size_t n) { return is_group_id(s, n); }

#define MG_PREFIX "/providers/Microsoft.Management/managementGroups/"

/*
 * Parses a scope.  `allow` is a bit set of the kinds accepted here (1 <<
 * kind); anything else is E1009 with what would have been accepted.
 */
static bool parse_scope(struct reader *r, const struct node *nd, const char *what, unsigned allow,
			struct manifest_scope *out)
{
	struct manifest_value v = { NULL, nd->span };
	if (!scalar_value(r, nd, what, &v))
		return false;
	const char *s = v.s;
	size_t n = strlen(s);
	memset(out, 0, sizeof(*out));
	out->span = v.span;
	bool ok = false;
	if (s[0] != '/') {
		if (is_group_id(s, n)) {
			out->kind = MANIFEST_SCOPE_MANAGEMENT_GROUP;
			out->group = s;
			out->id = arena_printf(r->arena, MG_PREFIX "%s", s);
			ok = true;
		}
	} else if (strncasecmp(s, MG_PREFIX, strlen(MG_PREFIX)) == 0) {
		const char *g = s + strlen(MG_PREFIX);
		if (is_group_id(g, strlen(g))) {
			out->kind = MANIFEST_SCOPE_MANAGEMENT_GROUP;
			out->group = g;
			out->id = arena_printf(r->arena, MG_PREFIX "%s", g);
			ok = true;
		}
	} else if (strncasecmp(s, "/subscriptions/", 15) == 0) {
		const char *sub = s + 15;
		const char *slash = strchr(sub, '/');
		size_t sn = slash ? (size_t)(slash - sub) : strlen(sub);
		if (is_guid(sub, sn)) {
			out->subscription = arena_strndup(r->arena, sub, sn);
			if (!slash || !slash[1]) {
				out->kind = MANIFEST_SCOPE_SUBSCRIPTION;
				out->id = arena_printf(r->arena, "/subscriptions/%s", out->subscription);
				ok = true;
			} else if (strncasecmp(slash, "/resourceGroups/", 16) == 0) {
				const char *rg = slash + 16;
				const char *end = strchr(rg, '/');
				size_t rn = end ? (size_t)(end - rg) : strlen(rg);
				if (is_rg_name(rg, rn)) {
					out->resource_group = arena_strndup(r->arena, rg, rn);
					if (!end || !end[1]) {
						out->kind = MANIFEST_SCOPE_RESOURCE_GROUP;
						out->id = arena_printf(r->arena, "/subscriptions/%s/resourceGroups/%s",
								       out->subscription, out->resource_group);
						ok = true;
					} else if (strncasecmp(end, "/providers/", 11) == 0 && end[11]) {
						out->kind = MANIFEST_SCOPE_RESOURCE;
						out->id = s;
						ok = true;
					}
				}
			}
		}
	}
	if (ok && !(allow & (1u << out->kind))) {
		static const char *const names[] = { "a management group", "a subscription",
						     "a resource group", "a resource" };
		struct sb list = SB_INIT;
		size_t count = 0, total = 0;
		for (unsigned k = 0; k < 4; k++)
			total += (allow >> k) & 1u;
		for (unsigned k = 0; k < 4; k++)
			if (allow & (1u << k)) {
				count++;
				sb_addf(&list, "%s%s", count == 1 ? "" : count == total ? " or " : ", ", names[k]);
			}
		diag_error(r->d, v.span, "E1009", "'%s' must be %s, not %s ('%s')", what, list.buf,
			   names[out->kind], s);
		sb_release(&list);
		return false;
	}
	if (!ok) {
		struct diag_record *rec = diag_error(r->d, v.span, "E1009", "'%s' is not a scope: '%s'",
						     what, s);
		diag_help(r->d, rec, "write a management group id ('contoso'), /subscriptions/<guid> "
				     "or /subscriptions/<guid>/resourceGroups/<name>");
	}
	return ok;
}

static bool is_int_text(const char *s)
{
	const char *p = s + (*s == '-' || *s == '+');
	if (!*p)
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static bool is_float_text(const char *s)
{
	char *end = NULL;
	if (!*s)
		return false;
	(void)strtod(s, &end);
	return *end == '\0' && strspn(s, "0123456789+-.eE") == strlen(s);
}

/* The YAML value as JSON: plain true/false/null/numbers typed, the rest strings. */
static struct ast_json *to_json(struct reader *r, const struct node *nd)
{
	struct ast_json *j;
	switch (nd->kind) {
	case NODE_SCALAR:
		if (nd->plain && (strcmp(nd->text, "true") == 0 || strcmp(nd->text, "false") == 0)) {
			j = ast_json_new(r->arena, AST_JSON_BOOL, nd->span);
			j->u.boolean = nd->text[0] == 't';
		} else if (nd->plain && (nd->len == 0 || strcmp(nd->text, "null") == 0 ||
					 strcmp(nd->text, "~") == 0)) {
			j = ast_json_new(r->arena, AST_JSON_NULL, nd->span);
		} else if (nd->plain && (is_int_text(nd->text) || is_float_text(nd->text))) {
			j = ast_json_new(r->arena, AST_JSON_NUMBER, nd->span);
			j->u.number.text = nd->text;
			j->u.number.value = strtod(nd->text, NULL);
		} else {
			j = ast_json_new(r->arena, AST_JSON_STRING, nd->span);
			j->u.string = ast_str_new(r->arena, nd->text, nd->len, nd->span);
		}
		return j;
	case NODE_SEQUENCE: {
		j = ast_json_new(r->arena, AST_JSON_ARRAY, nd->span);
		struct ast_json_item **tail = &j->u.array.items;
		for (const struct node *it = nd->items; it; it = it->next) {
			struct ast_json_item *item = ARENA_NEW(r->arena, struct ast_json_item);
			item->value = to_json(r, it);
			*tail = item;
			tail = &item->next;
			j->u.array.count++;
		}
		return j;
	}
	case NODE_MAPPING: {
		j = ast_json_new(r->arena, AST_JSON_OBJECT, nd->span);
		check_keys(r, nd, NULL, 0, "a parameter value");
		struct ast_json_member **tail = &j->u.object.members;
		for (const struct pair *p = nd->pairs; p; p = p->next) {
			if (p->key->kind != NODE_SCALAR || p->dup)
				continue;
			struct ast_json_member *m = ARENA_NEW(r->arena, struct ast_json_member);
			m->key = ast_str_new(r->arena, p->key->text, p->key->len, p->key->span);
			m->value = to_json(r, p->value);
			*tail = m;
			tail = &m->next;
			j->u.object.count++;
		}
		return j;
	}
	}
	return ast_json_new(r->arena, AST_JSON_NULL, nd->span);
}

/* ---- the manifest's parts -------------------------------------------------------------- */

/* A `name: value` mapping (effects, parameters, messages) as entries. */
static struct manifest_entry *read_entries(struct reader *r, const struct node *nd, const char *what,
					   bool json)
{
	if (!nd || !expect_kind(r, nd, NODE_MAPPING, what))
		return NULL;
	check_keys(r, nd, NULL, 0, arena_printf(r->arena, "'%s'", what));
	struct manifest_entry *head = NULL, **tail = &head;
	for (const struct pair *p = nd->pairs; p; p = p->next) {
		if (p->key->kind != NODE_SCALAR || p->dup)
			continue;
		struct manifest_entry *e = ARENA_NEW(r->arena, struct manifest_entry);
		e->key.s = p->key->text;
		e->key.span = p->key->span;
		if (json) {
			e->json = to_json(r, p->value);
			e->value.span = p->value->span;
		} else if (!scalar_value(r, p->value, arena_printf(r->arena, "%s.%s", what, p->key->text),
					 &e->value)) {
			continue;
		}
		*tail = e;
		tail = &e->next;
	}
	return head;
}

static const unsigned ENV_SCOPES = (1u << MANIFEST_SCOPE_MANAGEMENT_GROUP) |
				   (1u << MANIFEST_SCOPE_SUBSCRIPTION);
static const unsigned BELOW_SCOPES = (1u << MANIFEST_SCOPE_MANAGEMENT_GROUP) |
				     (1u << MANIFEST_SCOPE_SUBSCRIPTION) |
				     (1u << MANIFEST_SCOPE_RESOURCE_GROUP);
static const unsigned ANY_SCOPE = 0xFu;

static struct manifest_scope *read_scopes(struct reader *r, const struct node *nd, const char *what,
					  unsigned allow, size_t *count)
{
	*count = 0;
	if (!nd || !expect_kind(r, nd, NODE_SEQUENCE, what))
		return NULL;
	struct manifest_scope *out = ARENA_NEW_ARRAY(r->arena, struct manifest_scope,
						      nd->count ? nd->count : 1);
	for (const struct node *it = nd->items; it; it = it->next)
		if (parse_scope(r, it, what, allow, &out[*count]))
			(*count)++;
	return out;
}

static const char *const exemption_keys[] = { "policy",  "scope", "category", "expires",
					      "justification", "owner", "ticket", "name" };

static struct manifest_exemption *read_exemption(struct reader *r, const struct node *nd)
{
	if (!expect_kind(r, nd, NODE_MAPPING, "exemptions[]"))
		return NULL;
	check_keys(r, nd, exemption_keys, sizeof(exemption_keys) / sizeof(exemption_keys[0]),
		   "an exemption");
	struct manifest_exemption *ex = ARENA_NEW(r->arena, struct manifest_exemption);
	ex->span = nd->span;
	static const char *const required[] = { "policy", "scope", "category",
						"expires", "justification", "owner" };
	bool ok = true;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		ok &= require(r, nd, required[i], "an exemption");
	text_key(r, nd, "name", &ex->name);
	text_key(r, nd, "policy", &ex->policy);
	text_key(r, nd, "category", &ex->category);
	text_key(r, nd, "expires", &ex->expires);
	text_key(r, nd, "justification", &ex->justification);
	text_key(r, nd, "owner", &ex->owner);
	text_key(r, nd, "ticket", &ex->ticket);
	const struct node *scope = get(nd, "scope");
	if (scope && !parse_scope(r, scope, "scope", BELOW_SCOPES, &ex->scope))
		ok = false;
	static const char *const categories[] = { "Waiver", "Mitigated" };
	if (ex->category.s && !choice(r, &ex->category, "category", categories, 2))
		ok = false;
	if (ex->expires.s && !manifest_parse_date(ex->expires.s, &ex->expires_day)) {
		diag_error(r->d, ex->expires.span, "E1015",
			   "'expires' is not a calendar date written YYYY-MM-DD: '%s'", ex->expires.s);
		ok = false;
	}
	ok &= ex->policy.s && ex->category.s && ex->expires.s && ex->justification.s && ex->owner.s;
	return ok ? ex : NULL;
}

static bool env_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32 || !(s[0] >= 'a' && s[0] <= 'z') || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static struct manifest_assignment *read_assignment(struct reader *r, const struct node *nd)
{
	if (!nd)
		return NULL;
	struct manifest_assignment *head = NULL, **tail = &head;
	if (nd->kind == NODE_SCALAR) {
		struct manifest_assignment *a = ARENA_NEW(r->arena, struct manifest_assignment);
		if (!scalar_value(r, nd, "assignment", &a->name))
			return NULL;
		a->pack.span = nd->span;
		return a;
	}
	if (nd->kind != NODE_MAPPING) {
		diag_error(r->d, nd->span, "E1007",
			   "'assignment' must be a name, or a mapping from pack to name, not %s",
			   kind_name(nd->kind));
		return NULL;
	}
	check_keys(r, nd, NULL, 0, "'assignment'");
	for (const struct pair *p = nd->pairs; p; p = p->next) {
		if (p->key->kind != NODE_SCALAR || p->dup)
			continue;
		struct manifest_assignment *a = ARENA_NEW(r->arena, struct manifest_assignment);
		a->pack.s = p->key->text;
		a->pack.span = p->key->span;
		if (!scalar_value(r, p->value, "assignment", &a->name))
			continue;
		*tail = a;
		tail = &a->next;
	}
	return head;
}

static const char *const env_keys[] = { "name",      "scope",       "assign",   "not-scopes",
					"location",  "enforcement", "effects",  "parameters",
					"messages",  "exemptions",  "assignment", "extends",
					"service-connection" };

static void read_env(struct reader *r, struct manifest *m, const struct node *nd)
{
	if (!expect_kind(r, nd, NODE_MAPPING, "environments[]"))
		return;
	check_keys(r, nd, env_keys, sizeof(env_keys) / sizeof(env_keys[0]), "an environment");
	struct manifest_env *e = &m->envs[m->env_count];
	e->span = nd->span;
	bool ok = require(r, nd, "name", "an environment");
	ok &= require(r, nd, "scope", "an environment");
	require(r, nd, "location", "an environment");
	text_key(r, nd, "name", &e->name);
	if (e->name.s) {
		if (!env_name_ok(e->name.s)) {
			diag_error(r->d, e->name.span, "E1011",
				   "environment name '%s' is not 1 to 32 of [a-z0-9-], starting with a "
				   "letter and not ending in '-'",
				   e->name.s);
			ok = false;
		}
		for (size_t i = 0; i < m->env_count; i++)
			if (strcmp(m->envs[i].name.s, e->name.s) == 0) {
				struct diag_record *rec = diag_error(r->d, e->name.span, "E1011",
								     "duplicate environment '%s'", e->name.s);
				diag_note(r->d, rec, m->envs[i].name.span, "'%s' first defined here",
					  e->name.s);
				ok = false;
				break;
			}
	}
	const struct node *scope = get(nd, "scope");
	if (scope && !parse_scope(r, scope, "scope", ENV_SCOPES, &e->scope))
		ok = false;
	e->assign = read_scopes(r, get(nd, "assign"), "assign", BELOW_SCOPES, &e->assign_count);
	e->not_scopes = read_scopes(r, get(nd, "not-scopes"), "not-scopes", ANY_SCOPE,
				    &e->not_scope_count);
	text_key(r, nd, "location", &e->location);
	text_key(r, nd, "enforcement", &e->enforcement_text);
	static const char *const modes[] = { "Default", "DoNotEnforce" };
	e->enforcement = MANIFEST_DO_NOT_ENFORCE;
	if (e->enforcement_text.s && choice(r, &e->enforcement_text, "enforcement", modes, 2))
		e->enforcement = strcmp(e->enforcement_text.s, "Default") == 0 ? MANIFEST_ENFORCE
									   : MANIFEST_DO_NOT_ENFORCE;
	text_key(r, nd, "extends", &e->extends);
	if (e->extends.s) {
		const struct manifest_env *base = NULL;
		for (size_t i = 0; i < m->env_count && !base; i++)
			if (strcmp(m->envs[i].name.s, e->extends.s) == 0)
				base = &m->envs[i];
		if (!base) {
			const char **names = ARENA_NEW_ARRAY(r->arena, const char *,
							     m->env_count ? m->env_count : 1);
			for (size_t i = 0; i < m->env_count; i++)
				names[i] = m->envs[i].name.s;
			struct diag_record *rec = diag_error(
				r->d, e->extends.span, "E1011",
				"'extends' names no earlier environment: '%s'", e->extends.s);
			const char *best = diag_closest(e->extends.s, names, m->env_count);
			if (best)
				diag_help(r->d, rec, "did you mean '%s'?", best);
		}
		e->base = base;
	}
	e->assignments = read_assignment(r, get(nd, "assignment"));
	e->effects = read_entries(r, get(nd, "effects"), "effects", false);
	e->parameters = read_entries(r, get(nd, "parameters"), "parameters", true);
	e->messages = read_entries(r, get(nd, "messages"), "messages", false);
	text_key(r, nd, "service-connection", &e->service_connection);
	const struct node *ex = get(nd, "exemptions");
	if (ex && expect_kind(r, ex, NODE_SEQUENCE, "exemptions")) {
		struct manifest_exemption **tail = &e->exemptions;
		for (const struct node *it = ex->items; it; it = it->next) {
			struct manifest_exemption *x = read_exemption(r, it);
			if (x) {
				*tail = x;
				tail = &x->next;
			}
		}
	}
	/* An environment without a usable name or scope is reported and left out. */
	if (ok && e->name.s && e->scope.id)
		m->env_count++;
	else
		memset(e, 0, sizeof(*e));
}

static const char *const top_keys[] = { "packs", "output", "environments", "warn-expiry-days",
					"pipeline" };
static const char *const pipeline_keys[] = { "install", "branch" };

static void read_top(struct reader *r, struct manifest *m, const struct node *root)
{
	check_keys(r, root, top_keys, sizeof(top_keys) / sizeof(top_keys[0]), "the manifest");
	const struct node *packs = get(root, "packs");
	if (packs) {
		if (packs->kind == NODE_SCALAR) {
			m->packs = ARENA_NEW(r->arena, struct manifest_value);
			if (scalar_value(r, packs, "packs", m->packs))
				m->pack_count = 1;
		} else if (expect_kind(r, packs, NODE_SEQUENCE, "packs")) {
			m->packs = ARENA_NEW_ARRAY(r->arena, struct manifest_value,
						   packs->count ? packs->count : 1);
			for (const struct node *it = packs->items; it; it = it->next)
				if (scalar_value(r, it, "packs[]", &m->packs[m->pack_count]))
					m->pack_count++;
			if (packs->count == 0)
				diag_error(r->d, packs->span, "E1007", "'packs' is an empty list");
		}
	}
	text_key(r, root, "output", &m->output);
	m->warn_expiry_days = MANIFEST_DEFAULT_WARN_DAYS;
	const struct node *warn = get(root, "warn-expiry-days");
	if (warn) {
		struct manifest_value v = { NULL, warn->span };
		if (scalar_value(r, warn, "warn-expiry-days", &v)) {
			if (!is_int_text(v.s) || v.s[0] == '-' || strlen(v.s) > 4 || atol(v.s) > 3650)
				diag_error(r->d, v.span, "E1007",
					   "'warn-expiry-days' must be a whole number from 0 to 3650, not '%s'",
					   v.s);
			else
				m->warn_expiry_days = atol(v.s);
		}
	}
	const struct node *pipe = get(root, "pipeline");
	if (pipe && expect_kind(r, pipe, NODE_MAPPING, "pipeline")) {
		check_keys(r, pipe, pipeline_keys, sizeof(pipeline_keys) / sizeof(pipeline_keys[0]),
			   "'pipeline'");
		text_key(r, pipe, "install", &m->install);
		text_key(r, pipe, "branch", &m->branch);
	}
	const struct node *envs = get(root, "environments");
	if (!envs) {
		diag_error(r->d, root->span, "E1008", "the manifest has no 'environments'");
		return;
	}
	if (!expect_kind(r, envs, NODE_SEQUENCE, "environments"))
		return;
	if (envs->count == 0) {
		diag_error(r->d, envs->span, "E1007", "'environments' is an empty list");
		return;
	}
	if (envs->count > MANIFEST_MAX_ENVS) {
		diag_error(r->d, envs->span, "E1007", "more than %d environments", MANIFEST_MAX_ENVS);
		return;
	}
	m->envs = ARENA_NEW_ARRAY(r->arena, struct manifest_env, envs->count);
	for (const struct node *it = envs->items; it && !diag_should_stop(r->d); it = it->next)
		read_env(r, m, it);
}

struct manifest *manifest_read(const struct source *src, struct arena *arena, struct diag_engine *d)
{
	struct reader r = { src, arena, d, NULL, 0, SIZE_MAX, 0, 0 };
	if (!prescan(&r))
		return NULL;
	struct node *root = load(&r);
	if (!root) {
		if (!diag_has_errors(d))
			diag_error(d, span_at(&r, 0, 0), "E1008", "the manifest is empty");
		return NULL;
	}
	struct manifest *m = ARENA_NEW(arena, struct manifest);
	m->src = src;
	m->warn_expiry_days = MANIFEST_DEFAULT_WARN_DAYS;
	if (root->kind != NODE_MAPPING) {
		diag_error(d, root->span, "E1007", "the manifest must be a mapping, not %s",
			   kind_name(root->kind));
		return m;
	}
	read_top(&r, m, root);
	return m;
}

const struct manifest_env *manifest_env_named(const struct manifest *m, const char *name)
{
	for (size_t i = 0; i < m->env_count; i++)
		if (strcmp(m->envs[i].name.s, name) == 0)
			return &m->envs[i];
	return NULL;
}
