/*
 * Injection-safe output, table driven: every string of an adversarial set is
 * placed into every text slot of a pack, and the pack is built with every
 * generator.  Each build is compared with a baseline build of the same pack
 * whose slot holds a plain marker word:
 *
 *   JSON      every file parses (cJSON), has the baseline's shape (same keys,
 *             same types), and each string equals the baseline's string with
 *             the marker replaced by the input: byte-identical data;
 *   Markdown  the front matter parses (libyaml) into the baseline's keys, with
 *             the marker replaced by the normalised input in its values; the
 *             body has the baseline's block structure line by line, and the
 *             same count of active inline metacharacters (so no emphasis,
 *             link, code span, HTML, entity or autolink was opened);
 *   Bicep     (when the tree has gen_bicep) the code outside string literals
 *             and comments is the baseline's, and each literal, decoded, is
 *             the baseline's with the marker replaced by the input.
 */
#include "testutil.h"

#include "pacc/armexpr.h"
#include "pacc/check.h"
#include "pacc/gen_json.h"
#include "pacc/gen_md.h"
#include "pacc/md_escape.h"
#include "pacc/output.h"
#include "pacc/parse.h"
#include "pacc/sb.h"
#ifdef PACC_HAVE_BICEP
#include "pacc/gen_bicep.h"
#endif

#include <cJSON.h>
#include <yaml.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MARKER "Qzmarker"
/* Names are lowercased where they become policy names; the name strings
 * below are lowercase, so either spelling of the marker stands for them. */
#define MARKER_LOWER "qzmarker"

/* Strings built to break out of wherever they are put. */
static const char *const adversarial[] = {
	"\"double\" and 'single' quotes",
	"back\\slash \\\" \\' \\n \\",
	"${parameters('x')} and ${{x}} and $ {",
	"''' triple single",
	"\"\"\" triple double",
	"line one\nline two",
	"tab\there\tand\tthere",
	"ctrl \x01\x02\x1b[31m red \x7f end",
	"cr\rlf\r\nend",
	"*bold* _em_ **strong** __strong__ ~~strike~~",
	"[link](https://evil.example) ![img](x.png)",
	"(parens) [brackets] {braces} <angles>",
	"# heading",
	"## heading ##",
	"<script>alert(1)</script>",
	"<!-- comment --> <img src=x onerror=alert(1)>",
	"<https://autolink.example> https://bare.example www.example.com me@example.com",
	"&amp; &lt; &#65; &#x41; &copy; & alone",
	"pipe | table | row",
	"`code` ``double``",
	"caf\xc3\xa9 \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x92",
	"rtl \xe2\x80\xae\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\xe2\x80\xac zero\xe2\x80\x8bwidth \xef\xbb\xbf bom",
	"x\xe2\x80\xa8y\xe2\x80\xa9z\xc2\x85w",
	"---",
	"- item",
	"1. item",
	"> quote",
	"```js",
	":::image type=\"content\":::",
	"key: value\ntitle: injected",
	"%24{x} %00 \\u0000",
	"@System.String a@b.example",
	"trailing backslash \\",
};
#define N_ADVERSARIAL (sizeof(adversarial) / sizeof(adversarial[0]))

/* ---- the pack and its slots ---- */

enum slot_kind {
	SLOT_STRING, /* a "..." literal: any string, escaped */
	SLOT_TEXT,   /* a """ text block: written raw, so only some strings fit */
};

/* A slot's value is prefix + string + suffix, in the baseline too: some
 * slots have rules of their own (a heading starts with "Secure", a title
 * ends without punctuation) that the strings should not trip. */
struct slot {
	const char *name;
	enum slot_kind kind;
	const char *prefix, *suffix;
};

static const struct slot slots[] = {
	{ "service name", SLOT_STRING, NULL, NULL },
	{ "service title", SLOT_STRING, NULL, NULL },
	{ "service heading", SLOT_STRING, "Secure ", NULL },
	{ "service description", SLOT_STRING, NULL, NULL },
	{ "service intro", SLOT_TEXT, NULL, NULL },
	{ "service related text", SLOT_STRING, NULL, NULL },
	{ "section title", SLOT_STRING, NULL, " end" },
	{ "section text", SLOT_TEXT, NULL, NULL },
	{ "recommendation title", SLOT_STRING, NULL, " end" },
	{ "recommendation text", SLOT_TEXT, NULL, NULL },
	{ "see text", SLOT_STRING, NULL, NULL },
	{ "display", SLOT_STRING, NULL, NULL },
	{ "description", SLOT_STRING, NULL, NULL },
	{ "message", SLOT_STRING, NULL, NULL },
	{ "param display", SLOT_STRING, NULL, NULL },
	{ "param description", SLOT_STRING, NULL, NULL },
	{ "metadata value", SLOT_STRING, NULL, NULL },
	{ "condition value", SLOT_STRING, NULL, NULL },
};
#define N_SLOTS (sizeof(slots) / sizeof(slots[0]))

/* The service's required fields but ms.service, the same in every pack here. */
#define SERVICE_FIELDS_BUT_SLUG \
	"  author \"pacc-tests\"\n" \
	"  ms.author \"pacctests\"\n" \
	"  ms.date \"2026-02-01\"\n" \
	"  category \"Gadgets\"\n" \
	"  version \"1.0.0\"\n" \
	"  governs \"Microsoft.Storage/storageAccounts\" at \"2023-05-01\"\n"

