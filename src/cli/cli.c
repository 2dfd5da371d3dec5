#include "pacc/cli.h"

#include "pacc/arena.h"
#include "pacc/cmd_aliases.h"
#include "pacc/cmd_build.h"
#include "pacc/cmd_check.h"
#include "pacc/cmd_eval.h"
#include "pacc/cmd_fmt.h"
#include "pacc/cmd_import.h"
#include "pacc/cmd_pipeline.h"
#include "pacc/cmd_test.h"
#include "pacc/diag.h"
#include "pacc/sb.h"
#include "pacc/source.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- messages ------------------------------------------------------------------------- */

void cli_error(const struct cli *cli, const char *fmt, ...)
{
	va_list ap;
	fputs("pacc: error: ", cli->err);
	va_start(ap, fmt);
	vfprintf(cli->err, fmt, ap);
	va_end(ap);
	fputc('\n', cli->err);
}

/*
 * The candidate a mistyped word most likely meant: diag_closest's edit
 * distance first, then two slips it misses on short words: swapped letters
 * ("biuld") and a truncated word ("buil").
 */
static const char *closest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = diag_closest(word, candidates, n);
	if (best)
		return best;
	size_t len = strlen(word);
	for (size_t i = 0; i < n; i++) {
		const char *c = candidates[i];
		if (strlen(c) != len)
			continue;
		size_t diff = 0, first = 0;
		for (size_t k = 0; k < len && diff <= 2; k++)
			if (word[k] != c[k] && diff++ == 0)
				first = k;
		if (diff == 2 && first + 1 < len && word[first] == c[first + 1] &&
		    word[first + 1] == c[first])
			return c;
	}
	for (size_t i = 0; len >= 2 && i < n; i++)
		if (strncmp(candidates[i], word, len) == 0)
			return candidates[i];
	return NULL;
}

/* The help line under a usage error: a suggestion when there is one. */
static void suggest(const struct cli *cli, const char *what, const char *closest)
{
	if (closest)
		fprintf(cli->err, "help: did you mean '%s%s'?\n", what, closest);
}

/* ---- what the commands share -------------------------------------------------------- */

char *cli_pack_name(const char *path)
{
	if (strcmp(path, "-") == 0)
		path = "stdin";
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	const char *suffix = ".pacc";
	size_t sn = strlen(suffix);
	if (n > sn && strcmp(base + n - sn, suffix) == 0)
		n -= sn;
	char *name = xmalloc(n + 1);
	memcpy(name, base, n);
	name[n] = '\0';
	return name;
}

void cli_render(const struct cli *cli, const struct diag_engine *d)
{
	diag_render(d, cli->err, cli->format, cli->color && cli->format == DIAG_FORMAT_TEXT);
}

void cli_summary(const struct cli *cli, const struct diag_engine *d, const char *outcome)
{
	if (d->errors)
		fprintf(cli->err, "pacc: %zu error%s, %zu warning%s%s\n", d->errors,
			d->errors == 1 ? "" : "s", d->warnings, d->warnings == 1 ? "" : "s",
			outcome ? outcome : "");
}

void cli_report(const struct cli *cli, const struct diag_engine *d, const char *outcome)
{
	cli_render(cli, d);
	if (cli->format == DIAG_FORMAT_TEXT || cli->format == DIAG_FORMAT_GITHUB)
		cli_summary(cli, d, outcome);
}

void cli_diag_init(const struct cli *cli, struct diag_engine *d)
{
	diag_init(d);
	d->max_errors = cli->max_errors;
}

static const struct cli_command *command_named(const char *name);

int cli_usage_error(const struct cli *cli, const char *command, const char *msg)
{
	const struct cli_command *cmd = command_named(command);
	cli_error(cli, "%s", msg);
	fprintf(cli->err, "usage: %s\nrun 'pacc help %s' for details\n", cmd->usage, cmd->name);
	return CLI_EXIT_USAGE;
}

/* ---- commands ------------------------------------------------------------------------- */

