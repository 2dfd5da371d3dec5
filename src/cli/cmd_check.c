#include "pacc/cmd_check.h"

#include "pacc/cmd_aliases.h"
#include "pacc/diag.h"
#include "pacc/units.h"

#include <string.h>

const struct cli_option cmd_check_options[CMD_CHECK_OPTION_COUNT] = {
	[CMD_CHECK_OPT_ALIASES] = { "aliases", 0, "FILE", CMD_ALIASES_OPTION_HELP },
};

int cmd_check_run(const struct cli *cli, const struct cli_args *args)
{
	size_t n = args->operand_count;
	if (n == 0)
		return cli_usage_error(cli, "check", "no pack files given (use '-' for standard input)");
	size_t stdin_uses = 0;
	for (size_t i = 0; i < n; i++)
		stdin_uses += strcmp(args->operands[i], "-") == 0;
	if (stdin_uses > 1)
		return cli_usage_error(cli, "check", "'-' (standard input) given more than once");

	struct unit *units = units_new(args->operands, n);
	struct diag_engine d;
	cli_diag_init(cli, &d);
	int status = units_read(cli, units, n, &d);
	struct cmd_aliases_locks locks;
	cmd_aliases_locks_init(&locks, args->values[CMD_CHECK_OPT_ALIASES]);
	if (status == CLI_EXIT_OK)
		status = units_parse_and_check(cli, units, n, &locks, &d);
	if (status == CLI_EXIT_OK && diag_has_errors(&d))
		status = CLI_EXIT_INPUT;
	cli_report(cli, &d, NULL);
	cmd_aliases_locks_release(&locks);
	diag_release(&d);
	units_free(units, n);
	return status;
}