/* The pack, with @N@ where slot N goes; every other slot holds plain text. */
static const char pack_template[] =
	"service @0@ {\n"
	"  ms.service \"contoso-gadgets\"\n"
	SERVICE_FIELDS_BUT_SLUG
	"  title @1@\n"
	"  heading @2@\n"
	"  description @3@\n"
	"  intro \"\"\"\n"
	"    @4@\n"
	"  \"\"\"\n"
	"  related @5@ -> \"/azure/storage/blobs/security-recommendations\"\n"
	"}\n"
	"\n"
	"section network-security @6@ {\n"
	"  \"\"\"\n"
	"    @7@\n"
	"  \"\"\"\n"
	"\n"
	"  recommendation NS-1 @8@ {\n"
	"    \"\"\"\n"
	"      @9@\n"
	"    \"\"\"\n"
	"    see @10@ -> \"/azure/storage/common/storage-private-endpoints\"\n"
	"\n"
	"    enforce {\n"
	"      display @11@\n"
	"      description @12@\n"
	"      mode Indexed\n"
	"      effect audit|deny|disabled = audit\n"
	"      message @13@\n"
	"      metadata { \"note\": @16@ }\n"
	"      param tagName String {\n"
	"        display @14@\n"
	"        description @15@\n"
	"        default \"owner\"\n"
	"      }\n"
	"      if {\n"
	"        type == \"Microsoft.Storage/storageAccounts\"\n"
	"        field \"Microsoft.Storage/storageAccounts/minimumTlsVersion\" != @17@\n"
	"        field \"[concat('tags[', parameters('tagName'), ']')]\" exists false\n"
	"      }\n"
	"    }\n"
	"  }\n"
	"}\n";

/* Plain text for the slots not under test: distinct, so a slot's text can
 * be told from the others'. */
static void plain_text(struct sb *out, size_t slot)
{
	sb_addf(out, "Plain text number %zu", slot);
}

/* s as a pacc "..." literal: JSON escapes for quotes, backslashes and
 * control characters; other bytes (UTF-8) as they are. */
static void add_pacc_string(struct sb *out, const char *s)
{
	sb_addch(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			sb_adds(out, "\\\"");
			break;
		case '\\':
			sb_adds(out, "\\\\");
			break;
		case '\n':
			sb_adds(out, "\\n");
			break;
		case '\t':
			sb_adds(out, "\\t");
			break;
		case '\r':
			sb_adds(out, "\\r");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				sb_addf(out, "\\u%04x", *p);
			else
				sb_addch(out, *p);
		}
	}
	sb_addch(out, '"');
}

/*
 * Whether s can be written raw in a text block so that the block's value is
 * exactly s with each line break read as one space: no control characters
 * other than line breaks, no '"""', no blank line, no line that starts or
 * ends with a space.
 */
static bool fits_text_block(const char *s)
{
	if (strstr(s, "\"\"\"") || strstr(s, "\n\n") || s[0] == '\n' || s[0] == '\0')
		return false;
	size_t len = strlen(s);
	if (s[len - 1] == '\n')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			return false;
		if (c == ' ' && (i == 0 || i + 1 == len || s[i + 1] == '\n' || s[i - 1] == '\n'))
			return false;
	}
	return true;
}

/* The pack source with text in slot `which` and plain text elsewhere. */
static char *pack_source(size_t which, const char *text)
{
	struct sb out = SB_INIT;
	for (const char *p = pack_template; *p;) {
		if (*p != '@') {
			sb_addch(&out, *p++);
			continue;
		}
		size_t slot = (size_t)strtoul(p + 1, NULL, 10);
		p = strchr(p + 1, '@') + 1;
		struct sb value = SB_INIT;
		if (slots[slot].prefix)
			sb_adds(&value, slots[slot].prefix);
		if (slot == which)
			sb_adds(&value, text);
		else
			plain_text(&value, slot);
		if (slots[slot].suffix)
			sb_adds(&value, slots[slot].suffix);
		if (slots[slot].kind == SLOT_STRING) {
			add_pacc_string(&out, value.buf);
		} else {
			/* each line indented like the template's first */
			size_t line_start = out.len;
			while (line_start > 0 && out.buf[line_start - 1] != '\n')
				line_start--;
			size_t indent = out.len - line_start;
			for (const char *v = value.buf; *v; v++) {
				sb_addch(&out, *v);
				if (*v == '\n')
					sb_addchars(&out, ' ', indent);
			}
		}
		sb_release(&value);
	}
	return sb_detach(&out, NULL);
}

/* One build: every generator's files, or NULL when the pack has errors. */
struct build {
	struct arena arena;
	struct diag_engine diag;
	struct output_set out;
	bool ok;
};

/* Set while refusals are expected: they are checked as data, not printed. */
static bool quiet_refusals;

static void build_pack(struct build *b, const char *text)
{
	arena_init(&b->arena);
	diag_init(&b->diag);
	b->out = (struct output_set)OUTPUT_SET_INIT;
	struct source *src = source_from_memory("injection.pacc", text, strlen(text));
	struct ast_pack *pack = parse_pack(src, "injection", &b->arena, &b->diag);
	b->ok = !diag_has_errors(&b->diag) && check_pack(pack, &b->diag);
	if (b->ok) {
		gen_json_pack(pack, &b->out);
		gen_md_pack(pack, &b->out);
#ifdef PACC_HAVE_BICEP
		gen_bicep_pack(pack, &b->out);
#endif
	} else if (!quiet_refusals) {
		diag_render(&b->diag, stderr, DIAG_FORMAT_TEXT, false);
	}
	source_free(src);
}

