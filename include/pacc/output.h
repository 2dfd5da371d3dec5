/*
 * output: the files a build produces, held in memory until the driver
 * writes them all at once.
 *
 * Generators add files here and write into each file's buffer; they never
 * touch the file system.  Paths are relative to the pack's output directory,
 * '/'-separated, made only from validated ids (see check.c).
 */
#ifndef PACC_OUTPUT_H
#define PACC_OUTPUT_H

#include "pacc/sb.h"

#include <stddef.h>

struct output_file {
	char *path;      /* owned; e.g. "policies/azure-data-factory-ns-2.json" */
	struct sb data;  /* the file's bytes */
};

struct output_set {
	struct output_file *files; /* in the order added */
	size_t count, alloc;
};

#define OUTPUT_SET_INIT { NULL, 0, 0 }

/* Adds a file named path (copied) and returns its empty buffer to write into.
 * The pointer stays valid until the next output_add. */
struct sb *output_add(struct output_set *set, const char *path);
/* Finds a file by path, or NULL. */
const struct output_file *output_find(const struct output_set *set, const char *path);
void output_set_release(struct output_set *set);

#endif
