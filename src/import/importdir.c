#include "pacc/importdir.h"

#include "pacc/lex.h"
#include "pacc/sb.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ---- file names ---- */

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && strcasecmp(s + n - k, suffix) == 0;
}

static bool is_json_name(const char *name)
{
	return has_suffix(name, ".json") || has_suffix(name, ".jsonc");
}

/* Length of name without .json/.jsonc and without an ALZ library suffix. */
static size_t stem_len(const char *name)
{
	static const char *const alz[] = { ".alz_policy_definition", ".alz_policy_set_definition" };
	size_t n = strlen(name);
	if (has_suffix(name, ".jsonc"))
		n -= 6;
	else if (has_suffix(name, ".json"))
		n -= 5;
	for (size_t i = 0; i < sizeof(alz) / sizeof(alz[0]); i++) {
		size_t k = strlen(alz[i]);
		if (n > k && strncasecmp(name + n - k, alz[i], k) == 0)
			return n - k;
	}
	return n;
}

/* File names that say what a file is, not which policy it holds. */
static bool is_generic_stem(const char *s, size_t n)
{
	static const char *const generic[] = { "azurepolicy",      "azurepolicyset", "policy",
					       "policyset",        "policydefinition", "policysetdefinition",
					       "definition",       "initiative" };
	for (size_t i = 0; i < sizeof(generic) / sizeof(generic[0]); i++)
		if (strlen(generic[i]) == n && strncasecmp(s, generic[i], n) == 0)
			return true;
	return false;
}

/* The component of path ending before index end (trailing slashes skipped). */
static void component_before(const char *path, size_t end, size_t *start, size_t *len)
{
	while (end > 1 && path[end - 1] == '/')
		end--;
	size_t s = end;
	while (s > 0 && path[s - 1] != '/')
		s--;
	*start = s;
	*len = end - s;
}

/* s[0..n) as a name Azure and file systems take (see importdir.h). */
static char *clean_name(struct arena *a, const char *s, size_t n)
{
	char *out = arena_strndup(a, s, n);
	unsigned char *p = (unsigned char *)out, *lim = p + n;
	while (p < lim) {
		int len = *p < 0x80 ? 1 : lex_utf8_len(p, lim);
		if (len == 0 || *p < 0x20 || *p == 0x7f || strchr("<>*%&:\\?+/\"|", *p)) {
			*p++ = '-';
			continue;
		}
		p += len;
	}
	size_t from = 0;
	while (out[from] == '.')
		from++;
	while (n > from && (out[n - 1] == '.' || out[n - 1] == ' '))
		n--;
	out[n] = '\0';
	return n > from ? out + from : arena_strdup(a, "imported");
}

char *importdir_name_for(struct arena *a, const char *path)
{
	size_t start, len;
	component_before(path, strlen(path), &start, &len);
	const char *base = path + start;
	size_t n = stem_len(arena_strndup(a, base, len));
	if (!is_generic_stem(base, n))
		return clean_name(a, base, n);
	/* the folder names the policy: from the path, else from the real path */
	size_t pstart, plen;
	component_before(path, start, &pstart, &plen);
	if (start > 0 && plen > 0 && !(plen == 1 && path[pstart] == '.') &&
	    !(plen == 2 && strncmp(path + pstart, "..", 2) == 0))
		return clean_name(a, path + pstart, plen);
	char *real = realpath(path, NULL);
	if (real) {
		size_t rn = strlen(real);
		component_before(real, rn, &start, &len);
		component_before(real, start, &pstart, &plen);
		char *name = plen && start > 1 ? clean_name(a, real + pstart, plen) : NULL;
		free(real);
		if (name)
			return name;
	}
	return clean_name(a, base, n);
}

/* ---- the walk ---- */

void importdir_list_release(struct importdir_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i].rel);
	free(l->items);
	*l = (struct importdir_list)IMPORTDIR_LIST_INIT;
}

struct walk {
	const char *root;
	char *root_real; /* realpath of root, for "inside the tree" */
	struct importdir_list *out;
	struct import_inputs *in;
	struct diag_engine *d;
	bool stopped; /* a limit was hit */
	bool io_ok;
};

/* A diagnostic at path:1:1, through a stand-in empty source: nothing of the
 * entry is read, so nothing of it can be shown. */
static struct src_span entry_span(struct walk *w, const char *path)
{
	struct source *src = source_from_memory(path, "", 0);
	import_inputs_add(w->in, src);
	struct src_pos start = { 0, 1, 1 };
	struct src_span span = { src, start, start };
	return span;
}

/* Warns that the entry at path is not imported, and why. */
static void skip_entry(struct walk *w, const char *path, const char *why)
{
	struct diag_record *r = diag_warning(w->d, entry_span(w, path), "E0910", "%s", why);
	r->hide_text = true;
}