static void build_release(struct build *b)
{
	output_set_release(&b->out);
	diag_release(&b->diag);
	arena_release(&b->arena);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* s with every MARKER replaced by with. */
static char *replace_marker(const char *s, const char *with)
{
	struct sb out = SB_INIT;
	size_t mlen = strlen(MARKER);
	for (const char *p = s; *p;) {
		if (strncmp(p, MARKER, mlen) == 0 || strncmp(p, MARKER_LOWER, mlen) == 0) {
			sb_adds(&out, with);
			p += mlen;
		} else {
			sb_addch(&out, *p++);
		}
	}
	return sb_detach(&out, NULL);
}

/* What a slot's value is once read: a text block's line breaks become spaces. */
static char *slot_value(size_t slot, const char *s)
{
	char *v = strdup(s);
	if (slots[slot].kind == SLOT_TEXT)
		for (char *p = v; *p; p++)
			if (*p == '\n')
				*p = ' ';
	return v;
}

/* Context for messages: which string, which slot, which file. */
struct where {
	size_t string, slot;
	const char *file;
	const char *name_slot; /* set for the name slots, which slot does not index */
};

static void fail_at(const struct where *w, const char *what)
{
	fail_msg("adversarial string %zu in slot '%s', file %s: %s", w->string,
		 w->name_slot ? w->name_slot : slots[w->slot].name, w->file, what);
}

/* ---- ARM expressions ---- */

/*
 * Whether got is the expression base with the marker replaced by value in
 * its string literals: the same tree (calls, properties, indexers, numbers),
 * each literal read back (quotes undoubled) equal to the baseline's.  A
 * name that closed its literal early, or read as another name, changes the
 * tree or a literal.
 */
static bool same_expr_tree(const struct armexpr *b, const struct armexpr *g, const char *value)
{
	if (b->kind != g->kind)
		return false;
	switch (b->kind) {
	case ARMEXPR_CALL: {
		if (strcmp(b->u.call.name, g->u.call.name) != 0 || b->u.call.argc != g->u.call.argc)
			return false;
		const struct armexpr *x = b->u.call.args, *y = g->u.call.args;
		for (; x && y; x = x->next, y = y->next)
			if (!same_expr_tree(x, y, value))
				return false;
		return !x && !y;
	}
	case ARMEXPR_STRING: {
		char *want = replace_marker(b->u.string.s, value);
		bool same = strcmp(want, g->u.string.s) == 0;
		free(want);
		return same;
	}
	case ARMEXPR_NUMBER:
		return strcmp(b->u.number.text, g->u.number.text) == 0;
	case ARMEXPR_PROPERTY:
		return strcmp(b->u.property.name, g->u.property.name) == 0 &&
		       same_expr_tree(b->u.property.object, g->u.property.object, value);
	case ARMEXPR_INDEX:
		return same_expr_tree(b->u.index.object, g->u.index.object, value) &&
		       same_expr_tree(b->u.index.index, g->u.index.index, value);
	}
	return false;
}

/* For two strings that are ARM expressions: whether got is base with the
 * value in place of the marker.  False when either does not parse. */
static bool same_expression(const char *base, const char *got, const char *value)
{
	if (!armexpr_is_expression(base, strlen(base)) || !armexpr_is_expression(got, strlen(got)))
		return false;
	struct arena a;
	arena_init(&a);
	struct armexpr_error err;
	struct armexpr *b = armexpr_parse(&a, base, strlen(base), &err);
	struct armexpr *g = armexpr_parse(&a, got, strlen(got), &err);
	bool same = b && g && same_expr_tree(b, g, value);
	arena_release(&a);
	return same;
}

/* ---- JSON ---- */

static void compare_json(const struct where *w, const cJSON *base, const cJSON *got,
			 const char *value, size_t *hits)
{
	if ((base->type & 0xff) != (got->type & 0xff))
		fail_at(w, "a JSON value changed type");
	if (base->string || got->string) {
		if (!base->string || !got->string)
			fail_at(w, "a JSON member lost its name");
		char *want = replace_marker(base->string, value);
		if (strcmp(want, got->string) != 0)
			fail_at(w, "a JSON member name changed");
		free(want);
	}
	if (cJSON_IsString(base)) {
		/* an expression is compared as a tree: a name pasted in as it is
		 * matches the bytes, but not the tree */
		char *want = replace_marker(base->valuestring, value);
		bool expr = armexpr_is_expression(base->valuestring, strlen(base->valuestring));
		if (expr ? !same_expression(base->valuestring, got->valuestring, value)
			 : strcmp(want, got->valuestring) != 0) {
			fprintf(stderr, "want: %s\ngot:  %s\n", want, got->valuestring);
			fail_at(w, "a JSON string does not read back as the input");
		}
		if (strcmp(want, base->valuestring) != 0)
			(*hits)++;
		free(want);
		return;
	}
	const cJSON *b = base->child, *g = got->child;
	for (; b && g; b = b->next, g = g->next)
		compare_json(w, b, g, value, hits);
	if (b || g)
		fail_at(w, "a JSON array or object changed length");
}

/* ---- Markdown ---- */

/* The kind of block a body line opens, with its indentation: two lines of
 * the same kind compare equal. */
static void line_kind(struct sb *out, const char *line, size_t len)
{
	size_t i = 0;
	while (i < len && line[i] == ' ')
		i++;
	sb_addf(out, "%zu:", i);
	const char *p = line + i;
	size_t n = len - i;
	if (n == 0) {
		sb_adds(out, "blank");
	} else if (p[0] == '#') {
		size_t h = 0;
		while (h < n && p[h] == '#')
			h++;
		sb_addf(out, "h%zu", h);
	} else if (n >= 2 && strchr("-*+", p[0]) && p[1] == ' ') {
		sb_adds(out, "bullet");
	} else if (p[0] >= '0' && p[0] <= '9') {
		size_t d = 0;
		while (d < n && p[d] >= '0' && p[d] <= '9')
			d++;
		sb_adds(out, d < n && (p[d] == '.' || p[d] == ')') ? "ordered" : "para");
	} else if (strchr(">|<`~:=_-*", p[0])) {
		sb_addf(out, "mark%c", p[0]);
	} else {
		sb_adds(out, "para");
	}
	sb_addch(out, '\n');
}

/* "&#NN;" for an ASCII punctuation character: how the guide itself writes
 * a metacharacter where a backslash escape would not do. */
static bool is_own_reference(const char *s)
{
	if (s[1] != '#' || !isdigit((unsigned char)s[2]))
		return false;
	char *end = NULL;
	long c = strtol(s + 2, &end, 10);
	return *end == ';' && c > 0x20 && c < 0x7f && ispunct((int)c);
}

/* The body's shape: line kinds, then counts of active inline metacharacters. */
static char *md_shape(const char *body)
{
	struct sb out = SB_INIT;
	size_t counts[16] = { 0 };
	static const char metas[] = "`*_[]<|~{}";
	size_t entities = 0, schemes = 0, links = 0;
	for (const char *line = body; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		line_kind(&out, line, len);
		line += len + (nl != NULL);
	}
	for (size_t i = 0; body[i]; i++) {
		if (body[i] == '\\' && body[i + 1]) {
			i++;
			continue;
		}
		/* a code span's content is literal: count its backticks, skip the rest */
		if (body[i] == '`') {
			size_t k = strspn(body + i, "`");
			const char *close = body + i + k;
			while ((close = strchr(close, '`')) != NULL && strspn(close, "`") != k)
				close += strspn(close, "`");
			counts[0] += close ? 2 * k : k;
			i = close ? (size_t)(close - body) + k - 1 : i + k - 1;
			continue;
		}
		const char *m = strchr(metas, body[i]);
		if (m && body[i])
			counts[m - metas]++;
		if (body[i] == '&' && strncmp(body + i, "&lt;", 4) != 0 &&
		    strncmp(body + i, "&amp;", 5) != 0 && !is_own_reference(body + i) &&
		    looks_like_entity(body + i))
			entities++;
		if (strncmp(body + i, "://", 3) == 0)
			schemes++;
		if (strncmp(body + i, "](", 2) == 0)
			links++;
	}
	for (size_t k = 0; metas[k]; k++)
		sb_addf(&out, "'%c' x%zu\n", metas[k], counts[k]);
	sb_addf(&out, "entities %zu, schemes %zu, links %zu\n", entities, schemes, links);
	return sb_detach(&out, NULL);
}

/* The front matter as "key=value\n" lines, parsed with libyaml; fails on
 * anything but one flat mapping of scalars. */
static char *front_matter(const struct where *w, const char *fm, size_t len)
{
	struct sb out = SB_INIT;
	yaml_parser_t parser;
	yaml_event_t ev;
	assert_true(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, (const unsigned char *)fm, len);
	int depth = 0;
	size_t scalars = 0;
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev))
			fail_at(w, "the front matter is not YAML");
		yaml_event_type_t type = ev.type;
		if (type == YAML_MAPPING_START_EVENT && ++depth > 1)
			fail_at(w, "the front matter holds a nested mapping");
		if (type == YAML_MAPPING_END_EVENT)
			depth--;
		if (type == YAML_SEQUENCE_START_EVENT || type == YAML_ALIAS_EVENT)
			fail_at(w, "the front matter holds a sequence or alias");
		if (type == YAML_SCALAR_EVENT) {
			sb_add(&out, ev.data.scalar.value, ev.data.scalar.length);
			sb_addch(&out, scalars++ % 2 ? '\n' : '=');
		}
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	return sb_detach(&out, NULL);
}

