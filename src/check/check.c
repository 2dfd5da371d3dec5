/*
 * check: the semantic rules of a pack.  grammar/README.md ("Checks") lists
 * every rule with its code; this file is the one place they are enforced.
 *
 * The pass runs in a fixed order so diagnostics come out deterministically:
 * the service, its sections and recommendations (guide rules, E02xx); then
 * policy names for the whole pack (derived first, so duplicates and initiative
 * references can be resolved); then every policy in declaration order
 * (enforce blocks first, in guide order, then top-level policies); then
 * initiatives (E03xx).  Scratch data (parsed expressions, sort arrays) lives
 * in an arena released at the end.
 */
#include "pacc/check.h"

#include "pacc/check_proof.h"
#include "pacc/check_test.h"

#include "pacc/armexpr.h"
#include "pacc/check_alias.h"
#include "pacc/check_harden.h"
#include "pacc/check_types.h"
#include "pacc/names.h"
#include "pacc/sb.h"
#include "pacc/strmap.h"
#include "pacc/text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Documented limits (grammar/README.md, "Checks"). */
#define CHECK_MAX_DISPLAY 128
#define CHECK_MAX_DESCRIPTION 512
#define CHECK_FRONT_DESCRIPTION_MIN 75
#define CHECK_FRONT_DESCRIPTION_MAX 300

struct checker {
	struct ast_pack *pack;
	struct diag_engine *d;
	struct arena scratch;
	/* The pack's policies sorted by resolved name (ignoring case, then in
	 * declaration order), made on the first lookup, so resolving n
	 * references costs n log n rather than n times the policy count. */
	struct ast_policy **by_name;
	size_t by_name_count;
	bool imported; /* the declaration being checked is marked `imported` */
	/* Parameters by name ignoring case, per parameter list (the namespace
	 * is the list's first node), made on a list's first lookup: resolving
	 * n references to a list of m parameters costs n + m, not n times m. */
	struct strmap params;
	struct strmap indexed_lists; /* lists already in params */
};

/* The parameters an expression may name, and who declares them. */
struct scope {
	struct ast_param *params;
	const char *owner;   /* "policy 'x'" or "initiative 'y'", for messages */
};

/* ---- small helpers ------------------------------------------------------ */

static struct src_span str_span(const struct ast_str *s)
{
	return s->span;
}

/*
 * The span of bytes [begin, end) of a string's value.  Exact when the
 * literal is a one-line string without escapes (the value is then the
 * source text between the quotes); otherwise the whole literal.
 */
static struct src_span sub_span(const struct ast_str *s, size_t begin, size_t end)
{
	struct src_span sp = s->span;
	if (!sp.src || s->is_text_block)
		return sp;
	if (sp.end.offset < sp.begin.offset || (size_t)(sp.end.offset - sp.begin.offset) != s->len + 2)
		return sp;
	if (end > s->len)
		end = s->len;
	if (begin > end)
		begin = end;
	size_t base = (size_t)sp.begin.offset + 1;
	sp.begin = source_pos_at(sp.src, base + begin);
	sp.end = source_pos_at(sp.src, base + end);
	return sp;
}

static bool ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool istarts_with(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static const char *json_kind_desc(enum ast_json_kind k)
{
	switch (k) {
	case AST_JSON_NULL:
		return "null";
	case AST_JSON_BOOL:
		return "a boolean";
	case AST_JSON_NUMBER:
		return "a number";
	case AST_JSON_STRING:
		return "a string";
	case AST_JSON_ARRAY:
		return "an array";
	case AST_JSON_OBJECT:
		return "an object";
	}
	return "a value";
}

static bool is_expr_str(const struct ast_str *s)
{
	return s && armexpr_is_expression(s->s, s->len);
}

static bool json_is_expr(const struct ast_json *j)
{
	return j && j->kind == AST_JSON_STRING && is_expr_str(j->u.string);
}

/* A string value's printable form for messages (JSON values: their kind). */
static const char *json_show(struct checker *c, const struct ast_json *j)
{
	switch (j->kind) {
	case AST_JSON_STRING:
		return arena_printf(&c->scratch, "'%s'", j->u.string->s);
	case AST_JSON_NUMBER:
		return arena_printf(&c->scratch, "%s", j->u.number.text ? j->u.number.text : "number");
	case AST_JSON_BOOL:
		return j->u.boolean ? "true" : "false";
	case AST_JSON_NULL:
	case AST_JSON_ARRAY:
	case AST_JSON_OBJECT:
		break;
	}
	return json_kind_desc(j->kind);
}

/*
 * Reports a rule that binds custom definitions: an error when strict, else
 * a warning.  Azure's own definitions (policyType BuiltIn or Static) break
 * a few such rules and Azure accepts them, so imports of them still check.
 */
__attribute__((format(printf, 5, 6))) static struct diag_record *
report_rule(struct checker *c, bool strict, struct src_span span, const char *code, const char *fmt, ...)
{
	struct sb msg = SB_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	struct diag_record *r = strict ? diag_error(c->d, span, code, "%s", msg.buf)
				       : diag_warning(c->d, span, code, "%s", msg.buf);
	sb_release(&msg);
	if (!strict && c->imported)
		diag_help(c->d, r, "Azure accepted this definition as it is, so 'imported' makes this a "
				   "warning; fix it and remove 'imported' to have it checked strictly");
	return r;
}

static bool custom_type(const struct ast_str *policy_type)
{
	return !policy_type || ieq(policy_type->s, "Custom");
}

/* ---- duplicates --------------------------------------------------------- */

struct key_item {
	const char *key;
	struct src_span span;
	size_t idx;
	size_t first; /* set by find_dups: index of the first item with this key */
};

/* Appends (key, span) to items, numbering it in order. */
static void key_push(struct key_item *items, size_t *n, const char *key, struct src_span span)
{
	items[*n] = (struct key_item){ key, span, *n, 0 };
	(*n)++;
}

static int key_item_cmp(const void *pa, const void *pb)
{
	const struct key_item *a = pa, *b = pb;
	int r = strcasecmp(a->key, b->key);
	if (r)
		return r;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int key_item_idx_cmp(const void *pa, const void *pb)
{
	const struct key_item *a = pa, *b = pb;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/*
 * Sets items[i].first to the index of the first item with items[i]'s key
 * (ignoring case).  items[i].idx must be i on entry, and is again on return.
 */
static void mark_firsts(struct key_item *items, size_t n)
{
	qsort(items, n, sizeof(*items), key_item_cmp);
	size_t group = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || strcasecmp(items[i].key, items[group].key) != 0)
			group = i;
		items[i].first = items[group].idx;
	}
	qsort(items, n, sizeof(*items), key_item_idx_cmp);
}

/*
 * Reports every item whose key (case-insensitive) an earlier item already
 * has, in declaration order, with a note at the first.  items[i].idx must be
 * i on entry.  O(n log n).
 */
static void report_dups(struct checker *c, struct key_item *items, size_t n, const char *code,
			const char *what)
{
	if (n < 2)
		return;
	/* mark_firsts leaves items in declaration order, so items[first] is the first. */
	mark_firsts(items, n);
	for (size_t i = 0; i < n; i++) {
		if (items[i].first == i)
			continue;
		const struct key_item *first = &items[items[i].first];
		struct diag_record *r = diag_error(c->d, items[i].span, code, "duplicate %s '%s'", what, items[i].key);
		diag_note(c->d, r, first->span, "'%s' first declared here", first->key);
	}
}

/* ---- names -------------------------------------------------------------- */

/*
 * A definition or initiative name must be a valid Azure resource name and a
 * safe file name on every platform, since generators write <name>.json; so
 * must `ms.service`, which names the guide.  The rules are in names.h.
 */
static void check_resource_name(struct checker *c, const char *what, const char *name, size_t len,
				struct src_span span)
{
	struct names_problem why;
	if (names_file_name_ok(name, len, &why))
		return;
	if (why.echo && len)
		diag_error(c->d, span, "E0301", "%s name '%s' %s", what, name, why.reason);
	else
		diag_error(c->d, span, "E0301", "%s name %s", what, why.reason);
}

/*
 * An id (section, recommendation, suffix, parameter, group, reference,
 * input) must not hide characters: E0332.  Returns whether it is clean.
 */
static bool check_id(struct checker *c, const char *what, const struct ast_str *id)
{
	struct names_problem why;
	if (names_id_ok(id->s, id->len, &why))
		return true;
	diag_error(c->d, str_span(id), "E0332", "%s %s; ids must not hide characters", what, why.reason);
	return false;
}

/* key_push() for an id, which is checked first. */
static void push_id(struct checker *c, const char *what, struct key_item *items, size_t *n,
		    const struct ast_str *id)
{
	check_id(c, what, id);
	key_push(items, n, id->s, str_span(id));
}

/*
 * The pack's name (its file's base name) names its output directory and, for
 * a pack with a service, the pack's initiative: the same rules as policy
 * names then, and for a policy library at least no name a file system
 * reserves.  Reported at the start of the file.
 */
static void check_pack_name(struct checker *c)
{
	const struct ast_pack *pack = c->pack;
	if (!pack->name)
		return;
	struct src_span start = { .src = pack->src, .begin = { 0, 1, 1 }, .end = { 0, 1, 1 } };
	if (pack->service)
		check_resource_name(c, "pack", pack->name, strlen(pack->name), start);
	else if (names_is_reserved_device(pack->name))
		diag_error(c->d, start, "E0301", "pack name '%s' is a reserved device name on Windows",
			   pack->name);
	else if (!names_id_ok(pack->name, strlen(pack->name), NULL))
		check_resource_name(c, "pack", pack->name, strlen(pack->name), start);
}

/* ---- service and guide (E02xx) ------------------------------------------ */

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool valid_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	int y = atoi(s), m = atoi(s + 5), dd = atoi(s + 8);
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1 || m < 1 || m > 12 || dd < 1)
		return false;
	int max = days[m - 1] + (m == 2 && is_leap(y));
	return dd <= max;
}