static const struct cli_command *find_command(const struct cli *cli, const char *name);

static void print_help(const struct cli *cli, const struct cli_command *cmd);
static void print_overview(FILE *out);

static int run_help(const struct cli *cli, const struct cli_args *args)
{
	if (args->operand_count == 0) {
		print_overview(cli->out);
		return CLI_EXIT_OK;
	}
	if (args->operand_count > 1)
		return cli_usage_error(cli, "help", "'help' takes one command name");
	const struct cli_command *cmd = find_command(cli, args->operands[0]);
	if (!cmd)
		return CLI_EXIT_USAGE;
	print_help(cli, cmd);
	return CLI_EXIT_OK;
}

/*
 * Every command, in the order `pacc --help` lists them.  A new command is
 * one entry here: its help text, its options, and its run function.
 */
static const struct cli_command commands[] = {
	{
		.name = "build",
		.summary = "check packs and write their policies, initiative and guide",
		.usage = "pacc build [-o DIR] [--check] FILE... | pacc build [-o DIR] [--check] [--manifest FILE]",
		.description =
			"Reads each pack FILE (the pack's name is the file's base name without\n"
			"\".pacc\"), checks it, and only when no pack has an error generates\n"
			"every output in memory and writes it into DIR/<pack>/:\n"
			"\n"
			"  policies/<name>.json      one Azure Policy definition per policy\n"
			"  initiative.json           the pack's initiative (a pack with a service)\n"
			"  initiatives/<name>.json   each declared initiative\n"
			"  <ms.service>-security.md  the \"Secure your <service> deployment\" guide\n"
			"  bicep/guardrails*.bicep   deployment of it all (a pack with a service)\n"
			"  bicep/<type>.bicep        a hardening module per resource type a pack hardens\n"
			"\n"
			"Each pack directory is replaced as a whole, so the files of removed\n"
			"policies disappear; a pack whose files would not change is left\n"
			"untouched.  On any error nothing in DIR changes.  DIR/<pack> must not\n"
			"be a symbolic link.\n"
			"\n"
			"With --check, nothing is written: each file the build would add,\n"
			"change or remove is printed on standard output as 'added: PATH',\n"
			"'changed: PATH' or 'removed: PATH', and the exit status is 1 when\n"
			"there is one (CI uses it to prove DIR is fresh).\n"
			"\n"
			"With a project manifest (--manifest FILE, or ./pacc.yaml when no pack\n"
			"FILE is given) the packs and the output directory come from it, and\n"
			"each pack also gets, per environment:\n"
			"\n"
			"  bicep/deploy-<env>.bicep       definitions, initiative, assignments and\n"
			"                                 exemptions for 'az deployment mg|sub create'\n"
			"  bicep/deploy-<env>.bicepparam  its parameters\n"
			"  bicep/modules/*.bicep          the assignment and exemption modules",
		.examples = "pacc build policies/azure-data-factory.pacc\n"
			    "pacc build -o out policies/*.pacc\n"
			    "pacc build                       # the packs and environments of ./pacc.yaml\n"
			    "pacc build --diagnostics-format=json policies/*.pacc\n"
			    "pacc build --check policies/*.pacc",
		.exit_status = "0  every pack built (warnings allowed); with --check: DIR is fresh\n"
			       "1  a pack has errors; nothing was written; with --check: a file\n"
			       "   would change\n"
			       "2  usage error, unreadable file or write failure; nothing was written",
		.options = cmd_build_options,
		.option_count = CMD_BUILD_OPTION_COUNT,
		.run = cmd_build_run,
	},
	{
		.name = "check",
		.summary = "report every error in packs; write nothing",
		.usage = "pacc check FILE...",
		.description =
			"Runs every check 'pacc build' runs on each pack FILE and prints the\n"
			"diagnostics, without generating or writing anything.  '-' reads a pack\n"
			"from standard input (its pack name is \"stdin\").",
		.examples = "pacc check policies/*.pacc\n"
			    "cat my-pack.pacc | pacc check -\n"
			    "pacc check --diagnostics-format=json policies/azure-data-factory.pacc",
		.exit_status = "0  no errors (warnings allowed)\n"
			       "1  a pack has errors\n"
			       "2  usage error or unreadable file",
		.options = cmd_check_options,
		.option_count = CMD_CHECK_OPTION_COUNT,
		.run = cmd_check_run,
	},
	{
		.name = "import",
		.summary = "write Azure Policy JSON (definitions, initiatives) as pacc source",
		.usage = "pacc import [-o DIR] FILE.json|DIR...",
		.description =
			"Reads policy definitions and policy set definitions, in the {name, id,\n"
			"type, properties} envelope Azure exports or as a bare properties object,\n"
			"and writes each argument as one pack: FILE.json gives <file>.pacc, a\n"
			"directory gives <directory>.pacc with every *.json and *.jsonc below it\n"
			"(comments allowed in .jsonc; X.rules.json and X.parameters.json beside\n"
			"X.json skipped; links to directories and out of the tree not followed).\n"
			"Pack names are slugs (\"Data Factory\" -> data-factory.pacc).  Building\n"
			"the pack gives back the same JSON, up to member order and keyword\n"
			"casing.  An initiative's references name a policy of the same pack when\n"
			"they point at one of its ids, else keep the id.  Errors point into the\n"
			"JSON; on any error nothing is written.  The run ends with a summary line.",
		.examples = "pacc import -o policies \"exported/Data Factory\"\n"
			    "pacc import deny-public-ip.json\n"
			    "pacc import --diagnostics-format=json -o policies exported/",
		.exit_status = "0  every pack written\n"
			       "1  an input has errors; nothing was written\n"
			       "2  usage error, unreadable input or write failure",
		.options = cmd_import_options,
		.option_count = CMD_IMPORT_OPTION_COUNT,
		.run = cmd_import_run,
	},
	{
		.name = "aliases",
		.summary = "write the alias lock file of packs from an alias export",
		.usage = "pacc aliases [-o FILE] PACK.pacc... EXPORT...",
		.description =
			"Reads each EXPORT (the JSON that 'az provider list' prints with the\n"
			"aliases of every resource type expanded, one provider from 'az provider\n"
			"show', or a two-column alias,defaultPath CSV) and writes FILE: the\n"
			"aliases of the resource types the packs use, with every type name of\n"
			"their namespaces, sorted, one alias per line.  'pacc check' and\n"
			"'pacc build' find it beside the packs (" CMD_ALIASES_LOCK_NAME ")\n"
			"and report every alias the table does not know.  Commit it with the\n"
			"packs.",
		.examples = "pacc aliases policies/*.pacc providers.json\n"
			    "pacc aliases -o policies/aliases.lock.json policies/*.pacc aliases.csv",
		.exit_status = "0  the lock file is written (or already up to date)\n"
			       "1  an export or a pack has errors; nothing was written\n"
			       "2  usage error, unreadable file or write failure",
		.options = cmd_aliases_options,
		.option_count = CMD_ALIASES_OPTION_COUNT,
		.run = cmd_aliases_run,
	},
	{
		.name = "pipeline",
		.summary = "write a GitHub Actions or Azure Pipelines definition for the manifest",
		.usage = "pacc pipeline github|azure-devops [--manifest FILE] [-o FILE]",
		.description =
			"Reads the project manifest (./pacc.yaml unless --manifest names one),\n"
			"checks it and every pack it lists, and writes a CI definition: on a pull\n"
			"request it builds pacc, runs 'pacc build --check' and 'pacc check' (SARIF\n"
			"to code scanning, or the CodeAnalysisLogs artifact) and a what-if per\n"
			"environment; on the main branch it deploys the environments in order,\n"
			"each behind its deployment environment's approvals, signing in with\n"
			"workload identity federation (no stored secret).",
		.examples = "pacc pipeline github -o .github/workflows/pacc.yml\n"
			    "pacc pipeline azure-devops -o azure-pipelines.yml",
		.exit_status = "0  the definition was written\n"
			       "1  the manifest or a pack has errors; nothing was written\n"
			       "2  usage error, unreadable file or write failure",
		.options = cmd_pipeline_options,
		.option_count = CMD_PIPELINE_OPTION_COUNT,
		.run = cmd_pipeline_run,
	},
	{
		.name = "eval",
		.summary = "evaluate a policy against a resource offline, as Azure would",
		.usage = "pacc eval --definition FILE [--policy NAME] (--resource FILE | --resources FILE)\n"
			 "          [--parameters FILE] [--api-version V] [--related FILE]... [--aliases FILE]\n"
			 "          [--format text|json]",
		.description =
			"Decides what Azure Policy would for one resource: whether the policy\n"
			"applies (mode, type), the value of 'if', the effect, the existence check\n"
			"of AuditIfNotExists/DeployIfNotExists against the --related resources,\n"
			"and for Modify/Append the resource after the operations.  The definition\n"
			"is a pack (pick one policy with --policy, else every policy is evaluated)\n"
			"or Azure Policy JSON: an envelope, a bare properties object or a bare\n"
			"{\"if\", \"then\"} rule.  --format json prints {applicable, if, effect,\n"
			"compliance, reason, trace}; the trace lists the conditions that decided\n"
			"the result with actual and expected values and, for a pack, file:line:col.\n"
			"\n"
			"Aliases resolve through the alias table: --aliases FILE (a lock file, an\n"
			"'az provider list --expand' export or an alias,defaultPath CSV), else the\n"
			"aliases.lock.json beside the definition, as 'pacc check' finds it.  An\n"
			"alias no table lists reads a path guessed from its name; the trace says so.\n"
			"\n"
			"With --resources FILE (a JSON array, as 'az graph query' or 'az resource\n"
			"list' print) every resource is evaluated against every policy and a\n"
			"compliance report lists the non-compliant resources per policy; related\n"
			"resources are looked up in the inventory below each resource's id.",
		.examples = "pacc eval -d policies/azure-data-factory.pacc -p ns-2 -r factory.json\n"
			    "pacc eval -d deny-public-ip.json -r ip.json --format json\n"
			    "pacc eval -d policies/azure-data-factory.pacc --resources inventory.json",
		.exit_status = "0  evaluated (compliant or not)\n"
			       "1  the definition has errors, or an evaluation failed\n"
			       "2  usage error or unreadable file",
		.options = cmd_eval_options,
		.option_count = EVAL_OPT_COUNT,
		.run = cmd_eval_run,
	},
	{
		.name = "test",
		.summary = "run the test blocks of packs through the evaluator",
		.usage = "pacc test [PACK...]",
		.description =
			"Evaluates every 'test' block of each PACK (default: policies/*.pacc) and\n"
			"compares the result with its 'expect': an effect (the resource is\n"
			"non-compliant and that effect applies), 'compliant' or 'notApplicable'.\n"
			"Prints one line per test, the evaluation trace of each failure, and\n"
			"closes with 'N passed, N failed'.  Fixtures named with 'resource file'\n"
			"are read relative to the pack's directory.",
		.examples = "pacc test\n"
			    "pacc test policies/azure-key-vault.pacc",
		.exit_status = "0  every test passed\n"
			       "1  a test failed, or a pack has errors\n"
			       "2  usage error or unreadable file",
		.run = cmd_test_run,
	},
	{
		.name = "fmt",
		.summary = "rewrite packs in the canonical layout",
		.usage = "pacc fmt [--check] [FILE...]",
		.description =
			"Rewrites each pack FILE in place in pacc's one layout: two spaces per\n"
			"level, one space between tokens, at most one blank line, text blocks\n"
			"indented under the line that opens them.  Comments, line breaks and\n"
			"the order of everything are kept, and the result is proved to read as\n"
			"the same tokens.  Without FILE, or with '-', formats standard input to\n"
			"standard output.  A pack with errors is reported and left alone.",
		.examples = "pacc fmt policies/*.pacc\n"
			    "pacc fmt --check policies/*.pacc\n"
			    "pacc fmt < draft.pacc",
		.exit_status = "0  every pack is formatted (or was rewritten)\n"
			       "1  a pack has errors; with --check: a pack is not formatted\n"
			       "2  usage error, unreadable file or write failure",
		.options = cmd_fmt_options,
		.option_count = CMD_FMT_OPTION_COUNT,
		.run = cmd_fmt_run,
	},
	{
		.name = "help",
		.summary = "show help for pacc or for one command",
		.usage = "pacc help [COMMAND]",
		.description = "Prints the overview of pacc, or the help of COMMAND: usage, what it\n"
			       "does, options, examples and exit status.",
		.examples = "pacc help build",
		.exit_status = "0  help printed\n"
			       "2  unknown command",
		.run = run_help,
	},
};
#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static const struct cli_command *command_named(const char *name)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* ---- options every command takes ----------------------------------------------------- */