static void compare_md(const struct where *w, const char *base, const char *got, const char *value)
{
	/* front matter: "---\n" ... "\n---\n" */
	if (strncmp(base, "---\n", 4) != 0 || strncmp(got, "---\n", 4) != 0)
		fail_at(w, "the guide does not start with front matter");
	const char *base_end = strstr(base + 4, "\n---\n");
	const char *got_end = strstr(got + 4, "\n---\n");
	assert_non_null(base_end);
	if (!got_end)
		fail_at(w, "the front matter does not end");
	char *base_fm = front_matter(w, base + 4, (size_t)(base_end - base - 3));
	char *got_fm = front_matter(w, got + 4, (size_t)(got_end - got - 3));
	struct sb normal = SB_INIT;
	md_escape_normalize(&normal, value, strlen(value));
	char *want_fm = replace_marker(base_fm, normal.buf);
	if (strcmp(want_fm, got_fm) != 0) {
		fprintf(stderr, "want:\n%s\ngot:\n%s\n", want_fm, got_fm);
		fail_at(w, "the front matter changed beyond the value");
	}
	char *base_shape = md_shape(base_end + 5);
	char *got_shape = md_shape(got_end + 5);
	if (strcmp(base_shape, got_shape) != 0) {
		fprintf(stderr, "baseline shape:\n%s\nshape:\n%s\nguide:\n%s\n", base_shape, got_shape,
			got);
		fail_at(w, "the guide's Markdown structure changed");
	}
	free(base_shape);
	free(got_shape);
	free(want_fm);
	sb_release(&normal);
	free(base_fm);
	free(got_fm);
}