static char *dup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

static void list_push(struct importdir_list *l, char *rel)
{
	if (l->count == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 64;
		l->items = xrealloc(l->items, l->alloc * sizeof(*l->items));
	}
	l->items[l->count++] = (struct importdir_file){ rel, false };
}

static void add_file(struct walk *w, const char *rel)
{
	if (w->out->count >= IMPORTDIR_MAX_FILES) {
		struct src_span nowhere;
		memset(&nowhere, 0, sizeof(nowhere));
		diag_error(w->d, nowhere, "E0911",
			   "more than %d JSON files below '%s'; import its subdirectories one by one",
			   IMPORTDIR_MAX_FILES, w->root);
		w->stopped = true;
		return;
	}
	list_push(w->out, dup(rel));
}

/* Is the file at full (a symbolic link) inside the root's tree? */
static bool inside_tree(const struct walk *w, const char *full)
{
	char *real = realpath(full, NULL);
	if (!real || !w->root_real)
		return false;
	size_t n = strlen(w->root_real);
	bool in = strncmp(real, w->root_real, n) == 0 && (real[n] == '/' || w->root_real[n - 1] == '/');
	free(real);
	return in;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(struct walk *w, const char *rel, size_t depth)
{
	struct sb dirpath = SB_INIT;
	sb_addf(&dirpath, "%s%s%s", w->root, *rel ? "/" : "", rel);
	DIR *dir = opendir(dirpath.buf);
	if (!dir) {
		w->io_ok = false;
		sb_release(&dirpath);
		return;
	}
	/* sorted, so that diagnostics come out in the same order on every system */
	char **names = NULL;
	size_t count = 0, alloc = 0;
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (count == alloc) {
			alloc = alloc ? alloc * 2 : 32;
			names = xrealloc(names, alloc * sizeof(*names));
		}
		names[count++] = dup(de->d_name);
	}
	closedir(dir);
	if (count > 1)
		qsort(names, count, sizeof(*names), cmp_names);
	for (size_t i = 0; i < count; i++) {
		if (w->stopped)
			break;
		struct sb child = SB_INIT, full = SB_INIT;
		sb_addf(&child, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		sb_addf(&full, "%s/%s", w->root, child.buf);
		struct stat st;
		if (lstat(full.buf, &st) != 0) {
			w->io_ok = false;
		} else if (S_ISDIR(st.st_mode)) {
			if (depth + 1 > IMPORTDIR_MAX_DEPTH) {
				struct diag_record *r = diag_error(
					w->d, entry_span(w, full.buf), "E0911",
					"directory nested more than %d levels below '%s'", IMPORTDIR_MAX_DEPTH,
					w->root);
				r->hide_text = true;
				w->stopped = true;
			} else {
				walk_dir(w, child.buf, depth + 1);
			}
		} else if (S_ISLNK(st.st_mode)) {
			struct stat target;
			bool is_dir = stat(full.buf, &target) == 0 && S_ISDIR(target.st_mode);
			if (is_dir)
				skip_entry(w, full.buf, "symbolic link to a directory; not followed");
			else if (!is_json_name(names[i]))
				;
			else if (!S_ISREG(target.st_mode) || !inside_tree(w, full.buf))
				skip_entry(w, full.buf,
					   "symbolic link to a file outside the imported directory; not followed");
			else
				add_file(w, child.buf);
		} else if (is_json_name(names[i])) {
			if (S_ISREG(st.st_mode))
				add_file(w, child.buf);
			else
				skip_entry(w, full.buf, "not a regular file; not read");
		}
		sb_release(&child);
		sb_release(&full);
	}
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	sb_release(&dirpath);
}

static int cmp_files(const void *a, const void *b)
{
	const struct importdir_file *x = a, *y = b;
	return strcmp(x->rel, y->rel);
}

/* Is rel in the sorted list? */
static bool listed(const struct importdir_list *l, const char *rel)
{
	size_t lo = 0, hi = l->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(l->items[mid].rel, rel);
		if (r == 0)
			return true;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Marks X.rules.json and X.parameters.json (or .jsonc) beside X.json. */
static void mark_parts(struct importdir_list *l)
{
	static const char *const parts[] = { ".rules", ".parameters" };
	static const char *const exts[] = { ".json", ".jsonc" };
	for (size_t i = 0; i < l->count; i++) {
		const char *rel = l->items[i].rel;
		size_t n = strlen(rel);
		for (size_t e = 0; e < 2 && !l->items[i].is_part; e++) {
			size_t elen = strlen(exts[e]);
			if (!(n > elen && strcmp(rel + n - elen, exts[e]) == 0))
				continue;
			for (size_t k = 0; k < 2; k++) {
				size_t plen = strlen(parts[k]);
				size_t body = n - elen;
				if (body <= plen || strncasecmp(rel + body - plen, parts[k], plen) != 0)
					continue;
				for (size_t me = 0; me < 2; me++) {
					struct sb main_rel = SB_INIT;
					sb_add(&main_rel, rel, body - plen);
					sb_adds(&main_rel, exts[me]);
					bool has_main = listed(l, main_rel.buf);
					sb_release(&main_rel);
					if (has_main) {
						l->items[i].is_part = true;
						l->parts++;
						break;
					}
				}
				break;
			}
		}
	}
}

bool importdir_collect(const char *root, struct importdir_list *out, struct import_inputs *in,
		       struct diag_engine *d)
{
	struct walk w = { root, realpath(root, NULL), out, in, d, false, true };
	walk_dir(&w, "", 0);
	free(w.root_real);
	if (out->count > 1)
		qsort(out->items, out->count, sizeof(*out->items), cmp_files);
	mark_parts(out);
	if (out->parts) {
		struct src_span nowhere;
		memset(&nowhere, 0, sizeof(nowhere));
		diag_remark(d, nowhere, "E0912",
			    "%zu file%s below '%s' %s a split part (X.rules.json, X.parameters.json) of the "
			    "definition in X.json beside it; skipped",
			    out->parts, out->parts == 1 ? "" : "s", root, out->parts == 1 ? "is" : "are");
	}
	if (!w.io_ok) {
		struct src_span nowhere;
		memset(&nowhere, 0, sizeof(nowhere));
		diag_error(d, nowhere, "E0905", "cannot read directory below '%s'", root);
	}
	return w.io_ok && !w.stopped;
}

/* ---- preparing the text ---- */

/* Replaces the code point at t[i] by one space in out; returns the next i. */
static size_t blank_code_point(const unsigned char *t, size_t n, size_t i, struct sb *out)
{
	int len = t[i] < 0x80 ? 1 : lex_utf8_len(t + i, t + n);
	if (len <= 0)
		len = 1;
	sb_addch(out, t[i] == '\n' ? '\n' : ' ');
	return i + (size_t)len;
}

/* The index after white space and comments from t[i]. */
static size_t skip_blank(const unsigned char *t, size_t n, size_t i)
{
	for (;;) {
		while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
			i++;
		if (i + 1 < n && t[i] == '/' && t[i + 1] == '/') {
			while (i < n && t[i] != '\n')
				i++;
		} else if (i + 1 < n && t[i] == '/' && t[i + 1] == '*') {
			const unsigned char *end = NULL;
			for (size_t j = i + 2; j + 1 < n && !end; j++)
				if (t[j] == '*' && t[j + 1] == '/')
					end = t + j + 2;
			if (!end)
				return i;
			i = (size_t)(end - t);
		} else {
			return i;
		}
	}
}

struct source *importdir_prepare(const struct source *src)
{
	const unsigned char *t = src->text;
	size_t n = src->len, i = 0;
	bool bom = n >= 3 && t[0] == 0xEF && t[1] == 0xBB && t[2] == 0xBF;
	bool jsonc = has_suffix(src->name, ".jsonc");
	if (!bom && !jsonc)
		return NULL;
	if (bom)
		i = 3;
	struct sb out = SB_INIT;
	while (i < n) {
		unsigned char c = t[i];
		if (!jsonc) {
			sb_add(&out, t + i, n - i);
			break;
		}
		if (c == '"') {
			size_t j = i + 1;
			while (j < n && t[j] != '"' && t[j] != '\n') {
				if (t[j] == '\\' && j + 1 < n)
					j++;
				j++;
			}
			if (j < n && t[j] == '"')
				j++;
			sb_add(&out, t + i, j - i);
			i = j;
		} else if (c == '/' && i + 1 < n && t[i + 1] == '/') {
			while (i < n && t[i] != '\n')
				i = blank_code_point(t, n, i, &out);
		} else if (c == '/' && i + 1 < n && t[i + 1] == '*') {
			size_t j = i + 2;
			while (j + 1 < n && !(t[j] == '*' && t[j + 1] == '/'))
				j++;
			/* an unclosed comment stays, so the parser reports where it starts */
			if (j + 1 >= n) {
				sb_add(&out, t + i, n - i);
				break;
			}
			j += 2;
			while (i < j)
				i = blank_code_point(t, n, i, &out);
		} else if (c == ',') {
			size_t j = skip_blank(t, n, i + 1);
			sb_addch(&out, j < n && (t[j] == '}' || t[j] == ']') ? ' ' : ',');
			i++;
		} else {
			sb_addch(&out, c);
			i++;
		}
	}
	struct source *copy = source_from_memory(src->name, out.buf, out.len);
	sb_release(&out);
	return copy;
}
