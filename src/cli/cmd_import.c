#include "pacc/cmd_import.h"

#include "pacc/cmd_aliases.h"
#include "pacc/diag.h"
#include "pacc/import.h"
#include "pacc/timing.h"

#include <stdio.h>

const struct cli_option cmd_import_options[CMD_IMPORT_OPTION_COUNT] = {
	[CMD_IMPORT_OPT_OUTPUT] = { "output", 'o', "DIR",
		"write the packs into DIR (default: the current directory)" },
	[CMD_IMPORT_OPT_ALIASES] = { "aliases", 0, "FILE",
		"check the imported aliases against FILE" },
};

int cmd_import_run(const struct cli *cli, const struct cli_args *args)
{
	const char *output = args->values[CMD_IMPORT_OPT_OUTPUT];
	const char *dir = output ? output : ".";
	if (args->operand_count == 0)
		return cli_usage_error(cli, "import", "no JSON files or directories given");
	if (!*dir)
		return cli_usage_error(cli, "import", "the output directory name is empty");

	struct diag_engine d;
	cli_diag_init(cli, &d);
	struct import_inputs in = IMPORT_INPUTS_INIT;
	struct cmd_aliases_locks locks;
	cmd_aliases_locks_init(&locks, args->values[CMD_IMPORT_OPT_ALIASES]);
	int status = CLI_EXIT_OK;
	if (locks.explicit_path) {
		in.aliases = cmd_aliases_locks_for(&locks, "-", &d, cli->err, &status);
		if (status == CLI_EXIT_OK && !in.aliases)
			status = CLI_EXIT_INPUT;
	}
	struct import_summary sum = { 0 };
	if (status == CLI_EXIT_OK) {
		timing_begin(cli->timing, TIMING_IMPORT);
		status = import_run(dir, args->operands, args->operand_count, &in, &d, cli->err, &sum);
		timing_end(cli->timing, TIMING_IMPORT);
	}
	cli_report(cli, &d, status == CLI_EXIT_OK ? NULL : "; nothing was written");
	cmd_aliases_locks_release(&locks);
	/* the closing line of a text run; a JSON run ends with its records */
	if (status == CLI_EXIT_OK && cli->format == DIAG_FORMAT_TEXT)
		fprintf(cli->err, "pacc: imported %zu policy definition%s and %zu initiative%s into %zu pack%s; %zu warning%s\n",
			sum.policies, sum.policies == 1 ? "" : "s", sum.initiatives,
			sum.initiatives == 1 ? "" : "s", sum.packs, sum.packs == 1 ? "" : "s", d.warnings,
			d.warnings == 1 ? "" : "s");
	import_inputs_release(&in);
	diag_release(&d);
	return status;
}