/* MAJOR.MINOR.PATCH with an optional -preview or -deprecated, as Azure versions policies. */
static bool valid_version(const char *s)
{
	for (int part = 0; part < 3; part++) {
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
		if (part < 2) {
			if (*s != '.')
				return false;
			s++;
		}
	}
	return *s == '\0' || strcmp(s, "-preview") == 0 || strcmp(s, "-deprecated") == 0;
}

static void check_link(struct checker *c, const struct ast_link *link)
{
	const struct ast_str *t = link->target;
	if (!t)
		return;
	const char *s = t->s;
	const char *code = "E0210";
	if (istarts_with(s, "http://")) {
		struct diag_record *r = diag_error(c->d, str_span(t), code, "link target '%s' uses http://", s);
		diag_help(c->d, r, "use https://");
		return;
	}
	if (strchr(s, ' ') || strchr(s, '\t')) {
		diag_error(c->d, str_span(t), code, "link target '%s' contains a space", s);
		return;
	}
	if (istarts_with(s, "https://")) {
		if (s[8] == '\0' || s[8] == '/')
			diag_error(c->d, str_span(t), code, "link target '%s' has no host", s);
		return;
	}
	if (s[0] != '/' || s[1] == '/') {
		diag_error(c->d, str_span(t), code,
			   "link target '%s' must be an https:// URL or a site-relative path starting with '/'", s);
		return;
	}
	/* A locale segment such as /en-us/ right after the leading slash. */
	if (isalpha((unsigned char)s[1]) && isalpha((unsigned char)s[2]) && s[3] == '-' &&
	    isalpha((unsigned char)s[4]) && isalpha((unsigned char)s[5]) && (s[6] == '/' || s[6] == '\0')) {
		struct diag_record *r =
			diag_error(c->d, str_span(t), code, "link target '%s' has a locale segment", s);
		diag_help(c->d, r, "drop '/%.5s' so Learn picks the reader's locale", s + 1);
		return;
	}
	size_t path_len = strcspn(s, "?#");
	if (path_len >= 3 && strncasecmp(s + path_len - 3, ".md", 3) == 0)
		diag_error(c->d, str_span(t), code, "link target '%s' ends in '.md'; Learn paths have no extension",
			   s);
}

static void check_service(struct checker *c, const struct ast_service *sv)
{
	const char *code = "E0201";
	const char *name = sv->name ? sv->name->s : "";
	static const char *const field_names[] = { "ms.service", "author", "ms.author", "ms.date", "category",
						   "version" };
	const struct ast_str *fields[] = { sv->slug, sv->author, sv->ms_author, sv->date, sv->category,
					   sv->version };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!fields[i] || fields[i]->len == 0)
			diag_error(c->d, sv->span, code, "service '%s' is missing '%s'", name, field_names[i]);
	}
	if (!sv->governs)
		diag_error(c->d, sv->span, code, "service '%s' declares no 'governs' resource type", name);
	/* ms.service names the guide, <ms.service>-security.md */
	if (sv->slug && sv->slug->len)
		check_resource_name(c, "ms.service", sv->slug->s, sv->slug->len, str_span(sv->slug));
	if (sv->date && sv->date->len && !valid_date(sv->date->s))
		diag_error(c->d, str_span(sv->date), "E0202",
			   "'ms.date' must be a calendar date written YYYY-MM-DD, not '%s'", sv->date->s);
	if (sv->version && sv->version->len && !valid_version(sv->version->s))
		diag_error(c->d, str_span(sv->version), "E0211",
			   "version '%s' is not MAJOR.MINOR.PATCH (optionally -preview or -deprecated)",
			   sv->version->s);
	if (sv->description) {
		size_t n = text_utf8_chars(sv->description->s, sv->description->len);
		if (n < CHECK_FRONT_DESCRIPTION_MIN || n > CHECK_FRONT_DESCRIPTION_MAX)
			diag_warning(c->d, str_span(sv->description), "E0205",
				     "front-matter description is %zu characters; Learn expects %d to %d", n,
				     CHECK_FRONT_DESCRIPTION_MIN, CHECK_FRONT_DESCRIPTION_MAX);
	}
	for (const struct ast_governs *g = sv->governs; g; g = g->next) {
		const char *t = g->type ? g->type->s : "";
		const char *slash = strchr(t, '/');
		if (!slash || slash == t || slash[1] == '\0' || !strchr(t, '.') || strchr(t, '.') > slash ||
		    t[strlen(t) - 1] == '/')
			diag_error(c->d, g->type ? str_span(g->type) : g->span, "E0212",
				   "'%s' is not a resource type like 'Microsoft.Provider/type'", t);
		if (g->api_version) {
			const char *v = g->api_version->s;
			bool ok = strlen(v) >= 10 && valid_date(arena_strndup(&c->scratch, v, 10)) &&
				  (v[10] == '\0' || (v[10] == '-' && v[11] != '\0'));
			for (const char *p = v + (strlen(v) >= 10 ? 10 : 0); ok && *p; p++)
				if (!isalnum((unsigned char)*p) && *p != '-')
					ok = false;
			if (!ok)
				diag_error(c->d, str_span(g->api_version), "E0212",
					   "API version '%s' is not YYYY-MM-DD with an optional suffix such as -preview",
					   v);
		}
	}
	for (const struct ast_link *l = sv->related; l; l = l->next)
		check_link(c, l);
}

static void check_guide_shape(struct checker *c);

static void check_guide(struct checker *c)
{
	struct ast_pack *pack = c->pack;
	if (pack->service) {
		check_service(c, pack->service);
		if (!pack->sections)
			diag_error(c->d, pack->service->span, "E0203",
				   "service '%s' has no sections; the guide needs at least one",
				   pack->service->name ? pack->service->name->s : "");
	} else if (pack->sections) {
		diag_error(c->d, pack->sections->span, "E0213",
			   "section '%s' needs a 'service' declaration in the pack",
			   pack->sections->id ? pack->sections->id->s : "");
	} else if (!pack->policies && !pack->initiatives) {
		/* An empty (or comment-only) file is almost always a mistake, such as a
		 * truncated copy; building it would write an empty pack directory. */
		struct src_span start = { .src = pack->src, .begin = { 0, 1, 1 }, .end = { 0, 1, 1 } };
		diag_error(c->d, start, "E0218",
			   "the pack declares nothing; expected a 'service', 'section', 'policy' or 'initiative'");
	}

	size_t nsec = 0, nrec = 0;
	for (struct ast_section *s = pack->sections; s; s = s->next) {
		nsec++;
		for (struct ast_recommendation *r = s->recommendations; r; r = r->next)
			nrec++;
	}
	struct key_item *secs = ARENA_NEW_ARRAY(&c->scratch, struct key_item, nsec + 1);
	struct key_item *recs = ARENA_NEW_ARRAY(&c->scratch, struct key_item, nrec + 1);
	size_t i = 0, k = 0;
	for (struct ast_section *s = pack->sections; s; s = s->next) {
		if (s->id)
			push_id(c, "section id", secs, &i, s->id);
		if (!s->recommendations)
			diag_error(c->d, s->span, "E0204", "section '%s' has no recommendations",
				   s->id ? s->id->s : "");
		for (struct ast_recommendation *r = s->recommendations; r; r = r->next) {
			if (r->id)
				push_id(c, "recommendation id", recs, &k, r->id);
			for (const struct ast_link *l = r->links; l; l = l->next)
				check_link(c, l);
		}
	}
	report_dups(c, secs, i, "E0206", "section id");
	report_dups(c, recs, k, "E0207", "recommendation id");

	/* Suffix rules: every enforce after the first needs a distinct suffix. */
	for (struct ast_section *s = pack->sections; s; s = s->next) {
		for (struct ast_recommendation *r = s->recommendations; r; r = r->next) {
			size_t n = 0;
			for (struct ast_policy *p = r->policies; p; p = p->next)
				n++;
			struct key_item *sfx = ARENA_NEW_ARRAY(&c->scratch, struct key_item, n + 1);
			size_t m = 0;
			for (struct ast_policy *p = r->policies; p; p = p->next) {
				if (p != r->policies && !p->suffix && !p->name) {
					struct diag_record *d = diag_error(
						c->d, p->span, "E0208",
						"recommendation '%s' has several 'enforce' blocks; this one needs a name suffix",
						r->id ? r->id->s : "");
					diag_help(c->d, d, "write 'enforce <suffix> {', e.g. 'enforce modify {'");
					diag_note(c->d, d, r->policies->span, "the first 'enforce' is here");
				}
				if (p->suffix)
					push_id(c, "enforce suffix", sfx, &m, p->suffix);
			}
			report_dups(c, sfx, m, "E0209", "enforce suffix");
		}
	}
	check_guide_shape(c);
}

/*
 * The guide's shape: what the Learn template and markdownlint need that the
 * grammar cannot say (E0214-E0217).
 */
static bool text_blank(const struct ast_str *s)
{
	for (size_t i = 0; s && i < s->len; i++)
		if (s->s[i] != ' ' && s->s[i] != '\t' && s->s[i] != '\n' && s->s[i] != '\r')
			return false;
	return true;
}

