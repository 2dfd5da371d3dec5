#include "pacc/output.h"

#include "pacc/arena.h"

#include <stdlib.h>
#include <string.h>

struct sb *output_add(struct output_set *set, const char *path)
{
	if (set->count == set->alloc) {
		set->alloc = set->alloc ? set->alloc * 2 : 16;
		set->files = xrealloc(set->files, set->alloc * sizeof(*set->files));
	}
	struct output_file *f = &set->files[set->count++];
	size_t n = strlen(path);
	f->path = xmalloc(n + 1);
	memcpy(f->path, path, n + 1);
	sb_init(&f->data, 0);
	return &f->data;
}

const struct output_file *output_find(const struct output_set *set, const char *path)
{
	for (size_t i = 0; i < set->count; i++)
		if (strcmp(set->files[i].path, path) == 0)
			return &set->files[i];
	return NULL;
}

void output_set_release(struct output_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		free(set->files[i].path);
		sb_release(&set->files[i].data);
	}
	free(set->files);
	set->files = NULL;
	set->count = set->alloc = 0;
}
