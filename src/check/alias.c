#include "pacc/alias.h"

#include "pacc/jsonloc.h"
#include "pacc/text.h"

#include <cjson/cJSON.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Longest name or path the table keeps; longer ones are malformed input. */
#define ALIAS_MAX_NAME 1024
/* Deepest JSON path of a reported value: value[i].resourceTypes[j].aliases[k].paths[l].apiVersions[m]. */
#define ALIAS_LOC_DEPTH 12

/* Where a loaded alias came from, to locate a later E0953. */
struct alias_where {
	const struct source *src;
	size_t offset;                   /* CSV: the start of its line; the lock read directly: its value */
	const struct jsonloc_seg *path;  /* JSON read by load_json: its JSON path (in the arena) */
	size_t depth;                    /* steps in path; 0 when path is NULL */
	bool csv;
};

struct alias_raw {
	struct alias alias;   /* name, default path, paths, metadata; type set by finish */
	struct alias_where where;
	size_t order;         /* load order, for stable sorting */
	size_t type_len;      /* of name's type part, set by alias_table_finish */
};

struct alias_raw_type {
	const char *name;
	const char *capabilities;
	bool listed;
	size_t order;
};

void alias_table_init(struct alias_table *t)
{
	memset(t, 0, sizeof(*t));
	arena_init(&t->arena);
}

static void free_loading(struct alias_table *t)
{
	free(t->raw);
	free(t->raw_types);
	t->raw = NULL;
	t->raw_types = NULL;
	t->raw_count = t->raw_alloc = t->raw_type_count = t->raw_type_alloc = 0;
}

void alias_table_release(struct alias_table *t)
{
	free_loading(t);
	free(t->aliases);
	free(t->types);
	free(t->namespaces);
	arena_release(&t->arena);
	memset(t, 0, sizeof(*t));
}

/* ---- names ---- */

/* The length of the type part of an alias name (up to its last '/'), or 0. */
static size_t type_len(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash ? (size_t)(slash - name) : 0;
}

/*
 * An alias name is namespace/type[/child...]/property, or namespace/property
 * (a few legacy aliases): at least one '/', no empty segment, a namespace
 * with a dot, no blank or control byte.
 */
static bool alias_name_ok(const char *s)
{
	size_t len = strlen(s), slashes = 0;
	if (len == 0 || len > ALIAS_MAX_NAME || s[0] == '/' || s[len - 1] == '/')
		return false;
	const char *first = strchr(s, '/');
	if (!first || !memchr(s, '.', (size_t)(first - s)))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f)
			return false;
		if (c == '/') {
			if (s[i + 1] == '/')
				return false;
			slashes++;
		}
	}
	return slashes >= 1;
}

/* A property path or type name: non-empty, bounded, no control byte or blank. */
static bool text_ok(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > ALIAS_MAX_NAME)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return false;
	return true;
}

/* A list of words such as capabilities: bounded, no control byte. */
static bool words_ok(const char *s)
{
	size_t len = strlen(s);
	if (len > ALIAS_MAX_NAME)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return false;
	return true;
}

/* ---- loading: common ---- */

static struct alias_raw *raw_push(struct alias_table *t)
{
	if (t->raw_count == t->raw_alloc) {
		t->raw_alloc = t->raw_alloc ? t->raw_alloc * 2 : 1024;
		t->raw = xrealloc(t->raw, t->raw_alloc * sizeof(*t->raw));
	}
	struct alias_raw *r = &t->raw[t->raw_count];
	memset(r, 0, sizeof(*r));
	r->order = t->raw_count++;
	return r;
}

static void raw_type_push(struct alias_table *t, const char *name, const char *capabilities, bool listed)
{
	if (t->raw_type_count == t->raw_type_alloc) {
		t->raw_type_alloc = t->raw_type_alloc ? t->raw_type_alloc * 2 : 256;
		t->raw_types = xrealloc(t->raw_types, t->raw_type_alloc * sizeof(*t->raw_types));
	}
	t->raw_types[t->raw_type_count] =
		(struct alias_raw_type){ name, capabilities, listed, t->raw_type_count };
	t->raw_type_count++;
}

/* ---- loading: CSV ---- */

struct csv {
	struct alias_table *t;
	const struct source *src;
	struct diag_engine *d;
	size_t line;       /* 1-based */
	size_t line_start; /* offset */
	bool ok;
};

static struct src_pos csv_pos(const struct csv *c, size_t offset)
{
	struct src_pos p = { (uint32_t)offset, (uint32_t)c->line, 1 };
	for (size_t i = c->line_start; i < offset; i++)
		if ((c->src->text[i] & 0xC0) != 0x80)
			p.col++;
	return p;
}

__attribute__((format(printf, 4, 5))) static void csv_error(struct csv *c, size_t begin, size_t end,
							     const char *fmt, ...)
{
	struct src_span sp = { c->src, csv_pos(c, begin), csv_pos(c, end > begin ? end : begin + 1) };
	struct sb msg = SB_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag_error(c->d, sp, "E0951", "%s", msg.buf);
	sb_release(&msg);
	c->ok = false;
}

/*
 * Reads one field at *i (plain up to ',' or the line end, or in double
 * quotes with "" for a quote) into out.  Returns false after reporting.
 */
static bool csv_field(struct csv *c, size_t *i, size_t eol, struct sb *out)
{
	const unsigned char *t = c->src->text;
	sb_reset(out);
	if (*i < eol && t[*i] == '"') {
		size_t open = *i;
		for (size_t k = *i + 1;; k++) {
			if (k >= eol) {
				csv_error(c, open, open + 1, "unterminated quoted field");
				return false;
			}
			if (t[k] == '"') {
				if (k + 1 < eol && t[k + 1] == '"') {
					sb_addch(out, '"');
					k++;
					continue;
				}
				*i = k + 1;
				if (*i < eol && t[*i] != ',') {
					csv_error(c, *i, *i + 1, "expected ',' or the end of the line after a quoted field");
					return false;
				}
				return true;
			}
			sb_addch(out, t[k]);
		}
	}
	size_t start = *i;
	while (*i < eol && t[*i] != ',') {
		if (t[*i] == '"') {
			csv_error(c, *i, *i + 1, "a quote inside an unquoted field");
			return false;
		}
		(*i)++;
	}
	sb_add(out, t + start, *i - start);
	return true;
}