enum {
	GOPT_FORMAT,
	GOPT_COLOR,
	GOPT_MAX_ERRORS,
	GOPT_MAX_FILE_SIZE,
	GOPT_TIME_PASSES,
	GOPT_HELP,
	GOPT_VERSION,
	GOPT_COUNT
};
static const struct cli_option global_options[GOPT_COUNT] = {
	[GOPT_FORMAT] = { "diagnostics-format", 0, "FORMAT",
			  "text (default), json, sarif or github: how diagnostics "
			  "are printed" },
	[GOPT_COLOR] = { "color", 0, "WHEN",
			 "auto (default: a terminal and NO_COLOR unset), always or never" },
	[GOPT_MAX_ERRORS] = { "max-errors", 0, "N", "stop after N errors (default 50; 0: no limit)" },
	[GOPT_MAX_FILE_SIZE] = { "max-file-size", 0, "MIB",
				 "largest input file (and imported pack) in MiB (default 16, at most 2047)" },
	[GOPT_TIME_PASSES] = { "time-passes", 0, NULL,
			       "print the wall and CPU time of each pass on standard error" },
	[GOPT_HELP] = { "help", 'h', NULL, "show help and exit" },
	[GOPT_VERSION] = { "version", 0, NULL, "print the version and exit" },
};

