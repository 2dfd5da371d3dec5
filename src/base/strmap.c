#include "pacc/strmap.h"

#include "pacc/arena.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static unsigned char fold(unsigned char c, bool fold_case)
{
	return fold_case && c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* FNV-1a over the namespace's address and the (folded) key bytes. */
static uint64_t hash_of(const void *ns, const char *key, size_t len, bool fold_case)
{
	uint64_t h = 0xcbf29ce484222325u ^ (uint64_t)(uintptr_t)ns;
	for (size_t i = 0; i < len; i++) {
		h ^= fold((unsigned char)key[i], fold_case);
		h *= 0x100000001b3u;
	}
	return h ^ (h >> 29);
}

static bool same(const struct strmap *m, const struct strmap_slot *s, const void *ns, const char *key,
		 size_t len, uint64_t h)
{
	if (s->hash != h || s->ns != ns || s->len != len)
		return false;
	return m->fold_case ? strncasecmp(s->key, key, len) == 0 : memcmp(s->key, key, len) == 0;
}

static size_t find(const struct strmap *m, const void *ns, const char *key, size_t len, uint64_t h)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)h & mask;
	while (m->slots[i].key && !same(m, &m->slots[i], ns, key, len, h))
		i = (i + 1) & mask;
	return i;
}

static void grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16;
	if (cap < m->cap)
		die_oom();
	struct strmap_slot *old = m->slots;
	size_t old_cap = m->cap;
	m->slots = xcalloc(cap, sizeof(*m->slots));
	m->cap = cap;
	for (size_t k = 0; k < old_cap; k++) {
		if (!old[k].key)
			continue;
		size_t i = (size_t)old[k].hash & (cap - 1);
		while (m->slots[i].key)
			i = (i + 1) & (cap - 1);
		m->slots[i] = old[k];
	}
	free(old);
}

void **strmap_slot(struct strmap *m, const void *ns, const char *key, size_t len, bool *added)
{
	/* at most half full, so probe sequences stay short */
	if (2 * (m->count + 1) > m->cap)
		grow(m);
	uint64_t h = hash_of(ns, key, len, m->fold_case);
	size_t i = find(m, ns, key, len, h);
	struct strmap_slot *s = &m->slots[i];
	if (added)
		*added = !s->key;
	if (!s->key) {
		*s = (struct strmap_slot){ ns, key, len, h, NULL };
		m->count++;
	}
	return &s->value;
}

void *strmap_get(const struct strmap *m, const void *ns, const char *key, size_t len)
{
	if (!m->cap)
		return NULL;
	size_t i = find(m, ns, key, len, hash_of(ns, key, len, m->fold_case));
	return m->slots[i].key ? m->slots[i].value : NULL;
}

void strmap_release(struct strmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->count = 0;
}
