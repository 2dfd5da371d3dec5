#include "pacc/cmd_build.h"

#include "pacc/arena.h"
#include "pacc/ast.h"
#include "pacc/cmd_aliases.h"
#include "pacc/diag.h"
#include "pacc/fsout.h"
#include "pacc/gen_json.h"
#include "pacc/gen_md.h"
#include "pacc/output.h"
#include "pacc/output_limits.h"
#include "pacc/project.h"
#include "pacc/sb.h"
#include "pacc/units.h"

#ifdef PACC_HAVE_BICEP
#include "pacc/gen_bicep.h"
#include "pacc/gen_env_bicep.h"
#endif

#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The generators a build runs on every checked pack, in order.  Each adds
 * files to the pack's output set; a generator with nothing to say for a
 * pack (gen_md for a pack without a service) adds nothing.
 */
typedef void (*generator_fn)(const struct ast_pack *pack, struct output_set *out);
static const generator_fn generators[] = {
	gen_json_pack,
	gen_md_pack,
#ifdef PACC_HAVE_BICEP
	gen_bicep_pack,
#endif
};

const struct cli_option cmd_build_options[CMD_BUILD_OPTION_COUNT] = {
	[CMD_BUILD_OPT_OUTPUT] = { "output", 'o', "DIR",
		"write into DIR/<pack>/ (default: generated; created if missing)" },
	[CMD_BUILD_OPT_CHECK] = { "check", 0, NULL,
		"write nothing; list the files a build would add, change or remove "
		"and exit 1 if there is one" },
	[CMD_BUILD_OPT_SYNC] = { "sync", 0, NULL,
		"flush the new files to disk before they replace the old ones, so a "
		"power loss cannot leave a file without its data" },
	[CMD_BUILD_OPT_ALIASES] = { "aliases", 0, "FILE", CMD_ALIASES_OPTION_HELP },
	[CMD_BUILD_OPT_MANIFEST] = { "manifest", 0, "FILE",
		"build the packs and environments of FILE (default: ./pacc.yaml "
		"when no pack FILE is given)" },
};

static int cmp_unit_names(const void *a, const void *b)
{
	const struct unit *const *x = a, *const *y = b;
	int c = strcmp((*x)->pack_name, (*y)->pack_name);
	if (c)
		return c;
	return (*x < *y) ? -1 : (*x > *y);
}

/* Refuses "-" and packs whose names clash or cannot be directory names. */
static int check_build_names(const struct cli *cli, struct unit *units, size_t n)
{
	int status = CLI_EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(units[i].path, "-") == 0) {
			cli_error(cli, "'pacc build' cannot read standard input: the pack name comes "
				       "from the file name (use 'pacc check -' to check stdin)");
			return CLI_EXIT_USAGE;
		}
		if (!fsout_name_ok(units[i].pack_name)) {
			cli_error(cli, "'%s' gives the pack name '%s', which cannot be a directory name",
				  units[i].path, units[i].pack_name);
			status = CLI_EXIT_USAGE;
		}
	}
	struct unit **sorted = xcalloc(n ? n : 1, sizeof(*sorted));
	for (size_t i = 0; i < n; i++)
		sorted[i] = &units[i];
	qsort(sorted, n, sizeof(*sorted), cmp_unit_names);
	for (size_t i = 1; i < n; i++)
		if (strcmp(sorted[i - 1]->pack_name, sorted[i]->pack_name) == 0) {
			cli_error(cli, "'%s' and '%s' are both pack '%s' and would write the same directory",
				  sorted[i - 1]->path, sorted[i]->path, sorted[i]->pack_name);
			status = CLI_EXIT_USAGE;
		}
	free(sorted);
	return status;
}

/* What a build does with the files it generates. */
enum build_mode {
	BUILD_WRITE,         /* write them, without flushing them to disk */
	BUILD_WRITE_DURABLE, /* write them and flush them before the swap (--sync) */
	BUILD_COMPARE,       /* write nothing; list the differences (--check) */
};

/*
 * The output side of a build: packs are staged (or compared) one by one as
 * they are generated, so a build holds the files of one pack at a time; the
 * swap of every staged tree waits for the last pack, so the build stays all
 * or nothing.
 */
struct build_out {
	const struct cli *cli;
	const char *dir;
	enum build_mode mode;
	struct fsout w;
	bool opened;         /* DIR opened (on the first pack) */
	bool failed;         /* an I/O failure, in fsout_error() */
	struct sb report;    /* BUILD_COMPARE: one line per difference */
	size_t differences;
	sigset_t blocked;    /* the interrupts held back while trees are staged */
	sigset_t saved_mask; /* signals as they were before the build */
};

/* The signals that interrupt a build. */
static const int build_interrupts[] = { SIGINT, SIGTERM, SIGHUP };

/* Interrupts wait until the temporary trees are swapped in or removed, so
 * Ctrl-C leaves no debris. */