/* ---- help text ------------------------------------------------------------------------- */

/* Prints text with every line indented by two spaces. */
static void print_indented(FILE *out, const char *text)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n)
			fprintf(out, "  %.*s\n", (int)n, p);
		else
			fputc('\n', out);
		p += n + (nl ? 1 : 0);
	}
}

static void print_options(FILE *out, const struct cli_option *opts, size_t n)
{
	struct sb line = SB_INIT;
	for (size_t i = 0; i < n; i++) {
		sb_reset(&line);
		if (opts[i].short_name)
			sb_addf(&line, "  -%c, ", opts[i].short_name);
		else
			sb_adds(&line, "      ");
		sb_addf(&line, "--%s", opts[i].name);
		if (opts[i].value_name)
			sb_addf(&line, "=%s", opts[i].value_name);
		const size_t column = 36;
		if (line.len + 2 > column)
			sb_addch(&line, ' ');
		else
			sb_addchars(&line, ' ', column - line.len);
		sb_adds(&line, opts[i].help);
		fprintf(out, "%s\n", line.buf);
	}
	sb_release(&line);
}

static void print_overview(FILE *out)
{
	fputs("usage: pacc <command> [options] [FILE...]\n"
	      "\n"
	      "pacc compiles policy packs (*.pacc) into Azure Policy definitions and\n"
	      "initiatives (JSON), Bicep that deploys them, and a \"Secure your\n"
	      "<service> deployment\" guide.\n"
	      "\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\nOptions for every command:\n", out);
	print_options(out, global_options, GOPT_COUNT);
	fputs("\n"
	      "Examples:\n"
	      "  pacc build policies/azure-data-factory.pacc   # writes generated/azure-data-factory/\n"
	      "  pacc check -                                   # checks a pack on standard input\n"
	      "\n"
	      "Exit status: 0 success, 1 the input has errors, 2 usage or I/O failure.\n"
	      "Run 'pacc help <command>' for a command's options and examples.\n",
	      out);
}

