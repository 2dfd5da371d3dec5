#include "pacc/units.h"

#include "pacc/check.h"
#include "pacc/parse.h"
#include "pacc/timing.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct unit *units_new(char **paths, size_t n)
{
	struct unit *units = xcalloc(n ? n : 1, sizeof(*units));
	for (size_t i = 0; i < n; i++) {
		units[i].path = paths[i];
		units[i].pack_name = cli_pack_name(paths[i]);
		arena_init(&units[i].arena);
	}
	return units;
}

void units_free(struct unit *units, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		output_set_release(&units[i].out);
		arena_release(&units[i].arena);
		source_free(units[i].src);
		free(units[i].pack_name);
	}
	free(units);
}

int units_read(const struct cli *cli, struct unit *units, size_t n, struct diag_engine *d)
{
	int status = CLI_EXIT_OK;
	timing_begin(cli->timing, TIMING_READ);
	for (size_t i = 0; i < n; i++) {
		switch (source_read(units[i].path, &units[i].src)) {
		case SOURCE_OK:
			break;
		case SOURCE_IO_ERROR:
			cli_error(cli, "cannot read '%s': %s", units[i].path, strerror(errno));
			status = CLI_EXIT_USAGE;
			break;
		case SOURCE_TOO_LARGE: {
			const char *name = strcmp(units[i].path, "-") == 0 ? "<stdin>" : units[i].path;
			units[i].src = source_from_memory(name, "", 0);
			units[i].too_large = true;
			struct src_pos start = { 0, 1, 1 };
			struct src_span span = { units[i].src, start, start };
			diag_error(d, span, "E0009", "file too large (more than %zu MiB)",
				   SOURCE_MAX_BYTES / (1024 * 1024));
			break;
		}
		}
	}
	timing_end(cli->timing, TIMING_READ);
	return status;
}

int units_parse_and_check(const struct cli *cli, struct unit *units, size_t n,
			  struct cmd_aliases_locks *locks, struct diag_engine *d)
{
	int status = CLI_EXIT_OK;
	for (size_t i = 0; i < n && !diag_should_stop(d) && status == CLI_EXIT_OK; i++) {
		if (units[i].too_large)
			continue;
		size_t before = d->errors;
		timing_begin(cli->timing, TIMING_PARSE);
		units[i].pack = parse_pack(units[i].src, units[i].pack_name, &units[i].arena, d);
		timing_end(cli->timing, TIMING_PARSE);
		if (d->errors != before || diag_should_stop(d))
			continue;
		const struct alias_table *aliases = cmd_aliases_locks_for(locks, units[i].path, d, cli->err, &status);
		if (status != CLI_EXIT_OK)
			continue;
		timing_begin(cli->timing, TIMING_CHECK);
		check_pack_with_aliases(units[i].pack, aliases, d);
		timing_end(cli->timing, TIMING_CHECK);
	}
	return status;
}
