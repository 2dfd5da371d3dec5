#include "pacc/project.h"

#include "pacc/check.h"
#include "pacc/cli.h"
#include "pacc/parse.h"
#include "pacc/sb.h"

#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

void project_init(struct project *p)
{
	memset(p, 0, sizeof(*p));
	arena_init(&p->arena);
}

void project_release(struct project *p)
{
	for (size_t i = 0; i < p->pack_count; i++) {
		free(p->packs[i].path);
		free(p->packs[i].name);
		source_free(p->packs[i].src);
		arena_release(&p->packs[i].arena);
	}
	free(p->packs);
	free(p->output);
	source_free(p->src);
	arena_release(&p->arena);
	memset(p, 0, sizeof(*p));
}

/* dir/rel, or rel itself when dir is "." or rel is absolute. */
static char *join(const char *dir, const char *rel)
{
	struct sb sb = SB_INIT;
	if (rel[0] != '/' && strcmp(dir, ".") != 0)
		sb_addf(&sb, "%s/", dir);
	sb_adds(&sb, rel);
	return sb_detach(&sb, NULL);
}

static int cmp_paths(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	return strcmp(*x, *y);
}

static void add_matches(struct project *p, const char *dir, const struct manifest_value *pattern,
			struct diag_engine *d, char ***paths, size_t *n, size_t *alloc)
{
	char *full = join(dir, pattern->s);
	glob_t g;
	int rc = glob(full, 0, NULL, &g);
	if (rc == GLOB_NOMATCH || rc == GLOB_ABORTED || (rc == 0 && g.gl_pathc == 0)) {
		diag_error(d, pattern->span, "E1020", "'%s' matches no pack file", pattern->s);
	} else if (rc != 0) {
		die_oom(); /* GLOB_NOSPACE */
	} else {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			if (*n == *alloc) {
				*alloc = *alloc ? *alloc * 2 : 8;
				*paths = xrealloc(*paths, *alloc * sizeof(**paths));
			}
			size_t len = strlen(g.gl_pathv[i]);
			char *copy = xmalloc(len + 1);
			memcpy(copy, g.gl_pathv[i], len + 1);
			(*paths)[(*n)++] = copy;
		}
	}
	if (rc == 0)
		globfree(&g);
	free(full);
	(void)p;
}

int project_open(struct project *p, const char *manifest_path, struct diag_engine *d, FILE *err)
{
	switch (source_read(manifest_path, &p->src)) {
	case SOURCE_OK:
		break;
	case SOURCE_IO_ERROR:
		fprintf(err, "pacc: error: cannot read '%s': %s\n", manifest_path, strerror(errno));
		return CLI_EXIT_USAGE;
	case SOURCE_TOO_LARGE: {
		p->src = source_from_memory(manifest_path, "", 0);
		struct src_pos start = { 0, 1, 1 };
		struct src_span span = { p->src, start, start };
		diag_error(d, span, "E0009", "file too large (more than %zu MiB)",
			   SOURCE_MAX_BYTES / (1024 * 1024));
		return CLI_EXIT_INPUT;
	}
	}
	/* Mistakes in the content are reported and the run goes on, so the packs'
	 * and the environments' mistakes are listed too. */
	p->manifest = manifest_read(p->src, &p->arena, d);
	if (!p->manifest)
		return CLI_EXIT_INPUT;

	const char *slash = strrchr(manifest_path, '/');
	char *dir = slash ? strndup(manifest_path, (size_t)(slash - manifest_path + (slash == manifest_path)))
			  : strdup(".");
	if (!dir)
		die_oom();
	const struct manifest *m = p->manifest;
	p->output = join(dir, m->output.s ? m->output.s : "generated");
	char **paths = NULL;
	size_t n = 0, alloc = 0;
	if (m->pack_count == 0) {
		struct manifest_value def = { "policies/*.pacc", { p->src, { 0, 1, 1 }, { 0, 1, 1 } } };
		add_matches(p, dir, &def, d, &paths, &n, &alloc);
	}
	for (size_t i = 0; i < m->pack_count; i++)
		add_matches(p, dir, &m->packs[i], d, &paths, &n, &alloc);
	free(dir);
	if (n > 0) /* paths is NULL when no pack matched, and qsort takes no NULL */
		qsort(paths, n, sizeof(*paths), cmp_paths);
	p->packs = xcalloc(n ? n : 1, sizeof(*p->packs));
	for (size_t i = 0; i < n; i++) {
		if (p->pack_count && strcmp(p->packs[p->pack_count - 1].path, paths[i]) == 0) {
			free(paths[i]);
			continue;
		}
		struct project_pack *pk = &p->packs[p->pack_count++];
		pk->path = paths[i];
		pk->name = cli_pack_name(paths[i]);
		arena_init(&pk->arena);
	}
	free(paths);
	return p->pack_count ? CLI_EXIT_OK : CLI_EXIT_INPUT;
}

int project_load_packs(struct project *p, struct diag_engine *d, FILE *err)
{
	int status = CLI_EXIT_OK;
	for (size_t i = 0; i < p->pack_count && !diag_should_stop(d); i++) {
		struct project_pack *pk = &p->packs[i];
		switch (source_read(pk->path, &pk->src)) {
		case SOURCE_OK:
			break;
		case SOURCE_IO_ERROR:
			fprintf(err, "pacc: error: cannot read '%s': %s\n", pk->path, strerror(errno));
			status = CLI_EXIT_USAGE;
			continue;
		case SOURCE_TOO_LARGE: {
			pk->src = source_from_memory(pk->path, "", 0);
			struct src_pos start = { 0, 1, 1 };
			struct src_span span = { pk->src, start, start };
			diag_error(d, span, "E0009", "file too large (more than %zu MiB)",
				   SOURCE_MAX_BYTES / (1024 * 1024));
			continue;
		}
		}
		size_t before = d->errors;
		struct ast_pack *pack = parse_pack(pk->src, pk->name, &pk->arena, d);
		if (d->errors == before && check_pack(pack, d))
			pk->pack = pack;
		else if (status == CLI_EXIT_OK)
			status = CLI_EXIT_INPUT;
	}
	return status;
}

int project_resolve(struct project *p, struct diag_engine *d)
{
	const struct ast_pack **packs = xcalloc(p->pack_count ? p->pack_count : 1, sizeof(*packs));
	size_t n = 0;
	for (size_t i = 0; i < p->pack_count; i++)
		if (p->packs[i].pack && p->packs[i].pack->service)
			packs[n++] = p->packs[i].pack;
	env_resolve(p->manifest, packs, n, env_today(), &p->arena, d, &p->envs);
	free(packs);
	return diag_has_errors(d) ? CLI_EXIT_INPUT : CLI_EXIT_OK;
}