static void print_help(const struct cli *cli, const struct cli_command *cmd)
{
	FILE *out = cli->out;
	fprintf(out, "usage: %s\n\n", cmd->usage);
	fprintf(out, "%s\n", cmd->description);
	if (cmd->option_count) {
		fputs("\nOptions:\n", out);
		print_options(out, cmd->options, cmd->option_count);
	}
	fputs("\nOptions for every command:\n", out);
	print_options(out, global_options, GOPT_COUNT);
	if (cmd->examples) {
		fputs("\nExamples:\n", out);
		print_indented(out, cmd->examples);
	}
	fputs("\nExit status:\n", out);
	print_indented(out, cmd->exit_status);
}

/* ---- parsing the command line -------------------------------------------------------- */

/* The command called name, or NULL after an "unknown command" message. */
static const struct cli_command *find_command(const struct cli *cli, const char *name)
{
	const struct cli_command *cmd = command_named(name);
	if (cmd)
		return cmd;
	const char *names[COMMAND_COUNT];
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		names[i] = commands[i].name;
	cli_error(cli, "unknown command '%s'", name);
	suggest(cli, "", closest(name, names, COMMAND_COUNT));
	fputs("run 'pacc --help' for the list of commands\n", cli->err);
	return NULL;
}

struct parse_state {
	const struct cli *cli;
	const struct cli_command *cmd;  /* NULL until the command word */
	const char *globals[GOPT_COUNT];
	const char **values;            /* the command's option values */
	struct cli_values *all;         /* per option, every value given */
};