/* ---- Bicep ---- */

#ifdef PACC_HAVE_BICEP
/*
 * Splits Bicep into code (literals replaced by '$', comments dropped) and
 * the decoded values of its single-quoted literals, one per line with the
 * line breaks inside a value written as \x01.  An interpolation ${...}
 * inside a literal is kept as \x02...\x03 so it cannot be mistaken for an
 * escaped "\${".  Fails on what Bicep would reject: an unknown escape, a
 * line break inside a literal, an unterminated literal or comment.
 */
static void bicep_split(const struct where *w, const char *t, struct sb *code, struct sb *lits)
{
	for (size_t i = 0; t[i];) {
		if (t[i] == '/' && t[i + 1] == '/') {
			while (t[i] && t[i] != '\n')
				i++;
			continue;
		}
		if (t[i] == '/' && t[i + 1] == '*') {
			const char *end = strstr(t + i + 2, "*/");
			if (!end)
				fail_at(w, "an unterminated Bicep comment");
			i = (size_t)(end - t) + 2;
			continue;
		}
		if (t[i] != '\'') {
			sb_addch(code, t[i++]);
			continue;
		}
		if (strncmp(t + i, "'''", 3) == 0)
			fail_at(w, "a multi-line Bicep string");
		sb_addch(code, '$');
		for (i++;; i++) {
			char c = t[i];
			if (c == '\0' || c == '\n' || c == '\r')
				fail_at(w, "a Bicep string literal does not end on its line");
			if (c == '\'') {
				i++;
				break;
			}
			if (c == '$' && t[i + 1] == '{') {
				sb_addch(lits, '\x02');
				for (i += 2; t[i] && t[i] != '}'; i++)
					sb_addch(lits, t[i]);
				sb_addch(lits, '\x03');
				continue;
			}
			if (c != '\\') {
				sb_addch(lits, c == '\n' ? '\x01' : c);
				continue;
			}
			c = t[++i];
			switch (c) {
			case '\\':
			case '\'':
			case '$':
				sb_addch(lits, c);
				break;
			case 'n':
				sb_addch(lits, '\x01');
				break;
			case 'r':
				sb_addch(lits, '\r');
				break;
			case 't':
				sb_addch(lits, '\t');
				break;
			case 'u': {
				if (t[i + 1] != '{')
					fail_at(w, "a Bicep \\u escape without braces");
				char *end = NULL;
				unsigned long cp = strtoul(t + i + 2, &end, 16);
				if (!end || *end != '}' || cp > 0x10ffff)
					fail_at(w, "a bad Bicep \\u{} escape");
				i = (size_t)(end - t);
				/* encode as UTF-8 */
				if (cp == '\n')
					sb_addch(lits, '\x01');
				else if (cp < 0x80)
					sb_addch(lits, (int)cp);
				else if (cp < 0x800) {
					sb_addch(lits, (int)(0xc0 | (cp >> 6)));
					sb_addch(lits, (int)(0x80 | (cp & 0x3f)));
				} else if (cp < 0x10000) {
					sb_addch(lits, (int)(0xe0 | (cp >> 12)));
					sb_addch(lits, (int)(0x80 | ((cp >> 6) & 0x3f)));
					sb_addch(lits, (int)(0x80 | (cp & 0x3f)));
				} else {
					sb_addch(lits, (int)(0xf0 | (cp >> 18)));
					sb_addch(lits, (int)(0x80 | ((cp >> 12) & 0x3f)));
					sb_addch(lits, (int)(0x80 | ((cp >> 6) & 0x3f)));
					sb_addch(lits, (int)(0x80 | (cp & 0x3f)));
				}
				break;
			}
			default:
				fail_at(w, "an escape Bicep does not know");
			}
		}
		sb_addch(lits, '\n');
	}
}

/*
 * value as a Bicep comment or prose description holds it: control
 * characters (and, when wide, U+0085, U+2028 and U+2029) become spaces.
 */
static char *flattened(const char *value, bool wide)
{
	struct sb out = SB_INIT;
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			sb_addch(&out, ' ');
		} else if (wide && p[0] == 0xc2 && p[1] == 0x85) {
			sb_addch(&out, ' ');
			p++;
		} else if (wide && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			sb_addch(&out, ' ');
			p += 2;
		} else {
			sb_addch(&out, *p);
		}
	}
	return sb_detach(&out, NULL);
}

static void compare_bicep(const struct where *w, const char *base, const char *got,
			  const char *value)
{
	struct sb base_code = SB_INIT, base_lits = SB_INIT, got_code = SB_INIT, got_lits = SB_INIT;
	bicep_split(w, base, &base_code, &base_lits);
	bicep_split(w, got, &got_code, &got_lits);
	if (strcmp(base_code.buf, got_code.buf) != 0)
		fail_at(w, "Bicep code outside string literals changed");
	/* the value as the decoder writes it (line breaks as \x01), or as a
	 * description written as prose */
	char *exact = strdup(value);
	for (char *p = exact; *p; p++)
		if (*p == '\n')
			*p = '\x01';
	char *flat = flattened(value, false), *wide = flattened(value, true);
	const char *forms[] = { exact, flat, wide };
	char *b = base_lits.buf, *g = got_lits.buf;
	while (*b && *g) {
		char *bn = strchr(b, '\n'), *gn = strchr(g, '\n');
		*bn = *gn = '\0';
		bool same = false;
		for (size_t f = 0; f < 3 && !same; f++) {
			char *want = replace_marker(b, forms[f]);
			same = strcmp(want, g) == 0;
			free(want);
		}
		if (!same) {
			fprintf(stderr, "baseline literal: %s\nliteral:          %s\n", b, g);
			fail_at(w, "a Bicep string literal does not decode to the input");
		}
		b = bn + 1;
		g = gn + 1;
	}
	if (*b || *g)
		fail_at(w, "the Bicep file has a different number of string literals");
	free(exact);
	free(flat);
	free(wide);
	sb_release(&base_code);
	sb_release(&base_lits);
	sb_release(&got_code);
	sb_release(&got_lits);
}
#endif