static void csv_line(struct csv *c, size_t begin, size_t eol)
{
	struct sb name = SB_INIT, path = SB_INIT;
	size_t i = begin;
	if (!csv_field(c, &i, eol, &name))
		goto out;
	if (i >= eol) {
		csv_error(c, begin, eol, "expected two fields, alias and defaultPath");
		goto out;
	}
	i++;
	size_t path_at = i;
	if (!csv_field(c, &i, eol, &path))
		goto out;
	if (i < eol) {
		csv_error(c, i, i + 1, "more than two fields (alias, defaultPath)");
		goto out;
	}
	if (c->line == 1 && strcasecmp(name.buf, "alias") == 0 && strcasecmp(path.buf, "defaultPath") == 0)
		goto out;
	if (!alias_name_ok(name.buf)) {
		csv_error(c, begin, path_at > begin ? path_at - 1 : begin,
			  "'%s' is not an alias name (namespace/type/property)", name.buf);
		goto out;
	}
	if (!text_ok(path.buf)) {
		csv_error(c, path_at, eol, "the default path of '%s' is empty or holds a blank", name.buf);
		goto out;
	}
	struct alias_raw *r = raw_push(c->t);
	r->alias.name = arena_strndup(&c->t->arena, name.buf, name.len);
	r->alias.default_path = arena_strndup(&c->t->arena, path.buf, path.len);
	r->where.src = c->src;
	r->where.offset = begin;
	r->where.csv = true;
out:
	sb_release(&name);
	sb_release(&path);
}

static bool load_csv(struct alias_table *t, const struct source *src, struct diag_engine *d)
{
	struct csv c = { t, src, d, 1, 0, true };
	const unsigned char *text = src->text;
	size_t n = src->len;
	if (!jsonloc_bytes_ok(src, d))
		return false;
	size_t begin = 0;
	while (begin < n && !diag_should_stop(d)) {
		const unsigned char *nl = memchr(text + begin, '\n', n - begin);
		size_t next = nl ? (size_t)(nl - text) + 1 : n;
		size_t eol = nl ? (size_t)(nl - text) : n;
		if (eol > begin && text[eol - 1] == '\r')
			eol--;
		c.line_start = begin;
		if (eol > begin)
			csv_line(&c, begin, eol);
		begin = next;
		c.line++;
	}
	return c.ok;
}

/* ---- loading: JSON ---- */

struct jload {
	struct alias_table *t;
	const struct source *src;
	struct diag_engine *d;
	struct jsonloc_seg path[ALIAS_LOC_DEPTH];
	size_t depth;
	bool ok;
};

static void jpush_key(struct jload *j, const char *key)
{
	if (j->depth < ALIAS_LOC_DEPTH)
		j->path[j->depth] = (struct jsonloc_seg){ key, 0 };
	j->depth++;
}

static void jpush_index(struct jload *j, size_t index)
{
	if (j->depth < ALIAS_LOC_DEPTH)
		j->path[j->depth] = (struct jsonloc_seg){ NULL, index };
	j->depth++;
}

static void jpop(struct jload *j)
{
	j->depth--;
}

static void path_text(struct sb *out, const struct jsonloc_seg *path, size_t depth)
{
	for (size_t s = 0; s < depth && s < ALIAS_LOC_DEPTH; s++) {
		if (path[s].key)
			sb_addf(out, "%s%s", s ? "." : "", path[s].key);
		else
			sb_addf(out, "[%zu]", path[s].index);
	}
	if (out->len == 0)
		sb_adds(out, "(top level)");
}

static struct src_span locate(const struct source *src, const struct jsonloc_seg *path, size_t depth)
{
	size_t d = depth < ALIAS_LOC_DEPTH ? depth : ALIAS_LOC_DEPTH;
	return jsonloc_span_at(src, jsonloc_find(src->text, src->len, path, d));
}

/* Reports a value of the wrong shape at the current JSON path. */
__attribute__((format(printf, 2, 3))) static void jerror(struct jload *j, const char *fmt, ...)
{
	struct sb msg = SB_INIT, where = SB_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	path_text(&where, j->path, j->depth);
	diag_error(j->d, locate(j->src, j->path, j->depth), "E0952", "%s at '%s'", msg.buf, where.buf);
	sb_release(&msg);
	sb_release(&where);
	j->ok = false;
}

/*
 * The string member key of obj: NULL and no error when absent or null
 * (unless required); an error when of another type or not text_ok.
 */
static const char *jstring_as(struct jload *j, const cJSON *obj, const char *key, bool required, bool words)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v || cJSON_IsNull(v)) {
		if (required)
			jerror(j, "missing string member '%s'", key);
		return NULL;
	}
	jpush_key(j, key);
	const char *s = NULL;
	if (!cJSON_IsString(v))
		jerror(j, "'%s' must be a string", key);
	else if (words ? !words_ok(v->valuestring) : !text_ok(v->valuestring))
		jerror(j, words ? "'%s' is longer than %d bytes or holds a control character"
				: "'%s' is empty, longer than %d bytes, or holds a blank",
		       key, ALIAS_MAX_NAME);
	else
		s = arena_strdup(&j->t->arena, v->valuestring);
	jpop(j);
	return s;
}

/* A name or path member (no blanks). */
static const char *jstring(struct jload *j, const cJSON *obj, const char *key, bool required)
{
	return jstring_as(j, obj, key, required, false);
}

/* The array member key of obj, or NULL (absent or null, or an error when of another type). */
static const cJSON *jarray(struct jload *j, const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsArray(v)) {
		jpush_key(j, key);
		jerror(j, "'%s' must be an array", key);
		jpop(j);
		return NULL;
	}
	return v;
}

/* Does the comma-separated list s hold word (ignoring case and blanks)? */
static bool list_has(const char *s, const char *word)
{
	size_t wl = strlen(word);
	while (*s) {
		while (*s == ' ' || *s == ',')
			s++;
		size_t n = strcspn(s, ",");
		size_t k = n;
		while (k > 0 && s[k - 1] == ' ')
			k--;
		if (k == wl && strncasecmp(s, word, wl) == 0)
			return true;
		s += n;
	}
	return false;
}

static void jpaths(struct jload *j, const cJSON *paths, struct alias *a)
{
	size_t n = (size_t)cJSON_GetArraySize(paths);
	a->paths = ARENA_NEW_ARRAY(&j->t->arena, struct alias_path, n ? n : 1);
	size_t k = 0;
	jpush_key(j, "paths");
	for (const cJSON *p = paths->child; p; p = p->next, k++) {
		jpush_index(j, k);
		if (!cJSON_IsObject(p)) {
			jerror(j, "a path must be an object");
			jpop(j);
			continue;
		}
		struct alias_path *ap = &a->paths[a->path_count];
		ap->path = jstring(j, p, "path", true);
		const cJSON *versions = jarray(j, p, "apiVersions");
		if (versions) {
			size_t vn = (size_t)cJSON_GetArraySize(versions);
			ap->api_versions = ARENA_NEW_ARRAY(&j->t->arena, const char *, vn ? vn : 1);
			size_t m = 0;
			jpush_key(j, "apiVersions");
			for (const cJSON *v = versions->child; v; v = v->next, m++) {
				jpush_index(j, m);
				if (!cJSON_IsString(v) || !text_ok(v->valuestring)) {
					jerror(j, "an API version must be a non-empty string");
				} else {
					const char *s = arena_strdup(&j->t->arena, v->valuestring);
					ap->api_versions[ap->api_version_count++] = s;
					if (!a->earliest_api || strcmp(s, a->earliest_api) < 0)
						a->earliest_api = s;
				}
				jpop(j);
			}
			jpop(j);
		}
		if (ap->path)
			a->path_count++;
		jpop(j);
	}
	jpop(j);
}

