#include "pacc/epath.h"

#include "pacc/evalue.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Deepest [*] nesting a path may have (the corpus goes to 3). */
#define EPATH_MAX_WILD 16

bool epath_parse(struct arena *a, const char *text, struct epath *out, const char **err)
{
	size_t n = strlen(text), cap = 4;
	struct epath_seg *segs = ARENA_NEW_ARRAY(a, struct epath_seg, cap);
	size_t count = 0, wild = 0, i = 0;
	*err = NULL;
	while (i < n) {
		if (count == cap) {
			struct epath_seg *bigger = ARENA_NEW_ARRAY(a, struct epath_seg, cap * 2);
			memcpy(bigger, segs, cap * sizeof(*segs));
			segs = bigger;
			cap *= 2;
		}
		struct epath_seg *s = &segs[count];
		if (text[i] == '[') {
			i++;
			if (text[i] == '*' && text[i + 1] == ']') {
				s->kind = EPATH_ALL;
				wild++;
				i += 2;
			} else if (text[i] == '\'') {
				char *key = arena_alloc(a, n + 1);
				size_t k = 0;
				i++;
				for (;;) {
					if (i >= n) {
						*err = "unterminated quoted name in brackets";
						return false;
					}
					if (text[i] == '\'' && text[i + 1] == '\'') {
						key[k++] = '\'';
						i += 2;
					} else if (text[i] == '\'') {
						i++;
						break;
					} else {
						key[k++] = text[i++];
					}
				}
				if (text[i] != ']') {
					*err = "expected ']' after a quoted name";
					return false;
				}
				i++;
				s->kind = EPATH_KEY;
				s->key = key;
			} else {
				const char *close = strchr(text + i, ']');
				if (close == text + i) { /* tags[]: the name "" (a parameter left empty) */
					s->kind = EPATH_KEY;
					s->key = "";
					i++;
					count++;
					goto next;
				}
				if (!close) {
					*err = "empty or unterminated brackets";
					return false;
				}
				size_t len = (size_t)(close - (text + i));
				char *end;
				long v = strtol(text + i, &end, 10);
				if (end == close && text[i] != '-' && text[i] != '+') {
					s->kind = EPATH_INDEX;
					s->index = v;
				} else {
					s->kind = EPATH_KEY;
					s->key = arena_strndup(a, text + i, len);
				}
				i += len + 1;
			}
		} else {
			size_t j = i;
			while (j < n && text[j] != '.' && text[j] != '[')
				j++;
			if (j == i) {
				*err = "empty member name";
				return false;
			}
			s->kind = EPATH_KEY;
			s->key = arena_strndup(a, text + i, j - i);
			i = j;
		}
		count++;
	next:
		if (i < n && text[i] == '.') {
			i++;
			if (i == n) {
				*err = "path ends with '.'";
				return false;
			}
		} else if (i < n && text[i] != '[') {
			*err = "expected '.' or '[' between members";
			return false;
		}
	}
	if (count == 0) {
		*err = "empty path";
		return false;
	}
	if (wild > EPATH_MAX_WILD) {
		*err = "too many [*] in one path";
		return false;
	}
	out->segs = segs;
	out->count = count;
	out->wildcards = wild;
	return true;
}

bool epath_prefix_equal(const struct epath *a, const struct epath *b, size_t n)
{
	if (a->count < n || b->count < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct epath_seg *x = &a->segs[i], *y = &b->segs[i];
		if (x->kind != y->kind)
			return false;
		if (x->kind == EPATH_KEY && strcasecmp(x->key, y->key) != 0)
			return false;
		if (x->kind == EPATH_INDEX && x->index != y->index)
			return false;
	}
	return true;
}

size_t epath_wildcard_end(const struct epath *p, size_t k)
{
	size_t seen = 0;
	for (size_t i = 0; i < p->count; i++)
		if (p->segs[i].kind == EPATH_ALL && ++seen == k)
			return i + 1;
	return 0;
}

struct walk {
	const struct epath *p;
	epath_visit_fn fn;
	void *ctx;
	bool *empty_missing;
	const cJSON *chain[EPATH_MAX_WILD];
	size_t depth;
};

static const cJSON *member(const cJSON *v, const struct epath_seg *s)
{
	if (s->kind == EPATH_KEY)
		return evalue_member(v, s->key);
	if (!cJSON_IsArray(v) || s->index < 0)
		return NULL;
	return cJSON_GetArrayItem(v, (int)(s->index > 0x7fffffff ? -1 : s->index));
}

static bool walk_at(struct walk *w, size_t i, const cJSON *v)
{
	for (; i < w->p->count; i++) {
		const struct epath_seg *s = &w->p->segs[i];
		if (s->kind == EPATH_ALL) {
			if (!cJSON_IsArray(v)) {
				*w->empty_missing = true;
				return true;
			}
			for (const cJSON *e = v->child; e; e = e->next) {
				w->chain[w->depth++] = e;
				bool go = walk_at(w, i + 1, e);
				w->depth--;
				if (!go)
					return false;
			}
			return true;
		}
		v = v ? member(v, s) : NULL;
		if (!v) {
			for (size_t j = i + 1; j < w->p->count; j++)
				if (w->p->segs[j].kind == EPATH_ALL) {
					*w->empty_missing = true;
					return true;
				}
			return w->fn(w->ctx, NULL, w->chain, w->depth);
		}
	}
	return w->fn(w->ctx, v, w->chain, w->depth);
}

bool epath_select(const struct epath *p, size_t from, const cJSON *root, epath_visit_fn fn,
		  void *ctx, bool *empty_missing)
{
	struct walk w = { .p = p, .fn = fn, .ctx = ctx, .empty_missing = empty_missing };
	return walk_at(&w, from, root);
}

const cJSON *epath_get(const struct epath *p, const cJSON *root)
{
	const cJSON *v = root;
	for (size_t i = 0; i < p->count && v; i++) {
		if (p->segs[i].kind == EPATH_ALL)
			return NULL;
		v = member(v, &p->segs[i]);
	}
	return v;
}