static void unknown_option(const struct parse_state *st, const char *arg)
{
	const char *names[GOPT_COUNT + 16];
	size_t n = 0;
	for (size_t i = 0; i < GOPT_COUNT; i++)
		names[n++] = global_options[i].name;
	for (size_t i = 0; st->cmd && i < st->cmd->option_count && n < sizeof(names) / sizeof(names[0]); i++)
		names[n++] = st->cmd->options[i].name;
	cli_error(st->cli, "unknown option '%s'", arg);
	const char *word = arg;
	while (*word == '-')
		word++;
	size_t len = strcspn(word, "=");
	char buf[128];
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, word, len);
	buf[len] = '\0';
	suggest(st->cli, "--", closest(buf, names, n));
	if (st->cmd)
		fprintf(st->cli->err, "run 'pacc help %s' for its options\n", st->cmd->name);
	else
		fputs("run 'pacc --help' for the options\n", st->cli->err);
}

/*
 * Parses the option at argv[*i] (which starts with '-'), consuming the next
 * argument too when it is the option's value.  Returns CLI_EXIT_OK or
 * CLI_EXIT_USAGE after a message.
 */
static int parse_option(struct parse_state *st, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	const struct cli_option *opt = NULL;
	const char **slot = NULL;
	const char *value = NULL;
	bool attached = false;

	if (arg[1] == '-') {
		const char *name = arg + 2;
		size_t len = strcspn(name, "=");
		for (size_t k = 0; !opt && k < GOPT_COUNT; k++)
			if (strlen(global_options[k].name) == len &&
			    strncmp(global_options[k].name, name, len) == 0) {
				opt = &global_options[k];
				slot = &st->globals[k];
			}
		for (size_t k = 0; !opt && st->cmd && k < st->cmd->option_count; k++)
			if (strlen(st->cmd->options[k].name) == len &&
			    strncmp(st->cmd->options[k].name, name, len) == 0) {
				opt = &st->cmd->options[k];
				slot = &st->values[k];
			}
		if (opt && name[len] == '=') {
			value = name + len + 1;
			attached = true;
		}
	} else {
		for (size_t k = 0; !opt && k < GOPT_COUNT; k++)
			if (global_options[k].short_name == arg[1]) {
				opt = &global_options[k];
				slot = &st->globals[k];
			}
		for (size_t k = 0; !opt && st->cmd && k < st->cmd->option_count; k++)
			if (st->cmd->options[k].short_name == arg[1]) {
				opt = &st->cmd->options[k];
				slot = &st->values[k];
			}
		if (opt && arg[2]) {
			if (!opt->value_name)
				opt = NULL; /* "-hx": no bundling of flags */
			else {
				value = arg + 2;
				attached = true;
			}
		}
	}
	if (!opt) {
		unknown_option(st, arg);
		return CLI_EXIT_USAGE;
	}
	if (!opt->value_name) {
		if (attached) {
			cli_error(st->cli, "option '--%s' takes no value", opt->name);
			return CLI_EXIT_USAGE;
		}
		*slot = "";
		return CLI_EXIT_OK;
	}
	if (!attached) {
		if (*i + 1 >= argc) {
			cli_error(st->cli, "option '--%s' needs a value (%s)", opt->name, opt->value_name);
			return CLI_EXIT_USAGE;
		}
		value = argv[++*i];
	}
	*slot = value;
	if (st->values && slot >= st->values && slot < st->values + st->cmd->option_count) {
		struct cli_values *all = &st->all[slot - st->values];
		all->items = xrealloc(all->items, (all->count + 1) * sizeof(*all->items));
		all->items[all->count++] = value;
	}
	return CLI_EXIT_OK;
}

