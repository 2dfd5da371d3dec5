#include "pacc/cmd_aliases.h"

#include "pacc/arena.h"
#include "pacc/check_alias.h"
#include "pacc/fsout.h"
#include "pacc/parse.h"
#include "pacc/sb.h"
#include "pacc/source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { ALIASES_OPT_OUTPUT };
const struct cli_option cmd_aliases_options[CMD_ALIASES_OPTION_COUNT] = {
	[ALIASES_OPT_OUTPUT] = { "output", 'o', "FILE",
				 "write the lock file to FILE (default: " CMD_ALIASES_LOCK_NAME
				 " beside the first pack)" },
};

/* ---- lock files for check, build and import ---- */

struct cmd_aliases_lock {
	char *path;                 /* owned */
	struct source *src;         /* NULL when absent or unreadable */
	struct alias_table table;
	bool usable;                /* loaded without errors */
};

void cmd_aliases_locks_init(struct cmd_aliases_locks *l, const char *explicit_path)
{
	memset(l, 0, sizeof(*l));
	l->explicit_path = explicit_path;
}

void cmd_aliases_locks_release(struct cmd_aliases_locks *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].path);
		source_free(l->items[i].src);
		alias_table_release(&l->items[i].table);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* The lock file's path beside pack_path: "<dir>/aliases.lock.json". */
static char *lock_beside(const char *pack_path)
{
	struct sb path = SB_INIT;
	const char *slash = strrchr(pack_path, '/');
	if (slash)
		sb_add(&path, pack_path, (size_t)(slash - pack_path + 1));
	sb_adds(&path, CMD_ALIASES_LOCK_NAME);
	return sb_detach(&path, NULL);
}

/* Reads and loads path into t; false (with diagnostics or a message) on failure. */
static bool load_file(const char *path, struct source **src, struct alias_table *t, struct diag_engine *d,
		      FILE *err, int *status)
{
	switch (source_read_limit(path, ALIAS_SOURCE_MAX_BYTES, src)) {
	case SOURCE_OK:
		break;
	case SOURCE_IO_ERROR:
		fprintf(err, "pacc: error: cannot read '%s': %s\n", path, strerror(errno));
		*status = CLI_EXIT_USAGE;
		return false;
	case SOURCE_TOO_LARGE:
		fprintf(err, "pacc: error: '%s' is larger than %zu MiB; export only the namespaces you need\n", path,
			ALIAS_SOURCE_MAX_BYTES / (1024 * 1024));
		*status = CLI_EXIT_USAGE;
		return false;
	}
	bool ok = alias_table_load(t, *src, d);
	return ok;
}

const struct alias_table *cmd_aliases_locks_for(struct cmd_aliases_locks *l, const char *pack_path,
						struct diag_engine *d, FILE *err, int *status)
{
	char *path;
	if (l->explicit_path)
		path = strdup(l->explicit_path);
	else if (strcmp(pack_path, "-") == 0)
		return NULL;
	else
		path = lock_beside(pack_path);
	if (!path)
		die_oom();
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].path, path) == 0) {
			free(path);
			return l->items[i].usable ? &l->items[i].table : NULL;
		}
	if (l->count == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 4;
		l->items = xrealloc(l->items, l->alloc * sizeof(*l->items));
	}
	struct cmd_aliases_lock *lk = &l->items[l->count++];
	memset(lk, 0, sizeof(*lk));
	lk->path = path;
	alias_table_init(&lk->table);
	struct stat st;
	if (!l->explicit_path && stat(path, &st) != 0 && errno == ENOENT)
		return NULL;
	bool ok = load_file(path, &lk->src, &lk->table, d, err, status);
	ok = alias_table_finish(&lk->table, d) && ok;
	lk->usable = ok;
	return ok ? &lk->table : NULL;
}

/* ---- pacc aliases ---- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

int cmd_aliases_run(const struct cli *cli, const struct cli_args *args)
{
	size_t npacks = 0, nexports = 0;
	for (size_t i = 0; i < args->operand_count; i++) {
		if (strcmp(args->operands[i], "-") == 0)
			return cli_usage_error(cli, "aliases",
					       "'pacc aliases' reads files only, not standard input");
		if (ends_with(args->operands[i], ".pacc"))
			npacks++;
		else
			nexports++;
	}
	if (npacks == 0 || nexports == 0)
		return cli_usage_error(cli, "aliases",
				       npacks ? "no alias export given (the JSON of 'az provider list "
						"--expand \"resourceTypes/aliases\"', or an "
						"alias,defaultPath CSV)"
					      : "no pack given (*.pacc)");
	const char *out_arg = args->values[ALIASES_OPT_OUTPUT];
	if (out_arg && !*out_arg)
		return cli_usage_error(cli, "aliases", "the output file name is empty");

	struct diag_engine d;
	cli_diag_init(cli, &d);
	int status = CLI_EXIT_OK;
	struct source **srcs = xcalloc(args->operand_count, sizeof(*srcs));
	struct arena *arenas = xcalloc(args->operand_count, sizeof(*arenas));
	struct alias_table table;
	alias_table_init(&table);
	struct check_alias_types used = { 0 };
	char *out_path = NULL;

	for (size_t i = 0; i < args->operand_count && status == CLI_EXIT_OK; i++)
		if (!ends_with(args->operands[i], ".pacc"))
			load_file(args->operands[i], &srcs[i], &table, &d, cli->err, &status);
	if (status == CLI_EXIT_OK && !diag_has_errors(&d))
		alias_table_finish(&table, &d);
	for (size_t i = 0; i < args->operand_count && status == CLI_EXIT_OK && !diag_has_errors(&d); i++) {
		const char *path = args->operands[i];
		if (!ends_with(path, ".pacc"))
			continue;
		if (source_read(path, &srcs[i]) != SOURCE_OK) {
			cli_error(cli, "cannot read '%s': %s", path, strerror(errno));
			status = CLI_EXIT_USAGE;
			break;
		}
		char *name = cli_pack_name(path);
		arena_init(&arenas[i]);
		struct ast_pack *pack = parse_pack(srcs[i], name, &arenas[i], &d);
		if (pack && !diag_has_errors(&d))
			check_alias_collect(pack, &table, &used);
		free(name);
		if (!out_path && !out_arg)
			out_path = lock_beside(path);
	}
	if (status == CLI_EXIT_OK && diag_has_errors(&d))
		status = CLI_EXIT_INPUT;
	if (status == CLI_EXIT_OK) {
		struct sb text = SB_INIT, err = SB_INIT;
		alias_lock_write(&table, used.items, used.count, &text);
		if (fsout_write_file(out_arg ? out_arg : out_path, text.buf, text.len, &err) != 0) {
			cli_error(cli, "%s", err.buf);
			status = CLI_EXIT_USAGE;
		}
		sb_release(&text);
		sb_release(&err);
	}
	cli_render(cli, &d);
	if (cli->format == DIAG_FORMAT_TEXT)
		cli_summary(cli, &d, "; nothing was written");
	diag_release(&d);
	free(used.items);
	free(out_path);
	alias_table_release(&table);
	for (size_t i = 0; i < args->operand_count; i++) {
		source_free(srcs[i]);
		arena_release(&arenas[i]);
	}
	free(srcs);
	free(arenas);
	return status;
}