/* ---- the table ---- */

static void check_one(size_t k, size_t slot, const struct build *base, size_t *json_hits)
{
	const char *input = adversarial[k];
	char *text = pack_source(slot, input);
	struct build b;
	build_pack(&b, text);
	struct where w = { k, slot, "(pack)", NULL };
	if (!b.ok) {
		fprintf(stderr, "%s\n", text);
		fail_at(&w, "the pack does not build");
	}
	if (b.out.count != base->out.count)
		fail_at(&w, "the build made a different number of files");
	char *value = slot_value(slot, input);
	for (size_t i = 0; i < b.out.count; i++) {
		const struct output_file *f = &b.out.files[i];
		const struct output_file *bf = &base->out.files[i];
		w.file = f->path;
		if (strcmp(f->path, bf->path) != 0)
			fail_at(&w, "a file name changed");
		if (ends_with(f->path, ".json")) {
			cJSON *bj = cJSON_ParseWithLength(bf->data.buf, bf->data.len);
			cJSON *gj = cJSON_ParseWithLength(f->data.buf, f->data.len);
			assert_non_null(bj);
			if (!gj)
				fail_at(&w, "the JSON does not parse");
			compare_json(&w, bj, gj, value, json_hits);
			cJSON_Delete(bj);
			cJSON_Delete(gj);
		} else if (ends_with(f->path, ".md")) {
			compare_md(&w, bf->data.buf, f->data.buf, value);
#ifdef PACC_HAVE_BICEP
		} else if (ends_with(f->path, ".bicep")) {
			compare_bicep(&w, bf->data.buf, f->data.buf, value);
#endif
		}
	}
	free(value);
	build_release(&b);
	free(text);
}

/* Every adversarial string through every "..." slot. */
static void test_injection_string_slots(void **state)
{
	(void)state;
	for (size_t slot = 0; slot < N_SLOTS; slot++) {
		if (slots[slot].kind != SLOT_STRING)
			continue;
		char *text = pack_source(slot, MARKER);
		struct build base;
		build_pack(&base, text);
		assert_true(base.ok);
		size_t json_hits = 0;
		for (size_t k = 0; k < N_ADVERSARIAL; k++)
			check_one(k, slot, &base, &json_hits);
		build_release(&base);
		free(text);
	}
}

/* Every adversarial string that a text block can hold through every text
 * block slot; the rest are counted so a shrinking set shows. */
static void test_injection_text_block_slots(void **state)
{
	(void)state;
	size_t fitted = 0;
	for (size_t slot = 0; slot < N_SLOTS; slot++) {
		if (slots[slot].kind != SLOT_TEXT)
			continue;
		char *text = pack_source(slot, MARKER);
		struct build base;
		build_pack(&base, text);
		assert_true(base.ok);
		size_t json_hits = 0;
		for (size_t k = 0; k < N_ADVERSARIAL; k++) {
			if (!fits_text_block(adversarial[k]))
				continue;
			fitted++;
			check_one(k, slot, &base, &json_hits);
		}
		build_release(&base);
		free(text);
	}
	assert_true(fitted >= 3 * 20);
}

/* The marker really reaches the JSON from the slots that feed it, so the
 * comparisons above compared something. */
static void test_injection_slots_reach_json(void **state)
{
	(void)state;
	static const char *const feeds_json[] = { "display", "description", "metadata value",
						  "condition value", "param description",
						  "param display", "section title" };
	for (size_t slot = 0; slot < N_SLOTS; slot++) {
		bool want = false;
		for (size_t j = 0; j < sizeof(feeds_json) / sizeof(feeds_json[0]); j++)
			want |= strcmp(slots[slot].name, feeds_json[j]) == 0;
		if (!want)
			continue;
		char *text = pack_source(slot, MARKER);
		struct build b;
		build_pack(&b, text);
		assert_true(b.ok);
		bool found = false;
		for (size_t i = 0; i < b.out.count; i++)
			if (ends_with(b.out.files[i].path, ".json") &&
			    strstr(b.out.files[i].data.buf, MARKER))
				found = true;
		if (!found)
			fail_msg("slot '%s' does not reach any JSON file", slots[slot].name);
		build_release(&b);
		free(text);
	}
}

/* ---- names that reach template expressions ---- */

/*
 * Names pacc writes into expressions it makes: a parameter name into
 * "[parameters('...')]" (the initiative's wiring), a recommendation id, an
 * enforce suffix or a policy name into the initiative parameter
 * "[parameters('<reference>-effect')]", a diagnostics setting name into the
 * "[concat(...)]" of the DeployIfNotExists template.  (Input names reach
 * expressions too, but only as words: `input.NAME` is one word.)  Lowercase
 * only: policy names are lowercased ids.
 */