static void build_out_init(struct build_out *o, const struct cli *cli, const char *dir,
			   enum build_mode mode)
{
	memset(o, 0, sizeof(*o));
	o->cli = cli;
	o->dir = dir;
	o->mode = mode;
	fsout_init(&o->w);
	o->w.durable = mode == BUILD_WRITE_DURABLE;
	sb_init(&o->report, 0);
	/* An interrupt that is ignored (nohup, a background job) stays ignored. */
	sigemptyset(&o->blocked);
	for (size_t i = 0; i < sizeof(build_interrupts) / sizeof(build_interrupts[0]); i++) {
		struct sigaction now;
		if (sigaction(build_interrupts[i], NULL, &now) == 0 && now.sa_handler != SIG_IGN)
			sigaddset(&o->blocked, build_interrupts[i]);
	}
	sigprocmask(SIG_BLOCK, &o->blocked, &o->saved_mask);
}

/* True when an interrupt arrived: the build stops before its next pack,
 * removes what it staged and lets the interrupt take effect. */
static bool build_out_interrupted(const struct build_out *o)
{
	sigset_t pending;
	if (sigpending(&pending) < 0)
		return false;
	for (size_t i = 0; i < sizeof(build_interrupts) / sizeof(build_interrupts[0]); i++)
		if (sigismember(&o->blocked, build_interrupts[i]) == 1 &&
		    sigismember(&pending, build_interrupts[i]) == 1)
			return true;
	return false;
}

/* Stages (or compares) the files of one pack; after a failure, does nothing. */
static void build_out_pack(struct build_out *o, const struct unit *u)
{
	if (o->failed)
		return;
	int rc = 0;
	if (!o->opened) {
		rc = o->mode == BUILD_COMPARE ? fsout_open_existing(&o->w, o->dir)
					      : fsout_open(&o->w, o->dir);
		o->opened = true;
	}
	if (rc == 0 && o->mode == BUILD_COMPARE) {
		size_t k = 0;
		rc = fsout_compare(&o->w, u->pack_name, &u->out, &o->report, &k);
		o->differences += k;
	} else if (rc == 0) {
		rc = fsout_stage(&o->w, u->pack_name, &u->out);
	}
	o->failed = rc < 0;
}

/*
 * Ends the build: commits every staged pack (or prints the differences)
 * when nothing failed; removes every staged tree otherwise.  Returns the
 * exit status; input_errors means the packs had errors (nothing is written),
 * interrupted that an interrupt is pending (nothing is written; it takes
 * effect on return, as the signal mask is restored).
 */
static int build_out_finish(struct build_out *o, bool input_errors, bool interrupted)
{
	const struct cli *cli = o->cli;
	int status = CLI_EXIT_OK;
	if (interrupted) {
		/* nothing is committed; the interrupt ends pacc when it is let through */
		input_errors = false;
		o->failed = false;
		o->differences = 0;
		status = CLI_EXIT_USAGE;
	} else if (input_errors) {
		status = CLI_EXIT_INPUT;
	} else if (!o->failed && o->mode != BUILD_COMPARE && o->opened) {
		if (fsout_commit(&o->w) < 0)
			o->failed = true;
		else if (fsout_error(&o->w)[0])
			fprintf(cli->err, "pacc: warning: %s\n", fsout_error(&o->w));
	}
	if (!input_errors && o->failed) {
		cli_error(cli, "%s", fsout_error(&o->w));
		status = CLI_EXIT_USAGE;
	} else if (!input_errors && o->differences) {
		fputs(o->report.buf, cli->out);
		fflush(cli->out);
		fprintf(cli->err, "pacc: '%s' is not up to date: %zu file%s differ%s; run 'pacc build'\n",
			o->dir, o->differences, o->differences == 1 ? "" : "s",
			o->differences == 1 ? "s" : "");
		status = CLI_EXIT_INPUT;
	}
	sb_release(&o->report);
	fsout_release(&o->w);
	sigprocmask(SIG_SETMASK, &o->saved_mask, NULL);
	return status;
}

/*
 * The environments of the manifest for the packs just checked; NULL when
 * there is no manifest.  Errors go to d.
 */
static const struct env_set *resolve_envs(struct project *proj, struct unit *units, size_t n,
					  struct diag_engine *d)
{
	if (!proj)
		return NULL;
	const struct ast_pack **packs = xcalloc(n ? n : 1, sizeof(*packs));
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (units[i].pack->service)
			packs[count++] = units[i].pack;
	env_resolve(proj->manifest, packs, count, env_today(), &proj->arena, d, &proj->envs);
	free(packs);
	return &proj->envs;
}

/* Builds the packs at paths into dir (or compares them, as mode says); with
 * proj, their environments too. */