/* Checks that value is one of the choices; a message with a suggestion otherwise. */
static bool choice_ok(const struct cli *cli, const char *option, const char *value,
		      const char *const *choices, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(value, choices[i]) == 0)
			return true;
	struct sb list = SB_INIT;
	for (size_t i = 0; i < n; i++)
		sb_addf(&list, "%s'%s'", i == 0 ? "" : i + 1 == n ? " or " : ", ", choices[i]);
	cli_error(cli, "'--%s' takes %s, not '%s'", option, list.buf, value);
	sb_release(&list);
	suggest(cli, "", closest(value, choices, n));
	return false;
}

/* True when s is a decimal whole number in [min, max], stored in *v. */
static bool whole_number(const char *s, unsigned long long min, unsigned long long max,
			 unsigned long long *v)
{
	char *end = NULL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return *s && !*end && s[0] != '-' && s[0] != '+' && !errno && *v >= min && *v <= max;
}

/* Applies the options every command takes to cli. */
static int apply_globals(struct cli *cli, const char *const *globals)
{
	if (globals[GOPT_FORMAT]) {
		static const char *const formats[] = {
			[DIAG_FORMAT_TEXT] = "text",
			[DIAG_FORMAT_JSON] = "json",
			[DIAG_FORMAT_SARIF] = "sarif",
			[DIAG_FORMAT_GITHUB] = "github",
		};
		const size_t nformats = sizeof(formats) / sizeof(formats[0]);
		if (!choice_ok(cli, "diagnostics-format", globals[GOPT_FORMAT], formats, nformats))
			return CLI_EXIT_USAGE;
		for (size_t i = 0; i < nformats; i++)
			if (strcmp(globals[GOPT_FORMAT], formats[i]) == 0)
				cli->format = (enum diag_format)i;
	}
	const char *color = globals[GOPT_COLOR] ? globals[GOPT_COLOR] : "auto";
	static const char *const whens[] = { "auto", "always", "never" };
	if (!choice_ok(cli, "color", color, whens, 3))
		return CLI_EXIT_USAGE;
	if (strcmp(color, "always") == 0) {
		cli->color = true;
	} else if (strcmp(color, "never") == 0) {
		cli->color = false;
	} else {
		const char *no_color = getenv("NO_COLOR");
		int fd = fileno(cli->err);
		cli->color = fd >= 0 && isatty(fd) && !(no_color && *no_color);
	}
	unsigned long long v;
	if (globals[GOPT_MAX_ERRORS]) {
		const char *s = globals[GOPT_MAX_ERRORS];
		if (!whole_number(s, 0, 1000000000ULL, &v)) {
			cli_error(cli, "'--max-errors' needs a whole number from 0 to 1000000000, not '%s'",
				  s);
			return CLI_EXIT_USAGE;
		}
		cli->max_errors = (size_t)v;
	}
	if (globals[GOPT_MAX_FILE_SIZE]) {
		const char *s = globals[GOPT_MAX_FILE_SIZE];
		if (!whole_number(s, 1, 2047, &v)) {
			cli_error(cli, "'--max-file-size' needs a whole number of MiB from 1 to 2047, not '%s'",
				  s);
			return CLI_EXIT_USAGE;
		}
		source_set_max_bytes((size_t)v * 1024 * 1024);
	}
	cli->timing->on = globals[GOPT_TIME_PASSES] != NULL;
	return CLI_EXIT_OK;
}