static bool texts_blank(const struct ast_text *t)
{
	for (; t; t = t->next)
		if (!text_blank(t->str))
			return false;
	return true;
}

static void check_heading_text(struct checker *c, const struct ast_str *title, const char *what)
{
	if (!title)
		return;
	if (text_blank(title)) {
		diag_error(c->d, str_span(title), "E0214", "%s title is empty", what);
		return;
	}
	char last = title->s[title->len - 1];
	if (strchr(".,;:!?", last))
		diag_error(c->d, str_span(title), "E0214", "%s title '%s' ends in '%c'; headings and directives take no final punctuation",
			   what, title->s, last);
}

static void check_guide_shape(struct checker *c)
{
	const struct ast_pack *pack = c->pack;
	const struct ast_service *sv = pack->service;
	if (!sv)
		return;
	if (texts_blank(sv->intro))
		diag_error(c->d, sv->span, "E0216", "service '%s' has no 'intro'; the guide opens with an overview of the service",
			   sv->name ? sv->name->s : "");
	if (sv->heading && !istarts_with(sv->heading->s, "Secure "))
		diag_error(c->d, str_span(sv->heading), "E0217", "heading '%s' must start with 'Secure', as the Learn template asks",
			   sv->heading->s);
	/* Titles grouped by sorting, not compared pairwise: a pack may hold
	 * thousands of sections. */
	size_t nsec = 0;
	for (const struct ast_section *s = pack->sections; s; s = s->next)
		nsec++;
	struct key_item *titles = ARENA_NEW_ARRAY(&c->scratch, struct key_item, nsec + 1);
	size_t ntitles = 0;
	for (const struct ast_section *s = pack->sections; s; s = s->next)
		if (s->title)
			key_push(titles, &ntitles, s->title->s, str_span(s->title));
	mark_firsts(titles, ntitles);
	size_t t = 0;
	for (const struct ast_section *s = pack->sections; s; s = s->next) {
		check_heading_text(c, s->title, "section");
		if (s->title && ieq(s->title->s, "Related content"))
			diag_error(c->d, str_span(s->title), "E0215", "section title 'Related content' is reserved for the guide's closing links");
		if (s->title) {
			size_t first = titles[t].first;
			if (first != t) {
				struct diag_record *d = diag_error(c->d, str_span(s->title), "E0215",
								   "section title '%s' is used twice; each H2 of the guide must differ",
								   s->title->s);
				diag_note(c->d, d, titles[first].span, "first used here");
			}
			t++;
		}
		if (texts_blank(s->texts))
			diag_error(c->d, s->span, "E0216", "section '%s' has no description; add a text block before its recommendations",
				   s->id ? s->id->s : "");
		for (const struct ast_recommendation *r = s->recommendations; r; r = r->next) {
			check_heading_text(c, r->title, "recommendation");
			if (texts_blank(r->texts))
				diag_error(c->d, r->span, "E0216", "recommendation '%s' has no explanation; add a text block",
					   r->id ? r->id->s : "");
		}
	}
}

/* ---- policy names ------------------------------------------------------- */

