/*
 * project: a repository that uses pacc, as its manifest describes it.
 *
 * project_open() reads the manifest (manifest.h), resolves its `packs`
 * patterns (relative to the manifest's directory, sorted, each pattern must
 * match a file: E1020) and its `output` directory.  project_load_packs()
 * then reads, parses and checks every pack, and project_resolve() resolves
 * the environments against them (env.h).  `pacc pipeline` runs all three;
 * `pacc build` runs project_open() and hands the pack paths to its own
 * pipeline, then calls env_resolve() itself.
 *
 * Every step reports to the diagnostics engine and returns a CLI exit
 * status: 0, 1, 2 (a file could not be read; the message went to err).
 * project_open() returns 1 only when there is nothing to go on (the YAML
 * could not be read, no pack was found): mistakes in the manifest's content
 * are reported and the caller goes on, so one run lists them with the
 * packs' and the environments' mistakes; check diag_has_errors() before
 * writing anything.  project_load_packs() returns 1 when a pack has
 * errors; project_resolve() when anything reported so far is an error.
 */
#ifndef PACC_PROJECT_H
#define PACC_PROJECT_H

#include "pacc/arena.h"
#include "pacc/ast.h"
#include "pacc/diag.h"
#include "pacc/env.h"
#include "pacc/manifest.h"
#include "pacc/source.h"

#include <stdio.h>

/* The manifest `pacc build` and `pacc pipeline` look for when none is named. */
#define PROJECT_MANIFEST "pacc.yaml"

struct project_pack {
	char *path;           /* as opened (manifest directory joined), owned */
	char *name;           /* pack name (file base name), owned */
	struct source *src;   /* owned; NULL until loaded */
	struct ast_pack *pack;/* NULL until parsed and checked without errors */
	struct arena arena;
};

struct project {
	struct arena arena;        /* the manifest's tree and the resolution */
	struct source *src;        /* the manifest, owned */
	struct manifest *manifest; /* NULL when it could not be read */
	char *output;              /* the output directory (manifest directory joined), owned */
	struct project_pack *packs;
	size_t pack_count;
	struct env_set envs;       /* after project_resolve() */
};

void project_init(struct project *p);
void project_release(struct project *p);

int project_open(struct project *p, const char *manifest_path, struct diag_engine *d, FILE *err);
int project_load_packs(struct project *p, struct diag_engine *d, FILE *err);
/* Resolves the environments of packs that have a service, today from env_today(). */
int project_resolve(struct project *p, struct diag_engine *d);

#endif