static const char *const hostile_names[] = {
	"it's",
	"a''",
	"a'",
	"x')]",
	"'); concat('y",
	"a' , 'b",
	"'",
	"''",
	"[x]",
	"${x}",
	"\"q\"",
	"back\\slash",
	"caf\xc3\xa9",
	"two words",
	"tab\tx",
	"line\nx",
	"a/b",
	"..",
	".hidden",
	"con",
	"x/../../..",
	"a\xe2\x80\xae" "b",
	"a\xe2\x80\x8b" "b",
	"a\xef\xbb\xbf" "b",
	"<script>",
	"a:b",
	"a*b|c",
};
#define N_HOSTILE_NAMES (sizeof(hostile_names) / sizeof(hostile_names[0]))

/* These hold nothing but what an expression literal must escape: each
 * slot takes them, so the test cannot pass by refusing every name. */
static bool must_build(const char *name)
{
	if (!strchr(name, '\''))
		return false;
	for (const char *p = name; *p; p++)
		if (!(*p == '\'' || (*p >= 'a' && *p <= 'z')))
			return false;
	return true;
}

static const char *const name_slots[] = {
	"recommendation id", "parameter name", "enforce suffix", "policy name",
	"diagnostics setting name", "ms.service",
};
#define N_NAME_SLOTS (sizeof(name_slots) / sizeof(name_slots[0]))

/* @N@: name slot N as a "..." literal; ~N~: the same name inside a literal
 * that already holds an expression, its quotes doubled. */
static const char names_template[] =
	"service \"Contoso Gadgets\" {\n"
	"  ms.service @5@\n"
	SERVICE_FIELDS_BUT_SLUG
	"  description \"Learn how to secure Contoso Gadgets by requiring modern TLS on the storage accounts that hold gadget data.\"\n"
	"  input workspaceId String \"Log Analytics workspace\"\n"
	"  intro \"\"\"\n"
	"    Contoso Gadgets keeps its data in Azure Storage.\n"
	"  \"\"\"\n"
	"}\n"
	"\n"
	"section network-security \"Network security\" {\n"
	"  \"\"\"\n"
	"    Protect the storage accounts.\n"
	"  \"\"\"\n"
	"\n"
	"  recommendation @0@ \"Require TLS 1.2 or later\" {\n"
	"    \"\"\"\n"
	"      Older TLS versions have known weaknesses.\n"
	"    \"\"\"\n"
	"    enforce {\n"
	"      display \"Storage accounts should require TLS 1.2\"\n"
	"      mode Indexed\n"
	"      effect audit|deny|disabled = audit\n"
	"      param @1@ String = \"TLS1_2\"\n"
	"      if {\n"
	"        type == \"Microsoft.Storage/storageAccounts\"\n"
	"        field \"Microsoft.Storage/storageAccounts/minimumTlsVersion\" != \"[parameters('~1~')]\"\n"
	"      }\n"
	"    }\n"
	"    enforce @2@ {\n"
	"      display \"Storage accounts should allow no shared key access\"\n"
	"      mode Indexed\n"
	"      effect audit|disabled = audit\n"
	"      if {\n"
	"        type == \"Microsoft.Storage/storageAccounts\"\n"
	"        field \"Microsoft.Storage/storageAccounts/allowSharedKeyAccess\" != false\n"
	"      }\n"
	"    }\n"
	"    harden \"Microsoft.Storage/storageAccounts\" {\n"
	"      set sku = { \"name\": \"Standard_LRS\" }\n"
	"      set kind = \"StorageV2\"\n"
	"      set properties.minimumTlsVersion = \"TLS1_2\"\n"
	"      set properties.allowSharedKeyAccess = false\n"
	"      companion diagnostics {\n"
	"        workspace = input.workspaceId\n"
	"        name = @4@\n"
	"        remediate { }\n"
	"      }\n"
	"    }\n"
	"  }\n"
	"\n"
	"  recommendation NS-2 \"Disable public network access\" {\n"
	"    \"\"\"\n"
	"      Private endpoints then become the only way in.\n"
	"    \"\"\"\n"
	"    enforce {\n"
	"      name @3@\n"
	"      display \"Storage accounts should disable public network access\"\n"
	"      mode Indexed\n"
	"      effect audit|deny|disabled = audit\n"
	"      if {\n"
	"        type == \"Microsoft.Storage/storageAccounts\"\n"
	"        field \"Microsoft.Storage/storageAccounts/publicNetworkAccess\" != \"Disabled\"\n"
	"      }\n"
	"    }\n"
	"  }\n"
	"}\n";

/* The names pack with name in slot `which` and a plain name elsewhere. */
static char *names_source(size_t which, const char *name)
{
	static const char *const plain[] = { "ns-1", "minTls", "shared-key", "contoso-public-access",
					     "pacc-diagnostics", "contoso-gadgets" };
	struct sb out = SB_INIT;
	for (const char *p = names_template; *p;) {
		if (*p != '@' && *p != '~') {
			sb_addch(&out, *p++);
			continue;
		}
		char mark = *p;
		size_t slot = (size_t)strtoul(p + 1, NULL, 10);
		p = strchr(p + 1, mark) + 1;
		const char *value = slot == which ? name : plain[slot];
		if (mark == '@') {
			add_pacc_string(&out, value);
			continue;
		}
		/* inside a literal: quotes doubled for the expression, then as pacc escapes them */
		struct sb doubled = SB_INIT;
		for (const char *v = value; *v; v++) {
			if (*v == '\'')
				sb_addch(&doubled, '\'');
			sb_addch(&doubled, *v);
		}
		struct sb lit = SB_INIT;
		add_pacc_string(&lit, doubled.buf);
		sb_add(&out, lit.buf + 1, lit.len - 2);
		sb_release(&lit);
		sb_release(&doubled);
	}
	return sb_detach(&out, NULL);
}