static void jalias(struct jload *j, const char *type, const cJSON *obj)
{
	const char *name = NULL;
	struct alias a = { 0 };
	const cJSON *prop = cJSON_IsArray(obj) ? cJSON_GetArrayItem(obj, 0) : obj;
	const cJSON *path = cJSON_IsArray(obj) ? cJSON_GetArrayItem(obj, 1) : NULL;
	if (cJSON_IsString(obj) || cJSON_IsArray(obj)) {
		/* The lock file's short forms: "p" for {"name": "<type>/p", "defaultPath":
		 * "properties.p"}, ["p", "d"] for {"name": "<type>/p", "defaultPath": "d"}. */
		if (!cJSON_IsString(prop) || !text_ok(prop->valuestring) || strchr(prop->valuestring, '/') ||
		    (cJSON_IsArray(obj) && (cJSON_GetArraySize(obj) != 2 || !cJSON_IsString(path) ||
					    !text_ok(path->valuestring)))) {
			jerror(j, "a short alias is \"property\" or [\"property\", \"defaultPath\"], "
				  "without '/' in the property or blanks");
			return;
		}
		name = arena_printf(&j->t->arena, "%s/%s", type, prop->valuestring);
		a.default_path = path ? arena_strdup(&j->t->arena, path->valuestring)
				      : arena_printf(&j->t->arena, "properties.%s", prop->valuestring);
	} else if (!cJSON_IsObject(obj)) {
		jerror(j, "an alias must be an object");
		return;
	} else {
		name = jstring(j, obj, "name", true);
	}
	if (!name)
		return;
	if (!alias_name_ok(name)) {
		jpush_key(j, "name");
		jerror(j, "'%s' is not an alias name (namespace/type/property)", name);
		jpop(j);
		return;
	}
	a.name = name;
	if (!cJSON_IsObject(obj))
		goto add;
	a.default_path = jstring(j, obj, "defaultPath", false);
	const cJSON *paths = jarray(j, obj, "paths");
	if (paths)
		jpaths(j, paths, &a);
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "defaultMetadata");
	if (meta && !cJSON_IsNull(meta)) {
		jpush_key(j, "defaultMetadata");
		if (!cJSON_IsObject(meta)) {
			jerror(j, "'defaultMetadata' must be an object");
		} else {
			const char *attrs = jstring_as(j, meta, "attributes", false, true);
			if (attrs)
				a.modifiable = list_has(attrs, "Modifiable") ? ALIAS_YES : ALIAS_NO;
		}
		jpop(j);
	}
add:;
	struct alias_raw *r = raw_push(j->t);
	r->alias = a;
	r->where.src = j->src;
	size_t depth = j->depth < ALIAS_LOC_DEPTH ? j->depth : ALIAS_LOC_DEPTH;
	struct jsonloc_seg *segs = ARENA_NEW_ARRAY(&j->t->arena, struct jsonloc_seg, depth ? depth : 1);
	memcpy(segs, j->path, depth * sizeof(*segs));
	r->where.path = segs;
	r->where.depth = j->depth;
}

static void jtype(struct jload *j, const char *ns, const cJSON *obj)
{
	if (!cJSON_IsObject(obj)) {
		jerror(j, "a resource type must be an object");
		return;
	}
	/* "" names the namespace itself: where the lock keeps legacy namespace/property aliases */
	const cJSON *rt = cJSON_GetObjectItemCaseSensitive(obj, "resourceType");
	bool own = cJSON_IsString(rt) && rt->valuestring[0] == '\0';
	const char *local = own ? "" : jstring(j, obj, "resourceType", true);
	if (!local)
		return;
	const char *caps = jstring_as(j, obj, "capabilities", false, true);
	const cJSON *aliases = jarray(j, obj, "aliases");
	const char *name = own ? ns : arena_printf(&j->t->arena, "%s/%s", ns, local);
	raw_type_push(j->t, name, caps, aliases != NULL);
	if (!aliases)
		return;
	size_t k = 0;
	jpush_key(j, "aliases");
	for (const cJSON *a = aliases->child; a && !diag_should_stop(j->d); a = a->next, k++) {
		jpush_index(j, k);
		jalias(j, name, a);
		jpop(j);
	}
	jpop(j);
}

static void jprovider(struct jload *j, const cJSON *obj)
{
	if (!cJSON_IsObject(obj)) {
		jerror(j, "a resource provider must be an object");
		return;
	}
	const char *ns = jstring(j, obj, "namespace", true);
	if (!ns)
		return;
	if (strchr(ns, '/')) {
		jpush_key(j, "namespace");
		jerror(j, "a namespace has no '/'");
		jpop(j);
		return;
	}
	const cJSON *types = jarray(j, obj, "resourceTypes");
	if (!types)
		return;
	size_t k = 0;
	jpush_key(j, "resourceTypes");
	for (const cJSON *rt = types->child; rt && !diag_should_stop(j->d); rt = rt->next, k++) {
		jpush_index(j, k);
		jtype(j, ns, rt);
		jpop(j);
	}
	jpop(j);
}

static bool load_json(struct alias_table *t, const struct source *src, struct diag_engine *d)
{
	cJSON *root = jsonloc_parse(src, d);
	if (!root)
		return false;
	struct jload j = { .t = t, .src = src, .d = d, .ok = true };
	const cJSON *list = root;
	if (cJSON_IsObject(root) && cJSON_GetObjectItemCaseSensitive(root, "namespace")) {
		jprovider(&j, root);
		list = NULL;
	} else if (cJSON_IsObject(root)) {
		list = cJSON_GetObjectItemCaseSensitive(root, "value");
		if (!cJSON_IsArray(list)) {
			jerror(&j, "expected an array of resource providers (or an object with one in 'value')");
			list = NULL;
		} else {
			jpush_key(&j, "value");
		}
	} else if (!cJSON_IsArray(root)) {
		jerror(&j, "expected an array of resource providers (or an object with one in 'value')");
		list = NULL;
	}
	size_t k = 0;
	for (const cJSON *p = list ? list->child : NULL; p && !diag_should_stop(d); p = p->next, k++) {
		jpush_index(&j, k);
		jprovider(&j, p);
		jpop(&j);
	}
	t->has_metadata = true;
	cJSON_Delete(root);
	return j.ok;
}

/* ---- loading: the lock file, read directly ---- */