static int build_packs(const struct cli *cli, const char *dir, char **paths, size_t n,
		       struct project *proj, enum build_mode mode, const char *aliases,
		       struct diag_engine *d)
{
	struct unit *units = units_new(paths, n);
	int status = check_build_names(cli, units, n);
	if (status == CLI_EXIT_OK)
		status = units_read(cli, units, n, d);
	if (status != CLI_EXIT_OK) {
		cli_report(cli, d, "; nothing was written");
		units_free(units, n);
		return status;
	}
	struct cmd_aliases_locks locks;
	cmd_aliases_locks_init(&locks, aliases);
	/* The environments need checked packs; a mistake in the manifest alone
	 * does not stop them, so one run lists every mistake. */
	size_t before = d->errors;
	status = units_parse_and_check(cli, units, n, &locks, d);
	const struct env_set *envs = NULL;
	if (status == CLI_EXIT_OK && d->errors == before && !diag_should_stop(d))
		envs = resolve_envs(proj, units, n, d);
	if (status != CLI_EXIT_OK || diag_has_errors(d)) {
		cli_report(cli, d, "; nothing was written");
		cmd_aliases_locks_release(&locks);
		units_free(units, n);
		return status != CLI_EXIT_OK ? status : CLI_EXIT_INPUT;
	}
	/*
	 * Each pack is generated, staged and dropped before the next, so memory
	 * holds one pack's files; nothing is visible until every pack is staged.
	 * A pack over the output limits stops the staging, and the generation
	 * goes on only to report every pack over them.
	 */
	struct build_out o;
	build_out_init(&o, cli, dir, mode);
	for (size_t i = 0; i < n && !build_out_interrupted(&o); i++) {
		timing_begin(cli->timing, TIMING_GENERATE);
		for (size_t g = 0; g < sizeof(generators) / sizeof(generators[0]); g++)
			generators[g](units[i].pack, &units[i].out);
#ifdef PACC_HAVE_BICEP
		gen_env_bicep_pack(units[i].pack, envs, &units[i].out);
#endif
		output_limits_check(units[i].pack, &units[i].out, d);
		timing_end(cli->timing, TIMING_GENERATE);
		if (!diag_has_errors(d)) {
			timing_begin(cli->timing, TIMING_WRITE);
			build_out_pack(&o, &units[i]);
			timing_end(cli->timing, TIMING_WRITE);
		}
		output_set_release(&units[i].out);
	}
	(void)envs;
	bool input_errors = diag_has_errors(d);
	timing_begin(cli->timing, TIMING_WRITE);
	status = build_out_finish(&o, input_errors, build_out_interrupted(&o));
	timing_end(cli->timing, TIMING_WRITE);
	cli_report(cli, d, input_errors ? "; nothing was written" : NULL);
	cmd_aliases_locks_release(&locks);
	units_free(units, n);
	return status;
}

int cmd_build_run(const struct cli *cli, const struct cli_args *args)
{
	const char *dir = args->values[CMD_BUILD_OPT_OUTPUT];
	const char *manifest = args->values[CMD_BUILD_OPT_MANIFEST];
	enum build_mode mode = args->values[CMD_BUILD_OPT_CHECK]  ? BUILD_COMPARE
			       : args->values[CMD_BUILD_OPT_SYNC] ? BUILD_WRITE_DURABLE
								  : BUILD_WRITE;
	if (args->values[CMD_BUILD_OPT_CHECK] && args->values[CMD_BUILD_OPT_SYNC])
		return cli_usage_error(cli, "build", "'--check' writes nothing; it takes no '--sync'");
	if (!manifest && args->operand_count == 0 && access(PROJECT_MANIFEST, F_OK) == 0)
		manifest = PROJECT_MANIFEST;
	if (manifest && args->operand_count)
		return cli_usage_error(cli, "build",
				       "a build with a manifest takes its packs from the manifest; "
				       "give no pack FILE");
	if (!manifest && args->operand_count == 0)
		return cli_usage_error(cli, "build", "no pack files given (and no ./" PROJECT_MANIFEST ")");
	if (dir && !*dir)
		return cli_usage_error(cli, "build", "the output directory name is empty");
	if (manifest && !*manifest)
		return cli_usage_error(cli, "build", "the manifest name is empty");

	struct diag_engine d;
	cli_diag_init(cli, &d);
	int status;
	if (!manifest) {
		status = build_packs(cli, dir ? dir : "generated", args->operands, args->operand_count,
				     NULL, mode, args->values[CMD_BUILD_OPT_ALIASES], &d);
	} else {
		struct project proj;
		project_init(&proj);
		status = project_open(&proj, manifest, &d, cli->err);
		if (status != CLI_EXIT_OK) {
			cli_report(cli, &d, "; nothing was written");
		} else {
			char **paths = xcalloc(proj.pack_count + 1, sizeof(*paths));
			for (size_t i = 0; i < proj.pack_count; i++)
				paths[i] = proj.packs[i].path;
			status = build_packs(cli, dir ? dir : proj.output, paths, proj.pack_count, &proj,
					     mode, args->values[CMD_BUILD_OPT_ALIASES], &d);
			free(paths);
		}
		project_release(&proj);
	}
	diag_release(&d);
	return status;
}