static void lower_ascii(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* True when an enforce block before p in r has p's suffix (ignoring case). */
static bool earlier_suffix(const struct ast_recommendation *r, const struct ast_policy *p)
{
	for (const struct ast_policy *q = r->policies; q && q != p; q = q->next)
		if (q->suffix && ieq(q->suffix->s, p->suffix->s))
			return true;
	return false;
}

/* Sets resolved_name and owner on every policy, then checks names pack-wide. */
static void resolve_policy_names(struct checker *c)
{
	struct ast_pack *pack = c->pack;
	/* Names must outlive the check; a hand-built pack without an arena borrows the engine's. */
	struct arena *a = pack->arena ? pack->arena : &c->d->arena;
	size_t n = 0;
	for (struct ast_section *s = pack->sections; s; s = s->next)
		for (struct ast_recommendation *r = s->recommendations; r; r = r->next)
			for (struct ast_policy *p = r->policies; p; p = p->next)
				n++;
	for (struct ast_policy *p = pack->policies; p; p = p->next)
		n++;
	struct key_item *items = ARENA_NEW_ARRAY(&c->scratch, struct key_item, n + 1);
	size_t i = 0;
	/* Recommendation ids seen so far: a repeated one is E0207 already. */
	struct strmap rec_ids = STRMAP_INIT(true);
	for (struct ast_section *s = pack->sections; s; s = s->next) {
		for (struct ast_recommendation *r = s->recommendations; r; r = r->next) {
			bool repeated_id = false;
			if (r->id) {
				bool added;
				strmap_slot(&rec_ids, NULL, r->id->s, r->id->len, &added);
				repeated_id = !added;
			}
			for (struct ast_policy *p = r->policies; p; p = p->next) {
				p->owner = r;
				struct src_span span = p->span;
				if (p->name) {
					p->resolved_name = p->name->s;
					span = str_span(p->name);
				} else {
					struct sb sb = SB_INIT;
					sb_adds(&sb, pack->name ? pack->name : "");
					sb_addch(&sb, '-');
					sb_adds(&sb, r->id ? r->id->s : "");
					if (p->suffix) {
						sb_addch(&sb, '-');
						sb_adds(&sb, p->suffix->s);
					}
					char *name = arena_strndup(a, sb.buf, sb.len);
					sb_release(&sb);
					lower_ascii(name);
					p->resolved_name = name;
					if (p->suffix)
						span = str_span(p->suffix);
					else if (r->id)
						span = str_span(r->id);
				}
				check_resource_name(c, "policy", p->resolved_name, strlen(p->resolved_name), span);
				/* A clash E0207, E0208 or E0209 already reported is not reported again. */
				if (!p->name && (repeated_id || (p != r->policies &&
								 (!p->suffix || earlier_suffix(r, p)))))
					continue;
				key_push(items, &i, p->resolved_name, span);
			}
		}
	}
	for (struct ast_policy *p = pack->policies; p; p = p->next) {
		p->owner = NULL;
		p->resolved_name = p->name ? p->name->s : "";
		struct src_span span = p->name ? str_span(p->name) : p->span;
		check_resource_name(c, "policy", p->resolved_name, p->name ? p->name->len : 0, span);
		key_push(items, &i, p->resolved_name, span);
	}
	strmap_release(&rec_ids);
	report_dups(c, items, i, "E0302", "policy name");
}

/* ---- expressions and parameter references ------------------------------- */

/* The first parameter of params named name (ignoring case), or NULL.  The
 * lists are not changed once the checker looks them up (check_harden, which
 * adds parameters to remediation twins, runs first). */
static struct ast_param *find_param(struct checker *c, struct ast_param *params, const char *name)
{
	if (!params)
		return NULL;
	bool added;
	strmap_slot(&c->indexed_lists, params, "", 0, &added);
	if (added) {
		for (struct ast_param *p = params; p; p = p->next) {
			if (!p->name)
				continue;
			void **slot = strmap_slot(&c->params, params, p->name->s, strlen(p->name->s), NULL);
			if (!*slot)
				*slot = p;
		}
	}
	return strmap_get(&c->params, params, name, strlen(name));
}

static const char *closest_param(struct checker *c, struct ast_param *params, const char *name)
{
	size_t n = 0;
	for (struct ast_param *p = params; p; p = p->next)
		n++;
	if (!n)
		return NULL;
	const char **names = ARENA_NEW_ARRAY(&c->scratch, const char *, n);
	n = 0;
	for (struct ast_param *p = params; p; p = p->next)
		if (p->name)
			names[n++] = p->name->s;
	return diag_closest(name, names, n);
}

/*
 * ARM template functions and the ones Azure Policy adds (field, current,
 * requestContext, policy, ipRangeContains, addDays).  Names starting with
 * "list" (listKeys, listSecrets...) and user-defined "namespace.name"
 * functions are accepted as well.
 */
static const char *const arm_functions[] = {
	"add", "addDays", "and", "array", "base64", "base64ToJson", "base64ToString", "bool", "cidrHost",
	"cidrSubnet", "coalesce", "concat", "contains", "copyIndex", "createArray", "createObject",
	"current", "dataUri", "dataUriToString", "dateTimeAdd", "dateTimeFromEpoch", "dateTimeToEpoch",
	"deployer", "deployment", "div", "empty", "endsWith", "environment", "equals",
	"extensionResourceId", "false", "field", "filter", "first", "flatten", "float", "format",
	"greater", "greaterOrEquals", "groupBy", "guid", "if", "indexOf", "int", "intersection",
	"ipRangeContains", "items", "join", "json", "lambda", "lambdaVariables", "last", "lastIndexOf",
	"length", "less", "lessOrEquals", "managementGroup", "managementGroupResourceId", "map",
	"mapValues", "max", "min", "mod", "mul", "newGuid", "not", "null", "objectKeys", "or", "padLeft",
	"parameters", "parseCidr", "pickZones", "policy", "providers", "range", "reduce", "reference",
	"references", "replace", "requestContext", "resourceGroup", "resourceId", "shallowMerge", "skip",
	"sort", "split", "startsWith", "string", "sub", "subscription", "subscriptionResourceId",
	"substring", "take", "tenant", "tenantResourceId", "toLower", "toObject", "toUpper", "trim",
	"true", "tryGet", "union", "uniqueString", "uri", "uriComponent", "uriComponentToString",
	"utcNow", "variables",
};

struct call_check {
	struct checker *c;
	const struct ast_str *s;
};

static void check_call_name(const struct armexpr *e, void *ctx)
{
	struct call_check *cc = ctx;
	if (e->kind != ARMEXPR_CALL)
		return;
	const char *name = e->u.call.name;
	if (strchr(name, '.') || istarts_with(name, "list"))
		return;
	size_t n = sizeof(arm_functions) / sizeof(arm_functions[0]);
	for (size_t i = 0; i < n; i++)
		if (ieq(name, arm_functions[i]))
			return;
	struct diag_record *r = diag_warning(cc->c->d, sub_span(cc->s, e->begin, e->begin + strlen(name)),
					     "E0330", "unknown template function '%s'", name);
	const char *best = diag_closest(name, arm_functions, n);
	if (best)
		diag_help(cc->c->d, r, "did you mean '%s'?", best);
}

/* Parses s when it is an expression; reports errors and undeclared parameters. */
static void check_string(struct checker *c, const struct scope *sc, const struct ast_str *s)
{
	if (!s || !armexpr_is_expression(s->s, s->len))
		return;
	struct armexpr_error err;
	struct armexpr *e = armexpr_parse(&c->scratch, s->s, s->len, &err);
	if (!e) {
		diag_error(c->d, sub_span(s, err.offset, err.offset + 1), "E0313",
			   "invalid template expression: %s", err.message);
		return;
	}
	struct call_check cc = { c, s };
	armexpr_walk(e, check_call_name, &cc);
	struct armexpr_param_ref *refs;
	size_t n = armexpr_param_refs(&c->scratch, e, &refs);
	for (size_t i = 0; i < n; i++) {
		struct ast_param *p = find_param(c, sc->params, refs[i].name);
		if (p) {
			p->used = true;
			continue;
		}
		struct diag_record *r = diag_error(c->d, sub_span(s, refs[i].begin, refs[i].end), "E0312",
						   "%s has no parameter '%s'", sc->owner, refs[i].name);
		const char *best = closest_param(c, sc->params, refs[i].name);
		if (best)
			diag_help(c->d, r, "did you mean '%s'?", best);
	}
}

static void check_json(struct checker *c, const struct scope *sc, const struct ast_json *j)
{
	if (!j)
		return;
	switch (j->kind) {
	case AST_JSON_NULL:
	case AST_JSON_BOOL:
	case AST_JSON_NUMBER:
		break;
	case AST_JSON_STRING:
		check_string(c, sc, j->u.string);
		break;
	case AST_JSON_ARRAY:
		for (const struct ast_json_item *i = j->u.array.items; i; i = i->next)
			check_json(c, sc, i->value);
		break;
	case AST_JSON_OBJECT:
		for (const struct ast_json_member *m = j->u.object.members; m; m = m->next)
			check_json(c, sc, m->value);
		break;
	}
}

/*
 * A deployment's properties.template is an ARM template with parameters of
 * its own, so its expressions are not the policy's; everything else in the
 * deployment (properties.parameters above all) is.
 */
static void check_deployment(struct checker *c, const struct scope *sc, const struct ast_json *dep)
{
	if (!dep || dep->kind != AST_JSON_OBJECT) {
		check_json(c, sc, dep);
		return;
	}
	for (const struct ast_json_member *m = dep->u.object.members; m; m = m->next) {
		if (!ieq(m->key->s, "properties") || m->value->kind != AST_JSON_OBJECT) {
			check_json(c, sc, m->value);
			continue;
		}
		for (const struct ast_json_member *pm = m->value->u.object.members; pm; pm = pm->next)
			if (!ieq(pm->key->s, "template"))
				check_json(c, sc, pm->value);
	}
}

/* ---- parameters --------------------------------------------------------- */

enum ptype {
	PT_STRING,
	PT_ARRAY,
	PT_OBJECT,
	PT_BOOLEAN,
	PT_INTEGER,
	PT_FLOAT,
	PT_DATETIME,
	PT_UNKNOWN,
};

static const char *const ptype_names[] = { "String", "Array", "Object", "Boolean", "Integer", "Float", "DateTime" };
#define PT_COUNT 7

static enum ptype param_type(const struct ast_param *p)
{
	if (!p->type)
		return p->from_effect_sugar ? PT_STRING : PT_UNKNOWN;
	for (int i = 0; i < PT_COUNT; i++)
		if (ieq(p->type->s, ptype_names[i]))
			return (enum ptype)i;
	return PT_UNKNOWN;
}

static bool json_fits(enum ptype t, const struct ast_json *j)
{
	switch (t) {
	case PT_STRING:
	case PT_DATETIME:
		return j->kind == AST_JSON_STRING;
	case PT_ARRAY:
		return j->kind == AST_JSON_ARRAY;
	case PT_OBJECT:
		return j->kind == AST_JSON_OBJECT;
	case PT_BOOLEAN:
		return j->kind == AST_JSON_BOOL;
	case PT_INTEGER:
		if (j->kind != AST_JSON_NUMBER)
			return false;
		if (j->u.number.text && strpbrk(j->u.number.text, ".eE"))
			return false;
		/* integral, without libm: within ±2^53 a double converts to long long exactly */
		return j->u.number.value > -9007199254740992.0 && j->u.number.value < 9007199254740992.0 &&
		       (double)(long long)j->u.number.value == j->u.number.value;
	case PT_FLOAT:
		return j->kind == AST_JSON_NUMBER;
	case PT_UNKNOWN:
		return true;
	}
	return true;
}

static bool in_allowed(const struct ast_json *allowed, const struct ast_json *v, bool fold_case)
{
	for (const struct ast_json_item *i = allowed->u.array.items; i; i = i->next)
		if (ast_json_equal(i->value, v, fold_case))
			return true;
	return false;
}

static const char *const *effect_candidates(size_t *n)
{
	static const char *const names[] = { "Append", "Audit", "AuditIfNotExists", "Deny", "DenyAction",
					     "DeployIfNotExists", "Disabled", "Manual", "Modify", "Mutate",
					     "AuditAction", "EnforceRegoPolicy", "enforceSetting" };
	*n = sizeof(names) / sizeof(names[0]);
	return names;
}

static void report_unknown_effect(struct checker *c, struct src_span span, const char *name)
{
	size_t n;
	const char *const *names = effect_candidates(&n);
	struct diag_record *r = diag_error(c->d, span, "E0305", "unknown effect '%s'", name);
	const char *best = diag_closest(name, names, n);
	if (best)
		diag_help(c->d, r, "did you mean '%s'?", best);
}

/*
 * Type, default and allowed values of one parameter.  Values of an effect
 * parameter must be effects and are compared ignoring case, as Azure
 * compares effect names; other values compare exactly.
 */
static void check_param(struct checker *c, struct ast_param *p, bool is_effect, bool strict)
{
	const char *name = p->name ? p->name->s : "";
	enum ptype t = param_type(p);
	if (t == PT_UNKNOWN) {
		if (!p->type) {
			diag_error(c->d, p->span, "E0307", "parameter '%s' has no type", name);
		} else {
			struct diag_record *r = diag_error(c->d, str_span(p->type), "E0307",
							   "unknown parameter type '%s'", p->type->s);
			const char *best = diag_closest(p->type->s, ptype_names, PT_COUNT);
			if (best)
				diag_help(c->d, r, "did you mean '%s'?", best);
			else
				diag_help(c->d, r, "types are String, Array, Object, Boolean, Integer, Float and DateTime");
		}
	}
	const char *tname = t == PT_UNKNOWN ? "" : ptype_names[t];
	if (p->default_value && !json_fits(t, p->default_value))
		report_rule(c, strict, p->default_value->span, "E0308",
			   "default value of parameter '%s' is %s, but its type is '%s'", name,
			   json_kind_desc(p->default_value->kind), tname);
	/* allowedValues: null is no list at all */
	const struct ast_json *allowed = p->allowed && p->allowed->kind != AST_JSON_NULL ? p->allowed : NULL;
	if (allowed && allowed->kind != AST_JSON_ARRAY) {
		report_rule(c, strict, allowed->span, "E0308", "allowed values of parameter '%s' must be an array, not %s",
			   name, json_kind_desc(allowed->kind));
		allowed = NULL;
	}
	if (allowed) {
		/* An Array parameter lists whole arrays or single elements; Azure takes both. */
		for (const struct ast_json_item *i = allowed->u.array.items; i; i = i->next) {
			if (t != PT_ARRAY && !json_fits(t, i->value)) {
				report_rule(c, strict, i->value->span, "E0308",
					   "allowed value %s of parameter '%s' does not fit its type '%s'",
					   json_show(c, i->value), name, tname);
			} else if (is_effect && i->value->kind == AST_JSON_STRING &&
				   !ast_effect_canonical(i->value->u.string->s)) {
				report_unknown_effect(c, i->value->span, i->value->u.string->s);
			}
		}
	}
	if (p->default_value && is_effect && p->default_value->kind == AST_JSON_STRING &&
	    !ast_effect_canonical(p->default_value->u.string->s))
		report_unknown_effect(c, p->default_value->span, p->default_value->u.string->s);
	/* An empty allowed list restricts nothing (built-ins ship such lists). */
	if (p->default_value && allowed && allowed->u.array.count > 0 &&
	    json_fits(t, p->default_value) && !in_allowed(allowed, p->default_value, is_effect)) {
		bool ok = false;
		if (t == PT_ARRAY && p->default_value->kind == AST_JSON_ARRAY) {
			ok = true;
			for (const struct ast_json_item *i = p->default_value->u.array.items; i; i = i->next)
				if (!in_allowed(allowed, i->value, false))
					ok = false;
		}
		if (!ok && p->default_value->kind == AST_JSON_ARRAY)
			report_rule(c, strict, p->default_value->span, "E0309",
				   "default value of parameter '%s' is neither an allowed value nor made of allowed values",
				   name);
		else if (!ok)
			report_rule(c, strict, p->default_value->span, "E0309",
				   "default value %s of parameter '%s' is not one of its allowed values",
				   json_show(c, p->default_value), name);
	}
}

static void check_params(struct checker *c, struct ast_param *params, const struct ast_param *effect_param,
			 bool strict)
{
	size_t n = 0;
	for (struct ast_param *p = params; p; p = p->next)
		n++;
	struct key_item *items = ARENA_NEW_ARRAY(&c->scratch, struct key_item, n + 1);
	size_t i = 0;
	for (struct ast_param *p = params; p; p = p->next) {
		if (p->name) {
			push_id(c, "parameter name", items, &i, p->name);
		}
		p->used = false;
	}
	report_dups(c, items, i, "E0310", "parameter");
	for (struct ast_param *p = params; p; p = p->next)
		check_param(c, p, p == effect_param || p->from_effect_sugar, strict);
}

/* ---- conditions --------------------------------------------------------- */

static void check_operand(struct checker *c, const struct ast_cond *cond)
{
	const struct ast_json *rhs = cond->u.leaf.rhs;
	enum ast_op op = cond->u.leaf.op;
	const char *opname = ast_op_name(op);
	if (!rhs)
		return;
	bool expr = json_is_expr(rhs);
	if (cond->kind == AST_COND_COUNT && op != AST_OP_EXISTS && op != AST_OP_IN && op != AST_OP_NOT_IN) {
		if (rhs->kind != AST_JSON_NUMBER && !expr)
			diag_error(c->d, rhs->span, "E0318", "a count compares with a number, not %s",
				   json_kind_desc(rhs->kind));
		return;
	}
	switch (op) {
	case AST_OP_IN:
	case AST_OP_NOT_IN:
		if (rhs->kind != AST_JSON_ARRAY && !expr)
			diag_error(c->d, rhs->span, "E0316", "'%s' needs an array or a template expression, not %s",
				   opname, json_kind_desc(rhs->kind));
		break;
	case AST_OP_EXISTS: {
		bool ok = rhs->kind == AST_JSON_BOOL || expr ||
			  (rhs->kind == AST_JSON_STRING &&
			   (ieq(rhs->u.string->s, "true") || ieq(rhs->u.string->s, "false")));
		if (!ok)
			diag_error(c->d, rhs->span, "E0317", "'exists' needs true or false, not %s",
				   json_show(c, rhs));
		break;
	}
	case AST_OP_LIKE:
	case AST_OP_NOT_LIKE:
	case AST_OP_MATCH:
	case AST_OP_MATCH_INSENSITIVELY:
	case AST_OP_NOT_MATCH:
	case AST_OP_NOT_MATCH_INSENSITIVELY:
		if (rhs->kind != AST_JSON_STRING) {
			diag_error(c->d, rhs->span, "E0318", "'%s' needs a string pattern, not %s", opname,
				   json_kind_desc(rhs->kind));
		} else if (op != AST_OP_LIKE && op != AST_OP_NOT_LIKE && !expr && strchr(rhs->u.string->s, '*')) {
			/* match patterns know '#' (digit), '?' (letter) and '.' (any); '*' is literal */
			struct diag_record *r = diag_warning(c->d, rhs->span, "E0331",
							     "'%s' pattern '%s' has '*', which match takes literally",
							     opname, rhs->u.string->s);
			diag_help(c->d, r, "did you mean '%s'?",
				  op == AST_OP_MATCH || op == AST_OP_MATCH_INSENSITIVELY ? "like" : "notLike");
		} else if ((op == AST_OP_LIKE || op == AST_OP_NOT_LIKE) && !expr) {
			const char *star = strchr(rhs->u.string->s, '*');
			if (star && strchr(star + 1, '*'))
				diag_warning(c->d, rhs->span, "E0328",
					     "'%s' pattern '%s' has more than one '*'; Azure expects at most one",
					     opname, rhs->u.string->s);
		}
		break;
	case AST_OP_EQUALS:
	case AST_OP_NOT_EQUALS:
	case AST_OP_CONTAINS:
	case AST_OP_NOT_CONTAINS:
	case AST_OP_CONTAINS_KEY:
	case AST_OP_NOT_CONTAINS_KEY:
	case AST_OP_LESS:
	case AST_OP_LESS_OR_EQUALS:
	case AST_OP_GREATER:
	case AST_OP_GREATER_OR_EQUALS:
		break;
	}
}

static void check_cond(struct checker *c, const struct scope *sc, const struct ast_cond *cond)
{
	if (!cond || diag_should_stop(c->d))
		return;
	switch (cond->kind) {
	case AST_COND_ALL:
	case AST_COND_ANY:
		if (!cond->u.logical.children)
			diag_error(c->d, cond->span, "E0319", "'%s' has no conditions",
				   cond->kind == AST_COND_ALL ? "allOf" : "anyOf");
		for (const struct ast_cond *k = cond->u.logical.children; k; k = k->next)
			check_cond(c, sc, k);
		break;
	case AST_COND_NOT:
		if (!cond->u.negated)
			diag_error(c->d, cond->span, "E0319", "'not' has no condition");
		check_cond(c, sc, cond->u.negated);
		break;
	case AST_COND_FIELD:
		check_string(c, sc, cond->u.leaf.field);
		check_operand(c, cond);
		check_json(c, sc, cond->u.leaf.rhs);
		break;
	case AST_COND_VALUE:
		check_json(c, sc, cond->u.leaf.value);
		check_operand(c, cond);
		check_json(c, sc, cond->u.leaf.rhs);
		break;
	case AST_COND_COUNT:
		switch (cond->u.leaf.count.kind) {
		case AST_COUNT_FIELD: {
			const struct ast_str *f = cond->u.leaf.count.field;
			if (f && !is_expr_str(f) && !strstr(f->s, "[*]"))
				diag_error(c->d, str_span(f), "E0315",
					   "count field '%s' has no '[*]'; a count needs an array alias", f->s);
			check_string(c, sc, f);
			break;
		}
		case AST_COUNT_VALUE:
			check_json(c, sc, cond->u.leaf.count.value);
			break;
		}
		check_cond(c, sc, cond->u.leaf.count.where);
		check_operand(c, cond);
		check_json(c, sc, cond->u.leaf.rhs);
		break;
	case AST_COND_JSON:
		if (cond->u.json->kind != AST_JSON_OBJECT)
			diag_error(c->d, cond->span, "E0336", "an 'extra' condition must be a JSON object, not %s",
				   json_kind_desc(cond->u.json->kind));
		check_json(c, sc, cond->u.json);
		break;
	}
}

/* ---- effects and details ------------------------------------------------ */

/* The effects a policy can have, canonical names; unknown when computed. */
struct effect_set {
	const char *names[16];
	size_t count;
	bool unknown;
};

static void effect_add(struct effect_set *set, const char *name)
{
	const char *canon = ast_effect_canonical(name);
	if (!canon)
		return;
	for (size_t i = 0; i < set->count; i++)
		if (set->names[i] == canon)
			return;
	if (set->count < sizeof(set->names) / sizeof(set->names[0]))
		set->names[set->count++] = canon;
}

static bool effect_has(const struct effect_set *set, const char *canon)
{
	for (size_t i = 0; i < set->count; i++)
		if (strcmp(set->names[i], canon) == 0)
			return true;
	return false;
}

static void effects_from_param(struct effect_set *set, const struct ast_param *p)
{
	if (!p || !p->allowed || p->allowed->kind != AST_JSON_ARRAY || p->allowed->u.array.count == 0) {
		set->unknown = true;
		return;
	}
	for (const struct ast_json_item *i = p->allowed->u.array.items; i; i = i->next)
		if (i->value->kind == AST_JSON_STRING)
			effect_add(set, i->value->u.string->s);
}

/* The parameter an effect string names when it is exactly [parameters('x')]. */
static struct ast_param *effect_expr_param(struct checker *c, struct ast_policy *p)
{
	if (!p->effect || !is_expr_str(p->effect))
		return NULL;
	struct armexpr_error err;
	struct armexpr *e = armexpr_parse(&c->scratch, p->effect->s, p->effect->len, &err);
	if (!e || e->kind != ARMEXPR_CALL || !ieq(e->u.call.name, "parameters") || e->u.call.argc != 1 ||
	    e->u.call.args->kind != ARMEXPR_STRING)
		return NULL;
	return find_param(c, p->params, e->u.call.args->u.string.s);
}

static bool json_has_key(const struct ast_json *j, const char *key)
{
	if (!j || j->kind != AST_JSON_OBJECT)
		return false;
	for (const struct ast_json_member *m = j->u.object.members; m; m = m->next)
		if (ieq(m->key->s, key))
			return true;
	return false;
}

static struct src_span details_span(const struct ast_policy *p)
{
	switch (p->details_kind) {
	case AST_DETAILS_NONE:
		break;
	case AST_DETAILS_RELATED:
		return p->details.related->span;
	case AST_DETAILS_MODIFY:
		return p->details.modify->span;
	case AST_DETAILS_APPEND:
		return p->details.append.entries ? p->details.append.entries->span : p->span;
	case AST_DETAILS_JSON:
		return p->details.json->span;
	}
	return p->effect_span.src ? p->effect_span : p->span;
}

static bool resource_mode(const struct ast_policy *p)
{
	return !p->mode || ieq(p->mode->s, "All") || ieq(p->mode->s, "Indexed");
}

/* The details each possible effect needs, and details no possible effect uses. */
static void check_details_shape(struct checker *c, const struct ast_policy *p, const struct effect_set *set,
				bool strict)
{
	if (set->unknown || set->count == 0)
		return;
	struct src_span at = p->effect_span.src ? p->effect_span : p->span;
	const char *code = "E0306";
	enum ast_details_kind k = p->details_kind;
	const struct ast_json *json = k == AST_DETAILS_JSON ? p->details.json : NULL;
	if (effect_has(set, "DeployIfNotExists")) {
		bool ok = (k == AST_DETAILS_RELATED && p->details.related->deployment &&
			   p->details.related->role_ids) ||
			  (json && json_has_key(json, "deployment") && json_has_key(json, "roleDefinitionIds"));
		if (!ok)
			report_rule(c, strict, at, code,
				   "effect 'DeployIfNotExists' needs a 'related' block with 'deployment' and 'roleDefinitionIds'");
	}
	if (effect_has(set, "AuditIfNotExists")) {
		bool ok = k == AST_DETAILS_RELATED || (json && json_has_key(json, "type"));
		if (!ok)
			report_rule(c, strict, at, code, "effect 'AuditIfNotExists' needs a 'related' block");
	}
	if (effect_has(set, "Modify")) {
		bool ok = (k == AST_DETAILS_MODIFY && p->details.modify->operations && p->details.modify->role_ids) ||
			  (json && json_has_key(json, "operations") && json_has_key(json, "roleDefinitionIds"));
		if (!ok)
			report_rule(c, strict, at, code,
				   "effect 'Modify' needs a 'modify' block with operations and 'roleDefinitionIds'");
	}
	if (effect_has(set, "Append")) {
		bool ok = k == AST_DETAILS_APPEND || k == AST_DETAILS_JSON;
		if (!ok)
			report_rule(c, strict, at, code, "effect 'Append' needs 'append' entries or 'details'");
	}
	const char *unused = NULL;
	switch (k) {
	case AST_DETAILS_NONE:
		break;
	case AST_DETAILS_RELATED:
		if (!effect_has(set, "DeployIfNotExists") && !effect_has(set, "AuditIfNotExists"))
			unused = "related";
		break;
	case AST_DETAILS_MODIFY:
		if (!effect_has(set, "Modify"))
			unused = "modify";
		break;
	case AST_DETAILS_APPEND:
		if (!effect_has(set, "Append"))
			unused = "append";
		break;
	case AST_DETAILS_JSON: {
		/* Data-plane modes (Kubernetes, Key Vault...) carry details for Audit and Deny too. */
		bool plain = resource_mode(p);
		for (size_t i = 0; i < set->count; i++)
			if (!ieq(set->names[i], "Audit") && !ieq(set->names[i], "Deny") &&
			    !ieq(set->names[i], "Disabled"))
				plain = false;
		if (plain)
			unused = "details";
		break;
	}
	}
	if (unused) {
		struct sb list = SB_INIT;
		for (size_t i = 0; i < set->count; i++)
			sb_addf(&list, "%s'%s'", i ? ", " : "", set->names[i]);
		report_rule(c, strict, details_span(p), code, "'%s' is given, but no possible effect (%s) uses it", unused,
			   list.buf);
		sb_release(&list);
	}
}

static void check_details_strings(struct checker *c, const struct scope *sc, const struct ast_policy *p)
{
	switch (p->details_kind) {
	case AST_DETAILS_NONE:
		break;
	case AST_DETAILS_RELATED: {
		const struct ast_related *r = p->details.related;
		check_string(c, sc, r->type);
		check_json(c, sc, r->name);
		check_json(c, sc, r->resource_group);
		check_string(c, sc, r->existence_scope);
		check_string(c, sc, r->deployment_scope);
		check_string(c, sc, r->evaluation_delay);
		check_cond(c, sc, r->existence);
		check_json(c, sc, r->role_ids);
		check_deployment(c, sc, r->deployment);
		check_json(c, sc, r->extra);
		break;
	}
	case AST_DETAILS_MODIFY: {
		const struct ast_modify *m = p->details.modify;
		for (const struct ast_modify_operation *o = m->operations; o; o = o->next) {
			check_string(c, sc, o->field);
			check_json(c, sc, o->value);
			check_string(c, sc, o->condition);
		}
		check_json(c, sc, m->role_ids);
		check_string(c, sc, m->conflict_effect);
		check_json(c, sc, m->extra);
		break;
	}
	case AST_DETAILS_APPEND:
		for (const struct ast_append *a = p->details.append.entries; a; a = a->next) {
			check_string(c, sc, a->field);
			check_json(c, sc, a->value);
		}
		break;
	case AST_DETAILS_JSON:
		check_json(c, sc, p->details.json);
		break;
	}
}

/* ---- modes -------------------------------------------------------------- */

/* Microsoft.<X>.Data or Microsoft.<X>.v2.Data, X alphanumeric. */
static bool data_plane_mode(const char *m)
{
	if (!istarts_with(m, "Microsoft."))
		return false;
	const char *x = m + strlen("Microsoft.");
	size_t n = 0;
	while (isalnum((unsigned char)x[n]))
		n++;
	if (n == 0)
		return false;
	const char *rest = x + n;
	return ieq(rest, ".Data") || ieq(rest, ".v2.Data");
}

static void check_mode(struct checker *c, const struct ast_str *mode)
{
	if (!mode || ieq(mode->s, "All") || ieq(mode->s, "Indexed") || data_plane_mode(mode->s))
		return;
	static const char *const modes[] = {
		"All", "Indexed", "Microsoft.Kubernetes.Data", "Microsoft.KeyVault.Data",
		"Microsoft.ContainerService.Data", "Microsoft.ManagedHSM.Data",
		"Microsoft.MachineLearningServices.Data", "Microsoft.MachineLearningServices.v2.Data",
		"Microsoft.CognitiveServices.Data", "Microsoft.LoadTestService.Data", "Microsoft.DataFactory.Data",
		"Microsoft.Network.Data",
	};
	struct diag_record *r = diag_error(c->d, str_span(mode), "E0314", "unknown mode '%s'", mode->s);
	const char *best = diag_closest(mode->s, modes, sizeof(modes) / sizeof(modes[0]));
	if (best)
		diag_help(c->d, r, "did you mean '%s'?", best);
	else
		diag_help(c->d, r, "modes are 'All', 'Indexed' or a data-plane mode 'Microsoft.<Provider>.Data'");
}

/* ---- policies ----------------------------------------------------------- */

/* ---- Azure's limits (E0333, E0334) -------------------------------------- */

/* A policy or an initiative declares at most this many parameters. */
#define AZURE_MAX_PARAMS 400
/* An initiative references at most this many policy definitions. */
#define AZURE_MAX_SET_REFERENCES 1000

/* E0333 at the first parameter past Azure's limit. */
static void check_param_count(struct checker *c, const struct ast_param *params, const char *owner)
{
	size_t n = 0;
	for (const struct ast_param *p = params; p; p = p->next)
		if (++n == AZURE_MAX_PARAMS + 1) {
			diag_error(c->d, p->name ? str_span(p->name) : p->span, "E0333",
				   "%s declares more than %d parameters, Azure's limit per definition", owner,
				   AZURE_MAX_PARAMS);
			return;
		}
}

/*
 * The pack's initiative: one reference per enforce block, and one parameter
 * per effect parameter plus one per other parameter name (ignoring case), as
 * the JSON generator surfaces them.
 */
static void check_pack_set_limits(struct checker *c)
{
	const struct ast_service *svc = c->pack->service;
	if (!svc)
		return;
	/* "Enforces the security recommendations for <name> (baseline version <v>)." */
	if (svc->name) {
		size_t n = strlen("Enforces the security recommendations for .") +
			   text_utf8_chars(svc->name->s, svc->name->len);
		if (svc->version)
			n += strlen(" (baseline version )") + text_utf8_chars(svc->version->s, svc->version->len);
		if (n > CHECK_MAX_DESCRIPTION)
			diag_error(c->d, str_span(svc->name), "E0304",
				   "the pack's initiative description would be %zu characters with this service "
				   "name; the limit is %d", n, CHECK_MAX_DESCRIPTION);
	}
	struct strmap names = STRMAP_INIT(true);
	size_t refs = 0, params = 0;
	bool refs_reported = false, params_reported = false;
	for (struct ast_section *s = c->pack->sections; s; s = s->next)
		for (struct ast_recommendation *r = s->recommendations; r; r = r->next)
			for (struct ast_policy *p = r->policies; p; p = p->next) {
				if (++refs == AZURE_MAX_SET_REFERENCES + 1 && !refs_reported) {
					diag_error(c->d, p->span, "E0334",
						   "the pack's initiative would reference more than %d policies, "
						   "Azure's limit per initiative; split the pack",
						   AZURE_MAX_SET_REFERENCES);
					refs_reported = true;
				}
				for (const struct ast_param *pa = p->params; pa; pa = pa->next) {
					if (!pa->name)
						continue;
					bool effect = p->effect_form == AST_EFFECT_PARAM && p->effect_param == pa;
					bool added = effect;
					if (!effect)
						strmap_slot(&names, NULL, pa->name->s, pa->name->len, &added);
					if (added && ++params == AZURE_MAX_PARAMS + 1 && !params_reported) {
						diag_error(c->d, str_span(pa->name), "E0333",
							   "the pack's initiative would declare more than %d parameters, "
							   "Azure's limit per initiative", AZURE_MAX_PARAMS);
						params_reported = true;
					}
				}
			}
	strmap_release(&names);
}

/* E0334 at the first reference past Azure's limit. */
static void check_reference_count(struct checker *c, const struct ast_initiative *ini, const char *name)
{
	size_t n = 0;
	for (const struct ast_reference *r = ini->references; r; r = r->next)
		if (++n == AZURE_MAX_SET_REFERENCES + 1) {
			diag_error(c->d, r->ref_id ? str_span(r->ref_id) : r->span, "E0334",
				   "initiative '%s' references more than %d policies, Azure's limit per initiative",
				   name, AZURE_MAX_SET_REFERENCES);
			return;
		}
}

static void check_texts(struct checker *c, const char *what, const char *name, const struct ast_str *display,
			const struct ast_str *description, const struct ast_str *policy_type)
{
	/* Some built-in display names exceed 128 characters, so the cap binds custom definitions only. */
	if (display && custom_type(policy_type)) {
		size_t n = text_utf8_chars(display->s, display->len);
		if (n > CHECK_MAX_DISPLAY)
			report_rule(c, !c->imported, str_span(display), "E0303",
				    "display name of %s '%s' is %zu characters; the limit is %d", what, name, n,
				    CHECK_MAX_DISPLAY);
	}
	if (description) {
		size_t n = text_utf8_chars(description->s, description->len);
		if (n > CHECK_MAX_DESCRIPTION)
			report_rule(c, !c->imported, str_span(description), "E0304",
				    "description of %s '%s' is %zu characters; the limit is %d", what, name, n,
				    CHECK_MAX_DESCRIPTION);
	}
}

static void check_policy(struct checker *c, struct ast_policy *p)
{
	const char *name = p->resolved_name ? p->resolved_name : "";
	struct scope sc = { p->params, arena_printf(&c->scratch, "policy '%s'", name) };
	bool enforce = p->owner != NULL;
	c->imported = p->imported;
	bool strict = custom_type(p->policy_type) && !p->imported;

	/* Azure makes displayName optional; pacc wants one, for the guide and the portal */
	if (!p->display)
		report_rule(c, !p->imported, p->span, "E0320", "policy '%s' has no 'display'", name);
	check_texts(c, "policy", name, p->display, p->description, p->policy_type);
	check_mode(c, p->mode);
	if (p->version && !valid_version(p->version->s))
		diag_error(c->d, str_span(p->version), "E0211",
			   "version '%s' is not MAJOR.MINOR.PATCH (optionally -preview or -deprecated)",
			   p->version->s);

	struct ast_param *effect_param = NULL;
	if (p->effect_form == AST_EFFECT_PARAM)
		effect_param = p->effect_param;
	else if (p->effect_form == AST_EFFECT_EXPRESSION)
		effect_param = effect_expr_param(c, p);
	check_params(c, p->params, effect_param, strict);
	check_param_count(c, p->params, sc.owner);

	if (!p->condition)
		diag_error(c->d, p->span, "E0320", "policy '%s' has no 'if' condition", name);
	check_cond(c, &sc, p->condition);

	struct effect_set set = { .count = 0, .unknown = false };
	switch (p->effect_form) {
	case AST_EFFECT_NONE:
		diag_error(c->d, p->span, "E0320", "policy '%s' has no 'effect'", name);
		set.unknown = true;
		break;
	case AST_EFFECT_LITERAL:
		if (p->effect && !ast_effect_canonical(p->effect->s))
			report_unknown_effect(c, str_span(p->effect), p->effect->s);
		else if (p->effect)
			effect_add(&set, p->effect->s);
		break;
	case AST_EFFECT_PARAM:
		if (p->effect_param)
			p->effect_param->used = true;
		effects_from_param(&set, p->effect_param);
		break;
	case AST_EFFECT_EXPRESSION:
		if (p->effect && !is_expr_str(p->effect)) {
			if (!ast_effect_canonical(p->effect->s))
				report_unknown_effect(c, str_span(p->effect), p->effect->s);
			else
				effect_add(&set, p->effect->s);
			break;
		}
		check_string(c, &sc, p->effect);
		if (effect_param)
			effects_from_param(&set, effect_param);
		else
			set.unknown = true;
		break;
	}
	check_details_shape(c, p, &set, strict);
	check_details_strings(c, &sc, p);

	for (struct ast_param *prm = p->params; prm; prm = prm->next) {
		if (prm->used || !prm->name)
			continue;
		/*
		 * Built-ins ship unused parameters, so only pack-written policies
		 * must use all; other custom ones get a warning, and Azure's own
		 * (BuiltIn, Static), which nobody can fix, nothing.
		 */
		if (!enforce && !strict)
			continue;
		if (enforce)
			diag_error(c->d, str_span(prm->name), "E0311", "parameter '%s' of %s is never used",
				   prm->name->s, sc.owner);
		else
			diag_warning(c->d, str_span(prm->name), "E0311", "parameter '%s' of %s is never used",
				     prm->name->s, sc.owner);
	}
}

/*
 * The pack's initiative surfaces each parameter of its enforce policies
 * once, so one name must mean one type across them.
 */
static void check_shared_param_types(struct checker *c)
{
	size_t n = 0;
	for (struct ast_section *s = c->pack->sections; s; s = s->next)
		for (struct ast_recommendation *r = s->recommendations; r; r = r->next)
			for (struct ast_policy *p = r->policies; p; p = p->next)
				for (struct ast_param *prm = p->params; prm; prm = prm->next)
					n++;
	if (n < 2)
		return;
	struct key_item *items = ARENA_NEW_ARRAY(&c->scratch, struct key_item, n);
	struct ast_param **params = ARENA_NEW_ARRAY(&c->scratch, struct ast_param *, n);
	size_t i = 0;
	for (struct ast_section *s = c->pack->sections; s; s = s->next) {
		for (struct ast_recommendation *r = s->recommendations; r; r = r->next) {
			for (struct ast_policy *p = r->policies; p; p = p->next) {
				struct ast_param *eff = p->effect_form == AST_EFFECT_EXPRESSION ? effect_expr_param(c, p) : NULL;
				for (struct ast_param *prm = p->params; prm; prm = prm->next) {
					if (!prm->name || prm->from_effect_sugar || prm == eff ||
					    param_type(prm) == PT_UNKNOWN)
						continue;
					items[i] = (struct key_item){ prm->name->s, str_span(prm->name), i, 0 };
					params[i] = prm;
					i++;
				}
			}
		}
	}
	size_t m = i;
	mark_firsts(items, m);
	for (i = 0; i < m; i++) {
		struct ast_param *a = params[items[i].first], *b = params[i];
		if (a == b || param_type(a) == param_type(b))
			continue;
		struct diag_record *r = diag_error(
			c->d, b->type ? str_span(b->type) : b->span, "E0326",
			"parameter '%s' is '%s' here but '%s' in an earlier policy; the pack's initiative shares one parameter per name",
			b->name->s, ptype_names[param_type(b)], ptype_names[param_type(a)]);
		diag_note(c->d, r, a->type ? str_span(a->type) : a->span, "'%s' first declared here", a->name->s);
	}
}

/* ---- initiatives -------------------------------------------------------- */

struct named_policy {
	struct ast_policy *policy;
	size_t order; /* declaration order, so the first of equal names wins */
};

static int cmp_named_policies(const void *a, const void *b)
{
	const struct named_policy *x = a, *y = b;
	int r = strcasecmp(x->policy->resolved_name, y->policy->resolved_name);
	if (r != 0)
		return r;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void index_policies(struct checker *c)
{
	size_t n = 0;
	for (struct ast_section *s = c->pack->sections; s; s = s->next)
		for (struct ast_recommendation *r = s->recommendations; r; r = r->next)
			for (struct ast_policy *p = r->policies; p; p = p->next)
				n += p->resolved_name != NULL;
	for (struct ast_policy *p = c->pack->policies; p; p = p->next)
		n += p->resolved_name != NULL;
	struct named_policy *tmp = ARENA_NEW_ARRAY(&c->scratch, struct named_policy, n + 1);
	size_t k = 0;
	for (struct ast_section *s = c->pack->sections; s; s = s->next)
		for (struct ast_recommendation *r = s->recommendations; r; r = r->next)
			for (struct ast_policy *p = r->policies; p; p = p->next)
				if (p->resolved_name) {
					tmp[k] = (struct named_policy){ p, k };
					k++;
				}
	for (struct ast_policy *p = c->pack->policies; p; p = p->next)
		if (p->resolved_name) {
			tmp[k] = (struct named_policy){ p, k };
			k++;
		}
	if (k > 1)
		qsort(tmp, k, sizeof(*tmp), cmp_named_policies);
	c->by_name = ARENA_NEW_ARRAY(&c->scratch, struct ast_policy *, k + 1);
	for (size_t i = 0; i < k; i++)
		c->by_name[i] = tmp[i].policy;
	c->by_name_count = k;
}

/* The first-declared policy whose resolved name is name, ignoring case. */
static struct ast_policy *find_policy(struct checker *c, const char *name)
{
	if (!c->by_name)
		index_policies(c);
	size_t lo = 0, hi = c->by_name_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcasecmp(c->by_name[mid]->resolved_name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->by_name_count && ieq(c->by_name[lo]->resolved_name, name))
		return c->by_name[lo];
	return NULL;
}

static const char *closest_policy(struct checker *c, const char *name)
{
	size_t n = 0;
	for (struct ast_section *s = c->pack->sections; s; s = s->next)
		for (struct ast_recommendation *r = s->recommendations; r; r = r->next)
			for (struct ast_policy *p = r->policies; p; p = p->next)
				n++;
	for (struct ast_policy *p = c->pack->policies; p; p = p->next)
		n++;
	if (!n)
		return NULL;
	const char **names = ARENA_NEW_ARRAY(&c->scratch, const char *, n);
	size_t i = 0;
	for (struct ast_section *s = c->pack->sections; s; s = s->next)
		for (struct ast_recommendation *r = s->recommendations; r; r = r->next)
			for (struct ast_policy *p = r->policies; p; p = p->next)
				names[i++] = p->resolved_name ? p->resolved_name : "";
	for (struct ast_policy *p = c->pack->policies; p; p = p->next)
		names[i++] = p->resolved_name ? p->resolved_name : "";
	return diag_closest(name, names, i);
}

static void check_reference(struct checker *c, const struct ast_initiative *ini, const struct scope *sc,
			    struct ast_reference *ref)
{
	ref->resolved = NULL;
	const struct ast_str *t = ref->target;
	if (t) {
		if (starts_with(t->s, "/providers/") || istarts_with(t->s, "/subscriptions/")) {
			/* a full definition id: nothing local to resolve */
		} else if (t->s[0] == '/') {
			diag_error(c->d, str_span(t), "E0321",
				   "definition id '%s' must start with '/providers/' or '/subscriptions/'", t->s);
		} else {
			ref->resolved = find_policy(c, t->s);
			if (!ref->resolved) {
				struct diag_record *r = diag_error(c->d, str_span(t), "E0321",
								   "no policy named '%s' in this pack", t->s);
				const char *best = closest_policy(c, t->s);
				if (best)
					diag_help(c->d, r, "did you mean '%s'?", best);
			}
		}
	}

	if (ref->groups) {
		if (ref->groups->kind != AST_JSON_ARRAY) {
			diag_error(c->d, ref->groups->span, "E0322", "'groups' must be an array of group names");
		} else {
			size_t ng = 0;
			for (const struct ast_group *g = ini->groups; g; g = g->next)
				ng++;
			const char **names = ARENA_NEW_ARRAY(&c->scratch, const char *, ng + 1);
			ng = 0;
			for (const struct ast_group *g = ini->groups; g; g = g->next)
				if (g->name)
					names[ng++] = g->name->s;
			for (const struct ast_json_item *i = ref->groups->u.array.items; i; i = i->next) {
				if (i->value->kind != AST_JSON_STRING) {
					diag_error(c->d, i->value->span, "E0322", "a group name must be a string, not %s",
						   json_kind_desc(i->value->kind));
					continue;
				}
				const char *g = i->value->u.string->s;
				bool found = false;
				for (size_t k = 0; k < ng && !found; k++)
					found = strcmp(names[k], g) == 0;
				if (found)
					continue;
				struct diag_record *r = diag_error(c->d, i->value->span, "E0322",
								   "initiative '%s' declares no group '%s'",
								   ini->name ? ini->name->s : "", g);
				const char *best = diag_closest(g, names, ng);
				if (best)
					diag_help(c->d, r, "did you mean '%s'?", best);
			}
		}
	}

	for (struct ast_ref_param *rp = ref->params; rp; rp = rp->next) {
		check_json(c, sc, rp->value);
		check_json(c, sc, rp->raw);
		if (!rp->name || !check_id(c, "parameter name", rp->name) || !ref->resolved)
			continue;
		if (find_param(c, ref->resolved->params, rp->name->s))
			continue;
		struct diag_record *r = diag_error(c->d, str_span(rp->name), "E0323", "policy '%s' has no parameter '%s'",
						   ref->resolved->resolved_name, rp->name->s);
		const char *best = closest_param(c, ref->resolved->params, rp->name->s);
		if (best)
			diag_help(c->d, r, "did you mean '%s'?", best);
	}
	if (ref->resolved) {
		/* the values the reference gives, by name: one pass over each list */
		for (struct ast_ref_param *rp = ref->params; rp; rp = rp->next)
			if (rp->name)
				*strmap_slot(&c->params, ref, rp->name->s, strlen(rp->name->s), NULL) = rp;
		for (const struct ast_param *pp = ref->resolved->params; pp; pp = pp->next) {
			if (!pp->name || pp->default_value)
				continue;
			bool given = strmap_get(&c->params, ref, pp->name->s, strlen(pp->name->s)) != NULL;
			if (!given)
				diag_error(c->d, ref->ref_id ? str_span(ref->ref_id) : ref->span, "E0329",
					   "reference '%s' gives no value for parameter '%s', which has no default",
					   ref->ref_id ? ref->ref_id->s : "", pp->name->s);
		}
	}
}

static void check_initiative(struct checker *c, struct ast_initiative *ini)
{
	const char *name = ini->name ? ini->name->s : "";
	struct scope sc = { ini->params, arena_printf(&c->scratch, "initiative '%s'", name) };
	c->imported = ini->imported;
	check_texts(c, "initiative", name, ini->display, ini->description, ini->policy_type);
	if (ini->version && !valid_version(ini->version->s))
		diag_error(c->d, str_span(ini->version), "E0211",
			   "version '%s' is not MAJOR.MINOR.PATCH (optionally -preview or -deprecated)",
			   ini->version->s);
	check_params(c, ini->params, NULL, custom_type(ini->policy_type) && !ini->imported);
	check_param_count(c, ini->params, sc.owner);
	check_reference_count(c, ini, name);

	size_t ng = 0, nr = 0;
	for (const struct ast_group *g = ini->groups; g; g = g->next)
		ng++;
	for (const struct ast_reference *r = ini->references; r; r = r->next)
		nr++;
	struct key_item *groups = ARENA_NEW_ARRAY(&c->scratch, struct key_item, ng + 1);
	struct key_item *refs = ARENA_NEW_ARRAY(&c->scratch, struct key_item, nr + 1);
	size_t i = 0;
	for (const struct ast_group *g = ini->groups; g; g = g->next)
		if (g->name)
			push_id(c, "group name", groups, &i, g->name);
	report_dups(c, groups, i, "E0324", "group");
	i = 0;
	for (const struct ast_reference *r = ini->references; r; r = r->next)
		if (r->ref_id)
			push_id(c, "reference id", refs, &i, r->ref_id);
	report_dups(c, refs, i, "E0325", "reference id");

	if (!ini->references)
		diag_error(c->d, ini->span, "E0327", "initiative '%s' has no references", name);
	for (struct ast_reference *r = ini->references; r; r = r->next)
		check_reference(c, ini, &sc, r);
	/* Built-in initiatives declare 2,019 parameters they never use: say nothing about those. */
	for (struct ast_param *prm = ini->params; prm && custom_type(ini->policy_type); prm = prm->next)
		if (!prm->used && prm->name)
			diag_warning(c->d, str_span(prm->name), "E0311", "parameter '%s' of %s is never used",
				     prm->name->s, sc.owner);
}

static void check_initiatives(struct checker *c)
{
	size_t n = 1;
	for (struct ast_initiative *ini = c->pack->initiatives; ini; ini = ini->next)
		n++;
	struct key_item *items = ARENA_NEW_ARRAY(&c->scratch, struct key_item, n);
	size_t i = 0;
	/* A pack with a service gets an initiative named after the pack. */
	if (c->pack->service && c->pack->name)
		key_push(items, &i, c->pack->name, c->pack->service->span);
	for (struct ast_initiative *ini = c->pack->initiatives; ini; ini = ini->next) {
		struct src_span span = ini->name ? str_span(ini->name) : ini->span;
		const char *name = ini->name ? ini->name->s : "";
		check_resource_name(c, "initiative", name, ini->name ? ini->name->len : 0, span);
		key_push(items, &i, name, span);
	}
	report_dups(c, items, i, "E0302", "initiative name");
	for (struct ast_initiative *ini = c->pack->initiatives; ini; ini = ini->next) {
		if (diag_should_stop(c->d))
			return;
		check_initiative(c, ini);
	}
}

bool check_pack(struct ast_pack *pack, struct diag_engine *d)
{
	return check_pack_with_aliases(pack, NULL, d);
}

bool check_pack_with_aliases(struct ast_pack *pack, const struct alias_table *aliases, struct diag_engine *d)
{
	struct checker c = { .pack = pack, .d = d, .params = STRMAP_INIT(true),
			     .indexed_lists = STRMAP_INIT(false) };
	arena_init(&c.scratch);
	size_t errors_before = d->errors;

	check_pack_name(&c);
	check_harden(pack, d);
	check_types(pack, d);
	check_guide(&c);
	resolve_policy_names(&c);
	for (struct ast_section *s = pack->sections; s && !diag_should_stop(d); s = s->next)
		for (struct ast_recommendation *r = s->recommendations; r; r = r->next)
			for (struct ast_policy *p = r->policies; p; p = p->next)
				check_policy(&c, p);
	for (struct ast_policy *p = pack->policies; p && !diag_should_stop(d); p = p->next)
		check_policy(&c, p);
	check_shared_param_types(&c);
	check_pack_set_limits(&c);
	check_initiatives(&c);
	if (aliases && !diag_should_stop(d))
		check_alias(pack, aliases, d);
	check_tests(pack, d);
	if (d->errors == errors_before)
		check_proof(pack, aliases, d);

	arena_release(&c.scratch);
	strmap_release(&c.params);
	strmap_release(&c.indexed_lists);
	return d->errors == errors_before;
}