/*
 * Every check and build reads the lock file beside its packs (300 KB for
 * the shipped ones), and a cJSON tree of it, its strings copied out one by
 * one, costs ten times the check of a small pack.  The lock file is pacc's
 * own output (alias_lock_write), so this reader knows its layout: members
 * in the writer's order, strings of printable ASCII without escapes.  It
 * accepts only text that load_json() would load without a diagnostic and
 * adds the same entries in the same order; on anything else it takes back
 * what it added and load_json() reads the text and reports what is wrong.
 */
struct lockrd {
	const unsigned char *p, *end;
	struct alias_table *t;
	const struct source *src;
	bool bad; /* a list went wrong (see lk_more) */
};

/* Past JSON white space; the next byte, or -1 at the end. */
static int lk_peek(struct lockrd *r)
{
	/* the source's NUL sentinel ends the loop */
	while (*r->p <= ' ' && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
		r->p++;
	return r->p < r->end ? *r->p : -1;
}

static bool lk_char(struct lockrd *r, int c)
{
	if (lk_peek(r) != c)
		return false;
	r->p++;
	return true;
}

/*
 * A string of printable ASCII without escapes, at most ALIAS_MAX_NAME bytes
 * (longer ones are malformed for load_json too, except the comment, which
 * the writer keeps short).  *s points into the source; *blank tells
 * whether it holds a space (text_ok then fails).
 */
static bool lk_str(struct lockrd *r, const char **s, size_t *len, bool *blank)
{
	if (!lk_char(r, '"'))
		return false;
	const unsigned char *b = r->p, *q = text_ascii_run(b, r->end, '"', '\\');
	size_t n = (size_t)(q - b);
	if (q == r->end || *q != '"' || n > ALIAS_MAX_NAME)
		return false;
	*s = (const char *)b;
	*len = n;
	*blank = memchr(b, ' ', n) != NULL;
	r->p = q + 1;
	return true;
}

/* A name or path as text_ok() wants it: non-empty, no blank. */
static bool lk_text(struct lockrd *r, const char **s, size_t *len)
{
	bool blank;
	return lk_str(r, s, len, &blank) && *len > 0 && !blank;
}

/* The member name key and its ':'. */
static bool lk_key(struct lockrd *r, const char *key)
{
	const char *s;
	size_t len;
	bool blank;
	return lk_str(r, &s, &len, &blank) && len == strlen(key) && memcmp(s, key, len) == 0 && lk_char(r, ':');
}

/*
 * In a list whose '[' was read: true when element i follows (its ',' read,
 * i counted); false at the closing ']' (read) and on anything else (r->bad).
 */
static bool lk_more(struct lockrd *r, size_t *i)
{
	if (lk_char(r, ']'))
		return false;
	if (*i > 0 && !lk_char(r, ',')) {
		r->bad = true;
		return false;
	}
	(*i)++;
	return true;
}

/* ", \"key\":" when the next member is key; false (nothing read) otherwise. */
static bool lk_member(struct lockrd *r, const char *key)
{
	const unsigned char *at = r->p;
	if (lk_char(r, ',') && lk_key(r, key))
		return true;
	r->p = at;
	return false;
}

static const char *lk_dup(struct lockrd *r, const char *s, size_t len)
{
	return arena_strndup(&r->t->arena, s, len);
}

/* a + sep + b in the arena (sep '\0': none). */
static const char *lk_join(struct lockrd *r, const char *a, size_t alen, char sep, const char *b, size_t blen)
{
	size_t n = alen + (sep != '\0') + blen;
	char *p = arena_alloc_uninit(&r->t->arena, n + 1);
	memcpy(p, a, alen);
	if (sep)
		p[alen] = sep;
	memcpy(p + n - blen, b, blen);
	p[n] = '\0';
	return p;
}

/* Most paths or API versions of one alias the direct reader takes; more go to load_json. */
#define LOCK_MAX_LIST 64

/* "paths": [{"path": P, "apiVersions": [V, ...]}, ...] into a. */
static bool lk_paths(struct lockrd *r, struct alias *a)
{
	struct alias_path paths[LOCK_MAX_LIST];
	const char *versions[LOCK_MAX_LIST];
	size_t n = 0;
	if (!lk_char(r, '['))
		return false;
	for (size_t i = 0; lk_more(r, &i);) {
		const char *s;
		size_t len, vn = 0;
		if (n == LOCK_MAX_LIST || !lk_char(r, '{') || !lk_key(r, "path") || !lk_text(r, &s, &len) ||
		    !lk_member(r, "apiVersions") || !lk_char(r, '['))
			return false;
		struct alias_path *ap = &paths[n++];
		ap->path = lk_dup(r, s, len);
		for (size_t k = 0; lk_more(r, &k);) {
			if (vn == LOCK_MAX_LIST || !lk_text(r, &s, &len))
				return false;
			const char *v = lk_dup(r, s, len);
			versions[vn++] = v;
			if (!a->earliest_api || strcmp(v, a->earliest_api) < 0)
				a->earliest_api = v;
		}
		if (r->bad || !lk_char(r, '}'))
			return false;
		ap->api_versions = ARENA_NEW_ARRAY(&r->t->arena, const char *, vn ? vn : 1);
		memcpy(ap->api_versions, versions, vn * sizeof(*versions));
		ap->api_version_count = vn;
	}
	if (r->bad)
		return false;
	a->paths = ARENA_NEW_ARRAY(&r->t->arena, struct alias_path, n ? n : 1);
	memcpy(a->paths, paths, n * sizeof(*paths));
	a->path_count = n;
	return true;
}

/* {"name": N, "defaultPath": P, "paths": [...], "defaultMetadata": {"attributes": A}} */
static bool lk_alias_object(struct lockrd *r, struct alias *a)
{
	const char *s;
	size_t len;
	bool blank;
	if (!lk_key(r, "name") || !lk_text(r, &s, &len))
		return false;
	a->name = lk_dup(r, s, len);
	if (!alias_name_ok(a->name))
		return false;
	if (lk_member(r, "defaultPath")) {
		if (!lk_text(r, &s, &len))
			return false;
		a->default_path = lk_dup(r, s, len);
	}
	if (lk_member(r, "paths") && !lk_paths(r, a))
		return false;
	if (lk_member(r, "defaultMetadata")) {
		if (!lk_char(r, '{') || !lk_key(r, "attributes") || !lk_str(r, &s, &len, &blank) || !lk_char(r, '}'))
			return false;
		a->modifiable = list_has(lk_dup(r, s, len), "Modifiable") ? ALIAS_YES : ALIAS_NO;
	}
	return lk_char(r, '}');
}

/*
 * One alias of type (tlen bytes); prefix_ok: "<type>/x" is an alias name,
 * so "<type>/p" is one for every property p that is non-empty and has no
 * '/' or blank (alias_name_ok looks only at the ends, the first '/', blanks
 * and empty segments), as long as it is short enough.
 */
static bool lk_alias(struct lockrd *r, const char *type, size_t tlen, bool prefix_ok)
{
	struct alias a = { 0 };
	const char *prop, *path;
	size_t plen, len;
	int c = lk_peek(r);
	const unsigned char *at = r->p;
	if (c == '{') {
		r->p++;
		if (!lk_alias_object(r, &a))
			return false;
	} else {
		bool pair = c == '[';
		if ((pair && !lk_char(r, '[')) || !lk_text(r, &prop, &plen) || memchr(prop, '/', plen) || !prefix_ok ||
		    tlen + 1 + plen > ALIAS_MAX_NAME)
			return false;
		a.name = lk_join(r, type, tlen, '/', prop, plen);
		if (pair) {
			if (!lk_char(r, ',') || !lk_text(r, &path, &len) || !lk_char(r, ']'))
				return false;
			a.default_path = lk_dup(r, path, len);
		} else {
			a.default_path = lk_join(r, "properties.", 11, '\0', prop, plen);
		}
	}
	struct alias_raw *raw = raw_push(r->t);
	raw->alias = a;
	raw->where.src = r->src;
	/* the offset jsonloc_find() would find along value[i].resourceTypes[j].aliases[k] */
	raw->where.offset = (size_t)(at - r->src->text);
	return true;
}

/* {"resourceType": L, "capabilities": C, "aliases": [...]} of namespace ns. */
static bool lk_type(struct lockrd *r, const char *ns, size_t nslen, bool ns_dot)
{
	const char *local, *caps = NULL, *s;
	size_t llen, len;
	bool blank;
	if (!lk_char(r, '{') || !lk_key(r, "resourceType") || !lk_str(r, &local, &llen, &blank) || blank)
		return false;
	if (lk_member(r, "capabilities")) {
		if (!lk_str(r, &s, &len, &blank))
			return false;
		caps = lk_dup(r, s, len);
	}
	bool listed = lk_member(r, "aliases");
	/* "" names the namespace itself (see jtype) */
	const char *name = llen ? lk_join(r, ns, nslen, '/', local, llen) : lk_dup(r, ns, nslen);
	size_t tlen = llen ? nslen + 1 + llen : nslen;
	raw_type_push(r->t, name, caps, listed);
	if (listed) {
		char probe[ALIAS_MAX_NAME + 1];
		bool prefix_ok = ns_dot && tlen + 2 <= ALIAS_MAX_NAME;
		if (prefix_ok) {
			memcpy(probe, name, tlen);
			memcpy(probe + tlen, "/x", 3);
			prefix_ok = alias_name_ok(probe);
		}
		if (!lk_char(r, '['))
			return false;
		for (size_t i = 0; lk_more(r, &i);)
			if (!lk_alias(r, name, tlen, prefix_ok))
				return false;
	}
	return !r->bad && lk_char(r, '}');
}

/* {"namespace": N, "resourceTypes": [...]} */
static bool lk_provider(struct lockrd *r)
{
	const char *ns;
	size_t nslen;
	if (!lk_char(r, '{') || !lk_key(r, "namespace") || !lk_text(r, &ns, &nslen) || memchr(ns, '/', nslen) ||
	    !lk_member(r, "resourceTypes") || !lk_char(r, '['))
		return false;
	bool dot = memchr(ns, '.', nslen) != NULL;
	for (size_t i = 0; lk_more(r, &i);)
		if (!lk_type(r, ns, nslen, dot))
			return false;
	return !r->bad && lk_char(r, '}');
}

/* {"comment": C, "value": [...]} and nothing after it. */
static bool lk_file(struct lockrd *r)
{
	const char *s;
	size_t len;
	bool blank;
	if (!lk_char(r, '{') || !lk_key(r, "comment") || !lk_str(r, &s, &len, &blank) || !lk_member(r, "value") ||
	    !lk_char(r, '['))
		return false;
	for (size_t i = 0; lk_more(r, &i);)
		if (!lk_provider(r))
			return false;
	return !r->bad && lk_char(r, '}') && lk_peek(r) == -1;
}

/* Loads src if it is a lock file as pacc writes it; false (t unchanged but for its arena) otherwise. */
static bool load_lock(struct alias_table *t, const struct source *src)
{
	struct lockrd r = { src->text, src->text + src->len, t, src, false };
	size_t raw_count = t->raw_count, raw_type_count = t->raw_type_count;
	if (lk_file(&r)) {
		t->has_metadata = true;
		return true;
	}
	t->raw_count = raw_count;
	t->raw_type_count = raw_type_count;
	return false;
}

bool alias_table_load(struct alias_table *t, const struct source *src, struct diag_engine *d)
{
	size_t i = jsonloc_skip_ws(src->text, src->len, 0);
	if (i < src->len && src->text[i] == '{' && !diag_should_stop(d) && load_lock(t, src))
		return true;
	if (i < src->len && (src->text[i] == '[' || src->text[i] == '{'))
		return load_json(t, src, d);
	return load_csv(t, src, d);
}

/* ---- finishing: sort, merge, index ---- */

static int cmp_raw(const void *pa, const void *pb)
{
	const struct alias_raw *a = pa, *b = pb;
	int c = strcasecmp(a->alias.name, b->alias.name);
	if (c)
		return c;
	return (a->order > b->order) - (a->order < b->order);
}

/*
 * The indexes of t->raw in the order of cmp_raw (the caller frees them),
 * found by merging the runs that are already in order: a lock file lists
 * each type's aliases sorted, so its runs are few (a type followed by its
 * child types starts a new one) and this is O(n log runs) against qsort's
 * O(n log n).  Indexes, not records, move.
 */
static size_t *sort_raw(const struct alias_table *t)
{
	size_t n = t->raw_count, runs = 0;
	size_t *ord = xmalloc((n ? n : 1) * sizeof(*ord));
	for (size_t i = 0; i < n; i++)
		ord[i] = i;
	if (n < 2)
		return ord;
	size_t *bound = xmalloc((n + 1) * sizeof(*bound)); /* run k is [bound[k], bound[k + 1]) */
	bound[runs++] = 0;
	for (size_t i = 1; i < n; i++)
		if (cmp_raw(&t->raw[i - 1], &t->raw[i]) > 0)
			bound[runs++] = i;
	bound[runs] = n;
	size_t *from = ord, *to = runs > 1 ? xmalloc(n * sizeof(*to)) : NULL;
	while (runs > 1) {
		size_t merged = 0;
		for (size_t k = 0; k < runs; k += 2) {
			size_t lo = bound[k], mid = bound[k + 1], hi = k + 2 <= runs ? bound[k + 2] : mid;
			size_t a = lo, b = mid, o = lo;
			while (a < mid && b < hi)
				to[o++] = cmp_raw(&t->raw[from[a]], &t->raw[from[b]]) <= 0 ? from[a++] : from[b++];
			memcpy(&to[o], &from[a], (mid - a) * sizeof(*to));
			o += mid - a;
			memcpy(&to[o], &from[b], (hi - b) * sizeof(*to));
			bound[merged++] = lo;
		}
		bound[merged] = n;
		runs = merged;
		size_t *swap = from;
		from = to;
		to = swap;
	}
	free(to);
	free(bound);
	return from;
}

/* A type name with its facts, from a declaration or an alias's prefix. */
struct type_item {
	const char *name;
	size_t len;
	const char *capabilities;
	bool listed;
	size_t order;
};

static int cmp_type_item(const void *pa, const void *pb)
{
	const struct type_item *a = pa, *b = pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = strncasecmp(a->name, b->name, n);
	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return (a->order > b->order) - (a->order < b->order);
}

static int cmp_by_namespace(const void *pa, const void *pb)
{
	const struct alias_type *a = *(const struct alias_type *const *)pa;
	const struct alias_type *b = *(const struct alias_type *const *)pb;
	size_t la = strcspn(a->name, "/"), lb = strcspn(b->name, "/");
	int c = strncasecmp(a->name, b->name, la < lb ? la : lb);
	if (c == 0 && la != lb)
		c = la < lb ? -1 : 1;
	return c ? c : strcasecmp(a->name, b->name);
}

/* The type whose name is the len bytes at name (ignoring case); it exists. */
static const struct alias_type *type_find_n(const struct alias_table *t, const char *name, size_t len)
{
	size_t lo = 0, hi = t->type_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *cand = t->types[mid]->name;
		int c = strncasecmp(cand, name, len);
		if (c == 0 && cand[len] != '\0')
			c = 1;
		if (c == 0)
			return t->types[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int cmp_ns_ptr(const void *pa, const void *pb)
{
	const struct alias_namespace *a = *(const struct alias_namespace *const *)pa;
	const struct alias_namespace *b = *(const struct alias_namespace *const *)pb;
	return strcasecmp(a->name, b->name);
}

static struct src_span where_span(const struct alias_where *w)
{
	if (!w->csv && !w->path)
		return jsonloc_span_at(w->src, w->offset);
	if (w->csv) {
		size_t start, len;
		source_line_bounds(w->src, w->offset, &start, &len);
		struct src_span sp = { w->src, source_pos_at(w->src, start), source_pos_at(w->src, start + len) };
		return sp;
	}
	return locate(w->src, w->path, w->depth);
}

static bool same_path(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcasecmp(a, b) == 0;
}

static void set_capabilities(struct alias_type *type, const char *caps)
{
	type->capabilities = caps;
	type->supports_tags = list_has(caps, "SupportsTags") ? ALIAS_YES : ALIAS_NO;
	type->supports_location = list_has(caps, "SupportsLocation") ? ALIAS_YES : ALIAS_NO;
}

bool alias_table_finish(struct alias_table *t, struct diag_engine *d)
{
	bool ok = true;
	size_t *ord = sort_raw(t);

	/* One alias per name: later copies are dropped, reported when they disagree. */
	size_t kept = 0;
	for (size_t i = 0; i < t->raw_count; i++) {
		struct alias_raw *r = &t->raw[ord[i]];
		if (kept > 0 && strcasecmp(t->raw[ord[kept - 1]].alias.name, r->alias.name) == 0) {
			struct alias_raw *first = &t->raw[ord[kept - 1]];
			if (!same_path(first->alias.default_path, r->alias.default_path)) {
				struct diag_record *rec = diag_error(
					d, where_span(&r->where), "E0953",
					"alias '%s' listed again with another default path ('%s', first '%s')",
					r->alias.name, r->alias.default_path ? r->alias.default_path : "none",
					first->alias.default_path ? first->alias.default_path : "none");
				diag_note(d, rec, where_span(&first->where), "first listed here");
				ok = false;
			}
			continue;
		}
		r->type_len = type_len(r->alias.name);
		ord[kept++] = ord[i];
	}

	/* Types: the declared ones and every alias's prefix, merged by name. */
	size_t item_count = t->raw_type_count + kept;
	struct type_item *items = xcalloc(item_count ? item_count : 1, sizeof(*items));
	size_t n = 0;
	for (size_t i = 0; i < t->raw_type_count; i++) {
		const struct alias_raw_type *rt = &t->raw_types[i];
		items[n++] = (struct type_item){ rt->name, strlen(rt->name), rt->capabilities, rt->listed,
						 rt->order };
	}
	/* An alias's type as an item; the next aliases of the same type add
	 * nothing (an earlier item of the same name wins), so they are left out. */
	for (size_t i = 0; i < kept; i++) {
		const struct alias_raw *r = &t->raw[ord[i]];
		size_t len = r->type_len;
		if (i > 0 && items[n - 1].len == len && memcmp(items[n - 1].name, r->alias.name, len) == 0)
			continue;
		items[n++] = (struct type_item){ r->alias.name, len, NULL, true, t->raw_type_count + r->order };
	}
	qsort(items, n, sizeof(*items), cmp_type_item);

	struct alias_type *types = ARENA_NEW_ARRAY(&t->arena, struct alias_type, n ? n : 1);
	size_t tn = 0;
	for (size_t i = 0; i < n; i++) {
		struct alias_type *last = tn ? &types[tn - 1] : NULL;
		if (last && strlen(last->name) == items[i].len &&
		    strncasecmp(last->name, items[i].name, items[i].len) == 0) {
			last->listed |= items[i].listed;
			if (!last->capabilities && items[i].capabilities)
				set_capabilities(last, items[i].capabilities);
			continue;
		}
		struct alias_type *ty = &types[tn++];
		ty->name = arena_strndup(&t->arena, items[i].name, items[i].len);
		const char *slash = strchr(ty->name, '/');
		/* "Microsoft.Sql" holds the legacy namespace/property aliases: local name "" */
		ty->local = slash ? slash + 1 : ty->name + items[i].len;
		ty->listed = items[i].listed;
		if (items[i].capabilities)
			set_capabilities(ty, items[i].capabilities);
	}
	free(items);
	t->types = xcalloc(tn ? tn : 1, sizeof(*t->types));
	for (size_t i = 0; i < tn; i++)
		t->types[i] = &types[i];
	t->type_count = tn;

	/* The aliases, each pointing at its type; the types' alias lists. */
	struct alias *aliases = ARENA_NEW_ARRAY(&t->arena, struct alias, kept ? kept : 1);
	t->aliases = xcalloc(kept ? kept : 1, sizeof(*t->aliases));
	size_t *counts = xcalloc(tn ? tn : 1, sizeof(*counts));
	size_t *type_of = xcalloc(kept ? kept : 1, sizeof(*type_of));
	for (size_t i = 0; i < kept; i++) {
		aliases[i] = t->raw[ord[i]].alias;
		size_t tlen = t->raw[ord[i]].type_len;
		/* Aliases of one type mostly come together: only a new prefix is looked up. */
		const struct alias_type *ty = i > 0 && t->raw[ord[i - 1]].type_len == tlen &&
						      memcmp(aliases[i - 1].name, aliases[i].name, tlen) == 0
						      ? aliases[i - 1].type
						      : type_find_n(t, aliases[i].name, tlen);
		type_of[i] = (size_t)(ty - types);
		aliases[i].type = ty;
		aliases[i].property = aliases[i].name + tlen + 1;
		counts[type_of[i]]++;
		t->aliases[i] = &aliases[i];
	}
	t->alias_count = kept;
	for (size_t i = 0; i < tn; i++) {
		types[i].aliases = ARENA_NEW_ARRAY(&t->arena, const struct alias *, counts[i] ? counts[i] : 1);
		types[i].alias_count = 0;
	}
	for (size_t i = 0; i < kept; i++) {
		struct alias_type *ty = &types[type_of[i]];
		ty->aliases[ty->alias_count++] = &aliases[i];
	}
	free(counts);
	free(ord);
	free(type_of);

	/* Namespaces: the types sorted by the part before the first '/', then by name. */
	struct alias_type **by_ns = xcalloc(tn ? tn : 1, sizeof(*by_ns));
	for (size_t i = 0; i < tn; i++)
		by_ns[i] = &types[i];
	qsort(by_ns, tn, sizeof(*by_ns), cmp_by_namespace);
	struct alias_namespace *spaces = ARENA_NEW_ARRAY(&t->arena, struct alias_namespace, tn ? tn : 1);
	size_t nn = 0;
	for (size_t i = 0; i < tn;) {
		size_t nslen = strcspn(by_ns[i]->name, "/");
		size_t j = i + 1;
		while (j < tn && strcspn(by_ns[j]->name, "/") == nslen &&
		       strncasecmp(by_ns[j]->name, by_ns[i]->name, nslen) == 0)
			j++;
		struct alias_namespace *ns = &spaces[nn++];
		ns->name = arena_strndup(&t->arena, by_ns[i]->name, nslen);
		ns->types = ARENA_NEW_ARRAY(&t->arena, const struct alias_type *, j - i);
		for (size_t k = i; k < j; k++) {
			by_ns[k]->ns = ns;
			ns->types[ns->type_count++] = by_ns[k];
		}
		i = j;
	}
	free(by_ns);
	t->namespaces = xcalloc(nn ? nn : 1, sizeof(*t->namespaces));
	for (size_t i = 0; i < nn; i++)
		t->namespaces[i] = &spaces[i];
	t->namespace_count = nn;
	qsort(t->namespaces, nn, sizeof(*t->namespaces), cmp_ns_ptr);

	free_loading(t);
	t->finished = true;
	return ok;
}

/* ---- lookups ---- */

#define BSEARCH_BY_NAME(array, count, key)                                    \
	do {                                                                  \
		size_t lo_ = 0, hi_ = (count);                                \
		while (lo_ < hi_) {                                           \
			size_t mid_ = lo_ + (hi_ - lo_) / 2;                  \
			int c_ = strcasecmp((array)[mid_]->name, (key));      \
			if (c_ == 0)                                          \
				return (array)[mid_];                         \
			if (c_ < 0)                                           \
				lo_ = mid_ + 1;                               \
			else                                                  \
				hi_ = mid_;                                   \
		}                                                             \
		return NULL;                                                  \
	} while (0)

const struct alias *alias_find(const struct alias_table *t, const char *name)
{
	BSEARCH_BY_NAME(t->aliases, t->alias_count, name);
}

const struct alias_type *alias_type_find(const struct alias_table *t, const char *name)
{
	BSEARCH_BY_NAME(t->types, t->type_count, name);
}

const struct alias_namespace *alias_namespace_find(const struct alias_table *t, const char *name)
{
	BSEARCH_BY_NAME(t->namespaces, t->namespace_count, name);
}

const struct alias *alias_by_path(const struct alias_type *type, const char *path)
{
	for (size_t i = 0; i < type->alias_count; i++)
		if (type->aliases[i]->default_path && strcasecmp(type->aliases[i]->default_path, path) == 0)
			return type->aliases[i];
	return NULL;
}

const char *alias_path_at(const struct alias *a, const char *api_version)
{
	for (size_t i = 0; api_version && i < a->path_count; i++)
		for (size_t k = 0; k < a->paths[i].api_version_count; k++)
			if (strcasecmp(a->paths[i].api_versions[k], api_version) == 0)
				return a->paths[i].path;
	return a->default_path;
}

static size_t cap_for(const char *word)
{
	size_t cap = strlen(word) / 3;
	return cap < 1 ? 1 : cap > 3 ? 3 : cap;
}

/* Does s hold the letters of word in order (ignoring case)? */
static bool holds_in_order(const char *s, const char *word)
{
	for (; *s && *word; s++)
		if (tolower((unsigned char)*s) == tolower((unsigned char)*word))
			word++;
	return *word == '\0';
}

size_t alias_closest(const struct alias_type *type, const char *word, bool by_path,
		     const struct alias **out, size_t max)
{
	size_t cap = cap_for(word), n = 0;
	size_t dist[8];
	if (max > 8)
		max = 8;
	for (size_t i = 0; type && i < type->alias_count && max; i++) {
		const struct alias *a = type->aliases[i];
		const char *cand = by_path ? a->default_path : a->property;
		if (!cand)
			continue;
		size_t dd = text_edit_distance(word, cand, cap);
		if (dd > cap || (n == max && dd >= dist[n - 1]))
			continue;
		size_t k = n < max ? n++ : n - 1;
		while (k > 0 && dist[k - 1] > dd) {
			dist[k] = dist[k - 1];
			out[k] = out[k - 1];
			k--;
		}
		dist[k] = dd;
		out[k] = a;
	}
	/* An abbreviation ("publicNetAccess") is far from its word by edits: take
	 * the shortest candidate that holds word's letters in order. */
	const struct alias *abbrev = NULL;
	size_t wl = strlen(word);
	for (size_t i = 0; n == 0 && type && i < type->alias_count && max; i++) {
		const char *cand = by_path ? type->aliases[i]->default_path : type->aliases[i]->property;
		size_t cl = cand ? strlen(cand) : 0;
		if (!cand || wl * 3 < cl * 2 || wl >= cl || (abbrev && cl >= strlen(by_path ? abbrev->default_path
											       : abbrev->property)))
			continue;
		if (holds_in_order(cand, word))
			abbrev = type->aliases[i];
	}
	if (abbrev)
		out[n++] = abbrev;
	return n;
}

const struct alias_type *alias_closest_type(const struct alias_namespace *ns, const char *word)
{
	size_t cap = cap_for(word), best_d = cap + 1;
	const struct alias_type *best = NULL;
	for (size_t i = 0; ns && i < ns->type_count; i++) {
		size_t dd = text_edit_distance(word, ns->types[i]->local, cap);
		if (dd < best_d) {
			best_d = dd;
			best = ns->types[i];
		}
	}
	return best;
}

const struct alias_namespace *alias_closest_namespace(const struct alias_table *t, const char *word)
{
	size_t cap = cap_for(word), best_d = cap + 1;
	const struct alias_namespace *best = NULL;
	for (size_t i = 0; i < t->namespace_count; i++) {
		size_t dd = text_edit_distance(word, t->namespaces[i]->name, cap);
		if (dd < best_d) {
			best_d = dd;
			best = t->namespaces[i];
		}
	}
	return best;
}

/* ---- the lock file ---- */

static int cmp_type_ptr(const void *pa, const void *pb)
{
	const struct alias_type *a = *(const struct alias_type *const *)pa;
	const struct alias_type *b = *(const struct alias_type *const *)pb;
	int c = strcasecmp(a->name, b->name);
	return c ? c : (a > b) - (a < b);
}

/* Appends cJSON's compact form of item and frees it. */
static void add_compact(struct sb *out, cJSON *item)
{
	char *text = cJSON_PrintUnformatted(item);
	if (!text)
		die_oom();
	sb_adds(out, text);
	cJSON_free(text);
	cJSON_Delete(item);
}

static void add_string(struct sb *out, const char *s)
{
	cJSON *item = cJSON_CreateString(s);
	if (!item)
		die_oom();
	add_compact(out, item);
}

/*
 * Can a be written in one of the lock's short forms (see jalias)?  The
 * reader makes a short alias's name from the namespace and resource type
 * as the lock file spells them, so a's name must start with exactly that
 * spelling: a table merges type names that differ only in case, and the
 * namespace's spelling can come from another type than this one's name.
 */
static bool short_form(const struct alias *a)
{
	const struct alias_type *ty = a->type;
	size_t nl = strlen(ty->ns->name), ll = strlen(ty->local);
	if (a->modifiable != ALIAS_UNKNOWN || a->path_count || !a->default_path ||
	    strchr(a->property, '/') || strncmp(a->name, ty->ns->name, nl) != 0 || a->name[nl] != '/')
		return false;
	const char *rest = a->name + nl + 1;
	return strncmp(rest, ty->local, ll) == 0 && rest[ll] == '/';
}

static cJSON *checked(cJSON *item)
{
	if (!item)
		die_oom();
	return item;
}

static cJSON *alias_json(const struct alias *a)
{
	if (short_form(a)) {
		if (strncmp(a->default_path, "properties.", 11) == 0 && strcmp(a->default_path + 11, a->property) == 0)
			return checked(cJSON_CreateString(a->property));
		cJSON *pair = checked(cJSON_CreateArray());
		cJSON_AddItemToArray(pair, checked(cJSON_CreateString(a->property)));
		cJSON_AddItemToArray(pair, checked(cJSON_CreateString(a->default_path)));
		return pair;
	}
	cJSON *o = cJSON_CreateObject();
	if (!o)
		die_oom();
	cJSON_AddStringToObject(o, "name", a->name);
	if (a->default_path)
		cJSON_AddStringToObject(o, "defaultPath", a->default_path);
	if (a->path_count) {
		cJSON *paths = cJSON_AddArrayToObject(o, "paths");
		for (size_t i = 0; paths && i < a->path_count; i++) {
			cJSON *p = cJSON_CreateObject();
			cJSON_AddStringToObject(p, "path", a->paths[i].path);
			cJSON *vs = cJSON_AddArrayToObject(p, "apiVersions");
			for (size_t k = 0; vs && k < a->paths[i].api_version_count; k++)
				cJSON_AddItemToArray(vs, cJSON_CreateString(a->paths[i].api_versions[k]));
			cJSON_AddItemToArray(paths, p);
		}
	}
	if (a->modifiable != ALIAS_UNKNOWN) {
		cJSON *meta = cJSON_AddObjectToObject(o, "defaultMetadata");
		cJSON_AddStringToObject(meta, "attributes", a->modifiable == ALIAS_YES ? "Modifiable" : "None");
	}
	return o;
}

void alias_lock_write(const struct alias_table *t, const struct alias_type *const *types, size_t n,
		      struct sb *out)
{
	const struct alias_type **sel = xcalloc(n ? n : 1, sizeof(*sel));
	if (n) {
		memcpy(sel, types, n * sizeof(*sel));
		qsort(sel, n, sizeof(*sel), cmp_type_ptr);
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || sel[m - 1] != sel[i])
			sel[m++] = sel[i];

	sb_adds(out, "{\n  \"comment\": ");
	add_string(out, "Azure Policy aliases of the resource types the packs beside this file use. "
			"Written by 'pacc aliases'; regenerate it rather than editing it.");
	sb_adds(out, ",\n  \"value\": [");
	bool first_ns = true;
	for (size_t ni = 0; ni < t->namespace_count; ni++) {
		const struct alias_namespace *ns = t->namespaces[ni];
		size_t lo = 0;
		while (lo < m && sel[lo]->ns != ns)
			lo++;
		if (lo == m)
			continue;
		sb_adds(out, first_ns ? "\n    {\n      \"namespace\": " : ",\n    {\n      \"namespace\": ");
		first_ns = false;
		add_string(out, ns->name);
		sb_adds(out, ",\n      \"resourceTypes\": [");
		for (size_t ti = 0; ti < ns->type_count; ti++) {
			const struct alias_type *ty = ns->types[ti];
			bool chosen = false;
			for (size_t k = lo; k < m && !chosen; k++)
				chosen = sel[k] == ty;
			sb_adds(out, ti ? ",\n        {\"resourceType\": " : "\n        {\"resourceType\": ");
			add_string(out, ty->local);
			if (chosen && ty->capabilities) {
				sb_adds(out, ", \"capabilities\": ");
				add_string(out, ty->capabilities);
			}
			if (chosen && ty->listed) {
				sb_adds(out, ", \"aliases\": [");
				for (size_t ai = 0; ai < ty->alias_count; ai++) {
					sb_adds(out, ai ? ",\n          " : "\n          ");
					add_compact(out, alias_json(ty->aliases[ai]));
				}
				sb_adds(out, ty->alias_count ? "\n        ]" : "]");
			}
			sb_addch(out, '}');
		}
		sb_adds(out, "\n      ]\n    }");
	}
	sb_adds(out, first_ns ? "]\n}\n" : "\n  ]\n}\n");
	free(sel);
}