static int dispatch(struct cli *cli, int argc, char **argv)
{
	struct parse_state st = { .cli = cli };
	char **operands = xcalloc((size_t)argc + 1, sizeof(*operands));
	size_t operand_count = 0;
	bool options_done = false;
	int status = CLI_EXIT_OK;

	for (int i = 1; i < argc && status == CLI_EXIT_OK; i++) {
		char *arg = argv[i];
		if (!options_done && arg[0] == '-' && arg[1] != '\0') {
			if (strcmp(arg, "--") == 0)
				options_done = true;
			else
				status = parse_option(&st, argc, argv, &i);
		} else if (!st.cmd) {
			st.cmd = find_command(cli, arg);
			if (!st.cmd) {
				status = CLI_EXIT_USAGE;
			} else {
				st.values = xcalloc(st.cmd->option_count + 1, sizeof(*st.values));
				st.all = xcalloc(st.cmd->option_count + 1, sizeof(*st.all));
			}
		} else {
			operands[operand_count++] = arg;
		}
	}
	if (status == CLI_EXIT_OK)
		status = apply_globals(cli, st.globals);
	if (status != CLI_EXIT_OK) {
		/* already reported */
	} else if (st.globals[GOPT_VERSION]) {
		fputs("pacc " PACC_VERSION "\n", cli->out);
	} else if (st.globals[GOPT_HELP]) {
		if (st.cmd && strcmp(st.cmd->name, "help") != 0)
			print_help(cli, st.cmd);
		else
			print_overview(cli->out);
	} else if (!st.cmd) {
		cli_error(cli, "no command given");
		fputs("usage: pacc <command> [options] [FILE...]\n"
		      "run 'pacc --help' for the list of commands\n",
		      cli->err);
		status = CLI_EXIT_USAGE;
	} else {
		struct cli_args args = { st.values, operands, operand_count, st.all };
		status = st.cmd->run(cli, &args);
	}
	for (size_t k = 0; st.all && k < st.cmd->option_count; k++)
		free(st.all[k].items);
	free(st.all);
	free(st.values);
	free(operands);
	return status;
}

int cli_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct timing timing = { 0 };
	source_set_max_bytes(SOURCE_DEFAULT_MAX_BYTES);
	struct cli cli = {
		.out = out,
		.err = err,
		.format = DIAG_FORMAT_TEXT,
		.color = false,
		.max_errors = DIAG_DEFAULT_MAX_ERRORS,
		.timing = &timing,
	};
	int status = dispatch(&cli, argc, argv);
	timing_report(&timing, err);
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(err, "pacc: error: cannot write the output: %s\n", strerror(errno));
		status = CLI_EXIT_USAGE;
	}
	fflush(err);
	return status;
}