/* Every error of a refused build is located: a code, a file, a line. */
static void expect_located(const struct build *b, size_t k, size_t slot)
{
	for (size_t i = 0; i < b->diag.count; i++) {
		const struct diag_record *r = b->diag.records[i];
		if (r->severity == DIAG_ERROR && (!r->code || !r->span.src || r->span.begin.line == 0))
			fail_msg("name %zu in slot '%s': an error without code or location: %s", k,
				 name_slots[slot], r->message);
	}
}

#ifdef PACC_HAVE_BICEP
/* Every Bicep literal that holds an expression holds one the JSON holds too
 * (the wiring is written twice); the JSON's are compared as trees. */
static void collect_json_strings(const cJSON *j, struct sb *all)
{
	if (j->string) {
		sb_addch(all, '\n');
		sb_adds(all, j->string);
		sb_addch(all, '\n');
	}
	if (cJSON_IsString(j)) {
		sb_addch(all, '\n');
		sb_adds(all, j->valuestring);
		sb_addch(all, '\n');
	}
	for (const cJSON *c = j->child; c; c = c->next)
		collect_json_strings(c, all);
}

static void bicep_expressions_in_json(const struct where *w, const char *bicep, const char *json_strings)
{
	struct sb code = SB_INIT, lits = SB_INIT;
	bicep_split(w, bicep, &code, &lits);
	for (char *l = lits.buf; *l;) {
		char *nl = strchr(l, '\n');
		*nl = '\0';
		for (char *c = l; *c; c++)
			if (*c == '\x01')
				*c = '\n';
		if (armexpr_is_expression(l, strlen(l))) {
			struct sb needle = SB_INIT;
			sb_addf(&needle, "\n%s\n", l);
			if (!strstr(json_strings, needle.buf)) {
				fprintf(stderr, "literal: %s\n", l);
				fail_at(w, "a Bicep literal holds an expression the JSON does not");
			}
			sb_release(&needle);
		}
		l = nl + 1;
	}
	sb_release(&code);
	sb_release(&lits);
}
#endif

static void test_injection_names_in_expressions(void **state)
{
	(void)state;
	for (size_t slot = 0; slot < N_NAME_SLOTS; slot++) {
		char *base_text = names_source(slot, MARKER_LOWER);
		struct build base;
		build_pack(&base, base_text);
		assert_true(base.ok);
		for (size_t k = 0; k < N_HOSTILE_NAMES; k++) {
			const char *name = hostile_names[k];
			char *text = names_source(slot, name);
			struct build b;
			quiet_refusals = true;
			build_pack(&b, text);
			quiet_refusals = false;
			struct where w = { k, 0, "(pack)", name_slots[slot] };
			if (!b.ok) {
				if (must_build(name)) {
					fprintf(stderr, "%s\n", text);
					fail_msg("name '%s' in slot '%s' does not build", name, name_slots[slot]);
				}
				expect_located(&b, k, slot);
				build_release(&b);
				free(text);
				continue;
			}
			if (b.out.count != base.out.count)
				fail_at(&w, "the build made a different number of files");
			struct sb json_strings = SB_INIT;
			size_t hits = 0;
			for (size_t i = 0; i < b.out.count; i++) {
				const struct output_file *f = &b.out.files[i];
				const struct output_file *bf = &base.out.files[i];
				w.file = f->path;
				char *want_path = replace_marker(bf->path, name);
				if (strcmp(want_path, f->path) != 0)
					fail_at(&w, "a file name is not the baseline's with the name in place");
				free(want_path);
				if (ends_with(f->path, ".md"))
					compare_md(&w, bf->data.buf, f->data.buf, name);
				if (!ends_with(f->path, ".json"))
					continue;
				cJSON *bj = cJSON_ParseWithLength(bf->data.buf, bf->data.len);
				cJSON *gj = cJSON_ParseWithLength(f->data.buf, f->data.len);
				assert_non_null(bj);
				if (!gj)
					fail_at(&w, "the JSON does not parse");
				/* bicep/ parameters files are keyed by Bicep identifiers, which
				 * pacc makes from names: only its values are compared */
				if (strncmp(f->path, "bicep/", 6) != 0)
					compare_json(&w, bj, gj, name, &hits);
				collect_json_strings(gj, &json_strings);
				cJSON_Delete(bj);
				cJSON_Delete(gj);
			}
			/* ms.service names the guide and its front matter, no JSON */
			if (!hits && strcmp(name_slots[slot], "ms.service") != 0)
				fail_at(&w, "the name reached no JSON string");
#ifdef PACC_HAVE_BICEP
			for (size_t i = 0; i < b.out.count; i++)
				if (ends_with(b.out.files[i].path, ".bicep"))
					bicep_expressions_in_json(&w, b.out.files[i].data.buf, json_strings.buf);
#endif
			sb_release(&json_strings);
			build_release(&b);
			free(text);
		}
		build_release(&base);
		free(base_text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_injection_string_slots),
		cmocka_unit_test(test_injection_text_block_slots),
		cmocka_unit_test(test_injection_slots_reach_json),
		cmocka_unit_test(test_injection_names_in_expressions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
